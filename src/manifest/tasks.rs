//! The Scenario document's `spec.tasks` (README.md, "Tasks"): decoded strictly like the rest of the
//! file, so that a misspelt field is an unknown field, and validated into [`Task`]s, every problem
//! a located field error.

use serde::Deserialize;

use super::field::{self, child, index, quote, FieldError};
use super::scenario::Written;
use super::validate::dns1123_label;
use crate::duration::{parse_duration, Millis};
use crate::tasks::{self as model, Expect, Pattern, Window};

/// One entry of `spec.tasks` as written. Type errors name the type they were decoding
/// (`cannot unmarshal string into Go value of type Check`), so the written forms have the plain
/// names and the validated ones are `model::Task` and `model::Check`.
#[derive(Deserialize)]
pub(super) struct Task {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    hint: Option<String>,
    check: Option<Check>,
}

/// A task's `check` as written.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Check {
    #[serde(default)]
    command: String,
    /// Written as a string; a bare number (`match: 200`) is taken as it is spelt.
    #[serde(rename = "match")]
    matches: Option<Written>,
    not_match: Option<Written>,
    at: Option<Written>,
    by: Option<Written>,
    from: Option<Written>,
    until: Option<Written>,
}

/// Validates the written tasks; `errs` receives every problem, and only valid tasks are returned.
pub(super) fn parse(docs: Vec<Task>, errs: &mut Vec<FieldError>) -> Vec<model::Task> {
    let mut tasks = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let path = index("spec.tasks", i);
        let before = errs.len();
        let name_path = child(&path, "name");
        if doc.name.is_empty() {
            errs.push(field::required(&name_path, "a slug naming the task"));
        } else {
            for msg in dns1123_label(&doc.name) {
                errs.push(field::invalid(&name_path, &quote(&doc.name), &msg));
            }
            if names.contains(&doc.name) {
                errs.push(field::duplicate(&name_path, &quote(&doc.name), "task names must be unique"));
            }
            names.push(doc.name.clone());
        }
        if doc.title.trim().is_empty() {
            errs.push(field::required(&child(&path, "title"), "what the learner must achieve, in words"));
        }
        let check_path = child(&path, "check");
        let check = match doc.check {
            Some(check) => self::check(check, &check_path, errs),
            None => {
                errs.push(field::required(&check_path, "a command, a pattern and when it must hold"));
                None
            }
        };
        if let (Some(check), true) = (check, errs.len() == before) {
            tasks.push(model::Task {
                name: doc.name,
                title: doc.title.trim().to_string(),
                hint: doc.hint,
                check,
            });
        }
    }
    tasks
}

fn check(doc: Check, path: &str, errs: &mut Vec<FieldError>) -> Option<model::Check> {
    let before = errs.len();
    let command_path = child(path, "command");
    if doc.command.trim().is_empty() {
        errs.push(field::required(&command_path, "a command of the command language"));
    } else if let Err(e) = crate::kubectl::command::parse(&doc.command) {
        let first = e.lines().next().unwrap_or_default().trim();
        let first = first.strip_prefix("error: ").unwrap_or(first);
        errs.push(field::invalid(&command_path, &quote(&doc.command), first));
    }
    let pattern = |written: Written, name: &str, errs: &mut Vec<FieldError>| {
        let Written::Text(text) = written else {
            errs.push(field::invalid(&child(path, name), &quote(&written.text()), "a regular expression"));
            return None;
        };
        match Pattern::new(&text) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.push(field::invalid(&child(path, name), &quote(&text), &e));
                None
            }
        }
    };
    let expect = match (doc.matches, doc.not_match) {
        (Some(m), None) => pattern(m, "match", errs).map(Expect::Match),
        (None, Some(n)) => pattern(n, "notMatch", errs).map(Expect::NotMatch),
        (Some(_), Some(_)) => {
            errs.push(field::forbidden(&child(path, "notMatch"), "may not be specified together with match"));
            None
        }
        (None, None) => {
            errs.push(field::required(&child(path, "match"), "one of match or notMatch"));
            None
        }
    };
    let mut time = |value: Option<Written>, name: &str| -> Option<Millis> {
        let value = value?;
        let field_path = child(path, name);
        let Written::Text(text) = value else {
            errs.push(field::invalid(&field_path, &quote(&value.text()), "a duration like 90s, 1m30s or 1h"));
            return None;
        };
        match parse_duration(&text) {
            Ok(ms) if ms.is_multiple_of(1000) => Some(ms),
            Ok(_) => {
                errs.push(field::invalid(&field_path, &quote(&text), "tasks are checked at whole seconds"));
                None
            }
            Err(msg) => {
                errs.push(field::invalid(&field_path, &quote(&text), &msg));
                None
            }
        }
    };
    let (has_from, has_until) = (doc.from.is_some(), doc.until.is_some());
    let until_text = doc.until.as_ref().map(Written::text).unwrap_or_default();
    let written = [doc.at.is_some(), doc.by.is_some(), has_from || has_until];
    let (at, by, from, until) =
        (time(doc.at, "at"), time(doc.by, "by"), time(doc.from, "from"), time(doc.until, "until"));
    let window = match written.iter().filter(|w| **w).count() {
        0 => {
            errs.push(field::required(path, "must specify when the check holds: at, by, or from with until"));
            None
        }
        _ if written[0] && written[1] => {
            errs.push(field::forbidden(&child(path, "by"), "may not be specified together with at"));
            None
        }
        _ if (written[0] || written[1]) && written[2] => {
            let other = if written[0] { "at" } else { "by" };
            let extra = if has_from { "from" } else { "until" };
            errs.push(field::forbidden(
                &child(path, extra),
                &format!("may not be specified together with {other}"),
            ));
            None
        }
        _ if written[2] && !has_from => {
            errs.push(field::required(&child(path, "from"), "until needs a from"));
            None
        }
        _ if written[2] && !has_until => {
            errs.push(field::required(&child(path, "until"), "from needs an until"));
            None
        }
        _ => match (at, by, from, until) {
            (Some(at), ..) => Some(Window::At(at)),
            (_, Some(by), ..) => Some(Window::By(by)),
            (_, _, Some(from), Some(until)) if from <= until => Some(Window::During { from, until }),
            (_, _, Some(_), Some(_)) => {
                errs.push(field::invalid(
                    &child(path, "until"),
                    &quote(&until_text),
                    "must not be earlier than from",
                ));
                None
            }
            // A time that was written is invalid, which is reported already.
            _ => None,
        },
    };
    match (expect, window) {
        (Some(expect), Some(window)) if errs.len() == before => {
            Some(model::Check { command: doc.command.trim().to_string(), expect, window })
        }
        _ => None,
    }
}
