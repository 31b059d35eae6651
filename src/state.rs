//! The state-change request: the citizen's state and the person-group projects in domain
//! terms, as a case's `given` describes them and as `POST /konform/state` takes them once
//! templates are resolved and caller roles are replaced by organisation codes; and the
//! endpoint's answer, the CPR and the identifiers created ([`Established`]). Shared by the case
//! language ([`crate::case::given`]), the state provisioner ([`crate::provision::state`]) and the
//! reference (`reference::state`), so the reference never reads the case language. It never
//! names a table or a row, so a vendor can implement it over any storage. The main types here
//! are [`StateRequest`] and [`CitizenState`].
//!
//! ```json
//! { "now": "2026-11-24T10:00:00+01:00",
//!   "citizen": { "status": "alive", "jobcenter": "10101", "kommune": "101",
//!                "contact_groups": [ { "id": "cg", "type": 1, "start": "2026-10-25T00:00:00+02:00" } ] },
//!   "projects": [] }
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The body of `POST /konform/state`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRequest {
    /// The instant to pin this citizen's clock to (RFC 3339). Absent: the server clock.
    #[serde(default)]
    pub now: Option<String>,
    #[serde(default)]
    pub citizen: Option<CitizenState>,
    #[serde(default)]
    pub projects: Vec<ProjectState>,
}

/// Whether the person exists, lives, and is known to DFDG.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CitizenStatus {
    /// Alive and known to DFDG.
    #[default]
    Alive,
    /// Registered as dead (4405).
    Dead,
    /// In the CPR register but unknown to DFDG (1010).
    Unknown,
    /// A well-formed CPR that belongs to no person (4404).
    Nonexistent,
}

/// The citizen's state, as a vendor's test environment would describe its test citizens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CitizenState {
    #[serde(default)]
    pub status: CitizenStatus,
    /// Birth date (`YYYY-MM-DD` or relative, `today-30y`), for age rules; the CPR is made to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// The jobcentre the citizen belongs to (jobcentertilknytning): a caller role, or an
    /// organisation code once resolved. Default: role `jobcenter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobcenter: Option<String>,
    /// Jobcentres the citizen belonged to before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_jobcenters: Vec<String>,
    /// The municipality (kommune). Default: role `kommune`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kommune: Option<String>,
    /// A-kasse membership. Absent: not a member (4385).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub akasse: Option<String>,
    /// The Anden Aktør the jobcentre has assigned to the citizen, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anden_aktoer: Option<String>,
    /// The citizen's CV number is known (CVServiceForDFDG). Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_cv_number: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_groups: Vec<ContactGroupState>,
    /// Enrollment as unemployed (tilmelding). Absent: not enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment: Option<EnrollmentState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absences: Vec<AbsenceState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_categories: Vec<PersonCategoryState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookings: Vec<BookingState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviews: Vec<InterviewState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_limitations: Vec<HealthLimitationState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markings: Vec<MarkingState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ydelser: Vec<YdelseState>,
    /// Move flows (borgerflytning) the citizen is part of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<MoveState>,
    /// External systems that fail for this citizen (`CVServiceForDFDG`, `SetFlexijobApproved`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing_systems: Vec<String>,
}

/// A contact group (kontaktgruppe) period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactGroupState {
    /// A name for the identifier the target creates, to refer to it as `${ids.NAME}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ContactGroupTypeIdentifier (1 = dagpengemodtager, 2 = KTH; see the overlay).
    #[serde(rename = "type")]
    pub type_id: i64,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Hændelsesdato; default: the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: String,
    /// ClientCategoryTypeIdentifier, where it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<i64>,
    /// CurrentUnemploymentStatusTypeIdentifier (ledighedsgrad), where it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unemployment_status: Option<i64>,
}

/// An absence (fravær): sick leave is type 11.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub type_id: i64,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Ledighedsgrad registered with the absence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unemployment_status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pnummer: Option<String>,
    /// The date by which a warning letter was due (varslingsbrev), for 4752.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_letter_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonCategoryState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub type_id: i64,
    pub incident: String,
}

/// An interview booking (indkaldelse).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// A conducted interview (afholdt samtale).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// InterviewTypeIdentifier.
    #[serde(rename = "type")]
    pub type_id: i64,
    pub time: String,
    /// Whether it resets the contact-frequency clock (nulstillende samtale).
    #[serde(default)]
    pub resetting: bool,
    #[serde(default)]
    pub with_more_authorities: bool,
    /// The organisation that registered it: a caller role. Default: the case's caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantState>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
}

/// A health limitation (helbredsbegrænsning).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthLimitationState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A person-group marking (persongruppemarkering) on a project of the request's `projects`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkingState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name of the project in `given.projects`.
    pub project: String,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The organisation that created it: a caller role. Default: the case's caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectState {
    /// A name to refer to the project (`${ids.NAME}`, `markings[].project`).
    pub id: String,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A social benefit (ydelse) registered from KY.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YdelseState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kontaktgruppe: Option<i64>,
}

/// A move flow (borgerflytning) between municipalities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The municipality moved from: a caller role or a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The municipality moved to: a caller role or a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Whether the moving-out confirmation (fraflytningsbekræftelse) has been sent.
    #[serde(default)]
    pub confirmed_out: bool,
}

/// The state-change endpoint's answer: the CPR to use and the identifiers created, by the
/// names the `given` gave them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Established {
    /// The citizen's CPR (absent when the `given` had no citizen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpr: Option<String>,
    #[serde(default)]
    pub ids: BTreeMap<String, String>,
}
