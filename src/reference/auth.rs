//! Callers and what they may do. A SOAP caller travels in the ActiveOrganisationHeader
//! (OrganisationTypeIdentifier, mapped to an organisation type by the overlay, and
//! OrganisationCode) and the RequestUserMetadataHeader; a REST caller presents a bearer token
//! issued by the reference's OAuth2 client-credentials endpoint, `POST /oauth2/token`, whose
//! `client_id` is `<organisation type as the documents write it>:<code>` (`JobCenter:10101`,
//! `A-kasse:12`, `Anden Aktør:12345678`, `STAR:STAR`).
//!
//! Access levels (the columns of the documents' allowed-organisation tables) are derived from
//! the citizen's state, see [`levels_towards`]. The main type here is [`Caller`].

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::Value;

use crate::soap::Envelope;
use crate::spec::model::{AccessLevel, AccessRow, OrganisationType, Spec};

use super::store::Citizen;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub organisation: OrganisationType,
    pub code: String,
}

/// How long an issued token is valid, in seconds.
pub const TOKEN_LIFETIME: i64 = 3600;

/// Reads the caller from a SOAP envelope's headers; the error holds every code found
/// (8232 no ActiveOrganisationHeader, 8233 no RequestUserMetadataHeader, 8234 unreadable).
pub fn soap_caller(env: &Envelope, spec: &Spec) -> Result<Caller, Vec<u32>> {
    let mut errors = Vec::new();
    let aoh = env.header("ActiveOrganisationHeader");
    let rumh = env.header("RequestUserMetadataHeader");
    if aoh.is_none() {
        errors.push(8232);
    }
    if rumh.is_none() {
        errors.push(8233);
    }
    let mut caller = None;
    if let Some(aoh) = aoh {
        caller = read_active_organisation(&aoh.value, spec);
        if caller.is_none() {
            errors.push(8234);
        }
    }
    if let Some(rumh) = rumh {
        let readable = rumh.value.as_object().is_some_and(|m| {
            m.values()
                .any(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()) || v.is_object())
        });
        if !readable && !errors.contains(&8234) {
            errors.push(8234);
        }
    }
    match caller {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

fn read_active_organisation(value: &Value, spec: &Spec) -> Option<Caller> {
    let map = value.as_object()?;
    let type_id: u32 = map
        .get("OrganisationTypeIdentifier")?
        .as_str()?
        .trim()
        .parse()
        .ok()?;
    let code = map.get("OrganisationCode")?.as_str()?.trim().to_string();
    if code.is_empty() {
        return None;
    }
    let organisation = organisation_of_id(spec, type_id)?;
    Some(Caller { organisation, code })
}

/// The organisation type of an OrganisationTypeIdentifier, by the overlay.
pub fn organisation_of_id(spec: &Spec, id: u32) -> Option<OrganisationType> {
    spec.overlay
        .organisation_type_ids
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.organisation)
}

/// The OrganisationTypeIdentifier of an organisation type, by the overlay.
pub fn id_of_organisation(spec: &Spec, organisation: OrganisationType) -> Option<u32> {
    spec.overlay
        .organisation_type_ids
        .iter()
        .find(|o| o.organisation == organisation)
        .map(|o| o.id)
}

/// Parses a `client_id`: `<organisation type>:<code>`.
pub fn parse_client_id(client_id: &str) -> Option<Caller> {
    let (org, code) = client_id.rsplit_once(':')?;
    let organisation = OrganisationType::parse(org)?;
    let code = code.trim();
    if code.is_empty() {
        return None;
    }
    Some(Caller {
        organisation,
        code: code.to_string(),
    })
}

/// The form of `POST /oauth2/token`.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub scope: Option<String>,
}

/// Why a token request was refused: the OAuth2 error and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRefusal {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

/// Decides a token request. `secret` is the configured client secret (empty: none set, and
/// every request is refused). Answers the caller and the scopes to grant.
pub fn grant(
    form: &TokenForm,
    secret: &str,
    spec: &Spec,
) -> Result<(Caller, BTreeSet<String>), TokenRefusal> {
    if secret.is_empty() {
        return Err(TokenRefusal {
            status: 503,
            error: "temporarily_unavailable",
            description: "no client secret is configured: set KONFORM_CLIENT_SECRET".into(),
        });
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return Err(TokenRefusal {
            status: 400,
            error: "unsupported_grant_type",
            description: "grant_type must be client_credentials".into(),
        });
    }
    let invalid_client = |why: &str| TokenRefusal {
        status: 401,
        error: "invalid_client",
        description: why.to_string(),
    };
    let Some(client_id) = form.client_id.as_deref() else {
        return Err(invalid_client("client_id is missing"));
    };
    let Some(caller) = parse_client_id(client_id) else {
        return Err(invalid_client(
            "client_id must be `<organisation type>:<code>`, e.g. `JobCenter:10101`",
        ));
    };
    if !constant_time_eq(
        form.client_secret.as_deref().unwrap_or("").as_bytes(),
        secret.as_bytes(),
    ) {
        return Err(invalid_client("client_secret is wrong"));
    }
    let scopes: BTreeSet<String> = match form.scope.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.split_whitespace().map(str::to_string).collect(),
        _ => spec
            .methods()
            .filter_map(|m| m.method.scope.clone())
            .collect(),
    };
    Ok((caller, scopes))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The bearer token of an `Authorization` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// Whether a token issued at `issued` is still valid at `now`.
pub fn token_valid(issued: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> bool {
    (now - issued).num_seconds() < TOKEN_LIFETIME
}

/// The access levels a caller holds towards a citizen. An Anden Aktør holds only the
/// "Anden Aktør" levels; every other caller:
/// - Alle borgere: always;
/// - Egne borgere: the citizen belongs to the caller — its jobcentre (JobCenter), kommune
///   (Kommune) or a-kasse (A-kasse) is the caller's code;
/// - Tidligere egne borgere: a JobCenter caller among the citizen's former jobcentres;
/// - Gæsteadgang: a JobCenter or Kommune caller that is the other party of one of the
///   citizen's move flows (borgerflytning) — the only guest relation the documents describe.
///
/// An Anden Aktør caller:
/// - Anden Aktør - egne borgere: the citizen is assigned to it;
/// - Anden Aktør - alle borgere: always.
///
/// Anden Aktør - gæsteadgang and System - alle borgere: no state gives them.
pub fn levels_towards(caller: &Caller, citizen: &Citizen) -> BTreeSet<AccessLevel> {
    use OrganisationType as O;
    let code = caller.code.as_str();
    if caller.organisation == O::AndenAktoer {
        let mut levels = BTreeSet::from([AccessLevel::AndenAktoerAlleBorgere]);
        if citizen.anden_aktoer.as_deref() == Some(code) {
            levels.insert(AccessLevel::AndenAktoerEgneBorgere);
        }
        return levels;
    }
    let mut levels = BTreeSet::from([AccessLevel::AlleBorgere]);
    let own = match caller.organisation {
        O::JobCenter => citizen.jobcenter.as_deref() == Some(code),
        O::Kommune => citizen.kommune.as_deref() == Some(code),
        O::AKasse => citizen.akasse.as_deref() == Some(code),
        O::Star | O::AndenAktoer => false,
    };
    if own {
        levels.insert(AccessLevel::EgneBorgere);
    }
    if caller.organisation == O::JobCenter && citizen.former_jobcenters.iter().any(|j| j == code) {
        levels.insert(AccessLevel::TidligereEgneBorgere);
    }
    if matches!(caller.organisation, O::JobCenter | O::Kommune)
        && !own
        && citizen
            .moves
            .iter()
            .any(|m| m.from.as_deref() == Some(code) || m.to.as_deref() == Some(code))
    {
        levels.insert(AccessLevel::Gaesteadgang);
    }
    levels
}

/// Whether the allowed-organisation table lets the caller at the citizen. An empty table
/// allows everyone (the document says nothing). The documents' tables have no Anden Aktør row:
/// they mark the "Anden Aktør" columns in the JobCenter row, for the operators a jobcentre
/// uses, so an Anden Aktør caller is held against the JobCenter row when it has no row of its own.
pub fn table_allows(rows: &[AccessRow], caller: &Caller, citizen: &Citizen) -> bool {
    if rows.is_empty() {
        return true;
    }
    let held = levels_towards(caller, citizen);
    let own_row = rows.iter().any(|r| r.organisation == caller.organisation);
    let row_type = if !own_row && caller.organisation == OrganisationType::AndenAktoer {
        OrganisationType::JobCenter
    } else {
        caller.organisation
    };
    rows.iter()
        .filter(|r| r.organisation == row_type)
        .any(|r| r.levels.iter().any(|l| held.contains(l)))
}

/// Whether the overlay's `method_access` lets the organisation type call a SOAP method. A
/// method without an entry is open to every type.
pub fn method_allows(spec: &Spec, method: &str, organisation: OrganisationType) -> bool {
    spec.overlay
        .method_access
        .get(method)
        .is_none_or(|a| a.allowed.contains(&organisation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::parse_envelope;
    use crate::spec::overlay::{Basis, OrganisationTypeId};

    fn spec() -> Spec {
        let mut spec = Spec::default();
        for (organisation, id) in [
            (OrganisationType::AKasse, 1),
            (OrganisationType::JobCenter, 2),
            (OrganisationType::Kommune, 3),
            (OrganisationType::Star, 4),
            (OrganisationType::AndenAktoer, 5),
        ] {
            spec.overlay.organisation_type_ids.push(OrganisationTypeId {
                organisation,
                id,
                basis: Basis::Assumption {
                    reason: "test".into(),
                },
            });
        }
        spec
    }

    fn env(headers: &str) -> Envelope {
        parse_envelope(&format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>{headers}</s:Header><s:Body><X/></s:Body></s:Envelope>"#
        ))
        .unwrap()
    }

    const AOH: &str = "<h:ActiveOrganisationHeader xmlns:h=\"urn:h\"><h:OrganisationTypeIdentifier>2</h:OrganisationTypeIdentifier><h:OrganisationCode>10101</h:OrganisationCode></h:ActiveOrganisationHeader>";
    const RUMH: &str = "<h:RequestUserMetadataHeader xmlns:h=\"urn:h\"><h:UserIdentifier>u</h:UserIdentifier></h:RequestUserMetadataHeader>";

    #[test]
    fn reads_soap_callers() {
        let spec = spec();
        let c = soap_caller(&env(&format!("{AOH}{RUMH}")), &spec).unwrap();
        assert_eq!(c.organisation, OrganisationType::JobCenter);
        assert_eq!(c.code, "10101");
        assert_eq!(soap_caller(&env(RUMH), &spec), Err(vec![8232]));
        assert_eq!(soap_caller(&env(AOH), &spec), Err(vec![8233]));
        assert_eq!(soap_caller(&env(""), &spec), Err(vec![8232, 8233]));
        let bad = AOH.replace(">2<", ">99<");
        assert_eq!(
            soap_caller(&env(&format!("{bad}{RUMH}")), &spec),
            Err(vec![8234])
        );
        let empty = "<h:RequestUserMetadataHeader xmlns:h=\"urn:h\"/>";
        assert_eq!(
            soap_caller(&env(&format!("{AOH}{empty}")), &spec),
            Err(vec![8234])
        );
    }

    #[test]
    fn client_ids_name_the_caller() {
        let c = parse_client_id("Anden Aktør:12345678").unwrap();
        assert_eq!(c.organisation, OrganisationType::AndenAktoer);
        assert_eq!(parse_client_id("STAR:STAR").unwrap().code, "STAR");
        assert!(parse_client_id("Bank:1").is_none());
        assert!(parse_client_id("JobCenter:").is_none());
    }

    #[test]
    fn grants_need_the_secret() {
        let spec = spec();
        let form = TokenForm {
            grant_type: Some("client_credentials".into()),
            client_id: Some("JobCenter:10101".into()),
            client_secret: Some("s3".into()),
            scope: Some("a b".into()),
        };
        let (c, scopes) = grant(&form, "s3", &spec).unwrap();
        assert_eq!(c.code, "10101");
        assert_eq!(scopes.len(), 2);
        assert_eq!(grant(&form, "other", &spec).unwrap_err().status, 401);
        assert_eq!(grant(&form, "", &spec).unwrap_err().status, 503);
        let form = TokenForm {
            grant_type: Some("password".into()),
            ..form
        };
        assert_eq!(grant(&form, "s3", &spec).unwrap_err().status, 400);
    }

    #[test]
    fn levels_follow_the_citizen() {
        let mut c = Citizen::new("0101901234".into());
        c.jobcenter = Some("10101".into());
        c.former_jobcenters = vec!["20202".into()];
        c.anden_aktoer = Some("555".into());
        let jc = |code: &str| Caller {
            organisation: OrganisationType::JobCenter,
            code: code.into(),
        };
        assert!(levels_towards(&jc("10101"), &c).contains(&AccessLevel::EgneBorgere));
        assert!(levels_towards(&jc("20202"), &c).contains(&AccessLevel::TidligereEgneBorgere));
        assert!(!levels_towards(&jc("30303"), &c).contains(&AccessLevel::EgneBorgere));
        let aa = Caller {
            organisation: OrganisationType::AndenAktoer,
            code: "555".into(),
        };
        assert!(levels_towards(&aa, &c).contains(&AccessLevel::AndenAktoerEgneBorgere));
        let rows = vec![AccessRow {
            organisation: OrganisationType::JobCenter,
            levels: vec![AccessLevel::EgneBorgere],
            at: None,
        }];
        assert!(table_allows(&rows, &jc("10101"), &c));
        assert!(!table_allows(&rows, &jc("30303"), &c));
        assert!(!table_allows(&rows, &aa, &c), "AA holds only AA levels");
        assert!(table_allows(&[], &aa, &c));
        let rows = vec![AccessRow {
            organisation: OrganisationType::JobCenter,
            levels: vec![AccessLevel::AndenAktoerEgneBorgere],
            at: None,
        }];
        assert!(
            table_allows(&rows, &aa, &c),
            "AA is held against the JobCenter row"
        );
        assert!(!table_allows(&rows, &jc("10101"), &c));
    }

    #[test]
    fn bearer_tokens() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
    }
}
