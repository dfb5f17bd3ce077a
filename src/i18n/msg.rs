//! The interface's own words: panel names, task states and the language control. Each key is a
//! variant with its arguments, and [`Msg::text`] has one exhaustive `match` per language, so a key
//! without a Chinese wording does not compile.

use super::Lang;
use crate::engine::ProbeKind;
use crate::tasks::Status;

/// A message of the interface, with its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg<'a> {
    /// The language control's label, written in both languages so that a reader who cannot read
    /// the current one still finds it.
    LanguageControl,
    /// The Tasks panel's region name.
    TasksPanel,
    /// A task's state in words.
    TaskStatus(Status),
    /// The count of passed tasks out of all of them.
    TasksPassed {
        passed: usize,
        total: usize,
    },
    /// The moment every task has passed.
    AllTasksPassed,
    ShowHint,
    HideHint,
    /// A failed task: why, in the words `probe-playground test` prints.
    TaskFailedBecause {
        reason: &'a str,
    },
    /// The advisor's panel name.
    ProbeBudgetPanel,
    /// The panel's heading for a container.
    ProbeBudgetFor {
        pod: &'a str,
        container: &'a str,
    },
    /// A probe's capitalised name as a heading.
    ProbeHeading(ProbeKind),
    /// When a probe first runs, after the container's start.
    FirstRun {
        after: &'a str,
    },
    FirstRunNever,
    /// How long a failure takes to be acted on.
    Detection {
        best: &'a str,
        worst: &'a str,
    },
    /// The same for an app that hangs.
    DetectionIfHangs {
        best: &'a str,
        worst: &'a str,
    },
    /// The longest start the probes tolerate.
    LongestStart {
        duration: &'a str,
    },
    /// The heading over the advisor's findings.
    Warnings,
    NoProbes,
    /// On the timeline: a failed run that reached the threshold, and one that did not.
    FailureActedOn,
    FailureNotActedOn,
}

impl Msg<'_> {
    /// The message in a language.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::ZhCn => self.zh(),
        }
    }

    fn en(&self) -> String {
        match *self {
            Msg::LanguageControl => "Language / 语言".to_string(),
            Msg::TasksPanel => "Tasks".to_string(),
            Msg::TaskStatus(status) => status.as_str().to_string(),
            Msg::TasksPassed { passed, total } => format!("{passed} of {total} tasks passed"),
            Msg::AllTasksPassed => "All tasks passed".to_string(),
            Msg::ShowHint => "Show hint".to_string(),
            Msg::HideHint => "Hide hint".to_string(),
            Msg::TaskFailedBecause { reason } => format!("Failed: {reason}"),
            Msg::ProbeBudgetPanel => "Probe budget".to_string(),
            Msg::ProbeBudgetFor { pod, container } => {
                format!("Probe budget for {pod}, container {container}")
            }
            Msg::ProbeHeading(probe) => format!("{} probe", probe.title()),
            Msg::FirstRun { after } => format!("First run: {after} after the container starts"),
            Msg::FirstRunNever => "First run: never (the startup probe does not succeed)".to_string(),
            Msg::Detection { best, worst } => {
                format!("Acted on {best} to {worst} after the app starts failing")
            }
            Msg::DetectionIfHangs { best, worst } => format!("{best} to {worst} if the app hangs"),
            Msg::LongestStart { duration } => format!("Longest start tolerated: {duration}"),
            Msg::Warnings => "Warnings".to_string(),
            Msg::NoProbes => {
                "No probes: the container is ready as soon as it runs and only restarts when it exits."
                    .to_string()
            }
            Msg::FailureActedOn => "acted on: it reached the failure threshold".to_string(),
            Msg::FailureNotActedOn => "not acted on: below the failure threshold".to_string(),
        }
    }

    fn zh(&self) -> String {
        match *self {
            Msg::LanguageControl => "Language / 语言".to_string(),
            Msg::TasksPanel => "任务".to_string(),
            Msg::TaskStatus(Status::Pending) => "待定".to_string(),
            Msg::TaskStatus(Status::Passed) => "已通过".to_string(),
            Msg::TaskStatus(Status::Failed) => "未通过".to_string(),
            Msg::TasksPassed { passed, total } => format!("已通过 {passed}/{total} 项任务"),
            Msg::AllTasksPassed => "全部任务已通过".to_string(),
            Msg::ShowHint => "显示提示".to_string(),
            Msg::HideHint => "隐藏提示".to_string(),
            Msg::TaskFailedBecause { reason } => format!("未通过：{reason}"),
            Msg::ProbeBudgetPanel => "探针预算".to_string(),
            Msg::ProbeBudgetFor { pod, container } => format!("{pod} 中容器 {container} 的探针预算"),
            Msg::ProbeHeading(ProbeKind::Startup) => "启动探针（Startup）".to_string(),
            Msg::ProbeHeading(ProbeKind::Readiness) => "就绪探针（Readiness）".to_string(),
            Msg::ProbeHeading(ProbeKind::Liveness) => "存活探针（Liveness）".to_string(),
            Msg::FirstRun { after } => format!("首次运行：容器启动后 {after}"),
            Msg::FirstRunNever => "首次运行：永不（启动探针不会成功）".to_string(),
            Msg::Detection { best, worst } => format!("应用开始失败后 {best} 到 {worst} 被处理"),
            Msg::DetectionIfHangs { best, worst } => format!("应用挂起时为 {best} 到 {worst}"),
            Msg::LongestStart { duration } => format!("可容忍的最长启动时间：{duration}"),
            Msg::Warnings => "警告".to_string(),
            Msg::NoProbes => "没有探针：容器一运行即就绪，只有退出时才会重启。".to_string(),
            Msg::FailureActedOn => "已处理：达到了失败阈值".to_string(),
            Msg::FailureNotActedOn => "未处理：未达到失败阈值".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One message of every key. The `match` names every variant, so a new key fails to compile
    /// here until it is listed, and then the test below checks its Chinese.
    pub(crate) fn every_msg() -> Vec<Msg<'static>> {
        let all = vec![
            Msg::LanguageControl,
            Msg::TasksPanel,
            Msg::TaskStatus(Status::Pending),
            Msg::TaskStatus(Status::Passed),
            Msg::TaskStatus(Status::Failed),
            Msg::TasksPassed { passed: 2, total: 3 },
            Msg::AllTasksPassed,
            Msg::ShowHint,
            Msg::HideHint,
            Msg::TaskFailedBecause { reason: "at 30s: no match for \"3/3\"" },
            Msg::ProbeBudgetPanel,
            Msg::ProbeBudgetFor { pod: "web-0", container: "httpd" },
            Msg::ProbeHeading(ProbeKind::Startup),
            Msg::ProbeHeading(ProbeKind::Readiness),
            Msg::ProbeHeading(ProbeKind::Liveness),
            Msg::FirstRun { after: "5s" },
            Msg::FirstRunNever,
            Msg::Detection { best: "10s", worst: "15s" },
            Msg::DetectionIfHangs { best: "12s", worst: "18s" },
            Msg::LongestStart { duration: "1m30s" },
            Msg::Warnings,
            Msg::NoProbes,
            Msg::FailureActedOn,
            Msg::FailureNotActedOn,
        ];
        for msg in &all {
            match msg {
                Msg::LanguageControl
                | Msg::TasksPanel
                | Msg::TaskStatus(_)
                | Msg::TasksPassed { .. }
                | Msg::AllTasksPassed
                | Msg::ShowHint
                | Msg::HideHint
                | Msg::TaskFailedBecause { .. }
                | Msg::ProbeBudgetPanel
                | Msg::ProbeBudgetFor { .. }
                | Msg::ProbeHeading(_)
                | Msg::FirstRun { .. }
                | Msg::FirstRunNever
                | Msg::Detection { .. }
                | Msg::DetectionIfHangs { .. }
                | Msg::LongestStart { .. }
                | Msg::Warnings
                | Msg::NoProbes
                | Msg::FailureActedOn
                | Msg::FailureNotActedOn => {}
            }
        }
        all
    }

    /// Every message has a Chinese wording that is Chinese and differs from the English one
    /// (except the language control, which is bilingual on purpose), and keeps its arguments.
    #[test]
    fn every_message_is_translated() {
        for msg in every_msg() {
            let (en, zh) = (msg.text(Lang::En), msg.text(Lang::ZhCn));
            assert!(!en.is_empty(), "{msg:?} has no English");
            assert!(super::super::tests::has_han(&zh), "{msg:?} has no Chinese: {zh:?}");
            if msg != Msg::LanguageControl {
                assert_ne!(en, zh, "{msg:?}");
            }
            for argument in ["web-0", "httpd", "5s", "10s", "15s", "12s", "18s", "1m30s", "2", "3"] {
                if en.contains(argument) {
                    assert!(zh.contains(argument), "{msg:?}: {argument} is missing from {zh:?}");
                }
            }
        }
        assert_eq!(Msg::LanguageControl.text(Lang::ZhCn), "Language / 语言");
    }
}
