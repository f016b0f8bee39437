//! Conformance profiles as data (DESIGN §4.J): requirements, each with its clause text and one
//! check from a fixed vocabulary with its parameters. The built-in profiles are YAML files
//! embedded in the library (`crates/bcm-core/profiles/`); a user's profile has the same format.

use serde::{Deserialize, Serialize};

use crate::model::{Duration, PlanKind, PlanSection};

/// A profile as written: `{profile, name, source?, requirements: [{id, clause, check, params?,
/// target?}]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Its short name (`ma-ebcm`).
    pub profile: String,
    /// Its title.
    pub name: String,
    /// Where its clauses come from.
    pub source: Option<String>,
    /// Its requirements, in order.
    pub requirements: Vec<Requirement>,
}

/// One requirement of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    /// Its ID in the profile (`5(a)`, `kpi-2`).
    pub id: String,
    /// The clause it checks, in the policy's words.
    pub clause: String,
    /// What is checked.
    pub check: Check,
    /// The share of the check's subjects that must pass, in (0, 1]; 1 unless the profile says.
    pub target: f64,
}

/// The checks a requirement can run, with their parameters. Each counts subjects (plans,
/// critical functions, vendors, people) and the ones that fail; see README for each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "check",
    content = "params",
    rename_all = "kebab-case",
    deny_unknown_fields
)]
#[non_exhaustive]
pub enum Check {
    /// Every critical function is covered by a plan of each kind (directly, or with
    /// `through_needs` through anything it needs).
    PlansCoverCritical {
        /// The plan kinds required.
        kinds: Vec<PlanKind>,
        /// A plan covering something the function needs counts.
        #[serde(default)]
        through_needs: bool,
    },
    /// Every critical function has a BIA date and a risk on something it needs.
    CriticalAssessed {},
    /// Every plan of `kinds` contains each of `sections`.
    PlanSections {
        /// The sections required.
        sections: Vec<PlanSection>,
        /// The kinds of plan that must contain them.
        kinds: Vec<PlanKind>,
    },
    /// Every critical vendor (one a critical function needs through hard edges, or that
    /// supplies such an asset) has `bc_obligation: true` (and, with `alternates`, an alternate).
    CriticalVendorsObligated {
        /// An alternate vendor is required too.
        #[serde(default)]
        alternates: bool,
    },
    /// Every plan has a copy at least `min_km` (great circle) from every primary site.
    PlanCopiesDistant {
        /// The minimum distance in kilometres.
        min_km: f64,
    },
    /// Every plan was reviewed within `within` (default: the organization's review interval).
    PlansReviewed {
        /// The interval.
        #[serde(default)]
        within: Option<Duration>,
    },
    /// Every plan was tested within `within` (default: the test interval).
    PlansTested {
        /// The interval.
        #[serde(default)]
        within: Option<Duration>,
    },
    /// Every plan is current: no change since its review touches its scope, and its review is
    /// not overdue (plan currency).
    PlansCurrent {},
    /// Every person in a plan's teams was trained within `within` (default: the training
    /// interval).
    PeopleTrained {
        /// The interval.
        #[serde(default)]
        within: Option<Duration>,
    },
    /// Every plan was reviewed, and every critical function's BIA done, within `within`
    /// (default: the review interval).
    PlansAndBiasReviewed {
        /// The interval.
        #[serde(default)]
        within: Option<Duration>,
    },
    /// Every critical function has an RTO and meets it in the recovery schedule of the loss of
    /// each site.
    RtoAchievable {},
    /// Residual against inherent annual loss expectancy (not measured until bcm computes risk).
    RiskReduction {},
}

impl Check {
    /// Its name in a profile (`plans-tested`).
    pub fn name(&self) -> &'static str {
        match self {
            Check::PlansCoverCritical { .. } => "plans-cover-critical",
            Check::CriticalAssessed {} => "critical-assessed",
            Check::PlanSections { .. } => "plan-sections",
            Check::CriticalVendorsObligated { .. } => "critical-vendors-obligated",
            Check::PlanCopiesDistant { .. } => "plan-copies-distant",
            Check::PlansReviewed { .. } => "plans-reviewed",
            Check::PlansTested { .. } => "plans-tested",
            Check::PlansCurrent {} => "plans-current",
            Check::PeopleTrained { .. } => "people-trained",
            Check::PlansAndBiasReviewed { .. } => "plans-and-bias-reviewed",
            Check::RtoAchievable {} => "rto-achievable",
            Check::RiskReduction {} => "risk-reduction",
        }
    }
}

/// A profile that cannot be read: where (a JSON Pointer into the profile) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("profile {path}: {message}")]
pub struct ProfileError {
    /// JSON Pointer to the bad part (`/requirements/3/params/kinds/0`; empty for the document).
    pub path: String,
    /// What is wrong, with the bad value.
    pub message: String,
}

/// The profile as written, before its checks are typed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    profile: String,
    name: String,
    #[serde(default)]
    source: Option<String>,
    requirements: Vec<WrittenRequirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenRequirement {
    id: String,
    clause: String,
    check: String,
    #[serde(default)]
    params: Option<serde_json::Value>,
    #[serde(default)]
    target: Option<f64>,
}

/// The built-in profiles: `ma-ebcm` (the Enterprise BCM Policy) and `itscm` (the ITSCM KPIs).
pub const BUILT_IN: [&str; 2] = ["ma-ebcm", "itscm"];

/// The text of the built-in profile `name`: a starting point for a profile of one's own (change
/// `min_km`, a target, drop a clause).
pub fn built_in_text(name: &str) -> Option<&'static str> {
    match name {
        "ma-ebcm" => Some(include_str!("../../profiles/ma-ebcm.yaml")),
        "itscm" => Some(include_str!("../../profiles/itscm.yaml")),
        _ => None,
    }
}

impl Profile {
    /// The built-in profile `name` (see [`BUILT_IN`]).
    pub fn built_in(name: &str) -> Option<Profile> {
        // The embedded files are tested to read (every built-in profile is loaded in the
        // tests); `None` here would be that test failing.
        Profile::from_yaml_str(built_in_text(name)?).ok()
    }

    /// A profile from YAML (or JSON, which YAML reads too).
    ///
    /// # Errors
    /// [`ProfileError`] naming the path and the bad value: text that is not YAML, an unknown
    /// key, check or parameter, a parameter of the wrong type, a duplicate requirement ID, a
    /// target outside (0, 1].
    pub fn from_yaml_str(text: &str) -> Result<Profile, ProfileError> {
        let value = crate::model::yaml_value(text).map_err(|finding| ProfileError {
            path: "/".to_owned(),
            message: finding.message,
        })?;
        Profile::from_value(value)
    }

    /// A profile from its JSON value.
    ///
    /// # Errors
    /// As [`Profile::from_yaml_str`].
    pub fn from_value(value: serde_json::Value) -> Result<Profile, ProfileError> {
        let written: Written =
            serde_path_to_error::deserialize(value).map_err(|e| located("", &e))?;
        let mut requirements = Vec::with_capacity(written.requirements.len());
        let mut seen = std::collections::BTreeSet::new();
        for (i, r) in written.requirements.into_iter().enumerate() {
            let at = format!("/requirements/{i}");
            if !seen.insert(r.id.clone()) {
                return Err(ProfileError {
                    path: format!("{at}/id"),
                    message: format!("requirement '{}' appears twice", r.id),
                });
            }
            let tagged = serde_json::json!({
                "check": r.check,
                "params": r.params.unwrap_or_else(|| serde_json::json!({})),
            });
            let check: Check =
                serde_path_to_error::deserialize(tagged).map_err(|e| located(&at, &e))?;
            let target = r.target.unwrap_or(1.0);
            if !(target > 0.0 && target <= 1.0) {
                return Err(ProfileError {
                    path: format!("{at}/target"),
                    message: format!("target {target} is not a share in (0, 1] (e.g. 0.95)"),
                });
            }
            if let Check::PlanCopiesDistant { min_km } = check
                && !(min_km.is_finite() && min_km >= 0.0)
            {
                return Err(ProfileError {
                    path: format!("{at}/params/min_km"),
                    message: format!("min_km {min_km} is not a distance in kilometres"),
                });
            }
            requirements.push(Requirement {
                id: r.id,
                clause: r.clause,
                check,
                target,
            });
        }
        Ok(Profile {
            profile: written.profile,
            name: written.name,
            source: written.source,
            requirements,
        })
    }
}

/// A serde error at its path, as a JSON Pointer under `base`.
fn located(base: &str, error: &serde_path_to_error::Error<serde_json::Error>) -> ProfileError {
    ProfileError {
        path: pointer(base, error),
        message: error.inner().to_string(),
    }
}

/// The JSON Pointer, under `base`, of where a serde error happened (`/` for the document).
pub(crate) fn pointer(base: &str, error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let mut path = base.to_owned();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                path.push('/');
                path.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => {
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    if path.is_empty() {
        "/".to_owned()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_profiles_read() {
        for name in BUILT_IN {
            let p = Profile::built_in(name).unwrap();
            assert_eq!(p.profile, name);
        }
        let ebcm = Profile::built_in("ma-ebcm").unwrap();
        let ids: Vec<&str> = ebcm.requirements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "1", "2", "5(a)", "5(b)", "5(c)", "5(d)", "5(e)", "5(f)", "5(g)", "6", "7", "8",
                "9", "10"
            ]
        );
        assert_eq!(
            ebcm.requirements[10].check,
            Check::PlanCopiesDistant { min_km: 50.0 }
        );
        assert_eq!(Profile::built_in("itscm").unwrap().requirements.len(), 7);
        assert!(Profile::built_in("nist").is_none());
    }

    fn error_of(text: &str) -> ProfileError {
        Profile::from_yaml_str(text).unwrap_err()
    }

    #[test]
    fn a_bad_profile_is_an_error_naming_the_place_and_the_value() {
        let head = "profile: p\nname: P\nrequirements:\n";
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plan-sections, params: {{sections: [scope], kinds: [bcpp]}}}}\n"
        ));
        assert_eq!(e.path, "/requirements/0/params/kinds/0");
        assert!(
            e.message.contains("'bcpp' is not a plan kind"),
            "{}",
            e.message
        );
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plans-teste}}\n"
        ));
        assert_eq!(e.path, "/requirements/0/check");
        assert!(e.message.contains("plans-teste"), "{}", e.message);
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plans-tested, params: {{whithin: 1d}}}}\n"
        ));
        assert_eq!(e.path, "/requirements/0/params/whithin");
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plans-current}}\n- {{id: a, clause: other, check: plans-current}}\n"
        ));
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("/requirements/1/id", "requirement 'a' appears twice")
        );
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plans-current, target: 1.5}}\n"
        ));
        assert_eq!(e.path, "/requirements/0/target");
        let e = error_of("profile: p\nname: P\nrequirements: []\nextra: 1\n");
        assert_eq!(e.path, "/extra");
        // YAML 1.2: `n` and `y` are text, as in models.
        let p = Profile::from_yaml_str(
            "profile: p\nname: N\nrequirements: [{id: y, clause: n, check: plans-current}]\n",
        )
        .unwrap();
        assert_eq!((p.name.as_str(), p.requirements[0].id.as_str()), ("N", "y"));
        let e = error_of(&format!(
            "{head}- {{id: a, clause: x, check: plan-copies-distant, params: {{min_km: -3}}}}\n"
        ));
        assert_eq!(e.path, "/requirements/0/params/min_km");
    }
}
