//! `kubectl get KIND [NAME...] [-l SELECTOR] [-o FORMAT] [-A]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/get/get.go`); the printers are under `print/`.

use super::{namespace_of, parse_selector, wrong_command, Cluster, Verb};
use crate::api::ApiStore;
use crate::duration::Millis;
use crate::kubectl::command::{Command, OutputFormat};
use crate::kubectl::flags::{kind_and_names, parse_flags, see_help, Arity, NAMESPACE};

pub const VERB: Verb = Verb {
    names: &["get"],
    usage: "kubectl get KIND [NAME...] [-l SELECTOR] [-o wide|yaml|json|name] [-A]",
    parse,
    execute,
};

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

fn parse(words: &[String]) -> Result<Command, String> {
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

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let world = cluster.world();
    read(&world.api, world.now, &command).unwrap_or_else(|| Err(wrong_command("get", &command)))
}

/// Prints what a `get` command asks for; `None` for other commands.
pub(crate) fn read(api: &ApiStore, now: Millis, command: &Command) -> Option<Result<String, String>> {
    let Command::Get { kind, names, selector, output, namespace, all_namespaces } = command else {
        return None;
    };
    Some(parse_selector(selector).and_then(|sel| {
        crate::kubectl::print::get(
            api,
            now,
            *kind,
            names,
            sel.as_ref(),
            *output,
            &namespace_of(namespace, *all_namespaces),
        )
    }))
}
