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

/// The paths (`body/A/x`, `header/x-requestId`, `path/id`) where `changed` differs from `base`.
pub fn changes(base: &When, changed: &When) -> Vec<String> {
    let mut out = Vec::new();
    diff_value(&base.body, &changed.body, "body", &mut out);
    for (kind, b, c) in [
        ("header", &base.headers, &changed.headers),
        ("path", &base.path, &changed.path),
    ] {
        for k in b.keys().chain(c.keys()) {
            if b.get(k) != c.get(k) && !out.contains(&format!("{kind}/{k}")) {
                out.push(format!("{kind}/{k}"));
            }
        }
    }
    out
}

/// Whether the flags around each changed body path (its boolean siblings, other than the
/// changed ones) are the same in `from` and `onto`: a change carried from one request to
/// another means the same only where the same rules hold.
pub fn same_surroundings(from: &When, onto: &When, changed: &[String]) -> bool {
    changed.iter().all(|p| {
        let Some(rest) = p.strip_prefix("body/") else {
            return true;
        };
        let parent: Vec<&str> = match rest.rsplit_once('/') {
            Some((parent, _)) => parent.split('/').collect(),
            None => Vec::new(),
        };
        let at = |v: &Value| {
            parent.iter().try_fold(v.clone(), |v, k| match v {
                Value::Array(items) => k.parse::<usize>().ok().and_then(|i| items.get(i).cloned()),
                other => other.get(*k).cloned(),
            })
        };
        let (Some(Value::Object(a)), Some(Value::Object(b))) = (at(&from.body), at(&onto.body))
        else {
            return false;
        };
        a.iter().all(|(k, v)| {
            let here = if parent.is_empty() {
                format!("body/{k}")
            } else {
                format!("body/{}/{k}", parent.join("/"))
            };
            // The flags beside it (InterviewWithMoreAuthorities) decide which rules hold.
            !v.is_boolean()
                || changed
                    .iter()
                    .any(|c| c == &here || c.starts_with(&format!("{here}/")))
                || b.get(k) == Some(v)
        })
    })
}

/// `target` with every member of `own` that names a registration (`${ids.NAME}`) put back
/// where `own` has it: a change carried over never changes which registration a request names.
pub fn keep_registration(own: &When, target: &mut When) {
    fn walk(own: &Value, target: &mut Value) {
        match (own, target) {
            (Value::Object(o), Value::Object(t)) => {
                for (k, v) in o {
                    if v.as_str().is_some_and(|s| s.contains("${ids.")) {
                        t.insert(k.clone(), v.clone());
                    } else if let Some(tv) = t.get_mut(k) {
                        walk(v, tv);
                    }
                }
            }
            (Value::Array(o), Value::Array(t)) => {
                for (ov, tv) in o.iter().zip(t.iter_mut()) {
                    walk(ov, tv);
                }
            }
            _ => {}
        }
    }
    walk(&own.body, &mut target.body);
    for (k, v) in own.path.iter().chain(&own.headers) {
        if v.contains("${ids.") {
            if own.path.contains_key(k) {
                target.path.insert(k.clone(), v.clone());
            } else {
                target.headers.insert(k.clone(), v.clone());
            }
        }
    }
}

fn diff_value(base: &Value, changed: &Value, at: &str, out: &mut Vec<String>) {
    if base == changed {
        return;
    }
    match (base, changed) {
        (Value::Object(b), Value::Object(c)) => {
            for k in b.keys().chain(c.keys().filter(|k| !b.contains_key(*k))) {
                diff_value(
                    b.get(k).unwrap_or(&Value::Null),
                    c.get(k).unwrap_or(&Value::Null),
                    &format!("{at}/{k}"),
                    out,
                );
            }
        }
        (Value::Array(b), Value::Array(c)) if b.len() == c.len() => {
            for (i, (bv, cv)) in b.iter().zip(c).enumerate() {
                diff_value(bv, cv, &format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at.to_string()),
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
