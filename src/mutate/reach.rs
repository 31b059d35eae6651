//! Which of a method's cases can see a mutant, so each mutant runs only those (and a mutant no
//! case can see is reported as not reached without running anything). A case that passes on
//! the intact reference answers exactly what it expects, so:
//! - a code fault (a sibling, or the code answered as success) can only change the answers of
//!   the cases that expect that code;
//! - only cases that expect several codes get an answer with several codes (reporting, and the
//!   proxy's dropped code);
//! - a boundary of a body field is only evaluated where the case's body holds the field (its
//!   length, range or most occurrences) or the field's parent (its least occurrences).
//!
//! Everything else runs every case of the method, successes first where a success is what the
//! fault changes. The main entry point is [`select`].

use std::sync::Arc;

use serde_json::Value;

use crate::plan::PlannedCase;
use crate::plan::model::Expect;

/// Which cases of the mutant's method can see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every case.
    All,
    /// Every case, those that expect a success first.
    SuccessFirst,
    /// The cases that expect this code.
    Code(u32),
    /// The cases that expect several codes.
    SeveralCodes,
    /// The cases whose body holds a value at this path (a body field's length or range, or
    /// the parent of a body field, for its count).
    Body(String),
}

/// The cases of `cases` (one method's) that can see a mutant, most likely killers first.
pub fn select(reach: &Reach, cases: Vec<Arc<PlannedCase>>) -> Vec<Arc<PlannedCase>> {
    let mut selected: Vec<Arc<PlannedCase>> =
        cases.into_iter().filter(|c| sees(reach, c)).collect();
    if *reach == Reach::SuccessFirst {
        // Stable: the corpus order stays within each group.
        selected.sort_by_key(|c| !matches!(c.expect, Expect::Success(_)));
    }
    selected
}

fn sees(reach: &Reach, c: &PlannedCase) -> bool {
    match reach {
        Reach::All | Reach::SuccessFirst => true,
        Reach::Code(code) => matches!(&c.expect, Expect::Codes(codes) if codes.contains(code)),
        Reach::SeveralCodes => matches!(&c.expect, Expect::Codes(codes) if codes.len() > 1),
        Reach::Body(path) => {
            let when = &c.case.when;
            // A raw body may hold anything.
            when.raw.is_some() || path.is_empty() || reaches(&when.body, path)
        }
    }
}

/// Whether the body holds a value at `path` (in any item of a repeated element).
fn reaches(body: &Value, path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    walk(body, &parts)
}

fn walk(at: &Value, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return !at.is_null();
    };
    match at {
        Value::Array(items) => items.iter().any(|i| walk(i, parts)),
        Value::Object(map) => map.get(*first).is_some_and(|v| walk(v, rest)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_into_repeated_elements() {
        let body = json!({"A": [{"B": 1}, {"C": {"D": "x"}}]});
        assert!(reaches(&body, "A/B"));
        assert!(reaches(&body, "A/C/D"));
        assert!(!reaches(&body, "A/E"));
        assert!(!reaches(&body, "X"));
        assert!(!reaches(&json!(null), "X"));
    }
}
