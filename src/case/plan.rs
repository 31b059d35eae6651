//! Planning: resolving loaded cases against the spec into [`PlannedCase`]s, with every spec
//! lookup done once here and every template compiled, so running a case does no lookups and no
//! parsing. A case that names an unknown method or field, or covers a code its method does not
//! document, is an error here, never at run time. The main entry point is [`plan`].

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::clock::{TimeFormat, TimeSpec};
use super::diagnostic::Diagnostic;
use super::given::{CitizenState, Given, SetupCall};
use super::load::LoadedCase;
use super::model::{Case, Check, Then, When};
use super::node::{Node, NodeValue, Pos};
use super::suggest::did_you_mean;
use super::template::{Placeholder, TValue, Template};
use crate::spec::model::{
    Binding, Field, FieldKind, FieldLocation, HttpVerb, MethodRef, MethodStatus, Transport,
    WITHDRAWN_CODE,
};
use crate::spec::overlay::Overlay;
use crate::spec::{Spec, XsdPattern};

/// Everything the runner needs to know about one method, looked up once.
#[derive(Debug, Clone)]
pub struct MethodInfo {
    pub service: String,
    pub name: String,
    pub status: MethodStatus,
    pub call: MethodCall,
    /// The OAuth2 scope, where documented.
    pub scope: Option<String>,
    /// Another method's documented scope, for a case whose token must lack this method's
    /// (`when.omit: [Scope]`).
    pub other_scope: Option<String>,
    pub headers: Vec<Field>,
    pub path_params: Vec<Field>,
    pub query_params: Vec<Field>,
    /// The fields below the request body (REST `requestBody`, SOAP request element).
    pub body: Vec<Field>,
    /// The fields below the response body.
    pub output: Vec<Field>,
    /// Codes documented for this method (and the general SOAP faults).
    pub codes: BTreeSet<u32>,
}

/// How the method is reached.
#[derive(Debug, Clone)]
pub enum MethodCall {
    Rest {
        verb: HttpVerb,
        /// With `{param}` placeholders.
        path: String,
    },
    Soap {
        action: String,
        request_element: String,
        /// The endpoint path below the service's base URL.
        endpoint: String,
        namespace: String,
        header_namespace: String,
    },
}

impl MethodInfo {
    pub fn transport(&self) -> Transport {
        match self.call {
            MethodCall::Rest { .. } => Transport::Rest,
            MethodCall::Soap { .. } => Transport::Soap,
        }
    }

    /// Builds the info for one method; `Err` says why it cannot be called.
    pub fn build(spec: &Spec, m: MethodRef<'_>) -> Result<MethodInfo, String> {
        let method = m.method;
        let call = match &method.binding {
            Binding::Rest { verb, path } => {
                let (verb, path) = if path.trim().is_empty() {
                    let p = spec.overlay.rest_paths.get(&method.name).ok_or_else(|| {
                        format!(
                            "{} has no REST path, and the overlay gives none",
                            method.name
                        )
                    })?;
                    (p.verb, p.path.clone())
                } else {
                    (*verb, path.clone())
                };
                MethodCall::Rest { verb, path }
            }
            Binding::Soap {
                action,
                request_element,
                ..
            } => {
                // Where the overlay is silent, the same defaults as the reference.
                let service = &m.service.service;
                let (endpoint, namespace, header_namespace) =
                    match spec.overlay.soap_services.get(service) {
                        Some(svc) => (
                            svc.path.clone(),
                            svc.namespace.clone(),
                            svc.header_namespace.clone(),
                        ),
                        None => (
                            format!("/soap/{service}"),
                            format!("urn:star:dfdg:{service}"),
                            format!("urn:star:dfdg:{service}"),
                        ),
                    };
                MethodCall::Soap {
                    action: action.clone(),
                    request_element: request_element.clone(),
                    endpoint,
                    namespace,
                    header_namespace,
                }
            }
        };
        let by_location = |loc: FieldLocation| -> Vec<Field> {
            method
                .input
                .iter()
                .filter(|f| f.location == loc)
                .cloned()
                .collect()
        };
        let body_roots = by_location(FieldLocation::Body);
        let body = match &call {
            MethodCall::Rest { .. } => unwrap_root(body_roots, |n| n == "requestBody"),
            MethodCall::Soap {
                request_element, ..
            } => unwrap_root(body_roots, |n| {
                n == request_element || n.ends_with("Request")
            }),
        };
        // The answer's body is read below the response root, as the reference writes it: a
        // SOAP answer below its response element, a REST answer below a single complex root.
        let output = match &method.binding {
            Binding::Soap {
                response_element, ..
            } => {
                let element = response_element
                    .clone()
                    .unwrap_or_else(|| format!("{}Response", method.name));
                unwrap_root(method.output.clone(), |n| n == element)
            }
            Binding::Rest { .. } => unwrap_root(method.output.clone(), |_| true),
        };
        let mut codes: BTreeSet<u32> = method.errors.iter().map(|e| e.code).collect();
        let transport = match call {
            MethodCall::Soap { .. } => Transport::Soap,
            MethodCall::Rest { .. } => Transport::Rest,
        };
        codes.extend(
            spec.overlay
                .general_faults
                .iter()
                .filter(|f| f.transports.contains(&transport))
                .map(|f| f.code),
        );
        // A withdrawn method refuses every call with 4588, though it documents no codes.
        if method.status == MethodStatus::Withdrawn {
            codes.insert(WITHDRAWN_CODE);
        }
        Ok(MethodInfo {
            service: m.service.service.clone(),
            name: method.name.clone(),
            status: method.status,
            scope: method.scope.clone(),
            other_scope: spec
                .methods()
                .filter_map(|m| m.method.scope.clone())
                .filter(|s| Some(s) != method.scope.as_ref())
                .min(),
            headers: by_location(FieldLocation::Header),
            path_params: by_location(FieldLocation::Path),
            query_params: by_location(FieldLocation::Query),
            body,
            output,
            codes,
            call,
        })
    }
}

/// A body whose only member is the request (response) root is read below that root.
fn unwrap_root(fields: Vec<Field>, is_root: impl Fn(&str) -> bool) -> Vec<Field> {
    if let [only] = fields.as_slice() {
        let named = is_root(&only.name) || only.former_name.as_deref().is_some_and(&is_root);
        if named && !only.children.is_empty() {
            return only.children.clone();
        }
    }
    fields
}

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
}

/// The known values of `when.omit`.
pub const OMIT_VALUES: [&str; 5] = [
    "all",
    "Authorization",
    "Scope",
    "ActiveOrganisationHeader",
    "RequestUserMetadataHeader",
];

/// A compiled `then`.
#[derive(Debug, Clone)]
pub enum Expect {
    /// A DFDG error with exactly these codes (sorted).
    Codes(Vec<u32>),
    Status(u16),
    Success(Vec<PlannedCheck>),
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
        }
    }
}

/// A check on one response field.
#[derive(Debug, Clone)]
pub struct PlannedCheck {
    pub path: String,
    pub segments: Vec<String>,
    pub check: CompiledCheck,
}

#[derive(Debug, Clone)]
pub enum CompiledCheck {
    Present(bool),
    Equals(Template, TimeFormat),
    Matches(Matcher),
    Count(usize),
}

/// A value kind or pattern a field must match.
#[derive(Debug, Clone)]
pub enum Matcher {
    Guid,
    DateTime,
    Date,
    Integer,
    Boolean,
    Pattern(XsdPattern),
}

/// Compiles a `matches:` value: a kind name or an XSD pattern.
pub fn matcher(s: &str) -> Result<Matcher, String> {
    Ok(match s {
        "guid" | "uuid" => Matcher::Guid,
        "datetime" | "dateTime" | "date-time" => Matcher::DateTime,
        "date" => Matcher::Date,
        "integer" | "int" => Matcher::Integer,
        "boolean" => Matcher::Boolean,
        pattern => Matcher::Pattern(
            XsdPattern::new(pattern).map_err(|e| format!("`matches: {pattern}`: {e}"))?,
        ),
    })
}

/// Checks a `matches:` value without keeping it.
pub fn check_matcher(s: &str) -> Result<(), String> {
    matcher(s).map(|_| ())
}

/// The result of planning a corpus.
#[derive(Debug, Default)]
pub struct Plan {
    pub cases: Vec<PlannedCase>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves every loaded case against the spec. `roles` are the caller role names cases may
/// use (`given.caller`, organisation references).
pub fn plan(spec: &Spec, cases: &[LoadedCase], roles: &BTreeSet<String>) -> Plan {
    let mut planner = Planner {
        spec,
        roles,
        methods: HashMap::new(),
        out: Plan::default(),
    };
    for loaded in cases {
        planner.plan_case(loaded);
    }
    planner.out.diagnostics.sort();
    planner.out
}

struct Planner<'a> {
    spec: &'a Spec,
    roles: &'a BTreeSet<String>,
    methods: HashMap<(String, String), Result<Arc<MethodInfo>, String>>,
    out: Plan,
}

/// Diagnostics for one case, with its file and id.
struct Sink<'a> {
    path: &'a Path,
    id: &'a str,
    diags: Vec<Diagnostic>,
}

impl Sink<'_> {
    fn push(&mut self, pos: Pos, field: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(self.path, pos, message)
            .case(Some(self.id))
            .help(help);
        if !field.is_empty() {
            d = d.field(field);
        }
        self.diags.push(d);
    }
}

impl Planner<'_> {
    fn method(&mut self, service: &str, name: &str) -> Result<Arc<MethodInfo>, String> {
        let key = (service.to_string(), name.to_string());
        if let Some(found) = self.methods.get(&key) {
            return found.clone();
        }
        let spec = self.spec;
        let result = match spec.services.get(service) {
            None => {
                let hint = did_you_mean(service, spec.services.keys().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(format!("unknown service `{service}`{hint}"))
            }
            Some(svc) => match spec.service_method(service, name) {
                Some(m) => MethodInfo::build(spec, m).map(Arc::new),
                None => {
                    let former = svc
                        .methods
                        .iter()
                        .find(|m| m.former_names.iter().any(|f| f == name));
                    let hint = match former {
                        Some(m) => format!("; `{name}` is a former name of `{}`", m.name),
                        None => did_you_mean(name, svc.methods.iter().map(|m| m.name.as_str()))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default(),
                    };
                    Err(format!("{service} has no method `{name}`{hint}"))
                }
            },
        };
        self.methods.insert(key, result.clone());
        result
    }

    fn plan_case(&mut self, loaded: &LoadedCase) {
        let case = &loaded.case;
        let node = &loaded.node;
        let mut sink = Sink {
            path: &loaded.path,
            id: &case.id,
            diags: Vec::new(),
        };
        let method = match self.method(&case.service, &case.method) {
            Ok(m) => m,
            Err(e) => {
                sink.push(node.pos, "", e, None);
                self.out.diagnostics.extend(sink.diags);
                return;
            }
        };
        let given_node = node.get("given");
        let when_node = node.get("when");

        // The caller and every organisation reference name known roles.
        let caller = case
            .given
            .caller
            .clone()
            .unwrap_or_else(|| "jobcenter".to_string());
        if let Some(g) = given_node {
            self.check_roles(g, "given", &mut sink);
        }

        // Names the preconditions give to identifiers, for `${ids.NAME}`.
        let mut id_names = BTreeSet::new();
        collect_id_names(&case.given, &mut id_names);
        // The two citizens' identifiers share one namespace: a name may be given once.
        if let (Some(citizen), Some(other)) = (&case.given.citizen, &case.given.other_citizen) {
            let mut mine = BTreeSet::new();
            let mut theirs = BTreeSet::new();
            collect_citizen_id_names(citizen, &mut mine);
            collect_citizen_id_names(other, &mut theirs);
            for name in mine.intersection(&theirs) {
                let at = given_node
                    .and_then(|g| g.get("other_citizen"))
                    .map_or(node.pos, |n| n.pos);
                sink.push(
                    at,
                    "given.other_citizen",
                    format!("the id name `{name}` is given to both citizens"),
                    Some("give the other citizen's identifiers names of their own".into()),
                );
            }
        }
        let has_citizen = case.given.citizen.is_some();

        let request = self.plan_request(
            &method,
            &case.when,
            when_node,
            "when",
            &id_names,
            has_citizen,
            &mut sink,
        );
        let mut setup = Vec::new();
        for (i, call) in case.given.calls.iter().enumerate() {
            let field = format!("given.calls[{i}]");
            let call_node = given_node
                .and_then(|g| g.get("calls"))
                .and_then(|c| c.as_seq())
                .and_then(|c| c.get(i));
            if let Some(p) = self.plan_call(
                case,
                call,
                call_node,
                &field,
                &id_names,
                has_citizen,
                &caller,
                &mut sink,
            ) {
                setup.push(p);
            }
        }

        // What the case covers is documented for its method.
        for (i, code) in case.covers.codes.iter().enumerate() {
            if !method.codes.contains(code) {
                let pos = seq_pos(node, &["covers", "codes"], i);
                sink.push(
                    pos,
                    &format!("covers.codes[{i}]"),
                    format!("code {code} is not documented for {}", method.name),
                    Some(codes_hint(&method)),
                );
            }
        }
        let rule_ids = self.rule_ids(&case.service, &case.method);
        for (i, rule) in case.covers.rules.iter().enumerate() {
            if !rule_ids.contains(rule) {
                let pos = seq_pos(node, &["covers", "rules"], i);
                let hint = did_you_mean(rule, rule_ids.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                sink.push(
                    pos,
                    &format!("covers.rules[{i}]"),
                    format!(
                        "rule `{rule}` is not a rule of {} or its service",
                        method.name
                    ),
                    hint,
                );
            }
        }
        for (i, path) in case.covers.fields.iter().enumerate() {
            let known = self
                .spec
                .service_method(&case.service, &case.method)
                .is_some_and(|m| {
                    !self
                        .spec
                        .cite(&m, crate::spec::Citable::Field(path))
                        .is_empty()
                        || crate::spec::model::find_path(&m.method.input, path).is_some()
                        || crate::spec::model::find_path(m.method.body_fields(), path).is_some()
                });
            if !known {
                sink.push(
                    seq_pos(node, &["covers", "fields"], i),
                    &format!("covers.fields[{i}]"),
                    format!("{} has no input field `{path}`", method.name),
                    Some("a path below the body (`Parent/Child`), or a header or path parameter name".into()),
                );
            }
        }
        for (i, entry) in case.assumes.iter().enumerate() {
            if let Err(e) = overlay_entry_exists(&self.spec.overlay, entry) {
                sink.push(
                    seq_pos(node, &["assumes"], i),
                    &format!("assumes[{i}]"),
                    e,
                    None,
                );
            }
        }

        let expect = self.plan_then(
            &method,
            &case.then,
            node.get("then"),
            &id_names,
            has_citizen,
            &mut sink,
        );

        if !sink.diags.is_empty() {
            self.out.diagnostics.extend(sink.diags);
            return;
        }
        let state = (case.given.citizen.is_some()
            || case.given.other_citizen.is_some()
            || !case.given.projects.is_empty())
        .then(|| {
            let mut g = case.given.clone();
            g.calls.clear();
            g
        });
        let clock = case.given.clock.as_deref().and_then(TimeSpec::parse);
        let grounds = self
            .spec
            .service_method(&case.service, &case.method)
            .map(|m| super::grounds::of(self.spec, &m, case))
            .unwrap_or_default();
        self.out.cases.push(PlannedCase {
            case: Arc::new(case.clone()),
            method,
            caller,
            state,
            clock,
            setup,
            request,
            expect,
            grounds,
        });
    }

    #[expect(clippy::too_many_arguments, reason = "one call site per kind of call")]
    fn plan_call(
        &mut self,
        case: &Case,
        call: &SetupCall,
        node: Option<&Node>,
        field: &str,
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        caller: &str,
        sink: &mut Sink<'_>,
    ) -> Option<PlannedCall> {
        let service = call.service.as_deref().unwrap_or(&case.service);
        let pos = node.map(|n| n.pos).unwrap_or_default();
        let method = match self.method(service, &call.method) {
            Ok(m) => m,
            Err(e) => {
                let pos = node
                    .and_then(|n| n.get("method"))
                    .map(|n| n.pos)
                    .unwrap_or(pos);
                sink.push(pos, &format!("{field}.method"), e, None);
                return None;
            }
        };
        let request = self.plan_request(
            &method,
            &call.when,
            node.and_then(|n| n.get("when")),
            &format!("{field}.when"),
            id_names,
            has_citizen,
            sink,
        );
        Some(PlannedCall {
            method,
            caller: call.caller.clone().unwrap_or_else(|| caller.to_string()),
            request,
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the case context travels together"
    )]
    fn plan_request(
        &self,
        method: &MethodInfo,
        when: &When,
        node: Option<&Node>,
        field: &str,
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        sink: &mut Sink<'_>,
    ) -> PlannedRequest {
        let pos = node.map(|n| n.pos).unwrap_or_default();
        let member = |name: &str| node.and_then(|n| n.get(name));
        let key_pos = |section: &str, key: &str| -> Pos {
            node.and_then(|n| n.get(section))
                .and_then(|s| s.as_map())
                .and_then(|m| m.iter().find(|(k, _)| k.name == key))
                .map(|(k, _)| k.pos)
                .unwrap_or(pos)
        };
        let is_soap = method.transport() == Transport::Soap;

        // Headers: documented header fields of a REST method, compared without case.
        let mut headers = Vec::new();
        for (name, value) in &when.headers {
            if is_soap {
                sink.push(
                    key_pos("headers", name),
                    &format!("{field}.headers.{name}"),
                    format!("{} is a SOAP method: it takes no HTTP headers", method.name),
                    Some("the caller headers are written from `given.caller`; leave them out with `omit`".into()),
                );
                continue;
            }
            let known = method
                .headers
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(name));
            if known.is_none() && !name.eq_ignore_ascii_case("content-type") {
                let hint = did_you_mean(name, method.headers.iter().map(|f| f.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                sink.push(
                    key_pos("headers", name),
                    &format!("{field}.headers.{name}"),
                    format!("{} documents no header `{name}`", method.name),
                    hint,
                );
            }
            headers.push((name.clone(), compile(value)));
        }
        // Path parameters: every `{param}` of the path, nothing else.
        let mut path = Vec::new();
        let wanted: Vec<String> = match &method.call {
            MethodCall::Rest { path, .. } => path_params(path),
            MethodCall::Soap { .. } => Vec::new(),
        };
        for (name, value) in &when.path {
            if !wanted.iter().any(|w| w == name) {
                let hint = did_you_mean(name, wanted.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                sink.push(
                    key_pos("path", name),
                    &format!("{field}.path.{name}"),
                    format!("the path of {} has no parameter `{name}`", method.name),
                    hint,
                );
            }
            path.push((name.clone(), compile(value)));
        }
        for w in &wanted {
            if !when.path.contains_key(w) {
                sink.push(
                    member("path").map(|n| n.pos).unwrap_or(pos),
                    &format!("{field}.path"),
                    format!("the path of {} needs `{w}`", method.name),
                    Some(format!("add `path: {{ {w}: ... }}` to `{field}`")),
                );
            }
        }
        let mut query = Vec::new();
        for (name, value) in &when.query {
            if !method.query_params.iter().any(|f| &f.name == name) {
                let hint = did_you_mean(name, method.query_params.iter().map(|f| f.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                sink.push(
                    key_pos("query", name),
                    &format!("{field}.query.{name}"),
                    format!("{} documents no query parameter `{name}`", method.name),
                    hint,
                );
            }
            query.push((name.clone(), compile(value)));
        }
        // The body follows the method's input tree (current or former names).
        let body = if when.body.is_null() {
            None
        } else {
            if let MethodCall::Rest {
                verb: HttpVerb::Get,
                ..
            } = method.call
            {
                sink.push(
                    member("body").map(|n| n.pos).unwrap_or(pos),
                    &format!("{field}.body"),
                    format!("{} is a GET method: it takes no body", method.name),
                    None,
                );
            }
            if let Some(b) = member("body") {
                check_body(
                    b,
                    &method.body,
                    &format!("{field}.body"),
                    &method.name,
                    sink,
                );
            }
            Some(compile_value(&when.body, &method.body))
        };
        let raw = when.raw.as_deref().map(compile);
        if raw.is_some() && body.is_some() {
            sink.push(
                pos,
                &format!("{field}.raw"),
                "`raw` replaces `body`: give one of them".into(),
                None,
            );
        }
        let mut omit = Omit::default();
        for (i, o) in when.omit.iter().enumerate() {
            match o.as_str() {
                "all" => {
                    omit = Omit {
                        authorization: true,
                        scope: false,
                        active_organisation: true,
                        user_metadata: true,
                    }
                }
                "Authorization" => omit.authorization = true,
                "Scope" => omit.scope = true,
                "ActiveOrganisationHeader" => omit.active_organisation = true,
                "RequestUserMetadataHeader" => omit.user_metadata = true,
                other => {
                    let hint =
                        did_you_mean(other, OMIT_VALUES).map(|s| format!("did you mean `{s}`?"));
                    sink.push(
                        seq_pos_in(member("omit"), i).unwrap_or(pos),
                        &format!("{field}.omit[{i}]"),
                        format!(
                            "`omit` takes {}, not `{other}`",
                            OMIT_VALUES.map(|v| format!("`{v}`")).join(", ")
                        ),
                        hint,
                    );
                }
            }
        }
        // Every placeholder can be filled.
        if let Some(n) = node {
            self.check_placeholders(n, field, id_names, has_citizen, sink);
        }
        let mut request = PlannedRequest {
            headers,
            path,
            query,
            body,
            raw,
            omit,
        };
        self.resolve_codes(&mut request);
        request
    }

    fn plan_then(
        &self,
        method: &MethodInfo,
        then: &Then,
        node: Option<&Node>,
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        sink: &mut Sink<'_>,
    ) -> Expect {
        let pos = node.map(|n| n.pos).unwrap_or_default();
        // An expected code rests on a row of the method's error table, or on a general fault
        // the overlay states; with neither, the expectation has no grounds at all.
        let check_code = |code: u32, field: &str, at: Pos, sink: &mut Sink<'_>| {
            if !method.codes.contains(&code) {
                sink.push(
                    at,
                    field,
                    format!(
                        "no document grounds: code {code} is not in {}'s error table, nor a \
                         general fault of the overlay",
                        method.name
                    ),
                    Some(codes_hint(method)),
                );
            }
        };
        match then {
            Then::Error { error } => {
                let at = node.and_then(|n| n.get("error")).map_or(pos, |n| n.pos);
                check_code(*error, "then.error", at, sink);
                Expect::Codes(vec![*error])
            }
            Then::Errors { errors } => {
                for (i, c) in errors.iter().enumerate() {
                    let at = seq_pos_in(node.and_then(|n| n.get("errors")), i).unwrap_or(pos);
                    check_code(*c, &format!("then.errors[{i}]"), at, sink);
                }
                let mut codes = errors.clone();
                codes.sort_unstable();
                Expect::Codes(codes)
            }
            Then::Status { status } => Expect::Status(*status),
            Then::Success { fields, .. } => {
                let mut checks = Vec::new();
                for (path, check) in fields {
                    let segments: Vec<String> = path
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    let at = node
                        .and_then(|n| n.get("fields"))
                        .and_then(|f| f.as_map())
                        .and_then(|m| m.iter().find(|(k, _)| &k.name == path))
                        .map(|(k, _)| k.pos)
                        .unwrap_or(pos);
                    let field = output_field(&method.output, &segments);
                    if let Err(e) = &field {
                        sink.push(at, &format!("then.fields.{path}"), e.0.clone(), e.1.clone());
                    }
                    let format = match field.ok().flatten().map(Field::kind) {
                        Some(FieldKind::Date) => TimeFormat::Date,
                        Some(FieldKind::DateTime) => TimeFormat::DateTime,
                        _ => TimeFormat::Natural,
                    };
                    let compiled = match check {
                        Check::Present(b) => CompiledCheck::Present(*b),
                        Check::Count(n) => CompiledCheck::Count(*n),
                        Check::Equals(s) => {
                            let mut t = compile(s);
                            self.resolve_template_codes(&mut t);
                            CompiledCheck::Equals(t, format)
                        }
                        Check::Matches(m) => match matcher(m) {
                            Ok(m) => CompiledCheck::Matches(m),
                            Err(e) => {
                                sink.push(at, &format!("then.fields.{path}"), e, None);
                                continue;
                            }
                        },
                    };
                    checks.push(PlannedCheck {
                        path: path.clone(),
                        segments,
                        check: compiled,
                    });
                }
                if let Some(n) = node.and_then(|n| n.get("fields")) {
                    self.check_placeholders(n, "then.fields", id_names, has_citizen, sink);
                }
                Expect::Success(checks)
            }
        }
    }

    /// Every placeholder below `n` names something the case has.
    fn check_placeholders(
        &self,
        n: &Node,
        field: &str,
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        sink: &mut Sink<'_>,
    ) {
        match &n.value {
            NodeValue::String(s) => {
                let Ok(t) = Template::parse(s) else { return };
                for p in t.placeholders() {
                    match p {
                        Placeholder::Cpr if !has_citizen => sink.push(
                            n.pos,
                            field,
                            "`${cpr}` needs a citizen: add `citizen: {}` to `given`".into(),
                            None,
                        ),
                        Placeholder::Id(name) if !id_names.contains(name) => {
                            let hint = did_you_mean(name, id_names.iter().map(String::as_str))
                                .map(|s| format!("did you mean `${{ids.{s}}}`?"))
                                .or_else(|| {
                                    Some("name an entry of `given` with `id: NAME`".into())
                                });
                            sink.push(
                                n.pos,
                                field,
                                format!("`${{ids.{name}}}`: no entry of `given` has `id: {name}`"),
                                hint,
                            );
                        }
                        Placeholder::Code { list, meaning, .. } => {
                            if let Err(e) = code_value(&self.spec.overlay, list, meaning) {
                                sink.push(n.pos, field, e.0, e.1);
                            }
                        }
                        Placeholder::Cpr
                        | Placeholder::Id(_)
                        | Placeholder::Uuid
                        | Placeholder::NamedUuid(_)
                        | Placeholder::Time(_) => {}
                    }
                }
            }
            NodeValue::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.check_placeholders(
                        it,
                        &format!("{field}[{i}]"),
                        id_names,
                        has_citizen,
                        sink,
                    );
                }
            }
            NodeValue::Map(members) => {
                for (k, v) in members {
                    self.check_placeholders(
                        v,
                        &format!("{field}.{}", k.name),
                        id_names,
                        has_citizen,
                        sink,
                    );
                }
            }
            NodeValue::Null | NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::Float(_) => {}
        }
    }

    /// Organisation references in `given` name known roles (or are codes).
    fn check_roles(&self, n: &Node, field: &str, sink: &mut Sink<'_>) {
        const ROLE_KEYS: [&str; 8] = [
            "caller",
            "jobcenter",
            "kommune",
            "akasse",
            "anden_aktoer",
            "registered_by",
            "created_by",
            "former_jobcenters",
        ];
        match &n.value {
            NodeValue::Map(members) => {
                for (k, v) in members {
                    let here = format!("{field}.{}", k.name);
                    let is_move_end =
                        (k.name == "from" || k.name == "to") && field.contains("moves");
                    if ROLE_KEYS.contains(&k.name.as_str()) || is_move_end {
                        let values: Vec<&Node> = match &v.value {
                            NodeValue::Seq(items) => items.iter().collect(),
                            _ => vec![v],
                        };
                        for value in values {
                            if let Some(s) = value.as_str() {
                                // An organisation code (`10101`) may stand for a role.
                                let is_code = k.name != "caller"
                                    && s.chars().all(|c| c.is_ascii_alphanumeric())
                                    && s.chars().any(|c| c.is_ascii_digit());
                                if !self.roles.contains(s) && !is_code {
                                    let hint =
                                        did_you_mean(s, self.roles.iter().map(String::as_str))
                                            .map(|r| format!("did you mean `{r}`?"))
                                            .or_else(|| {
                                                Some(format!(
                                                    "the roles are {}",
                                                    self.roles
                                                        .iter()
                                                        .map(|r| format!("`{r}`"))
                                                        .collect::<Vec<_>>()
                                                        .join(", ")
                                                ))
                                            });
                                    sink.push(
                                        value.pos,
                                        &here,
                                        format!("unknown caller role `{s}`"),
                                        hint,
                                    );
                                }
                            }
                        }
                        continue;
                    }
                    if k.name != "calls" || field == "given" {
                        self.check_roles(v, &here, sink);
                    }
                }
            }
            NodeValue::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.check_roles(it, &format!("{field}[{i}]"), sink);
                }
            }
            NodeValue::Null
            | NodeValue::Bool(_)
            | NodeValue::Int(_)
            | NodeValue::Float(_)
            | NodeValue::String(_) => {}
        }
    }

    fn rule_ids(&self, service: &str, method: &str) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        if let Some(svc) = self.spec.services.get(service) {
            ids.extend(svc.rules.iter().map(|r| r.id.clone()));
            if let Some(m) = svc.methods.iter().find(|m| m.name == method) {
                ids.extend(m.rules.iter().map(|r| r.id.clone()));
            }
        }
        if let Some(rules) = self.spec.overlay.rules.get(method) {
            ids.extend(rules.iter().map(|r| r.rule.id.clone()));
        }
        ids
    }

    fn resolve_codes(&self, request: &mut PlannedRequest) {
        for (_, t) in request
            .headers
            .iter_mut()
            .chain(request.path.iter_mut())
            .chain(request.query.iter_mut())
        {
            self.resolve_template_codes(t);
        }
        if let Some(b) = &mut request.body {
            for t in b.templates_mut() {
                self.resolve_template_codes(t);
            }
        }
        if let Some(r) = &mut request.raw {
            self.resolve_template_codes(r);
        }
    }

    fn resolve_template_codes(&self, t: &mut Template) {
        for p in t.placeholders_mut() {
            if let Placeholder::Code {
                list,
                meaning,
                value,
            } = p
            {
                *value = code_value(&self.spec.overlay, list, meaning).ok();
            }
        }
    }
}

/// A code-list value, or why not (message, hint).
fn code_value(
    overlay: &Overlay,
    list: &str,
    meaning: &str,
) -> Result<i64, (String, Option<String>)> {
    let Some(l) = overlay.code_lists.get(list) else {
        let hint = did_you_mean(list, overlay.code_lists.keys().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"));
        return Err((format!("the overlay has no code list `{list}`"), hint));
    };
    l.values
        .iter()
        .find(|v| v.meaning == meaning)
        .map(|v| v.value)
        .ok_or_else(|| {
            let hint = did_you_mean(meaning, l.values.iter().map(|v| v.meaning.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            (
                format!("code list `{list}` has no value meaning `{meaning}`"),
                hint,
            )
        })
}

/// Whether `entry` (`code_lists.kontaktgruppe.KTH`, `method_access.X`, ...) names an overlay entry.
pub fn overlay_entry_exists(o: &Overlay, entry: &str) -> Result<(), String> {
    let (section, rest) = entry.split_once('.').unwrap_or((entry, ""));
    let found = match section {
        "soap_services" => o.soap_services.contains_key(rest),
        "rest_paths" => o.rest_paths.contains_key(rest),
        "code_lists" => match rest.split_once('.') {
            Some((list, meaning)) => o.code(list, meaning).is_some(),
            None => o.code_lists.contains_key(rest),
        },
        "general_faults" => rest
            .parse::<u32>()
            .is_ok_and(|c| o.general_faults.iter().any(|f| f.code == c)),
        "organisation_type_ids" => o
            .organisation_type_ids
            .iter()
            .any(|t| t.organisation.as_str() == rest),
        "method_access" => o.method_access.contains_key(rest),
        "untestable" => o.untestable.contains_key(rest),
        "rule_codes" => o.rule_codes.contains_key(rest),
        "rules" => {
            o.rules.contains_key(rest) || o.rules.values().flatten().any(|r| r.rule.id == rest)
        }
        _ => {
            let sections = [
                "soap_services",
                "rest_paths",
                "code_lists",
                "general_faults",
                "organisation_type_ids",
                "method_access",
                "untestable",
                "rule_codes",
                "rules",
            ];
            let hint = did_you_mean(section, sections)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("`{entry}` names no overlay section{hint}"));
        }
    };
    if found {
        Ok(())
    } else {
        Err(format!("the overlay has no entry `{entry}`"))
    }
}

fn codes_hint(method: &MethodInfo) -> String {
    let list: Vec<String> = method.codes.iter().map(u32::to_string).collect();
    if list.is_empty() {
        format!("{} documents no error codes", method.name)
    } else {
        format!("{} documents {}", method.name, list.join(", "))
    }
}

/// The `{param}` names of a REST path.
pub fn path_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    out
}

fn compile(s: &str) -> Template {
    // Syntax was checked at loading; a template that still fails is sent as written.
    Template::parse(s).unwrap_or_else(|_| Template {
        parts: vec![super::template::Part::Literal(s.to_string())],
    })
}

/// Compiles a body against its fields, so each string knows the time format of its field.
pub fn compile_value(v: &Value, fields: &[Field]) -> TValue {
    compile_with_field(v, fields, None)
}

fn compile_with_field(v: &Value, children: &[Field], this: Option<&Field>) -> TValue {
    match v {
        Value::String(s) => {
            let t = compile(s);
            let format = match this.map(Field::kind) {
                Some(FieldKind::Date) => TimeFormat::Date,
                Some(FieldKind::DateTime) => TimeFormat::DateTime,
                _ => TimeFormat::Natural,
            };
            if t.is_literal() {
                TValue::Fixed(v.clone())
            } else {
                TValue::Str(t, format)
            }
        }
        Value::Array(items) => {
            let compiled: Vec<TValue> = items
                .iter()
                .map(|i| compile_with_field(i, children, this))
                .collect();
            if compiled.iter().all(|c| matches!(c, TValue::Fixed(_))) {
                TValue::Fixed(v.clone())
            } else {
                TValue::Array(compiled)
            }
        }
        Value::Object(map) => {
            let members: Vec<(String, TValue)> = map
                .iter()
                .map(|(k, v)| {
                    let field = children
                        .iter()
                        .find(|f| &f.name == k || f.former_name.as_deref() == Some(k));
                    let grandchildren = field.map(|f| f.children.as_slice()).unwrap_or(&[]);
                    (k.clone(), compile_with_field(v, grandchildren, field))
                })
                .collect();
            if members.iter().all(|(_, c)| matches!(c, TValue::Fixed(_))) {
                TValue::Fixed(v.clone())
            } else {
                TValue::Object(members)
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => TValue::Fixed(v.clone()),
    }
}

/// Every member of the body is a field of the input tree.
fn check_body(n: &Node, fields: &[Field], field: &str, method: &str, sink: &mut Sink<'_>) {
    match &n.value {
        NodeValue::Map(members) => {
            for (k, v) in members {
                let here = format!("{field}.{}", k.name);
                match fields
                    .iter()
                    .find(|f| f.name == k.name || f.former_name.as_deref() == Some(k.name.as_str()))
                {
                    Some(f) => check_body(v, &f.children, &here, method, sink),
                    None => {
                        let names = fields.iter().flat_map(|f| {
                            std::iter::once(f.name.as_str()).chain(f.former_name.as_deref())
                        });
                        let hint =
                            did_you_mean(&k.name, names).map(|s| format!("did you mean `{s}`?"));
                        let hint = hint.or_else(|| {
                            (!fields.is_empty()).then(|| {
                                format!(
                                    "here the input has {}",
                                    fields
                                        .iter()
                                        .map(|f| format!("`{}`", f.name))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            })
                        });
                        let message = if fields.is_empty() {
                            format!(
                                "`{}` has no fields below it in the input of {method}",
                                field.rsplit('.').next().unwrap_or(field)
                            )
                        } else {
                            format!("unknown field `{}` in the input of {method}", k.name)
                        };
                        sink.push(k.pos, &here, message, hint);
                    }
                }
            }
        }
        NodeValue::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                check_body(it, fields, &format!("{field}[{i}]"), method, sink);
            }
        }
        NodeValue::Null
        | NodeValue::Bool(_)
        | NodeValue::Int(_)
        | NodeValue::Float(_)
        | NodeValue::String(_) => {}
    }
}

/// The output field at a check path (numeric segments index arrays); `Ok(None)` when the
/// method documents no output tree to check against.
type Problem = (String, Option<String>);
fn output_field<'f>(
    output: &'f [Field],
    segments: &[String],
) -> Result<Option<&'f Field>, Problem> {
    if output.is_empty() {
        return Ok(None);
    }
    let mut level = output;
    let mut found = None;
    for seg in segments {
        if seg.parse::<usize>().is_ok() {
            continue;
        }
        let named = |fields: &'f [Field]| {
            fields
                .iter()
                .find(|f| &f.name == seg || f.former_name.as_deref() == Some(seg.as_str()))
        };
        // A collection's item element (`ydelser` > `YdelseDto`) may be folded into an array.
        let found_here = named(level).or_else(|| match level {
            [item] if item.occurs.is_repeated() => named(&item.children),
            _ => None,
        });
        match found_here {
            Some(f) => {
                found = Some(f);
                level = &f.children;
            }
            None => {
                let hint = did_you_mean(seg, level.iter().map(|f| f.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                return Err((format!("the output has no field `{seg}` here"), hint));
            }
        }
    }
    Ok(found)
}

fn collect_id_names(given: &Given, out: &mut BTreeSet<String>) {
    // The identifiers the target creates are named by `id:` members; going through JSON keeps
    // this in step with every list `given` has or will have.
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "id" {
                        if let Value::String(s) = v {
                            out.insert(s.clone());
                        }
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
    let mut g = given.clone();
    g.calls.clear();
    if let Ok(v) = serde_json::to_value(&g) {
        walk(&v, out);
    }
}

fn collect_citizen_id_names(citizen: &CitizenState, out: &mut BTreeSet<String>) {
    let given = Given {
        citizen: Some(citizen.clone()),
        ..Given::default()
    };
    collect_id_names(&given, out);
}

fn seq_pos(node: &Node, path: &[&str], index: usize) -> Pos {
    let mut n = node;
    for p in path {
        match n.get(p) {
            Some(x) => n = x,
            None => return node.pos,
        }
    }
    seq_pos_in(Some(n), index).unwrap_or(n.pos)
}

fn seq_pos_in(n: Option<&Node>, index: usize) -> Option<Pos> {
    n?.as_seq()?.get(index).map(|x| x.pos)
}
