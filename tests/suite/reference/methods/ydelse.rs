//! VisiteringOgStatus.YdelsesVisiteringService: CreateYdelse and the three reads.

use serde_json::{Value, json};

use super::{Caller, Table, row};

const S: &str = "VisiteringOgStatus.YdelsesVisiteringService";

fn citizen() -> Value {
    json!({"jobcenter": "10101", "kommune": "101", "anden_aktoer": "555",
           "ydelser": [{"id": "y", "start": "2026-09-01", "kontaktgruppe": 2}]})
}

pub fn create_ydelse_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let kth = json!({"kontaktgruppe": 2, "startdato": "2025-07-01", "ydelsesAfgoerelsesType": 3,
                     "kyNoegle": "KTH-1", "lovhenvisning": "§ 11"});
    out.push(Table::rest(S, "CreateYdelse", "Kommune:101", "POST", "/v1/ydelse")
        .given(citizen())
        .body(json!({"kyYdelsesIdentifier": "${uuid}", "startdato": "2026-11-01", "kontaktgruppe": 1}))
        .rows(vec![
            row("accepted", &[]),
            row("an update of the citizen's own ydelse", &[]).body(json!({"kyYdelsesIdentifier": "${ids.y}"})),
            row("a KTH decision with lovhenvisning and kyNoegle", &[]).body(kth.clone()),
            row("a KTH decision before 1.7.2025 needs neither", &[])
                .body(super::merge(kth.clone(), &json!({"startdato": "2025-06-30", "kyNoegle": null, "lovhenvisning": null}))),
            row("accepted by the assigned anden aktør", &[]).by(Caller::Rest("Anden Aktør:555")),
            row("1001 header cpr", &[1001]).header_cpr("3102901234"),
            row("1014 bad date", &[1014]).body(json!({"startdato": "1/11/2026"})),
            row("1014 lovhenvisning too long", &[1014]).body(json!({"lovhenvisning": "x".repeat(51)})),
            row("refused jobcentre: HTTP 400, 4575 is not documented", &[]).status(400).by(Caller::Rest("JobCenter:10101")),
            row("refused anden aktør not assigned: HTTP 400", &[]).status(400).by(Caller::Rest("Anden Aktør:777")),
            row("4669", &[4669]).body(json!({"slutdato": "2026-10-01"})),
            row("100049 no lovhenvisning", &[100049]).body(super::merge(kth.clone(), &json!({"lovhenvisning": null}))),
            row("100050 no kyNoegle", &[100050]).body(super::merge(kth, &json!({"kyNoegle": null}))),
            row("100051 another citizen's ydelse", &[100051]).body(json!({"kyYdelsesIdentifier": "${other.y}"})).other(citizen()),
            row("100052 unknown kontaktgruppe", &[100052]).body(json!({"kontaktgruppe": 9999})),
        ]));
    out
}

#[tokio::test]
async fn create_ydelse_rows() {
    super::run_tables(create_ydelse_rows_tables()).await;
}

pub fn the_reads_answer_the_citizens_ydelser_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(
        Table::rest(S, "GetYdelser", "Kommune:101", "GET", "/v1/ydelse")
            .given(citizen())
            .rows(vec![
                row("accepted", &[]),
                row("accepted for STAR", &[]).by(Caller::Rest("STAR:STAR")),
                row("accepted for a guest jobcentre", &[])
                    .by(Caller::Rest("JobCenter:30303"))
                    .given(json!({"moves": [{"from": "101", "to": "30303"}]})),
                row("refused another kommune: HTTP 400", &[])
                    .status(400)
                    .by(Caller::Rest("Kommune:999")),
                row("refused a-kasse: HTTP 400", &[])
                    .status(400)
                    .by(Caller::Rest("A-kasse:12")),
            ]),
    );
    out.push(
        Table::rest(
            S,
            "GetYdelse",
            "Kommune:101",
            "GET",
            "/v1/ydelse/{ydelsesidentifier}",
        )
        .given(citizen())
        .path("ydelsesidentifier", "${ids.y}")
        .rows(vec![
            row("accepted", &[]),
            row("404 unknown", &[])
                .path("ydelsesidentifier", "${uuid}")
                .status(404),
            row("1014 not a uuid", &[1014]).path("ydelsesidentifier", "abc"),
        ]),
    );
    out.push(
        Table::rest(
            S,
            "GetYdelseHistorik",
            "Kommune:101",
            "GET",
            "/v1/ydelse/historik",
        )
        .given(citizen())
        .rows(vec![
            row("accepted", &[]),
            row("refused: HTTP 400, 4575 is not documented", &[])
                .status(400)
                .by(Caller::Rest("Kommune:999")),
        ]),
    );
    out
}

#[tokio::test]
async fn the_reads_answer_the_citizens_ydelser() {
    super::run_tables(the_reads_answer_the_citizens_ydelser_tables()).await;
}

#[tokio::test]
async fn ydelser_are_read_back_with_their_history() {
    let r = crate::reference::harness::Ref::start(super::spec()).await;
    let (cpr, _) = r
        .state(json!({"now": crate::reference::harness::NOW, "citizen": {"kommune": "101"}}))
        .await;
    let token = r.token("Kommune:101", None).await;
    let id = uuid::Uuid::new_v4().to_string();
    for (rid, start) in [("a", "2026-11-01"), ("b", "2026-11-02")] {
        let a = r
            .rest(
                "POST",
                "/v1/ydelse",
                Some(&token),
                &[
                    ("x-civilRegistrationIdentifier", &cpr),
                    ("x-requestId", rid),
                ],
                Some(json!({"kyYdelsesIdentifier": id, "startdato": start, "kontaktgruppe": 2})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.raw);
    }
    let h = [("x-civilRegistrationIdentifier", cpr.as_str())];
    let list = r.rest("GET", "/v1/ydelse", Some(&token), &h, None).await;
    assert_eq!(
        list.body["ydelser"].as_array().unwrap().len(),
        1,
        "{}",
        list.raw
    );
    assert_eq!(list.body["ydelser"][0]["startdato"], "2026-11-02");
    assert_eq!(
        list.body["ydelser"][0]["registrendeMyndighed"]["organisationType"],
        3
    );
    let one = r
        .rest("GET", &format!("/v1/ydelse/{id}"), Some(&token), &h, None)
        .await;
    assert_eq!(
        one.body["ydelse"]["kyYdelsesIdentifier"],
        json!(id),
        "{}",
        one.raw
    );
    let hist = r
        .rest("GET", "/v1/ydelse/historik", Some(&token), &h, None)
        .await;
    let items = hist.body["ydelser"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", hist.raw);
    assert_eq!(items[0]["startdato"], "2026-11-01");
    assert_eq!(
        items[1]["registrerendeSagsbehandler"]["registrendeMyndighed"]["myndighedskode"],
        "101"
    );
}

/// GetYdelseHistorik's `registrerendeSagsbehandler` occurs once in every version, also for a
/// benefit established as a precondition (whose registering authority is unknown).
#[tokio::test]
async fn every_version_has_its_registering_caseworker() {
    let r = crate::reference::harness::Ref::start(super::spec()).await;
    let (cpr, _) = r
        .state(
            json!({"now": crate::reference::harness::NOW, "citizen": {"kommune": "101",
            "ydelser": [{"id": "y", "start": "2026-09-01"}]}}),
        )
        .await;
    let token = r.token("Kommune:101", None).await;
    let h = [("x-civilRegistrationIdentifier", cpr.as_str())];
    let hist = r
        .rest("GET", "/v1/ydelse/historik", Some(&token), &h, None)
        .await;
    let items = hist.body["ydelser"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", hist.raw);
    assert!(
        items[0]["registrerendeSagsbehandler"].is_object(),
        "{}",
        hist.raw
    );
}

/// Every table of this module.
pub fn tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut all = Vec::new();
    all.extend(create_ydelse_rows_tables());
    all.extend(the_reads_answer_the_citizens_ydelser_tables());
    all
}
