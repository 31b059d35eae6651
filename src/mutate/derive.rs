//! Mutants derived from the spec and the overlay, independent of how the reference is written:
//! every bound of every input field moved one unit each way, the clock a method's date and
//! time rules read moved a day and a minute, every answered code replaced by a sibling (1001
//! ↔ 1014), answered as success, a success answered as an error, only the first of several
//! errors answered, every access-table cell flipped, another citizen's identifier accepted, a
//! deleted item kept; and answer mutants planted by the mutating proxy. The main entry point
//! is [`derive`]; [`Kind`] names the families the report counts apart.

use serde::Serialize;

use crate::reference::CheckId;
use crate::reference::checks::{check_ids, method_prefixes};
use crate::reference::mutant::{Bound, ClockUnit, Fault, Mutant};
use crate::reference::rules;
use crate::reference::validate::is_cpr_field;
use crate::spec::model::{
    AccessLevel, Binding, Field, FieldKind, FieldLocation, Method, MethodStatus, Spec,
};
use crate::target::AnswerMutation;

use super::proxy::Aim;
use super::reach::Reach;

/// The family of a mutant, as the report counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One of the reference's own checks switched off.
    Check,
    /// A date, time, length, range or count rule moved by one unit.
    Boundary,
    /// A sibling code, an error answered as success or a success as an error.
    Codes,
    /// One access-table cell flipped.
    Access,
    /// Another citizen's identifier accepted; a deleted item kept.
    Identity,
    /// Only the first of several errors answered.
    Reporting,
    /// A wrong answer planted by the mutating proxy.
    Answers,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Check,
        Kind::Boundary,
        Kind::Codes,
        Kind::Access,
        Kind::Identity,
        Kind::Reporting,
        Kind::Answers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Check => "check",
            Kind::Boundary => "boundary",
            Kind::Codes => "codes",
            Kind::Access => "access",
            Kind::Identity => "identity",
            Kind::Reporting => "reporting",
            Kind::Answers => "answers",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a mutant is planted.
#[derive(Debug, Clone, PartialEq)]
pub enum Plant {
    /// A check of the reference switched off (its id).
    Check(String),
    /// A fault the reference consults.
    Fault(Mutant),
    /// A mutation the proxy plants into the answers of one method.
    Answer { aim: Aim, mutation: AnswerMutation },
}

/// One mutant to run: what it is (id, method, what it breaks), its family and how to plant it.
#[derive(Debug, Clone)]
pub struct MutantDef {
    pub check: CheckId,
    pub kind: Kind,
    pub plant: Plant,
    /// Which cases of the method can see it.
    pub reach: Reach,
}

/// Every mutant of the spec: the reference's checks switched off, then per method the
/// spec-derived faults and the answer mutants.
pub fn derive(spec: &Spec) -> Vec<MutantDef> {
    let mut out: Vec<MutantDef> = check_ids(spec)
        .into_iter()
        .map(|check| MutantDef {
            plant: Plant::Check(check.id.clone()),
            check,
            kind: Kind::Check,
            reach: Reach::All,
        })
        .collect();
    let prefixes = method_prefixes(spec);
    for m in spec.methods() {
        if m.method.status == MethodStatus::Withdrawn {
            // Every call is refused (4588) before anything else: nothing else can differ.
            continue;
        }
        let prefix = &prefixes[&(m.service.service.clone(), m.method.name.clone())];
        let mut d = Deriver {
            spec,
            service: &m.service.service,
            method: m.method,
            prefix,
            out: &mut out,
        };
        d.boundaries();
        d.codes();
        d.access();
        d.identity();
        d.answers();
    }
    out
}

struct Deriver<'a> {
    spec: &'a Spec,
    service: &'a str,
    method: &'a Method,
    prefix: &'a str,
    out: &'a mut Vec<MutantDef>,
}

impl<'a> Deriver<'a> {
    fn push(&mut self, kind: Kind, id: String, code: Option<u32>, breaks: String, plant: Plant) {
        let reach = reach_of(&plant);
        self.out.push(MutantDef {
            reach,
            check: CheckId {
                id: format!("{}/{}/{id}", kind.as_str(), self.prefix),
                service: Some(self.service.to_string()),
                method: Some(self.method.name.clone()),
                code,
                breaks,
            },
            kind,
            plant,
        });
    }

    fn fault(&mut self, kind: Kind, id: String, code: Option<u32>, breaks: String, fault: Fault) {
        let plant = Plant::Fault(Mutant {
            service: self.service.to_string(),
            method: self.method.name.clone(),
            fault,
        });
        self.push(kind, id, code, breaks, plant);
    }

    /// The input fields the validator walks, with the path it gives each, and whether their
    /// cardinality is checked element by element (body fields) or not (REST headers, path
    /// and query).
    fn input_roots(&self) -> Vec<(&'a Field, String, bool)> {
        let m = self.method;
        match &m.binding {
            Binding::Soap {
                request_element, ..
            } => crate::reference::soap::below(&m.input, request_element)
                .iter()
                .map(|f| (f, f.name.clone(), true))
                .collect(),
            Binding::Rest { .. } => {
                let mut roots: Vec<(&Field, String, bool)> = m
                    .input
                    .iter()
                    .filter(|f| f.location != FieldLocation::Body)
                    .map(|f| (f, f.name.clone(), false))
                    .collect();
                let (_, body) = crate::reference::rest::body_fields(m);
                roots.extend(body.into_iter().map(|f| (f, f.name.clone(), true)));
                roots
            }
        }
    }

    fn boundaries(&mut self) {
        let mut fields = Vec::new();
        for (f, path, counted) in self.input_roots() {
            walk(f, path, counted, &mut fields);
        }
        let mut has_time = false;
        for (f, path, counted) in fields {
            if f.name.eq_ignore_ascii_case("x-requestId") {
                // Its length is a check of its own (`rest/request-id-length`), not the spec's bound.
                continue;
            }
            has_time |= matches!(
                f.kind(),
                FieldKind::Date | FieldKind::DateTime | FieldKind::Time
            );
            let mut bounds: Vec<(Bound, i64)> = Vec::new();
            if counted {
                if f.occurs.min > 0 {
                    bounds.push((Bound::OccursMin, -1));
                }
                bounds.push((Bound::OccursMin, 1));
                if let Some(max) = f.occurs.max {
                    bounds.push((Bound::OccursMax, 1));
                    if max > f.occurs.min {
                        bounds.push((Bound::OccursMax, -1));
                    }
                }
            }
            if let Some(len) = f.length {
                if let Some(min) = len.min {
                    if min > 0 {
                        bounds.push((Bound::LengthMin, -1));
                    }
                    bounds.push((Bound::LengthMin, 1));
                }
                if len.max.is_some() {
                    bounds.push((Bound::LengthMax, -1));
                    bounds.push((Bound::LengthMax, 1));
                }
            }
            if f.min_inclusive.is_some() {
                bounds.push((Bound::RangeMin, -1));
                bounds.push((Bound::RangeMin, 1));
            }
            if f.max_inclusive.is_some() {
                bounds.push((Bound::RangeMax, -1));
                bounds.push((Bound::RangeMax, 1));
            }
            for (bound, delta) in bounds {
                // A body field's length, range and most occurrences are evaluated where the
                // case's body holds it, its least occurrences where it holds the parent (the
                // element may be left out); a REST header, path or query field in every case.
                let reach = match (counted, bound) {
                    (false, _) => Reach::All,
                    (true, Bound::OccursMin) => Reach::Body(
                        path.rsplit_once('/')
                            .map(|(p, _)| p.to_string())
                            .unwrap_or_default(),
                    ),
                    (true, _) => Reach::Body(path.clone()),
                };
                let code =
                    if is_cpr_field(f) && bound != Bound::OccursMin && bound != Bound::OccursMax {
                        1001
                    } else {
                        1014
                    };
                self.fault(
                    Kind::Boundary,
                    format!("{path}/{}{delta:+}", bound.as_str()),
                    Some(code),
                    format!(
                        "the {} of {path} moved by {delta:+} ({code} one unit off)",
                        bound.as_str()
                    ),
                    Fault::Bound {
                        path: path.clone(),
                        bound,
                        delta,
                    },
                );
                if let Some(last) = self.out.last_mut() {
                    last.reach = reach;
                }
            }
        }
        if has_time {
            for (unit, name) in [(ClockUnit::Day, "day"), (ClockUnit::Minute, "minute")] {
                for delta in [-1, 1] {
                    self.fault(
                        Kind::Boundary,
                        format!("clock/{name}{delta:+}"),
                        None,
                        format!(
                            "every date and time rule of the method compares with now {delta:+} {name}"
                        ),
                        Fault::Clock { unit, delta },
                    );
                }
            }
        }
    }

    /// The codes the method answers: those its rules check, and the schema codes it documents.
    fn answered_codes(&self) -> Vec<u32> {
        let mut codes: Vec<u32> = [1001, 1014]
            .into_iter()
            .filter(|c| self.method.error(*c).is_some())
            .collect();
        let Some(service) = self.spec.services.get(self.service) else {
            return codes;
        };
        for (code, _) in rules::implemented(self.spec, service, self.method) {
            let untestable = self
                .spec
                .overlay
                .untestable
                .contains_key(&format!("{}/{code}", self.method.name));
            if !untestable && !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    }

    fn codes(&mut self) {
        let documented: Vec<u32> = self.method.errors.iter().map(|e| e.code).collect();
        let answered = self.answered_codes();
        for &code in &answered {
            let sibling = match code {
                1001 if documented.contains(&1014) => Some(1014),
                1014 if documented.contains(&1001) => Some(1001),
                _ => documented
                    .iter()
                    .position(|c| *c == code)
                    .and_then(|i| {
                        documented
                            .iter()
                            .cycle()
                            .skip(i + 1)
                            .take(documented.len() - 1)
                            .find(|c| **c != code)
                    })
                    .copied(),
            };
            if let Some(to) = sibling {
                self.fault(
                    Kind::Codes,
                    format!("{code}-as-{to}"),
                    Some(code),
                    format!("{code} is answered as {to}, a sibling code the method documents"),
                    Fault::Code { from: code, to },
                );
            }
            self.fault(
                Kind::Codes,
                format!("{code}-as-success"),
                Some(code),
                format!("an answer with {code} is a success instead"),
                Fault::ErrorAsSuccess { code },
            );
        }
        if let Some(&code) = documented.first() {
            self.fault(
                Kind::Codes,
                format!("success-as-{code}"),
                Some(code),
                format!("every success is answered as the error {code}"),
                Fault::SuccessAsError { code },
            );
        }
        if documented.len() > 1 {
            self.fault(
                Kind::Reporting,
                "first-error-only".into(),
                None,
                "of several errors, only the first is answered".into(),
                Fault::FirstErrorOnly,
            );
        }
    }

    fn access(&mut self) {
        for row in &self.method.access {
            for level in AccessLevel::COLUMNS {
                let marked = row.levels.contains(&level);
                self.fault(
                    Kind::Access,
                    format!("{}/{}", row.organisation, level.as_str()),
                    None,
                    format!(
                        "the access cell {} × {} is {}",
                        row.organisation,
                        level.as_str(),
                        if marked {
                            "left empty (the caller is refused)"
                        } else {
                            "marked (the caller is let in)"
                        }
                    ),
                    Fault::Access {
                        organisation: row.organisation,
                        level,
                    },
                );
            }
        }
    }

    fn identity(&mut self) {
        let mut fields = Vec::new();
        for (f, path, counted) in self.input_roots() {
            walk(f, path, counted, &mut fields);
        }
        let has_cpr = fields.iter().any(|(f, _, _)| is_cpr_field(f));
        let has_id = fields
            .iter()
            .any(|(f, _, _)| f.kind() == FieldKind::Guid || f.location == FieldLocation::Path);
        if has_cpr && has_id {
            self.fault(
                Kind::Identity,
                "other-citizen".into(),
                None,
                "an identifier that belongs to another citizen than the request's CPR is accepted"
                    .into(),
                Fault::OtherCitizen,
            );
        }
        if self.method.name.starts_with("Delete") {
            self.fault(
                Kind::Identity,
                "deleted-kept".into(),
                None,
                "the deletion answers success but the item stays: it can be read, updated and deleted again"
                    .into(),
                Fault::DeletedKept,
            );
        }
    }

    fn answers(&mut self) {
        let aim = Aim::of(self.spec, self.method);
        let soap = matches!(self.method.binding, Binding::Soap { .. });
        let answer = |d: &mut Self, id: String, breaks: String, mutation: AnswerMutation| {
            d.push(
                Kind::Answers,
                id,
                None,
                breaks,
                Plant::Answer {
                    aim: aim.clone(),
                    mutation,
                },
            );
        };
        // Required leaves of the answer, below required parents.
        let mut leaves: Vec<&Field> = Vec::new();
        let mut pairs: Vec<(&Field, &Field)> = Vec::new();
        required_leaves(&self.method.output, &mut leaves, &mut pairs);
        for f in leaves {
            let n = &f.name;
            answer(
                self,
                format!("rename/{n}"),
                format!("the answer's {n} is named {n}X"),
                AnswerMutation::Rename {
                    from: n.clone(),
                    to: format!("{n}X"),
                },
            );
            answer(
                self,
                format!("drop/{n}"),
                format!("the answer leaves out the required {n}"),
                AnswerMutation::Drop { name: n.clone() },
            );
            if f.occurs.max == Some(1) {
                answer(
                    self,
                    format!("duplicate/{n}"),
                    format!("the answer holds {n} twice (at most once documented)"),
                    AnswerMutation::Duplicate { name: n.clone() },
                );
            }
            if !soap {
                answer(
                    self,
                    format!("json-type/{n}"),
                    format!("the answer's {n} has another JSON type"),
                    AnswerMutation::JsonType { member: n.clone() },
                );
            }
        }
        if soap {
            for (a, b) in pairs {
                answer(
                    self,
                    format!("reorder/{}/{}", a.name, b.name),
                    format!("the answer's {} and {} change places", a.name, b.name),
                    AnswerMutation::Swap {
                        first: a.name.clone(),
                        second: b.name.clone(),
                    },
                );
            }
            let namespace = crate::reference::soap::namespace_of(self.spec, self.service);
            answer(
                self,
                "namespace".into(),
                "the answer's body element is in another namespace".into(),
                AnswerMutation::Namespace {
                    to: format!("{namespace}/mutant"),
                    from: namespace,
                },
            );
        }
        answer(
            self,
            "empty-204".into(),
            "a success is an empty HTTP 204".into(),
            AnswerMutation::Empty204,
        );
        answer(
            self,
            "success-status".into(),
            "a success is answered with HTTP 201".into(),
            AnswerMutation::SuccessStatus(201),
        );
        if !self.method.errors.is_empty() {
            answer(
                self,
                "error-on-200".into(),
                "an error answer is sent with HTTP 200".into(),
                AnswerMutation::ErrorOn200,
            );
        }
        if self.method.errors.len() > 1 {
            answer(
                self,
                "drop-code".into(),
                "an answer with several codes loses its last one".into(),
                AnswerMutation::DropCode,
            );
        }
    }
}

/// Every field below `f` (itself included), with its validator path and whether its count is
/// checked.
fn walk<'a>(f: &'a Field, path: String, counted: bool, out: &mut Vec<(&'a Field, String, bool)>) {
    for c in &f.children {
        walk(c, format!("{path}/{}", c.name), counted, out);
    }
    out.push((f, path, counted));
}

/// The required leaves of an answer below required parents, and per parent the first two
/// required siblings (for reordering).
fn required_leaves<'a>(
    fields: &'a [Field],
    leaves: &mut Vec<&'a Field>,
    pairs: &mut Vec<(&'a Field, &'a Field)>,
) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.is_required()).collect();
    if let [a, b, ..] = required.as_slice() {
        pairs.push((a, b));
    }
    for f in required {
        if f.children.is_empty() {
            if !leaves.iter().any(|l| l.name == f.name) {
                leaves.push(f);
            }
        } else {
            required_leaves(&f.children, leaves, pairs);
        }
    }
}

/// Which cases can see a planted fault (see [`super::reach`]).
fn reach_of(plant: &Plant) -> Reach {
    match plant {
        Plant::Check(_) => Reach::All,
        Plant::Answer { mutation, .. } => match mutation {
            AnswerMutation::DropCode => Reach::SeveralCodes,
            AnswerMutation::ErrorOn200 => Reach::All,
            _ => Reach::SuccessFirst,
        },
        Plant::Fault(m) => match &m.fault {
            Fault::Code { from, .. } => Reach::Code(*from),
            Fault::ErrorAsSuccess { code } => Reach::Code(*code),
            Fault::FirstErrorOnly => Reach::SeveralCodes,
            Fault::SuccessAsError { .. } => Reach::SuccessFirst,
            Fault::Bound { .. }
            | Fault::Clock { .. }
            | Fault::Access { .. }
            | Fault::OtherCitizen
            | Fault::DeletedKept => Reach::All,
        },
    }
}
