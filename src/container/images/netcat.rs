//! BusyBox `nc` as a client: `nc -z HOST PORT` (is something listening?) and `nc HOST PORT`,
//! reaching the pod network as `wget` does. Name resolution fails with `libbb/xconnect.c`'s
//! `bad address`; a refused connection is silent unless `-v` asks for a report.

use super::http_client::SYN_TIMEOUT;
use super::sys::Sys;
use crate::container::net::{Dest, Network, Route};
use crate::container::shell::{Flow, Io};
use crate::container::*;

impl Sys {
    pub(super) fn nc(&mut self, net: &mut dyn Network, args: &[String], io: &mut Io, at: Millis) -> Flow {
        let mut verbose = false;
        let mut wait: Option<Millis> = None;
        let mut words = Vec::new();
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-w" => wait = iter.next().and_then(|v| v.parse::<Millis>().ok()).map(|s| s * 1000),
                s if s.starts_with('-') && s.len() > 1 => verbose |= s.contains('v'),
                s => words.push(s),
            }
        }
        let [host, port] = words[..] else {
            io.err.push_str("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n");
            return Flow::Done(1);
        };
        let Ok(port) = port.parse::<u16>() else {
            io.err.push_str(&format!("nc: bad port '{port}'\n"));
            return Flow::Done(1);
        };
        let Some(ip) = self.resolve_host(net, host) else {
            io.err.push_str(&format!("nc: bad address '{host}'\n"));
            return Flow::Done(1);
        };
        let open = match self.route(net, ip, port) {
            Route::To(Dest::OwnPod, p) => {
                self.listener(p, at).is_some() || net.tcp(Dest::OwnPod, p) == TcpOutcome::Connected
            }
            Route::To(dest, p) => net.tcp(dest, p) == TcpOutcome::Connected,
            Route::Refused => false,
            Route::Unreachable => {
                // Nobody answers: `-w` bounds the wait, the kernel's SYN retries otherwise
                // (the verbose wording is unverified).
                let took = wait.unwrap_or(SYN_TIMEOUT).min(SYN_TIMEOUT);
                if verbose {
                    io.err.push_str(&format!("nc: {host} ({ip}:{port}): Connection timed out\n"));
                }
                return Flow::Sleep(took, 1);
            }
        };
        // `-v` reports in the words of BusyBox's `nc_bloaty.c` (unverified).
        if open {
            if verbose {
                io.err.push_str(&format!("{host} ({ip}:{port}) open\n"));
            }
            Flow::Done(0)
        } else {
            if verbose {
                io.err.push_str(&format!("nc: {host} ({ip}:{port}): Connection refused\n"));
            }
            Flow::Done(1)
        }
    }
}
