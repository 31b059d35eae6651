//! The documents' date and time values as the reference reads them: XSD `date`, `dateTime` and
//! `time` lexical forms and instants in a state request. "Now" itself comes from an injected
//! [`crate::clock::TimeSource`]; a citizen established through the state-change endpoint carries
//! its own pinned instant, which every request concerning that citizen uses instead (see
//! [`super::store::Citizen::pinned_now`]), so rules about "today", "7 days in the past" or
//! 1.7.2025 are deterministic. The main entry point is [`parse_instant`].

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset};

/// Parses an instant as the documents' `dateTime` or a state request writes it: RFC 3339, or a
/// local date-time without offset (taken in `offset`), or a bare date (midnight in `offset`).
pub fn parse_instant(s: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    // XSD dateTime allows a bare `Z` or `±hh:mm` after fractional seconds, which RFC 3339
    // covers, and no offset at all, which it does not.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return n.and_local_timezone(offset).single();
        }
    }
    parse_date(s).and_then(|d| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(offset)
            .single()
    })
}

/// Parses an XSD `date` (`2025-07-01`, optionally followed by `Z` or an offset, which is ignored).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let core = s.get(..10)?;
    let rest = &s[10..];
    let rest_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    if !rest_ok {
        return None;
    }
    NaiveDate::parse_from_str(core, "%Y-%m-%d").ok()
}

/// Whether `s` is a lexically valid XSD `dateTime`.
pub fn is_xsd_datetime(s: &str) -> bool {
    let s = s.trim();
    // XSD's dateTime has seconds (`hh:mm:ss`); `parse_instant` also reads `hh:mm` for state
    // requests, which the schema does not allow.
    let Some((_, time)) = s.split_once('T') else {
        return false;
    };
    let b = time.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    parse_instant(s, chrono::Utc.fix()).is_some()
}

/// Whether `s` is a lexically valid XSD `time` (`10:00:00`, optional fraction and offset).
pub fn is_xsd_time(s: &str) -> bool {
    let s = s.trim();
    let core = s
        .strip_suffix('Z')
        .or_else(|| {
            let n = s.len();
            (n > 6 && matches!(s.as_bytes()[n - 6], b'+' | b'-') && s.as_bytes()[n - 3] == b':')
                .then(|| &s[..n - 6])
        })
        .unwrap_or(s);
    NaiveTime::parse_from_str(core, "%H:%M:%S%.f").is_ok()
        || NaiveTime::parse_from_str(core, "%H:%M:%S").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cet() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    #[test]
    fn parses_the_documents_instants() {
        let t = parse_instant("2025-07-01T10:00:00+02:00", cet()).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-07-01T10:00:00+02:00");
        let t = parse_instant("2025-07-01T10:00:00", cet()).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-07-01T10:00:00+01:00");
        let t = parse_instant("2025-07-01T10:00:00.123Z", cet()).unwrap();
        assert_eq!(t.offset().local_minus_utc(), 0);
        let t = parse_instant("2025-07-01", cet()).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-07-01T00:00:00+01:00");
        assert!(parse_instant("2025-13-01T00:00:00", cet()).is_none());
        assert!(parse_instant("yesterday", cet()).is_none());
    }

    #[test]
    fn xsd_lexical_checks() {
        assert!(is_xsd_datetime("2025-07-01T10:00:00"));
        assert!(is_xsd_datetime("2025-07-01T10:00:00Z"));
        assert!(!is_xsd_datetime("2025-07-01"));
        assert!(!is_xsd_datetime("2025-02-30T10:00:00"));
        // Seconds are required, as in XSD.
        assert!(!is_xsd_datetime("2025-07-01T10:00"));
        assert!(!is_xsd_datetime("2025-07-01T10:00Z"));
        assert!(is_xsd_datetime("2025-07-01T10:00:00.5+02:00"));
        assert!(is_xsd_time("10:00:00"));
        assert!(is_xsd_time("10:00:00.5+01:00"));
        assert!(!is_xsd_time("25:00:00"));
        assert!(!is_xsd_time("10:00"));
        assert_eq!(
            parse_date("2025-07-01Z"),
            NaiveDate::from_ymd_opt(2025, 7, 1)
        );
        assert_eq!(parse_date("2025-07-01x"), None);
        assert_eq!(parse_date("20"), None);
    }
}
