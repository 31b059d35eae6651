//! The sick-leave REST service (CreateSygemelding, UpdateSygemelding, CreateRaskmelding): an
//! absence (fravær) per sick-leave report, optionally with an enrollment cancellation
//! (afmelding), and the recovery report that ends it (with an optional enrollment and
//! contact-group change). The excerpt documents error codes for UpdateSygemelding only;
//! every rule below applies to a method only where it documents the code.
//!
//! The request names come in Danish (`Startdato`) and English (`StartDate`) spellings; the
//! readers accept both. UpdateSygemelding's order: the absence (4632), the contact group
//! (5018), what cannot change (4647, 5015, 5017), the absence's own dates (9362, 4980, 4981,
//! 4637), the contact group's demands (4686, 5013, 5014), the enrollment (4990) and the
//! cancellation (4367, 4322, 4340).

use chrono::{DateTime, Duration, FixedOffset};
use serde_json::Value;
use uuid::Uuid;

use super::domain::{self, lists};
use super::{Call, Handler};
use crate::reference::checks::Rejection;
use crate::reference::store::{Absence, Citizen, ContactGroup, Enrollment, ItemKind};

pub fn handler(_service: &str, method: &str) -> Option<Handler> {
    Some(match method {
        "CreateSygemelding" => create_sygemelding,
        "UpdateSygemelding" => update_sygemelding,
        "CreateRaskmelding" => create_raskmelding,
        _ => return None,
    })
}

const CHECKS: &[(u32, &str)] = &[
    (
        4632,
        "fravaerIdentifier must name an absence of the citizen",
    ),
    (
        5018,
        "an absence cannot be updated while the contact group is 24 or 25",
    ),
    (4647, "the start cannot change"),
    (5015, "Ledighedsgrad cannot change"),
    (5017, "the CVR and P numbers cannot change"),
    (9362, "Anmeldelsesdato cannot be after today"),
    (4980, "an end date needs Fravaersafslutningsaarsag"),
    (4981, "changing an end date needs Fravaerskommentar"),
    (4637, "an absence cannot overlap another of the same type"),
    (4686, "the citizen needs a contact group in force"),
    (5013, "Ledighedsgrad is required for contact group 1"),
    (5014, "Ledighedsgrad is only allowed for contact group 1"),
    (
        4990,
        "an illness of an enrolled citizen needs an Afmelding in the same request",
    ),
    (4367, "an Afmelding needs the citizen enrolled"),
    (4322, "Afmeldedato must be today to 30 days ahead"),
    (
        4340,
        "Afmeldingsaarsag must be a known afmeldingsaarsag value (the overlay\'s list, or 1-99)",
    ),
];

pub fn checks(_service: &str, method: &str) -> Vec<(u32, &'static str)> {
    match method {
        "CreateSygemelding" | "UpdateSygemelding" | "CreateRaskmelding" => CHECKS.to_vec(),
        _ => Vec::new(),
    }
}

/// The first of several spellings present.
fn first<T>(
    call: &Call<'_>,
    paths: &[&str],
    read: impl Fn(&Call<'_>, &str) -> Option<T>,
) -> Option<T> {
    paths.iter().find_map(|p| read(call, p))
}

/// An absence as the request states it.
struct AbsenceInput {
    id: Option<Uuid>,
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    type_id: Option<i64>,
    comment: Option<String>,
    cause: Option<i64>,
    notification: Option<DateTime<FixedOffset>>,
    ledighedsgrad: Option<i64>,
    cvr: Option<String>,
    pnummer: Option<String>,
}

fn read_absence(call: &Call<'_>) -> AbsenceInput {
    let item = ["Sygemelding", "AbsenceItem"]
        .into_iter()
        .find(|r| call.input(r).is_some())
        .unwrap_or("Sygemelding");
    let p =
        |names: &[&str]| -> Vec<String> { names.iter().map(|n| format!("{item}/{n}")).collect() };
    let paths = |names: &[&str]| p(names);
    let s = |names: &[&str]| {
        let ps = paths(names);
        let refs: Vec<&str> = ps.iter().map(String::as_str).collect();
        first(call, &refs, |c, p| c.str(p))
    };
    let t = |names: &[&str]| {
        let ps = paths(names);
        let refs: Vec<&str> = ps.iter().map(String::as_str).collect();
        first(call, &refs, |c, p| c.instant(p))
    };
    let i = |names: &[&str]| {
        let ps = paths(names);
        let refs: Vec<&str> = ps.iter().map(String::as_str).collect();
        first(call, &refs, |c, p| c.int(p))
    };
    let company = ["Virksomhed", "CompanyIdentifier"];
    let sub = |names: &[&str]| -> Option<String> {
        company.iter().find_map(|c| {
            names
                .iter()
                .find_map(|n| call.str(&format!("{item}/{c}/{n}")))
        })
    };
    AbsenceInput {
        id: s(&["fravaerIdentifier", "AbsenceIdentifier"])
            .and_then(|v| Uuid::parse_str(v.trim()).ok()),
        start: t(&["Startdato", "StartDate"]),
        end: t(&["Slutdato", "EndDate"]),
        type_id: i(&["fravaerType", "AbsenceTypeIdentifier"]),
        comment: s(&["Fravaerskommentar", "AbsenceComment"]),
        cause: i(&["Fravaersafslutningsaarsag", "AbsenceCauseTypeIdentifier"]),
        notification: t(&["Anmeldelsesdato", "NotificationDate"]),
        ledighedsgrad: i(&["Ledighedsgrad", "CurrentUnemploymentStatusTypeIdentifier"]),
        cvr: sub(&["cvrEnhedsid", "CVRnumberIdentifier"]),
        pnummer: sub(&["Pnummer", "ProductionUnitIdentifier"]),
    }
}

/// The cancellation of the enrollment (afmelding), if the request has one.
struct Cancellation {
    date: Option<DateTime<FixedOffset>>,
    cause: Option<i64>,
}

fn read_cancellation(call: &Call<'_>) -> Option<Cancellation> {
    let root = ["Afmelding", "CancelEnrollmentItem"]
        .into_iter()
        .find(|r| call.input(r).is_some())?;
    Some(Cancellation {
        date: ["Afmeldedato", "CancellationDate"]
            .iter()
            .find_map(|n| call.instant(&format!("{root}/{n}"))),
        cause: ["Afmeldingsaarsag", "RemovalCauseTypeIdentifier"]
            .iter()
            .find_map(|n| call.int(&format!("{root}/{n}"))),
    })
}

/// The rules on the absence itself. `existing` is the absence being updated.
fn check_absence(
    call: &mut Call<'_>,
    c: &Citizen,
    a: &AbsenceInput,
    existing: Option<&Absence>,
    cancellation: Option<&Cancellation>,
) -> Result<(), Rejection> {
    let now = call.now;
    let today = call.today();
    let group = domain::contact_group_at(c, now).map(|g| g.type_id);
    call.ctx.check(5018, || {
        existing.is_some() && group.is_some_and(|g| domain::illness_contact_groups().contains(&g))
    });
    call.ctx.gate()?;
    if let Some(old) = existing {
        call.ctx
            .check(4647, || a.start.is_some_and(|s| s != old.start));
        call.ctx.check(
            5015,
            || matches!((old.unemployment_status, a.ledighedsgrad), (Some(o), Some(n)) if o != n),
        );
        call.ctx.check(5017, || {
            let cvr = old.cvr.is_some() && a.cvr.is_some() && old.cvr != a.cvr;
            let p = old.pnummer.is_some() && a.pnummer.is_some() && old.pnummer != a.pnummer;
            cvr || p
        });
        // The reading absence-comment-4981: a moved end date alone needs a comment, or only
        // a moved end date together with a moved start date.
        let both = call.app.reading("absence-comment-4981") == "both";
        call.ctx.check(4981, || {
            let end_moved = old.end.is_some() && a.end.is_some() && a.end != old.end;
            let start_moved = a.start.is_some_and(|s| s != old.start);
            end_moved && (!both || start_moved) && a.comment.is_none()
        });
    }
    // "must be today or earlier": a day, not an instant, so later today is still today.
    call.ctx.check(9362, || {
        a.notification
            .is_some_and(|n| n.with_timezone(now.offset()).date_naive() > today)
    });
    call.ctx
        .check(4980, || a.end.is_some() && a.cause.is_none());
    let own = existing.map(|e| e.id);
    let ty = a.type_id.or(existing.map(|e| e.type_id));
    let start = a.start.or(existing.map(|e| e.start));
    call.ctx.check(4637, || {
        let Some(start) = start else { return false };
        c.absences.iter().any(|o| {
            Some(o.id) != own
                && Some(o.type_id) == ty
                && o.end.is_none_or(|oe| oe >= start)
                && a.end.is_none_or(|e| e >= o.start)
        })
    });
    call.ctx.check(4686, || group.is_none());
    let dp = domain::dagpengemodtager(call);
    call.ctx
        .check(5013, || group == Some(dp) && a.ledighedsgrad.is_none());
    call.ctx.check(5014, || {
        group.is_some() && group != Some(dp) && a.ledighedsgrad.is_some()
    });
    let illness = domain::illness(call);
    let enrolled = domain::enrolled_at(c, now);
    call.ctx.check(4990, || {
        ty == Some(illness) && enrolled && cancellation.is_none()
    });
    if let Some(cancel) = cancellation {
        call.ctx.check(4367, || !enrolled);
        call.ctx.check(4322, || {
            cancel.date.is_some_and(|d| {
                let d = d.with_timezone(now.offset()).date_naive();
                d < today || d > today + Duration::days(30)
            })
        });
        let cause_ok = cancel
            .cause
            .is_none_or(|v| domain::valid(call, lists::AFMELDINGSAARSAG, v));
        call.ctx.check(4340, || !cause_ok);
    }
    call.ctx.gate()
}

fn apply_cancellation(c: &mut Citizen, cancellation: Option<&Cancellation>) {
    if cancellation.is_some() {
        c.enrollment = None;
    }
}

/// CreateSygemelding: a new absence (with the client's fravaerIdentifier, if it gives a new one).
fn create_sygemelding(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let a = read_absence(call);
    let cancellation = read_cancellation(call);
    check_absence(call, c, &a, None, cancellation.as_ref())?;
    let id = match a.id {
        Some(id) if call.known && call.app.store.index_new(id, &c.cpr, ItemKind::Absence) => id,
        _ => {
            let id = Uuid::new_v4();
            if call.known {
                call.app.store.index(id, &c.cpr, ItemKind::Absence);
            }
            id
        }
    };
    c.absences.push(Absence {
        id,
        type_id: a.type_id.unwrap_or_default(),
        start: a.start.unwrap_or(call.now),
        end: a.end,
        unemployment_status: a.ledighedsgrad,
        cvr: a.cvr,
        pnummer: a.pnummer,
        warning_letter_date: None,
        cause: a.cause,
        comment: a.comment,
        notification: a.notification,
    });
    apply_cancellation(c, cancellation.as_ref());
    Ok(Value::Null)
}

/// UpdateSygemelding: the absence named by the path's fravaerIdentifier.
fn update_sygemelding(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = call
        .req
        .path
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("fravaerIdentifier"))
        .and_then(|(_, v)| Uuid::parse_str(v.trim()).ok());
    let pos = id.and_then(|id| c.absences.iter().position(|a| a.id == id));
    call.ctx.check(4632, || pos.is_none());
    call.ctx.gate()?;
    let Some(pos) = pos else {
        return Ok(Value::Null);
    };
    let a = read_absence(call);
    let cancellation = read_cancellation(call);
    let old = c.absences[pos].clone();
    check_absence(call, c, &a, Some(&old), cancellation.as_ref())?;
    let slot = &mut c.absences[pos];
    slot.end = a.end;
    slot.cause = a.cause.or(slot.cause);
    slot.comment = a.comment.or(slot.comment.take());
    slot.notification = a.notification.or(slot.notification);
    slot.unemployment_status = a.ledighedsgrad.or(slot.unemployment_status);
    slot.cvr = a.cvr.or(slot.cvr.take());
    slot.pnummer = a.pnummer.or(slot.pnummer.take());
    apply_cancellation(c, cancellation.as_ref());
    Ok(Value::Null)
}

/// CreateRaskmelding: ends the named (or the open) illness, and registers the enrollment and
/// the contact-group change the request carries.
fn create_raskmelding(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let a = read_absence(call);
    let illness = domain::illness(call);
    let pos = match a.id {
        Some(id) => c.absences.iter().position(|x| x.id == id),
        None => c
            .absences
            .iter()
            .position(|x| x.type_id == illness && x.end.is_none()),
    };
    let old = pos.map(|p| c.absences[p].clone());
    check_absence(call, c, &a, old.as_ref(), None)?;
    let now = call.now;
    if let Some(p) = pos {
        c.absences[p].end = Some(a.end.unwrap_or(now));
        c.absences[p].cause = a.cause.or(c.absences[p].cause);
    }
    if let Some(date) = ["EnrollmentItem/EnrollmentDate"]
        .iter()
        .find_map(|p| call.instant(p))
    {
        let id = Uuid::new_v4();
        if call.known {
            call.app.store.index(id, &c.cpr, ItemKind::Enrollment);
        }
        c.enrollment = Some(Enrollment {
            id,
            date,
            category: call.int("EnrollmentItem/ClientCategoryTypeIdentifier"),
            unemployment_status: call.int("EnrollmentItem/CurrentUnemploymentStatusTypeIdentifier"),
        });
    }
    if let Some(start) = call.instant("ContactGroupItem/StartDate") {
        let existing = call
            .uuid("ContactGroupItem/ContactGroupIdentifier")
            .and_then(|id| c.contact_groups.iter().position(|g| g.id == id));
        let end = call.instant("ContactGroupItem/EndDate");
        match existing {
            Some(p) => c.contact_groups[p].end = end,
            None => {
                let id = Uuid::new_v4();
                if call.known {
                    call.app.store.index(id, &c.cpr, ItemKind::ContactGroup);
                }
                c.contact_groups.push(ContactGroup {
                    id,
                    type_id: call
                        .int("ContactGroupItem/ContactGroupTypeIdentifier")
                        .unwrap_or_default(),
                    start,
                    end,
                    event_time: call.instant("ContactGroupItem/EventTime").unwrap_or(start),
                });
            }
        }
    }
    Ok(Value::Null)
}
