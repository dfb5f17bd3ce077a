//! BusyBox `nslookup HOST [SERVER]`, in the two forms BusyBox has shipped.
//!
//! From 1.29 on (`networking/nslookup.c` with `FEATURE_NSLOOKUP_BIG`) it is a DNS client of its
//! own: it reads `/etc/resolv.conf`, appends each search domain only to a name without a dot (so
//! `kubernetes.default` is asked as it is and is not found, a well-known surprise in Kubernetes),
//! sends an A and an AAAA query for every candidate and prints each reply as it comes: the
//! answers (`Name:\t…` / `Address: …`), `** server can't find NAME: NXDOMAIN`, or nothing for an
//! empty answer, each followed by a blank line. Any failed query makes the exit status 1. An
//! address is asked for its PTR record instead.
//!
//! Up to 1.28 (the image the Kubernetes DNS-debugging page uses) it resolves through the C
//! library, search list and all, and prints the server and the name with each address and the
//! name its reverse lookup gives (`Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local`),
//! or `nslookup: can't resolve 'NAME'` on standard error with status 1.
//!
//! CoreDNS answers for the cluster's zone with authority, so the newer form prints no
//! `Non-authoritative answer:` line; the cluster has no IPv6, so AAAA queries get empty answers
//! for names that exist.

use std::net::Ipv4Addr;

use super::reference::{repository, tag_version};
use super::sys::Sys;
use crate::container::net::Network;
use crate::container::shell::{Flow, Io};

/// The resolver configuration `nslookup` reads: the first nameserver and the search domains.
fn resolver(sys: &Sys) -> (String, Vec<String>) {
    let text = sys.fs.read("/etc/resolv.conf").map(|t| t.to_string()).unwrap_or_default();
    let mut server = None;
    let mut search = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") if server.is_none() => server = words.next().map(str::to_string),
            Some("search") | Some("domain") => search = words.map(str::to_string).collect(),
            _ => {}
        }
    }
    (server.unwrap_or_else(|| "127.0.0.1".to_string()), search)
}

impl Sys {
    /// Whether this image's BusyBox predates the resolver of its own (1.29).
    fn old_nslookup(&self) -> bool {
        let image = &self.config.image_ref;
        repository(image) == "busybox" && tag_version(image).is_some_and(|v| v < (1, 29))
    }

    /// The name an address has to the container: its own through `/etc/hosts`, others through
    /// cluster DNS's reverse zone.
    fn reverse_name(&self, net: &mut dyn Network, ip: Ipv4Addr) -> Option<String> {
        if ip.is_loopback() {
            return Some("localhost".to_string());
        }
        if self.config.pod_ip.parse() == Ok(ip) {
            return Some(self.config.hostname.clone());
        }
        net.reverse(ip)
    }

    pub(super) fn nslookup(&mut self, net: &mut dyn Network, args: &[String], io: &mut Io) -> Flow {
        let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let (Some(host), None) = (words.first(), words.get(2)) else {
            io.err.push_str(
                "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n",
            );
            return Flow::Done(1);
        };
        let (resolv_server, search) = resolver(self);
        let server = words.get(1).map_or(resolv_server, |s| s.to_string());
        if self.old_nslookup() {
            return self.nslookup_libc(net, host, &server, io);
        }
        io.out.push_str(&format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n"));
        let mut failed = false;
        if let Ok(ip) = host.parse::<Ipv4Addr>() {
            let o = ip.octets();
            let ptr = format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
            match net.reverse(ip) {
                Some(name) => io.out.push_str(&format!("{ptr}\tname = {name}\n\n")),
                None => {
                    io.out.push_str(&format!("** server can't find {ptr}: NXDOMAIN\n\n"));
                    failed = true;
                }
            }
            return Flow::Done(i32::from(failed));
        }
        let host = host.trim_end_matches('.');
        let candidates: Vec<String> = if host.contains('.') || search.is_empty() {
            vec![host.to_string()]
        } else {
            search.iter().map(|d| format!("{host}.{d}")).collect()
        };
        let answers: Vec<Option<Ipv4Addr>> =
            candidates.iter().map(|c| net.resolve(&format!("{c}."))).collect();
        // The A queries first, then the AAAA ones, in the order they were sent.
        for (name, answer) in candidates.iter().zip(&answers) {
            match answer {
                Some(ip) => io.out.push_str(&format!("Name:\t{name}\nAddress: {ip}\n\n")),
                None => {
                    io.out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
                    failed = true;
                }
            }
        }
        for (name, answer) in candidates.iter().zip(&answers) {
            match answer {
                Some(_) => io.out.push('\n'),
                None => io.out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n")),
            }
        }
        Flow::Done(i32::from(failed))
    }

    /// BusyBox 1.28 and older: the C library's resolver, with reverse names.
    fn nslookup_libc(&mut self, net: &mut dyn Network, host: &str, server: &str, io: &mut Io) -> Flow {
        let server_line = |sys: &Sys, net: &mut dyn Network, ip: &str| -> String {
            match ip.parse::<Ipv4Addr>().ok().and_then(|a| sys.reverse_name(net, a)) {
                Some(name) => format!("Address 1: {ip} {name}\n"),
                None => format!("Address 1: {ip}\n"),
            }
        };
        let line = server_line(self, net, server);
        io.out.push_str(&format!("{:<10} {server}\n{line}\n", "Server:"));
        let Some(ip) = self.resolve_host(net, host) else {
            io.err.push_str(&format!("nslookup: can't resolve '{host}'\n"));
            return Flow::Done(1);
        };
        let line = server_line(self, net, &ip.to_string());
        io.out.push_str(&format!("{:<10} {host}\n{line}", "Name:"));
        Flow::Done(0)
    }
}
