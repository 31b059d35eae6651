//! Property tests (proptest): whatever a case file or a target profile holds — random
//! structure, absurd numbers, time offsets past any calendar, control characters, CPR-like
//! digits — loading and planning it never panics and never hangs, and the text filters keep
//! their promises on any input (no control character reaches a terminal, no CPR survives
//! masking, time arithmetic never overflows).

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;

use konform::clock::{Clock, RelTime};
use konform::plan::corpus;
use konform::target::Profile;

/// How long one input may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `f` on another thread and fails if it panics or outlives [`DEADLINE`].
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(value)) => value,
        Ok(Err(_)) => panic!("{what} panicked"),
        Err(_) => panic!("{what} did not finish within {DEADLINE:?}"),
    }
}

/// Scalars as YAML text: the ordinary, the absurd and the hostile.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        Just("~".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("18446744073709551616".to_string()),
        (
            any::<bool>(),
            any::<u64>(),
            prop::sample::select(vec!["s", "m", "h", "d", "y", "w", ""]),
            prop::sample::select(vec!["today", "now"])
        )
            .prop_map(|(plus, n, unit, base)| format!(
                "\"${{{base}{}{n}{unit}}}\"",
                if plus { '+' } else { '-' }
            )),
        Just("\"${uuid}\"".to_string()),
        Just("\"${cpr}\"".to_string()),
        Just("\"${ids.x}\"".to_string()),
        "[0-9]{9,12}".prop_map(|s| s),
        "\"[\\x00-\\x7f]{0,12}\"".prop_map(|s| s.replace('\\', "\\\\")),
        "[a-zA-Zæøå:{}\\[\\],&*!|>'\"%@` -]{0,16}",
    ]
}

/// A YAML value, nested a little.
fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|kv| {
                let body: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{ {} }}", body.join(", "))
            }),
        ]
    })
}

/// Keys a case or profile knows, and some it does not.
fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "id",
        "title",
        "given",
        "when",
        "then",
        "clock",
        "caller",
        "citizen",
        "body",
        "headers",
        "query",
        "path",
        "omit",
        "raw",
        "success",
        "error",
        "status",
        "errors",
        "tags",
        "covers",
        "assumes",
        "thingIdentifier",
        "startdato",
        "slutdato",
        "tidspunkt",
        "x-requestId",
        "name",
        "base_url",
        "auth",
        "oauth2",
        "token_url",
        "client_secret_env",
        "client_auth",
        "roles",
        "organisation",
        "code",
        "max_response_bytes",
        "follow_redirects",
        "proxy",
        "state_endpoint",
        "services",
        "soap_version",
        "error_codes",
        "rest",
        "soap",
        "items",
        "text",
        "tls",
        "insecure_tls",
        "unknown",
        "",
    ])
    .prop_map(str::to_string)
}

/// A case file: mostly well formed, with hostile values.
fn case_file() -> impl Strategy<Value = String> {
    let case = (
        "[A-Za-z.\\-]{1,12}",
        value(),
        prop::option::of(value()),
        prop::option::of(scalar()),
        prop_oneof![
            Just("{ success: true }".to_string()),
            any::<i64>().prop_map(|c| format!("{{ error: {c} }}")),
            any::<i64>().prop_map(|s| format!("{{ status: {s} }}")),
            value(),
        ],
    )
        .prop_map(|(id, body, given, clock, then)| {
            let mut text = format!("- id: CreateThing.{id}\n  title: t\n");
            if let Some(g) = given {
                text.push_str(&format!("  given: {g}\n"));
            } else if let Some(c) = clock {
                text.push_str(&format!("  given: {{ clock: {c} }}\n"));
            }
            text.push_str(&format!(
                "  when: {{ headers: {{ x-requestId: \"${{uuid}}\" }}, body: {body} }}\n  then: {then}\n"
            ));
            text
        });
    prop_oneof![
        4 => prop::collection::vec(case, 1..4).prop_map(|v| v.concat()),
        1 => "(?s).{0,200}",
    ]
}

/// A target profile: the required keys with hostile values, and random extra keys.
fn profile_file() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("http://127.0.0.1:9".to_string()),
            Just("http://user:pw@127.0.0.1:9/x".to_string()),
            Just("ftp://[::1".to_string()),
            scalar(),
        ],
        prop::option::of(scalar()),
        prop::option::of(scalar()),
        prop::collection::vec((key(), value()), 0..3),
    )
        .prop_map(|(base, max, follow, extra)| {
            let mut text = format!("name: p\nbase_url: {base}\nroles:\n  jobcenter: {{ organisation: JobCenter, code: \"10101\" }}\n");
            if let Some(m) = max {
                text.push_str(&format!("max_response_bytes: {m}\n"));
            }
            if let Some(f) = follow {
                text.push_str(&format!("follow_redirects: {f}\n"));
            }
            for (k, v) in extra {
                text.push_str(&format!("{k}: {v}\n"));
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_case_file_loads_and_plans_without_panic_or_hang(text in case_file()) {
        let dir = crate::robust::support::temp_dir("prop-case");
        let cases = dir.join("cases");
        std::fs::create_dir_all(cases.join("TestRestService")).unwrap();
        std::fs::write(cases.join("TestRestService/CreateThing.yaml"), &text).unwrap();
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/specs");
        let roles = konform::run::setup::known_roles([]);
        let planned = bounded("planning a case file", move || {
            corpus::prepare(&specs, &cases, &roles).map(|c| c.cases.len()).ok()
        });
        // Whatever planned has a case id per case; whatever did not, said why (no panic).
        let _ = planned;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn any_profile_loads_without_panic_or_hang(text in profile_file()) {
        let dir = crate::robust::support::temp_dir("prop-profile");
        let file = dir.join("profile.yaml");
        std::fs::write(&file, &text).unwrap();
        let f = file.clone();
        bounded("loading a profile", move || {
            if let Ok(p) = Profile::load(&f) {
                let _ = p.check();
                let _ = p.is_loopback();
                let _ = p.describe();
            }
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn time_expressions_never_overflow(
        plus in any::<bool>(),
        n in any::<u64>(),
        unit in prop::sample::select(vec!["s", "m", "h", "d", "y"]),
        base in prop::sample::select(vec!["today", "now"]),
        at in prop::sample::select(vec![
            "0001-01-01T00:00:00+00:00",
            "2026-11-24T10:00:00+01:00",
            "9999-12-31T23:59:59+00:00",
        ]),
    ) {
        let expression = format!("{base}{}{n}{unit}", if plus { '+' } else { '-' });
        let clock = Clock::parse_rfc3339(at).unwrap();
        if let Some(rel) = RelTime::parse(&expression) {
            let _ = rel.instant(clock);
        }
    }

    #[test]
    fn no_control_character_reaches_a_terminal(text in "(?s).{0,200}") {
        let safe = konform::sanitise::for_terminal(&text);
        prop_assert!(!safe.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{safe:?}");
    }

    #[test]
    fn no_cpr_survives_masking(
        day in 1u32..=28,
        month in 1u32..=12,
        year in 0u32..=99,
        serial in 0u32..=9999,
        before in "[a-z0-9 ]{0,6}",
        sep in prop::sample::select(vec!["", "-", " ", ".", "/", "_", "\u{2013}"]),
        after in "[a-z0-9 ]{0,6}",
    ) {
        let cpr = format!("{day:02}{month:02}{year:02}{sep}{serial:04}");
        let text = format!("{before}{cpr}{after}");
        let masked = konform::cpr::mask_all(&text);
        prop_assert!(!masked.contains(&cpr), "{text:?} -> {masked:?}");
    }
}
