//! Text helpers shared by the three layout readers: white space and mojibake repair, method
//! headings (`CreateYdelse (POST /v1/ydelse)`, `CreateTilflytningsbekraeftelse (tidl. ...)`),
//! row markers (`-    -    Name`), the "Detaljer" column (`Pattern: …`, `Length: 1-100`),
//! cardinalities and method status words. The main type here is [`Details`].

use std::sync::LazyLock;

use regex::Regex;

use crate::spec::model::{HttpVerb, LengthBound, MethodStatus, Occurs};

pub(crate) const NBSP: char = '\u{a0}';

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in regex {pattern:?}: {e}"))
}

/// Collapses every run of white space (non-breaking spaces included) to one space and trims.
pub(crate) fn norm(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True for a line with nothing but white space (a blank table cell is a line of `\u{a0}`).
pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The result of repairing a document's mojibake.
pub(crate) struct Repaired {
    pub text: String,
    /// One note per kind of repair, for the service's inferences.
    pub notes: Vec<String>,
}

/// Repairs systematic mojibake. UTF-8 read as Latin-1 (`Ã¥` for `å`) is repaired wherever it
/// occurs; the single-character substitution seen in the YdelsesVisiteringService page
/// (`Ê` for `æ`, `Þ` for `ø`) only where it is systematic: the document never writes `æ` or `ø`
/// itself but does write `Ê` or `Þ`, letters Danish does not use.
pub(crate) fn repair_mojibake(text: &str) -> Repaired {
    const DOUBLE: [(&str, &str); 7] = [
        ("Ã¥", "å"),
        ("Ã¦", "æ"),
        ("Ã¸", "ø"),
        ("Ã…", "Å"),
        ("Ã†", "Æ"),
        ("Ã˜", "Ø"),
        ("Ã©", "é"),
    ];
    let mut out = text.to_string();
    let mut notes = Vec::new();
    let systematic = !text.contains(['æ', 'ø']) && text.contains(['Ê', 'Þ']);
    for (bad, good) in DOUBLE {
        let n = out.matches(bad).count();
        if n > 0 {
            out = out.replace(bad, good);
            notes.push(format!("{bad}→{good} ({n}×)"));
        }
    }
    if systematic {
        for (bad, good) in [("Ê", "æ"), ("Þ", "ø")] {
            let n = out.matches(bad).count();
            if n > 0 {
                out = out.replace(bad, good);
                notes.push(format!("{bad}→{good} ({n}×)"));
            }
        }
    }
    let notes = if notes.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "the document's text is mojibake; repaired: {}",
            notes.join(", ")
        )]
    };
    Repaired { text: out, notes }
}

/// A method heading as the documents write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub name: String,
    /// `(POST /v1/ydelse)`.
    pub rest: Option<(HttpVerb, String)>,
    /// `(tidl. SaveTransferData)`, `(Tidl. CreateRecovery/ReportIllnessRecovery)`.
    pub former_names: Vec<String>,
    /// `BORTFALDER`.
    pub withdrawn: bool,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)((?:\s+(?:\([^()]*\)|BORTFALDER|\[[^\]]*\]))*)\s*$")
});
static HEADING_PART: LazyLock<Regex> =
    LazyLock::new(|| re(r"\(([^()]*)\)|(BORTFALDER)|\[([^\]]*)\]"));
static VERB_PATH: LazyLock<Regex> = LazyLock::new(|| re(r"^(GET|POST|PUT|PATCH|DELETE)\s*(/\S*)$"));
static FORMER: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i:tidl\.?|tidligere)\s+(.+)$"));

/// Parses a method heading line; `None` when the line is not one.
pub(crate) fn parse_heading(line: &str) -> Option<Heading> {
    let line = norm(line);
    let caps = HEADING.captures(&line)?;
    let mut heading = Heading {
        name: caps[1].to_string(),
        rest: None,
        former_names: Vec::new(),
        withdrawn: false,
    };
    for part in HEADING_PART.captures_iter(caps.get(2).map_or("", |m| m.as_str())) {
        if part.get(2).is_some() {
            heading.withdrawn = true;
        } else if let Some(inner) = part.get(1).map(|m| m.as_str().trim()) {
            if let Some(vp) = VERB_PATH.captures(inner) {
                heading.rest = Some((verb(&vp[1])?, vp[2].to_string()));
            } else if let Some(f) = FORMER.captures(inner) {
                heading.former_names.extend(
                    f[1].split(['/', ','])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
            }
        }
    }
    Some(heading)
}

fn verb(s: &str) -> Option<HttpVerb> {
    Some(match s {
        "GET" => HttpVerb::Get,
        "POST" => HttpVerb::Post,
        "PUT" => HttpVerb::Put,
        "PATCH" => HttpVerb::Patch,
        "DELETE" => HttpVerb::Delete,
        _ => return None,
    })
}

/// The status words of a heading or description: "BORTFALDER" withdraws a method, "udfaset"
/// and "ikke i brug" deprecate it.
pub(crate) fn status_of(heading_withdrawn: bool, description: Option<&str>) -> MethodStatus {
    let d = description.unwrap_or("").to_lowercase();
    if heading_withdrawn || d.contains("bortfalder") {
        MethodStatus::Withdrawn
    } else if d.contains("udfaset") || d.contains("ikke i brug") {
        MethodStatus::Deprecated
    } else {
        MethodStatus::Current
    }
}

/// A row's depth markers: `-    -    Name` (cells), `- - Name` (pipe), `  • -    Name`
/// (bulleted rows of withdrawn methods; the bullet is one level), `-\u{a0} \u{a0} Name` (a
/// changed row in the diff layout).
pub(crate) struct Marked<'a> {
    pub depth: usize,
    pub rest: &'a str,
}

/// Splits the depth markers off a row's first cell.
pub(crate) fn split_markers(s: &str) -> Marked<'_> {
    let mut depth = 0;
    let mut rest = s.trim_start_matches([' ', NBSP]);
    if let Some(r) = rest.strip_prefix('•') {
        depth += 1;
        rest = r.trim_start_matches([' ', NBSP, '\t']);
    }
    while let Some(r) = rest.strip_prefix('-') {
        // A marker is a dash followed by white space (or the end): `-Name` is not one.
        let trimmed = r.trim_start_matches([' ', NBSP, '\t']);
        if trimmed.len() == r.len() && !r.is_empty() {
            break;
        }
        depth += 1;
        rest = trimmed;
    }
    Marked { depth, rest }
}

/// True when the first cell of a row starts with a depth marker or a bullet.
pub(crate) fn has_marker(s: &str) -> bool {
    let m = split_markers(s);
    m.depth > 0 && m.rest.len() < s.len()
}

/// Parses a Forekomst cell (`1`, `0 - 1`, `0 - *`, `1 - *`).
pub(crate) fn occurs_cell(s: &str) -> Option<Occurs> {
    let s = s.trim();
    let plausible = s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '*' | ' ' | NBSP));
    if plausible {
        Occurs::parse(&norm(s))
    } else {
        None
    }
}

/// The cardinality notations, longest first (for text where the cell is glued to its neighbours).
pub(crate) const OCCURS_NOTATIONS: [&str; 4] = ["0 - *", "1 - *", "0 - 1", "1"];

/// The XSD facets of the "Detaljer" column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Details {
    pub base: Option<String>,
    pub pattern: Option<String>,
    pub length: Option<LengthBound>,
    pub min_inclusive: Option<i64>,
    pub max_inclusive: Option<i64>,
}

/// The keys the "Detaljer" column uses.
pub(crate) const DETAIL_KEYS: [&str; 7] = [
    "Base",
    "Pattern",
    "Length",
    "MinLength",
    "MaxLength",
    "MinInclusive",
    "MaxInclusive",
];

/// If `s` starts with a detail key (`Pattern:`), the key and the value after the colon.
pub(crate) fn detail_key(s: &str) -> Option<(&'static str, &str)> {
    let s = s.trim_start_matches([' ', NBSP]);
    DETAIL_KEYS.iter().find_map(|key| {
        let rest = s.strip_prefix(key)?.strip_prefix(':')?;
        Some((*key, rest.trim_matches([' ', NBSP, '\t'])))
    })
}

/// Why a detail could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DetailError(pub String);

impl Details {
    /// Applies one `Key: value` detail.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), DetailError> {
        let value = value.trim();
        let int = |v: &str| -> Result<i64, DetailError> {
            v.trim()
                .parse()
                .map_err(|_| DetailError(format!("{key}: {v:?} is not a number")))
        };
        let uint = |v: &str| -> Result<u32, DetailError> {
            v.trim()
                .parse()
                .map_err(|_| DetailError(format!("{key}: {v:?} is not a length")))
        };
        match key {
            "Base" => self.base = Some(value.to_string()),
            "Pattern" => self.pattern = Some(value.to_string()),
            "Length" => {
                let bound = match value.split_once('-') {
                    Some((a, b)) => LengthBound {
                        min: Some(uint(a)?),
                        max: Some(uint(b)?),
                    },
                    None => {
                        let n = uint(value)?;
                        LengthBound {
                            min: Some(n),
                            max: Some(n),
                        }
                    }
                };
                self.length = Some(bound);
            }
            "MinLength" => {
                let mut b = self.length.unwrap_or(LengthBound {
                    min: None,
                    max: None,
                });
                b.min = Some(uint(value)?);
                self.length = Some(b);
            }
            "MaxLength" => {
                let mut b = self.length.unwrap_or(LengthBound {
                    min: None,
                    max: None,
                });
                b.max = Some(uint(value)?);
                self.length = Some(b);
            }
            "MinInclusive" => self.min_inclusive = Some(int(value)?),
            "MaxInclusive" => self.max_inclusive = Some(int(value)?),
            other => return Err(DetailError(format!("unknown detail {other:?}"))),
        }
        Ok(())
    }

    /// Applies a `Key: value` line; `Ok(false)` when the line is not a detail.
    pub fn apply_line(&mut self, line: &str) -> Result<bool, DetailError> {
        match detail_key(line) {
            Some((key, value)) => self.apply(key, value).map(|()| true),
            None => Ok(false),
        }
    }
}

/// The identifier-like cells of the tables: element and type names.
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.trim().chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `x-requestId [Header]` → (`x-requestId`, header); `ydelsesidentifier [Path]` → path.
pub(crate) fn split_location(s: &str) -> (String, crate::spec::model::FieldLocation) {
    use crate::spec::model::FieldLocation;
    let s = norm(s);
    for (tag, loc) in [
        ("[Header]", FieldLocation::Header),
        ("[Path]", FieldLocation::Path),
        ("[Query]", FieldLocation::Query),
    ] {
        if let Some(name) = s.strip_suffix(tag) {
            return (name.trim().to_string(), loc);
        }
    }
    (s, FieldLocation::Body)
}

/// `Name (FormerName)` or a name cell whose second line is `(FormerName)`.
pub(crate) fn split_former(s: &str) -> (String, Option<String>) {
    let s = norm(s);
    if let Some(open) = s.find(" (")
        && s.ends_with(')')
    {
        let former = s[open + 2..s.len() - 1].trim().to_string();
        if is_ident(&former) {
            return (s[..open].trim().to_string(), Some(former));
        }
    }
    (s, None)
}

/// ASCII-folds Danish letters and keeps `[a-z0-9]` words: the slug of a rule id.
pub(crate) fn slug_words(text: &str) -> Vec<String> {
    let folded: String = text
        .chars()
        .flat_map(|c| match c {
            'æ' | 'Æ' => "ae".chars().collect::<Vec<_>>(),
            'ø' | 'Ø' => "oe".chars().collect(),
            'å' | 'Å' => "aa".chars().collect(),
            'é' | 'É' => vec!['e'],
            c => c.to_lowercase().collect(),
        })
        .collect();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Splits prose into sentences at `. ` followed by a capital letter.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let text = norm(text);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    const ABBREVIATIONS: [&str; 12] = [
        "evt", "pr", "ca", "tidl", "nr", "jf", "dvs", "inkl", "osv", "bl", "mv", "reg",
    ];
    for i in 0..chars.len() {
        if chars[i] != '.'
            || chars.get(i + 1) != Some(&' ')
            || !chars.get(i + 2).is_some_and(|c| c.is_uppercase())
        {
            continue;
        }
        // Not after an abbreviation ("f.eks.", "evt.", "pr.").
        let word_start = chars[..i]
            .iter()
            .rposition(|c| *c == ' ')
            .map_or(0, |p| p + 1);
        let word: String = chars[word_start..i]
            .iter()
            .collect::<String>()
            .to_lowercase();
        let end_here = !word.contains('.') && !ABBREVIATIONS.contains(&word.as_str());
        if end_here {
            out.push(
                chars[start..=i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            start = i + 2;
        }
    }
    let last: String = chars[start..].iter().collect::<String>().trim().to_string();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::FieldLocation;

    #[test]
    fn headings() {
        let h = parse_heading("CreateYdelse (POST /v1/ydelse)").unwrap();
        assert_eq!(h.name, "CreateYdelse");
        assert_eq!(h.rest, Some((HttpVerb::Post, "/v1/ydelse".into())));
        let h = parse_heading(
            "CreateRaskmelding (POST/V1/Raskmelding) (Tidl. CreateRecovery/ReportIllnessRecovery)",
        )
        .unwrap();
        assert_eq!(h.rest, Some((HttpVerb::Post, "/V1/Raskmelding".into())));
        assert_eq!(h.former_names, ["CreateRecovery", "ReportIllnessRecovery"]);
        let h = parse_heading("LogTransferDataException BORTFALDER").unwrap();
        assert!(h.withdrawn);
        assert!(parse_heading("Ikke defineret").is_none());
        assert!(parse_heading("Scope").is_none());
        assert!(parse_heading("Unknown cpr").is_none());
    }

    #[test]
    fn markers() {
        let m = split_markers("-\u{a0}\u{a0}\u{a0}\u{a0}-\u{a0}\u{a0}\u{a0}\u{a0}Name");
        assert_eq!((m.depth, m.rest), (2, "Name"));
        let m = split_markers("  • -\u{a0}\u{a0}\u{a0}\u{a0}InterviewItem");
        assert_eq!((m.depth, m.rest), (2, "InterviewItem"));
        let m = split_markers("- - - Pnummer");
        assert_eq!((m.depth, m.rest), (3, "Pnummer"));
        let m = split_markers("x-requestId [Header]");
        assert_eq!((m.depth, m.rest), (0, "x-requestId [Header]"));
        let m = split_markers("-\u{a0} \u{a0} InterviewInterviewType");
        assert_eq!((m.depth, m.rest), (1, "InterviewInterviewType"));
    }

    #[test]
    fn details_and_occurs() {
        let mut d = Details::default();
        assert!(d.apply_line("Length: 1-100").unwrap());
        assert_eq!(
            d.length,
            Some(LengthBound {
                min: Some(1),
                max: Some(100)
            })
        );
        assert!(d.apply_line("Length:\u{a0}8").unwrap());
        assert_eq!(d.length.unwrap().max, Some(8));
        assert!(d.apply_line("MaxInclusive: 99999").unwrap());
        assert!(!d.apply_line("Description: x").unwrap());
        assert!(d.apply_line("Length: x").is_err());
        assert_eq!(occurs_cell("0 - *"), Some(Occurs { min: 0, max: None }));
        assert_eq!(occurs_cell("1"), Some(Occurs::ONE));
        assert_eq!(occurs_cell("Samtaletype."), None);
    }

    #[test]
    fn mojibake_is_repaired_only_where_systematic() {
        let r = repair_mojibake("GÊsteadgang, nÞgle pÃ¥");
        assert_eq!(r.text, "Gæsteadgang, nøgle på");
        assert_eq!(r.notes.len(), 1);
        let r = repair_mojibake("Ærø og Þórshöfn");
        assert_eq!(r.text, "Ærø og Þórshöfn");
        assert!(r.notes.is_empty());
    }

    #[test]
    fn locations_formers_slugs_sentences() {
        assert_eq!(
            split_location("x-requestId [Header]"),
            ("x-requestId".into(), FieldLocation::Header)
        );
        assert_eq!(
            split_former("personnummer (PersonCivilRegistrationIdentifier)"),
            (
                "personnummer".into(),
                Some("PersonCivilRegistrationIdentifier".into())
            )
        );
        assert_eq!(
            slug_words("Hvis api'et modtager én gang"),
            ["hvis", "apiet", "modtager", "en", "gang"]
        );
        assert_eq!(
            sentences("Unikt id (typisk guid). Hvis x. Max 46 chars"),
            ["Unikt id (typisk guid).", "Hvis x.", "Max 46 chars"]
        );
    }
}
