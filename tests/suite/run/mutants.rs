//! The starter corpus is not fooled by a target that skips a rule: for every case of
//! `cases/` that expects an error code, the embedded reference with the check of that code
//! switched off (a mutant) must make the case fail.

use std::sync::Arc;
use std::time::Duration;

use konform::clock::Clock;
use konform::plan::Expect;
use konform::plan::corpus::prepare;
use konform::reference::{self, ReferenceConfig, check_ids};
use konform::run::result::Verdict;
use konform::run::setup::known_roles;
use konform::run::{RunEnv, run_case};
use konform::target::{Profile, Target, TargetOptions};

#[tokio::test]
async fn every_error_case_fails_when_its_check_is_switched_off() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("specs").is_dir() || !root.join("cases").is_dir() {
        return;
    }
    let corpus = prepare(&root.join("specs"), &root.join("cases"), &known_roles([])).unwrap();
    let checks = check_ids(&corpus.spec);
    let mut killed = 0;
    for case in &corpus.cases {
        let Expect::Codes(codes) = &case.expect else {
            continue;
        };
        let mutants: Vec<_> = checks
            .iter()
            .filter(|c| {
                c.method.as_deref() == Some(case.case.method.as_str())
                    && c.service.as_deref() == Some(case.case.service.as_str())
                    && c.code.is_some_and(|code| codes.contains(&code))
            })
            .collect();
        for mutant in mutants {
            let mut config = ReferenceConfig::new(corpus.spec.clone(), "secret");
            config.disabled_checks.insert(mutant.id.clone());
            let running = reference::start(config, "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            let target = Arc::new(
                Target::new(
                    Profile::embedded(&running.base_url()),
                    &corpus.spec.overlay,
                    Some("secret".into()),
                    &TargetOptions::default(),
                )
                .unwrap(),
            );
            let env = RunEnv::new(target, Clock::now(), Duration::from_secs(10));
            let r = run_case(case, &env).await;
            assert!(
                !matches!(r.verdict, Verdict::Pass),
                "{} passes with `{}` switched off",
                case.case.id,
                mutant.id
            );
            killed += 1;
            running.shutdown().await;
        }
    }
    eprintln!("{killed} mutants killed");
    assert!(killed > 0, "no error case had a mutant to kill");
}
