//! The state-change endpoint, `POST /konform/state` (test mode only): establishes a case's
//! preconditions as Pact providers set up provider states. The body is a [`StateRequest`]
//! (templates resolved, caller roles replaced by organisation codes); the answer is an
//! [`Established`] with a fresh CPR and a uuid v4 for every named item, or 422 with the reason.
//!
//! - The CPR is new on every call: its date part is the birth date if given, else a date that
//!   makes the citizen 35–44 years old; the serial is the next free one for that date.
//! - `now` pins the citizen's clock: every later request about this citizen (found by CPR or
//!   by an identifier created here) takes that instant as "now".
//! - Instants are RFC 3339; a date-time without offset or a bare date is taken in the offset of
//!   `now`. A birth date may also be relative to `now` (`today-30y`).
//!
//! The main entry point is [`establish`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate};
use serde_json::json;
use uuid::Uuid;

use crate::state::{CitizenState, Established, StateRequest};

use super::store::{
    Absence, Booking, Citizen, ContactGroup, Enrollment, HealthLimitation, Interview, ItemKind,
    Marking, Move, Participant, PersonCategory, Project, Store, Ydelse,
};
use super::xsdtime;
use crate::clock::SharedClock;

/// Why a state could not be established (answered as 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unestablishable(pub String);

struct Builder<'a> {
    store: &'a Store,
    offset: FixedOffset,
    now: DateTime<FixedOffset>,
    ids: BTreeMap<String, String>,
    /// Items to index once the citizen's CPR is known.
    pending: Vec<(Uuid, ItemKind)>,
    projects: BTreeMap<String, Uuid>,
    /// Identifiers chosen by the caller for named items (`konform serve --citizens`).
    fixed: BTreeMap<String, Uuid>,
}

impl Builder<'_> {
    /// The identifier of a named item: the fixed one, if given, else a fresh uuid v4.
    fn fresh(&self, name: Option<&str>) -> Uuid {
        name.and_then(|n| self.fixed.get(n).copied())
            .unwrap_or_else(Uuid::new_v4)
    }

    fn instant(&self, what: &str, s: &str) -> Result<DateTime<FixedOffset>, Unestablishable> {
        xsdtime::parse_instant(s, self.offset).ok_or_else(|| {
            Unestablishable(format!(
                "{what}: {s:?} is not an RFC 3339 instant or a date"
            ))
        })
    }

    fn opt_instant(
        &self,
        what: &str,
        s: &Option<String>,
    ) -> Result<Option<DateTime<FixedOffset>>, Unestablishable> {
        s.as_deref().map(|s| self.instant(what, s)).transpose()
    }

    fn date(&self, what: &str, s: &str) -> Result<NaiveDate, Unestablishable> {
        xsdtime::parse_date(s)
            .or_else(|| xsdtime::parse_instant(s, self.offset).map(|t| t.date_naive()))
            .ok_or_else(|| Unestablishable(format!("{what}: {s:?} is not a date")))
    }

    /// A fresh identifier for an item, recorded under its name if it has one.
    fn item(&mut self, name: &Option<String>, kind: ItemKind) -> Result<Uuid, Unestablishable> {
        let id = self.fresh(name.as_deref());
        if let Some(name) = name {
            self.name(name, id)?;
        }
        self.pending.push((id, kind));
        Ok(id)
    }

    fn name(&mut self, name: &str, id: Uuid) -> Result<(), Unestablishable> {
        if self.ids.insert(name.to_string(), id.to_string()).is_some() {
            return Err(Unestablishable(format!(
                "the name {name:?} is given to two items"
            )));
        }
        Ok(())
    }
}

/// Establishes a state: creates the projects and the citizen and answers the CPR and ids.
pub fn establish(
    store: &Store,
    clock: &SharedClock,
    request: StateRequest,
) -> Result<Established, Unestablishable> {
    establish_with(store, clock, request, None)
}

/// A citizen with a CPR and identifiers chosen beforehand, as `konform serve --citizens FILE`
/// loads them: a vendor's test environment has citizens with known CPRs.
#[derive(Debug, Clone, Default)]
pub struct Fixed {
    pub cpr: String,
    /// Identifiers of named items (`cg` → uuid); unnamed items get fresh ones.
    pub ids: BTreeMap<String, Uuid>,
}

/// [`establish`] with the CPR and named identifiers fixed. The birth date is the CPR's own
/// (its date part and century digit) unless the state gives one.
pub fn establish_fixed(
    store: &Store,
    clock: &SharedClock,
    request: StateRequest,
    fixed: Fixed,
) -> Result<Established, Unestablishable> {
    if !crate::cpr::is_valid(&fixed.cpr) {
        return Err(Unestablishable(format!(
            "cpr: {} is not a CPR number",
            crate::cpr::mask_all(&fixed.cpr)
        )));
    }
    establish_with(store, clock, request, Some(fixed))
}

fn establish_with(
    store: &Store,
    clock: &SharedClock,
    request: StateRequest,
    fixed: Option<Fixed>,
) -> Result<Established, Unestablishable> {
    let fixed_cpr = fixed.as_ref().map(|f| f.cpr.clone());
    let server_now = clock.now();
    let pinned = match &request.now {
        Some(s) => Some(
            DateTime::parse_from_rfc3339(s.trim())
                .map_err(|_| Unestablishable(format!("now: {s:?} is not an RFC 3339 instant")))?,
        ),
        None => None,
    };
    let now = pinned.unwrap_or(server_now);
    let mut b = Builder {
        store,
        offset: *now.offset(),
        now,
        ids: BTreeMap::new(),
        pending: Vec::new(),
        projects: BTreeMap::new(),
        fixed: fixed.map(|f| f.ids).unwrap_or_default(),
    };
    let mut projects = Vec::new();
    for (i, p) in request.projects.iter().enumerate() {
        let id = b.fresh(Some(&p.id));
        b.name(&p.id, id)?;
        b.projects.insert(p.id.clone(), id);
        let start = b.instant(&format!("projects[{i}].start"), &p.start)?;
        let end = b.opt_instant(&format!("projects[{i}].end"), &p.end)?;
        if end.is_some_and(|e| e < start) {
            return Err(Unestablishable(format!(
                "projects[{i}]: the end is before the start"
            )));
        }
        projects.push(Project { id, start, end });
    }
    let citizen = match &request.citizen {
        Some(state) => Some(build_citizen(&mut b, state, pinned, fixed_cpr.as_deref())?),
        None => None,
    };
    // Fixed identifiers must be free; fresh ones always are.
    for (id, _) in &b.pending {
        if store.owner(id).is_some() {
            return Err(Unestablishable(format!(
                "the identifier {id} is in use by another citizen"
            )));
        }
    }
    // Nothing is stored before everything was read: a 422 leaves no trace.
    for p in projects {
        store.insert_project(p);
    }
    let cpr = match citizen {
        Some(c) => {
            let cpr = c.cpr.clone();
            if !store.insert_citizen(c) {
                return Err(Unestablishable(format!(
                    "the generated CPR {} is taken",
                    crate::cpr::mask(&cpr)
                )));
            }
            for (id, kind) in &b.pending {
                store.index(*id, &cpr, *kind);
            }
            Some(cpr)
        }
        None => None,
    };
    Ok(Established { cpr, ids: b.ids })
}

fn birth_date(b: &Builder<'_>, state: &CitizenState) -> Result<NaiveDate, Unestablishable> {
    let today = b.now.date_naive();
    match state.birth_date.as_deref() {
        Some(s) => relative_date(s, today)
            .or_else(|| xsdtime::parse_date(s))
            .ok_or_else(|| Unestablishable(format!("citizen.birth_date: {s:?} is not a date"))),
        None => {
            let n = b.store.sequence.fetch_add(1, Ordering::Relaxed);
            let base = today
                .checked_sub_months(Months::new(35 * 12))
                .unwrap_or(today);
            Ok(base.checked_sub_days(Days::new(n % 3650)).unwrap_or(base))
        }
    }
}

/// `today`, `today-30y`, `today+2d`, `today-6m` relative to `today`.
fn relative_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let rest = s.trim().strip_prefix("today")?;
    if rest.is_empty() {
        return Some(today);
    }
    let (sign, rest) = rest.split_at(1);
    let unit = rest.chars().last()?;
    let n: u32 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    let add = match sign {
        "+" => true,
        "-" => false,
        _ => return None,
    };
    match (unit, add) {
        ('d', true) => today.checked_add_days(Days::new(n.into())),
        ('d', false) => today.checked_sub_days(Days::new(n.into())),
        ('m', true) => today.checked_add_months(Months::new(n)),
        ('m', false) => today.checked_sub_months(Months::new(n)),
        ('y', true) => today.checked_add_months(Months::new(n.checked_mul(12)?)),
        ('y', false) => today.checked_sub_months(Months::new(n.checked_mul(12)?)),
        _ => None,
    }
}

/// The birth date a CPR number holds: DDMMYY and the century its seventh digit gives (the
/// CPR register's table).
pub fn cpr_birth_date(cpr: &str) -> Option<NaiveDate> {
    let d = cpr.as_bytes();
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |i: usize| u32::from(d[i] - b'0') * 10 + u32::from(d[i + 1] - b'0');
    let (day, month, yy) = (n(0), n(2), n(4));
    let seventh = d[6] - b'0';
    let century = match seventh {
        0..=3 => 1900,
        4 | 9 if yy <= 36 => 2000,
        4 | 9 => 1900,
        5..=8 if yy <= 57 => 2000,
        5..=8 => 1800,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(century + yy as i32, month, day)
}

fn build_citizen(
    b: &mut Builder<'_>,
    s: &CitizenState,
    pinned: Option<DateTime<FixedOffset>>,
    fixed_cpr: Option<&str>,
) -> Result<Citizen, Unestablishable> {
    let (birth, cpr) = match fixed_cpr {
        Some(cpr) => {
            let birth = match &s.birth_date {
                Some(_) => birth_date(b, s)?,
                None => cpr_birth_date(cpr).ok_or_else(|| {
                    Unestablishable(format!("cpr: {} holds no date", crate::cpr::mask(cpr)))
                })?,
            };
            (birth, cpr.to_string())
        }
        None => {
            let birth = birth_date(b, s)?;
            if birth.year() < 1858 || birth > b.now.date_naive() {
                return Err(Unestablishable(format!(
                    "citizen.birth_date: {birth} cannot be in a CPR number"
                )));
            }
            let serial = b.store.next_serial(birth).ok_or_else(|| {
                Unestablishable(format!("no CPR serial numbers left for birth date {birth}"))
            })?;
            (birth, format!("{}{serial:04}", birth.format("%d%m%y")))
        }
    };
    let mut c = Citizen::new(cpr);
    c.status = s.status;
    c.birth_date = Some(birth);
    c.pinned_now = pinned;
    c.jobcenter = s.jobcenter.clone();
    c.former_jobcenters = s.former_jobcenters.clone();
    c.kommune = s.kommune.clone();
    c.akasse = s.akasse.clone();
    c.anden_aktoer = s.anden_aktoer.clone();
    c.has_cv_number = s.has_cv_number.unwrap_or(true);
    c.failing_systems = s.failing_systems.iter().cloned().collect::<BTreeSet<_>>();
    for (i, g) in s.contact_groups.iter().enumerate() {
        let what = format!("citizen.contact_groups[{i}]");
        let start = b.instant(&format!("{what}.start"), &g.start)?;
        let end = b.opt_instant(&format!("{what}.end"), &g.end)?;
        let event_time = b.opt_instant(&format!("{what}.event_time"), &g.event_time)?;
        if end.is_some_and(|e| e < start) {
            return Err(Unestablishable(format!(
                "{what}: the end is before the start"
            )));
        }
        let id = b.item(&g.id, ItemKind::ContactGroup)?;
        c.contact_groups.push(ContactGroup {
            id,
            type_id: g.type_id,
            start,
            end,
            event_time: event_time.unwrap_or(start),
        });
    }
    if let Some(e) = &s.enrollment {
        let date = b.instant("citizen.enrollment.date", &e.date)?;
        let id = b.item(&e.id, ItemKind::Enrollment)?;
        c.enrollment = Some(Enrollment {
            id,
            date,
            category: e.category,
            unemployment_status: e.unemployment_status,
        });
    }
    for (i, a) in s.absences.iter().enumerate() {
        let what = format!("citizen.absences[{i}]");
        let start = b.instant(&format!("{what}.start"), &a.start)?;
        let end = b.opt_instant(&format!("{what}.end"), &a.end)?;
        if end.is_some_and(|e| e < start) {
            return Err(Unestablishable(format!(
                "{what}: the end is before the start"
            )));
        }
        let warning_letter_date = b.opt_instant(
            &format!("{what}.warning_letter_date"),
            &a.warning_letter_date,
        )?;
        let id = b.item(&a.id, ItemKind::Absence)?;
        c.absences.push(Absence {
            id,
            type_id: a.type_id,
            start,
            end,
            unemployment_status: a.unemployment_status,
            cvr: a.cvr.clone(),
            pnummer: a.pnummer.clone(),
            warning_letter_date,
            cause: None,
            comment: None,
            notification: Some(start),
        });
    }
    for (i, p) in s.person_categories.iter().enumerate() {
        let incident = b.instant(
            &format!("citizen.person_categories[{i}].incident"),
            &p.incident,
        )?;
        let id = b.item(&p.id, ItemKind::PersonCategory)?;
        c.person_categories.push(PersonCategory {
            id,
            type_id: p.type_id,
            incident,
        });
    }
    for (i, k) in s.bookings.iter().enumerate() {
        let time = b.opt_instant(&format!("citizen.bookings[{i}].time"), &k.time)?;
        let id = b.item(&k.id, ItemKind::Booking)?;
        c.bookings.push(Booking { id, time });
    }
    for (i, v) in s.interviews.iter().enumerate() {
        let time = b.instant(&format!("citizen.interviews[{i}].time"), &v.time)?;
        let id = b.item(&v.id, ItemKind::Interview)?;
        let mut participants = Vec::new();
        for p in &v.participants {
            let pid = b.item(&p.id, ItemKind::Participant)?;
            participants.push(Participant {
                id: pid,
                name: p.name.clone(),
                external_id: None,
                contact_type: None,
                type_id: None,
            });
        }
        c.interviews.push(Interview {
            id,
            type_id: v.type_id,
            time,
            resetting: v.resetting,
            with_more_authorities: v.with_more_authorities,
            registered_by: v.registered_by.clone(),
            participants,
            booking: None,
            contact_type: None,
            participation_status: None,
            record: json!({}),
            registered_at: Some(b.now),
        });
    }
    for (i, h) in s.health_limitations.iter().enumerate() {
        let what = format!("citizen.health_limitations[{i}]");
        let start = b.instant(&format!("{what}.start"), &h.start)?;
        let end = b.opt_instant(&format!("{what}.end"), &h.end)?;
        let id = b.item(&h.id, ItemKind::HealthLimitation)?;
        c.health_limitations
            .push(HealthLimitation { id, start, end });
    }
    for (i, m) in s.markings.iter().enumerate() {
        let what = format!("citizen.markings[{i}]");
        let project = match b.projects.get(&m.project) {
            Some(p) => *p,
            None => match Uuid::parse_str(&m.project) {
                Ok(u) if b.store.project(&u).is_some() => u,
                _ => {
                    return Err(Unestablishable(format!(
                        "{what}.project: no project named {:?} in this state",
                        m.project
                    )));
                }
            },
        };
        let start = b.instant(&format!("{what}.start"), &m.start)?;
        let end = b.opt_instant(&format!("{what}.end"), &m.end)?;
        let id = b.item(&m.id, ItemKind::Marking)?;
        c.markings.push(Marking {
            id,
            project,
            start,
            end,
            created_by: m.created_by.clone(),
        });
    }
    for (i, y) in s.ydelser.iter().enumerate() {
        let what = format!("citizen.ydelser[{i}]");
        let start = b.date(&format!("{what}.start"), &y.start)?;
        let end = y
            .end
            .as_deref()
            .map(|e| b.date(&format!("{what}.end"), e))
            .transpose()?;
        let id = b.item(&y.id, ItemKind::Ydelse)?;
        c.ydelser.push(Ydelse {
            id,
            start,
            end,
            kontaktgruppe: y.kontaktgruppe,
            ky_noegle: None,
            lovhenvisning: None,
            afgoerelsestype: None,
            registered_by: None,
            registered_at: Some(b.now),
            history: Vec::new(),
        });
    }
    for m in &s.moves {
        let id = b.item(&m.id, ItemKind::Move)?;
        c.moves.push(Move {
            id,
            from: m.from.clone(),
            to: m.to.clone(),
            confirmed_out: m.confirmed_out,
            confirmed_in: false,
        });
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::state::{AbsenceState, ContactGroupState, MarkingState, ProjectState};
    use std::collections::HashSet;
    use std::sync::Arc;

    fn clock() -> SharedClock {
        Arc::new(FixedClock(
            DateTime::parse_from_rfc3339("2026-11-24T10:00:00+01:00").unwrap(),
        ))
    }

    #[test]
    fn establishes_a_citizen_with_named_items() {
        let store = Store::default();
        let req = StateRequest {
            now: Some("2026-11-24T10:00:00+01:00".into()),
            citizen: Some(CitizenState {
                jobcenter: Some("10101".into()),
                contact_groups: vec![ContactGroupState {
                    id: Some("cg".into()),
                    type_id: 1,
                    start: "2026-10-25T00:00:00+01:00".into(),
                    ..Default::default()
                }],
                absences: vec![AbsenceState {
                    id: Some("sick".into()),
                    type_id: 11,
                    start: "2026-11-22".into(),
                    ..Default::default()
                }],
                markings: vec![MarkingState {
                    id: Some("mark".into()),
                    project: "p".into(),
                    start: "2026-11-01T00:00:00".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            projects: vec![ProjectState {
                id: "p".into(),
                start: "2026-01-01T00:00:00+01:00".into(),
                end: None,
            }],
        };
        let est = establish(&store, &clock(), req).unwrap();
        let cpr = est.cpr.unwrap();
        assert!(crate::cpr::is_valid(&cpr), "{cpr}");
        assert_eq!(est.ids.len(), 4);
        let cg = Uuid::parse_str(&est.ids["cg"]).unwrap();
        assert_eq!(store.owner(&cg).unwrap().0, cpr);
        let citizen = store.citizen(&cpr).unwrap();
        let c = citizen.lock().unwrap();
        assert_eq!(
            c.pinned_now.unwrap().to_rfc3339(),
            "2026-11-24T10:00:00+01:00"
        );
        assert_eq!(
            c.absences[0].start.to_rfc3339(),
            "2026-11-22T00:00:00+01:00"
        );
        let p = Uuid::parse_str(&est.ids["p"]).unwrap();
        assert_eq!(c.markings[0].project, p);
        assert!(store.project(&p).is_some());
    }

    #[test]
    fn cprs_are_fresh_and_follow_the_birth_date() {
        let store = Store::default();
        let mut seen = HashSet::new();
        for _ in 0..3000 {
            let est = establish(
                &store,
                &clock(),
                StateRequest {
                    citizen: Some(CitizenState::default()),
                    ..Default::default()
                },
            )
            .unwrap();
            let cpr = est.cpr.unwrap();
            assert!(crate::cpr::is_valid(&cpr));
            assert!(seen.insert(cpr));
        }
        let est = establish(
            &store,
            &clock(),
            StateRequest {
                citizen: Some(CitizenState {
                    birth_date: Some("1990-02-28".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(est.cpr.unwrap().starts_with("280290"));
        let est = establish(
            &store,
            &clock(),
            StateRequest {
                now: Some("2026-11-24T10:00:00+01:00".into()),
                citizen: Some(CitizenState {
                    birth_date: Some("today-30y".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(est.cpr.unwrap().starts_with("241196"));
    }

    #[test]
    fn bad_states_are_refused_and_leave_no_trace() {
        let store = Store::default();
        let bad = [
            StateRequest {
                now: Some("tomorrow".into()),
                ..Default::default()
            },
            StateRequest {
                citizen: Some(CitizenState {
                    contact_groups: vec![ContactGroupState {
                        start: "soon".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                ..Default::default()
            },
            StateRequest {
                citizen: Some(CitizenState {
                    markings: vec![MarkingState {
                        project: "nope".into(),
                        start: "2026-01-01".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                ..Default::default()
            },
            StateRequest {
                citizen: Some(CitizenState {
                    contact_groups: vec![
                        ContactGroupState {
                            id: Some("x".into()),
                            start: "2026-01-01".into(),
                            ..Default::default()
                        },
                        ContactGroupState {
                            id: Some("x".into()),
                            start: "2026-01-01".into(),
                            ..Default::default()
                        },
                    ],
                    ..Default::default()
                }),
                ..Default::default()
            },
        ];
        for req in bad {
            assert!(establish(&store, &clock(), req).is_err());
        }
        assert_eq!(store.citizen_count(), 0);
    }

    #[test]
    fn relative_birth_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(relative_date("today", today), Some(today));
        assert_eq!(
            relative_date("today-30y", today),
            NaiveDate::from_ymd_opt(1996, 11, 24)
        );
        assert_eq!(
            relative_date("today+2d", today),
            NaiveDate::from_ymd_opt(2026, 11, 26)
        );
        assert_eq!(relative_date("today*2d", today), None);
        assert_eq!(relative_date("today-", today), None);
    }

    #[test]
    fn a_cpr_holds_its_birth_date_by_the_century_digit() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(cpr_birth_date("0101851001"), d(1985, 1, 1));
        assert_eq!(cpr_birth_date("0101054001"), d(2005, 1, 1));
        assert_eq!(cpr_birth_date("0101404001"), d(1940, 1, 1));
        assert_eq!(cpr_birth_date("0101105001"), d(2010, 1, 1));
        assert_eq!(cpr_birth_date("0101705001"), d(1870, 1, 1));
        assert_eq!(cpr_birth_date("3102851001"), None);
        assert_eq!(cpr_birth_date("01018510"), None);
    }

    #[test]
    fn a_fixed_citizen_keeps_its_cpr_and_identifiers() {
        let store = Store::default();
        let cg = Uuid::parse_str("6f0c2d3e-1111-4000-8000-000000000001").unwrap();
        let request = || StateRequest {
            now: None,
            citizen: Some(CitizenState {
                jobcenter: Some("10101".into()),
                contact_groups: vec![ContactGroupState {
                    id: Some("cg".into()),
                    type_id: 1,
                    start: "2026-10-01".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            projects: vec![],
        };
        let fixed = Fixed {
            cpr: "0101851001".into(),
            ids: [("cg".to_string(), cg)].into(),
        };
        let est = establish_fixed(&store, &clock(), request(), fixed.clone()).unwrap();
        assert_eq!(est.cpr.as_deref(), Some("0101851001"));
        assert_eq!(est.ids["cg"], cg.to_string());
        assert_eq!(store.owner(&cg).unwrap().0, "0101851001");
        let c = store.citizen("0101851001").unwrap();
        assert_eq!(
            c.lock().unwrap().birth_date,
            NaiveDate::from_ymd_opt(1985, 1, 1)
        );
        // The same CPR or identifier twice is refused, and leaves nothing behind.
        let again = Fixed {
            cpr: "0202852002".into(),
            ..fixed.clone()
        };
        assert!(
            establish_fixed(&store, &clock(), request(), again)
                .unwrap_err()
                .0
                .contains("in use")
        );
        assert!(store.citizen("0202852002").is_none());
        assert!(
            establish_fixed(
                &store,
                &clock(),
                StateRequest::default(),
                Fixed {
                    cpr: "3102851001".into(),
                    ids: Default::default(),
                }
            )
            .is_err()
        );
    }
}
