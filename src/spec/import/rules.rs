//! Business rules in prose, with stable ids: the sentences of a method description after the
//! first ("Der gælder de samme valideringsregler som ved CreatePersonInterview."), rule
//! sentences of field descriptions ("... returneres http status kode 412", "Max længde ... 46
//! chars"), and the prose rules a layout reader found ("Forretningsregler"). An id is
//! `<Method>.<slug>` with the slug made from the rule's own words, so editing one rule never
//! renumbers another. Codes the prose names ("ellers returneres fejlkode 9125") are extracted.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::spec::model::{Field, Rule, RuleSource};

use super::text::{sentences, slug_words};
use super::{MethodDraft, RuleDraft};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in regex {pattern:?}: {e}"))
}

static FIELD_RULE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)returneres\b.*\bkode\s+\d{3,6}|\bmax(?:imal)?\.?\s+længde\b|\bskal kun angives\b")
});
static CODE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bfejlkode(?:n|r|rne)?\s+(\d{3,6})\b"));
static HTTP_STATUS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bhttp[- ]?status(?:\s*kode)?\s+(\d{3})\b"));
static MAX_LENGTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bmax(?:imal)?\.?\s+længde\b[^.]*?\b(\d+)\s*(?:chars|tegn)\b"));

/// The words of a slug; more are taken only to tell two rules apart.
const SLUG_WORDS: usize = 6;

/// The error codes a rule's prose names.
pub(crate) fn codes_in(text: &str) -> Vec<u32> {
    let mut codes: Vec<u32> = CODE
        .captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .collect();
    codes.dedup();
    codes
}

/// The HTTP status a rule's prose names.
pub(crate) fn http_status_in(text: &str) -> Option<u16> {
    HTTP_STATUS.captures(text).and_then(|c| c[1].parse().ok())
}

/// "Max længde for id'et er 46 chars" → 46.
pub(crate) fn max_length_in(text: &str) -> Option<u32> {
    MAX_LENGTH.captures(text).and_then(|c| c[1].parse().ok())
}

/// The rule sentences of a field description.
pub(crate) fn field_rule_sentences(description: &str) -> Vec<String> {
    sentences(description)
        .into_iter()
        .filter(|s| FIELD_RULE.is_match(s))
        .collect()
}

/// Every rule of a method, ids settled.
pub(crate) fn settle(m: &MethodDraft) -> Vec<Rule> {
    let mut drafts: Vec<RuleDraft> = Vec::new();
    if let Some(description) = &m.description {
        for sentence in sentences(description).into_iter().skip(1) {
            drafts.push(RuleDraft {
                text: sentence,
                about: None,
            });
        }
    }
    drafts.extend(m.rules.iter().cloned());
    let mut from_fields = Vec::new();
    collect_field_rules(&m.input, &mut from_fields);
    drafts.extend(from_fields);

    let mut seen_text = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for d in drafts {
        if !seen_text.insert((d.about.clone(), d.text.clone())) {
            continue;
        }
        let id = unique_id(&m.name, &d, &ids);
        ids.insert(id.clone());
        let text = match &d.about {
            Some(field) => format!("{field}: {}", d.text),
            None => d.text.clone(),
        };
        out.push(Rule {
            id,
            codes: codes_in(&d.text),
            http_status: http_status_in(&d.text),
            text,
            source: RuleSource::Document,
            at: None,
        });
    }
    out
}

fn collect_field_rules(fields: &[Field], out: &mut Vec<RuleDraft>) {
    for f in fields {
        if let Some(description) = &f.description {
            for sentence in field_rule_sentences(description) {
                out.push(RuleDraft {
                    text: sentence,
                    about: Some(f.name.clone()),
                });
            }
        }
        collect_field_rules(&f.children, out);
    }
}

fn unique_id(method: &str, d: &RuleDraft, taken: &BTreeSet<String>) -> String {
    let mut words: Vec<String> = d.about.as_deref().map(slug_words).unwrap_or_default();
    let lead = words.len();
    let text_words = slug_words(&d.text);
    let mut n = SLUG_WORDS.min(text_words.len());
    loop {
        let mut all = words.clone();
        all.extend(text_words.iter().take(n).cloned());
        let slug = if all.is_empty() {
            "rule".to_string()
        } else {
            all.join("-")
        };
        let id = format!("{method}.{slug}");
        if !taken.contains(&id) {
            return id;
        }
        if n < text_words.len() {
            n += 1;
            continue;
        }
        for k in 2.. {
            let id = format!("{method}.{slug}-{k}");
            if !taken.contains(&id) {
                return id;
            }
        }
        words.truncate(lead);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses_are_read_from_prose() {
        assert_eq!(
            codes_in("Hvis det angives skal X være 5 eller 6, ellers returneres fejlkode 9125."),
            [9125]
        );
        let s = "Hvis api'et modtager samme requestId mere end én gang returneres http status kode 412.";
        assert_eq!(http_status_in(s), Some(412));
        assert_eq!(max_length_in("Max længde for id'et er 46 chars"), Some(46));
        assert_eq!(
            field_rule_sentences(
                "Unikt id for requestet (typisk guid). Hvis api'et modtager samme requestId mere end én gang returneres http status kode 412. Max længde for id'et er 46 chars"
            )
            .len(),
            2
        );
    }

    #[test]
    fn ids_come_from_content_not_position() {
        let mut m = MethodDraft {
            name: "CreateInterview".into(),
            ..MethodDraft::default()
        };
        m.rules.push(RuleDraft {
            text: "Samtaler med samme samtaletype og afholdelsestidspunkt er ikke tilladt.".into(),
            about: None,
        });
        let first = settle(&m);
        m.rules.insert(
            0,
            RuleDraft {
                text: "En ny regel.".into(),
                about: None,
            },
        );
        let second = settle(&m);
        assert_eq!(first[0].id, second[1].id);
        assert_eq!(
            first[0].id,
            "CreateInterview.samtaler-med-samme-samtaletype-og-afholdelsestidspunkt"
        );
    }

    #[test]
    fn colliding_slugs_take_more_words() {
        let mut m = MethodDraft {
            name: "M".into(),
            ..MethodDraft::default()
        };
        for t in ["a b c d e f g.", "a b c d e f h."] {
            m.rules.push(RuleDraft {
                text: t.into(),
                about: None,
            });
        }
        let rules = settle(&m);
        assert_eq!(rules[0].id, "M.a-b-c-d-e-f");
        assert_eq!(rules[1].id, "M.a-b-c-d-e-f-h");
    }
}
