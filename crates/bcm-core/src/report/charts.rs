//! The report's charts, drawn with `plotters` into inline SVG: no script, no external font (the
//! text asks for the reader's sans-serif), a `<title>` and `<desc>` in each for screen readers.
//! Charts summarise: each shows at most a screenful of rows; the tables and JSON have the rest.

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::Chart;
use super::facts::{Facts, Scenario};
use super::table::{duration_text, money_text};

/// Rows a bar chart shows.
const BARS: usize = 20;
/// Curves a line chart shows.
const CURVES: usize = 8;
const WIDTH: u32 = 860;
const FONT: &str = "sans-serif";

const MET: RGBColor = RGBColor(46, 125, 50);
const MISSED: RGBColor = RGBColor(198, 40, 40);
const RESTORE: RGBColor = RGBColor(84, 110, 122);
const MUTED: RGBColor = RGBColor(176, 190, 197);
const PALETTE: [RGBColor; CURVES] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

fn colour(i: usize) -> RGBColor {
    PALETTE.get(i % CURVES).copied().unwrap_or(RESTORE)
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Draws with `draw` on a `height`-pixel-high SVG and wraps it as an accessible chart; `None` if
/// drawing fails (it does not, into memory, for finite data).
fn svg(
    title: String,
    description: String,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Option<()>,
) -> Option<Chart> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        draw(&root)?;
        root.present().ok()?;
    }
    // The accessible name and description go first inside the root element.
    let open = text.find("<svg")?;
    let end = open + text.get(open..)?.find('>')?;
    let head = format!(
        " role=\"img\"><title>{}</title><desc>{}</desc>",
        xml(&title),
        xml(&description)
    );
    text.replace_range(end..=end, &head);
    Some(Chart {
        title,
        description,
        svg: text,
    })
}

/// A line chart's drawing area: time or money against a value.
type Lines<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws `points` as a labelled curve of colour `c`.
fn curve(
    chart: &mut Lines<'_, '_>,
    points: Vec<(f64, f64)>,
    c: RGBColor,
    label: &str,
) -> Option<()> {
    chart
        .draw_series(LineSeries::new(points, c.stroke_width(2)))
        .ok()?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c));
    Some(())
}

/// A dot of colour `c` at `at`.
fn dot(chart: &mut Lines<'_, '_>, at: (f64, f64), c: RGBColor) -> Option<()> {
    chart
        .draw_series(std::iter::once(Circle::new(at, 5, c.filled())))
        .ok()?;
    Some(())
}

/// The curves' legend, at `position`.
fn legend<'b>(chart: &mut Lines<'b, 'b>, position: SeriesLabelPosition) -> Option<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(MUTED)
        .label_font((FONT, 11))
        .draw()
        .ok()
}

/// Hours on a time axis, labelled as durations.
fn hours_label(x: &f64) -> String {
    if *x <= 0.0 {
        "0".to_owned()
    } else {
        duration_text((x * 3600.0).round() as u64)
    }
}

fn hours(secs: u64) -> f64 {
    secs as f64 / 3600.0
}

/// The end of a time axis: a little past the latest time shown, at least an hour.
fn axis_end(latest: u64) -> f64 {
    (hours(latest) * 1.08).max(1.0)
}

/// Row `i` of `n`, the first at the top: the segment it spans on a `rows(n)` axis.
fn band(n: usize, i: usize) -> (SegmentValue<usize>, SegmentValue<usize>) {
    let s = n.saturating_sub(1 + i);
    (SegmentValue::Exact(s), SegmentValue::Exact(s + 1))
}

/// A vertical axis of `n` rows (plotters' segments of `a..b` include `b`).
fn rows_axis(
    n: usize,
) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

/// The label of row segments, the first of `names` at the top.
fn row_label(names: &[String]) -> impl Fn(&SegmentValue<usize>) -> String + '_ {
    move |v| match v {
        SegmentValue::CenterOf(s) => names
            .len()
            .checked_sub(1 + *s)
            .and_then(|i| names.get(i))
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A row chart's drawing area: a value against rows.
type RowsChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<
        RangedCoordf64,
        plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize>,
    >,
>;

/// The axes of a row chart: one label per row (`names`, the first at the top), `x` along the
/// bottom, no horizontal grid.
fn rows_mesh<'b>(
    chart: &mut RowsChart<'b, 'b>,
    names: &[String],
    x: &dyn Fn(&f64) -> String,
    x_desc: &str,
) -> Option<()> {
    let label = row_label(names);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(names.len())
        .y_label_formatter(&label)
        .x_label_formatter(x)
        .x_desc(x_desc)
        .label_style((FONT, 11))
        .draw()
        .ok()
}

/// A bar of a row chart, inset so that rows do not touch.
fn bar<X: Clone>(
    from: X,
    to: X,
    (top, bottom): &(SegmentValue<usize>, SegmentValue<usize>),
    style: ShapeStyle,
) -> Rectangle<(X, SegmentValue<usize>)> {
    let mut r = Rectangle::new([(from, top.clone()), (to, bottom.clone())], style);
    r.set_margin(2, 2, 0, 0);
    r
}

/// The recovery Gantt of the scenario: restores (up to [`BARS`], the first to start first), then
/// the affected critical functions' outages, green when back within the RTO and red when not,
/// with the RTO as a black tick.
pub(super) fn gantt(facts: &Facts<'_>, s: &Scenario) -> Option<Chart> {
    enum Row<'g> {
        Restore(&'g crate::schedule::GanttBar),
        Function(&'g crate::schedule::GanttFunction),
    }
    let mut rows: Vec<Row<'_>> = s
        .gantt
        .restores
        .iter()
        .take(BARS)
        .map(Row::Restore)
        .collect();
    let mut functions: Vec<_> = s.gantt.functions.iter().collect();
    functions.sort_by_key(|f| (!facts.is_critical(&f.id), f.up_at.unwrap_or(u64::MAX)));
    rows.extend(functions.into_iter().take(BARS).map(Row::Function));
    if rows.is_empty() {
        return None;
    }
    let latest = rows
        .iter()
        .map(|r| match r {
            Row::Restore(b) => b.end,
            Row::Function(f) => f.up_at.unwrap_or(0).max(f.rto.unwrap_or(0)),
        })
        .max()
        .unwrap_or(0);
    let end = axis_end(latest);
    let names: Vec<String> = rows
        .iter()
        .map(|r| match r {
            Row::Restore(b) => format!("restore {}", b.id),
            Row::Function(f) => f.id.clone(),
        })
        .collect();
    let n = rows.len();
    let lose = s.lose.join(", ");
    svg(
        format!("Recovery after losing {lose}"),
        format!(
            "Gantt chart: {} restore bar(s) and {} function outage(s) over time since the \
             disruption; a function's bar is red when it is back after its RTO (the black tick).",
            s.gantt.restores.len().min(BARS),
            n - s.gantt.restores.len().min(BARS)
        ),
        (n as u32) * 20 + 90,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption(format!("Recovery after losing {lose}"), (FONT, 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(190)
                .build_cartesian_2d(0f64..end, rows_axis(n))
                .ok()?;
            rows_mesh(
                &mut chart,
                &names,
                &hours_label,
                "time since the disruption",
            )?;
            for (i, row) in rows.iter().enumerate() {
                let rows_at = band(n, i);
                let (top, bottom) = rows_at.clone();
                match row {
                    Row::Restore(b) => {
                        chart
                            .draw_series(std::iter::once(bar(
                                hours(b.start),
                                hours(b.end),
                                &rows_at,
                                RESTORE.filled(),
                            )))
                            .ok()?;
                    }
                    Row::Function(f) => {
                        let met = matches!((f.up_at, f.rto), (Some(u), Some(r)) if u <= r)
                            || (f.rto.is_none() && f.up_at.is_some());
                        let (to, style) = match f.up_at {
                            Some(u) => (hours(u), if met { MET } else { MISSED }.filled()),
                            None => (end, MISSED.mix(0.4).filled()),
                        };
                        chart
                            .draw_series(std::iter::once(bar(
                                hours(f.down_at),
                                to,
                                &rows_at,
                                style,
                            )))
                            .ok()?;
                        if let Some(rto) = f.rto {
                            let x = hours(rto);
                            chart
                                .draw_series(std::iter::once(PathElement::new(
                                    vec![(x, top), (x, bottom)],
                                    BLACK.stroke_width(3),
                                )))
                                .ok()?;
                        }
                    }
                }
            }
            Some(())
        },
    )
}

/// A function's impact curve: its ID, its steps (time down, value) and its outage in the
/// schedule.
type Curve = (String, Vec<(u64, f64)>, Option<u64>);

/// The category whose impact curves are drawn: `financial` if declared, else the first.
fn lead_category(s: &Scenario) -> Option<&str> {
    let keys: Vec<&String> = s.impact.totals.keys().collect();
    keys.iter()
        .find(|k| k.as_str() == "financial")
        .or(keys.first())
        .map(|k| k.as_str())
}

/// Impact over time of the affected critical functions (else of the most affected ones): the
/// step curve of the lead category against how long the function has been down, with a dot
/// where the scenario's recovery leaves it.
pub(super) fn impact_curves(facts: &Facts<'_>, s: &Scenario) -> Option<Chart> {
    let category = lead_category(s)?.to_owned();
    let model = facts.model();
    let mut affected: Vec<_> = s.impact.functions.iter().collect();
    affected.sort_by(|a, b| {
        let v = |f: &crate::impact::FunctionImpact| f.impact.get(&category).copied().unwrap_or(0.0);
        facts
            .is_critical(&b.id)
            .cmp(&facts.is_critical(&a.id))
            .then(v(b).total_cmp(&v(a)))
            .then(a.id.cmp(&b.id))
    });
    let outage = |id: &str| {
        s.schedule
            .functions
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.up_at)
            .zip(
                s.impact
                    .functions
                    .iter()
                    .find(|f| f.id == id)
                    .map(|f| f.down_at),
            )
            .map(|(up, down)| up.saturating_sub(down))
    };
    let curves: Vec<Curve> = affected
        .into_iter()
        .filter_map(|f| {
            let function = model.functions.iter().find(|x| x.id.as_str() == f.id)?;
            let steps: Vec<(u64, f64)> = function
                .impacts
                .iter()
                .map(|st| {
                    (
                        st.after.as_secs(),
                        st.values.get(&category).copied().unwrap_or(0.0),
                    )
                })
                .filter(|(_, x)| x.is_finite())
                .collect();
            (!steps.is_empty()).then(|| (f.id.clone(), steps, outage(&f.id)))
        })
        .take(CURVES)
        .collect();
    if curves.is_empty() {
        return None;
    }
    let latest = curves
        .iter()
        .flat_map(|(_, steps, out)| steps.iter().map(|(t, _)| *t).chain(*out))
        .max()
        .unwrap_or(0);
    let end = axis_end(latest.max(1) + latest / 4);
    let top = curves
        .iter()
        .flat_map(|(_, steps, _)| steps.iter().map(|(_, v)| *v))
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.1;
    let currency = facts.currency_unit().to_owned();
    let money = category == "financial";
    svg(
        format!("Impact over time ({category})"),
        format!(
            "Step curves of the {category} impact of {} affected function(s) against how long \
             each has been down; a dot marks the outage the recovery schedule gives it.",
            curves.len()
        ),
        360,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption(format!("Impact over time ({category})"), (FONT, 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(90)
                .build_cartesian_2d(0f64..end, 0f64..top)
                .ok()?;
            let y_label = |y: &f64| {
                if money {
                    money_text(*y, "")
                } else {
                    format!("{y:.1}")
                }
            };
            chart
                .configure_mesh()
                .x_label_formatter(&hours_label)
                .y_label_formatter(&y_label)
                .x_desc("time down")
                .y_desc(if money { currency.as_str() } else { "severity" })
                .label_style((FONT, 11))
                .draw()
                .ok()?;
            for (i, (id, steps, out)) in curves.iter().enumerate() {
                let c = colour(i);
                let mut points = vec![(0.0, 0.0)];
                let mut last = 0.0;
                for (t, v) in steps {
                    points.push((hours(*t), last));
                    points.push((hours(*t), *v));
                    last = *v;
                }
                points.push((end, last));
                curve(&mut chart, points, c, id)?;
                if let Some(o) = out {
                    let value = steps
                        .iter()
                        .take_while(|(t, _)| t <= o)
                        .last()
                        .map_or(0.0, |(_, v)| *v);
                    dot(&mut chart, (hours(*o), value), c)?;
                }
            }
            legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
            Some(())
        },
    )
}

/// The simulation's recovery-time distribution of the affected critical functions (else of the
/// first affected ones): the share of iterations back by each time, with a dot at the RTO.
pub(super) fn recovery_distribution(facts: &Facts<'_>, s: &Scenario) -> Option<Chart> {
    let mut tallies: Vec<_> = s.tally.functions.iter().collect();
    tallies.sort_by(|a, b| {
        facts
            .is_critical(&b.id)
            .cmp(&facts.is_critical(&a.id))
            .then(a.id.cmp(&b.id))
    });
    let tallies: Vec<_> = tallies
        .into_iter()
        .filter(|t| t.histogram.total() > 0)
        .take(CURVES)
        .collect();
    if tallies.is_empty() {
        return None;
    }
    let latest = tallies
        .iter()
        .flat_map(|t| {
            t.histogram
                .counts
                .last()
                .map(|(x, _)| *x)
                .into_iter()
                .chain(t.rto)
        })
        .max()
        .unwrap_or(0);
    let end = axis_end(latest);
    svg(
        "Simulated recovery times".to_owned(),
        format!(
            "Cumulative share of {} simulated recoveries in which each of {} function(s) is back \
             by a given time; a dot marks its RTO and the share that meets it.",
            s.simulation.iterations,
            tallies.len()
        ),
        360,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption("Simulated recovery times", (FONT, 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(60)
                .build_cartesian_2d(0f64..end, 0f64..1.02)
                .ok()?;
            let pct = |y: &f64| format!("{:.0}%", y * 100.0);
            chart
                .configure_mesh()
                .x_label_formatter(&hours_label)
                .y_label_formatter(&pct)
                .x_desc("time since the disruption")
                .y_desc("recoveries back")
                .label_style((FONT, 11))
                .draw()
                .ok()?;
            for (i, t) in tallies.iter().enumerate() {
                let c = colour(i);
                let total = t.histogram.total() as f64;
                let mut points = vec![(0.0, 0.0)];
                let mut seen = 0u64;
                for (secs, count) in &t.histogram.counts {
                    let before = seen as f64 / total;
                    seen += count;
                    points.push((hours(*secs), before));
                    points.push((hours(*secs), seen as f64 / total));
                }
                let share = seen as f64 / total;
                points.push((end, share));
                curve(&mut chart, points, c, &t.id)?;
                if let Some(rto) = t.rto {
                    let met: u64 = t
                        .histogram
                        .counts
                        .iter()
                        .take_while(|(x, _)| *x <= rto)
                        .map(|(_, n)| n)
                        .sum();
                    dot(&mut chart, (hours(rto), met as f64 / total), c)?;
                }
            }
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            Some(())
        },
    )
}

/// The units with the largest blast radius: critical functions taken down, then the others.
pub(super) fn blast_radius(facts: &Facts<'_>) -> Option<Chart> {
    let shown: Vec<_> = facts.ranking.iter().take(BARS).collect();
    if shown.is_empty() {
        return None;
    }
    let names: Vec<String> = shown.iter().map(|r| facts.unit_id(r).to_owned()).collect();
    let most = shown.iter().map(|r| r.functions).max().unwrap_or(1).max(1);
    let n = shown.len();
    svg(
        "Blast radius of single points of failure".to_owned(),
        format!(
            "Bar chart of the {n} unit(s) whose loss alone takes the most functions down: \
             critical functions in dark red, the others in grey."
        ),
        (n as u32) * 20 + 90,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption("Blast radius of single points of failure", (FONT, 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(190)
                .build_cartesian_2d(0f64..(most as f64 * 1.05), rows_axis(n))
                .ok()?;
            let whole = |x: &f64| format!("{x:.0}");
            rows_mesh(&mut chart, &names, &whole, "functions taken down")?;
            for (i, r) in shown.iter().enumerate() {
                let rows_at = band(n, i);
                let c = r.critical as f64;
                let all = r.functions as f64;
                chart
                    .draw_series([
                        bar(0.0, c, &rows_at, MISSED.filled()),
                        bar(c, all, &rows_at, MUTED.filled()),
                    ])
                    .ok()?;
            }
            Some(())
        },
    )
}

/// The band colours of the risk matrix: green to red in band order.
fn band_colour(facts: &Facts<'_>, band: &str) -> RGBColor {
    const BANDS: [RGBColor; 4] = [
        RGBColor(165, 214, 167),
        RGBColor(255, 241, 118),
        RGBColor(255, 183, 77),
        RGBColor(229, 115, 115),
    ];
    let bands = facts.risk_bands();
    let i = bands.iter().position(|b| b == band).unwrap_or(0);
    let scaled = if bands.len() <= 1 {
        0
    } else {
        i * (BANDS.len() - 1) / (bands.len() - 1)
    };
    BANDS.get(scaled).copied().unwrap_or(MUTED)
}

/// The likelihood × impact heat map: each cell in its band's colour with how many risks are in it.
pub(super) fn heat_map(facts: &Facts<'_>) -> Option<Chart> {
    let cells = &facts.risk.heat_map;
    let rows = cells.iter().map(|c| c.likelihood).max()? as usize;
    let cols = cells.iter().map(|c| c.impact).max()? as usize;
    let placed: usize = cells.iter().map(|c| c.risks.len()).sum();
    svg(
        "Risk heat map".to_owned(),
        format!(
            "A {rows} by {cols} likelihood-by-impact matrix; each cell shows how many of the \
             {placed} placed risks fall in it, coloured by its band."
        ),
        420,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption("Risk heat map (likelihood × impact)", (FONT, 16))
                .margin(10)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(
                    (1..cols + 1).into_segmented(),
                    (1..rows + 1).into_segmented(),
                )
                .ok()?;
            let level = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(i) => i.to_string(),
                _ => String::new(),
            };
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(cols)
                .y_labels(rows)
                .x_label_formatter(&level)
                .y_label_formatter(&level)
                .x_desc("impact")
                .y_desc("likelihood")
                .label_style((FONT, 12))
                .draw()
                .ok()?;
            for c in cells {
                let (l, i) = (c.likelihood as usize, c.impact as usize);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(i), SegmentValue::Exact(l)),
                            (SegmentValue::Exact(i + 1), SegmentValue::Exact(l + 1)),
                        ],
                        band_colour(facts, &c.band).filled(),
                    )))
                    .ok()?;
                if !c.risks.is_empty() {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            c.risks.len().to_string(),
                            (SegmentValue::CenterOf(i), SegmentValue::CenterOf(l)),
                            (FONT, 16).into_font().color(&BLACK),
                        )))
                        .ok()?;
                }
            }
            Some(())
        },
    )
}

/// The portfolio's loss-exceedance curves, inherent and residual.
pub(super) fn loss_exceedance(facts: &Facts<'_>) -> Option<Chart> {
    let p = facts.risk.portfolio.as_ref()?;
    let curves = [
        ("inherent", &p.inherent.curve, MISSED),
        ("residual", &p.residual.curve, MET),
    ];
    let most = curves
        .iter()
        .flat_map(|(_, c, _)| c.iter().map(|pt| pt.loss))
        .filter(|x| x.is_finite())
        .fold(0.0f64, f64::max);
    if most <= 0.0 {
        return None;
    }
    let currency = facts.currency_unit().to_owned();
    svg(
        "Loss-exceedance curve".to_owned(),
        format!(
            "The probability that a year's total loss exceeds each amount ({currency}), before \
             and after controls, from {} simulated years.",
            facts.risk.iterations
        ),
        360,
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption("Loss-exceedance curve (portfolio)", (FONT, 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(60)
                .build_cartesian_2d(0f64..most * 1.02, 0f64..1.02)
                .ok()?;
            let pct = |y: &f64| format!("{:.0}%", y * 100.0);
            let amount = |x: &f64| money_text(*x, "");
            chart
                .configure_mesh()
                .x_label_formatter(&amount)
                .y_label_formatter(&pct)
                .x_desc(format!("annual loss ({currency})"))
                .y_desc("P(loss > x)")
                .label_style((FONT, 11))
                .draw()
                .ok()?;
            for (name, points, c) in curves {
                let points: Vec<(f64, f64)> = points
                    .iter()
                    .filter(|pt| pt.loss.is_finite() && pt.p_exceed.is_finite())
                    .map(|pt| (pt.loss, pt.p_exceed))
                    .collect();
                curve(&mut chart, points, c, name)?;
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
            Some(())
        },
    )
}
