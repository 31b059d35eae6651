//! Another citizen's identifier (`identity.other-citizen`): on every method that takes a CPR and
//! an identifier of a registration, the base case's request is sent with this citizen's CPR and
//! the identifier of the same registration made for another citizen (`given.other_citizen`, a
//! copy of the citizen's state under renamed ids). A get that lists the citizen's data is
//! called with the other citizen's registrations in place and must still list only the
//! citizen's own. The main entry points are [`applies`] and [`for_method`].
//!
//! What it expects, and on what grounds:
//!
//! | the method documents | expects | grounds |
//! | --- | --- | --- |
//! | a code for an identifier not the person's: 100051 ("Den angivne identifier tilhører ikke den specifikke person"), 8197 ("Participant is not found for the specified person"), 8237 ("The interview is not found for the specified person"), 6057 ("The BookingIdentifier is unknown for the Citizen") | that code | its error row |
//! | 4589 ("Unknown identifier") or 4632 ("The specified Absenceregistration is not known to the system") | that code | its error row and the assumption `identifier-of-another-citizen` |
//! | no code (a REST get) | by reading `unknown-resource-status` (HTTP 404 or 400) | the assumption `identifier-of-another-citizen` |
//! | a list of the citizen's data | the base case's own answer | the base case's grounds and the assumption |
//!
//! A create takes part where it names an existing registration of the citizen beside the new
//! one and documents a code of its own for one that is not the citizen's: CreateInterview,
//! CreatePersonInterview and CreatePersonCategoryAndInterview a booking (6057, "The
//! BookingIdentifier is unknown for the Citizen"; 003_580c854b6cb0522c.txt:44 "skal denne i
//! forvejen være kendt på borgeren"), CreateYdelse a benefit (100051). Where the code's text
//! names the identifier (`BookingIdentifier`), only that member is given the other citizen's
//! registration. [`why_not`] says, for every method the rule does not apply to, why.

use crate::case::given::CitizenState;
use crate::case::model::{Case, Covers, Origin, Then};
use crate::spec::model::{Binding, Field, HttpVerb, MethodStatus};
use crate::spec::{MethodRef, Spec};

use super::rewrite;

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "identity.other-citizen";
/// The overlay entry the expectations rest on.
pub const ASSUMPTION: &str = "assumptions.identifier-of-another-citizen";
/// The prefix of the other citizen's ids.
const OTHERS: &str = "others-";

/// Whether the rule applies: a current or deprecated method that names a citizen by CPR and
/// either takes an identifier of an existing registration (a method that is not a create) or
/// reads the citizen's data (a REST GET).
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    let _ = spec;
    let method = m.method;
    if method.status == MethodStatus::Withdrawn || !takes_cpr(&method.input) {
        return false;
    }
    let get = matches!(
        method.binding,
        Binding::Rest {
            verb: HttpVerb::Get,
            ..
        }
    );
    // A create's identifiers name the new registration, unless it documents a code of its own
    // for an identifier that is not the citizen's (a booking, a benefit).
    let create = method.name.starts_with("Create");
    get || (takes_identifier(&method.input)
        && expected_code(method).is_some_and(|(_, own)| own || !create))
}

/// Why the rule does not apply to `m` (`None` where it does): what a reader of `konform gen
/// --json` and `konform coverage` sees beside the rules a method has.
pub fn why_not(spec: &Spec, m: MethodRef<'_>) -> Option<String> {
    if applies(spec, m) {
        return None;
    }
    let method = m.method;
    let create = method.name.starts_with("Create");
    Some(if method.status == MethodStatus::Withdrawn {
        "the method is withdrawn".into()
    } else if !takes_cpr(&method.input) {
        "the request names no citizen (no CPR), so an identifier in it cannot be another citizen's than the one it names".into()
    } else if !takes_identifier(&method.input) {
        "the request takes no identifier (guid) of a registration".into()
    } else if method.errors.is_empty() {
        "the method documents no error codes, so nothing grounds what another citizen's identifier is answered with".into()
    } else if create {
        "a create that documents no code of its own for an identifier not the citizen's (its identifiers name the new registration, or what is not the citizen's, such as a project)".into()
    } else {
        "the method documents no code for an identifier that names nothing or another citizen's registration".into()
    })
}

/// The code a method answers another citizen's identifier with, and whether it is a code of its
/// own for it (an identifier not the person's: "… is not found for the specified person", "…
/// tilhører ikke den specifikke person") rather than the code for an identifier the system does
/// not know (4589 "Unknown identifier", 4632 "The specified Absenceregistration is not known to
/// the system").
fn expected_code(method: &crate::spec::model::Method) -> Option<(u32, bool)> {
    let own = |text: &str| {
        text.trim_end_matches('.')
            .ends_with("for the specified person")
            || text.contains("tilhører ikke den specifikke person")
            || text
                .trim_end_matches('.')
                .ends_with("is unknown for the Citizen")
    };
    let unknown =
        |text: &str| text == "Unknown identifier" || text.contains("is not known to the system");
    let find = |p: &dyn Fn(&str) -> bool| {
        method
            .errors
            .iter()
            .find(|e| e.text.as_deref().is_some_and(p))
            .map(|e| e.code)
    };
    find(&own)
        .map(|c| (c, true))
        .or_else(|| find(&unknown).map(|c| (c, false)))
}

/// The input identifier a code's text names (`BookingIdentifier` in "The BookingIdentifier is
/// unknown for the Citizen"), where it names one.
fn named_identifier(method: &crate::spec::model::Method, code: u32) -> Option<String> {
    fn names(fields: &[Field], out: &mut Vec<String>) {
        for f in fields {
            if f.name.ends_with("Identifier") || f.name.ends_with("identifier") {
                out.push(f.name.clone());
            }
            names(&f.children, out);
        }
    }
    let text = method.error(code)?.text.clone()?;
    let mut all = Vec::new();
    names(&method.input, &mut all);
    all.into_iter().find(|n| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|word| word == n)
    })
}

/// The `${ids.NAME}` names the request carries in members called `field`.
fn refs_at(when: &crate::case::model::When, field: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, field: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if k == field
                        && let Some(s) = v.as_str()
                    {
                        let mut rest = s;
                        while let Some(at) = rest.find("${ids.") {
                            let tail = &rest[at + 6..];
                            let Some(end) = tail.find('}') else { break };
                            out.push(tail[..end].to_string());
                            rest = &tail[end..];
                        }
                    }
                    walk(v, field, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, field, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(when) {
        walk(&v, field, &mut out);
    }
    out
}

/// Whether a request with these fields names a citizen by CPR.
pub fn takes_cpr(fields: &[Field]) -> bool {
    fields
        .iter()
        .any(|f| super::is_cpr(f) || takes_cpr(&f.children))
}

fn takes_identifier(fields: &[Field]) -> bool {
    fields.iter().any(|f| {
        let ty = f.type_name.as_deref().unwrap_or("");
        (f.name.ends_with("Identifier") || f.name.ends_with("identifier"))
            && matches!(ty, "guid" | "uuid")
            || takes_identifier(&f.children)
    })
}

/// The case of one method: from the first hand-written success without setup calls that
/// refers to a registration of the citizen (or, for a get of the citizen's data, any such
/// success).
pub fn for_method(spec: &Spec, m: MethodRef<'_>, corpus: &[Case], prefix: &str) -> Vec<Case> {
    if !applies(spec, m) {
        return Vec::new();
    }
    let method = m.method;
    let candidates = corpus.iter().filter(|c| {
        c.service == m.service.service
            && c.method == method.name
            && !c.origin.generated
            && c.given.calls.is_empty()
            && c.given.other_citizen.is_none()
            && c.when.raw.is_none()
            && c.given.citizen.is_some()
            && matches!(c.then, Then::Success { .. })
    });
    let get = matches!(
        method.binding,
        Binding::Rest {
            verb: HttpVerb::Get,
            ..
        }
    );
    for base in candidates {
        let Some(citizen) = &base.given.citizen else {
            continue;
        };
        let defined = rewrite::defined_ids(citizen);
        // Where the code names the identifier it is about, only that member's registration.
        let named = expected_code(method).and_then(|(code, _)| named_identifier(method, code));
        let at_named = named.as_deref().map(|f| refs_at(&base.when, f));
        let refs: Vec<String> = rewrite::id_refs(&base.when)
            .into_iter()
            .filter(|r| defined.contains(r))
            .filter(|r| at_named.as_ref().is_none_or(|a| a.contains(r)))
            .collect();
        // Nothing of the citizen's named, and not a get of the citizen's data: no case here.
        let reads_citizens_data = get && !defined.is_empty();
        if refs.is_empty() && !reads_citizens_data {
            continue;
        }
        let Some(other) = rewrite::rename_ids::<CitizenState>(citizen, OTHERS) else {
            continue;
        };
        let Some(when) = rewrite::rename_refs(&base.when, &refs, OTHERS) else {
            continue;
        };
        let (code, own_code) = match expected_code(method) {
            Some((code, own)) => (Some(code), own.then_some(code)),
            None => (None, None),
        };
        let (then, covers, title) = match (refs.is_empty(), code) {
            // A list of the citizen's data: the base's answer, with nothing of the other's.
            (true, _) => (
                base.then.clone(),
                base.covers.clone(),
                "with another citizen's registrations in place, only the citizen's own are answered".to_string(),
            ),
            (false, Some(code)) => (
                Then::Error { error: code },
                Covers {
                    codes: vec![code],
                    // The base's rules about the same code (CreateInterview's "kendt på
                    // borgeren") ground the refusal too.
                    rules: if base.covers.codes.contains(&code) {
                        base.covers.rules.clone()
                    } else {
                        Vec::new()
                    },
                    ..Covers::default()
                },
                format!("another citizen's identifier with this citizen's CPR is refused ({code})"),
            ),
            (false, None) if method.binding.transport() == crate::spec::model::Transport::Rest
                && method.errors.is_empty() =>
            {
                (
                    // The status of an identifier that names nothing is the reading
                    // unknown-resource-status.
                    super::by_reading(
                        "unknown-resource-status",
                        [
                            ("404", Then::Status { status: 404 }),
                            ("400", Then::Status { status: 400 }),
                        ],
                    ),
                    Covers::default(),
                    "another citizen's identifier with this citizen's CPR names nothing of this citizen (by reading unknown-resource-status)".to_string(),
                )
            }
            (false, None) => continue,
        };
        let mut given = base.given.clone();
        given.other_citizen = Some(other);
        let mut assumes = base.assumes.clone();
        // A documented code of its own (100051, 8197) is its own grounds; 4589 and 404 rest on
        // reading another citizen's identifier as unknown.
        if own_code.is_none() || refs.is_empty() {
            assumes.push(ASSUMPTION.to_string());
        }
        return vec![Case {
            id: format!("{prefix}.x.{RULE}"),
            title,
            service: base.service.clone(),
            method: base.method.clone(),
            covers,
            tags: vec![
                super::TAG.to_string(),
                super::cross::TAG.to_string(),
                format!("rule:{RULE}"),
                "identifiers".to_string(),
            ],
            assumes,
            given,
            when,
            then,
            origin: Origin {
                file: format!("konform gen (cross-cutting, from {})", base.id),
                line: 0,
                generated: true,
            },
        }];
    }
    Vec::new()
}
