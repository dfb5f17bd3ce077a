//! The distributions' package managers (`apt-get`, `yum`, `apk`): they take the virtual time an
//! install takes and install the few packages lessons use (`curl`, `openbsd-inetd`).

use super::sys::Sys;
use crate::container::shell::{Flow, Io};
use crate::container::Millis;

impl Sys {
    /// Debian's `apt-get`/`apt`.
    pub(super) fn apt(&mut self, args: &[String], io: &mut Io) -> Flow {
        match args.iter().find(|a| !a.starts_with('-')).map(String::as_str) {
            Some("update") => {
                io.out.push_str("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 8943 kB in 3s (2981 kB/s)\nReading package lists...\n");
                Flow::Sleep(3_000, 0)
            }
            Some("install") => {
                let yes = args.iter().any(|a| a == "-y" || a == "--yes" || a == "-qy" || a == "-yq");
                let packages: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).skip(1).collect();
                io.out.push_str(
                    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
                );
                if !yes {
                    io.out.push_str("Do you want to continue? [Y/n] Abort.\n");
                    return Flow::Done(1);
                }
                for p in &packages {
                    io.out.push_str(&format!("Setting up {p} ...\n"));
                    if p.as_str() == "openbsd-inetd" {
                        let _ = self.fs.write("/etc/init.d/openbsd-inetd", "#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          openbsd-inetd\n### END INIT INFO\n", false);
                        let _ = self.fs.write("/usr/sbin/inetd", "\u{7f}ELF", false);
                    }
                    if p.as_str() == "curl" {
                        let _ = self.fs.write("/usr/bin/curl", "\u{7f}ELF", false);
                    }
                }
                Flow::Sleep(5_000 + 1_000 * packages.len() as Millis, 0)
            }
            _ => Flow::Done(0),
        }
    }

    /// CentOS's `yum`/`dnf`.
    pub(super) fn yum(&mut self, args: &[String], io: &mut Io) -> Flow {
        if args.first().map(String::as_str) == Some("install") {
            io.out.push_str("Loaded plugins: fastestmirror, ovl\nComplete!\n");
            Flow::Sleep(8_000, 0)
        } else {
            Flow::Sleep(3_000, 0)
        }
    }

    /// Alpine's `apk`.
    pub(super) fn apk(&mut self, io: &mut Io) -> Flow {
        io.out.push_str("OK: 8 MiB in 16 packages\n");
        Flow::Sleep(2_000, 0)
    }
}
