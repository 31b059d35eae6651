//! Choosing which cases run: `--service`, `--method`, `--case` (a substring of the id, or a
//! glob with `*` and `?`) and `--tag`. Several values of one flag widen the choice; different
//! flags narrow it. The main type here is [`Filter`]; [`Shard`] splits the chosen cases among
//! CI jobs (`--shard K/N`).

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

/// One of `count` disjoint parts of the cases (`--shard K/N`): a case belongs to the shard
/// `fnv1a(id) mod N` + 1. The hash is FNV-1a (64 bit), fixed by its published constants, so a
/// case stays in its shard across machines, runs and konform versions, whatever else is added
/// to the corpus; Rust's own hasher is seeded per process and would not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn contains(&self, case_id: &str) -> bool {
        fnv1a(case_id.as_bytes()) % self.count == self.index - 1
    }
}

/// A `--shard` value that is not `K/N` with 1 ≤ K ≤ N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShardError(pub String);

impl From<String> for ShardError {
    fn from(s: String) -> ShardError {
        ShardError(s)
    }
}

impl From<&str> for ShardError {
    fn from(s: &str) -> ShardError {
        ShardError(s.to_string())
    }
}

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not K/N (the K-th of N shards, `1/4`)"))?;
        let parse = |v: &str| v.trim().parse::<u64>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(count)) if count >= 1 && (1..=count).contains(&index) => {
                Ok(Shard { index, count })
            }
            _ => Err(ShardError::from(format!(
                "`{s}` is not K/N with 1 <= K <= N (the K-th of N shards, `1/4`)"
            ))),
        }
    }
}

/// FNV-1a, 64 bit.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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
    fn shards_are_disjoint_complete_and_stable() {
        // The published FNV-1a test vectors: the hash never changes.
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x85944171f73967e8);
        let ids: Vec<String> = (0..500)
            .map(|i| format!("Method{}.case-{i}", i % 7))
            .collect();
        let shards: Vec<Shard> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        for id in &ids {
            assert_eq!(shards.iter().filter(|s| s.contains(id)).count(), 1, "{id}");
        }
        for s in &shards {
            let n = ids.iter().filter(|id| s.contains(id)).count();
            assert!((80..=170).contains(&n), "{s:?} has {n} of 500");
        }
        assert!("1/1".parse::<Shard>().unwrap().contains("anything"));
        for bad in ["0/4", "5/4", "1/0", "x", "1-4", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

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
