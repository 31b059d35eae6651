//! PersonRegistrationService: interviews (shared with InterviewService, see [`super::interview`]),
//! person categories, contact groups, health limitations, person-group markings, the
//! jobcentre affiliation and the a-kasse participation choices. Each handler checks its rules
//! in the order its doc comment gives; a group of checks that later rules depend on stops
//! evaluation when it finds something (see [`crate::reference::checks::Ctx::gate`]).

use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use uuid::Uuid;

use super::domain::{self, lists};
use super::interview;
use super::{Call, Handler};
use crate::reference::checks::Rejection;
use crate::reference::store::{
    Citizen, ContactGroup, HealthLimitation, ItemKind, Marking, PersonCategory,
};
use crate::spec::model::OrganisationType;

const SERVICE: &str = "PersonRegistrationService";

pub fn handler(service: &str, method: &str) -> Option<Handler> {
    if service != SERVICE {
        return None;
    }
    Some(match method {
        "CreatePersonInterview" => create_person_interview,
        "UpdatePersonInterview" => interview::update,
        "AddInterviewParticipant" => interview::add_participant,
        "UpdateInterviewParticipant" => interview::update_participant,
        "DeleteInterviewParticipant" => interview::delete_participant,
        "CreatePersonCategory" => create_person_category,
        "UpdatePersonCategory" => update_person_category,
        "CreatePersonCategoryAndInterview" => create_person_category_and_interview,
        "CreateContactGroup" => create_contact_group,
        "UpdateContactGroup" => update_contact_group,
        "CreateHealthLimitation" => create_health_limitation,
        "UpdateHealthLimitation" => update_health_limitation,
        "DeleteHealthLimitation" => delete_health_limitation,
        "CreatePersonGroupMarking" => create_marking,
        "UpdatePersonGroupMarking" => update_marking,
        "DeletePersonGroupMarking" => delete_marking,
        "UpdatePersonJobcenter" => update_person_jobcenter,
        "RegisterUnemploymentFundParticipation" => register_participation,
        "RegisterUnemploymentFundParticipationCv" => register_participation_cv,
        "RegisterUnemploymentFundParticipationChoice" => register_participation,
        _ => return None,
    })
}

const CATEGORY_CHECKS: &[(u32, &str)] = &[
    (
        8195,
        "PersonCategoryTypeIdentifier 0 (\"search all\") is not a category",
    ),
    (
        4664,
        "PersonCategoryTypeIdentifier must be a known personkategori value (the overlay\'s list, or 1-99)",
    ),
    (6029, "the category \"ikke visiteret\" cannot be registered"),
    (8194, "IncidentDate cannot be after now"),
    (
        8192,
        "no person category or contact group may start after IncidentDate",
    ),
    (
        4655,
        "a category for sick citizens needs the citizen unenrolled",
    ),
    (4656, "other categories need the citizen enrolled"),
    (
        4716,
        "a category needs a contact group in force on IncidentDate",
    ),
    (
        8193,
        "categories for sick citizens suit only contact groups 24 and 25, the others all but those",
    ),
    (
        4654,
        "an open illness on IncidentDate conflicts with a category not for sick citizens",
    ),
    (
        9282,
        "an open absence other than illness conflicts with a category for sick citizens",
    ),
    (
        4752,
        "no category while an active illness's warning-letter date lies before today",
    ),
];

const CONTACT_GROUP_CHECKS: &[(u32, &str)] = &[
    (
        4675,
        "ContactGroupTypeIdentifier must be a known kontaktgruppe value (the overlay\'s list, or 1-99)",
    ),
    (4703, "the start date cannot be before today"),
    (8063, "EventTime cannot be after the start"),
    (4669, "the end cannot be before the start"),
    (6033, "the citizen must be 18-66 years old at the start"),
    (
        9331,
        "a JobCenter cannot create contact group 1 (Dagpengemodtager)",
    ),
    (
        4644,
        "the citizen cannot have another open (endless) contact group",
    ),
    (
        8192,
        "no contact group or person category may start after the new start",
    ),
    (
        8096,
        "a new contact group must differ from the one before it",
    ),
    (
        4731,
        "contact group 1 (Dagpengemodtager) needs an enrollment",
    ),
    (
        4919,
        "a contact group cannot end while the citizen is enrolled",
    ),
    (8190, "contact groups 24 and 25 need an active absence"),
    (4645, "other contact groups conflict with an active absence"),
    (9370, "a contact group cannot end during an active absence"),
    (
        4589,
        "MessageIdentifier must name a contact group of the citizen",
    ),
    (4646, "ContactGroupTypeIdentifier cannot change"),
    (4647, "the start cannot change"),
    (8065, "EventTime cannot change"),
    (4648, "the end cannot be before today"),
    (9346, "CVServiceForDFDG must answer"),
    (9336, "the citizen must have a CV number"),
    (9337, "SetFlexijobApproved must answer"),
];

const HEALTH_CHECKS: &[(u32, &str)] = &[
    (
        4589,
        "MessageIdentifier must name a health limitation of the citizen",
    ),
    (4743, "an ended health limitation cannot be deleted"),
    (4647, "the start cannot change"),
    (4668, "the start cannot be before today"),
    (4669, "the end cannot be before the start"),
    (4742, "the end cannot be before today"),
    (4748, "an ended health limitation's end cannot change"),
];

const MARKING_CHECKS: &[(u32, &str)] = &[
    (4589, "MessageIdentifier must name a marking"),
    (
        9407,
        "only the creating authority or the current jobcentre may change a marking",
    ),
    (4666, "PersonGroupProjectIdentifier must name a project"),
    (4668, "the start cannot be before today"),
    (4669, "the end cannot be before the start"),
    (4670, "the start cannot be before the project's start"),
    (4671, "the end cannot be after the project's end"),
    (4672, "the citizen cannot be on the project twice at once"),
];

pub fn checks(service: &str, method: &str) -> Vec<(u32, &'static str)> {
    if service != SERVICE {
        return Vec::new();
    }
    match method {
        "CreatePersonInterview" => interview::REGISTRATION_CHECKS.to_vec(),
        "UpdatePersonInterview" => interview::UPDATE_CHECKS
            .iter()
            .chain(interview::REGISTRATION_CHECKS)
            .copied()
            .collect(),
        "AddInterviewParticipant" | "UpdateInterviewParticipant" | "DeleteInterviewParticipant" => {
            interview::PARTICIPANT_CHECKS.to_vec()
        }
        "CreatePersonCategory" => CATEGORY_CHECKS.to_vec(),
        "UpdatePersonCategory" => vec![(
            4589,
            "MessageIdentifier must name a person category of the citizen",
        )],
        "CreatePersonCategoryAndInterview" => CATEGORY_CHECKS
            .iter()
            .chain(interview::REGISTRATION_CHECKS)
            .copied()
            .collect(),
        "CreateContactGroup" | "UpdateContactGroup" => CONTACT_GROUP_CHECKS.to_vec(),
        "CreateHealthLimitation" | "UpdateHealthLimitation" | "DeleteHealthLimitation" => {
            HEALTH_CHECKS.to_vec()
        }
        "CreatePersonGroupMarking" | "UpdatePersonGroupMarking" | "DeletePersonGroupMarking" => {
            MARKING_CHECKS.to_vec()
        }
        "UpdatePersonJobcenter" => vec![(
            4695,
            "JobCenterIdentifier must be a jobcentre the reference knows",
        )],
        _ => Vec::new(),
    }
}

fn local_date(t: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> chrono::NaiveDate {
    t.with_timezone(now.offset()).date_naive()
}

/// CreatePersonInterview: the registration rules, then the interview is stored and answered.
fn create_person_interview(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let (inp, stored) = interview::create(call, c)?;
    Ok(interview::created_answer(call, &inp, &stored))
}

/// A person category as the request states it.
struct CategoryInput {
    type_id: Option<i64>,
    incident: Option<DateTime<FixedOffset>>,
}

fn read_category(call: &Call<'_>) -> CategoryInput {
    CategoryInput {
        type_id: call.int("PersonCategory/PersonCategoryTypeIdentifier"),
        incident: call.instant("PersonCategory/IncidentDate"),
    }
}

/// The person-category rules, in order: the value (8195, 4664, 6029), the time (8194, 8192),
/// the enrollment (4655, 4656), the contact group (4716, 8193), absences (4654, 9282, 4752).
fn check_category(call: &mut Call<'_>, c: &Citizen, inp: &CategoryInput) -> Result<(), Rejection> {
    let Some(ty) = inp.type_id else {
        return Ok(());
    };
    let valid = domain::valid(call, lists::PERSONKATEGORI, ty);
    call.ctx.check(8195, || ty == 0);
    call.ctx.check(4664, || ty != 0 && !valid);
    let rule = domain::category_rule(call, ty);
    call.ctx.check(6029, || rule.forbidden);
    call.ctx.gate()?;
    let Some(t) = inp.incident else {
        return Ok(());
    };
    let now = call.now;
    call.ctx.check(8194, || t > now);
    call.ctx.check(8192, || {
        c.person_categories.iter().any(|p| p.incident > t)
            || c.contact_groups.iter().any(|g| g.start > t)
    });
    let enrolled = domain::enrolled_at(c, t);
    call.ctx.check(4655, || rule.for_illness && enrolled);
    call.ctx.check(4656, || !rule.for_illness && !enrolled);
    let group = domain::contact_group_at(c, t).map(|g| g.type_id);
    call.ctx.check(4716, || group.is_none());
    let illness_groups = domain::illness_contact_groups();
    call.ctx.check(8193, || {
        group.is_some_and(|g| illness_groups.contains(&g) != rule.for_illness)
    });
    let illness = domain::illness(call);
    let ill = domain::absence_at(c, Some(illness), t);
    let other_absence = c.absences.iter().any(|a| {
        a.type_id != illness
            && a.start <= t
            && a.end
                .is_none_or(|e| local_date(e, now) >= local_date(t, now))
    });
    call.ctx.check(4654, || !rule.for_illness && ill);
    call.ctx.check(9282, || rule.for_illness && other_absence);
    // The warning-letter date is a date: it has passed once it lies before today, and an
    // illness is active while it has not ended before today.
    let today = call.today();
    call.ctx.check(4752, || {
        c.absences.iter().any(|a| {
            a.type_id == illness
                && a.end.is_none_or(|e| local_date(e, now) >= today)
                && a.warning_letter_date
                    .is_some_and(|w| local_date(w, now) < today)
        })
    });
    call.ctx.gate()
}

fn store_category(call: &Call<'_>, c: &mut Citizen, inp: &CategoryInput) -> Uuid {
    let id = Uuid::new_v4();
    if call.known {
        call.app.store.index(id, &c.cpr, ItemKind::PersonCategory);
    }
    c.person_categories.push(PersonCategory {
        id,
        type_id: inp.type_id.unwrap_or_default(),
        incident: inp.incident.unwrap_or(call.now),
    });
    id
}

fn create_person_category(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let inp = read_category(call);
    check_category(call, c, &inp)?;
    let id = store_category(call, c, &inp);
    Ok(call.receipt(Some(id)))
}

/// UpdatePersonCategory: a correction (CorrectionComment) of a category of the citizen.
fn update_person_category(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = call.uuid("MessageIdentifier");
    let found = id.is_some_and(|id| c.person_categories.iter().any(|p| p.id == id));
    call.ctx.check(4589, || !found);
    call.ctx.gate()?;
    Ok(call.receipt(id))
}

/// CreatePersonCategoryAndInterview: the category rules and the interview rules, both; then
/// both are stored.
fn create_person_category_and_interview(
    call: &mut Call<'_>,
    c: &mut Citizen,
) -> Result<Value, Rejection> {
    let cat = read_category(call);
    let category = check_category(call, c, &cat);
    let inp = interview::read(call);
    // Both sets of rules are checked, so the answer lists every error found.
    let registration = interview::check_registration(call, c, &inp, None);
    match (category, registration) {
        (Ok(()), Ok(())) => {}
        (Err(e), _) | (_, Err(e)) => {
            call.ctx.gate()?;
            return Err(e);
        }
    }
    store_category(call, c, &cat);
    let stored = interview::store_interview(call, c, &inp, None);
    Ok(interview::created_answer(call, &inp, &stored))
}

/// A contact group as the request states it.
struct GroupInput {
    type_id: Option<i64>,
    event: Option<DateTime<FixedOffset>>,
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
}

fn read_group(call: &Call<'_>) -> GroupInput {
    GroupInput {
        type_id: call.int("ContactGroup/ContactGroupTypeIdentifier"),
        event: call.instant("ContactGroup/ContactGroupEventTime"),
        start: call.instant("ContactGroup/ContactGroupStartTime"),
        end: call.instant("ContactGroup/ContactGroupEndTime"),
    }
}

/// The external systems a contact-group registration calls (9346, 9336, 9337).
fn call_systems(call: &mut Call<'_>, c: &Citizen) -> Result<(), Rejection> {
    let cv_fails = c.system_fails("CVServiceForDFDG");
    call.ctx.check(9346, || cv_fails);
    call.ctx.gate()?;
    call.ctx.check(9336, || !c.has_cv_number);
    call.ctx.gate()?;
    call.ctx
        .check(9337, || c.system_fails("SetFlexijobApproved"));
    call.ctx.gate()
}

/// CreateContactGroup, in order: the value and dates (4675, 4703, 8063, 4669), the citizen
/// and the caller (6033, 9331), other registrations (4644, 8192, 8096), the enrollment (4731,
/// 4919), absences (8190, 4645), then the external systems (9346, 9336, 9337).
fn create_contact_group(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let g = read_group(call);
    let now = call.now;
    let today = call.today();
    let ty = g.type_id;
    let ty_ok = ty.is_none_or(|t| domain::valid(call, lists::KONTAKTGRUPPE, t));
    call.ctx.check(4675, || !ty_ok);
    call.ctx.gate()?;
    let Some(start) = g.start else {
        return Ok(call.receipt(None));
    };
    call.ctx.check(4703, || local_date(start, now) < today);
    call.ctx.check(8063, || g.event.is_some_and(|e| e > start));
    call.ctx.check(4669, || g.end.is_some_and(|e| e < start));
    let (low, high) = domain::CONTACT_GROUP_AGES;
    call.ctx.check(6033, || {
        c.birth_date.is_some_and(|b| {
            let age = domain::age_on(b, local_date(start, now));
            age < low || age > high
        })
    });
    let dp = domain::dagpengemodtager(call);
    let caller = call.req.caller.organisation;
    call.ctx.check(9331, || {
        caller == OrganisationType::JobCenter && ty == Some(dp)
    });
    call.ctx.gate()?;
    call.ctx
        .check(4644, || c.contact_groups.iter().any(|x| x.end.is_none()));
    call.ctx.check(8192, || {
        c.contact_groups.iter().any(|x| x.start > start)
            || c.person_categories.iter().any(|p| p.incident > start)
    });
    let previous = c
        .contact_groups
        .iter()
        .filter(|x| x.start <= start)
        .max_by_key(|x| x.start)
        .map(|x| x.type_id);
    call.ctx.check(8096, || {
        ty.is_some() && previous.is_some() && previous == ty
    });
    let enrolled = domain::enrolled_at(c, start);
    call.ctx.check(4731, || ty == Some(dp) && !enrolled);
    call.ctx.check(4919, || g.end.is_some() && enrolled);
    let absent = domain::absence_at(c, None, start);
    let for_illness = ty.is_some_and(|t| domain::illness_contact_groups().contains(&t));
    call.ctx.check(8190, || for_illness && !absent);
    call.ctx.check(4645, || !for_illness && absent);
    call.ctx.gate()?;
    call_systems(call, c)?;
    let id = Uuid::new_v4();
    if call.known {
        call.app.store.index(id, &c.cpr, ItemKind::ContactGroup);
    }
    c.contact_groups.push(ContactGroup {
        id,
        type_id: ty.unwrap_or_default(),
        start,
        end: g.end,
        event_time: g.event.unwrap_or(start),
    });
    Ok(call.receipt(Some(id)))
}

/// UpdateContactGroup, in order: the contact group (4589), what cannot change (4646, 4647,
/// 8065), the end (4648, 4669, 4644, 4919, 9370), then the external systems.
fn update_contact_group(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = call.uuid("MessageIdentifier");
    let pos = id.and_then(|id| c.contact_groups.iter().position(|g| g.id == id));
    call.ctx.check(4589, || pos.is_none());
    call.ctx.gate()?;
    let Some(pos) = pos else {
        return Ok(call.receipt(id));
    };
    let g = read_group(call);
    let old = c.contact_groups[pos].clone();
    let now = call.now;
    let today = call.today();
    call.ctx
        .check(4646, || g.type_id.is_some_and(|t| t != old.type_id));
    call.ctx
        .check(4647, || g.start.is_some_and(|s| s != old.start));
    call.ctx
        .check(8065, || g.event.is_some_and(|e| e != old.event_time));
    call.ctx.gate()?;
    call.ctx
        .check(4648, || g.end.is_some_and(|e| local_date(e, now) < today));
    call.ctx
        .check(4669, || g.end.is_some_and(|e| e < old.start));
    call.ctx.check(4644, || {
        g.end.is_none()
            && c.contact_groups
                .iter()
                .any(|x| x.id != old.id && x.end.is_none())
    });
    let enrolled = domain::enrolled_at(c, now);
    call.ctx.check(4919, || g.end.is_some() && enrolled);
    call.ctx
        .check(9370, || g.end.is_some() && domain::absence_at(c, None, now));
    call.ctx.gate()?;
    call_systems(call, c)?;
    c.contact_groups[pos].end = g.end;
    Ok(call.receipt(Some(old.id)))
}

/// A health limitation as the request states it.
struct HealthInput {
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
}

fn read_health(call: &Call<'_>) -> HealthInput {
    HealthInput {
        start: call.instant("HealthLimitation/StartDate"),
        end: call.instant("HealthLimitation/EndDate"),
    }
}

fn check_health_dates(call: &mut Call<'_>, h: &HealthInput) {
    let now = call.now;
    let today = call.today();
    call.ctx
        .check(4668, || h.start.is_some_and(|s| local_date(s, now) < today));
    call.ctx.check(4669, || match (h.start, h.end) {
        (Some(s), Some(e)) => e < s,
        _ => false,
    });
    call.ctx
        .check(4742, || h.end.is_some_and(|e| local_date(e, now) < today));
}

/// CreateHealthLimitation: the start is today or later (4668), the end not before the start
/// (4669) nor before today (4742).
fn create_health_limitation(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let h = read_health(call);
    check_health_dates(call, &h);
    call.ctx.gate()?;
    let id = Uuid::new_v4();
    if call.known {
        call.app.store.index(id, &c.cpr, ItemKind::HealthLimitation);
    }
    c.health_limitations.push(HealthLimitation {
        id,
        start: h.start.unwrap_or(call.now),
        end: h.end,
    });
    Ok(call.receipt(Some(id)))
}

fn find_health(call: &mut Call<'_>, c: &Citizen) -> Result<Option<usize>, Rejection> {
    let id = call.uuid("MessageIdentifier");
    let pos = id.and_then(|id| c.health_limitations.iter().position(|h| h.id == id));
    call.ctx.check(4589, || pos.is_none());
    call.ctx.gate()?;
    Ok(pos)
}

/// UpdateHealthLimitation: the limitation (4589), the start cannot change (4647), an ended
/// limitation's end cannot change (4748), and the dates as on creation; all of them reported
/// together (which one comes first is the reading error-precedence).
fn update_health_limitation(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let Some(pos) = find_health(call, c)? else {
        return Ok(call.receipt(None));
    };
    let h = read_health(call);
    let old = c.health_limitations[pos].clone();
    let now = call.now;
    let today = call.today();
    call.ctx
        .check(4647, || h.start.is_some_and(|s| s != old.start));
    call.ctx.check(4748, || {
        old.end.is_some_and(|e| local_date(e, now) < today) && h.end != old.end
    });
    check_health_dates(call, &h);
    call.ctx.gate()?;
    c.health_limitations[pos].end = h.end;
    Ok(call.receipt(Some(old.id)))
}

/// DeleteHealthLimitation: the limitation (4589); an ended one cannot be deleted (4743); one
/// that has started cannot either (4668).
fn delete_health_limitation(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let Some(pos) = find_health(call, c)? else {
        return Ok(call.receipt(None));
    };
    let old = c.health_limitations[pos].clone();
    let now = call.now;
    let today = call.today();
    call.ctx
        .check(4743, || old.end.is_some_and(|e| local_date(e, now) < today));
    call.ctx.gate()?;
    call.ctx.check(4668, || local_date(old.start, now) < today);
    call.ctx.gate()?;
    c.health_limitations.remove(pos);
    call.app.store.unindex(&old.id);
    Ok(call.receipt(Some(old.id)))
}

/// The marking dates against the project and the citizen's other markings.
fn check_marking_dates(
    call: &mut Call<'_>,
    c: &Citizen,
    project: Uuid,
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    own: Option<Uuid>,
) -> Result<(), Rejection> {
    let known = call.app.store.project(&project);
    call.ctx.check(4666, || known.is_none());
    call.ctx.gate()?;
    let Some(p) = known else { return Ok(()) };
    let Some(start) = start else { return Ok(()) };
    call.ctx.check(4669, || end.is_some_and(|e| e < start));
    call.ctx.check(4670, || start < p.start);
    // The reading open-end-vs-project-end: an omitted end runs forever, or takes the project's.
    let open_end_exceeds = call.app.reading("open-end-vs-project-end") != "within";
    call.ctx.check(4671, || match (end, p.end) {
        (_, None) => false,
        (None, Some(_)) => open_end_exceeds,
        (Some(e), Some(pe)) => e > pe,
    });
    // The reading touching-periods: closed periods overlap when they touch, half-open ones not.
    let closed = call.app.reading("touching-periods") != "half-open";
    let reaches = |a: DateTime<FixedOffset>, b: DateTime<FixedOffset>| {
        if closed { a >= b } else { a > b }
    };
    call.ctx.check(4672, || {
        c.markings.iter().any(|m| {
            Some(m.id) != own
                && m.project == project
                && m.end.is_none_or(|me| reaches(me, start))
                && end.is_none_or(|e| reaches(e, m.start))
        })
    });
    call.ctx.gate()
}

/// CreatePersonGroupMarking: the project (4666), then the dates (4669, 4670, 4671, 4672).
fn create_marking(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let project = call
        .uuid("PersonGroupMarking/PersonGroupProjectIdentifier")
        .unwrap_or_else(Uuid::nil);
    let start = call.instant("PersonGroupMarking/PersonGroupMarkingStartTime");
    let end = call.instant("PersonGroupMarking/PersonGroupMarkingEndTime");
    check_marking_dates(call, c, project, start, end, None)?;
    let id = Uuid::new_v4();
    if call.known {
        call.app.store.index(id, &c.cpr, ItemKind::Marking);
    }
    c.markings.push(Marking {
        id,
        project,
        start: start.unwrap_or(call.now),
        end,
        created_by: Some(call.req.caller.code.clone()),
    });
    Ok(call.receipt(Some(id)))
}

/// The marking a request names (4589) and whether the caller may change it (9407).
fn find_marking(call: &mut Call<'_>, c: &Citizen) -> Result<Option<usize>, Rejection> {
    let id = call.uuid("MessageIdentifier");
    let pos = id.and_then(|id| c.markings.iter().position(|m| m.id == id));
    call.ctx.check(4589, || pos.is_none());
    call.ctx.gate()?;
    let Some(pos) = pos else { return Ok(None) };
    let code = call.req.caller.code.clone();
    let creator = c.markings[pos].created_by.as_deref() == Some(code.as_str());
    let jobcentre = call.req.caller.organisation == OrganisationType::JobCenter
        && c.jobcenter.as_deref() == Some(code.as_str());
    call.ctx.check(9407, || !creator && !jobcentre);
    call.ctx.gate()?;
    Ok(Some(pos))
}

/// UpdatePersonGroupMarking: the marking (4589, 9407), the start not before today (4668), then
/// the dates against the project (4666, 4669, 4670, 4671, 4672).
fn update_marking(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let Some(pos) = find_marking(call, c)? else {
        return Ok(call.receipt(None));
    };
    let start = call.instant("PersonGroupMarkingStartTime");
    let end = call.instant("PersonGroupMarkingEndTime");
    let now = call.now;
    let today = call.today();
    call.ctx
        .check(4668, || start.is_some_and(|s| local_date(s, now) < today));
    call.ctx.gate()?;
    let m = c.markings[pos].clone();
    check_marking_dates(call, c, m.project, start, end, Some(m.id))?;
    if let Some(s) = start {
        c.markings[pos].start = s;
    }
    c.markings[pos].end = end;
    Ok(call.receipt(Some(m.id)))
}

/// DeletePersonGroupMarking: the marking (4589, 9407); one that has started cannot be deleted
/// (4668).
fn delete_marking(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let Some(pos) = find_marking(call, c)? else {
        return Ok(call.receipt(None));
    };
    let m = c.markings[pos].clone();
    let now = call.now;
    let today = call.today();
    call.ctx.check(4668, || local_date(m.start, now) < today);
    call.ctx.gate()?;
    c.markings.remove(pos);
    call.app.store.unindex(&m.id);
    Ok(call.receipt(Some(m.id)))
}

/// UpdatePersonJobcenter: the jobcentre must exist (4695); the old one becomes a former one.
fn update_person_jobcenter(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let code = call
        .str("UpdatePersonJobcenter/JobCenterIdentifier")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let known = domain::jobcentre_known(call, c, &code);
    call.ctx.check(4695, || !known);
    call.ctx.gate()?;
    if c.jobcenter.as_deref() != Some(code.as_str()) {
        if let Some(old) = c.jobcenter.take()
            && !c.former_jobcenters.contains(&old)
        {
            c.former_jobcenters.push(old);
        }
        c.jobcenter = Some(code);
    }
    Ok(call.receipt(None))
}

/// RegisterUnemploymentFundParticipation(Choice): the choice is remembered.
fn register_participation(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let choice = call
        .bool("UnemploymentFundParticipationUnwanted")
        .map(|unwanted| !unwanted)
        .or_else(|| call.bool("UnemploymentFundParticipation"));
    c.fund_participation = choice;
    Ok(call.receipt(None))
}

/// RegisterUnemploymentFundParticipationCv ("ikke i brug"): names the citizen by CV customer
/// number, which the reference does not know; accepted without effect.
fn register_participation_cv(call: &mut Call<'_>, _c: &mut Citizen) -> Result<Value, Rejection> {
    Ok(call.receipt(None))
}
