//! The shipped examples work as the README says: `examples/target.yaml` and the pool file
//! load and agree with the spec, the second reference of "Vendor environments" runs by its
//! files, and the CI pipelines are valid YAML that run shards through the gate.

use std::path::Path;

use konform::provision::pool::PoolFile;
use konform::spec::Spec;
use konform::target::Profile;

use crate::vendor::pool::{SECRET, serve};
use crate::vendor::support::{self, konform};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_example_profile_and_pool_load() {
    let profile = Profile::load(&root().join("examples/target.yaml")).expect("target.yaml");
    let spec = Spec::load(&root().join("specs")).expect("spec");
    profile.check_against(&spec).expect("agrees with the spec");
    assert_eq!(
        profile.citizen_pool.as_deref(),
        Some(root().join("examples/citizens-pool.yaml").as_path())
    );
    PoolFile::load(&root().join("examples/citizens-pool.yaml")).expect("citizens-pool.yaml");
    PoolFile::load(&root().join("examples/second-reference/pool.yaml")).expect("pool.yaml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_reference_runs_by_the_example_files() {
    let served = serve(&root().join("examples/second-reference/pool.yaml"));
    let dir = support::temp_dir("second-reference");
    let target = std::fs::read_to_string(root().join("examples/second-reference/target.yaml"))
        .unwrap()
        .replace("http://127.0.0.1:8181", &served.base);
    std::fs::write(dir.join("target.yaml"), target).unwrap();
    std::fs::copy(
        root().join("examples/second-reference/pool.yaml"),
        dir.join("pool.yaml"),
    )
    .unwrap();
    let out = dir.join("report");
    let mut run = konform();
    run.args([
        "run",
        "--method",
        "CreatePersonInterview",
        "--no-generated",
        "--clock",
        support::CLOCK,
    ])
    .arg("--target")
    .arg(dir.join("target.yaml"))
    .arg("--out")
    .arg(&out)
    .env("KONFORM_VENDOR_SECRET", SECRET);
    let output = support::run(run).await;
    assert_ne!(output.status.code(), Some(2), "{}", support::text(&output));
    let summary = support::summary(&out);
    assert!(
        summary["totals"]["pass"].as_u64().unwrap() > 0,
        "{summary:#}"
    );
    assert!(summary["totals"]["not_applicable"].as_u64().unwrap() > 0);
    assert_eq!(summary["totals"]["fail"], 0, "{}", support::text(&output));
    assert_eq!(summary["totals"]["error"], 0, "{}", support::text(&output));
    // Through the pool only part of the method's cases can run: its evidence is incomplete,
    // and the run says so (exit 3) instead of calling it conformant.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let incomplete = support::check_evidence(&summary, &out, &stdout);
    assert_eq!(
        incomplete,
        vec!["CreatePersonInterview".to_string()],
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    drop(served);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_ci_pipelines_are_yaml_and_gate_on_shards() {
    for file in ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let _: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for needed in [
            "--shard",
            "--waivers",
            "--retries",
            "--allow-incomplete",
            "merge",
            "junit",
        ] {
            assert!(text.contains(needed), "{file} lacks {needed}");
        }
    }
}
