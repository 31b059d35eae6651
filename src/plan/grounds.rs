//! The grounds of a case's expectation: the document rows it rests on (the error rows of its
//! expected codes, the sentences of its rules, the field rows of the fields it breaks, the
//! access-table row of its caller) and the overlay entries it names. The planner attaches them
//! to every planned case ([`of`]); every report cites them beside a failing verdict, so a
//! vendor sees the line of the documents the verdict stands on. The main type is [`Ground`].
//!
//! ```text
//! grounds: 000_4e975ea19b379729.txt:76 "1001 | Invalid cpr | The submitted cpr is …"
//! grounds: overlay general_faults.1014 (assumption: a method that lists no schema code …)
//! ```

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::case::model::{Case, Then};
use crate::spec::model::{MethodRef, MethodStatus, OrganisationType, WITHDRAWN_CODE};
use crate::spec::overlay::{Basis, Overlay};
use crate::spec::{Citable, Provenance, Spec};

/// One thing an expectation rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ground {
    /// What it is, in words: `error 4669`, `rule CreateYdelse.kth-lovhenvisning`,
    /// `field Sygemelding/Startdato`, `access JobCenter`, `overlay general_faults.1014`.
    pub on: String,
    /// The document line, for a ground in the documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
    /// The overlay's reason (an assumption) or source (an outside fact), for an overlay entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Ground {
    /// Whether the ground is a line of the documents (rather than an overlay entry).
    pub fn in_documents(&self) -> bool {
        self.at.is_some()
    }

    /// The ground as reports print it: `doc:line "text"`, or `overlay entry (basis)`.
    pub fn cite(&self) -> String {
        match (&self.at, &self.basis) {
            (Some(at), _) => format!("{}:{} \"{}\"", at.doc, at.line, at.text),
            (None, Some(basis)) => format!("{} ({basis})", self.on),
            (None, None) => self.on.clone(),
        }
    }
}

/// The grounds of `case`'s expectation in method `m`, document rows first, then the overlay
/// entries; each once.
pub fn of(spec: &Spec, m: &MethodRef<'_>, case: &Case) -> Vec<Ground> {
    let mut out: Vec<Ground> = Vec::new();
    let doc = |on: String, rows: Vec<Provenance>, out: &mut Vec<Ground>| {
        for at in rows {
            out.push(Ground {
                on: on.clone(),
                at: Some(at),
                basis: None,
            });
        }
    };
    let method = m.method;
    // The codes it expects, and those it says it covers.
    let mut codes: Vec<u32> = case.then.codes();
    codes.extend(case.covers.codes.iter().copied());
    let mut seen = BTreeSet::new();
    codes.retain(|c| seen.insert(*c));
    for code in codes {
        let rows = spec.cite(m, Citable::Code(code));
        if rows.is_empty() && code == WITHDRAWN_CODE && method.status == MethodStatus::Withdrawn {
            // A withdrawn (BORTFALDER) method documents no codes of its own; 4588 is the code
            // the documents give a method that cannot be used, cited where they give it.
            let row = spec
                .methods()
                .find_map(|o| o.method.error(code).and_then(|e| e.at.clone()));
            doc(
                format!("error {code} (the documents' code for a method that cannot be used)"),
                row.into_iter().collect(),
                &mut out,
            );
        } else if rows.is_empty()
            && let Some((rule, from)) = crate::spec::inherit::inherited_from(spec, m)
            && from.method.error(code).is_some()
        {
            // A code the method answers by a sentence of its document: the sentence, and the
            // code's row in the other method's table.
            doc(
                format!("rule {}", rule.id),
                rule.at.into_iter().collect(),
                &mut out,
            );
            doc(
                format!("error {code} (of {}, inherited)", from.method.name),
                spec.cite(&from, Citable::Code(code)),
                &mut out,
            );
        } else if rows.is_empty() {
            if let Some(f) = spec.overlay.general_faults.iter().find(|f| f.code == code) {
                out.push(overlay(
                    format!("overlay general_faults.{code}"),
                    Some(&f.basis),
                ));
            }
        } else {
            doc(format!("error {code}"), rows, &mut out);
        }
    }
    // The rules it covers, and the rules answering with the HTTP status it expects.
    let rules = spec.rules(m);
    let mut rule_ids: Vec<String> = case.covers.rules.clone();
    if let Then::Status { status } = &case.then {
        rule_ids.extend(
            rules
                .iter()
                .filter(|r| r.http_status == Some(*status))
                .map(|r| r.id.clone()),
        );
    }
    let mut seen = BTreeSet::new();
    rule_ids.retain(|r| seen.insert(r.clone()));
    for id in rule_ids {
        let rows = spec.cite(m, Citable::Rule(&id));
        let overlay_rule = spec
            .overlay
            .rules
            .get(&method.name)
            .and_then(|list| list.iter().find(|r| r.rule.id == id));
        match (rows.is_empty(), overlay_rule) {
            (false, _) => doc(format!("rule {id}"), rows, &mut out),
            (true, Some(r)) => out.push(overlay(format!("overlay rules.{id}"), Some(&r.basis))),
            (true, None) => {}
        }
    }
    // The fields it breaks.
    for path in &case.covers.fields {
        let rows = spec.cite(m, Citable::Field(path));
        doc(format!("field {path}"), rows, &mut out);
    }
    // The caller's row of the allowed-organisation table, for a case about who may call (one
    // that sends the caller's credentials: a case leaving them out is about the wire).
    if case.tags.iter().any(|t| t == "auth") && case.when.omit.is_empty() {
        let caller = case.given.caller.as_deref().unwrap_or("jobcenter");
        if let Some(org) = organisation_of_role(caller) {
            if method.access.is_empty() {
                if let Some(a) = spec.overlay.method_access.get(&method.name) {
                    out.push(overlay(
                        format!("overlay method_access.{}", method.name),
                        Some(&a.basis),
                    ));
                }
            } else {
                let rows = spec.cite(m, Citable::Access(org, None));
                doc(format!("access {org}"), rows, &mut out);
            }
        }
    }
    // A success covering nothing rests on the input table: the rows of the fields it sends.
    if out.is_empty()
        && let Then::Success { .. } = &case.then
    {
        let mut sent: Vec<String> = case.when.headers.keys().cloned().collect();
        if let Some(body) = case.when.body.as_object() {
            sent.extend(body.keys().cloned());
        }
        for name in sent {
            let field = method
                .input
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(&name));
            let rows = match field {
                Some(f) => f.at.clone().into_iter().collect(),
                None => spec.cite(m, Citable::Field(&name)),
            };
            doc(format!("field {name}"), rows, &mut out);
        }
    }
    // The readings it expects under: the document lines that leave each open.
    for name in case.then.readings() {
        if let Some(r) = spec.overlay.readings.get(name) {
            for at in &r.at {
                out.push(Ground {
                    on: format!("reading {name} (default {})", r.default),
                    at: Some(at.clone()),
                    basis: None,
                });
            }
        }
    }
    // The overlay entries the case names; a named assumption with the lines that leave its
    // question open.
    for entry in &case.assumes {
        if let Some(a) = entry
            .strip_prefix("assumptions.")
            .and_then(|name| spec.overlay.assumptions.get(name))
        {
            for at in &a.at {
                out.push(Ground {
                    on: format!("the question of overlay {entry}"),
                    at: Some(at.clone()),
                    basis: None,
                });
            }
        }
        out.push(overlay(
            format!("overlay {entry}"),
            basis_of(&spec.overlay, entry),
        ));
    }
    let mut seen = BTreeSet::new();
    out.retain(|g| seen.insert((g.on.clone(), g.at.clone())));
    out
}

fn overlay(on: String, basis: Option<&Basis>) -> Ground {
    Ground {
        on,
        at: None,
        basis: basis.map(|b| match b {
            Basis::Assumption { reason } => format!("assumption: {reason}"),
            Basis::OutsideFact { source } => format!("outside fact: {source}"),
        }),
    }
}

/// The basis of an overlay entry named as `assumes` names it (`general_faults.1014`,
/// `code_lists.kontaktgruppe.KTH`, `method_access.X`); `None` for a section without one.
fn basis_of<'a>(o: &'a Overlay, entry: &str) -> Option<&'a Basis> {
    let (section, rest) = entry.split_once('.').unwrap_or((entry, ""));
    match section {
        "soap_services" => o.soap_services.get(rest).map(|s| &s.basis),
        "rest_paths" => o.rest_paths.get(rest).map(|p| &p.basis),
        "code_lists" => {
            let (list, meaning) = rest.split_once('.')?;
            o.code_lists
                .get(list)?
                .values
                .iter()
                .find(|v| v.meaning == meaning)
                .map(|v| &v.basis)
        }
        "general_faults" => {
            let code: u32 = rest.parse().ok()?;
            o.general_faults
                .iter()
                .find(|f| f.code == code)
                .map(|f| &f.basis)
        }
        "organisation_type_ids" => o
            .organisation_type_ids
            .iter()
            .find(|t| t.organisation.as_str() == rest)
            .map(|t| &t.basis),
        "method_access" => o.method_access.get(rest).map(|a| &a.basis),
        "rule_codes" => o.rule_codes.get(rest).map(|r| &r.basis),
        "assumptions" => o.assumptions.get(rest).map(|a| &a.basis),
        "rules" => o
            .rules
            .values()
            .flatten()
            .find(|r| r.rule.id == rest)
            .map(|r| &r.basis),
        _ => None,
    }
}

/// The organisation type a caller role stands for. Roles are named after their organisation
/// type throughout the corpus (`jobcenter`, `other-kommune`, `anden-aktoer`); a profile may
/// map a role to any organisation, but the grounds of a case are the documents' table, read
/// under the corpus's names.
pub fn organisation_of_role(role: &str) -> Option<OrganisationType> {
    let base = role.strip_prefix("other-").unwrap_or(role);
    match base {
        "jobcenter" => Some(OrganisationType::JobCenter),
        "kommune" => Some(OrganisationType::Kommune),
        "akasse" => Some(OrganisationType::AKasse),
        "star" => Some(OrganisationType::Star),
        "anden-aktoer" => Some(OrganisationType::AndenAktoer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ground_cites_its_line_or_its_overlay_entry() {
        let g = Ground {
            on: "error 1001".into(),
            at: Some(Provenance {
                doc: "000_x.txt".into(),
                line: 76,
                text: "1001 | Invalid cpr".into(),
            }),
            basis: None,
        };
        assert_eq!(g.cite(), "000_x.txt:76 \"1001 | Invalid cpr\"");
        assert!(g.in_documents());
        let o = overlay(
            "overlay general_faults.1014".into(),
            Some(&Basis::Assumption {
                reason: "schema faults".into(),
            }),
        );
        assert_eq!(
            o.cite(),
            "overlay general_faults.1014 (assumption: schema faults)"
        );
        assert_eq!(
            organisation_of_role("other-kommune"),
            Some(OrganisationType::Kommune)
        );
        assert_eq!(organisation_of_role("robot"), None);
    }
}
