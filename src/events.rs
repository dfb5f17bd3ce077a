//! The event recorder: client-go's aggregation, de-duplication and spam filter (`staging/src/k8s.io/client-go/tools/record/events_cache.go`), writing Event
//! objects into the API store and keeping every raw occurrence for the CLI's JSON and the UI.
//!
//! Each recorded occurrence passes the same three stages as in `client-go/tools/record`:
//! 1. aggregation: more than nine distinct messages for one object, type and reason within 600 s
//!    turn into one `(combined from similar events): ...` event;
//! 2. de-duplication: a repeat of an identical event raises the count of the existing Event object;
//! 3. the spam filter: a token bucket per source and object decides whether the write reaches the
//!    API at all. The local count advances even for dropped writes, so the next accepted write jumps.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::api::{ApiStore, Event, ObjectRef, EPOCH_UNIX_SECONDS};
use crate::duration::{Millis, SECOND};

mod notes;

pub use notes::{EventNote, Rule};

/// Who records an event (`source.component`, `source.host`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub component: String,
    pub host: String,
}

impl Source {
    /// A source without a host, as the control plane's components record events.
    pub fn component(name: &str) -> Source {
        Source { component: name.to_string(), host: String::new() }
    }
}

/// One event occurrence before de-duplication, as the CLI's `events` array lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Occurrence {
    /// Virtual time in milliseconds.
    pub at: Millis,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    /// `Pod/liveness-exec`.
    pub object: String,
    pub namespace: String,
    pub field_path: String,
    pub message: String,
}

/// How many distinct messages of one group are recorded as themselves before aggregation starts
/// (`defaultAggregateMaxEvents`).
pub const AGGREGATE_MAX_EVENTS: usize = 10;
/// The window in which distinct messages count towards aggregation (`defaultAggregateIntervalInSeconds`).
pub const AGGREGATE_INTERVAL: Millis = 600 * SECOND;
/// The spam filter's burst (`defaultSpamBurst`).
pub const SPAM_BURST: u64 = 25;
/// The spam filter's refill period: one token per 300 s (`defaultSpamQPS` = 1/300).
pub const SPAM_REFILL: Millis = 300 * SECOND;
/// How long the API keeps an Event after its last write (the apiserver's `--event-ttl`).
pub const EVENT_TTL: Millis = 3600 * SECOND;

/// The recorder; one per world, shared by the kubelet, the scheduler and the controllers.
#[derive(Clone, Debug, Default)]
pub struct EventRecorder {
    occurrences: Vec<Occurrence>,
    /// Aggregation records by group key: the distinct messages seen and the last time one was.
    aggregates: BTreeMap<GroupKey, AggregateRecord>,
    /// De-duplication records by event key (the group key plus field path and message, or the
    /// group key alone for aggregated events).
    observations: BTreeMap<DedupKey, Observation>,
    /// Token buckets by source and object.
    buckets: BTreeMap<SpamKey, Bucket>,
    /// No Event in the API expires before this instant.
    next_expiry: Option<Millis>,
    /// What the three stages hid, for the Events panel's notes (`events/notes.rs`).
    hidden: notes::Hidden,
}

impl EventRecorder {
    /// Records one occurrence at `now`: it always joins [`EventRecorder::occurrences`]; whether and
    /// how it reaches the API's Event objects is decided by aggregation, de-duplication and the spam
    /// filter.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        api: &mut ApiStore,
        now: Millis,
        source: &Source,
        involved: &ObjectRef,
        type_: &str,
        reason: &str,
        message: &str,
    ) {
        self.occurrences.push(Occurrence {
            at: now,
            type_: type_.to_string(),
            reason: reason.to_string(),
            object: format!("{}/{}", involved.kind, involved.name),
            namespace: involved.namespace.clone(),
            field_path: involved.field_path.clone(),
            message: message.to_string(),
        });
        self.expire(api, now);

        // Aggregation. The group ignores the field path and the message; once a group has seen
        // AGGREGATE_MAX_EVENTS distinct messages within the interval, the occurrence is replaced by
        // a combined event that de-duplicates under the group key alone.
        let group = GroupKey {
            source: source.clone(),
            kind: involved.kind.clone(),
            namespace: involved.namespace.clone(),
            name: involved.name.clone(),
            uid: involved.uid.clone(),
            type_: type_.to_string(),
            reason: reason.to_string(),
        };
        if !self.aggregates.contains_key(&group) {
            self.aggregates.insert(group.clone(), AggregateRecord::default());
        }
        let record = self.aggregates.get_mut(&group).expect("inserted above");
        if record.last.is_some_and(|last| now.saturating_sub(last) > AGGREGATE_INTERVAL) {
            record.messages.clear();
        }
        record.messages.insert(message.to_string());
        record.last = Some(now);
        let (key, message) = if record.messages.len() < AGGREGATE_MAX_EVENTS {
            (
                DedupKey {
                    group,
                    field_path: Some(involved.field_path.clone()),
                    message: Some(message.to_string()),
                },
                message.to_string(),
            )
        } else {
            // client-go removes one arbitrary message so the set does not grow beyond the limit;
            // removing the one just added keeps that deterministic and the count unchanged.
            record.messages.remove(message);
            self.hidden.note(Rule::Aggregation, &involved.namespace, &involved.kind, &involved.name, reason);
            (
                DedupKey { group, field_path: None, message: None },
                format!("(combined from similar events): {message}"),
            )
        };

        // De-duplication: the observation advances whether or not the write is later dropped.
        let seq = self.occurrences.len() as u64;
        let observation = self.observations.entry(key).or_insert_with(|| Observation {
            count: 0,
            first: now,
            name: event_name(&involved.name, now, seq),
        });
        observation.count += 1;
        let count = observation.count;
        let first = observation.first;
        let name = observation.name.clone();

        if count > 1 {
            self.hidden.note(
                Rule::Deduplication,
                &involved.namespace,
                &involved.kind,
                &involved.name,
                reason,
            );
        }

        // The spam filter: one bucket per source and object, the field path left out.
        let spam_key = SpamKey {
            source: source.clone(),
            kind: involved.kind.clone(),
            namespace: involved.namespace.clone(),
            name: involved.name.clone(),
            uid: involved.uid.clone(),
        };
        if !self.buckets.entry(spam_key).or_insert_with(|| Bucket::full(now)).try_accept(now) {
            self.hidden.note(Rule::SpamFilter, &involved.namespace, &involved.kind, &involved.name, reason);
            return;
        }

        if count > 1 {
            // A PATCH of the existing Event; if it expired meanwhile, client-go creates it again
            // under the same name with the cached count.
            if let Some(event) =
                api.events.iter_mut().rev().find(|e| e.name == name && e.namespace == involved.namespace)
            {
                event.count = count;
                event.last = now;
                event.message = message;
                return;
            }
        }
        api.events.push(Event {
            name,
            namespace: involved.namespace.clone(),
            involved: involved.clone(),
            type_: type_.to_string(),
            reason: reason.to_string(),
            message,
            count,
            first,
            last: now,
            source: source.component.clone(),
            host: source.host.clone(),
        });
    }

    /// Every occurrence so far, in time order.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// One line per object, reason and rule for every repeat the recorder hid so far.
    pub fn notes(&self) -> Vec<EventNote> {
        self.hidden.notes()
    }
}

/// The aggregation group: source, involved object (without field path), type and reason. The
/// fields that tell groups apart come first, so that comparing two keys usually stops at the first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    name: String,
    reason: String,
    uid: String,
    type_: String,
    kind: String,
    namespace: String,
    source: Source,
}

#[derive(Clone, Debug, Default)]
struct AggregateRecord {
    messages: BTreeSet<String>,
    last: Option<Millis>,
}

/// The identity of one Event object. Aggregated events leave out the field path and message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DedupKey {
    group: GroupKey,
    field_path: Option<String>,
    message: Option<String>,
}

#[derive(Clone, Debug)]
struct Observation {
    count: u32,
    first: Millis,
    name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SpamKey {
    name: String,
    uid: String,
    kind: String,
    namespace: String,
    source: Source,
}

/// A token bucket as `golang.org/x/time/rate` keeps it, in exact integer units: one token is
/// [`SPAM_REFILL`] units and every millisecond adds one unit, up to the burst.
#[derive(Clone, Debug)]
struct Bucket {
    units: u64,
    last: Millis,
}

impl Bucket {
    fn full(now: Millis) -> Bucket {
        Bucket { units: SPAM_BURST * SPAM_REFILL, last: now }
    }

    fn try_accept(&mut self, now: Millis) -> bool {
        let elapsed = now.saturating_sub(self.last);
        let units = self.units.saturating_add(elapsed).min(SPAM_BURST * SPAM_REFILL);
        if units < SPAM_REFILL {
            // A refused request leaves the limiter as it was; the refill is recomputed next time.
            return false;
        }
        self.units = units - SPAM_REFILL;
        self.last = now.max(self.last);
        true
    }
}

/// client-go names an Event `<object>.<UnixNano of its creation, in hex>`. Virtual time has whole
/// milliseconds, so the occurrence's sequence number fills the sub-millisecond digits and keeps
/// two events created in the same millisecond apart.
fn event_name(object: &str, now: Millis, seq: u64) -> String {
    let nanos = (EPOCH_UNIX_SECONDS as u64) * 1_000_000_000 + now * 1_000_000 + seq % 1_000_000;
    format!("{object}.{nanos:016x}")
}

impl EventRecorder {
    /// Drops Events whose last write is older than the API's event TTL. Writes only move `last`
    /// forward, so the earliest expiry seen at the previous sweep is a lower bound and most calls
    /// cost nothing.
    fn expire(&mut self, api: &mut ApiStore, now: Millis) {
        if self.next_expiry.is_some_and(|at| at > now) {
            return;
        }
        api.events.retain(|e| e.last + EVENT_TTL > now);
        self.next_expiry = api.events.iter().map(|e| e.last + EVENT_TTL).min();
        if self.next_expiry.is_none() {
            self.next_expiry = Some(now + EVENT_TTL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn pod(name: &str, field: &str) -> ObjectRef {
        ObjectRef {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: name.into(),
            uid: "uid-1".into(),
            field_path: field.into(),
        }
    }

    fn kubelet() -> Source {
        Source { component: "kubelet".into(), host: "k8s-worker1".into() }
    }

    fn table(api: &ApiStore) -> String {
        api.events
            .iter()
            .map(|e| {
                format!(
                    "{} {} x{} first={} last={} {}\n",
                    e.type_,
                    e.reason,
                    e.count,
                    e.first / 1000,
                    e.last / 1000,
                    e.message
                )
            })
            .collect()
    }

    /// The exec-liveness timeline of `tests/transcripts/liveness-exec.yaml`: every kubelet event of the pod shares one 25-write
    /// burst. The 25th write is the failure at t=260, the writes at 265 and 270 are dropped, the
    /// next accepted write is at t=300 and carries the counts the dropped writes advanced.
    #[test]
    fn liveness_exec_burst_and_refill() {
        let mut api = ApiStore::default();
        let mut rec = EventRecorder::default();
        let c = pod("liveness-exec", "spec.containers{liveness}");
        let starts = [0u64, 75, 150, 225, 300];
        let mut accepted = Vec::new();
        let mut writes = 0;
        let mut timeline: Vec<(u64, &str, &str)> = Vec::new();
        for (i, start) in starts.iter().enumerate() {
            timeline.push((*start, "Normal", "Pulled"));
            timeline.push((*start, "Normal", "Created"));
            timeline.push((*start, "Normal", "Started"));
            if i < 4 {
                for f in [35, 40, 45] {
                    timeline.push((start + f, "Warning", "Unhealthy"));
                }
                timeline.push((start + 45, "Normal", "Killing"));
            }
        }
        for (t, ty, reason) in timeline {
            let before: u32 = api.events.iter().map(|e| e.count).sum::<u32>() + api.events.len() as u32;
            let message = match reason {
                "Unhealthy" => {
                    "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
                }
                "Killing" => "Container liveness failed liveness probe, will be restarted",
                "Pulled" => "Container image \"busybox:1.27.2\" already present on machine",
                "Created" => "Created container: liveness",
                _ => "Started container liveness",
            };
            rec.record(&mut api, t * 1000, &kubelet(), &c, ty, reason, message);
            let after: u32 = api.events.iter().map(|e| e.count).sum::<u32>() + api.events.len() as u32;
            writes += 1;
            if after != before {
                accepted.push((writes, t, reason));
            }
        }
        let last_accepted: Vec<_> = accepted.iter().rev().take(3).rev().collect();
        expect![[r#"[(24, 225, "Started"), (25, 260, "Unhealthy"), (29, 300, "Pulled")]"#]]
            .assert_eq(&format!("{last_accepted:?}"));
        // Only one token has refilled by t=300, so Created and Started at 300 (the 30th and 31st
        // writes) are dropped and keep their earlier counts in the API.
        expect![[r#"
            Normal Pulled x5 first=0 last=300 Container image "busybox:1.27.2" already present on machine
            Normal Created x4 first=0 last=225 Created container: liveness
            Normal Started x4 first=0 last=225 Started container liveness
            Warning Unhealthy x10 first=35 last=260 Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
            Normal Killing x3 first=45 last=195 Container liveness failed liveness probe, will be restarted
        "#]]
        .assert_eq(&table(&api));
        assert_eq!(rec.occurrences().len(), 31);
        // The dropped Unhealthy writes at 265 and 270 advanced the local count: the next accepted
        // Unhealthy write (once a token has refilled) jumps from 10 straight to 13.
        rec.record(
            &mut api,
            600_000,
            &kubelet(),
            &c,
            "Warning",
            "Unhealthy",
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        );
        let unhealthy = api.events.iter().find(|e| e.reason == "Unhealthy").unwrap();
        assert_eq!((unhealthy.count, unhealthy.last), (13, 600_000));
    }

    /// Ten distinct messages for one object and reason within 600 s: the tenth and later ones
    /// become one combined event that counts up; an identical repeat of an early message is still
    /// de-duplicated on its own.
    #[test]
    fn aggregation_combines_distinct_messages() {
        let mut api = ApiStore::default();
        let mut rec = EventRecorder::default();
        let obj = pod("web", "");
        let src = Source::component("replicaset-controller");
        for i in 0..12 {
            rec.record(
                &mut api,
                i * 1000,
                &src,
                &obj,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: web-{i}"),
            );
        }
        rec.record(&mut api, 20_000, &src, &obj, "Normal", "SuccessfulCreate", "Created pod: web-0");
        // After the interval the group starts afresh.
        rec.record(&mut api, 700_000, &src, &obj, "Normal", "SuccessfulCreate", "Created pod: web-99");
        let lines: String = table(&api).lines().skip(8).map(|l| format!("{l}\n")).collect();
        expect![[r#"
            Normal SuccessfulCreate x1 first=8 last=8 Created pod: web-8
            Normal SuccessfulCreate x3 first=9 last=11 (combined from similar events): Created pod: web-11
            Normal SuccessfulCreate x1 first=700 last=700 Created pod: web-99
        "#]]
        .assert_eq(&lines);
        assert_eq!(api.events[0].count, 2, "web-0 repeated is de-duplicated, not aggregated");
        assert_eq!(rec.occurrences().len(), 14);
    }

    /// Names are `<object>.<16 hex digits>`, unique per Event object and stable across patches.
    #[test]
    fn names_are_deterministic() {
        let mut api = ApiStore::default();
        let mut rec = EventRecorder::default();
        let obj = pod("liveness-exec", "spec.containers{liveness}");
        rec.record(&mut api, 35_000, &kubelet(), &obj, "Warning", "Unhealthy", "a");
        rec.record(&mut api, 40_000, &kubelet(), &obj, "Warning", "Unhealthy", "a");
        rec.record(&mut api, 40_000, &kubelet(), &obj, "Warning", "Unhealthy", "b");
        let names: Vec<_> = api.events.iter().map(|e| e.name.clone()).collect();
        expect![[r#"["liveness-exec.18611d048afb3e01", "liveness-exec.18611d05b5013003"]"#]]
            .assert_eq(&format!("{names:?}"));
    }

    /// Events leave the API an hour after their last write; a later repeat recreates the object
    /// with the count the recorder kept.
    #[test]
    fn events_expire_after_an_hour() {
        let mut api = ApiStore::default();
        let mut rec = EventRecorder::default();
        let obj = pod("p", "");
        rec.record(&mut api, 0, &kubelet(), &obj, "Normal", "Started", "x");
        rec.record(&mut api, 3_600_000, &kubelet(), &obj, "Normal", "Other", "y");
        assert_eq!(api.events.len(), 1);
        rec.record(&mut api, 3_700_000, &kubelet(), &obj, "Normal", "Started", "x");
        assert_eq!(api.events.len(), 2);
        assert_eq!(api.events[1].count, 2);
        assert_eq!(api.events[1].first, 0);
    }
}
