//! Transcript tests: each `tests/transcripts/*.yaml` is a scenario file whose header comments list
//! `# check: <time> <command>` lines. The harness loads the scenario, advances virtual time to each
//! check in order, runs the command, and compares the whole transcript with the `.out` file beside
//! it. `UPDATE_EXPECT=1 cargo test --test transcripts` rewrites the `.out` files; review the diff.
//!
//! These are the acceptance examples of the behaviour reference: the worked timelines of the
//! kubelet (exec and HTTP liveness, crash loops), the seed labs, and the edge cases around them.
//!
//! Each program an image runs (`src/container/programs/<program>.rs`) has its own fixture in
//! `tests/transcripts/programs/<program>.yaml`, in the same format.
//!
//! The built-in gallery is covered the same way without copying its scenarios: each
//! `static/scenarios/<slug>.yaml` has a `tests/transcripts/gallery/<slug>.checks` file of
//! `<time> <command>` lines (blank lines and `#` comments allowed) whose transcript is compared with
//! `tests/transcripts/gallery/<slug>.out`. The checks show what the seed article behind each
//! scenario shows, so a change in behaviour that contradicts an article fails here.

use std::path::Path;

use probe_playground::duration::{clock, parse_duration};
use probe_playground::sim::Simulation;
use probe_playground::tasks::TaskBoard;

/// Runs one transcript file and returns the transcript text. Besides `# check:` lines, a file may
/// hold `# tasks: <time>` lines, which show the scenario's tasks as they stand at that time (in
/// time order with the checks), and `# cli: <args>` lines, which run `probe-playground` with those
/// arguments (`FILE` standing for the transcript's own file, other paths read from the crate's
/// root) and show what it printed and its exit code, after the checks.
fn transcript(yaml: &str) -> String {
    let timed: Vec<Timed> = yaml
        .lines()
        .filter_map(|line| match line.strip_prefix("# check: ") {
            Some(check) => Some(Timed::Check(parse_check(check))),
            None => line.strip_prefix("# tasks: ").map(|time| Timed::Tasks(parse_time(time))),
        })
        .collect();
    let cli: Vec<&str> = yaml.lines().filter_map(|line| line.strip_prefix("# cli: ")).collect();
    assert!(!timed.is_empty() || !cli.is_empty(), "a transcript needs at least one check");
    let mut out = if timed.is_empty() { String::new() } else { run_timed(yaml, timed) };
    for args in cli {
        out.push_str(&run_cli(yaml, args));
    }
    out
}

/// One line of a transcript that happens at a time.
enum Timed {
    /// `# check: <time> <command>`.
    Check((u64, String)),
    /// `# tasks: <time>`.
    Tasks(u64),
}

impl Timed {
    fn at(&self) -> u64 {
        match self {
            Timed::Check((at, _)) | Timed::Tasks(at) => *at,
        }
    }
}

fn parse_time(text: &str) -> u64 {
    parse_duration(text.trim()).expect("valid check time")
}

/// Parses one `<time> <command>` check.
fn parse_check(line: &str) -> (u64, String) {
    let (time, cmd) = line.trim().split_once(' ').expect("check line has a time and a command");
    (parse_time(time), cmd.trim().to_string())
}

/// Parses a gallery `.checks` file: one `<time> <command>` per line, with blank lines and lines
/// starting with `#` ignored so that each check can say what it shows.
fn parse_checks_file(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(parse_check)
        .collect()
}

/// Loads the scenario, advances virtual time to each check in turn, runs its command, and returns
/// the transcript of commands and their output.
fn run_checks(yaml: &str, checks: Vec<(u64, String)>) -> String {
    assert!(!checks.is_empty(), "a transcript needs at least one check");
    run_timed(yaml, checks.into_iter().map(Timed::Check).collect())
}

/// Runs the checks and task views in time order. With task views, time advances through the
/// tasks' board, which stops at every second the tasks need; without, straight to each check.
fn run_timed(yaml: &str, timed: Vec<Timed>) -> String {
    assert!(timed.windows(2).all(|w| w[0].at() <= w[1].at()), "`# check:` lines must be in time order");
    let mut sim = match Simulation::load(yaml) {
        Ok(sim) => sim,
        Err(diags) => {
            return diags.iter().map(|d| format!("{d}\n")).collect();
        }
    };
    let mut board =
        timed.iter().any(|t| matches!(t, Timed::Tasks(_))).then(|| TaskBoard::for_simulation(&sim));
    let mut out = String::new();
    for item in timed {
        let at = item.at();
        match &mut board {
            Some(board) => board.advance(&mut sim, at),
            None => sim.run_until(at),
        }
        match item {
            Timed::Check((_, cmd)) => {
                let r = sim.execute(&cmd);
                out.push_str(&format!("$ [{}] kubectl {}\n", clock(at), cmd.trim_start_matches("kubectl ")));
                out.push_str(&r.text);
                if !r.ok {
                    out.push_str("(failed)\n");
                }
            }
            Timed::Tasks(_) => {
                out.push_str(&format!("# [{}] tasks\n", clock(at)));
                for state in board.as_ref().map(TaskBoard::states).unwrap_or_default() {
                    out.push_str(&format!("{} {}", state.status.as_str(), state.name));
                    if let Some(t) = state.decided_at {
                        out.push_str(&format!(" at {}", clock(t)));
                    }
                    if let Some(reason) = &state.reason {
                        out.push_str(&format!(": {reason}"));
                    }
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Runs `probe-playground ARGS` in-process; `FILE` is the transcript's own text.
fn run_cli(yaml: &str, args: &str) -> String {
    let args: Vec<String> = args.split_whitespace().map(str::to_string).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| {
        if path == "FILE" {
            Ok(yaml.to_string())
        } else {
            std::fs::read_to_string(root.join(path)).map_err(|e| e.to_string())
        }
    };
    let outcome = probe_playground::cli::main(&args, &read);
    format!(
        "$ probe-playground {}\n{}{}(exit {})\n\n",
        args.join(" "),
        outcome.stdout,
        outcome.stderr,
        outcome.code
    )
}

/// Compares a transcript with its `.out` file, or rewrites the file under `UPDATE_EXPECT=1`.
/// Returns a failure message when they differ and the file is not being rewritten.
fn compare(label: &Path, got: &str, out_path: &Path) -> Option<String> {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let want = std::fs::read_to_string(out_path).unwrap_or_default();
    if got == want {
        None
    } else if update {
        std::fs::write(out_path, got).unwrap();
        None
    } else {
        Some(format!("{}:\n--- expected\n{want}\n--- got\n{got}", label.display()))
    }
}

/// The files of `dir` with the given extension, sorted by name.
fn files_with_extension(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    entries.sort();
    entries
}

/// Every transcript file matches its expected output, byte for byte.
#[test]
fn transcripts_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut failures = Vec::new();
    let entries = files_with_extension(&dir, "yaml");
    assert!(!entries.is_empty(), "no transcript files found");
    for path in entries {
        let yaml = std::fs::read_to_string(&path).unwrap();
        failures.extend(compare(&path, &transcript(&yaml), &path.with_extension("out")));
    }
    assert!(failures.is_empty(), "{} transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Every program of `src/container/programs/` has its fixture, `tests/transcripts/programs/<program>.yaml`,
/// a small scenario whose transcript (start-up log, a probe or a request, a stop and its log)
/// matches the `.out` beside it.
#[test]
fn program_transcripts_match() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/transcripts/programs");
    let fixtures = files_with_extension(&dir, "yaml");
    let missing: Vec<_> = files_with_extension(&root.join("src/container/programs"), "rs")
        .into_iter()
        .filter(|p| !fixtures.iter().any(|f| f.file_stem() == p.file_stem()))
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "programs without a fixture in {}: {}", dir.display(), missing.join(", "));
    let mut failures = Vec::new();
    for path in fixtures {
        let yaml = std::fs::read_to_string(&path).unwrap();
        failures.extend(compare(&path, &transcript(&yaml), &path.with_extension("out")));
    }
    assert!(failures.is_empty(), "{} program transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Feature transcripts: every subdirectory of `tests/transcripts/` other than `gallery` and
/// `programs` holds transcript files in the same format as the top level's, each matching its
/// `.out`: what a cluster shows when things go wrong (`world/` for image pulls and start errors,
/// `config/` for ConfigMaps, Secrets and configuration errors, `scheduling/`, `nodes/` and
/// `resources/` for placement, node failure and memory limits; `tasks/` for `probe-playground test`
/// and the model answers of the gallery's exercises).
#[test]
fn feature_transcripts_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut subdirs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with("gallery") && !p.ends_with("programs"))
        .collect();
    subdirs.sort();
    let mut failures = Vec::new();
    for sub in subdirs {
        for path in files_with_extension(&sub, "yaml") {
            let yaml = std::fs::read_to_string(&path).unwrap();
            failures.extend(compare(&path, &transcript(&yaml), &path.with_extension("out")));
        }
    }
    assert!(failures.is_empty(), "{} feature transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Every built-in scenario has a golden transcript, and each matches its expected output.
#[test]
fn gallery_transcripts_match() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checks_dir = root.join("tests/transcripts/gallery");
    let scenarios = files_with_extension(&root.join("static/scenarios"), "yaml");
    assert!(!scenarios.is_empty(), "no built-in scenarios found");
    let mut missing = Vec::new();
    let mut failures = Vec::new();
    for path in &scenarios {
        let slug = path.file_stem().unwrap().to_string_lossy();
        let checks_path = checks_dir.join(format!("{slug}.checks"));
        let Ok(checks) = std::fs::read_to_string(&checks_path) else {
            missing.push(checks_path.display().to_string());
            continue;
        };
        let yaml = std::fs::read_to_string(path).unwrap();
        let got = run_checks(&yaml, parse_checks_file(&checks));
        failures.extend(compare(&checks_path, &got, &checks_path.with_extension("out")));
    }
    // A checks file whose scenario was renamed or removed would otherwise be silently ignored.
    let orphans: Vec<_> = files_with_extension(&checks_dir, "checks")
        .into_iter()
        .filter(|c| !scenarios.iter().any(|s| s.file_stem() == c.file_stem()))
        .map(|c| c.display().to_string())
        .collect();
    assert!(missing.is_empty(), "built-in scenarios without a golden transcript: {}", missing.join(", "));
    assert!(orphans.is_empty(), "checks files without a built-in scenario: {}", orphans.join(", "));
    assert!(failures.is_empty(), "{} gallery transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
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
                    let at =
                        x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
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
