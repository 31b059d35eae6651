//! The JSON Schema of the case-file format, for editors with a YAML language server
//! (`konform schema`). The main entry point is [`case_file_schema`]. The schema follows the
//! models the loader reads (`Given`, `When`, `Then`, `Check`), so it cannot drift from them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::given::Given;
use super::model::{Covers, Then, When};

/// One case as written in `cases/<Service>/<Method>.yaml`; a file is a list of these.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseEntry {
    /// Stable id, unique across the corpus: `<Method>.<slug>` (the method is the file's name).
    pub id: String,
    /// What the case shows, in one line.
    pub title: String,
    /// The documented error codes and rule ids of the method this case covers.
    #[serde(default)]
    pub covers: Covers,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Overlay entries the case rests on (`code_lists.kontaktgruppe.KTH`).
    #[serde(default)]
    pub assumes: Vec<String>,
    /// Preconditions: the caller, the citizen's state, the clock, setup calls.
    #[serde(default)]
    pub given: Given,
    /// The request.
    pub when: When,
    /// The expectation: `{ success: true, fields: {...} }`, `{ error: CODE }`,
    /// `{ errors: [CODES] }` or `{ status: HTTP }`.
    pub then: Then,
}

/// The schema of a case file (a list of [`CaseEntry`]), as pretty JSON.
pub fn case_file_schema() -> String {
    let mut schema = schemars::schema_for!(Vec<CaseEntry>);
    schema.insert("title".into(), "konform case file".into());
    schema.insert(
        "description".into(),
        "cases/<Service>/<Method>.yaml: a list of declarative cases of one DFDG method".into(),
    );
    serde_json::to_string_pretty(&schema).expect("a schema serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_case_key_and_check() {
        let s = case_file_schema();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["type"], "array");
        for key in super::super::load::CASE_KEYS {
            assert!(s.contains(&format!("\"{key}\"")), "{key}");
        }
        for word in [
            "contact_groups",
            "equals",
            "matches",
            "count",
            "present",
            "omit",
            "raw",
            "errors",
            "status",
        ] {
            assert!(s.contains(word), "{word}");
        }
        // Case entries reject unknown keys, as the loader does.
        assert!(s.contains("\"additionalProperties\": false"));
    }
}
