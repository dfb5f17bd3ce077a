//! The container's log as stored: plain lines, and access-log entries kept as data and formatted
//! only when someone reads the logs (every probe of a web server writes one), with the time
//! stamps the servers write.

use std::sync::Arc;

use super::static_files::ServedFile;
use super::sys::Sys;
use crate::container::shell;
use crate::container::*;

/// What the runtime writes before each line of a container's log file, in the CRI logging
/// format: a time stamp with nanoseconds, the stream and the tag (`2025-09-01T09:00:00.000000000Z
/// stdout F `). The kubelet's rotation counts the file's bytes, these included.
const CRI_LINE_PREFIX: usize = 40;

/// One log line as stored: plain text, or an access-log entry formatted on reading.
#[derive(Clone, Debug)]
pub(crate) enum LogRecord {
    Line(LogLine),
    Access(AccessRecord),
}

/// One access-log entry: what varies per request, and the request line it shares with the other
/// requests of the same client, method, path and user agent (every run of one probe).
#[derive(Clone, Debug)]
pub(crate) struct AccessRecord {
    at: Millis,
    status: u16,
    bytes: u32,
    request: Arc<RequestLine>,
}

/// The fields of an access-log line that repeat from request to request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RequestLine {
    client: Box<str>,
    method: Box<str>,
    path: Box<str>,
    ua: Box<str>,
    nginx: bool,
}

/// How many distinct request lines (and served files) a container remembers for reuse: a pod's
/// probes and a few clients; a miss only costs an allocation.
const RECENT_REQUEST_LINES: usize = 4;

/// Adds an item to a short list of recent ones, forgetting the oldest beyond the limit.
pub(super) fn remember<T>(recent: &mut Vec<T>, item: T) {
    if recent.len() >= RECENT_REQUEST_LINES {
        recent.remove(0);
    }
    recent.push(item);
}

impl LogRecord {
    /// The bytes the record takes in the log file: the CRI prefix, the line and its newline. An
    /// access-log entry's size is its request line's plus the digits of the time, status and size
    /// (`render` writes them), counted without formatting it.
    fn file_bytes(&self) -> usize {
        let line = match self {
            LogRecord::Line(l) => l.text.len(),
            LogRecord::Access(a) => {
                let r = &*a.request;
                let fixed = r.client.len() + r.method.len() + r.path.len() + 48;
                fixed + if r.nginx { r.ua.len() + 20 } else { 8 }
            }
        };
        CRI_LINE_PREFIX + line + 1
    }

    /// The line as the server writes it (nginx's combined format, or httpd's common format).
    pub(super) fn render(&self) -> LogLine {
        let (a, r) = match self {
            LogRecord::Line(l) => return l.clone(),
            LogRecord::Access(a) => (a, &*a.request),
        };
        use std::fmt::Write;
        let (y, mo, d, h, mi, s, _) = shell::tools::civil(secs(a.at));
        let month = shell::tools::MONTHS[(mo - 1) as usize];
        let mut line = String::with_capacity(96 + r.path.len() + r.ua.len());
        let _ = write!(
            line,
            "{} - - [{d:02}/{month}/{y}:{h:02}:{mi:02}:{s:02} +0000] \"{} {} HTTP/1.1\" {} ",
            r.client, r.method, r.path, a.status
        );
        if r.nginx {
            let _ = write!(line, "{} \"-\" \"{}\" \"-\"", a.bytes, r.ua);
        } else if a.bytes == 0 {
            line.push('-');
        } else {
            let _ = write!(line, "{}", a.bytes);
        }
        LogLine { at: a.at, text: line }
    }
}

/// What a container remembers to serve and log the next requests without allocating: the
/// request lines of the latest access-log entries and the image files recently served.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recent {
    /// The request lines of the latest access-log entries, shared by the entries that repeat them.
    pub requests: Vec<Arc<RequestLine>>,
    /// Image files recently served with 200, valid while the file system's generation is theirs:
    /// a probe asks for the same page every few seconds.
    pub files: Vec<ServedFile>,
}

impl Sys {
    /// nginx's `combined`-like main format and httpd's `common` format.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn access_log(
        &mut self,
        now: Millis,
        client: &str,
        method: &str,
        path: &str,
        outcome: &HttpOutcome,
        ua: &str,
        nginx: bool,
    ) {
        let (status, bytes) = match outcome {
            HttpOutcome::Response { status, body, .. } => (*status, body.len()),
            _ => return,
        };
        // Every probe of a web server writes one line, so the line is kept as data and only
        // formatted when someone reads the logs; its repeating part is shared with earlier lines.
        let same = |r: &RequestLine| {
            &*r.path == path
                && &*r.client == client
                && &*r.ua == ua
                && &*r.method == method
                && r.nginx == nginx
        };
        let request = match self.recent.requests.iter().position(|r| same(r)) {
            Some(i) => Arc::clone(&self.recent.requests[i]),
            None => {
                let line = Arc::new(RequestLine {
                    client: client.into(),
                    method: method.into(),
                    path: path.into(),
                    ua: ua.into(),
                    nginx,
                });
                remember(&mut self.recent.requests, Arc::clone(&line));
                line
            }
        };
        self.append_log(LogRecord::Access(AccessRecord {
            at: now,
            status,
            bytes: bytes.min(u32::MAX as usize) as u32,
            request,
        }));
    }

    /// Appends a record to the current log file, rotating it first when the record would take
    /// it past the kubelet's `containerLogMaxSize` (`crate::budget::CONTAINER_LOG_MAX_BYTES`):
    /// the file is renamed away and a new one begins, and `kubectl logs` reads only the new one
    /// (`pkg/kubelet/logs/container_log_manager.go`, `rotateLatestLog`). The kubelet looks every
    /// 10 s; here the check is at every write, so a file never grows past the limit.
    pub(crate) fn append_log(&mut self, record: LogRecord) {
        let size = record.file_bytes();
        let logs = Arc::make_mut(&mut self.logs);
        if self.log_bytes + size > crate::budget::CONTAINER_LOG_MAX_BYTES {
            logs.clear();
            self.log_bytes = 0;
        }
        self.log_bytes += size;
        logs.push(record);
    }
}

/// Seconds since the Unix epoch of a virtual instant.
fn secs(at: Millis) -> i64 {
    crate::api::EPOCH_UNIX_SECONDS + (at / 1000) as i64
}

/// Formats a virtual instant with `date`'s conversions.
pub(crate) fn strftime_ms(fmt: &str, at: Millis) -> String {
    shell::tools::strftime(fmt, secs(at))
}

/// nginx's error-log time: `2025/09/01 09:00:05`.
pub(crate) fn error_stamp(at: Millis) -> String {
    strftime_ms("%Y/%m/%d %H:%M:%S", at)
}

/// httpd's error-log time: `Mon Sep 01 09:00:00.000000 2025`.
pub(crate) fn apache_stamp(at: Millis) -> String {
    let base = strftime_ms("%a %b %d %H:%M:%S", at);
    format!("{base}.{:06} {}", (at % 1000) * 1000, shell::tools::civil(secs(at)).0)
}
