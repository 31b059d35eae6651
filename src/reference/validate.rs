//! Schema validation driven by the spec: every request is checked against its method's input
//! field tree before any business rule runs — cardinality, unknown elements, XSD value kinds
//! (`int`, `boolean`, `date`, `dateTime`, `time`, `guid`, `string`), patterns with XSD
//! semantics, lengths and ranges. A CPR field that fails its pattern gives 1001; every other
//! violation gives 1014. Each class of check has its own id (`validation/pattern`, ...) so a
//! mutant can switch it off. The main type here is [`Validator`].
//!
//! SOAP bodies arrive as JSON trees of strings ([`Mode::Xml`]); REST bodies as typed JSON
//! ([`Mode::Json`]): there an `int` must be a JSON integer and a `boolean` a JSON boolean.
//! Validation also normalises the tree: a former element name becomes the current one.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::spec::XsdPattern;
use crate::spec::model::{Field, FieldKind, Spec};

use super::checks::Switches;
use super::mutant::{self, Bound, Fault};
use super::xsdtime;

/// How leaf values are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every leaf is text (SOAP, headers, path and query parameters).
    Xml,
    /// Typed JSON (REST bodies).
    Json,
}

/// One violation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: u32,
    /// The check id (`validation/pattern`).
    pub check: &'static str,
    /// Where, as a `/`-separated path.
    pub path: String,
}

/// Compiled patterns of a spec, by source text. A pattern that does not compile is not checked
/// (`konform spec lint` reports it).
#[derive(Debug, Default)]
pub struct Patterns {
    compiled: HashMap<String, Option<XsdPattern>>,
}

impl Patterns {
    pub fn of(spec: &Spec) -> Patterns {
        let mut p = Patterns::default();
        for m in spec.methods() {
            p.add_all(&m.method.input);
            p.add_all(&m.method.output);
        }
        p
    }

    fn add_all(&mut self, fields: &[Field]) {
        for f in fields {
            if let Some(src) = &f.pattern {
                self.compiled
                    .entry(src.clone())
                    .or_insert_with(|| compiled(src));
            }
            self.add_all(&f.children);
        }
    }

    fn matches(&self, src: &str, value: &str) -> Option<bool> {
        match self.compiled.get(src) {
            Some(Some(p)) => Some(p.is_match(value)),
            Some(None) => None,
            // Not precompiled (a spec built by hand): compile on the fly.
            None => XsdPattern::new(src).ok().map(|p| p.is_match(value)),
        }
    }
}

/// A pattern compiled once per process: every reference started in it (one per mutant in
/// mutation testing) shares the compiled form.
fn compiled(src: &str) -> Option<XsdPattern> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Option<XsdPattern>>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(src.to_string())
        .or_insert_with(|| XsdPattern::new(src).ok())
        .clone()
}

/// Whether a field carries a CPR number.
pub fn is_cpr_field(field: &Field) -> bool {
    let ty = field.type_name.as_deref().unwrap_or("");
    let name = field.name.to_ascii_lowercase();
    ty.contains("CivilRegistrationIdentifier")
        || name.contains("civilregistrationidentifier")
        || name == "personnummer"
}

/// Validates requests against field trees.
#[derive(Debug)]
pub struct Validator<'a> {
    switches: &'a Switches,
    patterns: &'a Patterns,
    /// A boundary mutant's fault for the method validated, if any.
    fault: Option<&'a Fault>,
    pub findings: Vec<Finding>,
    /// The code a CPR that fails its pattern gets (the reading cpr-pattern-code).
    pub cpr_code: u32,
    /// Whether a former element name is taken for the current one (the reading
    /// renamed-members), else it is an unknown member.
    pub former_names: bool,
    /// Whether unknown members are dropped rather than reported (the reading
    /// unknown-json-members).
    pub unknown_ignored: bool,
}

impl<'a> Validator<'a> {
    pub fn new(switches: &'a Switches, patterns: &'a Patterns) -> Validator<'a> {
        Validator {
            switches,
            patterns,
            fault: None,
            findings: Vec::new(),
            cpr_code: 1001,
            former_names: true,
            unknown_ignored: false,
        }
    }

    /// Validates with a mutant's fault (a bound moved by one unit).
    pub fn with_fault(mut self, fault: Option<&'a Fault>) -> Validator<'a> {
        self.fault = fault;
        self
    }

    fn bound(&self, path: &str, bound: Bound, value: Option<i64>) -> Option<i64> {
        mutant::shifted(self.fault, path, bound, value)
    }

    /// Records a finding unless its check is switched off.
    pub fn report(&mut self, code: u32, check: &'static str, path: &str) {
        if self.switches.on(check) {
            self.findings.push(Finding {
                code,
                check,
                path: path.to_string(),
            });
        }
    }

    /// The codes found, each once, in the order found.
    pub fn codes(&self) -> Vec<u32> {
        let mut codes = Vec::new();
        for f in &self.findings {
            if !codes.contains(&f.code) {
                codes.push(f.code);
            }
        }
        codes
    }

    /// Validates the children of a complex value against `fields`, normalising former names.
    pub fn children(&mut self, fields: &[Field], value: &mut Value, mode: Mode, path: &str) {
        // An empty XML element stands for an empty complex element.
        if mode == Mode::Xml && value.as_str().is_some_and(|s| s.trim().is_empty()) {
            *value = Value::Object(Map::new());
        }
        if mode == Mode::Json && value.is_null() {
            *value = Value::Object(Map::new());
        }
        let Value::Object(map) = value else {
            self.report(1014, "validation/type", path);
            return;
        };
        // Former names become current ones; unknown members are reported.
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            if fields.iter().any(|f| f.name == key) {
                continue;
            }
            match fields
                .iter()
                .find(|f| f.former_name.as_deref() == Some(key.as_str()))
            {
                Some(f) if self.former_names && !map.contains_key(&f.name) => {
                    if let Some(v) = map.remove(&key) {
                        map.insert(f.name.clone(), v);
                    }
                }
                None if self.unknown_ignored => {
                    map.remove(&key);
                }
                _ => self.report(1014, "validation/unknown", &join(path, &key)),
            }
        }
        for field in fields {
            let here = join(path, &field.name);
            let present = match map.get(&field.name) {
                None => 0,
                Some(Value::Null) if mode == Mode::Json => 0,
                Some(Value::Array(items)) => items.len(),
                Some(_) => 1,
            };
            let max = self.bound(&here, Bound::OccursMax, field.occurs.max.map(i64::from));
            let min = self
                .bound(&here, Bound::OccursMin, Some(i64::from(field.occurs.min)))
                .unwrap_or(0);
            let too_many = max.is_some_and(|max| present as i64 > max);
            if (present as i64) < min || too_many {
                self.report(1014, "validation/cardinality", &here);
            }
            let Some(v) = map.get_mut(&field.name) else {
                continue;
            };
            match v {
                Value::Null => {}
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.member(field, item, mode, &format!("{here}/{i}"));
                    }
                }
                other => self.member(field, other, mode, &here),
            }
        }
    }

    fn member(&mut self, field: &Field, value: &mut Value, mode: Mode, path: &str) {
        if field.children.is_empty() {
            self.leaf(field, value, mode, path);
        } else {
            self.children(&field.children, value, mode, path);
        }
    }

    /// Validates one leaf value.
    pub fn leaf(&mut self, field: &Field, value: &Value, mode: Mode, path: &str) {
        let kind = field.kind();
        // A field whose type the document does not give takes any scalar.
        let untyped = field.type_name.is_none() && field.base.is_none();
        let text: String = match (mode, value) {
            (Mode::Json, Value::Number(n)) if untyped => n.to_string(),
            (Mode::Json, Value::Bool(b)) if untyped => b.to_string(),
            (_, Value::String(s)) if mode == Mode::Xml || !json_needs_non_string(kind) => s.clone(),
            (Mode::Json, Value::Number(n)) if kind == FieldKind::Integer && n.is_i64() => {
                n.to_string()
            }
            (Mode::Json, Value::Number(n)) if kind == FieldKind::Integer && n.is_u64() => {
                n.to_string()
            }
            (Mode::Json, Value::Bool(b)) if kind == FieldKind::Boolean => b.to_string(),
            _ => {
                self.report(1014, "validation/type", path);
                return;
            }
        };
        let cpr = is_cpr_field(field);
        let lexical_ok = match kind {
            FieldKind::Complex | FieldKind::String => true,
            FieldKind::Integer => parse_integer(&text).is_some(),
            FieldKind::Boolean => matches!(text.trim(), "true" | "false" | "1" | "0"),
            FieldKind::Date => xsdtime::parse_date(&text).is_some(),
            FieldKind::DateTime => xsdtime::is_xsd_datetime(&text),
            FieldKind::Time => xsdtime::is_xsd_time(&text),
            FieldKind::Guid => is_guid(text.trim()),
        };
        if !lexical_ok {
            if cpr {
                self.report(self.cpr_code, "validation/cpr", path);
            } else {
                self.report(1014, "validation/type", path);
            }
            return;
        }
        // XSD collapses white space for every type but string.
        let checked = match kind {
            FieldKind::String | FieldKind::Complex => text.as_str(),
            _ => text.trim(),
        };
        if let Some(pattern) = &field.pattern
            && self.patterns.matches(pattern, checked) == Some(false)
        {
            if cpr {
                self.report(self.cpr_code, "validation/cpr", path);
            } else {
                self.report(1014, "validation/pattern", path);
            }
        }
        if let Some(len) = field.length {
            let n = checked.chars().count() as u64;
            let (n, min, max) = (
                n as i64,
                self.bound(path, Bound::LengthMin, len.min.map(i64::from)),
                self.bound(path, Bound::LengthMax, len.max.map(i64::from)),
            );
            let short = min.is_some_and(|m| n < m);
            let long = max.is_some_and(|m| n > m);
            if short || long {
                if cpr {
                    self.report(self.cpr_code, "validation/cpr", path);
                } else {
                    self.report(1014, "validation/length", path);
                }
            }
        }
        if kind == FieldKind::Integer
            && let Some(n) = parse_integer(checked)
        {
            let base = field.base.as_deref().unwrap_or("");
            let floor = match base {
                "nonNegativeInteger" => Some(0),
                "positiveInteger" => Some(1),
                _ => None,
            };
            let min = self.bound(path, Bound::RangeMin, field.min_inclusive.or(floor));
            let max = self.bound(path, Bound::RangeMax, field.max_inclusive);
            let low = min.is_some_and(|m| n < m as i128);
            let high = max.is_some_and(|m| n > m as i128);
            let int32 = matches!(base, "int") || field.type_name.as_deref() == Some("int");
            let out_of_int = int32 && (n < i32::MIN as i128 || n > i32::MAX as i128);
            if low || high || out_of_int {
                self.report(1014, "validation/range", path);
            }
        }
    }
}

fn json_needs_non_string(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Integer | FieldKind::Boolean)
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}/{name}")
    }
}

/// An XSD integer: optional sign, digits, surrounding white space.
pub fn parse_integer(s: &str) -> Option<i128> {
    let t = s.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || digits.len() > 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.strip_prefix('+').unwrap_or(t).parse().ok()
}

/// A hyphenated GUID, `8-4-4-4-12` hex digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{LengthBound, Occurs};
    use serde_json::json;

    fn leaf(name: &str, ty: &str, occurs: Occurs) -> Field {
        Field {
            name: name.into(),
            former_name: None,
            location: Default::default(),
            type_name: Some(ty.into()),
            base: None,
            occurs,
            pattern: None,
            length: None,
            min_inclusive: None,
            max_inclusive: None,
            description: None,
            children: vec![],
            at: None,
        }
    }

    const CPR: &str = "((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))|((0[1-9]|1[0-9]|2[0-9]|30)(04|06|09|11))|((0[1-9]|1[0-9]|2[0-9])(02)))[0-9]{6})|0000000000";

    fn fields() -> Vec<Field> {
        let mut cpr = leaf(
            "PersonCivilRegistrationIdentifier",
            "PersonCivilRegistrationIdentifierType",
            Occurs::ONE,
        );
        cpr.base = Some("string".into());
        cpr.pattern = Some(CPR.into());
        let mut name = leaf("Name", "string", Occurs::OPTIONAL);
        name.length = Some(LengthBound {
            min: Some(1),
            max: Some(3),
        });
        let mut n = leaf("Count", "int", Occurs::OPTIONAL);
        n.min_inclusive = Some(0);
        n.max_inclusive = Some(10);
        let mut group = leaf("Group", "GroupType", Occurs::OPTIONAL);
        group.type_name = Some("GroupType".into());
        let mut item = leaf("Item", "guid", Occurs { min: 1, max: None });
        item.former_name = Some("OldItem".into());
        group.children = vec![item, leaf("When", "dateTime", Occurs::OPTIONAL)];
        vec![
            cpr,
            name,
            n,
            leaf("Flag", "boolean", Occurs::OPTIONAL),
            group,
        ]
    }

    fn run(value: Value, mode: Mode) -> (Vec<&'static str>, Vec<u32>, Value) {
        let switches = Switches::default();
        let patterns = Patterns::default();
        let mut v = Validator::new(&switches, &patterns);
        let mut value = value;
        v.children(&fields(), &mut value, mode, "");
        let checks = v.findings.iter().map(|f| f.check).collect();
        (checks, v.codes(), value)
    }

    #[test]
    fn a_valid_xml_tree_passes_and_former_names_are_normalised() {
        let (checks, _, value) = run(
            json!({"PersonCivilRegistrationIdentifier": "0101901234", "Name": "abc", "Count": "10",
                   "Flag": "true", "Group": {"OldItem": "6f0c2d3e-0000-4000-8000-000000000000", "When": "2025-01-01T10:00:00"}}),
            Mode::Xml,
        );
        assert!(checks.is_empty(), "{checks:?}");
        assert!(value["Group"]["Item"].is_string());
    }

    #[test]
    fn each_violation_has_its_check() {
        let cases = [
            (json!({}), "validation/cardinality", 1014),
            (
                json!({"PersonCivilRegistrationIdentifier": "3102901234"}),
                "validation/cpr",
                1001,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Name": "abcd"}),
                "validation/length",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Count": "11"}),
                "validation/range",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Count": "x"}),
                "validation/type",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Flag": "yes"}),
                "validation/type",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Extra": "1"}),
                "validation/unknown",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Group": {"Item": "nope"}}),
                "validation/type",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Group": {}}),
                "validation/cardinality",
                1014,
            ),
            (
                json!({"PersonCivilRegistrationIdentifier": "0101901234", "Name": ["a", "b"]}),
                "validation/cardinality",
                1014,
            ),
        ];
        for (value, check, code) in cases {
            let (checks, codes, _) = run(value.clone(), Mode::Xml);
            assert_eq!(checks, vec![check], "{value}");
            assert_eq!(codes, vec![code], "{value}");
        }
    }

    #[test]
    fn json_mode_types_leaves_strictly() {
        let ok =
            json!({"PersonCivilRegistrationIdentifier": "0101901234", "Count": 3, "Flag": false});
        assert!(run(ok, Mode::Json).0.is_empty());
        let bad = json!({"PersonCivilRegistrationIdentifier": "0101901234", "Count": "3"});
        assert_eq!(run(bad, Mode::Json).0, vec!["validation/type"]);
        let bad = json!({"PersonCivilRegistrationIdentifier": 101901234});
        assert_eq!(run(bad, Mode::Json).0, vec!["validation/type"]);
    }

    #[test]
    fn switched_off_checks_find_nothing() {
        let switches = Switches::new(["validation/cpr".to_string()].into());
        let patterns = Patterns::default();
        let mut v = Validator::new(&switches, &patterns);
        let mut value = json!({"PersonCivilRegistrationIdentifier": "3102901234"});
        v.children(&fields(), &mut value, Mode::Xml, "");
        assert!(v.findings.is_empty());
    }

    #[test]
    fn integers_and_guids() {
        assert_eq!(parse_integer(" +12 "), Some(12));
        assert_eq!(parse_integer("-1"), Some(-1));
        assert_eq!(parse_integer("1.0"), None);
        assert_eq!(parse_integer(""), None);
        assert!(is_guid("6f0c2d3e-0000-4000-8000-00000000000A"));
        assert!(!is_guid("6f0c2d3e00004000800000000000000A"));
    }
}
