//! Clock rules at Danish midnight (`clock.danish-midnight`): every hand-written case that
//! covers a rule or error code about "today", "now" or a number of days runs again with the
//! clock pinned just after and just before Danish midnight, in winter (CET, +01:00) and in
//! summer (CEST, +02:00) time. The expectation stays the base case's: the rules count days in
//! Danish time, so an implementation that takes the date in UTC answers otherwise at these
//! moments. The main entry points are [`applies`] and [`for_method`].
//!
//! A base whose clock is relative to the run (or unset) is pinned to four instants (winter and
//! summer, after and before midnight); a base pinned to an instant of its own keeps its Danish
//! date and offset and moves to that date's first and last minute, and runs once more in the
//! other season ([`shift`]: every literal date and time of the case moved by [`SEASON_DAYS`]
//! whole days, the Danish wall clock kept and the offset the new instant's), so every base
//! meets an implementation that takes "today" in UTC just after midnight in winter and in
//! summer time. A base whose state or
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

/// The days a pinned base moves to meet the other season: from any day of winter time (the
/// last Sunday of October to the last Sunday of March) to a day of summer time, and back.
pub const SEASON_DAYS: i64 = 182;

/// The case with every literal date and date-time in its `given`, `when` and `then` moved by
/// `days` whole days: the Danish wall clock is kept and a date-time's offset becomes the
/// Danish offset of its new instant (one written in UTC is read in Danish time first); a date
/// without a time moves by the days alone. `None` where the case does not round-trip.
pub fn shift(case: &Case, days: i64) -> Option<Case> {
    use chrono::{Duration, NaiveDate, NaiveDateTime};
    static LITERAL: OnceLock<Option<Regex>> = OnceLock::new();
    let re = LITERAL
        .get_or_init(|| {
            Regex::new(
                r"\b(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:\d\d)?)?\b",
            )
            .ok()
        })
        .as_ref()?;
    let by = Duration::try_days(days)?;
    let move_one = |caps: &regex::Captures<'_>| -> Option<String> {
        let date = NaiveDate::parse_from_str(&caps[1], "%Y-%m-%d").ok()?;
        let Some(time) = caps.get(2) else {
            return Some(date.checked_add_signed(by)?.format("%Y-%m-%d").to_string());
        };
        let text = format!("{}T{}", &caps[1], time.as_str());
        let fmt = if time.as_str().len() == 5 {
            "%Y-%m-%dT%H:%M"
        } else {
            "%Y-%m-%dT%H:%M:%S%.f"
        };
        let wall = NaiveDateTime::parse_from_str(&text, fmt).ok()?;
        let Some(offset) = caps.get(3) else {
            let moved = wall.checked_add_signed(by)?;
            return Some(moved.format(fmt).to_string());
        };
        // The Danish wall clock of the instant, moved; written with its new Danish offset.
        let short = time.as_str().len() == 5;
        let seconds = if short { ":00" } else { "" };
        let offset = match offset.as_str() {
            "Z" => "+00:00",
            o => o,
        };
        let instant = Clock::parse_rfc3339(&format!("{text}{seconds}{offset}"))?;
        let moved = Clock::checked_local(instant.0.naive_local().checked_add_signed(by)?)?;
        let time_fmt = if short { "%H:%M" } else { "%H:%M:%S%.f" };
        Some(
            moved
                .0
                .format(&format!("%Y-%m-%dT{time_fmt}%:z"))
                .to_string(),
        )
    };
    let mut ok = true;
    let mut rewrite = |s: &str| -> String {
        re.replace_all(s, |caps: &regex::Captures<'_>| match move_one(caps) {
            Some(m) => m,
            None => {
                ok = false;
                caps[0].to_string()
            }
        })
        .into_owned()
    };
    fn walk(v: &mut serde_json::Value, f: &mut dyn FnMut(&str) -> String) {
        match v {
            serde_json::Value::String(s) => *s = f(s),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| walk(v, f)),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, f)),
            _ => {}
        }
    }
    let mut given = serde_json::to_value(&case.given).ok()?;
    let mut when = serde_json::to_value(&case.when).ok()?;
    let mut then = serde_json::to_value(&case.then).ok()?;
    for v in [&mut given, &mut when, &mut then] {
        walk(v, &mut rewrite);
    }
    if !ok {
        return None;
    }
    let mut out = case.clone();
    out.given = serde_json::from_value(given).ok()?;
    out.when = serde_json::from_value(when).ok()?;
    out.then = serde_json::from_value(then).ok()?;
    Some(out)
}

/// A pinned base moved to the other season: its name (`summer`, `winter`), the moved case and
/// its pinned instant there; `None` where no move of about half a year reaches the other
/// season or the case does not move.
fn other_season(base: &Case, clock: &Clock) -> Option<(&'static str, Case, Clock)> {
    let winter = clock.0.offset().local_minus_utc() == 3600;
    let season = if winter { "summer" } else { "winter" };
    for days in [SEASON_DAYS, -SEASON_DAYS, 120, -120, 240, -240] {
        let Some(moved) = shift(base, days) else {
            continue;
        };
        let Some(moved_clock) = moved.given.clock.as_deref().and_then(Clock::parse_rfc3339) else {
            continue;
        };
        if moved_clock.0.offset() != clock.0.offset() {
            return Some((season, moved, moved_clock));
        }
    }
    None
}

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
        // (slug, instant, the base moved to the other season where it is).
        let mut instants: Vec<(String, String, Option<Case>)> = match base.given.clock.as_deref() {
            None => INSTANTS
                .iter()
                .map(|(s, t)| (s.to_string(), t.to_string(), None))
                .collect(),
            Some(pinned) => match Clock::parse_rfc3339(pinned) {
                Some(clock) => {
                    let around = |clock: &Clock, season: &str, moved: Option<Case>| {
                        let date = clock.0.format("%Y-%m-%d");
                        let offset = clock.0.format("%:z");
                        [("after", "00:00:30"), ("before", "23:59:30")].map(|(side, time)| {
                            (
                                format!("{season}{side}-midnight"),
                                format!("{date}T{time}{offset}"),
                                moved.clone(),
                            )
                        })
                    };
                    let mut out: Vec<_> = around(&clock, "", None).into();
                    if let Some((season, moved, moved_clock)) = other_season(base, &clock) {
                        out.extend(around(&moved_clock, &format!("{season}-"), Some(moved)));
                    }
                    out
                }
                // Relative to the run's clock (`now-1h`): it moves with the run, not pinned.
                None => continue,
            },
        };
        let suffix = base
            .id
            .strip_prefix(&format!("{}.", base.method))
            .unwrap_or(&base.id);
        for (slug, instant, moved) in instants.drain(..) {
            let mut case = moved.unwrap_or_else(|| base.clone());
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
    fn a_shift_keeps_the_danish_wall_clock_and_takes_the_new_offset() {
        use crate::case::given::Given;
        use crate::case::model::{Covers, SuccessFlag, Then, When};
        let case = Case {
            id: "M.x".into(),
            title: "t".into(),
            service: "S".into(),
            method: "M".into(),
            covers: Covers::default(),
            tags: Vec::new(),
            assumes: Vec::new(),
            given: Given {
                clock: Some("2026-01-15T10:00:00+01:00".into()),
                ..Given::default()
            },
            when: When {
                body: serde_json::json!({
                    "date": "2026-01-14",
                    "local": "2026-01-14T23:30",
                    "utc": "2026-01-14T23:30:00Z",
                    "id": "7f6c1c56-8d0e-4f7e-9d1c-0a4b7c7e0001",
                    "relative": "${today-1d}"
                }),
                ..When::default()
            },
            then: Then::Success {
                success: SuccessFlag(true),
                fields: Default::default(),
            },
            origin: Origin {
                file: "t".into(),
                line: 1,
                generated: false,
            },
        };
        let moved = shift(&case, SEASON_DAYS).expect("it moves");
        assert_eq!(
            moved.given.clock.as_deref(),
            Some("2026-07-16T10:00:00+02:00")
        );
        let body = &moved.when.body;
        assert_eq!(body["date"], "2026-07-15");
        assert_eq!(body["local"], "2026-07-15T23:30");
        // 23:30 UTC is 00:30 the next day in Danish winter time; moved, at +02:00.
        assert_eq!(body["utc"], "2026-07-16T00:30:00+02:00");
        assert_eq!(body["id"], "7f6c1c56-8d0e-4f7e-9d1c-0a4b7c7e0001");
        assert_eq!(body["relative"], "${today-1d}");
        // And back: the wall clock is the same, the offset winter's again.
        let back = shift(&moved, -SEASON_DAYS).expect("it moves back");
        assert_eq!(back.given.clock, case.given.clock);
        assert_eq!(back.when.body["date"], "2026-01-14");
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
