//! `konform spec import`: reads STAR's service documents (text excerpts of their web pages) into
//! one [`ServiceSpec`] per service. The layout of each document is told from its content:
//! pipe tables ([`pipe`]), one table cell per line ([`cells`]) or a page diff with old and new
//! names side by side ([`diff`]). The main entry points are [`import`] and [`write_specs`].
//!
//! All documents are passed to one import: the diff layout glues old and new names together
//! (`InterviewTimedateTime`, `CaseWorkerResponsibleCaseWorkerStructureType`), and the element and
//! type names of the other documents ([`vocab::Vocabulary`]) tell where to split them.
//!
//! The importer only reads; hand-kept knowledge lives in the overlay. It consults the overlay for
//! one thing: the REST verb and path of a REST method whose excerpt lacks them, because every
//! method needs a binding. That is recorded in the method's `inferences`.

pub(crate) mod cells;
pub(crate) mod diff;
pub(crate) mod pipe;
mod quote;
mod rules;
pub(crate) mod text;
pub(crate) mod tree;
pub(crate) mod vocab;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::spec::model::{
    AccessRow, Binding, ErrorCode, Field, FieldLocation, HttpVerb, Layout, Method, ServiceSpec,
    Transport,
};
use crate::spec::overlay::{Basis, Overlay};

/// One document to import.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name (no folder), as recorded in the spec's `source`.
    pub name: String,
    pub text: String,
}

impl Document {
    pub fn read(path: &Path) -> Result<Document, ImportError> {
        let text = crate::input::read_to_string(path).map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Document { name, text })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{file}: cannot tell the layout: no pipe tables, no cell-per-line tables and no page diff"
    )]
    UnknownLayout { file: String },
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: no methods found")]
    NoMethods { file: String },
    #[error("service {service} comes from two documents: {first} and {second}")]
    DuplicateService {
        service: String,
        first: String,
        second: String,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise service {service}: {message}")]
    Serialise { service: String, message: String },
}

pub(crate) fn malformed(file: &str, line: usize, message: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Tells a document's layout from its content.
pub fn detect_layout(text: &str) -> Option<Layout> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.iter().any(|l| l.trim_start().starts_with("---|")) {
        return Some(Layout::PipeTables);
    }
    // Rows with `-` markers: in the cell layout every cell is followed by an empty line; in the
    // page diff the row's type, details and cardinality follow on the next line.
    let (mut spaced, mut glued) = (0usize, 0usize);
    for (i, line) in lines.iter().enumerate() {
        let m = text::split_markers(line);
        let dashed = line.trim_start_matches([' ', text::NBSP]).starts_with('-');
        if m.depth == 0 || !dashed || m.rest.is_empty() {
            continue;
        }
        match lines.get(i + 1) {
            Some(&"") => spaced += 1,
            Some(_) => glued += 1,
            None => {}
        }
    }
    if glued > spaced {
        Some(Layout::Diff)
    } else if spaced > 0 {
        Some(Layout::Cells)
    } else {
        None
    }
}

/// A method as a layout reader hands it over, before bindings and rule ids are settled.
#[derive(Debug, Clone, Default)]
pub(crate) struct MethodDraft {
    pub name: String,
    /// The line of the heading (or of the table the name was inferred from).
    pub line: usize,
    pub former_names: Vec<String>,
    pub withdrawn: bool,
    pub description: Option<String>,
    pub rest: Option<(HttpVerb, String)>,
    pub scope: Option<String>,
    pub access: Vec<AccessRow>,
    /// Top-level rows as documented (the SOAP body element is unwrapped later).
    pub input: Vec<Field>,
    pub output: Vec<Field>,
    pub errors: Vec<ErrorCode>,
    /// Prose rules read by the layout reader (the diff's "Forretningsregler").
    pub rules: Vec<RuleDraft>,
    pub inferences: Vec<String>,
    /// The SOAP request element where no input table documents it.
    pub request_element: Option<String>,
    /// Whether the excerpt has an Output section (or table) for the method.
    pub saw_output: bool,
    /// Whether the excerpt has a Fejlkoder section (or error table) for the method.
    pub saw_errors: bool,
}

/// A rule before its id is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleDraft {
    pub text: String,
    /// The field the rule is stated on, if any (its name leads the slug).
    pub about: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ServiceDraft {
    pub service: String,
    pub version: String,
    pub layout: Layout,
    pub former_names: Vec<String>,
    pub inferences: Vec<String>,
    pub methods: Vec<MethodDraft>,
}

/// Imports every document. Documents in the diff layout are read last, with the vocabulary of
/// the others.
pub fn import(docs: &[Document], overlay: &Overlay) -> Result<Vec<ServiceSpec>, ImportError> {
    let mut prepared = Vec::new();
    for doc in docs {
        let repaired = text::repair_mojibake(&doc.text);
        let layout = detect_layout(&repaired.text).ok_or_else(|| ImportError::UnknownLayout {
            file: doc.name.clone(),
        })?;
        prepared.push((doc, layout, repaired));
    }
    let mut services: Vec<(usize, ServiceSpec)> = Vec::new();
    for pass_diff in [false, true] {
        let vocabulary = vocab::Vocabulary::from_services(services.iter().map(|(_, s)| s));
        for (index, (doc, layout, repaired)) in prepared.iter().enumerate() {
            if (*layout == Layout::Diff) != pass_diff {
                continue;
            }
            let mut draft = match layout {
                Layout::PipeTables => pipe::parse(&doc.name, &repaired.text)?,
                Layout::Cells => cells::parse(&doc.name, &repaired.text)?,
                Layout::Diff => diff::parse(&doc.name, &repaired.text, &vocabulary)?,
            };
            draft
                .inferences
                .splice(0..0, repaired.notes.iter().cloned());
            if draft.methods.is_empty() {
                return Err(ImportError::NoMethods {
                    file: doc.name.clone(),
                });
            }
            let starts: Vec<quote::MethodLine> = draft
                .methods
                .iter()
                .map(|m| quote::MethodLine {
                    name: m.name.clone(),
                    line: m.line,
                })
                .collect();
            let mut spec = finalize(draft, &doc.name, overlay);
            quote::quote_service(&mut spec, &repaired.text, &starts);
            if let Some((_, other)) = services.iter().find(|(_, s)| s.service == spec.service) {
                return Err(ImportError::DuplicateService {
                    service: spec.service.clone(),
                    first: other.source.clone(),
                    second: spec.source.clone(),
                });
            }
            services.push((index, spec));
        }
    }
    services.sort_by_key(|(i, _)| *i);
    Ok(services.into_iter().map(|(_, s)| s).collect())
}

/// The file a service is written to inside the spec folder.
pub fn file_name(service: &str) -> String {
    format!("{service}.yaml")
}

/// The YAML text of one service file.
pub fn render(spec: &ServiceSpec) -> Result<String, ImportError> {
    let body = serde_saphyr::to_string(spec).map_err(|e| ImportError::Serialise {
        service: spec.service.clone(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "# Generated by `konform spec import` from {}. Do not edit: re-import instead, and keep\n\
         # hand-made knowledge in overlay.yaml.\n{body}",
        spec.source
    ))
}

/// Writes one file per service into `dir` (created if missing). The overlay is never written.
pub fn write_specs(dir: &Path, services: &[ServiceSpec]) -> Result<Vec<PathBuf>, ImportError> {
    std::fs::create_dir_all(dir).map_err(|source| ImportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for spec in services {
        let path = dir.join(file_name(&spec.service));
        let text = render(spec)?;
        std::fs::write(&path, text).map_err(|source| ImportError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Settles bindings (unwrapping SOAP body elements), rule ids and renames carried across methods.
fn finalize(draft: ServiceDraft, source: &str, overlay: &Overlay) -> ServiceSpec {
    let mut methods: Vec<Method> = draft
        .methods
        .into_iter()
        .map(|m| finalize_method(m, overlay))
        .collect();
    carry_renames(&mut methods);
    let transport = if methods
        .iter()
        .any(|m| m.binding.transport() == Transport::Rest)
    {
        Transport::Rest
    } else {
        Transport::Soap
    };
    ServiceSpec {
        service: draft.service,
        version: draft.version,
        layout: draft.layout,
        source: source.to_string(),
        transport,
        former_names: draft.former_names,
        inferences: draft.inferences,
        rules: Vec::new(),
        methods,
    }
}

fn finalize_method(mut m: MethodDraft, overlay: &Overlay) -> Method {
    let is_rest = m.rest.is_some()
        || m.input
            .iter()
            .any(|f| f.location != FieldLocation::Body || f.name == "requestBody");
    let binding = if let Some((verb, path)) = m.rest.take() {
        Binding::Rest { verb, path }
    } else if is_rest {
        match overlay.rest_paths.get(&m.name) {
            Some(rp) => {
                m.inferences.push(format!(
                    "the excerpt gives no REST verb and path; {} {} is taken from the overlay's \
                     rest_paths ({}; the reason is given there)",
                    rp.verb.as_str(),
                    rp.path,
                    basis_kind(&rp.basis)
                ));
                Binding::Rest {
                    verb: rp.verb,
                    path: rp.path.clone(),
                }
            }
            None => {
                let verb = verb_from_name(&m.name);
                m.inferences.push(format!(
                    "the excerpt gives no REST verb and path and the overlay has no rest_paths \
                     entry; the verb {} is guessed from the name and the path is unknown",
                    verb.as_str()
                ));
                Binding::Rest {
                    verb,
                    path: String::new(),
                }
            }
        }
    } else {
        let request_element = match unwrap_element(&mut m.input) {
            Some(name) => name,
            None => match m.request_element.take() {
                Some(name) => name,
                None => {
                    let name = format!("{}Request", m.name);
                    m.inferences.push(format!(
                        "no input table; the request element is assumed to be {name}"
                    ));
                    name
                }
            },
        };
        let response_element = unwrap_element(&mut m.output);
        Binding::Soap {
            action: m.name.clone(),
            request_element,
            response_element,
        }
    };
    // "Max længde for id'et er 46 chars" in a description is the field's length.
    tree::walk_mut(&mut m.input, "", &mut |_, f| {
        if f.length.is_none()
            && let Some(max) = f.description.as_deref().and_then(rules::max_length_in)
        {
            f.length = Some(crate::spec::model::LengthBound {
                min: None,
                max: Some(max),
            });
        }
    });
    if !m.saw_output {
        m.inferences
            .push("the excerpt shows no output for this method".to_string());
    }
    if !m.saw_errors {
        m.inferences.push(
            "the excerpt shows no error codes section for this method; none are documented here"
                .to_string(),
        );
    }
    let rules = rules::settle(&m);
    let status = text::status_of(m.withdrawn, m.description.as_deref());
    Method {
        name: m.name,
        former_names: m.former_names,
        status,
        description: m.description,
        binding,
        scope: m.scope,
        access: m.access,
        input: m.input,
        output: m.output,
        errors: m.errors,
        rules,
        inferences: m.inferences,
    }
}

/// A SOAP table documents the body element as its one top-level row; the spec's fields are its
/// children. Returns the element's name.
fn unwrap_element(fields: &mut Vec<Field>) -> Option<String> {
    if fields.len() != 1 {
        return None;
    }
    let element = fields.pop()?;
    *fields = element.children;
    Some(element.name)
}

fn verb_from_name(name: &str) -> HttpVerb {
    if name.starts_with("Get") {
        HttpVerb::Get
    } else if name.starts_with("Update") {
        HttpVerb::Put
    } else if name.starts_with("Delete") {
        HttpVerb::Delete
    } else {
        HttpVerb::Post
    }
}

fn basis_kind(basis: &Basis) -> &'static str {
    match basis {
        Basis::Assumption { .. } => "an assumption",
        Basis::OutsideFact { .. } => "an outside fact",
    }
}

/// Where one method documents a rename (UpdateSygemelding pairs the English and Danish names),
/// a field of the same name under a parent of the same name in another method of the service
/// is the same field: it gets the same former name, and the method says so.
fn carry_renames(methods: &mut [Method]) {
    let mut renames: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for m in methods.iter_mut() {
        let name = m.name.clone();
        for fields in [&mut m.input, &mut m.output] {
            tree::walk_mut(fields, "", &mut |parent, f| {
                if let Some(former) = &f.former_name {
                    renames
                        .entry((parent.to_string(), f.name.clone()))
                        .or_insert_with(|| (former.clone(), name.clone()));
                }
            });
        }
    }
    for m in methods.iter_mut() {
        let mut carried: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let own = m.name.clone();
        for fields in [&mut m.input, &mut m.output] {
            tree::walk_mut(fields, "", &mut |parent, f| {
                if f.former_name.is_some() {
                    return;
                }
                if let Some((former, from)) = renames.get(&(parent.to_string(), f.name.clone()))
                    && *from != own
                    && *former != f.name
                {
                    f.former_name = Some(former.clone());
                    carried
                        .entry(from.clone())
                        .or_default()
                        .push(format!("{}←{former}", f.name));
                }
            });
        }
        for (from, fields) in carried {
            m.inferences.push(format!(
                "former names carried over from {from}'s rename table (same field under a parent \
                 of the same name): {}",
                fields.join(", ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_told_from_content() {
        let pipe = "Element | Type | Detaljer | Forekomst | Beskrivelse |\n---|---|---|---|---|\n- A | string | 1 | x |\n";
        assert_eq!(detect_layout(pipe), Some(Layout::PipeTables));
        let cells = "Svc (Version 1)\n\nElement\n\nType\n\n-\u{a0}\u{a0}\u{a0}\u{a0}A\n\nstring\n\n\u{a0}\n\n1\n\nx\n";
        assert_eq!(detect_layout(cells), Some(Layout::Cells));
        let diff = "Element\nType\n-\u{a0}\u{a0}\u{a0}\u{a0}AString_1_256\nBase:\u{a0}string\nLength:\u{a0}1-2561Navn.\n";
        assert_eq!(detect_layout(diff), Some(Layout::Diff));
        assert_eq!(detect_layout("just prose\n\nmore prose"), None);
    }

    #[test]
    fn soap_bodies_are_unwrapped_and_rest_paths_come_from_the_overlay() {
        let text = "...\nScope\ndemo.write\nInput\nElement | Type | Detaljer | Forekomst | Beskrivelse |\n---|---|---|---|---|\nx-requestId [Header] | string | | 1 | Unikt id. Max længde for id'et er 46 chars |\nrequestBody | CreateThingRequestDto | 1 | |\n";
        let doc = Document {
            name: "demo.txt".into(),
            text: text.into(),
        };
        let mut overlay = Overlay::default();
        overlay.rest_paths.insert(
            "CreateThing".into(),
            crate::spec::overlay::RestPath {
                verb: HttpVerb::Post,
                path: "/v1/thing".into(),
                basis: Basis::Assumption {
                    reason: "test".into(),
                },
            },
        );
        let services = import(std::slice::from_ref(&doc), &overlay).unwrap();
        let m = &services[0].methods[0];
        assert_eq!(
            m.binding,
            Binding::Rest {
                verb: HttpVerb::Post,
                path: "/v1/thing".into()
            }
        );
        assert_eq!(m.input[0].length.and_then(|l| l.max), Some(46));
        assert!(m.inferences.iter().any(|i| i.contains("rest_paths")));
        let without = import(&[doc], &Overlay::default()).unwrap();
        assert_eq!(
            without[0].methods[0].binding,
            Binding::Rest {
                verb: HttpVerb::Post,
                path: String::new()
            }
        );

        let soap = "Svc (Version 1)\n\nDoThing\n\nScope\n\nIkke defineret\n\nInput\n\nElement\n\nType\n\nDetaljer\n\nForekomst\n\nBeskrivelse\n\nDoThingRequest\n\nDoThingRequestType\n\n\u{a0}\n\n1\n\n\u{a0}\n\n-\u{a0}\u{a0}\u{a0}\u{a0}Name\n\nstring\n\n\u{a0}\n\n1\n\nNavn.\n";
        let services = import(
            &[Document {
                name: "soap.txt".into(),
                text: soap.into(),
            }],
            &Overlay::default(),
        )
        .unwrap();
        let m = &services[0].methods[0];
        assert_eq!(services[0].transport, Transport::Soap);
        assert_eq!(
            m.binding,
            Binding::Soap {
                action: "DoThing".into(),
                request_element: "DoThingRequest".into(),
                response_element: None
            }
        );
        assert_eq!(m.input[0].name, "Name");
        assert_eq!(m.scope, None);
    }
}
