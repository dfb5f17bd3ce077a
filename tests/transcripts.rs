//! Transcript tests: each `tests/transcripts/*.yaml` is a scenario file whose header comments list
//! `# check: <time> <command>` lines. The harness loads the scenario, advances virtual time to each
//! check in order, runs the command, and compares the whole transcript with the `.out` file beside
//! it. `UPDATE_EXPECT=1 cargo test --test transcripts` rewrites the `.out` files; review the diff.
//!
//! These are the acceptance examples of the behaviour reference: the worked timelines of the
//! kubelet (exec and HTTP liveness, crash loops), the seed labs, and the edge cases around them.

use std::path::Path;

use probe_playground::duration::{clock, parse_duration};
use probe_playground::sim::Simulation;

/// Runs one transcript file and returns the transcript text.
fn transcript(yaml: &str) -> String {
    let mut checks = Vec::new();
    for line in yaml.lines() {
        if let Some(rest) = line.strip_prefix("# check: ") {
            let (time, cmd) = rest.split_once(' ').expect("check line has a time and a command");
            checks.push((parse_duration(time).expect("valid check time"), cmd.trim().to_string()));
        }
    }
    assert!(!checks.is_empty(), "a transcript needs at least one `# check:` line");
    assert!(checks.windows(2).all(|w| w[0].0 <= w[1].0), "`# check:` lines must be in time order");
    let mut sim = match Simulation::load(yaml) {
        Ok(sim) => sim,
        Err(diags) => {
            return diags.iter().map(|d| format!("{d}\n")).collect();
        }
    };
    let mut out = String::new();
    for (at, cmd) in checks {
        sim.run_until(at);
        let r = sim.execute(&cmd);
        out.push_str(&format!("$ [{}] kubectl {}\n", clock(at), cmd.trim_start_matches("kubectl ")));
        out.push_str(&r.text);
        if !r.ok {
            out.push_str("(failed)\n");
        }
        out.push('\n');
    }
    out
}

/// Every transcript file matches its expected output, byte for byte.
#[test]
fn transcripts_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("transcripts dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut count = 0;
    for path in entries.into_iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        count += 1;
        let yaml = std::fs::read_to_string(&path).unwrap();
        let got = transcript(&yaml);
        let out_path = path.with_extension("out");
        let want = std::fs::read_to_string(&out_path).unwrap_or_default();
        if got != want {
            if update {
                std::fs::write(&out_path, &got).unwrap();
            } else {
                failures.push(format!("{}:\n--- expected\n{want}\n--- got\n{got}", path.display()));
            }
        }
    }
    assert!(count > 0, "no transcript files found");
    assert!(failures.is_empty(), "{} transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// The same scenario and seed give the same event log and probe log, byte for byte, however the
/// run is sliced into steps.
#[test]
fn runs_are_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    for name in ["liveness-exec.yaml", "liveness-http.yaml"] {
        let yaml = std::fs::read_to_string(dir.join(name)).unwrap();
        let run = |step: u64| {
            let mut sim = Simulation::load(&yaml).unwrap();
            let mut t = 0;
            while t < 600_000 {
                t = (t + step).min(600_000);
                sim.run_until(t);
            }
            (
                serde_json::to_string(sim.event_log()).unwrap(),
                serde_json::to_string(sim.probe_log()).unwrap(),
                serde_json::to_string(&sim.snapshot()).unwrap(),
            )
        };
        let a = run(600_000);
        assert!(a.0.len() > 100, "{name}: the event log is not empty");
        for (step, label) in [(1_000, "one-second steps"), (7_300, "7.3 s steps")] {
            let b = run(step);
            for (x, y, what) in [(&a.0, &b.0, "events"), (&a.1, &b.1, "probes"), (&a.2, &b.2, "snapshot")] {
                if x != y {
                    let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
                    let from = at.saturating_sub(200);
                    panic!(
                        "{name}: {what} differ between one jump and {label} at byte {at}:\n  jump: …{}\n  step: …{}",
                        &x[from..(at + 200).min(x.len())],
                        &y[from..(at + 200).min(y.len())]
                    );
                }
            }
        }
    }
}
