//! The `matches:` values of a case's field checks: a kind name (`guid`, `datetime`, `date`,
//! `integer`, `boolean`) or an XSD pattern. Checked at loading, compiled at planning. The main
//! type here is [`Matcher`].

use crate::spec::XsdPattern;

/// A value kind or pattern a field must match.
#[derive(Debug, Clone)]
pub enum Matcher {
    Guid,
    DateTime,
    Date,
    Integer,
    Boolean,
    Pattern(XsdPattern),
}

/// Compiles a `matches:` value: a kind name or an XSD pattern.
pub fn matcher(s: &str) -> Result<Matcher, String> {
    Ok(match s {
        "guid" | "uuid" => Matcher::Guid,
        "datetime" | "dateTime" | "date-time" => Matcher::DateTime,
        "date" => Matcher::Date,
        "integer" | "int" => Matcher::Integer,
        "boolean" => Matcher::Boolean,
        pattern => Matcher::Pattern(
            XsdPattern::new(pattern).map_err(|e| format!("`matches: {pattern}`: {e}"))?,
        ),
    })
}

/// Checks a `matches:` value without keeping it.
pub fn check_matcher(s: &str) -> Result<(), String> {
    matcher(s).map(|_| ())
}
