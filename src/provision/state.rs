//! The state-change request: a case's `given` with its times resolved against the case's clock
//! and its caller roles replaced by organisation codes, as the README's
//! `POST /konform/state` takes it. The main entry point is [`state_request`].
//!
//! ```json
//! { "now": "2026-11-24T10:00:00+01:00",
//!   "citizen": { "status": "alive", "jobcenter": "10101", "kommune": "101",
//!                "contact_groups": [ { "id": "cg", "type": 1, "start": "2026-10-25T00:00:00+02:00" } ] },
//!   "projects": [] }
//! ```

use serde_json::{Map, Value};

use crate::case::given::Given;
use crate::case::load::TIME_KEYS;
use crate::clock::{Clock, TimeFormat, TimeSpec};
use crate::state::CitizenState;

/// Why a state request cannot be built on this target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("the target has no caller role `{0}`")]
    UnknownRole(String),
    #[error("`{0}` is not a time")]
    BadTime(String),
}

/// Builds the state-change request body. `role_code` maps a role name to its organisation
/// code on the target; a value that is no role but looks like a code (`10101`) is sent as it is.
pub fn state_request(
    given: &Given,
    clock: Clock,
    caller: &str,
    role_code: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, StateError> {
    let mut out = Map::new();
    out.insert("now".into(), Value::String(clock.rfc3339()));
    if let Some(citizen) = &given.citizen {
        out.insert(
            "citizen".into(),
            citizen_value(citizen, clock, caller, role_code)?,
        );
    }
    let mut projects = serde_json::to_value(&given.projects).unwrap_or(Value::Array(Vec::new()));
    resolve_times(&mut projects, clock)?;
    out.insert("projects".into(), projects);
    Ok(Value::Object(out))
}

/// One citizen's state with its caller roles replaced by codes and its times resolved.
fn citizen_value(
    citizen: &CitizenState,
    clock: Clock,
    caller: &str,
    role_code: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, StateError> {
    let code = |name: &str| -> Result<String, StateError> {
        if let Some(c) = role_code(name) {
            return Ok(c);
        }
        let looks_like_code = name.chars().all(|c| c.is_ascii_alphanumeric())
            && name.chars().any(|c| c.is_ascii_digit());
        if looks_like_code {
            Ok(name.to_string())
        } else {
            Err(StateError::UnknownRole(name.to_string()))
        }
    };
    let mut c = serde_json::to_value(citizen).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut c {
        for (key, default) in [("jobcenter", "jobcenter"), ("kommune", "kommune")] {
            let name = map
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string();
            map.insert(key.into(), Value::String(code(&name)?));
        }
        for key in ["akasse", "anden_aktoer"] {
            if let Some(Value::String(name)) = map.get(key) {
                let resolved = code(name)?;
                map.insert(key.into(), Value::String(resolved));
            }
        }
        if let Some(Value::Array(items)) = map.get_mut("former_jobcenters") {
            for item in items {
                if let Value::String(name) = item {
                    *name = code(name)?;
                }
            }
        }
        for (list, key) in [("interviews", "registered_by"), ("markings", "created_by")] {
            if let Some(Value::Array(items)) = map.get_mut(list) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    let name = item
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or(caller)
                        .to_string();
                    item.insert(key.into(), Value::String(code(&name)?));
                }
            }
        }
        if let Some(Value::Array(items)) = map.get_mut("moves") {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                for key in ["from", "to"] {
                    if let Some(Value::String(name)) = item.get(key) {
                        let resolved = code(name)?;
                        item.insert(key.into(), Value::String(resolved));
                    }
                }
            }
        }
    }
    resolve_times(&mut c, clock)?;
    Ok(c)
}

/// Every time member becomes an RFC 3339 date-time (a birth date stays a date).
pub fn resolve_times(v: &mut Value, clock: Clock) -> Result<(), StateError> {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if TIME_KEYS.contains(&k.as_str())
                    && let Value::String(s) = v
                {
                    let format = if k == "birth_date" {
                        TimeFormat::Date
                    } else {
                        TimeFormat::DateTime
                    };
                    let resolved = TimeSpec::parse(s)
                        .and_then(|t| t.render(clock, format))
                        .ok_or_else(|| StateError::BadTime(s.clone()))?;
                    *s = resolved;
                    continue;
                }
                resolve_times(v, clock)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter_mut().try_for_each(|i| resolve_times(i, clock)),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roles(name: &str) -> Option<String> {
        match name {
            "jobcenter" => Some("10101".into()),
            "other-jobcenter" => Some("20202".into()),
            "kommune" => Some("101".into()),
            "akasse" => Some("12".into()),
            _ => None,
        }
    }

    #[test]
    fn resolves_times_and_roles() {
        let given: Given = serde_saphyr::from_str(
            r#"
caller: akasse
citizen:
  akasse: akasse
  former_jobcenters: [other-jobcenter, "30303"]
  contact_groups: [{ id: cg, type: 1, start: today-30d }]
  absences: [{ id: sick, type: 11, start: "${today-2d}", end: "2026-12-01" }]
  interviews: [{ type: 1, time: now-1h }]
  birth_date: today-30y
projects: [{ id: p, start: today }]
"#,
        )
        .unwrap();
        let clock = Clock::parse_rfc3339("2026-11-24T10:00:00+01:00").unwrap();
        let v = state_request(&given, clock, "akasse", &roles).unwrap();
        assert_eq!(v["now"], "2026-11-24T10:00:00+01:00");
        let c = &v["citizen"];
        assert_eq!(c["jobcenter"], "10101");
        assert_eq!(c["kommune"], "101");
        assert_eq!(c["akasse"], "12");
        assert_eq!(c["former_jobcenters"], json!(["20202", "30303"]));
        assert_eq!(c["contact_groups"][0]["start"], "2026-10-25T00:00:00+02:00");
        assert_eq!(c["absences"][0]["start"], "2026-11-22T00:00:00+01:00");
        assert_eq!(c["absences"][0]["end"], "2026-12-01T00:00:00+01:00");
        assert_eq!(c["interviews"][0]["time"], "2026-11-24T09:00:00+01:00");
        assert_eq!(c["interviews"][0]["registered_by"], "12");
        assert_eq!(c["birth_date"], "1996-11-24");
        assert_eq!(v["projects"][0]["start"], "2026-11-24T00:00:00+01:00");
    }

    #[test]
    fn an_unknown_role_is_named() {
        let given: Given = serde_saphyr::from_str("citizen: { akasse: other-akasse }").unwrap();
        let clock = Clock::parse_rfc3339("2026-11-24T10:00:00+01:00").unwrap();
        assert_eq!(
            state_request(&given, clock, "jobcenter", &roles),
            Err(StateError::UnknownRole("other-akasse".into()))
        );
    }
}
