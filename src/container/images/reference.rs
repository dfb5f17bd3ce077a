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
