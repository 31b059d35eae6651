//! BorgerFlytteService: the two confirmations and the withdrawn methods.

use serde_json::json;

use super::{JC, KOMMUNE, Table, row};

const S: &str = "BorgerFlytteService";

fn moving() -> serde_json::Value {
    json!({"jobcenter": "10101", "kommune": "101", "moves": [{"id": "mv", "from": "101", "to": "202"}]})
}

#[tokio::test]
async fn fraflytning_and_tilflytning_rows() {
    Table::soap(S, "CreateFraflytningsbekraeftelse", KOMMUNE)
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
        .run(vec![
            row("accepted", &[]),
            row("accepted by a jobcentre", &[]).by(JC),
            row("former element names are accepted", &[]).body(json!({"borgerflytningId": null, "TransferDataIdentifier": "${ids.mv}"})),
            row("1014 bad time", &[1014]).body(json!({"InterviewCollection": {"InterviewItem": [{"InterviewStartTime": "25:00:00"}]}})),
            row("1001", &[1001]).body(json!({"personnummer": "3102901234"})),
        ])
        .await;
    Table::soap(S, "CreateTilflytningsbekraeftelse", KOMMUNE)
        .given(moving())
        .body(json!({"borgerflytningId": "${ids.mv}"}))
        .run(vec![
            row("accepted", &[]),
            row("1014", &[1014]).body(json!({"borgerflytningId": "x"})),
        ])
        .await;
}

#[tokio::test]
async fn withdrawn_methods_answer_4588() {
    Table::soap(S, "LogTransferDataException", KOMMUNE)
        .body(json!({"TransferDataIdentifier": "${uuid}", "State": "1", "ExceptionText": "x"}))
        .run(vec![row("withdrawn", &[4588])])
        .await;
    Table::soap(S, "GetTransferData", KOMMUNE)
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonNotificationIdentifier": "${uuid}", "MunicipalityCode": "101"}))
        .run(vec![row("withdrawn", &[4588])])
        .await;
}
