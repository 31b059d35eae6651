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

/// Anything that looks like a CPR number inside text: six digits of a plausible date, an
/// optional dash, four digits, not inside a longer run of digits.
static CPR_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2})-?([0-9]{4})(?:[^0-9]|$)")
        .expect("CPR text pattern compiles")
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

/// Masks every CPR-like number in `text`.
pub fn mask_all(text: &str) -> Cow<'_, str> {
    if !CPR_IN_TEXT.is_match(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    // Matches may share their delimiter, so search from each match's end of the serial.
    let mut at = 0;
    while let Some(caps) = CPR_IN_TEXT.captures_at(text, at) {
        let date = caps.get(1).expect("group 1");
        let serial = caps.get(2).expect("group 2");
        out.push_str(&text[last..date.start()]);
        out.push_str(date.as_str());
        out.push_str("-****");
        last = serial.end();
        at = serial.end();
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
