//! Container behaviour through the public API: scripts in virtual time, exec transcripts per
//! image, HTTP serving, signals and hostile input.

use expect_test::{expect, Expect};

use crate::container::*;

fn config(image: &str, command: &[&str], args: &[&str]) -> ContainerConfig {
    ContainerConfig {
        name: "c".into(),
        image: image.into(),
        command: command.iter().map(|s| s.to_string()).collect(),
        args: args.iter().map(|s| s.to_string()).collect(),
        env: vec![("GREETING".into(), "hello".into())],
        ports: vec![PortDecl { name: None, port: 8080, protocol: "TCP".into() }],
        pod_ip: "10.244.1.5".into(),
        hostname: "web-0".into(),
        resolv_conf: None,
        volumes: Vec::new(),
        files: Vec::new(),
    }
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

fn get(c: &mut Container, port: u16, path: &str, now: Millis) -> String {
    let req = HttpRequest {
        port,
        path: path.into(),
        headers: vec![("User-Agent".into(), "kube-probe/1.34".into()), ("Accept".into(), "*/*".into())],
        scheme: "HTTP".into(),
    };
    match c.http(&req, now) {
        HttpOutcome::Response { status, body, location, .. } => {
            let loc = location.map(|l| format!(" -> {l}")).unwrap_or_default();
            format!("{status} {}B{loc}", body.len())
        }
        other => format!("{other:?}"),
    }
}

/// Runs each command in a fresh container of the image and prints exit code, duration and output.
fn check_exec(image: &str, commands: &[&[&str]], expect: Expect) {
    let mut out = String::new();
    for cmd in commands {
        let mut c = Container::start(&config(image, &[], &["sleep", "3600"]), 0);
        let r = c.exec(&argv(cmd), 1000, Some(5000));
        out.push_str(&format!(
            "$ {}\n[{}{} {}ms]\n{}",
            cmd.join(" "),
            r.exit_code,
            if r.timed_out { " timed out" } else { "" },
            r.duration,
            r.output
        ));
    }
    expect.assert_eq(&out);
}

/// An unknown application image answers its own declared port through `curl`, as the preStop
/// hook of seed 003 (`curl http://localhost:7083/api/nacos/deregister&&sleep 25`) needs.
#[test]
fn unknown_image_curls_its_own_port() {
    let mut c = Container::start(&config("demo/order-service:1.0.0", &[], &[]), 0);
    let r = c.exec(
        &argv(&[
            "/bin/sh",
            "-c",
            "curl -s -o /dev/null -w %{http_code} http://localhost:8080/api/nacos/deregister&&echo ok",
        ]),
        1000,
        None,
    );
    assert_eq!((r.exit_code, r.output.as_str()), (0, "200ok\n"));
}

/// The docs' exec liveness script: the file exists until 30 s; a probe at the same instant as the
/// script's `rm` sees the state before it, and the next instant sees it gone.
#[test]
fn seed_000_script_timeline() {
    let cfg = config(
        "busybox",
        &[],
        &["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"],
    );
    let mut c = Container::start(&cfg, 0);
    assert_eq!(c.next_wake(), Some(30_000));
    let cat = argv(&["cat", "/tmp/healthy"]);
    for t in [5_000, 25_000, 30_000] {
        assert_eq!(c.exec(&cat, t, Some(1000)).exit_code, 0, "at {t}");
    }
    c.advance(30_001);
    let r = c.exec(&cat, 30_001, Some(1000));
    assert_eq!(
        (r.exit_code, r.output.as_str()),
        (1, "cat: can't open '/tmp/healthy': No such file or directory\n")
    );
    assert_eq!(c.next_wake(), Some(630_000), "the script sleeps 600 s after the rm");
    c.advance(630_000);
    assert_eq!(c.exit_status(), Some(&ExitStatus { code: 0, at: 630_000, signal: None }));
}

/// `sleep` suspends and resumes in virtual time, including fractions and nested loops.
#[test]
fn sleep_resumes_in_virtual_time() {
    let script = "for i in 1 2 3; do echo tick $i; sleep 0.5; done; exit 3";
    let mut c = Container::start(&config("alpine", &["sh", "-c"], &[script]), 1000);
    let mut wakes = Vec::new();
    while let Some(t) = c.next_wake() {
        wakes.push(t);
        c.advance(t);
    }
    assert_eq!(wakes, vec![1500, 2000, 2500]);
    assert_eq!(c.exit_status().map(|e| (e.code, e.at)), Some((3, 2500)));
    let logs: Vec<String> = c.logs().iter().map(|l| format!("{} {}", l.at, l.text)).collect();
    assert_eq!(logs, ["1000 tick 1", "1500 tick 2", "2000 tick 3"]);
}

#[test]
fn exec_transcripts_busybox() {
    check_exec(
        "busybox",
        &[
            &["cat", "/tmp/healthy"],
            &["sh", "-c", "echo $GREETING > /tmp/x && cat /tmp/x; ls /tmp"],
            &["sh", "-c", "foo"],
            &["foo"],
            &["sh", "-c", "rm /tmp; rm /nope; rm -f /nope; echo $?"],
            &[
                "sh",
                "-c",
                "if [ -f /etc/passwd ]; then echo yes; else echo no; fi; [ -d /nope ] || echo missing",
            ],
            &["sh", "-c", "sleep 2; echo late"],
            &["sh", "-c", "sleep 10; echo never"],
            &["sh", "-c", "echo 'unterminated"],
            &["sh", "-c", "mkdir -p /a/b && echo x >> /a/b/c && echo y >> /a/b/c && cat /a/b/c; mkdir /a"],
            &["sh", "-c", "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i; printf '%s-%d\\n' a 1 b 2"],
            &["bash", "-c", "true"],
            &["sh", "-c", "for i in $(seq 1 300); do :; done; echo done"],
            &["wget", "-q", "-O", "-", "http://localhost:8080/"],
        ],
        expect![[r#"
            $ cat /tmp/healthy
            [1 0ms]
            cat: can't open '/tmp/healthy': No such file or directory
            $ sh -c echo $GREETING > /tmp/x && cat /tmp/x; ls /tmp
            [0 0ms]
            hello
            x
            $ sh -c foo
            [127 0ms]
            sh: foo: not found
            $ foo
            [126 0ms]
            OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown
            $ sh -c rm /tmp; rm /nope; rm -f /nope; echo $?
            [0 0ms]
            0
            rm: '/tmp' is a directory
            rm: can't remove '/nope': No such file or directory
            $ sh -c if [ -f /etc/passwd ]; then echo yes; else echo no; fi; [ -d /nope ] || echo missing
            [0 0ms]
            yes
            missing
            $ sh -c sleep 2; echo late
            [0 2000ms]
            late
            $ sh -c sleep 10; echo never
            [-1 timed out 5000ms]
            $ sh -c echo 'unterminated
            [2 0ms]
            sh: syntax error: unterminated quoted string
            $ sh -c mkdir -p /a/b && echo x >> /a/b/c && echo y >> /a/b/c && cat /a/b/c; mkdir /a
            [1 0ms]
            x
            y
            mkdir: can't create directory '/a': File exists
            $ sh -c i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i; printf '%s-%d\n' a 1 b 2
            [0 2ms]
            3
            a-1
            b-2
            $ bash -c true
            [126 0ms]
            OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown
            $ sh -c for i in $(seq 1 300); do :; done; echo done
            [0 299ms]
            done
            $ wget -q -O - http://localhost:8080/
            [1 0ms]
            wget: can't connect to remote host (127.0.0.1): Connection refused
        "#]],
    );
}

#[test]
fn exec_transcripts_debian_images() {
    check_exec(
        "nginx:1.27",
        &[
            &["cat", "/x"],
            &["sh", "-c", "foo"],
            &["bash", "-c", "foo"],
            &["nope"],
            &["sh", "-c", "rm /usr/share/nginx/html/index.html; ls /usr/share/nginx/html; echo > /no/dir/f"],
            &["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://localhost/"],
        ],
        expect![[r#"
            $ cat /x
            [1 0ms]
            cat: /x: No such file or directory
            $ sh -c foo
            [127 0ms]
            sh: 1: foo: not found
            $ bash -c foo
            [127 0ms]
            bash: line 1: foo: command not found
            $ nope
            [126 0ms]
            OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown
            $ sh -c rm /usr/share/nginx/html/index.html; ls /usr/share/nginx/html; echo > /no/dir/f
            [2 0ms]
            50x.html
            sh: 1: cannot create /no/dir/f: Directory nonexistent
            $ curl -s -o /dev/null -w %{http_code} http://localhost/
            [7 0ms]
            000"#]],
    );
}

/// Images without a shell fail exec the way the runtime does.
#[test]
fn exec_without_shell_is_an_oci_error() {
    let mut c = Container::start(&config("registry.k8s.io/liveness", &[], &["/server"]), 0);
    let r = c.exec(&argv(&["sh", "-c", "true"]), 1000, Some(1000));
    assert_eq!(r.exit_code, 126);
    assert_eq!(r.output, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"sh\": executable file not found in $PATH: unknown\n");
}

/// nginx and httpd serve their document roots: 200, then 404 with the server's own page once
/// `index.html` is removed; access logs look like the real servers'.
#[test]
fn web_servers_serve_and_404() {
    let mut out = String::new();
    for (image, root, port) in [
        ("nginx", "/usr/share/nginx/html", 80),
        ("httpd", "/usr/local/apache2/htdocs", 80),
        ("nginx:1.16.0", "/usr/share/nginx/html", 80),
        ("ikubernetes/myapp:v1", "/usr/share/nginx/html", 80),
    ] {
        let mut c = Container::start(&config(image, &[], &[]), 0);
        out.push_str(&format!(
            "{image}: / {} | /index.html {} | /nope {}",
            get(&mut c, port, "/", 5000),
            get(&mut c, port, "/index.html", 5000),
            get(&mut c, port, "/nope", 5000)
        ));
        c.exec(&argv(&["rm", &format!("{root}/index.html")]), 6000, None);
        out.push_str(&format!(" | after rm {}\n", get(&mut c, port, "/index.html", 8000)));
        for line in c.logs().iter().filter(|l| l.text.contains("\"GET")).take(1) {
            out.push_str(&format!("  {}\n", line.text));
        }
    }
    expect![[r#"
        nginx: / 200 615B | /index.html 200 615B | /nope 404 153B | after rm 404 153B
          10.244.1.1 - - [01/Sep/2025:09:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.34" "-"
        httpd: / 200 45B | /index.html 200 45B | /nope 404 196B | after rm 404 196B
          10.244.1.1 - - [01/Sep/2025:09:00:05 +0000] "GET / HTTP/1.1" 200 45
        nginx:1.16.0: / 200 612B | /index.html 200 612B | /nope 404 153B | after rm 404 153B
          10.244.1.1 - - [01/Sep/2025:09:00:05 +0000] "GET / HTTP/1.1" 200 612 "-" "kube-probe/1.34" "-"
        ikubernetes/myapp:v1: / 200 65B | /index.html 200 65B | /nope 404 153B | after rm 404 153B
          10.244.1.1 - - [01/Sep/2025:09:00:05 +0000] "GET / HTTP/1.1" 200 65 "-" "kube-probe/1.34" "-"
    "#]]
    .assert_eq(&out);
}

/// The liveness server answers 200 `ok` for 10 s after it started, then 500 `error: <seconds>`.
#[test]
fn liveness_server_fails_after_ten_seconds() {
    for image in [
        "registry.k8s.io/liveness",
        "k8s.gcr.io/liveness",
        "gcr.io/google-containers/liveness",
        "mirrorgooglecontainers/liveness:latest",
    ] {
        let mut c = Container::start(&config(image, &[], &["/server"]), 2000);
        let at = |c: &mut Container, t| get(c, 8080, "/healthz", t);
        assert_eq!(at(&mut c, 5000), "200 2B");
        assert_eq!(at(&mut c, 12_000), "200 2B", "exactly 10 s is still healthy");
        let req = HttpRequest { port: 8080, path: "/healthz".into(), ..Default::default() };
        match c.http(&req, 15_000) {
            HttpOutcome::Response { status, body, .. } => assert_eq!((status, &*body), (500, "error: 13")),
            other => panic!("{other:?}"),
        }
        assert_eq!(c.tcp_connect(8081, 15_000), TcpOutcome::Refused);
        c.signal(Signal::Term, 20_000);
        assert_eq!(c.exit_status(), Some(&ExitStatus { code: 2, at: 20_000, signal: None }), "{image}");
    }
}

/// How each image's PID 1 reacts to its stop signal and to the others.
#[test]
fn signals_per_image() {
    let mut out = String::new();
    let cases: &[(&str, &[&str], &[&str], Signal)] = &[
        ("busybox", &[], &["sh", "-c", "sleep 600"], Signal::Term),
        (
            "busybox",
            &[],
            &["sh", "-c", "trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"],
            Signal::Term,
        ),
        ("registry.k8s.io/liveness", &[], &["/server"], Signal::Term),
        ("nginx", &[], &[], Signal::Quit),
        ("nginx", &[], &[], Signal::Term),
        ("nginx", &[], &[], Signal::Hup),
        ("httpd", &[], &[], Signal::Winch),
        ("redis", &[], &[], Signal::Term),
        ("tomcat:7.0.94-alpine", &[], &[], Signal::Term),
        ("registry.k8s.io/etcd:3.5.1-0", &["/usr/local/bin/etcd"], &[], Signal::Term),
        ("registry.k8s.io/goproxy:0.1", &[], &[], Signal::Term),
        ("nginx", &[], &[], Signal::Kill),
        ("example.com/unknown:1", &[], &[], Signal::Term),
    ];
    for (image, command, args, signal) in cases {
        let mut c = Container::start(&config(image, command, args), 0);
        c.signal(*signal, 10_000);
        let mut wake = c.next_wake();
        if let Some(t) = wake.filter(|t| *t < 20_000) {
            c.advance(t);
        } else {
            wake = None;
        }
        c.advance(12_000);
        let exit = c.exit_status().map(|e| {
            format!("exit {} at {}{}", e.code, e.at, e.signal.map(|s| format!(" by {s}")).unwrap_or_default())
        });
        out.push_str(&format!(
            "{image} {:?} (stop {:?}): {}{}\n",
            signal,
            c.stop_signal(),
            exit.unwrap_or_else(|| "running".into()),
            wake.map(|w| format!(", woke at {w}")).unwrap_or_default()
        ));
    }
    expect![[r#"
        busybox Term (stop Term): running
        busybox Term (stop Term): exit 0 at 11000, woke at 11000
        registry.k8s.io/liveness Term (stop Term): exit 2 at 10000
        nginx Quit (stop Quit): exit 0 at 10020, woke at 10020
        nginx Term (stop Quit): exit 0 at 10005, woke at 10005
        nginx Hup (stop Quit): running
        httpd Winch (stop Winch): exit 0 at 10020, woke at 10020
        redis Term (stop Term): exit 0 at 10005, woke at 10005
        tomcat:7.0.94-alpine Term (stop Term): exit 143 at 10500, woke at 10500
        registry.k8s.io/etcd:3.5.1-0 Term (stop Term): exit 0 at 10050, woke at 10050
        registry.k8s.io/goproxy:0.1 Term (stop Term): exit 2 at 10000
        nginx Kill (stop Quit): exit 137 at 10000 by 9
        example.com/unknown:1 Term (stop Term): exit 2 at 10000
    "#]]
    .assert_eq(&out);
}

/// `kill 1` from inside ends the main process, even a shell a real kernel would protect.
#[test]
fn kill_one_ends_the_main_process() {
    for (cmd, code, signal) in [
        (&["kill", "1"][..], 143, Some(15)),
        (&["kill", "-9", "1"], 137, Some(9)),
        (&["sh", "-c", "kill -TERM 1"], 143, Some(15)),
    ] {
        let mut c = Container::start(&config("busybox", &[], &["sh", "-c", "sleep 600"]), 0);
        let r = c.exec(&argv(cmd), 3000, Some(1000));
        assert_eq!(r.exit_code, 0);
        assert_eq!(c.exit_status(), Some(&ExitStatus { code, at: 3000, signal }));
    }
    let mut c = Container::start(&config("nginx", &[], &[]), 0);
    let r = c.exec(&argv(&["nginx", "-s", "quit"]), 3000, None);
    assert_eq!(r.exit_code, 0);
    c.advance(4000);
    assert_eq!(c.exit_status().map(|e| e.code), Some(0));
}

/// Default commands: bare shells exit at once with 0; servers keep running.
#[test]
fn default_commands() {
    for (image, exited) in [
        ("busybox", true),
        ("alpine:3.20", true),
        ("ubuntu", true),
        ("centos:7.9.2009", true),
        ("nginx", false),
        ("httpd", false),
        ("redis", false),
        ("prom/node-exporter:v1.3.1", false),
        ("registry.k8s.io/pause:3.10", false),
        ("example.com/unknown", false),
        ("nacos/nacos-server:v2.4.3", false),
    ] {
        let c = Container::start(&config(image, &[], &[]), 0);
        assert_eq!(c.exit_status().map(|e| e.code), if exited { Some(0) } else { None }, "{image}");
    }
    let mut c = Container::start(&config("busybox", &[], &["sh", "-c", "exit 1"]), 0);
    c.advance(0);
    assert_eq!(c.exit_status().map(|e| e.code), Some(1));
}

/// Ports per image, including start-up delays and the ubuntu inetd recipe of seed 000.
#[test]
fn ports_listen_when_ready() {
    let mut c = Container::start(&config("ubuntu", &[], &["/bin/sh", "-c",
        "apt-get update && apt-get -y install openbsd-inetd telnetd && /etc/init.d/openbsd-inetd start; sleep 30000"]), 0);
    assert_eq!(c.tcp_connect(23, 5_000), TcpOutcome::Refused);
    c.advance(60_000);
    assert_eq!(c.tcp_connect(23, 60_000), TcpOutcome::Connected);

    let mut redis = Container::start(&config("redis", &[], &[]), 0);
    assert_eq!(redis.tcp_connect(6379, 1000), TcpOutcome::Connected);
    let r = redis.exec(&argv(&["/usr/local/bin/redis-cli", "quit"]), 1000, Some(5000));
    assert_eq!((r.exit_code, r.output.as_str()), (0, "OK\n"));

    let mut etcd = Container::start(
        &config("registry.k8s.io/etcd:3.5.1-0", &["/usr/local/bin/etcd", "--data-dir", "/var/lib/etcd"], &[]),
        0,
    );
    assert_eq!(etcd.grpc_health(2379, "", 1000), GrpcOutcome::Status("SERVING".into()));
    assert_eq!(etcd.grpc_health(2380, "", 1000), GrpcOutcome::Unimplemented);
    assert_eq!(etcd.grpc_health(9999, "", 1000), GrpcOutcome::Refused);

    let mut tomcat = Container::start(&config("tomcat:7.0.94-alpine", &[], &[]), 0);
    assert_eq!(tomcat.tcp_connect(8080, 1000), TcpOutcome::Refused, "Tomcat takes 1.5 s to start");
    assert_eq!(get(&mut tomcat, 8080, "/", 2000), "200 218B");

    let mut goproxy = Container::start(&config("registry.k8s.io/goproxy:0.1", &[], &[]), 0);
    assert_eq!(goproxy.tcp_connect(8080, 0), TcpOutcome::Connected);

    let mut generic = Container::start(&config("example.com/shop:2", &[], &[]), 0);
    assert_eq!(get(&mut generic, 8080, "/anything", 0), "200 0B");
    assert_eq!(generic.tcp_connect(9090, 0), TcpOutcome::Refused);

    // nginx listening where its configuration says, as in seed 004's two-port pod.
    let script = "echo 'server { listen 8081; root /usr/share/nginx/html; }' > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'";
    let mut n = Container::start(&config("nginx", &["sh", "-c"], &[script]), 0);
    assert_eq!(get(&mut n, 8081, "/", 1000), "200 615B");
    assert_eq!(get(&mut n, 8081, "/hehe", 1000), "404 153B");
    assert_eq!(n.tcp_connect(80, 1000), TcpOutcome::Refused);
    n.signal(Signal::Quit, 2000);
    n.advance(3000);
    assert_eq!(n.exit_status().map(|e| e.code), Some(0), "nginx became PID 1 through exec");
}

/// The preStop hook of seed 002: `curl` to the app's own port succeeds, then the sleep counts.
#[test]
fn prestop_deregistration_hook() {
    let mut c = Container::start(
        &config("eclipse-temurin:17", &["java", "-jar", "/app.jar", "--server.port=7083"], &[]),
        0,
    );
    let hook = argv(&["/bin/sh", "-c", "curl http://localhost:7083/api/nacos/deregister&&sleep 25"]);
    let r = c.exec(&hook, 60_000, Some(30_000));
    assert_eq!((r.exit_code, r.duration, r.timed_out), (0, 25_000, false));
    let r = c.exec(&hook, 60_000, Some(10_000));
    assert_eq!((r.exit_code, r.duration, r.timed_out), (-1, 10_000, true));
}

/// Hostile scripts end with errors or keep running in bounded steps; nothing panics or hangs.
#[test]
fn hostile_scripts_are_bounded() {
    let deep = format!("{}true{}", "if true; then ".repeat(200), "; fi".repeat(200));
    let subst = format!("echo {}x{}", "$(".repeat(100), ")".repeat(100));
    let scripts = [
        "echo \"unterminated",
        "echo 'x",
        "if true; then",
        "while true; do :; done",
        "for",
        "))))",
        "$(",
        "`",
        "while true; do echo spam >> /tmp/f; done",
        "cat <",
        "echo ${",
        "a=$((1/0)); echo $a",
        "exit 99999999999999999999",
        "kill -9",
        "trap 'trap' TERM",
        "until false; do break; done; echo out",
        ": $(while true; do :; done)",
        deep.as_str(),
        subst.as_str(),
        "sh -c 'sh -c \"sh -c exit\"'",
        "eval 'eval \"eval x\"'",
        "ls /*/*/*",
    ];
    for script in scripts {
        let mut c = Container::start(&config("busybox", &["sh", "-c"], &[script]), 0);
        c.advance(3_600_000);
        let r = c.exec(&argv(&["sh", "-c", script]), 3_600_000, Some(1000));
        assert!(r.duration <= 1000, "{script}");
        let _ = c.files();
    }
    // A busy loop costs 1 ms per iteration: it is still running and wants to run again.
    let mut c = Container::start(&config("busybox", &["sh", "-c"], &["while true; do :; done"]), 0);
    c.advance(10_000);
    assert!(c.exit_status().is_none());
    assert!(c.next_wake().is_some_and(|t| t <= 10_001));
}

/// `$(VAR)` references in command and args are expanded from the container's env.
#[test]
fn env_references_in_args() {
    let mut c = Container::start(
        &config("busybox", &["sh", "-c"], &["echo $(GREETING) $GREETING '$$(GREETING)' '$(MISSING)'"]),
        0,
    );
    c.advance(0);
    assert_eq!(
        c.logs().iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["hello hello $(GREETING) $(MISSING)"]
    );
}

#[test]
fn image_sizes_and_files() {
    assert_eq!(Container::image_size("busybox"), Container::image_size("docker.io/library/busybox:1.36"));
    assert!(Container::image_size("example.com/x") > 0);
    let c = Container::start(&config("httpd", &[], &[]), 0);
    let files = c.files();
    assert!(files
        .iter()
        .any(|f| f.path == "/usr/local/apache2/htdocs/index.html" && f.size == 45 && !f.is_dir));
    assert!(files.windows(2).all(|w| w[0].path < w[1].path));
}

/// nginx reads its configuration again after it changed: a reload moves it to the new port.
#[test]
fn nginx_reload_reads_the_changed_configuration() {
    let mut c = Container::start(&config("nginx", &[], &[]), 0);
    let before = (get(&mut c, 80, "/", 1000), get(&mut c, 8081, "/", 1000));
    let conf = "server { listen 8081; root /usr/share/nginx/html; }";
    c.exec(&argv(&["sh", "-c", &format!("echo '{conf}' > /etc/nginx/conf.d/default.conf")]), 2000, None);
    c.exec(&argv(&["nginx", "-s", "reload"]), 3000, None);
    let after = (get(&mut c, 80, "/", 4000), get(&mut c, 8081, "/", 4000));
    assert_eq!((before.0.as_str(), before.1.as_str()), ("200 615B", "Refused"));
    assert_eq!((after.0.as_str(), after.1.as_str()), ("Refused", "200 615B"));
}
