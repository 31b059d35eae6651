//! The planned model: a case resolved against the spec, its method looked up, its templates
//! compiled and its expectation compiled, so running it does no lookups and no parsing. The
//! main type here is [`PlannedCase`].

use std::sync::Arc;

use super::method::MethodInfo;
use crate::case::given::Given;
use crate::case::matcher::Matcher;
use crate::case::model::Case;
use crate::case::template::{TValue, Template};
use crate::clock::{TimeFormat, TimeSpec};

/// A case ready to run: the method looked up, templates compiled, expectation compiled.
#[derive(Debug, Clone)]
pub struct PlannedCase {
    pub case: Arc<Case>,
    pub method: Arc<MethodInfo>,
    /// The caller role (default `jobcenter`).
    pub caller: String,
    /// The preconditions to establish through the state-change endpoint, if any.
    pub state: Option<Given>,
    /// `given.clock`, where pinned.
    pub clock: Option<TimeSpec>,
    pub setup: Vec<PlannedCall>,
    pub request: PlannedRequest,
    pub expect: Expect,
    /// What the expectation rests on: document rows and overlay entries.
    pub grounds: Vec<super::grounds::Ground>,
}

/// A setup call made before the case's request.
#[derive(Debug, Clone)]
pub struct PlannedCall {
    pub method: Arc<MethodInfo>,
    pub caller: String,
    pub request: PlannedRequest,
}

/// A request with compiled templates.
#[derive(Debug, Clone, Default)]
pub struct PlannedRequest {
    pub headers: Vec<(String, Template)>,
    pub path: Vec<(String, Template)>,
    pub query: Vec<(String, Template)>,
    pub body: Option<TValue>,
    pub raw: Option<Template>,
    pub omit: Omit,
}

/// What to leave out of a request on purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omit {
    pub authorization: bool,
    /// Ask for the bearer token with another method's scope instead of this method's.
    pub scope: bool,
    pub active_organisation: bool,
    pub user_metadata: bool,
    /// Send the ActiveOrganisationHeader without its OrganisationTypeIdentifier, so the
    /// header cannot be read (8234).
    pub organisation_type: bool,
}

/// The known values of `when.omit`.
pub const OMIT_VALUES: [&str; 6] = [
    "all",
    "Authorization",
    "Scope",
    "ActiveOrganisationHeader",
    "RequestUserMetadataHeader",
    "ActiveOrganisationHeader/OrganisationTypeIdentifier",
];

/// A compiled `then`.
#[derive(Debug, Clone)]
pub enum Expect {
    /// A DFDG error with exactly these codes (sorted).
    Codes(Vec<u32>),
    Status(u16),
    Success(Vec<PlannedCheck>),
    /// Refused, whatever the code: a DFDG error, or an HTTP 4xx status.
    Refused,
    /// What the reading in force says: the expectation per alternative, in the catalogue's
    /// order, and konform's default.
    ByReading {
        reading: String,
        default: String,
        alternatives: Vec<(String, Expect)>,
    },
}

impl Expect {
    /// The expectation in words, for reports.
    pub fn describe(&self) -> String {
        match self {
            Expect::Codes(codes) if codes.len() == 1 => format!("error {}", codes[0]),
            Expect::Codes(codes) => format!(
                "errors {}",
                codes
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expect::Status(s) => format!("HTTP {s}"),
            Expect::Success(checks) if checks.is_empty() => "success".to_string(),
            Expect::Success(checks) => format!(
                "success with {} field check{}",
                checks.len(),
                if checks.len() == 1 { "" } else { "s" }
            ),
            Expect::Refused => "refused (any code)".to_string(),
            Expect::ByReading {
                reading,
                alternatives,
                ..
            } => format!(
                "by reading {reading}: {}",
                alternatives
                    .iter()
                    .map(|(a, e)| format!("{a}: {}", e.describe()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }

    /// The expectation under the statement's alternatives (`chosen` gives the alternative in
    /// force per reading): a by-reading expectation resolved to the one that holds.
    pub fn under<'e>(&'e self, chosen: &dyn Fn(&str, &str) -> String) -> &'e Expect {
        match self {
            Expect::ByReading {
                reading,
                default,
                alternatives,
            } => {
                let alt = chosen(reading, default);
                alternatives
                    .iter()
                    .find(|(a, _)| *a == alt)
                    .or_else(|| alternatives.iter().find(|(a, _)| a == default))
                    .map_or(self, |(_, e)| e.under(chosen))
            }
            other => other,
        }
    }
}

/// A check on one response field.
#[derive(Debug, Clone)]
pub struct PlannedCheck {
    pub path: String,
    pub segments: Vec<String>,
    pub check: CompiledCheck,
    /// The answer is typed JSON (REST): JSON types are compared too, and an empty collection
    /// is an empty array. A SOAP answer is text, and zero items are no elements.
    pub typed: bool,
}

#[derive(Debug, Clone)]
pub enum CompiledCheck {
    Present(bool),
    Equals(EqualsCheck),
    Matches(Matcher),
    Count(usize),
}

/// A compiled `equals`.
#[derive(Debug, Clone)]
pub struct EqualsCheck {
    pub template: Template,
    pub format: TimeFormat,
    pub value: EqualsType,
}

/// The JSON type an `equals` wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EqualsType {
    Integer,
    Boolean,
    /// A string, or an integer where the template is one placeholder yielding one.
    Text,
    /// The string, whatever it holds (`{ string: ... }`).
    String,
}
