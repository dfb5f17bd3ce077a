//! Resource quantities (`staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go`): the
//! `100m`, `8`, `250Mi`, `1G`, `1.5`, `2e3` strings of requests, limits and node capacity, read
//! as whole milli-units so that CPU (`100m`) and memory (bytes) compare exactly.

/// A quantity in thousandths of its unit: `100m` is 100, `1` is 1000, `1Ki` is 1,024,000.
/// Quantities too large for an `i128` of milli-units do not occur in scenarios and read as
/// `None`, like any malformed text.
pub fn milli_units(text: &str) -> Option<i128> {
    let text = text.trim();
    let split =
        text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    // A decimal exponent (`2e3`, `1E-3`) is a suffix of its own kind.
    let (scale_num, scale_den, exp10): (i128, i128, i32) = match suffix {
        "" => (1, 1, 0),
        "m" => (1, 1000, 0),
        "k" => (1, 1, 3),
        "M" => (1, 1, 6),
        "G" => (1, 1, 9),
        "T" => (1, 1, 12),
        "P" => (1, 1, 15),
        "E" => (1, 1, 18),
        "Ki" => (1 << 10, 1, 0),
        "Mi" => (1 << 20, 1, 0),
        "Gi" => (1 << 30, 1, 0),
        "Ti" => (1 << 40, 1, 0),
        "Pi" => (1 << 50, 1, 0),
        "Ei" => (1 << 60, 1, 0),
        s if s.starts_with(['e', 'E']) => (1, 1, s[1..].parse::<i32>().ok()?),
        _ => return None,
    };
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.strip_prefix('+').unwrap_or(number)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    // mantissa / 10^fraction_len * 10^exp10 * scale_num / scale_den * 1000, rounded up as the
    // API server rounds a quantity finer than a milli-unit up to the next one.
    let mantissa: i128 = format!("{whole}{fraction}").trim_start_matches('0').parse().unwrap_or(0);
    let mut num = mantissa.checked_mul(scale_num)?.checked_mul(1000)?;
    let mut den = scale_den;
    let shift = exp10 - i32::try_from(fraction.len()).ok()?;
    if shift >= 0 {
        num = num.checked_mul(10i128.checked_pow(shift.unsigned_abs())?)?;
    } else {
        den = den.checked_mul(10i128.checked_pow(shift.unsigned_abs())?)?;
    }
    let value = (num + den - 1) / den;
    Some(if negative { -value } else { value })
}

/// Formats milli-units of CPU as the API prints cores: `8`, `500m`.
pub fn format_cpu(milli: i128) -> String {
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_suffixes_of_requests_and_capacity() {
        assert_eq!(milli_units("100m"), Some(100));
        assert_eq!(milli_units("8"), Some(8000));
        assert_eq!(milli_units("0.5"), Some(500));
        assert_eq!(milli_units("1Ki"), Some(1_024_000));
        assert_eq!(milli_units("100Mi"), Some(104_857_600_000));
        assert_eq!(milli_units("250M"), Some(250_000_000_000));
        assert_eq!(milli_units("2e3"), Some(2_000_000));
        assert_eq!(milli_units("1.5Gi"), Some(1_610_612_736_000));
        assert_eq!(milli_units("0.1m"), Some(1));
    }

    #[test]
    fn refuses_what_is_not_a_quantity() {
        for bad in ["", "m", "1x", "1..2", "Mi", "1 Mi", "--1"] {
            assert_eq!(milli_units(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_cores() {
        assert_eq!(format_cpu(8000), "8");
        assert_eq!(format_cpu(250), "250m");
    }
}
