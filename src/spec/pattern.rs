//! XSD patterns (`xs:pattern`) compiled to Rust regexes with XSD semantics: a pattern matches
//! the whole value (implicitly anchored), `^` and `$` are ordinary characters, `.` excludes
//! both line ends, `\s` is XML white space, `\i`/`\c` are XML name characters, and character-class
//! subtraction (`[a-z-[aeiou]]`) becomes Rust's class difference (`[a-z--[aeiou]]`).
//! The main type here is [`XsdPattern`].

use std::fmt;

use regex::Regex;

/// A compiled XSD pattern.
#[derive(Clone)]
pub struct XsdPattern {
    source: String,
    regex: Regex,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pattern {pattern:?} does not compile: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

impl XsdPattern {
    pub fn new(pattern: &str) -> Result<XsdPattern, PatternError> {
        let translated = translate(pattern).map_err(|reason| PatternError {
            pattern: pattern.to_string(),
            reason: reason.to_string(),
        })?;
        let regex = Regex::new(&translated).map_err(|e| PatternError {
            pattern: pattern.to_string(),
            reason: e.to_string(),
        })?;
        Ok(XsdPattern {
            source: pattern.to_string(),
            regex,
        })
    }

    /// Whether the whole value matches.
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }

    /// The pattern as the document writes it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The Rust regex it compiled to.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }
}

impl fmt::Debug for XsdPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("XsdPattern").field(&self.source).finish()
    }
}

const XML_SPACE: &str = r"\x20\t\n\r";
const NAME_START: &str = r"_:A-Za-z\p{L}";
const NAME_CHAR: &str = r"\-._:A-Za-z0-9\p{L}\p{N}";

/// Why an XSD pattern cannot be translated (malformed, or a construct konform does not support).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct XsdSyntaxError(pub String);

impl From<String> for XsdSyntaxError {
    fn from(s: String) -> XsdSyntaxError {
        XsdSyntaxError(s)
    }
}

impl From<&str> for XsdSyntaxError {
    fn from(s: &str) -> XsdSyntaxError {
        XsdSyntaxError(s.to_string())
    }
}

/// Translates an XSD regular expression to Rust `regex` syntax, anchored.
pub fn translate(pattern: &str) -> Result<String, XsdSyntaxError> {
    let mut out = String::with_capacity(pattern.len() + 16);
    out.push_str("^(?:");
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize; // nesting of character classes
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err(XsdSyntaxError::from("trailing backslash"));
                };
                i += 1;
                let inside = depth > 0;
                match next {
                    's' if inside => out.push_str(XML_SPACE),
                    's' => out.push_str(&format!("[{XML_SPACE}]")),
                    'S' if inside => {
                        return Err(XsdSyntaxError::from(
                            r"`\S` inside a character class is not supported",
                        ));
                    }
                    'S' => out.push_str(&format!("[^{XML_SPACE}]")),
                    'i' if inside => out.push_str(NAME_START),
                    'i' => out.push_str(&format!("[{NAME_START}]")),
                    'c' if inside => out.push_str(NAME_CHAR),
                    'c' => out.push_str(&format!("[{NAME_CHAR}]")),
                    'I' | 'C' if inside => {
                        return Err(XsdSyntaxError::from(format!(
                            r"`\{next}` inside a character class is not supported"
                        )));
                    }
                    'I' => out.push_str(&format!("[^{NAME_START}]")),
                    'C' => out.push_str(&format!("[^{NAME_CHAR}]")),
                    'p' | 'P' => {
                        // \p{Name}: Unicode categories carry over; XSD block names (IsBasicLatin) do not.
                        let rest: String = chars[i + 1..].iter().collect();
                        if rest.starts_with("{Is") {
                            return Err(XsdSyntaxError::from(
                                "Unicode block escapes (\\p{Is...}) are not supported",
                            ));
                        }
                        out.push('\\');
                        out.push(next);
                    }
                    'd' | 'D' | 'w' | 'W' | 'n' | 'r' | 't' | '\\' | '|' | '.' | '-' | '^'
                    | '?' | '*' | '+' | '{' | '}' | '(' | ')' | '[' | ']' | '$' => {
                        out.push('\\');
                        out.push(next);
                    }
                    other => {
                        return Err(XsdSyntaxError::from(format!("unknown escape `\\{other}`")));
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            '-' if depth > 0 && chars.get(i + 1) == Some(&'[') => {
                // Character-class subtraction.
                out.push_str("--");
            }
            '^' | '$' if depth == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' if depth == 0 => out.push_str(r"[^\n\r]"),
            '&' | '~' if depth > 0 => {
                // Rust gives `&&` and `~~` meaning inside classes; XSD does not.
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if depth != 0 {
        return Err(XsdSyntaxError::from("unclosed character class"));
    }
    out.push_str(")$");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPR: &str = "((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))|((0[1-9]|1[0-9]|2[0-9]|30)(04|06|09|11))|((0[1-9]|1[0-9]|2[0-9])(02)))[0-9]{6})|0000000000";

    #[test]
    fn patterns_are_implicitly_anchored() {
        let p = XsdPattern::new("[0-9]{3}").unwrap();
        assert!(p.is_match("101"));
        assert!(!p.is_match("1011"));
        assert!(!p.is_match("x101"));
        let cpr = XsdPattern::new(CPR).unwrap();
        assert!(cpr.is_match("0101901234"));
        assert!(cpr.is_match("0000000000"));
        assert!(!cpr.is_match("00000000001"));
        assert!(!cpr.is_match("3002901234"));
    }

    #[test]
    fn top_level_alternation_is_anchored_as_a_whole() {
        let p = XsdPattern::new("[-][1]|[0-9]{1,8}").unwrap();
        assert!(p.is_match("-1"));
        assert!(p.is_match("12345678"));
        assert!(!p.is_match("-12"));
        assert!(!p.is_match("123456789"));
    }

    #[test]
    fn caret_and_dollar_are_literal() {
        let p = XsdPattern::new("a^b$").unwrap();
        assert!(p.is_match("a^b$"));
        assert!(!p.is_match("ab"));
    }

    #[test]
    fn class_subtraction_is_translated() {
        let p = XsdPattern::new("[a-z-[aeiou]]+").unwrap();
        assert!(p.is_match("xyz"));
        assert!(!p.is_match("xaz"));
    }

    #[test]
    fn xml_space_and_dot() {
        let email =
            XsdPattern::new(r"([^>\(\)\[\]\\,;:@\s]{0,191}@[^>\(\)\[\]\\,;:@\s]{1,64})").unwrap();
        assert!(email.is_match("a.b@example.dk"));
        assert!(!email.is_match("a b@example.dk"));
        assert!(!email.is_match("ab.example.dk"));
        let dot = XsdPattern::new(".+").unwrap();
        assert!(!dot.is_match("a\rb"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(XsdPattern::new("[a-z").is_err());
        assert!(XsdPattern::new(r"\q").is_err());
        assert!(XsdPattern::new(r"\p{IsBasicLatin}").is_err());
    }
}
