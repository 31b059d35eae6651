//! `summary.json`: the [`RunSummary`] as JSON, schema version
//! [`SCHEMA_VERSION`](crate::run::result::SCHEMA_VERSION), every field documented in the
//! README ("The `summary.json` schema"). The main function here is [`render`]; [`read`] loads
//! one back (for `konform diff` and `konform merge`).
//!
//! ```json
//! { "schema_version": 1, "run_id": "…", "complete": true, "cpr_shown": false,
//!   "totals": { "pass": 40, "fail": 1, "error": 0, "not_applicable": 1 },
//!   "methods": [ … ], "cases": [ … ], "coverage": [], "mutation": null }
//! ```

use std::path::{Path, PathBuf};

use super::ReportError;
use super::mask::Redactor;
use crate::run::result::{RunSummary, SCHEMA_VERSION};

/// The file name inside a report folder.
pub const FILE_NAME: &str = "summary.json";

/// The summary as pretty JSON, ending in a newline. `summary` must already have gone through
/// [`Redactor::summary`], which redacts the values of its text fields (never keys, never the
/// names and enum values the file's readers depend on); every string value is masked for CPR
/// numbers once more as it is written, so a field added later cannot leak one.
pub fn render(summary: &RunSummary, redactor: &Redactor) -> Result<String, ReportError> {
    let mut out = Vec::new();
    write(summary, redactor, &mut out).map_err(|source| ReportError::Json {
        what: FILE_NAME.to_string(),
        source,
    })?;
    String::from_utf8(out).map_err(|e| ReportError::Json {
        what: FILE_NAME.to_string(),
        source: serde::ser::Error::custom(e),
    })
}

/// [`render`], written straight to `out`: no JSON tree and no copy of the text is built, so a
/// large run's summary costs its size on disk, not several times it in memory.
pub fn write(
    summary: &RunSummary,
    redactor: &Redactor,
    out: &mut dyn std::io::Write,
) -> Result<(), serde_json::Error> {
    let formatter = MaskingFormatter {
        inner: serde_json::ser::PrettyFormatter::new(),
        mask: redactor.masks_cpr(),
        in_key: false,
        string: None,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, formatter);
    serde::Serialize::serialize(summary, &mut ser)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// serde_json's pretty formatter, with every string value (not object keys) gathered whole
/// and masked for CPR numbers ([`crate::cpr::mask_all`], escaped digits included) before it is
/// written.
struct MaskingFormatter {
    inner: serde_json::ser::PrettyFormatter<'static>,
    mask: bool,
    in_key: bool,
    /// The raw text of the string value being written, when masking.
    string: Option<String>,
}

impl serde_json::ser::Formatter for MaskingFormatter {
    fn write_null<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.write_null(w)
    }
    fn write_bool<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        v: bool,
    ) -> std::io::Result<()> {
        self.inner.write_bool(w, v)
    }
    fn write_i64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: i64) -> std::io::Result<()> {
        self.inner.write_i64(w, v)
    }
    fn write_u64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: u64) -> std::io::Result<()> {
        self.inner.write_u64(w, v)
    }
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: f64) -> std::io::Result<()> {
        self.inner.write_f64(w, v)
    }
    fn write_number_str<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        v: &str,
    ) -> std::io::Result<()> {
        self.inner.write_number_str(w, v)
    }
    fn begin_string<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if self.mask && !self.in_key {
            self.string = Some(String::new());
        }
        self.inner.begin_string(w)
    }
    fn end_string<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if let Some(raw) = self.string.take() {
            let masked = crate::cpr::mask_all(&raw);
            let mut start = 0;
            for (i, c) in masked.char_indices() {
                if let Some(escape) = escape_of(c) {
                    self.inner.write_string_fragment(w, &masked[start..i])?;
                    self.inner.write_char_escape(w, escape)?;
                    start = i + c.len_utf8();
                }
            }
            self.inner.write_string_fragment(w, &masked[start..])?;
        }
        self.inner.end_string(w)
    }
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        match &mut self.string {
            Some(raw) => {
                raw.push_str(fragment);
                Ok(())
            }
            None => self.inner.write_string_fragment(w, fragment),
        }
    }
    fn write_char_escape<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        escape: serde_json::ser::CharEscape,
    ) -> std::io::Result<()> {
        match &mut self.string {
            Some(raw) => {
                raw.push(unescaped(escape));
                Ok(())
            }
            None => self.inner.write_char_escape(w, escape),
        }
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.in_key = true;
        self.inner.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.in_key = false;
        self.inner.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object_value(w)
    }
}

/// How JSON escapes `c` inside a string, if it must (serde_json's table: the quote, the
/// backslash and the control characters below U+0020).
fn escape_of(c: char) -> Option<serde_json::ser::CharEscape> {
    use serde_json::ser::CharEscape;
    Some(match c {
        '"' => CharEscape::Quote,
        '\\' => CharEscape::ReverseSolidus,
        '\u{8}' => CharEscape::Backspace,
        '\u{c}' => CharEscape::FormFeed,
        '\n' => CharEscape::LineFeed,
        '\r' => CharEscape::CarriageReturn,
        '\t' => CharEscape::Tab,
        c if (c as u32) < 0x20 => CharEscape::AsciiControl(c as u8),
        _ => return None,
    })
}

/// The character an escape stands for.
fn unescaped(escape: serde_json::ser::CharEscape) -> char {
    use serde_json::ser::CharEscape;
    match escape {
        CharEscape::Quote => '"',
        CharEscape::ReverseSolidus => '\\',
        CharEscape::Solidus => '/',
        CharEscape::Backspace => '\u{8}',
        CharEscape::FormFeed => '\u{c}',
        CharEscape::LineFeed => '\n',
        CharEscape::CarriageReturn => '\r',
        CharEscape::Tab => '\t',
        CharEscape::AsciiControl(b) => char::from(b),
    }
}

/// Where a run's summary is: `path` itself if it is a file, `path/summary.json` if a folder.
pub fn locate(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Reads a `summary.json` (or a report folder holding one), refusing another schema version.
pub fn read(path: &Path) -> Result<RunSummary, ReportError> {
    let file = locate(path);
    let text = crate::input::read_to_string(&file).map_err(|source| ReportError::Read {
        path: file.clone(),
        source,
    })?;
    // Check the version before the shape, so an old or newer file says so rather than
    // failing on whichever field changed.
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|source| ReportError::Parse {
            path: file.clone(),
            source,
        })?
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ReportError::SchemaVersion {
            path: file,
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(|source| ReportError::Parse { path: file, source })
}
