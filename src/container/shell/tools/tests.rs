use crate::container::shell::testing::{busybox, run, run_in, TestHost};
use crate::container::shell::Dialect;

#[test]
fn true_false_and_colon() {
    assert_eq!(busybox("true; echo $?; false; echo $?; :; echo $?"), "0\n1\n0\n");
}

#[test]
fn date_follows_the_virtual_clock() {
    assert_eq!(busybox("a=$(date +%s); sleep 2; b=$(date +%s); echo $((b - a))"), "2\n");
    assert_eq!(busybox("date +%Y-%m-%dT%H:%M:%S | grep -c '^[0-9]\\{4\\}-[0-9][0-9]-[0-9][0-9]T'"), "1\n");
    // The world starts at 2025-09-01 09:00 UTC (`api::EPOCH_UNIX_SECONDS`).
    assert_eq!(busybox("date; sleep 61; date +%T"), "Mon Sep  1 09:00:00 UTC 2025\n09:01:01\n");
}

#[test]
fn ps_lists_the_hosts_processes() {
    assert_eq!(
        busybox("ps"),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sh -c main\n    7 root      0:00 sleep 100\n"
    );
    assert_eq!(
        run(Dialect::Dash, "ps").out,
        "    PID TTY          TIME CMD\n      1 ?        00:00:00 sh\n      7 ?        00:00:00 sleep\n"
    );
}

#[test]
fn images_without_a_tool_say_not_found() {
    let mut host = TestHost::new(Dialect::Dash);
    host.missing = vec!["ps"];
    let o = run_in(&mut host, "sh", "ps; echo $?; which ps; echo $?");
    assert_eq!((o.out.as_str(), o.err.as_str()), ("127\n1\n", "sh: 1: ps: not found\n"));
    let mut host = TestHost::new(Dialect::Busybox);
    host.missing = vec!["awk"];
    assert_eq!(run_in(&mut host, "sh", "x=$(awk 1 /etc/motd); echo $?").out, "127\n");
}

#[test]
fn which_finds_the_tools() {
    assert_eq!(busybox("which sed awk sort"), "/bin/sed\n/bin/awk\n/bin/sort\n");
}
