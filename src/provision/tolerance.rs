//! When a pool citizen's times satisfy a case's `given` without being the same instants: the
//! rules under test need a time only up to the boundaries they document, not to the second.
//! The main entry points are [`Frame`] (what one case's times are compared against) and
//! [`equivalent`].
//!
//! A citizen whose state has the case's shape (every member but the times equal) satisfies it
//! when each of its times lies on the same side as the case's time of every boundary a rule
//! of the method could draw:
//!
//! - the reference points: the case's `now` and today's midnight, every time the case's
//!   `when`, `then` and setup calls write (`${today-10d}` in a body), and every other time of
//!   the wanted state (so periods keep their order and their distances' sides);
//! - moved by each duration the method's documents state (the error texts, the rules and the
//!   service's rules: `more than 7 days in the past`, `4 weeks`, `30 days`, `66 years`), both
//!   ways, and by none.
//!
//! So the tolerance comes from the documented numbers of the method under test, never a
//! global fudge; a time the case's request is about (the same instant as one it sends) is
//! matched exactly, since it lies on a boundary; a birth date is always matched exactly.

use std::cmp::Ordering;

use chrono::{Duration, Months};
use serde_json::Value;

use crate::case::load::TIME_KEYS;
use crate::clock::{Clock, TimeSpec};
use crate::spec::Spec;

/// A duration a document states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Span {
    Hours(i64),
    Days(i64),
    Months(u32),
}

impl Span {
    /// `at` moved by the span, forwards (`sign` 1) or backwards (-1); `None` out of range.
    fn shift(self, at: Clock, sign: i64) -> Option<Clock> {
        let local = at.0.naive_local();
        let moved = match self {
            Span::Hours(h) => local.checked_add_signed(Duration::try_hours(sign * h)?)?,
            Span::Days(d) => local.checked_add_signed(Duration::try_days(sign * d)?)?,
            Span::Months(m) if sign >= 0 => local.checked_add_months(Months::new(m))?,
            Span::Months(m) => local.checked_sub_months(Months::new(m))?,
        };
        Clock::checked_local(moved)
    }
}

/// The durations a text states: a number followed by a unit in English or Danish (`7 days`,
/// `4 weeks`, `30 dage`, `3 måneder`, `66 years`).
pub fn spans_in(text: &str) -> Vec<Span> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut spans = Vec::new();
    for pair in words.windows(2) {
        // `18-66 years`: the last number of a range.
        let Some(n) = pair[0]
            .rsplit('-')
            .next()
            .and_then(|d| d.parse::<u32>().ok())
        else {
            continue;
        };
        let span = match pair[1].as_str() {
            "hour" | "hours" | "time" | "timer" => Span::Hours(i64::from(n)),
            "day" | "days" | "dag" | "dage" | "dages" => Span::Days(i64::from(n)),
            "week" | "weeks" | "uge" | "uger" | "ugers" => Span::Days(7 * i64::from(n)),
            "month" | "months" | "måned" | "måneder" | "måneders" => Span::Months(n),
            "year" | "years" | "år" | "års" => match n.checked_mul(12) {
                Some(m) => Span::Months(m),
                None => continue,
            },
            _ => continue,
        };
        spans.push(span);
    }
    spans
}

/// The durations the documents state for a method: its error texts and descriptions, its
/// rules (the overlay's included, each resting on a document line) and its service's rules.
pub fn method_spans(spec: &Spec, service: &str, method: &str) -> Vec<Span> {
    let Some(m) = spec.service_method(service, method) else {
        return Vec::new();
    };
    let mut texts: Vec<String> = Vec::new();
    for e in &m.method.errors {
        texts.extend(e.text.clone());
        texts.extend(e.description.clone());
    }
    texts.extend(spec.rules(&m).into_iter().map(|r| r.text));
    texts.extend(m.service.rules.iter().map(|r| r.text.clone()));
    let mut spans: Vec<Span> = texts.iter().flat_map(|t| spans_in(t)).collect();
    spans.sort();
    spans.dedup();
    spans
}

/// What one case's wanted times are compared against.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// The case's clock.
    pub now: Option<Clock>,
    /// Times the case writes outside `given` (its request, expectation and setup calls),
    /// and times created for it on the target (derived setup): the same in both states.
    pub anchors: Vec<Clock>,
    /// The method's documented durations.
    pub spans: Vec<Span>,
}

impl Frame {
    /// The frame of a case: `texts` are its `when`, `then` and setup calls as JSON; every
    /// `${...}` time in them is resolved against `now`.
    pub fn new(now: Clock, texts: &[Value], spans: Vec<Span>) -> Frame {
        let mut anchors = Vec::new();
        for t in texts {
            times_written(t, now, &mut anchors);
        }
        anchors.sort_by_key(|c| c.0);
        anchors.dedup();
        Frame {
            now: Some(now),
            anchors,
            spans,
        }
    }

    /// Adds the times of `v` (a state-change request part) as anchors.
    pub fn anchor_state(&mut self, v: &Value) {
        let mut pairs = Vec::new();
        pair_times(v, v, &mut pairs);
        self.anchors.extend(pairs.into_iter().map(|(w, _)| w));
    }
}

fn times_written(v: &Value, now: Clock, out: &mut Vec<Clock>) {
    match v {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${") {
                let after = &rest[start + 2..];
                let Some(end) = after.find('}') else { break };
                if let Some(at) = TimeSpec::parse(&after[..end]).and_then(|t| t.instant(now)) {
                    out.push(at);
                }
                rest = &after[end + 1..];
            }
            if let Some(at) = Clock::parse_rfc3339(s) {
                out.push(at);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| times_written(i, now, out)),
        Value::Object(map) => map.values().for_each(|i| times_written(i, now, out)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Walks both values in step: the time members (but a birth date) become pairs, everything
/// else must be equal. `false` when the shapes or any other member differ.
fn pair_times(wanted: &Value, offered: &Value, pairs: &mut Vec<(Clock, Clock)>) -> bool {
    match (wanted, offered) {
        (Value::Object(a), Value::Object(b)) => {
            if a.len() != b.len() {
                return false;
            }
            a.iter().all(|(k, va)| {
                let Some(vb) = b.get(k) else { return false };
                if k != "birth_date"
                    && TIME_KEYS.contains(&k.as_str())
                    && let (Some(x), Some(y)) = (
                        va.as_str().and_then(Clock::parse_rfc3339),
                        vb.as_str().and_then(Clock::parse_rfc3339),
                    )
                {
                    pairs.push((x, y));
                    return true;
                }
                pair_times(va, vb, pairs)
            })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| pair_times(x, y, pairs))
        }
        _ => wanted == offered,
    }
}

fn side(a: Clock, b: Option<Clock>) -> Option<Ordering> {
    b.map(|b| a.0.cmp(&b.0))
}

/// Whether a citizen in state `offered` satisfies the `wanted` state (both state-change
/// requests without `now`) for a case of `frame`: equal but for the times, each on the same
/// side of every boundary the frame draws.
pub fn equivalent(wanted: &Value, offered: &Value, frame: &Frame) -> bool {
    let mut pairs = Vec::new();
    if !pair_times(wanted, offered, &mut pairs) {
        return false;
    }
    if pairs.iter().all(|(w, o)| w == o) {
        return true;
    }
    let Some(now) = frame.now else {
        return false;
    };
    let mut points = vec![now, Clock::midnight(now.today())];
    points.extend(frame.anchors.iter().copied());
    let moves = |at: Clock| -> Vec<Option<Clock>> {
        let mut v = vec![Some(at)];
        for s in &frame.spans {
            v.push(s.shift(at, 1));
            v.push(s.shift(at, -1));
        }
        v
    };
    // Against the fixed points: the same on both sides.
    for p in &points {
        for b in moves(*p) {
            if pairs.iter().any(|(w, o)| side(*w, b) != side(*o, b)) {
                return false;
            }
        }
    }
    // Against each other: order and documented distances kept.
    for (i, (w1, o1)) in pairs.iter().enumerate() {
        for (w2, o2) in pairs.iter().skip(i + 1) {
            let (bw, bo) = (moves(*w2), moves(*o2));
            if bw
                .iter()
                .zip(&bo)
                .any(|(x, y)| side(*w1, *x) != side(*o1, *y))
            {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> Clock {
        Clock::parse_rfc3339(s).unwrap()
    }

    fn frame(anchors: &[&str], spans: Vec<Span>) -> Frame {
        Frame {
            now: Some(at("2026-11-24T10:00:00+01:00")),
            anchors: anchors.iter().map(|a| at(a)).collect(),
            spans,
        }
    }

    fn enrolled(date: &str) -> Value {
        json!({"citizen": {"status": "alive", "enrollment": {"date": date}}, "projects": []})
    }

    #[test]
    fn reads_the_documented_durations() {
        assert_eq!(
            spans_in(
                "The submitted date is not valid because it took place more than 7 days in the past"
            ),
            vec![Span::Days(7)]
        );
        assert_eq!(
            spans_in("within 4 weeks; the citizen must be 18-66 years old; 3 måneder"),
            vec![Span::Days(28), Span::Months(66 * 12), Span::Months(3)]
        );
        assert!(spans_in("error 4653 in 2026").is_empty());
    }

    #[test]
    fn a_time_matches_within_the_documented_boundaries_only() {
        let seven = frame(&[], vec![Span::Days(7)]);
        let wanted = enrolled("2026-11-14T00:00:00+01:00"); // 10 days ago
        // Long ago is as much "more than 7 days ago" as 10 days ago.
        assert!(equivalent(
            &wanted,
            &enrolled("2025-01-06T00:00:00+01:00"),
            &seven
        ));
        // 3 days ago is on the other side of the documented 7 days.
        assert!(!equivalent(
            &wanted,
            &enrolled("2026-11-21T00:00:00+01:00"),
            &seven
        ));
        // In the future is on the other side of today.
        assert!(!equivalent(
            &wanted,
            &enrolled("2026-12-01T00:00:00+01:00"),
            &seven
        ));
        // Without the 7 days documented, 3 days ago would do.
        assert!(equivalent(
            &wanted,
            &enrolled("2026-11-21T00:00:00+01:00"),
            &frame(&[], vec![])
        ));
    }

    #[test]
    fn a_time_the_request_names_is_matched_exactly() {
        let wanted = enrolled("2026-11-14T00:00:00+01:00");
        let sent = frame(&["2026-11-14T00:00:00+01:00"], vec![]);
        assert!(!equivalent(
            &wanted,
            &enrolled("2025-01-06T00:00:00+01:00"),
            &sent
        ));
        assert!(equivalent(&wanted, &wanted.clone(), &sent));
    }

    #[test]
    fn periods_keep_their_order_and_other_members_must_be_equal() {
        let period =
            |s: &str, e: &str| json!({"citizen": {"health_limitations": [{"start": s, "end": e}]}});
        let wanted = period("2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00");
        let f = frame(&[], vec![]);
        assert!(equivalent(
            &wanted,
            &period("2025-10-01T00:00:00+02:00", "2026-01-01T00:00:00+01:00"),
            &f
        ));
        assert!(!equivalent(
            &wanted,
            &period("2026-01-01T00:00:00+01:00", "2025-10-01T00:00:00+02:00"),
            &f
        ));
        assert!(!equivalent(
            &enrolled("2026-11-14T00:00:00+01:00"),
            &json!({"citizen": {"status": "dead", "enrollment": {"date": "2026-11-14T00:00:00+01:00"}}, "projects": []}),
            &f
        ));
    }
}
