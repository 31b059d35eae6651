//! `cargo bench --bench run` (release build): the whole `konform run` path against the embedded reference
//! beside a raw loop of the same request mix, by running `konform bench` (the binary cargo
//! built for this bench). Set `KONFORM_BENCH_SECONDS` to measure longer (default 3) and
//! `KONFORM_BENCH_ARGS` for more flags (`--jobs 8`, `--method GetYdelser`). Figures and how to
//! read them: docs/performance.md.

use std::process::Command;

fn main() {
    // `cargo test --all-targets` runs this target too, without `--bench`: a measurement on a
    // debug build says nothing, so it only checks that the command starts.
    if !std::env::args().any(|a| a == "--bench") {
        let started = Command::new(env!("CARGO_BIN_EXE_konform"))
            .args(["bench", "--help"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !started {
            eprintln!("konform bench --help failed");
            std::process::exit(1);
        }
        return;
    }
    let seconds = std::env::var("KONFORM_BENCH_SECONDS").unwrap_or_else(|_| "3".to_string());
    let extra = std::env::var("KONFORM_BENCH_ARGS").unwrap_or_default();
    // `cargo bench` passes `--bench` (and any filter) to the target; they mean nothing here.
    let status = Command::new(env!("CARGO_BIN_EXE_konform"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["bench", "--seconds", &seconds])
        .args(extra.split_whitespace())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            eprintln!("konform bench ended with {s}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("cannot start konform bench: {e}");
            std::process::exit(1);
        }
    }
}
