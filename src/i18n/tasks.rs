//! The exercises' task titles and hints in Chinese, keyed by scenario slug and task name. English
//! is the scenario file's own `title` and `hint`; the tests check that every task of every gallery
//! scenario has its Chinese title here, a Chinese hint exactly when it has an English one, and that
//! nothing here is left over.

use super::Lang;

/// `(slug, task name, title, hint)`.
pub(super) const ZH: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "exercise-readiness-missing-file",
        "ready-in-time",
        "每个副本在 30 秒内就绪",
        Some("就绪探针读取了一个 nginx 镜像中没有的文件；kubectl describe pod 会显示它读取的是什么。"),
    ),
    ("exercise-readiness-missing-file", "stays-ready", "Service 从 30s 到 2 分钟一直保有三个端点", None),
    ("exercise-readiness-missing-file", "still-probed", "Pod 仍然配置了就绪探针", None),
    (
        "exercise-slow-start",
        "serving",
        "应用在 3 分钟内开始响应",
        Some("startupProbe 会让存活探针一直等到应用启动完成；让它的 failureThreshold × periodSeconds 长于启动时间。"),
    ),
    ("exercise-slow-start", "not-killed-while-starting", "应用在挂起之前没有被重启", None),
    (
        "exercise-slow-start",
        "hang-detected",
        "4m 时挂起的应用在 5m 之前被重启一次",
        Some("保持存活探针的 periodSeconds × failureThreshold 较短；启动阶段交给启动探针。"),
    ),
    (
        "exercise-restart-one-container",
        "cache-kept",
        "cache 容器从未被重启",
        Some("存活探针应当检查它自己的容器；redis-cli ping 检查的是 Redis。"),
    ),
    ("exercise-restart-one-container", "web-restarted", "web 容器被重启一次，且 3m 时两个容器都已就绪", None),
    (
        "exercise-keep-serving",
        "always-served",
        "Service 从 30s 到 3 分钟始终有一个就绪的端点",
        Some("Service 会把流量发给每个就绪的副本；只有一个副本时，它一退出 Service 就空了。"),
    ),
    ("exercise-keep-serving", "broken-replica-leaves", "页面缺失期间 web-0 未就绪", None),
    ("exercise-keep-serving", "restored", "web-0 在 2m30s 之前重新就绪", None),
    (
        "exercise-probe-timeout",
        "undisturbed",
        "健康的容器在最初 2 分钟内没有被重启",
        Some("kubectl describe pod 会显示探针的超时时间；这个检查需要比它更长的时间才能返回。"),
    ),
    ("exercise-probe-timeout", "still-watched", "/tmp/healthy 消失后，容器在 3m 之前被重启一次", None),
];

fn zh(
    slug: &str,
    task: &str,
) -> Option<&'static (&'static str, &'static str, &'static str, Option<&'static str>)> {
    ZH.iter().find(|(s, t, _, _)| *s == slug && *t == task)
}

/// A task's title in a language. `english` is the scenario file's own title, which is the answer
/// in English and for a scenario that is not built in (a learner's own file).
pub fn task_title<'a>(slug: &str, task: &str, english: &'a str, lang: Lang) -> &'a str {
    match (lang, zh(slug, task)) {
        (Lang::ZhCn, Some((_, _, title, _))) => title,
        _ => english,
    }
}

/// A task's hint in a language, like [`task_title`].
pub fn task_hint<'a>(slug: &str, task: &str, english: Option<&'a str>, lang: Lang) -> Option<&'a str> {
    match (lang, zh(slug, task)) {
        (Lang::ZhCn, Some((_, _, _, Some(hint)))) => Some(hint),
        _ => english,
    }
}
