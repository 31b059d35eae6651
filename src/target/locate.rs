//! Reading error codes out of an answer at the places a profile names ([`ErrorLocation`]):
//! JSON pointers into a REST error body, element paths below a SOAP Fault. The main entry
//! point is [`errors_at`]; [`Found`] says whether codes were found, found but unreadable, or
//! not found at all.
//!
//! ```text
//! { items: /errors, code: /code, text: /text }     {"errors":[{"code":4669,"text":"..."}]}
//! { items: detail/Errors/Error, code: Code }       <detail><Errors><Error><Code>4653</Code>...
//! { code: faultcode, text: faultstring }           <faultcode>s:8232</faultcode>
//! ```

use serde_json::Value;

use super::outcome::DfdgError;
use super::profile::ErrorLocation;

/// How paths are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// RFC 6901 JSON pointers (`/errors/0/code`).
    JsonPointer,
    /// `/`-separated element names; a repeated element is every one of them.
    Elements,
}

/// What the locations found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Codes, from the first location that had any.
    Codes(Vec<DfdgError>),
    /// A location held a value that is not a numeric code (`Client`, `E-17`).
    Unreadable(String),
    /// No location held anything.
    Nothing,
}

/// Reads the errors at the first location that yields a code.
pub fn errors_at(root: &Value, locations: &[ErrorLocation], style: PathStyle) -> Found {
    let mut unreadable = None;
    for loc in locations {
        let items: Vec<&Value> = match &loc.items {
            Some(p) => find(root, p, style)
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(a) => a.iter().collect::<Vec<_>>(),
                    other => vec![other],
                })
                .collect(),
            None => vec![root],
        };
        let mut errors = Vec::new();
        for item in items {
            let texts: Vec<String> = loc
                .text
                .as_deref()
                .map(|p| find(item, p, style).into_iter().filter_map(leaf).collect())
                .unwrap_or_default();
            let codes: Vec<&Value> = find(item, &loc.code, style)
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(a) => a.iter().collect::<Vec<_>>(),
                    other => vec![other],
                })
                .collect();
            for (i, value) in codes.into_iter().enumerate() {
                match code(value) {
                    Some(code) => errors.push(DfdgError {
                        code,
                        text: texts.get(i).cloned().filter(|t| !t.trim().is_empty()),
                    }),
                    None => {
                        let shown = leaf(value).unwrap_or_else(|| value.to_string());
                        unreadable.get_or_insert(format!(
                            "`{}` at `{}` is not a numeric error code",
                            shown.chars().take(80).collect::<String>(),
                            loc.code
                        ));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Found::Codes(errors);
        }
    }
    match unreadable {
        Some(why) => Found::Unreadable(why),
        None => Found::Nothing,
    }
}

/// Every value at a path (element paths spread over repeated elements).
fn find<'v>(root: &'v Value, path: &str, style: PathStyle) -> Vec<&'v Value> {
    match style {
        PathStyle::JsonPointer => root.pointer(path).into_iter().collect(),
        PathStyle::Elements => {
            let mut current = vec![root];
            for seg in path.split('/').filter(|s| !s.is_empty()) {
                let mut next = Vec::new();
                for v in current {
                    match v {
                        Value::Object(m) => next.extend(m.get(seg)),
                        Value::Array(items) => next.extend(
                            items
                                .iter()
                                .filter_map(|i| i.as_object().and_then(|m| m.get(seg))),
                        ),
                        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
                    }
                }
                current = next
                    .into_iter()
                    .flat_map(|v| match v {
                        Value::Array(a) => a.iter().collect::<Vec<_>>(),
                        other => vec![other],
                    })
                    .collect();
            }
            current
        }
    }
}

fn leaf(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(_) | Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A numeric code: a JSON number, or a string of digits, possibly behind a namespace prefix
/// (`s:8232`, `soap:4653`).
fn code(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => u32::try_from(n.as_u64()?).ok(),
        Value::String(s) => {
            let s = s.trim();
            let s = s.rsplit(':').next().unwrap_or(s).trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        Value::Bool(_) | Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::profile::ErrorCodes;
    use serde_json::json;

    fn loc(items: Option<&str>, code: &str, text: Option<&str>) -> ErrorLocation {
        ErrorLocation {
            items: items.map(str::to_string),
            code: code.into(),
            text: text.map(str::to_string),
        }
    }

    #[test]
    fn rest_defaults_and_other_shapes() {
        let rest = ErrorCodes::default().rest;
        let body = json!({"errors": [{"code": 4669, "text": "a"}, {"code": "9393"}]});
        assert_eq!(
            errors_at(&body, &rest, PathStyle::JsonPointer),
            Found::Codes(vec![
                DfdgError {
                    code: 4669,
                    text: Some("a".into())
                },
                DfdgError {
                    code: 9393,
                    text: None
                }
            ])
        );
        let flat = json!({"fejlkode": "100049", "fejltekst": "Lovhenvisning"});
        let custom = vec![loc(None, "/fejlkode", Some("/fejltekst"))];
        assert_eq!(
            errors_at(&flat, &custom, PathStyle::JsonPointer),
            Found::Codes(vec![DfdgError {
                code: 100049,
                text: Some("Lovhenvisning".into())
            }])
        );
        assert_eq!(
            errors_at(&flat, &rest, PathStyle::JsonPointer),
            Found::Nothing
        );
        assert!(matches!(
            errors_at(&json!({"errors":[{"code":"E-1"}]}), &rest, PathStyle::JsonPointer),
            Found::Unreadable(why) if why.contains("`E-1`")
        ));
    }

    #[test]
    fn soap_element_paths_spread_over_repeated_elements() {
        let soap = ErrorCodes::default().soap;
        let fault = json!({
            "faultcode": "s:4653",
            "faultstring": "old",
            "detail": {"Errors": {"Error": [{"Code": "4653", "Text": "old"}, {"Code": "4657"}]}}
        });
        let Found::Codes(errors) = errors_at(&fault, &soap, PathStyle::Elements) else {
            panic!()
        };
        assert_eq!(
            errors.iter().map(|e| e.code).collect::<Vec<_>>(),
            vec![4653, 4657]
        );
        let bare = json!({"faultcode": "soap:8232", "faultstring": "x", "detail": null});
        assert_eq!(
            errors_at(&bare, &soap, PathStyle::Elements),
            Found::Codes(vec![DfdgError {
                code: 8232,
                text: Some("x".into())
            }])
        );
        let client = json!({"faultcode": "soap:Client", "faultstring": "x"});
        assert!(matches!(
            errors_at(&client, &soap, PathStyle::Elements),
            Found::Unreadable(_)
        ));
        let vendor = json!({"detail": {"Fejl": {"Kode": "4511"}}});
        assert_eq!(
            errors_at(
                &vendor,
                &[loc(None, "detail/Fejl/Kode", None)],
                PathStyle::Elements
            ),
            Found::Codes(vec![DfdgError {
                code: 4511,
                text: None
            }])
        );
    }
}
