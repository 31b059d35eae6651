//! `konform lint` checks the response paths of `then.fields` against the spec's output, and
//! says once per file when a file is named after no method.

use crate::workflow::support;

fn lint(files: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = support::temp_dir("lint");
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let (o, stdout, stderr) =
        support::run(support::konform().args(["lint", "--cases", dir.to_str().unwrap()]));
    (o.status.code(), format!("{stdout}{stderr}"))
}

const YDELSE: &str = "VisiteringOgStatus.YdelsesVisiteringService";

fn get_ydelser(path: &str) -> String {
    format!(
        "- id: GetYdelser.path\n  title: t\n  given: {{ caller: kommune, citizen: {{}} }}\n  \
         when: {{ headers: {{ x-civilregistrationIdentifier: \"${{cpr}}\" }} }}\n  \
         then: {{ success: true, fields: {{ {path}: {{ present: true }} }} }}\n"
    )
}

#[test]
fn response_paths_are_checked_against_the_output() {
    let file = format!("{YDELSE}/GetYdelser.yaml");
    let (code, out) = lint(&[(&file, &get_ydelser("ydelser/0/startdato"))]);
    assert_eq!(code, Some(0), "a documented path passes: {out}");
    let (code, out) = lint(&[(&file, &get_ydelser("ydelser/0/startdatoo"))]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the output has no field `startdatoo` here"),
        "{out}"
    );
    assert!(out.contains("did you mean `startdato`?"), "{out}");
    assert!(out.contains("GetYdelser.yaml:5:"), "file and line: {out}");

    // A method that documents no output has no field to check.
    let create = "- id: CreateYdelse.path\n  title: t\n  given: { caller: kommune, citizen: {} }\n  \
                  when:\n    headers: { x-requestId: \"${uuid}\", x-civilregistrationIdentifier: \"${cpr}\" }\n    \
                  body: { kyYdelsesIdentifier: \"${uuid}\", startdato: \"${today}\" }\n  \
                  then: { success: true, fields: { kyYdelsesIdentifier: { present: true } } }\n";
    let (code, out) = lint(&[(&format!("{YDELSE}/CreateYdelse.yaml"), create)]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "the method documents no output, so its answer has no field `kyYdelsesIdentifier`"
        ),
        "{out}"
    );
}

#[test]
fn a_file_named_after_no_method_is_said_once_with_a_suggestion() {
    let case = |slug: &str| {
        format!(
            "- id: CreateInterviw.{slug}\n  title: t\n  given: {{ caller: jobcenter }}\n  when: {{}}\n  then: {{ success: true }}\n"
        )
    };
    let text = format!("{}{}{}", case("a"), case("b"), case("c"));
    let (code, out) = lint(&[("InterviewService/CreateInterviw.yaml", &text)]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(out.matches("is named after no method").count(), 1, "{out}");
    assert!(out.contains("did you mean `CreateInterview`?"), "{out}");
    assert!(
        out.contains("rename the file to `CreateInterview.yaml`"),
        "{out}"
    );
    assert!(
        !out.contains("must be"),
        "no request to rename each case id: {out}"
    );
    assert!(out.contains("1 problem found"), "{out}");
}
