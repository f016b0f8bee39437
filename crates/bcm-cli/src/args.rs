//! The command line: subcommands, their arguments and the parsers of their values.

use std::path::PathBuf;

use bcm_core::Duration;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Business continuity management: validate and analyse continuity models.
#[derive(Debug, Parser)]
#[command(name = "bcm", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// Export for GRC tools: OSCAL assessment results or POA&M (JSON, OSCAL 1.1.3) of the
    /// conformance, maturity and gap findings, or the DORA register template B_06.01 (CSV).
    Export {
        /// The model file (`-` reads standard input).
        file: PathBuf,
        /// `oscal-ar`, `oscal-poam` or `dora-b0601`.
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Where to write it (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The date the OSCAL findings are judged at (YYYY-MM-DD; default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        at: Option<bcm_core::Date>,
        /// The conformance profile of the OSCAL findings: `ma-ebcm`, `itscm` or a profile file.
        #[arg(long, default_value = "ma-ebcm")]
        profile: String,
        /// The file's format, when its extension does not say.
        #[arg(long = "input-format", value_enum)]
        input_format: Option<FormatArg>,
    },
    /// Import a model from another tool's export.
    #[command(subcommand)]
    Import(ImportCommand),
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

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// A CMDB export (ServiceNow `cmdb_ci` and `cmdb_rel_ci` as CSV) into a model. Every row
    /// that cannot be mapped is listed on standard error with its line and why (exit 1), and the
    /// model's validation errors too.
    Cmdb {
        /// The CI table (sys_id, name, sys_class_name, location, vendor, ...).
        cis: PathBuf,
        /// The relationship table (parent, type, child).
        relations: PathBuf,
        /// A map laid over the built-in one: columns, CI classes → kinds, relationship types →
        /// dependency or group membership (`bcm import cmdb-map` prints the built-in map).
        #[arg(long, value_name = "MAP.yaml")]
        map: Option<PathBuf>,
        /// Where to write the model (default: standard output); JSON if it ends in .json.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The model's format (default: YAML, or JSON for an -o ending in .json).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
    /// Print the built-in CMDB map: a start for one's own.
    CmdbMap,
}

/// The model file and output options every analysis takes.
#[derive(Debug, Args)]
pub(crate) struct ModelArgs {
    /// The model file (`-` reads standard input).
    pub(crate) file: PathBuf,
    /// Print the result as JSON (the shapes of DESIGN §5).
    #[arg(long)]
    pub(crate) json: bool,
    /// The file's format, when its extension does not say (`--format` is the output's).
    #[arg(long = "input-format", value_enum)]
    pub(crate) format: Option<FormatArg>,
}

/// `START..END` of `simulate --range`.
pub(crate) fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let (start, end) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}' is not a range START..END (e.g. 0..5000)"))?;
    let number = |part: &str| {
        part.parse::<u64>()
            .map_err(|e| format!("'{part}' in '{text}' is not an iteration number: {e}"))
    };
    Ok((number(start)?, number(end)?))
}

pub(crate) fn parse_date(text: &str) -> Result<bcm_core::Date, String> {
    text.parse()
        .map_err(|e: bcm_core::model::DateError| e.to_string())
}

pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    text.parse()
        .map_err(|e: bcm_core::model::DurationError| e.to_string())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ChartArg {
    /// A table for people.
    Text,
    /// A Mermaid `gantt` chart: restores in lanes per team, functions with RTO milestones.
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormatArg {
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
pub(crate) enum ExportFormatArg {
    /// OSCAL assessment results (JSON).
    OscalAr,
    /// OSCAL plan of action and milestones (JSON).
    OscalPoam,
    /// DORA Register of Information, template B_06.01 (xBRL-CSV).
    #[value(name = "dora-b0601")]
    DoraB0601,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormatArg {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SizeArg {
    /// 50 functions, 500 assets.
    Small,
    /// 2,000 functions, 50,000 assets, ~400,000 edges.
    Large,
    /// Four times large: 8,000 functions, 200,000 assets (the scaling table).
    Xlarge,
}
