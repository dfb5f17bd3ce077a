//! curl's official image (`curlimages/curl`, github.com/curl/curl-container): Alpine with curl,
//! whose `/entrypoint.sh` hands the container's arguments to curl when the first one is an
//! option or names no command (`args: ["-s", "http://web"]` runs `curl -s http://web`), and
//! otherwise runs them as they are (`sleep 3600`, `sh -c ...`). curl itself, its output and exit
//! codes, is the image's HTTP client (`crate::container::images`' `http_client`).

use super::Command;
use crate::container::fs::normalize;
use crate::container::images::Sys;
use crate::container::shell::tools::is_tool;
use crate::container::shell::{Call, Flow, Io};

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["entrypoint.sh"], available: |sys, _| sys.ships("entrypoint.sh"), run }];

/// Whether `name` is a command of the image, as `command -v` finds it: a file at a path, the
/// shell, BusyBox's applets, or a program the image ships.
fn is_command(sys: &Sys, name: &str) -> bool {
    if name.contains('/') {
        return sys.fs.get(&normalize("/", name)).is_some();
    }
    matches!(name, "sh" | "ash") || is_tool(name) || sys.ships(name)
}

/// `/entrypoint.sh ARGS...`: `exec curl ARGS...` or `exec ARGS...`.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, _call: &Call) -> Option<Flow> {
    let args = &argv[1..];
    let Some(first) = args.first() else { return Some(Flow::Done(0)) };
    if first.starts_with('-') || !is_command(sys, first) {
        let mut next = vec!["curl".to_string()];
        next.extend(args.iter().cloned());
        return Some(Flow::Exec(next));
    }
    Some(Flow::Exec(args.to_vec()))
}
