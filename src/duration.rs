//! Virtual time and the three ways the product writes durations.
//!
//! The engine counts virtual time in whole milliseconds since the scenario started ([`Millis`]).
//! Scenario files and commands *read* durations in the contract's form (`90`, `90s`, `1m30s`, `1h`);
//! `kubectl` *prints* ages with its human format (`119s`, `2m5s`, `3m`); and the kubelet's messages
//! print Go's `time.Duration` format (`10s`, `1m20s`, `5m0s`).

/// Virtual time or a span of it, in milliseconds.
pub type Millis = u64;

/// One second of virtual time.
pub const SECOND: Millis = 1000;

/// Parses a duration as scenario files and command flags write it: a bare number of seconds (`90`),
/// or a sequence of `<number><unit>` with units `h`, `m`, `s` and `ms` (`1m30s`, `1h`, `500ms`).
///
/// Negative values, empty strings, unknown units and values beyond 100 years are rejected with a
/// message that says what was expected, because durations come from hostile input (share links).
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let s = text.trim();
    let err = || format!("invalid duration {text:?}: expected seconds or a duration like 90s, 1m30s or 1h");
    if s.is_empty() {
        return Err(err());
    }
    if s.starts_with('-') {
        return Err(format!("invalid duration {text:?}: must not be negative"));
    }
    const LIMIT: u128 = 100 * 365 * 24 * 3600 * 1000;
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u128 = s.parse().map_err(|_| err())?;
        let ms = secs
            .checked_mul(1000)
            .filter(|v| *v <= LIMIT)
            .ok_or_else(|| format!("invalid duration {text:?}: too large"))?;
        return Ok(ms as Millis);
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: u128 = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i || i - start > 15 {
            return Err(err());
        }
        let n: u128 = s[start..i].parse().map_err(|_| err())?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let factor: u128 = match &s[unit_start..i] {
            "h" => 3_600_000,
            "m" => 60_000,
            "s" => 1000,
            "ms" => 1,
            _ => return Err(err()),
        };
        total = total.saturating_add(n.saturating_mul(factor));
        if total > LIMIT {
            return Err(format!("invalid duration {text:?}: too large"));
        }
    }
    Ok(total as Millis)
}

/// Formats the time elapsed since an instant as `kubectl` prints ages (`translateTimestampSince` and
/// `duration.HumanDuration`): `0s`, `119s`, `2m5s`, `3m`, `179m`, `3h5m`, `47h`, `3d4h`, `400d`, `2y30d`.
/// `elapsed_ms` may be negative (a timestamp in the future); whole seconds are taken by flooring.
pub fn human_duration(elapsed_ms: i64) -> String {
    let seconds = elapsed_ms.div_euclid(1000);
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let d = hours / 24;
        let h = hours % 24;
        return if h == 0 { format!("{d}d") } else { format!("{d}d{h}h") };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    let years = hours / 24 / 365;
    if years < 8 {
        let d = (hours / 24) % 365;
        return if d == 0 { format!("{years}y") } else { format!("{years}y{d}d") };
    }
    format!("{years}y")
}

/// Formats a span as Go's `time.Duration.String()` does for the values the kubelet prints:
/// `0s`, `500ms`, `10s`, `1m20s`, `5m0s`, `1h0m0s`.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let total_secs = ms / 1000;
    let frac = ms % 1000;
    let h = total_secs / 3600;
    let m = (total_secs % 3600) / 60;
    let s = total_secs % 60;
    let sec = if frac == 0 {
        format!("{s}s")
    } else {
        let f = format!("{frac:03}");
        format!("{s}.{}s", f.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{sec}")
    } else if m > 0 {
        format!("{m}m{sec}")
    } else {
        sec
    }
}

/// Formats virtual time for the playground's clock: the same human format `kubectl` uses for ages,
/// so that the clock and the AGE column of a pod created at time 0 always agree.
pub fn clock(now: Millis) -> String {
    human_duration(now as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_contract_forms() {
        assert_eq!(parse_duration("90"), Ok(90_000));
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("99999999999999999999999").is_err());
        assert!(parse_duration("999999999h").is_err());
    }

    #[test]
    fn human_matches_kubectl() {
        let cases = [
            (0, "0s"),
            (-500, "0s"),
            (-3000, "<invalid>"),
            (80_000, "80s"),
            (119_999, "119s"),
            (125_000, "2m5s"),
            (180_000, "3m"),
            (599_000, "9m59s"),
            (600_000, "10m"),
            (179 * 60_000, "179m"),
            (3 * 3_600_000, "3h"),
            (3 * 3_600_000 + 300_000, "3h5m"),
            (47 * 3_600_000, "47h"),
            (50 * 3_600_000, "2d2h"),
            (400 * 86_400_000, "400d"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(ms), want, "{ms}");
        }
    }

    #[test]
    fn go_format_matches_kubelet_messages() {
        for (ms, want) in [
            (10_000, "10s"),
            (80_000, "1m20s"),
            (160_000, "2m40s"),
            (300_000, "5m0s"),
            (0, "0s"),
            (1500, "1.5s"),
            (3_600_000, "1h0m0s"),
            (250, "250ms"),
        ] {
            assert_eq!(go_duration(ms), want);
        }
    }
}
