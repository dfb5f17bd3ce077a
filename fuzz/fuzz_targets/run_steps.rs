//! Scenario steps and container scripts come from anyone: the command language and the shell must
//! return errors or output, never panic, and must finish in bounded work whatever the input does
//! (`while true; do :; done`, `a="$a$a"` in a loop, an endless `mkdir d; cd d`). The bound is the
//! playground's own budgets (`probe_playground::budget`): shell steps per virtual second, shell
//! memory, file data, log rotation, the pod limit. The target simulates at most a few virtual
//! minutes, so an input that still takes long is a budget that does not hold, which libFuzzer
//! reports as a timeout.
//!
//! The first character chooses what the rest is:
//! - `$`: a shell script, run as a container's command (`sh -c SCRIPT`) and by `kubectl exec`-like
//!   calls, in an image the second character chooses (BusyBox, Debian's dash, bash, a server image);
//! - anything else: the lines are steps, run one after another in a small cluster, a few virtual
//!   seconds apart.

#![no_main]

use libfuzzer_sys::fuzz_target;
use probe_playground::container::{Container, ContainerConfig};
use probe_playground::sim::Simulation;

/// The cluster the steps run in: a pod with a shell, a Deployment of web servers behind a Service.
const CLUSTER: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: box
  labels: {app: box}
spec:
  containers:
  - name: sh
    image: busybox
    command: ["sh", "-c", "touch /tmp/healthy; sleep 3600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        readinessProbe:
          httpGet: {path: /, port: 80}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
"#;

/// The most steps an input runs, and the virtual time between two of them.
const MAX_STEPS: usize = 12;
const STEP_GAP: u64 = 7_000;

/// The images a script may run in.
const IMAGES: &[&str] = &["busybox", "debian", "ubuntu", "nginx", "registry.k8s.io/liveness", "redis"];

fuzz_target!(|data: &[u8]| {
    // The terminal, the steps and the editor only ever hand over text.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match text.strip_prefix('$') {
        Some(rest) => script(rest),
        None => steps(text),
    }
});

fn steps(text: &str) {
    let Ok(mut sim) = Simulation::load(CLUSTER) else { panic!("the fuzz cluster loads") };
    let mut t = 0;
    for line in text.lines().take(MAX_STEPS) {
        let _ = sim.execute(line);
        t += STEP_GAP;
        sim.run_until(t);
    }
    // Whatever the steps started keeps running for a while, within its budgets.
    sim.run_until(t + 60_000);
    let _ = sim.execute("kubectl get pods -o wide");
    let _ = sim.execute("kubectl get events");
}

fn script(text: &str) {
    let mut chars = text.chars();
    let image = chars.next().map_or(0, |c| c as usize % IMAGES.len());
    let script = chars.as_str().to_string();
    let config = ContainerConfig {
        name: "c".to_string(),
        image: IMAGES[image].to_string(),
        command: vec!["sh".to_string(), "-c".to_string(), script.clone()],
        pod_ip: "10.244.1.2".to_string(),
        hostname: "pod".to_string(),
        ..Default::default()
    };
    let mut c = Container::start(&config, 0);
    for second in 1..=30u64 {
        c.advance(second * 1000);
    }
    let argv = vec!["sh".to_string(), "-c".to_string(), script];
    let _ = c.exec(&argv, 31_000, Some(10_000));
    let _ = c.exec(&argv, 42_000, Some(30_000));
    let _ = c.logs();
    let _ = c.files();
}
