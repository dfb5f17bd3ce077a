//! The Workloads table reads kubectl's printed tables back into cells.

use super::*;

fn run(slug: &str, at: u64) -> Simulation {
    let entry = crate::gallery::find(slug).unwrap_or_else(|| panic!("no built-in scenario {slug}"));
    let mut sim = Simulation::load(entry.yaml).unwrap_or_else(|e| panic!("{slug} loads: {e:?}"));
    sim.run_until(at);
    sim
}

#[test]
fn tables_as_kubectl_prints_them_split_into_cells() {
    // `kubectl get deployments` and `kubectl get ds -A` as the Kubernetes documentation shows
    // them (concepts/workloads/controllers/deployment, daemonset).
    let deployments = "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n\
                       nginx-deployment   3/3     3            3           18s\n";
    let (headers, rows) = split_table(deployments).unwrap_or_else(|| panic!("a table"));
    assert_eq!(headers, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    assert_eq!(rows, [["nginx-deployment", "3/3", "3", "3", "18s"]]);

    let daemonsets = "NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n\
                      kube-system   kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   10d\n";
    let (headers, rows) = split_table(daemonsets).unwrap_or_else(|| panic!("a table"));
    assert_eq!(headers[7], "NODE SELECTOR", "a header with a space is one column");
    assert_eq!(rows[0][7], "kubernetes.io/os=linux");
    assert_eq!(rows[0][8], "10d");
}

#[test]
fn notices_are_not_tables() {
    assert_eq!(split_table("No resources found\n"), None);
    assert_eq!(split_table("No resources found in default namespace.\n"), None);
    assert_eq!(split_table(""), None);
}

#[test]
fn a_cluster_without_workloads_has_no_groups() {
    assert!(workload_groups(&run("liveness-exec", 10_000)).is_empty());
}

#[test]
fn a_statefulset_is_printed_as_kubectl_prints_it_and_scales_in_its_namespace() {
    // statefulset-headless: three replicas in namespace myserver, all ready by 30s.
    let groups = workload_groups(&run("statefulset-headless", 30_000));
    assert_eq!(groups.len(), 1, "{groups:?}");
    let group = &groups[0];
    // pkg/printers/internalversion/printers.go: statefulSetColumnDefinitions, with -A.
    assert_eq!(group.headers, ["NAMESPACE", "NAME", "READY", "AGE"]);
    let row = &group.rows[0];
    assert_eq!(row.cells[..3], ["myserver", "statefulset.apps/myserver-myapp", "3/3"]);
    assert_eq!(row.cells[3], "30s");
    let scale = row.scale.as_ref().unwrap_or_else(|| panic!("a StatefulSet scales"));
    assert_eq!(scale.replicas, 3);
    assert_eq!(scale.command(4), "kubectl scale sts myserver-myapp -n myserver --replicas=4");
    assert_eq!(scale.command(-1), "kubectl scale sts myserver-myapp -n myserver --replicas=0");
}

#[test]
fn a_daemonset_has_kubectls_columns_and_no_scale_buttons() {
    // daemonset-node-exporter: one pod on each of six nodes.
    let groups = workload_groups(&run("daemonset-node-exporter", 30_000));
    assert_eq!(groups.len(), 1, "{groups:?}");
    let group = &groups[0];
    // pkg/printers/internalversion/printers.go: daemonSetColumnDefinitions, with -A.
    assert_eq!(
        group.headers,
        [
            "NAMESPACE",
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE"
        ]
    );
    let row = &group.rows[0];
    assert_eq!(row.cells[..7], ["monitoring", "daemonset.apps/node-exporter", "6", "6", "6", "6", "6"]);
    assert_eq!(row.scale, None);
}

#[test]
fn a_deployment_row_matches_kubectl_get() {
    let sim = run("readiness-httpd", 30_000);
    let groups = workload_groups(&sim);
    let printed =
        print::get(sim.api(), sim.now(), ResourceKind::Deployment, &[], None, OutputFormat::Table, "")
            .unwrap_or_else(|e| panic!("{e}"));
    let group = &groups[0];
    assert_eq!(group.headers, ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    // The same words kubectl printed, in the same order, with the kind before the name.
    for (row, line) in group.rows.iter().zip(printed.lines().skip(1)) {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let mut cells = row.cells.clone();
        cells[1] = cells[1].trim_start_matches("deployment.apps/").to_string();
        assert_eq!(cells, words);
    }
    assert_eq!(group.rows.len(), printed.lines().count() - 1);
}
