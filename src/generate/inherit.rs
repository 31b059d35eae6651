//! Inherited rules (`inherited.validation`): where a method's document says it applies "de
//! samme valideringsregler som ved" another method (UpdatePersonInterview and
//! CreatePersonInterview, UpdateInterview and CreateInterview), every hand-written refusal of
//! the other method runs on the inheriting one too. The refusal's change to its own base
//! request is grafted onto the inheriting method's base request (which names the registration
//! to update), so the same violation travels in the inheriting method's message. The case is
//! grounded in the sentence that says so (it covers that rule, whose provenance is the line)
//! and in the refused code's error row. The main entry points are [`applies`] and
//! [`for_method`].
//!
//! A refusal is carried over only where its preconditions are the other base's own (same
//! caller, clock and citizen as one of its successes, from which its change is taken), so the inheriting base's preconditions stand in for them; a
//! refusal that needs a citizen of its own is left out, and so is one about setting a
//! MessageIdentifier (on an update the identifiers name the registration). The change is
//! carried over only where the members around it are the same in both requests (an
//! interview with more authorities stays one), one or two members at most, never a member
//! naming the registration, and never a date or time where the inheriting method forbids
//! updating it (UpdatePersonInterview 8184).

use crate::case::model::{Case, Covers, Origin, Then};
use crate::spec::model::{MethodStatus, Rule};
use crate::spec::{MethodRef, Spec};

use super::rewrite;

/// The rule's name, as `konform coverage` shows it.
pub const RULE: &str = "inherited.validation";

/// The rule sentence saying `m` inherits another method's validation rules, and that method.
fn inherits(spec: &Spec, m: MethodRef<'_>) -> Option<(Rule, String)> {
    crate::spec::inherit::inherited_from(spec, &m).map(|(r, from)| (r, from.method.name.clone()))
}

/// Whether the rule applies: a current method whose document says it has another method's
/// validation rules.
pub fn applies(spec: &Spec, m: MethodRef<'_>) -> bool {
    m.method.status == MethodStatus::Current && inherits(spec, m).is_some()
}

/// Whether a refusal is about setting a MessageIdentifier (CreateInterview 8240, "The
/// MessageIdentifier cannot be set in this situation"): on an update the identifiers name the
/// registration and its parts, so the create's rule does not carry over as it stands.
fn names_the_registration(spec: &Spec, m: MethodRef<'_>, refusal: &Case) -> bool {
    let Some((_, from)) = crate::spec::inherit::inherited_from(spec, &m) else {
        return false;
    };
    let codes = match &refusal.then {
        Then::Error { error } => vec![*error],
        Then::Errors { errors } => errors.clone(),
        // A refusal by reading names its codes in what it covers.
        Then::ByReading { .. } => refusal.covers.codes.clone(),
        Then::Status { .. } | Then::Success { .. } | Then::Refused { .. } => Vec::new(),
    };
    codes.iter().any(|c| {
        from.method
            .error(*c)
            .and_then(|e| e.text.as_deref())
            .is_some_and(|t| t.contains("MessageIdentifier"))
    })
}

/// Whether a change touches what the inheriting method documents as not to be updated: "You
/// are not allowed to update InterviewTypeIdentifier" (UpdatePersonInterview 8187) names the
/// member, "… the date of the interview" (8184) every time or date member.
fn changes_what_cannot_be_updated(m: MethodRef<'_>, changed: &[String]) -> bool {
    let fixed: Vec<&str> = m
        .method
        .errors
        .iter()
        .filter_map(|e| {
            e.text
                .as_deref()?
                .strip_prefix("You are not allowed to update ")
        })
        .collect();
    changed.iter().any(|p| {
        let last = p.rsplit('/').next().unwrap_or(p);
        fixed.iter().any(|f| {
            f.trim() == last
                || (f.starts_with("the date") && (last.ends_with("Time") || last.ends_with("Date")))
        })
    })
}

fn is_base(c: &Case, service: &str, method: &str) -> bool {
    c.service == service
        && c.method == method
        && !c.origin.generated
        && c.given.calls.is_empty()
        && c.given.other_citizen.is_none()
        && c.when.raw.is_none()
        && matches!(c.then, Then::Success { .. })
}

/// The cases of one method.
pub fn for_method(spec: &Spec, m: MethodRef<'_>, corpus: &[Case], prefix: &str) -> Vec<Case> {
    if !applies(spec, m) {
        return Vec::new();
    }
    let Some((rule, from)) = inherits(spec, m) else {
        return Vec::new();
    };
    let service = &m.service.service;
    let Some(own_base) = corpus
        .iter()
        .find(|c| is_base(c, service, &m.method.name) && c.given.citizen.is_some())
    else {
        return Vec::new();
    };
    // The other method's successes: a refusal is grafted from the one whose preconditions it
    // shares.
    let from_bases: Vec<&Case> = corpus
        .iter()
        .filter(|c| is_base(c, service, &from))
        .collect();
    let same_preconditions = |a: &Case, b: &Case| {
        a.given.caller == b.given.caller
            && a.given.clock == b.given.clock
            && a.given.citizen == b.given.citizen
            && a.given.calls.is_empty()
            && a.given.other_citizen.is_none()
            && a.given.projects == b.given.projects
    };
    // The preconditions most of the other method's refusals share: the inheriting base's
    // preconditions stand in for these.
    let Some(main_base) = from_bases.iter().copied().max_by_key(|b| {
        corpus
            .iter()
            .filter(|c| c.method == from && c.service == *service && same_preconditions(c, b))
            .count()
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for refusal in corpus.iter().filter(|c| {
        c.service == *service
            && c.method == from
            && !c.origin.generated
            && c.when.raw.is_none()
            && c.when.omit.is_empty()
            && matches!(c.then, Then::Error { .. } | Then::Errors { .. })
            && !c.tags.iter().any(|t| t == "auth")
    }) {
        // The success it differs from in one or two places, its own preconditions being the
        // one the inheriting base's stand in for.
        let Some(from_base) = from_bases
            .iter()
            .filter(|b| same_preconditions(refusal, b) && same_preconditions(b, main_base))
            .min_by_key(|b| rewrite::changes(&b.when, &refusal.when).len())
        else {
            continue;
        };
        // What the refusal changes, less the members naming a registration (a create names
        // none, or a new one; the update's own stay).
        let changed: Vec<String> = rewrite::changes(&from_base.when, &refusal.when)
            .into_iter()
            .filter(|p| !p.ends_with("MessageIdentifier"))
            .collect();
        if changed.is_empty()
            || !rewrite::same_surroundings(&from_base.when, &own_base.when, &changed)
            || changed.len() > 2
            || names_the_registration(spec, m, refusal)
            || changes_what_cannot_be_updated(m, &changed)
        {
            continue;
        }
        let mut when = own_base.when.clone();
        rewrite::graft(&from_base.when, &refusal.when, &mut when);
        rewrite::keep_registration(&own_base.when, &mut when);
        let codes: Vec<u32> = match &refusal.then {
            Then::Error { error } => vec![*error],
            Then::Errors { errors } => errors.clone(),
            Then::ByReading { .. } => refusal.covers.codes.clone(),
            Then::Status { .. } | Then::Success { .. } | Then::Refused { .. } => Vec::new(),
        };
        let mut assumes = own_base.assumes.clone();
        for a in &refusal.assumes {
            if !assumes.contains(a) {
                assumes.push(a.clone());
            }
        }
        let suffix = refusal
            .id
            .strip_prefix(&format!("{from}."))
            .unwrap_or(&refusal.id);
        out.push(Case {
            id: format!("{prefix}.x.inherited.{suffix}"),
            title: format!("as in {from}: {}", refusal.title),
            service: service.clone(),
            method: m.method.name.clone(),
            covers: Covers {
                codes,
                rules: vec![rule.id.clone()],
                fields: refusal.covers.fields.clone(),
            },
            tags: vec![
                super::TAG.to_string(),
                super::cross::TAG.to_string(),
                format!("rule:{RULE}"),
            ],
            assumes,
            given: own_base.given.clone(),
            when,
            then: refusal.then.clone(),
            origin: Origin {
                file: format!(
                    "konform gen (cross-cutting, {} on {} from {})",
                    refusal.id, m.method.name, own_base.id
                ),
                line: 0,
                generated: true,
            },
        });
    }
    out
}
