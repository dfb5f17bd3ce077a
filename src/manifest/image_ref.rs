//! Images the API server admits and the kubelet refuses. The API server accepts any image string
//! without surrounding whitespace; the kubelet parses it with `ParseNormalizedNamed` of
//! `github.com/distribution/reference` in `applyDefaultImageTag` (`pkg/kubelet/images/image_manager.go`)
//! before every start, and a reference that does not parse leaves the container waiting with reason
//! `InvalidImageName`. The parser is the runtime's, `crate::container::images::reference`; the
//! manifest reader only warns, at the image's line, about what the kubelet will do.

use super::field::{self, FieldError};

/// Warns about an image the API server admits and the kubelet will refuse.
pub fn unparseable_warning(image: &str, path: &str, errs: &mut Vec<FieldError>) {
    if image.trim() != image {
        return;
    }
    if let Err(e) = crate::container::images::reference::apply_default_tag(image) {
        errs.push(field::warning(
            path,
            &format!("the kubelet cannot parse this image: {e}; the container will wait with reason InvalidImageName"),
        ));
    }
}

#[cfg(test)]
mod tests {
    /// The kubelet's own examples (an upper-case repository is refused) and distribution/reference's.
    #[test]
    fn references() {
        let show = |image: &str| match crate::container::images::reference::parse_normalized(image) {
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
            // containerd names the image by digest alone when both are written (ParseDockerRef in
            // distribution/reference normalize.go drops the tag).
            (&format!("nginx:latest@{digest}"), format!("docker.io/library/nginx@{digest}")),
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
