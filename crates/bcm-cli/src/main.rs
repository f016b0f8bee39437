//! `bcm`: the command-line tool. Thin: arguments, files and exit codes; every computation is in
//! bcm-core.
//!
//! Exit codes: 0 ok (warnings allowed), 1 the model has errors or a judgement finds something
//! wanting (currency: something due; maturity: a criterion not met), 2 usage or I/O error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod report;

use bcm_core::model::ReadError;
use bcm_core::simulate::SimulationTally;
use bcm_core::{Analyzer, Duration, Finding, Format, Model, Validation, read_document};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Business continuity management: validate and analyse continuity models.
#[derive(Debug, Parser)]
#[command(name = "bcm", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a model (YAML or JSON) and list every problem found.
    Validate {
        /// The model file (`-` reads standard input).
        file: PathBuf,
        /// Print the findings as JSON: {"valid", "errors", "warnings", "findings": [...]}.
        #[arg(long)]
        json: bool,
        /// The file's format, when its extension does not say.
        #[arg(long = "input-format", value_enum)]
        format: Option<FormatArg>,
    },
    /// Required objectives: by when each node must be back, the RPO it must support, and the gaps.
    Objectives(ModelArgs),
    /// Impact of losing failure units (assets, groups, sites, vendors) with nothing recovered.
    Impact {
        #[command(flatten)]
        model: ModelArgs,
        /// What is lost, comma-separated or repeated: --lose boston-hq,acme-cloud.
        #[arg(long, required = true, value_delimiter = ',')]
        lose: Vec<String>,
        /// When to read the impact, since the disruption (default: never recovered).
        #[arg(long, value_parser = parse_duration)]
        at: Option<Duration>,
    },
    /// Single points of failure of every function, blast radius of every unit, failover coverage.
    Spof {
        #[command(flatten)]
        model: ModelArgs,
        /// How many units the ranked list shows.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Instead: the minimal cut sets of order 2 of this function — pairs of units that
        /// together, and neither alone, take it down for good.
        #[arg(long, value_name = "FUNCTION")]
        pairs: Option<String>,
    },
    /// Steady-state availability and annual expected downtime of every node.
    Availability {
        #[command(flatten)]
        model: ModelArgs,
        /// Monte Carlo iterations where components are shared.
        #[arg(long, default_value_t = 10_000)]
        iterations: u32,
        /// Monte Carlo seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Recovery schedule: when each node is back, restore waves by team, RTO and MTD per function.
    Schedule {
        #[command(flatten)]
        model: ModelArgs,
        /// What is lost, comma-separated or repeated: --lose boston-hq,acme-cloud.
        #[arg(long, required = true, value_delimiter = ',')]
        lose: Vec<String>,
        /// `text` (default) or a Mermaid `gantt` chart; --json prints the schedule as JSON.
        #[arg(long = "format", value_enum, default_value_t = ChartArg::Text)]
        output: ChartArg,
        /// What-if: schedule the same loss on this second model and show which functions'
        /// recovery moved (e.g. with a team's capacity raised or a redundancy group added).
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// Monte Carlo recovery simulation: P(meet RTO/MTD) and recovery-time percentiles.
    Simulate {
        #[command(flatten)]
        model: ModelArgs,
        /// What is lost, comma-separated or repeated.
        #[arg(long, required = true, value_delimiter = ',')]
        lose: Vec<String>,
        /// How many iterations.
        #[arg(long, default_value_t = 10_000)]
        iterations: u64,
        /// The seed: the same seed gives the same result on any number of threads.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// One worker's share: run only iterations START to END (END not included) of the
        /// simulation `--seed` gives, and print their tally (JSON) for `bcm merge-tallies`.
        #[arg(long, value_name = "START..END", value_parser = parse_range, conflicts_with = "iterations")]
        range: Option<(u64, u64)>,
    },
    /// Merge the tallies of disjoint iteration ranges (from `simulate --range`) into the result
    /// of the whole simulation: exactly what one run of all the iterations gives.
    MergeTallies {
        /// The tally files (`-` reads standard input).
        #[arg(required = true)]
        tallies: Vec<PathBuf>,
        /// Print the result as JSON (the `simulate` shape of DESIGN §5).
        #[arg(long, conflicts_with = "tally")]
        json: bool,
        /// Print the merged tally (JSON) instead, to merge again later.
        #[arg(long)]
        tally: bool,
    },
    /// Risk register: CRAMM-style measure, matrix cell, inherent and residual annual loss (closed
    /// form and simulated), VaR 95 and each control's return; then the portfolio.
    Risk {
        #[command(flatten)]
        model: ModelArgs,
        /// Simulated years.
        #[arg(long, default_value_t = 10_000)]
        iterations: u64,
        /// The seed: the same seed gives the same result on any number of threads.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// A likelihood x impact matrix (JSON or YAML: {likelihood: [...], impact: [...],
        /// bands: [{label, max_score}]}) instead of the default 5 x 5.
        #[arg(long, value_name = "FILE")]
        matrix: Option<PathBuf>,
        /// A CRAMM-style table (JSON or YAML, by threat level then vulnerability, 10 measures
        /// each) instead of the derived default.
        #[arg(long, value_name = "FILE")]
        cramm: Option<PathBuf>,
    },
    /// Plan currency: stale and overdue plans, BIAs due and people untrained, each with its
    /// trigger, policy clause and due date. Exit 1 when anything is due.
    Currency {
        #[command(flatten)]
        model: ModelArgs,
        /// The date to judge at (YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        at: Option<bcm_core::Date>,
    },
    /// Policy conformance, requirement by requirement: the Enterprise BCM Policy (ma-ebcm), the
    /// ITSCM KPIs (itscm) or a profile file of your own. Exit 1 when a requirement fails.
    Conformance {
        #[command(flatten)]
        model: ModelArgs,
        /// `ma-ebcm`, `itscm`, or a profile file (YAML or JSON, the format of the built-in ones).
        #[arg(long, default_value = "ma-ebcm")]
        profile: String,
        /// The date to judge at (YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        at: Option<bcm_core::Date>,
    },
    /// Print a built-in conformance profile: a start for one's own (`bcm profile ma-ebcm >
    /// mine.yaml`, change `min_km` or a target, then `bcm conformance FILE --profile mine.yaml`).
    Profile {
        /// `ma-ebcm` or `itscm`.
        name: String,
    },
    /// Control maturity of SCF BCD-12.2 (C|P-CMM level, capped at 3): each criterion met by the
    /// assessor's declaration or by what the model shows. Exit 1 when a criterion is not met.
    Maturity {
        #[command(flatten)]
        model: ModelArgs,
        /// The date to assess at (YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        at: Option<bcm_core::Date>,
        /// The share of a level's criteria that must be met ("all, or at least most").
        #[arg(long, default_value_t = bcm_core::maturity::DEFAULT_THRESHOLD)]
        threshold: f64,
    },
    /// The report: where the organization stands (summary), then every analysis A-K with its
    /// tables and charts. HTML (self-contained, prints well), Markdown, JSON, or CSV tables.
    Report {
        /// The model file (`-` reads standard input).
        file: PathBuf,
        /// `html` (default), `md`, `json`, or `csv` (one file per table, into the -o directory).
        #[arg(long, value_enum, default_value_t = ReportFormatArg::Html)]
        format: ReportFormatArg,
        /// Where to write it (default: standard output; a directory for csv).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The date to judge plan currency, conformance and maturity at (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        at: Option<bcm_core::Date>,
        /// The scenario of the recovery sections (default: the site whose loss breaks the most
        /// RTOs), comma-separated or repeated.
        #[arg(long, value_delimiter = ',')]
        lose: Vec<String>,
        /// Leave out contacts' names, phones and e-mail addresses everywhere.
        #[arg(long)]
        redact: bool,
        /// Iterations of the recovery simulation.
        #[arg(long, default_value_t = bcm_core::report::DEFAULT_ITERATIONS)]
        iterations: u64,
        /// Simulated years of the risk analysis.
        #[arg(long, default_value_t = bcm_core::report::DEFAULT_YEARS)]
        years: u64,
        /// The seed of both simulations.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The conformance profile: `ma-ebcm` or `itscm`.
        #[arg(long, default_value = "ma-ebcm")]
        profile: String,
        /// The file's format, when its extension does not say.
        #[arg(long = "input-format", value_enum)]
        input_format: Option<FormatArg>,
    },
    /// The dependency graph as Graphviz DOT or Mermaid: kinds as shapes, single points of
    /// failure with a red border, functions that miss their RTO in the scenario filled red.
    Graph {
        /// The model file (`-` reads standard input).
        file: PathBuf,
        /// `dot` (for `dot -Tsvg`) or `mermaid`.
        #[arg(long, value_enum)]
        format: GraphFormatArg,
        /// Only this function and what it depends on.
        #[arg(long)]
        function: Option<String>,
        /// The scenario whose RTO misses are marked (default: the worst site loss).
        #[arg(long, value_delimiter = ',')]
        lose: Vec<String>,
        /// The file's format, when its extension does not say.
        #[arg(long = "input-format", value_enum)]
        input_format: Option<FormatArg>,
    },
    /// Write a seeded, enterprise-shaped model (DESIGN §7) as JSON.
    Generate {
        /// Which size.
        #[arg(value_enum)]
        size: SizeArg,
        /// The seed: the same seed gives the same model.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write it (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// The model file and output options every analysis takes.
#[derive(Debug, Args)]
struct ModelArgs {
    /// The model file (`-` reads standard input).
    file: PathBuf,
    /// Print the result as JSON (the shapes of DESIGN §5).
    #[arg(long)]
    json: bool,
    /// The file's format, when its extension does not say (`--format` is the output's).
    #[arg(long = "input-format", value_enum)]
    format: Option<FormatArg>,
}

/// `START..END` of `simulate --range`.
fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let (start, end) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}' is not a range START..END (e.g. 0..5000)"))?;
    let number = |part: &str| {
        part.parse::<u64>()
            .map_err(|e| format!("'{part}' in '{text}' is not an iteration number: {e}"))
    };
    Ok((number(start)?, number(end)?))
}

fn parse_date(text: &str) -> Result<bcm_core::Date, String> {
    text.parse()
        .map_err(|e: bcm_core::model::DateError| e.to_string())
}

fn risk(
    model: &ModelArgs,
    iterations: u64,
    seed: u64,
    matrix: Option<&Path>,
    cramm: Option<&Path>,
) -> Result<ExitCode, UsageError> {
    let mut params = bcm_core::risk::RiskParams::new(iterations, seed);
    if let Some(path) = matrix {
        let value = read_data(path)?;
        params.matrix = Some(
            serde_json::from_value(value)
                .map_err(|e| UsageError(format!("{}: not a risk matrix: {e}", path.display())))?,
        );
    }
    if let Some(path) = cramm {
        params.cramm = Some(read_data(path)?);
    }
    analyse(model, |m| {
        let r = m.risk(&params).map_err(|e| UsageError(e.to_string()))?;
        Ok((json_of(&r)?, report::risk(&r)))
    })
}

/// A small data file (YAML or JSON) as a JSON value.
fn read_data(path: &Path) -> Result<serde_json::Value, UsageError> {
    let text = std::fs::File::open(path)
        .map_err(ReadError::from)
        .and_then(bcm_core::model::read_text)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    bcm_core::model::data_value(&text).map_err(|e| UsageError(format!("{}: {e}", path.display())))
}

/// A built-in profile by name, else a profile file.
fn read_profile(name: &str) -> Result<bcm_core::governance::profile::Profile, UsageError> {
    use bcm_core::governance::profile::{BUILT_IN, Profile};
    if let Some(profile) = Profile::built_in(name) {
        return Ok(profile);
    }
    let path = Path::new(name);
    if !path.exists() {
        return Err(UsageError(format!(
            "--profile {name}: neither a built-in profile ({}) nor a file",
            BUILT_IN.join(", ")
        )));
    }
    let text = std::fs::File::open(path)
        .map_err(ReadError::from)
        .and_then(bcm_core::model::read_text)
        .map_err(|e| UsageError(format!("cannot read {name}: {e}")))?;
    Profile::from_yaml_str(&text).map_err(|e| UsageError(format!("{name}: {e}")))
}

/// The date asked for, else today (and whether it is today, which the output says).
fn at_or_today(at: Option<bcm_core::Date>) -> (bcm_core::Date, bool) {
    match at {
        Some(at) => (at, false),
        None => (today(), true),
    }
}

/// Today's date in UTC: the default date of judgement (the core never reads the clock).
fn today() -> bcm_core::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    bcm_core::Date::Day(
        epoch
            .checked_add_days(chrono::Days::new(secs / 86_400))
            .unwrap_or(epoch),
    )
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    text.parse()
        .map_err(|e: bcm_core::model::DurationError| e.to_string())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ChartArg {
    /// A table for people.
    Text,
    /// A Mermaid `gantt` chart: restores in lanes per team, functions with RTO milestones.
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormatArg {
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Md,
    /// The report's data as JSON.
    Json,
    /// Every table as a CSV file, into the -o directory.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormatArg {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SizeArg {
    /// 50 functions, 500 assets.
    Small,
    /// 2,000 functions, 50,000 assets, ~400,000 edges.
    Large,
    /// Four times large: 8,000 functions, 200,000 assets (the scaling table).
    Xlarge,
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file, json, format } => validate(&file, json, format),
        Command::Generate { size, seed, output } => generate(size, seed, output.as_deref()),
        Command::Report {
            file,
            format,
            output,
            at,
            lose,
            redact,
            iterations,
            years,
            seed,
            profile,
            input_format,
        } => {
            let (at, told) = at_or_today(at);
            let params = bcm_core::report::ReportParams {
                at: Some(at),
                lose,
                iterations,
                years,
                seed,
                profile,
                redact_personal: redact,
            };
            report_command(
                &file,
                input_format,
                &params,
                format,
                output.as_deref(),
                told,
            )
        }
        Command::Graph {
            file,
            format,
            function,
            lose,
            input_format,
        } => {
            let args = ModelArgs {
                file,
                json: false,
                format: input_format,
            };
            let format = match format {
                GraphFormatArg::Dot => bcm_core::report::GraphFormat::Dot,
                GraphFormatArg::Mermaid => bcm_core::report::GraphFormat::Mermaid,
            };
            let params = bcm_core::report::GraphParams {
                format,
                function,
                lose,
            };
            analyse(&args, |m| {
                let text = bcm_core::report::export_graph(m, &params)
                    .map_err(|e| UsageError(e.to_string()))?;
                Ok((text.clone(), text))
            })
        }
        Command::Objectives(args) => analyse(&args, |m| {
            let r = m.objectives(&Default::default());
            Ok((json_of(&r)?, report::objectives(&r)))
        }),
        Command::Impact { model, lose, at } => analyse(&model, |m| {
            let params = bcm_core::impact::ImpactParams {
                lose: lose.clone(),
                at,
            };
            let r = m.impact(&params).map_err(|e| UsageError(e.to_string()))?;
            Ok((
                json_of(&r)?,
                report::impact(&r, &params, &m.model().organization),
            ))
        }),
        Command::Spof {
            model,
            pairs: Some(function),
            ..
        } => analyse(&model, |m| {
            let r = m
                .cut_pairs(&function)
                .map_err(|e| UsageError(e.to_string()))?;
            Ok((json_of(&r)?, report::cut_pairs(&r)))
        }),
        Command::Spof { model, top, .. } => {
            let json = model.json;
            analyse(&model, |m| {
                let r = m.spof(&Default::default());
                if json {
                    // Streamed: the full lists of a large estate run to a gigabyte of JSON.
                    stream_json(&r)?;
                    return Ok((String::new(), String::new()));
                }
                Ok((String::new(), report::spof(&r, top)))
            })
        }
        Command::Availability {
            model,
            iterations,
            seed,
        } => analyse(&model, |m| {
            let params = bcm_core::availability::AvailabilityParams { iterations, seed };
            let r = m
                .availability(&params)
                .map_err(|e| UsageError(e.to_string()))?;
            Ok((json_of(&r)?, report::availability(&r)))
        }),
        Command::Schedule {
            model,
            lose,
            output,
            against,
        } => schedule(&model, lose, output, against.as_deref()),
        Command::Simulate {
            model,
            lose,
            iterations,
            seed,
            range,
        } => analyse(&model, |m| {
            let params = bcm_core::simulate::SimulateParams {
                lose,
                iterations,
                seed,
            };
            if let Some((start, end)) = range {
                // A tally is for `merge-tallies`, not for people: JSON either way.
                let t = m
                    .simulate_range(&params, start..end)
                    .map_err(|e| UsageError(e.to_string()))?;
                let text = json_of(&t)?;
                return Ok((text.clone(), text));
            }
            let r = m.simulate(&params).map_err(|e| UsageError(e.to_string()))?;
            let scenario = format!("losing {}", params.lose.join(", "));
            Ok((json_of(&r)?, report::simulation(&r, &scenario)))
        }),
        Command::MergeTallies {
            tallies,
            json,
            tally,
        } => merge_tallies(&tallies, json, tally),
        Command::Risk {
            model,
            iterations,
            seed,
            matrix,
            cramm,
        } => risk(
            &model,
            iterations,
            seed,
            matrix.as_deref(),
            cramm.as_deref(),
        ),
        Command::Profile { name } => match bcm_core::governance::profile::built_in_text(&name) {
            Some(text) => {
                print!("{text}");
                Ok(ExitCode::SUCCESS)
            }
            None => Err(UsageError(format!(
                "there is no built-in profile '{name}' (ma-ebcm, itscm)"
            ))),
        },
        Command::Conformance { model, profile, at } => {
            let (at, told) = at_or_today(at);
            match read_profile(&profile) {
                Err(e) => Err(e),
                Ok(profile) => judge(&model, |m| {
                    let r = m.conformance_to(&profile, at);
                    Ok((json_of(&r)?, report::conformance(&r, told), !r.conforms()))
                }),
            }
        }
        Command::Maturity {
            model,
            at,
            threshold,
        } => {
            let (at, told) = at_or_today(at);
            judge(&model, |m| {
                let mut params = bcm_core::maturity::MaturityParams::at(at);
                params.threshold = Some(threshold);
                let r = m.maturity(&params).map_err(|e| UsageError(e.to_string()))?;
                let unmet = r.criteria.iter().any(|c| !c.met);
                Ok((json_of(&r)?, report::maturity(&r, told), unmet))
            })
        }
        Command::Currency { model, at } => {
            let (at, told) = at_or_today(at);
            judge(&model, |m| {
                let params = bcm_core::currency::CurrencyParams::at(at);
                let r = m.currency(&params).map_err(|e| UsageError(e.to_string()))?;
                Ok((json_of(&r)?, report::currency(&r, told), !r.is_current()))
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("bcm: {message}");
            ExitCode::from(2)
        }
    }
}

fn schedule(
    model: &ModelArgs,
    lose: Vec<String>,
    output: ChartArg,
    against: Option<&Path>,
) -> Result<ExitCode, UsageError> {
    let params = bcm_core::schedule::ScheduleParams { lose };
    if against.is_some() && output == ChartArg::Mermaid {
        // It used to be ignored silently, printing the comparison table instead.
        return Err(UsageError(
            "--format mermaid draws one schedule; --against compares two (choose one)".to_owned(),
        ));
    }
    let other = match against {
        Some(path) => Some((path, load_other(path, model.format)?)),
        None => None,
    };
    analyse(model, |m| {
        let s = m.schedule(&params).map_err(|e| UsageError(e.to_string()))?;
        if let Some((path, other)) = &other {
            let t = bcm_core::schedule::schedule(other, &params)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
            let c = bcm_core::schedule::compare(&s, &t);
            return Ok((json_of(&c)?, report::comparison(&c, &params.lose)));
        }
        let human = match output {
            ChartArg::Text => report::schedule(&s, &params.lose),
            ChartArg::Mermaid => m
                .gantt(&s)
                .to_mermaid(&format!("Recovery after losing {}", params.lose.join(", "))),
        };
        Ok((json_of(&s)?, human))
    })
}

fn report_command(
    file: &Path,
    input_format: Option<FormatArg>,
    params: &bcm_core::report::ReportParams,
    format: ReportFormatArg,
    output: Option<&Path>,
    today: bool,
) -> Result<ExitCode, UsageError> {
    use bcm_core::report::{Format, render};
    if format == ReportFormatArg::Csv && output.is_none() {
        return Err(UsageError(
            "--format csv writes one file per table: name a directory with -o".to_owned(),
        ));
    }
    if let (true, Some(at)) = (today, params.at) {
        eprintln!("bcm: judged at {at} (today, UTC; --at sets the date)");
    }
    let args = ModelArgs {
        file: file.to_owned(),
        json: false,
        format: input_format,
    };
    let mut written = String::new();
    let code = judge_document(&args, |m, validation| {
        let report = bcm_core::report::build_with(m, params, validation.clone())
            .map_err(|e| UsageError(e.to_string()))?;
        let text = match format {
            ReportFormatArg::Html => render(&report, Format::Html),
            ReportFormatArg::Md => render(&report, Format::Markdown),
            ReportFormatArg::Json => render(&report, Format::Json),
            ReportFormatArg::Csv => {
                let dir = output.unwrap_or(Path::new("."));
                std::fs::create_dir_all(dir)
                    .map_err(|e| UsageError(format!("cannot create {}: {e}", dir.display())))?;
                let files = report.csv_files().map_err(|e| UsageError(e.to_string()))?;
                for (name, text) in &files {
                    let path = dir.join(name);
                    std::fs::write(&path, text)
                        .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
                }
                written = format!("{} CSV files in {}", files.len(), dir.display());
                return Ok((String::new(), String::new(), false));
            }
        }
        .map_err(|e| UsageError(e.to_string()))?;
        match output {
            Some(path) => {
                std::fs::write(path, &text)
                    .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
                written = format!("wrote {}", path.display());
                Ok((String::new(), String::new(), false))
            }
            None => Ok((text.clone(), text, false)),
        }
    });
    if !written.is_empty() {
        eprintln!("bcm: {written}");
    }
    code
}

fn merge_tallies(files: &[PathBuf], json: bool, tally: bool) -> Result<ExitCode, UsageError> {
    let mut merged: Option<SimulationTally> = None;
    for file in files {
        let text = read_file(file)?
            .map_err(|f| UsageError(format!("{}: {}", file.display(), f.message)))?;
        let next = SimulationTally::from_json_str(&text)
            .map_err(|e| UsageError(format!("{}: {e}", file.display())))?;
        match merged.as_mut() {
            None => merged = Some(next),
            Some(m) => m
                .merge(&next)
                .map_err(|e| UsageError(format!("{}: {e}", file.display())))?,
        }
    }
    let Some(merged) = merged else {
        return Err(UsageError("no tallies to merge".to_owned()));
    };
    let text = if tally {
        json_of(&merged)?
    } else {
        let r = merged.result();
        if json {
            json_of(&r)?
        } else {
            let scenario = format!(
                "merged from {} tall{}",
                files.len(),
                if files.len() == 1 { "y" } else { "ies" }
            );
            report::simulation(&r, &scenario)
        }
    };
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| UsageError(format!("cannot write the result: {e}")))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the second model of a what-if; it must load, but may have findings (they are the
/// user's to check with `bcm validate`).
fn load_other(path: &Path, format: Option<FormatArg>) -> Result<Model, UsageError> {
    let text = read_file(path)?.map_err(|f| UsageError(format!("{}: {f}", path.display())))?;
    bcm_core::load_document(&text, format_of(format, path, &text))
        .model
        .ok_or_else(|| {
            UsageError(format!(
                "{}: not a model (run bcm validate)",
                path.display()
            ))
        })
}

/// Reads the model file as text (with the core's one limit). Bytes that are not UTF-8, or too
/// many of them, are a problem of the document (a finding), not of the command.
fn read_file(file: &Path) -> Result<Result<String, Finding>, UsageError> {
    let read = if file == Path::new("-") {
        bcm_core::model::read_text(std::io::stdin().lock())
    } else {
        std::fs::File::open(file)
            .map_err(ReadError::from)
            .and_then(bcm_core::model::read_text)
    };
    match read {
        Ok(text) => Ok(Ok(text)),
        Err(ReadError::Document(finding)) => Ok(Err(*finding)),
        Err(e) => Err(UsageError(format!("cannot read {}: {e}", file.display()))),
    }
}

fn validate(file: &Path, json: bool, format: Option<FormatArg>) -> Result<ExitCode, UsageError> {
    let validation = match read_file(file)? {
        Ok(text) => read_document(&text, format_of(format, file, &text)).validation,
        Err(finding) => Validation {
            findings: vec![finding],
        },
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_string_pretty(&validation)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write_human(&mut out, file, &validation)
    };
    match written {
        // A reader that stopped early (`bcm validate m.yaml | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| UsageError(format!("cannot write the result: {e}")))?,
    }
    Ok(if validation.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The format asked for, else the one the file's extension or text says.
fn format_of(asked: Option<FormatArg>, file: &Path, text: &str) -> Format {
    match asked {
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Yaml) => Format::Yaml,
        None => Format::detect(file.to_str(), text),
    }
}

/// Writes `value` as pretty JSON straight to standard output (a result too large to hold as
/// text), then a newline.
fn stream_json<T: serde::Serialize>(value: &T) -> Result<(), UsageError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| UsageError(format!("cannot write the result: {e}"))),
    }
}

fn json_of<T: serde::Serialize>(value: &T) -> Result<String, UsageError> {
    serde_json::to_string_pretty(value)
        .map_err(|e| UsageError(format!("cannot write the result: {e}")))
}

/// Loads the model and runs `run` on it, printing its JSON or human text. Exit 1 when the model
/// has errors (the result is still printed when the model could be built), 2 on usage errors.
fn analyse(
    args: &ModelArgs,
    run: impl FnOnce(&Analyzer<'_>) -> Result<(String, String), UsageError>,
) -> Result<ExitCode, UsageError> {
    judge(args, |m| run(m).map(|(json, human)| (json, human, false)))
}

/// As [`analyse`], for a judgement: `run` also says whether something fails, which exits 1.
fn judge(
    args: &ModelArgs,
    run: impl FnOnce(&Analyzer<'_>) -> Result<(String, String, bool), UsageError>,
) -> Result<ExitCode, UsageError> {
    judge_document(args, |m, _| run(m))
}

/// Runs `work` with a progress bar on standard error when it is a terminal and the output is
/// not `--json`: the bar shows the analyzer's current stage (a simulation, the site losses of a
/// report) once work has gone on for half a second, and is cleared at the end.
fn with_progress_bar<R>(analyzer: &Analyzer<'_>, json: bool, work: impl FnOnce() -> R) -> R {
    use std::io::IsTerminal;
    if json || !std::io::stderr().is_terminal() {
        return work();
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>20} [{bar:30}] {percent:>3}% {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress = analyzer.progress().clone();
    let started = std::time::Instant::now();
    let shown = bar.clone();
    let poll: bcm_core::threads::Poll = std::rc::Rc::new(move || {
        let (stage, done, total) = progress.get();
        if started.elapsed() >= std::time::Duration::from_millis(500) && total > 0 {
            if shown.length() != Some(total) || shown.message() != stage {
                shown.set_length(total);
                shown.set_message(stage);
            }
            shown.set_position(done);
        }
        false
    });
    let result = bcm_core::threads::polling(poll, work);
    bar.finish_and_clear();
    result
}

/// As [`judge`], with the validation of the whole document (what could not be read into the
/// model included) handed to `run` as well.
fn judge_document(
    args: &ModelArgs,
    run: impl FnOnce(&Analyzer<'_>, &Validation) -> Result<(String, String, bool), UsageError>,
) -> Result<ExitCode, UsageError> {
    let text = match read_file(&args.file)? {
        Ok(text) => text,
        Err(finding) => {
            eprintln!("{finding}");
            return Ok(ExitCode::from(1));
        }
    };
    // One parse: the analyses run on the analyzer validation built (and share its graph).
    let document = read_document(&text, format_of(args.format, &args.file, &text));
    let validation = document.validation;
    let Some(model) = document.analyzer else {
        for finding in validation.errors() {
            eprintln!("{finding}");
        }
        eprintln!("{}: not a model; nothing to analyse", args.file.display());
        return Ok(ExitCode::from(1));
    };
    let (json, human, fails) = with_progress_bar(&model, args.json, || run(&model, &validation))?;
    let mut out = std::io::stdout().lock();
    let text = if args.json { json } else { human };
    // A command that wrote its result to a file prints nothing here.
    let written = if text.is_empty() {
        Ok(())
    } else {
        writeln!(out, "{text}")
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| UsageError(format!("cannot write the result: {e}")))?,
    }
    let errors = validation.errors().count();
    if errors > 0 {
        eprintln!(
            "{}: the model has {errors} error{}; results leave out what they break (run bcm validate)",
            args.file.display(),
            if errors == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_human(out: &mut impl Write, file: &Path, validation: &Validation) -> std::io::Result<()> {
    for finding in &validation.findings {
        writeln!(out, "{finding}")?;
    }
    let errors = validation.errors().count();
    let warnings = validation.warnings().count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let verdict = if errors == 0 { "valid" } else { "invalid" };
    writeln!(
        out,
        "{}: {verdict}, {errors} error{}, {warnings} warning{}",
        file.display(),
        plural(errors),
        plural(warnings)
    )
}

fn generate(size: SizeArg, seed: u64, output: Option<&Path>) -> Result<ExitCode, UsageError> {
    let shape = match size {
        SizeArg::Small => bcm_core::generate::Shape::small(),
        SizeArg::Large => bcm_core::generate::Shape::large(),
        SizeArg::Xlarge => bcm_core::generate::Shape::xlarge(),
    };
    let model = bcm_core::generate::generate(&shape, seed);
    let text = model
        .to_json()
        .map_err(|e| UsageError(format!("cannot write the model: {e}")))?;
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => match writeln!(std::io::stdout().lock(), "{text}") {
            // A reader that stopped early (`bcm generate small | head -c 10`) is not an error
            // of ours: exit quietly, as Unix tools do.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.map_err(|e| UsageError(format!("cannot write the model: {e}")))?,
        },
    }
    Ok(ExitCode::SUCCESS)
}
