//! A case broken on purpose, end to end: the terminal shows its file:line, caller, request,
//! answer and reproduction; the HTML and JUnit hold the same; and the printed curl commands,
//! run by a shell against `konform serve`, get the answer the run got.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::workflow::support::{self, BROKEN_FILE, BROKEN_ID, CLOCK};

/// `konform serve` on an ephemeral loopback port; killed when dropped.
struct Serve {
    child: Child,
    base: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(secret: &str) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_konform"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "serve",
            "--test-mode",
            "--addr",
            "127.0.0.1:0",
            "--clock",
            CLOCK,
        ])
        .env("KONFORM_CLIENT_SECRET", secret)
        .env_remove("KONFORM_SPECS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("konform serve starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("konform serve says where it listens")
            .unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim().to_string();
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve { child, base }
}

/// An HTTP answer as curl -i prints it: the last status line's code and the body.
fn parse_curl_answer(raw: &str) -> (u16, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, body.to_string())
}

#[test]
fn a_broken_case_from_the_red_line_to_a_replayed_answer() {
    let dir = support::temp_dir("broken");
    let (cases, line) = support::broken_corpus(&dir);
    let out = dir.join("report");
    let cases_arg = cases.display().to_string();
    let (o, stdout, stderr) = support::run(support::konform().args([
        "run",
        "--cases",
        &cases_arg,
        "--case",
        BROKEN_ID,
        "--no-generated",
        "--show-cpr",
        "--clock",
        CLOCK,
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{stderr}");
    let qualified = format!("VisiteringOgStatus.YdelsesVisiteringService/{BROKEN_ID}");
    let rerun =
        format!("konform run --case {qualified} --cases {cases_arg} --clock {CLOCK} --show-cpr");
    // The terminal: everything on labelled lines under the failing case.
    for expected in [
        format!("fail   {BROKEN_ID}"),
        format!("case      {qualified}"),
        format!("file      {BROKEN_FILE}:{line}"),
        "caller    kommune (Kommune 101)".to_string(),
        "expected  error 9393".to_string(),
        "actual    error 4669".to_string(),
        "request   POST http://127.0.0.1:".to_string(),
        "answer    HTTP 400".to_string(),
        format!("rerun     {rerun}"),
        "curl      ".to_string(),
    ] {
        assert!(
            stdout.contains(&expected),
            "missing `{expected}` in\n{stdout}"
        );
    }
    // The rerun line runs the case alone.
    let rerun_args: Vec<&str> = rerun.split(' ').skip(1).collect();
    let (o2, stdout2, _) = support::run(support::konform().args(&rerun_args).args([
        "--no-generated",
        "--out",
        dir.join("rerun").to_str().unwrap(),
    ]));
    assert_eq!(o2.status.code(), Some(1));
    assert!(stdout2.contains("1 cases: 0 pass, 1 fail"), "{stdout2}");

    // HTML and JUnit hold the same facts.
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("id=\"failures\""), "failures first");
    assert!(html.contains("<dt>caller</dt><dd>kommune (Kommune 101)</dd>"));
    assert!(html.contains(&format!("<pre class=\"rerun\">{}</pre>", rerun)));
    assert!(html.contains("<pre class=\"curl\">"));
    assert!(html.contains("<details class=\"exchange\" open>"));
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<property name=\"caller\" value=\"kommune (Kommune 101)\"/>"),
        "{junit}"
    );
    assert!(junit.contains(&format!("<property name=\"rerun\" value=\"{rerun}\"/>")));
    assert!(junit.contains(&format!("file      {BROKEN_FILE}:{line}")));
    assert!(junit.contains("curl      "));

    // The curl commands from summary.json, replayed by a shell against `konform serve`.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let case = &summary["cases"][0];
    let curl: Vec<String> = case["reproduce"]["curl"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert!(
        curl.iter().all(|c| !c.contains("***")),
        "no redaction mark in commands: {curl:?}"
    );
    assert!(
        curl[0].starts_with("export KONFORM_TOKEN=$(curl"),
        "{curl:?}"
    );
    let secret = "replay-secret-0123456789";
    let server = serve(secret);
    let mut script = String::from("set -e\n");
    let mut last = None;
    for (i, c) in curl.iter().enumerate() {
        if c.starts_with("curl ") {
            let file = dir.join(format!("answer-{i}.txt"));
            script.push_str(&format!("{c} > '{}'\n", file.display()));
            last = Some(file);
        } else {
            script.push_str(c);
            script.push('\n');
        }
    }
    let replay = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("KONFORM_URL", &server.base)
        .env("KONFORM_CLIENT_SECRET", secret)
        .output()
        .expect("sh runs");
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let raw = std::fs::read_to_string(last.unwrap()).unwrap();
    let (status, body) = parse_curl_answer(&raw);
    let recorded = case["exchanges"].as_array().unwrap().last().unwrap()["response"].clone();
    assert_eq!(
        u64::from(status),
        recorded["status"].as_u64().unwrap(),
        "{raw}"
    );
    let as_json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(
        as_json(&body),
        as_json(recorded["body"].as_str().unwrap()),
        "the replayed answer is the run's"
    );
    assert!(body.contains("4669"), "{body}");
}
