//! Scenario files come from anyone: parsing must return diagnostics, never panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The editor and the CLI only ever hand over text, so invalid UTF-8 is not an input to explore.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = probe_playground::manifest::parse(text);
    }
});
