//! One listed API object of any kind, as the generic parts of `get` and `describe` see it: its
//! metadata, name, namespace and JSON form. Each kind's printer downcasts it back to its own type.

use std::any::Any;
use std::rc::Rc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// What the generic printers need of an object.
pub(crate) trait Listed {
    fn meta(&self) -> Option<&ObjectMeta>;

    fn name(&self) -> &str {
        self.meta().and_then(|m| m.name.as_deref()).unwrap_or_default()
    }

    fn namespace(&self) -> &str {
        self.meta().and_then(|m| m.namespace.as_deref()).unwrap_or("default")
    }

    /// The object as `-o json|yaml` prints it.
    fn to_value(&self) -> serde_json::Value;

    fn as_any(&self) -> &dyn Any;
}

/// Implements [`Listed`] for `k8s-openapi` types, whose metadata is their `metadata` field.
macro_rules! listed {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::kubectl::print::object::Listed for $t {
            fn meta(&self) -> Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta> {
                Some(&self.metadata)
            }
            fn to_value(&self) -> serde_json::Value {
                $crate::kubectl::print::json_value(self)
            }
            fn as_any(&self) -> &dyn std::any::Any {
                self
            }
        })*
    };
}
pub(crate) use listed;

/// An object borrowed from the store, or built for the kinds the store keeps in another shape
/// (EndpointSlices are derived from Endpoints).
#[derive(Clone)]
pub(crate) enum Object<'a> {
    Stored(&'a dyn Listed),
    Built(Rc<dyn Listed>),
}

impl Object<'_> {
    fn inner(&self) -> &dyn Listed {
        match self {
            Object::Stored(o) => *o,
            Object::Built(o) => o.as_ref(),
        }
    }

    pub(crate) fn meta(&self) -> Option<&ObjectMeta> {
        self.inner().meta()
    }

    pub(crate) fn name(&self) -> &str {
        self.inner().name()
    }

    pub(crate) fn namespace(&self) -> &str {
        self.inner().namespace()
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        self.inner().to_value()
    }

    /// The object as its own type; `None` only if a printer is handed another kind's object.
    pub(crate) fn get<T: 'static>(&self) -> Option<&T> {
        self.inner().as_any().downcast_ref()
    }
}
