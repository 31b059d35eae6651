//! The vendor setting end to end: a second reference started by hand (`konform serve
//! --citizens FILE`, on an ephemeral port, no state-change endpoint), reached through a
//! target profile with OAuth2 client credentials and a citizen pool. Every case gets the
//! verdict it gets against the embedded reference — but for cases whose preconditions no pool
//! profile satisfies, which are not applicable, with the reason. The pool is a vendor's: a
//! few dozen profiles of fixed dates (2026-01-05, not `today-60d`), which satisfy a case when
//! every time lies on the case's side of every boundary its method documents
//! (`provision::tolerance`); derived setup creates contact groups through CreateContactGroup,
//! sick leave through CreateSygemelding and health limitations through CreateHealthLimitation.
//! At least 60 % of the corpus is applicable so.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use chrono::{Days, NaiveDate};

use crate::vendor::support::{self, CLOCK, case, konform, roles_yaml, verdicts};

pub const SECRET: &str = "vendor-test-secret-4f1c";

/// A `konform serve` process; killed when dropped.
pub struct Served {
    child: Child,
    pub base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `konform serve --citizens FILE` on an ephemeral port and reads its address.
pub fn serve(citizens: &Path) -> Served {
    let mut child = konform()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--clock",
            CLOCK,
            "--citizens",
        ])
        .arg(citizens)
        .env("KONFORM_CLIENT_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("konform serve starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = Vec::new();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.split("listening on ").nth(1) {
                    break url.trim().to_string();
                }
                seen.push(line);
            }
            _ => {
                let _ = child.kill();
                panic!("konform serve did not start:\n{}", seen.join("\n"));
            }
        }
    };
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Served { child, base }
}

/// A CPR of the CPR register's shape: born 1985-01-01 plus `i` days, serial 0007.
/// (After 30,000 citizens the serial counts up, so every CPR is another.)
fn cpr(i: u64) -> String {
    let born = NaiveDate::from_ymd_opt(1985, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(i % 30_000))
        .unwrap();
    format!("{}{:04}", born.format("%d%m%y"), 7 + i / 30_000)
}

/// A test environment's citizens, as a vendor has them: fixed dates, not times relative to
/// today (a citizen enrolled on 2026-01-05 stays so). Each profile is in the case language,
/// and once more with a dagpenge (type 1) or KTH (type 2) contact group from the same date.
const FIXED: &[(&str, &str)] = &[
    ("plain", "{ citizen: {} }"),
    (
        "other-jobcenter",
        "{ citizen: { jobcenter: other-jobcenter } }",
    ),
    ("akasse", "{ citizen: { akasse: akasse } }"),
    ("dead", "{ citizen: { status: dead } }"),
    (
        "dead-akasse",
        "{ citizen: { status: dead, akasse: akasse } }",
    ),
    ("unknown", "{ citizen: { status: unknown } }"),
    ("nonexistent", "{ citizen: { status: nonexistent } }"),
    (
        "anden-aktoer",
        "{ citizen: { anden_aktoer: anden-aktoer } }",
    ),
    (
        "other-anden-aktoer",
        "{ citizen: { anden_aktoer: other-anden-aktoer } }",
    ),
    (
        "enrolled",
        "{ citizen: { enrollment: { date: '2026-01-05' } } }",
    ),
    (
        "enrolled-akasse",
        "{ citizen: { akasse: akasse, enrollment: { date: '2026-01-05' } } }",
    ),
    (
        "enrolled-anden-aktoer",
        "{ citizen: { anden_aktoer: anden-aktoer, enrollment: { date: '2026-01-05' } } }",
    ),
    (
        "enrolled-category",
        "{ citizen: { enrollment: { date: '2026-01-05' }, person_categories: [{ id: pc, type: 3, incident: '2026-03-02' }] } }",
    ),
    (
        "enrolled-sick",
        "{ citizen: { enrollment: { date: '2026-01-05' }, absences: [{ id: sick, type: 11, start: '2026-03-02' }] } }",
    ),
    (
        "sick",
        "{ citizen: { absences: [{ id: sick, type: 11, start: '2026-01-05' }] } }",
    ),
    (
        "sick-anden-aktoer",
        "{ citizen: { anden_aktoer: anden-aktoer, absences: [{ id: sick, type: 11, start: '2026-01-05' }] } }",
    ),
    (
        "sick-ended",
        "{ citizen: { absences: [{ id: sick, type: 11, start: '2026-01-05', end: '2026-03-02' }] } }",
    ),
    (
        "sick-ending",
        "{ citizen: { absences: [{ id: sick, type: 11, start: '2026-01-05', end: '2027-06-07' }] } }",
    ),
    (
        "health-past",
        "{ citizen: { health_limitations: [{ id: hl, start: '2026-01-05' }] } }",
    ),
    (
        "health-future",
        "{ citizen: { health_limitations: [{ id: hl, start: '2027-06-07' }] } }",
    ),
    (
        "health-period",
        "{ citizen: { health_limitations: [{ id: hl, start: '2026-01-05', end: '2027-06-07' }] } }",
    ),
    (
        "interview",
        "{ citizen: { interviews: [{ id: iv, type: 8, time: '2026-01-05T10:00:00' }] } }",
    ),
    (
        "interview-p1",
        "{ citizen: { interviews: [{ id: iv, type: 8, time: '2026-01-05T10:00:00', with_more_authorities: true, participants: [{ id: p1, name: Lise Lund }] }] } }",
    ),
    (
        "interview-p2",
        "{ citizen: { interviews: [{ id: iv, type: 8, time: '2026-01-05T10:00:00', with_more_authorities: true, participants: [{ id: p1, name: Lise Lund }, { id: p2, name: Ole Berg }] }] } }",
    ),
    (
        "interview18-p1",
        "{ citizen: { interviews: [{ id: iv, type: 18, time: '2026-01-05T10:00:00', with_more_authorities: true, participants: [{ id: p1, name: Lise Lund }] }] } }",
    ),
    (
        "marking",
        "{ citizen: { markings: [{ id: mk, project: proj, start: '2027-06-07' }] }, projects: [{ id: proj, start: '2026-01-05', end: '2027-09-06' }] }",
    ),
    (
        "project",
        "{ citizen: {}, projects: [{ id: proj, start: '2026-01-05', end: '2027-09-06' }] }",
    ),
    (
        "ydelse-period",
        "{ citizen: { ydelser: [{ id: ydelse, start: '2026-01-05', end: '2027-06-07', kontaktgruppe: 2 }] } }",
    ),
    (
        "ydelse",
        "{ citizen: { ydelser: [{ id: ydelse, start: '2026-01-05' }] } }",
    ),
    (
        "ydelse-anden-aktoer",
        "{ citizen: { anden_aktoer: anden-aktoer, ydelser: [{ id: ydelse, start: '2026-01-05' }] } }",
    ),
    (
        "ydelse-akasse",
        "{ citizen: { akasse: akasse, ydelser: [{ id: ydelse, start: '2026-01-05' }] } }",
    ),
    (
        "move",
        "{ citizen: { moves: [{ id: flyt, from: kommune, to: other-kommune }] } }",
    ),
    (
        "move-confirmed",
        "{ citizen: { moves: [{ id: flyt, from: kommune, to: other-kommune, confirmed_out: true }] } }",
    ),
];

/// The fixed profiles, each also with a contact group of type 1 and of type 2 from
/// 2026-01-05 where the citizen is alive: (name, `given`).
pub fn fixed_profiles() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, given) in FIXED {
        out.push((name.to_string(), given.to_string()));
        if given.contains("status:") {
            continue;
        }
        for t in [1, 2] {
            let cg = format!("contact_groups: [{{ id: cg, type: {t}, start: '2026-01-05' }}]");
            let with = if given.starts_with("{ citizen: {}") {
                given.replacen("citizen: {}", &format!("citizen: {{ {cg} }}"), 1)
            } else {
                given.replacen("{ citizen: { ", &format!("{{ citizen: {{ {cg}, "), 1)
            };
            out.push((format!("{name}-cg{t}"), with));
        }
    }
    out
}

/// The pool file: `counts[name]` citizens of each profile (at least one), each serving one
/// case (`reuse: false`), so no case meets another's changes; their CPRs count from `first`.
fn write_pool(path: &Path, counts: &BTreeMap<String, u64>) {
    let mut text = String::from("profiles:\n");
    let mut i = 0;
    for (name, given) in fixed_profiles() {
        text.push_str(&format!(
            "  - name: {name}\n    given: {given}\n    reuse: false\n    citizens:\n"
        ));
        for _ in 0..counts.get(&name).copied().unwrap_or(0).max(1) {
            text.push_str(&format!("      - {{ cpr: \"{}\" }}\n", cpr(i)));
            i += 1;
        }
    }
    std::fs::write(path, text).unwrap();
}

/// Every `id` a state names, with an identifier for each.
fn named_ids(v: &serde_json::Value, cpr: &str, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(name) = map.get("id").and_then(|n| n.as_str()) {
                let n = out.len() as u64;
                let serial: u64 = cpr.parse().unwrap_or(0);
                out.insert(
                    name.to_string(),
                    format!("6f0c2d3e-{:04}-4000-8000-{serial:012}", n),
                );
            }
            map.values().for_each(|x| named_ids(x, cpr, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| named_ids(x, cpr, out)),
        _ => {}
    }
}

/// The second reference's citizens file for a pool file: every citizen in its profile's
/// state (caller roles replaced by the embedded codes), with the pool's identifiers, which the
/// pool file is rewritten to name.
fn write_citizens(pool: &Path, citizens: &Path) {
    let file = konform::provision::pool::PoolFile::load(pool).expect("the pool file reads");
    let codes: BTreeMap<&str, &str> = konform::target::profile::EMBEDDED_ROLES
        .iter()
        .map(|(n, _, c)| (*n, *c))
        .collect();
    let role_code = |name: &str| codes.get(name).map(|c| c.to_string());
    let clock = konform::clock::Clock::parse_rfc3339(CLOCK).unwrap();
    let mut out = String::from("citizens:\n");
    let mut pool_text = String::from("profiles:\n");
    for p in &file.profiles {
        let request = konform::provision::state_request(&p.given, clock, "jobcenter", &role_code)
            .expect("a profile resolves");
        pool_text.push_str(&format!(
            "  - name: {}\n    given: {}\n    reuse: false\n    citizens:\n",
            p.name,
            serde_json::to_string(&p.given).unwrap()
        ));
        for c in &p.citizens {
            let cpr = c.cpr.clone().unwrap();
            let mut ids = BTreeMap::new();
            named_ids(&request, &cpr, &mut ids);
            let entry = serde_json::json!({
                "cpr": cpr,
                "citizen": request["citizen"],
                "projects": request["projects"],
                "ids": ids,
            });
            out.push_str(&format!("  - {entry}\n"));
            pool_text.push_str(&format!(
                "      - {}\n",
                serde_json::json!({ "cpr": cpr, "ids": ids })
            ));
        }
    }
    std::fs::write(citizens, out).unwrap();
    std::fs::write(pool, pool_text).unwrap();
}

/// How many cases `konform plan` gives each pool profile of `target`.
async fn planned_per_profile(target: &Path) -> BTreeMap<String, u64> {
    let mut c = konform();
    c.args(["plan", "--json", "--clock", CLOCK, "--target"])
        .arg(target);
    let out = support::run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", support::text(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = BTreeMap::new();
    for c in plan["cases"].as_array().unwrap() {
        if let Some(p) = c["profile"].as_str() {
            *counts.entry(p.to_string()).or_default() += 1;
        }
    }
    counts
}

fn write_target(dir: &Path, base: &str) -> PathBuf {
    let file = dir.join("target.yaml");
    std::fs::write(
        &file,
        format!(
            "name: second reference\nbase_url: {base}\nauth:\n  oauth2: {{ token_url: /oauth2/token, client_secret_env: KONFORM_VENDOR_SECRET }}\nroles:\n{}citizen_pool: pool.yaml\n",
            roles_yaml()
        ),
    )
    .unwrap();
    file
}

/// Whether each case of the corpus (generated ones included), by `Service/id`, needs a
/// citizen or projects.
fn needs_state() -> BTreeMap<String, bool> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let roles = konform::run::setup::known_roles([]);
    let mut corpus =
        konform::plan::corpus::prepare(&root.join("specs"), &root.join("cases"), &roles)
            .expect("the corpus plans");
    corpus.add_generated(&roles).expect("generated cases plan");
    corpus
        .cases
        .iter()
        .map(|c| {
            (
                format!("{}/{}", c.case.service, c.case.id),
                c.state.is_some(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_target_gives_the_embedded_verdicts_or_not_applicable() {
    let dir = support::temp_dir("pool");
    let needs = needs_state();
    // Enough citizens for every case that needs one to have its own.
    let stateful = needs.values().filter(|n| **n).count() as u64;
    // The plan says how many cases each profile serves (with more citizens than any profile
    // is given: the pool file stays within the YAML reader's budget); the environment then has
    // that many of each.
    let pool = dir.join("pool.yaml");
    const PLENTY: u64 = 500;
    let everyone = fixed_profiles()
        .into_iter()
        .map(|(name, _)| (name, PLENTY.min(stateful)))
        .collect();
    write_pool(&pool, &everyone);
    let planned = planned_per_profile(&write_target(&dir, "http://127.0.0.1:9")).await;
    assert!(planned.values().all(|n| *n < PLENTY), "{planned:?}");
    // A few more than planned: a run may lease in another order than the plan counts.
    let planned = planned
        .into_iter()
        .map(|(name, n)| (name, n + n / 10 + 2))
        .collect();
    write_pool(&pool, &planned);
    let citizens = dir.join("citizens.yaml");
    write_citizens(&pool, &citizens);
    let served = serve(&citizens);
    let target = write_target(&dir, &served.base);

    let embedded_out = dir.join("embedded");
    let mut embedded = konform();
    embedded
        .args(["run", "--clock", CLOCK, "--out"])
        .arg(&embedded_out);
    let embedded_run = support::run(embedded).await;
    let pool_out = dir.join("pool-run");
    let mut pool = konform();
    pool.args(["run", "--clock", CLOCK, "--target"])
        .arg(&target)
        .arg("--out")
        .arg(&pool_out)
        .env("KONFORM_VENDOR_SECRET", SECRET);
    let pool_run = support::run(pool).await;
    assert_ne!(
        pool_run.status.code(),
        Some(2),
        "{}",
        support::text(&pool_run)
    );
    assert_ne!(
        embedded_run.status.code(),
        Some(2),
        "{}",
        support::text(&embedded_run)
    );

    let a = support::summary(&embedded_out);
    let b = support::summary(&pool_out);
    let (va, vb) = (verdicts(&a), verdicts(&b));
    assert_eq!(
        va.keys().collect::<Vec<_>>(),
        vb.keys().collect::<Vec<_>>(),
        "the same cases ran"
    );
    let mut wrong = Vec::new();
    let (mut served_by_pool, mut not_applicable, mut rest_passes) = (0, 0, 0);
    for (id, verdict_a) in &va {
        let verdict_b = &vb[id];
        let stateful = needs[id];
        if verdict_b == "not-applicable" {
            not_applicable += 1;
            if !stateful {
                wrong.push(format!("{id}: not applicable, but it needs no citizen"));
            }
            let reason = case(&b, id)["reason"].as_str().unwrap_or("");
            if reason.contains("used up") {
                wrong.push(format!("{id}: the test's pool is too small: {reason}"));
            }
        } else if verdict_b != verdict_a {
            wrong.push(format!(
                "{id}: {verdict_b} against the pool, {verdict_a} embedded: {}",
                case(&b, id)["reason"]
            ));
        } else if stateful && verdict_b == "pass" {
            served_by_pool += 1;
            let url = case(&b, id)["exchanges"][0]["request"]["url"]
                .as_str()
                .unwrap_or("");
            if !url.contains("/soap/") {
                rest_passes += 1;
            }
        }
    }
    eprintln!(
        "{} cases: {served_by_pool} with a citizen passed on pool citizens ({rest_passes} REST), {not_applicable} not applicable",
        va.len()
    );
    // The commonest reasons, cut before the state they name.
    let mut why: BTreeMap<String, usize> = BTreeMap::new();
    for (id, v) in &vb {
        if v == "not-applicable" {
            let reason = case(&b, id)["reason"].as_str().unwrap_or("").to_string();
            let short: String = reason
                .split(": {")
                .next()
                .unwrap_or("")
                .chars()
                .take(160)
                .collect();
            *why.entry(short).or_default() += 1;
        }
    }
    let mut why: Vec<_> = why.into_iter().collect();
    why.sort_by_key(|b| std::cmp::Reverse(b.1));
    for (reason, n) in why.iter().take(8) {
        eprintln!("{n:5}  {reason}");
    }
    let applicable = va.len() - not_applicable;
    eprintln!(
        "applicable through the pool: {applicable} of {} ({:.1} %)",
        va.len(),
        applicable as f64 * 100.0 / va.len() as f64
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        applicable * 100 >= va.len() * 60,
        "at least 60 % of the corpus applicable through a pool and setup calls: {applicable} of {}",
        va.len()
    );
    assert!(
        served_by_pool >= 20,
        "{served_by_pool} cases with a citizen passed on pool citizens"
    );
    assert!(
        rest_passes > 0,
        "REST cases passed with OAuth2 tokens from the second reference"
    );
    assert!(not_applicable > 0, "some preconditions are beyond the pool");
    assert_eq!(
        b["totals"]["not_applicable"], not_applicable,
        "counted apart in the report"
    );
    // No method is conformant without complete evidence: against the embedded reference every
    // method is; through the pool, those whose evidence the not-applicable cases held are
    // incomplete, said on the terminal and in the HTML with the share reached, and the run
    // exits 3 (nothing failed, evidence missing).
    let embedded_stdout = String::from_utf8_lossy(&embedded_run.stdout);
    assert!(
        support::check_evidence(&a, &embedded_out, &embedded_stdout).is_empty(),
        "{embedded_stdout}"
    );
    assert_eq!(embedded_run.status.code(), Some(0), "{embedded_stdout}");
    let pool_stdout = String::from_utf8_lossy(&pool_run.stdout);
    let incomplete = support::check_evidence(&b, &pool_out, &pool_stdout);
    eprintln!("incomplete through the pool: {}", incomplete.len());
    assert!(!incomplete.is_empty(), "{pool_stdout}");
    assert_eq!(pool_run.status.code(), Some(3), "{pool_stdout}");
    // Not applicable is never a pass, and the reason says why.
    let na = b["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["verdict"] == "not-applicable")
        .unwrap();
    assert!(
        na["reason"]
            .as_str()
            .unwrap()
            .starts_with("no citizen pool profile satisfies")
            || na["reason"]
                .as_str()
                .unwrap()
                .contains("CreateContactGroup")
            || na["reason"].as_str().unwrap().contains("pins the clock"),
        "{na:#}"
    );
    drop(served);
    std::fs::remove_dir_all(&dir).unwrap();
}

const DERIVED_CASES: &str = r#"
- id: UpdateContactGroup.derived-group-ends
  title: a contact group created by derived setup can be ended through its identifier
  given:
    citizen:
      contact_groups: [{ id: cg, type: 2, start: today }]
  when:
    body:
      MessageIdentifier: "${ids.cg}"
      ContactGroup:
        PersonCivilRegistrationIdentifier: "${cpr}"
        ContactGroupTypeIdentifier: 2
        ContactGroupStartTime: "${today}"
        ContactGroupEndTime: "${today+30d}"
  then: { success: true }
- id: UpdateContactGroup.derived-group-from-the-past
  title: a contact group starting before today cannot be derived on the reference (4703)
  given:
    citizen:
      contact_groups: [{ id: cg, type: 2, start: today-60d }]
  when:
    body:
      MessageIdentifier: "${ids.cg}"
      ContactGroup:
        PersonCivilRegistrationIdentifier: "${cpr}"
        ContactGroupStartTime: "${today-60d}"
        ContactGroupEndTime: "${today+30d}"
  then: { success: true }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_groups_are_derived_through_create_contact_group() {
    let dir = support::temp_dir("derive");
    let citizens = dir.join("citizens.yaml");
    std::fs::write(
        &citizens,
        format!(
            "citizens:\n  - {{ cpr: \"{}\", citizen: {{ jobcenter: \"10101\", kommune: \"101\" }} }}\n  - {{ cpr: \"{}\", citizen: {{ jobcenter: \"10101\", kommune: \"101\" }} }}\n",
            cpr(0),
            cpr(1)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("pool.yaml"),
        format!(
            "profiles:\n  - name: plain\n    given: {{ citizen: {{}} }}\n    citizens: [{{ cpr: \"{}\" }}, {{ cpr: \"{}\" }}]\n",
            cpr(0),
            cpr(1)
        ),
    )
    .unwrap();
    let served = serve(&citizens);
    let target = write_target(&dir, &served.base);
    let cases = dir.join("cases/PersonRegistrationService");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(cases.join("UpdateContactGroup.yaml"), DERIVED_CASES).unwrap();
    let out = dir.join("report");
    let mut run = konform();
    run.args([
        "run",
        "--no-generated",
        "--jobs",
        "1",
        "--clock",
        CLOCK,
        "--target",
    ])
    .arg(&target)
    .arg("--cases")
    .arg(dir.join("cases"))
    .arg("--out")
    .arg(&out)
    .env("KONFORM_VENDOR_SECRET", SECRET);
    let output = support::run(run).await;
    let summary = support::summary(&out);

    let ok = case(&summary, "UpdateContactGroup.derived-group-ends");
    assert_eq!(ok["verdict"], "pass", "{ok:#}\n{}", support::text(&output));
    let exchanges = ok["exchanges"].as_array().unwrap();
    assert_eq!(
        exchanges.len(),
        2,
        "the derived call, then the case's request"
    );
    let setup = exchanges[0]["request"]["body"].as_str().unwrap();
    assert!(
        setup.contains("<CreateContactGroupRequest")
            && setup.contains("<ContactGroupTypeIdentifier>2</ContactGroupTypeIdentifier>")
            && setup.contains(
                "<ContactGroupStartTime>2026-11-24T00:00:00+01:00</ContactGroupStartTime>"
            ),
        "{setup}"
    );
    // `${ids.cg}` is the identifier CreateContactGroup answered.
    let receipt = exchanges[0]["response"]["body"].as_str().unwrap();
    let created = receipt
        .split("<MessageIdentifier>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap();
    assert!(
        exchanges[1]["request"]["body"]
            .as_str()
            .unwrap()
            .contains(&format!("<MessageIdentifier>{created}</MessageIdentifier>")),
        "{exchanges:#?}"
    );

    let past = case(&summary, "UpdateContactGroup.derived-group-from-the-past");
    assert_eq!(past["verdict"], "not-applicable", "{past:#}");
    let reason = past["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("derived setup 1 CreateContactGroup (contact group cg, type 2, from 2026-09-25T00:00:00+02:00) did not succeed: error 4703"),
        "{reason}"
    );
    // The first case changed its citizen, which did not go back; the second got the other
    // one (with one citizen, it would have found the profile used up).
    assert!(!reason.contains("used up"));
    drop(served);
    std::fs::remove_dir_all(&dir).unwrap();
}
