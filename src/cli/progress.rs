//! What `konform run` shows while it runs: on a terminal, a progress bar (indicatif) with the
//! cases that did not pass printed above it; in CI (`CI` set) or when stderr is not a
//! terminal, plain lines only, each prefixed with the count so far. Every line is redacted like
//! the reports: CPR numbers masked unless the run shows them, the target's secrets replaced.
//! The main type here is [`Progress`].

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use konform::run::result::{CaseResult, Verdict};

/// Makes a line safe to print.
pub type Redact = Box<dyn Fn(&str) -> String + Send + Sync>;

/// The run's progress display.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
    redact: Redact,
}

impl Progress {
    /// A bar on an interactive terminal, plain lines elsewhere.
    pub fn new(total: usize, redact: Redact) -> Progress {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = interactive.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} cases {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            total,
            done: 0,
            redact,
        }
    }

    /// Records a finished case: a line for every case that did not pass or needed retries.
    pub fn case(&mut self, r: &CaseResult) {
        self.done += 1;
        let retried = if r.attempts > 1 {
            format!(" (after {} attempts)", r.attempts)
        } else {
            String::new()
        };
        let line = match &r.verdict {
            Verdict::Pass if r.attempts > 1 => Some(format!("PASS  {}{retried}", r.id)),
            Verdict::Pass => None,
            Verdict::Fail { reason } => Some(format!("FAIL  {}: {reason}", r.id)),
            Verdict::Error { reason } => Some(format!("ERROR {}: {reason}", r.id)),
            Verdict::NotApplicable { reason } => Some(format!("N/A   {}: {reason}", r.id)),
            Verdict::Inconclusive { reason, .. } => {
                Some(format!("INCONCLUSIVE {}: {reason}", r.id))
            }
        };
        if let Some(line) = line {
            self.line(&line);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Every exchange of a finished case, for `-v`: the case's id and verdict, then each
    /// request and answer, redacted like every other line.
    pub fn exchanges(&self, r: &CaseResult) {
        let mut text = format!("--- {} ({}) ---\n", r.id, r.verdict.name());
        text.push_str(&konform::report::text::exchanges(&r.exchanges));
        let text = (self.redact)(text.trim_end());
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// A line above the bar (or a plain line with the count so far).
    pub fn line(&self, line: &str) {
        let line = (self.redact)(line);
        match &self.bar {
            Some(bar) => bar.println(konform::sanitise::for_terminal(&line)),
            None => super::signal::err_line(&format!("[{}/{}] {line}", self.done, self.total)),
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
