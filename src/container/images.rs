//! The image catalogue and the running container instance.
//!
//! An image reference (`nginx:1.20.2-alpine`, `docker.io/httpd`, `registry.k8s.io/liveness`) is
//! resolved to a catalogue entry by its repository's last path component, ignoring registry and
//! tag; the tag still matters where the real images differ by version (nginx's STOPSIGNAL and
//! welcome page, Tomcat's default web apps, `-alpine` variants' BusyBox tools). Each entry gives
//! the image's entrypoint and default command, its files, its tools, its size and its stop signal.
//! `docs/images.md` describes every entry.
//!
//! # Layout
//! - `reference`: parsing image references as the kubelet and containerd do (domain, path,
//!   tag, digest), and the repository and versions the catalogue is keyed by.
//! - `registry`: which repositories and tags exist, so a pull of a made-up tag fails.
//! - `catalogue` and `seeds`: the catalogue and the files its images are seeded with, as data.
//! - `argv`: the process the runtime starts, with `$(VAR)` expansion; `lookpath`: whether the
//!   runtime can start it at all (a missing executable is a start error).
//! - `instance`: the running container ([`Instance`]): its main process and how it ends.
//! - `sys`: the operating system around it (`Sys`, the shell's `Host`): processes, signals, logs.
//! - `logs`, `static_files`, `http_client`, `packages`: what the OS provides to programs and
//!   scripts: the log store, serving a document root, `curl`/`wget`, package managers.
//!
//! Programs that serve (nginx, httpd, the liveness server, Redis, ...) are in
//! `crate::container::programs`, one file each.

mod argv;
mod catalogue;
mod http_client;
mod instance;
mod logs;
mod lookpath;
mod netcat;
mod nslookup;
mod packages;
pub mod reference;
pub mod registry;
mod seeds;
mod static_files;
mod sys;
mod wired;

pub use argv::expand_refs;
pub use catalogue::{image_size, lookup, stop_signal_of, Image, Tools};
pub use instance::{Instance, EXEC_LIMIT};

pub(crate) use logs::{apache_stamp, error_stamp, strftime_ms};
pub(crate) use reference::{nginx_version, tomcat_version};
pub(crate) use static_files::{reason, Site};
pub(crate) use sys::Sys;

#[cfg(test)]
mod tests;
