//! The planner: one pass over the loaded cases that looks up each case's method, checks what it
//! covers and assumes, and hands its request and expectation to [`super::request`] and
//! [`super::expect`]. Problems are collected per case as positioned diagnostics; a case with
//! problems is not planned. The main type here is [`Planner`].

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::Plan;
use super::method::{MethodInfo, Uncallable};
use super::model::PlannedCase;
use super::request::code_value;
use crate::case::diagnostic::Diagnostic;
use crate::case::given::{CitizenState, Given};
use crate::case::load::LoadedCase;
use crate::case::node::{Node, NodeValue, Pos};
use crate::case::template::{Placeholder, Template};
use crate::clock::TimeSpec;
use crate::spec::Spec;
use crate::spec::overlay::Overlay;
use crate::suggest::did_you_mean;

pub struct Planner<'a> {
    pub(super) spec: &'a Spec,
    pub(super) roles: &'a BTreeSet<String>,
    pub(super) methods: HashMap<(String, String), Result<Arc<MethodInfo>, Uncallable>>,
    pub(super) out: Plan,
}

/// Diagnostics for one case, with its file and id.
pub(super) struct Sink<'a> {
    pub(super) path: &'a Path,
    pub(super) id: &'a str,
    pub(super) diags: Vec<Diagnostic>,
}

impl Sink<'_> {
    pub(super) fn push(&mut self, pos: Pos, field: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(self.path, pos, message)
            .case(Some(self.id))
            .help(help);
        if !field.is_empty() {
            d = d.field(field);
        }
        self.diags.push(d);
    }
}

/// The members that hold an organisation's code (an authority, a jobcentre).
const ORG_CODE_MEMBERS: [&str; 3] = ["authoritycode", "organisationcode", "jobcenteridentifier"];

/// Refuses an organisation code written as a literal: a vendor's jobcentres and authorities
/// have codes of their own, which the profile gives per role (`${org:ROLE}`). A code no role
/// has (an unknown jobcentre, on purpose) is not a role's code and may stay literal.
pub(super) fn check_org_literals(n: &Node, field: &str, sink: &mut Sink<'_>) {
    match &n.value {
        NodeValue::Map(members) => {
            for (k, v) in members {
                let at = format!("{field}.{}", k.name);
                let lower = k.name.to_ascii_lowercase();
                let literal = match &v.value {
                    NodeValue::String(s) if !s.contains("${") && !s.trim().is_empty() => {
                        Some(s.clone())
                    }
                    NodeValue::Int(i) => Some(i.to_string()),
                    _ => None,
                };
                let role = literal.as_deref().and_then(|code| {
                    crate::spec::model::EMBEDDED_ROLES
                        .iter()
                        .find(|(_, _, c)| *c == code)
                        .map(|(r, _, _)| *r)
                });
                if let (Some(code), Some(role)) = (&literal, role)
                    && ORG_CODE_MEMBERS.iter().any(|m| lower.ends_with(m))
                {
                    sink.push(
                        v.pos,
                        &at,
                        format!(
                            "no document grounds: the organisation code `{code}` is written as a \
                             literal; a target's organisations have codes of their own"
                        ),
                        Some(format!(
                            "write `${{org:{role}}}` (the code the profile gives the role {role})"
                        )),
                    );
                } else {
                    check_org_literals(v, &at, sink);
                }
            }
        }
        NodeValue::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                check_org_literals(it, &format!("{field}[{i}]"), sink);
            }
        }
        NodeValue::Null
        | NodeValue::Bool(_)
        | NodeValue::Int(_)
        | NodeValue::Float(_)
        | NodeValue::String(_) => {}
    }
}

impl Planner<'_> {
    pub(super) fn method(
        &mut self,
        service: &str,
        name: &str,
    ) -> Result<Arc<MethodInfo>, Uncallable> {
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
                Err(Uncallable::from(format!(
                    "unknown service `{service}`{hint}"
                )))
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
                    Err(Uncallable::from(format!(
                        "{service} has no method `{name}`{hint}"
                    )))
                }
            },
        };
        self.methods.insert(key, result.clone());
        result
    }

    pub(super) fn plan_case(&mut self, loaded: &LoadedCase) {
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
                // The file is named after no method: one problem per file, not per case.
                let e = e.to_string();
                if self.out.unknown_files.insert(loaded.path.clone()) {
                    let file = loaded
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let unknown_service = !self.spec.services.contains_key(&case.service);
                    let what = if unknown_service {
                        format!(
                            "the folder `{}` is named after no service (one folder per service)",
                            case.service
                        )
                    } else {
                        format!(
                            "`{file}` is named after no method (one file per method, named as STAR names it)"
                        )
                    };
                    let mut d = Diagnostic::new(
                        &loaded.path,
                        Pos { line: 1, column: 1 },
                        format!("{what}: {e}"),
                    );
                    if let Some(s) = e
                        .split("did you mean `")
                        .nth(1)
                        .and_then(|s| s.split('`').next())
                    {
                        d = d.help(Some(if unknown_service {
                            format!("rename the folder to `{s}`")
                        } else {
                            format!(
                                "rename the file to `{s}.yaml` (and its case ids to `{s}.<slug>`)"
                            )
                        }));
                    }
                    self.out.diagnostics.push(d);
                }
                drop(sink);
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
                    crate::spec::model::find_path(&m.method.input, path).is_some()
                        || crate::spec::model::find_path(m.method.body_fields(), path).is_some()
                });
            if !known {
                sink.push(
                    seq_pos(node, &["covers", "fields"], i),
                    &format!("covers.fields[{i}]"),
                    format!("{} has no input field `{path}`", method.name),
                    Some(
                        "a path below the body (`Parent/Child`), or a header or path parameter name"
                            .into(),
                    ),
                );
            }
        }
        for (i, entry) in case.assumes.iter().enumerate() {
            if let Err(e) = overlay_entry_exists(&self.spec.overlay, entry) {
                sink.push(
                    seq_pos(node, &["assumes"], i),
                    &format!("assumes[{i}]"),
                    e.to_string(),
                    None,
                );
            }
        }

        let expect = self.plan_then(
            &method,
            &case.then,
            node.get("then"),
            "then",
            &[],
            &id_names,
            has_citizen,
            &mut sink,
        );
        self.check_boundaries(
            case,
            node.get("then").map_or(node.pos, |n| n.pos),
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

    /// Every placeholder below `n` names something the case has.
    pub(super) fn check_placeholders(
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
                        | Placeholder::Time(_)
                        | Placeholder::Wire(_) => {}
                        Placeholder::Org(role) => {
                            if !self.roles.contains(role) {
                                let hint =
                                    did_you_mean(role, self.roles.iter().map(String::as_str))
                                        .map(|s| format!("did you mean `{s}`?"));
                                sink.push(
                                    n.pos,
                                    field,
                                    format!("`${{org:{role}}}`: no caller role `{role}`"),
                                    hint,
                                );
                            }
                        }
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

    /// A boundary that holds under one reading only: a case tagged `boundary` that covers a
    /// code whose boundary a reading moves (the overlay's `boundaries`) states its expectation
    /// under every alternative of that reading.
    pub(super) fn check_boundaries(
        &self,
        case: &crate::case::model::Case,
        pos: Pos,
        sink: &mut Sink<'_>,
    ) {
        if !case.tags.iter().any(|t| t == "boundary") {
            return;
        }
        let under = case.then.readings();
        for (name, reading) in &self.spec.overlay.readings {
            let Some(code) = case
                .covers
                .codes
                .iter()
                .find(|c| reading.boundaries.contains(c))
            else {
                continue;
            };
            if under.contains(&name.as_str()) {
                continue;
            }
            let alternatives: Vec<&str> = reading
                .alternatives
                .iter()
                .map(|a| a.name.as_str())
                .collect();
            sink.push(
                pos,
                "then",
                format!(
                    "no document grounds: the boundary of {code} holds under one reading only; \
                     the reading {name} moves it ({})",
                    alternatives.join(", ")
                ),
                Some(format!(
                    "expect it with `by_reading: {{ reading: {name}, expect: {{ {}: ... }} }}`, \
                     every alternative stated (the same expectation where they agree)",
                    alternatives.join(": ..., ")
                )),
            );
        }
    }

    /// Organisation references in `given` name known roles (or are codes).
    pub(super) fn check_roles(&self, n: &Node, field: &str, sink: &mut Sink<'_>) {
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

    pub(super) fn rule_ids(&self, service: &str, method: &str) -> BTreeSet<String> {
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
}

/// An `assumes:` entry that names nothing in the overlay, with a hint where one is near.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownOverlayEntry(pub String);

impl From<String> for UnknownOverlayEntry {
    fn from(s: String) -> UnknownOverlayEntry {
        UnknownOverlayEntry(s)
    }
}

impl From<&str> for UnknownOverlayEntry {
    fn from(s: &str) -> UnknownOverlayEntry {
        UnknownOverlayEntry(s.to_string())
    }
}

/// Whether `entry` (`code_lists.kontaktgruppe.KTH`, `method_access.X`, ...) names an overlay entry.
pub fn overlay_entry_exists(o: &Overlay, entry: &str) -> Result<(), UnknownOverlayEntry> {
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
        "assumptions" => o.assumptions.contains_key(rest),
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
                "assumptions",
            ];
            let hint = did_you_mean(section, sections)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(UnknownOverlayEntry::from(format!(
                "`{entry}` names no overlay section{hint}"
            )));
        }
    };
    if found {
        Ok(())
    } else {
        Err(UnknownOverlayEntry::from(format!(
            "the overlay has no entry `{entry}`"
        )))
    }
}

pub(super) fn codes_hint(method: &MethodInfo) -> String {
    let list: Vec<String> = method.codes.iter().map(u32::to_string).collect();
    if list.is_empty() {
        format!("{} documents no error codes", method.name)
    } else {
        format!("{} documents {}", method.name, list.join(", "))
    }
}

pub(super) fn collect_id_names(given: &Given, out: &mut BTreeSet<String>) {
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

pub(super) fn collect_citizen_id_names(citizen: &CitizenState, out: &mut BTreeSet<String>) {
    let given = Given {
        citizen: Some(citizen.clone()),
        ..Given::default()
    };
    collect_id_names(&given, out);
}

pub(super) fn seq_pos(node: &Node, path: &[&str], index: usize) -> Pos {
    let mut n = node;
    for p in path {
        match n.get(p) {
            Some(x) => n = x,
            None => return node.pos,
        }
    }
    seq_pos_in(Some(n), index).unwrap_or(n.pos)
}

pub(super) fn seq_pos_in(n: Option<&Node>, index: usize) -> Option<Pos> {
    n?.as_seq()?.get(index).map(|x| x.pos)
}
