//! Faults planted into an answer on its way back, to show that a case fails when a target
//! answers wrongly in ways its own checks cannot see: the main type here is
//! [`AnswerMutation`], applied to one exchange (the request's path and the raw answer) by
//! [`AnswerMutation::apply`]. A mutating proxy in front of a target (the tests' answer proxy,
//! answer mutants) applies it to the answers of the method it is aimed at.
//!
//! The mutations work on the wire text: XML by tag, JSON by member, so an answer that does not
//! hold what a mutation looks for is left as it is and [`AnswerMutation::apply`] says so.

use serde_json::Value;

use super::http::RawResponse;

/// One class of wrong answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerMutation {
    /// Every element (XML) or member (JSON) named `from` is named `to` instead.
    Rename { from: String, to: String },
    /// Every namespace declaration of `from` declares `to` instead.
    Namespace { from: String, to: String },
    /// The first `first` element and the first `second` element change places.
    Swap { first: String, second: String },
    /// Every element or member named `name` is left out.
    Drop { name: String },
    /// Every JSON number member named `member` becomes a string (`2` → `"2"`).
    NumberToString { member: String },
    /// Every JSON member named `member` changes its JSON type: a number or boolean becomes a
    /// string, a string a number, an object or array a string.
    JsonType { member: String },
    /// The first element named `name` is sent twice (XML); a JSON member becomes an array
    /// holding its value twice.
    Duplicate { name: String },
    /// A success answer (2xx) is sent with this status instead.
    SuccessStatus(u16),
    /// An error answer listing several codes loses its last one.
    DropCode,
    /// A success answer becomes an empty HTTP 204.
    Empty204,
    /// A SOAP fault (or any error answer) is sent with HTTP 200.
    ErrorOn200,
    /// The answer is replaced: status, content type and body, in which `{id}` stands for the
    /// last segment of the request's path (a resource answered whoever asked for it).
    Replace {
        status: u16,
        content_type: String,
        body: String,
    },
}

impl AnswerMutation {
    /// Plants the fault into `answer`; `false` if the answer held nothing to change.
    pub fn apply(&self, request_path: &str, answer: &mut RawResponse) -> bool {
        match self {
            AnswerMutation::Rename { from, to } => edit(answer, |text| {
                if is_json(text) {
                    json_edit(text, &mut |map| {
                        let Some(v) = map.remove(from) else {
                            return false;
                        };
                        map.insert(to.clone(), v);
                        true
                    })
                } else {
                    xml_rename(text, from, to)
                }
            }),
            AnswerMutation::Namespace { from, to } => edit(answer, |text| {
                let (a, b) = (format!("\"{from}\""), format!("\"{to}\""));
                text.contains(&a).then(|| text.replace(&a, &b))
            }),
            AnswerMutation::Swap { first, second } => edit(answer, |text| {
                let a = xml_element(text, first)?;
                let b = xml_element(text, second)?;
                let (x, y) = if a.start < b.start { (a, b) } else { (b, a) };
                if x.end > y.start {
                    return None;
                }
                Some(format!(
                    "{}{}{}{}{}",
                    &text[..x.start],
                    &text[y.clone()],
                    &text[x.end..y.start],
                    &text[x.clone()],
                    &text[y.end..]
                ))
            }),
            AnswerMutation::Drop { name } => edit(answer, |text| {
                if is_json(text) {
                    json_edit(text, &mut |map| map.remove(name).is_some())
                } else {
                    let mut out = text.to_string();
                    let mut changed = false;
                    while let Some(r) = xml_element(&out, name) {
                        out.replace_range(r, "");
                        changed = true;
                    }
                    changed.then_some(out)
                }
            }),
            AnswerMutation::NumberToString { member } => edit(answer, |text| {
                json_edit(text, &mut |map| match map.get_mut(member) {
                    Some(v @ Value::Number(_)) => {
                        *v = Value::String(v.to_string());
                        true
                    }
                    Some(_) | None => false,
                })
            }),
            AnswerMutation::JsonType { member } => edit(answer, |text| {
                json_edit(text, &mut |map| {
                    let Some(v) = map.get_mut(member) else {
                        return false;
                    };
                    let changed = match &*v {
                        Value::String(s) => Value::from(s.len()),
                        Value::Null => return false,
                        other => Value::String(other.to_string()),
                    };
                    *v = changed;
                    true
                })
            }),
            AnswerMutation::Duplicate { name } => edit(answer, |text| {
                if is_json(text) {
                    json_edit(text, &mut |map| match map.get_mut(name) {
                        Some(v) if !v.is_null() => {
                            *v = Value::Array(vec![v.clone(), v.clone()]);
                            true
                        }
                        Some(_) | None => false,
                    })
                } else {
                    let r = xml_element(text, name)?;
                    let mut out = text.to_string();
                    out.insert_str(r.end, &text[r.clone()]);
                    Some(out)
                }
            }),
            AnswerMutation::SuccessStatus(status) => {
                if !(200..300).contains(&answer.status) || answer.status == *status {
                    return false;
                }
                answer.status = *status;
                true
            }
            AnswerMutation::DropCode => edit(answer, |text| {
                if is_json(text) {
                    json_edit(text, &mut |map| match map.get_mut("errors") {
                        Some(Value::Array(items)) if items.len() > 1 => {
                            items.pop();
                            true
                        }
                        Some(_) | None => false,
                    })
                } else {
                    let count = text.matches("<Error>").count();
                    if count < 2 {
                        return None;
                    }
                    let start = text.rfind("<Error>")?;
                    let end = start + text[start..].find("</Error>")? + "</Error>".len();
                    Some(format!("{}{}", &text[..start], &text[end..]))
                }
            }),
            AnswerMutation::Empty204 => {
                if !(200..300).contains(&answer.status) {
                    return false;
                }
                answer.status = 204;
                answer.body.clear();
                answer
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                true
            }
            AnswerMutation::ErrorOn200 => {
                if answer.status < 400 {
                    return false;
                }
                answer.status = 200;
                true
            }
            AnswerMutation::Replace {
                status,
                content_type,
                body,
            } => {
                let id = request_path
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                answer.status = *status;
                answer.body = body.replace("{id}", id).into_bytes();
                answer
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                answer
                    .headers
                    .push(("content-type".into(), content_type.clone()));
                true
            }
        }
    }
}

fn edit(answer: &mut RawResponse, f: impl FnOnce(&str) -> Option<String>) -> bool {
    let Ok(text) = std::str::from_utf8(&answer.body) else {
        return false;
    };
    match f(text) {
        Some(new) => {
            answer.body = new.into_bytes();
            true
        }
        None => false,
    }
}

fn is_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// Applies `f` to every object of a JSON text; `Some` with the new text if any changed.
fn json_edit(
    text: &str,
    f: &mut dyn FnMut(&mut serde_json::Map<String, Value>) -> bool,
) -> Option<String> {
    fn walk(v: &mut Value, f: &mut dyn FnMut(&mut serde_json::Map<String, Value>) -> bool) -> bool {
        match v {
            Value::Object(map) => {
                let mut changed = f(map);
                for child in map.values_mut() {
                    changed |= walk(child, f);
                }
                changed
            }
            Value::Array(items) => items.iter_mut().fold(false, |c, i| walk(i, f) | c),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
        }
    }
    let mut v: Value = serde_json::from_str(text).ok()?;
    walk(&mut v, f).then(|| v.to_string())
}

/// Renames every element with this local name, whatever its prefix.
fn xml_rename(text: &str, from: &str, to: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let (head, tail) = tag.split_at(end);
        let name_start = if head.starts_with("</") { 2 } else { 1 };
        let name_end = head[name_start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(head.len(), |e| e + name_start);
        let qname = &head[name_start..name_end];
        let local = qname.rsplit(':').next().unwrap_or(qname);
        if local == from {
            let prefix = &qname[..qname.len() - local.len()];
            out.push_str(&head[..name_start]);
            out.push_str(prefix);
            out.push_str(to);
            out.push_str(&head[name_end..]);
            changed = true;
        } else {
            out.push_str(head);
        }
        rest = tail;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The byte range of the first element with this local name (start tag to end tag), where
/// it does not nest an element of the same name.
fn xml_element(text: &str, local: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(at) = text[from..].find('<').map(|i| i + from) {
        let after = &text[at + 1..];
        let name_end = after
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(after.len());
        let qname = &after[..name_end];
        if !qname.starts_with('/') && qname.rsplit(':').next() == Some(local) {
            let open_end = at + 1 + after.find('>')?;
            if text[..open_end].ends_with('/') {
                return Some(at..open_end + 1);
            }
            let close = format!("</{qname}>");
            let close_at = open_end + text[open_end..].find(&close)?;
            return Some(at..close_at + close.len());
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: vec![("content-type".into(), "text/xml".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn text(a: &RawResponse) -> &str {
        std::str::from_utf8(&a.body).unwrap()
    }

    const XML: &str = r#"<s:Envelope xmlns:s="urn:s"><s:Body><R xmlns="urn:r"><A>1</A><B><C/></B></R></s:Body></s:Envelope>"#;

    #[test]
    fn xml_mutations() {
        let mut a = answer(200, XML);
        assert!(
            AnswerMutation::Rename {
                from: "A".into(),
                to: "Z".into()
            }
            .apply("/", &mut a)
        );
        assert!(text(&a).contains("<Z>1</Z>"));
        let mut a = answer(200, XML);
        assert!(
            AnswerMutation::Swap {
                first: "A".into(),
                second: "B".into()
            }
            .apply("/", &mut a)
        );
        assert!(
            text(&a).contains("<R xmlns=\"urn:r\"><B><C/></B><A>1</A></R>"),
            "{}",
            text(&a)
        );
        let mut a = answer(200, XML);
        assert!(AnswerMutation::Drop { name: "B".into() }.apply("/", &mut a));
        assert!(text(&a).contains("<R xmlns=\"urn:r\"><A>1</A></R>"));
        let mut a = answer(200, XML);
        assert!(
            AnswerMutation::Namespace {
                from: "urn:r".into(),
                to: "urn:x".into()
            }
            .apply("/", &mut a)
        );
        assert!(text(&a).contains("xmlns=\"urn:x\""));
        let mut a = answer(200, XML);
        assert!(
            !AnswerMutation::Drop {
                name: "Nope".into()
            }
            .apply("/", &mut a)
        );
        assert_eq!(text(&a), XML);
    }

    #[test]
    fn duplicate_type_status_and_code_mutations() {
        let mut a = answer(200, XML);
        assert!(AnswerMutation::Duplicate { name: "A".into() }.apply("/", &mut a));
        assert!(text(&a).contains("<A>1</A><A>1</A>"), "{}", text(&a));
        let mut a = answer(200, r#"{"n":2,"s":"x","b":true}"#);
        for m in ["n", "s", "b"] {
            assert!(AnswerMutation::JsonType { member: m.into() }.apply("/", &mut a));
        }
        assert_eq!(text(&a), r#"{"n":"2","s":1,"b":"true"}"#);
        let mut a = answer(200, "{}");
        assert!(AnswerMutation::SuccessStatus(201).apply("/", &mut a));
        assert_eq!(a.status, 201);
        let mut a = answer(400, r#"{"errors":[{"code":1},{"code":2}]}"#);
        assert!(AnswerMutation::DropCode.apply("/", &mut a));
        assert_eq!(text(&a), r#"{"errors":[{"code":1}]}"#);
        let fault = "<detail><Error><Code>1</Code></Error><Error><Code>2</Code></Error></detail>";
        let mut a = answer(500, fault);
        assert!(AnswerMutation::DropCode.apply("/", &mut a));
        assert_eq!(text(&a), "<detail><Error><Code>1</Code></Error></detail>");
        let mut a = answer(500, "<Error><Code>1</Code></Error>");
        assert!(!AnswerMutation::DropCode.apply("/", &mut a));
    }

    #[test]
    fn json_and_status_mutations() {
        let body = r#"{"ydelse":{"kontaktgruppe":2,"startdato":"2026-01-01"}}"#;
        let mut a = answer(200, body);
        assert!(
            AnswerMutation::NumberToString {
                member: "kontaktgruppe".into()
            }
            .apply("/", &mut a)
        );
        assert!(text(&a).contains(r#""kontaktgruppe":"2""#));
        let mut a = answer(200, body);
        assert!(
            AnswerMutation::Rename {
                from: "startdato".into(),
                to: "startDato".into()
            }
            .apply("/", &mut a)
        );
        assert!(text(&a).contains("startDato"));
        let mut a = answer(200, body);
        assert!(AnswerMutation::Empty204.apply("/", &mut a));
        assert_eq!((a.status, a.body.len()), (204, 0));
        let mut a = answer(500, "<fault/>");
        assert!(AnswerMutation::ErrorOn200.apply("/", &mut a));
        assert_eq!(a.status, 200);
        let mut a = answer(404, "");
        let replace = AnswerMutation::Replace {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"id":"{id}"}"#.into(),
        };
        assert!(replace.apply("/v1/ydelse/abc?x=1", &mut a));
        assert_eq!(text(&a), r#"{"id":"abc"}"#);
        assert_eq!(a.header("content-type"), Some("application/json"));
    }
}
