//! `probe-playground advise FILE --pod P [--container C] [--namespace N] [--at D] [--json]`: loads
//! the scenario, runs it until `--at` (default 0, the pod's first sync), and prints the advice for
//! the container as text, or as the advice's JSON.

use crate::cli::{load, usage_error, Outcome};
use crate::duration::{parse_duration, Millis};

/// Runs the subcommand with its arguments (after `advise`).
pub fn run(args: &[String], read: &dyn Fn(&str) -> Result<String, String>) -> Outcome {
    let mut file = None;
    let (mut pod, mut container, mut namespace) = (None, None, "default".to_string());
    let mut at: Millis = 0;
    let mut json = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        let value = |i: &mut usize| -> Result<String, Outcome> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match name {
            "--json" => json = true,
            "--pod" | "-p" => match value(&mut i) {
                Ok(v) => pod = Some(v),
                Err(o) => return o,
            },
            "--container" | "-c" => match value(&mut i) {
                Ok(v) => container = Some(v),
                Err(o) => return o,
            },
            "--namespace" | "-n" => match value(&mut i) {
                Ok(v) => namespace = v,
                Err(o) => return o,
            },
            "--at" => match value(&mut i).and_then(|v| parse_duration(&v).map_err(|e| usage_error(&e))) {
                Ok(v) => at = v,
                Err(o) => return o,
            },
            _ if a.starts_with('-') && a.len() > 1 => return usage_error(&format!("unknown flag {a:?}")),
            _ if file.is_none() => file = Some(a.to_string()),
            _ => return usage_error(&format!("unexpected argument {a:?}")),
        }
        i += 1;
    }
    let Some(file) = file else { return usage_error("advise needs a FILE") };
    let Some(pod) = pod else { return usage_error("advise needs --pod") };
    let (mut sim, warnings) = match load(&file, read) {
        Ok(s) => s,
        Err(o) => return o,
    };
    sim.run_until(at);
    let mut out = Outcome { stderr: warnings, ..Default::default() };
    match super::advise(&sim, &namespace, &pod, container.as_deref()) {
        Ok(advice) if json => {
            out.stdout = serde_json::to_string_pretty(&advice).unwrap_or_default();
            out.stdout.push('\n');
        }
        Ok(advice) => out.stdout = super::render_text(&advice),
        Err(e) => {
            out.stderr.push_str(&format!("probe-playground: {e}\n"));
            out.code = 1;
        }
    }
    out
}
