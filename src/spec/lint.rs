//! `konform spec lint`: checks a loaded [`Spec`] for consistency and reports every problem at
//! once, each naming its file and the method and field it concerns. The checks: every field
//! has a kind konform can validate, every pattern compiles with XSD semantics, no method
//! documents a code twice, every REST path parameter is a path field (and back), every overlay
//! entry refers to an existing service, method, code or rule, every SOAP service and method has
//! its overlay entries, and every code printed without a text is in the overlay's `untestable`.
//! The main entry is [`lint`]; a problem is a [`LintProblem`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::import::file_name;
use super::load::OVERLAY_FILE;
use super::model::{Binding, Field, FieldLocation, MethodRef, Spec, Transport};
use super::pattern::XsdPattern;

/// One problem, with the file and the place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintProblem {
    pub file: PathBuf,
    /// `Service/Method`, `Service/Method/input/Path/To/Field` or an overlay key.
    pub place: String,
    pub message: String,
}

impl fmt::Display for LintProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.place,
            self.message
        )
    }
}

/// What the checks counted, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LintCounts {
    pub services: usize,
    pub methods: usize,
    pub fields: usize,
    pub codes: usize,
    pub patterns: usize,
}

/// Primitive XSD and JSON type names konform validates.
const PRIMITIVES: [&str; 16] = [
    "string",
    "int",
    "integer",
    "long",
    "short",
    "nonNegativeInteger",
    "positiveInteger",
    "boolean",
    "date",
    "dateTime",
    "date-time",
    "time",
    "guid",
    "uuid",
    "decimal",
    "double",
];

/// Checks `spec`, loaded from `dir`.
pub fn lint(spec: &Spec, dir: &Path) -> (Vec<LintProblem>, LintCounts) {
    let mut problems = Vec::new();
    let mut counts = LintCounts {
        services: spec.services.len(),
        ..LintCounts::default()
    };
    for m in spec.methods() {
        counts.methods += 1;
        let file = dir.join(file_name(&m.service.service));
        let place = format!("{}/{}", m.service.service, m.method.name);
        let mut push = |place: String, message: String| {
            problems.push(LintProblem {
                file: file.clone(),
                place,
                message,
            })
        };
        for (what, fields) in [("input", &m.method.input), ("output", &m.method.output)] {
            let mut all = Vec::new();
            walk(fields, &format!("{place}/{what}"), &mut all);
            for (path, field) in all {
                counts.fields += 1;
                if let Some(pattern) = &field.pattern {
                    counts.patterns += 1;
                    if let Err(e) = XsdPattern::new(pattern) {
                        push(path.clone(), e.to_string());
                    }
                }
                if let Some(message) = unresolved(field) {
                    push(path, message);
                }
            }
        }
        let mut seen = BTreeSet::new();
        for e in &m.method.errors {
            counts.codes += 1;
            if !seen.insert(e.code) {
                push(
                    place.clone(),
                    format!("error code {} is documented twice", e.code),
                );
            }
        }
        let mut ids = BTreeSet::new();
        for r in &m.method.rules {
            if !ids.insert(r.id.as_str()) {
                push(place.clone(), format!("rule id {} is used twice", r.id));
            }
            if !r.id.starts_with(&format!("{}.", m.method.name)) {
                push(
                    place.clone(),
                    format!("rule id {} does not start with the method name", r.id),
                );
            }
        }
        match &m.method.binding {
            Binding::Rest { path, .. } => {
                if path.is_empty() {
                    push(
                        place.clone(),
                        "REST method without a path (add it to the overlay's rest_paths)".into(),
                    );
                }
                let params: BTreeSet<&str> = path
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(name, _)| name))
                    .collect();
                let fields: BTreeSet<&str> = m
                    .method
                    .input
                    .iter()
                    .filter(|f| f.location == FieldLocation::Path)
                    .map(|f| f.name.as_str())
                    .collect();
                for p in params.difference(&fields) {
                    push(
                        place.clone(),
                        format!("path parameter {{{p}}} has no [Path] field"),
                    );
                }
                for f in fields.difference(&params) {
                    push(
                        place.clone(),
                        format!("[Path] field {f} is not in the path {path}"),
                    );
                }
            }
            Binding::Soap { .. } => {
                if !spec.overlay.method_access.contains_key(&m.method.name) {
                    push(
                        place.clone(),
                        "SOAP method without an overlay method_access entry".into(),
                    );
                }
            }
        }
        for e in &m.method.errors {
            let untestable = spec
                .untestable_in(&m.service.service, &m.method.name, e.code)
                .is_some();
            if e.text.is_none() && !untestable {
                push(
                    place.clone(),
                    format!(
                        "error code {} has no text and is not in the overlay's untestable",
                        e.code
                    ),
                );
            }
        }
    }
    for s in spec.services.values() {
        if s.transport == Transport::Soap && !spec.overlay.soap_services.contains_key(&s.service) {
            problems.push(LintProblem {
                file: dir.join(file_name(&s.service)),
                place: s.service.clone(),
                message: "SOAP service without an overlay soap_services entry".into(),
            });
        }
    }
    problems.extend(lint_overlay(spec, &dir.join(OVERLAY_FILE)));
    (problems, counts)
}

/// Why a field's kind does not resolve, if it does not.
/// The same evidence `FieldKind::of` uses: a primitive type or base, facets, a code-list or
/// identifier type, or (without a type) a name or former name ending in `Identifier`.
fn unresolved(field: &Field) -> Option<String> {
    if !field.children.is_empty() {
        return None;
    }
    let names = [field.base.as_deref(), field.type_name.as_deref()];
    if names
        .iter()
        .flatten()
        .any(|n| PRIMITIVES.contains(&n.trim()))
    {
        return None;
    }
    if field.pattern.is_some()
        || field.length.is_some()
        || field.min_inclusive.is_some()
        || field.max_inclusive.is_some()
    {
        return None;
    }
    let ty = field.type_name.as_deref().unwrap_or("");
    if ty.contains("CodeList") || ty.ends_with("IdentifierType") || ty.starts_with("Empty") {
        return None;
    }
    let identifier = |n: &str| n.ends_with("TypeIdentifier") || n.ends_with("Identifier");
    if ty.is_empty()
        && [Some(field.name.as_str()), field.former_name.as_deref()]
            .into_iter()
            .flatten()
            .any(identifier)
    {
        return None;
    }
    Some(match field.type_name.as_deref() {
        Some(t) => format!("type {t:?} does not resolve to a kind konform can validate"),
        None => "no type, and nothing else tells its kind".to_string(),
    })
}

fn walk<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
    for f in fields {
        let path = format!("{prefix}/{}", f.name);
        out.push((path.clone(), f));
        walk(&f.children, &path, out);
    }
}

fn lint_overlay(spec: &Spec, file: &Path) -> Vec<LintProblem> {
    let o = &spec.overlay;
    let mut problems = Vec::new();
    let mut push = |place: String, message: String| {
        problems.push(LintProblem {
            file: file.to_path_buf(),
            place,
            message,
        })
    };
    let methods: BTreeMap<&str, Vec<MethodRef<'_>>> =
        spec.methods().fold(BTreeMap::new(), |mut acc, m| {
            acc.entry(m.method.name.as_str()).or_default().push(m);
            acc
        });
    let documents = |method: &str, code: u32| {
        methods
            .get(method)
            .is_some_and(|ms| ms.iter().any(|m| m.method.error(code).is_some()))
    };
    for name in o.soap_services.keys() {
        match spec.services.get(name) {
            None => push(format!("soap_services/{name}"), "no such service".into()),
            Some(s) if s.transport != Transport::Soap => {
                push(format!("soap_services/{name}"), "not a SOAP service".into())
            }
            Some(_) => {}
        }
    }
    for name in o.rest_paths.keys() {
        match methods.get(name.as_str()) {
            None => push(format!("rest_paths/{name}"), "no such method".into()),
            Some(ms)
                if !ms
                    .iter()
                    .any(|m| matches!(m.method.binding, Binding::Rest { .. })) =>
            {
                push(format!("rest_paths/{name}"), "not a REST method".into())
            }
            Some(_) => {}
        }
    }
    for name in o.method_access.keys() {
        if !methods.contains_key(name.as_str()) {
            push(format!("method_access/{name}"), "no such method".into());
        }
    }
    let rule_ids: std::collections::BTreeSet<&str> = spec
        .methods()
        .flat_map(|m| m.method.rules.iter().chain(m.service.rules.iter()))
        .chain(o.rules.values().flatten().map(|r| &r.rule))
        .map(|r| r.id.as_str())
        .collect();
    for key in o.untestable.keys() {
        let place = format!("untestable/{key}");
        // A prose rule no case can observe is declared under its rule id.
        if !key.contains('/') {
            if !rule_ids.contains(key.as_str()) {
                push(place, "no such rule id (expected a rule id, <Method>/<code> or <Service>/<Method>/<code>)".into());
            }
            continue;
        }
        // `<Method>/<code>`, or `<Service>/<Method>/<code>` for a name two services share.
        let (service, method, code) = match key.split('/').collect::<Vec<_>>().as_slice() {
            [method, code] => (None, *method, *code),
            [service, method, code] => (Some(*service), *method, *code),
            _ => {
                push(
                    place,
                    "expected a key <Method>/<code> or <Service>/<Method>/<code>".into(),
                );
                continue;
            }
        };
        let in_service = |m: &&MethodRef<'_>| service.is_none_or(|s| m.service.service == s);
        let candidates: Vec<&MethodRef<'_>> = methods
            .get(method)
            .map(|ms| ms.iter().filter(in_service).collect())
            .unwrap_or_default();
        let name = match service {
            Some(s) => format!("{s}/{method}"),
            None => method.to_string(),
        };
        match code.parse::<u32>() {
            Ok(code) if candidates.iter().any(|m| m.method.error(code).is_some()) => {}
            Ok(code) if !candidates.is_empty() => {
                push(place, format!("{name} does not document {code}"))
            }
            Ok(_) => push(place, format!("no method {name}")),
            Err(_) => push(place, format!("{code:?} is not an error code")),
        }
    }
    let rules: BTreeMap<&str, &MethodRef<'_>> = methods
        .values()
        .flatten()
        .flat_map(|m| m.method.rules.iter().map(move |r| (r.id.as_str(), m)))
        .collect();
    for (id, rc) in &o.rule_codes {
        let place = format!("rule_codes/{id}");
        match rules.get(id.as_str()) {
            None => push(place, "no document rule has this id".into()),
            Some(m) => {
                for code in &rc.codes {
                    if m.method.error(*code).is_none() {
                        push(
                            place.clone(),
                            format!("{} does not document {code}", m.method.name),
                        );
                    }
                }
            }
        }
    }
    let mut overlay_ids = BTreeSet::new();
    for (method, list) in &o.rules {
        if !methods.contains_key(method.as_str()) {
            push(format!("rules/{method}"), "no such method".into());
            continue;
        }
        for r in list {
            let place = format!("rules/{method}/{}", r.rule.id);
            if !r.rule.id.starts_with(&format!("{method}.")) {
                push(
                    place.clone(),
                    "the id does not start with the method name".into(),
                );
            }
            if rules.contains_key(r.rule.id.as_str()) || !overlay_ids.insert(r.rule.id.clone()) {
                push(place.clone(), "the id is used twice".into());
            }
            for code in &r.rule.codes {
                if !documents(method, *code) {
                    push(place.clone(), format!("{method} does not document {code}"));
                }
            }
        }
    }
    let mut faults = BTreeSet::new();
    for f in &o.general_faults {
        if !faults.insert(f.code) {
            push(format!("general_faults/{}", f.code), "listed twice".into());
        }
    }
    let mut orgs = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for t in &o.organisation_type_ids {
        if !orgs.insert(t.organisation) || !ids.insert(t.id) {
            push(
                format!("organisation_type_ids/{}", t.organisation),
                "organisation or id listed twice".into(),
            );
        }
    }
    for (name, problem) in o.reading_problems() {
        push(format!("readings/{name}"), problem);
    }
    for (name, list) in &o.code_lists {
        let mut values = BTreeSet::new();
        for v in &list.values {
            if !values.insert(v.value) {
                push(
                    format!("code_lists/{name}/{}", v.value),
                    "value listed twice".into(),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{ErrorCode, Layout, Method, MethodStatus, Occurs, ServiceSpec};
    use crate::spec::overlay::{Basis, MethodAccess, Untestable};

    fn field(name: &str, ty: Option<&str>) -> Field {
        Field {
            name: name.into(),
            former_name: None,
            location: FieldLocation::Body,
            type_name: ty.map(str::to_string),
            base: None,
            occurs: Occurs::ONE,
            pattern: None,
            length: None,
            min_inclusive: None,
            max_inclusive: None,
            description: None,
            children: vec![],
            at: None,
        }
    }

    fn spec() -> Spec {
        let mut bad_pattern = field("Cpr", Some("string"));
        bad_pattern.pattern = Some("[0-9".into());
        let method = Method {
            name: "CreateThing".into(),
            former_names: vec![],
            status: MethodStatus::Current,
            description: None,
            binding: Binding::Soap {
                action: "CreateThing".into(),
                request_element: "CreateThingRequest".into(),
                response_element: None,
            },
            scope: None,
            access: vec![],
            input: vec![
                bad_pattern,
                field("Mystery", Some("MysteryType")),
                field("Untyped", None),
            ],
            output: vec![],
            errors: vec![
                ErrorCode {
                    code: 1001,
                    text: Some("Invalid cpr".into()),
                    description: None,
                    at: None,
                },
                ErrorCode {
                    code: 1001,
                    text: Some("Invalid cpr".into()),
                    description: None,
                    at: None,
                },
                ErrorCode {
                    code: 4762,
                    text: None,
                    description: None,
                    at: None,
                },
            ],
            rules: vec![],
            inferences: vec![],
        };
        let mut spec = Spec::default();
        spec.services.insert(
            "ThingService".into(),
            ServiceSpec {
                service: "ThingService".into(),
                version: String::new(),
                layout: Layout::Cells,
                source: "x.txt".into(),
                transport: Transport::Soap,
                former_names: vec![],
                inferences: vec![],
                rules: vec![],
                methods: vec![method],
            },
        );
        spec.overlay.method_access.insert(
            "NoSuchMethod".into(),
            MethodAccess {
                allowed: vec![],
                basis: Basis::Assumption { reason: "x".into() },
            },
        );
        spec.overlay.untestable.insert(
            "CreateThing/9999".into(),
            Untestable {
                reason: "x".into(),
                at: None,
            },
        );
        spec
    }

    #[test]
    fn a_renamed_field_resolves_by_its_former_name() {
        let mut f = field("fravaerType", None);
        assert!(unresolved(&f).is_some());
        f.former_name = Some("AbsenceTypeIdentifier".into());
        assert_eq!(unresolved(&f), None);
        assert_eq!(f.kind(), crate::spec::model::FieldKind::Integer);
        assert_eq!(
            unresolved(&field("Answer", Some("EmptyResponseType"))),
            None
        );
        assert_eq!(
            unresolved(&field("Kind", Some("KontaktgruppeTypeCodeList"))),
            None
        );
    }

    #[test]
    fn reports_every_problem_with_file_and_place() {
        let (problems, counts) = lint(&spec(), Path::new("specs"));
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        assert!(
            has("specs/ThingService.yaml: ThingService/CreateThing/input/Cpr: pattern"),
            "{text:#?}"
        );
        assert!(
            has("input/Mystery: type \"MysteryType\" does not resolve"),
            "{text:#?}"
        );
        assert!(has("input/Untyped: no type"), "{text:#?}");
        assert!(has("error code 1001 is documented twice"), "{text:#?}");
        assert!(has("error code 4762 has no text"), "{text:#?}");
        assert!(has("without an overlay method_access entry"), "{text:#?}");
        assert!(has("without an overlay soap_services entry"), "{text:#?}");
        assert!(
            has("specs/overlay.yaml: method_access/NoSuchMethod: no such method"),
            "{text:#?}"
        );
        assert!(
            has("untestable/CreateThing/9999: CreateThing does not document 9999"),
            "{text:#?}"
        );
        assert_eq!(problems.len(), 9, "{text:#?}");
        assert_eq!(counts.methods, 1);
        assert_eq!(counts.codes, 3);
    }

    #[test]
    fn untestable_keys_may_name_the_service() {
        let mut spec = spec();
        let untestable = &mut spec.overlay.untestable;
        untestable.clear();
        for key in [
            "ThingService/CreateThing/4762",
            "OtherService/CreateThing/4762",
            "ThingService/CreateThing/9999",
            "ThingService/CreateThing/4762/1",
        ] {
            untestable.insert(
                key.into(),
                Untestable {
                    reason: "x".into(),
                    at: None,
                },
            );
        }
        let (problems, _) = lint(&spec, Path::new("specs"));
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        // The service-qualified entry makes the code without a text untestable.
        assert!(!has("error code 4762 has no text"), "{text:#?}");
        assert!(
            has("untestable/OtherService/CreateThing/4762: no method OtherService/CreateThing"),
            "{text:#?}"
        );
        assert!(
            has(
                "untestable/ThingService/CreateThing/9999: ThingService/CreateThing does not document 9999"
            ),
            "{text:#?}"
        );
        assert!(
            has("untestable/ThingService/CreateThing/4762/1: expected a key"),
            "{text:#?}"
        );
        assert_eq!(
            spec.untestable_in("ThingService", "CreateThing", 4762)
                .map(|u| u.reason.as_str()),
            Some("x")
        );
        assert!(spec.untestable("CreateThing", 4762).is_none());
    }
}
