//! Parsing the command language. (Placeholder until the command parser lands.)

/// The resource kinds `get` and `describe` accept, whatever alias was typed (`po`, `pods`, `deploy`,
/// `deployments.apps`, `svc`, `ep`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Pod,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Service,
    Endpoints,
    EndpointSlice,
    Event,
    Node,
}

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
    Selector(String),
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
    Describe { kind: ResourceKind, names: Vec<String>, selector: Option<String>, namespace: Option<String> },
    Logs { pod: String, container: Option<String>, previous: bool, namespace: Option<String> },
    DeletePods { target: PodTarget, grace_period: Option<i64>, force: bool, namespace: Option<String> },
    Scale { kind: ResourceKind, name: String, replicas: i32, namespace: Option<String> },
    RolloutRestart { kind: ResourceKind, name: String, namespace: Option<String> },
    Exec { target: ExecTarget, container: Option<String>, argv: Vec<String>, namespace: Option<String> },
}

/// Parses one command line (with or without the leading `kubectl`). Errors read like kubectl's.
pub fn parse(line: &str) -> Result<Command, String> {
    Err(format!("error: unknown command {:?}", line.trim()))
}
