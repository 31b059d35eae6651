//! Preconditions in domain terms: the caller, the citizen's state, the clock, setup calls. This
//! is the language of a case's `given`; the citizen's state and the projects are the
//! state-change request's own types ([`crate::state`], re-exported here), which the target
//! answers with the CPR and the identifiers it created (`POST /konform/state`, see the README).
//! The main type here is [`Given`].
//!
//! ```yaml
//! given:
//!   caller: jobcenter
//!   citizen:
//!     contact_groups: [{ id: cg, type: 1, start: today-30d }]
//!     absences: [{ id: sick, type: 11, start: today-2d }]
//! ```
//!
//! Organisation references (`jobcenter`, `akasse`, `kommune`, `anden_aktoer`) name caller
//! roles of the target profile; the runner replaces them by the role's organisation code before
//! the state-change request, so the same case runs against any environment.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::state::{
    AbsenceState, BookingState, CitizenState, CitizenStatus, ContactGroupState, EnrollmentState,
    Established, HealthLimitationState, InterviewState, MarkingState, MoveState, ParticipantState,
    PersonCategoryState, ProjectState, YdelseState,
};

/// A case's preconditions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// The caller role, as named in the target profile (`jobcenter`, `akasse`, `kommune`,
    /// `star`, `anden-aktoer`, ...). Default: `jobcenter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// The instant the target must take as "now" for this citizen (RFC 3339, or relative to the
    /// run's clock: `now-1h`, `today+2d`). Default: the run's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    /// The citizen the case is about. Absent: the case needs no citizen state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen: Option<CitizenState>,
    /// A second person, for rules about another citizen's identifiers (CreateYdelse 100051:
    /// "Den angivne identifier tilhører ikke den specifikke person"). Established with a state
    /// request of its own; the identifiers it names join `${ids.NAME}` (with names other than
    /// the citizen's), and `${cpr}` stays the citizen's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_citizen: Option<CitizenState>,
    /// Person-group projects (persongruppeprojekter) the case refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<ProjectState>,
    /// Calls made through the services' own methods before the case's request, in order;
    /// each must succeed, or the case is not applicable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<SetupCall>,
}

/// A call through a service's own method, made before the case's request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupCall {
    /// The method to call (in the case's service unless `service` says otherwise).
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The caller role; default: the case's caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    pub when: super::model::When,
}
