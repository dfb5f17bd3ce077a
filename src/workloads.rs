//! The Workloads table of the browser: Deployments, StatefulSets and DaemonSets exactly as
//! `kubectl get deploy,sts,ds -A` prints them. The cells are read back from the text of
//! `kubectl::print::get`, the printer every `kubectl get` goes through, so the table can never
//! disagree with the terminal (ARCHITECTURE.md: tables come from the API store through the same
//! printers `kubectl` output uses).
//!
//! kubectl prints a list of several kinds as one table per kind, each with its own header and the
//! names prefixed with the kind (`deployment.apps/web`), so the view keeps one group per kind.

use crate::kubectl::command::{OutputFormat, ResourceKind};
use crate::kubectl::print;
use crate::sim::Simulation;

/// The kinds the table shows, in kubectl's order for `deploy,sts,ds`, each with the short name
/// `kubectl scale` takes (DaemonSets cannot be scaled).
const KINDS: [(ResourceKind, Option<&str>); 3] = [
    (ResourceKind::Deployment, Some("deploy")),
    (ResourceKind::StatefulSet, Some("sts")),
    (ResourceKind::DaemonSet, None),
];

/// One kind's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadGroup {
    /// The printed column headers (`NAMESPACE`, `NAME`, `READY`, ...).
    pub headers: Vec<String>,
    pub rows: Vec<WorkloadRow>,
}

/// One object's printed row, and what its scale buttons need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadRow {
    /// The cells under [`WorkloadGroup::headers`], the name prefixed with its kind.
    pub cells: Vec<String>,
    /// `kubectl scale` of this object to a number of replicas, with the desired replicas now;
    /// `None` for kinds that do not scale.
    pub scale: Option<Scale>,
}

/// The scale buttons of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    pub namespace: String,
    /// The kind's short name and the object's name (`deploy`, `web`).
    pub kind: &'static str,
    pub name: String,
    /// `spec.replicas`, defaulted to 1 as the API server does.
    pub replicas: i32,
}

impl Scale {
    /// The command line that scales the object to `replicas` (never below zero).
    pub fn command(&self, replicas: i32) -> String {
        format!(
            "kubectl scale {} {} -n {} --replicas={}",
            self.kind,
            self.name,
            self.namespace,
            replicas.max(0)
        )
    }
}

/// The groups of the kinds that have objects now; empty when the cluster has no workloads.
pub fn workload_groups(sim: &Simulation) -> Vec<WorkloadGroup> {
    let api = sim.api();
    let mut groups = Vec::new();
    for (kind, short) in KINDS {
        let printed = match print::get(api, sim.now(), kind, &[], None, OutputFormat::Table, "") {
            Ok(text) | Err(text) => text,
        };
        let Some((headers, rows)) = split_table(&printed) else { continue };
        let name_column = headers.iter().position(|h| h == "NAME");
        let namespace_column = headers.iter().position(|h| h == "NAMESPACE");
        let prefix = print::kind_name_prefix(kind);
        let rows = rows
            .into_iter()
            .map(|mut cells| {
                let namespace = namespace_column.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
                let name = name_column.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
                let scale = short.map(|short| Scale {
                    replicas: desired_replicas(sim, kind, &namespace, &name),
                    namespace: namespace.clone(),
                    kind: short,
                    name: name.clone(),
                });
                if let Some(cell) = name_column.and_then(|i| cells.get_mut(i)) {
                    *cell = format!("{prefix}/{name}");
                }
                WorkloadRow { cells, scale }
            })
            .collect();
        groups.push(WorkloadGroup { headers, rows });
    }
    groups
}

/// `spec.replicas` of a Deployment or StatefulSet, 1 when unset (the API's default).
fn desired_replicas(sim: &Simulation, kind: ResourceKind, namespace: &str, name: &str) -> i32 {
    let key = (namespace.to_string(), name.to_string());
    let api = sim.api();
    let replicas = match kind {
        ResourceKind::Deployment => api.deployments.get(&key).and_then(|d| d.spec.as_ref()?.replicas),
        ResourceKind::StatefulSet => api.stateful_sets.get(&key).and_then(|s| s.spec.as_ref()?.replicas),
        _ => None,
    };
    replicas.unwrap_or(1)
}

/// Splits a table `kubectl get` printed into its headers and cells. Every column but the last is
/// padded by at least three spaces (`printers.GetNewTabWriter`), so a column starts where the
/// header has a non-space after two or more spaces, and every row's cell starts at the same place.
/// A header can hold a single space (`NODE SELECTOR`). Text that is not a table (`No resources
/// found ...`) gives `None`.
pub fn split_table(text: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<char> = lines.next()?.chars().collect();
    if header.first().is_none_or(|c| !c.is_ascii_uppercase()) || header.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    let mut starts = vec![0];
    for i in 2..header.len() {
        if header[i] != ' ' && header[i - 1] == ' ' && header[i - 2] == ' ' {
            starts.push(i);
        }
    }
    let cut = |line: &[char]| -> Vec<String> {
        starts
            .iter()
            .enumerate()
            .map(|(n, &start)| {
                let end = starts.get(n + 1).copied().unwrap_or(line.len()).min(line.len());
                line.get(start.min(end)..end).map(|c| c.iter().collect::<String>()).unwrap_or_default()
            })
            .map(|cell| cell.trim().to_string())
            .collect()
    };
    let headers = cut(&header);
    let rows = lines.map(|l| cut(&l.chars().collect::<Vec<_>>())).collect();
    Some((headers, rows))
}

#[cfg(test)]
mod tests;
