//! `bcm`: the command-line tool. Thin: arguments, files and exit codes; every computation is in
//! bcm-core.
//!
//! Exit codes: 0 ok (warnings allowed), 1 the model has errors or a judgement finds something
//! wanting (currency: something due; maturity: a criterion not met), 2 usage or I/O error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;
mod report;
mod run;

use args::{
    ChartArg, Cli, Command, ExportFormatArg, FormatArg, GraphFormatArg, ImportCommand, ModelArgs,
    ReportFormatArg, SizeArg,
};
use bcm_core::model::ReadError;
use bcm_core::simulate::SimulationTally;
use bcm_core::{Validation, read_document};
use clap::Parser;
use run::{
    UsageError, analyse, format_of, json_of, judge, judge_document, load_other, read_data,
    read_file, stream_json, write_human,
};

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
        Command::Export {
            file,
            format,
            output,
            at,
            profile,
            input_format,
        } => export(&file, input_format, format, output.as_deref(), at, &profile),
        Command::Import(ImportCommand::Cmdb {
            cis,
            relations,
            map,
            output,
            format,
        }) => import_cmdb(&cis, &relations, map.as_deref(), output.as_deref(), format),
        Command::Import(ImportCommand::CmdbMap) => {
            print!("{}", bcm_core::interchange::cmdb::map::SERVICENOW);
            Ok(ExitCode::SUCCESS)
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

fn export(
    file: &Path,
    input_format: Option<FormatArg>,
    format: ExportFormatArg,
    output: Option<&Path>,
    at: Option<bcm_core::Date>,
    profile: &str,
) -> Result<ExitCode, UsageError> {
    use bcm_core::interchange::{ExportFormat, ExportParams};
    let format = match format {
        ExportFormatArg::OscalAr => ExportFormat::OscalAr,
        ExportFormatArg::OscalPoam => ExportFormat::OscalPoam,
        ExportFormatArg::DoraB0601 => ExportFormat::DoraB0601,
    };
    let mut params = ExportParams::new(format, None);
    if format != ExportFormat::DoraB0601 {
        let (at, today) = at_or_today(at);
        if today {
            eprintln!("bcm: judged at {at} (today, UTC; --at sets the date)");
        }
        params.at = Some(at);
        // Read here, so that a bad profile file is named before the model is read.
        read_profile(profile)?;
        params.profile = Some(
            if bcm_core::governance::profile::Profile::built_in(profile).is_some() {
                bcm_core::conformance::ProfileChoice::BuiltIn(profile.to_owned())
            } else {
                bcm_core::conformance::ProfileChoice::Given(read_data(Path::new(profile))?)
            },
        );
    }
    let args = ModelArgs {
        file: file.to_owned(),
        json: false,
        format: input_format,
    };
    judge_document(&args, |m, _| {
        let export = m.export(&params).map_err(|e| UsageError(e.to_string()))?;
        for note in &export.notes {
            eprintln!("bcm: note: {note}");
        }
        match output {
            Some(path) => {
                std::fs::write(path, &export.content)
                    .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
                eprintln!("bcm: wrote {}", path.display());
                Ok((String::new(), String::new(), false))
            }
            None => {
                let text = export.content.trim_end().to_owned();
                Ok((text.clone(), text, false))
            }
        }
    })
}

fn import_cmdb(
    cis: &Path,
    relations: &Path,
    map: Option<&Path>,
    output: Option<&Path>,
    format: Option<FormatArg>,
) -> Result<ExitCode, UsageError> {
    use bcm_core::interchange::cmdb::{CmdbMap, import};
    let read = |path: &Path| {
        std::fs::File::open(path)
            .map_err(ReadError::from)
            .and_then(bcm_core::model::read_text)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))
    };
    let map = match map {
        None => CmdbMap::servicenow(),
        Some(path) => CmdbMap::from_yaml_str(&read(path)?)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?,
    };
    let imported =
        import(&read(cis)?, &read(relations)?, &map).map_err(|e| UsageError(e.to_string()))?;
    for row in &imported.unmapped {
        let file = if row.table == "cis" { cis } else { relations };
        eprintln!(
            "{}:{}: not imported ({}): {}",
            file.display(),
            row.line,
            row.key,
            row.reason
        );
    }
    let validation = imported.model.validate();
    for finding in validation.errors() {
        eprintln!("{finding}");
    }
    let json = match format {
        Some(FormatArg::Json) => true,
        Some(FormatArg::Yaml) => false,
        None => output.is_some_and(|p| p.extension().is_some_and(|e| e == "json")),
    };
    let text = if json {
        imported.model.to_json_pretty()
    } else {
        imported.model.to_yaml()
    }
    .map_err(|e| UsageError(format!("cannot write the model: {e}")))?;
    match output {
        Some(path) => std::fs::write(path, &text)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => {
            let mut out = std::io::stdout().lock();
            let written = write!(out, "{text}").and_then(|()| {
                if text.ends_with('\n') {
                    Ok(())
                } else {
                    writeln!(out)
                }
            });
            match written {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.map_err(|e| UsageError(format!("cannot write the model: {e}")))?,
            }
        }
    }
    let m = &imported.model;
    eprintln!(
        "bcm: imported {} function(s), {} asset(s), {} site(s), {} vendor(s); {} row(s) not imported; \
         the model has {} error(s)",
        m.functions.len(),
        m.assets.len(),
        m.sites.len(),
        m.vendors.len(),
        imported.unmapped.len(),
        validation.errors().count()
    );
    Ok(if imported.unmapped.is_empty() && validation.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
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
