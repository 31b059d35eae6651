//! Loading the case corpus: every `cases/<Service>/<Method>.yaml` into validated [`Case`]s,
//! collecting every problem in every file (with file, line, column and field) instead of
//! stopping at the first. Parsing never panics. The main entry point is [`load_dir`]; checks
//! against the spec come after, in [`super::plan`].
//!
//! Each file is parsed into a positioned tree ([`Node`]); then each case and each of its keys
//! is checked on its own, so one mistake does not hide the next.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::given::Given;
use super::model::{ByReading, Case, Check, Covers, Origin, SuccessFlag, Then, When};
use super::node::{self, Node, NodeValue, Pos};
use super::template::Template;
use crate::clock::TimeSpec;
use crate::suggest::did_you_mean;

/// The keys a case may have.
pub const CASE_KEYS: [&str; 8] = [
    "id", "title", "covers", "tags", "assumes", "given", "when", "then",
];

/// Keys in `given` whose values are times (relative, RFC 3339 or a date).
pub const TIME_KEYS: [&str; 9] = [
    "clock",
    "start",
    "end",
    "time",
    "date",
    "incident",
    "birth_date",
    "event_time",
    "warning_letter_date",
];

/// A case with the tree it was read from, so planning can point at its fields.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub case: Case,
    /// The case's mapping in its file.
    pub node: Arc<Node>,
    /// The file as found (the corpus folder joined with `origin.file`).
    pub path: PathBuf,
}

/// What loading a corpus gave: the cases that read cleanly and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub cases: Vec<LoadedCase>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many case files were read.
    pub files: usize,
}

/// Loads every case file below `dir` (`<dir>/<Service>/<Method>.yaml`).
pub fn load_dir(dir: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    if let Err(e) = collect_files(dir, dir, &mut files, &mut loaded.diagnostics) {
        loaded.diagnostics.push(Diagnostic::new(
            dir,
            Pos::default(),
            format!("cannot read case folder: {e}"),
        ));
        return loaded;
    }
    files.sort();
    for (service, method, path) in files {
        loaded.files += 1;
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        match crate::input::read_to_string(&path) {
            Ok(text) => {
                let (cases, diags) = load_text(&path, &rel, &service, &method, &text);
                loaded.cases.extend(cases);
                loaded.diagnostics.extend(diags);
            }
            Err(e) => loaded.diagnostics.push(Diagnostic::new(
                &path,
                Pos::default(),
                format!("cannot read case file: {e}"),
            )),
        }
    }
    check_unique_ids(&loaded.cases, &mut loaded.diagnostics);
    loaded.diagnostics.sort();
    loaded
}

/// Walks the case folder. Symbolic links are followed, but every folder and file is visited
/// once, by its canonical path: a link back to a folder above it (a loop) or a second link to
/// the same file is reported and skipped, so the walk always ends and never repeats a file.
fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String, PathBuf)>,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    seen.insert(std::fs::canonicalize(dir)?);
    walk(root, dir, 0, &mut seen, out, diags)
}

/// Deeper than this below the case folder nothing can be a case file; the walk stops there.
const MAX_WALK_DEPTH: usize = 8;

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<(String, String, PathBuf)>,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    // Real folders and files before links, so a link is the repeat and the real path is read.
    entries.sort_by_key(|p| (p.is_symlink(), p.clone()));
    for path in entries {
        let canonical = match std::fs::canonicalize(&path) {
            Ok(c) => c,
            Err(e) => {
                // A dangling link, or a loop the system itself refuses to resolve.
                if path.extension().is_some_and(|x| x == "yaml" || x == "yml") || path.is_symlink()
                {
                    diags.push(Diagnostic::new(
                        &path,
                        Pos::default(),
                        format!("cannot follow this path: {e}"),
                    ));
                }
                continue;
            }
        };
        if path.is_dir() {
            if !seen.insert(canonical.clone()) {
                diags.push(Diagnostic::new(
                    &path,
                    Pos::default(),
                    format!(
                        "symbolic link loop or repeat: this folder is {}, already read; skipped",
                        canonical.display()
                    ),
                ));
                continue;
            }
            if depth >= MAX_WALK_DEPTH {
                diags.push(Diagnostic::new(
                    &path,
                    Pos::default(),
                    "folders nest too deep for a case folder; not read further",
                ));
                continue;
            }
            walk(root, &path, depth + 1, seen, out, diags)?;
            continue;
        }
        let is_yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
        if !is_yaml {
            continue;
        }
        if !seen.insert(canonical.clone()) {
            diags.push(Diagnostic::new(
                &path,
                Pos::default(),
                format!(
                    "this file is {}, already read through another path; skipped",
                    canonical.display()
                ),
            ));
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts.len() != 2 {
            diags.push(Diagnostic::new(
                &path,
                Pos::default(),
                "a case file belongs at `<cases>/<Service>/<Method>.yaml`",
            ));
            continue;
        }
        let method = Path::new(&parts[1])
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((parts[0].clone(), method, path));
    }
    Ok(())
}

/// Loads one case file's text. `rel` is the file relative to the corpus root (for origins).
pub fn load_text(
    path: &Path,
    rel: &str,
    service: &str,
    method: &str,
    text: &str,
) -> (Vec<LoadedCase>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let root = match node::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let pos = e.location().map(|l| Pos::of(&l)).unwrap_or_default();
            let message = e.to_string();
            let message = message.lines().next().unwrap_or("invalid YAML");
            // The location is shown apart; drop saphyr's own "error: line L column C: ".
            let message = match message.split_once(": ") {
                Some((_, rest)) if message.starts_with("error: line ") => {
                    rest.split_once(": ").map_or(rest, |(_, m)| m)
                }
                _ => message,
            };
            let mut message = format!("invalid YAML: {message}");
            if matches!(e, serde_saphyr::Error::Budget { .. }) {
                // Say what the limit was: it is sized from the file (see `node::budget`).
                let b = node::budget(text.len());
                message.push_str(&format!(
                    " (the parser's budget for this file of {} bytes: {} nodes, {} events, \
                     {} aliases, {} anchors, nesting depth {}; aliases and deep nesting are \
                     what exceed it)",
                    text.len(),
                    b.max_nodes,
                    b.max_events,
                    b.max_aliases,
                    b.max_anchors,
                    b.max_depth
                ));
            }
            diags.push(Diagnostic::new(path, pos, message));
            return (Vec::new(), diags);
        }
    };
    let items = match &root.value {
        NodeValue::Seq(items) => items,
        NodeValue::Null => return (Vec::new(), diags),
        _ => {
            diags.push(
                Diagnostic::new(
                    path,
                    root.pos,
                    format!("a case file is a list of cases, found {}", root.kind()),
                )
                .help(Some("start each case with `- id: ...`".into())),
            );
            return (Vec::new(), diags);
        }
    };
    let mut cases = Vec::new();
    for item in items {
        let mut reader = CaseReader {
            path,
            method,
            diags: &mut diags,
            id: None,
        };
        if let Some(case) = reader.read(item, rel, service) {
            cases.push(LoadedCase {
                case,
                node: Arc::new(item.clone()),
                path: path.to_path_buf(),
            });
        }
    }
    (cases, diags)
}

fn check_unique_ids(cases: &[LoadedCase], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &LoadedCase> = HashMap::new();
    for c in cases {
        if let Some(first) = seen.get(c.case.id.as_str()) {
            let pos = c.node.get("id").map(|n| n.pos).unwrap_or(c.node.pos);
            diags.push(
                Diagnostic::new(
                    &c.path,
                    pos,
                    format!("case id `{}` is used twice", c.case.id),
                )
                .case(Some(&c.case.id))
                .field("id")
                .help(Some(format!(
                    "first used at {}:{}",
                    first.path.display(),
                    first.case.origin.line
                ))),
            );
        } else {
            seen.insert(&c.case.id, c);
        }
    }
}

/// Reads one case, pushing a diagnostic for every problem.
struct CaseReader<'a> {
    path: &'a Path,
    method: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    id: Option<String>,
}

impl CaseReader<'_> {
    fn push(&mut self, pos: Pos, field: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(self.path, pos, message)
            .case(self.id.as_deref())
            .help(help);
        if !field.is_empty() {
            d = d.field(field);
        }
        self.diags.push(d);
    }

    fn read(&mut self, item: &Node, rel: &str, service: &str) -> Option<Case> {
        let Some(members) = item.as_map() else {
            self.push(
                item.pos,
                "",
                format!(
                    "a case is a mapping with `id`, `title`, `when` and `then`, found {}",
                    item.kind()
                ),
                None,
            );
            return None;
        };
        let errors_before = self.diags.len();
        // The id first, so every later problem names its case.
        let id = self.read_id(item);
        self.id = id.clone();
        for (key, _) in members {
            if !CASE_KEYS.contains(&key.name.as_str()) {
                let help =
                    did_you_mean(&key.name, CASE_KEYS).map(|s| format!("did you mean `{s}`?"));
                self.push(
                    key.pos,
                    &key.name,
                    format!("unknown case key `{}`", key.name),
                    help.or_else(|| Some(format!("a case has {}", quoted(&CASE_KEYS)))),
                );
            }
        }
        let title = match item.get("title") {
            Some(Node {
                value: NodeValue::String(s),
                ..
            }) if !s.trim().is_empty() => Some(s.clone()),
            Some(n) => {
                let message = match n.as_str() {
                    Some(_) => "`title` must not be empty".to_string(),
                    None => format!("`title` must be a string, found {}", n.kind()),
                };
                self.push(n.pos, "title", message, None);
                None
            }
            None => {
                self.push(item.pos, "title", "the case has no `title`".into(), None);
                None
            }
        };
        let covers: Covers = self.decode_opt(item, "covers").unwrap_or_default();
        let tags = self.string_list(item, "tags");
        let assumes = self.string_list(item, "assumes");
        let given: Given = self.decode_opt(item, "given").unwrap_or_default();
        if let Some(g) = item.get("given") {
            self.check_times(g, "given");
            if let Some(calls) = g.get("calls").and_then(Node::as_seq) {
                for (i, call) in calls.iter().enumerate() {
                    if let Some(w) = call.get("when") {
                        self.check_templates(w, &format!("given.calls[{i}].when"));
                    }
                }
            }
        }
        let when = match item.get("when") {
            Some(n) => {
                self.check_templates(n, "when");
                self.decode::<When>(&stringify_maps(n, &["headers", "path", "query"]), "when")
            }
            None => {
                self.push(item.pos, "when", "the case has no `when`".into(), None);
                None
            }
        };
        let then = match item.get("then") {
            Some(n) => self.read_then(n, "then"),
            None => {
                self.push(
                    item.pos,
                    "then",
                    "the case has no `then`".into(),
                    Some("say what must happen: `{ success: true }`, `{ error: CODE }`, `{ errors: [..] }` or `{ status: 412 }`".into()),
                );
                None
            }
        };
        if self.diags.len() > errors_before {
            return None;
        }
        Some(Case {
            id: id?,
            title: title?,
            service: service.to_string(),
            method: self.method.to_string(),
            covers,
            tags,
            assumes,
            given,
            when: when?,
            then: then?,
            origin: Origin {
                file: rel.to_string(),
                line: item.pos.line as usize,
                generated: false,
            },
        })
    }

    fn read_id(&mut self, item: &Node) -> Option<String> {
        let prefix = format!("{}.", self.method);
        match item.get("id") {
            Some(Node {
                value: NodeValue::String(s),
                pos,
            }) => {
                let slug = s.strip_prefix(&prefix);
                let ok = slug.is_some_and(|slug| {
                    !slug.is_empty()
                        && slug
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                });
                if ok {
                    Some(s.clone())
                } else {
                    let pos = *pos;
                    self.push(
                        pos,
                        "id",
                        format!("case id `{s}` must be `{prefix}<slug>`"),
                        Some("a slug is letters, digits, `.`, `_` and `-`".into()),
                    );
                    None
                }
            }
            Some(n) => {
                let (pos, kind) = (n.pos, n.kind());
                self.push(
                    pos,
                    "id",
                    format!("`id` must be a string, found {kind}"),
                    None,
                );
                None
            }
            None => {
                self.push(item.pos, "id", "the case has no `id`".into(), None);
                None
            }
        }
    }

    fn string_list(&mut self, item: &Node, key: &str) -> Vec<String> {
        let Some(n) = item.get(key) else {
            return Vec::new();
        };
        let Some(items) = n.as_seq() else {
            self.push(
                n.pos,
                key,
                format!("`{key}` must be a list of strings, found {}", n.kind()),
                None,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            match it.as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.push(
                    it.pos,
                    &format!("{key}[{i}]"),
                    format!("`{key}` entries must be strings, found {}", it.kind()),
                    None,
                ),
            }
        }
        out
    }

    fn decode_opt<T: DeserializeOwned>(&mut self, item: &Node, key: &str) -> Option<T> {
        item.get(key).and_then(|n| self.decode(n, key))
    }

    /// Decodes a subtree into a typed model; a problem points at the exact member.
    fn decode<T: DeserializeOwned>(&mut self, n: &Node, field: &str) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(n.to_json()) {
            Ok(v) => Some(v),
            Err(e) => {
                let pos = n.pos_at(e.path());
                let path = e.path().to_string();
                let full = if path == "." || path.is_empty() {
                    field.to_string()
                } else {
                    format!("{field}.{path}")
                };
                let inner = e.inner().to_string();
                let help = unknown_field_hint(&inner);
                self.push(
                    pos,
                    &full,
                    format!("`{full}`: {}", first_sentence(&inner)),
                    help,
                );
                None
            }
        }
    }

    fn read_then(&mut self, n: &Node, at: &str) -> Option<Then> {
        const KEYS: [&str; 7] = [
            "success",
            "fields",
            "error",
            "errors",
            "status",
            "refused",
            "by_reading",
        ];
        let Some(members) = n.as_map() else {
            self.push(
                n.pos,
                at,
                format!("`{at}` must be a mapping, found {}", n.kind()),
                None,
            );
            return None;
        };
        let mut ok = true;
        for (k, _) in members {
            if !KEYS.contains(&k.name.as_str()) {
                let help = did_you_mean(&k.name, KEYS).map(|s| format!("did you mean `{s}`?"));
                self.push(
                    k.pos,
                    &format!("{at}.{}", k.name),
                    format!("unknown key `{}` in `{at}`", k.name),
                    help,
                );
                ok = false;
            }
        }
        let kinds: Vec<&str> = [
            "success",
            "error",
            "errors",
            "status",
            "refused",
            "by_reading",
        ]
        .into_iter()
        .filter(|k| n.get(k).is_some())
        .collect();
        if kinds.len() != 1 {
            let message = if kinds.is_empty() {
                format!(
                    "`{at}` must say one of `success: true`, `error: CODE`, `errors: [CODES]`, `status: HTTP`, `refused: true` or `by_reading: {{...}}`"
                )
            } else {
                format!(
                    "`{at}` must say exactly one expectation, found {}",
                    quoted(&kinds)
                )
            };
            self.push(n.pos, at, message, None);
            let _ = self.read_checks(n, at);
            return None;
        }
        if n.get("fields").is_some() && kinds[0] != "success" {
            let pos = members
                .iter()
                .find(|(k, _)| k.name == "fields")
                .map(|(k, _)| k.pos)
                .unwrap_or(n.pos);
            self.push(
                pos,
                &format!("{at}.fields"),
                "`fields` checks go with `success: true`".into(),
                None,
            );
            ok = false;
        }
        let then = match kinds[0] {
            "error" => self
                .code(n.get("error")?, &format!("{at}.error"))
                .map(|error| Then::Error { error }),
            "errors" => {
                let list = n.get("errors")?;
                let Some(items) = list.as_seq().filter(|i| !i.is_empty()) else {
                    self.push(
                        list.pos,
                        &format!("{at}.errors"),
                        "`errors` must be a non-empty list of codes".into(),
                        None,
                    );
                    return None;
                };
                let mut codes = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if let Some(c) = self.code(it, &format!("{at}.errors[{i}]")) {
                        if codes.contains(&c) {
                            self.push(
                                it.pos,
                                &format!("{at}.errors[{i}]"),
                                format!("code {c} is listed twice"),
                                None,
                            );
                            ok = false;
                        }
                        codes.push(c);
                    } else {
                        ok = false;
                    }
                }
                Some(Then::Errors { errors: codes })
            }
            "status" => {
                let s = n.get("status")?;
                match s.value {
                    NodeValue::Int(v) if (100..=599).contains(&v) => {
                        Some(Then::Status { status: v as u16 })
                    }
                    _ => {
                        self.push(
                            s.pos,
                            &format!("{at}.status"),
                            format!(
                                "`status` must be an HTTP status (100-599), found {}",
                                s.kind()
                            ),
                            None,
                        );
                        None
                    }
                }
            }
            "refused" => {
                let r = n.get("refused")?;
                if r.value != NodeValue::Bool(true) {
                    self.push(
                        r.pos,
                        &format!("{at}.refused"),
                        "`refused` can only be `true`".into(),
                        Some("to expect success, write `success: true`".into()),
                    );
                    return None;
                }
                Some(Then::Refused {
                    refused: SuccessFlag(true),
                })
            }
            "by_reading" => self.read_by_reading(n.get("by_reading")?, at),
            _ => {
                let s = n.get("success")?;
                if s.value != NodeValue::Bool(true) {
                    self.push(
                        s.pos,
                        &format!("{at}.success"),
                        "`success` can only be `true`".into(),
                        Some("to expect a failure, write `error: CODE` or `status: HTTP`".into()),
                    );
                    return None;
                }
                let fields = self.read_checks(n, at)?;
                Some(Then::Success {
                    success: SuccessFlag(true),
                    fields,
                })
            }
        };
        if ok { then } else { None }
    }

    /// Reads `by_reading: { reading: NAME, expect: { ALTERNATIVE: THEN } }`; whether the
    /// reading and its alternatives exist is the planner's to check (it has the overlay).
    fn read_by_reading(&mut self, n: &Node, at: &str) -> Option<Then> {
        let field = format!("{at}.by_reading");
        let Some(members) = n.as_map() else {
            self.push(
                n.pos,
                &field,
                format!(
                    "`by_reading` must be a mapping with `reading` and `expect`, found {}",
                    n.kind()
                ),
                None,
            );
            return None;
        };
        let mut ok = true;
        for (k, _) in members {
            if !["reading", "expect"].contains(&k.name.as_str()) {
                let help = did_you_mean(&k.name, ["reading", "expect"])
                    .map(|s| format!("did you mean `{s}`?"));
                self.push(
                    k.pos,
                    &format!("{field}.{}", k.name),
                    format!("unknown key `{}` in `by_reading`", k.name),
                    help,
                );
                ok = false;
            }
        }
        let reading = match n.get("reading").map(|r| (r.pos, r.as_str())) {
            Some((_, Some(r))) if !r.trim().is_empty() => Some(r.to_string()),
            Some((pos, _)) => {
                self.push(
                    pos,
                    &format!("{field}.reading"),
                    "`reading` must name a reading of the overlay".into(),
                    None,
                );
                None
            }
            None => {
                self.push(
                    n.pos,
                    &format!("{field}.reading"),
                    "`by_reading` has no `reading`".into(),
                    None,
                );
                None
            }
        };
        let mut expect = BTreeMap::new();
        match n.get("expect").map(|e| (e.pos, e.as_map())) {
            Some((_, Some(alts))) if !alts.is_empty() => {
                for (k, v) in alts {
                    let inner = format!("{field}.expect.{}", k.name);
                    match self.read_then(v, &inner) {
                        Some(t) => {
                            expect.insert(k.name.clone(), t);
                        }
                        None => ok = false,
                    }
                }
            }
            Some((pos, _)) => {
                self.push(
                    pos,
                    &format!("{field}.expect"),
                    "`expect` must map each alternative of the reading to an expectation".into(),
                    None,
                );
                ok = false;
            }
            None => {
                self.push(
                    n.pos,
                    &format!("{field}.expect"),
                    "`by_reading` has no `expect`".into(),
                    None,
                );
                ok = false;
            }
        }
        let reading = reading?;
        ok.then_some(Then::ByReading {
            by_reading: ByReading { reading, expect },
        })
    }

    /// Reads `then.fields`: a check per response field path.
    fn read_checks(&mut self, n: &Node, at: &str) -> Option<BTreeMap<String, Check>> {
        let mut ok = true;
        let mut fields = BTreeMap::new();
        if let Some(f) = n.get("fields") {
            let Some(checks) = f.as_map() else {
                self.push(
                    f.pos,
                    &format!("{at}.fields"),
                    format!(
                        "`fields` must map a response field path to a check, found {}",
                        f.kind()
                    ),
                    None,
                );
                return None;
            };
            for (k, v) in checks {
                let field = format!("{at}.fields.{}", k.name);
                if let Some(e) = v.get("equals") {
                    self.check_templates(e, &format!("{field}.equals"));
                }
                if let Some(check) = self.decode::<Check>(v, &field) {
                    if let Check::Matches(m) = &check
                        && let Err(e) = super::matcher::check_matcher(m)
                    {
                        self.push(v.pos, &field, e.to_string(), None);
                        ok = false;
                    }
                    fields.insert(k.name.clone(), check);
                } else {
                    ok = false;
                }
            }
        }
        ok.then_some(fields)
    }

    fn code(&mut self, n: &Node, field: &str) -> Option<u32> {
        match n.value {
            NodeValue::Int(v) if v > 0 && v <= i64::from(u32::MAX) => Some(v as u32),
            _ => {
                self.push(
                    n.pos,
                    field,
                    format!("a DFDG error code is a positive number, found {}", n.kind()),
                    None,
                );
                None
            }
        }
    }

    /// Every string below `n` must parse as a template.
    fn check_templates(&mut self, n: &Node, field: &str) {
        match &n.value {
            NodeValue::String(s) => {
                if let Err(e) = Template::parse(s) {
                    // Point into the string where the value sits on one line.
                    let mut pos = n.pos;
                    if !s[..e.offset].contains('\n') {
                        pos.column += e.offset as u64;
                    }
                    self.push(pos, field, e.message, None);
                }
            }
            NodeValue::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.check_templates(it, &format!("{field}[{i}]"));
                }
            }
            NodeValue::Map(members) => {
                for (k, v) in members {
                    self.check_templates(v, &format!("{field}.{}", k.name));
                }
            }
            NodeValue::Null | NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::Float(_) => {}
        }
    }

    /// Every time in `given` must be a relative time, RFC 3339 or a date.
    fn check_times(&mut self, n: &Node, field: &str) {
        match &n.value {
            NodeValue::Map(members) => {
                for (k, v) in members {
                    let here = format!("{field}.{}", k.name);
                    if k.name == "calls" {
                        continue;
                    }
                    if TIME_KEYS.contains(&k.name.as_str())
                        && let Some(s) = v.as_str()
                    {
                        if TimeSpec::parse(s).is_none() {
                            self.push(
                                    v.pos,
                                    &here,
                                    format!("`{s}` is not a time"),
                                    Some("write `today`, `today-2d`, `now+1h`, `2025-07-01` or `2025-07-01T10:00:00+02:00`".into()),
                                );
                        }
                        continue;
                    }
                    self.check_times(v, &here);
                }
            }
            NodeValue::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    self.check_times(it, &format!("{field}[{i}]"));
                }
            }
            NodeValue::Null
            | NodeValue::Bool(_)
            | NodeValue::Int(_)
            | NodeValue::Float(_)
            | NodeValue::String(_) => {}
        }
    }
}

/// Scalars under the given members of a mapping become strings (`x-requestId: 123`).
fn stringify_maps(n: &Node, keys: &[&str]) -> Node {
    let mut out = n.clone();
    if let NodeValue::Map(members) = &mut out.value {
        for (k, v) in members.iter_mut() {
            if keys.contains(&k.name.as_str())
                && let NodeValue::Map(inner) = &mut v.value
            {
                for (_, leaf) in inner.iter_mut() {
                    stringify(leaf);
                }
            }
        }
    }
    out
}

fn stringify(n: &mut Node) {
    let s = match &n.value {
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Float(f) => f.to_string(),
        NodeValue::Null | NodeValue::String(_) | NodeValue::Seq(_) | NodeValue::Map(_) => return,
    };
    n.value = NodeValue::String(s);
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_sentence(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a "did you mean".
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    did_you_mean(name, expected.iter().copied()).map(|s| format!("did you mean `{s}`?"))
}
