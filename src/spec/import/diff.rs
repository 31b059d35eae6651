//! The page-diff layout (InterviewService): a "Versions Compared" page in which old and new text
//! stand side by side without separators. What is glued, and how it is split:
//!
//! - a row's name and type: `InterviewTimedateTime`, `CaseWorkerResponsibleCaseWorkerStructureType`
//!   (split by the element/type vocabulary of the other documents, by the `X` + `XType` shape,
//!   and by the primitive type names);
//! - a renamed row: `PersonInterviewIdentifier\u{a0} \u{a0} InterviewIdentifierguid` (old name,
//!   separator, new name and type);
//! - the top row of a table: `CreatePersonInterviewRequestCreateInterviewRequest…Type…Type` (old
//!   element, new element, old type, new type);
//! - details, cardinality and description: `Length: 1-1001Myndighedsnavn.` (`Length: 1-100`,
//!   `1`, `Myndighedsnavn.`), `Pattern: …{12}0 - 1`; the cardinality is always at the end of the
//!   details, and the longest notation that leaves a valid detail is taken;
//! - error rows: `4404The person … does not existThe person … does not exist`.
//!
//! Removed rows float above the table they were removed from (`\u{a0}\u{a0}\u{a0}\u{a0}PersonInterview…`);
//! they are paired, in order, with the new names of that table that the replaced method (found in
//! the vocabulary) does not have. Tables without a heading are given to a method named after
//! their element. The "Forretningsregler" section gives the methods' descriptions and prose rules.
//! The main entry is [`parse`].

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::spec::model::{ErrorCode, Field, Layout, Occurs};
use crate::spec::pattern::XsdPattern;
use crate::spec::provenance::Provenance;

use super::cells::error_code;
use super::text::{
    DETAIL_KEYS, Details, NBSP, OCCURS_NOTATIONS, detail_key, is_ident, norm, parse_heading,
    split_markers,
};
use super::tree::{self, Row};
use super::vocab::Vocabulary;
use super::{ImportError, MethodDraft, RuleDraft, ServiceDraft, malformed};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in regex {pattern:?}: {e}"))
}

/// The separator between an old and a new name in a changed row.
const RENAME: &str = "\u{a0} \u{a0} ";

static LEADING_OCCURS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(0 - \*|1 - \*|0 - 1|1)(?:$|([^0-9\s\-*].*)$)"));
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(\([^()]*pattern[^()]*\))\s*(0 - \*|1 - \*|0 - 1|1)(.*)$"));
static ERROR_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{3,6})(\D.*)?$"));
static SERVICE_NAME: LazyLock<Regex> = LazyLock::new(|| re(r"^([A-Z][A-Za-z0-9]*Service)\b"));

const PRIMITIVES: [&str; 12] = [
    "dateTime",
    "date-time",
    "boolean",
    "string",
    "decimal",
    "integer",
    "guid",
    "uuid",
    "long",
    "date",
    "time",
    "int",
];

/// Reads a page-diff document. `vocab` holds the names of the documents read before.
pub(crate) fn parse(
    file: &str,
    text: &str,
    vocab: &Vocabulary,
) -> Result<ServiceDraft, ImportError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let service = lines
        .iter()
        .take(30)
        .find_map(|(_, l)| SERVICE_NAME.captures(l.trim()).map(|c| c[1].to_string()))
        .ok_or_else(|| malformed(file, 1, "no service name (`…Service`) near the top"))?;
    let mut draft = ServiceDraft {
        service,
        version: String::new(),
        layout: Layout::Diff,
        former_names: Vec::new(),
        inferences: vec![
            "the excerpt is a page diff (\"Versions Compared\") without a version line; the \
             service name is read from its first paragraph"
                .to_string(),
        ],
        methods: Vec::new(),
    };
    if vocab.is_empty() {
        draft.inferences.push(
            "no other documents were imported with this one: glued names are split by their \
             shape only, and removed rows are not paired with their new names"
                .to_string(),
        );
    }
    let rules_at = lines
        .iter()
        .position(|(_, l)| l.trim() == "Forretningsregler");
    let interface_at = lines
        .iter()
        .position(|(_, l)| l.trim() == "Servicesnitflade");
    let interface = &lines[interface_at.map_or(0, |k| k + 1)..];
    let mut reader = Interface {
        file,
        vocab,
        methods: Vec::new(),
        current: None,
    };
    for block in interface.split(|(_, l)| matches!(l.trim(), "..." | "…")) {
        reader.block(block)?;
    }
    let mut methods = reader.methods;
    if let Some(start) = rules_at {
        let end = interface_at.unwrap_or(lines.len());
        read_rules(&lines[start + 1..end.max(start + 1)], &mut methods);
    }
    repair_glued_prose(&mut methods);
    draft.methods = methods;
    Ok(draft)
}

struct Interface<'a> {
    file: &'a str,
    vocab: &'a Vocabulary,
    methods: Vec<MethodDraft>,
    /// Index of the method the text is at.
    current: Option<usize>,
}

impl Interface<'_> {
    fn method_named(&mut self, name: &str, line: usize) -> usize {
        if let Some(k) = self.methods.iter().position(|m| m.name == name) {
            return k;
        }
        self.methods.push(MethodDraft {
            name: name.to_string(),
            line,
            ..MethodDraft::default()
        });
        self.methods.len() - 1
    }

    fn block(&mut self, block: &[(usize, &str)]) -> Result<(), ImportError> {
        let mut i = 0;
        let mut removed: Vec<(usize, String, Option<String>)> = Vec::new();
        let mut heading_here = false;
        while i < block.len() {
            let (line, raw) = block[i];
            let t = norm(raw);
            let next = block.get(i + 1).map(|(_, l)| norm(l)).unwrap_or_default();
            let after = block.get(i + 2).map(|(_, l)| norm(l)).unwrap_or_default();
            let keyword = |s: &str| s == "Input" || s == "Output";
            if !t.contains(' ')
                && parse_heading(&t).is_some()
                && (keyword(&next) || (next.contains(' ') && keyword(&after)))
            {
                let k = self.method_named(&t, line);
                self.current = Some(k);
                heading_here = true;
                i += 1;
                if !keyword(&next) {
                    if self.methods[k].description.is_none() {
                        self.methods[k].description = Some(next);
                    }
                    i += 1;
                }
                continue;
            }
            if keyword(&t) {
                i += 1;
                continue;
            }
            if t == "Fejlkode" && next == "Fejltekst" && after == "Beskrivelse" {
                return self.errors(&block[i + 3..], line);
            }
            if t == "Element" && is_header(&block[i..]) {
                i += 5;
                return self.table(&block[i..], removed, heading_here);
            }
            if starts_row(&block[i..]) {
                return self.table(&block[i..], removed, heading_here);
            }
            // A removed row floating above its table.
            for item in raw.split(&format!("{NBSP}{NBSP}")[..]) {
                let item = norm(item);
                if item.is_empty() {
                    continue;
                }
                if !is_ident(&item) {
                    return Err(malformed(
                        self.file,
                        line,
                        format!("expected a heading, a table or a removed row, found {t:?}"),
                    ));
                }
                let (name, type_name) = split_glued(&item, self.vocab);
                removed.push((line, name, type_name));
            }
            i += 1;
        }
        Ok(())
    }

    fn errors(&mut self, lines: &[(usize, &str)], header_line: usize) -> Result<(), ImportError> {
        let k = self
            .current
            .ok_or_else(|| malformed(self.file, header_line, "an error table before any method"))?;
        let mut errors: Vec<ErrorCode> = Vec::new();
        for (line, raw) in lines {
            let t = norm(raw);
            let caps = ERROR_LINE.captures(&t).ok_or_else(|| {
                malformed(
                    self.file,
                    *line,
                    format!("expected an error code, found {t:?}"),
                )
            })?;
            let code: u32 = caps[1]
                .parse()
                .map_err(|_| malformed(self.file, *line, "error code out of range"))?;
            let rest = caps.get(2).map_or("", |m| m.as_str()).trim();
            let (text, description, note) = split_error_text(code, rest, self.vocab);
            if let Some(note) = note {
                self.methods[k].inferences.push(note);
            }
            let mut error = error_code(code, text, description);
            error.at = Some(Provenance::span(self.file, *line, *line));
            errors.push(error);
        }
        let m = &mut self.methods[k];
        m.inferences.push(format!(
            "the error table at line {header_line} stands without a heading; it is given to {}, \
             the method whose tables precede it",
            m.name
        ));
        m.saw_errors = true;
        if !m.errors.is_empty() {
            return Err(malformed(
                self.file,
                header_line,
                format!("{}: a second error table", m.name),
            ));
        }
        m.errors = errors;
        Ok(())
    }

    fn table(
        &mut self,
        lines: &[(usize, &str)],
        mut removed: Vec<(usize, String, Option<String>)>,
        heading_here: bool,
    ) -> Result<(), ImportError> {
        let Some(&(first_line, _)) = lines.first() else {
            return Ok(());
        };
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        let mut group: Vec<(usize, &str)> = Vec::new();
        for &(line, raw) in lines {
            if is_dashed(raw) && !group.is_empty() {
                rows.push(self.row(&group, &mut notes)?);
                group.clear();
            }
            group.push((line, raw));
        }
        if !group.is_empty() {
            rows.push(self.row(&group, &mut notes)?);
        }
        let mut top = rows
            .first()
            .filter(|r| r.depth == 0)
            .cloned()
            .ok_or_else(|| malformed(self.file, first_line, "a table without a top-level row"))?;
        let is_output = top.name.ends_with("Response");
        // The replaced method, and the pairing of removed rows with new names.
        let old_method = top
            .former_name
            .as_deref()
            .and_then(|f| self.vocab.method_with_element(f))
            .or_else(|| {
                removed
                    .iter()
                    .find_map(|(_, name, _)| self.vocab.method_with_element(name))
            })
            .or_else(|| self.vocab.method_with_element(&top.name))
            .cloned();
        if let Some(old) = &old_method {
            let element = if is_output {
                &old.response_element
            } else {
                &old.request_element
            };
            if top.former_name.is_none()
                && let Some(pos) = removed
                    .iter()
                    .position(|(_, n, _)| Some(n) == element.as_ref())
            {
                let (_, name, _) = removed.remove(pos);
                if name != top.name {
                    top.former_name = Some(name);
                }
            }
        }
        rows[0] = top.clone();
        if !removed.is_empty() {
            if self.vocab.is_empty() {
                notes.push(format!(
                    "removed rows {} are not paired with new names (no vocabulary)",
                    names(&removed)
                ));
            } else {
                let old_names: BTreeSet<String> = match &old_method {
                    Some(old) if is_output => old.output_names.clone(),
                    Some(old) => old.input_names.clone(),
                    None => self.vocab.elements.clone(),
                };
                let explicit: BTreeSet<String> =
                    rows.iter().filter_map(|r| r.former_name.clone()).collect();
                removed.retain(|(_, n, _)| !explicit.contains(n));
                let mut queue = removed.iter();
                let mut paired = Vec::new();
                for row in rows.iter_mut().skip(1) {
                    if row.former_name.is_some() || old_names.contains(&row.name) {
                        continue;
                    }
                    let Some((_, old, _)) = queue.next() else {
                        break;
                    };
                    row.former_name = Some(old.clone());
                    paired.push(format!("{}←{old}", row.name));
                }
                let left: Vec<_> = queue.map(|(_, n, _)| n.clone()).collect();
                if !paired.is_empty() {
                    notes.push(format!(
                        "removed rows floating above the table at line {first_line} are paired in \
                         order with the new names {} does not have: {}",
                        old_method
                            .as_ref()
                            .map_or("the other documents".to_string(), |m| m.name.clone()),
                        paired.join(", ")
                    ));
                }
                if !left.is_empty() {
                    notes.push(format!(
                        "removed rows without a new name to pair with: {}",
                        left.join(", ")
                    ));
                }
            }
        }
        // Which method the table belongs to.
        let stem = top
            .name
            .strip_suffix(if is_output { "Response" } else { "Request" })
            .unwrap_or(&top.name)
            .to_string();
        let k = match self.current {
            Some(k)
                if is_output
                    && self.methods[k].output.is_empty()
                    && self.methods[k].errors.is_empty() =>
            {
                if self.methods[k].name != stem {
                    notes.push(format!(
                        "the output table at line {first_line} names its element {} but stands \
                         under the heading {}; it is kept as {}'s output",
                        top.name, self.methods[k].name, self.methods[k].name
                    ));
                }
                k
            }
            Some(k)
                if !is_output
                    && self.methods[k].input.is_empty()
                    && (heading_here || self.methods[k].name == stem) =>
            {
                k
            }
            _ => {
                let k = self.method_named(&stem, first_line);
                self.methods[k].inferences.push(format!(
                    "no heading before the table at line {first_line}; the method name is \
                     inferred from its element {}",
                    top.name
                ));
                k
            }
        };
        self.current = Some(k);
        let m = &mut self.methods[k];
        if let Some(former) = &top.former_name
            && let Some(old) = former.strip_suffix(if is_output { "Response" } else { "Request" })
            && old != m.name
            && stem == m.name
            && !m.former_names.iter().any(|f| f == old)
        {
            m.former_names.push(old.to_string());
        }
        m.inferences.extend(notes);
        let what = if is_output { "output" } else { "input" };
        let fields: Vec<Field> = tree::build(rows, what, &mut m.inferences);
        if is_output {
            m.output = fields;
            m.saw_output = true;
        } else {
            m.input = fields;
        }
        Ok(())
    }

    /// One row: its name line (markers, a rename, name and type glued, maybe details) and the
    /// lines up to the next row.
    fn row(&self, group: &[(usize, &str)], notes: &mut Vec<String>) -> Result<Row, ImportError> {
        let (line, raw) = group[0];
        let marked = split_markers(raw);
        let depth = if is_dashed(raw) { marked.depth } else { 0 };
        let rest = if depth > 0 { marked.rest } else { raw };
        let (old, new) = match rest.split_once(RENAME) {
            Some((old, new)) => (norm(old), new),
            None => (String::new(), rest),
        };
        let new = norm(&new.replace('¤', ""));
        // Details glued to the name line: `AuthorityCodestringPattern: …`.
        let glued_detail = DETAIL_KEYS
            .iter()
            .filter_map(|k| new.find(&format!("{k}:")))
            .min();
        let (name_part, first_detail) = match glued_detail {
            Some(at) => (new[..at].to_string(), Some(new[at..].to_string())),
            None => (new.clone(), None),
        };
        let mut former_name = (!old.is_empty()).then_some(old);
        let (name, mut type_name) = if depth == 0 {
            match split_glued4(&name_part) {
                Some((old_el, new_el, _old_t, new_t)) => {
                    former_name = Some(old_el);
                    (new_el, Some(new_t))
                }
                None => split_glued(&name_part, self.vocab),
            }
        } else {
            split_glued(&name_part, self.vocab)
        };
        let mut rest: Vec<String> = first_detail.into_iter().collect();
        rest.extend(group[1..].iter().map(|(_, l)| norm(l)));
        let mut k = 0;
        if type_name.is_none()
            && let Some(t) = rest.first()
            && is_ident(t)
            && detail_key(t).is_none()
        {
            type_name = Some(t.clone());
            k = 1;
        }
        let mut details = Details::default();
        let detail_start = k;
        while k < rest.len() && detail_key(&rest[k]).is_some() {
            k += 1;
        }
        let detail_lines = &rest[detail_start..k];
        let mut occurs = None;
        let mut description: Vec<String> = Vec::new();
        let mut placeholder = None;
        let bad = |message: String| malformed(self.file, line, message);
        if let Some(next) = rest.get(k)
            && let Some(caps) = LEADING_OCCURS.captures(next)
        {
            occurs = Occurs::parse(&caps[1]);
            description.extend(caps.get(2).map(|m| m.as_str().trim().to_string()));
            k += 1;
        } else if let Some(next) = rest.get(k)
            && let Some(caps) = PLACEHOLDER.captures(next)
        {
            placeholder = Some(caps[1].to_string());
            occurs = Occurs::parse(&caps[2]);
            description.push(caps[3].trim().to_string());
            k += 1;
        }
        for (n, detail) in detail_lines.iter().enumerate() {
            let last = n + 1 == detail_lines.len();
            let (key, value) = detail_key(detail).unwrap_or(("", ""));
            let value = if last && occurs.is_none() {
                let (value, o, desc) = split_glued_detail(key, value)
                    .ok_or_else(|| bad(format!("{name}: no cardinality after {detail:?}")))?;
                occurs = Some(o);
                description.push(desc);
                value
            } else {
                value.to_string()
            };
            details
                .apply(key, &value)
                .map_err(|e| bad(format!("{name}: {}", e.0)))?;
        }
        description.extend(rest[k..].iter().cloned());
        let occurs = occurs.ok_or_else(|| bad(format!("{name}: no Forekomst (cardinality)")))?;
        if let Some(placeholder) = placeholder {
            let facets = type_name.as_ref().and_then(|t| self.vocab.facets.get(t));
            match facets.and_then(|f| f.pattern.clone()) {
                Some(pattern) => {
                    details.pattern = Some(pattern);
                    notes.push(format!(
                        "{name} (line {line}): the excerpt prints the placeholder {placeholder}; \
                         the pattern is the one the other documents give {}",
                        type_name.as_deref().unwrap_or_default()
                    ));
                }
                None => notes.push(format!(
                    "{name} (line {line}): the excerpt prints the placeholder {placeholder} and \
                     no other document gives the pattern"
                )),
            }
        }
        let description: Vec<String> = description.into_iter().filter(|d| !d.is_empty()).collect();
        Ok(Row {
            line,
            depth,
            name,
            former_name,
            location: crate::spec::model::FieldLocation::Body,
            type_name,
            details,
            occurs,
            description: (!description.is_empty()).then(|| description.join(" ")),
            at: Some(Provenance::span(
                self.file,
                line,
                group.last().map_or(line, |(l, _)| *l),
            )),
        })
    }
}

fn names(removed: &[(usize, String, Option<String>)]) -> String {
    removed
        .iter()
        .map(|(_, n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_dashed(raw: &str) -> bool {
    raw.trim_start_matches([' ', NBSP]).starts_with('-') && split_markers(raw).depth > 0
}

fn is_header(lines: &[(usize, &str)]) -> bool {
    let want = ["Element", "Type", "Detaljer", "Forekomst", "Beskrivelse"];
    lines.len() >= 5 && lines[..5].iter().zip(want).all(|((_, l), w)| l.trim() == w)
}

/// A table without a header starts with its top row: a glued name, then a cardinality.
fn starts_row(lines: &[(usize, &str)]) -> bool {
    let Some((_, first)) = lines.first() else {
        return false;
    };
    let first = norm(first);
    if !is_ident(&first) {
        return false;
    }
    match lines.get(1).map(|(_, l)| norm(l)) {
        Some(next) if LEADING_OCCURS.is_match(&next) => true,
        Some(next) if is_ident(&next) => lines
            .get(2)
            .is_some_and(|(_, l)| LEADING_OCCURS.is_match(&norm(l))),
        _ => false,
    }
}

/// Splits a glued name and type (see the module docs). Returns the name alone where no split
/// is certain.
pub(crate) fn split_glued(s: &str, vocab: &Vocabulary) -> (String, Option<String>) {
    let s = s.trim();
    if s.is_empty() || vocab.elements.contains(s) {
        return (s.to_string(), None);
    }
    let boundaries: Vec<usize> = s.char_indices().map(|(k, _)| k).skip(1).collect();
    // A pair the other documents use.
    for &k in &boundaries {
        if vocab
            .pairs
            .contains(&(s[..k].to_string(), s[k..].to_string()))
        {
            return (s[..k].to_string(), Some(s[k..].to_string()));
        }
    }
    // `X` + `XType`, `X` + `X`.
    if let Some(body) = s.strip_suffix("Type")
        && body.len() % 2 == 0
        && body.is_char_boundary(body.len() / 2)
    {
        let (a, b) = body.split_at(body.len() / 2);
        if a == b && !a.is_empty() {
            return (a.to_string(), Some(format!("{a}Type")));
        }
    }
    if s.len().is_multiple_of(2) && s.is_char_boundary(s.len() / 2) {
        let (a, b) = s.split_at(s.len() / 2);
        if a == b {
            return (a.to_string(), Some(b.to_string()));
        }
    }
    // A primitive type glued to the name: `InterviewTimedateTime`.
    for p in PRIMITIVES {
        if let Some(name) = s.strip_suffix(p)
            && name.len() > 1
            && is_ident(name)
        {
            return (name.to_string(), Some(p.to_string()));
        }
    }
    let type_like = |t: &str| {
        vocab.types.contains(t) || ["Type", "Collection", "Dto"].iter().any(|x| t.ends_with(x))
    };
    // The longest known element name followed by something type-like.
    let mut best = None;
    for &k in &boundaries {
        let (name, ty) = s.split_at(k);
        if vocab.elements.contains(name)
            && ty.starts_with(|c: char| c.is_ascii_uppercase())
            && type_like(ty)
        {
            best = Some(k);
        }
    }
    if let Some(k) = best {
        return (s[..k].to_string(), Some(s[k..].to_string()));
    }
    // A known type name at the end.
    for &k in &boundaries {
        if vocab.types.contains(&s[k..]) && s[..k].len() > 1 {
            return (s[..k].to_string(), Some(s[k..].to_string()));
        }
    }
    (s.to_string(), None)
}

/// `AB` + `AType` + `BType` glued: old element, new element, old type, new type.
pub(crate) fn split_glued4(s: &str) -> Option<(String, String, String, String)> {
    let len = s.len();
    if len < 12 || !(len - 8).is_multiple_of(2) {
        return None;
    }
    let half = (len - 8) / 2;
    for a in 1..half {
        if !s.is_char_boundary(a) || !s.is_char_boundary(half) {
            continue;
        }
        let (old, new) = (&s[..a], &s[a..half]);
        if new.is_empty() {
            continue;
        }
        if s == format!("{old}{new}{old}Type{new}Type") {
            return Some((
                old.to_string(),
                new.to_string(),
                format!("{old}Type"),
                format!("{new}Type"),
            ));
        }
    }
    None
}

/// The last detail of a row with the cardinality and the description glued to it:
/// (`1-1001Myndighedsnavn.`) → (`1-100`, `1`, `Myndighedsnavn.`).
pub(crate) fn split_glued_detail(key: &str, value: &str) -> Option<(String, Occurs, String)> {
    if key == "Pattern" {
        for (at, _) in value.char_indices().skip(1) {
            let Some(caps) = LEADING_OCCURS.captures(&value[at..]) else {
                continue;
            };
            let desc = caps.get(2).map_or("", |m| m.as_str());
            if !(desc.is_empty() || desc.starts_with(|c: char| c.is_uppercase() || c == '(')) {
                continue;
            }
            let pattern = &value[..at];
            if XsdPattern::new(pattern).is_ok() {
                return Some((
                    pattern.to_string(),
                    Occurs::parse(&caps[1])?,
                    desc.trim().to_string(),
                ));
            }
        }
        return None;
    }
    let run_end = value
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '*' | ' ')))
        .map_or(value.len(), |(k, _)| k);
    let (run, desc) = value.split_at(run_end);
    let run = run.trim_end();
    for notation in OCCURS_NOTATIONS {
        let Some(detail) = run.strip_suffix(notation) else {
            continue;
        };
        let detail = detail.trim();
        if detail.is_empty() {
            continue;
        }
        let mut probe = Details::default();
        if probe.apply(key, detail).is_ok() {
            return Some((
                detail.to_string(),
                Occurs::parse(notation)?,
                desc.trim().to_string(),
            ));
        }
    }
    None
}

/// "1001Invalid cprThe submitted cpr is …": text and description glued. Equal halves, a text
/// the other documents give the code, or a lower-to-upper-case word boundary split them.
fn split_error_text(
    code: u32,
    rest: &str,
    vocab: &Vocabulary,
) -> (Option<String>, Option<String>, Option<String>) {
    if rest.is_empty() {
        return (None, None, None);
    }
    if rest.len().is_multiple_of(2) && rest.is_char_boundary(rest.len() / 2) {
        let (a, b) = rest.split_at(rest.len() / 2);
        if a == b {
            return (Some(a.trim().to_string()), Some(b.trim().to_string()), None);
        }
    }
    if let Some(known) = vocab.error_texts.get(&code) {
        for text in known.iter().rev() {
            if let Some(desc) = rest.strip_prefix(text.as_str()) {
                let desc = desc.trim();
                return (
                    Some(text.clone()),
                    (!desc.is_empty()).then(|| desc.to_string()),
                    None,
                );
            }
        }
    }
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    for w in chars.windows(2) {
        let ((_, a), (at, b)) = (w[0], w[1]);
        if (a.is_lowercase() || a == '.') && b.is_uppercase() {
            let word_start = rest[..at].rfind(' ').map_or(0, |p| p + 1);
            if rest[word_start..].starts_with(|c: char| c.is_lowercase()) {
                return (
                    Some(rest[..at].trim().to_string()),
                    Some(rest[at..].trim().to_string()),
                    None,
                );
            }
        }
    }
    (
        Some(rest.to_string()),
        None,
        Some(format!(
            "error {code}: text and description could not be told apart; the whole is kept as the text"
        )),
    )
}

/// The "Forretningsregler" section: a heading per method, its description, then rules as bullets
/// and paragraphs. Section headings ("Generelle forretningsregler:") are skipped; a remark in
/// parentheses after a cut ("...") is joined to the rule before it.
fn read_rules(lines: &[(usize, &str)], methods: &mut Vec<MethodDraft>) {
    let mut current: Option<usize> = None;
    let mut order: Vec<String> = Vec::new();
    let mut described = false;
    let mut after_cut = false;
    for &(line, raw) in lines {
        let t = norm(raw);
        if !t.contains(' ') && parse_heading(&t).is_some() {
            let k = match methods.iter().position(|m| m.name == t) {
                Some(k) => k,
                None => {
                    methods.push(MethodDraft {
                        name: t.clone(),
                        line,
                        ..MethodDraft::default()
                    });
                    methods.len() - 1
                }
            };
            order.push(t.clone());
            current = Some(k);
            described = false;
            after_cut = false;
            continue;
        }
        let Some(k) = current else { continue };
        if t == "..." || t == "…" {
            after_cut = true;
            continue;
        }
        let bullet = raw.trim_start().starts_with('•');
        let text = norm(t.trim_start_matches('•'));
        if !bullet && !described {
            methods[k].description = Some(text);
            described = true;
            continue;
        }
        described = true;
        if !bullet && (text.ends_with(':') || text.starts_with("Forretningsregler")) {
            continue;
        }
        if !bullet
            && text.starts_with('(')
            && let Some(last) = methods[k].rules.last_mut()
        {
            let joint = if after_cut { " … " } else { " " };
            last.text = format!("{}{joint}{text}", last.text);
            after_cut = false;
            continue;
        }
        methods[k].rules.push(RuleDraft { text, about: None });
        after_cut = false;
    }
    // Methods in the order the rules section names them, then the rest.
    methods.sort_by_key(|m| {
        order
            .iter()
            .position(|o| *o == m.name)
            .unwrap_or(usize::MAX)
    });
}

/// The diff glues a renamed method's old and new name in prose too ("som ved
/// CreatePersonInterviewCreateInterview"); the new name is kept.
fn repair_glued_prose(methods: &mut [MethodDraft]) {
    let renames: Vec<(String, String)> = methods
        .iter()
        .flat_map(|m| m.former_names.iter().map(|f| (f.clone(), m.name.clone())))
        .collect();
    for m in methods.iter_mut() {
        let mut fixed = Vec::new();
        let mut fix = |s: &mut String| {
            for (old, new) in &renames {
                let glued = format!("{old}{new}");
                if s.contains(&glued) {
                    *s = s.replace(&glued, new);
                    fixed.push(glued);
                }
            }
        };
        if let Some(d) = m.description.as_mut() {
            fix(d);
        }
        for r in &mut m.rules {
            fix(&mut r.text);
        }
        fixed.sort();
        fixed.dedup();
        for glued in fixed {
            m.inferences.push(format!(
                "the prose reads {glued:?}: an old and a new method name glued by the diff; the \
                 new name is kept"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{
        Binding, FieldLocation, Method, MethodStatus, ServiceSpec, Transport,
    };

    fn vocab() -> Vocabulary {
        let field = |name: &str, ty: &str, children: Vec<Field>| Field {
            name: name.into(),
            former_name: None,
            location: FieldLocation::Body,
            type_name: Some(ty.into()),
            base: None,
            occurs: Occurs::ONE,
            pattern: (ty == "CprType").then(|| "[0-9]{10}".to_string()),
            length: None,
            min_inclusive: None,
            max_inclusive: None,
            description: None,
            children,
            at: None,
        };
        let method = Method {
            name: "CreatePersonThing".into(),
            former_names: vec![],
            status: MethodStatus::Current,
            description: None,
            binding: Binding::Soap {
                action: "CreatePersonThing".into(),
                request_element: "CreatePersonThingRequest".into(),
                response_element: None,
            },
            scope: None,
            access: vec![],
            input: vec![
                field("Cpr", "CprType", vec![]),
                field(
                    "PersonThing",
                    "PersonThingType",
                    vec![field(
                        "CaseWorker",
                        "ResponsibleCaseWorkerStructureType",
                        vec![],
                    )],
                ),
            ],
            output: vec![],
            errors: vec![ErrorCode {
                code: 1001,
                text: Some("Invalid cpr".into()),
                description: None,
                at: None,
            }],
            rules: vec![],
            inferences: vec![],
        };
        let service = ServiceSpec {
            service: "OldService".into(),
            version: String::new(),
            layout: Layout::Cells,
            source: "old.txt".into(),
            transport: Transport::Soap,
            former_names: vec![],
            inferences: vec![],
            rules: vec![],
            methods: vec![method],
        };
        Vocabulary::from_services([service].iter())
    }

    #[test]
    fn glued_names_split_by_vocabulary_and_shape() {
        let v = vocab();
        assert_eq!(
            split_glued("CaseWorkerResponsibleCaseWorkerStructureType", &v),
            (
                "CaseWorker".into(),
                Some("ResponsibleCaseWorkerStructureType".into())
            )
        );
        assert_eq!(
            split_glued("InterviewTimedateTime", &v),
            ("InterviewTime".into(), Some("dateTime".into()))
        );
        assert_eq!(
            split_glued("InterviewInterviewType", &v),
            ("Interview".into(), Some("InterviewType".into()))
        );
        assert_eq!(
            split_glued("InterviewTypeInterviewType", &v),
            ("InterviewType".into(), Some("InterviewType".into()))
        );
        assert_eq!(split_glued("PersonThing", &v), ("PersonThing".into(), None));
        assert_eq!(
            split_glued4(
                "CreatePersonThingRequestCreateThingRequestCreatePersonThingRequestTypeCreateThingRequestType"
            ),
            Some((
                "CreatePersonThingRequest".into(),
                "CreateThingRequest".into(),
                "CreatePersonThingRequestType".into(),
                "CreateThingRequestType".into()
            ))
        );
    }

    #[test]
    fn glued_details_take_the_longest_cardinality_that_fits() {
        assert_eq!(
            split_glued_detail("Length", "1-1001Myndighedsnavn."),
            Some(("1-100".into(), Occurs::ONE, "Myndighedsnavn.".into()))
        );
        assert_eq!(
            split_glued_detail("Length", "1-400 - 1Sagsbehandlerens mellemnavn."),
            Some((
                "1-40".into(),
                Occurs::OPTIONAL,
                "Sagsbehandlerens mellemnavn.".into()
            ))
        );
        assert_eq!(
            split_glued_detail("Pattern", "[0-9a-f]{12}0 - 1"),
            Some(("[0-9a-f]{12}".into(), Occurs::OPTIONAL, String::new()))
        );
        assert_eq!(
            split_glued_detail("Pattern", "[-][1]|[0-9]{1,8}1Myndighedskode."),
            Some((
                "[-][1]|[0-9]{1,8}".into(),
                Occurs::ONE,
                "Myndighedskode.".into()
            ))
        );
        assert_eq!(split_glued_detail("Length", "abc"), None);
    }

    #[test]
    fn error_text_and_description() {
        let v = vocab();
        assert_eq!(
            split_error_text(4404, "Gone awayGone away", &v),
            (Some("Gone away".into()), Some("Gone away".into()), None)
        );
        assert_eq!(
            split_error_text(1001, "Invalid cprThe cpr is bad", &v),
            (
                Some("Invalid cpr".into()),
                Some("The cpr is bad".into()),
                None
            )
        );
        assert_eq!(
            split_error_text(
                9126,
                "Status is required for moreFor conducted interviews",
                &v
            )
            .0,
            Some("Status is required for more".into())
        );
    }

    const EXCERPT: &str = "Versions Compared
ThingService varetager ting.
Forretningsregler
CreateThing
Denne servicemetode opretter en ting.
Generelle forretningsregler:
  • Tidspunktet kan ikke ligge i fremtiden.
...
  • Hvis det angives skal status være 5 eller 6, ellers returneres fejlkode 9125.
UpdateThing
Der gælder de samme regler som ved CreatePersonThingCreateThing.
Servicesnitflade
...
CreateThing
Input
\u{a0}\u{a0}\u{a0}\u{a0}PersonThingPersonThingType
Element
Type
Detaljer
Forekomst
Beskrivelse
CreatePersonThingRequestCreateThingRequestCreatePersonThingRequestTypeCreateThingRequestType
1
-\u{a0}\u{a0}\u{a0}\u{a0}CprCprType
Base:\u{a0}string
(CPR nr pattern)1Cpr nummer
(... forkortet )
-\u{a0} \u{a0} ThingThingType
1
-\u{a0}\u{a0}\u{a0}\u{a0}-\u{a0}\u{a0}\u{a0}\u{a0}CaseWorkerResponsibleCaseWorkerStructureType
1Sagsbehandler.
-\u{a0}\u{a0}\u{a0}\u{a0}-\u{a0}\u{a0}\u{a0}\u{a0}OldId\u{a0} \u{a0} ThingIdentifierguid
Base:\u{a0}string
Pattern:\u{a0}[0-9a-f]{8}0 - 1
Unik nøgle.
-\u{a0}\u{a0}\u{a0}\u{a0}-\u{a0}\u{a0}\u{a0}\u{a0}NamestringLength:\u{a0}1-1001Navn.
...
Fejlkode
Fejltekst
Beskrivelse
1001Invalid cprThe submitted cpr is wrong
9125Bad statusBad status
...
UpdateThingResponseUpdateThingResponseType
0 - 1Kvittering.
";

    #[test]
    fn reads_renames_rules_and_tables() {
        let d = parse("diff.txt", EXCERPT, &vocab()).unwrap();
        assert_eq!(d.service, "ThingService");
        let names: Vec<_> = d.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["CreateThing", "UpdateThing"]);
        let create = &d.methods[0];
        assert_eq!(create.former_names, ["CreatePersonThing"]);
        let top = &create.input[0];
        assert_eq!(top.name, "CreateThingRequest");
        assert_eq!(top.former_name.as_deref(), Some("CreatePersonThingRequest"));
        let cpr = &top.children[0];
        assert_eq!(cpr.pattern.as_deref(), Some("[0-9]{10}"));
        assert_eq!(
            cpr.description.as_deref(),
            Some("Cpr nummer (... forkortet )")
        );
        let thing = &top.children[1];
        assert_eq!(
            (thing.name.as_str(), thing.former_name.as_deref()),
            ("Thing", Some("PersonThing"))
        );
        let id = &thing.children[1];
        assert_eq!(id.name, "ThingIdentifier");
        assert_eq!(id.former_name.as_deref(), Some("OldId"));
        assert_eq!(id.type_name.as_deref(), Some("guid"));
        assert_eq!(id.occurs, Occurs::OPTIONAL);
        assert_eq!(id.description.as_deref(), Some("Unik nøgle."));
        let name = &thing.children[2];
        assert_eq!(name.length.unwrap().max, Some(100));
        assert_eq!(create.errors.len(), 2);
        assert_eq!(create.errors[0].text.as_deref(), Some("Invalid cpr"));
        assert_eq!(create.rules.len(), 2);
        let update = &d.methods[1];
        assert_eq!(
            update.description.as_deref(),
            Some("Der gælder de samme regler som ved CreateThing.")
        );
        assert_eq!(update.output[0].name, "UpdateThingResponse");
        assert!(update.inferences.iter().any(|i| i.contains("no heading")));
    }
}
