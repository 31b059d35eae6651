//! WSDL 1.1 export: one document/literal WSDL per SOAP service. Its types import the service's
//! XSDs ([`super::xsd`]); every operation takes the request element as its body, the two
//! caller headers (ActiveOrganisationHeader, RequestUserMetadataHeader) as SOAP headers, answers
//! the response element, and declares the DFDG fault, whose `faultcode` carries the numeric
//! code and whose detail lists every error. The operation's documentation lists the codes the
//! document gives the method, and the general SOAP faults of the overlay. The main entry point
//! is [`service_wsdl`].
//!
//! ```xml
//! <wsdl:operation name="CreatePersonCategory">
//!   <soap:operation soapAction="CreatePersonCategory" style="document"/>
//!   <wsdl:input>
//!     <soap:body use="literal" parts="parameters"/>
//!     <soap:header message="tns:ActiveOrganisationHeader" part="ActiveOrganisationHeader" use="literal"/>
//!     ...
//! ```

use crate::soap::FAULT_NAMESPACE;
use crate::spec::model::{Binding, Method, MethodStatus, ServiceSpec, Spec, Transport};

use super::xml::XmlWriter;
use super::xsd::{self, FAULT_FILE, XS};
use super::{ExportError, ExportFile, ExportOptions, SchemaLocations, SoapNames, generated_note};

pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
pub const WSDL_SOAP_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
pub const SOAP_HTTP: &str = "http://schemas.xmlsoap.org/soap/http";

/// The WSDL's file name of a service.
pub fn wsdl_file(service: &str) -> String {
    format!("{service}.wsdl")
}

/// Where the WSDL finds one of its schemas.
pub fn schema_location(names: &SoapNames, locations: &SchemaLocations, file: &str) -> String {
    match locations {
        SchemaLocations::Files => file.to_string(),
        SchemaLocations::Served => format!("{}?xsd={file}", names.path),
    }
}

/// The WSDL of one SOAP service.
pub fn service_wsdl(
    spec: &Spec,
    service: &ServiceSpec,
    names: &SoapNames,
    options: &ExportOptions,
) -> Result<ExportFile, ExportError> {
    let name = &service.service;
    let mut w = XmlWriter::new();
    w.comment(&generated_note(service));
    w.open(
        "wsdl:definitions",
        &[
            ("name", name),
            ("targetNamespace", &names.namespace),
            ("xmlns:wsdl", WSDL_NS),
            ("xmlns:soap", WSDL_SOAP_NS),
            ("xmlns:xs", XS),
            ("xmlns:tns", &names.namespace),
            ("xmlns:h", &names.header_namespace),
            ("xmlns:f", FAULT_NAMESPACE),
        ],
    );
    let title = if service.version.is_empty() {
        name.clone()
    } else {
        service.version.clone()
    };
    w.text(
        "wsdl:documentation",
        &[],
        &format!(
            "{title}, from document {}. Endpoint path and namespaces: {}. SOAP 1.1, document/literal; the reference also answers SOAP 1.2 envelopes in kind. A rejected call answers HTTP 500 with a fault whose faultcode is the numeric DFDG code (a reading: the documents list codes, not the fault's layout).",
            service.source, names.basis
        ),
    );

    // Types: one schema importing the service's, the headers' and the fault's.
    w.open("wsdl:types", &[]);
    w.open("xs:schema", &[("elementFormDefault", "qualified")]);
    let mut imports = vec![(names.namespace.clone(), xsd::body_file(name))];
    if names.header_namespace != names.namespace {
        imports.push((names.header_namespace.clone(), xsd::header_file(name)));
    }
    imports.push((FAULT_NAMESPACE.to_string(), FAULT_FILE.to_string()));
    for (ns, file) in &imports {
        let loc = schema_location(names, &options.schema_locations, file);
        w.empty(
            "xs:import",
            &[("namespace", ns.as_str()), ("schemaLocation", &loc)],
        );
    }
    w.close("xs:schema");
    w.close("wsdl:types");

    let methods: Vec<&Method> = service
        .methods
        .iter()
        .filter(|m| m.binding.transport() == Transport::Soap)
        .collect();

    // Messages.
    for m in &methods {
        let Some([(request, _), (response, _)]) = xsd::method_elements(m) else {
            continue;
        };
        message(
            &mut w,
            &format!("{}Input", m.name),
            &format!("tns:{request}"),
        );
        message(
            &mut w,
            &format!("{}Output", m.name),
            &format!("tns:{response}"),
        );
    }
    for header in ["ActiveOrganisationHeader", "RequestUserMetadataHeader"] {
        w.open("wsdl:message", &[("name", header)]);
        w.empty(
            "wsdl:part",
            &[("name", header), ("element", &format!("h:{header}"))],
        );
        w.close("wsdl:message");
    }
    w.open("wsdl:message", &[("name", "DfdgFault")]);
    w.empty("wsdl:part", &[("name", "Errors"), ("element", "f:Errors")]);
    w.close("wsdl:message");

    // Port type.
    let port_type = format!("{name}PortType");
    w.open("wsdl:portType", &[("name", &port_type)]);
    for m in &methods {
        w.open("wsdl:operation", &[("name", &m.name)]);
        w.text("wsdl:documentation", &[], &operation_doc(spec, service, m));
        w.empty(
            "wsdl:input",
            &[("message", &format!("tns:{}Input", m.name))],
        );
        w.empty(
            "wsdl:output",
            &[("message", &format!("tns:{}Output", m.name))],
        );
        w.empty(
            "wsdl:fault",
            &[("name", "DfdgFault"), ("message", "tns:DfdgFault")],
        );
        w.close("wsdl:operation");
    }
    w.close("wsdl:portType");

    // Binding.
    let binding = format!("{name}SoapBinding");
    w.open(
        "wsdl:binding",
        &[("name", &binding), ("type", &format!("tns:{port_type}"))],
    );
    w.empty(
        "soap:binding",
        &[("style", "document"), ("transport", SOAP_HTTP)],
    );
    for m in &methods {
        let Binding::Soap { action, .. } = &m.binding else {
            continue;
        };
        w.open("wsdl:operation", &[("name", &m.name)]);
        w.empty(
            "soap:operation",
            &[("soapAction", action), ("style", "document")],
        );
        w.open("wsdl:input", &[]);
        w.empty("soap:body", &[("use", "literal"), ("parts", "parameters")]);
        for header in ["ActiveOrganisationHeader", "RequestUserMetadataHeader"] {
            w.empty(
                "soap:header",
                &[
                    ("message", &format!("tns:{header}")),
                    ("part", header),
                    ("use", "literal"),
                ],
            );
        }
        w.close("wsdl:input");
        w.open("wsdl:output", &[]);
        w.empty("soap:body", &[("use", "literal")]);
        w.close("wsdl:output");
        w.open("wsdl:fault", &[("name", "DfdgFault")]);
        w.empty("soap:fault", &[("name", "DfdgFault"), ("use", "literal")]);
        w.close("wsdl:fault");
        w.close("wsdl:operation");
    }
    w.close("wsdl:binding");

    w.open("wsdl:service", &[("name", name)]);
    w.open(
        "wsdl:port",
        &[
            ("name", &format!("{name}Soap")),
            ("binding", &format!("tns:{binding}")),
        ],
    );
    let location = format!("{}{}", options.base_url.trim_end_matches('/'), names.path);
    w.empty("soap:address", &[("location", &location)]);
    w.close("wsdl:port");
    w.close("wsdl:service");
    w.close("wsdl:definitions");
    Ok(ExportFile {
        name: wsdl_file(name),
        content: w.finish(),
    })
}

fn message(w: &mut XmlWriter, name: &str, element: &str) {
    w.open("wsdl:message", &[("name", name)]);
    w.empty("wsdl:part", &[("name", "parameters"), ("element", element)]);
    w.close("wsdl:message");
}

/// An operation's documentation: what it does, where it comes from, who may call it, and
/// every code it may answer, each with its grounds.
pub fn operation_doc(spec: &Spec, service: &ServiceSpec, m: &Method) -> String {
    let mut doc = String::new();
    if let Some(d) = &m.description {
        doc.push_str(d.trim());
        doc.push(' ');
    }
    doc.push_str(&format!("Source: {} ({}).", service.source, m.name));
    if !m.former_names.is_empty() {
        doc.push_str(&format!(" Formerly {}.", m.former_names.join(", ")));
    }
    match m.status {
        MethodStatus::Current => {}
        MethodStatus::Deprecated => doc.push_str(" Deprecated (udfaset)."),
        MethodStatus::Withdrawn => doc.push_str(&format!(
            " Withdrawn (BORTFALDER): answers {} to every call (a reading: the documents give the code for deprecated methods).",
            crate::spec::model::WITHDRAWN_CODE
        )),
    }
    if let Some(access) = spec.overlay.method_access.get(&m.name) {
        let who: Vec<&str> = access.allowed.iter().map(|o| o.as_str()).collect();
        doc.push_str(&format!(
            " Callers: {} (overlay method_access, {}).",
            who.join(", "),
            super::basis_text(&access.basis)
        ));
    }
    if !m.errors.is_empty() {
        let codes: Vec<String> = m
            .errors
            .iter()
            .map(|e| match &e.text {
                Some(t) => format!("{} {}", e.code, t),
                None => e.code.to_string(),
            })
            .collect();
        doc.push_str(&format!(
            " Documented codes ({}): {}.",
            service.source,
            codes.join("; ")
        ));
    }
    let general: Vec<String> = spec
        .overlay
        .general_faults
        .iter()
        .filter(|g| g.transports.contains(&Transport::Soap) && m.error(g.code).is_none())
        .map(|g| format!("{} {} [{}]", g.code, g.text, super::basis_text(&g.basis)))
        .collect();
    if !general.is_empty() {
        doc.push_str(&format!(
            " General faults (overlay general_faults): {}.",
            general.join("; ")
        ));
    }
    doc
}
