//! Cross-cutting cases: rules that hold for every method of a binding, generated for each
//! method they apply to from its base case (the same base as the field-constraint cases), so
//! a vendor that implements a rule on one method and forgets it on another fails. The main
//! entry point is [`for_method`]; [`RULES`] names the rules, for `konform coverage`.
//!
//! | rule | applies to | expects | grounds |
//! | --- | --- | --- | --- |
//! | `caller-header.ActiveOrganisationHeader` | every SOAP method | 8232 | the overlay's general fault 8232 (`assumes`) |
//! | `caller-header.RequestUserMetadataHeader` | every SOAP method | 8233 | the overlay's general fault 8233 (`assumes`) |
//! | `caller-header.unreadable` | every SOAP method | 8234 (the ActiveOrganisationHeader without its OrganisationTypeIdentifier) | the overlay's general fault 8234 (`assumes`) |
//! | `errors-reported.caller-headers` | every SOAP method | 8232 and 8233 together | the general faults and the reading `errors-reported` |
//! | `errors-reported.fields` | every method with a CPR and another constrained field | 1001 and 1014 together | [`super::twice`] |
//! | `identity.other-citizen` | every method that takes an identifier and a CPR | [`super::identity`] | |
//! | `lifecycle.after-delete` | every method family with a delete | [`super::lifecycle`] | |
//! | `lifecycle.read-after-delete` | every delete with a documented method that reads its items back (none in the documents) | [`super::lifecycle::read_back`] | |
//! | `clock.danish-midnight` | every method with a rule about today, now or days | [`super::midnight`] | |
//! | `inherited.validation` | every method whose document says it has another's validation rules | [`super::inherit`] | |
//! | `request-id.repeated` | every REST method whose document says so | HTTP 412 | the method's x-requestId rule (`covers`) |
//! | `token.missing`, `token.wrong` | every REST method | HTTP 401 | the reading `rest-auth-status` (tag) |
//! | `token.scope` | every REST method with a documented scope | HTTP 403 | the documented scope and the reading `rest-auth-status` (tag) |
//!
//! The reading `rest-auth-status`: the REST documents name each method's OAuth2 scope but no
//! status for a caller without a valid token or without the scope; konform expects the HTTP
//! statuses OAuth2 bearer-token use gives them (RFC 6750 §3.1: `invalid_token` 401,
//! `insufficient_scope` 403), as the hand-written cases do.

use crate::case::given::SetupCall;
use crate::case::model::{Case, Covers, Origin, Then, When};
use crate::spec::model::{Binding, Transport};
use crate::spec::{MethodRef, Spec};

/// The tag every cross-cutting case carries (besides `generated`).
pub const TAG: &str = "cross-cutting";

/// The tag naming the reading the REST token cases rest on.
pub const REST_AUTH_READING: &str = "reading:rest-auth-status";

/// Every cross-cutting rule, with the transport it applies to (`None`: both).
pub const RULES: [(&str, Option<Transport>); 14] = [
    (
        "caller-header.ActiveOrganisationHeader",
        Some(Transport::Soap),
    ),
    (
        "caller-header.RequestUserMetadataHeader",
        Some(Transport::Soap),
    ),
    ("caller-header.unreadable", Some(Transport::Soap)),
    ("errors-reported.caller-headers", Some(Transport::Soap)),
    ("errors-reported.fields", None),
    ("request-id.repeated", Some(Transport::Rest)),
    ("token.missing", Some(Transport::Rest)),
    ("token.wrong", Some(Transport::Rest)),
    ("token.scope", Some(Transport::Rest)),
    (super::identity::RULE, None),
    (super::lifecycle::RULE, None),
    (super::lifecycle::READ_RULE, None),
    (super::midnight::RULE, None),
    (super::inherit::RULE, None),
];

/// Whether a rule applies to a method: the caller headers to every SOAP method (where the
/// code is documented or a general fault), a repeated x-requestId to every REST method whose
/// document states the 412 rule, the scope to every REST method with a documented scope, the
/// token to every REST method.
pub fn applies(spec: &Spec, m: MethodRef<'_>, rule: &str) -> bool {
    let fault = |code: u32| {
        m.method.error(code).is_some()
            || spec
                .overlay
                .general_faults
                .iter()
                .any(|f| f.code == code && f.transports.contains(&Transport::Soap))
    };
    match (&m.method.binding, rule) {
        (Binding::Soap { .. }, "caller-header.ActiveOrganisationHeader") => fault(8232),
        (Binding::Soap { .. }, "caller-header.RequestUserMetadataHeader") => fault(8233),
        (Binding::Soap { .. }, "caller-header.unreadable") => fault(8234),
        (Binding::Soap { .. }, "errors-reported.caller-headers") => fault(8232) && fault(8233),
        (_, "errors-reported.fields") => super::twice::applies(spec, m),
        (_, super::identity::RULE) => super::identity::applies(spec, m),
        (_, super::lifecycle::RULE) => super::lifecycle::applies(spec, m),
        (_, super::lifecycle::READ_RULE) => super::lifecycle::read_applies(spec, m),
        (_, super::midnight::RULE) => super::midnight::applies(spec, m),
        (_, super::inherit::RULE) => super::inherit::applies(spec, m),
        (Binding::Rest { .. }, "request-id.repeated") => {
            spec.rules(&m).iter().any(|r| r.http_status == Some(412))
        }
        (Binding::Rest { .. }, "token.missing" | "token.wrong") => true,
        (Binding::Rest { .. }, "token.scope") => m.method.scope.is_some(),
        (Binding::Soap { .. } | Binding::Rest { .. }, _) => false,
    }
}

/// Why `rule` does not apply to `m` (`None` where it does): the reason `konform gen --json`
/// and `konform coverage` give beside the rules a method has.
pub fn why_not(spec: &Spec, m: MethodRef<'_>, rule: &str) -> Option<String> {
    if applies(spec, m, rule) {
        return None;
    }
    let soap = matches!(m.method.binding, Binding::Soap { .. });
    let code = match rule {
        "caller-header.ActiveOrganisationHeader" => Some(8232),
        "caller-header.RequestUserMetadataHeader" => Some(8233),
        "caller-header.unreadable" => Some(8234),
        _ => None,
    };
    Some(match rule {
        super::identity::RULE => super::identity::why_not(spec, m)?,
        super::lifecycle::RULE => super::lifecycle::why_not(spec, m)?,
        super::lifecycle::READ_RULE => super::lifecycle::read_why_not(spec, m)?,
        super::midnight::RULE => {
            "no rule or error code of the method speaks of today, now or a number of days".into()
        }
        super::inherit::RULE => {
            "the method's document does not say it has another method's validation rules".into()
        }
        "errors-reported.fields" => {
            "not a current method that lists 1014 and answers a CPR that fails its pattern, with a CPR and another constrained field in its input".into()
        }
        _ if rule.starts_with("caller-header") || rule == "errors-reported.caller-headers" => {
            if soap {
                match code {
                    Some(c) => format!(
                        "the method does not document {c} and the overlay has no general SOAP fault {c}"
                    ),
                    None => "the method does not have both 8232 and 8233 (documented or a general SOAP fault)".into(),
                }
            } else {
                "a REST method: the caller travels in the bearer token, not in SOAP headers".into()
            }
        }
        "request-id.repeated" if !soap => {
            "the method's document does not state that a repeated x-requestId answers HTTP 412"
                .into()
        }
        "token.scope" if !soap => "the method's document names no OAuth2 scope".into(),
        _ => "a SOAP method: it takes no bearer token and no x-requestId".into(),
    })
}

/// The rule a generated case checks, read back from its tags (`rule:<name>`).
pub fn rule_of(case: &Case) -> Option<&str> {
    case.tags.iter().find_map(|t| t.strip_prefix("rule:"))
}

/// The cross-cutting cases of one method, derived from `base`; `prefix` starts their ids.
pub fn for_method(spec: &Spec, m: MethodRef<'_>, base: &Case, prefix: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut emit = |rule: &str, title: String, when: When, then: Then, extra: Extra| {
        let mut tags = vec![
            super::TAG.to_string(),
            TAG.to_string(),
            format!("rule:{rule}"),
        ];
        tags.extend(extra.tags);
        let mut given = base.given.clone();
        given.calls.extend(extra.calls);
        out.push(Case {
            id: format!("{prefix}.x.{rule}"),
            title,
            service: base.service.clone(),
            method: base.method.clone(),
            covers: extra.covers,
            tags,
            assumes: extra.assumes,
            given,
            when,
            then,
            origin: Origin {
                file: format!("konform gen (cross-cutting, from {})", base.id),
                line: 0,
                generated: true,
            },
        });
    };
    let has_fault = |code: u32| {
        spec.overlay
            .general_faults
            .iter()
            .any(|f| f.code == code && f.transports.contains(&Transport::Soap))
    };
    match &m.method.binding {
        Binding::Soap { .. } => {
            for (header, code) in [
                ("ActiveOrganisationHeader", 8232),
                ("RequestUserMetadataHeader", 8233),
            ] {
                if !has_fault(code) && m.method.error(code).is_none() {
                    continue;
                }
                let mut when = base.when.clone();
                when.omit.push(header.to_string());
                let assumes = if m.method.error(code).is_some() {
                    Vec::new()
                } else {
                    vec![format!("general_faults.{code}")]
                };
                emit(
                    &format!("caller-header.{header}"),
                    format!("a call without the {header} is refused with {code}"),
                    when,
                    Then::Error { error: code },
                    Extra {
                        assumes,
                        covers: covers_code(m, code),
                        ..Extra::default()
                    },
                );
            }
            // A header that is there but cannot be read: its organisation type left out.
            if has_fault(8234) || m.method.error(8234).is_some() {
                let mut when = base.when.clone();
                when.omit
                    .push("ActiveOrganisationHeader/OrganisationTypeIdentifier".into());
                emit(
                    "caller-header.unreadable",
                    "an ActiveOrganisationHeader without its OrganisationTypeIdentifier cannot be read (8234)".into(),
                    when,
                    Then::Error { error: 8234 },
                    Extra {
                        assumes: general_fault(m, 8234),
                        covers: covers_code(m, 8234),
                        ..Extra::default()
                    },
                );
            }
            // Two independent violations: both caller headers left out. Whether the answer
            // carries both codes or the first is the reading `errors-reported`.
            if (has_fault(8232) || m.method.error(8232).is_some())
                && (has_fault(8233) || m.method.error(8233).is_some())
            {
                let mut when = base.when.clone();
                when.omit.push("ActiveOrganisationHeader".into());
                when.omit.push("RequestUserMetadataHeader".into());
                let mut assumes = general_fault(m, 8232);
                assumes.extend(general_fault(m, 8233));
                let mut covers = covers_code(m, 8232);
                covers.codes.extend(covers_code(m, 8233).codes);
                emit(
                    "errors-reported.caller-headers",
                    "a call without either caller header is refused with 8232 and 8233, or the first found (reading errors-reported)".into(),
                    when,
                    super::twice::errors_reported(Then::Errors {
                        errors: vec![8232, 8233],
                    }),
                    Extra {
                        assumes,
                        covers,
                        ..Extra::default()
                    },
                );
            }
        }
        Binding::Rest { .. } => {
            // A repeated x-requestId: the document's rule, where the method states it.
            let rule = spec
                .rules(&m)
                .into_iter()
                .find(|r| r.http_status == Some(412));
            let request_id = base
                .when
                .headers
                .keys()
                .find(|k| k.eq_ignore_ascii_case("x-requestId"))
                .cloned();
            if let (Some(rule), Some(name)) = (rule, request_id) {
                let mut when = base.when.clone();
                when.headers.insert(name, "${uuid:request-id}".into());
                let first = SetupCall {
                    method: base.method.clone(),
                    service: Some(base.service.clone()),
                    caller: None,
                    when: when.clone(),
                };
                emit(
                    "request-id.repeated",
                    "a request whose x-requestId was used before answers HTTP 412".into(),
                    when,
                    Then::Status { status: 412 },
                    Extra {
                        covers: Covers {
                            rules: vec![rule.id.clone()],
                            ..Covers::default()
                        },
                        calls: vec![first],
                        ..Extra::default()
                    },
                );
            }
            let reading = || Extra {
                tags: vec![REST_AUTH_READING.to_string()],
                ..Extra::default()
            };
            let mut when = base.when.clone();
            when.omit.push("Authorization".into());
            emit(
                "token.missing",
                "a call without a bearer token answers HTTP 401 (reading rest-auth-status)".into(),
                when,
                token_reading(401),
                reading(),
            );
            let mut when = base.when.clone();
            when.omit.push("Authorization".into());
            when.headers.insert(
                "Authorization".into(),
                "Bearer konform-not-a-valid-token".into(),
            );
            emit(
                "token.wrong",
                "a call with a bearer token the target did not issue answers HTTP 401 (reading rest-auth-status)".into(),
                when,
                token_reading(401),
                reading(),
            );
            if let Some(scope) = &m.method.scope {
                let mut when = base.when.clone();
                when.omit.push("Scope".into());
                emit(
                    "token.scope",
                    format!(
                        "a token without the scope {scope} answers HTTP 403 (reading rest-auth-status)"
                    ),
                    when,
                    token_reading(403),
                    reading(),
                );
            }
        }
    }
    out
}

/// The answer to a call without a valid token (401) or without the scope (403) under the
/// reading missing-token-status: RFC 6750's status, or a bare HTTP 400.
fn token_reading(status: u16) -> Then {
    super::by_reading(
        "missing-token-status",
        [
            ("rfc6750", Then::Status { status }),
            ("400", Then::Status { status: 400 }),
        ],
    )
}

/// What a cross-cutting case adds to its base besides `when` and `then`.
#[derive(Default)]
struct Extra {
    covers: Covers,
    assumes: Vec<String>,
    tags: Vec<String>,
    calls: Vec<SetupCall>,
}

/// The overlay entry a code rests on where the method does not document it.
fn general_fault(m: MethodRef<'_>, code: u32) -> Vec<String> {
    if m.method.error(code).is_some() {
        Vec::new()
    } else {
        vec![format!("general_faults.{code}")]
    }
}

fn covers_code(m: MethodRef<'_>, code: u32) -> Covers {
    if m.method.error(code).is_some() {
        Covers {
            codes: vec![code],
            ..Covers::default()
        }
    } else {
        Covers::default()
    }
}
