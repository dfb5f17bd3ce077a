//! The registries the playground's nodes pull from, as data: every repository of the catalogue
//! (and of the scenarios and seed articles) with the tag scheme its real repository publishes, so
//! that `nginx:1.27.3` and `nginx:stable-alpine` pull while `nginx:latst`, `nginx:9.9` and
//! `ngnix` fail as a registry refuses them. A scenario adds its own private images
//! (`spec.images`), which exist exactly as written.
//!
//! Each repository lists its named tags (`latest`, `stable`, `bookworm`), its version families
//! (`1.27` with patch releases 0 to 5) and the variants a version may carry (`-alpine`,
//! `-perl`). A version tag is a family's `major`, `major.minor` or `major.minor.patch` with an
//! optional variant; a variant also stands alone when the repository publishes it so
//! (`nginx:alpine`). The version lists are the releases each project published up to September
//! 2025, as their Docker Hub and registry.k8s.io tag lists show them; a digest is accepted for any
//! repository listed, since the playground does not know the images' real digests.

use super::reference::Reference;

/// A version family: `major.minor` and the highest patch release (`None`: the family is a tag
/// of its own with no patch releases, as `ubuntu:24.04`).
type Family = (&'static str, Option<u32>);

/// One repository and its tag scheme.
struct Repository {
    /// The full name, `docker.io/library/nginx`.
    name: &'static str,
    /// Tags that are not versions.
    named: &'static [&'static str],
    /// The prefix version tags carry (`v1.8.2`).
    prefix: &'static str,
    families: &'static [Family],
    /// Suffixes a version tag may carry after a `-`.
    variants: &'static [&'static str],
    /// Whether a version tag must carry a variant (registry.k8s.io/etcd's `3.5.15-0`).
    variant_required: bool,
}

/// Why a pull fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullFailure {
    /// The repository exists but the tag does not (the registry answers 404).
    TagNotFound,
    /// Docker Hub answers 401 `insufficient_scope` for a repository that does not exist (or is
    /// private).
    AccessDenied,
    /// Another registry answers 404 for a repository it does not have.
    RepositoryNotFound,
}

/// Whether an image exists in the registries: `Ok` for a pullable reference, else why not.
/// `private` holds the scenario's own images, normalized (`docker.io/myorg/app:1.0`).
pub fn resolve(reference: &Reference, private: &[String]) -> Result<(), PullFailure> {
    let normalized = reference.normalized();
    if private.contains(&normalized) {
        return Ok(());
    }
    let name = reference.name();
    let Some(repo) = REPOSITORIES.iter().find(|r| r.name == name) else {
        let private_repo =
            private.iter().any(|p| p.strip_prefix(name.as_str()).is_some_and(|r| r.starts_with([':', '@'])));
        return Err(match () {
            _ if private_repo => PullFailure::TagNotFound,
            _ if reference.domain == "docker.io" => PullFailure::AccessDenied,
            _ => PullFailure::RepositoryNotFound,
        });
    };
    if reference.digest.is_some() {
        return Ok(());
    }
    match reference.tag_or_default() {
        Some(tag) if repo.has_tag(tag) => Ok(()),
        _ => Err(PullFailure::TagNotFound),
    }
}

impl Repository {
    fn has_tag(&self, tag: &str) -> bool {
        if self.named.contains(&tag) {
            return true;
        }
        let Some(rest) = tag.strip_prefix(self.prefix) else { return false };
        let (version, variant) = match rest.split_once('-') {
            Some((v, s)) => (v, Some(s)),
            None => (rest, None),
        };
        match variant {
            Some(s) if !self.variants.contains(&s) => return false,
            None if self.variant_required => return false,
            _ => {}
        }
        self.has_version(version)
    }

    fn has_version(&self, version: &str) -> bool {
        self.families.iter().any(|(family, max_patch)| {
            if version == *family {
                return true;
            }
            let major = family.split('.').next().unwrap_or(family);
            if version == major && max_patch.is_some() {
                return true;
            }
            match (version.strip_prefix(family).and_then(|r| r.strip_prefix('.')), max_patch) {
                (Some(patch), Some(max)) => {
                    !patch.is_empty()
                        && patch.chars().all(|c| c.is_ascii_digit())
                        && (patch == "0" || !patch.starts_with('0'))
                        && patch.parse::<u32>().is_ok_and(|p| p <= *max)
                }
                _ => false,
            }
        })
    }
}

const NO_VARIANTS: &[&str] = &[];

/// nginx's releases from 1.10 on (mainline and stable), with the highest patch of each.
const NGINX_FAMILIES: &[Family] = &[
    ("1.10", Some(3)),
    ("1.11", Some(13)),
    ("1.12", Some(2)),
    ("1.13", Some(12)),
    ("1.14", Some(2)),
    ("1.15", Some(12)),
    ("1.16", Some(1)),
    ("1.17", Some(10)),
    ("1.18", Some(0)),
    ("1.19", Some(10)),
    ("1.20", Some(2)),
    ("1.21", Some(6)),
    ("1.22", Some(1)),
    ("1.23", Some(4)),
    ("1.24", Some(0)),
    ("1.25", Some(5)),
    ("1.26", Some(3)),
    ("1.27", Some(5)),
    ("1.28", Some(0)),
    ("1.29", Some(1)),
];

const BUSYBOX_FAMILIES: &[Family] = &[
    ("1.24", Some(2)),
    ("1.25", Some(1)),
    ("1.26", Some(2)),
    ("1.27", Some(2)),
    ("1.28", Some(4)),
    ("1.29", Some(3)),
    ("1.30", Some(1)),
    ("1.31", Some(1)),
    ("1.32", Some(1)),
    ("1.33", Some(1)),
    ("1.34", Some(1)),
    ("1.35", Some(0)),
    ("1.36", Some(1)),
    ("1.37", Some(0)),
];

const ALPINE_FAMILIES: &[Family] = &[
    ("3.12", Some(12)),
    ("3.13", Some(12)),
    ("3.14", Some(10)),
    ("3.15", Some(11)),
    ("3.16", Some(9)),
    ("3.17", Some(10)),
    ("3.18", Some(12)),
    ("3.19", Some(8)),
    ("3.20", Some(7)),
    ("3.21", Some(4)),
    ("3.22", Some(1)),
];

static REPOSITORIES: &[Repository] = &[
    Repository {
        name: "docker.io/library/nginx",
        named: &[
            "latest",
            "stable",
            "mainline",
            "alpine",
            "alpine-slim",
            "alpine-perl",
            "perl",
            "bookworm",
            "bookworm-perl",
            "stable-alpine",
            "stable-alpine-slim",
            "stable-perl",
            "mainline-alpine",
            "mainline-alpine-slim",
            "mainline-perl",
        ],
        prefix: "",
        families: NGINX_FAMILIES,
        variants: &["alpine", "alpine-slim", "alpine-perl", "perl", "bookworm", "bookworm-perl", "bullseye"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/busybox",
        named: &["latest", "stable", "unstable", "musl", "glibc", "uclibc"],
        prefix: "",
        families: BUSYBOX_FAMILIES,
        variants: &["musl", "glibc", "uclibc"],
        variant_required: false,
    },
    Repository {
        name: "registry.k8s.io/busybox",
        named: &["latest"],
        prefix: "",
        families: &[("1.27", Some(2)), ("1.28", Some(0))],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/alpine",
        named: &["latest", "edge"],
        prefix: "",
        families: ALPINE_FAMILIES,
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/ubuntu",
        named: &["latest", "rolling", "devel", "noble", "jammy", "focal", "bionic", "plucky", "oracular"],
        prefix: "",
        families: &[
            ("16.04", None),
            ("18.04", None),
            ("20.04", None),
            ("22.04", None),
            ("24.04", None),
            ("24.10", None),
            ("25.04", None),
        ],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/debian",
        named: &[
            "latest",
            "stable",
            "bookworm",
            "bookworm-slim",
            "bullseye",
            "bullseye-slim",
            "trixie",
            "trixie-slim",
            "stable-slim",
        ],
        prefix: "",
        families: &[("11", Some(11)), ("12", Some(11)), ("13", Some(1))],
        variants: &["slim"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/centos",
        named: &["latest", "centos7", "centos8", "7.9.2009", "8.4.2105", "centos7.9.2009"],
        prefix: "",
        families: &[("7", None), ("8", None)],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/httpd",
        named: &["latest", "alpine", "bookworm", "alpine3.22"],
        prefix: "",
        families: &[("2.2", Some(34)), ("2.4", Some(65))],
        variants: &["alpine", "bookworm", "alpine3.22"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/redis",
        named: &["latest", "alpine", "bookworm", "alpine3.22"],
        prefix: "",
        families: &[
            ("5.0", Some(14)),
            ("6.0", Some(20)),
            ("6.2", Some(19)),
            ("7.0", Some(15)),
            ("7.2", Some(10)),
            ("7.4", Some(5)),
            ("8.0", Some(3)),
            ("8.2", Some(1)),
        ],
        variants: &["alpine", "bookworm", "alpine3.22"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/tomcat",
        named: &["latest"],
        prefix: "",
        families: &[
            ("7.0", Some(109)),
            ("8.0", Some(53)),
            ("8.5", Some(100)),
            ("9.0", Some(109)),
            ("10.1", Some(44)),
            ("11.0", Some(10)),
        ],
        variants: &[
            "alpine",
            "jdk8",
            "jdk11",
            "jdk17",
            "jdk21",
            "jre8",
            "jre11",
            "jre17",
            "jre21",
            "jdk8-openjdk",
        ],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/openjdk",
        named: &["latest"],
        prefix: "",
        families: &[("8", None), ("11", None), ("17", None), ("21", None), ("22", None)],
        variants: &["jdk", "jre", "slim", "alpine", "jdk-slim", "jre-slim"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/eclipse-temurin",
        named: &["latest"],
        prefix: "",
        families: &[("8", None), ("11", None), ("17", None), ("21", None), ("24", None), ("25", None)],
        variants: &["jdk", "jre", "alpine", "jdk-alpine", "jre-alpine", "jammy", "noble"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/library/amazoncorretto",
        named: &["latest"],
        prefix: "",
        families: &[("8", None), ("11", None), ("17", None), ("21", None), ("24", None)],
        variants: &["alpine", "al2023", "al2"],
        variant_required: false,
    },
    Repository {
        name: "registry.k8s.io/liveness",
        named: &["latest"],
        prefix: "",
        families: &[],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/mirrorgooglecontainers/liveness",
        named: &["latest"],
        prefix: "",
        families: &[],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    // The Kubernetes documentation's memory examples (assign-memory-resource.md) use the
    // untagged image; 1.0.4 is the stress release it packages.
    Repository {
        name: "docker.io/polinux/stress",
        named: &["latest", "1.0.4"],
        prefix: "",
        families: &[],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    // hashicorp/http-echo's releases on Docker Hub: 0.2.x (the Kubernetes ingress examples'
    // `hashicorp/http-echo:0.2.3`) and 1.0.0 with its `1.0` tag.
    Repository {
        name: "docker.io/hashicorp/http-echo",
        named: &["latest"],
        prefix: "",
        families: &[("0.2", Some(3)), ("1.0", Some(0))],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    // curl's official image (github.com/curl/curl-container), one tag per curl release since
    // 7.72.0.
    Repository {
        name: "docker.io/curlimages/curl",
        named: &["latest"],
        prefix: "",
        families: &[
            ("7.72", Some(0)),
            ("7.73", Some(0)),
            ("7.74", Some(0)),
            ("7.75", Some(0)),
            ("7.76", Some(1)),
            ("7.77", Some(0)),
            ("7.78", Some(0)),
            ("7.79", Some(1)),
            ("7.80", Some(0)),
            ("7.81", Some(0)),
            ("7.82", Some(0)),
            ("7.83", Some(1)),
            ("7.84", Some(0)),
            ("7.85", Some(0)),
            ("7.86", Some(0)),
            ("7.87", Some(0)),
            ("7.88", Some(1)),
            ("8.0", Some(1)),
            ("8.1", Some(2)),
            ("8.2", Some(1)),
            ("8.3", Some(0)),
            ("8.4", Some(0)),
            ("8.5", Some(0)),
            ("8.6", Some(0)),
            ("8.7", Some(1)),
            ("8.8", Some(0)),
            ("8.9", Some(1)),
            ("8.10", Some(1)),
            ("8.11", Some(1)),
            ("8.12", Some(1)),
            ("8.13", Some(0)),
            ("8.14", Some(1)),
            ("8.15", Some(0)),
            ("8.16", Some(0)),
        ],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "registry.k8s.io/e2e-test-images/agnhost",
        named: &[],
        prefix: "",
        families: &[
            ("2.39", None),
            ("2.40", None),
            ("2.43", None),
            ("2.45", None),
            ("2.47", None),
            ("2.52", None),
            ("2.53", None),
            ("2.54", None),
        ],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "registry.k8s.io/etcd",
        named: &[],
        prefix: "",
        families: &[("3.4", Some(13)), ("3.5", Some(21)), ("3.6", Some(4))],
        variants: &["0", "1"],
        variant_required: true,
    },
    Repository {
        name: "registry.k8s.io/goproxy",
        named: &[],
        prefix: "",
        families: &[("0.1", None)],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "registry.k8s.io/pause",
        named: &[],
        prefix: "",
        families: &[
            ("3.1", None),
            ("3.2", None),
            ("3.5", None),
            ("3.6", None),
            ("3.7", None),
            ("3.8", None),
            ("3.9", None),
            ("3.10", None),
        ],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/prom/node-exporter",
        named: &["latest", "master"],
        prefix: "v",
        families: &[
            ("1.0", Some(1)),
            ("1.1", Some(2)),
            ("1.2", Some(2)),
            ("1.3", Some(1)),
            ("1.4", Some(1)),
            ("1.5", Some(0)),
            ("1.6", Some(1)),
            ("1.7", Some(0)),
            ("1.8", Some(2)),
            ("1.9", Some(1)),
        ],
        variants: NO_VARIANTS,
        variant_required: false,
    },
    Repository {
        name: "docker.io/nacos/nacos-server",
        named: &["latest"],
        prefix: "v",
        families: &[
            ("2.0", Some(4)),
            ("2.1", Some(2)),
            ("2.2", Some(3)),
            ("2.3", Some(2)),
            ("2.4", Some(3)),
            ("2.5", Some(1)),
        ],
        variants: &["slim"],
        variant_required: false,
    },
    Repository {
        name: "docker.io/ikubernetes/myapp",
        named: &[],
        prefix: "v",
        families: &[("1", None), ("2", None), ("3", None)],
        variants: NO_VARIANTS,
        variant_required: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::images::reference::parse_normalized;

    fn check(image: &str) -> Result<(), PullFailure> {
        resolve(&parse_normalized(image).unwrap(), &["docker.io/myorg/app:1.0".to_string()])
    }

    #[test]
    fn real_tags_pull_and_made_up_ones_fail() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "nginx:1.27.3",
            "nginx:1.27-alpine",
            "nginx:stable",
            "nginx:mainline",
            "nginx:latest",
            "nginx:1",
            "nginx:1.16.0",
            "nginx:1.20.2-alpine",
            "docker.io/library/nginx:1.25",
            "busybox:1.36",
            "busybox:1.27.2",
            "httpd:2.4",
            "docker.io/httpd",
            "redis:7",
            "redis:8.2",
            "tomcat:7.0.94-alpine",
            "tomcat:9.0.93",
            "registry.k8s.io/etcd:3.5.15-0",
            "registry.k8s.io/e2e-test-images/agnhost:2.53",
            "prom/node-exporter:v1.8.2",
            "nacos/nacos-server:v2.4.3",
            "centos:7.9.2009",
            "ubuntu:24.04",
            "myorg/app:1.0",
            "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("nginx:latst", PullFailure::TagNotFound),
            ("nginx:nope", PullFailure::TagNotFound),
            ("nginx:9.9", PullFailure::TagNotFound),
            ("nginx:1.27.9", PullFailure::TagNotFound),
            ("nginx:1.27-alpnie", PullFailure::TagNotFound),
            ("registry.k8s.io/etcd:3.5.15", PullFailure::TagNotFound),
            ("myorg/app:2.0", PullFailure::TagNotFound),
            ("ngnix", PullFailure::AccessDenied),
            ("myorg/other:1.0", PullFailure::AccessDenied),
            ("example.com/shop/api:1.4.2", PullFailure::RepositoryNotFound),
        ] {
            assert_eq!(check(bad), Err(why), "{bad}");
        }
    }
}
