//! Probe Playground: Kubernetes pod lifecycle and container probes, simulated in virtual time.
//!
//! # Layout
//! - [`duration`], [`rng`]: virtual time and the seeded randomness.
//! - [`manifest`]: scenario files into defaulted, validated Kubernetes objects.
//! - [`api`]: the API server's object store that `kubectl` reads.
//! - [`container`]: simulated containers (file systems, a shell, the image catalogue).
//! - [`engine`]: the world, the event queue and the kubelet.
//! - [`controllers`], [`events`]: the control plane and the event recorder.
//! - [`kubectl`], [`selector`]: the command language and `kubectl`'s printers.
//! - [`sim`]: the facade the CLI and the browser use; `cli`: the command-line interface over it.
//! - [`gallery`], [`share`]: built-in scenarios and share links; [`tasks`]: their checked exercises.
//! - [`timeline`], [`explain`]: rewind and replay over a simulation, and plain-language reasons
//!   for what a pod shows; [`workloads`]: the browser's Workloads table read from kubectl's printer.
//!   The browser uses these, and they are tested natively.
//! - `web` (wasm32 only): the Yew UI.

pub mod advisor;
pub mod api;
pub mod budget;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod container;
pub mod controllers;
pub mod duration;
pub mod embed;
pub mod engine;
pub mod events;
pub mod explain;
pub mod fnv;
pub mod gallery;
pub mod i18n;
pub mod kubectl;
pub mod manifest;
pub mod quantity;
pub mod rng;
pub mod selector;
pub mod session;
pub mod share;
pub mod sim;
pub mod tasks;
pub mod timeline;
pub mod urlencoded;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod workloads;
