//! Choosing which cases run: `--service`, `--method`, `--case` (a substring of the id, or a
//! glob with `*` and `?`) and `--tag`. Several values of one flag widen the choice; different
//! flags narrow it. The main type here is [`Filter`].

use crate::case::Case;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub services: Vec<String>,
    pub methods: Vec<String>,
    pub cases: Vec<String>,
    pub tags: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.methods.is_empty()
            && self.cases.is_empty()
            && self.tags.is_empty()
    }

    pub fn matches(&self, case: &Case) -> bool {
        let any = |wanted: &[String], f: &dyn Fn(&str) -> bool| {
            wanted.is_empty() || wanted.iter().any(|w| f(w))
        };
        any(&self.services, &|s| s.eq_ignore_ascii_case(&case.service))
            && any(&self.methods, &|m| m.eq_ignore_ascii_case(&case.method))
            && any(&self.cases, &|pattern| id_matches(pattern, &case.id))
            && any(&self.tags, &|t| case.tags.iter().any(|ct| ct == t))
    }
}

/// A pattern with `*` or `?` must match the whole id; any other pattern is a substring.
pub fn id_matches(pattern: &str, id: &str) -> bool {
    if pattern.contains(['*', '?']) {
        glob(pattern.as_bytes(), id.as_bytes())
    } else {
        id.contains(pattern)
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_substrings() {
        assert!(id_matches("kth", "CreateYdelse.kth-2025"));
        assert!(id_matches("CreateYdelse.*", "CreateYdelse.kth-2025"));
        assert!(id_matches("*.kth-202?", "CreateYdelse.kth-2025"));
        assert!(!id_matches("*.kth", "CreateYdelse.kth-2025"));
        assert!(!id_matches("Update*", "CreateYdelse.kth-2025"));
        assert!(id_matches("*", "x"));
        assert!(id_matches("a*b*c", "aXXbYYc"));
        assert!(!id_matches("a*b*c", "aXXbYY"));
    }
}
