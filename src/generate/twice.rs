//! Two independent violations in one request (`errors-reported.fields`): a CPR that fails its
//! pattern (1001) and another field that breaks its row (1014), both in the request, from the
//! method's own generated single-violation cases grafted together. Whether the answer carries
//! both codes or only the first is a question the documents leave open; the case expects both
//! under the overlay's named assumption `errors-reported` ([`ERRORS_REPORTED`]), kept in one
//! place so it can become a reading. (The two missing caller headers of a SOAP method are the
//! same question, in [`super::cross`].) The main entry points are [`applies`] and
//! [`for_method`].

use crate::case::model::{Case, Covers, Origin, Then};
use crate::spec::model::MethodStatus;
use crate::spec::{MethodRef, Spec};

use super::{FAILED_TO_VALIDATE, INVALID_CPR, rewrite};

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "errors-reported.fields";
/// The overlay entry naming the question.
pub const ERRORS_REPORTED: &str = "assumptions.errors-reported";

/// Whether the rule applies: a current method (a deprecated one answers 4588) whose input has a CPR and another
/// field with a constraint, where both codes can be answered.
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    m.method.status == MethodStatus::Current
        && super::answerable(spec, m, INVALID_CPR)
        && super::answerable(spec, m, FAILED_TO_VALIDATE)
        && has(&m.method.input, &|f| super::is_cpr(f))
        && has(&m.method.input, &|f| {
            !super::is_cpr(f) && (f.occurs.min > 0 || f.pattern.is_some())
        })
}

fn has(
    fields: &[crate::spec::model::Field],
    p: &dyn Fn(&crate::spec::model::Field) -> bool,
) -> bool {
    fields.iter().any(|f| p(f) || has(&f.children, p))
}

/// The case of one method, from its base and its generated single-violation cases.
pub fn for_method(base: &Case, generated: &[Case], prefix: &str) -> Vec<Case> {
    let single = |code: u32| {
        generated.iter().filter(move |c| {
            matches!(c.then, Then::Error { error } if error == code)
                && c.tags.iter().any(|t| t == super::TAG)
                && !c.tags.iter().any(|t| t == super::cross::TAG)
        })
    };
    let Some(cpr) = single(INVALID_CPR).next() else {
        return Vec::new();
    };
    // The other violation: a field other than the CPR's, left out or breaking its pattern.
    let Some(other) = single(FAILED_TO_VALIDATE).find(|c| {
        !c.covers.fields.is_empty()
            && c.covers.fields.iter().all(|f| {
                cpr.covers.fields.iter().all(|p| {
                    f != p && !p.starts_with(&format!("{f}/")) && !f.starts_with(&format!("{p}/"))
                })
            })
            && c.tags
                .iter()
                .any(|t| matches!(t.as_str(), "cardinality" | "pattern" | "type"))
            && !c.id.ends_with(".repeated")
    }) else {
        return Vec::new();
    };
    let mut when = cpr.when.clone();
    rewrite::graft(&base.when, &other.when, &mut when);
    let mut codes: Vec<u32> = Vec::new();
    codes.extend(cpr.covers.codes.iter().copied());
    codes.extend(other.covers.codes.iter().copied());
    codes.dedup();
    let mut fields = cpr.covers.fields.clone();
    fields.extend(other.covers.fields.iter().cloned());
    let mut assumes = vec![ERRORS_REPORTED.to_string()];
    for a in cpr.assumes.iter().chain(&other.assumes) {
        if !assumes.contains(a) {
            assumes.push(a.clone());
        }
    }
    vec![Case {
        id: format!("{prefix}.x.{RULE}"),
        title: format!(
            "two violations in one request ({}; {}) are both answered: 1001 and 1014 (assumption errors-reported)",
            cpr.title, other.title
        ),
        service: base.service.clone(),
        method: base.method.clone(),
        covers: Covers {
            codes,
            fields,
            ..Covers::default()
        },
        tags: vec![
            super::TAG.to_string(),
            super::cross::TAG.to_string(),
            format!("rule:{RULE}"),
        ],
        assumes,
        given: base.given.clone(),
        when,
        then: Then::Errors {
            errors: vec![INVALID_CPR, FAILED_TO_VALIDATE],
        },
        origin: Origin {
            file: format!(
                "konform gen (cross-cutting, from {} and {})",
                cpr.id, other.id
            ),
            line: 0,
            generated: true,
        },
    }]
}
