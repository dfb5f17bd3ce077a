//! What the event recorder hid, in one line per object and reason, so that the Events panel can
//! say why RESTARTS 3 stands next to one `Killing` row: client-go's spam filter drops writes once an
//! object's token bucket is empty, aggregation folds varied messages into one combined event, and
//! de-duplication turns identical repeats into one Event's count (which `kubectl get events` does
//! not print). The counts come from the recorder's own decisions (`record`), never from a
//! re-derivation.

use std::collections::BTreeMap;

use super::{AGGREGATE_INTERVAL, AGGREGATE_MAX_EVENTS, SPAM_BURST, SPAM_REFILL};
use crate::duration::{go_duration, Millis};

/// Which rule hid repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// The spam filter dropped the writes (`staging/src/k8s.io/client-go/tools/record/events_cache.go`
    /// spamFilter: a token bucket per source and object).
    SpamFilter,
    /// Aggregation combined distinct messages into one `(combined from similar events)` event
    /// (`EventAggregator`).
    Aggregation,
    /// De-duplication counted identical repeats on one Event (`eventLogger`).
    Deduplication,
}

/// One line for the Events panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventNote {
    pub rule: Rule,
    pub namespace: String,
    /// `pod/liveness-exec`, as kubectl names objects.
    pub object: String,
    pub reason: String,
    /// How many occurrences the rule hid (dropped, combined, or counted beyond the first).
    pub hidden: u64,
    /// The sentence itself.
    pub text: String,
}

/// Who and what a note is about: namespace, kind, name, reason.
type NoteKey = (String, String, String, String);

/// The recorder's tally of hidden occurrences.
#[derive(Clone, Debug, Default)]
pub(super) struct Hidden {
    counts: BTreeMap<(NoteKey, Rule), u64>,
}

impl Hidden {
    pub(super) fn note(&mut self, rule: Rule, namespace: &str, kind: &str, name: &str, reason: &str) {
        let key = (namespace.to_string(), kind.to_string(), name.to_string(), reason.to_string());
        *self.counts.entry((key, rule)).or_insert(0) += 1;
    }

    /// One note per object, reason and rule, in namespace, object and reason order.
    pub(super) fn notes(&self) -> Vec<EventNote> {
        self.counts
            .iter()
            .map(|(((namespace, kind, name, reason), rule), hidden)| {
                let object = format!("{}/{name}", kind.to_ascii_lowercase());
                let hidden = *hidden;
                let text = match rule {
                    Rule::SpamFilter => format!(
                        "The event recorder's spam filter dropped {} of {reason} for {object}: it lets a burst of {SPAM_BURST} events through per object and source, then one every {}.",
                        repeats(hidden),
                        go_duration(SPAM_REFILL)
                    ),
                    Rule::Aggregation => format!(
                        "The event recorder combined {} of {reason} for {object} into one \"(combined from similar events)\" event: after {} different messages within {} it stops listing them one by one.",
                        repeats(hidden),
                        AGGREGATE_MAX_EVENTS - 1,
                        go_duration(AGGREGATE_INTERVAL as Millis)
                    ),
                    Rule::Deduplication => format!(
                        "{} of {reason} for {object} raised the count of an existing Event instead of adding a row: kubectl get events does not print the count, kubectl describe shows it as \"(xN over ...)\".",
                        capitalized(&repeats(hidden))
                    ),
                };
                EventNote { rule: *rule, namespace: namespace.clone(), object, reason: reason.clone(), hidden, text }
            })
            .collect()
    }
}

fn repeats(n: u64) -> String {
    if n == 1 {
        "1 repeat".to_string()
    } else {
        format!("{n} repeats")
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;

    /// A readiness probe that fails every second: the kubelet's first writes for the pod (Pulling,
    /// Pulled, Created, Started and Unhealthy) use up the spam filter's burst of 25, and the rest of
    /// the minute is dropped (one token comes back only every 5 minutes). Every occurrence but the
    /// first Unhealthy is also a repeat of the same Event.
    #[test]
    fn the_spam_filter_and_deduplication_are_named_with_their_counts() {
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: noisy
spec:
  containers:
  - name: c
    image: busybox
    command: [\"sleep\", \"3600\"]
    readinessProbe:
      exec:
        command: [\"false\"]
      periodSeconds: 1
";
        let mut sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("{e:?}"));
        sim.run_until(60_000);
        let kubelet = sim.event_log().iter().filter(|o| o.reason != "Scheduled").count() as u64;
        let unhealthy = sim.event_log().iter().filter(|o| o.reason == "Unhealthy").count() as u64;
        let dropped = kubelet - 25;
        let notes: Vec<String> = sim.event_notes().into_iter().map(|n| n.text).collect();
        assert_eq!(
            notes,
            vec![
                format!("The event recorder's spam filter dropped {dropped} repeats of Unhealthy for pod/noisy: it lets a burst of 25 events through per object and source, then one every 5m0s."),
                format!("{} repeats of Unhealthy for pod/noisy raised the count of an existing Event instead of adding a row: kubectl get events does not print the count, kubectl describe shows it as \"(xN over ...)\".", unhealthy - 1),
            ]
        );
    }

    /// More than nine distinct messages of one reason for one object within ten minutes are
    /// combined; the note counts the combined occurrences.
    #[test]
    fn aggregation_is_named_with_its_count() {
        let mut recorder = super::super::EventRecorder::default();
        let mut api = crate::api::ApiStore::new(&["n1".to_string()]);
        let involved = crate::api::ObjectRef {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web".into(),
            uid: "u1".into(),
            field_path: String::new(),
        };
        let source = super::super::Source::component("kubelet");
        for i in 0..12 {
            recorder.record(
                &mut api,
                i * 1000,
                &source,
                &involved,
                "Warning",
                "Unhealthy",
                &format!("message {i}"),
            );
        }
        let notes = recorder.notes();
        assert_eq!(notes.len(), 2, "{notes:?}");
        // The combined event itself is then de-duplicated: its first write creates it, the other
        // two raise its count.
        assert_eq!((notes[1].rule, notes[1].hidden), (super::Rule::Deduplication, 2));
        assert_eq!(
            notes[0].text,
            "The event recorder combined 3 repeats of Unhealthy for pod/web into one \"(combined from similar events)\" event: after 9 different messages within 10m0s it stops listing them one by one."
        );
    }
}
