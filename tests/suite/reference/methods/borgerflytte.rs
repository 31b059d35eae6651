//! BorgerFlytteService: the two confirmations and the withdrawn methods.

use serde_json::json;

use super::{JC, KOMMUNE, Table, row};

const S: &str = "BorgerFlytteService";

fn moving() -> serde_json::Value {
    json!({"jobcenter": "10101", "kommune": "101", "moves": [{"id": "mv", "from": "101", "to": "202"}]})
}

pub fn fraflytning_and_tilflytning_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::soap(S, "CreateFraflytningsbekraeftelse", KOMMUNE)
        .given(moving())
        .body(json!({"personnummer": "${cpr}", "EventDate": "2026-11-24T08:00:00", "borgerflytningId": "${ids.mv}",
            "InterviewCollection": {"InterviewItem": [{
                "InterviewIdentifier": "${uuid}", "InterviewTypeIdentifier": "1", "InterviewDate": "2026-12-01",
                "InterviewStartTime": "10:00:00", "InterviewEndTime": "10:30:00",
                "InterviewLocation": {"InterviewLocationTypeIdentifier": "1", "InterviewLocationDescription": "Jobcentret"},
                "ResponsibleAuthority": {"OrganisationTypeIdentifier": "2", "OrganisationCode": "10101",
                    "CaseWorkerStructure": {"CaseWorkerGivenName": "Ida", "CaseWorkerSurname": "Hansen", "CaseWorkerRID": "rid"}},
                "RegisteringAuthority": {"OrganisationTypeIdentifier": "2", "OrganisationCode": "10101",
                    "CaseWorkerStructure": {"CaseWorkerGivenName": "Ida", "CaseWorkerSurname": "Hansen", "CaseWorkerRID": "rid"}},
                "InterviewContactTypeIdentifier": "1"}]}}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted by a jobcentre", &[]).by(JC),
            row("former element names are accepted", &[]).body(json!({"borgerflytningId": null, "TransferDataIdentifier": "${ids.mv}"})),
            row("1014 bad time", &[1014]).body(json!({"InterviewCollection": {"InterviewItem": [{"InterviewStartTime": "25:00:00"}]}})),
            row("1001", &[1001]).body(json!({"personnummer": "3102901234"})),
        ]));
    out.push(
        Table::soap(S, "CreateTilflytningsbekraeftelse", KOMMUNE)
            .given(moving())
            .body(json!({"borgerflytningId": "${ids.mv}"}))
            .rows(vec![
                row("accepted", &[]),
                row("1014", &[1014]).body(json!({"borgerflytningId": "x"})),
            ]),
    );
    out
}

#[tokio::test]
async fn fraflytning_and_tilflytning_rows() {
    super::run_tables(fraflytning_and_tilflytning_rows_tables()).await;
}

pub fn withdrawn_methods_answer_4588_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(
        Table::soap(S, "LogTransferDataException", KOMMUNE)
            .body(json!({"TransferDataIdentifier": "${uuid}", "State": "1", "ExceptionText": "x"}))
            .rows(vec![row("withdrawn", &[4588])]),
    );
    out.push(Table::soap(S, "GetTransferData", KOMMUNE)
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonNotificationIdentifier": "${uuid}", "MunicipalityCode": "101"}))
        .rows(vec![row("withdrawn", &[4588])]));
    out
}

#[tokio::test]
async fn withdrawn_methods_answer_4588() {
    super::run_tables(withdrawn_methods_answer_4588_tables()).await;
}

/// Every table of this module.
pub fn tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut all = Vec::new();
    all.extend(fraflytning_and_tilflytning_rows_tables());
    all.extend(withdrawn_methods_answer_4588_tables());
    all
}
