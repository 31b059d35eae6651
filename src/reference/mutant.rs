//! Spec-derived mutants of the reference: one planted fault, described by a [`Mutant`] value
//! the reference consults at a few fixed points (validation bounds, the clock, the access
//! table, the citizen a request finds, deletions, and the codes it answers), independent of
//! how each rule is written. `konform mutate` derives the mutants from the spec and the
//! overlay (`crate::mutate::derive`); this module only says what each one changes.
//!
//! The faults are those independent implementations make: a boundary moved by one unit, a
//! sibling code answered, an access-table cell flipped, another citizen's identifier accepted,
//! a deleted item still usable, an error answered as success (and the reverse), only the first
//! of several errors answered.

use std::borrow::Cow;

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use crate::spec::model::{AccessLevel, AccessRow, OrganisationType};

/// Which bound of an input field a boundary mutant moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// The least number of occurrences (cardinality `1` → `0`: a required element missing
    /// is accepted).
    OccursMin,
    /// The most occurrences (`1` → `2`).
    OccursMax,
    /// `minLength`.
    LengthMin,
    /// `maxLength`.
    LengthMax,
    /// `MinInclusive`.
    RangeMin,
    /// `MaxInclusive`.
    RangeMax,
}

impl Bound {
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::OccursMin => "occurs-min",
            Bound::OccursMax => "occurs-max",
            Bound::LengthMin => "length-min",
            Bound::LengthMax => "length-max",
            Bound::RangeMin => "range-min",
            Bound::RangeMax => "range-max",
        }
    }
}

/// The unit a clock mutant moves "now" by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockUnit {
    /// Every date rule of the method moves by a day.
    Day,
    /// Every time-of-day and instant rule moves by a minute.
    Minute,
}

/// One planted fault, aimed at one method (`service`, `method`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", rename_all = "kebab-case")]
pub enum Fault {
    /// A bound of the input field at `path` (the validator's `/`-separated path, array
    /// indexes left out) moved by `delta`.
    Bound {
        path: String,
        bound: Bound,
        delta: i64,
    },
    /// The method's rules read "now" moved by `delta` units: every date or time rule that
    /// compares with today or the current instant moves its boundary by one unit.
    Clock { unit: ClockUnit, delta: i64 },
    /// `from` is answered as `to` (a sibling code the method documents).
    Code { from: u32, to: u32 },
    /// An answer holding `code` is a success (HTTP 200) instead.
    ErrorAsSuccess { code: u32 },
    /// A success is answered as the error `code` instead.
    SuccessAsError { code: u32 },
    /// Of several codes, only the first is answered.
    FirstErrorOnly,
    /// One cell of the method's access table flipped.
    Access {
        organisation: OrganisationType,
        level: AccessLevel,
    },
    /// An identifier that belongs to another citizen than the request's CPR is accepted: the
    /// request is carried out on the identifier's owner.
    OtherCitizen,
    /// A deletion answers success but the item stays: it can be read, updated and deleted
    /// again.
    DeletedKept,
}

/// A planted fault in one method of the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutant {
    pub service: String,
    pub method: String,
    #[serde(flatten)]
    pub fault: Fault,
}

impl Mutant {
    /// Whether the mutant is aimed at this method.
    pub fn aims(&self, service: &str, method: &str) -> bool {
        self.service == service && self.method == method
    }

    /// The fault, where the mutant is aimed at this method.
    pub fn at<'a>(this: Option<&'a Mutant>, service: &str, method: &str) -> Option<&'a Fault> {
        this.filter(|m| m.aims(service, method)).map(|m| &m.fault)
    }
}

/// The moved bound, where a boundary fault moves `bound` of the field at `path`.
pub fn shifted(fault: Option<&Fault>, path: &str, bound: Bound, value: Option<i64>) -> Option<i64> {
    match fault {
        Some(Fault::Bound {
            path: p,
            bound: b,
            delta,
        }) if *b == bound && *p == strip_indexes(path) => value.map(|v| v + delta),
        _ => value,
    }
}

/// The validator's path without array indexes (`A/0/B` → `A/B`).
pub fn strip_indexes(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.bytes().all(|b| b.is_ascii_digit()) || s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// "Now" as a clock fault moves it.
pub fn now(fault: Option<&Fault>, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match fault {
        Some(Fault::Clock { unit, delta }) => {
            now + match unit {
                ClockUnit::Day => Duration::days(*delta),
                ClockUnit::Minute => Duration::minutes(*delta),
            }
        }
        _ => now,
    }
}

/// The access table as an access fault flips it. A cell of a row the table does not have
/// adds the row with that one cell.
pub fn access<'a>(fault: Option<&Fault>, rows: &'a [AccessRow]) -> Cow<'a, [AccessRow]> {
    let Some(Fault::Access {
        organisation,
        level,
    }) = fault
    else {
        return Cow::Borrowed(rows);
    };
    let mut rows = rows.to_vec();
    match rows.iter_mut().find(|r| r.organisation == *organisation) {
        Some(row) => match row.levels.iter().position(|l| l == level) {
            Some(i) => {
                row.levels.remove(i);
            }
            None => row.levels.push(*level),
        },
        None => rows.push(AccessRow {
            organisation: *organisation,
            levels: vec![*level],
            at: None,
        }),
    }
    Cow::Owned(rows)
}

/// What an answer becomes under a code fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Errors with these codes.
    Codes(Vec<u32>),
    /// A success, with no content.
    Success,
}

/// The codes of an error answer as a code fault changes them.
pub fn codes(fault: Option<&Fault>, codes: &[u32]) -> Answer {
    match fault {
        Some(Fault::Code { from, to }) => {
            Answer::Codes(codes.iter().map(|c| if c == from { *to } else { *c }).fold(
                Vec::new(),
                |mut out, c| {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                    out
                },
            ))
        }
        Some(Fault::ErrorAsSuccess { code }) if codes.contains(code) => Answer::Success,
        Some(Fault::FirstErrorOnly) if codes.len() > 1 => Answer::Codes(codes[..1].to_vec()),
        _ => Answer::Codes(codes.to_vec()),
    }
}

/// The error a success fault answers instead of a success.
pub fn success_as_error(fault: Option<&Fault>) -> Option<u32> {
    match fault {
        Some(Fault::SuccessAsError { code }) => Some(*code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_move_only_at_their_path() {
        let f = Fault::Bound {
            path: "A/B".into(),
            bound: Bound::LengthMax,
            delta: 1,
        };
        assert_eq!(
            shifted(Some(&f), "A/0/B", Bound::LengthMax, Some(3)),
            Some(4)
        );
        assert_eq!(shifted(Some(&f), "A/B", Bound::LengthMin, Some(3)), Some(3));
        assert_eq!(shifted(Some(&f), "A/C", Bound::LengthMax, Some(3)), Some(3));
        assert_eq!(shifted(Some(&f), "A/B", Bound::LengthMax, None), None);
    }

    #[test]
    fn code_faults() {
        let sibling = Fault::Code {
            from: 1001,
            to: 1014,
        };
        assert_eq!(codes(Some(&sibling), &[1001]), Answer::Codes(vec![1014]));
        assert_eq!(
            codes(Some(&sibling), &[1014, 1001]),
            Answer::Codes(vec![1014])
        );
        let ok = Fault::ErrorAsSuccess { code: 4653 };
        assert_eq!(codes(Some(&ok), &[4653]), Answer::Success);
        assert_eq!(codes(Some(&ok), &[4657]), Answer::Codes(vec![4657]));
        assert_eq!(
            codes(Some(&Fault::FirstErrorOnly), &[1, 2]),
            Answer::Codes(vec![1])
        );
        assert_eq!(codes(None, &[1, 2]), Answer::Codes(vec![1, 2]));
    }

    #[test]
    fn access_cells_flip() {
        let rows = vec![AccessRow {
            organisation: OrganisationType::JobCenter,
            levels: vec![AccessLevel::EgneBorgere],
            at: None,
        }];
        let off = Fault::Access {
            organisation: OrganisationType::JobCenter,
            level: AccessLevel::EgneBorgere,
        };
        assert!(access(Some(&off), &rows)[0].levels.is_empty());
        let on = Fault::Access {
            organisation: OrganisationType::Kommune,
            level: AccessLevel::AlleBorgere,
        };
        assert_eq!(access(Some(&on), &rows).len(), 2);
        assert_eq!(access(None, &rows).as_ref(), rows.as_slice());
    }
}
