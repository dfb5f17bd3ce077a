//! The shell's [`Host`] with the pod network attached: the container's own OS ([`Sys`]) plus the
//! [`Network`] its clients reach the rest of the cluster through. Every run of a container's
//! processes goes through one, so `wget`, `curl` and `nc` see the pod's other containers, other
//! pods, Services and DNS, and a server's bind sees the ports the pod's other containers hold.

use super::catalogue::Tools;
use super::sys::Sys;
use crate::container::fs::Fs;
use crate::container::net::Network;
use crate::container::shell::{Call, Dialect, Flow, Host, Io};
use crate::container::*;

/// A container's OS wired to its pod's network for the duration of one run.
pub(crate) struct Wired<'a> {
    pub sys: &'a mut Sys,
    pub net: &'a mut dyn Network,
}

impl Host for Wired<'_> {
    fn fs(&mut self) -> &mut Fs {
        self.sys.fs()
    }

    fn fs_ref(&self) -> &Fs {
        self.sys.fs_ref()
    }

    fn gnu(&self) -> bool {
        self.sys.gnu()
    }

    fn has_tools(&self) -> bool {
        self.sys.has_tools()
    }

    fn has_bash(&self) -> bool {
        self.sys.has_bash()
    }

    fn hostname(&self) -> &str {
        self.sys.hostname()
    }

    fn dialect(&self, shell: &str) -> Dialect {
        self.sys.dialect(shell)
    }

    fn program(&mut self, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
        let name = argv[0].as_str();
        let base = name.rsplit('/').next().unwrap_or(name);
        let args = &argv[1..];
        let sys = &mut *self.sys;
        match base {
            "curl" if sys.ships("curl") => return Some(sys.curl(&mut *self.net, args, io, call.at)),
            "wget" if sys.tools() == Tools::Busybox || sys.ships("wget") => {
                return Some(sys.wget(&mut *self.net, args, io, call.at))
            }
            "nc" if sys.tools() == Tools::Busybox => return Some(sys.nc(&mut *self.net, args, io, call.at)),
            "nslookup" if sys.tools() == Tools::Busybox => {
                return Some(sys.nslookup(&mut *self.net, args, io))
            }
            _ => {}
        }
        // A server started now binds in the pod's one port space.
        sys.pod_ports.clear();
        self.net.bound_by_others(&mut sys.pod_ports);
        sys.program(argv, io, call)
    }

    fn kill(&mut self, pid: i64, signal: Signal, at: Millis) -> Result<(), String> {
        self.sys.kill(pid, signal, at)
    }

    fn processes(&self) -> Vec<(u32, String)> {
        self.sys.processes()
    }

    fn missing_program_status(&self) -> i32 {
        self.sys.missing_program_status()
    }

    fn write(&mut self, text: &str, stderr: bool, at: Millis) {
        self.sys.write(text, stderr, at)
    }
}
