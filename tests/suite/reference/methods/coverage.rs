//! Every documented code of every method is either checked by the reference or listed in the
//! overlay's `untestable` with its reason — and no code is both.

use std::collections::BTreeSet;

use konform::reference;
use konform::spec::model::MethodStatus;

/// Codes the transports and validation answer for every method (not per-method checks).
const TRANSPORT: [u32; 6] = [1001, 1014, 4575, 8232, 8233, 8234];

#[test]
fn every_documented_code_is_implemented_or_untestable() {
    let spec = super::spec();
    let ids: BTreeSet<String> = reference::check_ids(&spec)
        .into_iter()
        .map(|c| c.id)
        .collect();
    let prefixes = reference::checks::method_prefixes(&spec);
    let mut missing = Vec::new();
    let mut both = Vec::new();
    for m in spec.methods() {
        if m.method.status == MethodStatus::Withdrawn {
            continue;
        }
        let prefix = &prefixes[&(m.service.service.clone(), m.method.name.clone())];
        for e in &m.method.errors {
            let key = format!("{}/{}", m.method.name, e.code);
            let untestable = spec.overlay.untestable.contains_key(&key);
            let implemented =
                TRANSPORT.contains(&e.code) || ids.contains(&format!("{prefix}/{}", e.code));
            match (implemented, untestable) {
                (false, false) => missing.push(format!("{}/{}", m.service.service, key)),
                (true, true) if !TRANSPORT.contains(&e.code) => both.push(key),
                _ => {}
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documented codes neither implemented nor untestable: {missing:#?}"
    );
    assert!(
        both.is_empty(),
        "implemented codes listed as untestable: {both:#?}"
    );
}

#[test]
fn every_untestable_entry_names_a_documented_code() {
    let spec = super::spec();
    for key in spec.overlay.untestable.keys() {
        // A prose rule no case can observe is declared under its rule id (no `/`): not a code.
        if !key.contains('/') {
            continue;
        }
        // `<Method>/<code>`, or `<Service>/<Method>/<code>` for a name two services share.
        let (qualified, code) = key.rsplit_once('/').expect("Method/code");
        let (service, method) = match qualified.split_once('/') {
            Some((s, m)) => (Some(s), m),
            None => (None, qualified),
        };
        let code: u32 = code.parse().expect("a numeric code");
        assert!(
            spec.methods().any(|m| m.method.name == method
                && service.is_none_or(|s| m.service.service == s)
                && m.method.error(code).is_some()),
            "{key} is not a documented code"
        );
    }
}

#[test]
fn check_ids_cover_every_method_and_are_unique() {
    let spec = super::spec();
    let checks = reference::check_ids(&spec);
    let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    for c in &checks {
        assert!(!c.breaks.is_empty(), "{} says what it breaks", c.id);
    }
    // Methods that share a name across services are told apart.
    assert!(unique.contains("InterviewService.DeleteInterviewParticipant/8197"));
    assert!(unique.contains("PersonRegistrationService.DeleteInterviewParticipant/8197"));
    assert!(unique.contains("CreatePersonInterview/4653"));
    assert!(unique.contains("UpdateSygemelding/5018"));
    assert!(unique.contains("GetTransferData/withdrawn"));
    assert!(unique.contains("CreateCivicConsent/4588"));
}

#[test]
fn every_method_has_a_table_with_an_accepted_request_or_its_documented_refusal() {
    let spec = super::spec();
    let tables = super::all_tables();
    let mut missing = Vec::new();
    for m in spec.methods() {
        let rows: Vec<&super::Row> = tables
            .iter()
            .filter(|(t, _)| t.service == m.service.service && t.method == m.method.name)
            .flat_map(|(_, rows)| rows)
            .collect();
        let refusal = match m.method.status {
            MethodStatus::Current => None,
            MethodStatus::Deprecated if m.method.error(4588).is_some() => Some(4588),
            MethodStatus::Deprecated => None,
            MethodStatus::Withdrawn => Some(4588),
        };
        let answered = rows.iter().any(|r| match refusal {
            None => r.expect.is_empty() && r.status.is_none(),
            Some(code) => r.expect == vec![code],
        });
        if !answered {
            missing.push(format!("{}/{}", m.service.service, m.method.name));
        }
    }
    assert!(
        missing.is_empty(),
        "methods without an accepted-request row: {missing:#?}"
    );
}
