//! Deriving setup calls from `given`: the parts of a citizen's state that the services' own
//! methods can create are created through them, on a pool citizen that satisfies the rest.
//! The main type here is [`Deriver`].
//!
//! What can be derived, and what cannot:
//!
//! | `given` part | derived through | |
//! | --- | --- | --- |
//! | `citizen.contact_groups` | PersonRegistrationService/CreateContactGroup, one call per group, in order; `${ids.NAME}` is the receipt's `MessageIdentifier` | yes |
//! | `status`, `birth_date` | — a CPR's existence, death and birth date are facts of the CPR register | no |
//! | `jobcenter`, `kommune`, `former_jobcenters`, `akasse`, `anden_aktoer` | — affiliations the documents give no creating method for (UpdatePersonJobcenter moves a citizen, it does not set a history) | no |
//! | `enrollment`, `person_categories`, `absences`, `bookings`, `interviews`, `health_limitations`, `markings`, `ydelser`, `moves`, `projects` | — their methods need fields `given` does not hold (the interview's authority and contact form), refuse past dates (CreateHealthLimitation, 4668) or do not exist (enrollment, projects, moves) | no |
//! | `has_cv_number`, `failing_systems` | — simulated external systems | no |
//!
//! A derived call the target refuses makes the case not applicable, with the target's answer
//! as the reason (the reference, for one, refuses a contact group starting before today with
//! 4703): a case never passes on preconditions that were not established.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::ProvisionError;
use crate::plan::MethodInfo;
use crate::spec::Spec;
use crate::target::{Exchange, RenderedRequest, Target};

/// The service and method contact groups are created through.
pub const CONTACT_GROUP_METHOD: (&str, &str) = ("PersonRegistrationService", "CreateContactGroup");

/// Makes derived setup calls.
#[derive(Debug, Clone)]
pub struct Deriver {
    method: Arc<MethodInfo>,
    /// The caller role derived calls are made as.
    pub caller: String,
}

impl Deriver {
    /// A deriver calling as `caller`; `None` when the spec has no CreateContactGroup.
    pub fn new(spec: &Spec, caller: &str) -> Option<Deriver> {
        let (service, method) = CONTACT_GROUP_METHOD;
        let m = spec.service_method(service, method)?;
        let info = MethodInfo::build(spec, m).ok()?;
        Some(Deriver {
            method: Arc::new(info),
            caller: caller.to_string(),
        })
    }

    /// Splits a state-change request into what a pool citizen must already satisfy and the
    /// contact groups to derive; `None` when there is nothing to derive.
    pub fn split(request: &Value) -> Option<(Value, Vec<Value>)> {
        let mut base = request.clone();
        let groups = base
            .get_mut("citizen")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.shift_remove("contact_groups"))?;
        match groups {
            Value::Array(items) if !items.is_empty() => Some((base, items)),
            Value::Array(_)
            | Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::String(_)
            | Value::Object(_) => None,
        }
    }

    /// Creates the contact groups for `cpr`, in order, recording every exchange; a named
    /// group's identifier goes into `ids`, and `created` counts the groups the target accepted.
    pub async fn create(
        &self,
        target: &Target,
        cpr: &str,
        groups: &[Value],
        ids: &mut BTreeMap<String, String>,
        created: &mut usize,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), ProvisionError> {
        if target.role(&self.caller).is_none() {
            return Err(ProvisionError::NotApplicable(format!(
                "derived setup: the target has no caller role `{}` to create contact groups as",
                self.caller
            )));
        }
        for (i, g) in groups.iter().enumerate() {
            let mut group = Map::new();
            group.insert("PersonCivilRegistrationIdentifier".into(), json!(cpr));
            for (from, to) in [
                ("type", "ContactGroupTypeIdentifier"),
                ("event_time", "ContactGroupEventTime"),
                ("start", "ContactGroupStartTime"),
                ("end", "ContactGroupEndTime"),
            ] {
                if let Some(v) = g.get(from).filter(|v| !v.is_null()) {
                    group.insert(to.into(), v.clone());
                }
            }
            let what = format!(
                "derived setup {} {} (contact group {}, type {}, from {})",
                i + 1,
                self.method.name,
                g.get("id").and_then(Value::as_str).unwrap_or("unnamed"),
                g.get("type").map(Value::to_string).unwrap_or_default(),
                g.get("start").and_then(Value::as_str).unwrap_or("?"),
            );
            let request = RenderedRequest {
                body: Some(json!({ "ContactGroup": Value::Object(group) })),
                ..RenderedRequest::default()
            };
            let outcome = target
                .call(&self.method, &self.caller, &request, exchanges)
                .await;
            let body = super::setup::require_success(&what, outcome)?;
            *created += 1;
            if let Some(name) = g.get("id").and_then(Value::as_str) {
                let id = body
                    .get("ServiceReceipt")
                    .and_then(|r| r.get("MessageIdentifier"))
                    .and_then(Value::as_str);
                let Some(id) = id else {
                    return Err(ProvisionError::NotApplicable(format!(
                        "{what}: the receipt has no ServiceReceipt/MessageIdentifier for `${{ids.{name}}}`"
                    )));
                };
                ids.insert(name.to_string(), id.to_string());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_off_the_contact_groups() {
        let req = json!({"now": "n", "citizen": {"jobcenter": "10101", "contact_groups": [{"type": 1, "start": "s"}]}, "projects": []});
        let (base, groups) = Deriver::split(&req).unwrap();
        assert_eq!(
            base,
            json!({"now": "n", "citizen": {"jobcenter": "10101"}, "projects": []})
        );
        assert_eq!(groups.len(), 1);
        assert!(Deriver::split(&json!({"citizen": {"jobcenter": "1"}})).is_none());
        assert!(Deriver::split(&json!({"citizen": {"contact_groups": []}})).is_none());
        assert!(Deriver::split(&json!({"projects": []})).is_none());
    }
}
