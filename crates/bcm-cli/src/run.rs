//! Running a command on a model file: reading it (one limit, findings for bytes that are no
//! document), analysing it, writing the result (text, JSON, or JSON streamed), progress on a
//! terminal, and the exit codes.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use bcm_core::model::ReadError;
use bcm_core::{Analyzer, Finding, Format, Model, Validation, read_document};

use crate::args::{FormatArg, ModelArgs};

/// A small data file (YAML or JSON) as a JSON value.
pub(crate) fn read_data(path: &Path) -> Result<serde_json::Value, UsageError> {
    let text = std::fs::File::open(path)
        .map_err(ReadError::from)
        .and_then(bcm_core::model::read_text)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    bcm_core::model::data_value(&text).map_err(|e| UsageError(format!("{}: {e}", path.display())))
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

/// Loads the second model of a what-if; it must load, but may have findings (they are the
/// user's to check with `bcm validate`).
pub(crate) fn load_other(path: &Path, format: Option<FormatArg>) -> Result<Model, UsageError> {
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
pub(crate) fn read_file(file: &Path) -> Result<Result<String, Finding>, UsageError> {
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

/// The format asked for, else the one the file's extension or text says.
pub(crate) fn format_of(asked: Option<FormatArg>, file: &Path, text: &str) -> Format {
    match asked {
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Yaml) => Format::Yaml,
        None => Format::detect(file.to_str(), text),
    }
}

/// Writes `value` as pretty JSON straight to standard output (a result too large to hold as
/// text), then a newline.
pub(crate) fn stream_json<T: serde::Serialize>(value: &T) -> Result<(), UsageError> {
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

pub(crate) fn json_of<T: serde::Serialize>(value: &T) -> Result<String, UsageError> {
    serde_json::to_string_pretty(value)
        .map_err(|e| UsageError(format!("cannot write the result: {e}")))
}

/// Loads the model and runs `run` on it, printing its JSON or human text. Exit 1 when the model
/// has errors (the result is still printed when the model could be built), 2 on usage errors.
pub(crate) fn analyse(
    args: &ModelArgs,
    run: impl FnOnce(&Analyzer<'_>) -> Result<(String, String), UsageError>,
) -> Result<ExitCode, UsageError> {
    judge(args, |m| run(m).map(|(json, human)| (json, human, false)))
}

/// As [`analyse`], for a judgement: `run` also says whether something fails, which exits 1.
pub(crate) fn judge(
    args: &ModelArgs,
    run: impl FnOnce(&Analyzer<'_>) -> Result<(String, String, bool), UsageError>,
) -> Result<ExitCode, UsageError> {
    judge_document(args, |m, _| run(m))
}

/// Runs `work` with a progress bar on standard error when it is a terminal and the output is
/// not `--json`: the bar shows the analyzer's current stage (a simulation, the site losses of a
/// report) once work has gone on for half a second, and is cleared at the end.
pub(crate) fn with_progress_bar<R>(
    analyzer: &Analyzer<'_>,
    json: bool,
    work: impl FnOnce() -> R,
) -> R {
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
pub(crate) fn judge_document(
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

pub(crate) fn write_human(
    out: &mut impl Write,
    file: &Path,
    validation: &Validation,
) -> std::io::Result<()> {
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
