//! Choosing which cases run: `--service`, `--method` (`Method` or `Service/Method`, as
//! `spec show` prints it), `--case` (an id, `Service/id`, a glob with `*` and `?`, or a
//! substring of the id) and `--tag`. One rule for every filter: letter case never matters.
//! Several values of one flag widen the choice; different flags narrow it. A value that
//! matches no case of the corpus at all is an error with a "did you mean" ([`Filter::select`]).
//! The main type here is [`Filter`]; [`Shard`] splits the chosen cases among CI jobs
//! (`--shard K/N`).

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
        self.matches_with(case, &[])
    }

    /// [`Filter::matches`], where the `--case` values in `exact` are whole ids (or
    /// `Service/id`) rather than substrings.
    fn matches_with(&self, case: &Case, exact: &[&str]) -> bool {
        let any = |wanted: &[String], f: &dyn Fn(&str) -> bool| {
            wanted.is_empty() || wanted.iter().any(|w| f(w))
        };
        any(&self.services, &|s| service_matches(s, case))
            && any(&self.methods, &|m| method_matches(m, case))
            && any(&self.cases, &|pattern| {
                if exact.contains(&pattern) {
                    is_id(pattern, case)
                } else {
                    case_matches(pattern, case)
                }
            })
            && any(&self.tags, &|t| tag_matches(t, case))
    }

    /// The cases the filter chooses, in corpus order. Every value must match at least one
    /// case of the corpus on its own; one that does not is an error naming the flag and the
    /// nearest known name. Values that each match but together leave nothing are an error too.
    pub fn select<'a, T>(
        &self,
        cases: &'a [T],
        case_of: impl Fn(&T) -> &Case,
    ) -> Result<Vec<&'a T>, FilterError> {
        let all: Vec<&Case> = cases.iter().map(&case_of).collect();
        let flags: [(&str, &[String], Matcher); 4] = [
            ("--service", &self.services, service_matches),
            ("--method", &self.methods, method_matches),
            ("--case", &self.cases, case_matches),
            ("--tag", &self.tags, tag_matches),
        ];
        for (flag, values, matches) in flags {
            for value in values {
                if !all.iter().any(|c| matches(value, c)) {
                    let known = known_values(flag, &all);
                    let suggestion =
                        crate::suggest::did_you_mean(value, known.iter().map(String::as_str))
                            .map(str::to_string);
                    return Err(FilterError::Unknown {
                        flag,
                        value: value.clone(),
                        suggestion,
                    });
                }
            }
        }
        // A `--case` value that is some case's whole id chooses that case alone, not every
        // id it is a part of.
        let exact: Vec<&str> = self
            .cases
            .iter()
            .filter(|v| all.iter().any(|c| is_id(v, c)))
            .map(String::as_str)
            .collect();
        let chosen: Vec<&T> = cases
            .iter()
            .filter(|c| self.matches_with(case_of(c), &exact))
            .collect();
        if chosen.is_empty() && !cases.is_empty() {
            return Err(FilterError::Disjoint { total: cases.len() });
        }
        Ok(chosen)
    }
}

/// Whether one filter value matches a case.
type Matcher = fn(&str, &Case) -> bool;

/// A filter that chooses nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("{flag} {value}: no case matches{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        flag: &'static str,
        value: String,
        suggestion: Option<String>,
    },
    #[error(
        "each filter matches cases, but no case matches them all ({total} cases in the corpus)"
    )]
    Disjoint { total: usize },
}

/// The names a flag knows in this corpus, for "did you mean".
fn known_values(flag: &str, cases: &[&Case]) -> Vec<String> {
    let mut known: Vec<String> = match flag {
        "--service" => cases.iter().map(|c| c.service.clone()).collect(),
        "--method" => cases
            .iter()
            .flat_map(|c| [c.method.clone(), format!("{}/{}", c.service, c.method)])
            .collect(),
        "--tag" => cases.iter().flat_map(|c| c.tags.clone()).collect(),
        _ => cases.iter().map(|c| c.id.clone()).collect(),
    };
    known.sort();
    known.dedup();
    known
}

fn service_matches(value: &str, case: &Case) -> bool {
    value.eq_ignore_ascii_case(&case.service)
}

/// `Method`, or `Service/Method` as `konform spec show` prints it.
fn method_matches(value: &str, case: &Case) -> bool {
    match value.rsplit_once('/') {
        Some((service, method)) => {
            service.eq_ignore_ascii_case(&case.service) && method.eq_ignore_ascii_case(&case.method)
        }
        None => value.eq_ignore_ascii_case(&case.method),
    }
}

fn tag_matches(value: &str, case: &Case) -> bool {
    case.tags.iter().any(|t| t.eq_ignore_ascii_case(value))
}

/// `Service/<pattern>` narrows the pattern to one service (the two services that share
/// method names); the pattern is matched by [`id_matches`].
fn case_matches(value: &str, case: &Case) -> bool {
    if let Some((service, pattern)) = value.split_once('/')
        && service.eq_ignore_ascii_case(&case.service)
    {
        return id_matches(pattern, &case.id);
    }
    id_matches(value, &case.id)
}

/// `value` is the case's id, or its `Service/id`.
fn is_id(value: &str, case: &Case) -> bool {
    value.eq_ignore_ascii_case(&case.id)
        || value.eq_ignore_ascii_case(&qualified_id(&case.service, &case.id))
}

/// A case's id qualified by its service, `Service/id`: what `--case` takes to choose exactly
/// one case, whichever service it is in.
pub fn qualified_id(service: &str, id: &str) -> String {
    format!("{service}/{id}")
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
/// Letter case never matters.
pub fn id_matches(pattern: &str, id: &str) -> bool {
    let (pattern, id) = (pattern.to_lowercase(), id.to_lowercase());
    if pattern.contains(['*', '?']) {
        glob(pattern.as_bytes(), id.as_bytes())
    } else {
        id.contains(&pattern)
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

    fn case(service: &str, id: &str, tags: &[&str]) -> Case {
        let method = id.split('.').next().unwrap();
        serde_json::from_value(serde_json::json!({
            "id": id, "title": "t", "service": service, "method": method,
            "covers": {}, "tags": tags, "assumes": [],
            "given": { "caller": "kommune" }, "when": {}, "then": { "success": true },
            "origin": { "file": "x.yaml", "line": 1, "generated": false }
        }))
        .unwrap()
    }

    fn corpus() -> Vec<Case> {
        vec![
            case(
                "InterviewService",
                "AddInterviewParticipant.no-name",
                &["smoke"],
            ),
            case(
                "PersonRegistrationService",
                "AddInterviewParticipant.person-registration.no-name",
                &[],
            ),
            case(
                "VisiteringOgStatus.YdelsesVisiteringService",
                "CreateYdelse.accepted",
                &["Smoke"],
            ),
            case(
                "VisiteringOgStatus.YdelsesVisiteringService",
                "CreateYdelse.accepted-later",
                &["kth"],
            ),
        ]
    }

    fn ids(filter: &Filter) -> Result<Vec<String>, FilterError> {
        let cases = corpus();
        filter
            .select(&cases, |c| c)
            .map(|v| v.iter().map(|c| c.id.clone()).collect())
    }

    #[test]
    fn every_filter_ignores_case_and_suggests() {
        let f = Filter {
            tags: vec!["SMOKE".into()],
            ..Filter::default()
        };
        assert_eq!(
            ids(&f).unwrap(),
            ["AddInterviewParticipant.no-name", "CreateYdelse.accepted"]
        );
        let f = Filter {
            methods: vec!["CreateYdelsee".into()],
            ..Filter::default()
        };
        let e = ids(&f).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--method CreateYdelsee: no case matches; did you mean `CreateYdelse`?"
        );
        let f = Filter {
            services: vec!["InterviewServce".into()],
            ..Filter::default()
        };
        assert!(
            ids(&f)
                .unwrap_err()
                .to_string()
                .contains("did you mean `InterviewService`")
        );
        let f = Filter {
            tags: vec!["kthh".into()],
            ..Filter::default()
        };
        assert!(
            ids(&f)
                .unwrap_err()
                .to_string()
                .contains("did you mean `kth`")
        );
        let f = Filter {
            cases: vec!["CreateYdelse.acepted".into()],
            ..Filter::default()
        };
        assert!(
            ids(&f)
                .unwrap_err()
                .to_string()
                .contains("did you mean `CreateYdelse.accepted`")
        );
        let f = Filter {
            tags: vec!["kth".into()],
            methods: vec!["AddInterviewParticipant".into()],
            ..Filter::default()
        };
        assert!(matches!(
            ids(&f).unwrap_err(),
            FilterError::Disjoint { total: 4 }
        ));
    }

    #[test]
    fn service_qualified_methods_and_ids_tell_the_services_apart() {
        let f = Filter {
            methods: vec!["interviewservice/addinterviewparticipant".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&f).unwrap(), ["AddInterviewParticipant.no-name"]);
        let f = Filter {
            methods: vec!["AddInterviewParticipant".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&f).unwrap().len(), 2);
        // A whole id chooses that case alone; a part of one is a substring.
        let f = Filter {
            cases: vec!["CreateYdelse.accepted".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&f).unwrap(), ["CreateYdelse.accepted"]);
        let f = Filter {
            cases: vec!["createydelse.accept".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&f).unwrap().len(), 2);
        let f = Filter {
            cases: vec!["PersonRegistrationService/AddInterviewParticipant*".into()],
            ..Filter::default()
        };
        assert_eq!(
            ids(&f).unwrap(),
            ["AddInterviewParticipant.person-registration.no-name"]
        );
        let f = Filter {
            cases: vec!["InterviewService/AddInterviewParticipant.no-name".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&f).unwrap(), ["AddInterviewParticipant.no-name"]);
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
