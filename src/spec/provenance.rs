//! Provenance: where a row of the spec stands in the service documents. The importer records one
//! [`Provenance`] on every error row, rule sentence, field row and access-table row, and
//! [`Spec::cite`] hands them back for a method and a [`Citable`] (a code, a rule id, a field path,
//! an access cell), so every expectation and every failing verdict can quote its grounds.
//!
//! In a spec file a provenance is one scalar, the way `grep -n` prints a hit:
//!
//! ```yaml
//! errors:
//! - code: 4669
//!   text: Slutdatoen må ikke ligge før startdatoen
//!   at: "002_7fc547efc3e3f684.txt:1201: 4669 | Slutdatoen må ikke ligge før startdatoen"
//! ```
//!
//! The quoted text is the document's line as written (after the mojibake repair the service's
//! `inferences` records). A row the layout spreads over several lines (the cell-per-line
//! layout, a pipe row continued on the next line) is quoted from its first to its last line,
//! the lines joined with ` | ` (cells) or a space (pipe continuations); `line` is the first.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::model::{AccessLevel, Field, MethodRef, OrganisationType, Spec};

/// A document, a line in it and the text the line holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Provenance {
    /// The seed file name (no folder), e.g. `000_4e975ea19b379729.txt`.
    pub doc: String,
    /// 1-based.
    pub line: usize,
    /// The line as written.
    pub text: String,
}

impl Provenance {
    /// A provenance whose text the importer fills in from the document once the layout reader
    /// is done (see `spec::import::quote`): `line` to `end`, both 1-based and inclusive.
    pub(crate) fn span(doc: &str, line: usize, end: usize) -> Provenance {
        Provenance {
            doc: doc.to_string(),
            line,
            text: format!("{PENDING}{end}"),
        }
    }

    /// The last line of a span the importer has not quoted yet.
    pub(crate) fn pending_end(&self) -> Option<usize> {
        self.text.strip_prefix(PENDING)?.parse().ok()
    }

    /// `doc:line`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.doc, self.line)
    }

    /// Parses the scalar form `doc:line: text`.
    pub fn parse(s: &str) -> Option<Provenance> {
        let (doc, rest) = s.split_once(':')?;
        let (line, text) = match rest.split_once(':') {
            Some((line, text)) => (line, text.strip_prefix(' ').unwrap_or(text)),
            None => (rest, ""),
        };
        let line: usize = line.trim().parse().ok()?;
        if doc.trim().is_empty() || line == 0 {
            return None;
        }
        Some(Provenance {
            doc: doc.trim().to_string(),
            line,
            text: text.to_string(),
        })
    }
}

/// Marks a span not yet quoted; never written (the importer quotes every span).
const PENDING: &str = "\u{0}pending:";

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.doc, self.line, self.text)
    }
}

impl Serialize for Provenance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Provenance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Provenance::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid provenance {s:?}: expected `<document>:<line>: <text>`"
            ))
        })
    }
}

/// What an expectation can rest on, within one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Citable<'a> {
    /// A row of the method's error table.
    Code(u32),
    /// A rule by id (the method's own, the service's, or the overlay's).
    Rule(&'a str),
    /// An input field by `/`-separated path (`Sygemelding/Startdato`).
    Field(&'a str),
    /// A cell of the allowed-organisation table: the organisation's row where it has one,
    /// else every row (the table names who may call; an organisation absent from it may not).
    Access(OrganisationType, Option<AccessLevel>),
}

impl Spec {
    /// The document rows `what` rests on in method `m`; empty when the spec holds no row for it
    /// (an undocumented code, an unknown rule id) or the row has no provenance.
    pub fn cite(&self, m: &MethodRef<'_>, what: Citable<'_>) -> Vec<Provenance> {
        match what {
            Citable::Code(code) => m
                .method
                .error(code)
                .and_then(|e| e.at.clone())
                .into_iter()
                .collect(),
            Citable::Rule(id) => {
                let own = self.rules(m).into_iter().find(|r| r.id == id);
                let service = || m.service.rules.iter().find(|r| r.id == id).cloned();
                own.or_else(service)
                    .and_then(|r| r.at)
                    .into_iter()
                    .collect()
            }
            Citable::Field(path) => field_path(&m.method.input, path)
                .into_iter()
                .filter_map(|f| f.at.clone())
                .collect(),
            Citable::Access(org, _) => {
                let rows = &m.method.access;
                match rows.iter().find(|r| r.organisation == org) {
                    Some(row) => row.at.clone().into_iter().collect(),
                    None => rows.iter().filter_map(|r| r.at.clone()).collect(),
                }
            }
        }
    }
}

/// The fields along a `/`-separated path, outermost first; empty when a step is unknown. The
/// path is tried from the top of the tree and from the body (`requestBody`, the SOAP element).
fn field_path<'a>(tree: &'a [Field], path: &str) -> Vec<&'a Field> {
    let walk = |top: &'a [Field]| -> Option<Vec<&'a Field>> {
        let mut level = top;
        let mut out = Vec::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let f = level
                .iter()
                .find(|f| f.name == part || f.former_name.as_deref() == Some(part))?;
            out.push(f);
            level = &f.children;
        }
        (!out.is_empty()).then_some(out)
    };
    walk(tree)
        .or_else(|| walk(super::model::body_fields(tree)))
        .map(|fields| fields.into_iter().last().into_iter().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scalar_form_round_trips() {
        let p = Provenance {
            doc: "000_4e975ea19b379729.txt".into(),
            line: 76,
            text: "1001 | Invalid cpr | a: b".into(),
        };
        let s = p.to_string();
        assert_eq!(s, "000_4e975ea19b379729.txt:76: 1001 | Invalid cpr | a: b");
        assert_eq!(Provenance::parse(&s), Some(p));
        assert_eq!(Provenance::parse("x.txt:0: a"), None);
        assert_eq!(Provenance::parse("x.txt: a"), None);
        let pending = Provenance::span("x.txt", 3, 7);
        assert_eq!(pending.pending_end(), Some(7));
    }
}
