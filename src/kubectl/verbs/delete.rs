//! `kubectl delete KIND NAME...|-l SELECTOR|--all` with kubectl's grace-period rules for pods
//! and its `--cascade` propagation for the rest (`staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go`,
//! `delete_flags.go`); the objects' deletion is the API server's (`controllers::deletion`).

mod objects;

use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::controllers::Propagation;
use crate::kubectl::command::{Command, PodTarget, ResourceKind, Selection};
use crate::kubectl::flags::{kind_and_names, parse_flags, Arity, NAMESPACE};

pub const VERB: Verb = Verb {
    names: &["delete"],
    usage: "kubectl delete KIND NAME...|-l SELECTOR|--all [--grace-period=N] [--force] [--now] [--cascade=background|foreground|orphan]",
    parse,
    execute,
};

/// `parseCascadingFlag`: a propagation policy, or a deprecated boolean with kubectl's warning.
fn parse_cascade(value: Option<&str>) -> Result<(Propagation, Option<String>), String> {
    let Some(value) = value else { return Ok((Propagation::Background, None)) };
    let deprecated = |to: &str| {
        Some(format!("warning: --cascade={value} is deprecated (boolean value) and can be replaced with --cascade={to}."))
    };
    match value {
        "orphan" => Ok((Propagation::Orphan, None)),
        "foreground" => Ok((Propagation::Foreground, None)),
        "background" => Ok((Propagation::Background, None)),
        _ => match crate::kubectl::flags::parse_bool(value) {
            Some(true) => Ok((Propagation::Background, deprecated("background"))),
            Some(false) => Ok((Propagation::Orphan, deprecated("orphan"))),
            None => Err(format!(
                "error: invalid cascade value ({value}). Must be \"background\", \"foreground\", or \"orphan\""
            )),
        },
    }
}

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("selector", Some('l'), Arity::Value),
        ("grace-period", None, Arity::Value),
        ("force", None, Arity::Bool),
        ("now", None, Arity::Bool),
        ("wait", None, Arity::Bool),
        ("all", None, Arity::Bool),
        ("ignore-not-found", None, Arity::Bool),
        ("cascade", None, Arity::Value),
    ];
    let p = parse_flags("delete", words, &specs)?;
    if p.args.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".to_string());
    }
    let (kind, names) = kind_and_names(&p.args)?;
    let (cascade, warning) = parse_cascade(p.value("cascade"))?;
    if matches!(kind, ResourceKind::Node | ResourceKind::Event) {
        return Err(format!(
            "error: deleting {} is not supported in the playground",
            crate::kubectl::print::kind_plural_group(kind)
        ));
    }
    let all = p.bool("delete", "all")?;
    if kind != ResourceKind::Pod {
        let selector = p.value("selector").map(str::to_string);
        let selection = match (names.is_empty(), selector, all) {
            (false, Some(_), _) => {
                return Err("error: name cannot be provided when a selector is specified".to_string())
            }
            (false, None, true) => {
                return Err("error: setting 'all' parameter but found a non empty selector. ".to_string())
            }
            (false, None, false) => Selection::Names(names),
            (true, Some(s), _) => Selection::Selector(s),
            (true, None, true) => Selection::Selector(String::new()),
            (true, None, false) => {
                return Err("error: resource(s) were provided, but no name was specified".to_string())
            }
        };
        p.bool("delete", "wait")?;
        p.bool("delete", "ignore-not-found")?;
        return Ok(Command::Delete { kind, selection, cascade, warning, namespace: p.namespace() });
    }
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

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    if let Command::Delete { kind, selection, cascade, warning, namespace } = command {
        let ns = namespace.unwrap_or_else(|| "default".to_string());
        let (api, mut ctx) = write_context(cluster.world_mut());
        let mut lines: Vec<String> = warning.into_iter().collect();
        let result = objects::delete(api, &mut ctx, kind, &ns, &selection, cascade);
        return match result {
            Ok(more) => {
                lines.extend(more);
                Ok(join_lines(&lines))
            }
            Err(more) => {
                lines.push(more);
                Err(lines.join("\n"))
            }
        };
    }
    let Command::DeletePods { target, grace_period, force, namespace } = command else {
        return Err(wrong_command("delete", &command));
    };
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let (api, mut ctx) = write_context(cluster.world_mut());
    crate::controllers::delete_pods(api, &mut ctx, &ns, &target, grace_period, force).map(|l| join_lines(&l))
}
