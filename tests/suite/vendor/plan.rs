//! `konform plan` and `konform pool suggest` end to end with the binary, on the README's second
//! reference. The plan says, before anything is sent, which cases a run will find not
//! applicable: checked case by case against a real run of two methods on a served second
//! reference. The suggested pool, once its citizens are filled in, raises the plan's
//! applicability, and every case a suggested profile says it unlocks becomes applicable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde_json::Value;

use crate::vendor::pool::{SECRET, named_ids, serve};
use crate::vendor::support::{self, CLOCK, case, konform, verdicts};

fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/second-reference")
        .join(file)
}

/// The second reference's profile at `base`, with `pool` as its citizen pool.
fn write_target(dir: &Path, base: &str, pool: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example("target.yaml"))
        .unwrap()
        .replace("http://127.0.0.1:8181", base)
        .replace(
            "citizen_pool: pool.yaml",
            &format!("citizen_pool: {}", pool.display()),
        );
    let file = dir.join("target.yaml");
    std::fs::write(&file, text).unwrap();
    file
}

async fn plan_json(target: &Path, filters: &[&str]) -> Value {
    let mut c = konform();
    c.args(["plan", "--json", "--clock", CLOCK])
        .args(filters)
        .arg("--target")
        .arg(target);
    let out = support::run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", support::text(&out));
    serde_json::from_slice(&out.stdout).expect("the plan is JSON")
}

fn reasons(plan: &Value) -> BTreeMap<String, String> {
    plan["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}",
                    c["service"].as_str().unwrap(),
                    c["id"].as_str().unwrap()
                ),
                c["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn modes(plan: &Value) -> BTreeMap<String, String> {
    plan["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}",
                    c["service"].as_str().unwrap(),
                    c["id"].as_str().unwrap()
                ),
                c["mode"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_says_what_a_run_finds_not_applicable() {
    let dir = support::temp_dir("plan");
    let served = serve(&example("pool.yaml"));
    let target = write_target(&dir, &served.base, &example("pool.yaml"));
    let methods = [
        "--method",
        "CreatePersonInterview",
        "--method",
        "GetTransferData",
        "--method",
        "CreateInterview",
    ];
    let plan = plan_json(&target, &methods).await;
    let planned = modes(&plan);
    let tally = &plan["tally"];
    assert_eq!(tally["cases"].as_u64().unwrap() as usize, planned.len());
    assert!(tally["overall"]["not applicable"].as_u64().unwrap() > 0);

    let out = dir.join("run");
    let mut run = konform();
    // One case at a time, so pool citizens are leased in case order, as the plan counts them.
    run.args(["run", "--clock", CLOCK, "--jobs", "1"])
        .args(methods)
        .arg("--target")
        .arg(&target)
        .arg("--out")
        .arg(&out)
        .env("KONFORM_VENDOR_SECRET", SECRET);
    let r = support::run(run).await;
    assert_ne!(r.status.code(), Some(2), "{}", support::text(&r));
    let summary = support::summary(&out);
    let mut wrong = Vec::new();
    let ran = verdicts(&summary);
    let plan_reasons = reasons(&plan);
    let (mut refused, mut returned) = (0, 0);
    assert!(ran.len() > 100, "{} cases ran", ran.len());
    for (id, verdict) in &ran {
        let mode = &planned[id];
        let run_na = verdict == "not-applicable";
        let plan_na = mode == "not-applicable";
        let reason = case(&summary, id)["reason"]
            .as_str()
            .unwrap_or("")
            .to_string();
        // A setup call the target refuses is known only when it is made; the citizen it
        // leased goes back to the pool, for a case the plan counted out as used up.
        let refused_setup = mode == "pool-and-setup" && reason.contains("did not succeed");
        if refused_setup {
            refused += 1;
        }
        let used_up = plan_reasons[id].contains("used up") && !run_na;
        if used_up {
            returned += 1;
        }
        if run_na != plan_na && !refused_setup && !used_up {
            wrong.push(format!(
                "{id}: planned {mode}, ran {verdict}: {}",
                case(&summary, id)["reason"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        returned <= refused,
        "{returned} used-up cases ran, but only {refused} citizens came back"
    );

    // The text form: one line per case and the table.
    let mut c = konform();
    c.args([
        "plan",
        "--clock",
        CLOCK,
        "--method",
        "CreatePersonInterview",
        "--target",
    ])
    .arg(&target);
    let o = support::run(c).await;
    let text = support::text(&o);
    assert!(text.contains("| **overall** |"), "{text}");
    assert!(text.contains("CreatePersonInterview"), "{text}");
    assert!(
        text.contains("pool citizen of `") && text.contains("NOT APPLICABLE: "),
        "{text}"
    );
}

/// A CPR of the register's shape, born 1960-01-01 plus `i` days, serial 0009.
fn cpr(i: u64) -> String {
    let born = NaiveDate::from_ymd_opt(1960, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(i))
        .unwrap();
    format!("{}0009", born.format("%d%m%y"))
}

/// A citizen for a profile of `given`: the next CPR, and an identifier for every item the
/// state names.
fn citizen(given: &Value, serial: &mut u64) -> Value {
    *serial += 1;
    let cpr = cpr(*serial);
    let mut ids = BTreeMap::new();
    named_ids(given, &cpr, &mut ids);
    serde_json::json!({ "cpr": cpr, "ids": ids })
}

/// The pool a vendor makes of a suggestion (`text`): the citizens of `original`, as many more
/// of each of its profiles as the suggestion asks, and each suggested profile with as many
/// citizens as it asks for, each with an identifier for every item its state names.
pub fn fill_in(text: &str, original: &Path) -> Value {
    let mut pool: Value = serde_saphyr::from_str(text).expect("the suggestion is YAML");
    let mut serial = 0u64;
    for p in pool["profiles"].as_array_mut().unwrap() {
        let wanted: usize = text
            .lines()
            .skip_while(|l| !l.contains(&format!("name: {}", p["name"].as_str().unwrap())))
            .find_map(|l| l.split("add at least ").nth(1))
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        let citizens: Vec<Value> = (0..wanted)
            .map(|_| citizen(&p["given"], &mut serial))
            .collect();
        p["citizens"] = Value::Array(citizens);
    }
    // ... beside the pool they had, whose used-up profiles get more citizens.
    let mut all: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(original).unwrap()).unwrap();
    for line in text.lines() {
        let Some(rest) = line.split("=> pool profile `").nth(1) else {
            continue;
        };
        let name = rest.split('`').next().unwrap();
        let more: usize = rest
            .split("give it at least ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        let profile = all["profiles"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p["name"] == name)
            .expect("the named profile exists");
        for _ in 0..more {
            let c = citizen(&profile["given"], &mut serial);
            profile["citizens"].as_array_mut().unwrap().push(c);
        }
    }
    for p in pool["profiles"].as_array().unwrap() {
        all["profiles"].as_array_mut().unwrap().push(p.clone());
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suggested_pool_raises_applicability() {
    let dir = support::temp_dir("suggest");
    let target = write_target(&dir, "http://127.0.0.1:9", &example("pool.yaml"));
    let before = plan_json(&target, &[]).await;
    let suggested = dir.join("suggested.yaml");
    let mut c = konform();
    c.args(["pool", "suggest", "--clock", CLOCK, "--target"])
        .arg(&target)
        .arg("--out")
        .arg(&suggested);
    let out = support::run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", support::text(&out));
    let text = std::fs::read_to_string(&suggested).unwrap();
    assert!(text.contains("# unlocks "), "{text}");
    // Every profile says which cases it unlocks; collect them.
    let mut unlocks: Vec<(String, usize)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("# unlocks ") {
            let n: usize = rest.split(' ').next().unwrap().parse().unwrap();
            unlocks.push((rest.to_string(), n));
        }
    }
    assert!(!unlocks.is_empty());

    // The vendor fills in the citizens, beside the pool they had.
    let all = fill_in(&text, &example("pool.yaml"));
    let filled = dir.join("filled.yaml");
    std::fs::write(&filled, serde_json::to_string(&all).unwrap()).unwrap();
    let target = write_target(&dir, "http://127.0.0.1:9", &filled);
    let after = plan_json(&target, &[]).await;
    let (a, b) = (
        before["tally"]["applicable"].as_u64().unwrap(),
        after["tally"]["applicable"].as_u64().unwrap(),
    );
    eprintln!("applicable: {a} before, {b} with the suggested pool");
    assert!(b > a, "{a} before, {b} after");
    // Every case that was not applicable for want of a pool profile now has one.
    let (mb, ma) = (modes(&before), modes(&after));
    let reasons = reasons(&before);
    let after_reasons = self::reasons(&after);
    let wanting = mb
        .iter()
        .filter(|(id, m)| {
            *m == "not-applicable"
                && (reasons[*id].contains("no citizen pool profile satisfies")
                    || reasons[*id].contains("used up"))
        })
        .count();
    let still: Vec<String> = mb
        .iter()
        .filter(|(id, m)| {
            *m == "not-applicable"
                && (reasons[*id].contains("no citizen pool profile satisfies")
                    || reasons[*id].contains("used up"))
                && ma[*id] == "not-applicable"
        })
        .map(|(id, _)| format!("{id}: {}", after_reasons[id]))
        .collect();
    eprintln!(
        "{} of {wanting} cases that wanted a pool profile are served by the suggestion",
        wanting - still.len()
    );
    // Cases that want a second citizen besides their own are counted once per case by the
    // suggestion, and a suggested profile also serves cases that derived setup served before
    // (a citizen that has the state beats a setup call): a few may still be short of
    // citizens. A state of projects alone (no citizen) is not suggested. Four in five are
    // served.
    assert!(
        still.len() * 5 <= wanting,
        "still not applicable: {}",
        still.join("\n")
    );
}
