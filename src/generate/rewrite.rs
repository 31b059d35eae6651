//! Small rewrites of a case the cross-cutting generators share: the `${ids.NAME}` a request
//! refers to, renaming identifiers throughout a citizen's state or a request, and grafting one
//! request's change onto another. The main entry points are [`id_refs`], [`rename_ids`],
//! [`rename_refs`] and [`graft`].

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::case::model::When;

/// The names a request refers to as `${ids.NAME}`, in the order they first appear.
pub fn id_refs(when: &When) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(v) = serde_json::to_value(when) else {
        return out;
    };
    walk_strings(&v, &mut |s| {
        let mut rest = s;
        while let Some(at) = rest.find("${ids.") {
            let tail = &rest[at + 6..];
            let Some(end) = tail.find('}') else { break };
            let name = &tail[..end];
            if !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
            rest = &tail[end..];
        }
    });
    out
}

/// The names a `given` state defines (`id:` members), anywhere in it.
pub fn defined_ids<T: Serialize>(state: &T) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(state) {
        collect_ids(&v, &mut out);
    }
    out
}

fn collect_ids(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("id", Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => collect_ids(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_ids(i, out)),
        _ => {}
    }
}

/// The state with every `id:` prefixed with `prefix`; `None` if it does not round-trip.
pub fn rename_ids<T: Serialize + DeserializeOwned>(state: &T, prefix: &str) -> Option<T> {
    let mut v = serde_json::to_value(state).ok()?;
    fn walk(v: &mut Value, prefix: &str) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    match (k.as_str(), &mut *v) {
                        ("id", Value::String(s)) => *s = format!("{prefix}{s}"),
                        _ => walk(v, prefix),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, prefix)),
            _ => {}
        }
    }
    walk(&mut v, prefix);
    serde_json::from_value(v).ok()
}

/// `value` with every `${ids.NAME}` for a name in `names` renamed to `${ids.PREFIXNAME}`;
/// `None` if it does not round-trip.
pub fn rename_refs<T: Serialize + DeserializeOwned>(
    value: &T,
    names: &[String],
    prefix: &str,
) -> Option<T> {
    let mut v = serde_json::to_value(value).ok()?;
    fn walk(v: &mut Value, names: &[String], prefix: &str) {
        match v {
            Value::String(s) => {
                for n in names {
                    let from = format!("${{ids.{n}}}");
                    if s.contains(&from) {
                        *s = s.replace(&from, &format!("${{ids.{prefix}{n}}}"));
                    }
                }
            }
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, names, prefix)),
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, names, prefix)),
            _ => {}
        }
    }
    walk(&mut v, names, prefix);
    serde_json::from_value(v).ok()
}

fn walk_strings(v: &Value, f: &mut impl FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Object(map) => map.values().for_each(|v| walk_strings(v, f)),
        Value::Array(items) => items.iter().for_each(|i| walk_strings(i, f)),
        _ => {}
    }
}

/// Applies to `target` what `changed` changes in `base`: members removed, added or given
/// another value, in the body, the headers and the path parameters. Two changes of one base
/// at different places combine into one request with both.
pub fn graft(base: &When, changed: &When, target: &mut When) {
    graft_value(&base.body, &changed.body, &mut target.body);
    for (map_base, map_changed, map_target) in [
        (&base.headers, &changed.headers, &mut target.headers),
        (&base.path, &changed.path, &mut target.path),
    ] {
        for (k, v) in map_changed {
            if map_base.get(k) != Some(v) {
                map_target.insert(k.clone(), v.clone());
            }
        }
        for k in map_base.keys() {
            if !map_changed.contains_key(k) {
                map_target.remove(k);
            }
        }
    }
}

fn graft_value(base: &Value, changed: &Value, target: &mut Value) {
    if base == changed {
        return;
    }
    match (base, changed, &mut *target) {
        (Value::Object(b), Value::Object(c), Value::Object(t)) => {
            for (k, cv) in c {
                match (b.get(k), t.get_mut(k)) {
                    (Some(bv), Some(tv)) => graft_value(bv, cv, tv),
                    _ => {
                        t.insert(k.clone(), cv.clone());
                    }
                }
            }
            for k in b.keys() {
                if !c.contains_key(k) {
                    t.remove(k);
                }
            }
        }
        (Value::Array(b), Value::Array(c), Value::Array(t))
            if b.len() == c.len() && b.len() == t.len() =>
        {
            for ((bv, cv), tv) in b.iter().zip(c).zip(t.iter_mut()) {
                graft_value(bv, cv, tv);
            }
        }
        _ => *target = changed.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn when(body: Value) -> When {
        When {
            body,
            ..When::default()
        }
    }

    #[test]
    fn two_changes_of_one_base_combine() {
        let base = when(json!({"Cpr": "${cpr}", "A": {"x": "1", "y": "2"}}));
        let first = when(json!({"Cpr": "12", "A": {"x": "1", "y": "2"}}));
        let second = when(json!({"Cpr": "${cpr}", "A": {"y": "2"}}));
        let mut both = first.clone();
        graft(&base, &second, &mut both);
        assert_eq!(both.body, json!({"Cpr": "12", "A": {"y": "2"}}));
    }

    #[test]
    fn references_are_found_and_renamed() {
        let mut w = when(json!({"Id": "${ids.hl}", "Other": "x ${ids.iv} ${ids.hl}"}));
        w.path.insert("p".into(), "${ids.p1}".into());
        assert_eq!(id_refs(&w), vec!["p1", "hl", "iv"]);
        let renamed = rename_refs(&w, &["hl".to_string()], "others-").unwrap();
        assert_eq!(renamed.body["Id"], "${ids.others-hl}");
        assert_eq!(renamed.body["Other"], "x ${ids.iv} ${ids.others-hl}");
    }
}
