//! The `konform` command line: parses arguments and hands each subcommand to its module under
//! `cli/`. Exit codes: 0 success (every method conformant), 1 a method is not conformant (or a
//! check failed), 2 bad input or usage.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let args = cli::Cli::parse();
    match cli::dispatch(args) {
        Ok(code) => code,
        Err(err) => {
            // Errors are printed with their chain of context; CPR numbers, credentials and
            // control characters never reach the terminal as they are.
            let text = konform::report::mask::Redactor::new(false).text(&format!("{err:#}"));
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                konform::sanitise::for_terminal(&text)
            );
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}

/// A reader that went away (`konform gen | head`) ends the process quietly, as the default
/// SIGPIPE would, instead of a panic message: `print!` panics on a closed stdout. Commands
/// that must finish their work first (`run`, `merge`) write with errors handled instead.
fn quiet_on_closed_stdout() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(i32::from(cli::EXIT_FAILED));
        }
        previous(info);
    }));
}
