//! Serving files from a document root, as nginx, httpd and Tomcat do: `/` and directories to
//! their `index.html`, directories without a slash redirected, paths outside the root refused,
//! each server's own error pages (given by the program as a [`Site`]).

use super::logs::remember;
use super::sys::Sys;
use crate::container::fs::{normalize, Lookup};
use crate::container::*;

/// How a server serves files: its error pages and whether it lists directories without an index.
pub(crate) struct Site<'a> {
    pub error_page: &'a dyn Fn(u16) -> String,
    /// httpd's default configuration lists directories (`Options Indexes`); nginx and Tomcat
    /// answer 403.
    pub list_directories: bool,
}

/// An image file a request path under a document root resolved to.
#[derive(Clone, Debug)]
pub(crate) struct ServedFile {
    generation: u64,
    root: Box<str>,
    path: Box<str>,
    body: &'static str,
}

impl Sys {
    /// Serves `path` from the document root `root`, reusing a recent answer while the files have
    /// not changed.
    pub(crate) fn static_file(&mut self, root: &str, path: &str, port: u16, site: &Site) -> HttpOutcome {
        let generation = self.fs.generation();
        if let Some(hit) = self
            .recent
            .files
            .iter()
            .find(|f| f.generation == generation && &*f.path == path && &*f.root == root)
        {
            return HttpOutcome::Response { status: 200, body: hit.body.into(), location: None, latency: 0 };
        }
        let outcome = self.resolve_static_file(root, path, port, site);
        if let HttpOutcome::Response { status: 200, body: std::borrow::Cow::Borrowed(body), .. } = &outcome {
            self.recent.files.retain(|f| f.generation == generation);
            remember(
                &mut self.recent.files,
                ServedFile { generation, root: root.into(), path: path.into(), body },
            );
        }
        outcome
    }

    fn resolve_static_file(&self, root: &str, path: &str, port: u16, site: &Site) -> HttpOutcome {
        let mut file = join_path(root, path);
        let inside = file.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        let page = |status| HttpOutcome::Response {
            status,
            body: (site.error_page)(status).into(),
            location: None,
            latency: 0,
        };
        if !inside {
            return page(404);
        }
        match self.fs.lookup(&file) {
            Some(Lookup::File(body)) => {
                HttpOutcome::Response { status: 200, body, location: None, latency: 0 }
            }
            Some(Lookup::Dir) if !path.ends_with('/') => {
                let location = format!("http://{}:{port}{path}/", self.config.pod_ip);
                HttpOutcome::Response {
                    status: 301,
                    body: (site.error_page)(301).into(),
                    location: Some(location),
                    latency: 0,
                }
            }
            Some(Lookup::Dir) => {
                let dir_len = file.len();
                if !file.ends_with('/') {
                    file.push('/');
                }
                file.push_str("index.html");
                match (self.fs.lookup(&file), site.list_directories) {
                    (Some(Lookup::File(body)), _) => {
                        HttpOutcome::Response { status: 200, body, location: None, latency: 0 }
                    }
                    (_, true) => {
                        // httpd's default configuration lists directories without an index.
                        file.truncate(dir_len);
                        let names = self.fs.list(&file).unwrap_or_default();
                        let mut body = format!("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {path}</title>\n </head>\n <body>\n<h1>Index of {path}</h1>\n<ul>");
                        for (n, _) in names {
                            body.push_str(&format!("<li><a href=\"{n}\"> {n}</a></li>\n"));
                        }
                        body.push_str("</ul>\n</body></html>\n");
                        HttpOutcome::Response { status: 200, body: body.into(), location: None, latency: 0 }
                    }
                    _ => page(403),
                }
            }
            None => page(404),
        }
    }
}

/// The reason phrase of a status code.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        418 => "I'm a teapot",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// The file a request path names under a document root: `normalize(root, path)`, built in one
/// allocation (with room for `/index.html`) when neither has anything to resolve, which is every
/// probe's case.
fn join_path(root: &str, path: &str) -> String {
    // Absolute, without empty, `.` or `..` segments (a trailing slash is fine).
    let clean = |p: &str| {
        let p = p.as_bytes();
        if p.first() != Some(&b'/') {
            return false;
        }
        let mut i = 0;
        while i < p.len() {
            let start = i + 1;
            let end = p[start..].iter().position(|&b| b == b'/').map_or(p.len(), |n| start + n);
            match &p[start..end] {
                b"." | b".." => return false,
                b"" if end < p.len() => return false,
                _ => {}
            }
            i = end;
        }
        true
    };
    if !(clean(root) && !root.ends_with('/') && clean(path)) {
        return normalize(root, &path[1..]);
    }
    let rest = path.trim_end_matches('/');
    let mut file = String::with_capacity(root.len() + rest.len() + "/index.html".len());
    file.push_str(root);
    file.push_str(rest);
    file
}

#[cfg(test)]
mod tests {
    #[test]
    fn document_paths_join_like_normalize() {
        // The fast join used for every request must name exactly the file `normalize` names.
        for root in ["/usr/share/nginx/html", "/usr/local/apache2/htdocs", "/srv/", "/", "/a//b", "/a/./b"] {
            for path in [
                "/",
                "/index.html",
                "/a/",
                "/a/b.html",
                "//x",
                "/./x",
                "/../etc/passwd",
                "/a/..",
                "/a/.",
                "/a//b/",
                "/.hidden",
                "/..x",
            ] {
                assert_eq!(
                    super::join_path(root, path),
                    crate::container::fs::normalize(root, &path[1..]),
                    "{root} + {path}"
                );
            }
        }
    }
}
