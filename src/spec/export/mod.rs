//! The spec in the formats the ecosystem reads: per SOAP service a WSDL 1.1 (document/literal)
//! with its XSDs ([`wsdl`], [`xsd`]), per REST service an OpenAPI 3.1 document ([`openapi`]).
//! Everything is generated from the loaded [`Spec`]; the same spec and options give the same
//! bytes. The main entry point is [`export`], which answers the files to write as
//! [`ExportFile`]s.
//!
//! ```text
//! $ konform spec export --out exports
//! exports/PersonRegistrationService.wsdl        WSDL 1.1, imports the three schemas below
//! exports/PersonRegistrationService.xsd         request and response elements
//! exports/PersonRegistrationService.headers.xsd ActiveOrganisationHeader, RequestUserMetadataHeader
//! exports/dfdg-fault.xsd                        the fault detail (<Errors><Error><Code/><Text/>)
//! exports/SygemeldingService.openapi.json       OpenAPI 3.1
//! ```
//!
//! Provenance: every operation names the document its method was imported from; what rests on
//! the overlay (an assumption or an outside fact) or on one of konform's readings is marked as
//! such (`x-konform-reading` in OpenAPI, "Reading:"/"Assumption:" in WSDL/XSD documentation).

pub mod openapi;
pub mod wsdl;
mod xml;
pub mod xsd;

use std::collections::BTreeMap;
use std::path::Path;

use crate::spec::model::{Binding, Spec, Transport};

/// What `konform spec export --format` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// A WSDL per SOAP service, with the XSDs it imports.
    Wsdl,
    /// The XSDs alone.
    Xsd,
    /// An OpenAPI 3.1 document per REST service.
    Openapi,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Wsdl, Format::Xsd, Format::Openapi];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wsdl" => Some(Format::Wsdl),
            "xsd" => Some(Format::Xsd),
            "openapi" => Some(Format::Openapi),
            _ => None,
        }
    }
}

/// The namespaces and endpoint path of one SOAP service: the overlay's, unless a target
/// profile says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapNames {
    /// Endpoint path below the base URL, e.g. `/soap/PersonRegistrationService`.
    pub path: String,
    /// Target namespace of the body elements.
    pub namespace: String,
    /// Namespace of the caller headers.
    pub header_namespace: String,
    /// Where the names come from, for the documentation (`overlay.yaml (assumption: ...)`).
    pub basis: String,
}

/// Where a WSDL finds the schemas it imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaLocations {
    /// Beside the WSDL, by file name (`PersonRegistrationService.xsd`).
    Files,
    /// Served by `konform serve` from the endpoint: `<path>?xsd=<file name>`.
    Served,
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The base URL written into `soap:address` and the OpenAPI `servers`
    /// (`http://127.0.0.1:8080`).
    pub base_url: String,
    /// Per SOAP service, the names to use where they differ from the overlay's.
    pub soap_overrides: BTreeMap<String, SoapOverride>,
    pub schema_locations: SchemaLocations,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            base_url: DEFAULT_BASE_URL.to_string(),
            soap_overrides: BTreeMap::new(),
            schema_locations: SchemaLocations::Files,
        }
    }
}

/// The base URL of `konform serve`'s default address.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";

/// A target profile's names for one SOAP service (`soap_path`, `namespace`, `header_namespace`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoapOverride {
    pub path: Option<String>,
    pub namespace: Option<String>,
    pub header_namespace: Option<String>,
    /// Where the override comes from (`target.yaml`).
    pub origin: String,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// File name, without folder.
    pub name: String,
    pub content: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{service}: {message}")]
    Service { service: String, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl ExportOptions {
    /// The names of a SOAP service: the overlay's, overridden field by field.
    pub fn soap_names(&self, spec: &Spec, service: &str) -> SoapNames {
        let overlay = spec.overlay.soap_services.get(service);
        let (mut names, basis) = match overlay {
            Some(s) => (
                SoapNames {
                    path: s.path.clone(),
                    namespace: s.namespace.clone(),
                    header_namespace: s.header_namespace.clone(),
                    basis: String::new(),
                },
                format!("overlay.yaml soap_services ({})", basis_text(&s.basis)),
            ),
            // The reference's own defaults when the overlay names nothing.
            None => (
                SoapNames {
                    path: format!("/soap/{service}"),
                    namespace: format!("urn:star:dfdg:{service}"),
                    header_namespace: "urn:star:dfdg:headers".to_string(),
                    basis: String::new(),
                },
                "assumption: konform's defaults, the overlay names none".to_string(),
            ),
        };
        names.basis = basis;
        if let Some(o) = self.soap_overrides.get(service) {
            let mut from_profile = Vec::new();
            if let Some(p) = &o.path {
                names.path = p.clone();
                from_profile.push("soap_path");
            }
            if let Some(n) = &o.namespace {
                names.namespace = n.clone();
                from_profile.push("namespace");
            }
            if let Some(n) = &o.header_namespace {
                names.header_namespace = n.clone();
                from_profile.push("header_namespace");
            }
            if !from_profile.is_empty() {
                names.basis = format!(
                    "{} from the target profile {}; the rest from {}",
                    from_profile.join(", "),
                    o.origin,
                    names.basis
                );
            }
        }
        names
    }
}

/// An overlay basis in one line, for documentation.
pub fn basis_text(basis: &crate::spec::overlay::Basis) -> String {
    match basis {
        crate::spec::overlay::Basis::Assumption { reason } => format!("assumption: {reason}"),
        crate::spec::overlay::Basis::OutsideFact { source } => format!("outside fact: {source}"),
    }
}

/// Whether a service is exported as SOAP (any method bound to SOAP).
pub fn is_soap(service: &crate::spec::model::ServiceSpec) -> bool {
    service
        .methods
        .iter()
        .any(|m| m.binding.transport() == Transport::Soap)
}

/// Whether a service is exported as REST (any method bound to REST).
pub fn is_rest(service: &crate::spec::model::ServiceSpec) -> bool {
    service
        .methods
        .iter()
        .any(|m| matches!(m.binding, Binding::Rest { .. }))
}

/// Every file of the given formats, sorted by name.
pub fn export(
    spec: &Spec,
    formats: &[Format],
    options: &ExportOptions,
) -> Result<Vec<ExportFile>, ExportError> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let wants = |f: Format| formats.contains(&f);
    for service in spec.services.values() {
        if is_soap(service) && (wants(Format::Wsdl) || wants(Format::Xsd)) {
            let names = options.soap_names(spec, &service.service);
            for f in xsd::service_schemas(spec, service, &names)? {
                files.insert(f.name, f.content);
            }
            if wants(Format::Wsdl) {
                let f = wsdl::service_wsdl(spec, service, &names, options)?;
                files.insert(f.name, f.content);
            }
        }
        if is_rest(service) && wants(Format::Openapi) {
            let f = openapi::service_document(spec, service, &options.base_url)?;
            files.insert(f.name, f.content);
        }
    }
    if files.keys().any(|n| n.ends_with(".xsd")) {
        let f = xsd::fault_schema();
        files.insert(f.name, f.content);
    }
    Ok(files
        .into_iter()
        .map(|(name, content)| ExportFile { name, content })
        .collect())
}

/// Writes the files into `dir` (created if missing); answers the paths written.
pub fn write(dir: &Path, files: &[ExportFile]) -> Result<Vec<std::path::PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.content).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// The header line every generated file carries (in its own comment syntax).
pub fn generated_note(service: &crate::spec::model::ServiceSpec) -> String {
    format!(
        "Generated by `konform spec export` from specs/{}.yaml (imported from {}). Do not edit: change the spec or the overlay and export again.",
        service.service, service.source
    )
}

#[cfg(test)]
mod tests;
