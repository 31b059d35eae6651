//! The methods' business rules, one file per service, and the flow every method call shares
//! once its request is valid: find the citizen concerned (by CPR, or by an identifier the
//! request names), take that citizen's "now", check the citizen (1010, 4404, 4405) and the
//! caller's relation to it (4575 by the access table, 6005, 4511, 4385, 4857 where the method
//! documents them), then run the method's own rules in a deliberate order.
//!
//! A rule only answers with a code its method documents ([`Ctx::check`] skips the others), so
//! one rule function serves every method that shares it. The main entry point is [`execute`];
//! [`implemented`] lists what each method checks, for [`super::check_ids`].

pub mod borgerflytte;
pub mod domain;
pub mod interview;
pub mod person_registration;
pub mod sygemelding;
pub mod ydelse;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::spec::model::{
    Field, Method, MethodStatus, OrganisationType, ServiceSpec, Spec, Transport,
};
use crate::state::CitizenStatus;

use super::auth::{self, Caller};
use super::checks::{Ctx, Rejection};
use super::mutant::{self, Fault, Mutant};
use super::server::App;
use super::store::{self, Citizen};
use super::validate::is_cpr_field;
use super::xsdtime;

/// The code a deprecated method answers where it documents it ("Method cannot be used").
pub const DEPRECATED_CODE: u32 = 4588;
/// The code a withdrawn (BORTFALDER) method answers: the same "Method cannot be used".
pub const WITHDRAWN_CODE: u32 = crate::spec::model::WITHDRAWN_CODE;

/// The switch that keeps "now" in Danish time. Switched off (`disabled_checks`), the
/// reference takes "now" in UTC, as an implementation that forgets the Danish offset does:
/// its "today" is yesterday between Danish midnight and 01:00 (02:00 in summer), and the
/// request's instants fall on their UTC dates. Not a mutant of `konform mutate`
/// ([`super::checks::GLOBAL_CHECKS`] does not list it): the tests of the
/// `clock.danish-midnight` cases switch it off to see them catch such an implementation.
pub const DANISH_TIME: &str = "clock/danish-time";

/// `now` in Danish time, or in UTC where [`DANISH_TIME`] is switched off.
fn danish_or_utc(
    switches: &super::checks::Switches,
    now: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    if switches.on(DANISH_TIME) {
        now
    } else {
        now.with_timezone(&chrono::Utc).fixed_offset()
    }
}

/// A valid request, ready for the rules.
#[derive(Debug)]
pub struct Request<'a> {
    pub service: &'a ServiceSpec,
    pub method: &'a Method,
    pub caller: Caller,
    /// The request element's content (SOAP) or the JSON body (REST), validated.
    pub body: Value,
    /// The REST header CPR (`x-civilRegistrationIdentifier`).
    pub header_cpr: Option<String>,
    /// REST path parameters.
    pub path: BTreeMap<String, String>,
    pub transport: Transport,
}

/// What a rule function sees.
pub struct Call<'a> {
    pub app: &'a App,
    pub req: &'a Request<'a>,
    pub ctx: Ctx<'a>,
    /// The instant this request takes as "now".
    pub now: DateTime<FixedOffset>,
    /// Whether the citizen is stored (false: an unknown CPR on a method that does not
    /// document 1010/4404, handled as a citizen without data).
    pub known: bool,
}

/// A rule function: checks and, when everything holds, changes the citizen and answers the
/// response content.
pub type Handler = fn(&mut Call<'_>, &mut Citizen) -> Result<Value, Rejection>;

/// Where a request finds its citizen.
#[derive(Debug, Clone, PartialEq)]
enum Subject {
    Cpr(String),
    /// An identifier the reference created, owned by this citizen.
    Owner(String),
    None,
}

/// Runs a valid request through the shared flow and the method's rules.
pub fn execute(app: &App, req: &Request<'_>) -> Result<Value, Rejection> {
    let prefix = app.prefix(&req.service.service, &req.method.name);
    // Valid besides the method's own codes: the general faults, and the codes of the rules
    // it inherits by a sentence of its document (UpdateInterview has CreateInterview's).
    let mut valid = general_codes(&app.spec, req.method);
    valid.extend(crate::spec::inherit::inherited_codes(
        &app.spec,
        &crate::spec::MethodRef {
            service: req.service,
            method: req.method,
        },
    ));
    let mut ctx = Ctx::new(req.method, prefix, &app.switches).with_general(valid);
    let fault = Mutant::at(app.mutant.as_ref(), &req.service.service, &req.method.name);
    let subject = find_subject(app, req, matches!(fault, Some(Fault::OtherCitizen)));
    let cell = match &subject {
        Subject::Cpr(cpr) | Subject::Owner(cpr) => app.store.citizen(cpr),
        Subject::None => None,
    };
    let mut blank;
    let mut guard;
    let citizen: &mut Citizen = match &cell {
        Some(c) => {
            guard = store::lock(c);
            &mut guard
        }
        None => {
            let cpr = match &subject {
                Subject::Cpr(c) => c.clone(),
                _ => String::new(),
            };
            blank = Citizen::new(cpr);
            blank.status = CitizenStatus::Unknown;
            &mut blank
        }
    };
    let now = danish_or_utc(
        &app.switches,
        mutant::now(fault, citizen.pinned_now.unwrap_or_else(|| app.clock.now())),
    );

    // The citizen.
    let by_cpr = matches!(subject, Subject::Cpr(_));
    match citizen.status {
        CitizenStatus::Alive => {}
        CitizenStatus::Unknown if by_cpr => ctx.check_first(&[1010, 4404], || true),
        CitizenStatus::Unknown => {}
        CitizenStatus::Nonexistent => ctx.check_first(&[4404, 1010], || true),
        CitizenStatus::Dead => ctx.check(4405, || true),
    }
    ctx.gate()?;
    let known = cell.is_some();

    // The caller's relation to the citizen.
    let access = mutant::access(fault, &req.method.access);
    if !access.is_empty()
        && known
        && !auth::table_allows(&access, &req.caller, citizen)
        && app.switches.on("auth/4575")
    {
        // A method that documents 4575 answers it; a REST method without it refuses as the
        // reading refused-caller-status says (a bare 400, a 403, or 400 with 4575).
        return Err(if req.method.error(4575).is_some() {
            Rejection::Codes(vec![4575])
        } else {
            match app.reading("refused-caller-status") {
                "403" => Rejection::Status(403),
                "400-4575" => Rejection::Codes(vec![4575]),
                _ => Rejection::Status(400),
            }
        });
    }
    relation_checks(&mut ctx, &req.caller, citizen);
    ctx.gate()?;

    let mut call = Call {
        app,
        req,
        ctx,
        now,
        known,
    };
    // A deprecated method ("udfaset") that documents 4588 answers it to every valid call.
    if req.method.status == MethodStatus::Deprecated {
        call.ctx.check(DEPRECATED_CODE, || true);
        call.ctx.gate()?;
    }
    // A deletion that does not take: the citizen as it was before the call.
    let kept = matches!(fault, Some(Fault::DeletedKept)).then(|| citizen.clone());
    let answer = match handler(&req.service.service, &req.method.name) {
        Some(h) => h(&mut call, citizen),
        None => Ok(call.receipt(None)),
    };
    if let (Ok(_), Some(before)) = (&answer, kept) {
        *citizen = before;
    }
    answer
}

/// 6005, 4511, 4385 and 4857, for methods that document them.
fn relation_checks(ctx: &mut Ctx<'_>, caller: &Caller, citizen: &Citizen) {
    let code = caller.code.as_str();
    match caller.organisation {
        OrganisationType::JobCenter => {
            ctx.check(6005, || citizen.jobcenter.as_deref() != Some(code));
        }
        OrganisationType::AndenAktoer => {
            ctx.check(4511, || citizen.anden_aktoer.as_deref() != Some(code));
        }
        OrganisationType::AKasse => {
            ctx.check(4385, || citizen.akasse.is_none());
            ctx.check(4857, || {
                citizen.akasse.as_deref().is_some_and(|a| a != code)
            });
        }
        OrganisationType::Kommune | OrganisationType::Star => {}
    }
}

/// The generic codes the shared flow checks for a method (where documented).
const FLOW_CHECKS: &[(u32, &str)] = &[
    (1010, "a CPR unknown to DFDG (or not stored) is rejected"),
    (4404, "a CPR that belongs to no person is rejected"),
    (4405, "a dead citizen is rejected"),
    (6005, "a JobCenter caller must be the citizen's jobcentre"),
    (
        4511,
        "an Anden Aktør caller must be assigned to the citizen",
    ),
    (
        4385,
        "an A-kasse caller needs the citizen to have an a-kasse",
    ),
    (4857, "an A-kasse caller must be the citizen's a-kasse"),
];

/// The method's rule function.
fn handler(service: &str, method: &str) -> Option<Handler> {
    person_registration::handler(service, method)
        .or_else(|| interview::handler(service, method))
        .or_else(|| sygemelding::handler(service, method))
        .or_else(|| ydelse::handler(service, method))
        .or_else(|| borgerflytte::handler(service, method))
}

/// Every code the reference checks for a method, with the rule it enforces: the shared flow's
/// codes and the method's own, each only where the method documents it.
pub fn implemented(
    spec: &Spec,
    service: &ServiceSpec,
    method: &Method,
) -> Vec<(u32, &'static str)> {
    let general = general_codes(spec, method);
    let own: Vec<(u32, &'static str)> = person_registration::checks(&service.service, &method.name)
        .into_iter()
        .chain(interview::checks(&service.service, &method.name))
        .chain(sygemelding::checks(&service.service, &method.name))
        .chain(ydelse::checks(&service.service, &method.name))
        .chain(borgerflytte::checks(&service.service, &method.name))
        .collect();
    let deprecated: &[(u32, &'static str)] = match method.status {
        MethodStatus::Deprecated => &[(DEPRECATED_CODE, "a deprecated method answers 4588")],
        MethodStatus::Current | MethodStatus::Withdrawn => &[],
    };
    let mut out: Vec<(u32, &'static str)> = Vec::new();
    for (code, rule) in FLOW_CHECKS.iter().chain(deprecated).copied().chain(own) {
        let valid = method.error(code).is_some() || general.contains(&code);
        if valid && !out.iter().any(|(c, _)| *c == code) {
            out.push((code, rule));
        }
    }
    out
}

/// The overlay's general faults, for a SOAP method; none for a REST one.
pub fn general_codes(spec: &Spec, method: &Method) -> Vec<u32> {
    match method.binding {
        crate::spec::model::Binding::Soap { .. } => {
            spec.overlay.general_faults.iter().map(|f| f.code).collect()
        }
        crate::spec::model::Binding::Rest { .. } => Vec::new(),
    }
}

/// Finds the citizen a request is about: the REST header CPR, a CPR field of the body, else
/// the first identifier in the body or path that the reference knows.
fn find_subject(app: &App, req: &Request<'_>, owner_first: bool) -> Subject {
    if owner_first && let Some(owner) = owner_of_identifiers(app, req) {
        return owner;
    }
    if let Some(cpr) = &req.header_cpr {
        return Subject::Cpr(cpr.clone());
    }
    let fields = input_fields(req);
    if let Some(cpr) = find_cpr(fields, &req.body) {
        return Subject::Cpr(cpr);
    }
    owner_of_identifiers(app, req).unwrap_or(Subject::None)
}

/// The citizen owning the first identifier in the body or path that the reference knows.
fn owner_of_identifiers(app: &App, req: &Request<'_>) -> Option<Subject> {
    let mut ids = Vec::new();
    collect_guids(input_fields(req), &req.body, &mut ids);
    ids.extend(
        req.path
            .values()
            .filter_map(|v| Uuid::parse_str(v.trim()).ok()),
    );
    ids.into_iter()
        .find_map(|id| app.store.owner(&id))
        .map(|(cpr, _)| Subject::Owner(cpr))
}

fn input_fields<'a>(req: &'a Request<'a>) -> &'a [Field] {
    match &req.method.binding {
        crate::spec::model::Binding::Soap {
            request_element, ..
        } => super::soap::below(&req.method.input, request_element),
        crate::spec::model::Binding::Rest { .. } => match super::rest::body_fields(req.method) {
            (Some(wrapper), _) => &wrapper.children,
            (None, _) => &req.method.input,
        },
    }
}

fn find_cpr(fields: &[Field], value: &Value) -> Option<String> {
    let map = value.as_object()?;
    for f in fields {
        let Some(v) = map.get(&f.name) else { continue };
        if f.children.is_empty() {
            if is_cpr_field(f)
                && let Some(s) = v.as_str()
            {
                return Some(s.trim().to_string());
            }
        } else if let Some(found) = first(v).and_then(|v| find_cpr(&f.children, v)) {
            return Some(found);
        }
    }
    None
}

fn collect_guids(fields: &[Field], value: &Value, out: &mut Vec<Uuid>) {
    let Some(map) = value.as_object() else { return };
    for f in fields {
        let Some(v) = map.get(&f.name) else { continue };
        if f.children.is_empty() {
            if let Some(id) = v.as_str().and_then(|s| Uuid::parse_str(s.trim()).ok()) {
                out.push(id);
            }
        } else if let Some(v) = first(v) {
            collect_guids(&f.children, v, out);
        }
    }
}

fn first(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(items) => items.first(),
        other => Some(other),
    }
}

impl<'a> Call<'a> {
    /// The request value at a `/`-separated path (the first item of a repeated element).
    pub fn input(&self, path: &str) -> Option<&Value> {
        let mut v = &self.req.body;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            v = first(v.as_object()?.get(part)?)?;
        }
        (!v.is_null()).then_some(v)
    }

    /// Every item of a repeated element at `path`.
    pub fn items(&self, path: &str) -> Vec<&Value> {
        let (parent, last) = match path.rsplit_once('/') {
            Some((p, l)) => (self.input(p), l),
            None => (Some(&self.req.body), path),
        };
        match parent.and_then(|p| p.as_object()).and_then(|m| m.get(last)) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![other],
        }
    }

    pub fn str(&self, path: &str) -> Option<String> {
        match self.input(path)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn int(&self, path: &str) -> Option<i64> {
        value_int(self.input(path)?)
    }

    pub fn bool(&self, path: &str) -> Option<bool> {
        value_bool(self.input(path)?)
    }

    pub fn instant(&self, path: &str) -> Option<DateTime<FixedOffset>> {
        xsdtime::parse_instant(self.input(path)?.as_str()?, *self.now.offset())
    }

    pub fn date(&self, path: &str) -> Option<NaiveDate> {
        xsdtime::parse_date(self.input(path)?.as_str()?)
    }

    pub fn uuid(&self, path: &str) -> Option<Uuid> {
        Uuid::parse_str(self.input(path)?.as_str()?.trim()).ok()
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// A code-list value from the overlay, by list and meaning.
    pub fn code(&self, list: &str, meaning: &str) -> Option<i64> {
        self.app.spec.overlay.code(list, meaning)
    }

    /// Whether `value` is in the overlay's code list; `None` when the overlay has no such list.
    pub fn in_list(&self, list: &str, value: i64) -> Option<bool> {
        let list = self.app.spec.overlay.code_lists.get(list)?;
        Some(list.values.iter().any(|v| v.value == value))
    }

    /// The fields of the answer's content: below the SOAP response element, or below the one
    /// REST `response` root.
    pub fn output_fields(&self) -> &'a [Field] {
        let m = self.req.method;
        match &m.binding {
            crate::spec::model::Binding::Soap {
                response_element, ..
            } => {
                let element = response_element
                    .clone()
                    .unwrap_or_else(|| format!("{}Response", m.name));
                super::soap::below(&m.output, &element)
            }
            crate::spec::model::Binding::Rest { .. } => match m.output.as_slice() {
                [only] if !only.children.is_empty() => &only.children,
                other => other,
            },
        }
    }

    /// The standard receipt: `ServiceReceipt` with the event time and the identifier of what
    /// was registered (a fresh one when nothing was), where the method's output has one.
    pub fn receipt(&self, id: Option<Uuid>) -> Value {
        let has_receipt = output_has(&self.req.method.output, "ServiceReceipt");
        if !has_receipt {
            return match self.req.transport {
                Transport::Rest => Value::Null,
                Transport::Soap => json!({}),
            };
        }
        json!({
            "ServiceReceipt": {
                "EventDate": self.now.to_rfc3339(),
                "MessageIdentifier": id.unwrap_or_else(Uuid::new_v4).to_string(),
            }
        })
    }
}

fn output_has(fields: &[Field], name: &str) -> bool {
    fields
        .iter()
        .any(|f| f.name == name || output_has(&f.children, name))
}

pub fn value_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().trim_start_matches('+').parse().ok(),
        // CodeListItemIdentifierType wraps the value in a CodeListItemIdentifier element.
        Value::Object(m) => m.values().next().and_then(value_int),
        _ => None,
    }
}

pub fn value_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}
