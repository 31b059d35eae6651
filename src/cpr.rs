//! CPR numbers: the pattern check and masking. CPR numbers are personal data, so every report
//! and log line goes through [`mask_all`] unless the user asked to see them (`--show-cpr`).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// The documents' CPR pattern (PersonCivilRegistrationIdentifierType), anchored.
static CPR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:(?:(?:0[1-9]|1[0-9]|2[0-9]|3[0-1])(?:01|03|05|07|08|10|12))|(?:(?:0[1-9]|1[0-9]|2[0-9]|30)(?:04|06|09|11))|(?:(?:0[1-9]|1[0-9]|2[0-9])(?:02)))[0-9]{6})$|^0000000000$",
    )
    .expect("CPR pattern compiles")
});

/// Whether `s` matches the documents' CPR pattern.
pub fn is_valid(s: &str) -> bool {
    CPR.is_match(s)
}

/// Masks one CPR number: `0101901234` becomes `010190-****`.
pub fn mask(cpr: &str) -> String {
    let digits: String = cpr.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 6 {
        format!("{}-****", &digits[..6])
    } else {
        "******-****".to_string()
    }
}

/// Masks every CPR-like number in `text`, erring on the side of masking: a target may echo a
/// CPR number in any form, and a leaked one cannot be taken back. Caught are
///
/// - ten digits whose first six read as a date (`DDMMYY`), alone or anywhere inside a longer
///   run of digits (a CPR glued to other digits, or written twice);
/// - a date, one separator (dash, space, dot, slash, underscore, no-break space, a Unicode
///   dash) and four digits: `010190-1234`, `010190 1234`, `010190.1234`;
/// - nine digits that read as a CPR whose leading zero was lost (a JSON number);
/// - digits written as XML character references (`&#48;`, `&#x30;`) or JSON `\u0030`
///   escapes, which are decoded to plain digits first.
///
/// The date stays readable; the four serial digits become `****` (`0101901234` becomes
/// `010190-****`).
pub fn mask_all(text: &str) -> Cow<'_, str> {
    // The cheap pre-check: most strings (names, dates, prose) hold no run of six digits and
    // no escaped digit, and are returned as they are without any allocation.
    if !may_hold_cpr(text) {
        return Cow::Borrowed(text);
    }
    let decoded = decode_digit_escapes(text);
    match mask_digits(&decoded) {
        Some(masked) => Cow::Owned(masked),
        None => decoded,
    }
}

/// Whether `text` has a run of at least six ASCII digits, or a character reference or `\u`
/// escape that may hide digits: only then can it hold a CPR number in a form [`mask_all`]
/// masks.
fn may_hold_cpr(text: &str) -> bool {
    let mut run = 0;
    for &b in text.as_bytes() {
        if b.is_ascii_digit() {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    text.contains("&#") || text.contains("\\u") || text.contains("\\U")
}

/// The masking scan over plain digits, by byte offsets (digits and the ASCII separators are
/// one byte; a Unicode separator is measured by its UTF-8 length). `None` when nothing
/// needed masking.
fn mask_digits(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let runs = digit_runs(bytes);
    // Byte ranges of serial digits to mask, and the offsets a dash goes before.
    let mut serial: Vec<(usize, usize)> = Vec::new();
    let mut dash_before: Vec<usize> = Vec::new();
    for (k, &(start, end)) in runs.iter().enumerate() {
        let n = end - start;
        let digits = &bytes[start..end];
        if n >= 10 {
            for i in 0..=n - 10 {
                if plausible_date(&digits[i..i + 6]) {
                    serial.push((start + i + 6, start + i + 10));
                    if n == 10 {
                        dash_before.push(start + 6);
                    }
                }
            }
        }
        if n == 9 {
            let mut padded = [b'0'; 6];
            padded[1..].copy_from_slice(&digits[..5]);
            if plausible_date(&padded) {
                serial.push((start + 5, end));
            }
        }
        // A date, one separator, four digits (or more: the serial's first four are masked).
        if n >= 6
            && plausible_date(&digits[n - 6..])
            && let Some(&(next_start, next_end)) = runs.get(k + 1)
            && let Some(sep) = text[end..].chars().next()
            && next_start == end + sep.len_utf8()
            && is_separator(sep)
            && next_end - next_start >= 4
        {
            serial.push((next_start, next_start + 4));
        }
    }
    if serial.is_empty() {
        return None;
    }
    serial.sort_unstable();
    let mut out = String::with_capacity(text.len() + 4);
    // `copied`: how far `text` is in `out`; masked ranges may overlap.
    let mut copied = 0;
    for (a, b) in serial {
        let from = a.max(copied);
        if from >= b {
            continue;
        }
        out.push_str(&text[copied..from]);
        for i in from..b {
            // `dash_before` is in ascending order: the runs are.
            if dash_before.binary_search(&i).is_ok() {
                out.push('-');
            }
            out.push('*');
        }
        copied = b;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The maximal runs of ASCII digits, as `(start, end)` byte offsets.
fn digit_runs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Six digits that read as `DDMMYY`: a day 01-31 and a month 01-12.
fn plausible_date(d: &[u8]) -> bool {
    let num = |a: u8, b: u8| u32::from(a.wrapping_sub(b'0')) * 10 + u32::from(b.wrapping_sub(b'0'));
    d.len() == 6 && (1..=31).contains(&num(d[0], d[1])) && (1..=12).contains(&num(d[2], d[3]))
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | ' ' | '.' | '/' | '_' | '\u{a0}' | '\u{2010}'..='\u{2015}' | '\u{2212}'
    )
}

/// Digits written as character references or `\u` escapes, decoded to plain digits so the
/// scan sees them; everything else is left as it was.
fn decode_digit_escapes(text: &str) -> Cow<'_, str> {
    if !text.contains("&#") && !text.contains("\\u") && !text.contains("\\U") {
        return Cow::Borrowed(text);
    }
    static ESCAPED_DIGIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)&#0*(4[89]|5[0-7]);|&#x0*(3[0-9]);|\\u00(3[0-9])")
            .expect("escaped digit pattern compiles")
    });
    ESCAPED_DIGIT.replace_all(text, |c: &regex::Captures<'_>| {
        let code = match (c.get(1), c.get(2), c.get(3)) {
            (Some(dec), _, _) => dec.as_str().parse::<u32>().unwrap_or(48),
            (_, Some(hex), _) | (_, _, Some(hex)) => {
                u32::from_str_radix(hex.as_str(), 16).unwrap_or(48)
            }
            _ => 48,
        };
        char::from_u32(code).unwrap_or('0').to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The character-indexed scan `mask_all` was before it worked on bytes with a pre-check:
    // the reference the property below holds it to.
    fn mask_all_by_chars(text: &str) -> Cow<'_, str> {
        let decoded = decode_digit_escapes(text);
        let text: &str = &decoded;
        let chars: Vec<char> = text.chars().collect();
        let runs = digit_runs_chars(&chars);
        let mut serial = vec![false; chars.len()];
        let mut dash_after: Vec<usize> = Vec::new();
        let mut found = false;
        for (k, &(start, end)) in runs.iter().enumerate() {
            let n = end - start;
            let digits = &chars[start..end];
            if n >= 10 {
                for i in 0..=n - 10 {
                    if plausible_date_chars(&digits[i..i + 6]) {
                        serial[start + i + 6..start + i + 10].fill(true);
                        found = true;
                        if n == 10 {
                            dash_after.push(start + 6);
                        }
                    }
                }
            }
            if n == 9 {
                let mut padded = vec!['0'];
                padded.extend_from_slice(&digits[..5]);
                if plausible_date_chars(&padded) {
                    serial[start + 5..end].fill(true);
                    found = true;
                }
            }
            // A date, one separator, four digits (or more: the serial's first four are masked).
            if n >= 6
                && plausible_date_chars(&digits[n - 6..])
                && let Some(&(next_start, next_end)) = runs.get(k + 1)
                && next_start == end + 1
                && is_separator(chars[end])
                && next_end - next_start >= 4
            {
                serial[next_start..next_start + 4].fill(true);
                found = true;
            }
        }
        if !found {
            return decoded;
        }
        let mut out = String::with_capacity(text.len() + 4);
        for (i, c) in chars.iter().enumerate() {
            if dash_after.contains(&i) && serial[i] {
                out.push('-');
            }
            out.push(if serial[i] { '*' } else { *c });
        }
        Cow::Owned(out)
    }

    fn digit_runs_chars(chars: &[char]) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push((start, i));
            } else {
                i += 1;
            }
        }
        runs
    }

    fn plausible_date_chars(d: &[char]) -> bool {
        let num =
            |a: char, b: char| a.to_digit(10).unwrap_or(99) * 10 + b.to_digit(10).unwrap_or(99);
        d.len() == 6 && (1..=31).contains(&num(d[0], d[1])) && (1..=12).contains(&num(d[2], d[3]))
    }

    proptest::proptest! {
        #[test]
        fn masks_exactly_as_the_character_scan_did(
            text in "([0-9]{1,12}|[ ./_\u{a0}\u{2013}-]|&#4[89];|&#x3[0-9];|\\\\u003[0-9]|[a-zæ<>\"]){0,12}"
        ) {
            proptest::prop_assert_eq!(mask_all(&text).into_owned(), mask_all_by_chars(&text).into_owned());
        }
    }

    #[test]
    fn validates_the_documents_pattern() {
        assert!(is_valid("0101901234"));
        assert!(is_valid("0000000000"));
        assert!(is_valid("2902881234"));
        assert!(!is_valid("3102901234"), "31 February");
        assert!(!is_valid("3104901234"), "31 April");
        assert!(!is_valid("3002901234"), "30 February");
        assert!(!is_valid("010190123"));
        assert!(!is_valid("01019012345"));
        assert!(!is_valid("01019O1234"));
    }

    #[test]
    fn masks_cprs_in_text_but_not_longer_numbers() {
        assert_eq!(mask("0101901234"), "010190-****");
        assert_eq!(
            mask_all("cpr 0101901234 and 020290-5678."),
            "cpr 010190-**** and 020290-****."
        );
        assert_eq!(mask_all("<cpr>0101901234</cpr>"), "<cpr>010190-****</cpr>");
        assert_eq!(
            mask_all("\"0101901234\",\"1203851111\""),
            "\"010190-****\",\"120385-****\""
        );
        assert_eq!(mask_all("id 123456789012345"), "id 123456789012345");
        assert_eq!(mask_all("nothing here"), "nothing here");
    }

    #[test]
    fn masks_the_forms_a_target_may_echo() {
        // Other separators.
        assert_eq!(mask_all("cpr 010190 1234."), "cpr 010190 ****.");
        assert_eq!(mask_all("010190.1234"), "010190.****");
        assert_eq!(mask_all("010190/1234"), "010190/****");
        assert_eq!(mask_all("010190\u{2013}1234"), "010190\u{2013}****");
        // Inside a longer run of digits, and twice in a row.
        assert_eq!(mask_all("ref 990101901234"), "ref 99010190****");
        // Overlapping windows may mask more than the two serials; neither serial is left.
        let twice = mask_all("01019012340202901234");
        assert!(
            twice.starts_with("010190****") && twice.ends_with("****"),
            "{twice}"
        );
        // A JSON number that lost its leading zero.
        assert_eq!(mask_all(r#"{"cpr":101901234}"#), r#"{"cpr":10190****}"#);
        // Character references and \u escapes.
        assert_eq!(
            mask_all("<cpr>&#48;&#49;0190&#x31;234</cpr>"),
            "<cpr>010190-****</cpr>"
        );
        assert_eq!(mask_all(r#""\u0030101901234""#), r#""010190-****""#);
        // Dates and times stay.
        assert_eq!(mask_all("2026-11-24T10:00:00"), "2026-11-24T10:00:00");
        assert_eq!(mask_all("run 20261124T100000Z"), "run 20261124T100000Z");
    }
}
