//! The built-in scenarios: every lab of the seed articles, as files under `static/scenarios/`.
//!
//! Each file is compiled into the binary with `include_str!`, so the CLI and the web build carry the
//! same gallery. The files are the single source of truth: an entry's title and description are read
//! from the file's `kind: Scenario` document, and its slug is the file name, which the tests check
//! against `metadata.name`.

use std::sync::OnceLock;

/// One built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The scenario's `metadata.name`, used in links.
    pub slug: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The whole scenario file.
    pub yaml: &'static str,
}

/// Every built-in scenario, in the order the gallery shows them.
pub fn all() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| FILES.iter().map(|&(slug, yaml)| entry(slug, yaml)).collect())
}

/// The built-in scenario with this slug, if there is one.
pub fn find(slug: &str) -> Option<&'static Entry> {
    all().iter().find(|entry| entry.slug == slug)
}

/// Pairs a slug with the file `static/scenarios/<slug>.yaml`, so a slug cannot drift from its file.
macro_rules! scenario_files {
    ($($slug:literal),* $(,)?) => {
        &[$(($slug, include_str!(concat!("../static/scenarios/", $slug, ".yaml")))),*]
    };
}

/// The files in teaching order: liveness first (exec, HTTP, TCP, and what restarts look like), then
/// readiness and Services, then all three probes and multi-container pods, then the pod's life
/// around its containers (init containers, hooks, termination), then the workload controllers, then
/// the pod statuses seed 001 lists, one scenario each, with why a cluster shows it, and last the
/// exercises: labs shipped broken, with tasks (`spec.tasks`) that check the learner's fix.
const FILES: &[(&str, &str)] = scenario_files![
    "liveness-exec",
    "liveness-exec-timeout",
    "liveness-http",
    "liveness-http-httpd",
    "liveness-tcp",
    "nginx-tcp-liveness",
    "redis-exec-liveness",
    "crashloop-backoff",
    "restart-policies",
    "readiness-httpd",
    "readiness-exec-busybox",
    "nginx-readiness-nodeport",
    "nginx-http-probes",
    "tcp-liveness-readiness",
    "grpc-liveness",
    "startup-readiness-liveness",
    "multi-container-liveness",
    "multi-container-readiness",
    "init-containers-web-page",
    "lifecycle-hooks",
    "graceful-termination",
    "nacos-graceful-shutdown",
    "statefulset-headless",
    "daemonset-node-exporter",
    "status-pending-unschedulable",
    "status-container-creating",
    "status-init",
    "status-init-error",
    "status-image-pull",
    "status-invalid-image-name",
    "status-err-image-never-pull",
    "status-create-container-config-error",
    "status-run-container-error",
    "status-completed-error",
    "status-crashloopbackoff",
    "status-oomkilled",
    "status-terminating",
    "exercise-readiness-missing-file",
    "exercise-slow-start",
    "exercise-restart-one-container",
    "exercise-keep-serving",
    "exercise-probe-timeout",
];

/// Builds an entry, reading the title and description from the file's Scenario document.
fn entry(slug: &'static str, yaml: &'static str) -> Entry {
    let (title, description) = scenario_metadata(yaml).unwrap_or_default();
    Entry { slug, title: leak(title), description: leak(description), yaml }
}

/// A folded YAML description is not a slice of the file, so the text is built once and kept for the
/// life of the program, like the gallery itself.
fn leak(text: String) -> &'static str {
    if text.is_empty() {
        ""
    } else {
        Box::leak(text.into_boxed_str())
    }
}

/// `metadata.title` and `metadata.description` of the `kind: Scenario` document, if the file has one
/// that YAML can read.
fn scenario_metadata(yaml: &str) -> Option<(String, String)> {
    crate::manifest::scenario_titles(yaml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every file is a valid scenario: the manifest parser accepts it without errors (warnings for
    /// real-world fields the engine does not simulate are fine), its `metadata.name` is its file name,
    /// and the gallery shows the file's own title and description.
    #[test]
    fn gallery_entries_parse() {
        let mut problems = Vec::new();
        for entry in all() {
            match crate::manifest::parse(entry.yaml) {
                Err(diagnostics) => {
                    for diagnostic in diagnostics {
                        if diagnostic.severity == crate::manifest::Severity::Error {
                            problems.push(format!("{}.yaml:{diagnostic}", entry.slug));
                        }
                    }
                }
                Ok(parsed) => {
                    if parsed.scenario.name != entry.slug {
                        problems.push(format!(
                            "{}.yaml: metadata.name is {:?}",
                            entry.slug, parsed.scenario.name
                        ));
                    }
                    if parsed.scenario.title != entry.title
                        || parsed.scenario.description.trim() != entry.description
                    {
                        problems.push(format!(
                            "{}.yaml: title or description differ from the gallery's",
                            entry.slug
                        ));
                    }
                    if parsed.objects.is_empty() {
                        problems.push(format!("{}.yaml: no Kubernetes objects", entry.slug));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every scripted step is a command of the command language, and steps are written in time order.
    #[test]
    fn gallery_steps_parse() {
        let mut problems = Vec::new();
        for entry in all() {
            for (at, run) in steps(entry.yaml) {
                if let Err(error) = crate::kubectl::command::parse(&run) {
                    problems.push(format!("{}.yaml: {run:?}: {error}", entry.slug));
                }
                if let Err(error) = crate::duration::parse_duration(&at) {
                    problems.push(format!("{}.yaml: at {at:?}: {error}", entry.slug));
                }
            }
            let times: Vec<_> = steps(entry.yaml)
                .iter()
                .filter_map(|(at, _)| crate::duration::parse_duration(at).ok())
                .collect();
            if times.windows(2).any(|pair| pair[0] > pair[1]) {
                problems.push(format!("{}.yaml: steps are not in time order: {times:?}", entry.slug));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Slugs are unique and each is the name of its file and of its Scenario document; every entry has
    /// a title, a description and at least one step to watch.
    #[test]
    fn gallery_slugs_titles_and_descriptions() {
        let mut seen = BTreeSet::new();
        for entry in all() {
            assert!(seen.insert(entry.slug), "duplicate slug {}", entry.slug);
            assert!(!entry.title.is_empty(), "{}: no title", entry.slug);
            assert!(entry.title.len() <= 60, "{}: title longer than 60 characters", entry.slug);
            let sentences = entry.description.matches(". ").count() + 1;
            assert!((2..=5).contains(&sentences), "{}: description has {sentences} sentences", entry.slug);
            assert!(
                entry.yaml.contains(&format!("\n  name: {}\n", entry.slug)),
                "{}: the Scenario document is not named after its file",
                entry.slug
            );
            assert!(!steps(entry.yaml).is_empty(), "{}: no steps", entry.slug);
        }
        assert_eq!(find("readiness-httpd").map(|entry| entry.slug), Some("readiness-httpd"));
        assert_eq!(find("no-such-scenario"), None);
    }

    /// The gallery lists every file of `static/scenarios/` exactly once.
    #[test]
    fn gallery_lists_every_file() {
        let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
        let on_disk: BTreeSet<String> = std::fs::read_dir(directory)
            .expect("static/scenarios is readable")
            .filter_map(|file| {
                file.ok()?.file_name().into_string().ok()?.strip_suffix(".yaml").map(str::to_string)
            })
            .collect();
        let listed: BTreeSet<String> = all().iter().map(|entry| entry.slug.to_string()).collect();
        assert_eq!(on_disk, listed);
    }

    /// The `(at, run)` pairs of a file's Scenario document, read with plain YAML so that this check
    /// does not depend on the manifest parser.
    fn steps(yaml: &str) -> Vec<(String, String)> {
        use serde::Deserialize;
        let mut found = Vec::new();
        for document in serde_yaml::Deserializer::from_str(yaml) {
            let Ok(value) = serde_yaml::Value::deserialize(document) else { continue };
            if value.get("kind").and_then(|kind| kind.as_str()) != Some("Scenario") {
                continue;
            }
            let Some(list) =
                value.get("spec").and_then(|spec| spec.get("steps")).and_then(|s| s.as_sequence())
            else {
                continue;
            };
            for step in list {
                let at = match step.get("at") {
                    Some(serde_yaml::Value::String(text)) => text.clone(),
                    Some(serde_yaml::Value::Number(number)) => number.to_string(),
                    _ => String::new(),
                };
                let run = step.get("run").and_then(|run| run.as_str()).unwrap_or_default().to_string();
                found.push((at, run));
            }
        }
        found
    }
}
