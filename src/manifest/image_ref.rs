//! Container image references as the kubelet parses them: `ParseNormalizedNamed` of
//! `github.com/distribution/reference` (`normalize.go`, `regexp.go`, `reference.go`), which
//! `applyDefaultImageTag` in `pkg/kubelet/images/image_manager.go` calls before every start.
//!
//! The API server accepts any image string without surrounding whitespace; one the kubelet cannot
//! parse leaves the container waiting with reason `InvalidImageName` (docs/world-semantics.md,
//! "Waiting reasons"). The manifest reader warns about such images, and the engine can use
//! [`parse_image_reference`] for the runtime state.

use super::field::{self, FieldError};

/// A parsed image reference, normalized as containerd sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry (`docker.io` when none is written).
    pub domain: String,
    /// The repository path within it (`library/nginx` for `nginx`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// The reference with the kubelet's default tag applied: `:latest` when neither a tag nor a
    /// digest is written (`docker.io/library/nginx:latest` for `nginx`).
    pub fn normalized(&self) -> String {
        let mut out = format!("{}/{}", self.domain, self.path);
        match (&self.tag, &self.digest) {
            (None, None) => out.push_str(":latest"),
            (tag, digest) => {
                if let Some(tag) = tag {
                    out.push(':');
                    out.push_str(tag);
                }
                if let Some(digest) = digest {
                    out.push('@');
                    out.push_str(digest);
                }
            }
        }
        out
    }
}

/// Parses an image reference as the kubelet does. The error is the parser's own text
/// (`invalid reference format: repository name (library/NGINX) must be lowercase`); the kubelet
/// reports it as `couldn't parse image name "<image>": <error>`.
pub fn parse_image_reference(image: &str) -> Result<ImageRef, String> {
    if image.len() == 64 && image.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(format!("invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"));
    }
    let (domain, remainder) = split_domain(image);
    let remainder_name = remainder.split(['@']).next().unwrap_or("");
    let remainder_name = strip_tag(remainder_name);
    if remainder_name.to_lowercase() != remainder_name {
        return Err(format!(
            "invalid reference format: repository name ({remainder_name}) must be lowercase"
        ));
    }
    let full = format!("{domain}/{remainder}");
    let Some(parsed) = parse_reference(&full) else {
        if image.is_empty() {
            return Err("repository name must have at least one component".to_string());
        }
        if parse_reference(&full.to_lowercase()).is_some() {
            return Err("repository name must be lowercase".to_string());
        }
        return Err("invalid reference format".to_string());
    };
    if parsed.domain.len() + 1 + parsed.path.len() > 255 {
        return Err("repository name must not be more than 255 characters".to_string());
    }
    if let Some(digest) = &parsed.digest {
        check_digest(digest)?;
    }
    Ok(parsed)
}

/// Warns about an image the API server admits and the kubelet will refuse.
pub fn unparseable_warning(image: &str, path: &str, errs: &mut Vec<FieldError>) {
    if image.trim() != image {
        return;
    }
    if let Err(e) = parse_image_reference(image) {
        errs.push(field::warning(
            path,
            &format!(
                "the kubelet cannot parse this image: couldn't parse image name {}: {e}; the container will wait with reason InvalidImageName",
                field::quote(image)
            ),
        ));
    }
}

/// `splitDockerDomain`: the first path component is a registry when it has a `.` or a `:`, is
/// `localhost`, or has upper case; otherwise the image is on Docker Hub, in `library/` when it has
/// no path.
fn split_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => ("docker.io".to_string(), name.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".to_string();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// The repository part of `name[:tag]`: a `:` after the last `/` starts the tag.
fn strip_tag(name: &str) -> &str {
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_slash..].find(':') {
        Some(i) => &name[..last_slash + i],
        None => name,
    }
}

/// `ReferenceRegexp`: `domain/path[:tag][@digest]`, where the domain is host names or an IPv6
/// address with an optional port, the path components are lower-case alphanumerics joined by
/// `.`, `_`, `__` or runs of `-`, the tag is `[\w][\w.-]{0,127}` and the digest
/// `algorithm:hex` with at least 32 hex digits.
fn parse_reference(full: &str) -> Option<ImageRef> {
    let (name_tag, digest) = match full.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (full, None),
    };
    let last_slash = name_tag.rfind('/')?;
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (&name_tag[..last_slash + i], Some(&name_tag[last_slash + i + 1..])),
        None => (name_tag, None),
    };
    let (domain, path) = name.split_once('/')?;
    if !domain_and_port(domain) || !path.split('/').all(path_component) {
        return None;
    }
    if let Some(tag) = tag {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut chars = tag.chars();
        if !chars.next().is_some_and(word)
            || tag.len() > 128
            || !chars.all(|c| word(c) || matches!(c, '.' | '-'))
        {
            return None;
        }
    }
    if let Some(digest) = digest {
        let (algorithm, hex) = digest.split_once(':')?;
        let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if !algorithm_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
    }
    Some(ImageRef {
        domain: domain.to_string(),
        path: path.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

fn domain_and_port(domain: &str) -> bool {
    let (host, port) = if domain.starts_with('[') {
        match domain.find(']') {
            Some(i) => (&domain[..=i], domain[i + 1..].strip_prefix(':')),
            None => return false,
        }
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (domain, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
    }
    host.split('.').all(|part| {
        let b = part.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

/// A path component: lower-case alphanumerics separated by `.`, `_`, `__` or one or more `-`.
fn path_component(part: &str) -> bool {
    let b = part.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &part[start..i];
        let dashes = sep.bytes().all(|c| c == b'-');
        if !(matches!(sep, "." | "_" | "__") || dashes) {
            return false;
        }
    }
    true
}

/// `digest.Parse`: a registered algorithm's digest has its exact length.
fn check_digest(digest: &str) -> Result<(), String> {
    let (algorithm, hex) = digest.split_once(':').unwrap_or((digest, ""));
    let expected = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".to_string()),
    };
    if hex.len() != expected {
        return Err("invalid checksum digest length".to_string());
    }
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("invalid checksum digest format".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of docs/world-semantics.md ("Image pulls") and distribution/reference's own.
    #[test]
    fn references() {
        let show = |image: &str| match parse_image_reference(image) {
            Ok(r) => r.normalized(),
            Err(e) => format!("error: {e}"),
        };
        let digest = "sha256:".to_string() + &"a".repeat(64);
        let cases = [
            ("nginx", "docker.io/library/nginx:latest".to_string()),
            ("nginx:nope", "docker.io/library/nginx:nope".to_string()),
            ("busybox:1.36", "docker.io/library/busybox:1.36".to_string()),
            ("myrepo/app:v1", "docker.io/myrepo/app:v1".to_string()),
            ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10".to_string()),
            ("localhost:5000/app", "localhost:5000/app:latest".to_string()),
            ("index.docker.io/library/nginx", "docker.io/library/nginx:latest".to_string()),
            (&format!("nginx@{digest}"), format!("docker.io/library/nginx@{digest}")),
            (&format!("nginx:latest@{digest}"), format!("docker.io/library/nginx:latest@{digest}")),
            (
                "NGINX",
                "error: invalid reference format: repository name (library/NGINX) must be lowercase"
                    .to_string(),
            ),
            (
                "myrepo/App",
                "error: invalid reference format: repository name (myrepo/App) must be lowercase".to_string(),
            ),
            ("nginx:", "error: invalid reference format".to_string()),
            ("nginx::1", "error: invalid reference format".to_string()),
            ("-nginx", "error: invalid reference format".to_string()),
            ("nginx@sha256:abc", "error: invalid reference format".to_string()),
            (
                &format!("nginx@sha256:{}", "a".repeat(63) + "aa"),
                "error: invalid checksum digest length".to_string(),
            ),
            (
                &"a".repeat(64),
                format!(
                    "error: invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                    "a".repeat(64)
                ),
            ),
        ];
        for (image, expected) in cases {
            assert_eq!(show(image), expected, "{image}");
        }
    }
}
