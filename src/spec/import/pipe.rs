//! The pipe-table layout (the sick-leave REST service): Markdown-like tables, one row per line,
//! a row continued on the next line when that line starts with `|`. Cells are split at `|`,
//! except inside an XSD pattern (`Pattern: ((0[1-9]|1[0-9])…)|0000000000 | 1 |`), where only a
//! `|` outside brackets and next to white space (or another `|`) separates cells. Columns are
//! told by content, since rows skip empty columns: a cardinality, `Key: value` details, a type
//! name. Rows that pair an old and a new name (`- | AbsenceItemAbsenceItemType Sygemelding |`)
//! keep the new one and record the old. A method whose heading is cut off ("...") is named from
//! its request DTO (`CreateSygemeldingRequestDto`). The main entry is [`parse`].

use std::collections::BTreeMap;

use crate::spec::model::{AccessLevel, AccessRow, Layout, OrganisationType};
use crate::spec::provenance::Provenance;

use super::cells::{access_level, error_code};
use super::text::{
    Details, detail_key, is_blank, is_ident, norm, occurs_cell, parse_heading, split_location,
    split_markers,
};
use super::tree::{self, Row};
use super::{ImportError, MethodDraft, ServiceDraft, malformed};

/// Splits a table line into cells (see the module docs for patterns).
pub(crate) fn split_cells(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let (mut depth, mut in_class, mut escaped) = (0i32, false, false);
    for (i, &c) in chars.iter().enumerate() {
        let in_pattern = cell.trim_start().starts_with("Pattern:");
        if c == '|' && !escaped {
            let separates = if in_pattern {
                let prev = i.checked_sub(1).map(|p| chars[p]);
                let next = chars.get(i + 1).copied();
                depth <= 0
                    && !in_class
                    && (prev.is_none_or(char::is_whitespace)
                        || next.is_none_or(|n| n.is_whitespace() || n == '|'))
            } else {
                true
            };
            if separates {
                cells.push(cell.trim().to_string());
                cell.clear();
                (depth, in_class) = (0, false);
                continue;
            }
        }
        if in_pattern && !escaped {
            match c {
                '\\' => escaped = true,
                '[' => in_class = true,
                ']' => in_class = false,
                '(' if !in_class => depth += 1,
                ')' if !in_class => depth -= 1,
                _ => {}
            }
        } else {
            escaped = false;
        }
        cell.push(c);
    }
    if !cell.trim().is_empty() || cells.is_empty() {
        cells.push(cell.trim().to_string());
    }
    cells
}

/// A line of the document with its continuation lines joined.
struct Logical {
    line: usize,
    /// The last physical line joined into this one.
    end: usize,
    text: String,
}

fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('|')
            && let Some(prev) = out.last_mut()
            && prev.text.contains('|')
        {
            prev.text.push(' ');
            prev.text.push_str(t);
            prev.end = i + 1;
            continue;
        }
        out.push(Logical {
            line: i + 1,
            end: i + 1,
            text: t.to_string(),
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    None,
    Access,
    Fields,
    Errors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Description,
    Scope,
    Input,
    Output,
    Errors,
}

/// Reads a pipe-table document.
pub(crate) fn parse(file: &str, text: &str) -> Result<ServiceDraft, ImportError> {
    let lines = logical_lines(text);
    let known_headers = header_rows(file, &lines);
    let mut draft = ServiceDraft {
        service: String::new(),
        version: String::new(),
        layout: Layout::PipeTables,
        former_names: Vec::new(),
        inferences: Vec::new(),
        methods: Vec::new(),
    };
    let mut reader = Reader {
        file,
        known_headers: &known_headers,
        method: None,
        section: Section::Description,
        table: Table::None,
        columns: Vec::new(),
        rows: Vec::new(),
        methods: Vec::new(),
        output_note: None,
    };
    for (k, l) in lines.iter().enumerate() {
        if k == 0
            && l.text.contains("(Version")
            && let Some(name) = l.text.split_whitespace().next().filter(|n| is_ident(n))
        {
            draft.service = name.to_string();
            draft.version = l.text.clone();
            continue;
        }
        reader.line(l)?;
    }
    reader.finish_method()?;
    draft.methods = reader.methods;
    if draft.service.is_empty() {
        let first = draft.methods.first().map(|m| m.name.clone());
        let stem = first.as_deref().map(strip_verb).unwrap_or("Unnamed");
        draft.service = format!("{stem}Service");
        draft.inferences.push(format!(
            "the excerpt has no service heading and no version line; the service name {} is \
             inferred from the first method ({})",
            draft.service,
            first.as_deref().unwrap_or("none")
        ));
    }
    Ok(draft)
}

fn strip_verb(name: &str) -> &str {
    for verb in ["Create", "Update", "Delete", "Get", "Save", "Register"] {
        if let Some(rest) = name.strip_prefix(verb)
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return rest;
        }
    }
    name
}

/// Well-formed header and path rows anywhere in the document, by name: used to repair a row in
/// which an older table's rows are merged with one of them.
fn header_rows(file: &str, lines: &[Logical]) -> BTreeMap<String, Row> {
    let mut out = BTreeMap::new();
    for l in lines {
        let cells = split_cells(&l.text);
        if cells.len() < 2 || !(cells[0].ends_with("[Header]") || cells[0].ends_with("[Path]")) {
            continue;
        }
        if let Ok(parsed) = parse_row(file, l, &cells)
            && parsed.extras.is_empty()
        {
            out.entry(parsed.row.name.clone()).or_insert(parsed.row);
        }
    }
    out
}

struct Reader<'a> {
    file: &'a str,
    known_headers: &'a BTreeMap<String, Row>,
    method: Option<MethodDraft>,
    section: Section,
    table: Table,
    columns: Vec<Option<AccessLevel>>,
    rows: Vec<Row>,
    methods: Vec<MethodDraft>,
    /// "Intet output" above an output table.
    output_note: Option<String>,
}

impl Reader<'_> {
    fn method(&mut self, line: usize) -> &mut MethodDraft {
        self.method.get_or_insert_with(|| MethodDraft {
            line,
            ..MethodDraft::default()
        })
    }

    fn line(&mut self, l: &Logical) -> Result<(), ImportError> {
        let t = l.text.as_str();
        if t == "..." || t == "…" {
            self.end_table();
            return Ok(());
        }
        if t.trim_start_matches('|').starts_with("---") {
            return Ok(());
        }
        if t.contains('|') {
            return self.table_line(l);
        }
        self.end_table();
        match t {
            "Scope" => {
                if self.method.as_ref().is_some_and(|m| m.scope.is_some()) {
                    self.finish_method()?;
                }
                self.section = Section::Scope;
                return Ok(());
            }
            "Input" => {
                if self.method.as_ref().is_some_and(|m| !m.input.is_empty()) {
                    self.finish_method()?;
                }
                self.section = Section::Input;
                return Ok(());
            }
            "Output" => {
                self.method(l.line).saw_output = true;
                self.section = Section::Output;
                return Ok(());
            }
            "Fejlkoder" => {
                self.method(l.line).saw_errors = true;
                self.section = Section::Errors;
                return Ok(());
            }
            _ => {}
        }
        if let Some(h) = parse_heading(t) {
            self.finish_method()?;
            let m = self.method(l.line);
            m.name = h.name;
            m.former_names = h.former_names;
            m.withdrawn = h.withdrawn;
            m.rest = h.rest;
            self.section = Section::Description;
            return Ok(());
        }
        match self.section {
            Section::Scope => {
                let m = self.method(l.line);
                let mut scope = norm(t);
                if let Some(rest) = scope.strip_prefix("Ikke defineret")
                    && !rest.is_empty()
                {
                    m.inferences.push(format!(
                        "the scope reads {scope:?}: the old value \"Ikke defineret\" glued to the \
                         new one (a page-diff artifact); {rest:?} is kept"
                    ));
                    scope = rest.trim().to_string();
                }
                m.scope = (scope != "Ikke defineret").then_some(scope);
                self.section = Section::Description;
            }
            Section::Description => {
                let m = self.method(l.line);
                let text = norm(t);
                m.description = Some(match m.description.take() {
                    Some(d) => format!("{d}\n\n{text}"),
                    None => text,
                });
            }
            Section::Output if t.to_lowercase().contains("output") => {
                // "Intet output": a table may still follow; then the table is kept.
                self.output_note = Some(norm(t));
            }
            Section::Errors if t.to_lowercase().contains("ingen") => {}
            _ => {
                return Err(malformed(
                    self.file,
                    l.line,
                    format!("unexpected text {t:?}"),
                ));
            }
        }
        Ok(())
    }

    fn table_line(&mut self, l: &Logical) -> Result<(), ImportError> {
        let cells = split_cells(&l.text);
        let first = cells.first().map(String::as_str).unwrap_or("");
        let is_access_header = access_level(first).is_some()
            || (first.is_empty() && cells.len() > 1 && access_level(&cells[1]).is_some());
        if is_access_header {
            self.end_table();
            if self
                .method
                .as_ref()
                .is_some_and(|m| !m.access.is_empty() || !m.input.is_empty())
            {
                self.finish_method()?;
            }
            self.method(l.line);
            let skip = usize::from(first.is_empty());
            self.columns = cells[skip..].iter().map(|c| access_level(c)).collect();
            self.table = Table::Access;
            return Ok(());
        }
        if first == "Element" {
            self.end_table();
            self.table = Table::Fields;
            let extras: Vec<&str> = cells
                .iter()
                .skip(5)
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            if !extras.is_empty() {
                let m = self.method(l.line);
                m.inferences.push(format!(
                    "the table header at line {} carries a row of an older table ({}); it is dropped",
                    l.line,
                    extras.join(" | ")
                ));
            }
            return Ok(());
        }
        if first == "Fejlkode" {
            self.end_table();
            self.table = Table::Errors;
            return Ok(());
        }
        match self.table {
            Table::Access => self.access_row(l, &cells),
            Table::Fields => self.field_row(l, &cells),
            Table::Errors => self.error_row(l, &cells),
            Table::None => Err(malformed(
                self.file,
                l.line,
                "a table row outside any table",
            )),
        }
    }

    fn access_row(&mut self, l: &Logical, cells: &[String]) -> Result<(), ImportError> {
        let organisation = OrganisationType::parse(&cells[0]).ok_or_else(|| {
            malformed(
                self.file,
                l.line,
                format!("expected an organisation type, found {:?}", cells[0]),
            )
        })?;
        let mut levels = Vec::new();
        for (k, cell) in cells.iter().enumerate().skip(1) {
            match cell.as_str() {
                "" => {}
                "X" | "x" => match self.columns.get(k - 1).copied().flatten() {
                    Some(level) => levels.push(level),
                    None => {
                        return Err(malformed(
                            self.file,
                            l.line,
                            format!("{organisation}: an X outside the access-level columns"),
                        ));
                    }
                },
                other => {
                    return Err(malformed(
                        self.file,
                        l.line,
                        format!("expected X or a blank cell, found {other:?}"),
                    ));
                }
            }
        }
        if !levels.is_empty() {
            let at = Some(Provenance::span(self.file, l.line, l.end));
            self.method(l.line).access.push(AccessRow {
                organisation,
                levels,
                at,
            });
        }
        Ok(())
    }

    fn field_row(&mut self, l: &Logical, cells: &[String]) -> Result<(), ImportError> {
        let parsed = parse_row(self.file, l, cells)?;
        if parsed.extras.is_empty() {
            self.rows.push(parsed.row);
            return Ok(());
        }
        // A row merged with rows of an older table: keep a header or path field it names (with
        // the definition the document gives it elsewhere), drop the rest.
        let mut salvaged = Vec::new();
        for cell in cells {
            let Some(before) = cell
                .strip_suffix("[Header]")
                .or_else(|| cell.strip_suffix("[Path]"))
            else {
                continue;
            };
            let before = before.trim();
            let best = self
                .known_headers
                .iter()
                .filter_map(|(name, row)| {
                    (0..name.len())
                        .filter(|&k| name.is_char_boundary(k))
                        .map(|k| &name[k..])
                        .find(|suffix| suffix.len() >= 10 && before.ends_with(suffix))
                        .map(|suffix| (suffix.len(), row))
                })
                .max_by_key(|(len, _)| *len);
            if let Some((_, row)) = best {
                let mut row = row.clone();
                row.line = l.line;
                row.depth = 0;
                salvaged.push(row);
            }
        }
        let names: Vec<String> = salvaged.iter().map(|r| r.name.clone()).collect();
        let mut dropped = vec![parsed.row.name.clone()];
        dropped.extend(
            parsed
                .extras
                .iter()
                .filter(|c| split_markers(c).depth > 0)
                .map(|c| split_markers(c).rest.to_string()),
        );
        let m = self.method(l.line);
        m.inferences.push(format!(
            "the row at line {} merges rows of an older table ({}){}; {}",
            l.line,
            dropped.join(", "),
            if names.is_empty() {
                String::new()
            } else {
                format!(" with the header {}", names.join(", "))
            },
            if names.is_empty() {
                "it is dropped".to_string()
            } else {
                "the header's definition is taken from where the document gives it in full, \
                 the old rows are dropped"
                    .to_string()
            }
        ));
        self.rows.extend(salvaged);
        Ok(())
    }

    fn error_row(&mut self, l: &Logical, cells: &[String]) -> Result<(), ImportError> {
        let code: u32 = cells[0].parse().map_err(|_| {
            malformed(
                self.file,
                l.line,
                format!("expected an error code, found {:?}", cells[0]),
            )
        })?;
        let column = |k: usize| cells.get(k).map(|c| norm(c)).filter(|c| !c.is_empty());
        let mut error = error_code(code, column(1), column(2));
        error.at = Some(Provenance::span(self.file, l.line, l.end));
        self.method(l.line).errors.push(error);
        Ok(())
    }

    /// Ends the current table, nesting its rows into the method.
    fn end_table(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        if self.table == Table::Fields && !rows.is_empty() {
            let section = self.section;
            let line = rows[0].line;
            let note = self.output_note.take();
            let m = self.method(line);
            let (target, what) = match section {
                Section::Output => (&mut m.output, "output"),
                _ => (&mut m.input, "input"),
            };
            let fields = tree::build(rows, what, &mut m.inferences);
            if let (Section::Output, Some(note), Some(table)) = (section, note, fields.first()) {
                m.inferences.push(format!(
                    "the output is noted as {note:?}, yet a table ({}) follows; the table is kept",
                    table.name
                ));
            }
            target.extend(fields);
        }
        self.table = Table::None;
    }

    fn finish_method(&mut self) -> Result<(), ImportError> {
        self.end_table();
        let Some(mut m) = self.method.take() else {
            return Ok(());
        };
        if m.name.is_empty() {
            let dto = m
                .input
                .iter()
                .find(|f| f.name == "requestBody")
                .and_then(|f| f.type_name.clone());
            let name = dto
                .as_deref()
                .and_then(|t| t.strip_suffix("RequestDto"))
                .filter(|n| is_ident(n))
                .ok_or_else(|| {
                    malformed(
                        self.file,
                        m.line,
                        "a method without a heading and without a request DTO to name it by",
                    )
                })?;
            m.inferences.insert(
                0,
                format!(
                    "the heading is cut off in the excerpt; the method name is inferred from the \
                     request DTO {}",
                    dto.as_deref().unwrap_or_default()
                ),
            );
            m.name = name.to_string();
        }
        self.section = Section::Description;
        self.methods.push(m);
        Ok(())
    }
}

struct ParsedRow {
    row: Row,
    /// Cells left over once the row's columns are read: the row is merged with others.
    extras: Vec<String>,
}

/// Reads one field row from its cells.
fn parse_row(file: &str, l: &Logical, cells: &[String]) -> Result<ParsedRow, ImportError> {
    let marked = split_markers(&cells[0]);
    let depth = marked.depth;
    let (name_cell, rest) = if marked.rest.trim().is_empty() && depth > 0 {
        (
            cells.get(1).map(String::as_str).unwrap_or(""),
            &cells[2.min(cells.len())..],
        )
    } else {
        (marked.rest, &cells[1..])
    };
    let (name, former_name) = old_and_new(name_cell);
    let (name, location) = split_location(&name);
    if name.is_empty() {
        return Err(malformed(
            file,
            l.line,
            "a table row without an element name",
        ));
    }
    let mut details = Details::default();
    let mut type_name = None;
    let mut occurs = None;
    let mut description = None;
    let mut extras = Vec::new();
    for cell in rest {
        let cell = cell.trim();
        if cell.is_empty() || is_blank(cell) {
            continue;
        }
        if occurs.is_none() {
            if let Some(o) = occurs_cell(cell) {
                occurs = Some(o);
                continue;
            }
            if detail_key(cell).is_some() {
                details
                    .apply_line(cell)
                    .map_err(|e| malformed(file, l.line, format!("{name}: {}", e.0)))?;
                continue;
            }
            let words: Vec<&str> = cell.split_whitespace().collect();
            if type_name.is_none() && words.len() <= 2 && words.iter().all(|w| is_ident(w)) {
                type_name = Some(norm(cell));
                continue;
            }
        } else if description.is_none() && split_markers(cell).depth == 0 {
            description = Some(norm(cell));
            continue;
        }
        extras.push(cell.to_string());
    }
    let occurs = match occurs {
        Some(o) => o,
        None if !extras.is_empty() => crate::spec::model::Occurs::ONE,
        None => {
            return Err(malformed(
                file,
                l.line,
                format!("{name}: no Forekomst (cardinality)"),
            ));
        }
    };
    Ok(ParsedRow {
        row: Row {
            line: l.line,
            depth,
            name,
            former_name,
            location,
            type_name,
            details,
            occurs,
            description,
            at: Some(Provenance::span(file, l.line, l.end)),
        },
        extras,
    })
}

/// `AbsenceItemAbsenceItemType Sygemelding` is the old name (glued to its old type) and the
/// new one; a single word is just the name.
fn old_and_new(cell: &str) -> (String, Option<String>) {
    let cell = norm(cell);
    let (location_free, tag) = match cell.find(" [") {
        Some(k) => (cell[..k].to_string(), cell[k..].to_string()),
        None => (cell.clone(), String::new()),
    };
    let words: Vec<&str> = location_free.split(' ').collect();
    if words.len() == 2 && words.iter().all(|w| is_ident(w)) {
        let old = strip_glued_type(words[0]);
        return (format!("{}{tag}", words[1]), Some(old.to_string()));
    }
    (cell, None)
}

/// `AbsenceItemAbsenceItemType` → `AbsenceItem` (a name glued to its own `…Type`).
pub(crate) fn strip_glued_type(s: &str) -> &str {
    if let Some(body) = s.strip_suffix("Type")
        && body.len() % 2 == 0
        && body.is_char_boundary(body.len() / 2)
    {
        let (a, b) = body.split_at(body.len() / 2);
        if a == b && !a.is_empty() {
            return &s[..a.len()];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{FieldLocation, HttpVerb, Occurs};

    #[test]
    fn patterns_keep_their_pipes() {
        let cells = split_cells(
            "x-cpr [Header] | string | Pattern: ((0[1-9]|1[0-9])[0-9]{8})|0000000000 | 1 | Cpr |",
        );
        assert_eq!(
            cells,
            [
                "x-cpr [Header]",
                "string",
                "Pattern: ((0[1-9]|1[0-9])[0-9]{8})|0000000000",
                "1",
                "Cpr"
            ]
        );
        let cells = split_cells(
            r"- E | T | Pattern: ([^>\(\)\[\]\\,;:@\s]{0,191}@[^|]{1,64}) | 0 - 1 | x |",
        );
        assert_eq!(
            cells[2],
            r"Pattern: ([^>\(\)\[\]\\,;:@\s]{0,191}@[^|]{1,64})"
        );
        assert_eq!(
            split_cells("A-kasse | X | |||"),
            ["A-kasse", "X", "", "", ""]
        );
    }

    #[test]
    fn old_and_new_names() {
        assert_eq!(
            old_and_new("AbsenceItemAbsenceItemType Sygemelding"),
            ("Sygemelding".into(), Some("AbsenceItem".into()))
        );
        assert_eq!(
            old_and_new("CVRnumberIdentifier cvrEnhedsid"),
            ("cvrEnhedsid".into(), Some("CVRnumberIdentifier".into()))
        );
        assert_eq!(
            old_and_new("x-requestId [Header]"),
            ("x-requestId [Header]".into(), None)
        );
    }

    const EXCERPT: &str = "...
Alle borgere | Egne borgere | Tidligere egne borgere | Gæsteadgang | Anden Aktør - egne borgere | Anden Aktør - gæsteadgang | Anden Aktør - alle borgere | System - alle borgere | |
---|---|---|---|---|---|---|---|---|
A-kasse | X | |||||||
JobCenter | X | X | ||||||
Scope
demo.write
Input
Element | Type | Detaljer | Forekomst | Beskrivelse |
---|---|---|---|---|
x-requestId [Header] | string |
| 1 | Unikt id. Max længde for id'et er 46 chars |
requestBody | CreateThingRequestDto | 1 | ||
- Thing | ThingType | 1 | Tingen. | |
- - Kind | 1 | Art. |
...
Alle borgere | Egne borgere | Tidligere egne borgere | Gæsteadgang | Anden Aktør - egne borgere | Anden Aktør - gæsteadgang | Anden Aktør - alle borgere | System - alle borgere | |
---|---|---|---|---|---|---|---|---|
STAR | X |
Scope
demo.write
Input
Element | Type | Detaljer | Forekomst | Beskrivelse | |
---|---|---|---|---|---|
id [Path] | uuid |
| 1 |
| |
requestBody | UpdateThingRequestDto | 1 | |||
- | ItemItemType Thing | ThingType | 1 | Tingen. | |
Output
Intet output
Fejlkoder
Fejlkode | Fejltekst | Beskrivelse |
---|---|---|
4322 | Too late | Too late |
5018 | Not allowed | Update is not allowed |
DeleteThing (DELETE/v1/thing) (Tidl. RemoveThing)
Sletter.
...
Alle borgere | Egne borgere | Tidligere egne borgere | Gæsteadgang | Anden Aktør - egne borgere | Anden Aktør - gæsteadgang | Anden Aktør - alle borgere | System - alle borgere | |
---|---|---|---|---|---|---|---|---|
STAR | X |
Scope
Ikke defineretdemo.delete
Input
Element | Type | Detaljer | Forekomst | Beskrivelse | OldRequest | OldRequestType | 1 | |||
---|---|---|---|---|---|---|---|---|---|---|
- Old | OldType-requestId [Header] | string | 1 | Old. | - Older | OlderType | 1 | x |
requestBody | DeleteThingRequestDto | 1 | |||
";

    #[test]
    fn reads_cut_headings_renames_and_merged_rows() {
        let d = parse("demo.txt", EXCERPT).unwrap();
        assert_eq!(d.service, "ThingService");
        let names: Vec<_> = d.methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["CreateThing", "UpdateThing", "DeleteThing"]);
        let create = &d.methods[0];
        assert!(create.inferences[0].contains("CreateThingRequestDto"));
        assert_eq!(create.access.len(), 2);
        assert_eq!(
            create.access[1].levels,
            [AccessLevel::AlleBorgere, AccessLevel::EgneBorgere]
        );
        assert_eq!(create.input[0].name, "x-requestId");
        assert_eq!(create.input[0].location, FieldLocation::Header);
        assert_eq!(create.input[1].children[0].children[0].name, "Kind");
        assert_eq!(create.input[1].children[0].children[0].type_name, None);
        let update = &d.methods[1];
        assert_eq!(update.input[0].location, FieldLocation::Path);
        assert_eq!(update.input[0].occurs, Occurs::ONE);
        let thing = &update.input[1].children[0];
        assert_eq!(
            (thing.name.as_str(), thing.former_name.as_deref()),
            ("Thing", Some("Item"))
        );
        assert_eq!(update.errors.len(), 2);
        assert_eq!(update.errors[0].description, None);
        assert_eq!(
            update.errors[1].description.as_deref(),
            Some("Update is not allowed")
        );
        let delete = &d.methods[2];
        assert_eq!(delete.rest, Some((HttpVerb::Delete, "/v1/thing".into())));
        assert_eq!(delete.former_names, ["RemoveThing"]);
        assert_eq!(delete.scope.as_deref(), Some("demo.delete"));
        assert_eq!(delete.input[0].name, "x-requestId");
        assert_eq!(delete.input[1].name, "requestBody");
        assert!(
            delete.inferences.iter().any(|i| i.contains("older table")),
            "{:?}",
            delete.inferences
        );
    }
}
