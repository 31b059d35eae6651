//! Time as every stage speaks of it: the run's clock in Danish time, relative expressions like
//! `today-8d`, `now+1m` and `today-30y`, and the [`TimeSource`] a server asks for "now" (the
//! reference's injected clock). The main types here are [`Clock`], [`RelTime`] and
//! [`TimeSource`].
//!
//! DFDG's rules count days in Danish local time (CET/CEST), so "today" is the Danish date of
//! the clock, and date-times are written with the Danish offset of that instant
//! (`2026-11-24T10:00:00+01:00`). The offset is computed from the EU rule (summer time from
//! the last Sunday of March to the last Sunday of October, 01:00 UTC), which keeps konform
//! free of a time-zone database.

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc, Weekday,
};

/// The largest offset of a time expression, in years (`today+10000y`).
pub const MAX_OFFSET_YEARS: i64 = 10_000;

/// An instant in Danish time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock(pub DateTime<FixedOffset>);

impl Clock {
    /// The current instant.
    pub fn now() -> Clock {
        Clock::from_utc(Utc::now())
    }

    pub fn from_utc(utc: DateTime<Utc>) -> Clock {
        Clock(utc.with_timezone(&danish_offset(utc)))
    }

    /// Parses RFC 3339 (`2026-11-24T10:00:00+01:00`), taken as the same instant in Danish time.
    pub fn parse_rfc3339(s: &str) -> Option<Clock> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| Clock::from_utc(d.with_timezone(&Utc)))
    }

    /// The Danish date of this instant.
    pub fn today(&self) -> NaiveDate {
        self.0.date_naive()
    }

    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// Danish midnight at the start of `date`.
    pub fn midnight(date: NaiveDate) -> Clock {
        Clock::local(date.and_time(NaiveTime::MIN))
    }

    /// A Danish wall-clock time as an instant. In the hour that does not exist or repeats at a
    /// change of offset, the earlier offset wins; cases never sit there.
    /// At the very ends of chrono's range, where the offset cannot be subtracted, the time is
    /// read as UTC.
    pub fn local(local: NaiveDateTime) -> Clock {
        Clock::checked_local(local)
            .unwrap_or_else(|| Clock::from_utc(Utc.from_utc_datetime(&local)))
    }

    /// [`Clock::local`], `None` where the time is too near the end of the representable range.
    pub fn checked_local(local: NaiveDateTime) -> Option<Clock> {
        for hours in [1, 2] {
            let offset = FixedOffset::east_opt(hours * 3600)?;
            let utc = Utc.from_utc_datetime(
                &local.checked_sub_signed(Duration::try_hours(i64::from(hours))?)?,
            );
            if danish_offset(utc) == offset {
                return Some(Clock(utc.with_timezone(&offset)));
            }
        }
        Some(Clock::from_utc(Utc.from_utc_datetime(
            &local.checked_sub_signed(Duration::try_hours(1)?)?,
        )))
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// A source of the current instant: what the reference server asks for "now". Named apart from
/// [`Clock`] (an instant a run or case reasons in): a source is asked again on every request,
/// while a [`Clock`] is one fixed instant.
pub trait TimeSource: Send + Sync + fmt::Debug {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The machine's clock, in the machine's local offset.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Local::now().fixed_offset()
    }
}

/// A source that always answers the same instant (tests, `konform serve --clock`).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<FixedOffset>);

impl TimeSource for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

/// The shared handle a server keeps.
pub type SharedClock = std::sync::Arc<dyn TimeSource>;

/// The machine's clock as a shared handle, used when none is given.
pub fn system() -> SharedClock {
    std::sync::Arc::new(SystemClock)
}

/// The Danish UTC offset at a UTC instant: +02:00 in summer time, else +01:00.
pub fn danish_offset(utc: DateTime<Utc>) -> FixedOffset {
    let year = utc.year();
    let start = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let end = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let naive = utc.naive_utc();
    let hours = if naive >= start && naive < end { 2 } else { 1 };
    FixedOffset::east_opt(hours * 3600).expect("valid offset")
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid date");
    let mut d = next.pred_opt().expect("valid date");
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().expect("valid date");
    }
    d
}

/// The base of a relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Danish midnight of the clock's date.
    Today,
    /// The clock itself.
    Now,
}

/// A unit of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Years,
}

/// `today`, `today-8d`, `now+1m`, `today-30y`: a time relative to a case's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelTime {
    pub base: Base,
    /// Signed amount and unit; `None` for the base itself.
    pub offset: Option<(i64, Unit)>,
}

/// What a time renders as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// `2026-11-24`.
    Date,
    /// `2026-11-24T10:00:00+01:00`.
    DateTime,
    /// Whatever the expression says: a date for `today` with a whole-day offset, else a
    /// date-time.
    Natural,
}

impl RelTime {
    /// Parses `today`, `now`, `today-8d`, `now+90s`, `today+2y`. Whitespace is not allowed.
    pub fn parse(s: &str) -> Option<RelTime> {
        let (base, rest) = if let Some(rest) = s.strip_prefix("today") {
            (Base::Today, rest)
        } else if let Some(rest) = s.strip_prefix("now") {
            (Base::Now, rest)
        } else {
            return None;
        };
        if rest.is_empty() {
            return Some(RelTime { base, offset: None });
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let rest = &rest[1..];
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        let (digits, unit) = rest.split_at(split);
        let amount: i64 = digits.parse().ok()?;
        let unit = match unit {
            "s" => Unit::Seconds,
            "m" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "y" => Unit::Years,
            _ => return None,
        };
        // An offset is at most 10,000 years: more is no date a service can store, and the
        // arithmetic stays far inside chrono's range (`today+9999999999999d` is refused here,
        // where lint reports it, not left to overflow at run time).
        let most = match unit {
            Unit::Seconds => MAX_OFFSET_YEARS * 366 * 86_400,
            Unit::Minutes => MAX_OFFSET_YEARS * 366 * 1_440,
            Unit::Hours => MAX_OFFSET_YEARS * 366 * 24,
            Unit::Days => MAX_OFFSET_YEARS * 366,
            Unit::Years => MAX_OFFSET_YEARS,
        };
        if amount > most {
            return None;
        }
        Some(RelTime {
            base,
            offset: Some((sign * amount, unit)),
        })
    }

    /// Whether this expression names a whole day rather than an instant.
    pub fn is_date(&self) -> bool {
        self.base == Base::Today
            && matches!(self.offset, None | Some((_, Unit::Days | Unit::Years)))
    }

    /// The instant, relative to `clock`. `None` only when the result is out of range.
    pub fn instant(&self, clock: Clock) -> Option<Clock> {
        let start = match self.base {
            Base::Today => Clock::midnight(clock.today()),
            Base::Now => clock,
        };
        let Some((amount, unit)) = self.offset else {
            return Some(start);
        };
        let local = start.0.naive_local();
        let moved = match unit {
            Unit::Seconds => local.checked_add_signed(Duration::try_seconds(amount)?)?,
            Unit::Minutes => local.checked_add_signed(Duration::try_minutes(amount)?)?,
            Unit::Hours => local.checked_add_signed(Duration::try_hours(amount)?)?,
            Unit::Days => local.checked_add_signed(Duration::try_days(amount)?)?,
            Unit::Years => {
                let months =
                    Months::new(u32::try_from(amount.unsigned_abs()).ok()?.checked_mul(12)?);
                if amount >= 0 {
                    local.checked_add_months(months)?
                } else {
                    local.checked_sub_months(months)?
                }
            }
        };
        Clock::checked_local(moved)
    }

    /// Renders the time relative to `clock`.
    pub fn render(&self, clock: Clock, format: TimeFormat) -> Option<String> {
        let at = self.instant(clock)?;
        let as_date = match format {
            TimeFormat::Date => true,
            TimeFormat::DateTime => false,
            TimeFormat::Natural => self.is_date(),
        };
        Some(if as_date {
            at.today().format("%Y-%m-%d").to_string()
        } else {
            at.rfc3339()
        })
    }
}

/// A time as `given` writes it: relative (`today-2d`, also inside `${...}`), RFC 3339, or a
/// plain date (`2025-07-01`, taken as Danish midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    Relative(RelTime),
    Absolute(Clock),
    Date(NaiveDate),
}

impl TimeSpec {
    pub fn parse(s: &str) -> Option<TimeSpec> {
        let s = s.trim();
        let inner = s
            .strip_prefix("${")
            .and_then(|r| r.strip_suffix('}'))
            .unwrap_or(s);
        if let Some(rel) = RelTime::parse(inner) {
            return Some(TimeSpec::Relative(rel));
        }
        if let Some(c) = Clock::parse_rfc3339(s) {
            return Some(TimeSpec::Absolute(c));
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Some(TimeSpec::Date(d));
        }
        // A local date-time without offset: Danish wall-clock time.
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .ok()
            .map(|l| TimeSpec::Absolute(Clock::local(l)))
    }

    pub fn instant(&self, clock: Clock) -> Option<Clock> {
        match self {
            TimeSpec::Relative(r) => r.instant(clock),
            TimeSpec::Absolute(c) => Some(*c),
            TimeSpec::Date(d) => Some(Clock::midnight(*d)),
        }
    }

    /// The time as an RFC 3339 date-time, or as a date for [`TimeFormat::Date`].
    pub fn render(&self, clock: Clock, format: TimeFormat) -> Option<String> {
        match self {
            TimeSpec::Relative(r) => r.render(clock, format),
            TimeSpec::Absolute(c) => Some(match format {
                TimeFormat::Date => c.today().format("%Y-%m-%d").to_string(),
                TimeFormat::DateTime | TimeFormat::Natural => c.rfc3339(),
            }),
            TimeSpec::Date(d) => Some(match format {
                TimeFormat::Date | TimeFormat::Natural => d.format("%Y-%m-%d").to_string(),
                TimeFormat::DateTime => Clock::midnight(*d).rfc3339(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_is_fixed() {
        let t = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+01:00").unwrap();
        let c = FixedClock(t);
        assert_eq!(c.now(), c.now());
        assert_eq!(c.now(), t);
    }

    fn clock(s: &str) -> Clock {
        Clock::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn danish_offset_follows_summer_time() {
        assert_eq!(
            clock("2026-11-24T09:00:00Z").rfc3339(),
            "2026-11-24T10:00:00+01:00"
        );
        assert_eq!(
            clock("2026-07-01T09:00:00Z").rfc3339(),
            "2026-07-01T11:00:00+02:00"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            clock("2026-03-29T00:59:59Z").0.offset().local_minus_utc(),
            3600
        );
        assert_eq!(
            clock("2026-03-29T01:00:00Z").0.offset().local_minus_utc(),
            7200
        );
        assert_eq!(
            clock("2026-10-25T00:59:59Z").0.offset().local_minus_utc(),
            7200
        );
        assert_eq!(
            clock("2026-10-25T01:00:00Z").0.offset().local_minus_utc(),
            3600
        );
    }

    #[test]
    fn today_is_the_danish_date() {
        // 23:30 UTC on 23 November is already 24 November in Denmark.
        let c = clock("2026-11-23T23:30:00Z");
        assert_eq!(c.today().to_string(), "2026-11-24");
        let today = RelTime::parse("today").unwrap();
        assert_eq!(today.render(c, TimeFormat::Natural).unwrap(), "2026-11-24");
        assert_eq!(
            today.render(c, TimeFormat::DateTime).unwrap(),
            "2026-11-24T00:00:00+01:00"
        );
    }

    #[test]
    fn relative_expressions() {
        let c = clock("2026-11-24T10:00:00+01:00");
        let r = |s: &str, f| RelTime::parse(s).unwrap().render(c, f).unwrap();
        assert_eq!(r("today-8d", TimeFormat::Natural), "2026-11-16");
        assert_eq!(
            r("today-7d", TimeFormat::DateTime),
            "2026-11-17T00:00:00+01:00"
        );
        assert_eq!(
            r("now+1m", TimeFormat::Natural),
            "2026-11-24T10:01:00+01:00"
        );
        assert_eq!(r("now-1h", TimeFormat::Date), "2026-11-24");
        assert_eq!(r("today-30y", TimeFormat::Natural), "1996-11-24");
        assert_eq!(
            r("today+10h", TimeFormat::Natural),
            "2026-11-24T10:00:00+01:00"
        );
        // Crossing the change of offset keeps the wall-clock time.
        assert_eq!(
            r("now-60d", TimeFormat::Natural),
            "2026-09-25T10:00:00+02:00"
        );
        for bad in [
            "today-8",
            "today8d",
            "now+1w",
            "yesterday",
            "today - 1d",
            "now+d",
            "today+9999999999999d",
            "now+99999999999999999s",
            "today-10001y",
        ] {
            assert_eq!(RelTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn time_specs() {
        let c = clock("2026-11-24T10:00:00+01:00");
        let r = |s: &str| {
            TimeSpec::parse(s)
                .unwrap()
                .render(c, TimeFormat::DateTime)
                .unwrap()
        };
        assert_eq!(r("today-2d"), "2026-11-22T00:00:00+01:00");
        assert_eq!(r("${today-2d}"), "2026-11-22T00:00:00+01:00");
        assert_eq!(r("2025-07-01"), "2025-07-01T00:00:00+02:00");
        assert_eq!(r("2025-07-01T10:00:00Z"), "2025-07-01T12:00:00+02:00");
        assert_eq!(r("2025-12-01T10:00:00"), "2025-12-01T10:00:00+01:00");
        assert_eq!(TimeSpec::parse("tomorrow"), None);
    }
}
