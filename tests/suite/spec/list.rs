//! `konform spec list --json` lists every method and every documented (method, error code)
//! pair, no more and no fewer. The expected list below was typed from reading the five service
//! documents, not derived from the importer; it is the independent check of the import.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

/// (service, method, documented codes in document order). Codes printed without a text are
/// marked in `TEXTLESS`.
const EXPECTED: &[(&str, &str, &[u32])] = &[
    // 000: the sick-leave REST service (headings of the first two methods cut off).
    ("SygemeldingService", "CreateSygemelding", &[]),
    (
        "SygemeldingService",
        "UpdateSygemelding",
        &[
            1001, 1010, 1014, 4322, 4340, 4367, 4405, 4575, 4632, 4637, 4647, 4685, 4686, 4963,
            4966, 4980, 4981, 4990, 5013, 5014, 5015, 5017, 5018, 7061, 9361, 9362,
        ],
    ),
    ("SygemeldingService", "CreateRaskmelding", &[]),
    // 001: PersonRegistrationService.
    (
        "PersonRegistrationService",
        "CreatePersonInterview",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4653, 4657, 4708, 4709, 4721, 4733, 4768,
            6005, 6054, 6055, 6056, 6057, 6058, 8058, 8176, 8177, 8178, 8240, 9125, 9126,
        ],
    ),
    (
        "PersonRegistrationService",
        "UpdatePersonInterview",
        &[
            1001, 1010, 1014, 4385, 4404, 4405, 4511, 4575, 4589, 4734, 4857, 6005, 8183, 8184,
            8185, 8186, 8187, 8188, 8189,
        ],
    ),
    (
        "PersonRegistrationService",
        "AddInterviewParticipant",
        &[
            1001, 1010, 1014, 4385, 4404, 4405, 4511, 4575, 4589, 4857, 6005, 8177, 8188, 8237,
            8240,
        ],
    ),
    (
        "PersonRegistrationService",
        "UpdateInterviewParticipant",
        &[
            1001, 1010, 1014, 4385, 4404, 4405, 4511, 4575, 4589, 4857, 6005, 8197, 8198,
        ],
    ),
    (
        "PersonRegistrationService",
        "DeleteInterviewParticipant",
        &[1001, 1010, 1014, 4405, 4589, 8197, 8198],
    ),
    (
        "PersonRegistrationService",
        "CreatePersonCategory",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4654, 4655, 4656, 4664, 4716, 4752, 6005,
            6029, 8192, 8193, 8194, 8195, 9282,
        ],
    ),
    (
        "PersonRegistrationService",
        "UpdatePersonCategory",
        &[1001, 1010, 1014, 4404, 4405, 4511, 4575, 4589, 6005],
    ),
    (
        "PersonRegistrationService",
        "CreatePersonCategoryAndInterview",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4654, 4655, 4656, 4664, 4716, 4721, 4752,
            6005, 6029, 8192, 8193, 8194, 8195, 4653, 4657, 4708, 4709, 4733, 4734, 6054, 6055,
            6056, 6057, 6058, 8058, 8176, 8177, 8178, 8240, 9282,
        ],
    ),
    (
        "PersonRegistrationService",
        "CreateContactGroup",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4644, 4645, 4654, 4655, 4656, 4675, 4703,
            4731, 4919, 6005, 6033, 8063, 8096, 8190, 8192, 8193, 8194, 8195, 9331, 9336, 9337,
            9346,
        ],
    ),
    (
        "PersonRegistrationService",
        "UpdateContactGroup",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4589, 4646, 4647, 4648, 4669, 4644, 4919,
            6005, 8065, 9336, 9337, 9346, 9370,
        ],
    ),
    (
        "PersonRegistrationService",
        "CreateHealthLimitation",
        &[1014, 1001, 1010, 4404, 4405, 4668, 4669, 4742],
    ),
    (
        "PersonRegistrationService",
        "UpdateHealthLimitation",
        &[
            1014, 1001, 1010, 4404, 4405, 4575, 4589, 4647, 4668, 4669, 4742, 4748, 4762,
        ],
    ),
    (
        "PersonRegistrationService",
        "DeleteHealthLimitation",
        &[1014, 4575, 4589, 4668, 4743, 4762],
    ),
    (
        "PersonRegistrationService",
        "CreatePersonGroupMarking",
        &[4666, 4669, 4670, 4671, 4672],
    ),
    (
        "PersonRegistrationService",
        "UpdatePersonGroupMarking",
        &[4589, 4666, 4668, 4669, 4670, 4671, 4672, 9407],
    ),
    (
        "PersonRegistrationService",
        "DeletePersonGroupMarking",
        &[4589, 4668, 9407],
    ),
    (
        "PersonRegistrationService",
        "CreateCivicConsent",
        &[1014, 1001, 1010, 4588, 4575],
    ),
    (
        "PersonRegistrationService",
        "DeleteCivicConsent",
        &[1014, 1001, 1010, 4588, 4575],
    ),
    (
        "PersonRegistrationService",
        "UpdatePersonJobcenter",
        &[1014, 1010, 4405, 4575, 4695],
    ),
    (
        "PersonRegistrationService",
        "RegisterUnemploymentFundParticipation",
        &[1014, 4405, 9151],
    ),
    (
        "PersonRegistrationService",
        "RegisterUnemploymentFundParticipationCv",
        &[1014, 4405, 9151],
    ),
    (
        "PersonRegistrationService",
        "RegisterUnemploymentFundParticipationChoice",
        &[1014, 4405, 4385, 4857, 6005, 9151],
    ),
    // 002: YdelsesVisiteringService (REST).
    (
        "VisiteringOgStatus.YdelsesVisiteringService",
        "CreateYdelse",
        &[4669, 9393, 100049, 100050, 100051, 100052],
    ),
    (
        "VisiteringOgStatus.YdelsesVisiteringService",
        "GetYdelser",
        &[],
    ),
    (
        "VisiteringOgStatus.YdelsesVisiteringService",
        "GetYdelse",
        &[],
    ),
    (
        "VisiteringOgStatus.YdelsesVisiteringService",
        "GetYdelseHistorik",
        &[],
    ),
    // 003: InterviewService (page diff).
    ("InterviewService", "GetInterviewInfo", &[]),
    (
        "InterviewService",
        "CreateInterview",
        &[
            1001, 1010, 1014, 4404, 4405, 4511, 4575, 4653, 4657, 4708, 4709, 4733, 6053, 6005,
            6054, 6055, 6056, 6057, 6058, 8058, 8176, 8177, 8178, 8240, 9125, 9126,
        ],
    ),
    ("InterviewService", "UpdateInterview", &[]),
    ("InterviewService", "AddInterviewParticipant", &[]),
    ("InterviewService", "UpdateInterviewParticipant", &[]),
    (
        "InterviewService",
        "DeleteInterviewParticipant",
        &[1001, 1010, 1014, 4405, 4589, 8197, 8198],
    ),
    // 004: BorgerFlytteService ("Fejlkoder (ingen servicespecifikke)").
    ("BorgerFlytteService", "CreateFraflytningsbekraeftelse", &[]),
    ("BorgerFlytteService", "CreateTilflytningsbekraeftelse", &[]),
    ("BorgerFlytteService", "LogTransferDataException", &[]),
    ("BorgerFlytteService", "GetTransferData", &[]),
];

/// Codes the documents print without a text.
const TEXTLESS: &[(&str, u32)] = &[
    ("UpdatePersonInterview", 8183),
    ("UpdatePersonInterview", 8185),
    ("UpdatePersonInterview", 8189),
    ("UpdateHealthLimitation", 4762),
    ("DeleteHealthLimitation", 4762),
    ("RegisterUnemploymentFundParticipation", 9151),
    ("RegisterUnemploymentFundParticipationCv", 9151),
    ("RegisterUnemploymentFundParticipationChoice", 9151),
];

/// A few texts exactly as the documents write them (mojibake repaired in 002, glued text and
/// description split in 003).
const TEXTS: &[(&str, &str, u32, &str)] = &[
    (
        "VisiteringOgStatus.YdelsesVisiteringService",
        "CreateYdelse",
        100049,
        "Lovhenvisning skal være angivet ved afgørelser om KTH (kontaktgruppe 2) med startdato 1.7.2025 eller senere",
    ),
    (
        "InterviewService",
        "CreateInterview",
        9126,
        "Participant status is required for interview with more authorities",
    ),
    (
        "InterviewService",
        "CreateInterview",
        8178,
        "The submitted InterviewParticipantTypeIdentifier is invalid.",
    ),
    (
        "PersonRegistrationService",
        "CreatePersonInterview",
        8178,
        "The submitted ParticipantTypeIdentifier is invalid.",
    ),
    (
        "SygemeldingService",
        "UpdateSygemelding",
        4686,
        "This person must have an active contact group registration",
    ),
    (
        "PersonRegistrationService",
        "CreatePersonCategory",
        6029,
        "Visitationgroup “ikke visiteret” is not allowed",
    ),
];

fn list_json() -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_konform"))
        .args(["spec", "list", "--json", "--specs"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/specs"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn list_json_has_every_documented_method_and_code_and_nothing_else() {
    let listed = list_json();
    assert_eq!(listed.len(), 39);
    let mut got: BTreeMap<(String, String), Vec<u32>> = BTreeMap::new();
    for m in &listed {
        let key = (
            m["service"].as_str().unwrap().to_string(),
            m["method"].as_str().unwrap().to_string(),
        );
        let codes = m["error_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_u64().unwrap() as u32)
            .collect();
        assert!(
            got.insert(key.clone(), codes).is_none(),
            "{key:?} listed twice"
        );
    }
    let expected: BTreeMap<(String, String), Vec<u32>> = EXPECTED
        .iter()
        .map(|(s, m, c)| ((s.to_string(), m.to_string()), c.to_vec()))
        .collect();
    assert_eq!(expected.len(), 39);
    for (key, codes) in &expected {
        assert_eq!(got.get(key), Some(codes), "{key:?}");
    }
    for key in got.keys() {
        assert!(expected.contains_key(key), "unexpected method {key:?}");
    }
    let pairs: usize = expected.values().map(Vec::len).sum();
    assert_eq!(pairs, 331);
}

#[test]
fn list_json_objects_have_the_documented_shape_and_texts() {
    let listed = list_json();
    for m in &listed {
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["service", "method", "transport", "status", "error_codes"]
        );
        for e in m["error_codes"].as_array().unwrap() {
            let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["code", "text"]);
        }
    }
    let find = |service: &str, method: &str| {
        listed
            .iter()
            .find(|m| m["service"] == service && m["method"] == method)
            .unwrap_or_else(|| panic!("{service}/{method}"))
    };
    let text = |m: &Value, code: u32| {
        m["error_codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["code"] == code)
            .map(|e| e["text"].clone())
            .unwrap_or_else(|| panic!("{code}"))
    };
    for m in &listed {
        let name = m["method"].as_str().unwrap();
        for e in m["error_codes"].as_array().unwrap() {
            let code = e["code"].as_u64().unwrap() as u32;
            let textless = TEXTLESS.contains(&(name, code));
            assert_eq!(e["text"].is_null(), textless, "{name}/{code}");
        }
    }
    for (service, method, code, expected) in TEXTS {
        assert_eq!(
            text(find(service, method), *code),
            *expected,
            "{method}/{code}"
        );
    }
    let transport = |s: &str, m: &str| find(s, m)["transport"].as_str().unwrap().to_string();
    assert_eq!(transport("SygemeldingService", "CreateRaskmelding"), "rest");
    assert_eq!(transport("InterviewService", "CreateInterview"), "soap");
    let status = |s: &str, m: &str| find(s, m)["status"].as_str().unwrap().to_string();
    assert_eq!(
        status("PersonRegistrationService", "CreateCivicConsent"),
        "deprecated"
    );
    assert_eq!(
        status("PersonRegistrationService", "DeleteCivicConsent"),
        "deprecated"
    );
    assert_eq!(
        status(
            "PersonRegistrationService",
            "RegisterUnemploymentFundParticipationCv"
        ),
        "deprecated"
    );
    assert_eq!(
        status("BorgerFlytteService", "LogTransferDataException"),
        "withdrawn"
    );
    assert_eq!(
        status("BorgerFlytteService", "GetTransferData"),
        "withdrawn"
    );
    let withdrawn_or_deprecated = listed.iter().filter(|m| m["status"] != "current").count();
    assert_eq!(withdrawn_or_deprecated, 5);
}
