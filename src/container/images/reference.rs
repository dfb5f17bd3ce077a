//! Image references (`nginx:1.20.2-alpine`, `docker.io/library/httpd`, `redis@sha256:…`): the
//! repository's last path component the catalogue is keyed by, the tag, and the versions the
//! tag stands for where the real images differ by version.

/// The repository's last path component, without tag or digest.
pub(crate) fn repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// The tag, `latest` when the reference has none.
pub(crate) fn tag(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split_once(':').map(|(_, t)| t).unwrap_or("latest")
}

/// Whether the tag names an Alpine variant, whose tools are BusyBox's.
pub(crate) fn alpine_tag(image: &str) -> bool {
    tag(image).contains("alpine")
}

/// The `major.minor` version a tag starts with, if any (`1.20.2-alpine` → (1, 20)).
pub(crate) fn tag_version(image: &str) -> Option<(u32, u32)> {
    let t = tag(image);
    let mut it = t.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// The nginx release an image tag stands for (`latest` is the mainline of September 2025).
pub(crate) fn nginx_version(image: &str) -> String {
    let t = tag(image);
    let v: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    match v.split('.').count() {
        3 => v,
        2 => format!("{v}.0"),
        _ => "1.29.1".to_string(),
    }
}

/// The Tomcat release an image tag stands for (a full `x.y.z` tag, else 11.0.10).
pub(crate) fn tomcat_version(image: &str) -> String {
    let t = tag(image);
    let v: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    match v.split('.').count() {
        3 => v,
        _ => "11.0.10".to_string(),
    }
}

/// A reference parsed as the kubelet and containerd read it (`github.com/distribution/reference`
/// normalize.go ParseNormalizedNamed): the registry domain (`docker.io` by default), the path
/// (official images get the `library/` prefix), and the tag and digest as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub domain: String,
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The domain of images named without one, and its legacy spelling (normalize.go).
const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_REPO_PREFIX: &str = "library/";
/// The longest name (domain and path) the grammar admits (reference.go NameTotalLengthMax).
const NAME_TOTAL_LENGTH_MAX: usize = 255;

impl Reference {
    /// The repository's full name: `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The tag the kubelet pulls: the written one, or `latest` when neither tag nor digest is
    /// given (`pkg/util/parsers/parsers.go` ParseImageName).
    pub fn tag_or_default(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The normalized reference containerd pulls and names in its errors:
    /// `docker.io/library/nginx:nope`, the digest preferred when both are given.
    pub fn normalized(&self) -> String {
        match (&self.digest, self.tag_or_default()) {
            (Some(d), _) => format!("{}@{d}", self.name()),
            (None, Some(t)) => format!("{}:{t}", self.name()),
            (None, None) => self.name(),
        }
    }
}

/// Parses an image reference as `ParseNormalizedNamed` does, with its error texts
/// (`invalid reference format: repository name (library/NGINX) must be lowercase`).
pub fn parse_normalized(image: &str) -> Result<Reference, String> {
    if image.len() == 64 && image.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(format!("invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"));
    }
    let (domain, remainder) = split_docker_domain(image);
    let remote = remainder.split(':').next().unwrap_or(&remainder);
    if remote.to_lowercase() != remote {
        return Err(format!("invalid reference format: repository name ({remote}) must be lowercase"));
    }
    parse(&format!("{domain}/{remainder}"))
}

/// Splits off the registry domain: the first component is one only if it has a dot or a port, is
/// `localhost`, or has upper case (normalize.go splitDockerDomain).
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_string();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_REPO_PREFIX}{remainder}");
    }
    (domain, remainder)
}

/// `reference.Parse` of a name that has its domain: the grammar of regexp.go
/// (`domain/path-component[:tag][@digest]`) and the digest checks of go-digest.
fn parse(s: &str) -> Result<Reference, String> {
    const INVALID: &str = "invalid reference format";
    let Some(found) = grammar(s) else {
        if s.is_empty() {
            return Err("repository name must have at least one component".to_string());
        }
        if grammar(&s.to_lowercase()).is_some() {
            return Err(format!("{INVALID}: repository name must be lowercase"));
        }
        return Err(INVALID.to_string());
    };
    if found.name_len > NAME_TOTAL_LENGTH_MAX {
        return Err(format!("repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"));
    }
    if let Some(d) = &found.digest {
        check_digest(d)?;
    }
    Ok(found.reference)
}

struct Grammar {
    reference: Reference,
    name_len: usize,
    digest: Option<String>,
}

/// Matches the reference grammar; `None` when the text is not a reference.
fn grammar(s: &str) -> Option<Grammar> {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    let (domain, path_and_tag) = rest.split_once('/')?;
    if !is_domain(domain) {
        return None;
    }
    let (path, tag) = match path_and_tag.split_once(':') {
        Some((p, t)) => (p, Some(t)),
        None => (path_and_tag, None),
    };
    if !path.split('/').all(is_path_component) {
        return None;
    }
    if let Some(t) = tag {
        let mut chars = t.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !first_ok || !rest_ok || t.len() > 128 {
            return None;
        }
    }
    if let Some(d) = digest {
        let (alg, hex) = d.split_once(':')?;
        let alg_ok = alg.split(['-', '_', '+', '.']).all(|part| {
            let mut c = part.chars();
            c.next().is_some_and(|c| c.is_ascii_alphabetic()) && c.all(|c| c.is_ascii_alphanumeric())
        });
        if !alg_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
    }
    Some(Grammar {
        reference: Reference {
            domain: domain.to_string(),
            path: path.to_string(),
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        },
        name_len: domain.len() + 1 + path.len(),
        digest: digest.map(str::to_string),
    })
}

/// A domain: dot-separated labels of letters, digits and inner hyphens (or a bracketed IPv6
/// address), with an optional numeric port.
fn is_domain(text: &str) -> bool {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else { return false };
        if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return false;
        }
        match after.strip_prefix(':') {
            Some(p) => ("", Some(p)),
            None if after.is_empty() => ("", None),
            None => return false,
        }
    } else {
        match text.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (text, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    if text.starts_with('[') {
        return true;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A path component: lower-case alphanumerics joined by `.`, `_`, `__` or runs of `-`.
fn is_path_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &part[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// go-digest's validation of a digest the grammar admitted (`digest.Parse`).
fn check_digest(digest: &str) -> Result<(), String> {
    let (alg, hex) = digest.split_once(':').unwrap_or((digest, ""));
    let size = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".to_string()),
    };
    if hex.len() != size {
        return Err("invalid checksum digest length".to_string());
    }
    if !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err("invalid checksum digest format".to_string());
    }
    Ok(())
}

/// The kubelet's `applyDefaultImageTag` (`pkg/kubelet/images/image_manager.go`): the image with
/// `:latest` appended when it has neither tag nor digest, or the parse error as the kubelet words
/// it (`couldn't parse image name "NGINX": ...`).
pub fn apply_default_tag(image: &str) -> Result<(String, Reference), String> {
    let reference =
        parse_normalized(image).map_err(|e| format!("couldn't parse image name {image:?}: {e}"))?;
    let image = match (&reference.tag, &reference.digest) {
        (None, None) => format!("{image}:latest"),
        _ => image.to_string(),
    };
    Ok((image, reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_as_containerd_names_them() {
        let norm = |s: &str| parse_normalized(s).map(|r| r.normalized());
        assert_eq!(norm("nginx:nope").as_deref(), Ok("docker.io/library/nginx:nope"));
        assert_eq!(norm("busybox").as_deref(), Ok("docker.io/library/busybox:latest"));
        assert_eq!(norm("index.docker.io/library/httpd").as_deref(), Ok("docker.io/library/httpd:latest"));
        assert_eq!(norm("prom/node-exporter:v1.8.2").as_deref(), Ok("docker.io/prom/node-exporter:v1.8.2"));
        assert_eq!(norm("registry.k8s.io/liveness").as_deref(), Ok("registry.k8s.io/liveness:latest"));
        assert_eq!(norm("localhost:5000/app:1").as_deref(), Ok("localhost:5000/app:1"));
        // An upper-case first component is taken as a domain, as splitDockerDomain does.
        assert_eq!(norm("MyRegistry/app").as_deref(), Ok("MyRegistry/app:latest"));
    }

    #[test]
    fn bad_names_fail_with_the_reference_library_wording() {
        let err = |s: &str| parse_normalized(s).unwrap_err();
        assert_eq!(
            err("NGINX"),
            "invalid reference format: repository name (library/NGINX) must be lowercase"
        );
        assert_eq!(
            err("myrepo/App"),
            "invalid reference format: repository name (myrepo/App) must be lowercase"
        );
        assert_eq!(err("nginx:"), "invalid reference format");
        assert_eq!(err("nginx::1"), "invalid reference format");
        assert_eq!(err("-nginx"), "invalid reference format");
        assert_eq!(err("nginx@sha256:abc"), "invalid reference format");
        assert_eq!(err(&format!("nginx@sha256:{}", "a".repeat(40))), "invalid checksum digest length");
        assert_eq!(err(&format!("nginx@md5:{}", "a".repeat(32))), "unsupported digest algorithm");
        assert_eq!(
            err(&"a".repeat(64)),
            format!(
                "invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                "a".repeat(64)
            )
        );
        assert_eq!(err(&"a".repeat(300)), "repository name must not be more than 255 characters");
        assert_eq!(
            apply_default_tag("NGINX").unwrap_err(),
            "couldn't parse image name \"NGINX\": invalid reference format: repository name (library/NGINX) must be lowercase"
        );
        assert_eq!(apply_default_tag("nginx").unwrap().0, "nginx:latest");
        assert_eq!(apply_default_tag("nginx:1.27").unwrap().0, "nginx:1.27");
    }
}
