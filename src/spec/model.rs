//! The machine-readable DFDG specification: services, methods, field trees, error codes and
//! prose rules, as `konform spec import` writes them to `specs/<Service>.yaml` and every later
//! stage reads them. The main type here is [`Spec`], the union of all service files plus the
//! hand-kept [`Overlay`](super::overlay::Overlay).
//!
//! A method, abridged:
//!
//! ```yaml
//! - name: CreateYdelse
//!   status: current
//!   binding: { rest: { verb: POST, path: /v1/ydelse } }
//!   scope: visiteringogstatus.ydelse.write
//!   access:
//!     - { organisation: Kommune, levels: [Alle borgere] }
//!   input:
//!     - { name: x-requestId, location: header, type: string, occurs: "1", length: { max: 46 } }
//!     - name: requestBody
//!       type: SaveYdelseRequestDto
//!       occurs: "1"
//!       children:
//!         - { name: kyNoegle, type: string, occurs: "0 - 1", length: { min: 1, max: 100 } }
//!   errors:
//!     - { code: 4669, text: Slutdatoen må ikke ligge før startdatoen, description: ... }
//!   rules:
//!     - { id: CreateYdelse.kth-lovhenvisning, text: ..., codes: [100049] }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::provenance::Provenance;

/// One service document, as imported: `specs/<Service>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The service name as STAR writes it, e.g. `PersonRegistrationService`.
    pub service: String,
    /// The heading line with the version, e.g. `PersonRegistrationService (Version 9, 2024-2)`.
    pub version: String,
    /// Which layout the source document used; kept so a re-import can be checked.
    pub layout: Layout,
    /// The document the spec was imported from (file name only).
    pub source: String,
    /// The service's default transport; a method's binding may still say otherwise.
    pub transport: Transport,
    /// Names the service had before (`Tidligere TransferDataService`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    /// What the importer had to infer rather than read, each said once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferences: Vec<String>,
    /// Service-wide prose rules (the InterviewService "Forretningsregler").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    pub methods: Vec<Method>,
}

/// The three text layouts STAR's pages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Markdown-like pipe tables, one row per line.
    PipeTables,
    /// One table cell per line.
    Cells,
    /// A page diff in which old and new names stand side by side.
    Diff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Rest,
    Soap,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Rest => "rest",
            Transport::Soap => "soap",
        })
    }
}

/// One method of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// The current name as STAR writes it.
    pub name: String,
    /// Former names (`Tidl. CreateRecovery/ReportIllnessRecovery`, `tidl. SaveTransferData`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    pub status: MethodStatus,
    /// The method's description paragraph, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub binding: Binding,
    /// The OAuth2 scope; `None` where the document says "Ikke defineret" or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The allowed-organisation table, where documented (REST services).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<AccessRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input: Vec<Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<Field>,
    /// Documented error codes, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    /// Prose rules of this method, each with a stable id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// What the importer inferred for this method (a cut-off heading, a missing path).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferences: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodStatus {
    Current,
    /// "udfaset", "ikke i brug".
    Deprecated,
    /// "BORTFALDER".
    Withdrawn,
}

/// The code a withdrawn (BORTFALDER) method answers to every call: 4588 "Method cannot be
/// used", the code the documents give deprecated methods (see the README, *The order of checks*).
/// Withdrawn methods document no codes of their own, so it is valid for them besides their
/// documented ones.
pub const WITHDRAWN_CODE: u32 = 4588;

/// How a method is reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Binding {
    Rest {
        verb: HttpVerb,
        /// Path with `{param}` placeholders, e.g. `/v1/ydelse/{ydelsesidentifier}`.
        path: String,
    },
    Soap {
        /// SOAPAction; STAR uses the method name.
        action: String,
        /// The request body element, e.g. `CreatePersonInterviewRequest`.
        request_element: String,
        /// The response body element, where documented.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response_element: Option<String>,
    },
}

impl Binding {
    pub fn transport(&self) -> Transport {
        match self {
            Binding::Rest { .. } => Transport::Rest,
            Binding::Soap { .. } => Transport::Soap,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpVerb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpVerb {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpVerb::Get => "GET",
            HttpVerb::Post => "POST",
            HttpVerb::Put => "PUT",
            HttpVerb::Patch => "PATCH",
            HttpVerb::Delete => "DELETE",
        }
    }
}

/// One row of an allowed-organisation table: an organisation type and the access levels
/// marked with an X.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRow {
    pub organisation: OrganisationType,
    pub levels: Vec<AccessLevel>,
    /// The row of the allowed-organisation table it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

/// The organisation types of the documents' tables, plus Anden Aktør (external operator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OrganisationType {
    #[serde(rename = "A-kasse")]
    AKasse,
    JobCenter,
    Kommune,
    #[serde(rename = "STAR")]
    Star,
    #[serde(rename = "Anden Aktør")]
    AndenAktoer,
}

impl OrganisationType {
    pub const ALL: [OrganisationType; 5] = [
        OrganisationType::AKasse,
        OrganisationType::JobCenter,
        OrganisationType::Kommune,
        OrganisationType::Star,
        OrganisationType::AndenAktoer,
    ];

    /// The name as the documents write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationType::AKasse => "A-kasse",
            OrganisationType::JobCenter => "JobCenter",
            OrganisationType::Kommune => "Kommune",
            OrganisationType::Star => "STAR",
            OrganisationType::AndenAktoer => "Anden Aktør",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }
}

impl fmt::Display for OrganisationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The columns of the allowed-organisation tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AccessLevel {
    #[serde(rename = "Alle borgere")]
    AlleBorgere,
    #[serde(rename = "Egne borgere")]
    EgneBorgere,
    #[serde(rename = "Tidligere egne borgere")]
    TidligereEgneBorgere,
    #[serde(rename = "Gæsteadgang")]
    Gaesteadgang,
    #[serde(rename = "Anden Aktør - egne borgere")]
    AndenAktoerEgneBorgere,
    #[serde(rename = "Anden Aktør - gæsteadgang")]
    AndenAktoerGaesteadgang,
    #[serde(rename = "Anden Aktør - alle borgere")]
    AndenAktoerAlleBorgere,
    #[serde(rename = "System - alle borgere")]
    SystemAlleBorgere,
}

impl AccessLevel {
    /// The columns in the order the documents print them.
    pub const COLUMNS: [AccessLevel; 8] = [
        AccessLevel::AlleBorgere,
        AccessLevel::EgneBorgere,
        AccessLevel::TidligereEgneBorgere,
        AccessLevel::Gaesteadgang,
        AccessLevel::AndenAktoerEgneBorgere,
        AccessLevel::AndenAktoerGaesteadgang,
        AccessLevel::AndenAktoerAlleBorgere,
        AccessLevel::SystemAlleBorgere,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::AlleBorgere => "Alle borgere",
            AccessLevel::EgneBorgere => "Egne borgere",
            AccessLevel::TidligereEgneBorgere => "Tidligere egne borgere",
            AccessLevel::Gaesteadgang => "Gæsteadgang",
            AccessLevel::AndenAktoerEgneBorgere => "Anden Aktør - egne borgere",
            AccessLevel::AndenAktoerGaesteadgang => "Anden Aktør - gæsteadgang",
            AccessLevel::AndenAktoerAlleBorgere => "Anden Aktør - alle borgere",
            AccessLevel::SystemAlleBorgere => "System - alle borgere",
        }
    }
}

/// Where a field travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldLocation {
    /// In the JSON body or the SOAP body element.
    #[default]
    Body,
    Header,
    Path,
    Query,
}

impl FieldLocation {
    fn is_body(&self) -> bool {
        *self == FieldLocation::Body
    }
}

/// A node of an input or output field tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The current name.
    pub name: String,
    /// The name the element had before (diff layout, Danish/English pairs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_name: Option<String>,
    #[serde(default, skip_serializing_if = "FieldLocation::is_body")]
    pub location: FieldLocation,
    /// The type as written (`PersonCivilRegistrationIdentifierType`, `dateTime`, `guid`), if any.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// The XSD base (`string`, `int`, `nonNegativeInteger`) where the document gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    pub occurs: Occurs,
    /// An XSD pattern, verbatim (implicitly anchored; see `spec::pattern`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<LengthBound>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_inclusive: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inclusive: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Field>,
    /// The table row the field was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

/// Whether two field trees define the same fields, wherever the documents print them (the
/// provenance is left out of the comparison: the same element documented under two methods
/// stands on two lines).
pub fn same_definition(a: &[Field], b: &[Field]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            Field {
                children: Vec::new(),
                at: None,
                ..x.clone()
            } == Field {
                children: Vec::new(),
                at: None,
                ..y.clone()
            } && same_definition(&x.children, &y.children)
        })
}

impl Field {
    /// The value kind konform validates and generates for this field.
    pub fn kind(&self) -> FieldKind {
        FieldKind::of(self)
    }

    pub fn is_required(&self) -> bool {
        self.occurs.min > 0
    }
}

/// Cardinality: `1`, `0 - 1`, `0 - *`, `1 - *` (and any `n - m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurs {
    pub min: u32,
    /// `None` for `*`.
    pub max: Option<u32>,
}

impl Occurs {
    pub const ONE: Occurs = Occurs {
        min: 1,
        max: Some(1),
    };
    pub const OPTIONAL: Occurs = Occurs {
        min: 0,
        max: Some(1),
    };

    pub fn is_repeated(&self) -> bool {
        self.max != Some(1)
    }

    pub fn parse(s: &str) -> Option<Occurs> {
        let s = s.trim();
        let bound = |p: &str| -> Option<Option<u32>> {
            let p = p.trim();
            if p == "*" {
                Some(None)
            } else {
                p.parse().ok().map(Some)
            }
        };
        match s.split_once('-') {
            None => {
                let n: u32 = s.parse().ok()?;
                Some(Occurs {
                    min: n,
                    max: Some(n),
                })
            }
            Some((a, b)) => {
                let min = a.trim().parse().ok()?;
                let max = bound(b)?;
                if max.is_some_and(|m| m < min) {
                    return None;
                }
                Some(Occurs { min, max })
            }
        }
    }
}

impl fmt::Display for Occurs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "{max}"),
            Some(max) => write!(f, "{} - {max}", self.min),
            None => write!(f, "{} - *", self.min),
        }
    }
}

impl Serialize for Occurs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Occurs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Occurs::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid cardinality {s:?}: expected `1`, `0 - 1`, `0 - *` or `1 - *`"
            ))
        })
    }
}

/// `Length: 1-100` gives min 1 and max 100; `Length: 8` gives both 8; `MaxLength: 100` max only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LengthBound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// The value kinds konform knows how to validate and generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Has children.
    Complex,
    String,
    Integer,
    Boolean,
    /// `date`: `2025-07-01`.
    Date,
    /// `dateTime` / `date-time`: `2025-07-01T10:00:00+02:00`.
    DateTime,
    /// `time`: `10:00:00`.
    Time,
    /// `guid` / `uuid`.
    Guid,
}

impl FieldKind {
    pub fn of(field: &Field) -> FieldKind {
        if !field.children.is_empty() {
            return FieldKind::Complex;
        }
        let names = [field.base.as_deref(), field.type_name.as_deref()];
        for name in names.into_iter().flatten() {
            match name.trim() {
                "string" => return FieldKind::String,
                "int" | "integer" | "long" | "short" | "nonNegativeInteger" | "positiveInteger" => {
                    return FieldKind::Integer;
                }
                "boolean" => return FieldKind::Boolean,
                "date" => return FieldKind::Date,
                "dateTime" | "date-time" => return FieldKind::DateTime,
                "time" => return FieldKind::Time,
                "guid" | "uuid" => return FieldKind::Guid,
                _ => {}
            }
        }
        // Code-list identifiers (`...CodeList`, `...TypeIdentifierType`, `CodeListItemIdentifierType`)
        // are integers in DFDG; a bounded type with MinInclusive/MaxInclusive is too.
        let ty = field.type_name.as_deref().unwrap_or("");
        if field.min_inclusive.is_some()
            || field.max_inclusive.is_some()
            || ty.contains("CodeList")
            || ty.ends_with("IdentifierType") && field.pattern.is_none() && field.length.is_none()
        {
            return FieldKind::Integer;
        }
        // A renamed field keeps its kind: the sick-leave service's `fravaerType` was
        // `AbsenceTypeIdentifier`.
        let names = [Some(field.name.as_str()), field.former_name.as_deref()];
        if names
            .into_iter()
            .flatten()
            .any(|n| n.ends_with("TypeIdentifier") || n.ends_with("Identifier") && ty.is_empty())
        {
            return FieldKind::Integer;
        }
        FieldKind::String
    }
}

/// A documented error code of a method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    pub code: u32,
    /// The "Fejltekst" exactly as written; `None` where the document prints the code alone.
    pub text: Option<String>,
    /// The "Beskrivelse" column, where it differs from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The row of the error table it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

/// A business rule stated in prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, `<Method or Service>.<slug>`.
    pub id: String,
    /// The rule as the document states it.
    pub text: String,
    /// The error codes the rule relates to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<u32>,
    /// An HTTP status the rule answers with instead of a code (412 on a repeated x-requestId).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Where the rule comes from: the document, or an overlay entry (then marked as such).
    pub source: RuleSource,
    /// The document line the rule's sentence stands on (for an overlay rule: the line it rests
    /// on, where there is one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Provenance>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSource {
    /// Read from the document's prose ("Forretningsregler", a field description).
    Document,
    /// Derived from an error text or description by the importer.
    ErrorText,
    /// Stated in the overlay; see the overlay entry for the reason.
    Overlay,
}

/// A method looked up with its service.
#[derive(Debug, Clone, Copy)]
pub struct MethodRef<'a> {
    pub service: &'a ServiceSpec,
    pub method: &'a Method,
}

/// All services, keyed by name.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub services: BTreeMap<String, ServiceSpec>,
    pub overlay: super::overlay::Overlay,
}

impl Spec {
    /// Every method, service by service, in document order.
    pub fn methods(&self) -> impl Iterator<Item = MethodRef<'_>> {
        self.services.values().flat_map(|service| {
            service
                .methods
                .iter()
                .map(move |method| MethodRef { service, method })
        })
    }

    /// Looks a method up by its current name (or a former one).
    pub fn method(&self, name: &str) -> Option<MethodRef<'_>> {
        self.methods().find(|m| m.method.name == name).or_else(|| {
            self.methods()
                .find(|m| m.method.former_names.iter().any(|f| f == name))
        })
    }

    /// Looks a method up within one service (method names repeat across services:
    /// `AddInterviewParticipant` is in both PersonRegistrationService and InterviewService).
    pub fn service_method(&self, service: &str, method: &str) -> Option<MethodRef<'_>> {
        let service = self.services.get(service)?;
        let method = service.methods.iter().find(|m| m.name == method)?;
        Some(MethodRef { service, method })
    }
}

impl Spec {
    /// Every rule of a method: the document's rules, with the codes the overlay's `rule_codes`
    /// maps to them added, then the overlay's own rules for the method.
    pub fn rules(&self, m: &MethodRef<'_>) -> Vec<Rule> {
        let mut rules: Vec<Rule> = m.method.rules.clone();
        for r in &mut rules {
            if let Some(extra) = self.overlay.rule_codes.get(&r.id) {
                for code in &extra.codes {
                    if !r.codes.contains(code) {
                        r.codes.push(*code);
                    }
                }
            }
        }
        if let Some(list) = self.overlay.rules.get(&m.method.name) {
            rules.extend(list.iter().map(|o| o.rule.clone()));
        }
        rules
    }

    /// Why a documented code cannot be tested, if the overlay says it cannot.
    pub fn untestable(&self, method: &str, code: u32) -> Option<&super::overlay::Untestable> {
        self.overlay.untestable.get(&format!("{method}/{code}"))
    }

    /// Like [`Spec::untestable`] for a method of one service: the overlay's
    /// `<Service>/<Method>/<code>` entry (for a method name two services share), else its
    /// `<Method>/<code>` entry.
    pub fn untestable_in(
        &self,
        service: &str,
        method: &str,
        code: u32,
    ) -> Option<&super::overlay::Untestable> {
        self.overlay
            .untestable
            .get(&format!("{service}/{method}/{code}"))
            .or_else(|| self.untestable(method, code))
    }

    /// Every method with this name (current or former), in every service: method names repeat
    /// across services.
    pub fn methods_named(&self, name: &str) -> Vec<MethodRef<'_>> {
        let current: Vec<_> = self.methods().filter(|m| m.method.name == name).collect();
        if !current.is_empty() {
            return current;
        }
        self.methods()
            .filter(|m| m.method.former_names.iter().any(|f| f == name))
            .collect()
    }
}

impl Method {
    /// The documented error code, if this method documents it.
    pub fn error(&self, code: u32) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// Finds an input field by a `/`-separated path of names (`PersonInterview/InterviewTime`).
    pub fn input_field(&self, path: &str) -> Option<&Field> {
        find_path(&self.input, path)
    }

    /// The fields a case's `when.body` holds: the children of the SOAP request element, or
    /// of the REST `requestBody`; empty for a method without a body.
    pub fn body_fields(&self) -> &[Field] {
        match &self.binding {
            // The importer keeps the SOAP request element in the binding, not in the tree; a
            // tree that still has it as its one root is unwrapped all the same.
            Binding::Soap {
                request_element, ..
            } => match self.input.as_slice() {
                [root] if root.name == *request_element && !root.children.is_empty() => {
                    &root.children
                }
                fields => fields,
            },
            Binding::Rest { .. } => body_fields(&self.input),
        }
    }

    /// The REST header fields (`x-requestId`, `x-civilRegistrationIdentifier`).
    pub fn header_fields(&self) -> impl Iterator<Item = &Field> {
        self.input
            .iter()
            .filter(|f| f.location == FieldLocation::Header)
    }

    /// The REST path parameters (`ydelsesidentifier`, `fravaerIdentifier`).
    pub fn path_fields(&self) -> impl Iterator<Item = &Field> {
        self.input
            .iter()
            .filter(|f| f.location == FieldLocation::Path)
    }
}

/// The body fields of a REST input or output tree: below its single body root (`requestBody`).
pub fn body_fields(tree: &[Field]) -> &[Field] {
    let mut body = tree.iter().filter(|f| f.location == FieldLocation::Body);
    match (body.next(), body.next()) {
        (Some(root), None) if !root.children.is_empty() => &root.children,
        _ => &[],
    }
}

/// Finds a field by a `/`-separated path of names, current or former.
pub fn find_path<'a>(fields: &'a [Field], path: &str) -> Option<&'a Field> {
    let mut level = fields;
    let mut found = None;
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let f = level
            .iter()
            .find(|f| f.name == part || f.former_name.as_deref() == Some(part))?;
        found = Some(f);
        level = &f.children;
    }
    found
}

/// The embedded reference's roles: name, organisation type, code.
pub const EMBEDDED_ROLES: [(&str, OrganisationType, &str); 9] = [
    ("jobcenter", OrganisationType::JobCenter, "10101"),
    ("other-jobcenter", OrganisationType::JobCenter, "20202"),
    ("kommune", OrganisationType::Kommune, "101"),
    ("other-kommune", OrganisationType::Kommune, "202"),
    ("akasse", OrganisationType::AKasse, "12"),
    ("other-akasse", OrganisationType::AKasse, "34"),
    ("star", OrganisationType::Star, "STAR"),
    ("anden-aktoer", OrganisationType::AndenAktoer, "12345678"),
    (
        "other-anden-aktoer",
        OrganisationType::AndenAktoer,
        "87654321",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurs_round_trips_the_documents_notation() {
        for s in ["1", "0 - 1", "0 - *", "1 - *"] {
            assert_eq!(Occurs::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Occurs::parse("0-1"), Some(Occurs::OPTIONAL));
        assert_eq!(Occurs::parse("2 - 1"), None);
        assert_eq!(Occurs::parse("x"), None);
    }
}
