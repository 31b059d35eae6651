//! The vocabulary of the documents already imported: element names, type names, which element
//! has which type, the facets of each type, the error texts per code and each method's names.
//! The diff layout needs it to split glued names (`CaseWorkerResponsibleCaseWorkerStructureType`
//! is `CaseWorker` + `ResponsibleCaseWorkerStructureType`), to fill placeholders ("(CPR nr
//! pattern)") and to find the method a renamed one replaces. The main type is [`Vocabulary`].

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::model::{Binding, Field, LengthBound, ServiceSpec};

/// The facets a type carries wherever it is documented.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TypeFacets {
    pub base: Option<String>,
    pub pattern: Option<String>,
    pub length: Option<LengthBound>,
}

/// One method of an already imported service.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownMethod {
    pub name: String,
    pub request_element: Option<String>,
    pub response_element: Option<String>,
    /// Every element name of its input (request element included).
    pub input_names: BTreeSet<String>,
    /// Every element name of its output (response element included).
    pub output_names: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    pub elements: BTreeSet<String>,
    pub types: BTreeSet<String>,
    pub pairs: BTreeSet<(String, String)>,
    pub facets: BTreeMap<String, TypeFacets>,
    pub error_texts: BTreeMap<u32, BTreeSet<String>>,
    pub methods: Vec<KnownMethod>,
}

impl Vocabulary {
    pub fn from_services<'a>(services: impl Iterator<Item = &'a ServiceSpec>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for service in services {
            for m in &service.methods {
                let mut known = KnownMethod {
                    name: m.name.clone(),
                    ..KnownMethod::default()
                };
                if let Binding::Soap {
                    request_element,
                    response_element,
                    ..
                } = &m.binding
                {
                    v.elements.insert(request_element.clone());
                    known.input_names.insert(request_element.clone());
                    known.request_element = Some(request_element.clone());
                    if let Some(r) = response_element {
                        v.elements.insert(r.clone());
                        known.output_names.insert(r.clone());
                        known.response_element = Some(r.clone());
                    }
                }
                v.add_fields(&m.input, &mut known.input_names);
                v.add_fields(&m.output, &mut known.output_names);
                for e in &m.errors {
                    if let Some(t) = &e.text {
                        v.error_texts.entry(e.code).or_default().insert(t.clone());
                    }
                }
                v.methods.push(known);
            }
        }
        v
    }

    fn add_fields(&mut self, fields: &[Field], names: &mut BTreeSet<String>) {
        for f in fields {
            self.elements.insert(f.name.clone());
            names.insert(f.name.clone());
            if let Some(former) = &f.former_name {
                self.elements.insert(former.clone());
            }
            if let Some(t) = &f.type_name {
                self.types.insert(t.clone());
                self.pairs.insert((f.name.clone(), t.clone()));
                let facets = self.facets.entry(t.clone()).or_default();
                if facets.base.is_none() {
                    facets.base.clone_from(&f.base);
                }
                if facets.pattern.is_none() {
                    facets.pattern.clone_from(&f.pattern);
                }
                if facets.length.is_none() {
                    facets.length = f.length;
                }
            }
            self.add_fields(&f.children, names);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The method whose SOAP request (or response) element is `element`.
    pub fn method_with_element(&self, element: &str) -> Option<&KnownMethod> {
        self.methods.iter().find(|m| {
            m.request_element.as_deref() == Some(element)
                || m.response_element.as_deref() == Some(element)
        })
    }
}
