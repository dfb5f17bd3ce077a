//! `kubectl describe KIND [NAME...] [-l SELECTOR] [-A]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go`); the describers are under
//! `describe/`.

use super::{namespace_of, parse_selector, wrong_command, Cluster, Verb};
use crate::api::ApiStore;
use crate::duration::Millis;
use crate::kubectl::command::Command;
use crate::kubectl::flags::{kind_and_names, parse_flags, Arity, NAMESPACE};

pub const VERB: Verb = Verb {
    names: &["describe"],
    usage: "kubectl describe KIND [NAME...] [-l SELECTOR] [-A]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
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

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let world = cluster.world();
    read(&world.api, world.now, &command).unwrap_or_else(|| Err(wrong_command("describe", &command)))
}

/// Describes what a `describe` command names; `None` for other commands.
pub(crate) fn read(api: &ApiStore, now: Millis, command: &Command) -> Option<Result<String, String>> {
    let Command::Describe { kind, names, selector, namespace, all_namespaces } = command else { return None };
    Some(parse_selector(selector).and_then(|sel| {
        crate::kubectl::describe::describe_many(
            api,
            now,
            *kind,
            names,
            sel.as_ref(),
            &namespace_of(namespace, *all_namespaces),
        )
    }))
}
