//! The cell-per-line layout (PersonRegistrationService, YdelsesVisiteringService,
//! BorgerFlytteService): every table cell stands on its own line(s), cells are separated by
//! empty lines, and a blank cell is a line of non-breaking spaces. A field row is element, type
//! (optionally followed by `Base: …`), details (`Pattern: …`, `Length: 1-100`, …, or blank),
//! cardinality and a description of any number of paragraphs; its depth is the number of `-`
//! markers before the element name. Header rows are printed twice. The main entry is [`parse`].

use crate::spec::model::{AccessLevel, AccessRow, ErrorCode, Layout, OrganisationType};
use crate::spec::provenance::Provenance;

use super::text::{
    self, Details, detail_key, is_blank, is_ident, norm, occurs_cell, parse_heading, split_former,
    split_location, split_markers,
};
use super::tree::{self, Row};
use super::{ImportError, MethodDraft, ServiceDraft, malformed};

/// A group of consecutive non-empty lines: one table cell or one paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub line: usize,
    /// The lines, trailing white space removed; empty for a blank cell.
    pub lines: Vec<String>,
    /// The lines on one line, white space collapsed.
    joined: String,
    /// How many document lines the cell takes, blank ones included.
    height: usize,
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        self.lines.is_empty()
    }

    /// The cell's text on one line, white space collapsed.
    pub fn text(&self) -> String {
        self.joined.clone()
    }

    fn as_str(&self) -> &str {
        &self.joined
    }

    /// The last line the cell takes (a blank cell takes its one line).
    pub fn last_line(&self) -> usize {
        self.line + self.height.saturating_sub(1)
    }

    pub fn first(&self) -> &str {
        self.lines.first().map_or("", String::as_str)
    }
}

/// Splits a text into cells.
pub(crate) fn cells(text: &str) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::new();
    let mut current: Option<Cell> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_matches([' ', '\t', '\r']).is_empty() {
            out.extend(current.take());
            continue;
        }
        let cell = current.get_or_insert_with(|| Cell {
            line: i + 1,
            lines: Vec::new(),
            joined: String::new(),
            height: 0,
        });
        cell.height += 1;
        if !is_blank(line) {
            cell.lines.push(line.trim_end().to_string());
        }
    }
    out.extend(current);
    for c in &mut out {
        c.joined = norm(&c.lines.join(" "));
    }
    out
}

const KEYWORDS: [&str; 6] = [
    "Scope",
    "Input",
    "Output",
    "Fejlkoder",
    "Tilladte organisationer",
    "Metoder",
];
const TABLE_HEADERS: [&str; 8] = [
    "Element",
    "Type",
    "Detaljer",
    "Forekomst",
    "Beskrivelse",
    "Fejlkode",
    "Fejltekst",
    "",
];

fn is_keyword(c: &Cell) -> bool {
    c.lines.len() == 1 && KEYWORDS.contains(&c.first().trim())
}

fn is_code(c: &Cell) -> bool {
    let t = c.as_str();
    (3..=6).contains(&t.len()) && t.chars().all(|ch| ch.is_ascii_digit())
}

/// A cell that belongs to a table rather than to prose.
fn is_structural(c: &Cell) -> bool {
    let t = c.as_str();
    c.is_blank()
        || t == "X"
        || is_code(c)
        || TABLE_HEADERS.contains(&t)
        || text::has_marker(c.first())
}

/// Reads a cell-per-line document.
pub(crate) fn parse(file: &str, text: &str) -> Result<ServiceDraft, ImportError> {
    let cells = cells(text);
    let first = cells
        .first()
        .ok_or_else(|| malformed(file, 1, "the document is empty"))?;
    let heading = norm(first.first());
    let service = heading
        .split_whitespace()
        .next()
        .filter(|s| is_ident(s))
        .ok_or_else(|| {
            malformed(
                file,
                first.line,
                format!("expected the service heading, found {heading:?}"),
            )
        })?
        .to_string();
    let mut draft = ServiceDraft {
        service,
        version: heading,
        layout: Layout::Cells,
        former_names: Vec::new(),
        inferences: Vec::new(),
        methods: Vec::new(),
    };
    let headings = find_headings(&cells);
    let prologue_end = headings.first().copied().unwrap_or(cells.len());
    for c in cells.get(1..prologue_end).unwrap_or_default() {
        let t = c.text();
        if let Some(rest) = t.strip_prefix("Tidligere ")
            && let Some(name) = rest.split_whitespace().next()
            && is_ident(name)
        {
            draft.former_names.push(name.to_string());
        }
    }
    for (k, &start) in headings.iter().enumerate() {
        let end = headings.get(k + 1).copied().unwrap_or(cells.len());
        draft.methods.push(parse_method(file, &cells, start, end)?);
    }
    Ok(draft)
}

/// Method headings: a heading line followed, after at most a few paragraphs of description, by
/// "Scope", "Input" or "Tilladte organisationer".
pub(crate) fn find_headings(cells: &[Cell]) -> Vec<usize> {
    let mut heads = Vec::new();
    for (k, c) in cells.iter().enumerate() {
        if !(is_keyword(c) && ["Scope", "Input", "Tilladte organisationer"].contains(&c.first())) {
            continue;
        }
        for j in (k.saturating_sub(4)..k).rev() {
            let cj = &cells[j];
            if is_keyword(cj) || is_structural(cj) {
                break;
            }
            if cj.lines.len() == 1 && parse_heading(cj.first()).is_some() {
                heads.push(j);
                break;
            }
        }
    }
    heads.sort_unstable();
    heads.dedup();
    heads
}

fn parse_method(
    file: &str,
    cells: &[Cell],
    start: usize,
    end: usize,
) -> Result<MethodDraft, ImportError> {
    let head = &cells[start];
    let heading = parse_heading(head.first())
        .ok_or_else(|| malformed(file, head.line, "expected a method heading"))?;
    let mut m = MethodDraft {
        name: heading.name.clone(),
        line: head.line,
        former_names: heading.former_names.clone(),
        withdrawn: heading.withdrawn,
        rest: heading.rest.clone(),
        ..MethodDraft::default()
    };
    let mut i = start + 1;
    let mut description = Vec::new();
    while i < end && !is_keyword(&cells[i]) {
        description.push(cells[i].text());
        i += 1;
    }
    if !description.is_empty() {
        m.description = Some(description.join("\n\n"));
    }
    while i < end {
        let c = &cells[i];
        let keyword = if is_keyword(c) { c.first() } else { "" };
        match keyword {
            "Tilladte organisationer" => {
                let (rows, next) = parse_access(file, cells, i + 1, end)?;
                m.access = rows;
                i = next;
            }
            "Scope" => {
                let value = cells
                    .get(i + 1)
                    .filter(|c| i + 1 < end && !is_keyword(c))
                    .ok_or_else(|| malformed(file, c.line, "Scope without a value"))?;
                let scope = value.text();
                m.scope = (scope != "Ikke defineret" && !scope.is_empty()).then_some(scope);
                i += 2;
            }
            "Input" => {
                let (rows, next) = parse_table(file, cells, i + 1, end)?;
                m.input = tree::build(rows, "input", &mut m.inferences);
                i = next;
            }
            "Output" => {
                m.saw_output = true;
                i += 1;
                let mut note = None;
                if i < end && !is_keyword(&cells[i]) && cells[i].text() != "Element" {
                    // "Intet output", "EmptyResponse": no table follows, or an old one does.
                    note = Some(cells[i].text());
                    i += 1;
                }
                if i < end && cells[i].text() == "Element" {
                    let (rows, next) = parse_table(file, cells, i, end)?;
                    m.output = tree::build(rows, "output", &mut m.inferences);
                    i = next;
                    if let (Some(note), Some(table)) = (note, m.output.first()) {
                        m.inferences.push(format!(
                            "the output is noted as {note:?}, yet a table ({}) follows; the \
                             table is kept",
                            table.name
                        ));
                    }
                }
            }
            "Fejlkoder" => {
                m.saw_errors = true;
                let (errors, next) = parse_errors(file, cells, i + 1, end)?;
                m.errors = errors;
                i = next;
            }
            _ => {
                return Err(malformed(
                    file,
                    c.line,
                    format!(
                        "{}: expected Scope, Input, Output or Fejlkoder, found {:?}",
                        m.name,
                        c.text()
                    ),
                ));
            }
        }
    }
    Ok(m)
}

/// The allowed-organisation table: a corner cell and the access levels (printed twice), then one
/// row per organisation type with an `X` per allowed level.
fn parse_access(
    file: &str,
    cells: &[Cell],
    mut i: usize,
    end: usize,
) -> Result<(Vec<AccessRow>, usize), ImportError> {
    let mut columns: Vec<AccessLevel> = Vec::new();
    while i < end {
        let c = &cells[i];
        if c.is_blank() {
            i += 1;
            continue;
        }
        match access_level(&c.text()) {
            Some(level) => {
                if !columns.contains(&level) {
                    columns.push(level);
                }
                i += 1;
            }
            None => break,
        }
    }
    let mut rows = Vec::new();
    while i < end && !is_keyword(&cells[i]) {
        let c = &cells[i];
        let organisation = OrganisationType::parse(&c.text()).ok_or_else(|| {
            malformed(
                file,
                c.line,
                format!("expected an organisation type, found {:?}", c.text()),
            )
        })?;
        let mut levels = Vec::new();
        for (k, level) in columns.iter().enumerate() {
            let Some(cell) = cells.get(i + 1 + k).filter(|_| i + 1 + k < end) else {
                return Err(malformed(file, c.line, "access row is cut short"));
            };
            match cell.text().as_str() {
                "X" | "x" => levels.push(*level),
                "" => {}
                other => {
                    return Err(malformed(
                        file,
                        cell.line,
                        format!("expected X or a blank cell, found {other:?}"),
                    ));
                }
            }
        }
        let last = cells[i + columns.len()].last_line();
        i += 1 + columns.len();
        if !levels.is_empty() {
            rows.push(AccessRow {
                organisation,
                levels,
                at: Some(Provenance::span(file, c.line, last)),
            });
        }
    }
    Ok((rows, i))
}

pub(crate) fn access_level(s: &str) -> Option<AccessLevel> {
    let s = norm(s);
    AccessLevel::COLUMNS.into_iter().find(|l| l.as_str() == s)
}

fn is_table_header(c: &Cell) -> bool {
    c.lines.len() == 1 && TABLE_HEADERS[..5].contains(&c.first().trim())
}

/// A field table: header cells, then rows until a keyword or the end of the method.
fn parse_table(
    file: &str,
    cells: &[Cell],
    mut i: usize,
    end: usize,
) -> Result<(Vec<Row>, usize), ImportError> {
    while i < end && is_table_header(&cells[i]) {
        i += 1;
    }
    let mut rows = Vec::new();
    while i < end && !is_keyword(&cells[i]) {
        if !row_starts(cells, i, end) {
            return Err(malformed(
                file,
                cells[i].line,
                format!("expected a table row, found {:?}", cells[i].text()),
            ));
        }
        let (row, next) = parse_row(file, cells, i, end)?;
        rows.push(row);
        i = next;
    }
    Ok((rows, i))
}

fn is_detail_cell(c: &Cell) -> bool {
    !c.is_blank() && c.lines.iter().all(|l| detail_key(l).is_some())
}

fn is_type_cell(c: &Cell) -> bool {
    let Some(first) = c.lines.first() else {
        return false;
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 2
        && words.iter().all(|w| is_ident(w))
        && occurs_cell(first).is_none()
        && detail_key(first).is_none()
        && c.lines[1..].iter().all(|l| detail_key(l).is_some())
}

/// Whether the cell at `i` starts a field row: an element name (with markers, or at the top
/// level), then a type, details and a cardinality.
fn row_starts(cells: &[Cell], i: usize, end: usize) -> bool {
    let c = &cells[i];
    if c.is_blank() || c.lines.len() > 2 {
        return false;
    }
    let marked = split_markers(c.first());
    let (name, _) = split_location(marked.rest);
    if !is_ident(&name) {
        return false;
    }
    if let Some(second) = c.lines.get(1) {
        let second = second.trim();
        if !(second.starts_with('(') && second.ends_with(')')) {
            return false;
        }
    }
    let mut j = i + 1;
    if j < end && is_type_cell(&cells[j]) {
        j += 1;
    }
    let mut details = 0;
    while j < end && details < 3 && (cells[j].is_blank() || is_detail_cell(&cells[j])) {
        j += 1;
        details += 1;
    }
    j < end && occurs_cell(cells[j].as_str()).is_some()
}

fn parse_row(
    file: &str,
    cells: &[Cell],
    i: usize,
    end: usize,
) -> Result<(Row, usize), ImportError> {
    let c = &cells[i];
    let marked = split_markers(c.first());
    let depth = marked.depth;
    let mut name_text = marked.rest.to_string();
    if let Some(second) = c.lines.get(1) {
        name_text = format!("{name_text} {}", second.trim());
    }
    let (name_text, former_name) = split_former(&name_text);
    let (name, location) = split_location(&name_text);
    let mut details = Details::default();
    let detail = |details: &mut Details, line: &str, at: usize| -> Result<(), ImportError> {
        details
            .apply_line(line)
            .map(|_| ())
            .map_err(|e| malformed(file, at, format!("{name}: {}", e.0)))
    };
    let mut j = i + 1;
    let mut type_name = None;
    if j < end && is_type_cell(&cells[j]) {
        let tc = &cells[j];
        type_name = Some(norm(&tc.lines[0]));
        for (k, line) in tc.lines.iter().enumerate().skip(1) {
            detail(&mut details, line, tc.line + k)?;
        }
        j += 1;
    }
    while j < end && (cells[j].is_blank() || is_detail_cell(&cells[j])) {
        for (k, line) in cells[j].lines.iter().enumerate() {
            detail(&mut details, line, cells[j].line + k)?;
        }
        j += 1;
    }
    let occurs = cells
        .get(j)
        .filter(|_| j < end)
        .and_then(|c| occurs_cell(c.as_str()))
        .ok_or_else(|| malformed(file, c.line, format!("{name}: no Forekomst (cardinality)")))?;
    let row_end = cells[j].last_line();
    j += 1;
    let mut paragraphs = Vec::new();
    while j < end && !is_keyword(&cells[j]) && !row_starts(cells, j, end) {
        if !cells[j].is_blank() {
            paragraphs.push(cells[j].text());
        }
        j += 1;
    }
    let row = Row {
        line: c.line,
        depth,
        name,
        former_name,
        location,
        type_name,
        details,
        occurs,
        description: (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n")),
        at: Some(Provenance::span(file, c.line, row_end)),
    };
    Ok((row, j))
}

/// The error table: header cells, then (code, text, description) triplets. A code printed
/// without a text keeps its place with no text.
fn parse_errors(
    file: &str,
    cells: &[Cell],
    mut i: usize,
    end: usize,
) -> Result<(Vec<ErrorCode>, usize), ImportError> {
    let mut errors = Vec::new();
    if i < end && !is_code(&cells[i]) && !is_table_header(&cells[i]) && !is_keyword(&cells[i]) {
        let note = cells[i].text().to_lowercase();
        if note.contains("ingen") {
            return Ok((errors, i + 1));
        }
    }
    while i < end && ["Fejlkode", "Fejltekst", "Beskrivelse"].contains(&cells[i].text().as_str()) {
        i += 1;
    }
    while i < end && !is_keyword(&cells[i]) {
        let c = &cells[i];
        let code: u32 = c
            .as_str()
            .parse()
            .ok()
            .filter(|_| is_code(c))
            .ok_or_else(|| {
                malformed(
                    file,
                    c.line,
                    format!("expected an error code, found {:?}", c.text()),
                )
            })?;
        i += 1;
        let column = |i: &mut usize| -> Option<String> {
            let cell = cells.get(*i).filter(|cell| *i < end && !is_code(cell))?;
            *i += 1;
            (!cell.is_blank()).then(|| cell.text())
        };
        let text = column(&mut i);
        let description = column(&mut i);
        let mut error = error_code(code, text, description);
        error.at = Some(Provenance::span(file, c.line, cells[i - 1].last_line()));
        errors.push(error);
    }
    Ok((errors, i))
}

/// An error code; the description is kept only where it says more than the text.
pub(crate) fn error_code(
    code: u32,
    text: Option<String>,
    description: Option<String>,
) -> ErrorCode {
    let description = description.filter(|d| Some(d) != text.as_ref());
    ErrorCode {
        code,
        text,
        description,
        at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{MethodStatus, Occurs};

    const NB: &str = "\u{a0}";

    fn doc(body: &str) -> String {
        body.replace('~', NB)
    }

    /// A two-method excerpt in the cell layout, with a multi-paragraph description, a blank
    /// error text and a code at the very end of the file.
    fn excerpt() -> String {
        doc("DemoService (Version 2, 2024-1)

Metoder

CreateThing

Denne servicemetode opretter en ting. Der gælder særlige regler.

Scope

Ikke defineret

Input

Element

Type

Detaljer

Forekomst

Beskrivelse

Element

Type

Detaljer

Forekomst

Beskrivelse

CreateThingRequest

CreateThingRequestType

~

1

~

-~~~~PersonCivilRegistrationIdentifier

PersonCivilRegistrationIdentifierType
Base: string

Pattern: [0-9]{10}

1


CivilRegistrationNumber (PNR)

Value space: ten digits
over two lines.

-~~~~Thing

ThingType

~

0 - 1

~

-~~~~-~~~~Name

String_1_256
Base: string

Length: 1-256

1

Navn.

-~~~~-~~~~Kind

CodeListItemIdentifierSimpleType
Base: int

MinInclusive: 0
MaxInclusive: 100

1 - *

~

Fejlkoder

Fejlkode

Fejltekst

Beskrivelse

Fejlkode

Fejltekst

Beskrivelse

1001

Invalid cpr

The submitted cpr is invalid

4762

~

~

DeleteThing

Denne servicemetode er udfaset.

Scope

Ikke defineret

Input

Element

Type

Detaljer

Forekomst

Beskrivelse

DeleteThingRequest

DeleteThingRequestType

~

1

~

-~~~~MessageIdentifier

guid
Base: string

Pattern: [0-9a-f]{8}

1

Id.

Fejlkoder

Fejlkode

Fejltekst

Beskrivelse

9151")
    }

    #[test]
    fn reads_methods_fields_and_codes() {
        let d = parse("demo.txt", &excerpt()).unwrap();
        assert_eq!(d.service, "DemoService");
        assert_eq!(d.version, "DemoService (Version 2, 2024-1)");
        let names: Vec<_> = d.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["CreateThing", "DeleteThing"]);
        let create = &d.methods[0];
        assert_eq!(create.scope, None);
        let request = &create.input[0];
        assert_eq!(request.name, "CreateThingRequest");
        let cpr = &request.children[0];
        assert_eq!(cpr.pattern.as_deref(), Some("[0-9]{10}"));
        assert_eq!(cpr.base.as_deref(), Some("string"));
        assert_eq!(
            cpr.description.as_deref(),
            Some("CivilRegistrationNumber (PNR)\n\nValue space: ten digits over two lines.")
        );
        let thing = &request.children[1];
        assert_eq!(thing.occurs, Occurs::OPTIONAL);
        assert_eq!(thing.children[0].length.unwrap().max, Some(256));
        let kind = &thing.children[1];
        assert_eq!(
            (kind.min_inclusive, kind.max_inclusive),
            (Some(0), Some(100))
        );
        assert_eq!(kind.occurs, Occurs { min: 1, max: None });
        assert_eq!(create.errors.len(), 2);
        assert_eq!(create.errors[1].code, 4762);
        assert_eq!(create.errors[1].text, None);
        let delete = &d.methods[1];
        assert_eq!(delete.errors[0].code, 9151);
        assert_eq!(delete.errors[0].text, None);
        assert_eq!(
            text::status_of(delete.withdrawn, delete.description.as_deref()),
            MethodStatus::Deprecated
        );
    }

    #[test]
    fn access_tables_rest_headings_and_former_names() {
        let text = doc("Demo.RestService (Version 1, 2025-1)

Metoder

GetThing (GET /v1/thing/{id})

Henter en ting.

Tilladte organisationer

~

Alle borgere

Egne borgere

Tidligere egne borgere

Gæsteadgang

Anden Aktør - egne borgere

Anden Aktør - gæsteadgang

Anden Aktør - alle borgere

System - alle borgere

~

Alle borgere

Egne borgere

Tidligere egne borgere

Gæsteadgang

Anden Aktør - egne borgere

Anden Aktør - gæsteadgang

Anden Aktør - alle borgere

System - alle borgere

JobCenter

~

X

~

X

~

~

~

~

STAR

X

~

~

~

~

~

~

~

Scope

thing.read

Input

Element

Type

Detaljer

Forekomst

Beskrivelse

id [Path]

uuid

~

1

~

CreateOther (tidl. SaveOther)

Input

Element

Type

Detaljer

Forekomst

Beskrivelse

CreateOtherRequest
(SaveOtherRequest)

SaveOtherRequestType

~

1

~

-~~~~personnummer
(PersonCivilRegistrationIdentifier)

string

~

1

Personnummer

Fejlkoder

(ingen servicespecifikke)");
        let d = parse("demo.txt", &text).unwrap();
        let get = &d.methods[0];
        assert_eq!(
            get.rest,
            Some((crate::spec::model::HttpVerb::Get, "/v1/thing/{id}".into()))
        );
        assert_eq!(get.scope.as_deref(), Some("thing.read"));
        assert_eq!(get.access.len(), 2);
        assert_eq!(
            get.access[0].levels,
            [AccessLevel::EgneBorgere, AccessLevel::Gaesteadgang]
        );
        assert_eq!(
            get.input[0].location,
            crate::spec::model::FieldLocation::Path
        );
        let create = &d.methods[1];
        assert_eq!(create.former_names, ["SaveOther"]);
        assert_eq!(
            create.input[0].former_name.as_deref(),
            Some("SaveOtherRequest")
        );
        assert_eq!(create.input[0].children[0].name, "personnummer");
        assert!(create.errors.is_empty());
    }

    #[test]
    fn a_row_without_cardinality_is_an_error_with_its_line() {
        let text = doc("DemoService (Version 1)

M1Thing

Input

Element

Type

CreateRequest

CreateRequestType

~

oops");
        let err = parse("bad.txt", &text).unwrap_err().to_string();
        assert!(err.starts_with("bad.txt:"), "{err}");
    }
}
