//! The sick-leave REST service: CreateSygemelding, UpdateSygemelding, CreateRaskmelding.

use serde_json::{Value, json};

use super::{Table, row};

const S: &str = "SygemeldingService";

fn citizen() -> Value {
    json!({"jobcenter": "10101", "kommune": "101", "akasse": "12",
        "contact_groups": [{"type": 1, "start": "2026-10-01T00:00:00+01:00"}],
        "absences": [{"id": "sick", "type": 11, "start": "2026-11-22T00:00:00+01:00", "unemployment_status": 1}]})
}

fn sygemelding() -> Value {
    json!({"Startdato": "2026-11-22T00:00:00", "fravaerType": 11, "Anmeldelsesdato": "2026-11-22T00:00:00", "Ledighedsgrad": 1})
}

pub fn create_sygemelding_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::rest(S, "CreateSygemelding", "A-kasse:12", "POST", "/v1/sygemelding")
        .given(json!({"jobcenter": "10101", "kommune": "101", "akasse": "12",
                      "contact_groups": [{"type": 1, "start": "2026-10-01T00:00:00+01:00"}]}))
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}",
                     "Sygemelding": {"Startdato": "2026-11-24T00:00:00", "fravaerType": 11, "Anmeldelsesdato": "2026-11-24T00:00:00"}}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted with its own identifier and an afmelding", &[]).body(json!({
                "Sygemelding": {"fravaerIdentifier": "${uuid}"},
                "Afmelding": {"Afmeldedato": "2026-11-24T00:00:00", "Afmeldingsaarsag": 1}})),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1014 string for a code", &[1014]).body(json!({"Sygemelding": {"fravaerType": "elleve"}})),
            row("1014 comment too long", &[1014]).body(json!({"Sygemelding": {"Fravaerskommentar": "x".repeat(1501)}})),
            row("refused anden aktør: HTTP 400, 4575 is not documented", &[]).status(400).by(super::Caller::Rest("Anden Aktør:555")),
        ]));
    out
}

#[tokio::test]
async fn create_sygemelding_rows() {
    super::run_tables(create_sygemelding_rows_tables()).await;
}

pub fn update_sygemelding_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let s = |v: Value| json!({ "Sygemelding": v });
    let enrolled = json!({"enrollment": {"date": "2026-10-01T00:00:00+01:00"}});
    let afmelding = |date: &str, cause: i64| json!({"Afmelding": {"Afmeldedato": date, "Afmeldingsaarsag": cause}});
    out.push(Table::rest(S, "UpdateSygemelding", "A-kasse:12", "PUT", "/v1/sygemelding/{fravaerIdentifier}")
        .given(citizen())
        .path("fravaerIdentifier", "${ids.sick}")
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "Sygemelding": sygemelding()}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted by a jobcentre", &[]).by(super::Caller::Rest("JobCenter:10101")),
            row("ended with a cause", &[]).body(s(json!({"Slutdato": "2026-11-30T00:00:00", "Fravaersafslutningsaarsag": 1}))),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1001 header cpr", &[1001]).header_cpr("3102901234"),
            row("1014", &[1014]).body(s(json!({"Anmeldelsesdato": null}))),
            row("1014 bad path", &[1014]).path("fravaerIdentifier", "not-a-uuid"),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("refused: HTTP 400, 4575 is not documented", &[]).status(400).by(super::Caller::Rest("Anden Aktør:555")),
            row("4322 cancellation too late", &[4322]).given(enrolled.clone()).body(afmelding("2027-01-10T00:00:00", 1)),
            row("4322 cancellation in the past", &[4322]).given(enrolled.clone()).body(afmelding("2026-11-20T00:00:00", 1)),
            row("4340 cause", &[4340]).given(enrolled.clone()).body(afmelding("2026-11-24T00:00:00", 9999)),
            row("4367 not enrolled", &[4367]).body(afmelding("2026-11-24T00:00:00", 1)),
            row("4632 unknown absence", &[4632]).path("fravaerIdentifier", "${uuid}"),
            row("4632 another citizen's absence", &[4632])
                .path("fravaerIdentifier", "${other.sick}")
                .other(citizen()),
            row("4637 overlap", &[4637]).given(json!({"absences": [
                {"id": "sick", "type": 11, "start": "2026-11-22T00:00:00+01:00", "unemployment_status": 1},
                {"type": 11, "start": "2026-11-26T00:00:00+01:00"}]})),
            row("4647 start", &[4647]).body(s(json!({"Startdato": "2026-11-21T00:00:00"}))),
            row("4686 no contact group", &[4686]).given(json!({"contact_groups": []})).body(s(json!({"Ledighedsgrad": null}))),
            row("4980 end without cause", &[4980]).body(s(json!({"Slutdato": "2026-11-30T00:00:00"}))),
            row("4981 end changed without comment", &[4981])
                .given(json!({"absences": [{"id": "sick", "type": 11, "start": "2026-11-22T00:00:00+01:00",
                    "end": "2026-11-30T00:00:00+01:00", "unemployment_status": 1}]}))
                .body(s(json!({"Slutdato": "2026-12-01T00:00:00", "Fravaersafslutningsaarsag": 1}))),
            row("4990 enrolled without afmelding", &[4990]).given(enrolled.clone()),
            row("afmelding of an enrolled citizen", &[]).given(enrolled).body(afmelding("2026-11-24T00:00:00", 1)),
            row("5013 no ledighedsgrad", &[5013]).body(s(json!({"Ledighedsgrad": null}))),
            row("5014 ledighedsgrad for KTH", &[5014]).given(json!({"contact_groups": [{"type": 2, "start": "2026-10-01T00:00:00+01:00"}]})),
            row("5015 ledighedsgrad changed", &[5015]).body(s(json!({"Ledighedsgrad": 2}))),
            row("5017 cvr changed", &[5017])
                .given(json!({"absences": [{"id": "sick", "type": 11, "start": "2026-11-22T00:00:00+01:00",
                    "unemployment_status": 1, "cvr": "12345678"}]}))
                .body(s(json!({"Virksomhed": {"cvrEnhedsid": "87654321"}}))),
            row("5018 contact group 24", &[5018]).given(json!({"contact_groups": [{"type": 24, "start": "2026-10-01T00:00:00+01:00"}]})),
            row("9362 notified in the future", &[9362]).body(s(json!({"Anmeldelsesdato": "2026-11-25T00:00:00"}))),
            row("notified later today", &[]).body(s(json!({"Anmeldelsesdato": "2026-11-24T23:59:00"}))),
        ]));
    out
}

#[tokio::test]
async fn update_sygemelding_rows() {
    super::run_tables(update_sygemelding_rows_tables()).await;
}

pub fn create_raskmelding_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::rest(S, "CreateRaskmelding", "JobCenter:10101", "POST", "/V1/Raskmelding")
        .given(citizen())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "Sygemelding": {
            "fravaerIdentifier": "${ids.sick}", "StartDate": "2026-11-22T00:00:00", "EndDate": "2026-11-24T00:00:00",
            "AbsenceTypeIdentifier": 11, "NotificationDate": "2026-11-24T00:00:00", "CurrentUnemploymentStatusTypeIdentifier": 1}}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted with an enrollment", &[]).body(json!({"EnrollmentItem": {
                "ClientCategoryTypeIdentifier": 1, "EnrollmentDate": "2026-11-25T00:00:00",
                "CurrentUnemploymentStatusTypeIdentifier": 1, "ProfessionCollection": {}}})),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1014", &[1014]).body(json!({"Sygemelding": {"NotificationDate": "i går"}})),
            row("refused: HTTP 400, 4575 is not documented", &[]).status(400).by(super::Caller::Rest("Anden Aktør:555")),
        ]));
    out
}

#[tokio::test]
async fn create_raskmelding_rows() {
    super::run_tables(create_raskmelding_rows_tables()).await;
}

/// Every table of this module.
pub fn tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut all = Vec::new();
    all.extend(create_sygemelding_rows_tables());
    all.extend(update_sygemelding_rows_tables());
    all.extend(create_raskmelding_rows_tables());
    all
}
