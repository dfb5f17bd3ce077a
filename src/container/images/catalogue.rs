//! The image catalogue as data: which repository names resolve to which entry, each entry's
//! `ENTRYPOINT`, `CMD`, tools, programs, file layers, working directory, size and `STOPSIGNAL`
//! (as the real images' Dockerfiles set them), and the tag-dependent variants of the layers.
//! What the programs do lives in `crate::container::programs`; the files in `seeds`.

use super::reference::{alpine_tag, repository, tag_version};
use super::seeds::*;
use crate::container::fs::Seed;
use crate::container::Signal;

/// The catalogue entry an image reference resolves to.
#[derive(Debug)]
pub struct Image {
    /// The repository names (last path component) this entry answers to.
    pub names: &'static [&'static str],
    /// `ENTRYPOINT` and `CMD` of the real image.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    pub tools: Tools,
    /// Programs of the image besides its tools: the names `crate::container::programs` commands
    /// require before they run.
    pub programs: &'static [&'static str],
    pub layers: &'static [&'static [Seed]],
    pub workdir: &'static str,
    pub size: u64,
    pub stop_signal: Signal,
}

/// The tools an image ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tools {
    /// BusyBox: `sh` is ash, `wget` is there, `curl` and `bash` are not.
    Busybox,
    /// Debian or Ubuntu: GNU coreutils, `sh` is dash, `bash` is there.
    Debian,
    /// CentOS: GNU coreutils, `sh` is bash.
    Centos,
    /// No shell and no tools (images built `FROM scratch` or distroless).
    None,
}

/// The catalogue entry for an image reference; unknown images get the generic entry.
pub fn lookup(image: &str) -> &'static Image {
    let name = repository(image);
    CATALOGUE.iter().find(|i| i.names.contains(&name)).unwrap_or(&GENERIC)
}

/// Whether an entry is the one unknown images get.
pub(crate) fn is_generic(image: &Image) -> bool {
    std::ptr::eq(image, &GENERIC)
}

/// The image size in bytes, for `Pulled` events. Unknown images get a stable size derived from
/// their name.
pub fn image_size(image: &str) -> u64 {
    let entry = lookup(image);
    if !is_generic(entry) {
        if alpine_tag(image) && repository(image) == "nginx" {
            return 20_431_588;
        }
        return entry.size;
    }
    let hash = crate::fnv::fnv64(image.as_bytes());
    20_000_000 + hash % 180_000_000
}

/// The `STOPSIGNAL` of an image: nginx images from 1.19.7 on stop with SIGQUIT (older ones used
/// the default SIGTERM), httpd with SIGWINCH, everything else with SIGTERM.
pub fn stop_signal_of(image: &str) -> Signal {
    let entry = lookup(image);
    if repository(image) == "nginx" {
        return match tag_version(image) {
            Some((1, minor)) if minor < 20 => Signal::Term,
            _ => Signal::Quit,
        };
    }
    entry.stop_signal
}

const NONE: &[&str] = &[];

static CATALOGUE: &[Image] = &[
    Image {
        names: &["busybox"],
        entrypoint: NONE,
        cmd: &["sh"],
        tools: Tools::Busybox,
        programs: NONE,
        layers: &[BUSYBOX_BASE],
        workdir: "/",
        size: 2_155_847,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["alpine"],
        entrypoint: NONE,
        cmd: &["/bin/sh"],
        tools: Tools::Busybox,
        programs: NONE,
        layers: &[ALPINE_BASE],
        workdir: "/",
        size: 3_637_284,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["ubuntu"],
        entrypoint: NONE,
        cmd: &["/bin/bash"],
        tools: Tools::Debian,
        programs: NONE,
        layers: &[DEBIAN_BASE, UBUNTU_RELEASE],
        workdir: "/",
        size: 29_724_688,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["debian"],
        entrypoint: NONE,
        cmd: &["bash"],
        tools: Tools::Debian,
        programs: NONE,
        layers: &[DEBIAN_BASE],
        workdir: "/",
        size: 48_486_471,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["centos"],
        entrypoint: NONE,
        cmd: &["/bin/bash"],
        tools: Tools::Centos,
        programs: &["curl"],
        layers: &[DEBIAN_BASE, CENTOS_RELEASE],
        workdir: "/",
        size: 76_097_157,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["nginx"],
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        tools: Tools::Debian,
        programs: &["nginx", "curl", "docker-entrypoint.sh"],
        layers: &[DEBIAN_BASE, NGINX_FILES, NGINX_HTML],
        workdir: "/",
        size: 72_319_182,
        stop_signal: Signal::Quit,
    },
    Image {
        names: &["myapp"],
        entrypoint: NONE,
        cmd: &["nginx", "-g", "daemon off;"],
        tools: Tools::Busybox,
        programs: &["nginx"],
        layers: &[ALPINE_BASE, NGINX_FILES, MYAPP_HTML],
        workdir: "/",
        size: 6_298_310,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["httpd"],
        entrypoint: NONE,
        cmd: &["httpd-foreground"],
        tools: Tools::Debian,
        programs: &["httpd"],
        layers: &[DEBIAN_BASE, HTTPD_FILES],
        workdir: "/usr/local/apache2",
        size: 45_153_112,
        stop_signal: Signal::Winch,
    },
    Image {
        names: &["liveness"],
        entrypoint: NONE,
        cmd: &["/server"],
        tools: Tools::None,
        programs: &["server"],
        layers: &[SCRATCH_LIVENESS],
        workdir: "/",
        size: 4_945_529,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["agnhost"],
        entrypoint: &["/agnhost"],
        cmd: &["pause"],
        tools: Tools::Busybox,
        programs: &["agnhost"],
        layers: &[ALPINE_BASE, AGNHOST_FILES],
        workdir: "/",
        size: 51_365_224,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["redis"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        tools: Tools::Debian,
        programs: &["redis-server", "redis-cli", "docker-entrypoint.sh"],
        layers: &[DEBIAN_BASE, REDIS_FILES],
        workdir: "/data",
        size: 52_514_637,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["tomcat"],
        entrypoint: NONE,
        cmd: &["catalina.sh", "run"],
        tools: Tools::Debian,
        programs: &["catalina.sh", "java", "curl"],
        layers: &[DEBIAN_BASE, TOMCAT_FILES, TOMCAT_ROOT],
        workdir: "/usr/local/tomcat",
        size: 106_438_722,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["etcd"],
        entrypoint: NONE,
        cmd: &["/usr/local/bin/etcd"],
        tools: Tools::None,
        programs: &["etcd"],
        layers: &[ETCD_FILES],
        workdir: "/",
        size: 98_888_614,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["goproxy"],
        entrypoint: NONE,
        cmd: &["/goproxy"],
        tools: Tools::None,
        programs: &["goproxy"],
        layers: &[SCRATCH_GOPROXY],
        workdir: "/",
        size: 2_603_418,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["node-exporter"],
        entrypoint: &["/bin/node_exporter"],
        cmd: NONE,
        tools: Tools::Busybox,
        programs: &["node_exporter"],
        layers: &[BUSYBOX_BASE, NODE_EXPORTER_FILES],
        workdir: "/",
        size: 10_964_288,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["nacos-server"],
        entrypoint: &["bin/docker-startup.sh"],
        cmd: NONE,
        tools: Tools::Centos,
        programs: &["docker-startup.sh", "java", "curl"],
        layers: &[DEBIAN_BASE, NACOS_FILES],
        workdir: "/home/nacos",
        size: 310_274_519,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["openjdk", "eclipse-temurin", "amazoncorretto"],
        entrypoint: NONE,
        cmd: &["jshell"],
        tools: Tools::Debian,
        programs: &["java", "curl"],
        layers: &[DEBIAN_BASE, JAVA_FILES],
        workdir: "/",
        size: 190_342_115,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["pause"],
        entrypoint: &["/pause"],
        cmd: NONE,
        tools: Tools::None,
        programs: &["pause"],
        layers: &[SCRATCH_PAUSE],
        workdir: "/",
        size: 320_368,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["stress"],
        entrypoint: &["/usr/local/bin/stress"],
        cmd: NONE,
        tools: Tools::Busybox,
        programs: &["stress"],
        layers: &[ALPINE_BASE, STRESS_FILES],
        workdir: "/",
        size: 4_357_630,
        stop_signal: Signal::Term,
    },
    // hashicorp/http-echo 1.x is built on distroless static (Dockerfile: `FROM
    // gcr.io/distroless/static-debian12:nonroot`, `ENTRYPOINT ["/http-echo"]`): no shell, no tools.
    // Its size is the compressed size of its layers as the registry lists them (approximate).
    Image {
        names: &["http-echo"],
        entrypoint: &["/http-echo"],
        cmd: NONE,
        tools: Tools::None,
        programs: &["http-echo"],
        layers: &[SCRATCH_HTTP_ECHO],
        workdir: "/",
        size: 3_312_401,
        stop_signal: Signal::Term,
    },
    // curlimages/curl (github.com/curl/curl-container `create_base_image.sh`): Alpine with curl,
    // `ENTRYPOINT ["/entrypoint.sh"]`, `CMD ["curl"]`, working directory `/home/curl_user`.
    Image {
        names: &["curl"],
        entrypoint: &["/entrypoint.sh"],
        cmd: &["curl"],
        tools: Tools::Busybox,
        programs: &["curl", "entrypoint.sh"],
        layers: &[ALPINE_BASE, CURL_FILES],
        workdir: "/home/curl_user",
        size: 10_166_493,
        stop_signal: Signal::Term,
    },
];

/// Unknown images: a BusyBox user land, and the configured command as the image's server. They
/// also carry `curl`, as application images built on a distribution base do, so that lifecycle
/// hooks calling the application itself (`curl http://localhost:PORT/...`) work as on a cluster.
static GENERIC: Image = Image {
    names: NONE,
    entrypoint: NONE,
    cmd: &["/app"],
    tools: Tools::Busybox,
    programs: &["curl"],
    layers: &[BUSYBOX_BASE],
    workdir: "/",
    size: 0,
    stop_signal: Signal::Term,
};

static NGINX_ALPINE_OLD: &[&[Seed]] = &[ALPINE_BASE, NGINX_FILES, NGINX_HTML_OLD];
static NGINX_ALPINE: &[&[Seed]] = &[ALPINE_BASE, NGINX_FILES, NGINX_HTML];
static NGINX_OLD: &[&[Seed]] = &[DEBIAN_BASE, NGINX_FILES, NGINX_HTML_OLD];
static TOMCAT_ALPINE_WITH_ROOT: &[&[Seed]] = &[ALPINE_BASE, TOMCAT_FILES, TOMCAT_ROOT];
static TOMCAT_ALPINE: &[&[Seed]] = &[ALPINE_BASE, TOMCAT_FILES];
static TOMCAT_NO_ROOT: &[&[Seed]] = &[DEBIAN_BASE, TOMCAT_FILES];
static REDIS_ALPINE: &[&[Seed]] = &[ALPINE_BASE, REDIS_FILES];

/// The file layers of an image reference: version-dependent pages and alpine variants.
pub(super) fn layers_for(image: &str) -> &'static [&'static [Seed]] {
    let entry = lookup(image);
    match repository(image) {
        "nginx" => {
            let old = matches!(tag_version(image), Some((1, m)) if m < 21);
            match (alpine_tag(image), old) {
                (true, true) => NGINX_ALPINE_OLD,
                (true, false) => NGINX_ALPINE,
                (false, true) => NGINX_OLD,
                (false, false) => entry.layers,
            }
        }
        "tomcat" => match tag_version(image) {
            Some((7 | 8, _)) if alpine_tag(image) => TOMCAT_ALPINE_WITH_ROOT,
            Some((7 | 8, _)) => entry.layers,
            _ if alpine_tag(image) => TOMCAT_ALPINE,
            _ => TOMCAT_NO_ROOT,
        },
        "redis" if alpine_tag(image) => REDIS_ALPINE,
        _ => entry.layers,
    }
}

#[cfg(test)]
mod tests {
    /// Every catalogue layer is sorted and free of duplicates (lookups binary-search them).
    #[test]
    fn layers_are_sorted() {
        use super::*;
        let mut all: Vec<&'static [&'static [crate::container::fs::Seed]]> =
            CATALOGUE.iter().map(|i| i.layers).collect();
        all.extend([
            NGINX_ALPINE_OLD,
            NGINX_ALPINE,
            NGINX_OLD,
            TOMCAT_ALPINE_WITH_ROOT,
            TOMCAT_ALPINE,
            TOMCAT_NO_ROOT,
            REDIS_ALPINE,
        ]);
        for layers in all {
            for layer in layers {
                assert!(layer.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", layer.first());
            }
        }
    }
}
