//! "Did you mean" for near-miss names: the closest known name, if it is close enough.

/// The known name nearest to `name`, if the two are similar (Jaro-Winkler ≥ 0.8 or a small
/// edit distance relative to the length). Comparison ignores case.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in known {
        let c = candidate.to_lowercase();
        if c == lower {
            return Some(candidate);
        }
        let score = strsim::jaro_winkler(&lower, &c);
        let distance = strsim::levenshtein(&lower, &c);
        let close = score >= 0.8 || distance * 4 <= c.len().max(4);
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let known = ["kontaktgruppe", "kyNoegle", "startdato"];
        assert_eq!(did_you_mean("kontaktgrupe", known), Some("kontaktgruppe"));
        assert_eq!(did_you_mean("kynoegle", known), Some("kyNoegle"));
        assert_eq!(did_you_mean("zzz", known), None);
        assert_eq!(did_you_mean("startdate", known), Some("startdato"));
    }
}
