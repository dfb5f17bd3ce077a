//! Whether the runtime can start a container's process at all. runc's init looks the command up
//! with Go's `exec.LookPath` before it execs it (runc `libcontainer/standard_init_linux.go`), and
//! a failure there is a start error, not an exit of the process: containerd reports it to the
//! kubelet as exit code 128 with reason `StartError` and the error chain below
//! (`internal/cri/server/container_start.go`, `core/runtime/v2/task_manager.go`,
//! `cmd/containerd-shim-runc-v2/process/init.go`).
//!
//! The container's files decide what exists: an absolute or relative path is looked up in its
//! file system; a directory there is `is a directory`, and a file that is neither an ELF binary nor
//! a `#!` script is `permission denied` (the file system keeps no mode bits, and the images' own
//! executables are exactly their binaries and scripts). A bare name, or a path the file system does
//! not hold, is what the image can run if its shell finds it (its tools and programs stand for the
//! binaries a real image has on `$PATH`); when the shell reports the runtime's own "not found",
//! that is the start error.

use crate::container::fs::{normalize, Fs, Node};
use crate::container::shell::oci_not_found;

/// What runc prints before the `LookPath` error (runc 1.2+ `error during container init`).
const RUNC_PREFIX: &str = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ";

/// The CRI error of a failed start as the kubelet receives it, with the `: unknown` the ttrpc
/// hop appends (`vendor/github.com/containerd/errdefs/pkg/errgrpc/grpc.go`).
pub(super) fn cri_error(lookpath: &str) -> String {
    format!("{RUNC_PREFIX}{lookpath}: unknown")
}

/// The error as containerd stores it in the container's status. Captured `describe` outputs show
/// it without the trailing `: unknown` the event carries; whether that holds for every containerd
/// release is unverified (world-semantics.md, "Executable / permission / working-dir problems").
pub(super) fn status_message(lookpath: &str) -> String {
    format!("{RUNC_PREFIX}{lookpath}")
}

/// The `LookPath` failure the file system alone decides: a path naming a directory or a file that
/// cannot be executed.
pub(super) fn precheck(fs: &Fs, cwd: &str, name: &str) -> Option<String> {
    if !name.contains('/') {
        return None;
    }
    match fs.get(&normalize(cwd, name))? {
        Node::Dir => Some(format!("exec: {name:?}: is a directory")),
        Node::File(text) if !(text.starts_with("#!") || text.starts_with(super::seeds::ELF)) => {
            Some(format!("exec: {name:?}: permission denied"))
        }
        Node::File(_) => None,
    }
}

/// The `LookPath` failure behind a process that ended at once with the runtime's "not found":
/// `stat` fails for a path, the `$PATH` search fails for a bare name.
pub(super) fn not_found(name: &str, log: &str) -> Option<String> {
    if log.trim_end() != oci_not_found(name).trim_end() {
        return None;
    }
    Some(if name.contains('/') {
        format!("exec: {name:?}: stat {name}: no such file or directory")
    } else {
        format!("exec: {name:?}: executable file not found in $PATH")
    })
}
