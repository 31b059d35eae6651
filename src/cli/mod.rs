//! Command-line arguments and dispatch. Each subcommand lives in its own file; this module
//! only declares them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod bench;
mod coverage;
mod diff;
#[cfg(test)]
mod docs_examples;
mod doctor;
mod export;
mod generate;
mod ics;
mod lint;
mod list;
mod merge;
mod mutate;
mod plan;
mod progress;
mod run;
mod schema;
mod serve;
mod signal;
mod spec;
mod waivers;

/// The longest time a `--timeout` may give: a day. More is a typo, and far more would not fit
/// the clocks it is added to.
pub const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;

/// A `--timeout`-like number of seconds as a duration: positive, finite, at most a day.
pub fn seconds(value: f64, flag: &str) -> anyhow::Result<std::time::Duration> {
    if !(value > 0.0 && value.is_finite()) {
        anyhow::bail!("{flag} must be a positive number of seconds (got {value})");
    }
    if value > MAX_TIMEOUT_SECONDS {
        anyhow::bail!("{flag} must be at most {MAX_TIMEOUT_SECONDS} seconds (got {value})");
    }
    std::time::Duration::try_from_secs_f64(value)
        .map_err(|e| anyhow::anyhow!("{flag} {value}: {e}"))
}

/// Every method conformant, or the check passed.
pub const EXIT_OK: u8 = 0;
/// A method is not conformant, or a check found problems.
pub const EXIT_FAILED: u8 = 1;
/// Bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Nothing failed, but a method lacks evidence: a documented code or rule without a passing
/// case in the run, or no case could run (`--allow-incomplete` turns this into 0).
pub const EXIT_INCOMPLETE: u8 = 3;
/// Nothing failed, but a case is inconclusive: it fails only under konform's default of a
/// reading the implementation statement does not declare (declare it with `--ics`).
pub const EXIT_INCONCLUSIVE: u8 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "konform",
    version,
    about = "Conformance harness for the DFDG web services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import, check and print the machine-readable specification.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Start the reference implementation (REST and SOAP) on a local port.
    Serve(serve::ServeArgs),
    /// Run the case corpus against a target (default: the embedded reference) and write reports.
    Run(run::RunArgs),
    /// Check a target profile against its environment: reachability and TLS, tokens, the
    /// state endpoint or pool, one harmless call per service; each with the fix.
    Doctor(doctor::DoctorArgs),
    /// Show how each case's preconditions will be established on a target, or why not, with
    /// counts per method and mode; nothing is sent.
    Plan(plan::PlanArgs),
    /// Citizen pools: `suggest` writes a starting pool file from the cases no profile serves.
    #[command(subcommand)]
    Pool(plan::PoolCommand),
    /// Check every case file against the spec, reporting every problem at once.
    Lint(lint::LintArgs),
    /// Write the JSON Schema of the case format, for editors.
    Schema(schema::SchemaArgs),
    /// Print the negative cases generated from the spec's field constraints.
    Gen(generate::GenArgs),
    /// Show which documented codes and rules the corpus covers.
    Coverage(coverage::CoverageArgs),
    /// Measure how many broken rules the corpus detects (mutation testing of the reference).
    Mutate(mutate::MutateArgs),
    /// Measure cases per second against the embedded reference.
    Bench(bench::BenchArgs),
    /// Compare two runs' reports: newly failing, newly passing, added and removed cases.
    Diff(diff::DiffArgs),
    /// Merge the reports of shards (disjoint case sets) into one run and write its reports.
    Merge(merge::MergeArgs),
    /// Maintain the regression gate's waiver file (known failures with reason, ticket, expiry).
    #[command(subcommand)]
    Waivers(waivers::WaiversCommand),
    /// The implementation statement: the vendor's alternative per reading of the documents.
    #[command(subcommand)]
    Ics(ics::IcsCommand),
}

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Import STAR's service documents (text) into one spec file per service.
    Import {
        /// The documents to import.
        #[arg(required = true)]
        docs: Vec<PathBuf>,
        /// The folder to write the spec files to.
        #[arg(long, default_value = "specs")]
        out: PathBuf,
    },
    /// Check the spec for consistency.
    Lint(SpecArgs),
    /// List services and methods.
    List {
        #[command(flatten)]
        spec: SpecArgs,
        /// Print a JSON array, one object per method.
        #[arg(long)]
        json: bool,
    },
    /// Write the spec as WSDL/XSD (SOAP services) and OpenAPI 3.1 (REST services).
    Export(export::ExportArgs),
    /// Print one method in full.
    Show {
        /// The method name (as STAR writes it), optionally `Service/Method`.
        method: String,
        #[command(flatten)]
        spec: SpecArgs,
    },
}

/// Where the case corpus and its spec live: shared by every command that reads cases.
/// Without `--cases`/`--specs`, `./cases` and `./specs` when they exist, else the ones built
/// into konform (see `konform::shipped`).
#[derive(Debug, Clone, Args)]
pub struct CorpusArgs {
    /// The case folder; default `./cases` if there is one, else the shipped corpus.
    #[arg(long, value_name = "DIR", env = "KONFORM_CASES")]
    pub cases: Option<PathBuf>,
    /// A folder of your own cases, run beside the corpus (`<Service>/<Method>.yaml`, ids
    /// unique across both); repeatable.
    #[arg(long = "cases-extra", value_name = "DIR")]
    pub cases_extra: Vec<PathBuf>,
    /// The spec folder; default `./specs` if there is one, else the shipped spec.
    #[arg(long, value_name = "DIR", env = "KONFORM_SPECS")]
    pub specs: Option<PathBuf>,
}

impl CorpusArgs {
    /// The case folder this command reads.
    pub fn cases_dir(&self) -> anyhow::Result<PathBuf> {
        Ok(konform::shipped::cases_dir(self.cases.as_deref())?)
    }

    /// The spec folder this command reads.
    pub fn specs_dir(&self) -> anyhow::Result<PathBuf> {
        Ok(konform::shipped::specs_dir(self.specs.as_deref())?)
    }

    /// Loads and plans the corpus (with the generated cases unless `generated` is false),
    /// printing every problem; `Err(code)` ends the command.
    pub fn load(
        &self,
        roles: &std::collections::BTreeSet<String>,
        generated: bool,
    ) -> Result<konform::plan::corpus::Corpus, ExitCode> {
        let dirs = self.specs_dir().and_then(|s| Ok((s, self.cases_dir()?)));
        let (specs, cases) = match dirs {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(EXIT_BAD_INPUT));
            }
        };
        let mut corpus = run::prepare(&specs, &cases, &self.cases_extra, roles)?;
        if generated {
            run::add_generated(&mut corpus, roles)?;
        }
        Ok(corpus)
    }
}

#[derive(Debug, Clone, Args)]
pub struct SpecArgs {
    /// The spec folder; default `./specs` if there is one, else the shipped spec.
    #[arg(long, env = "KONFORM_SPECS")]
    pub specs: Option<PathBuf>,
}

impl SpecArgs {
    /// The spec folder this command reads.
    pub fn dir(&self) -> anyhow::Result<PathBuf> {
        Ok(konform::shipped::specs_dir(self.specs.as_deref())?)
    }
}

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Spec(cmd) => spec::run(cmd),
        Command::Serve(args) => serve::run(args),
        Command::Run(args) => run::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Pool(cmd) => plan::pool(cmd),
        Command::Lint(args) => lint::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Gen(args) => generate::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Mutate(args) => mutate::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Waivers(cmd) => waivers::run(cmd),
        Command::Ics(cmd) => ics::run(cmd),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every subcommand's arguments are well formed (unique names, valid defaults): clap
    /// checks this only when a subcommand is used, so check them all here.
    #[test]
    fn every_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
