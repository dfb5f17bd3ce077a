//! The playground's two languages, English and Simplified Chinese, as typed tables rather than
//! strings scattered through components (issue 13, "中文 (zh-CN)").
//!
//! Every message is a value of a Rust type and every language is an arm of an exhaustive `match`,
//! so a message without a Chinese wording does not compile; the tables keyed by name (built-in
//! scenarios and their tasks) are checked against the gallery by tests. Kubernetes' own words stay
//! as Kubernetes prints them in both languages: `kubectl` output, YAML field names, reasons such
//! as `CrashLoopBackOff`, event reasons and command names.
//!
//! - [`Lang`]: the language, its BCP-47 tag, [`negotiate`] from `navigator.languages` and
//!   [`Lang::from_param`] for the `lang` URL parameter.
//! - [`Msg`]: the interface's own words (panel names, task states, the language control).
//! - [`finding_text`], [`note_text`]: the probe advisor's findings and notes, worded in a language.
//! - [`scenario_title`], [`scenario_description`]: the built-in scenarios' gallery texts.
//! - [`task_title`], [`task_hint`]: the exercises' task titles and hints.

mod advisor;
mod gallery;
mod lang;
mod msg;
mod tasks;
#[cfg(test)]
mod tests;

pub use advisor::{finding_text, grace_source, note_text, probe_name};
pub use gallery::{scenario_description, scenario_title};
pub use lang::{negotiate, Lang};
pub use msg::Msg;
pub use tasks::{task_hint, task_title};
