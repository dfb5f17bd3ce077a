//! Parsing the command language (`kubectl::command`'s documentation): one command line into a [`Command`].
//!
//! The line is split into words as a POSIX shell would (quotes, backslashes, `#` comments), the
//! leading `kubectl` is optional, and flags are read as kubectl's flag library reads them: `-o wide`,
//! `-owide`, `-o=wide`, `--output wide`, `--output=wide`, clusters of boolean shorthands (`-it`),
//! flags before or after the arguments, and `--` ending the flags (exec's command follows it).
//! Errors are worded as kubectl words them. Parsing never panics, whatever the input.

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
    /// A label selector; `--all` is the empty selector, which matches every pod of the namespace.
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
}

/// Parses one command line (with or without the leading `kubectl`). Errors read like kubectl's.
pub fn parse(line: &str) -> Result<Command, String> {
    let words = split_words(line)?;
    let mut words: &[String] = &words;
    if words.first().is_some_and(|w| w == "kubectl") {
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
    let verb = verb.as_str();
    match verb {
        "get" => parse_get(&rest),
        "describe" => parse_describe(&rest),
        "logs" | "log" => parse_logs(&rest),
        "delete" => parse_delete(&rest),
        "scale" => parse_scale(&rest),
        "rollout" => parse_rollout(&rest),
        "exec" => parse_exec(&rest),
        "apply" => parse_apply(&rest),
        "create" | "edit" | "patch" | "replace" | "label" | "annotate" | "expose" | "run" | "set" | "autoscale"
        | "port-forward" | "proxy" | "cp" | "attach" | "top" | "cordon" | "uncordon" | "drain" | "taint" | "wait"
        | "explain" | "api-resources" | "api-versions" | "config" | "cluster-info" | "version" | "auth" | "debug"
        | "events" | "diff" | "kustomize" | "certificate" | "plugin" | "completion" | "alpha" | "options" => Err(format!(
            "error: \"kubectl {verb}\" is not part of the playground; use apply, get, describe, logs, delete, scale, rollout restart or exec"
        )),
        other => Err(format!("error: unknown command {other:?} for \"kubectl\"")),
    }
}

/// Maps a resource name as typed (case-insensitive; short names, singular, plural and
/// group-qualified forms) to its kind.
pub fn resource_kind(text: &str) -> Option<ResourceKind> {
    let lower = text.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower.clone(), None),
    };
    let kind = match base.as_str() {
        "po" | "pod" | "pods" => ResourceKind::Pod,
        "deploy" | "deployment" | "deployments" => ResourceKind::Deployment,
        "rs" | "replicaset" | "replicasets" => ResourceKind::ReplicaSet,
        "sts" | "statefulset" | "statefulsets" => ResourceKind::StatefulSet,
        "ds" | "daemonset" | "daemonsets" => ResourceKind::DaemonSet,
        "svc" | "service" | "services" => ResourceKind::Service,
        "ep" | "endpoints" => ResourceKind::Endpoints,
        "endpointslice" | "endpointslices" => ResourceKind::EndpointSlice,
        "ev" | "event" | "events" => ResourceKind::Event,
        "no" | "node" | "nodes" => ResourceKind::Node,
        _ => return None,
    };
    let Some(group) = group else { return Some(kind) };
    // Short names never take a group; full names take their own group, optionally with a version.
    let short = matches!(base.as_str(), "po" | "deploy" | "rs" | "sts" | "ds" | "svc" | "ep" | "ev" | "no");
    let allowed: &[&str] = match kind {
        ResourceKind::Deployment
        | ResourceKind::ReplicaSet
        | ResourceKind::StatefulSet
        | ResourceKind::DaemonSet => &["apps", "v1.apps"],
        ResourceKind::EndpointSlice => &["discovery.k8s.io", "v1.discovery.k8s.io"],
        ResourceKind::Event => &["events.k8s.io", "v1.events.k8s.io", "v1"],
        _ => &["v1"],
    };
    (!short && allowed.contains(&group.as_str())).then_some(kind)
}

/// Splits a command line into words as a POSIX shell does: blanks separate words; `'...'` is
/// literal; inside `"..."` a backslash escapes `"`, `\`, `$` and `` ` ``; outside quotes a backslash
/// escapes any character; an unquoted `#` at the start of a word begins a comment. Pipes and
/// redirections are refused rather than passed to kubectl as arguments.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => current.push(ch),
                        None => return Err("error: unterminated ' quote in the command line".to_string()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => current.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                current.push('\\');
                                current.push(ch);
                            }
                            None => {
                                return Err("error: unterminated \" quote in the command line".to_string())
                            }
                        },
                        Some(ch) => current.push(ch),
                        None => return Err("error: unterminated \" quote in the command line".to_string()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(ch) => current.push(ch),
                    None => {}
                }
            }
            '|' | '<' | '>' | ';' | '&' => {
                return Err(format!(
                    "error: the terminal runs one kubectl command; shell operators like {c:?} are not supported"
                ));
            }
            ch => {
                in_word = true;
                current.push(ch);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// What a flag carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    Bool,
    Value,
}

/// One flag a command accepts: long name, optional shorthand, arity.
type FlagSpec = (&'static str, Option<char>, Arity);

const NAMESPACE: FlagSpec = ("namespace", Some('n'), Arity::Value);

/// The flags given on a line, by long name, in order; and the positional arguments.
struct Parsed {
    flags: Vec<(&'static str, String)>,
    args: Vec<String>,
    /// The words after `--`, if `--` was given.
    after_dash: Option<Vec<String>>,
}

impl Parsed {
    fn value(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    fn bool(&self, verb: &str, name: &str) -> Result<bool, String> {
        match self.value(name) {
            None => Ok(false),
            Some(v) => parse_bool(v).ok_or_else(|| {
                format!(
                    "error: invalid argument {v:?} for \"--{name}\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax\n{}",
                    see_help(verb)
                )
            }),
        }
    }

    fn int(&self, verb: &str, name: &str) -> Result<Option<i64>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
                let why = if v.trim_start_matches('-').chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                format!(
                    "error: invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: {why}\n{}",
                    see_help(verb)
                )
            }),
        }
    }

    fn namespace(&self) -> Option<String> {
        self.value("namespace").map(str::to_string)
    }
}

fn see_help(verb: &str) -> String {
    format!("See 'kubectl {verb} --help' for usage.")
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Reads flags and arguments as kubectl's flag library does.
fn parse_flags(verb: &str, words: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let mut parsed = Parsed { flags: Vec::new(), args: Vec::new(), after_dash: None };
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            parsed.after_dash = Some(words[i..].to_vec());
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = specs.iter().find(|s| s.0 == name) else {
                return Err(format!("error: unknown flag: --{name}\n{}", see_help(verb)));
            };
            let value = match (spec.2, inline) {
                (_, Some(v)) => v,
                (Arity::Bool, None) => "true".to_string(),
                (Arity::Value, None) => {
                    let Some(v) = words.get(i) else {
                        return Err(format!("error: flag needs an argument: --{name}\n{}", see_help(verb)));
                    };
                    i += 1;
                    v.clone()
                }
            };
            parsed.flags.push((spec.0, value));
        } else if w.len() > 1 && w.starts_with('-') {
            let cluster: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < cluster.len() {
                let c = cluster[j];
                j += 1;
                let Some(spec) = specs.iter().find(|s| s.1 == Some(c)) else {
                    return Err(format!("error: unknown shorthand flag: '{c}' in {w}\n{}", see_help(verb)));
                };
                match spec.2 {
                    Arity::Bool => {
                        let value = if cluster.get(j) == Some(&'=') {
                            let v: String = cluster[j + 1..].iter().collect();
                            j = cluster.len();
                            v
                        } else {
                            "true".to_string()
                        };
                        parsed.flags.push((spec.0, value));
                    }
                    Arity::Value => {
                        let mut inline: String = cluster[j..].iter().collect();
                        j = cluster.len();
                        if let Some(v) = inline.strip_prefix('=') {
                            inline = v.to_string();
                        } else if inline.is_empty() {
                            let Some(v) = words.get(i) else {
                                return Err(format!(
                                    "error: flag needs an argument: '{c}' in -{c}\n{}",
                                    see_help(verb)
                                ));
                            };
                            i += 1;
                            inline = v.clone();
                        }
                        parsed.flags.push((spec.0, inline));
                    }
                }
            }
        } else {
            parsed.args.push(w.clone());
        }
    }
    Ok(parsed)
}

fn unknown_type(text: &str) -> String {
    format!("error: the server doesn't have a resource type {text:?}")
}

fn kind_of(text: &str) -> Result<ResourceKind, String> {
    if text.contains(',') {
        return Err("error: you must specify only one resource".to_string());
    }
    resource_kind(text).ok_or_else(|| unknown_type(text))
}

/// Reads `TYPE [NAME...]` or `TYPE/NAME...` (all of one kind).
fn kind_and_names(args: &[String]) -> Result<(ResourceKind, Vec<String>), String> {
    let first = &args[0];
    if first.contains('/') {
        let mut kind = None;
        let mut names = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
            };
            if n.is_empty() || n.contains('/') || t.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name".to_string()
                );
            }
            let k = kind_of(t)?;
            if kind.is_some_and(|prev| prev != k) {
                return Err("error: you must specify only one resource".to_string());
            }
            kind = Some(k);
            names.push(n.to_string());
        }
        let Some(kind) = kind else { return Err("error: you must specify only one resource".to_string()) };
        return Ok((kind, names));
    }
    let kind = kind_of(first)?;
    let names = args[1..].to_vec();
    if names.iter().any(|n| n.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
    }
    Ok((kind, names))
}

fn parse_output(verb: &str, text: &str) -> Result<OutputFormat, String> {
    match text {
        "wide" => Ok(OutputFormat::Wide),
        "yaml" => Ok(OutputFormat::Yaml),
        "json" => Ok(OutputFormat::Json),
        "name" => Ok(OutputFormat::Name),
        other => Err(format!(
            "error: unable to match a printer suitable for the output format {other:?}, allowed formats are: json,name,wide,yaml\n{}",
            see_help(verb)
        )),
    }
}

fn parse_get(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("all-namespaces", Some('A'), Arity::Bool),
        ("output", Some('o'), Arity::Value),
        ("selector", Some('l'), Arity::Value),
    ];
    let p = parse_flags("get", words, &specs)?;
    if p.after_dash.is_some() {
        return Err("error: unexpected \"--\" in a get command".to_string());
    }
    if p.args.is_empty() {
        return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.".to_string());
    }
    let (kind, names) = kind_and_names(&p.args)?;
    let selector = p.value("selector").map(str::to_string);
    if selector.is_some() && !names.is_empty() {
        return Err("error: name cannot be provided when a selector is specified".to_string());
    }
    let output = match p.value("output") {
        Some(o) => parse_output("get", o)?,
        None => OutputFormat::Table,
    };
    Ok(Command::Get {
        kind,
        names,
        selector,
        output,
        namespace: p.namespace(),
        all_namespaces: p.bool("get", "all-namespaces")?,
    })
}

fn parse_describe(words: &[String]) -> Result<Command, String> {
    let specs =
        [NAMESPACE, ("all-namespaces", Some('A'), Arity::Bool), ("selector", Some('l'), Arity::Value)];
    let p = parse_flags("describe", words, &specs)?;
    if p.args.is_empty() || p.after_dash.is_some() {
        return Err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.".to_string());
    }
    let (kind, names) = kind_and_names(&p.args)?;
    let selector = p.value("selector").map(str::to_string);
    if selector.is_some() && !names.is_empty() {
        return Err("error: name cannot be provided when a selector is specified".to_string());
    }
    Ok(Command::Describe {
        kind,
        names,
        selector,
        namespace: p.namespace(),
        all_namespaces: p.bool("describe", "all-namespaces")?,
    })
}

fn parse_logs(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("container", Some('c'), Arity::Value),
        ("previous", Some('p'), Arity::Bool),
        ("follow", Some('f'), Arity::Bool),
        ("tail", None, Arity::Value),
        ("timestamps", None, Arity::Bool),
    ];
    let p = parse_flags("logs", words, &specs)?;
    let usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";
    if p.args.is_empty() || p.args.len() > 2 || p.after_dash.is_some() {
        return Err(usage.to_string());
    }
    let pod = match p.args[0].split_once('/') {
        Some((t, n)) => match resource_kind(t) {
            Some(ResourceKind::Pod) if !n.is_empty() => n.to_string(),
            Some(_) => {
                return Err(format!(
                    "error: logs of {} need a pod name here; list its pods with \"kubectl get pods\"",
                    p.args[0]
                ))
            }
            None => return Err(unknown_type(t)),
        },
        None => p.args[0].clone(),
    };
    let mut container = p.value("container").map(str::to_string);
    if let Some(inline) = p.args.get(1) {
        if container.is_some() {
            return Err("error: only one of -c or an inline [CONTAINER] arg is allowed".to_string());
        }
        container = Some(inline.clone());
    }
    Ok(Command::Logs {
        pod,
        container,
        previous: p.bool("logs", "previous")?,
        tail: p.int("logs", "tail")?.filter(|n| *n >= 0),
        namespace: p.namespace(),
    })
}

fn parse_delete(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("selector", Some('l'), Arity::Value),
        ("grace-period", None, Arity::Value),
        ("force", None, Arity::Bool),
        ("now", None, Arity::Bool),
        ("wait", None, Arity::Bool),
        ("all", None, Arity::Bool),
        ("ignore-not-found", None, Arity::Bool),
    ];
    let p = parse_flags("delete", words, &specs)?;
    if p.args.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".to_string());
    }
    let (kind, names) = kind_and_names(&p.args)?;
    if kind != ResourceKind::Pod {
        return Err(format!(
            "error: deleting {} is not supported: delete pods, or change the file and apply it again",
            crate::kubectl::print::kind_plural_group(kind)
        ));
    }
    let all = p.bool("delete", "all")?;
    let selector = p.value("selector").map(str::to_string);
    let target = match (names.is_empty(), selector, all) {
        (false, Some(_), _) => {
            return Err("error: name cannot be provided when a selector is specified".to_string())
        }
        (false, None, true) => {
            return Err("error: setting 'all' parameter but found a non empty selector. ".to_string())
        }
        (false, None, false) => PodTarget::Names(names),
        (true, Some(s), _) => PodTarget::Selector(s),
        (true, None, true) => PodTarget::Selector(String::new()),
        (true, None, false) => {
            return Err("error: resource(s) were provided, but no name was specified".to_string())
        }
    };
    let force = p.bool("delete", "force")?;
    let now = p.bool("delete", "now")?;
    let mut grace = p.int("delete", "grace-period")?.filter(|g| *g >= 0);
    if now {
        if grace.is_some() {
            return Err("error: --now and --grace-period cannot be specified together".to_string());
        }
        grace = Some(1);
    }
    if grace == Some(0) && !force {
        // kubectl turns a bare --grace-period=0 into 1 second so that only --force deletes at once.
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    p.bool("delete", "wait")?;
    p.bool("delete", "ignore-not-found")?;
    Ok(Command::DeletePods { target, grace_period: grace, force, namespace: p.namespace() })
}

/// Reads the single `TYPE NAME` or `TYPE/NAME` of scale and rollout.
fn single_resource(args: &[String], none: &str) -> Result<(ResourceKind, String), String> {
    if args.is_empty() {
        return Err(none.to_string());
    }
    let (kind, names) = kind_and_names(args)?;
    match names.as_slice() {
        [name] => Ok((kind, name.clone())),
        [] => Err("error: resource(s) were provided, but no name was specified".to_string()),
        _ => Err("error: you must specify only one resource".to_string()),
    }
}

fn parse_scale(words: &[String]) -> Result<Command, String> {
    let specs = [NAMESPACE, ("replicas", None, Arity::Value), ("current-replicas", None, Arity::Value)];
    let p = parse_flags("scale", words, &specs)?;
    let Some(replicas) = p.int("scale", "replicas")? else {
        return Err("error: required flag(s) \"replicas\" not set".to_string());
    };
    if replicas < 0 {
        return Err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
                .to_string(),
        );
    }
    let replicas = i32::try_from(replicas).map_err(|_| {
        format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": value out of range")
    })?;
    let (kind, name) =
        single_resource(&p.args, "error: You must provide one or more resources by argument or filename.")?;
    if !matches!(kind, ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::ReplicaSet) {
        return Err(format!(
            "error: no scaler has been implemented for {{\"{}\" \"{}\"}}",
            api_group(kind),
            kind_name(kind)
        ));
    }
    Ok(Command::Scale { kind, name, replicas, namespace: p.namespace() })
}

fn parse_rollout(words: &[String]) -> Result<Command, String> {
    let p = parse_flags("rollout", words, &[NAMESPACE])?;
    match p.args.first().map(String::as_str) {
        Some("restart") => {}
        Some(sub @ ("status" | "history" | "undo" | "pause" | "resume")) => {
            return Err(format!(
                "error: \"kubectl rollout {sub}\" is not part of the playground; use rollout restart"
            ))
        }
        Some(other) => return Err(format!("error: unknown command {other:?} for \"kubectl rollout\"")),
        None => {
            return Err("error: rollout needs a subcommand: kubectl rollout restart deploy NAME".to_string())
        }
    }
    let (kind, name) = single_resource(&p.args[1..], "error: required resource not specified")?;
    if !matches!(kind, ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::DaemonSet) {
        return Err(format!(
            "error: {}s {:?} restarting is not supported",
            kind_name(kind).to_lowercase(),
            name
        ));
    }
    Ok(Command::RolloutRestart { kind, name, namespace: p.namespace() })
}

fn parse_exec(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("container", Some('c'), Arity::Value),
        ("stdin", Some('i'), Arity::Bool),
        ("tty", Some('t'), Arity::Bool),
        ("quiet", Some('q'), Arity::Bool),
    ];
    let p = parse_flags("exec", words, &specs)?;
    let Some(first) = p.args.first() else {
        return Err("error: pod, type/name or --filename must be specified".to_string());
    };
    if p.args.len() > 1 {
        return Err("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples".to_string());
    }
    let argv = p.after_dash.clone().unwrap_or_default();
    if argv.is_empty() {
        return Err("error: you must specify at least one command for the container".to_string());
    }
    let target = match first.split_once('/') {
        None => ExecTarget::Pod(first.clone()),
        Some((t, n)) => {
            if n.is_empty() || n.contains('/') {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name".to_string()
                );
            }
            match resource_kind(t) {
                Some(ResourceKind::Pod) => ExecTarget::Pod(n.to_string()),
                Some(ResourceKind::Deployment) => ExecTarget::Deployment(n.to_string()),
                Some(ResourceKind::StatefulSet) => ExecTarget::StatefulSet(n.to_string()),
                Some(ResourceKind::DaemonSet) => ExecTarget::DaemonSet(n.to_string()),
                Some(kind) => {
                    return Err(format!(
                        "error: cannot attach to {}: not implemented",
                        crate::kubectl::print::kind_plural_group(kind)
                    ))
                }
                None => return Err(unknown_type(t)),
            }
        }
    };
    p.bool("exec", "stdin")?;
    p.bool("exec", "tty")?;
    Ok(Command::Exec {
        target,
        container: p.value("container").map(str::to_string),
        argv,
        namespace: p.namespace(),
    })
}

fn parse_apply(words: &[String]) -> Result<Command, String> {
    let p = parse_flags("apply", words, &[NAMESPACE, ("filename", Some('f'), Arity::Value)])?;
    match p.value("filename") {
        None => Err("error: must specify one of -f and -k".to_string()),
        Some("-") if p.args.is_empty() => Ok(Command::Apply),
        Some("-") => Err(format!("error: Unexpected args: {:?}\nSee 'kubectl apply -h' for help and examples", p.args)),
        Some(path) => Err(format!(
            "error: the path {path:?} does not exist (the playground applies the editor's contents: kubectl apply -f -)"
        )),
    }
}

fn kind_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Pod => "Pod",
        ResourceKind::Deployment => "Deployment",
        ResourceKind::ReplicaSet => "ReplicaSet",
        ResourceKind::StatefulSet => "StatefulSet",
        ResourceKind::DaemonSet => "DaemonSet",
        ResourceKind::Service => "Service",
        ResourceKind::Endpoints => "Endpoints",
        ResourceKind::EndpointSlice => "EndpointSlice",
        ResourceKind::Event => "Event",
        ResourceKind::Node => "Node",
    }
}

fn api_group(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Deployment
        | ResourceKind::ReplicaSet
        | ResourceKind::StatefulSet
        | ResourceKind::DaemonSet => "apps",
        ResourceKind::EndpointSlice => "discovery.k8s.io",
        _ => "",
    }
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
            ("configmaps", None),
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
                "kubectl delete deploy web",
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
                kubectl delete deploy web
                  => Err(error: deleting deployments.apps is not supported: delete pods, or change the file and apply it again)
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
                  => Err(error: "kubectl edit" is not part of the playground; use apply, get, describe, logs, delete, scale, rollout restart or exec)
                kubectl rollout status deploy/x
                  => Err(error: "kubectl rollout status" is not part of the playground; use rollout restart)
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
