//! VisiteringOgStatus.YdelsesVisiteringService (REST): social benefits (ydelser) registered from
//! the municipal benefit system KY. CreateYdelse creates or updates (by kyYdelsesIdentifier);
//! the Get methods answer the citizen's current benefits, one benefit, and every version.
//!
//! CreateYdelse's order: the benefit type (100052), the identifier (100051), the dates (4669,
//! 9393), then the KTH rules from 1.7.2025 (100049, 100050). A "decision" (afgørelse) is any
//! ydelsesAfgoerelsesType other than the events "Ydelsessag startet" and "Ydelsessag afsluttet"
//! (the lovhenvisning description: "Ikke udfyldt ved “Ydelsessag startet” og “Ydelsessag
//! afsluttet”. Angives ved alle andre statusser."); the event types are found by those words
//! in the overlay's `ydelsesafgoerelsestype` list.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::domain::{self, lists};
use super::interview::{collection_answer, project};
use super::{Call, Handler};
use crate::reference::auth;
use crate::reference::checks::Rejection;
use crate::reference::store::{Citizen, ItemKind, Ydelse};

pub fn handler(_service: &str, method: &str) -> Option<Handler> {
    Some(match method {
        "CreateYdelse" => create_ydelse,
        "GetYdelser" => get_ydelser,
        "GetYdelse" => get_ydelse,
        "GetYdelseHistorik" => get_historik,
        _ => return None,
    })
}

const CHECKS: &[(u32, &str)] = &[
    (
        100052,
        "kontaktgruppe must be a known kontaktgruppe value (the overlay\'s list, or 1-99)",
    ),
    (
        100051,
        "kyYdelsesIdentifier must not belong to another citizen",
    ),
    (4669, "slutdato cannot be before startdato"),
    (
        9393,
        "a benefit that ends (Ydelsessag afsluttet) needs slutdato",
    ),
    (100049, "a KTH decision from 1.7.2025 needs lovhenvisning"),
    (100050, "a KTH decision from 1.7.2025 needs kyNoegle"),
];

pub fn checks(_service: &str, method: &str) -> Vec<(u32, &'static str)> {
    match method {
        "CreateYdelse" => CHECKS.to_vec(),
        _ => Vec::new(),
    }
}

/// The day the KTH rules start (100049, 100050).
pub fn kth_rules_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// Whether an afgørelsestype is the event whose meaning holds `word` (`startet`, `afsluttet`).
fn is_event(call: &Call<'_>, value: i64, word: &str) -> bool {
    call.app
        .spec
        .overlay
        .code_lists
        .get(lists::YDELSESAFGOERELSESTYPE)
        .and_then(|l| l.values.iter().find(|v| v.value == value))
        .is_some_and(|v| v.meaning.to_lowercase().contains(word))
}

fn create_ydelse(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = call.uuid("kyYdelsesIdentifier");
    let start = call.date("startdato");
    let end = call.date("slutdato");
    let kontaktgruppe = call.int("kontaktgruppe");
    let ky_noegle = call.str("kyNoegle");
    let lovhenvisning = call.str("lovhenvisning");
    let afgoerelse = call.int("ydelsesAfgoerelsesType");

    let kg_ok = kontaktgruppe.is_none_or(|k| domain::valid(call, lists::KONTAKTGRUPPE, k));
    call.ctx.check(100052, || !kg_ok);
    let owner = id.and_then(|id| call.app.store.owner(&id));
    call.ctx.check(100051, || {
        owner
            .as_ref()
            .is_some_and(|(cpr, kind)| *cpr != c.cpr || *kind != ItemKind::Ydelse)
    });
    call.ctx.gate()?;
    call.ctx
        .check(4669, || matches!((start, end), (Some(s), Some(e)) if e < s));
    let ends = afgoerelse.is_some_and(|t| is_event(call, t, "afsluttet"));
    call.ctx.check(9393, || ends && end.is_none());
    // The reading missing-decision-type: without a type, an event, or a decision.
    let untyped_decides = call.app.reading("missing-decision-type") == "decision";
    let decision = match afgoerelse {
        Some(t) => !is_event(call, t, "startet") && !is_event(call, t, "afsluttet"),
        None => untyped_decides,
    };
    let kth_decision = decision
        && kontaktgruppe == Some(domain::kth(call))
        && start.is_some_and(|s| s >= kth_rules_from());
    call.ctx
        .check(100049, || kth_decision && lovhenvisning.is_none());
    call.ctx
        .check(100050, || kth_decision && ky_noegle.is_none());
    call.ctx.gate()?;

    let Some(id) = id else { return Ok(Value::Null) };
    let caller = call.req.caller.clone();
    let new = Ydelse {
        id,
        start: start.unwrap_or_else(|| call.today()),
        end,
        kontaktgruppe,
        ky_noegle,
        lovhenvisning,
        afgoerelsestype: afgoerelse,
        registered_by: Some((caller.organisation, caller.code)),
        registered_at: Some(call.now),
        history: Vec::new(),
    };
    match c.ydelser.iter_mut().find(|y| y.id == id) {
        Some(old) => {
            let mut history = std::mem::take(&mut old.history);
            history.push(old.clone());
            *old = Ydelse { history, ..new };
        }
        None => {
            if call.known {
                call.app.store.index(id, &c.cpr, ItemKind::Ydelse);
            }
            c.ydelser.push(new);
        }
    }
    Ok(Value::Null)
}

/// A benefit with every member the Get methods may answer.
fn canonical(call: &Call<'_>, y: &Ydelse) -> Value {
    let mut m = Map::new();
    m.insert("kyYdelsesIdentifier".into(), json!(y.id.to_string()));
    m.insert("startdato".into(), json!(y.start.to_string()));
    if let Some(e) = y.end {
        m.insert("slutdato".into(), json!(e.to_string()));
    }
    if let Some(k) = y.kontaktgruppe {
        m.insert("kontaktgruppe".into(), json!(k));
    }
    if let Some(k) = &y.ky_noegle {
        m.insert("kyNoegle".into(), json!(k));
    }
    if let Some(l) = &y.lovhenvisning {
        m.insert("lovhenvisning".into(), json!(l));
    }
    if let Some(t) = y.afgoerelsestype {
        m.insert("ydelsesAfgoerelsesType".into(), json!(t));
    }
    // GetYdelseHistorik's registrerendeSagsbehandler occurs once in every version, its members
    // at most once: a benefit whose registering authority is unknown (one established as a
    // precondition) still answers it, empty.
    let mut sagsbehandler = Map::new();
    if let Some((org, code)) = &y.registered_by {
        let mut myndighed = Map::new();
        if let Some(id) = auth::id_of_organisation(&call.app.spec, *org) {
            myndighed.insert("organisationType".into(), json!(id));
        }
        myndighed.insert("myndighedskode".into(), json!(code));
        m.insert(
            "registrendeMyndighed".into(),
            Value::Object(myndighed.clone()),
        );
        sagsbehandler.insert("registrendeMyndighed".into(), Value::Object(myndighed));
    }
    m.insert(
        "registrerendeSagsbehandler".into(),
        Value::Object(sagsbehandler),
    );
    if let Some(t) = y.registered_at {
        m.insert("dfdgRegistreringsTidspunkt".into(), json!(t.to_rfc3339()));
    }
    Value::Object(m)
}

fn get_ydelser(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let items = c.ydelser.iter().map(|y| canonical(call, y)).collect();
    Ok(collection_answer(
        call.output_fields(),
        items,
        "kyYdelsesIdentifier",
        true,
    ))
}

/// GetYdelse: one benefit of the citizen; an unknown one answers 404 (no code is documented).
fn get_ydelse(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let id = call
        .req
        .path
        .values()
        .find_map(|v| Uuid::parse_str(v.trim()).ok());
    let Some(y) = id.and_then(|id| c.ydelser.iter().find(|y| y.id == id)) else {
        // The reading unknown-resource-status: 404, or a bare 400.
        return Err(Rejection::Status(
            if call.app.reading("unknown-resource-status") == "400" {
                400
            } else {
                404
            },
        ));
    };
    let value = canonical(call, y);
    let fields = call.output_fields();
    match fields {
        [only] if !only.children.is_empty() => {
            Ok(json!({ only.name.clone(): project(&only.children, &value) }))
        }
        other => Ok(project(other, &value)),
    }
}

fn get_historik(call: &mut Call<'_>, c: &mut Citizen) -> Result<Value, Rejection> {
    let mut items = Vec::new();
    for y in &c.ydelser {
        for old in &y.history {
            items.push(canonical(call, old));
        }
        items.push(canonical(call, y));
    }
    // The reading history-order: the documents give no order; under `newest-first` and
    // `unordered` the reference answers the newest first.
    if call.app.reading("history-order") != "oldest-first" {
        items.reverse();
    }
    Ok(collection_answer(
        call.output_fields(),
        items,
        "kyYdelsesIdentifier",
        true,
    ))
}
