use crate::container::shell::testing::{busybox, run};
use crate::container::shell::Dialect;

#[test]
fn prints_fields() {
    assert_eq!(busybox("echo 'a b  c' | awk '{print $2}'"), "b\n");
    assert_eq!(busybox("echo 'a b c' | awk '{print $1, $3}'"), "a c\n");
    assert_eq!(busybox("echo 'a b c' | awk '{print $NF; print NF}'"), "c\n3\n");
    assert_eq!(busybox("echo 'a b c' | awk '{print $(NF-1)}'"), "b\n");
    assert_eq!(busybox("echo 'a:b:c' | awk -F: '{print $2}'"), "b\n");
    assert_eq!(busybox("printf 'a\\tb c\\n' | awk -F'\\t' '{print $2}'"), "b c\n");
    assert_eq!(busybox("echo 'x=1,y=2' | awk -F'[=,]' '{print $4}'"), "2\n");
    assert_eq!(busybox("awk '{print NR\": \"$0}' /etc/motd"), "1: one\n2: two\n3: three\n");
    assert_eq!(busybox("echo 'a b c' | awk '{$2=\"X\"; print}'"), "a X c\n");
    assert_eq!(busybox("echo 'a b' | awk -v OFS=- '{$1=$1; print}'"), "a-b\n");
}

#[test]
fn patterns_begin_and_end() {
    assert_eq!(busybox("awk '/t/' /etc/motd"), "two\nthree\n");
    assert_eq!(busybox("awk 'NR==2' /etc/motd"), "two\n");
    assert_eq!(busybox("awk 'NR>1 {print}' /etc/motd"), "two\nthree\n");
    assert_eq!(busybox("awk '!/o/' /etc/motd"), "three\n");
    assert_eq!(busybox("awk '$0 ~ /^t/ && length($0) > 3' /etc/motd"), "three\n");
    assert_eq!(busybox("awk 'BEGIN {print \"start\"} END {print NR}' /etc/motd"), "start\n3\n");
    assert_eq!(busybox("awk 'BEGIN { x = 2; print x * 3, x / 4, 7 % 3, 2 ^ 10 }'"), "6 0.5 1 1024\n");
    assert_eq!(busybox("awk '/one/,/two/' /etc/motd"), "one\ntwo\n");
    assert_eq!(busybox("seq 10 | awk 'NR % 3 == 0'"), "3\n6\n9\n");
}

#[test]
fn sums_and_control_flow() {
    assert_eq!(busybox("seq 5 | awk '{s += $1} END {print s}'"), "15\n");
    assert_eq!(
        busybox("seq 5 | awk '{ if ($1 > 3) print \"big\"; else print \"small\" }' | sort -u"),
        "big\nsmall\n"
    );
    assert_eq!(busybox("awk 'BEGIN { for (i = 1; i <= 3; i++) printf \"%d,\", i; print \"\" }'"), "1,2,3,\n");
    assert_eq!(busybox("awk 'BEGIN { i = 0; while (i < 3) { i++ }; print i }'"), "3\n");
    assert_eq!(busybox("seq 5 | awk '$1 == 2 {next} {print}' | head -2"), "1\n3\n");
    assert_eq!(busybox("seq 5 | awk '{print} $1 == 2 {exit}'"), "1\n2\n");
    assert_eq!(busybox("echo | awk '{exit 3}'; echo $?"), "3\n");
}

#[test]
fn values_and_comparisons() {
    assert_eq!(busybox("echo '10 9' | awk '{print ($1 > $2)}'"), "1\n");
    assert_eq!(busybox("awk 'BEGIN { print (\"10\" > \"9\") }'"), "0\n");
    assert_eq!(busybox("awk 'BEGIN { print 1/3 }'"), "0.333333\n");
    assert_eq!(busybox("awk 'BEGIN { print 100000 * 100000, 0.1 + 0.2 }'"), "10000000000 0.3\n");
    assert_eq!(busybox("awk 'BEGIN { x = \"3x\"; print x + 1, -x }'"), "4 -3\n");
    assert_eq!(busybox("awk 'BEGIN { print \"a\" \"b\" 1 + 2 }'"), "ab3\n");
}

#[test]
fn functions() {
    assert_eq!(busybox("echo hello | awk '{print length($0), length, toupper($0)}'"), "5 5 HELLO\n");
    assert_eq!(
        busybox(
            "awk 'BEGIN { print substr(\"hello\", 2, 3), substr(\"hello\", 4), index(\"hello\", \"ll\") }'"
        ),
        "ell lo 3\n"
    );
    assert_eq!(busybox("echo 'a-b-c' | awk '{gsub(/-/, \"+\"); print}'"), "a+b+c\n");
    assert_eq!(busybox("echo 'a-b-c' | awk '{n = sub(\"-\", \"[&]\"); print n, $0}'"), "1 a[-]b-c\n");
    assert_eq!(
        busybox("awk 'BEGIN { printf \"%5.2f|%-4s|%03d|%x\\n\", 3.14159, \"ab\", 7, 255 }'"),
        " 3.14|ab  |007|ff\n"
    );
    assert_eq!(busybox("awk 'BEGIN { s = sprintf(\"%s=%d\", \"n\", 4.7); print s, int(-2.5) }'"), "n=4 -2\n");
    assert_eq!(busybox("awk 'BEGIN { print match(\"foobar\", /ob/), RSTART, RLENGTH }'"), "3 3 2\n");
}

#[test]
fn output_to_files() {
    assert_eq!(busybox("awk '{print $0 > \"/tmp/copy\"}' /etc/motd; cat /tmp/copy"), "one\ntwo\nthree\n");
}

#[test]
fn errors() {
    let o = run(Dialect::Dash, "awk '{print $1' /etc/motd; echo $?");
    assert_eq!(
        (o.out.as_str(), o.err.as_str()),
        ("2\n", "awk: line 1: syntax error at or near end of file\n")
    );
    let o = run(Dialect::Busybox, "awk 'BEGIN {'");
    assert_eq!(o.err, "awk: cmd. line:1: syntax error at or near end of file\n");
    let o = run(Dialect::Dash, "awk '{print}' /nope; echo $?");
    assert_eq!(
        (o.out.as_str(), o.err.as_str()),
        ("2\n", "awk: cannot open /nope (No such file or directory)\n")
    );
    assert_eq!(run(Dialect::Busybox, "awk 'BEGIN { print 1/0 }'; echo $?").out, "2\n");
}
