//! The item's life cycle after a delete (`lifecycle.after-delete`): in every method family
//! with a delete (`Delete<X>` beside `Update<X>`, `Add<X>`, `Get<X>` in one service), the
//! family's update and delete are called on an item the delete removed first (a setup call),
//! and must answer it as unknown: 4589, "Unknown identifier: The submitted Identifier is
//! unknown to the system", the code both document for an identifier that names nothing. The
//! main entry points are [`applies`] and [`for_method`].
//!
//! The setup delete is the family delete's first hand-written success, aimed at the item the
//! case's base names: the base's `${ids.NAME}` of the same kind (same state list) replace the
//! delete's own.
//!
//! A read after the delete (`lifecycle.read-after-delete`: the deleted item is no longer
//! listed) needs a documented method that reads the family's items back for a citizen:
//! [`read_back`] looks for one (a `Get…` of the service whose output names the family and whose
//! request names a citizen). The documents have none: PersonRegistrationService has no get
//! method (health limitations, person group markings, civic consents, interview participants),
//! and InterviewService's GetInterviewInfo lists interview participants but its documented
//! request names no citizen. [`why_not`] says so per method; should a spec have one, the rule
//! applies and `konform coverage` shows it MISSING until a case is written for it.

use serde_json::Value;

use crate::case::given::SetupCall;
use crate::case::model::{Case, Covers, Origin, Then};
use crate::spec::model::MethodStatus;
use crate::spec::{MethodRef, Spec};

use super::rewrite;

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "lifecycle.after-delete";
/// The code for an identifier that names nothing.
pub const UNKNOWN_IDENTIFIER: u32 = 4589;

/// The family a method belongs to (`HealthLimitation` for `UpdateHealthLimitation`).
fn family(name: &str) -> Option<&str> {
    ["Update", "Delete", "Get"]
        .into_iter()
        .find_map(|p| name.strip_prefix(p))
}

/// The delete of `m`'s family in its service, where there is one.
fn delete_of<'a>(spec: &'a Spec, m: MethodRef<'_>) -> Option<MethodRef<'a>> {
    let fam = family(&m.method.name)?;
    spec.methods().find(|d| {
        d.service.service == m.service.service
            && d.method.name == format!("Delete{fam}")
            && d.method.status != MethodStatus::Withdrawn
    })
}

/// The rule of a read after a delete, as `konform coverage` shows it.
pub const READ_RULE: &str = "lifecycle.read-after-delete";

/// The method that reads back the items a delete `m` removes, for a citizen: a current `Get…`
/// of its service whose output names the family and whose request names a citizen; or why
/// there is none.
pub fn read_back<'a>(spec: &'a Spec, m: MethodRef<'_>) -> Result<MethodRef<'a>, String> {
    let Some(fam) = m.method.name.strip_prefix("Delete") else {
        return Err("not a delete".into());
    };
    fn names(fields: &[crate::spec::model::Field], fam: &str) -> bool {
        fields
            .iter()
            .any(|f| f.name.contains(fam) || names(&f.children, fam))
    }
    let gets: Vec<MethodRef<'a>> = spec
        .methods()
        .filter(|g| {
            g.service.service == m.service.service
                && g.method.name.starts_with("Get")
                && g.method.status != MethodStatus::Withdrawn
        })
        .collect();
    let listing: Vec<&MethodRef<'a>> = gets
        .iter()
        .filter(|g| names(&g.method.output, fam))
        .collect();
    if let Some(g) = listing
        .iter()
        .find(|g| super::identity::takes_cpr(&g.method.input))
    {
        return Ok(**g);
    }
    Err(match listing.first() {
        Some(g) => format!(
            "{} answers {fam} items, but its documented request names no citizen, so no request can look for the deleted one",
            g.method.name
        ),
        None if gets.is_empty() => format!(
            "{} documents no method that reads {fam} items back (it has no get method)",
            m.service.service
        ),
        None => format!("no get method of {} answers {fam} items", m.service.service),
    })
}

/// Whether a read after the delete applies: a current or deprecated delete with a method that
/// reads its items back.
pub fn read_applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    m.method.status != MethodStatus::Withdrawn && read_back(spec, m).is_ok()
}

/// Why [`RULE`] does not apply to `m` (`None` where it does).
pub fn why_not(spec: &Spec, m: MethodRef<'_>) -> Option<String> {
    if applies(spec, m) {
        return None;
    }
    Some(match family(&m.method.name) {
        _ if m.method.status == MethodStatus::Withdrawn => "the method is withdrawn".into(),
        None => "not an update, delete or get of a registration".into(),
        Some(fam) if delete_of(spec, m).is_none() => {
            format!(
                "nothing in {} deletes {fam} items (no Delete{fam})",
                m.service.service
            )
        }
        Some(_) if m.method.status == MethodStatus::Deprecated => {
            "deprecated: it answers 4588 whatever it names".into()
        }
        Some(_) => format!(
            "the method documents no {UNKNOWN_IDENTIFIER} (Unknown identifier) to answer an item deleted before"
        ),
    })
}

/// Why [`READ_RULE`] does not apply to `m` (`None` where it does).
pub fn read_why_not(spec: &Spec, m: MethodRef<'_>) -> Option<String> {
    if read_applies(spec, m) {
        return None;
    }
    if m.method.status == MethodStatus::Withdrawn {
        return Some("the method is withdrawn".into());
    }
    read_back(spec, m).err()
}

/// Whether the rule applies: an update, delete or get of a family with a delete, that
/// documents 4589.
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    m.method.status != MethodStatus::Withdrawn
        && m.method.error(UNKNOWN_IDENTIFIER).is_some()
        && delete_of(spec, m).is_some()
}

fn success_base<'a>(corpus: &'a [Case], m: MethodRef<'_>) -> impl Iterator<Item = &'a Case> {
    let service = m.service.service.clone();
    let name = m.method.name.clone();
    corpus.iter().filter(move |c| {
        c.service == service
            && c.method == name
            && !c.origin.generated
            && c.given.calls.is_empty()
            && c.given.other_citizen.is_none()
            && c.when.raw.is_none()
            && matches!(c.then, Then::Success { .. })
    })
}

/// The state list (`health_limitations`, `interviews/participants`) an id is defined in.
fn kind_of(state: &Value, id: &str) -> Option<String> {
    fn walk(v: &Value, id: &str, at: &str) -> Option<String> {
        match v {
            Value::Object(map) => {
                if map.get("id").and_then(Value::as_str) == Some(id) {
                    return Some(at.to_string());
                }
                map.iter().find_map(|(k, v)| {
                    let next = if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}/{k}")
                    };
                    walk(v, id, &next)
                })
            }
            Value::Array(items) => items.iter().find_map(|i| walk(i, id, at)),
            _ => None,
        }
    }
    walk(state, id, "")
}

/// The case of one method, where its family's delete has a base to aim at the same item.
pub fn for_method(spec: &Spec, m: MethodRef<'_>, corpus: &[Case], prefix: &str) -> Vec<Case> {
    if !applies(spec, m) {
        return Vec::new();
    }
    let Some(delete) = delete_of(spec, m) else {
        return Vec::new();
    };
    let Some(delete_base) = success_base(corpus, delete).find(|c| c.given.citizen.is_some()) else {
        return Vec::new();
    };
    let delete_state = serde_json::to_value(&delete_base.given.citizen).unwrap_or(Value::Null);
    for base in success_base(corpus, m) {
        let state = serde_json::to_value(&base.given.citizen).unwrap_or(Value::Null);
        // The delete's ids, each replaced by the base's id of the same kind.
        let mut call_when = delete_base.when.clone();
        let mut complete = true;
        for id in rewrite::id_refs(&delete_base.when) {
            let Some(kind) = kind_of(&delete_state, &id) else {
                complete = false;
                break;
            };
            let own = rewrite::id_refs(&base.when)
                .into_iter()
                .find(|b| kind_of(&state, b).as_deref() == Some(kind.as_str()));
            let Some(own) = own else {
                complete = false;
                break;
            };
            if let Some(w) = replace_ref(&call_when, &id, &own) {
                call_when = w;
            } else {
                complete = false;
                break;
            }
        }
        if !complete {
            continue;
        }
        let mut given = base.given.clone();
        given.calls.push(SetupCall {
            method: delete.method.name.clone(),
            service: Some(delete.service.service.clone()),
            caller: None,
            when: call_when,
        });
        return vec![Case {
            id: format!("{prefix}.x.{RULE}"),
            title: format!(
                "{} of an item {} deleted before is unknown ({UNKNOWN_IDENTIFIER})",
                m.method.name, delete.method.name
            ),
            service: base.service.clone(),
            method: base.method.clone(),
            covers: Covers {
                codes: vec![UNKNOWN_IDENTIFIER],
                ..Covers::default()
            },
            tags: vec![
                super::TAG.to_string(),
                super::cross::TAG.to_string(),
                format!("rule:{RULE}"),
                "identifiers".to_string(),
            ],
            assumes: base.assumes.clone(),
            given,
            when: base.when.clone(),
            then: Then::Error {
                error: UNKNOWN_IDENTIFIER,
            },
            origin: Origin {
                file: format!(
                    "konform gen (cross-cutting, from {} after {})",
                    base.id, delete_base.id
                ),
                line: 0,
                generated: true,
            },
        }];
    }
    Vec::new()
}

/// `when` with `${ids.FROM}` replaced by `${ids.TO}`.
fn replace_ref(
    when: &crate::case::model::When,
    from: &str,
    to: &str,
) -> Option<crate::case::model::When> {
    let mut v = serde_json::to_value(when).ok()?;
    fn walk(v: &mut Value, from: &str, to: &str) {
        match v {
            Value::String(s) => *s = s.replace(from, to),
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, from, to)),
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, from, to)),
            _ => {}
        }
    }
    walk(
        &mut v,
        &format!("${{ids.{from}}}"),
        &format!("${{ids.{to}}}"),
    );
    serde_json::from_value(v).ok()
}
