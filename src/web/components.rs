//! One function component per file. `app` owns the reducer; every other component receives plain
//! data and `on_<verb>` callbacks.

pub mod app;
pub mod describe_panel;
pub mod editor_panel;
pub mod embed_panel;
pub mod endpoints_table;
pub mod events_table;
pub mod explain_panel;
pub mod file_browser;
pub mod gallery;
pub mod header;
pub mod link_notices;
pub mod pod_actions;
pub mod pod_detail;
pub mod pods_table;
pub mod probe_timeline;
pub mod problems;
pub mod save_problem;
pub mod share_panel;
pub mod simulation_status;
pub mod terminal;
pub mod workloads_table;
