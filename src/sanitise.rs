//! Text bound for a terminal: one sanitiser, [`for_terminal`], that every line konform prints
//! goes through (progress lines, the run and merge summaries, `diff`, diagnostics, errors), so
//! a target or a file cannot move the cursor, retitle the window, ring the bell or hide text
//! with escape sequences. Control characters are written out as visible escapes:
//!
//! ```text
//! "ok\u{1b}]0;pwned\u{7}\r" -> "ok\x1b]0;pwned\x07\r"
//! ```
//!
//! [`cap`] shortens one overlong value for a one-line message.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Escapes every control character except newline and tab: C0 (ESC, BEL, CR, backspace, ...),
/// DEL, C1 (the 8-bit CSI and OSC among them) and the bidirectional overrides, which reorder
/// what a reader sees.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let n = c as u32;
            if n <= 0xFF {
                let _ = write!(out, "\\x{n:02x}");
            } else {
                let _ = write!(out, "\\u{{{n:x}}}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`for_terminal`], but a newline is escaped too: for text that must stay on one line.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let safe = for_terminal(text);
    if safe.contains('\n') {
        Cow::Owned(safe.replace('\n', "\\n"))
    } else {
        safe
    }
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// At most `max` characters of `text`; a longer text keeps its start and says how much was
/// left out.
pub fn cap(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!(
            "{}… ({} more bytes)",
            &text[..end],
            text.len() - end
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(for_terminal("plain text\n\tok"), "plain text\n\tok");
        assert_eq!(
            for_terminal("a\u{1b}[2J\u{1b}]0;title\u{7}b\rc\u{8}"),
            "a\\x1b[2J\\x1b]0;title\\x07b\\x0dc\\x08"
        );
        assert_eq!(for_terminal("\u{9b}31m \u{7f}"), "\\x9b31m \\x7f");
        assert_eq!(for_terminal("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(one_line("a\nb"), "a\\nb");
    }

    #[test]
    fn caps_long_text_on_a_character_boundary() {
        assert_eq!(cap("short", 10), "short");
        assert_eq!(cap("æøåæøå", 3), "æøå… (6 more bytes)");
    }
}
