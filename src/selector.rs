//! Label selectors: the `-l` flag's string form and the API's `LabelSelector`.
//!
//! Both forms compile to the same list of requirements, so `kubectl get pods -l app=httpd` and a
//! Deployment's `matchLabels: {app: httpd}` select exactly the same pods.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// One requirement of a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A conjunction of requirements; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// Parses kubectl's selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
    /// joined by commas.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Ok(Selector::default());
        }
        while !rest.is_empty() {
            // Split off one requirement, respecting parentheses of set-based forms.
            let mut depth = 0;
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            let part = rest[..end].trim();
            rest = if end < rest.len() { rest[end + 1..].trim_start() } else { "" };
            requirements
                .push(parse_requirement(part).map_err(|e| format!("unable to parse requirement: {e}"))?);
        }
        Ok(Selector { requirements })
    }

    /// Converts an API `LabelSelector` (`matchLabels` and `matchExpressions`).
    pub fn from_label_selector(selector: &LabelSelector) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for (k, v) in selector.match_labels.iter().flatten() {
            requirements.push(Requirement::Equals(k.clone(), v.clone()));
        }
        for expr in selector.match_expressions.iter().flatten() {
            let values = expr.values.clone().unwrap_or_default();
            requirements.push(match expr.operator.as_str() {
                "In" => Requirement::In(expr.key.clone(), values),
                "NotIn" => Requirement::NotIn(expr.key.clone(), values),
                "Exists" => Requirement::Exists(expr.key.clone()),
                "DoesNotExist" => Requirement::DoesNotExist(expr.key.clone()),
                other => return Err(format!("{other:?} is not a valid label selector operator")),
            });
        }
        Ok(Selector { requirements })
    }

    /// A selector matching exactly these labels (a Service's `spec.selector`).
    pub fn from_map(labels: &BTreeMap<String, String>) -> Selector {
        Selector {
            requirements: labels.iter().map(|(k, v)| Requirement::Equals(k.clone(), v.clone())).collect(),
        }
    }

    /// Whether a label set satisfies every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let empty = BTreeMap::new();
        let labels = labels.unwrap_or(&empty);
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 253
        && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(v: &str) -> bool {
    v.len() <= 63 && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    if part.is_empty() {
        return Err("found '', expected: identifier".to_string());
    }
    let check_key = |k: &str| {
        if valid_key(k) {
            Ok(k.to_string())
        } else {
            Err(format!("invalid label key {k:?}"))
        }
    };
    let check_value = |v: &str| {
        if valid_value(v) {
            Ok(v.to_string())
        } else {
            Err(format!("invalid label value: {v:?}"))
        }
    };
    if let Some(k) = part.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(check_key(k.trim())?));
    }
    if let Some((k, v)) = part.split_once("!=") {
        return Ok(Requirement::NotEquals(check_key(k.trim())?, check_value(v.trim())?));
    }
    if let Some((k, v)) = part.split_once("==") {
        return Ok(Requirement::Equals(check_key(k.trim())?, check_value(v.trim())?));
    }
    if let Some((k, v)) = part.split_once('=') {
        return Ok(Requirement::Equals(check_key(k.trim())?, check_value(v.trim())?));
    }
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let key = check_key(words[0])?;
        let rest = words[1].trim();
        let (op, set) = if let Some(s) = rest.strip_prefix("notin") {
            ("notin", s)
        } else if let Some(s) = rest.strip_prefix("in") {
            ("in", s)
        } else {
            return Err(format!("found '{rest}', expected: in, notin, =, ==, !="));
        };
        let set = set.trim();
        let inner = set
            .strip_prefix('(')
            .and_then(|s| s.strip_suffix(')'))
            .ok_or_else(|| format!("found '{set}', expected: '('"))?;
        let values = inner.split(',').map(|v| check_value(v.trim())).collect::<Result<Vec<_>, _>>()?;
        return Ok(if op == "in" { Requirement::In(key, values) } else { Requirement::NotIn(key, values) });
    }
    Ok(Requirement::Exists(check_key(part)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn string_forms() {
        let l = labels(&[("app", "httpd"), ("tier", "web")]);
        for (sel, want) in [
            ("app=httpd", true),
            ("app==httpd", true),
            ("app!=httpd", false),
            ("app=nginx", false),
            ("app in (nginx, httpd)", true),
            ("app notin (httpd)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=httpd,tier=web", true),
            ("", true),
        ] {
            assert_eq!(Selector::parse(sel).unwrap().matches(Some(&l)), want, "{sel}");
        }
        assert!(Selector::parse("app=").unwrap().matches(Some(&labels(&[("app", "")]))));
        assert!(Selector::parse("a b c").is_err());
        assert!(Selector::parse("app=ht tpd").is_err());
    }
}
