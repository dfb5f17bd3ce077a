//! Parity checks: behaviours a real cluster shows, re-derived from webernetes' parity tests (which
//! run against k3s) as scenarios of our own. `tests/parity/README.md` describes the format: each
//! scenario's header lists `# expect:` lines (a time, a command, `~` or `!~` and a regular
//! expression) and, for a behaviour not reproduced yet, a `# gap:` line saying why.
//!
//! A case passes when every expectation holds. A case marked as a gap must fail, so closing a gap
//! without removing its mark fails this test as surely as breaking a passing case does.

use std::path::{Path, PathBuf};

use probe_playground::duration::{clock, parse_duration};
use probe_playground::sim::Simulation;
use regex::Regex;

/// One `# expect:` line.
struct Expectation {
    at: u64,
    command: String,
    negated: bool,
    pattern: Regex,
}

/// One parity scenario: what it re-derives, whether it is a known gap, and its expectations.
struct Case {
    path: PathBuf,
    name: String,
    gap: Option<String>,
    expectations: Vec<Expectation>,
}

fn parse_expectation(path: &Path, line: &str) -> Expectation {
    let (time, rest) =
        line.trim().split_once(' ').unwrap_or_else(|| panic!("{}: bad expect line", path.display()));
    let at = parse_duration(time).unwrap_or_else(|e| panic!("{}: bad time {time:?}: {e}", path.display()));
    // ` !~ ` is looked for first: ` ~ ` is a suffix of it.
    let (command, negated, pattern) = if let Some((c, p)) = rest.split_once(" !~ ") {
        (c, true, p)
    } else if let Some((c, p)) = rest.split_once(" ~ ") {
        (c, false, p)
    } else {
        panic!("{}: an expect line needs `~ REGEX` or `!~ REGEX`: {line}", path.display())
    };
    let pattern = Regex::new(pattern.trim())
        .unwrap_or_else(|e| panic!("{}: bad regex {pattern:?}: {e}", path.display()));
    Expectation { at, command: command.trim().to_string(), negated, pattern }
}

fn load_case(path: &Path, text: &str) -> Case {
    let mut name = String::new();
    let mut gap = None;
    let mut expectations = Vec::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("# parity: ") {
            name = n.trim().to_string();
        } else if let Some(g) = line.strip_prefix("# gap: ") {
            gap = Some(g.trim().to_string());
        } else if let Some(e) = line.strip_prefix("# expect: ") {
            expectations.push(parse_expectation(path, e));
        }
    }
    assert!(!name.is_empty(), "{}: no `# parity:` line", path.display());
    assert!(!expectations.is_empty(), "{}: no `# expect:` line", path.display());
    assert!(
        expectations.windows(2).all(|w| w[0].at <= w[1].at),
        "{}: `# expect:` lines must be in time order",
        path.display()
    );
    Case { path: path.to_path_buf(), name, gap, expectations }
}

/// Runs a case; `Ok` when every expectation holds, else the first one that did not, with the
/// output seen.
fn run(case: &Case, text: &str) -> Result<(), String> {
    let mut sim = Simulation::load(text).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        format!("the scenario does not load: {}", lines.join("; "))
    })?;
    for e in &case.expectations {
        sim.run_until(e.at);
        let output = sim.execute(&e.command).text;
        if e.pattern.is_match(&output) == e.negated {
            let verb = if e.negated { "matches" } else { "does not match" };
            return Err(format!("[{}] {}: output {verb} /{}/:\n{output}", clock(e.at), e.command, e.pattern));
        }
    }
    Ok(())
}

#[test]
fn parity_cases_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no parity cases in {}", dir.display());
    let (mut passed, mut gaps, mut problems) = (0, 0, Vec::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let case = load_case(path, &text);
        let label = format!("{} ({})", case.name, case.path.file_name().unwrap().to_string_lossy());
        match (run(&case, &text), &case.gap) {
            (Ok(()), None) => passed += 1,
            (Err(why), None) => problems.push(format!("FAIL {label}: {why}")),
            (Err(_), Some(_)) => gaps += 1,
            (Ok(()), Some(gap)) => {
                problems.push(format!("{label} passes now: remove its `# gap: {gap}` line"))
            }
        }
    }
    println!("parity: {passed} of {} behaviours reproduced, {gaps} known gaps", paths.len());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
