//! One leaf value against its output-table row: the lexical form of its XSD type, its pattern,
//! its length and its range. [`text`] checks the text of an XML element or a JSON string;
//! the JSON type itself is checked by the REST walk.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use super::shape::{FieldShape, kind_words};
use crate::spec::model::FieldKind;

/// Why a leaf's text does not fit its row: what the row says, in words; `None` if it fits.
pub fn text(field: &FieldShape, raw: &str) -> Option<String> {
    // XSD collapses white space for every type but string.
    let value = match field.kind {
        FieldKind::String => raw,
        FieldKind::Complex
        | FieldKind::Integer
        | FieldKind::Boolean
        | FieldKind::Date
        | FieldKind::DateTime
        | FieldKind::Time
        | FieldKind::Guid => raw.trim(),
    };
    if !lexical(field.kind, value) {
        return Some(format!("a {} value", field.type_words()));
    }
    if let Some(p) = &field.pattern
        && !p.is_match(value)
    {
        return Some(format!("a value matched by `{}`", p.source()));
    }
    if let Some(len) = field.length {
        let n = value.chars().count() as u32;
        let short = len.min.is_some_and(|m| n < m);
        let long = len.max.is_some_and(|m| n > m);
        if short || long {
            return Some(match (len.min, len.max) {
                (Some(a), Some(b)) if a == b => format!("exactly {a} characters"),
                (Some(a), Some(b)) => format!("{a} to {b} characters"),
                (Some(a), None) => format!("at least {a} characters"),
                (None, Some(b)) => format!("at most {b} characters"),
                (None, None) => "any length".to_string(),
            });
        }
    }
    if field.min_inclusive.is_some() || field.max_inclusive.is_some() {
        let Ok(n) = value.trim_start_matches('+').parse::<i64>() else {
            return Some(format!("a {} value in range", kind_words(field.kind)));
        };
        let low = field.min_inclusive.is_some_and(|m| n < m);
        let high = field.max_inclusive.is_some_and(|m| n > m);
        if low || high {
            return Some(match (field.min_inclusive, field.max_inclusive) {
                (Some(a), Some(b)) => format!("a value from {a} to {b}"),
                (Some(a), None) => format!("a value of at least {a}"),
                (None, Some(b)) => format!("a value of at most {b}"),
                (None, None) => "any value".to_string(),
            });
        }
    }
    None
}

/// Whether a value is in the lexical space of a kind (XSD forms).
pub fn lexical(kind: FieldKind, s: &str) -> bool {
    match kind {
        FieldKind::String | FieldKind::Complex => true,
        FieldKind::Integer => {
            let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        FieldKind::Boolean => matches!(s, "true" | "false" | "1" | "0"),
        FieldKind::Guid => s.len() == 36 && uuid::Uuid::parse_str(s).is_ok(),
        FieldKind::Date => {
            let (Some(date), Some(zone)) = (s.get(..10), s.get(10..)) else {
                return false;
            };
            let b = date.as_bytes();
            b[4] == b'-'
                && b[7] == b'-'
                && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
                && zone_ok(zone)
        }
        FieldKind::DateTime => {
            DateTime::parse_from_rfc3339(s).is_ok()
                || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        }
        FieldKind::Time => {
            let (Some(time), Some(zone)) = (s.get(..8), s.get(8..)) else {
                return false;
            };
            let (fraction, zone) = match zone.strip_prefix('.') {
                Some(rest) => {
                    let end = rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len());
                    (end > 0, &rest[end..])
                }
                None => (true, zone),
            };
            fraction && NaiveTime::parse_from_str(time, "%H:%M:%S").is_ok() && zone_ok(zone)
        }
    }
}

fn zone_ok(zone: &str) -> bool {
    zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{Field, LengthBound, Occurs};

    fn field(kind_type: &str) -> FieldShape {
        let f = Field {
            at: None,
            name: "f".into(),
            former_name: None,
            location: Default::default(),
            type_name: Some(kind_type.into()),
            base: None,
            occurs: Occurs::ONE,
            pattern: None,
            length: None,
            min_inclusive: None,
            max_inclusive: None,
            description: None,
            children: vec![],
        };
        crate::spec::check::shape_of_field(&f)
    }

    #[test]
    fn lexical_forms() {
        assert!(lexical(FieldKind::Date, "2025-07-01"));
        assert!(lexical(FieldKind::Date, "2025-07-01+02:00"));
        assert!(!lexical(FieldKind::Date, "2025-7-1"));
        assert!(!lexical(FieldKind::Date, "2025-07-01T10:00:00"));
        assert!(lexical(FieldKind::DateTime, "2025-07-01T10:00:00"));
        assert!(lexical(FieldKind::DateTime, "2025-07-01T10:00:00.5+02:00"));
        assert!(!lexical(FieldKind::DateTime, "2025-07-01"));
        assert!(lexical(FieldKind::Time, "10:00:00"));
        assert!(lexical(FieldKind::Time, "10:00:00.250Z"));
        assert!(!lexical(FieldKind::Time, "10:00"));
        assert!(lexical(FieldKind::Integer, "-12"));
        assert!(!lexical(FieldKind::Integer, "1.5"));
        assert!(!lexical(FieldKind::Integer, ""));
        assert!(lexical(FieldKind::Boolean, "0"));
        assert!(!lexical(FieldKind::Boolean, "yes"));
        assert!(lexical(
            FieldKind::Guid,
            "6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10"
        ));
        assert!(!lexical(
            FieldKind::Guid,
            "6f0c1c3e2a7b4a558d630d5e8f1b9a10"
        ));
    }

    #[test]
    fn length_range_and_pattern() {
        let mut f = field("string");
        f.length = Some(LengthBound {
            min: Some(1),
            max: Some(3),
        });
        assert_eq!(text(&f, "abc"), None);
        assert_eq!(text(&f, "æøåx").as_deref(), Some("1 to 3 characters"));
        assert_eq!(text(&f, "").as_deref(), Some("1 to 3 characters"));
        let mut n = field("int");
        n.min_inclusive = Some(1);
        n.max_inclusive = Some(100);
        assert_eq!(text(&n, " 7 "), None);
        assert_eq!(text(&n, "0").as_deref(), Some("a value from 1 to 100"));
        assert_eq!(text(&n, "x").as_deref(), Some("a int (integer) value"));
        let mut p = field("string");
        p.pattern = Some(crate::spec::XsdPattern::new("[0-9]{10}").unwrap());
        assert_eq!(text(&p, "0101901234"), None);
        assert!(text(&p, "010190123").unwrap().contains("[0-9]{10}"));
    }
}
