//! Deriving setup calls from `given`: the parts of a citizen's state that the services' own
//! methods can create are created through them, on a pool citizen that satisfies the rest.
//! The main type here is [`Deriver`].
//!
//! What can be derived, and what cannot:
//!
//! | `given` part | derived through | |
//! | --- | --- | --- |
//! | `citizen.contact_groups` | PersonRegistrationService/CreateContactGroup, one call per group, in order; `${ids.NAME}` is the receipt's `MessageIdentifier` | yes |
//! | `citizen.absences` of type 11 (sygdom) with only a start and an end | SygemeldingService/CreateSygemelding, one call per absence after the contact groups; `fravaerIdentifier` is a fresh UUID, which is `${ids.NAME}`; `Anmeldelsesdato` is the day of the call (reading `derive.sick-leave-reported-today`) | yes |
//! | `citizen.health_limitations` | PersonRegistrationService/CreateHealthLimitation, after the sick leave; `HealthLimitationDocumentation` true (reading `derive.health-limitation-documented`); `${ids.NAME}` is the receipt's `MessageIdentifier`; a start in the past is refused (4668) | yes |
//! | `citizen.interviews` not resetting, registered by an organisation the target has a role for | PersonRegistrationService/CreatePersonInterview as that role, last (a contact group must be in force on the day); its participants in the same call's InterviewParticipantCollection; what `given` does not hold by reading `derive.interview-details` (contact form 6, participant type 1, participation status 1 or 5 with more authorities, konform as authority name, case worker and agreement); `${ids.NAME}` are the receipt's `MessageIdentifier`s | yes |
//! | `status`, `birth_date` | — a CPR's existence, death and birth date are facts of the CPR register | no |
//! | `jobcenter`, `kommune`, `former_jobcenters`, `akasse`, `anden_aktoer` | — affiliations the documents give no creating method for (UpdatePersonJobcenter moves a citizen, it does not set a history) | no |
//! | `enrollment`, `person_categories`, other `absences`, `bookings`, other `interviews`, `markings`, `ydelser`, `moves`, `projects` | — not yet, or their methods do not exist (enrollment, projects, moves); a resetting interview is not what CreatePersonInterview makes | no |
//! | `has_cv_number`, `failing_systems` | — simulated external systems | no |
//!
//! A derived call the target refuses makes the case not applicable, with the target's answer
//! as the reason (the reference, for one, refuses a contact group starting before today with
//! 4703): a case never passes on preconditions that were not established.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::ProvisionError;
use crate::plan::MethodInfo;
use crate::spec::Spec;
use crate::target::{Exchange, RenderedRequest, Target};

/// The service and method contact groups are created through.
pub const CONTACT_GROUP_METHOD: (&str, &str) = ("PersonRegistrationService", "CreateContactGroup");
/// The service and method sick leave (absences of type 11) is created through.
pub const SICK_LEAVE_METHOD: (&str, &str) = ("SygemeldingService", "CreateSygemelding");
/// The service and method health limitations are created through.
pub const HEALTH_LIMITATION_METHOD: (&str, &str) =
    ("PersonRegistrationService", "CreateHealthLimitation");
/// The service and method interviews are created through.
pub const INTERVIEW_METHOD: (&str, &str) = ("PersonRegistrationService", "CreatePersonInterview");
/// Reading `derive.interview-details`: `given` holds no contact form for an interview or its
/// participants; 6 ("møde direkte på arbejde") is the one value the overlay's `kontaktform`
/// code list names.
const CONTACT_FORM: i64 = 6;
/// Reading `derive.interview-details`: the documents give no value of the participant-role
/// code list (InterviewParticipantTypeIdentifier); the cases send 1.
const PARTICIPANT_TYPE: i64 = 1;
/// The interview type "Samtale i rehabiliteringsteam", whose participation status is 5 or 6
/// (003_580c854b6cb0522c.txt:50, 9125).
const REHAB_TEAM: i64 = 18;
/// The absence type CreateSygemelding creates (`code_lists.fravaerType.sygdom`).
const SICK: i64 = 11;

/// The parts of a wanted state to create through the services' own methods, in dependency
/// order: contact groups, then sick leave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    pub contact_groups: Vec<Value>,
    pub sick_leave: Vec<Value>,
    pub health_limitations: Vec<Value>,
    pub interviews: Vec<Value>,
}

impl Derived {
    /// The number of setup calls.
    pub fn calls(&self) -> usize {
        self.contact_groups.len()
            + self.sick_leave.len()
            + self.health_limitations.len()
            + self.interviews.len()
    }

    /// The derived items, as one value (for comparing times).
    pub fn as_value(&self) -> Value {
        json!({
            "contact_groups": self.contact_groups,
            "absences": self.sick_leave,
            "health_limitations": self.health_limitations,
            "interviews": self.interviews,
        })
    }
}

/// Which parts of a wanted state to derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub contact_groups: bool,
    pub sick_leave: bool,
    pub health_limitations: bool,
    pub interviews: bool,
}

impl Parts {
    /// Every part.
    pub const ALL: Parts = Parts {
        contact_groups: true,
        sick_leave: true,
        health_limitations: true,
        interviews: true,
    };

    /// The choices, fewest kinds of setup call first: a pool citizen that has a part is better
    /// than one the part must be created for (a method may refuse a time in the past). Among
    /// as many kinds: sick leave, health limitations, contact groups, interviews.
    pub fn in_order() -> Vec<Parts> {
        let mut masks: Vec<u32> = (1..16).collect();
        masks.sort_by_key(|m| m.count_ones());
        masks
            .into_iter()
            .map(|m| Parts {
                sick_leave: m & 1 != 0,
                health_limitations: m & 2 != 0,
                contact_groups: m & 4 != 0,
                interviews: m & 8 != 0,
            })
            .collect()
    }
}

/// Makes derived setup calls.
#[derive(Debug, Clone)]
pub struct Deriver {
    method: Option<Arc<MethodInfo>>,
    sick_leave: Option<Arc<MethodInfo>>,
    health: Option<Arc<MethodInfo>>,
    interview: Option<Arc<MethodInfo>>,
    /// The caller role derived calls are made as.
    pub caller: String,
    /// The target's roles: name, organisation code and OrganisationTypeIdentifier (the
    /// role's, else the overlay's), once known ([`Deriver::for_roles`]). An interview is
    /// derived as the role that registered it.
    roles: Vec<(String, String, Option<u32>)>,
}

fn method_info(spec: &Spec, (service, method): (&str, &str)) -> Option<Arc<MethodInfo>> {
    let m = spec.service_method(service, method)?;
    MethodInfo::build(spec, m).ok().map(Arc::new)
}

impl Deriver {
    /// A deriver calling as `caller`, through the methods asked for that the spec has;
    /// `None` when it has neither.
    pub fn new(
        spec: &Spec,
        caller: &str,
        contact_groups: bool,
        sick_leave: bool,
        health_limitations: bool,
        interviews: bool,
    ) -> Option<Deriver> {
        let method = contact_groups
            .then(|| method_info(spec, CONTACT_GROUP_METHOD))
            .flatten();
        let sick = sick_leave
            .then(|| method_info(spec, SICK_LEAVE_METHOD))
            .flatten();
        let health = health_limitations
            .then(|| method_info(spec, HEALTH_LIMITATION_METHOD))
            .flatten();
        let interview = interviews
            .then(|| method_info(spec, INTERVIEW_METHOD))
            .flatten();
        (method.is_some() || sick.is_some() || health.is_some() || interview.is_some()).then(|| {
            Deriver {
                method,
                sick_leave: sick,
                health,
                interview,
                caller: caller.to_string(),
                roles: Vec::new(),
            }
        })
    }

    /// The deriver with the target's roles known: each with its organisation code and its
    /// OrganisationTypeIdentifier or the overlay's for its organisation.
    pub fn for_roles<'a>(
        mut self,
        spec: &Spec,
        roles: impl IntoIterator<Item = (&'a String, &'a crate::target::profile::Role)>,
    ) -> Deriver {
        self.roles = roles
            .into_iter()
            .map(|(name, role)| {
                let type_id = role.organisation_type_identifier.or_else(|| {
                    spec.overlay
                        .organisation_type_ids
                        .iter()
                        .find(|t| t.organisation == role.organisation)
                        .map(|t| t.id)
                });
                (name.clone(), role.code.clone(), type_id)
            })
            .collect();
        self
    }

    /// The role whose organisation registered an interview (its `registered_by` code): the
    /// deriving caller's own role first, else the first with that code.
    fn registrar(&self, code: &str) -> Option<&(String, String, Option<u32>)> {
        self.roles
            .iter()
            .find(|(name, c, _)| c == code && *name == self.caller)
            .or_else(|| self.roles.iter().find(|(_, c, _)| c == code))
    }

    /// Splits a state-change request into what a pool citizen must already satisfy and the
    /// parts to derive; `None` when there is nothing to derive.
    pub fn split(&self, request: &Value, parts: Parts) -> Option<(Value, Derived)> {
        let mut base = request.clone();
        let citizen = base.get_mut("citizen").and_then(Value::as_object_mut)?;
        let mut derived = Derived::default();
        if self.method.is_some()
            && parts.contact_groups
            && let Some(Value::Array(items)) = citizen.get("contact_groups")
            && !items.is_empty()
        {
            derived.contact_groups = items.clone();
            citizen.shift_remove("contact_groups");
        }
        if self.sick_leave.is_some()
            && parts.sick_leave
            && let Some(Value::Array(items)) = citizen.get("absences")
            && !items.is_empty()
            && items.iter().all(is_plain_sick_leave)
        {
            derived.sick_leave = items.clone();
            citizen.shift_remove("absences");
        }
        if self.health.is_some()
            && parts.health_limitations
            && let Some(Value::Array(items)) = citizen.get("health_limitations")
            && !items.is_empty()
        {
            derived.health_limitations = items.clone();
            citizen.shift_remove("health_limitations");
        }
        if self.interview.is_some()
            && parts.interviews
            && let Some(Value::Array(items)) = citizen.get("interviews")
            && !items.is_empty()
            && items.iter().all(|i| {
                is_plain_interview(i)
                    && i.get("registered_by")
                        .and_then(Value::as_str)
                        .is_some_and(|code| self.registrar(code).is_some())
            })
        {
            derived.interviews = items.clone();
            citizen.shift_remove("interviews");
        }
        (derived.calls() > 0).then_some((base, derived))
    }

    /// What the pool could derive, for the not-applicable reason.
    pub fn describe(&self) -> String {
        let mut what = Vec::new();
        if self.method.is_some() {
            what.push("contact groups through CreateContactGroup");
        }
        if self.sick_leave.is_some() {
            what.push("sick leave through CreateSygemelding");
        }
        if self.health.is_some() {
            what.push("health limitations through CreateHealthLimitation");
        }
        if self.interview.is_some() {
            what.push("interviews through CreatePersonInterview");
        }
        what.join(", ")
    }

    /// Creates the derived parts for `cpr`, in dependency order, recording every exchange;
    /// a named item's identifier goes into `ids`, and `created` counts the calls the target
    /// accepted. `today` is the case's date.
    #[allow(clippy::too_many_arguments)]
    pub async fn create(
        &self,
        target: &Target,
        today: chrono::NaiveDate,
        cpr: &str,
        derived: &Derived,
        ids: &mut BTreeMap<String, String>,
        created: &mut usize,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), ProvisionError> {
        if target.role(&self.caller).is_none() {
            return Err(ProvisionError::NotApplicable(format!(
                "derived setup: the target has no caller role `{}` to make setup calls as",
                self.caller
            )));
        }
        if let Some(method) = &self.method {
            self.create_groups(
                method,
                target,
                cpr,
                &derived.contact_groups,
                ids,
                created,
                exchanges,
            )
            .await?;
        }
        if let Some(method) = &self.sick_leave {
            let offset = derived.contact_groups.len();
            for (i, a) in derived.sick_leave.iter().enumerate() {
                let id = uuid::Uuid::new_v4().to_string();
                // dateTime fields: the resolved times as they are, the report at midnight.
                let start = a.get("start").and_then(Value::as_str).map(str::to_string);
                let what = format!(
                    "derived setup {} {} (sick leave {}, from {})",
                    offset + i + 1,
                    method.name,
                    a.get("id").and_then(Value::as_str).unwrap_or("unnamed"),
                    start.as_deref().unwrap_or("?"),
                );
                let mut sygemelding = Map::new();
                sygemelding.insert("fravaerIdentifier".into(), json!(id));
                sygemelding.insert("Startdato".into(), json!(start));
                if let Some(end) = a.get("end").and_then(Value::as_str) {
                    sygemelding.insert("Slutdato".into(), json!(end));
                }
                sygemelding.insert("fravaerType".into(), json!(SICK));
                sygemelding.insert(
                    "Anmeldelsesdato".into(),
                    json!(crate::clock::Clock::midnight(today).rfc3339()),
                );
                let request = RenderedRequest {
                    headers: vec![
                        ("x-requestId".into(), uuid::Uuid::new_v4().to_string()),
                        ("x-civilRegistrationIdentifier".into(), cpr.to_string()),
                    ],
                    body: Some(json!({
                        "PersonCivilRegistrationIdentifier": cpr,
                        "Sygemelding": Value::Object(sygemelding),
                    })),
                    ..RenderedRequest::default()
                };
                let outcome = target.call(method, &self.caller, &request, exchanges).await;
                super::setup::require_success(&what, outcome)?;
                *created += 1;
                if let Some(name) = a.get("id").and_then(Value::as_str) {
                    ids.insert(name.to_string(), id);
                }
            }
        }
        if let Some(method) = &self.health {
            let offset = derived.contact_groups.len() + derived.sick_leave.len();
            for (i, h) in derived.health_limitations.iter().enumerate() {
                let what = format!(
                    "derived setup {} {} (health limitation {}, from {})",
                    offset + i + 1,
                    method.name,
                    h.get("id").and_then(Value::as_str).unwrap_or("unnamed"),
                    h.get("start").and_then(Value::as_str).unwrap_or("?"),
                );
                let mut limitation = Map::new();
                limitation.insert("PersonCivilRegistrationIdentifier".into(), json!(cpr));
                // Reading `derive.health-limitation-documented`: `given` says nothing of the
                // documentation; a documented limitation is the one a caller registers.
                limitation.insert("HealthLimitationDocumentation".into(), json!(true));
                for (from, to) in [("start", "StartDate"), ("end", "EndDate")] {
                    if let Some(v) = h.get(from).filter(|v| !v.is_null()) {
                        limitation.insert(to.into(), v.clone());
                    }
                }
                let request = RenderedRequest {
                    body: Some(json!({ "HealthLimitation": Value::Object(limitation) })),
                    ..RenderedRequest::default()
                };
                let outcome = target.call(method, &self.caller, &request, exchanges).await;
                let body = super::setup::require_success(&what, outcome)?;
                *created += 1;
                if let Some(name) = h.get("id").and_then(Value::as_str) {
                    let Some(id) = body
                        .get("ServiceReceipt")
                        .and_then(|r| r.get("MessageIdentifier"))
                        .and_then(Value::as_str)
                    else {
                        return Err(ProvisionError::NotApplicable(format!(
                            "{what}: the receipt has no ServiceReceipt/MessageIdentifier for `${{ids.{name}}}`"
                        )));
                    };
                    ids.insert(name.to_string(), id.to_string());
                }
            }
        }
        if let Some(method) = &self.interview {
            let offset = derived.contact_groups.len()
                + derived.sick_leave.len()
                + derived.health_limitations.len();
            for (i, v) in derived.interviews.iter().enumerate() {
                let what = format!(
                    "derived setup {} {} (interview {}, type {}, at {})",
                    offset + i + 1,
                    method.name,
                    v.get("id").and_then(Value::as_str).unwrap_or("unnamed"),
                    v.get("type").map(Value::to_string).unwrap_or_default(),
                    v.get("time").and_then(Value::as_str).unwrap_or("?"),
                );
                let Some((role, code, type_id)) = v
                    .get("registered_by")
                    .and_then(Value::as_str)
                    .and_then(|code| self.registrar(code))
                else {
                    return Err(ProvisionError::NotApplicable(format!(
                        "{what}: the target has no role of the organisation that registered it"
                    )));
                };
                let request = interview_request(cpr, v, code, *type_id);
                let outcome = target.call(method, role, &request, exchanges).await;
                let body = super::setup::require_success(&what, outcome)?;
                *created += 1;
                take_interview_ids(&what, v, &body, ids)?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_groups(
        &self,
        method: &MethodInfo,
        target: &Target,
        cpr: &str,
        groups: &[Value],
        ids: &mut BTreeMap<String, String>,
        created: &mut usize,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), ProvisionError> {
        for (i, g) in groups.iter().enumerate() {
            let mut group = Map::new();
            group.insert("PersonCivilRegistrationIdentifier".into(), json!(cpr));
            for (from, to) in [
                ("type", "ContactGroupTypeIdentifier"),
                ("event_time", "ContactGroupEventTime"),
                ("start", "ContactGroupStartTime"),
                ("end", "ContactGroupEndTime"),
            ] {
                if let Some(v) = g.get(from).filter(|v| !v.is_null()) {
                    group.insert(to.into(), v.clone());
                }
            }
            let what = format!(
                "derived setup {} {} (contact group {}, type {}, from {})",
                i + 1,
                method.name,
                g.get("id").and_then(Value::as_str).unwrap_or("unnamed"),
                g.get("type").map(Value::to_string).unwrap_or_default(),
                g.get("start").and_then(Value::as_str).unwrap_or("?"),
            );
            let request = RenderedRequest {
                body: Some(json!({ "ContactGroup": Value::Object(group) })),
                ..RenderedRequest::default()
            };
            let outcome = target.call(method, &self.caller, &request, exchanges).await;
            let body = super::setup::require_success(&what, outcome)?;
            *created += 1;
            if let Some(name) = g.get("id").and_then(Value::as_str) {
                let id = body
                    .get("ServiceReceipt")
                    .and_then(|r| r.get("MessageIdentifier"))
                    .and_then(Value::as_str);
                let Some(id) = id else {
                    return Err(ProvisionError::NotApplicable(format!(
                        "{what}: the receipt has no ServiceReceipt/MessageIdentifier for `${{ids.{name}}}`"
                    )));
                };
                ids.insert(name.to_string(), id.to_string());
            }
        }
        Ok(())
    }
}

/// CreatePersonInterview's request for interview `v` of the wanted state, registered by the
/// organisation `code` (OrganisationTypeIdentifier `type_id`).
fn interview_request(cpr: &str, v: &Value, code: &str, type_id: Option<u32>) -> RenderedRequest {
    let mut authority = Map::new();
    authority.insert("AuthorityCode".into(), json!(code));
    // Reading `derive.interview-details`: a name the documents do not give.
    authority.insert("AuthorityName".into(), json!("konform"));
    if let Some(t) = type_id {
        authority.insert("OrganisationTypeIdentifier".into(), json!(t));
    }
    let mut interview = Map::new();
    interview.insert("InterviewTypeIdentifier".into(), v["type"].clone());
    interview.insert(
        "ResponsibleAuthority".into(),
        json!({
            "AuthorityStructure": Value::Object(authority),
            "CaseWorker": {
                "CaseWorkerGivenName": "konform",
                "CaseWorkerSurname": "konform",
                "CaseWorkerIdentifier": "konform",
            },
        }),
    );
    interview.insert("InterviewTime".into(), v["time"].clone());
    interview.insert("InterviewContactTypeIdentifier".into(), json!(CONTACT_FORM));
    let more = v
        .get("with_more_authorities")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    interview.insert("InterviewWithMoreAuthorities".into(), json!(more));
    if more {
        // 003_580c854b6cb0522c.txt:43: with InterviewWithMoreAuthorities true,
        // ParticipationStatusTypeIdentifier must be given too; `given` holds none. Reading
        // `derive.interview-details`: the first value the documents allow, 5 for the rehab
        // team (9125: 5 or 6), else 1 (9126: 1, 2, 3 or 4).
        let status = if v["type"].as_i64() == Some(REHAB_TEAM) {
            5
        } else {
            1
        };
        interview.insert("ParticipationStatusTypeIdentifier".into(), json!(status));
    }
    let participants: Vec<Value> = v
        .get("participants")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    json!({
                        "InterviewParticipantName": p["name"],
                        "InterviewParticipantContactTypeIdentifier": CONTACT_FORM,
                        "InterviewParticipantTypeIdentifier": { "CodeListItemIdentifier": PARTICIPANT_TYPE },
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    if !participants.is_empty() {
        interview.insert(
            "InterviewParticipantCollection".into(),
            json!({ "InterviewParticipant": participants }),
        );
    }
    // Reading `derive.interview-details`: the agreement is mandatory and not in `given`.
    interview.insert("AgreementDescription".into(), json!("konform"));
    RenderedRequest {
        body: Some(json!({
            "PersonCivilRegistrationIdentifier": cpr,
            "PersonInterview": Value::Object(interview),
        })),
        ..RenderedRequest::default()
    }
}

/// The identifiers CreatePersonInterview answered for interview `v` and its participants (in
/// the order sent), by the names the wanted state gives them.
fn take_interview_ids(
    what: &str,
    v: &Value,
    body: &Value,
    ids: &mut BTreeMap<String, String>,
) -> Result<(), ProvisionError> {
    let answer = body.get("PersonInterview");
    let missing = |name: &str, path: &str| {
        ProvisionError::NotApplicable(format!(
            "{what}: the answer has no {path} for `${{ids.{name}}}`"
        ))
    };
    if let Some(name) = v.get("id").and_then(Value::as_str) {
        let id = answer
            .and_then(|a| a.get("MessageIdentifier"))
            .and_then(Value::as_str)
            .ok_or_else(|| missing(name, "PersonInterview/MessageIdentifier"))?;
        ids.insert(name.to_string(), id.to_string());
    }
    let answered: Vec<&Value> = match answer
        .and_then(|a| a.get("InterviewParticipantCollection"))
        .and_then(|c| c.get("InterviewParticipant"))
    {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let wanted = v
        .get("participants")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, p) in wanted.iter().enumerate() {
        if let Some(name) = p.get("id").and_then(Value::as_str) {
            let id = answered
                .get(i)
                .and_then(|a| a.get("MessageIdentifier"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    missing(
                        name,
                        "PersonInterview/InterviewParticipantCollection/InterviewParticipant/MessageIdentifier",
                    )
                })?;
            ids.insert(name.to_string(), id.to_string());
        }
    }
    Ok(())
}

/// An interview CreatePersonInterview makes: registered by an organisation, not resetting,
/// with a type and a time, perhaps with more authorities and named participants.
fn is_plain_interview(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.get("registered_by").is_some_and(Value::is_string)
            && m.get("resetting").and_then(Value::as_bool) != Some(true)
            && m.get("type").is_some_and(Value::is_i64)
            && m.get("time").is_some_and(Value::is_string)
            && m.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "id" | "type"
                        | "time"
                        | "resetting"
                        | "with_more_authorities"
                        | "registered_by"
                        | "participants"
                )
            })
            && m.get("participants")
                .and_then(Value::as_array)
                .is_none_or(|ps| {
                    ps.iter().all(|p| {
                        p.as_object().is_some_and(|p| {
                            p.get("name").is_some_and(Value::is_string)
                                && p.keys().all(|k| matches!(k.as_str(), "id" | "name"))
                        })
                    })
                })
    })
}

/// A sick leave CreateSygemelding can create: type 11, a start, perhaps an end and a name,
/// nothing else (an unemployment rate, a company or a warning-letter date it cannot set).
fn is_plain_sick_leave(a: &Value) -> bool {
    a.as_object().is_some_and(|m| {
        m.get("type").and_then(Value::as_i64) == Some(SICK)
            && m.contains_key("start")
            && m.keys()
                .all(|k| matches!(k.as_str(), "id" | "type" | "start" | "end"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deriver() -> Deriver {
        let spec =
            Spec::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).unwrap();
        Deriver::new(&spec, "jobcenter", true, true, true, true).unwrap()
    }

    #[test]
    fn splits_off_the_contact_groups_and_the_sick_leave() {
        let d = deriver();
        let req = json!({"now": "n", "citizen": {"jobcenter": "10101", "contact_groups": [{"type": 1, "start": "s"}], "absences": [{"id": "sick", "type": 11, "start": "s"}]}, "projects": []});
        let both = Parts::ALL;
        let (base, derived) = d.split(&req, both).unwrap();
        assert_eq!(
            base,
            json!({"now": "n", "citizen": {"jobcenter": "10101"}, "projects": []})
        );
        assert_eq!(derived.calls(), 2);
        let (_, sick) = d.split(&req, Parts::in_order()[0]).unwrap();
        assert_eq!((sick.contact_groups.len(), sick.sick_leave.len()), (0, 1));
        // An absence CreateSygemelding cannot create stays with the pool citizen.
        let other = json!({"citizen": {"absences": [{"type": 11, "start": "s", "cvr": "1"}]}});
        assert!(d.split(&other, both).is_none());
        let other = json!({"citizen": {"absences": [{"type": 7, "start": "s"}]}});
        assert!(d.split(&other, both).is_none());
        assert!(
            d.split(&json!({"citizen": {"jobcenter": "1"}}), both)
                .is_none()
        );
        assert!(
            d.split(&json!({"citizen": {"contact_groups": []}}), both)
                .is_none()
        );
        assert!(d.split(&json!({"projects": []}), both).is_none());
    }

    #[test]
    fn splits_off_interviews_a_role_of_the_target_registered() {
        use crate::spec::model::OrganisationType;
        use crate::target::profile::Role;
        let spec =
            Spec::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).unwrap();
        let roles: BTreeMap<String, Role> = [
            (
                "jobcenter".to_string(),
                Role::new(OrganisationType::JobCenter, "10101"),
            ),
            (
                "akasse".to_string(),
                Role::new(OrganisationType::AKasse, "12"),
            ),
        ]
        .into_iter()
        .collect();
        let d = deriver().for_roles(&spec, &roles);
        let interview = |by: &str, extra: Value| {
            let mut v = json!({"id": "iv", "type": 8, "time": "t", "resetting": false, "with_more_authorities": true, "registered_by": by, "participants": [{"id": "p1", "name": "Lise Lund"}]});
            if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
                m.extend(e);
            }
            json!({"citizen": {"interviews": [v]}})
        };
        let (base, derived) = d.split(&interview("12", json!({})), Parts::ALL).unwrap();
        assert_eq!(base, json!({"citizen": {}}));
        assert_eq!(derived.interviews.len(), 1);
        assert_eq!(d.registrar("12").map(|r| r.0.as_str()), Some("akasse"));
        // An organisation the target has no role for, a resetting interview: not derived.
        assert!(d.split(&interview("999", json!({})), Parts::ALL).is_none());
        assert!(
            d.split(&interview("10101", json!({"resetting": true})), Parts::ALL)
                .is_none()
        );
        // The request carries what the documents require with more authorities.
        let request = interview_request("0101851001", &derived.interviews[0], "12", Some(1));
        let body = request.body.unwrap();
        let pi = &body["PersonInterview"];
        assert_eq!(pi["ParticipationStatusTypeIdentifier"], 1);
        assert_eq!(
            pi["ResponsibleAuthority"]["AuthorityStructure"]["AuthorityCode"],
            "12"
        );
        assert_eq!(
            pi["InterviewParticipantCollection"]["InterviewParticipant"][0]["InterviewParticipantName"],
            "Lise Lund"
        );
        // The answer's identifiers go to the names the state gives.
        let mut ids = BTreeMap::new();
        let answer = json!({"PersonInterview": {"MessageIdentifier": "a", "InterviewParticipantCollection": {"InterviewParticipant": {"MessageIdentifier": "b"}}}});
        take_interview_ids("w", &derived.interviews[0], &answer, &mut ids).unwrap();
        assert_eq!((ids["iv"].as_str(), ids["p1"].as_str()), ("a", "b"));
    }
}
