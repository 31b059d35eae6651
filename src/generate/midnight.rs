//! Clock rules at Danish midnight (`clock.danish-midnight`): every hand-written case that
//! covers a rule or error code about "today", "now" or a number of days runs again with the
//! clock pinned just after and just before Danish midnight, in winter (CET, +01:00) and in
//! summer (CEST, +02:00) time. The expectation stays the base case's: the rules count days in
//! Danish time, so an implementation that takes the date in UTC answers otherwise at these
//! moments. The main entry points are [`applies`] and [`for_method`].
//!
//! A base whose clock is relative to the run (or unset) is pinned to four instants (winter and
//! summer, after and before midnight); a base pinned to an instant of its own keeps its Danish
//! date and offset and moves to that date's first and last minute. A base whose state or
//! request counts in hours or minutes from now (`now-3h`) is left out: moving its clock to
//! midnight moves those instants to another day, which changes what it tests; so is a base on
//! the run's clock with a literal date (its relation to the pinned day would change), and a
//! pinned base with an instant of its own on the pinned day other than its midnight (it
//! compares instants, not days).

use regex::Regex;
use std::sync::OnceLock;

use crate::case::model::{Case, Origin};
use crate::clock::Clock;
use crate::spec::model::MethodStatus;
use crate::spec::{MethodRef, Spec};

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "clock.danish-midnight";

/// The instants a relative base is pinned to: (slug, RFC 3339).
pub const INSTANTS: [(&str, &str); 4] = [
    ("winter-after-midnight", "2026-01-15T00:00:30+01:00"),
    ("winter-before-midnight", "2026-01-15T23:59:30+01:00"),
    ("summer-after-midnight", "2026-07-15T00:00:30+02:00"),
    ("summer-before-midnight", "2026-07-15T23:59:30+02:00"),
];

fn about_days(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(today|todays|today's|now|days?|dag|dage|dags dato|i dag|future|past|fremtiden|fortiden)\b",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(text))
}

/// The codes and rules of `m` about today, now or a number of days.
fn clock_grounds(spec: &Spec, m: MethodRef<'_>) -> (Vec<u32>, Vec<String>) {
    let codes = m
        .method
        .errors
        .iter()
        .filter(|e| {
            about_days(e.text.as_deref().unwrap_or(""))
                || about_days(e.description.as_deref().unwrap_or(""))
        })
        .map(|e| e.code)
        .collect();
    let rules = spec
        .rules(&m)
        .into_iter()
        .filter(|r| about_days(&r.text))
        .map(|r| r.id)
        .collect();
    (codes, rules)
}

/// Whether the rule applies: a current or deprecated method with a rule or code about today,
/// now or a number of days.
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    if m.method.status == MethodStatus::Withdrawn {
        return false;
    }
    let (codes, rules) = clock_grounds(spec, m);
    !codes.is_empty() || !rules.is_empty()
}

/// Whether a case counts in hours, minutes or seconds from now somewhere.
fn sub_day(case: &Case) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let mut given = case.given.clone();
    given.clock = None;
    let text = format!(
        "{} {}",
        serde_json::to_string(&given).unwrap_or_default(),
        serde_json::to_string(&case.when).unwrap_or_default()
    );
    static LITERAL: OnceLock<Option<Regex>> = OnceLock::new();
    let counts_from_now = RE
        .get_or_init(|| Regex::new(r"now[+-]\d+[hms]\b").ok())
        .as_ref()
        .is_none_or(|re| re.is_match(&text));
    // A literal date in a base that runs on the run's clock stands in a fixed relation to
    // the run's day only; pinned elsewhere, it would test something else.
    let literal_unpinned = case.given.clock.is_none()
        && LITERAL
            .get_or_init(|| Regex::new(r"\d{4}-\d\d-\d\d").ok())
            .as_ref()
            .is_none_or(|re| re.is_match(&text));
    // A pinned base with an instant of its own on the pinned day (an interview at 12:00 with
    // the clock at 12:00) compares instants, not days: moving the clock changes its answer.
    static INSTANT: OnceLock<Option<Regex>> = OnceLock::new();
    let pinned_day = case
        .given
        .clock
        .as_deref()
        .and_then(Clock::parse_rfc3339)
        .map(|c| c.0.format("%Y-%m-%d").to_string());
    let instant_on_day = pinned_day.is_some_and(|day| {
        INSTANT
            .get_or_init(|| Regex::new(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)").ok())
            .as_ref()
            .is_none_or(|re| {
                re.captures_iter(&text)
                    .any(|c| c[1] == *day && &c[2] != "00:00")
            })
    });
    counts_from_now || literal_unpinned || instant_on_day
}

/// The cases of one method.
pub fn for_method(spec: &Spec, m: MethodRef<'_>, corpus: &[Case], prefix: &str) -> Vec<Case> {
    if !applies(spec, m) {
        return Vec::new();
    }
    let (codes, rules) = clock_grounds(spec, m);
    let mut out = Vec::new();
    for base in corpus.iter().filter(|c| {
        c.service == m.service.service
            && c.method == m.method.name
            && !c.origin.generated
            && c.when.raw.is_none()
            && (c.covers.codes.iter().any(|x| codes.contains(x))
                || c.covers.rules.iter().any(|x| rules.contains(x)))
    }) {
        // A base whose expectation rests on a reading that moves a boundary (seven-day-rule:
        // by calendar date or by the instant) can change its answer with the hour: pinned
        // before midnight, "exactly 7 days ago" is more than 7 × 24 hours under `instant`.
        if sub_day(base)
            || base.then.readings().iter().any(|r| {
                spec.overlay
                    .readings
                    .get(*r)
                    .is_some_and(|r| !r.boundaries.is_empty())
            })
        {
            continue;
        }
        let instants: Vec<(String, String)> = match base.given.clock.as_deref() {
            None => INSTANTS
                .iter()
                .map(|(s, t)| (s.to_string(), t.to_string()))
                .collect(),
            Some(pinned) => match Clock::parse_rfc3339(pinned) {
                Some(clock) => {
                    let date = clock.0.format("%Y-%m-%d");
                    let offset = clock.0.format("%:z");
                    vec![
                        ("after-midnight".into(), format!("{date}T00:00:30{offset}")),
                        ("before-midnight".into(), format!("{date}T23:59:30{offset}")),
                    ]
                }
                // Relative to the run's clock (`now-1h`): it moves with the run, not pinned.
                None => continue,
            },
        };
        let suffix = base
            .id
            .strip_prefix(&format!("{}.", base.method))
            .unwrap_or(&base.id);
        for (slug, instant) in instants {
            let mut case = base.clone();
            case.id = format!("{prefix}.x.clock.{suffix}.{slug}");
            case.title = format!("{} (clock {instant}, {slug})", base.title);
            case.given.clock = Some(instant);
            case.tags.retain(|t| t != "smoke");
            for t in [
                super::TAG.to_string(),
                super::cross::TAG.to_string(),
                format!("rule:{RULE}"),
                "clock".to_string(),
            ] {
                if !case.tags.contains(&t) {
                    case.tags.push(t);
                }
            }
            case.origin = Origin {
                file: format!("konform gen (cross-cutting, from {})", base.id),
                line: 0,
                generated: true,
            };
            out.push(case);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instants_sit_at_danish_midnight_in_winter_and_summer_time() {
        for (slug, instant) in INSTANTS {
            let clock = Clock::parse_rfc3339(instant).expect("RFC 3339");
            // The offset is the Danish one of that instant: CET in January, CEST in July.
            assert_eq!(clock.rfc3339(), instant, "{slug}");
            let utc_date = clock.0.naive_utc().date();
            if slug.ends_with("after-midnight") {
                // Just after Danish midnight it is still yesterday in UTC: an implementation
                // that takes the date in UTC answers for the wrong day.
                assert_ne!(clock.today(), utc_date, "{slug}");
            } else {
                assert_eq!(clock.today(), utc_date, "{slug}");
            }
        }
    }

    #[test]
    fn texts_about_days_are_recognised() {
        assert!(about_days("The Enddate cannot be before todays date"));
        assert!(about_days(
            "Illness NotificationDate must be today or earlier"
        ));
        assert!(about_days("The interviewtime cannot be in the future"));
        assert!(!about_days("Unknown identifier"));
    }
}
