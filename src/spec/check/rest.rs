//! A REST success answer against its method's output table: members, JSON types, cardinality
//! and values. JSON has no order, so none is checked.

use serde_json::{Map, Value};

use super::shape::{AnswerShape, FieldShape};
use super::soap::shorten;
use super::{Grounds, JSON_COLLECTIONS, Mismatch, join, names, row_words, value};
use crate::spec::model::FieldKind;

pub fn success(shape: &AnswerShape, status: u16, body: &Value, out: &mut Vec<Mismatch>) {
    let Some(fields) = &shape.fields else {
        return;
    };
    let due: Vec<&FieldShape> = fields.iter().filter(|f| f.occurs.min > 0).collect();
    if body.is_null() {
        if let Some(first) = due.first() {
            out.push(Mismatch {
                path: first.name.clone(),
                expected: format!("an answer holding {}", row_words(first)),
                got: if status == 204 {
                    "an empty answer (HTTP 204)".into()
                } else {
                    format!("an empty answer (HTTP {status})")
                },
                grounds: table(),
            });
        }
        return;
    }
    match body {
        Value::Object(map) => object(map, fields, "", out),
        other => out.push(Mismatch {
            path: "(body)".into(),
            expected: "a JSON object".into(),
            got: json_words(other),
            grounds: table(),
        }),
    }
}

fn table() -> Grounds {
    Grounds::Document("the output table".into())
}

fn object(map: &Map<String, Value>, fields: &[FieldShape], path: &str, out: &mut Vec<Mismatch>) {
    for key in map.keys() {
        if !fields.iter().any(|f| f.is_named(key)) {
            out.push(Mismatch {
                path: join(path, key),
                expected: names(fields),
                got: format!("a member `{key}` the output table does not list"),
                grounds: table(),
            });
        }
    }
    for f in fields {
        let here = join(path, &f.name);
        let found = map
            .get(&f.name)
            .or_else(|| f.former_name.as_ref().and_then(|n| map.get(n)))
            .filter(|v| !v.is_null());
        match found {
            None if f.occurs.min > 0 => out.push(Mismatch {
                path: here,
                expected: row_words(f),
                got: "nothing".into(),
                grounds: table(),
            }),
            None => {}
            Some(v) => member(f, v, &here, out),
        }
    }
}

fn member(f: &FieldShape, v: &Value, path: &str, out: &mut Vec<Mismatch>) {
    if f.occurs.is_repeated() {
        let Value::Array(items) = v else {
            out.push(Mismatch {
                path: path.to_string(),
                expected: format!("an array: {}", row_words(f)),
                got: json_words(v),
                grounds: table(),
            });
            return;
        };
        count(f, items.len(), path, table(), out);
        for (i, item) in items.iter().enumerate() {
            single(f, item, &format!("{path}/{i}"), out);
        }
        return;
    }
    if let Some(items_field) = f.json_items() {
        let Value::Array(items) = v else {
            out.push(Mismatch {
                path: path.to_string(),
                expected: format!("an array of `{}`", items_field.name),
                got: json_words(v),
                grounds: Grounds::Reading(JSON_COLLECTIONS.into()),
            });
            return;
        };
        count(items_field, items.len(), path, table(), out);
        for (i, item) in items.iter().enumerate() {
            single(items_field, item, &format!("{path}/{i}"), out);
        }
        return;
    }
    single(f, v, path, out);
}

fn count(f: &FieldShape, n: usize, path: &str, grounds: Grounds, out: &mut Vec<Mismatch>) {
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    if n32 < f.occurs.min || f.occurs.max.is_some_and(|m| n32 > m) {
        out.push(Mismatch {
            path: path.to_string(),
            expected: row_words(f),
            got: format!("{n} items"),
            grounds,
        });
    }
}

fn single(f: &FieldShape, v: &Value, path: &str, out: &mut Vec<Mismatch>) {
    let wrong_type = |expected: &str| Mismatch {
        path: path.to_string(),
        expected: format!("{expected} ({})", f.type_words()),
        got: json_words(v),
        grounds: table(),
    };
    match f.kind {
        FieldKind::Complex => match v {
            Value::Object(map) => object(map, &f.children, path, out),
            _ => out.push(wrong_type("a JSON object")),
        },
        FieldKind::Integer => match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                if let Some(expected) = value::text(f, &n.to_string()) {
                    out.push(Mismatch {
                        path: path.to_string(),
                        expected,
                        got: n.to_string(),
                        grounds: table(),
                    });
                }
            }
            _ => out.push(wrong_type("a JSON integer")),
        },
        FieldKind::Boolean => match v {
            Value::Bool(_) => {}
            _ => out.push(wrong_type("a JSON boolean")),
        },
        FieldKind::String
        | FieldKind::Date
        | FieldKind::DateTime
        | FieldKind::Time
        | FieldKind::Guid => match v {
            Value::String(s) => {
                if let Some(expected) = value::text(f, s) {
                    out.push(Mismatch {
                        path: path.to_string(),
                        expected,
                        got: format!("`{}`", shorten(s)),
                        grounds: table(),
                    });
                }
            }
            _ => out.push(wrong_type("a JSON string")),
        },
    }
}

/// A JSON value in words: `the string "2"`, `the number 2`, `an object`.
pub fn json_words(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{}\"", shorten(s)),
        Value::Array(a) => format!("an array of {} items", a.len()),
        Value::Object(_) => "an object".into(),
    }
}
