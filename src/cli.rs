//! The command-line interface that README.md describes under "The command line": `run`, `check`
//! and `test` (`cli/tasks.rs`). The binary only collects arguments and writes what this module
//! returns, so the whole CLI is testable in-process.

use serde_json::{json, Value};

use crate::budget;
use crate::duration::{parse_duration, Millis};
use crate::sim::Simulation;

mod tasks;

/// What a CLI invocation printed and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// The exit code when a playground limit (`crate::budget`, docs/budgets.md) refuses the file or
/// the run: the file is valid Kubernetes, or the run well-formed, but larger than the playground
/// simulates. 1 stays for invalid files and failed commands, 2 for usage errors.
pub const LIMIT_EXIT: i32 = 3;

const USAGE: &str = "usage:\n  probe-playground run FILE [--until DURATION] [--json] [--print COMMAND]...\n  probe-playground check FILE\n  probe-playground test FILE [--until DURATION]\n  probe-playground advise FILE --pod POD [--container NAME] [--namespace NS] [--at DURATION] [--json]\n";

/// Runs the CLI with its arguments (without the program name). `read` loads a file by name.
pub fn main(args: &[String], read: &dyn Fn(&str) -> Result<String, String>) -> Outcome {
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..], read),
        Some("check") => check(&args[1..], read),
        Some("test") => tasks::test(&args[1..], read),
        Some("advise") => crate::advisor::command::run(&args[1..], read),
        Some("-h") | Some("--help") | Some("help") => {
            Outcome { stdout: USAGE.to_string(), ..Default::default() }
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
        None => usage_error("missing command"),
    }
}

pub(crate) fn usage_error(msg: &str) -> Outcome {
    Outcome { stderr: format!("probe-playground: {msg}\n{USAGE}"), code: 2, ..Default::default() }
}

pub(crate) fn load(
    file: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(Simulation, String), Outcome> {
    let text = read(file).map_err(|e| Outcome {
        stderr: format!("probe-playground: {file}: {e}\n"),
        code: 1,
        ..Default::default()
    })?;
    match Simulation::load(&text) {
        Ok(sim) => {
            let warnings = sim
                .warnings()
                .iter()
                .map(|w| {
                    format!(
                        "{file}:{}:{}: warning: {}{}\n",
                        w.line,
                        w.column,
                        if w.path.is_empty() { String::new() } else { format!("{}: ", w.path) },
                        w.message
                    )
                })
                .collect();
            Ok((sim, warnings))
        }
        Err(diags) => {
            let mut stderr = String::new();
            let errors: Vec<_> =
                diags.iter().filter(|d| d.severity == crate::manifest::Severity::Error).collect();
            for d in &errors {
                stderr.push_str(&format!("{file}:{d}\n"));
            }
            // A file that only a playground limit refuses is valid Kubernetes: its own exit code.
            let code =
                if errors.iter().all(|d| budget::is_limit_message(&d.message)) { LIMIT_EXIT } else { 1 };
            Err(Outcome { stderr, code, ..Default::default() })
        }
    }
}

fn check(args: &[String], read: &dyn Fn(&str) -> Result<String, String>) -> Outcome {
    let [file] = args else { return usage_error("check takes exactly one FILE") };
    match load(file, read) {
        Ok((_, warnings)) => Outcome { stderr: warnings, code: 0, ..Default::default() },
        Err(out) => out,
    }
}

fn run(args: &[String], read: &dyn Fn(&str) -> Result<String, String>) -> Outcome {
    let mut file = None;
    let mut until: Millis = 300_000;
    let mut until_text = String::new();
    let mut json_out = false;
    let mut prints = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize, name: &str| -> Result<String, Outcome> {
            if let Some(v) = a.strip_prefix(&format!("{name}=")) {
                return Ok(v.to_string());
            }
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match a {
            "--json" => json_out = true,
            _ if a == "--until" || a.starts_with("--until=") => match value(&mut i, "--until") {
                Ok(v) => match parse_duration(&v) {
                    Ok(d) => {
                        until = d;
                        until_text = v;
                    }
                    Err(e) => return usage_error(&e),
                },
                Err(o) => return o,
            },
            _ if a == "--print" || a.starts_with("--print=") => match value(&mut i, "--print") {
                Ok(v) => prints.push(v),
                Err(o) => return o,
            },
            _ if a.starts_with('-') && a.len() > 1 => return usage_error(&format!("unknown flag {a:?}")),
            _ if file.is_none() => file = Some(a.to_string()),
            _ => return usage_error(&format!("unexpected argument {a:?}")),
        }
        i += 1;
    }
    let Some(file) = file else { return usage_error("run needs a FILE") };
    if until > budget::SEEK_HORIZON {
        return Outcome {
            stderr: format!(
                "probe-playground: --until {}: beyond {} of {} (how far a run may go)\n",
                until_text,
                budget::LIMIT_WORDS,
                crate::duration::go_duration(budget::SEEK_HORIZON)
            ),
            code: LIMIT_EXIT,
            ..Default::default()
        };
    }
    let (mut sim, warnings) = match load(&file, read) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let mut out = Outcome { stderr: warnings, ..Default::default() };
    let mut timeline = Vec::new();
    if json_out {
        let mut t = 0;
        while t <= until {
            sim.run_until(t);
            timeline.push(serde_json::to_value(sim.snapshot()).unwrap_or(Value::Null));
            t += 1000;
        }
    }
    sim.run_until(until);
    let mut printed = Vec::new();
    for cmd in &prints {
        let r = sim.execute(cmd);
        if !r.ok {
            out.code = 1;
        }
        printed.push((cmd.clone(), r));
    }
    if json_out {
        let events: Vec<Value> = sim
            .event_log()
            .iter()
            .map(|o| {
                json!({
                    "t": seconds(o.at), "type": o.type_, "reason": o.reason, "object": o.object,
                    "namespace": o.namespace, "fieldPath": o.field_path, "message": o.message,
                })
            })
            .collect();
        let probes: Vec<Value> = sim
            .probe_log()
            .iter()
            .map(|p| {
                json!({
                    "t": seconds(p.at), "namespace": p.namespace(), "pod": p.pod(), "container": p.container(),
                    "probe": p.probe.as_str(), "result": p.result, "output": p.output.trim_end(),
                })
            })
            .collect();
        let mut doc =
            json!({ "until": seconds(until), "timeline": timeline, "events": events, "probes": probes });
        if !printed.is_empty() {
            doc["prints"] =
                printed.iter().map(|(c, r)| json!({ "command": c, "output": r.text, "ok": r.ok })).collect();
        }
        out.stdout = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.stdout.push('\n');
    } else {
        for (_, r) in printed {
            if r.ok {
                out.stdout.push_str(&r.text);
            } else {
                out.stderr.push_str(&r.text);
            }
        }
    }
    // The process ends right after printing; freeing an hour of a thousand pods' history one
    // allocation at a time would take a good part of the run, so the simulation is not dropped.
    std::mem::forget(sim);
    out
}

/// Seconds as a JSON number: an integer when whole, a fraction otherwise.
fn seconds(ms: Millis) -> Value {
    if ms.is_multiple_of(1000) {
        json!(ms / 1000)
    } else {
        json!(ms as f64 / 1000.0)
    }
}
