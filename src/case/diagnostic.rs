//! Problems found in case files, reported like a compiler: path:line:col, the source line, what
//! is wrong and a hint. The main type here is [`Diagnostic`]; [`render`] prints a batch.
//!
//! ```text
//! error: unknown field `kontaktgrupe` in the input of CreateYdelse
//!   --> cases/VisiteringOgStatus.YdelsesVisiteringService/CreateYdelse.yaml:14:7
//!    |
//! 14 |       kontaktgrupe: 2
//!    |       ^
//!    = case: CreateYdelse.kth-2025, field: when.body.kontaktgrupe
//!    = help: did you mean `kontaktgruppe`?
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::node::Pos;

/// One problem in one case file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub pos: Pos,
    /// The case id, where known.
    pub case: Option<String>,
    /// The field path inside the case (`when.body.kontaktgrupe`), where there is one.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &Path, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            pos,
            case: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn case(mut self, case: Option<&str>) -> Self {
        self.case = case.map(str::to_string);
        self
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// `file:line:col: message`, one line.
    pub fn short(&self) -> String {
        let mut s = self.file.display().to_string();
        if self.pos.is_known() {
            let _ = write!(s, ":{}:{}", self.pos.line, self.pos.column);
        }
        let _ = write!(s, ": {}", self.message);
        s
    }
}

/// The most of a message shown (a message may quote a value from the file).
const MAX_MESSAGE_CHARS: usize = 1000;

/// The most of a source line shown around the column.
const MAX_LINE_CHARS: usize = 160;

/// A window of at most [`MAX_LINE_CHARS`] characters of `line` around the 0-based character
/// `column`, and the column within it: a 200 MB line is not echoed whole.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars = line.chars().count();
    if chars <= MAX_LINE_CHARS {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(MAX_LINE_CHARS / 2)
        .min(chars - MAX_LINE_CHARS);
    let window: String = line.chars().skip(start).take(MAX_LINE_CHARS).collect();
    let (lead, shift) = if start > 0 { ("…", 1) } else { ("", 0) };
    let tail = if start + MAX_LINE_CHARS < chars {
        "…"
    } else {
        ""
    };
    (format!("{lead}{window}{tail}"), column - start + shift)
}

/// Renders diagnostics compiler-style, with the source line where the file can be read.
/// `sources` caches file contents; `root` is stripped from paths for shorter output.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let message = crate::sanitise::cap(&d.message, MAX_MESSAGE_CHARS);
        let _ = writeln!(out, "error: {}", crate::sanitise::for_terminal(&message));
        let location = if d.pos.is_known() {
            format!("{}:{}:{}", d.file.display(), d.pos.line, d.pos.column)
        } else {
            d.file.display().to_string()
        };
        let _ = writeln!(out, "  --> {location}");
        let text = sources
            .entry(d.file.clone())
            .or_insert_with(|| crate::input::read_to_string(&d.file).ok());
        if let (Some(text), true) = (text.as_deref(), d.pos.is_known())
            && let Some(line) = text.lines().nth(d.pos.line as usize - 1)
        {
            let number = d.pos.line.to_string();
            let pad = " ".repeat(number.len());
            let (line, column) = excerpt(line, d.pos.column.saturating_sub(1) as usize);
            let caret = " ".repeat(column);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {}", crate::sanitise::one_line(&line));
            let _ = writeln!(out, "{pad} | {caret}^");
        }
        match (&d.case, &d.field) {
            (Some(c), Some(f)) => {
                let _ = writeln!(out, "   = case: {c}, field: {f}");
            }
            (Some(c), None) => {
                let _ = writeln!(out, "   = case: {c}");
            }
            (None, Some(f)) => {
                let _ = writeln!(out, "   = field: {f}");
            }
            (None, None) => {}
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "   = help: {h}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} problem{} found",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = format!("{}X{}", "a".repeat(100_000), "b".repeat(100_000));
        let (shown, column) = excerpt(&line, 100_000);
        assert!(
            shown.chars().count() <= MAX_LINE_CHARS + 2,
            "{}",
            shown.len()
        );
        assert_eq!(shown.chars().nth(column), Some('X'));
        assert_eq!(excerpt("short", 2), ("short".to_string(), 2));
    }
}
