//! `konform spec import|lint|list|show` (`export` lives in [`super::export`]): importing STAR's documents into `specs/`, checking the
//! spec, listing its methods (a table for people, `--json` for tools) and printing one method.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde::Serialize;

use konform::spec::import::{self, Document};
use konform::spec::lint::lint;
use konform::spec::load::OVERLAY_FILE;
use konform::spec::model::{
    Binding, ErrorCode, Field, FieldLocation, MethodRef, MethodStatus, Spec, Transport,
};
use konform::spec::overlay::{Basis, Overlay};

use super::{EXIT_FAILED, SpecCommand};

pub fn run(cmd: SpecCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SpecCommand::Import { docs, out } => import_docs(&docs, &out),
        SpecCommand::Lint(args) => lint_specs(&args.specs),
        SpecCommand::Export(args) => super::export::run(args),
        SpecCommand::List { spec, json } => {
            let spec = load(&spec.specs)?;
            if json {
                println!("{}", list_json(&spec)?);
            } else {
                print!("{}", list_table(&spec));
            }
            Ok(ExitCode::SUCCESS)
        }
        SpecCommand::Show { method, spec } => {
            let spec = load(&spec.specs)?;
            let m = find_method(&spec, &method)?;
            print!("{}", show(&spec, &m));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(dir: &Path) -> anyhow::Result<Spec> {
    Spec::load(dir).with_context(|| format!("cannot load the spec from {}", dir.display()))
}

fn import_docs(docs: &[std::path::PathBuf], out: &Path) -> anyhow::Result<ExitCode> {
    let docs = docs
        .iter()
        .map(|p| Document::read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let overlay_path = out.join(OVERLAY_FILE);
    let overlay = if overlay_path.exists() {
        let text = konform::input::read_to_string(&overlay_path)
            .with_context(|| format!("cannot read {}", overlay_path.display()))?;
        serde_saphyr::from_str::<Overlay>(&text)
            .with_context(|| format!("cannot parse {}", overlay_path.display()))?
    } else {
        Overlay::default()
    };
    let services = import::import(&docs, &overlay)?;
    let written = import::write_specs(out, &services)?;
    for (path, s) in written.iter().zip(&services) {
        let inferences =
            s.inferences.len() + s.methods.iter().map(|m| m.inferences.len()).sum::<usize>();
        println!(
            "wrote {} ({} methods, {} layout, {} inferences)",
            path.display(),
            s.methods.len(),
            layout_name(s.layout),
            inferences
        );
    }
    if !overlay_path.exists() {
        println!(
            "note: no {} in {}; REST methods without a documented path have none",
            OVERLAY_FILE,
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn layout_name(layout: konform::spec::model::Layout) -> &'static str {
    use konform::spec::model::Layout;
    match layout {
        Layout::PipeTables => "pipe-table",
        Layout::Cells => "cell-per-line",
        Layout::Diff => "page-diff",
    }
}

fn lint_specs(dir: &Path) -> anyhow::Result<ExitCode> {
    let spec = match Spec::load(dir) {
        Ok(spec) => spec,
        Err(konform::spec::SpecError::Problems(problems)) => {
            for p in &problems {
                println!("{p}");
            }
            println!(
                "spec lint: {} problem(s) loading {}",
                problems.len(),
                dir.display()
            );
            return Ok(ExitCode::from(EXIT_FAILED));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot load {}", dir.display())),
    };
    let (problems, counts) = lint(&spec, dir);
    for p in &problems {
        println!("{p}");
    }
    if problems.is_empty() {
        println!(
            "spec lint: clean ({} services, {} methods, {} fields, {} error codes, {} patterns)",
            counts.services, counts.methods, counts.fields, counts.codes, counts.patterns
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("spec lint: {} problem(s)", problems.len());
        Ok(ExitCode::from(EXIT_FAILED))
    }
}

/// One method in `konform spec list --json`.
#[derive(Debug, Serialize)]
struct ListedMethod<'a> {
    service: &'a str,
    method: &'a str,
    transport: Transport,
    status: MethodStatus,
    error_codes: Vec<ListedCode<'a>>,
}

#[derive(Debug, Serialize)]
struct ListedCode<'a> {
    code: u32,
    text: Option<&'a str>,
}

fn list_json(spec: &Spec) -> anyhow::Result<String> {
    let listed: Vec<ListedMethod<'_>> = spec
        .methods()
        .map(|m| ListedMethod {
            service: &m.service.service,
            method: &m.method.name,
            transport: m.method.binding.transport(),
            status: m.method.status,
            error_codes: m
                .method
                .errors
                .iter()
                .map(|e: &ErrorCode| ListedCode {
                    code: e.code,
                    text: e.text.as_deref(),
                })
                .collect(),
        })
        .collect();
    Ok(serde_json::to_string_pretty(&listed)?)
}

fn status_name(s: MethodStatus) -> &'static str {
    match s {
        MethodStatus::Current => "current",
        MethodStatus::Deprecated => "deprecated",
        MethodStatus::Withdrawn => "withdrawn",
    }
}

fn binding_short(b: &Binding) -> String {
    match b {
        Binding::Rest { verb, path } => format!("{} {}", verb.as_str(), path),
        Binding::Soap {
            request_element, ..
        } => request_element.clone(),
    }
}

fn list_table(spec: &Spec) -> String {
    let header = [
        "SERVICE",
        "METHOD",
        "TRANSPORT",
        "STATUS",
        "BINDING",
        "CODES",
    ];
    let rows: Vec<[String; 6]> = spec
        .methods()
        .map(|m| {
            [
                m.service.service.clone(),
                m.method.name.clone(),
                m.method.binding.transport().to_string(),
                status_name(m.method.status).to_string(),
                binding_short(&m.method.binding),
                m.method.errors.len().to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 6]| {
        let mut s = String::new();
        for (k, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if k + 1 == cells.len() {
                let _ = write!(s, "{cell:>w$}");
            } else {
                let _ = write!(s, "{cell:<w$}  ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut out, header);
    for r in &rows {
        line(&mut out, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    let codes: usize = rows.iter().filter_map(|r| r[5].parse::<usize>().ok()).sum();
    let _ = writeln!(
        out,
        "\n{} methods in {} services, {} documented error codes",
        rows.len(),
        spec.services.len(),
        codes
    );
    out
}

/// Finds `Method` or `Service/Method`; a name two services share is ambiguous.
fn find_method<'a>(spec: &'a Spec, query: &str) -> anyhow::Result<MethodRef<'a>> {
    if let Some((service, method)) = query.rsplit_once('/') {
        return spec.service_method(service, method).with_context(|| {
            format!("no method {method} in service {service} (see `konform spec list`)")
        });
    }
    let found = spec.methods_named(query);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let lower = query.to_lowercase();
            let near: Vec<String> = spec
                .methods()
                .filter(|m| m.method.name.to_lowercase().contains(&lower))
                .map(|m| format!("{}/{}", m.service.service, m.method.name))
                .collect();
            if near.is_empty() {
                bail!("no method {query} (see `konform spec list`)")
            }
            bail!("no method {query}; did you mean {}?", near.join(", "))
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|m| format!("{}/{}", m.service.service, m.method.name))
                .collect();
            bail!(
                "method {query} is ambiguous: it exists as {}; name one as Service/Method",
                names.join(" and ")
            )
        }
    }
}

fn basis(b: &Basis) -> String {
    match b {
        Basis::Assumption { reason } => format!("assumption: {reason}"),
        Basis::OutsideFact { source } => format!("outside fact: {source}"),
    }
}

/// One method in full, for people.
fn show(spec: &Spec, m: &MethodRef<'_>) -> String {
    let method = m.method;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}/{}  ({}, {})",
        m.service.service,
        method.name,
        status_name(method.status),
        method.binding.transport()
    );
    let version = if m.service.version.is_empty() {
        "no version line"
    } else {
        &m.service.version
    };
    let _ = writeln!(out, "source: {} ({version})", m.service.source);
    if !method.former_names.is_empty() {
        let _ = writeln!(out, "formerly: {}", method.former_names.join(", "));
    }
    if let Some(d) = &method.description {
        let _ = writeln!(out, "description: {d}");
    }
    match &method.binding {
        Binding::Rest { verb, path } => {
            let _ = writeln!(out, "binding: REST {} {}", verb.as_str(), path);
        }
        Binding::Soap {
            action,
            request_element,
            response_element,
        } => {
            let _ = writeln!(
                out,
                "binding: SOAP action {action}, request {request_element}, response {}",
                response_element.as_deref().unwrap_or("(not documented)")
            );
            if let Some(s) = spec.overlay.soap_services.get(&m.service.service) {
                let _ = writeln!(
                    out,
                    "endpoint: {} namespace {} (overlay, {})",
                    s.path,
                    s.namespace,
                    basis(&s.basis)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "scope: {}",
        method.scope.as_deref().unwrap_or("(not defined)")
    );
    if method.access.is_empty() {
        match spec.overlay.method_access.get(&method.name) {
            Some(a) => {
                let names: Vec<&str> = a.allowed.iter().map(|o| o.as_str()).collect();
                let _ = writeln!(
                    out,
                    "callers: {} (overlay, {})",
                    names.join(", "),
                    basis(&a.basis)
                );
            }
            None => {
                let _ = writeln!(out, "callers: (not documented)");
            }
        }
    } else {
        let _ = writeln!(out, "allowed organisations:");
        for row in &method.access {
            let levels: Vec<&str> = row.levels.iter().map(|l| l.as_str()).collect();
            let _ = writeln!(
                out,
                "  {:<12} {}",
                row.organisation.as_str(),
                levels.join(", ")
            );
        }
    }
    for (title, fields) in [("input", &method.input), ("output", &method.output)] {
        let _ = writeln!(out, "\n{title}:");
        if fields.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        write_fields(&mut out, fields, 1);
    }
    let _ = writeln!(out, "\nerror codes ({}):", method.errors.len());
    if method.errors.is_empty() {
        let _ = writeln!(out, "  (none documented)");
    }
    for e in &method.errors {
        let _ = writeln!(
            out,
            "  {:>6}  {}",
            e.code,
            e.text.as_deref().unwrap_or("(no text in the document)")
        );
        if let Some(d) = &e.description {
            let _ = writeln!(out, "          {d}");
        }
        if let Some(u) = spec.untestable_in(&m.service.service, &method.name, e.code) {
            let _ = writeln!(out, "          untestable: {}", u.reason);
        }
    }
    let rules = spec.rules(m);
    if !rules.is_empty() {
        let _ = writeln!(out, "\nrules ({}):", rules.len());
        for r in rules {
            let mut tags = Vec::new();
            if !r.codes.is_empty() {
                let codes: Vec<String> = r.codes.iter().map(u32::to_string).collect();
                tags.push(format!("codes {}", codes.join(", ")));
            }
            if let Some(s) = r.http_status {
                tags.push(format!("HTTP {s}"));
            }
            tags.push(format!("{:?}", r.source).to_lowercase());
            let _ = writeln!(out, "  {}  [{}]\n    {}", r.id, tags.join("; "), r.text);
        }
    }
    let inferences = m.service.inferences.iter().chain(&method.inferences);
    let mut first = true;
    for i in inferences {
        if first {
            let _ = writeln!(
                out,
                "\ninferences (what the importer inferred rather than read):"
            );
            first = false;
        }
        let _ = writeln!(out, "  - {i}");
    }
    out
}

fn write_fields(out: &mut String, fields: &[Field], depth: usize) {
    for f in fields {
        let indent = "  ".repeat(depth);
        let mut line = format!("{indent}{}", f.name);
        if let Some(former) = &f.former_name {
            let _ = write!(line, " (formerly {former})");
        }
        let _ = write!(line, "  {}", f.occurs);
        match f.location {
            FieldLocation::Body => {}
            FieldLocation::Header => line.push_str("  [header]"),
            FieldLocation::Path => line.push_str("  [path]"),
            FieldLocation::Query => line.push_str("  [query]"),
        }
        if let Some(t) = &f.type_name {
            let _ = write!(line, "  {t}");
        }
        if let Some(b) = &f.base {
            let _ = write!(line, "  base {b}");
        }
        if let Some(l) = &f.length {
            match (l.min, l.max) {
                (Some(a), Some(b)) if a == b => {
                    let _ = write!(line, "  length {a}");
                }
                (min, max) => {
                    let show = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
                    let _ = write!(line, "  length {}..{}", show(min), show(max));
                }
            }
        }
        if let Some(v) = f.min_inclusive {
            let _ = write!(line, "  min {v}");
        }
        if let Some(v) = f.max_inclusive {
            let _ = write!(line, "  max {v}");
        }
        if let Some(p) = &f.pattern {
            let _ = write!(line, "  pattern {p}");
        }
        let _ = writeln!(out, "{line}");
        if let Some(d) = &f.description {
            for para in d.split("\n\n") {
                let _ = writeln!(out, "{indent}    {para}");
            }
        }
        write_fields(out, &f.children, depth + 1);
    }
}
