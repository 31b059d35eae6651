//! The implementation statement (after ISO/IEC 9646's PICS and PIXIT): the vendor's declaration
//! of its alternative per reading of the overlay's catalogue. A case that rests on a reading
//! expects what the declared alternative says; where the statement declares none, konform
//! assumes the reading's default, and a case that fails only under that assumption is
//! inconclusive, not failed. [`template`] writes a statement with every reading, its
//! alternatives, default and document lines, for the vendor to fill in. The main type is
//! [`Statement`].
//!
//! ```yaml
//! implementation: Jobcenter system 4.2
//! readings:
//!   refused-caller-status: "403"
//!   cpr-pattern-code: "1014"
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::overlay::Overlay;
use crate::diag::{YamlError, read_yaml};

/// A vendor's declared readings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// What the statement is about, in the vendor's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    /// The declared alternative per reading, by reading name.
    #[serde(default)]
    pub readings: BTreeMap<String, String>,
    /// Where it was read from, for reports; not part of the file.
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

/// What is wrong with a statement.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// Readings or alternatives the overlay's catalogue does not have.
    #[error("{}: {}", path.display(), problems.join("; "))]
    Unknown {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// The alternative in force for one reading, and whether the statement declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub alternative: String,
    pub declared: bool,
}

impl Statement {
    /// Reads a statement and checks every reading and alternative against the catalogue.
    pub fn load(path: &Path, overlay: &Overlay) -> Result<Statement, StatementError> {
        let mut s: Statement = read_yaml(path, "implementation statement")?;
        let problems = s.problems(overlay);
        if !problems.is_empty() {
            return Err(StatementError::Unknown {
                path: path.to_path_buf(),
                problems,
            });
        }
        s.file = Some(path.to_path_buf());
        Ok(s)
    }

    /// A statement declaring `alternative` for `reading` alone.
    pub fn declaring(reading: &str, alternative: &str) -> Statement {
        Statement {
            readings: BTreeMap::from([(reading.to_string(), alternative.to_string())]),
            ..Statement::default()
        }
    }

    /// A statement declaring every reading's default.
    pub fn defaults(overlay: &Overlay) -> Statement {
        Statement {
            implementation: Some("konform's defaults".into()),
            readings: overlay
                .readings
                .iter()
                .map(|(n, r)| (n.clone(), r.default.clone()))
                .collect(),
            file: None,
        }
    }

    /// Readings the catalogue does not have, and alternatives their reading does not have.
    pub fn problems(&self, overlay: &Overlay) -> Vec<String> {
        let mut out = Vec::new();
        for (name, alt) in &self.readings {
            match overlay.readings.get(name) {
                None => {
                    let hint = crate::suggest::did_you_mean(
                        name,
                        overlay.readings.keys().map(String::as_str),
                    )
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                    out.push(format!("no reading `{name}` in the overlay{hint}"));
                }
                Some(r) if !r.has(alt) => out.push(format!(
                    "`{alt}` is no alternative of {name} ({})",
                    r.names().join(", ")
                )),
                Some(_) => {}
            }
        }
        out
    }

    /// The alternative in force for `reading`, whose default is `default`.
    pub fn choice(&self, reading: &str, default: &str) -> Choice {
        match self.readings.get(reading) {
            Some(a) => Choice {
                alternative: a.clone(),
                declared: true,
            },
            None => Choice {
                alternative: default.to_string(),
                declared: false,
            },
        }
    }

    /// The alternative in force for `reading` under this statement and `overlay`'s defaults;
    /// `None` for a reading the catalogue does not have.
    pub fn alternative<'a>(&'a self, overlay: &'a Overlay, reading: &str) -> Option<&'a str> {
        self.readings
            .get(reading)
            .map(String::as_str)
            .or_else(|| overlay.readings.get(reading).map(|r| r.default.as_str()))
    }

    /// Whether `reading` is read as `alternative` (declared, or konform's default).
    pub fn is(&self, overlay: &Overlay, reading: &str, alternative: &str) -> bool {
        self.alternative(overlay, reading) == Some(alternative)
    }

    /// The statement in one line, for reports: `statement FILE: a (x), b (y) (the other N
    /// readings: konform's defaults)`.
    pub fn summary(&self, overlay: &Overlay) -> String {
        let source = match (&self.file, &self.implementation) {
            (Some(f), _) => format!("statement {}", f.display()),
            (None, Some(i)) => format!("statement ({i})"),
            (None, None) => "no implementation statement".to_string(),
        };
        let declared: Vec<String> = self
            .readings
            .iter()
            .map(|(r, a)| format!("{r} ({a})"))
            .collect();
        let rest = overlay
            .readings
            .keys()
            .filter(|r| !self.readings.contains_key(*r))
            .count();
        let mut s = source;
        if !declared.is_empty() {
            let _ = write!(s, ": {}", declared.join(", "));
        }
        if rest > 0 {
            let _ = write!(
                s,
                " ({rest} reading{} undeclared: konform's defaults, a case failing only under one is inconclusive)",
                if rest == 1 { "" } else { "s" }
            );
        }
        s
    }
}

/// A statement to fill in: every reading of the catalogue as a comment block (the question, the
/// alternatives, the default, the document lines) and its line set to the default.
pub fn template(overlay: &Overlay) -> String {
    let mut out = String::new();
    out.push_str(
        "# konform implementation statement (after ISO/IEC 9646 PICS/PIXIT).\n\
         # Declare the alternative your implementation follows for each reading: a case that rests\n\
         # on a reading expects what your alternative says. A reading left out (or commented out)\n\
         # is read as konform's default, and a case that fails only under it is inconclusive.\n\
         # Use it with `konform run --ics FILE` or the profile's `ics:`.\n\
         implementation: \"\"\n\
         readings:\n",
    );
    for (name, r) in &overlay.readings {
        let _ = writeln!(out, "\n  # {}", r.question);
        for a in &r.alternatives {
            let mark = if a.name == r.default {
                " (konform's default)"
            } else {
                ""
            };
            let _ = writeln!(out, "  #   {}: {}{mark}", a.name, a.means);
        }
        for at in &r.at {
            let _ = writeln!(
                out,
                "  #   open at {}:{}: {}",
                at.doc,
                at.line,
                at.text.trim()
            );
        }
        let _ = writeln!(out, "  {name}: {}", yaml_scalar(&r.default));
    }
    out
}

/// The catalogue as a Markdown table (the README's): every reading, its question, its
/// alternatives (the default in bold) and the document lines that leave it open.
pub fn markdown_table(overlay: &Overlay) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from(
        "| reading | question | alternatives (**default**) | open at |\n| --- | --- | --- | --- |\n",
    );
    for (name, r) in &overlay.readings {
        let alternatives: Vec<String> = r
            .alternatives
            .iter()
            .map(|a| {
                if a.name == r.default {
                    format!("**`{}`**: {}", a.name, cell(&a.means))
                } else {
                    format!("`{}`: {}", a.name, cell(&a.means))
                }
            })
            .collect();
        let at: Vec<String> =
            r.at.iter()
                .map(|p| format!("{}:{}", p.doc, p.line))
                .collect();
        let _ = writeln!(
            out,
            "| `{name}` | {} | {} | {} |",
            cell(&r.question),
            alternatives.join("<br>"),
            at.join("<br>")
        );
    }
    out
}

/// A YAML scalar for an alternative's name: quoted where YAML would read it as a number.
fn yaml_scalar(s: &str) -> String {
    if s.parse::<f64>().is_ok() || s.is_empty() {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::overlay::{Alternative, Reading};

    fn overlay() -> Overlay {
        let mut o = Overlay::default();
        o.readings.insert(
            "cpr-pattern-code".into(),
            Reading {
                question: "Which code?".into(),
                alternatives: vec![
                    Alternative {
                        name: "1001".into(),
                        means: "Invalid cpr".into(),
                    },
                    Alternative {
                        name: "1014".into(),
                        means: "Failed to validate".into(),
                    },
                ],
                default: "1001".into(),
                boundaries: Vec::new(),
                at: vec![crate::spec::Provenance {
                    doc: "001.txt".into(),
                    line: 3,
                    text: "1001".into(),
                }],
            },
        );
        o
    }

    #[test]
    fn the_template_lists_every_reading_and_reads_back_as_the_defaults() {
        let o = overlay();
        let t = template(&o);
        assert!(
            t.contains("#   1001: Invalid cpr (konform's default)"),
            "{t}"
        );
        assert!(t.contains("#   open at 001.txt:3: 1001"), "{t}");
        let s: Statement = serde_saphyr::from_str(&t).expect("the template parses");
        assert_eq!(s.readings["cpr-pattern-code"], "1001");
        assert!(s.problems(&o).is_empty());
    }

    #[test]
    fn unknown_readings_and_alternatives_are_named() {
        let o = overlay();
        let mut s = Statement::declaring("cpr-pattern-code", "1002");
        s.readings.insert("cpr-patern-code".into(), "1001".into());
        assert_eq!(
            s.problems(&o),
            [
                "no reading `cpr-patern-code` in the overlay (did you mean `cpr-pattern-code`?)",
                "`1002` is no alternative of cpr-pattern-code (1001, 1014)",
            ]
        );
        let c = Statement::default().choice("cpr-pattern-code", "1001");
        assert!(!c.declared);
        assert_eq!(c.alternative, "1001");
        assert!(Statement::declaring("cpr-pattern-code", "1014").is(
            &o,
            "cpr-pattern-code",
            "1014"
        ));
    }
}
