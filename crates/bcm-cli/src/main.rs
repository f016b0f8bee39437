//! `bcm`: the command-line tool. Thin: arguments, files and exit codes; every computation is in
//! bcm-core.
//!
//! Exit codes: 0 ok (warnings allowed), 1 the model has errors, 2 usage or I/O error.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bcm_core::model::MAX_DOCUMENT_BYTES;
use bcm_core::{Code, Finding, Format, Validation, validate_document};
use clap::{Parser, Subcommand, ValueEnum};

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
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SizeArg {
    /// 50 functions, 500 assets.
    Small,
    /// 2,000 functions, 50,000 assets, ~400,000 edges.
    Large,
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file, json, format } => validate(&file, json, format),
        Command::Generate { size, seed, output } => generate(size, seed, output.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("bcm: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads the model file as text. Bytes that are not UTF-8, or too many of them, are a problem of
/// the document (a finding), not of the command.
fn read_document(file: &Path) -> Result<Result<String, Finding>, UsageError> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_DOCUMENT_BYTES).unwrap_or(u64::MAX) + 1;
    let read = if file == Path::new("-") {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        let message = format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes");
        return Ok(Err(Finding::new(Code::Limit, "", message)));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Finding::new(
            Code::Parse,
            "",
            format!("the document is not UTF-8 text (bad byte at offset {at})"),
        )
    }))
}

fn validate(file: &Path, json: bool, format: Option<FormatArg>) -> Result<ExitCode, UsageError> {
    let validation = match read_document(file)? {
        Ok(text) => {
            let format = match format {
                Some(FormatArg::Json) => Format::Json,
                Some(FormatArg::Yaml) => Format::Yaml,
                None => Format::detect(file.to_str(), &text),
            };
            validate_document(&text, format)
        }
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
    };
    let model = bcm_core::generate::generate(&shape, seed);
    let text = model
        .to_json()
        .map_err(|e| UsageError(format!("cannot write the model: {e}")))?;
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => writeln!(std::io::stdout().lock(), "{text}")
            .map_err(|e| UsageError(format!("cannot write the model: {e}")))?,
    }
    Ok(ExitCode::SUCCESS)
}
