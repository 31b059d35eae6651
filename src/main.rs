//! The `konform` command line: parses arguments and hands each subcommand to its module under
//! `cli/`. Exit codes: 0 success (every method conformant), 1 a method is not conformant (or a
//! check failed), 2 bad input or usage.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::dispatch(args) {
        Ok(code) => code,
        Err(err) => {
            // Errors are printed with their chain of context; CPR numbers never reach the
            // terminal unmasked.
            eprintln!("error: {}", konform::cpr::mask_all(&format!("{err:#}")));
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}
