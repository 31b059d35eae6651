//! Shared helpers: the test spec, planning inline case YAML, targets on a wiremock server.

pub use crate::common::{data, temp_dir};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use konform::case::load::load_text;
use konform::clock::Clock;
use konform::plan::{PlannedCase, plan};
use konform::run::result::CaseResult;
use konform::run::setup::known_roles;
use konform::run::{RunEnv, run_case};
use konform::spec::Spec;
use konform::target::profile::AuthConfig;
use konform::target::{Profile, Target, TargetOptions};

pub fn spec() -> Arc<Spec> {
    Arc::new(Spec::load(&data("specs")).expect("the test spec loads"))
}

pub fn clock() -> Clock {
    Clock::parse_rfc3339("2026-11-24T10:00:00+01:00").unwrap()
}

/// Plans the cases of one inline case file; panics with the diagnostics if any.
pub fn plan_yaml(spec: &Spec, service: &str, method: &str, yaml: &str) -> Vec<Arc<PlannedCase>> {
    let path = PathBuf::from(format!("{service}/{method}.yaml"));
    let (loaded, diags) = load_text(&path, &path.to_string_lossy(), service, method, yaml);
    assert!(
        diags.is_empty(),
        "{}",
        konform::case::diagnostic::render(&diags)
    );
    let planned = plan(spec, &loaded, &known_roles([]));
    assert!(
        planned.diagnostics.is_empty(),
        "{}",
        konform::case::diagnostic::render(&planned.diagnostics)
    );
    planned.cases.into_iter().map(Arc::new).collect()
}

/// A profile for a wiremock server: no auth, the embedded roles, the state endpoint.
pub fn profile(base: &str) -> Profile {
    let mut p = Profile::embedded(base);
    p.name = "wiremock".into();
    p.auth = AuthConfig::None;
    p
}

pub fn env_for(spec: &Spec, profile: Profile, timeout: Duration) -> Arc<RunEnv> {
    let target = Arc::new(
        Target::new(profile, &spec.overlay, None, &TargetOptions::default()).expect("target"),
    );
    Arc::new(RunEnv::new(target, clock(), timeout))
}

/// Runs one inline case against `base`.
pub async fn run_one(base: &str, service: &str, method: &str, yaml: &str) -> CaseResult {
    let spec = spec();
    let cases = plan_yaml(&spec, service, method, yaml);
    assert_eq!(cases.len(), 1);
    let env = env_for(&spec, profile(base), Duration::from_secs(5));
    run_case(&cases[0], &env).await
}

/// A CreateThing answer that conforms to the test spec's output table: 201 with the thing's
/// identifier, its start date and no items.
pub fn thing_created(id: &serde_json::Value) -> wiremock::ResponseTemplate {
    let id = match id {
        serde_json::Value::String(s) => s.clone(),
        _ => "6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10".to_string(),
    };
    wiremock::ResponseTemplate::new(201).set_body_json(
        serde_json::json!({"thingIdentifier": id, "startdato": "2026-11-24", "items": []}),
    )
}
