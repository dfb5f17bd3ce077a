//! The `<iframe>` snippet a course author pastes into a page, with every value escaped.

use super::*;

/// The `sandbox` attribute the snippet gives the `<iframe>`: the playground is a script, opens
/// documentation links in new tabs, and keeps drafts in its own origin's storage.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-popups";

/// Builds the HTML a course author pastes into a page to embed the playground.
///
/// `base_url` is the playground's address (any query or fragment on it is replaced by the options'
/// query and by `fragment`); `fragment` is usually a share link's fragment, with or without its `#`.
/// The options are written with `embed=1` whatever `options.embed` says, since the snippet embeds.
/// Every attribute value is escaped, and characters that may not appear in a URL fragment are
/// percent-encoded, so no input can break out of the element.
pub fn embed_snippet(base_url: &str, options: &EmbedOptions, fragment: Option<&str>) -> String {
    let base = base_url.split('#').next().unwrap_or("");
    let base = base.split('?').next().unwrap_or("");
    let options = EmbedOptions { embed: true, ..options.clone() };
    let mut src = format!("{base}?{}", options.to_query());
    if let Some(fragment) = fragment {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if !fragment.is_empty() {
            src.push('#');
            src.push_str(&encode_fragment(fragment));
        }
    }
    let title = match &options.scenario {
        Some(slug) => format!("Probe Playground: {slug}"),
        None => "Probe Playground".to_string(),
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" loading=\"lazy\" sandbox=\"{SANDBOX}\" \
         style=\"border: 1px solid #8884; border-radius: 6px;\"></iframe>",
        escape_attr(&src),
        escape_attr(&title),
        options.suggested_height()
    )
}

/// Encodes a query value, keeping the unreserved characters and `,` (which separates panels).
pub(super) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes what RFC 3986 does not allow in a fragment, keeping existing `%XX` escapes.
pub(super) fn encode_fragment(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_start = b == b'%'
            && bytes.get(i + 1).and_then(|c| hex(*c)).is_some()
            && bytes.get(i + 2).and_then(|c| hex(*c)).is_some();
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) || escape_start {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute value.
pub(super) fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}
