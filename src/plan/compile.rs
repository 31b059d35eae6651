//! Template compilation: a case's strings and bodies into [`Template`]s and [`TValue`]s, each
//! string knowing the time format of the field it fills. The main entry point is
//! [`compile_value`].

use serde_json::Value;

use crate::case::template::{TValue, Template};
use crate::clock::TimeFormat;
use crate::spec::model::{Field, FieldKind};

pub(super) fn compile(s: &str) -> Template {
    // Syntax was checked at loading; a template that still fails is sent as written.
    Template::parse(s).unwrap_or_else(|_| Template {
        parts: vec![crate::case::template::Part::Literal(s.to_string())],
    })
}

/// Compiles a body against its fields, so each string knows the time format of its field.
pub fn compile_value(v: &Value, fields: &[Field]) -> TValue {
    compile_with_field(v, fields, None)
}

fn compile_with_field(v: &Value, children: &[Field], this: Option<&Field>) -> TValue {
    match v {
        Value::String(s) => {
            let t = compile(s);
            let format = match this.map(Field::kind) {
                Some(FieldKind::Date) => TimeFormat::Date,
                Some(FieldKind::DateTime) => TimeFormat::DateTime,
                _ => TimeFormat::Natural,
            };
            if t.is_literal() {
                TValue::Fixed(v.clone())
            } else {
                TValue::Str(t, format)
            }
        }
        Value::Array(items) => {
            let compiled: Vec<TValue> = items
                .iter()
                .map(|i| compile_with_field(i, children, this))
                .collect();
            if compiled.iter().all(|c| matches!(c, TValue::Fixed(_))) {
                TValue::Fixed(v.clone())
            } else {
                TValue::Array(compiled)
            }
        }
        Value::Object(map) => {
            let members: Vec<(String, TValue)> = map
                .iter()
                .map(|(k, v)| {
                    let field = children
                        .iter()
                        .find(|f| &f.name == k || f.former_name.as_deref() == Some(k));
                    let grandchildren = field.map(|f| f.children.as_slice()).unwrap_or(&[]);
                    (k.clone(), compile_with_field(v, grandchildren, field))
                })
                .collect();
            if members.iter().all(|(_, c)| matches!(c, TValue::Fixed(_))) {
                TValue::Fixed(v.clone())
            } else {
                TValue::Object(members)
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => TValue::Fixed(v.clone()),
    }
}
