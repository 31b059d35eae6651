//! The flow the modules follow, and the test that holds the import graph to it:
//!
//! ```text
//! clock, diag, suggest, cpr, state, input, sanitise   shared pieces every stage may use
//! spec, soap → case, generate → plan → target, provision → run → report, coverage, waiver, mutate
//! reference                               beside: reads spec, state, clock and the shared pieces only
//! ```
//!
//! A module may import a module of an earlier stage, never one of a later stage. Within a
//! stage, only the listed edges are allowed (`provision` uses `target`, `generate` writes
//! `case` models). The reference is wired in only by `run::embedded` and `mutate`; `report`
//! never imports a target transport (`rest`, `soap`, `http`, `client`, `request`, `locate`),
//! only `target::outcome` and `target::profile`. `cli` (the binary) may import anything.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    /// The rank of each top-level module in the flow; `None` for the reference.
    fn rank(module: &str) -> Option<u8> {
        Some(match module {
            "clock" | "diag" | "suggest" | "cpr" | "state" | "input" | "sanitise" => 0,
            // `soap` (envelopes) reads the spec's fields and the spec's exports write
            // envelopes' namespaces: one stage, both edges listed below.
            "spec" | "soap" => 1,
            "case" | "generate" => 3,
            "plan" => 4,
            "target" | "provision" => 5,
            "run" | "doctor" => 6,
            "report" | "coverage" | "waiver" | "mutate" => 7,
            "reference" => return None,
            other => panic!("module `{other}` has no place in the flow: give it one here"),
        })
    }

    /// Edges within one stage, each in one direction only.
    const SAME_STAGE: [(&str, &str); 10] = [
        ("spec", "soap"),
        ("soap", "spec"),
        ("diag", "input"),
        ("case", "sanitise"),
        ("provision", "target"),
        ("generate", "case"),
        ("mutate", "coverage"),
        ("waiver", "report"),
        ("report", "coverage"),
        // `doctor` checks a target before a run; the run's early stop reuses its probe.
        ("run", "doctor"),
    ];

    /// What the reference may read.
    const REFERENCE_READS: [&str; 8] = [
        "spec", "state", "clock", "soap", "cpr", "suggest", "input", "sanitise",
    ];

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    /// `crate::a::b` paths in a file's code (comments left out), as (a, b).
    fn imports(text: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let mut rest = code;
            while let Some(at) = rest.find("crate::") {
                let after = &rest[at + "crate::".len()..];
                let word = |s: &str| -> String {
                    s.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                };
                let top = word(after);
                let second = after[top.len()..]
                    .strip_prefix("::")
                    .map(word)
                    .unwrap_or_default();
                if !top.is_empty() {
                    out.insert((top, second));
                }
                rest = after;
            }
        }
        out
    }

    /// Every edge against the flow, as `file: from -> to::sub (why)`.
    fn violations() -> Vec<String> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = Vec::new();
        files(&src, &mut all);
        all.sort();
        let mut bad = Vec::new();
        for file in all {
            let rel = file.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if matches!(top.as_str(), "cli" | "main" | "lib" | "layers") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for (to, sub) in imports(&text) {
                if to == top {
                    continue;
                }
                let edge = format!("{}: {top} -> {to}::{sub}", rel.display());
                let why = match (rank(&top), rank(&to)) {
                    (None, _) if !REFERENCE_READS.contains(&to.as_str()) => {
                        Some("the reference reads only the spec, state, clock and shared pieces")
                    }
                    (None, _) => None,
                    (Some(_), None) if rel != Path::new("run/embedded.rs") && top != "mutate" => {
                        Some("only run::embedded and mutate wire the reference in")
                    }
                    (Some(_), None) => None,
                    (Some(a), Some(b)) if b > a => Some("an import against the flow"),
                    (Some(a), Some(b))
                        if a == b && !SAME_STAGE.contains(&(top.as_str(), to.as_str())) =>
                    {
                        Some("an edge within a stage that is not listed")
                    }
                    _ => None,
                };
                let why = why.or_else(|| {
                    (top == "report"
                        && to == "target"
                        && !matches!(sub.as_str(), "outcome" | "profile"))
                    .then_some("report never imports a target transport")
                });
                if let Some(why) = why {
                    bad.push(format!("{edge} ({why})"));
                }
            }
        }
        bad
    }

    #[test]
    fn the_import_graph_follows_the_flow() {
        let bad = violations();
        assert!(
            bad.is_empty(),
            "edges against the flow:\n{}",
            bad.join("\n")
        );
    }

    #[test]
    fn the_scan_sees_imports_and_skips_comments() {
        let found = imports(
            "use crate::plan::PlannedCase;\n// crate::report::x\n    let x = crate::clock::Clock::now();\n",
        );
        let found: Vec<_> = found.into_iter().collect();
        assert_eq!(
            found,
            [
                ("clock".to_string(), "Clock".to_string()),
                ("plan".to_string(), "PlannedCase".to_string())
            ]
        );
        // A made-up edge against the flow is caught by the rules above.
        assert!(rank("plan") < rank("run"));
        assert_eq!(rank("reference"), None);
    }
}
