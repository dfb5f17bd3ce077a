//! Language negotiation, and the completeness of the tables keyed by name: every built-in
//! scenario and every task of every exercise has its Chinese text. The typed messages are checked
//! next to their tables (`msg.rs`, `advisor.rs`).

use std::collections::BTreeSet;

use super::*;

/// Whether a text contains a CJK ideograph.
pub(crate) fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn negotiate_follows_the_browser_order() {
    assert_eq!(negotiate(&[]), Lang::En);
    assert_eq!(negotiate(&["fr-FR", "de"]), Lang::En);
    for tag in
        ["zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zh-SG", "ZH-cn", "zh_CN", "zh-TW", "zh-HK", "zh-Hant"]
    {
        assert_eq!(negotiate(&[tag]), Lang::ZhCn, "{tag}");
    }
    assert_eq!(negotiate(&["fr", "zh-CN", "en"]), Lang::ZhCn);
    assert_eq!(negotiate(&["en-US", "zh-CN"]), Lang::En);
    assert_eq!(negotiate(&["zhx", "zh"]), Lang::ZhCn);
}

#[test]
fn lang_parameter_and_tags() {
    assert_eq!(Lang::from_param("zh-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_param("zh-cn"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_param("en"), Some(Lang::En));
    assert_eq!(Lang::from_param("fr"), None);
    assert_eq!(Lang::from_param(""), None);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_param(lang.tag()), Some(lang));
    }
    assert_eq!(Lang::ZhCn.tag(), "zh-CN");
    assert_eq!(Lang::default(), Lang::En);
}

/// Every gallery scenario has a Chinese title of at most 60 characters and a Chinese
/// description, both different from the English; no entry names a slug the gallery lacks.
#[test]
fn every_scenario_is_translated() {
    let gallery: BTreeSet<&str> = crate::gallery::all().iter().map(|e| e.slug).collect();
    let table: Vec<&str> = gallery::ZH.iter().map(|(slug, _, _)| *slug).collect();
    assert_eq!(table.len(), table.iter().collect::<BTreeSet<_>>().len(), "a slug is listed twice");
    assert_eq!(gallery, table.into_iter().collect(), "the Chinese table and the gallery differ");
    for entry in crate::gallery::all() {
        let title = scenario_title(entry.slug, Lang::ZhCn).unwrap();
        let description = scenario_description(entry.slug, Lang::ZhCn).unwrap();
        assert!(has_han(title) && has_han(description), "{}", entry.slug);
        assert!(title.chars().count() <= 60, "{}: Chinese title longer than 60 characters", entry.slug);
        assert_ne!(title, entry.title, "{}", entry.slug);
        assert_ne!(description, entry.description, "{}", entry.slug);
        assert_eq!(scenario_title(entry.slug, Lang::En), Some(entry.title));
        assert_eq!(scenario_description(entry.slug, Lang::En), Some(entry.description));
        // Kubernetes' own words in backquotes stay as Kubernetes prints them.
        for quoted in entry.description.split('`').skip(1).step_by(2) {
            assert!(description.contains(quoted), "{}: `{quoted}` is missing from the Chinese", entry.slug);
        }
    }
    assert_eq!(scenario_title("no-such-scenario", Lang::ZhCn), None);
}

/// Every task of every gallery scenario has a Chinese title, and a Chinese hint exactly when it
/// has an English one; no entry names a task the gallery lacks.
#[test]
fn every_task_is_translated() {
    let mut seen = BTreeSet::new();
    for entry in crate::gallery::all() {
        let parsed = crate::manifest::parse(entry.yaml).expect("gallery scenarios parse");
        for task in &parsed.tasks {
            seen.insert((entry.slug, task.name.clone()));
            let title = task_title(entry.slug, &task.name, &task.title, Lang::ZhCn);
            assert!(has_han(title), "{}/{}: no Chinese title", entry.slug, task.name);
            assert!(title.chars().count() <= 60, "{}/{}: title too long", entry.slug, task.name);
            assert_eq!(task_title(entry.slug, &task.name, &task.title, Lang::En), task.title);
            let hint = task_hint(entry.slug, &task.name, task.hint.as_deref(), Lang::ZhCn);
            assert_eq!(hint.is_some(), task.hint.is_some(), "{}/{}: hint", entry.slug, task.name);
            if let Some(hint) = hint {
                assert!(has_han(hint), "{}/{}: no Chinese hint", entry.slug, task.name);
                assert_ne!(Some(hint), task.hint.as_deref());
            }
        }
    }
    let table: BTreeSet<(&str, String)> = tasks::ZH.iter().map(|(s, t, _, _)| (*s, t.to_string())).collect();
    assert_eq!(table.len(), tasks::ZH.len(), "a task is listed twice");
    assert_eq!(seen, table, "the Chinese task table and the gallery's tasks differ");
    // A learner's own scenario keeps its own words.
    assert_eq!(task_title("mine", "t", "My task", Lang::ZhCn), "My task");
}
