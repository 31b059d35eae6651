//! Interviews (samtaler) and their participants: the rules PersonRegistrationService
//! (CreatePersonInterview, UpdatePersonInterview, CreatePersonCategoryAndInterview,
//! Add/Update/DeleteInterviewParticipant) and InterviewService (CreateInterview,
//! UpdateInterview, GetInterviewInfo and the participant methods) share — "Der gælder de samme
//! valideringsregler som ved CreatePersonInterview" — plus InterviewService's prose business
//! rules (6053, the resetting-interview rules).
//!
//! The two services name the same things differently (`PersonInterview/MessageIdentifier`
//! became `Interview/InterviewIdentifier`); the readers here accept both.
//!
//! Order of the registration rules: code-list values (4709, 4708, 8176, 8177, 8178), then
//! identifiers (4721, 8240, 4768, 6057), then time (4657, 4653), content (4733, 4734), the
//! interview type (6054, 6055, 6056, 9125, 9126), the contact group (8058, 6058) and earlier
//! resetting interviews (6053). Each group stops evaluation when it finds something.

use chrono::{DateTime, Duration, FixedOffset};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::domain::{self, lists};
use super::{Call, Handler, value_bool, value_int};
use crate::reference::checks::Rejection;
use crate::reference::store::{Citizen, Interview, ItemKind, Participant};
use crate::spec::model::Field;

mod participants;

pub use participants::{add_participant, delete_participant, update_participant};

/// The InterviewService's method names; the participant methods share PersonRegistrationService's.
pub fn handler(service: &str, method: &str) -> Option<Handler> {
    if service != "InterviewService" {
        return None;
    }
    Some(match method {
        "CreateInterview" => create_interview,
        "UpdateInterview" => update_interview,
        "GetInterviewInfo" => get_interview_info,
        "AddInterviewParticipant" => add_participant,
        "UpdateInterviewParticipant" => update_participant,
        "DeleteInterviewParticipant" => delete_participant,
        _ => return None,
    })
}

/// The registration rules every interview-creating method checks.
pub const REGISTRATION_CHECKS: &[(u32, &str)] = &[
    (
        4709,
        "InterviewTypeIdentifier must be a known samtaletype value (the overlay\'s list, or 1-99)",
    ),
    (
        4708,
        "InterviewContactTypeIdentifier must be a known kontaktform value (the overlay\'s list, or 1-99)",
    ),
    (
        8176,
        "ParticipationStatusTypeIdentifier must be a known deltagelsesstatus value (the overlay\'s list, or 1-99)",
    ),
    (
        8177,
        "InterviewParticipantContactTypeIdentifier must be a known kontaktform value (the overlay\'s list, or 1-99)",
    ),
    (
        8178,
        "InterviewParticipantTypeIdentifier must be a known deltagertype value (the overlay\'s list, or 1-99)",
    ),
    (4721, "a new interview's identifier must not be in use"),
    (8240, "a new participant's MessageIdentifier cannot be set"),
    (4768, "a BookingIdentifier must be known to the system"),
    (6057, "a BookingIdentifier must belong to the citizen"),
    (4657, "InterviewTime cannot be after now"),
    (
        4653,
        "InterviewTime cannot be more than 7 days before today",
    ),
    (4733, "AgreementDescription cannot contain HTML tags"),
    (
        4734,
        "AgreementDescription must contain more than white space",
    ),
    (
        6054,
        "the rehab-team interview needs InterviewWithMoreAuthorities true",
    ),
    (
        6055,
        "an interview with more authorities needs a participant",
    ),
    (
        6056,
        "an interview with more authorities needs a participation status",
    ),
    (
        9125,
        "a rehab-team interview's participation status must be 5 or 6",
    ),
    (
        9126,
        "an interview with more authorities needs participation status 1-4",
    ),
    (
        8058,
        "an interview needs a contact group in force on its day",
    ),
    (
        6058,
        "the rehab-team interview needs a current illness for contact groups 1 and 2",
    ),
    (
        6053,
        "an interview cannot be before (or, if resetting, at) a resetting interview",
    ),
];

/// The update rules (besides the registration rules the method documents).
pub const UPDATE_CHECKS: &[(u32, &str)] = &[
    (
        4589,
        "the interview identifier must name an interview of the citizen",
    ),
    (8184, "the interview's date cannot change"),
    (8187, "InterviewTypeIdentifier cannot change"),
    (8188, "InterviewWithMoreAuthorities cannot change"),
];

/// The participant rules.
pub const PARTICIPANT_CHECKS: &[(u32, &str)] = &[
    (
        4589,
        "the interview and participant identifiers must be known",
    ),
    (8237, "the interview must belong to the citizen"),
    (
        8177,
        "InterviewParticipantContactTypeIdentifier must be a known kontaktform value (the overlay\'s list, or 1-99)",
    ),
    (
        8188,
        "participants can only be added to an interview with more authorities",
    ),
    (8240, "a new participant's MessageIdentifier cannot be set"),
    (8197, "the participant must belong to the citizen"),
    (8198, "the participant must belong to the named interview"),
];

pub fn checks(service: &str, method: &str) -> Vec<(u32, &'static str)> {
    if service != "InterviewService" {
        return Vec::new();
    }
    match method {
        "CreateInterview" => REGISTRATION_CHECKS.to_vec(),
        "UpdateInterview" => UPDATE_CHECKS
            .iter()
            .chain(REGISTRATION_CHECKS)
            .copied()
            .collect(),
        "AddInterviewParticipant" | "UpdateInterviewParticipant" | "DeleteInterviewParticipant" => {
            PARTICIPANT_CHECKS.to_vec()
        }
        _ => Vec::new(),
    }
}

/// An interview as a request states it.
#[derive(Debug, Clone)]
pub struct InterviewInput {
    /// The element holding it (`PersonInterview` or `Interview`).
    pub root: &'static str,
    pub id: Option<Uuid>,
    /// The id field was present but not a uuid (validation switched off).
    pub type_id: Option<i64>,
    pub booking: Option<Uuid>,
    pub time: Option<DateTime<FixedOffset>>,
    pub contact_type: Option<i64>,
    pub more_authorities: bool,
    pub status: Option<i64>,
    pub participants: Vec<ParticipantInput>,
    pub agreement: Option<String>,
    pub record: Value,
}

#[derive(Debug, Clone)]
pub struct ParticipantInput {
    pub id: Option<Uuid>,
    pub id_given: bool,
    pub name: String,
    pub contact_type: Option<i64>,
    pub type_id: Option<i64>,
    pub external_id: Option<String>,
}

const ID_NAMES: [&str; 3] = [
    "MessageIdentifier",
    "InterviewIdentifier",
    "PersonInterviewIdentifier",
];
const PARTICIPANT_ID_NAMES: [&str; 2] = ["MessageIdentifier", "InterviewParticipantIdentifier"];

fn uuid_of(v: Option<&Value>) -> Option<Uuid> {
    v.and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
}

fn first_key<'a>(map: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| map.get(*n))
}

fn participant_from(v: &Value) -> ParticipantInput {
    let m = v.as_object().cloned().unwrap_or_default();
    let id_value = first_key(&m, &PARTICIPANT_ID_NAMES);
    ParticipantInput {
        id: uuid_of(id_value),
        id_given: id_value.is_some(),
        name: m
            .get("InterviewParticipantName")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        contact_type: m
            .get("InterviewParticipantContactTypeIdentifier")
            .and_then(value_int),
        type_id: m
            .get("InterviewParticipantTypeIdentifier")
            .and_then(value_int),
        external_id: m
            .get("ExternalAuthorityParticipantId")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    }
}

/// Reads the interview element of a request.
pub fn read(call: &Call<'_>) -> InterviewInput {
    let root = if call.input("Interview").is_some() {
        "Interview"
    } else {
        "PersonInterview"
    };
    let m = call
        .input(root)
        .and_then(|v| v.as_object())
        .cloned()
        .unwrap_or_default();
    let participants = call
        .items(&format!(
            "{root}/InterviewParticipantCollection/InterviewParticipant"
        ))
        .into_iter()
        .chain(call.items(&format!(
            "{root}/InterviewParticipantCollection/InterviewParticipantType"
        )))
        .map(participant_from)
        .collect();
    let offset = *call.now.offset();
    InterviewInput {
        root,
        id: uuid_of(first_key(&m, &ID_NAMES)),
        type_id: m.get("InterviewTypeIdentifier").and_then(value_int),
        booking: uuid_of(m.get("BookingIdentifier")),
        time: m
            .get("InterviewTime")
            .and_then(|v| v.as_str())
            .and_then(|s| crate::reference::xsdtime::parse_instant(s, offset)),
        contact_type: m.get("InterviewContactTypeIdentifier").and_then(value_int),
        more_authorities: m
            .get("InterviewWithMoreAuthorities")
            .and_then(value_bool)
            .unwrap_or(false),
        status: m
            .get("ParticipationStatusTypeIdentifier")
            .and_then(value_int),
        participants,
        agreement: m
            .get("AgreementDescription")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        record: Value::Object(m),
    }
}

/// Checks the registration rules. `existing` is the interview being updated, if any.
pub fn check_registration(
    call: &mut Call<'_>,
    c: &Citizen,
    inp: &InterviewInput,
    existing: Option<&Interview>,
) -> Result<(), Rejection> {
    let rehab = domain::rehab_interview(call);
    // Code-list values.
    let type_ok = inp
        .type_id
        .is_none_or(|t| domain::valid(call, lists::SAMTALETYPE, t));
    let contact_ok = inp
        .contact_type
        .is_none_or(|t| domain::valid(call, lists::KONTAKTFORM, t));
    let status_ok = inp
        .status
        .is_none_or(|s| domain::valid(call, lists::DELTAGELSESSTATUS, s));
    let p_contact_ok = inp.participants.iter().all(|p| {
        p.contact_type
            .is_none_or(|t| domain::valid(call, lists::KONTAKTFORM, t))
    });
    let p_type_ok = inp.participants.iter().all(|p| {
        p.type_id
            .is_none_or(|t| domain::valid(call, lists::DELTAGERTYPE, t))
    });
    call.ctx.check(4709, || !type_ok);
    call.ctx.check(4708, || !contact_ok);
    call.ctx.check(8176, || !status_ok);
    call.ctx.check(8177, || !p_contact_ok);
    call.ctx.check(8178, || !p_type_ok);
    call.ctx.gate()?;

    // Identifiers.
    let store = &call.app.store;
    if existing.is_none() {
        let taken = inp.id.is_some_and(|id| store.owner(&id).is_some());
        call.ctx.check(4721, || taken);
        let participant_ids = inp.participants.iter().any(|p| p.id_given);
        call.ctx.check(8240, || participant_ids);
    }
    if let Some(booking) = inp.booking {
        let owner = store
            .owner(&booking)
            .filter(|(_, k)| *k == ItemKind::Booking);
        let mine = owner.as_ref().is_some_and(|(cpr, _)| *cpr == c.cpr)
            && c.bookings.iter().any(|b| b.id == booking);
        let unknown = owner.is_none();
        if call.ctx.documents(4768) {
            call.ctx.check(4768, || unknown);
            call.ctx.check(6057, || !unknown && !mine);
        } else {
            call.ctx.check(6057, || !mine);
        }
    }
    call.ctx.gate()?;

    let now = call.now;
    let today = call.today();
    if let Some(t) = inp.time {
        call.ctx.check(4657, || t > now);
        // The reading seven-day-rule: by calendar date, or by the instant.
        let by_instant = call.app.reading("seven-day-rule") == "instant";
        call.ctx.check(4653, || {
            if by_instant {
                t < now - Duration::days(7)
            } else {
                t.with_timezone(now.offset()).date_naive() < today - Duration::days(7)
            }
        });
    }
    if let Some(a) = &inp.agreement {
        call.ctx.check(4733, || domain::has_html_tag(a));
        call.ctx.check(4734, || a.trim().is_empty());
    }
    if let Some(ty) = inp.type_id {
        let is_rehab = ty == rehab;
        // The reading more-authorities-types: the rehab team's type, or no type.
        let needs_more = is_rehab && call.app.reading("more-authorities-types") != "none";
        call.ctx.check(6054, || needs_more && !inp.more_authorities);
        call.ctx
            .check(6055, || inp.more_authorities && inp.participants.is_empty());
        // The reading rehab-exemptions: whether the rehab team's "kan" exempts it from the
        // general rule that more authorities need a participation status.
        let exempt = is_rehab && call.app.reading("rehab-exemptions") == "status-optional";
        call.ctx.check(6056, || {
            inp.more_authorities && !exempt && inp.status.is_none()
        });
        call.ctx.check(9125, || {
            is_rehab
                && inp
                    .status
                    .is_some_and(|s| !domain::REHAB_PARTICIPATION.contains(&s))
        });
        call.ctx.check(9126, || {
            inp.more_authorities
                && !is_rehab
                && inp
                    .status
                    .is_some_and(|s| !domain::AKASSE_PARTICIPATION.contains(&s))
        });
        if let Some(t) = inp.time {
            let group = domain::interview_contact_group(call, c, t);
            call.ctx.check(8058, || group.is_none());
            let needs_illness = group.is_some_and(|g| {
                g.type_id == domain::dagpengemodtager(call) || g.type_id == domain::kth(call)
            });
            let ill = domain::absence_at(c, Some(domain::illness(call)), t);
            call.ctx.check(6058, || is_rehab && needs_illness && !ill);
            let resetting = domain::resets(call, ty);
            let own = existing.map(|e| e.id);
            call.ctx.check(6053, || {
                c.interviews.iter().filter(|i| Some(i.id) != own).any(|i| {
                    (i.resetting && (i.time > t || (resetting && i.time == t)))
                        || (i.type_id == ty && i.time == t)
                })
            });
        }
    }
    call.ctx.gate()
}

/// Stores a new interview (or replaces one) and answers it with its identifiers set.
pub fn store_interview(
    call: &Call<'_>,
    c: &mut Citizen,
    inp: &InterviewInput,
    existing: Option<Uuid>,
) -> Interview {
    let id = existing.or(inp.id).unwrap_or_else(Uuid::new_v4);
    let known = call.known;
    let store = &call.app.store;
    if known && existing.is_none() {
        store.index(id, &c.cpr, ItemKind::Interview);
    }
    let old: Vec<Participant> = c
        .interviews
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.participants.clone())
        .unwrap_or_default();
    let mut participants = Vec::new();
    for p in &inp.participants {
        let keep = p.id.filter(|pid| old.iter().any(|o| o.id == *pid));
        let pid = keep.unwrap_or_else(Uuid::new_v4);
        if known && keep.is_none() {
            store.index(pid, &c.cpr, ItemKind::Participant);
        }
        participants.push(Participant {
            id: pid,
            name: p.name.clone(),
            external_id: p.external_id.clone(),
            contact_type: p.contact_type,
            type_id: p.type_id,
        });
    }
    for o in &old {
        if !participants.iter().any(|p| p.id == o.id) {
            store.unindex(&o.id);
        }
    }
    let interview = Interview {
        id,
        type_id: inp.type_id.unwrap_or_default(),
        time: inp.time.unwrap_or(call.now),
        resetting: inp.type_id.is_some_and(|t| domain::resets(call, t)),
        with_more_authorities: inp.more_authorities,
        registered_by: Some(call.req.caller.code.clone()),
        participants,
        booking: inp.booking,
        contact_type: inp.contact_type,
        participation_status: inp.status,
        record: inp.record.clone(),
        registered_at: Some(call.now),
    };
    match c.interviews.iter_mut().find(|i| i.id == id) {
        Some(slot) => *slot = interview.clone(),
        None => c.interviews.push(interview.clone()),
    }
    interview
}

/// The interview as the services answer it: the request's element with the identifiers set.
pub fn answer(inp: &InterviewInput, interview: &Interview) -> Value {
    let mut record = inp.record.as_object().cloned().unwrap_or_default();
    let id_key = ID_NAMES
        .iter()
        .find(|k| record.contains_key(**k))
        .copied()
        .unwrap_or(if inp.root == "Interview" {
            "InterviewIdentifier"
        } else {
            "MessageIdentifier"
        });
    record.insert(id_key.to_string(), json!(interview.id.to_string()));
    if let Some(Value::Object(coll)) = record.get_mut("InterviewParticipantCollection") {
        for key in ["InterviewParticipant", "InterviewParticipantType"] {
            if let Some(items) = coll.get_mut(key) {
                let list: Vec<&mut Value> = match items {
                    Value::Array(a) => a.iter_mut().collect(),
                    other => vec![other],
                };
                for (item, p) in list.into_iter().zip(&interview.participants) {
                    if let Value::Object(m) = item {
                        let k = PARTICIPANT_ID_NAMES
                            .iter()
                            .find(|k| m.contains_key(**k))
                            .copied()
                            .unwrap_or("MessageIdentifier");
                        m.insert(k.to_string(), json!(p.id.to_string()));
                    }
                }
            }
        }
    }
    Value::Object(record)
}

/// The interview of the citizen named by the request's identifier, or 4589.
fn find_own(call: &mut Call<'_>, c: &Citizen, id: Option<Uuid>) -> Result<Interview, Rejection> {
    let found = id.and_then(|id| c.interviews.iter().find(|i| i.id == id).cloned());
    call.ctx.check(4589, || found.is_none());
    call.ctx.gate()?;
    // Switched off: carry on with a blank interview, so nothing is found to compare.
    Ok(found.unwrap_or_else(|| blank_interview(call)))
}

fn blank_interview(call: &Call<'_>) -> Interview {
    Interview {
        id: Uuid::new_v4(),
        type_id: 0,
        time: call.now,
        resetting: false,
        with_more_authorities: false,
        registered_by: None,
        participants: Vec::new(),
        booking: None,
        contact_type: None,
        participation_status: None,
        record: json!({}),
        registered_at: None,
    }
}

pub fn create(
    call: &mut Call<'_>,
    c: &mut Citizen,
) -> Result<(InterviewInput, Interview), Rejection> {
    let inp = read(call);
    check_registration(call, c, &inp, None)?;
    let interview = store_interview(call, c, &inp, None);
    Ok((inp, interview))
}

fn create_interview(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let (inp, interview) = create(call, c)?;
    Ok(created_answer(call, &inp, &interview))
}

/// What a creating method answers, by its output: the interview with its identifiers
/// (CreatePersonInterviewResponse), else a receipt carrying the interview's identifier.
pub fn created_answer(call: &Call<'_>, inp: &InterviewInput, interview: &Interview) -> Value {
    let fields = call.output_fields();
    match fields
        .iter()
        .find(|f| f.name == "PersonInterview" || f.name == "Interview")
    {
        Some(f) => json!({ f.name.clone(): answer(inp, interview) }),
        None => call.receipt(Some(interview.id)),
    }
}

/// UpdatePersonInterview / UpdateInterview.
pub fn update(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let inp = read(call);
    let existing = find_own(call, c, inp.id)?;
    let now = call.now;
    call.ctx.check(8184, || {
        inp.time.is_some_and(|t| {
            t.with_timezone(now.offset()).date_naive()
                != existing.time.with_timezone(now.offset()).date_naive()
        })
    });
    call.ctx
        .check(8187, || inp.type_id.is_some_and(|t| t != existing.type_id));
    call.ctx.check(8188, || {
        inp.more_authorities != existing.with_more_authorities
    });
    call.ctx.gate()?;
    check_registration(call, c, &inp, Some(&existing))?;
    let interview = store_interview(call, c, &inp, Some(existing.id));
    Ok(call.receipt(Some(interview.id)))
}

fn update_interview(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    update(call, c)
}

/// The interview a participant request names: `PersonInterviewIdentifier`/`InterviewIdentifier`.
fn named_interview(call: &Call<'_>) -> Option<Uuid> {
    ["PersonInterviewIdentifier", "InterviewIdentifier"]
        .iter()
        .find_map(|k| call.uuid(k))
}

/// GetInterviewInfo: every interview of the citizen, shaped by the spec's output tree.
fn get_interview_info(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    // The reading interview-info-input: the input is cut off in the excerpt; under `refused`
    // the real input names a citizen, so a request without one fails validation.
    if call.app.reading("interview-info-input") == "refused" {
        return Err(Rejection::Codes(vec![1014]));
    }
    // The document's list of what an a-kasse may see is cut off in the excerpt ("Samtaler
    // a-kasse har adgang til at se ..."), so every caller sees every interview of the citizen.
    let items: Vec<Value> = c.interviews.iter().map(canonical).collect();
    Ok(collection_answer(
        call.output_fields(),
        items,
        "InterviewTypeIdentifier",
        false,
    ))
}

/// A stored interview with every name either service uses for its parts.
fn canonical(i: &Interview) -> Value {
    let mut m = i.record.as_object().cloned().unwrap_or_default();
    let id = json!(i.id.to_string());
    for k in ID_NAMES {
        m.insert(k.to_string(), id.clone());
    }
    m.insert(
        "InterviewTypeIdentifier".into(),
        json!(i.type_id.to_string()),
    );
    m.insert("InterviewTime".into(), json!(i.time.to_rfc3339()));
    m.insert(
        "InterviewWithMoreAuthorities".into(),
        json!(i.with_more_authorities.to_string()),
    );
    if let Some(b) = i.booking {
        m.insert("BookingIdentifier".into(), json!(b.to_string()));
    }
    if let Some(t) = i.registered_at {
        m.insert("RegistrationDateTime".into(), json!(t.to_rfc3339()));
        m.insert("EventDateTime".into(), json!(t.to_rfc3339()));
    }
    let participants: Vec<Value> = i
        .participants
        .iter()
        .map(|p| {
            let mut pm = Map::new();
            for k in PARTICIPANT_ID_NAMES {
                pm.insert(k.to_string(), json!(p.id.to_string()));
            }
            pm.insert("InterviewParticipantName".into(), json!(p.name));
            if let Some(t) = p.contact_type {
                pm.insert(
                    "InterviewParticipantContactTypeIdentifier".into(),
                    json!(t.to_string()),
                );
            }
            if let Some(t) = p.type_id {
                pm.insert(
                    "InterviewParticipantTypeIdentifier".into(),
                    json!(t.to_string()),
                );
            }
            if let Some(e) = &p.external_id {
                pm.insert("ExternalAuthorityParticipantId".into(), json!(e));
            }
            Value::Object(pm)
        })
        .collect();
    if !participants.is_empty() {
        m.insert(
            "InterviewParticipantCollection".into(),
            json!({"InterviewParticipant": participants, "InterviewParticipantType": participants}),
        );
    }
    Value::Object(m)
}

/// Places `items` at the repeated element of `fields` whose children include `marker`,
/// inside the elements above it, and projects each item onto that element's fields. With
/// `collapse` (JSON), the innermost wrapper holds the array itself (`{"ydelser": [...]}`).
pub fn collection_answer(
    fields: &[Field],
    items: Vec<Value>,
    marker: &str,
    collapse: bool,
) -> Value {
    fn path_to<'a>(fields: &'a [Field], marker: &str, trail: &mut Vec<&'a Field>) -> bool {
        for f in fields {
            trail.push(f);
            if f.occurs.is_repeated() && f.children.iter().any(|c| c.name == marker) {
                return true;
            }
            if path_to(&f.children, marker, trail) {
                return true;
            }
            trail.pop();
        }
        false
    }
    let mut trail = Vec::new();
    if !path_to(fields, marker, &mut trail) {
        return json!({});
    }
    let Some(item_field) = trail.pop() else {
        return json!({});
    };
    let projected = Value::Array(
        items
            .iter()
            .map(|i| project(&item_field.children, i))
            .collect(),
    );
    let mut value = if collapse && !trail.is_empty() {
        projected
    } else {
        json!({ item_field.name.clone(): projected })
    };
    for f in trail.iter().rev() {
        value = json!({ f.name.clone(): value });
    }
    value
}

/// Keeps the members of `source` the fields name (by current or former name), recursively.
pub fn project(fields: &[Field], source: &Value) -> Value {
    let Some(map) = source.as_object() else {
        return source.clone();
    };
    let mut out = Map::new();
    for f in fields {
        let v = map
            .get(&f.name)
            .or_else(|| f.former_name.as_ref().and_then(|n| map.get(n)));
        let Some(v) = v else { continue };
        let v = if f.children.is_empty() {
            v.clone()
        } else {
            match v {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| project(&f.children, i)).collect())
                }
                other => project(&f.children, other),
            }
        };
        out.insert(f.name.clone(), v);
    }
    Value::Object(out)
}
