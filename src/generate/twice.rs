//! Two independent violations in one request (`errors-reported.fields`): a CPR that fails its
//! pattern (1001) and another field that breaks its row (1014), both in the request, from the
//! method's own generated single-violation cases grafted together. Whether the answer carries
//! both codes or only the first is a question the documents leave open: the case expects by
//! the reading `errors-reported` ([`errors_reported`]): every error under `all` (the CPR's code
//! itself by the reading `cpr-pattern-code`), a refusal under `first` (which one comes first
//! the documents do not say). (The two missing caller headers of a SOAP method are the same
//! question, in [`super::cross`].) The main entry points are [`applies`] and [`for_method`].

use crate::case::model::{Case, Covers, Origin, Then};
use crate::spec::model::MethodStatus;
use crate::spec::{MethodRef, Spec};

use super::{FAILED_TO_VALIDATE, INVALID_CPR, rewrite};

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "errors-reported.fields";
/// The reading naming the question.
pub const ERRORS_REPORTED: &str = "errors-reported";

/// What a request with several violations expects by the reading `errors-reported`: `all`
/// under its alternative `all`, any refusal under `first`.
pub fn errors_reported(all: Then) -> Then {
    super::by_reading(
        ERRORS_REPORTED,
        [
            ("all", all),
            (
                "first",
                Then::Refused {
                    refused: crate::case::model::SuccessFlag(true),
                },
            ),
        ],
    )
}

/// Whether the rule applies: a current method (a deprecated one answers 4588) that lists 1014,
/// whose input has a CPR and another field with a constraint.
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    // The other violation's 1014 is the method's own row (else it is by the reading
    // schema-fault-code, and two refusals of any code tell nothing apart); the CPR's code is by
    // the reading cpr-pattern-code, which a method listing 1014 brings in force.
    m.method.status == MethodStatus::Current
        && m.method.error(FAILED_TO_VALIDATE).is_some()
        && super::answerable(spec, m, INVALID_CPR)
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
            c.covers.codes == [code]
                && c.tags.iter().any(|t| t == super::TAG)
                && !c.tags.iter().any(|t| t == super::cross::TAG)
        })
    };
    // The CPR's violation where the method lists 1001 or 1014 (its code by the reading
    // cpr-pattern-code); the other's where it documents 1014 itself.
    let Some(cpr) = generated
        .iter()
        .filter(|c| {
            c.tags.iter().any(|t| t == super::TAG) && !c.tags.iter().any(|t| t == super::cross::TAG)
        })
        .find(|c| matches!(&c.then, Then::ByReading { by_reading } if by_reading.reading == "cpr-pattern-code"))
    else {
        return Vec::new();
    };
    let single = |code: u32| single(code).filter(|c| matches!(c.then, Then::Error { .. }));
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
    let mut assumes: Vec<String> = Vec::new();
    for a in cpr.assumes.iter().chain(&other.assumes) {
        if !assumes.contains(a) {
            assumes.push(a.clone());
        }
    }
    vec![Case {
        id: format!("{prefix}.x.{RULE}"),
        title: format!(
            "two violations in one request ({}; {}) are both answered, or the first found (reading errors-reported)",
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
        then: errors_reported(super::by_reading(
            "cpr-pattern-code",
            [
                (
                    "1001",
                    Then::Errors {
                        errors: vec![INVALID_CPR, FAILED_TO_VALIDATE],
                    },
                ),
                // Both violations answer 1014: one code.
                (
                    "1014",
                    Then::Error {
                        error: FAILED_TO_VALIDATE,
                    },
                ),
            ],
        )),
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
