//! `konform doctor --target FILE`: checks a target profile against its environment before a
//! run (see [`konform::doctor`]) and prints one line per check, with the fix under a failure.
//! Exit 0 when every check passed, 1 when one failed, 2 when the profile cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use konform::clock::Clock;
use konform::doctor::{self, Status};
use konform::plan::MethodInfo;
use konform::spec::Spec;
use konform::target::{Profile, Target, TargetOptions};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The target profile (YAML) to check.
    #[arg(long, value_name = "FILE")]
    pub target: PathBuf,
    /// The spec folder.
    #[arg(
        long,
        default_value = "specs",
        value_name = "DIR",
        env = "KONFORM_SPECS"
    )]
    pub specs: PathBuf,
    /// Accept any TLS certificate (as `konform run --insecure`).
    #[arg(long)]
    pub insecure: bool,
    /// The clock of the state-change request (RFC 3339); default: now.
    #[arg(long)]
    pub clock: Option<String>,
}

pub fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let clock = match &args.clock {
        Some(s) => {
            Clock::parse_rfc3339(s).with_context(|| format!("--clock `{s}` is not RFC 3339"))?
        }
        None => Clock::now(),
    };
    let profile = Profile::load(&args.target)?;
    let spec = Spec::load(&args.specs)
        .with_context(|| format!("cannot load the spec from {}", args.specs.display()))?;
    profile
        .check_against(&spec)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.target.display()))?;
    let methods: Vec<MethodInfo> = spec
        .methods()
        .filter_map(|m| MethodInfo::build(&spec, m).ok())
        .collect();
    println!("konform doctor: {}", profile.describe());
    let options = TargetOptions {
        insecure: args.insecure,
        ..TargetOptions::default()
    };
    let target = match Target::new(profile, &spec.overlay, None, &options) {
        Ok(t) => std::sync::Arc::new(t),
        Err(e) => {
            println!("FAIL  profile  {}", args.target.display());
            println!("      {e}");
            println!("      fix: set the variable, or correct the file the profile names");
            return Ok(ExitCode::from(super::EXIT_FAILED));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let findings = runtime.block_on(doctor::examine(&target, &spec, &methods, clock));
    let secrets = target.secrets();
    let redact = |s: &str| {
        secrets.iter().fold(s.to_string(), |acc, secret| {
            acc.replace(secret.as_str(), "***")
        })
    };
    let mut failed = 0;
    for f in &findings {
        let status = match f.status {
            Status::Pass => "PASS",
            Status::Fail => {
                failed += 1;
                "FAIL"
            }
            Status::Skip => "SKIP",
        };
        println!(
            "{status}  {:<6} {}: {}",
            f.check,
            f.subject,
            konform::cpr::mask_all(&redact(&f.detail))
        );
        if let Some(fix) = &f.fix {
            println!("      fix: {fix}");
        }
    }
    if failed == 0 {
        println!("every check passed: the profile is ready for `konform run --target`");
        Ok(ExitCode::from(super::EXIT_OK))
    } else {
        println!("{failed} check(s) failed");
        Ok(ExitCode::from(super::EXIT_FAILED))
    }
}
