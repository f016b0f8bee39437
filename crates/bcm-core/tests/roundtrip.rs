//! Round trip: `load(save(m)) == m` for generated models, through JSON and YAML, attributes

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! included (DESIGN §6).

use bcm_core::model::*;
use chrono::{FixedOffset, NaiveDate, TimeZone};
use proptest::collection::{btree_map, vec};
use proptest::option::of;
use proptest::prelude::*;
use serde_json::Value;

fn id() -> impl Strategy<Value = Id> {
    "[a-z][a-z0-9._:-]{0,8}".prop_map(Id::new)
}

/// Any printable text, including what YAML must quote (`: `, `#`, `yes`, `1d`, leading spaces).
fn text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        "\\PC{0,12}",
        Just("yes".to_owned()),
        Just("null".to_owned()),
        Just("- a: b # c".to_owned()),
        Just("  leading".to_owned()),
        Just("2026-01-01".to_owned()),
        Just("".to_owned()),
    ]
}

fn duration() -> impl Strategy<Value = Duration> + Clone {
    // Uniform draws over 1000 years would almost never hit the edges that formatting cares about.
    prop_oneof![
        Just(0u64),
        Just(MAX_DURATION_SECS),
        (0u64..100_000),
        (1u64..1000).prop_map(|n| n * 3600),
        (1u64..100).prop_map(|n| n * 86_400),
        (0..=MAX_DURATION_SECS),
    ]
    .prop_map(Duration::from_secs)
}

fn date() -> impl Strategy<Value = Date> {
    let day = (1900i32..=2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
    prop_oneof![
        day.clone().prop_map(Date::Day),
        (day, 0u32..86_400, -48i32..=56).prop_map(|(d, secs, quarter)| {
            let offset = FixedOffset::east_opt(quarter * 900).unwrap();
            let naive = d
                .and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60)
                .unwrap();
            Date::Instant(offset.from_local_datetime(&naive).single().unwrap())
        }),
    ]
}

fn number() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(1e-300),
        -1e12f64..1e12,
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
        (0i64..1000).prop_map(|x| x as f64),
    ]
}

fn estimate<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + Clone + 'static,
) -> impl Strategy<Value = Estimate<T>> {
    prop_oneof![
        s.clone().prop_map(Estimate::Exact),
        (s.clone(), s.clone(), s).prop_map(|(min, likely, max)| Estimate::ThreePoint {
            min,
            likely,
            max
        }),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        number().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map("[a-z ]{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn attributes() -> impl Strategy<Value = Attributes> {
    prop_oneof![
        3 => Just(Attributes::new()),
        1 => btree_map("\\PC{0,8}", json().prop_map(AttributeValue::from), 0..3),
    ]
}

fn keyword<K: Keyword + std::fmt::Debug>() -> impl Strategy<Value = K> {
    proptest::sample::select(K::ALL.iter().map(|(_, k)| *k).collect::<Vec<_>>())
}

fn geo() -> impl Strategy<Value = GeoPoint> {
    (number(), number()).prop_map(|(lat, lon)| GeoPoint { lat, lon })
}

fn dependency() -> impl Strategy<Value = Dependency> {
    (id(), of(duration()), attributes()).prop_map(|(id, tolerance, attributes)| Dependency {
        id,
        tolerance,
        attributes,
    })
}

fn reliability() -> impl Strategy<Value = Reliability> {
    (duration(), duration()).prop_map(|(mtbf, mttr)| Reliability { mtbf, mttr })
}

fn organization() -> impl Strategy<Value = Organization> {
    (
        text(),
        of(text()),
        of(duration()),
        of(duration()),
        of(duration()),
        of(vec("[a-z-]{1,10}", 0..4)),
        btree_map("[a-z-]{1,10}", number(), 0..3),
        attributes(),
    )
        .prop_map(
            |(name, currency, review, test, training, categories, tolerance, attributes)| {
                Organization {
                    name,
                    currency,
                    review_interval: review,
                    test_interval: test,
                    training_interval: training,
                    impact_categories: categories,
                    tolerance,
                    attributes,
                }
            },
        )
}

fn site() -> impl Strategy<Value = Site> {
    (
        id(),
        of(text()),
        of(keyword()),
        of(keyword()),
        of(geo()),
        of(text()),
        attributes(),
    )
        .prop_map(
            |(id, name, role, readiness, location, address, attributes)| Site {
                id,
                name,
                role,
                readiness,
                location,
                address,
                attributes,
            },
        )
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        id(),
        of(text()),
        of(text()),
        of(text()),
        of(text()),
        of(id()),
        of(date()),
        attributes(),
    )
        .prop_map(
            |(id, name, role, phone, email, alternate, trained, attributes)| Contact {
                id,
                name,
                role,
                phone,
                email,
                alternate,
                trained,
                attributes,
            },
        )
}

fn team() -> impl Strategy<Value = Team> {
    (
        id(),
        of(text()),
        of(keyword()),
        vec(id(), 0..3),
        of(any::<u32>()),
        attributes(),
    )
        .prop_map(|(id, name, kind, members, capacity, attributes)| Team {
            id,
            name,
            kind,
            members,
            capacity,
            attributes,
        })
}

fn succession() -> impl Strategy<Value = Succession> {
    (text(), vec(id(), 0..3), attributes()).prop_map(|(role, order, attributes)| Succession {
        role,
        order,
        attributes,
    })
}

fn vendor() -> impl Strategy<Value = Vendor> {
    (
        id(),
        of(text()),
        of(any::<bool>()),
        vec(id(), 0..2),
        of(estimate(duration())),
        of(id()),
        of(reliability()),
        attributes(),
    )
        .prop_map(
            |(id, name, bc_obligation, alternates, restore, contact, reliability, attributes)| {
                Vendor {
                    id,
                    name,
                    bc_obligation,
                    alternates,
                    restore,
                    contact,
                    reliability,
                    attributes,
                }
            },
        )
}

fn impact_step() -> impl Strategy<Value = ImpactStep> {
    (
        duration(),
        btree_map(
            "(financial|operational|regulatory|reputational|life-safety)",
            number(),
            0..4,
        ),
    )
        .prop_map(|(after, values)| ImpactStep { after, values })
}

fn function() -> impl Strategy<Value = Function> {
    (
        (
            id(),
            of(text()),
            of(text()),
            of(id()),
            of(keyword()),
            of(id()),
        ),
        (
            of(duration()),
            of(duration()),
            of(duration()),
            of(duration()),
            of(date()),
            of(estimate(duration())),
        ),
        (
            vec(impact_step(), 0..3),
            vec(dependency(), 0..4),
            attributes(),
        ),
    )
        .prop_map(
            |(
                (id, name, description, owner, criticality, site),
                (mtd, rto, rpo, wrt, bia, resume),
                (impacts, depends_on, attributes),
            )| {
                Function {
                    id,
                    name,
                    description,
                    owner,
                    criticality,
                    site,
                    mtd,
                    rto,
                    rpo,
                    wrt,
                    bia,
                    resume,
                    impacts,
                    depends_on,
                    attributes,
                }
            },
        )
}

fn asset() -> impl Strategy<Value = Asset> {
    let value =
        (of(any::<u8>()), of(any::<u8>()), of(any::<u8>())).prop_map(|(c, i, a)| AssetValue {
            confidentiality: c,
            integrity: i,
            availability: a,
        });
    (
        (
            id(),
            of(text()),
            keyword(),
            of(text()),
            of(keyword()),
            of(id()),
            of(id()),
            of(id()),
            of(id()),
        ),
        (
            of(value),
            of(estimate(duration())),
            of(duration()),
            of(reliability()),
            vec(dependency(), 0..3),
        ),
        (
            vec(id(), 0..3),
            of(any::<u32>()),
            of(keyword()),
            of(duration()),
            attributes(),
        ),
    )
        .prop_map(
            |(
                (id, name, kind, description, class, site, vendor, team, owner),
                (value, restore, backup_interval, reliability, depends_on),
                (members, min_up, failover, failover_time, attributes),
            )| Asset {
                id,
                name,
                kind,
                description,
                class,
                site,
                vendor,
                team,
                owner,
                value,
                restore,
                backup_interval,
                reliability,
                depends_on,
                members,
                min_up,
                failover,
                failover_time,
                attributes,
            },
        )
}

fn quantity() -> impl Strategy<Value = Quantity> {
    prop_oneof![
        number().prop_map(Quantity::Exact),
        (number(), number(), number()).prop_map(|(min, likely, max)| Quantity::Pert {
            min,
            likely,
            max
        }),
        (number(), number()).prop_map(|(low, high)| Quantity::Interval90 { low, high }),
    ]
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        id(),
        of(text()),
        vec(id(), 0..3),
        of(quantity()),
        of(id()),
        attributes(),
    )
        .prop_map(|(id, name, lose, frequency, threat, attributes)| Scenario {
            id,
            name,
            lose,
            frequency,
            threat,
            attributes,
        })
}

fn threat() -> impl Strategy<Value = Threat> {
    (
        id(),
        of(text()),
        of(text()),
        of(keyword()),
        of(quantity()),
        attributes(),
    )
        .prop_map(
            |(id, name, description, level, frequency, attributes)| Threat {
                id,
                name,
                description,
                level,
                frequency,
                attributes,
            },
        )
}

fn risk() -> impl Strategy<Value = Risk> {
    let control = (
        text(),
        of((of(number()), of(number()))),
        of(number()),
        attributes(),
    )
        .prop_map(|(name, reduces, cost, attributes)| Control {
            name,
            reduces: reduces.map(|(frequency, loss)| Reduction { frequency, loss }),
            cost,
            attributes,
        });
    (
        (id(), of(text()), id(), id(), of(keyword()), of(quantity())),
        (
            of(any::<u8>()),
            of(any::<u8>()),
            of(id()),
            vec(control, 0..3),
            attributes(),
        ),
    )
        .prop_map(
            |(
                (id, name, asset, threat, vulnerability, loss),
                (likelihood, impact, owner, controls, attributes),
            )| Risk {
                id,
                name,
                asset,
                threat,
                vulnerability,
                loss,
                likelihood,
                impact,
                owner,
                controls,
                attributes,
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    let copy = (of(id()), of(geo()), of(text()), attributes()).prop_map(
        |(site, location, medium, attributes)| PlanCopy {
            site,
            location,
            medium,
            attributes,
        },
    );
    (
        (
            id(),
            of(text()),
            keyword(),
            vec(id(), 0..3),
            of(id()),
            vec(keyword(), 0..7),
        ),
        (
            vec(id(), 0..2),
            vec(id(), 0..2),
            of(date()),
            of(date()),
            any::<bool>(),
            any::<bool>(),
        ),
        (vec(copy, 0..2), attributes()),
    )
        .prop_map(
            |(
                (id, name, kind, covers, owner, sections),
                (teams, contacts, reviewed, tested, approved, published),
                (copies, attributes),
            )| {
                Plan {
                    id,
                    name,
                    kind,
                    covers,
                    owner,
                    sections,
                    teams,
                    contacts,
                    reviewed,
                    tested,
                    approved,
                    published,
                    copies,
                    attributes,
                }
            },
        )
}

fn exercise() -> impl Strategy<Value = Exercise> {
    (
        (
            id(),
            of(text()),
            keyword(),
            date(),
            vec(id(), 0..2),
            of(keyword()),
        ),
        (
            btree_map(id(), duration(), 0..3),
            vec(text(), 0..2),
            vec(id(), 0..2),
            attributes(),
        ),
    )
        .prop_map(
            |(
                (id, name, kind, date, plans, result),
                (achieved, findings, participants, attributes),
            )| Exercise {
                id,
                name,
                kind,
                date,
                plans,
                result,
                achieved,
                findings,
                participants,
                attributes,
            },
        )
}

fn change() -> impl Strategy<Value = Change> {
    (
        id(),
        keyword(),
        date(),
        vec(id(), 0..3),
        of(text()),
        attributes(),
    )
        .prop_map(|(id, kind, date, affects, summary, attributes)| Change {
            id,
            kind,
            date,
            affects,
            summary,
            attributes,
        })
}

fn assessment() -> impl Strategy<Value = Assessment> {
    (
        of(id()),
        text(),
        date(),
        vec("L[1-3]\\.[0-9]{1,2}", 0..4),
        of(id()),
        of(text()),
        attributes(),
    )
        .prop_map(
            |(id, control, date, met, assessor, notes, attributes)| Assessment {
                id,
                control,
                date,
                met,
                assessor,
                notes,
                attributes,
            },
        )
}

/// Models with every field exercised; not necessarily valid (round trip holds for any model).
pub fn model() -> impl Strategy<Value = Model> {
    (
        (
            organization(),
            vec(site(), 0..3),
            vec(contact(), 0..3),
            vec(team(), 0..2),
            vec(succession(), 0..2),
        ),
        (
            vec(vendor(), 0..2),
            vec(function(), 0..4),
            vec(asset(), 0..5),
            vec(threat(), 0..2),
        ),
        (
            vec(risk(), 0..2),
            vec(scenario(), 0..2),
            vec(plan(), 0..2),
            vec(exercise(), 0..2),
            vec(change(), 0..2),
            vec(assessment(), 0..2),
        ),
        attributes(),
    )
        .prop_map(
            |(
                (organization, sites, contacts, teams, succession),
                (vendors, functions, assets, threats),
                (risks, scenarios, plans, exercises, changes, assessments),
                attributes,
            )| Model {
                version: FORMAT_VERSION,
                organization,
                sites,
                contacts,
                teams,
                succession,
                vendors,
                functions,
                assets,
                threats,
                risks,
                scenarios,
                plans,
                exercises,
                changes,
                assessments,
                attributes,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn json_round_trip_is_lossless(m in model()) {
        let text = m.to_json().unwrap();
        prop_assert_eq!(Model::from_json_str(&text).unwrap(), m);
    }

    #[test]
    fn yaml_round_trip_is_lossless(m in model()) {
        let text = m.to_yaml().unwrap();
        let back = Model::from_yaml_str(&text);
        prop_assert!(back.is_ok(), "{}\n---\n{}", back.unwrap_err(), text);
        prop_assert_eq!(back.unwrap(), m);
    }

    #[test]
    fn dict_round_trip_is_lossless(m in model()) {
        prop_assert_eq!(Model::from_value(&m.to_value().unwrap()).unwrap(), m);
    }

    /// Validation never panics, whatever the model says, and is deterministic.
    #[test]
    fn validation_is_total_and_deterministic(m in model()) {
        let first = m.validate();
        prop_assert_eq!(&first, &m.validate());
        for f in &first.findings {
            prop_assert!(f.path.is_empty() || f.path.starts_with('/'));
        }
    }
}

#[test]
fn a_hand_written_document_survives_both_formats() {
    let text = "bcm: 1\norganization: {name: 'x: y', impact_categories: [financial, life-safety]}\n\
                functions:\n  - id: f\n    rto: PT36H\n    resume: {min: 1h, likely: 2h, max: 6h}\n    \
                impacts: [{after: 4h, financial: 1.5e6, life-safety: 2}]\n    \
                depends_on: [a, {id: b, tolerance: 1d, attributes: {why: batch}}]\n\
                attributes: {nested: {list: [1, 2.5, null, true, \"s\"]}}\n";
    let m = Model::from_yaml_str(text).unwrap();
    assert_eq!(m.functions[0].rto, Some(Duration::from_hours(36)));
    assert_eq!(m.functions[0].impacts[0].values["financial"], 1.5e6);
    assert_eq!(
        m.functions[0].depends_on[1].attributes["why"],
        Value::from("batch")
    );
    let json = m.to_json().unwrap();
    assert!(json.contains(r#""rto":"1d12h""#), "{json}");
    assert!(
        json.contains(
            r#""depends_on":["a",{"id":"b","tolerance":"1d","attributes":{"why":"batch"}}]"#
        ),
        "{json}"
    );
    assert_eq!(Model::from_json_str(&json).unwrap(), m);
    assert_eq!(Model::from_yaml_str(&m.to_yaml().unwrap()).unwrap(), m);
}
