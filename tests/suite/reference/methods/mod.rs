//! Every method of the real spec (`specs/`): for each, an accepted request and one request per
//! implemented error code, table-driven. A row patches the method's base state and base body
//! (JSON merge patch: `null` removes a member) and names the codes it expects (none: success).
//!
//! Strings in bodies may hold `${cpr}`, `${ids.NAME}` (an identifier the state created),
//! `${other.NAME}` (one created for a second citizen, [`Row::other`]) and `${uuid}` (fresh).

mod borgerflytte;
mod coverage;
mod interview;
mod mutants;
mod person_registration;
mod sygemelding;
mod ydelse;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use konform::spec::Spec;
use serde_json::{Value, json};

use crate::reference::harness::{Answer, NOW, Ref};

/// The real spec, loaded once.
pub fn spec() -> Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).expect("specs/ loads")
    })
    .clone()
}

/// Who calls.
#[derive(Debug, Clone, Copy)]
pub enum Caller {
    /// SOAP: OrganisationTypeIdentifier and OrganisationCode.
    Soap(u32, &'static str),
    /// REST: the token's client id.
    Rest(&'static str),
}

pub const JC: Caller = Caller::Soap(2, "10101");
pub const OTHER_JC: Caller = Caller::Soap(2, "20202");
pub const AKASSE: Caller = Caller::Soap(1, "12");
pub const OTHER_AKASSE: Caller = Caller::Soap(1, "13");
pub const KOMMUNE: Caller = Caller::Soap(3, "101");
pub const AA: Caller = Caller::Soap(5, "555");

/// One request and what it must answer.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: &'static str,
    pub caller: Option<Caller>,
    pub given: Value,
    pub body: Value,
    pub path: BTreeMap<&'static str, &'static str>,
    /// A second citizen's state, whose ids are `${other.NAME}`.
    pub other: Option<Value>,
    pub projects: Option<Value>,
    pub expect: Vec<u32>,
    /// A bare HTTP status instead of codes.
    pub status: Option<u16>,
    /// REST: the `x-civilRegistrationIdentifier` to send instead of the citizen's CPR.
    pub header_cpr: Option<&'static str>,
}

/// A row expecting `codes` (empty: success).
pub fn row(name: &'static str, expect: &[u32]) -> Row {
    Row {
        name,
        caller: None,
        given: json!({}),
        body: json!({}),
        path: BTreeMap::new(),
        other: None,
        projects: None,
        expect: expect.to_vec(),
        status: None,
        header_cpr: None,
    }
}

impl Row {
    pub fn given(mut self, patch: Value) -> Row {
        self.given = patch;
        self
    }
    pub fn body(mut self, patch: Value) -> Row {
        self.body = patch;
        self
    }
    pub fn by(mut self, caller: Caller) -> Row {
        self.caller = Some(caller);
        self
    }
    pub fn other(mut self, state: Value) -> Row {
        self.other = Some(state);
        self
    }
    pub fn projects(mut self, projects: Value) -> Row {
        self.projects = Some(projects);
        self
    }
    pub fn path(mut self, name: &'static str, value: &'static str) -> Row {
        self.path.insert(name, value);
        self
    }
    pub fn status(mut self, status: u16) -> Row {
        self.status = Some(status);
        self
    }
    pub fn header_cpr(mut self, cpr: &'static str) -> Row {
        self.header_cpr = Some(cpr);
        self
    }
}

/// A method's table: its base state, base body and default caller.
pub struct Table {
    pub service: &'static str,
    pub method: &'static str,
    pub caller: Caller,
    pub given: Value,
    pub body: Value,
    /// REST: verb and path template (`{name}` filled from the row's path or the base `path`).
    pub rest: Option<(&'static str, &'static str)>,
    pub path: BTreeMap<&'static str, &'static str>,
    pub projects: Value,
}

impl Table {
    pub fn soap(service: &'static str, method: &'static str, caller: Caller) -> Table {
        Table {
            service,
            method,
            caller,
            given: json!({}),
            body: json!({}),
            rest: None,
            path: BTreeMap::new(),
            projects: json!([]),
        }
    }

    pub fn rest(
        service: &'static str,
        method: &'static str,
        caller: &'static str,
        verb: &'static str,
        path: &'static str,
    ) -> Table {
        Table {
            rest: Some((verb, path)),
            caller: Caller::Rest(caller),
            ..Table::soap(service, method, Caller::Rest(caller))
        }
    }

    pub fn given(mut self, v: Value) -> Table {
        self.given = v;
        self
    }
    pub fn body(mut self, v: Value) -> Table {
        self.body = v;
        self
    }
    pub fn path(mut self, name: &'static str, value: &'static str) -> Table {
        self.path.insert(name, value);
        self
    }
    pub fn projects(mut self, v: Value) -> Table {
        self.projects = v;
        self
    }

    /// Pairs the table with its rows.
    pub fn rows(self, rows: Vec<Row>) -> (Table, Vec<Row>) {
        (self, rows)
    }

    /// Runs every row on one reference; fails listing every row that answered otherwise.
    pub async fn run(&self, rows: Vec<Row>) {
        let r = Ref::start(spec()).await;
        let failures = self.failures(&r, &rows).await;
        assert!(
            failures.is_empty(),
            "{} of {} rows failed:\n{}",
            failures.len(),
            rows.len(),
            failures.join("\n")
        );
    }

    /// The rows that answered otherwise than expected, described.
    pub async fn failures(&self, r: &Ref, rows: &[Row]) -> Vec<String> {
        let mut failures = Vec::new();
        for row in rows {
            let (answer, what) = self.call(r, row).await;
            let mut got = answer.codes.clone();
            got.sort_unstable();
            let mut want = row.expect.clone();
            want.sort_unstable();
            let ok = match row.status {
                Some(s) => answer.status == s,
                None if want.is_empty() => answer.ok(),
                None => got == want,
            };
            if !ok {
                failures.push(format!(
                    "{}/{} row {:?}: expected {:?}{}, got status {} codes {:?}\n  request: {}\n  answer: {}",
                    self.service,
                    self.method,
                    row.name,
                    want,
                    row.status.map(|s| format!(" status {s}")).unwrap_or_default(),
                    answer.status,
                    got,
                    what,
                    answer.raw.chars().take(600).collect::<String>()
                ));
            }
        }
        failures
    }

    async fn call(&self, r: &Ref, row: &Row) -> (Answer, String) {
        let mut vars = BTreeMap::new();
        if let Some(other) = &row.other {
            let (_, ids) = r.state(json!({"now": NOW, "citizen": other})).await;
            for (k, v) in ids {
                vars.insert(format!("other.{k}"), v);
            }
        }
        let projects = row
            .projects
            .clone()
            .unwrap_or_else(|| self.projects.clone());
        let given = merge(self.given.clone(), &row.given);
        let (cpr, ids) = r
            .state(json!({"now": NOW, "citizen": given, "projects": projects}))
            .await;
        vars.insert("cpr".into(), cpr.clone());
        for (k, v) in ids {
            vars.insert(format!("ids.{k}"), v);
        }
        let body = subst(&merge(self.body.clone(), &row.body), &vars);
        let caller = row.caller.unwrap_or(self.caller);
        match (self.rest, caller) {
            (None, Caller::Soap(t, code)) => {
                let what = format!("SOAP as {t}/{code}: {body}");
                (
                    r.soap(self.service, self.method, Some((t, code)), body)
                        .await,
                    what,
                )
            }
            (Some((verb, template)), Caller::Rest(client)) => {
                let mut path = template.to_string();
                let mut params = self.path.clone();
                params.extend(row.path.iter().map(|(k, v)| (*k, *v)));
                for (k, v) in &params {
                    let v = subst(&json!(v), &vars);
                    path = path.replace(&format!("{{{k}}}"), v.as_str().unwrap_or_default());
                }
                let token = r.token(client, None).await;
                let rid = uuid::Uuid::new_v4().to_string();
                let header_cpr = row.header_cpr.unwrap_or(cpr.as_str());
                let headers = [
                    ("x-civilRegistrationIdentifier", header_cpr),
                    ("x-requestId", rid.as_str()),
                ];
                let body = (verb != "GET").then_some(body);
                let what = format!(
                    "{verb} {path} as {client}: {}",
                    body.clone().unwrap_or_default()
                );
                (
                    r.rest(verb, &path, Some(&token), &headers, body).await,
                    what,
                )
            }
            _ => panic!(
                "{}: a SOAP caller for REST or the other way round",
                row.name
            ),
        }
    }
}

/// Runs tables, each on its own reference.
pub async fn run_tables(tables: Vec<(Table, Vec<Row>)>) {
    for (table, rows) in tables {
        table.run(rows).await;
    }
}

/// Every table of every service.
pub fn all_tables() -> Vec<(Table, Vec<Row>)> {
    let mut all = person_registration::tables();
    all.extend(interview::tables());
    all.extend(sygemelding::tables());
    all.extend(ydelse::tables());
    all.extend(borgerflytte::tables());
    all
}

/// JSON merge patch (RFC 7396): objects merge, `null` removes, anything else replaces.
pub fn merge(mut base: Value, patch: &Value) -> Value {
    match (base.as_object_mut(), patch.as_object()) {
        (Some(b), Some(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                } else {
                    let old = b.remove(k).unwrap_or(Value::Null);
                    b.insert(k.clone(), merge(old, v));
                }
            }
            base
        }
        _ => patch.clone(),
    }
}

/// Replaces `${...}` placeholders in every string.
pub fn subst(v: &Value, vars: &BTreeMap<String, String>) -> Value {
    match v {
        Value::String(s) => {
            let mut out = s.clone();
            while let Some(start) = out.find("${") {
                let Some(len) = out[start..].find('}') else {
                    break;
                };
                let key = out[start + 2..start + len].to_string();
                let value = if key == "uuid" {
                    uuid::Uuid::new_v4().to_string()
                } else {
                    vars.get(&key)
                        .cloned()
                        .unwrap_or_else(|| panic!("no value for ${{{key}}}"))
                };
                out.replace_range(start..start + len + 1, &value);
            }
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| subst(x, vars)).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), subst(x, vars))).collect())
        }
        other => other.clone(),
    }
}
