//! PersonRegistrationService: every method, an accepted request and one row per implemented code.

use serde_json::{Value, json};

use super::{AA, AKASSE, JC, KOMMUNE, OTHER_AKASSE, OTHER_JC, Table, row};

const S: &str = "PersonRegistrationService";

/// The state most rows start from: a living citizen of jobcentre 10101, kommune 101 and
/// a-kasse 12, enrolled, with contact group 1 since 1 October.
pub fn citizen() -> Value {
    json!({
        "jobcenter": "10101", "kommune": "101", "akasse": "12",
        "birth_date": "1990-01-01",
        "contact_groups": [{"id": "cg", "type": 1, "start": "2026-10-01T00:00:00+01:00"}],
        "enrollment": {"date": "2026-10-01T00:00:00+01:00"}
    })
}

pub fn authority() -> Value {
    json!({
        "AuthorityStructure": {"AuthorityCode": "10101", "AuthorityName": "Jobcenter Test", "OrganisationTypeIdentifier": "2"},
        "CaseWorker": {"CaseWorkerGivenName": "Ida", "CaseWorkerSurname": "Hansen", "CaseWorkerIdentifier": "ih"}
    })
}

pub fn interview() -> Value {
    json!({
        "InterviewTypeIdentifier": "1",
        "ResponsibleAuthority": authority(),
        "InterviewTime": "2026-11-24T09:00:00",
        "InterviewContactTypeIdentifier": "1",
        "InterviewWithMoreAuthorities": "false",
        "AgreementDescription": "Aftale om jobsøgning"
    })
}

pub fn participant() -> Value {
    json!({
        "InterviewParticipantName": "Anne",
        "InterviewParticipantContactTypeIdentifier": "1",
        "InterviewParticipantTypeIdentifier": {"CodeListItemIdentifier": "1"}
    })
}

/// With more authorities, a participant and a participation status.
pub fn joint(status: &str) -> Value {
    json!({
        "InterviewWithMoreAuthorities": "true",
        "ParticipationStatusTypeIdentifier": status,
        "InterviewParticipantCollection": {"InterviewParticipant": [participant()]}
    })
}

/// The rows every interview-registering method shares; `root` is the interview element.
pub fn registration_rows(root: &'static str) -> Vec<super::Row> {
    let p = |v: Value| json!({ root: v });
    vec![
        row("accepted", &[]),
        row("accepted with more authorities", &[]).body(p(joint("1"))),
        row("1001 invalid cpr", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
        row("1014 bad time", &[1014]).body(p(json!({"InterviewTime": "nine"}))),
        row("1014 missing agreement", &[1014]).body(p(json!({"AgreementDescription": null}))),
        row("1010 unknown", &[1010]).given(json!({"status": "unknown"})),
        row("4404 nonexistent", &[4404]).given(json!({"status": "nonexistent"})),
        row("4405 dead", &[4405]).given(json!({"status": "dead"})),
        row("4511 operator not assigned", &[4511]).by(AA).given(json!({"anden_aktoer": "777"})),
        row("accepted by assigned operator", &[]).by(AA).given(json!({"anden_aktoer": "555"})),
        row("4575 kommune", &[4575]).by(KOMMUNE),
        row("6005 other jobcentre", &[6005]).by(OTHER_JC),
        row("4653 8 days ago", &[4653]).body(p(json!({"InterviewTime": "2026-11-16T09:00:00"}))),
        row("7 days ago is fine", &[]).body(p(json!({"InterviewTime": "2026-11-17T09:00:00"}))),
        row("4657 in the future", &[4657]).body(p(json!({"InterviewTime": "2026-11-24T11:00:00"}))),
        row("4708 contact type", &[4708]).body(p(json!({"InterviewContactTypeIdentifier": "9999"}))),
        row("4709 interview type", &[4709]).body(p(json!({"InterviewTypeIdentifier": "9999"}))),
        row("4733 html", &[4733]).body(p(json!({"AgreementDescription": "mød op <b>kl. 9</b>"}))),
        row("6054 rehab without more authorities", &[6054])
            .body(p(json!({"InterviewTypeIdentifier": "18"})))
            .given(json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]})),
        row("6055 no participant", &[6055])
            .body(p(json!({"InterviewWithMoreAuthorities": "true", "ParticipationStatusTypeIdentifier": "1"}))),
        row("6056 no participation status", &[6056])
            .body(p(json!({"InterviewWithMoreAuthorities": "true", "InterviewParticipantCollection": {"InterviewParticipant": [participant()]}}))),
        row("6058 rehab without illness", &[6058])
            .body(p(merge_objects(joint("5"), json!({"InterviewTypeIdentifier": "18"})))),
        row("rehab with illness", &[])
            .body(p(merge_objects(joint("5"), json!({"InterviewTypeIdentifier": "18"}))))
            .given(json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]})),
        row("8058 no contact group", &[8058]).given(json!({"contact_groups": []})),
        row("8058 contact group ended", &[8058])
            .given(json!({"contact_groups": [{"type": 1, "start": "2026-10-01T00:00:00+01:00", "end": "2026-11-20T00:00:00+01:00"}]})),
        row("8176 participation status", &[8176]).body(p(joint("9999"))),
        row("8177 participant contact type", &[8177]).body(p(merge_objects(
            joint("1"),
            json!({"InterviewParticipantCollection": {"InterviewParticipant": [merge_objects(participant(), json!({"InterviewParticipantContactTypeIdentifier": "9999"}))]}}),
        ))),
        row("8178 participant type", &[8178]).body(p(merge_objects(
            joint("1"),
            json!({"InterviewParticipantCollection": {"InterviewParticipant": [merge_objects(participant(), json!({"InterviewParticipantTypeIdentifier": {"CodeListItemIdentifier": "9999"}}))]}}),
        ))),
        row("8240 participant id set", &[8240]).body(p(merge_objects(
            joint("1"),
            json!({"InterviewParticipantCollection": {"InterviewParticipant": [merge_objects(participant(), json!({"MessageIdentifier": "${uuid}"}))]}}),
        ))),
        row("9125 rehab status", &[9125])
            .body(p(merge_objects(joint("1"), json!({"InterviewTypeIdentifier": "18"}))))
            .given(json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]})),
        row("9126 status for more authorities", &[9126]).body(p(joint("5"))),
        row("6057 booking of another citizen", &[6057])
            .body(p(json!({"BookingIdentifier": "${other.b}"})))
            .other(json!({"bookings": [{"id": "b"}]})),
        row("own booking", &[])
            .body(p(json!({"BookingIdentifier": "${ids.b}"})))
            .given(json!({"bookings": [{"id": "b"}]})),
    ]
}

/// Shallow merge of two objects.
pub fn merge_objects(a: Value, b: Value) -> Value {
    super::merge(a, &b)
}

fn create_person_interview() -> Table {
    Table::soap(S, "CreatePersonInterview", JC)
        .given(citizen())
        .body(
            json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonInterview": interview()}),
        )
}

pub fn create_person_interview_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let p = |v: Value| json!({ "PersonInterview": v });
    let mut rows = registration_rows("PersonInterview");
    rows.extend([
        row("4721 identifier in use", &[4721])
            .body(p(json!({"MessageIdentifier": "${ids.old}"})))
            .given(json!({"interviews": [{"id": "old", "type": 1, "time": "2026-11-01T09:00:00+01:00"}]})),
        row("own new identifier", &[]).body(p(json!({"MessageIdentifier": "${uuid}"}))),
        row("4768 unknown booking", &[4768]).body(p(json!({"BookingIdentifier": "${uuid}"}))),
    ]);
    out.push(create_person_interview().rows(rows));
    out
}

#[tokio::test]
async fn create_person_interview_rows() {
    super::run_tables(create_person_interview_rows_tables()).await;
}

#[tokio::test]
async fn create_person_interview_answers_the_interview() {
    let r = crate::reference::harness::Ref::start(super::spec()).await;
    let (cpr, _) = r
        .state(json!({"now": crate::reference::harness::NOW, "citizen": citizen()}))
        .await;
    let mut iv = super::merge(interview(), &joint("1"));
    iv["MessageIdentifier"] = json!("6f0c2d3e-0000-4000-8000-000000000001");
    let a = r
        .soap(
            S,
            "CreatePersonInterview",
            Some((2, "10101")),
            json!({"PersonCivilRegistrationIdentifier": cpr, "PersonInterview": iv}),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
    let answered = &a.body["PersonInterview"];
    assert_eq!(
        answered["MessageIdentifier"],
        "6f0c2d3e-0000-4000-8000-000000000001"
    );
    let pid =
        answered["InterviewParticipantCollection"]["InterviewParticipant"]["MessageIdentifier"]
            .as_str()
            .unwrap();
    assert!(uuid::Uuid::parse_str(pid).is_ok());
    // The interview is known now: the same identifier again is 4721.
    let a = r
        .soap(
            S,
            "CreatePersonInterview",
            Some((2, "10101")),
            json!({"PersonCivilRegistrationIdentifier": cpr, "PersonInterview": iv}),
        )
        .await;
    assert_eq!(a.codes, vec![4721]);
}

fn stored_interview(more: bool) -> Value {
    json!({"interviews": [{"id": "iv", "type": 1, "time": "2026-11-20T09:00:00+01:00", "with_more_authorities": more,
        "participants": [{"id": "p", "name": "Anne"}]}]})
}

pub fn update_person_interview_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let p = |v: Value| json!({ "PersonInterview": v });
    let table = Table::soap(S, "UpdatePersonInterview", JC)
        .given(super::merge(citizen(), &stored_interview(false)))
        .body(json!({
            "PersonCivilRegistrationIdentifier": "${cpr}",
            "PersonInterview": super::merge(interview(), &json!({"MessageIdentifier": "${ids.iv}", "InterviewTime": "2026-11-20T10:00:00"})),
            "CorrectionComment": "rettelse"
        }));
    out.push(table.rows(vec![
            row("accepted", &[]),
            row("accepted by the a-kasse", &[]).by(AKASSE),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1014 no comment", &[1014]).body(json!({"CorrectionComment": null})),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4404", &[4404]).given(json!({"status": "nonexistent"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4385 no a-kasse", &[4385])
                .by(AKASSE)
                .given(json!({"akasse": null})),
            row("4857 other a-kasse", &[4857]).by(OTHER_AKASSE),
            row("4511", &[4511]).by(AA),
            row("4575", &[4575]).by(KOMMUNE),
            row("6005", &[6005]).by(OTHER_JC),
            row("4589 unknown interview", &[4589]).body(p(json!({"MessageIdentifier": "${uuid}"}))),
            row("4589 another citizen's interview", &[4589])
                .body(p(json!({"MessageIdentifier": "${other.iv}"})))
                .other(stored_interview(false)),
            row("4734 blank agreement", &[4734]).body(p(json!({"AgreementDescription": "   "}))),
            row("8184 other date", &[8184])
                .body(p(json!({"InterviewTime": "2026-11-19T09:00:00"}))),
            row("8187 other type", &[8187]).body(p(json!({"InterviewTypeIdentifier": "2"}))),
            row("8188 more authorities", &[8188]).body(p(joint("1"))),
        ]));
    out
}

#[tokio::test]
async fn update_person_interview_rows() {
    super::run_tables(update_person_interview_rows_tables()).await;
}

fn participant_table(method: &'static str, body: Value, given: Value) -> Table {
    Table::soap(S, method, JC)
        .given(super::merge(citizen(), &given))
        .body(super::merge(
            json!({"PersonCivilRegistrationIdentifier": "${cpr}"}),
            &body,
        ))
}

/// Rows of the caller and citizen codes every participant method documents.
fn caller_rows(with_akasse: bool) -> Vec<super::Row> {
    let mut rows = vec![
        row("accepted", &[]),
        row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
        row("1010", &[1010]).given(json!({"status": "unknown"})),
        row("4404", &[4404]).given(json!({"status": "nonexistent"})),
        row("4405", &[4405]).given(json!({"status": "dead"})),
        row("4511", &[4511]).by(AA),
        row("4575", &[4575]).by(KOMMUNE),
        row("6005", &[6005]).by(OTHER_JC),
    ];
    if with_akasse {
        rows.push(
            row("4385", &[4385])
                .by(AKASSE)
                .given(json!({"akasse": null})),
        );
        rows.push(row("4857", &[4857]).by(OTHER_AKASSE));
    }
    rows
}

pub fn add_interview_participant_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let mut rows = caller_rows(true);
    rows.extend([
        row("1014 no participant", &[1014]).body(json!({"InterviewParticipant": null})),
        row("4589 unknown interview", &[4589])
            .body(json!({"PersonInterviewIdentifier": "${uuid}"})),
        row("8237 another citizen's interview", &[8237])
            .body(json!({"PersonInterviewIdentifier": "${other.iv}"}))
            .other(stored_interview(true)),
        row("8177 contact type", &[8177]).body(
            json!({"InterviewParticipant": {"InterviewParticipantContactTypeIdentifier": "9999"}}),
        ),
        row("8188 interview without more authorities", &[8188]).given(stored_interview(false)),
        row("8240 identifier set", &[8240])
            .body(json!({"InterviewParticipant": {"MessageIdentifier": "${uuid}"}})),
    ]);
    out.push(participant_table(
        "AddInterviewParticipant",
        json!({"PersonInterviewIdentifier": "${ids.iv}", "InterviewParticipant": participant()}),
        stored_interview(true),
    )
    .rows(rows));
    out
}

#[tokio::test]
async fn add_interview_participant_rows() {
    super::run_tables(add_interview_participant_rows_tables()).await;
}

fn two_interviews() -> Value {
    json!({"interviews": [
        {"id": "iv", "type": 1, "time": "2026-11-20T09:00:00+01:00", "with_more_authorities": true, "participants": [{"id": "p", "name": "Anne"}]},
        {"id": "iv2", "type": 2, "time": "2026-11-21T09:00:00+01:00", "with_more_authorities": true}
    ]})
}

pub fn update_interview_participant_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let mut rows = caller_rows(true);
    rows.extend([
        row("1014 no name", &[1014]).body(json!({"InterviewParticipantName": null})),
        row("4589 unknown participant", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
        row("4589 unknown interview", &[4589])
            .body(json!({"PersonInterviewIdentifier": "${uuid}"})),
        row("8197 another citizen's participant", &[8197])
            .body(json!({"MessageIdentifier": "${other.p}"}))
            .other(two_interviews()),
        row("8198 participant of another interview", &[8198])
            .body(json!({"PersonInterviewIdentifier": "${ids.iv2}"})),
    ]);
    out.push(participant_table(
        "UpdateInterviewParticipant",
        json!({"MessageIdentifier": "${ids.p}", "PersonInterviewIdentifier": "${ids.iv}", "InterviewParticipantName": "Bo"}),
        two_interviews(),
    )
    .rows(rows));
    out
}

#[tokio::test]
async fn update_interview_participant_rows() {
    super::run_tables(update_interview_participant_rows_tables()).await;
}

pub fn delete_interview_participant_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(
        participant_table(
            "DeleteInterviewParticipant",
            json!({"MessageIdentifier": "${ids.p}", "PersonInterviewIdentifier": "${ids.iv}"}),
            two_interviews(),
        )
        .rows(vec![
            row("accepted", &[]),
            row("1001", &[1001]).body(json!({"PersonCivilRegistrationIdentifier": "3102901234"})),
            row("1014", &[1014]).body(json!({"MessageIdentifier": "not-a-guid"})),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
            row("8197", &[8197])
                .body(json!({"MessageIdentifier": "${other.p}"}))
                .other(two_interviews()),
            row("8198", &[8198]).body(json!({"PersonInterviewIdentifier": "${ids.iv2}"})),
        ]),
    );
    out
}

#[tokio::test]
async fn delete_interview_participant_rows() {
    super::run_tables(delete_interview_participant_rows_tables()).await;
}

pub fn category() -> Value {
    json!({"PersonCategoryTypeIdentifier": "3", "IncidentDate": "2026-11-24T08:00:00"})
}

/// The person-category rows CreatePersonCategory and CreatePersonCategoryAndInterview share.
pub fn category_rows() -> Vec<super::Row> {
    let c = |v: Value| json!({ "PersonCategory": v });
    vec![
        row("1014 bad incident", &[1014]).body(c(json!({"IncidentDate": "today"}))),
        row("4654 open illness", &[4654]).given(json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]})),
        row("4656 not enrolled", &[4656]).given(json!({"enrollment": null})),
        row("4664 invalid value", &[4664]).body(c(json!({"PersonCategoryTypeIdentifier": "9999"}))),
        row("4716 no contact group", &[4716]).given(json!({"contact_groups": []})),
        row("4752 warning letter date passed", &[4654, 4752]).given(json!({"absences": [
            {"type": 11, "start": "2026-10-01T00:00:00+01:00", "warning_letter_date": "2026-11-20T00:00:00+01:00"}]})),
        // The illness starts after the incident date (no 4654); the warning-letter date is a
        // date, passed only once it lies before today.
        row("4752 warning letter date yesterday", &[4752])
            .body(c(json!({"IncidentDate": "2026-11-20T08:00:00"})))
            .given(json!({"absences": [
                {"type": 11, "start": "2026-11-22T00:00:00+01:00", "warning_letter_date": "2026-11-23T00:00:00+01:00"}]})),
        row("warning letter date today is fine", &[])
            .body(c(json!({"IncidentDate": "2026-11-20T08:00:00"})))
            .given(json!({"absences": [
                {"type": 11, "start": "2026-11-22T00:00:00+01:00", "warning_letter_date": "2026-11-24T00:00:00+01:00"}]})),
        row("8192 a later category", &[8192]).given(json!({"person_categories": [{"type": 3, "incident": "2026-11-24T09:00:00+01:00"}]})),
        row("8193 contact group 24", &[8193]).given(json!({"contact_groups": [{"type": 24, "start": "2026-10-01T00:00:00+01:00"}]})),
        row("8194 in the future", &[8194]).body(c(json!({"IncidentDate": "2026-11-24T11:00:00"}))),
        row("8195 zero", &[8195]).body(c(json!({"PersonCategoryTypeIdentifier": "0"}))),
    ]
}

pub fn create_person_category_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let mut rows = caller_rows(false);
    rows.extend(category_rows());
    out.push(Table::soap(S, "CreatePersonCategory", JC)
        .given(citizen())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonCategory": category()}))
        .rows(rows));
    out
}

#[tokio::test]
async fn create_person_category_rows() {
    super::run_tables(create_person_category_rows_tables()).await;
}

pub fn update_person_category_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let mut rows = caller_rows(false);
    rows.extend([
        row("1014 no comment", &[1014]).body(json!({"CorrectionComment": null})),
        row("4589 unknown", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
    ]);
    out.push(Table::soap(S, "UpdatePersonCategory", JC)
        .given(super::merge(citizen(), &json!({"person_categories": [{"id": "pc", "type": 3, "incident": "2026-11-01T00:00:00+01:00"}]})))
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "MessageIdentifier": "${ids.pc}", "CorrectionComment": "rettelse"}))
        .rows(rows));
    out
}

#[tokio::test]
async fn update_person_category_rows() {
    super::run_tables(update_person_category_rows_tables()).await;
}

pub fn create_person_category_and_interview_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let p = |v: Value| json!({ "PersonInterview": v });
    // This method documents neither 9125 nor 9126. Where a row changes the citizen's absences
    // or contact groups for the interview, the category is dated before the change, so the
    // category rules (4654, 4716) stay quiet; without any contact group 4716 answers first.
    let mut rows: Vec<super::Row> = registration_rows("PersonInterview")
        .into_iter()
        .filter(|r| !r.expect.contains(&9125) && !r.expect.contains(&9126))
        .map(|mut r| {
            let touches =
                r.given.get("absences").is_some() || r.given.get("contact_groups").is_some();
            if touches {
                r.body = super::merge(
                    r.body,
                    &json!({"PersonCategory": {"IncidentDate": "2026-10-15T00:00:00"}}),
                );
            }
            if r.name == "8058 no contact group" {
                r.expect = vec![4716];
            }
            r
        })
        .collect();
    rows.extend(category_rows());
    rows.extend([
        row("4721 identifier in use", &[4721])
            .body(p(json!({"MessageIdentifier": "${ids.old}"})))
            .given(json!({"interviews": [{"id": "old", "type": 1, "time": "2026-11-01T09:00:00+01:00"}]})),
        row("6057 unknown booking", &[6057]).body(p(json!({"BookingIdentifier": "${uuid}"}))),
        row("4734 blank agreement", &[4734]).body(p(json!({"AgreementDescription": " "}))),
    ]);
    out.push(Table::soap(S, "CreatePersonCategoryAndInterview", JC)
        .given(citizen())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonInterview": interview(), "PersonCategory": category()}))
        .rows(rows));
    out
}

#[tokio::test]
async fn create_person_category_and_interview_rows() {
    super::run_tables(create_person_category_and_interview_rows_tables()).await;
}

fn contact_group_citizen() -> Value {
    json!({"jobcenter": "10101", "kommune": "101", "birth_date": "1990-01-01",
           "enrollment": {"date": "2026-10-01T00:00:00+01:00"}})
}

pub fn create_contact_group_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let g = |v: Value| json!({ "ContactGroup": v });
    let absence = json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]});
    out.push(Table::soap(S, "CreateContactGroup", JC)
        .given(contact_group_citizen())
        .body(g(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "ContactGroupTypeIdentifier": "2",
                       "ContactGroupStartTime": "2026-11-24T00:00:00"})))
        .rows(vec![
            row("accepted", &[]),
            row("accepted with event time", &[]).body(g(json!({"ContactGroupEventTime": "2026-11-20T00:00:00"}))),
            row("1001", &[1001]).body(g(json!({"PersonCivilRegistrationIdentifier": "3102901234"}))),
            row("1014", &[1014]).body(g(json!({"ContactGroupStartTime": null}))),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4404", &[4404]).given(json!({"status": "nonexistent"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4511", &[4511]).by(AA),
            row("4575", &[4575]).by(AKASSE),
            row("6005", &[6005]).by(OTHER_JC),
            row("4644 open contact group", &[4644]).given(json!({"contact_groups": [{"type": 1, "start": "2026-10-01T00:00:00+01:00"}]})),
            row("4645 active absence", &[4645]).given(absence.clone()),
            row("4675 invalid type", &[4675]).body(g(json!({"ContactGroupTypeIdentifier": "9999"}))),
            row("4703 start in the past", &[4703]).body(g(json!({"ContactGroupStartTime": "2026-11-23T00:00:00"}))),
            row("4731 dagpenge without enrollment", &[4731])
                .by(AA)
                .given(json!({"anden_aktoer": "555", "enrollment": null}))
                .body(g(json!({"ContactGroupTypeIdentifier": "1"}))),
            row("4919 end while enrolled", &[4919]).body(g(json!({"ContactGroupEndTime": "2026-12-31T00:00:00"}))),
            row("6033 too young", &[6033]).given(json!({"birth_date": "2010-01-01"})),
            row("6033 too old", &[6033]).given(json!({"birth_date": "1958-01-01"})),
            row("8063 event after start", &[8063]).body(g(json!({"ContactGroupEventTime": "2026-11-25T00:00:00"}))),
            row("8096 same as before", &[8096]).given(json!({"contact_groups": [
                {"type": 2, "start": "2026-10-01T00:00:00+01:00", "end": "2026-11-01T00:00:00+01:00"}]})),
            row("8190 contact group 24 without absence", &[8190]).body(g(json!({"ContactGroupTypeIdentifier": "24"}))),
            row("contact group 24 with absence", &[]).body(g(json!({"ContactGroupTypeIdentifier": "24"}))).given(absence),
            row("8192 a later contact group", &[8192]).given(json!({"contact_groups": [
                {"type": 1, "start": "2026-12-01T00:00:00+01:00", "end": "2026-12-31T00:00:00+01:00"}]})),
            row("9331 jobcentre creates dagpenge", &[9331]).body(g(json!({"ContactGroupTypeIdentifier": "1"}))),
            row("9336 no CV number", &[9336]).given(json!({"has_cv_number": false})),
            row("9337 SetFlexijobApproved fails", &[9337]).given(json!({"failing_systems": ["SetFlexijobApproved"]})),
            row("9346 CVServiceForDFDG fails", &[9346]).given(json!({"failing_systems": ["CVServiceForDFDG"]})),
        ]));
    out
}

#[tokio::test]
async fn create_contact_group_rows() {
    super::run_tables(create_contact_group_rows_tables()).await;
}

pub fn update_contact_group_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let g = |v: Value| json!({ "ContactGroup": v });
    out.push(Table::soap(S, "UpdateContactGroup", JC)
        .given(json!({"jobcenter": "10101", "kommune": "101",
            "contact_groups": [{"id": "cg", "type": 2, "start": "2026-10-01T00:00:00+01:00"}]}))
        .body(json!({"MessageIdentifier": "${ids.cg}", "ContactGroup": {
            "PersonCivilRegistrationIdentifier": "${cpr}", "ContactGroupTypeIdentifier": "2",
            "ContactGroupStartTime": "2026-10-01T00:00:00", "ContactGroupEndTime": "2026-11-30T00:00:00"}}))
        .rows(vec![
            row("accepted", &[]),
            row("1001", &[1001]).body(g(json!({"PersonCivilRegistrationIdentifier": "3102901234"}))),
            row("1014", &[1014]).body(json!({"MessageIdentifier": null})),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4404", &[4404]).given(json!({"status": "nonexistent"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4511", &[4511]).by(AA),
            row("4575", &[4575]).by(AKASSE),
            row("6005", &[6005]).by(OTHER_JC),
            row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
            row("4644 another open group", &[4644])
                .body(g(json!({"ContactGroupEndTime": null})))
                .given(json!({"contact_groups": [
                    {"id": "cg", "type": 2, "start": "2026-10-01T00:00:00+01:00"},
                    {"type": 1, "start": "2026-11-01T00:00:00+01:00"}]})),
            row("4646 type changed", &[4646]).body(g(json!({"ContactGroupTypeIdentifier": "1"}))),
            row("4647 start changed", &[4647]).body(g(json!({"ContactGroupStartTime": "2026-10-02T00:00:00"}))),
            row("4648 end before today", &[4648]).body(g(json!({"ContactGroupEndTime": "2026-11-23T00:00:00"}))),
            row("4669 end before start", &[4669])
                .given(json!({"contact_groups": [{"id": "cg", "type": 2, "start": "2026-12-10T00:00:00+01:00"}]}))
                .body(g(json!({"ContactGroupStartTime": "2026-12-10T00:00:00", "ContactGroupEndTime": "2026-12-01T00:00:00"}))),
            row("4919 enrolled", &[4919]).given(json!({"enrollment": {"date": "2026-10-01T00:00:00+01:00"}})),
            row("8065 event time changed", &[8065]).body(g(json!({"ContactGroupEventTime": "2026-09-01T00:00:00"}))),
            row("9336", &[9336]).given(json!({"has_cv_number": false})),
            row("9337", &[9337]).given(json!({"failing_systems": ["SetFlexijobApproved"]})),
            row("9346", &[9346]).given(json!({"failing_systems": ["CVServiceForDFDG"]})),
            row("9370 active absence", &[9370]).given(json!({"absences": [{"type": 11, "start": "2026-11-01T00:00:00+01:00"}]})),
        ]));
    out
}

#[tokio::test]
async fn update_contact_group_rows() {
    super::run_tables(update_contact_group_rows_tables()).await;
}

pub fn create_health_limitation_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let h = |v: Value| json!({ "HealthLimitation": v });
    out.push(Table::soap(S, "CreateHealthLimitation", JC)
        .given(citizen())
        .body(h(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "HealthLimitationDocumentation": "true",
                       "StartDate": "2026-11-24T12:00:00"})))
        .rows(vec![
            row("accepted", &[]),
            row("1001", &[1001]).body(h(json!({"PersonCivilRegistrationIdentifier": "3102901234"}))),
            row("1014", &[1014]).body(h(json!({"HealthLimitationDocumentation": "ja"}))),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4404", &[4404]).given(json!({"status": "nonexistent"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4668", &[4668]).body(h(json!({"StartDate": "2026-11-23T12:00:00"}))),
            row("4669", &[4669]).body(h(json!({"StartDate": "2026-11-30T00:00:00", "EndDate": "2026-11-25T00:00:00"}))),
            row("4742 with 4669", &[4669, 4742]).body(h(json!({"EndDate": "2026-11-23T00:00:00"}))),
        ]));
    out
}

#[tokio::test]
async fn create_health_limitation_rows() {
    super::run_tables(create_health_limitation_rows_tables()).await;
}

fn limitation(start: &str, end: Option<&str>) -> Value {
    let mut h = json!({"id": "hl", "start": start});
    if let Some(e) = end {
        h["end"] = json!(e);
    }
    json!({"health_limitations": [h]})
}

pub fn update_health_limitation_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let h = |v: Value| json!({ "HealthLimitation": v });
    out.push(
        Table::soap(S, "UpdateHealthLimitation", JC)
            .given(super::merge(
                citizen(),
                &limitation("2026-11-25T00:00:00+01:00", None),
            ))
            .body(
                json!({"MessageIdentifier": "${ids.hl}", "HealthLimitation": {
            "PersonCivilRegistrationIdentifier": "${cpr}", "HealthLimitationDocumentation": "true",
            "StartDate": "2026-11-25T00:00:00", "EndDate": "2026-12-31T00:00:00"}}),
            )
            .rows(vec![
                row("accepted", &[]),
                row("1001", &[1001]).body(h(
                    json!({"PersonCivilRegistrationIdentifier": "3102901234"}),
                )),
                row("1014", &[1014]).body(json!({"MessageIdentifier": "x"})),
                row("1010", &[1010]).given(json!({"status": "unknown"})),
                row("4404", &[4404]).given(json!({"status": "nonexistent"})),
                row("4405", &[4405]).given(json!({"status": "dead"})),
                row("4575", &[4575]).by(KOMMUNE),
                row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
                row("4647", &[4647]).body(h(json!({"StartDate": "2026-11-26T00:00:00"}))),
                row("4668", &[4668])
                    .given(limitation("2026-11-20T00:00:00+01:00", None))
                    .body(h(json!({"StartDate": "2026-11-20T00:00:00"}))),
                row("4669", &[4669]).body(h(json!({"EndDate": "2026-11-24T12:00:00"}))),
                row("4742 with 4669", &[4669, 4742])
                    .body(h(json!({"EndDate": "2026-11-23T00:00:00"}))),
                // Its start has passed too: both are reported (errors-reported: all).
                row("4748 with 4668", &[4668, 4748])
                    .given(limitation(
                        "2026-11-01T00:00:00+01:00",
                        Some("2026-11-10T00:00:00+01:00"),
                    ))
                    .body(h(json!({"StartDate": "2026-11-01T00:00:00"}))),
            ]),
    );
    out
}

#[tokio::test]
async fn update_health_limitation_rows() {
    super::run_tables(update_health_limitation_rows_tables()).await;
}

pub fn delete_health_limitation_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(
        Table::soap(S, "DeleteHealthLimitation", JC)
            .given(super::merge(
                citizen(),
                &limitation("2026-11-25T00:00:00+01:00", None),
            ))
            .body(json!({"MessageIdentifier": "${ids.hl}"}))
            .rows(vec![
                row("accepted", &[]),
                row("1014", &[1014]).body(json!({"MessageIdentifier": "x"})),
                row("4575", &[4575]).by(KOMMUNE),
                row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
                row("4668 started", &[4668]).given(limitation("2026-11-20T00:00:00+01:00", None)),
                row("4743 ended", &[4743]).given(limitation(
                    "2026-11-01T00:00:00+01:00",
                    Some("2026-11-10T00:00:00+01:00"),
                )),
            ]),
    );
    out
}

#[tokio::test]
async fn delete_health_limitation_rows() {
    super::run_tables(delete_health_limitation_rows_tables()).await;
}

fn project() -> Value {
    json!([{"id": "proj", "start": "2026-01-01T00:00:00+01:00", "end": "2027-12-31T00:00:00+01:00"}])
}

pub fn create_person_group_marking_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let m = |v: Value| json!({ "PersonGroupMarking": v });
    out.push(Table::soap(S, "CreatePersonGroupMarking", JC)
        .given(citizen())
        .projects(project())
        .body(m(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "PersonGroupMarkingStartTime": "2026-11-24T00:00:00",
                       "PersonGroupMarkingEndTime": "2026-12-31T00:00:00", "PersonGroupProjectIdentifier": "${ids.proj}"})))
        .rows(vec![
            row("accepted", &[]),
            row("4666", &[4666]).body(m(json!({"PersonGroupProjectIdentifier": "${uuid}"}))),
            row("4669", &[4669]).body(m(json!({"PersonGroupMarkingEndTime": "2026-11-01T00:00:00"}))),
            row("4670", &[4670]).body(m(json!({"PersonGroupMarkingStartTime": "2025-12-01T00:00:00"}))),
            row("4671", &[4671]).body(m(json!({"PersonGroupMarkingEndTime": "2028-01-01T00:00:00"}))),
            row("4671 open-ended", &[4671]).body(m(json!({"PersonGroupMarkingEndTime": null}))),
            row("4672", &[4672]).given(json!({"markings": [{"project": "proj", "start": "2026-11-01T00:00:00+01:00", "end": "2026-12-01T00:00:00+01:00"}]})),
        ]));
    out
}

#[tokio::test]
async fn create_person_group_marking_rows() {
    super::run_tables(create_person_group_marking_rows_tables()).await;
}

fn marking(start: &str) -> Value {
    json!({"markings": [{"id": "mk", "project": "proj", "start": start, "created_by": "10101"}]})
}

pub fn update_person_group_marking_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::soap(S, "UpdatePersonGroupMarking", JC)
        .given(super::merge(citizen(), &marking("2026-11-25T00:00:00+01:00")))
        .projects(project())
        .body(json!({"MessageIdentifier": "${ids.mk}", "PersonGroupMarkingStartTime": "2026-11-25T00:00:00",
                     "PersonGroupMarkingEndTime": "2026-12-31T00:00:00"}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted by the current jobcentre", &[]).given(json!({"markings": [
                {"id": "mk", "project": "proj", "start": "2026-11-25T00:00:00+01:00", "created_by": "99999"}]})),
            row("1014", &[1014]).body(json!({"PersonGroupMarkingStartTime": null})),
            row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
            row("4668", &[4668]).body(json!({"PersonGroupMarkingStartTime": "2026-11-20T00:00:00"})),
            row("4669", &[4669]).body(json!({"PersonGroupMarkingEndTime": "2026-11-24T12:00:00"})),
            row("4670", &[4670]).projects(json!([{"id": "proj", "start": "2026-12-01T00:00:00+01:00"}])),
            row("4671", &[4671]).body(json!({"PersonGroupMarkingEndTime": "2028-01-01T00:00:00"})),
            row("4672", &[4672]).given(json!({"markings": [
                {"id": "mk", "project": "proj", "start": "2026-11-25T00:00:00+01:00", "created_by": "10101"},
                {"project": "proj", "start": "2026-12-10T00:00:00+01:00", "end": "2027-01-10T00:00:00+01:00"}]})),
            row("9407", &[9407]).by(OTHER_JC),
        ]));
    out
}

#[tokio::test]
async fn update_person_group_marking_rows() {
    super::run_tables(update_person_group_marking_rows_tables()).await;
}

pub fn delete_person_group_marking_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(
        Table::soap(S, "DeletePersonGroupMarking", JC)
            .given(super::merge(
                citizen(),
                &marking("2026-11-25T00:00:00+01:00"),
            ))
            .projects(project())
            .body(json!({"MessageIdentifier": "${ids.mk}"}))
            .rows(vec![
                row("accepted", &[]),
                row("1014", &[1014]).body(json!({"MessageIdentifier": "?"})),
                row("4589", &[4589]).body(json!({"MessageIdentifier": "${uuid}"})),
                row("4668 started", &[4668]).given(marking("2026-11-01T00:00:00+01:00")),
                row("9407", &[9407]).by(OTHER_JC),
            ]),
    );
    out
}

#[tokio::test]
async fn delete_person_group_marking_rows() {
    super::run_tables(delete_person_group_marking_rows_tables()).await;
}

pub fn civic_consent_is_deprecated_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::soap(S, "CreateCivicConsent", JC)
        .given(citizen())
        .body(json!({"CivicConsent": {"PersonCivilRegistrationIdentifier": "${cpr}", "Consent": "true",
                     "ConsentDate": "2026-11-24T08:00:00", "JobCenterIdentifier": "10101"}}))
        .rows(vec![
            row("4588 a valid call", &[4588]),
            row("1014", &[1014]).body(json!({"CivicConsent": {"Consent": "maybe"}})),
            row("1001", &[1001]).body(json!({"CivicConsent": {"PersonCivilRegistrationIdentifier": "3102901234"}})),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4575", &[4575]).by(KOMMUNE),
        ]));
    out.push(
        Table::soap(S, "DeleteCivicConsent", JC)
            .given(citizen())
            .body(json!({"MessageIdentifier": "${uuid}"}))
            .rows(vec![
                row("4588 a valid call", &[4588]),
                row("1014", &[1014]).body(json!({"MessageIdentifier": "x"})),
                row("4575", &[4575]).by(KOMMUNE),
            ]),
    );
    out
}

#[tokio::test]
async fn civic_consent_is_deprecated() {
    super::run_tables(civic_consent_is_deprecated_tables()).await;
}

pub fn update_person_jobcenter_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    let j = |v: Value| json!({ "UpdatePersonJobcenter": v });
    out.push(Table::soap(S, "UpdatePersonJobcenter", JC)
        .given(super::merge(
            citizen(),
            &json!({"moves": [{"from": "10101", "to": "20202"}]}),
        ))
        .body(j(
            json!({"PersonCivilRegistrationIdentifier": "${cpr}", "JobCenterIdentifier": "20202"}),
        ))
        .rows(vec![
            row("accepted", &[]),
            row("1014 out of range", &[1014]).body(j(json!({"JobCenterIdentifier": "9999"}))),
            row("1010", &[1010]).given(json!({"status": "unknown"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4575", &[4575]).by(KOMMUNE),
            row("4695", &[4695]).body(j(json!({"JobCenterIdentifier": "99999"}))),
        ]));
    out
}

#[tokio::test]
async fn update_person_jobcenter_rows() {
    super::run_tables(update_person_jobcenter_rows_tables()).await;
}

pub fn register_unemployment_fund_participation_rows_tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut out = Vec::new();
    out.push(Table::soap(S, "RegisterUnemploymentFundParticipation", AKASSE)
        .given(citizen())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "UnemploymentFundParticipationUnwanted": "true"}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted with a date", &[]).body(json!({"UnemploymentFundParticipationIncidentDate": "2026-11-24"})),
            row("1014", &[1014]).body(json!({"UnemploymentFundParticipationIncidentDate": "24-11-2026"})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
        ]));
    out.push(Table::soap(S, "RegisterUnemploymentFundParticipationCv", AKASSE)
        .given(citizen())
        .body(json!({"CvCustomerIdentifier": "12345678", "UnemploymentFundParticipationUnwanted": "false"}))
        .rows(vec![
            row("accepted", &[]),
            row("1014", &[1014]).body(json!({"CvCustomerIdentifier": "1234"})),
        ]));
    out.push(Table::soap(S, "RegisterUnemploymentFundParticipationChoice", AKASSE)
        .given(citizen())
        .body(json!({"PersonCivilRegistrationIdentifier": "${cpr}", "UnemploymentFundParticipation": "false",
                     "EventDate": "2026-11-24T08:00:00"}))
        .rows(vec![
            row("accepted", &[]),
            row("accepted by the jobcentre", &[]).by(JC),
            row("1014", &[1014]).body(json!({"EventDate": null})),
            row("4405", &[4405]).given(json!({"status": "dead"})),
            row("4385", &[4385]).given(json!({"akasse": null})),
            row("4857", &[4857]).by(OTHER_AKASSE),
            row("6005", &[6005]).by(OTHER_JC),
        ]));
    out
}

#[tokio::test]
async fn register_unemployment_fund_participation_rows() {
    super::run_tables(register_unemployment_fund_participation_rows_tables()).await;
}

/// Every table of this module.
pub fn tables() -> Vec<(Table, Vec<super::Row>)> {
    let mut all = Vec::new();
    all.extend(create_person_interview_rows_tables());
    all.extend(update_person_interview_rows_tables());
    all.extend(add_interview_participant_rows_tables());
    all.extend(update_interview_participant_rows_tables());
    all.extend(delete_interview_participant_rows_tables());
    all.extend(create_person_category_rows_tables());
    all.extend(update_person_category_rows_tables());
    all.extend(create_person_category_and_interview_rows_tables());
    all.extend(create_contact_group_rows_tables());
    all.extend(update_contact_group_rows_tables());
    all.extend(create_health_limitation_rows_tables());
    all.extend(update_health_limitation_rows_tables());
    all.extend(delete_health_limitation_rows_tables());
    all.extend(create_person_group_marking_rows_tables());
    all.extend(update_person_group_marking_rows_tables());
    all.extend(delete_person_group_marking_rows_tables());
    all.extend(civic_consent_is_deprecated_tables());
    all.extend(update_person_jobcenter_rows_tables());
    all.extend(register_unemployment_fund_participation_rows_tables());
    all
}
