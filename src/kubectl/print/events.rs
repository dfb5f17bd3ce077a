//! Events in `kubectl get` (`printEvent` in `pkg/printers/internalversion/printers.go`), and the
//! core/v1 Event object `-o yaml` shows for a recorded event.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::object::{Listed, Object};
use super::{since_event, Printer, Wide};
use crate::api;
use crate::duration::Millis;

/// The recorder keeps events in its own shape; `-o json|yaml` shows the core/v1 object.
impl Listed for api::Event {
    fn meta(&self) -> Option<&ObjectMeta> {
        None
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn to_value(&self) -> serde_json::Value {
        super::json_value(&core_event(self))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

pub(crate) const PRINTER: Printer = Printer {
    columns: &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
    wide: Wide::Replace(&[
        "LAST SEEN",
        "TYPE",
        "REASON",
        "OBJECT",
        "SUBOBJECT",
        "SOURCE",
        "MESSAGE",
        "FIRST SEEN",
        "COUNT",
        "NAME",
    ]),
    list,
    row,
    warning: None,
};

fn list<'a>(api: &'a api::ApiStore, namespace: &str) -> Vec<Object<'a>> {
    let mut events: Vec<&api::Event> =
        api.events.iter().filter(|e| namespace.is_empty() || e.namespace == namespace).collect();
    // kubectl sorts events by their last timestamp; the sort is stable, so events seen at the
    // same second keep their creation order.
    events.sort_by_key(|e| e.last / 1000);
    events.into_iter().map(|e| Object::Stored(e as &dyn Listed)).collect()
}

/// `printEvent`.
fn row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(e) = object.get::<api::Event>() else { return Vec::new() };
    let involved = &e.involved;
    let object = if involved.name.is_empty() {
        involved.kind.to_lowercase()
    } else {
        format!("{}/{}", involved.kind.to_lowercase(), involved.name)
    };
    let last = since_event(e.last, now);
    if wide {
        let source = if e.host.is_empty() { e.source.clone() } else { format!("{}, {}", e.source, e.host) };
        vec![
            last,
            e.type_.clone(),
            e.reason.clone(),
            object,
            involved.field_path.clone(),
            source,
            e.message.trim().to_string(),
            since_event(e.first, now),
            e.count.max(1).to_string(),
            e.name.clone(),
        ]
    } else {
        vec![last, e.type_.clone(), e.reason.clone(), object, e.message.trim().to_string()]
    }
}

/// The core/v1 Event object the API would hold for a recorded event.
pub fn core_event(e: &api::Event) -> k8s_openapi::api::core::v1::Event {
    use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
    let first = api::timestamp(e.first);
    Event {
        metadata: ObjectMeta {
            name: Some(e.name.clone()),
            namespace: Some(e.namespace.clone()),
            creation_timestamp: Some(first.clone()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            kind: Some(e.involved.kind.clone()),
            namespace: Some(e.involved.namespace.clone()).filter(|n| !n.is_empty()),
            name: Some(e.involved.name.clone()),
            uid: Some(e.involved.uid.clone()).filter(|u| !u.is_empty()),
            field_path: Some(e.involved.field_path.clone()).filter(|f| !f.is_empty()),
            api_version: Some(
                crate::kubectl::kinds::by_name(&e.involved.kind)
                    .map_or_else(|| "v1".to_string(), |k| k.api_version()),
            ),
            ..Default::default()
        },
        reason: Some(e.reason.clone()),
        message: Some(e.message.clone()),
        type_: Some(e.type_.clone()),
        count: Some(e.count as i32),
        first_timestamp: Some(first),
        last_timestamp: Some(api::timestamp(e.last)),
        source: Some(EventSource {
            component: Some(e.source.clone()),
            host: Some(e.host.clone()).filter(|h| !h.is_empty()),
        }),
        reporting_component: Some(e.source.clone()),
        reporting_instance: Some(e.host.clone()),
        ..Default::default()
    }
}
