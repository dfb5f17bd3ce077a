//! The probe advisor's findings and notes (`crate::advisor::{Finding, Note}`), worded in a
//! language. English is the advisor's own wording (`advisor/render.rs`, which the CLI prints);
//! Chinese is here, one arm per key, so a new key without a Chinese sentence does not compile.
//! Durations keep Kubernetes' Go form (`1m30s`), as `kubectl describe` prints them; field names
//! such as `failureThreshold` stay as written in YAML.

use super::Lang;
use crate::advisor::{Finding, GraceSource, Note, StartSource};
use crate::duration::{go_duration, Millis};
use crate::engine::ProbeKind;

fn d(ms: Millis) -> String {
    go_duration(ms)
}

/// A probe's name in running text: "liveness" or "存活探针".
pub fn probe_name(probe: ProbeKind, lang: Lang) -> &'static str {
    match (lang, probe) {
        (Lang::En, _) => probe.as_str(),
        (Lang::ZhCn, ProbeKind::Startup) => "启动探针（startupProbe）",
        (Lang::ZhCn, ProbeKind::Readiness) => "就绪探针（readinessProbe）",
        (Lang::ZhCn, ProbeKind::Liveness) => "存活探针（livenessProbe）",
    }
}

fn source_zh(source: StartSource) -> &'static str {
    match source {
        StartSource::Image => "根据运行其镜像得出",
        StartSource::Observed => "根据模拟的探测记录得出",
    }
}

/// Where a kill's grace period comes from, as `advisor/render.rs` words it for the CLI.
pub fn grace_source(source: GraceSource, lang: Lang) -> &'static str {
    match (lang, source) {
        (Lang::En, GraceSource::Probe) => "the probe's terminationGracePeriodSeconds",
        (Lang::En, GraceSource::Pod) => "the pod's terminationGracePeriodSeconds",
        (Lang::En, GraceSource::Default) => "the default",
        (Lang::ZhCn, GraceSource::Probe) => "探针自身的 terminationGracePeriodSeconds",
        (Lang::ZhCn, GraceSource::Pod) => "Pod 的 terminationGracePeriodSeconds",
        (Lang::ZhCn, GraceSource::Default) => "默认值",
    }
}

/// One note of the advisor's reasoning as a sentence.
pub fn note_text(note: &Note, lang: Lang) -> String {
    match lang {
        Lang::En => crate::advisor::note_text(note),
        Lang::ZhCn => note_zh(note),
    }
}

fn note_zh(note: &Note) -> String {
    match note {
        Note::TickerFromWorker { armed_at_ms, period_ms } => format!(
            "探测 worker 的计时器从 {}（worker 创建或上次重置之时）起每 {} 触发一次，而不是从容器启动时算起。",
            d(*armed_at_ms),
            d(*period_ms)
        ),
        Note::SeenAfterRelist { relist_ms } => format!(
            "kubelet 上报新容器之后 worker 才能看到它，即容器启动后再过一次 PLEG relist（{}）。",
            d(*relist_ms)
        ),
        Note::InitialDelay { delay_ms } => {
            format!("它要等到容器启动后满 {}（initialDelaySeconds）才运行。", d(*delay_ms))
        }
        Note::AfterStartup { startup_succeeds_ms: Some(at) } => {
            format!("它要等启动探针成功才运行，启动探针在启动后 {} 成功。", d(*at))
        }
        Note::AfterStartup { startup_succeeds_ms: None } => {
            "它要等启动探针成功才运行，而这里的启动探针始终不会成功。".to_string()
        }
        Note::ReadinessOnSync => {
            "容器未就绪期间，每次 Pod 同步都会立即运行一次就绪探针，并重置它的计时器。".to_string()
        }
        Note::ThresholdTimesPeriod { failure_threshold, period_ms } => format!(
            "连续 {failure_threshold} 次失败（failureThreshold），每次间隔 {}（periodSeconds）。",
            d(*period_ms)
        ),
        Note::PlusTimeout { timeout_ms } => {
            format!("应用挂起时，每次探测都要持续 {}（timeoutSeconds）。", d(*timeout_ms))
        }
    }
}

/// One finding (a known probe mistake) as a sentence.
pub fn finding_text(finding: &Finding, lang: Lang) -> String {
    match lang {
        Lang::En => crate::advisor::finding_text(finding),
        Lang::ZhCn => finding_zh(finding),
    }
}

fn finding_zh(finding: &Finding) -> String {
    match finding {
        Finding::LivenessSameAsReadiness => "存活探针检查的内容与就绪探针完全相同：本应只让 Pod 暂时退出 Service 的问题（过载、依赖变慢）也会导致容器被重启。".to_string(),
        Finding::LivenessOnDependency { target } => format!(
            "存活探针访问的是 Pod 之外的 {target}：它一旦故障，这个容器就会被重启，而重启解决不了问题。存活探针只应检查容器自身；依赖项如需检查，请放在就绪探针里。"
        ),
        Finding::SlowStartWithoutStartupProbe { start_ms, source, first_liveness_ms } => format!(
            "应用需要 {} 才能启动（{}），但第一次存活探测在启动后 {} 就会运行，且没有配置启动探针：启动过程会耗尽存活探针的失败额度。",
            d(*start_ms),
            source_zh(*source),
            d(*first_liveness_ms)
        ),
        Finding::TimeoutNotBelowPeriod { probe, timeout_ms, period_ms } => format!(
            "{}的 timeoutSeconds（{}）不小于其 periodSeconds（{}）：应用挂起时，一次探测会拖到下一次触发之后，下一次只能等待，因此探测最快也只能每 {} 运行一次。",
            probe_name(*probe, Lang::ZhCn),
            d(*timeout_ms),
            d(*period_ms),
            d(*timeout_ms.max(period_ms))
        ),
        Finding::RestartsBeforeStart { probe, start_ms, source, longest_start_ms } => format!(
            "应用需要 {} 才能启动（{}），但如果启动后 {} 仍未响应，{}就会杀掉它：容器将无休止地重启。",
            d(*start_ms),
            source_zh(*source),
            d(*longest_start_ms),
            probe_name(*probe, Lang::ZhCn)
        ),
        Finding::KilledBeforeAnswering { instances, longest_life_ms } => format!(
            "有 {instances} 个容器实例在任何探针成功之前就被探针杀掉（存活最久的一个运行了 {}）：应用根本没有机会启动。",
            d(*longest_life_ms)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One value of every note key, with the arguments a panel would pass.
    pub(crate) fn every_note() -> Vec<Note> {
        // The match lists every key, so a new one fails to compile here until it is added.
        let all = vec![
            Note::TickerFromWorker { armed_at_ms: 0, period_ms: 10_000 },
            Note::SeenAfterRelist { relist_ms: 1_000 },
            Note::InitialDelay { delay_ms: 5_000 },
            Note::AfterStartup { startup_succeeds_ms: Some(93_000) },
            Note::AfterStartup { startup_succeeds_ms: None },
            Note::ReadinessOnSync,
            Note::ThresholdTimesPeriod { failure_threshold: 3, period_ms: 5_000 },
            Note::PlusTimeout { timeout_ms: 1_000 },
        ];
        for note in &all {
            match note {
                Note::TickerFromWorker { .. }
                | Note::SeenAfterRelist { .. }
                | Note::InitialDelay { .. }
                | Note::AfterStartup { .. }
                | Note::ReadinessOnSync
                | Note::ThresholdTimesPeriod { .. }
                | Note::PlusTimeout { .. } => {}
            }
        }
        all
    }

    /// One value of every finding key.
    pub(crate) fn every_finding() -> Vec<Finding> {
        let all = vec![
            Finding::LivenessSameAsReadiness,
            Finding::LivenessOnDependency { target: "redis.cache.svc".to_string() },
            Finding::SlowStartWithoutStartupProbe {
                start_ms: 90_000,
                source: StartSource::Image,
                first_liveness_ms: 30_000,
            },
            Finding::TimeoutNotBelowPeriod {
                probe: ProbeKind::Readiness,
                timeout_ms: 5_000,
                period_ms: 3_000,
            },
            Finding::RestartsBeforeStart {
                probe: ProbeKind::Startup,
                start_ms: 120_000,
                source: StartSource::Observed,
                longest_start_ms: 60_000,
            },
            Finding::KilledBeforeAnswering { instances: 4, longest_life_ms: 31_000 },
        ];
        for finding in &all {
            match finding {
                Finding::LivenessSameAsReadiness
                | Finding::LivenessOnDependency { .. }
                | Finding::SlowStartWithoutStartupProbe { .. }
                | Finding::TimeoutNotBelowPeriod { .. }
                | Finding::RestartsBeforeStart { .. }
                | Finding::KilledBeforeAnswering { .. } => {}
            }
        }
        all
    }

    /// Every key renders in both languages, differently, and carries its arguments into both.
    #[test]
    fn every_advisor_key_is_worded_in_both_languages() {
        let notes = every_note().into_iter().map(|n| (note_text(&n, Lang::En), note_text(&n, Lang::ZhCn)));
        let findings =
            every_finding().into_iter().map(|f| (finding_text(&f, Lang::En), finding_text(&f, Lang::ZhCn)));
        for (en, zh) in notes.chain(findings) {
            assert!(!en.is_empty() && !zh.is_empty());
            assert_ne!(en, zh);
            assert!(super::super::tests::has_han(&zh), "no Chinese in {zh:?}");
            // Every number and name the English sentence shows, the Chinese one shows too.
            for word in en
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
                .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) || w.contains(".svc"))
            {
                let word = word.trim_end_matches('.');
                assert!(zh.contains(word), "{word:?} of {en:?} is missing from {zh:?}");
            }
        }
        let grace = [GraceSource::Probe, GraceSource::Pod, GraceSource::Default];
        assert!(grace.iter().all(|g| super::super::tests::has_han(grace_source(*g, Lang::ZhCn))));
        assert_eq!(probe_name(ProbeKind::Liveness, Lang::En), "liveness");
    }
}
