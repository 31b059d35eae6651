//! Rules a method inherits from another by a sentence of its document: "Der gælder de samme
//! valideringsregler som ved CreatePersonInterview" (UpdatePersonInterview; UpdateInterview
//! from CreateInterview). The inheriting method answers the other's validation codes too, on
//! the grounds of that sentence and the other method's error rows. The main entry points are
//! [`inherited_from`] and [`inherited_codes`].

use std::sync::OnceLock;

use regex::Regex;

use super::model::Rule;
use super::{MethodRef, Spec};

/// The rule sentence saying `m` has another method's validation rules, and that method (in the
/// same service).
pub fn inherited_from<'a>(spec: &'a Spec, m: &MethodRef<'_>) -> Option<(Rule, MethodRef<'a>)> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"(?i)samme valideringsregler som ved (\w+)").ok())
        .as_ref()?;
    spec.rules(m).into_iter().find_map(|r| {
        let name = re.captures(&r.text)?.get(1)?.as_str().to_string();
        let from = spec
            .methods()
            .find(|o| o.service.service == m.service.service && o.method.name == name)?;
        Some((r, from))
    })
}

/// The codes `m` answers by inheritance that its own error table does not list.
pub fn inherited_codes(spec: &Spec, m: &MethodRef<'_>) -> Vec<u32> {
    match inherited_from(spec, m) {
        Some((_, from)) => from
            .method
            .errors
            .iter()
            .map(|e| e.code)
            .filter(|c| m.method.error(*c).is_none())
            .collect(),
        None => Vec::new(),
    }
}
