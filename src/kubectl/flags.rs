//! Reading a command line's words and flags as kubectl does, shared by every verb's parser.
//!
//! The line is split into words as a POSIX shell would (quotes, backslashes, `#` comments), and
//! flags are read as kubectl's flag library (spf13/pflag) reads them: `-o wide`, `-owide`,
//! `-o=wide`, `--output wide`, `--output=wide`, clusters of boolean shorthands (`-it`), flags before
//! or after the arguments, and `--` ending the flags (exec's command follows it).

use crate::kubectl::kinds::{resource_kind, ResourceKind};

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
pub(crate) enum Arity {
    Bool,
    Value,
}

/// One flag a command accepts: long name, optional shorthand, arity.
pub(crate) type FlagSpec = (&'static str, Option<char>, Arity);

pub(crate) const NAMESPACE: FlagSpec = ("namespace", Some('n'), Arity::Value);

/// The flags given on a line, by long name, in order; and the positional arguments.
pub(crate) struct Parsed {
    pub flags: Vec<(&'static str, String)>,
    pub args: Vec<String>,
    /// The words after `--`, if `--` was given.
    pub after_dash: Option<Vec<String>>,
}

impl Parsed {
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn bool(&self, verb: &str, name: &str) -> Result<bool, String> {
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

    pub(crate) fn int(&self, verb: &str, name: &str) -> Result<Option<i64>, String> {
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

    pub(crate) fn namespace(&self) -> Option<String> {
        self.value("namespace").map(str::to_string)
    }
}

pub(crate) fn see_help(verb: &str) -> String {
    format!("See 'kubectl {verb} --help' for usage.")
}

pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Reads flags and arguments as kubectl's flag library does.
pub(crate) fn parse_flags(verb: &str, words: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
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

pub(crate) fn unknown_type(text: &str) -> String {
    format!("error: the server doesn't have a resource type {text:?}")
}

pub(crate) fn kind_of(text: &str) -> Result<ResourceKind, String> {
    if text.contains(',') {
        return Err("error: you must specify only one resource".to_string());
    }
    resource_kind(text).ok_or_else(|| unknown_type(text))
}

/// Reads `TYPE [NAME...]` or `TYPE/NAME...` (all of one kind).
pub(crate) fn kind_and_names(args: &[String]) -> Result<(ResourceKind, Vec<String>), String> {
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

/// Reads the single `TYPE NAME` or `TYPE/NAME` of scale and rollout.
pub(crate) fn single_resource(args: &[String], none: &str) -> Result<(ResourceKind, String), String> {
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
