//! InterviewService: CreateInterview with the prose business rules (6053), the update and
//! participant methods, GetInterviewInfo.

use serde_json::{Value, json};

use super::person_registration::{citizen, interview, participant, registration_rows};
use super::{JC, Table, row};

const S: &str = "InterviewService";

pub fn create_interview_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let p = |v: Value| json!({ "Interview": v });
    let resetting =
        |time: &str| json!({"interviews": [{"type": 1, "time": time, "resetting": true}]});
    let mut rows = registration_rows("Interview");
    rows.extend([
        row("6053 before a resetting interview", &[6053])
            .given(resetting("2026-11-24T09:30:00+01:00")),
        row("6053 at the same time as a resetting interview", &[6053])
            .given(resetting("2026-11-24T09:00:00+01:00")),
        row("6053 same type and time", &[6053])
            .given(json!({"interviews": [{"type": 1, "time": "2026-11-24T09:00:00+01:00"}]})),
        row("after a resetting interview", &[]).given(resetting("2026-11-24T08:59:00+01:00")),
        row("a non-resetting interview at a resetting one's time", &[])
            .given(resetting("2026-11-24T09:00:00+01:00"))
            .body(p(json!({"InterviewTypeIdentifier": "8"}))),
        row("6057 unknown booking", &[6057]).body(p(json!({"BookingIdentifier": "${uuid}"}))),
    ]);
    out.push(
        Table::soap(S, "CreateInterview", JC)
            .given(citizen())
            .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "Interview": interview()}))
            .rows(rows),
    );
    out
}

#[tokio::test]
async fn create_interview_rows() {
    super::run_tables(create_interview_rows_tables()).await;
}

fn stored() -> Value {
    super::merge(
        citizen(),
        &json!({"interviews": [
            {"id": "iv", "type": 1, "time": "2026-11-20T09:00:00+01:00", "with_more_authorities": true,
             "participants": [{"id": "p", "name": "Anne"}]},
            {"id": "iv2", "type": 2, "time": "2026-11-21T09:00:00+01:00", "with_more_authorities": true}]}),
    )
}

pub fn update_interview_and_participants_are_accepted_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let mut iv = super::merge(
        interview(),
        &json!({"InterviewIdentifier": "${ids.iv}", "InterviewTime": "2026-11-20T09:00:00"}),
    );
    iv = super::merge(
        iv,
        &json!({"InterviewWithMoreAuthorities": "true", "ParticipationStatusTypeIdentifier": "1",
        "InterviewParticipantCollection": {"InterviewParticipant": [participant()]}}),
    );
    out.push(Table::soap(S, "UpdateInterview", JC)
        .given(stored())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "Interview": iv, "CorrectionComment": "rettelse"}))
        .rows(vec![row("accepted", &[]), row("1014 no comment", &[1014]).body(json!({"CorrectionComment": null}))]));
    let mut p = participant();
    p["InterviewParticipantName"] = json!("Carl");
    out.push(Table::soap(S, "AddInterviewParticipant", JC)
        .given(stored())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "InterviewIdentifier": "${ids.iv}", "InterviewParticipant": p}))
        .rows(vec![row("accepted", &[]), row("1014", &[1014]).body(json!({"InterviewIdentifier": "x"}))]));
    out.push(Table::soap(S, "UpdateInterviewParticipant", JC)
        .given(stored())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "InterviewParticipantIdentifier": "${ids.p}",
                     "InterviewIdentifier": "${ids.iv}", "InterviewParticipantName": "Bo"}))
        .rows(vec![row("accepted", &[]), row("1014", &[1014]).body(json!({"InterviewParticipantName": null}))]));
    out
}

#[tokio::test]
async fn update_interview_and_participants_are_accepted() {
    super::run_tables(update_interview_and_participants_are_accepted_tables()).await;
}

pub fn delete_interview_participant_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::soap(S, "DeleteInterviewParticipant", JC)
        .given(stored())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "InterviewParticipantIdentifier": "${ids.p}",
                     "InterviewIdentifier": "${ids.iv}"}))
        .rows(vec![
            row("accepted", &[]),
            row("former names are accepted", &[]).body(json!({"InterviewParticipantIdentifier": null, "MessageIdentifier": "${ids.p}"})),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1014", &[1014]).body(json!({"InterviewIdentifier": null})),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4589", &[4589]).body(json!({"InterviewParticipantIdentifier": "${uuid}"})),
            row("8197", &[8197]).body(json!({"InterviewParticipantIdentifier": "${other.p}"})).other(stored()),
            row("8198", &[8198]).body(json!({"InterviewIdentifier": "${ids.iv2}"})),
        ]));
    out
}

#[tokio::test]
async fn delete_interview_participant_rows() {
    super::run_tables(delete_interview_participant_rows_tables()).await;
}

#[tokio::test]
async fn interviews_are_registered_and_read_back() {
    let r = crate::reference::harness::Ref::start(super::spec()).await;
    let (cpr, _) = r
        .state(json!({"now": crate::reference::harness::NOW, "citizen": citizen()}))
        .await;
    let a = r
        .soap(
            S,
            "CreateInterview",
            Some((2, "10101")),
            json!({"PersonCivilRegistrationIdentifier": cpr, "Interview": interview()}),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
    let id = a.body["ServiceReceipt"]["MessageIdentifier"]
        .as_str()
        .unwrap()
        .to_string();
    // The same interview again: same type and time.
    let again = r
        .soap(
            S,
            "CreateInterview",
            Some((2, "10101")),
            json!({"PersonCivilRegistrationIdentifier": cpr, "Interview": interview()}),
        )
        .await;
    assert_eq!(again.codes, vec![6053]);
    // An update through the other service finds it.
    let mut iv = interview();
    iv["MessageIdentifier"] = json!(id);
    iv["AgreementDescription"] = json!("Ny aftale");
    let upd = r
        .soap("PersonRegistrationService", "UpdatePersonInterview", Some((2, "10101")),
              json!({"PersonCivilRegistrationIdentifier": cpr, "PersonInterview": iv, "CorrectionComment": "ny"}))
        .await;
    assert!(upd.ok(), "{}", upd.raw);
    // GetInterviewInfo names no citizen in the imported spec: it answers an empty collection.
    let info = r
        .soap(S, "GetInterviewInfo", Some((2, "10101")), json!({}))
        .await;
    assert!(info.ok(), "{}", info.raw);
}

pub fn get_interview_info_tables() -> Vec<(Table, Vec<super::Row>)> {
    // The imported method has no input (the excerpt cuts it off): an empty request element
    // is accepted, anything in it is an unknown element.
    vec![
        Table::soap(S, "GetInterviewInfo", JC)
            .given(stored())
            .rows(vec![
                row("accepted", &[]),
                row("1014 unknown element", &[1014])
                    .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}"})),
            ]),
    ]
}

#[tokio::test]
async fn get_interview_info() {
    super::run_tables(get_interview_info_tables()).await;
}

/// Every table of this module.
pub fn tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut all = get_interview_info_tables();
    all.extend(create_interview_rows_tables());
    all.extend(update_interview_and_participants_are_accepted_tables());
    all.extend(delete_interview_participant_rows_tables());
    all
}
