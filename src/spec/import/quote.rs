//! Quoting the documents: once a layout reader has recorded where each error row, field row and
//! access row stands (a [`Provenance::span`]), [`quote_service`] fills in the text as written,
//! and finds the line each prose rule's sentence stands on. Kept apart from the readers so the
//! three layouts quote alike.

use crate::spec::model::{Field, Layout, Rule, ServiceSpec};
use crate::spec::provenance::Provenance;

use super::text::{NBSP, norm};

/// Where a method starts in its document, to look for its rule sentences there first.
#[derive(Debug, Clone)]
pub(crate) struct MethodLine {
    pub name: String,
    pub line: usize,
}

/// Fills every pending span of `spec` from `text` (the repaired document) and gives each rule
/// without a provenance the line its sentence stands on.
pub(crate) fn quote_service(spec: &mut ServiceSpec, text: &str, starts: &[MethodLine]) {
    let lines: Vec<&str> = text.lines().collect();
    let sep = match spec.layout {
        Layout::PipeTables => " ",
        Layout::Cells | Layout::Diff => " | ",
    };
    let quote = |p: &mut Option<Provenance>| {
        if let Some(p) = p
            && let Some(end) = p.pending_end()
        {
            p.text = quote_lines(&lines, p.line, end, sep);
        }
    };
    let mut sorted: Vec<&MethodLine> = starts.iter().collect();
    sorted.sort_by_key(|m| m.line);
    let doc = spec.source.clone();
    for rule in &mut spec.rules {
        locate_rule(rule, &doc, &lines, (1, lines.len()));
    }
    for m in &mut spec.methods {
        for e in &mut m.errors {
            quote(&mut e.at);
        }
        for a in &mut m.access {
            quote(&mut a.at);
        }
        for tree in [&mut m.input, &mut m.output] {
            walk(tree, &mut |f| quote(&mut f.at));
        }
        let region = sorted
            .iter()
            .position(|s| s.name == m.name)
            .map(|k| {
                let start = sorted[k].line;
                let end = sorted.get(k + 1).map_or(lines.len(), |s| s.line - 1);
                (start, end.max(start))
            })
            .unwrap_or((1, lines.len()));
        for rule in &mut m.rules {
            locate_rule(rule, &doc, &lines, region);
        }
    }
}

fn walk(fields: &mut [Field], f: &mut dyn FnMut(&mut Field)) {
    for field in fields {
        f(field);
        walk(&mut field.children, f);
    }
}

/// Lines `first..=last` (1-based), each trimmed, blank ones left out, joined with `sep`.
fn quote_lines(lines: &[&str], first: usize, last: usize, sep: &str) -> String {
    let trim = |l: &str| l.trim_matches([' ', '\t', '\r', NBSP]).to_string();
    lines
        .get(first.saturating_sub(1)..last.min(lines.len()))
        .unwrap_or_default()
        .iter()
        .map(|l| trim(l))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Gives a rule the line its sentence starts on: looked for in the method's region first, then
/// in the whole document; a field rule's text (`Field: sentence`) is looked for without its
/// field name too.
fn locate_rule(rule: &mut Rule, doc: &str, lines: &[&str], region: (usize, usize)) {
    if rule.at.is_some() {
        return;
    }
    let mut needles = vec![rule.text.clone()];
    if let Some((_, sentence)) = rule.text.split_once(": ") {
        needles.push(sentence.to_string());
    }
    for needle in needles {
        let needle = norm(&needle);
        for width in [48, 24] {
            let head: String = needle.chars().take(width).collect();
            if head.chars().count() < 8 {
                continue;
            }
            for (from, to) in [region, (1, lines.len())] {
                let hit = (from..=to.min(lines.len()))
                    .find(|&n| norm(&lines[n - 1].replace(NBSP, " ")).contains(&head));
                if let Some(n) = hit {
                    rule.at = Some(Provenance {
                        doc: doc.to_string(),
                        line: n,
                        text: lines[n - 1]
                            .trim_matches([' ', '\t', '\r', NBSP])
                            .to_string(),
                    });
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_quoted_without_blank_lines() {
        let lines = ["a", "", "1001", "\u{a0}", "Invalid cpr", "next"];
        assert_eq!(quote_lines(&lines, 3, 5, " | "), "1001 | Invalid cpr");
        assert_eq!(quote_lines(&lines, 1, 1, " "), "a");
        assert_eq!(quote_lines(&lines, 6, 99, " "), "next");
    }
}
