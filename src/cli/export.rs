//! `konform spec export`: the spec as WSDL/XSD (SOAP services) and OpenAPI 3.1 (REST services)
//! files in a folder, or, with `--check`, whether a folder holds exactly what an export would
//! write (for committed copies).
//!
//! ```text
//! $ konform spec export --out exports
//! wrote exports/BorgerFlytteService.headers.xsd
//! ...
//! 14 files (3 WSDL, 7 XSD, 2 OpenAPI) in exports
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

use konform::spec::Spec;
use konform::spec::export::{self, ExportOptions, Format, SoapOverride};
use konform::target::profile::Profile;

use super::EXIT_FAILED;

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to write: `wsdl` (with the XSDs it imports), `xsd`, `openapi`; repeatable,
    /// comma-separated; default all three.
    #[arg(long, value_delimiter = ',', value_name = "FORMAT")]
    pub format: Vec<String>,
    /// The folder to write to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The spec folder.
    #[arg(long, default_value = "specs", env = "KONFORM_SPECS")]
    pub specs: PathBuf,
    /// A target profile whose SOAP `namespace`, `header_namespace` and `soap_path` replace the
    /// overlay's.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// The base URL written into `soap:address` and the OpenAPI `servers`.
    #[arg(long, default_value = export::DEFAULT_BASE_URL, value_name = "URL")]
    pub base_url: String,
    /// Write nothing; fail unless `--out` holds exactly the files an export would write.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let formats = formats(&args.format)?;
    let spec = Spec::load(&args.specs)
        .with_context(|| format!("cannot load the spec from {}", args.specs.display()))?;
    let mut options = ExportOptions {
        base_url: args.base_url.clone(),
        ..ExportOptions::default()
    };
    if let Some(path) = &args.profile {
        let profile = Profile::load(path)?;
        for (service, endpoint) in &profile.services {
            if !spec.services.contains_key(service) {
                bail!("{}: service {service:?} is not in the spec", path.display());
            }
            options.soap_overrides.insert(
                service.clone(),
                SoapOverride {
                    path: endpoint.soap_path.clone(),
                    namespace: endpoint.namespace.clone(),
                    header_namespace: endpoint.header_namespace.clone(),
                    origin: path.display().to_string(),
                },
            );
        }
    }
    let files = export::export(&spec, &formats, &options)?;
    if args.check {
        return check(&args.out, &files);
    }
    let written = export::write(&args.out, &files)?;
    for p in &written {
        println!("wrote {}", p.display());
    }
    let count = |ext: &str| files.iter().filter(|f| f.name.ends_with(ext)).count();
    println!(
        "{} files ({} WSDL, {} XSD, {} OpenAPI) in {}",
        files.len(),
        count(".wsdl"),
        count(".xsd"),
        count(".openapi.json"),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn formats(given: &[String]) -> anyhow::Result<Vec<Format>> {
    if given.is_empty() {
        return Ok(Format::ALL.to_vec());
    }
    given
        .iter()
        .map(|f| {
            Format::parse(f)
                .with_context(|| format!("unknown format {f:?}: expected wsdl, xsd or openapi"))
        })
        .collect()
}

/// Compares a folder with the files an export would write: every file present and equal, no
/// other export file (`.wsdl`, `.xsd`, `.json`) beside them.
fn check(dir: &std::path::Path, files: &[export::ExportFile]) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    for f in files {
        let path = dir.join(&f.name);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == f.content => {}
            Ok(_) => problems.push(format!("{}: differs from the export", path.display())),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut extra: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                (n.ends_with(".wsdl") || n.ends_with(".xsd") || n.ends_with(".json"))
                    && !files.iter().any(|f| &f.name == n)
            })
            .collect();
        extra.sort();
        for n in extra {
            problems.push(format!(
                "{}: not written by the export",
                dir.join(n).display()
            ));
        }
    }
    if problems.is_empty() {
        println!(
            "{}: {} files in step with the spec",
            dir.display(),
            files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!("{p}");
    }
    eprintln!(
        "run `konform spec export --out {}` to bring them in step",
        dir.display()
    );
    Ok(ExitCode::from(EXIT_FAILED))
}
