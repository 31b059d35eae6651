//! Ending a run early: SIGINT (Ctrl-C) and SIGTERM (what CI sends to cancel a job) are one
//! event, [`interrupted`], after which the run writes the reports of the cases that finished,
//! marked incomplete. Also the terminal outputs that must never end a run: [`err_line`] writes
//! to stderr and ignores a closed stream, [`ignore_closed`] forgives a closed stdout (`konform
//! run | head`) once the reports are on disk.

/// Waits for SIGINT or SIGTERM and names the one that came. Without signal handlers (none
/// could be installed) it waits for ever: the run then simply cannot be interrupted.
pub async fn interrupted() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => "SIGINT",
            _ = term.recv() => "SIGTERM",
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            return std::future::pending().await;
        }
        "Ctrl-C"
    }
}

/// One line to stderr, escaped for the terminal; a closed stderr is not an error worth
/// ending a run for (its reports are what matters).
pub fn err_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        konform::sanitise::for_terminal(line)
    );
}

/// Text to stderr as it is (already escaped), ignoring a closed stderr.
pub fn err_text(text: &str) {
    use std::io::Write;
    let _ = write!(std::io::stderr().lock(), "{text}");
}

/// `Ok` for a closed pipe: the reader went away (`| head`), which ends nothing that matters.
pub fn ignore_closed(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
