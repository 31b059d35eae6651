//! Planning a request (the case's own and each setup call): headers, path and query parameters
//! and the body checked against the method's input fields, templates compiled, code-list
//! placeholders resolved, `omit` read. The main entry points are `Planner::plan_request` and
//! [`path_params`].

use std::collections::BTreeSet;

use super::compile::{compile, compile_value};
use super::method::{MethodCall, MethodInfo};
use super::model::{OMIT_VALUES, Omit, PlannedCall, PlannedRequest};
use super::planner::{Planner, Sink, seq_pos_in};
use crate::case::given::SetupCall;
use crate::case::model::{Case, When};
use crate::case::node::{Node, NodeValue, Pos};
use crate::case::template::{Placeholder, Template};
use crate::spec::model::{Field, HttpVerb, Transport};
use crate::spec::overlay::Overlay;
use crate::suggest::did_you_mean;

impl Planner<'_> {
    #[expect(clippy::too_many_arguments, reason = "one call site per kind of call")]
    pub(super) fn plan_call(
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
                sink.push(pos, &format!("{field}.method"), e.to_string(), None);
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
    pub(super) fn plan_request(
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
            // The transport's own headers may be set on purpose: a wrong content type, a
            // bearer token the target did not issue (with `omit: [Authorization]`).
            let transport_header = name.eq_ignore_ascii_case("content-type")
                || name.eq_ignore_ascii_case("authorization");
            if known.is_none() && !transport_header {
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
                        organisation_type: false,
                    }
                }
                "Authorization" => omit.authorization = true,
                "Scope" => omit.scope = true,
                "ActiveOrganisationHeader" => omit.active_organisation = true,
                "RequestUserMetadataHeader" => omit.user_metadata = true,
                "ActiveOrganisationHeader/OrganisationTypeIdentifier" => {
                    omit.organisation_type = true
                }
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
            super::planner::check_org_literals(n, field, sink);
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

    pub(super) fn resolve_codes(&self, request: &mut PlannedRequest) {
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

    pub(super) fn resolve_template_codes(&self, t: &mut Template) {
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
pub(super) fn code_value(
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

/// Every member of the body is a field of the input tree.
pub(super) fn check_body(
    n: &Node,
    fields: &[Field],
    field: &str,
    method: &str,
    sink: &mut Sink<'_>,
) {
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
