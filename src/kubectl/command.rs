//! Parsing the command language (`kubectl::command`'s documentation): one command line into a [`Command`].
//!
//! The line is split into words as a POSIX shell would (quotes, backslashes, `#` comments), the
//! leading `kubectl` is optional, and flags are read as kubectl's flag library reads them: `-o wide`,
//! `-owide`, `-o=wide`, `--output wide`, `--output=wide`, clusters of boolean shorthands (`-it`),
//! flags before or after the arguments, and `--` ending the flags (exec's command follows it).
//! Errors are worded as kubectl words them. Parsing never panics, whatever the input.
//!
//! This file holds the [`Command`] type and the entry point; each verb's own flags and arguments
//! are read by its file under `verbs/` (the registry is `verbs.rs`), and the resource names by the
//! kinds table (`kinds.rs`). The browser terminal, scenario steps and the CLI all parse here.

pub use crate::kubectl::flags::split_words;
pub use crate::kubectl::kinds::{resource_kind, ResourceKind};

/// `-o` formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Wide,
    Yaml,
    Json,
    Name,
}

/// The target of `kubectl exec`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecTarget {
    Pod(String),
    Deployment(String),
    StatefulSet(String),
    DaemonSet(String),
}

/// Which pods `delete pod` deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodTarget {
    Names(Vec<String>),
    /// A label selector; `--all` is the empty selector, which matches every pod of the namespace.
    Selector(String),
}

/// Which objects of a kind a command addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Names(Vec<String>),
    /// A label selector; `--all` is the empty selector, which matches every object.
    Selector(String),
}

/// What `kubectl label` or `kubectl annotate` changes: keys to set (in key order) and keys to
/// remove (`KEY-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataEdit {
    pub kind: ResourceKind,
    pub selection: Selection,
    pub set: Vec<(String, String)>,
    pub remove: Vec<String>,
    pub overwrite: bool,
    pub namespace: Option<String>,
}

/// `kubectl patch --type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

/// One parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `kubectl apply -f -`: applies the editor's contents (the file given to the simulation).
    Apply,
    Get {
        kind: ResourceKind,
        names: Vec<String>,
        selector: Option<String>,
        output: OutputFormat,
        namespace: Option<String>,
        all_namespaces: bool,
    },
    /// `kubectl describe KIND [NAME...] [-l SELECTOR] [-A]`; without names it describes every
    /// matching object.
    Describe {
        kind: ResourceKind,
        names: Vec<String>,
        selector: Option<String>,
        namespace: Option<String>,
        all_namespaces: bool,
    },
    /// `kubectl logs POD [CONTAINER] [-c C] [-p] [--tail N]` (`-f` is accepted: the output is the
    /// log so far).
    Logs {
        pod: String,
        container: Option<String>,
        previous: bool,
        tail: Option<i64>,
        namespace: Option<String>,
    },
    /// `kubectl delete pod ...`. `grace_period` is what kubectl sends after its own rules: `--now`
    /// is 1, `--grace-period=0` without `--force` is 1, `--force` alone is 0; `None` leaves the
    /// pod's `terminationGracePeriodSeconds`. With `force`, kubectl first prints
    /// `Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.`
    DeletePods {
        target: PodTarget,
        grace_period: Option<i64>,
        force: bool,
        namespace: Option<String>,
    },
    /// `kubectl delete KIND NAME...|-l SELECTOR|--all [--cascade=background|foreground|orphan]`
    /// for every kind but pods. `warning` is what kubectl prints first on stderr (the
    /// deprecation of a boolean `--cascade`).
    Delete {
        kind: ResourceKind,
        selection: Selection,
        cascade: crate::controllers::Propagation,
        warning: Option<String>,
        namespace: Option<String>,
    },
    Scale {
        kind: ResourceKind,
        name: String,
        replicas: i32,
        namespace: Option<String>,
    },
    RolloutRestart {
        kind: ResourceKind,
        name: String,
        namespace: Option<String>,
    },
    Exec {
        target: ExecTarget,
        container: Option<String>,
        argv: Vec<String>,
        namespace: Option<String>,
    },
    /// `kubectl label KIND NAME... KEY=VALUE... KEY-... [--overwrite]`.
    Label(MetadataEdit),
    /// `kubectl annotate KIND NAME... KEY=VALUE... KEY-... [--overwrite]`.
    Annotate(MetadataEdit),
    /// `kubectl set image KIND NAME CONTAINER=IMAGE...` (`*` names every container).
    SetImage {
        kind: ResourceKind,
        name: String,
        images: Vec<(String, String)>,
        namespace: Option<String>,
    },
    /// `kubectl rollout status KIND NAME`: the rollout's state now, as `--watch=false` prints it.
    RolloutStatus {
        kind: ResourceKind,
        name: String,
        namespace: Option<String>,
    },
    /// `kubectl rollout history KIND NAME`.
    RolloutHistory {
        kind: ResourceKind,
        name: String,
        namespace: Option<String>,
    },
    /// `kubectl rollout undo KIND NAME [--to-revision=N]` (0: the previous revision).
    RolloutUndo {
        kind: ResourceKind,
        name: String,
        to_revision: i64,
        namespace: Option<String>,
    },
    /// `kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]`.
    Patch {
        kind: ResourceKind,
        name: String,
        patch: String,
        patch_type: PatchType,
        namespace: Option<String>,
    },
    /// `help`: what the command language supports.
    Help,
    /// `kubectl cordon NODE` (`unschedulable: true`) and `kubectl uncordon NODE`.
    Cordon {
        node: String,
        unschedulable: bool,
    },
    /// `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N]`.
    Drain {
        node: String,
        ignore_daemonsets: bool,
        delete_emptydir_data: bool,
        force: bool,
        grace_period: Option<i64>,
    },
    /// `kubectl create configmap NAME --from-literal=K=V...` or `kubectl create secret generic NAME
    /// --from-literal=K=V... [--type=T]`: the literals in the order given, already checked.
    Create {
        kind: ResourceKind,
        name: String,
        literals: Vec<(String, String)>,
        secret_type: Option<String>,
        namespace: Option<String>,
    },
    /// `node stop NAME` / `node start NAME`: a fault outside kubectl, the node's kubelet stopping
    /// or starting again.
    Node {
        name: String,
        start: bool,
    },
}

impl Command {
    /// The verb that parsed the command and executes it: its name in the registry (`verbs.rs`).
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Apply => "apply",
            Command::Get { .. } => "get",
            Command::Describe { .. } => "describe",
            Command::Logs { .. } => "logs",
            Command::DeletePods { .. } | Command::Delete { .. } => "delete",
            Command::Scale { .. } => "scale",
            Command::RolloutRestart { .. }
            | Command::RolloutStatus { .. }
            | Command::RolloutHistory { .. }
            | Command::RolloutUndo { .. } => "rollout",
            Command::SetImage { .. } => "set",
            Command::Patch { .. } => "patch",
            Command::Help => "help",
            Command::Exec { .. } => "exec",
            Command::Label(_) => "label",
            Command::Annotate(_) => "annotate",
            Command::Cordon { unschedulable: true, .. } => "cordon",
            Command::Cordon { unschedulable: false, .. } => "uncordon",
            Command::Drain { .. } => "drain",
            Command::Create { .. } => "create",
            Command::Node { .. } => "node",
        }
    }
}

/// Parses one command line (with or without the leading `kubectl`). Errors read like kubectl's.
pub fn parse(line: &str) -> Result<Command, String> {
    let words = split_words(line)?;
    let mut words: &[String] = &words;
    // `k` is the alias most clusters' shells define for kubectl.
    if words.first().is_some_and(|w| w == "kubectl" || w == "k") {
        words = &words[1..];
    }
    if words.is_empty() {
        return Err("error: no command given; try \"kubectl get pods\"".to_string());
    }
    // Only the namespace flag may come before the command name, as in `kubectl -n web get pods`.
    let mut pre = Vec::new();
    let mut i = 0;
    while i < words.len() && words[i].starts_with('-') && words[i] != "--" {
        pre.push(words[i].clone());
        let w = &words[i];
        if (w == "-n" || w == "--namespace") && i + 1 < words.len() {
            pre.push(words[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    let Some(verb) = words.get(i) else {
        return Err("error: no command given; try \"kubectl get pods\"".to_string());
    };
    let mut rest: Vec<String> = pre;
    rest.extend(words[i + 1..].iter().cloned());
    crate::kubectl::verbs::parse(verb, &rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    /// Parses each line and prints the result, one line per input, so a whole table of cases is
    /// one readable expectation.
    fn check(lines: &[&str], expect: Expect) {
        let mut out = String::new();
        for line in lines {
            let result = match parse(line) {
                Ok(c) => format!("{c:?}"),
                Err(e) => format!("Err({})", e.replace('\n', "⏎")),
            };
            out.push_str(&format!("{line}\n  => {result}\n"));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn resource_aliases() {
        let cases = [
            ("po", Some(ResourceKind::Pod)),
            ("pod", Some(ResourceKind::Pod)),
            ("Pods", Some(ResourceKind::Pod)),
            ("deploy", Some(ResourceKind::Deployment)),
            ("deployment", Some(ResourceKind::Deployment)),
            ("deployments.apps", Some(ResourceKind::Deployment)),
            ("deployments.v1.apps", Some(ResourceKind::Deployment)),
            ("deploy.apps", None),
            ("rs", Some(ResourceKind::ReplicaSet)),
            ("replicaset", Some(ResourceKind::ReplicaSet)),
            ("replicasets", Some(ResourceKind::ReplicaSet)),
            ("sts", Some(ResourceKind::StatefulSet)),
            ("statefulsets.apps", Some(ResourceKind::StatefulSet)),
            ("ds", Some(ResourceKind::DaemonSet)),
            ("daemonset", Some(ResourceKind::DaemonSet)),
            ("svc", Some(ResourceKind::Service)),
            ("service", Some(ResourceKind::Service)),
            ("services", Some(ResourceKind::Service)),
            ("ep", Some(ResourceKind::Endpoints)),
            ("endpoints", Some(ResourceKind::Endpoints)),
            ("endpointslice", Some(ResourceKind::EndpointSlice)),
            ("endpointslices.discovery.k8s.io", Some(ResourceKind::EndpointSlice)),
            ("ev", Some(ResourceKind::Event)),
            ("events", Some(ResourceKind::Event)),
            ("no", Some(ResourceKind::Node)),
            ("nodes", Some(ResourceKind::Node)),
            ("podz", None),
            ("configmaps", Some(ResourceKind::ConfigMap)),
            ("cm", Some(ResourceKind::ConfigMap)),
            ("secret", Some(ResourceKind::Secret)),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(resource_kind(text), want, "{text}");
        }
    }

    #[test]
    fn get_forms() {
        check(
            &[
                "kubectl get pods",
                "get po -o wide",
                "kubectl get pods -owide",
                "kubectl get pods --output=wide",
                "kubectl get pods --output yaml liveness-exec",
                "kubectl get pod/liveness-exec -o=json",
                "kubectl get deployments.apps httpd-deployment",
                "kubectl get pod -l app=httpd -o wide",
                "kubectl get pods --selector='app in (a, b)'",
                "kubectl get pod -n myserver -o wide",
                "kubectl -n myserver get pods",
                "kubectl get ep -A",
                "kubectl get pods liveness-exec     #查看pod是否存在",
                "kubectl get pods -o name a b",
            ],
            expect![[r#"
                kubectl get pods
                  => Get { kind: Pod, names: [], selector: None, output: Table, namespace: None, all_namespaces: false }
                get po -o wide
                  => Get { kind: Pod, names: [], selector: None, output: Wide, namespace: None, all_namespaces: false }
                kubectl get pods -owide
                  => Get { kind: Pod, names: [], selector: None, output: Wide, namespace: None, all_namespaces: false }
                kubectl get pods --output=wide
                  => Get { kind: Pod, names: [], selector: None, output: Wide, namespace: None, all_namespaces: false }
                kubectl get pods --output yaml liveness-exec
                  => Get { kind: Pod, names: ["liveness-exec"], selector: None, output: Yaml, namespace: None, all_namespaces: false }
                kubectl get pod/liveness-exec -o=json
                  => Get { kind: Pod, names: ["liveness-exec"], selector: None, output: Json, namespace: None, all_namespaces: false }
                kubectl get deployments.apps httpd-deployment
                  => Get { kind: Deployment, names: ["httpd-deployment"], selector: None, output: Table, namespace: None, all_namespaces: false }
                kubectl get pod -l app=httpd -o wide
                  => Get { kind: Pod, names: [], selector: Some("app=httpd"), output: Wide, namespace: None, all_namespaces: false }
                kubectl get pods --selector='app in (a, b)'
                  => Get { kind: Pod, names: [], selector: Some("app in (a, b)"), output: Table, namespace: None, all_namespaces: false }
                kubectl get pod -n myserver -o wide
                  => Get { kind: Pod, names: [], selector: None, output: Wide, namespace: Some("myserver"), all_namespaces: false }
                kubectl -n myserver get pods
                  => Get { kind: Pod, names: [], selector: None, output: Table, namespace: Some("myserver"), all_namespaces: false }
                kubectl get ep -A
                  => Get { kind: Endpoints, names: [], selector: None, output: Table, namespace: None, all_namespaces: true }
                kubectl get pods liveness-exec     #查看pod是否存在
                  => Get { kind: Pod, names: ["liveness-exec"], selector: None, output: Table, namespace: None, all_namespaces: false }
                kubectl get pods -o name a b
                  => Get { kind: Pod, names: ["a", "b"], selector: None, output: Name, namespace: None, all_namespaces: false }
            "#]],
        );
    }

    #[test]
    fn other_commands() {
        check(
            &[
                "kubectl apply -f -",
                "kubectl apply -f-",
                "kubectl describe pods liveness-exec",
                "kubectl describe deploy/httpd-deployment",
                "kubectl describe svc -l app=x",
                "kubectl logs --tail 20 web-0 -n myserver",
                "kubectl logs web-0 nginx --previous",
                "kubectl logs pod/web-0 -c nginx -p",
                "kubectl delete pods httpd-deployment-564dc969bb-k4sbr",
                "kubectl delete pod -l app=httpd --wait=false",
                "kubectl delete pod x --grace-period=0 --force",
                "kubectl delete pod x --grace-period=0",
                "kubectl delete pod x --force",
                "kubectl delete pod x --now",
                "kubectl delete pods --all",
                "kubectl scale deploy web --replicas=3",
                "kubectl scale sts/web --replicas 0",
                "kubectl rollout restart deploy/web",
                "kubectl rollout restart daemonset web",
                "kubectl exec -it httpd-deployment-564dc969bb-k4sbr -- /bin/sh",
                "kubectl exec deploy/httpd -- rm /usr/local/apache2/htdocs/index.html",
                "kubectl exec web -c side -- sh -c 'echo \"hi there\" > /tmp/x; cat /tmp/x'",
                "kubectl exec -i -t sts/db -- ls -l -- /",
            ],
            expect![[r#"
                kubectl apply -f -
                  => Apply
                kubectl apply -f-
                  => Apply
                kubectl describe pods liveness-exec
                  => Describe { kind: Pod, names: ["liveness-exec"], selector: None, namespace: None, all_namespaces: false }
                kubectl describe deploy/httpd-deployment
                  => Describe { kind: Deployment, names: ["httpd-deployment"], selector: None, namespace: None, all_namespaces: false }
                kubectl describe svc -l app=x
                  => Describe { kind: Service, names: [], selector: Some("app=x"), namespace: None, all_namespaces: false }
                kubectl logs --tail 20 web-0 -n myserver
                  => Logs { pod: "web-0", container: None, previous: false, tail: Some(20), namespace: Some("myserver") }
                kubectl logs web-0 nginx --previous
                  => Logs { pod: "web-0", container: Some("nginx"), previous: true, tail: None, namespace: None }
                kubectl logs pod/web-0 -c nginx -p
                  => Logs { pod: "web-0", container: Some("nginx"), previous: true, tail: None, namespace: None }
                kubectl delete pods httpd-deployment-564dc969bb-k4sbr
                  => DeletePods { target: Names(["httpd-deployment-564dc969bb-k4sbr"]), grace_period: None, force: false, namespace: None }
                kubectl delete pod -l app=httpd --wait=false
                  => DeletePods { target: Selector("app=httpd"), grace_period: None, force: false, namespace: None }
                kubectl delete pod x --grace-period=0 --force
                  => DeletePods { target: Names(["x"]), grace_period: Some(0), force: true, namespace: None }
                kubectl delete pod x --grace-period=0
                  => DeletePods { target: Names(["x"]), grace_period: Some(1), force: false, namespace: None }
                kubectl delete pod x --force
                  => DeletePods { target: Names(["x"]), grace_period: Some(0), force: true, namespace: None }
                kubectl delete pod x --now
                  => DeletePods { target: Names(["x"]), grace_period: Some(1), force: false, namespace: None }
                kubectl delete pods --all
                  => DeletePods { target: Selector(""), grace_period: None, force: false, namespace: None }
                kubectl scale deploy web --replicas=3
                  => Scale { kind: Deployment, name: "web", replicas: 3, namespace: None }
                kubectl scale sts/web --replicas 0
                  => Scale { kind: StatefulSet, name: "web", replicas: 0, namespace: None }
                kubectl rollout restart deploy/web
                  => RolloutRestart { kind: Deployment, name: "web", namespace: None }
                kubectl rollout restart daemonset web
                  => RolloutRestart { kind: DaemonSet, name: "web", namespace: None }
                kubectl exec -it httpd-deployment-564dc969bb-k4sbr -- /bin/sh
                  => Exec { target: Pod("httpd-deployment-564dc969bb-k4sbr"), container: None, argv: ["/bin/sh"], namespace: None }
                kubectl exec deploy/httpd -- rm /usr/local/apache2/htdocs/index.html
                  => Exec { target: Deployment("httpd"), container: None, argv: ["rm", "/usr/local/apache2/htdocs/index.html"], namespace: None }
                kubectl exec web -c side -- sh -c 'echo "hi there" > /tmp/x; cat /tmp/x'
                  => Exec { target: Pod("web"), container: Some("side"), argv: ["sh", "-c", "echo \"hi there\" > /tmp/x; cat /tmp/x"], namespace: None }
                kubectl exec -i -t sts/db -- ls -l -- /
                  => Exec { target: StatefulSet("db"), container: None, argv: ["ls", "-l", "--", "/"], namespace: None }
            "#]],
        );
    }

    #[test]
    fn mutation_forms() {
        check(
            &[
                "kubectl label pods web tier=fe",
                "kubectl label --overwrite pod/web tier=be env-",
                "kubectl label pods -l app=web track=stable",
                "kubectl label pods --all a=b -n shop",
                "kubectl label node k8s-worker1 disk=ssd",
                "kubectl annotate deploy web kubernetes.io/change-cause='image 1.27' note=a=b",
                "kubectl set image deployment/web nginx=nginx:1.27",
                "kubectl set image sts web '*=busybox'",
                "kubectl rollout status deploy/web",
                "kubectl rollout history deployment web",
                "kubectl rollout undo deploy/web --to-revision=2",
                "kubectl cordon k8s-worker1",
                "kubectl uncordon node/k8s-worker1",
                "kubectl label pods --all -l app=x a=b",
                "kubectl label events e a=b",
                "kubectl annotate pod web a- a=b",
                "kubectl set image pod/web",
                "kubectl set image svc/web a=b",
                "kubectl rollout undo rs/web",
            ],
            expect![[r#"
                kubectl label pods web tier=fe
                  => Label(MetadataEdit { kind: Pod, selection: Names(["web"]), set: [("tier", "fe")], remove: [], overwrite: false, namespace: None })
                kubectl label --overwrite pod/web tier=be env-
                  => Label(MetadataEdit { kind: Pod, selection: Names(["web"]), set: [("tier", "be")], remove: ["env"], overwrite: true, namespace: None })
                kubectl label pods -l app=web track=stable
                  => Label(MetadataEdit { kind: Pod, selection: Selector("app=web"), set: [("track", "stable")], remove: [], overwrite: false, namespace: None })
                kubectl label pods --all a=b -n shop
                  => Label(MetadataEdit { kind: Pod, selection: Selector(""), set: [("a", "b")], remove: [], overwrite: false, namespace: Some("shop") })
                kubectl label node k8s-worker1 disk=ssd
                  => Label(MetadataEdit { kind: Node, selection: Names(["k8s-worker1"]), set: [("disk", "ssd")], remove: [], overwrite: false, namespace: None })
                kubectl annotate deploy web kubernetes.io/change-cause='image 1.27' note=a=b
                  => Annotate(MetadataEdit { kind: Deployment, selection: Names(["web"]), set: [("kubernetes.io/change-cause", "image 1.27"), ("note", "a=b")], remove: [], overwrite: false, namespace: None })
                kubectl set image deployment/web nginx=nginx:1.27
                  => SetImage { kind: Deployment, name: "web", images: [("nginx", "nginx:1.27")], namespace: None }
                kubectl set image sts web '*=busybox'
                  => SetImage { kind: StatefulSet, name: "web", images: [("*", "busybox")], namespace: None }
                kubectl rollout status deploy/web
                  => RolloutStatus { kind: Deployment, name: "web", namespace: None }
                kubectl rollout history deployment web
                  => RolloutHistory { kind: Deployment, name: "web", namespace: None }
                kubectl rollout undo deploy/web --to-revision=2
                  => RolloutUndo { kind: Deployment, name: "web", to_revision: 2, namespace: None }
                kubectl cordon k8s-worker1
                  => Cordon { node: "k8s-worker1", unschedulable: true }
                kubectl uncordon node/k8s-worker1
                  => Cordon { node: "k8s-worker1", unschedulable: false }
                kubectl label pods --all -l app=x a=b
                  => Err(error: cannot set --all and --selector at the same time)
                kubectl label events e a=b
                  => Err(error: the playground does not keep events as objects it can change)
                kubectl annotate pod web a- a=b
                  => Err(error: can not both modify and remove the following annotation(s) in the same command: a)
                kubectl set image pod/web
                  => Err(error: at least one image update is required)
                kubectl set image svc/web a=b
                  => Err(error: service/web has no pod template)
                kubectl rollout undo rs/web
                  => Err(error: no rollbacker has been implemented for "ReplicaSet")
            "#]],
        );
    }

    #[test]
    fn errors_read_like_kubectl() {
        check(
            &[
                "",
                "kubectl",
                "kubectl foo",
                "kubectl get",
                "kubectl get podz",
                "kubectl get pods,svc",
                "kubectl get pod/a svc/b",
                "kubectl get pod pod/a",
                "kubectl get pod/a/b",
                "kubectl get pods -o",
                "kubectl get pods -o jsonpath={.items}",
                "kubectl get pods --foo",
                "kubectl get pods -w",
                "kubectl get pods x -l app=y",
                "kubectl scale deploy web",
                "kubectl scale deploy web --replicas=x",
                "kubectl scale deploy web --replicas=-1",
                "kubectl scale deploy a b --replicas=1",
                "kubectl scale svc web --replicas=1",
                "kubectl delete",
                "kubectl delete pod",
                "kubectl delete deploy web --cascade=sideways",
                "kubectl delete pod x --now --grace-period=5",
                "kubectl delete pod x --wait=maybe",
                "kubectl exec web ls",
                "kubectl exec web",
                "kubectl exec -- ls",
                "kubectl logs",
                "kubectl logs a -c x y",
                "kubectl apply",
                "kubectl apply -f pod.yaml",
                "kubectl edit pod x",
                "kubectl rollout status deploy/x",
                "kubectl get pods 'unterminated",
                "kubectl describe pods liveness-exec | grep -i liveness",
            ],
            expect![[r#"

                  => Err(error: no command given; try "kubectl get pods")
                kubectl
                  => Err(error: no command given; try "kubectl get pods")
                kubectl foo
                  => Err(error: unknown command "foo" for "kubectl")
                kubectl get
                  => Err(You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.⏎⏎error: Required resource not specified.)
                kubectl get podz
                  => Err(error: the server doesn't have a resource type "podz")
                kubectl get pods,svc
                  => Err(error: you must specify only one resource)
                kubectl get pod/a svc/b
                  => Err(error: you must specify only one resource)
                kubectl get pod pod/a
                  => Err(error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>')
                kubectl get pod/a/b
                  => Err(error: arguments in resource/name form must have a single resource and name)
                kubectl get pods -o
                  => Err(error: flag needs an argument: 'o' in -o⏎See 'kubectl get --help' for usage.)
                kubectl get pods -o jsonpath={.items}
                  => Err(error: unable to match a printer suitable for the output format "jsonpath={.items}", allowed formats are: json,name,wide,yaml⏎See 'kubectl get --help' for usage.)
                kubectl get pods --foo
                  => Err(error: unknown flag: --foo⏎See 'kubectl get --help' for usage.)
                kubectl get pods -w
                  => Err(error: unknown shorthand flag: 'w' in -w⏎See 'kubectl get --help' for usage.)
                kubectl get pods x -l app=y
                  => Err(error: name cannot be provided when a selector is specified)
                kubectl scale deploy web
                  => Err(error: required flag(s) "replicas" not set)
                kubectl scale deploy web --replicas=x
                  => Err(error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax⏎See 'kubectl scale --help' for usage.)
                kubectl scale deploy web --replicas=-1
                  => Err(error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0)
                kubectl scale deploy a b --replicas=1
                  => Err(error: you must specify only one resource)
                kubectl scale svc web --replicas=1
                  => Err(error: no scaler has been implemented for {"" "Service"})
                kubectl delete
                  => Err(error: You must provide one or more resources by argument or filename.⏎Example resource specifications include:⏎   '-f rsrc.yaml'⏎   '--filename=rsrc.json'⏎   '<resource> <name>'⏎   '<resource>')
                kubectl delete pod
                  => Err(error: resource(s) were provided, but no name was specified)
                kubectl delete deploy web --cascade=sideways
                  => Err(error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan")
                kubectl delete pod x --now --grace-period=5
                  => Err(error: --now and --grace-period cannot be specified together)
                kubectl delete pod x --wait=maybe
                  => Err(error: invalid argument "maybe" for "--wait" flag: strconv.ParseBool: parsing "maybe": invalid syntax⏎See 'kubectl delete --help' for usage.)
                kubectl exec web ls
                  => Err(error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead⏎See 'kubectl exec -h' for help and examples)
                kubectl exec web
                  => Err(error: you must specify at least one command for the container)
                kubectl exec -- ls
                  => Err(error: pod, type/name or --filename must be specified)
                kubectl logs
                  => Err(error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.⏎POD or TYPE/NAME is a required argument for the logs command⏎See 'kubectl logs -h' for help and examples)
                kubectl logs a -c x y
                  => Err(error: only one of -c or an inline [CONTAINER] arg is allowed)
                kubectl apply
                  => Err(error: must specify one of -f and -k)
                kubectl apply -f pod.yaml
                  => Err(error: the path "pod.yaml" does not exist (the playground applies the editor's contents: kubectl apply -f -))
                kubectl edit pod x
                  => Err(error: "kubectl edit" is not part of the playground; use apply, get, describe, logs, delete, scale, rollout, exec, label, annotate, cordon, uncordon, drain, set, patch, create, node or help)
                kubectl rollout status deploy/x
                  => RolloutStatus { kind: Deployment, name: "x", namespace: None }
                kubectl get pods 'unterminated
                  => Err(error: unterminated ' quote in the command line)
                kubectl describe pods liveness-exec | grep -i liveness
                  => Err(error: the terminal runs one kubectl command; shell operators like '|' are not supported)
            "#]],
        );
    }

    #[test]
    fn word_splitting() {
        let cases: &[(&str, &[&str])] = &[
            ("a  b\tc", &["a", "b", "c"]),
            ("'a b' \"c d\"", &["a b", "c d"]),
            ("a\\ b", &["a b"]),
            ("\"x\\\"y\\\\z\\n\"", &["x\"y\\z\\n"]),
            ("''", &[""]),
            ("a#b # comment", &["a#b"]),
            ("pre'mid'\"end\"", &["premidend"]),
        ];
        for (line, want) in cases {
            assert_eq!(
                split_words(line).unwrap(),
                want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{line}"
            );
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        for line in [
            "-",
            "--",
            "-n",
            "kubectl -n",
            "get -o= pods",
            "get pods -",
            "exec -c",
            "get /",
            "get pod/",
            "é -ñ",
            "get pods -Aé",
        ] {
            let _ = parse(line);
        }
    }
}
