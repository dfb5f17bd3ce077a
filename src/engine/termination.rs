//! Termination messages (`pkg/kubelet/kuberuntime/kuberuntime_container.go` getTerminationMessage,
//! readLastStringFromContainerLogs; limits from `pkg/kubelet/container/runtime.go`), as
//! world-semantics.md ("Termination messages") gives them: the kubelet bind-mounts an empty file
//! at `terminationMessagePath` (default `/dev/termination-log`) and reads at most 4096 bytes of it
//! when the container exits (the tail, which world-semantics.md marks unverified); with
//! `terminationMessagePolicy: FallbackToLogsOnError`, a failed container that left the file empty
//! gets the last 80 lines of its log, at most 2048 bytes. The per-pod cap (12 KiB shared by the
//! containers) only bites with more than three containers and is not simulated.

use k8s_openapi::api::core::v1::Container as ContainerSpec;

use crate::container::Container;

const MAX_MESSAGE_BYTES: usize = 4096;
const MAX_LOG_LINES: usize = 80;
const MAX_LOG_BYTES: usize = 2048;

/// The path of a container's termination-message file.
pub(crate) fn message_path(spec: &ContainerSpec) -> &str {
    spec.termination_message_path.as_deref().filter(|p| !p.is_empty()).unwrap_or("/dev/termination-log")
}

/// The last `max` bytes of a text, starting at a character boundary.
fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The `terminated.message` of an instance that exited with `code`, if it has one.
pub(crate) fn message(spec: &ContainerSpec, proc: &Container, code: i32) -> Option<String> {
    let file = proc.read_file(message_path(spec)).unwrap_or_default();
    if !file.is_empty() {
        return Some(tail(&file, MAX_MESSAGE_BYTES).to_string());
    }
    if code == 0 || spec.termination_message_policy.as_deref() != Some("FallbackToLogsOnError") {
        return None;
    }
    let logs = proc.logs();
    let from = logs.len().saturating_sub(MAX_LOG_LINES);
    let mut text = String::new();
    for line in &logs[from..] {
        text.push_str(&line.text);
        text.push('\n');
    }
    Some(tail(&text, MAX_LOG_BYTES).to_string()).filter(|t| !t.is_empty())
}
