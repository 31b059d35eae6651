//! Placeholders in case strings, compiled once at planning and rendered per case just before
//! sending. The main types here are [`Template`] (one string) and [`TValue`] (a JSON tree whose
//! strings may be templates).
//!
//! | placeholder | renders as |
//! | --- | --- |
//! | `${uuid}` | a fresh UUID at every occurrence |
//! | `${uuid:NAME}` | one UUID per name, the same throughout a case and its setup calls |
//! | `${cpr}` | the CPR of the case's citizen (from the state-change answer) |
//! | `${ids.NAME}` | the identifier the target created for the `given` entry named NAME |
//! | `${today}`, `${today-8d}`, `${now}`, `${now+1m}` | relative to the case's clock; units `s m h d y` |
//! | `${code:LIST:MEANING}` | a code-list value from the overlay, as an integer |
//! | `${org:ROLE}` | the organisation code the target profile gives the caller role ROLE (`${org:jobcenter}`) |
//! | `${soap:envelope}`, `${soap:namespace}`, `${soap:header_namespace}`, `${soap:action}` | the SOAP envelope namespace of the target's SOAP version, the body and caller-header namespaces and the SOAPAction the target uses for the method (for `when.raw`) |
//!
//! `$${` writes a literal `${`. A date renders as `2026-11-16` for a `date` field and as
//! `2026-11-16T00:00:00+01:00` for a `dateTime` field; elsewhere `today±Nd` is a date and
//! everything else a date-time. A string that is exactly one placeholder yielding an integer
//! becomes a JSON number.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value;

use crate::clock::{Clock, RelTime, TimeFormat};

/// One placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    Uuid,
    NamedUuid(String),
    Cpr,
    Id(String),
    Time(RelTime),
    /// `${code:LIST:MEANING}`; `value` is filled in at planning from the overlay.
    Code {
        list: String,
        meaning: String,
        value: Option<i64>,
    },
    /// `${soap:NAME}`: a wire choice of the target for the case's SOAP method, one of
    /// [`WIRE_PLACEHOLDERS`], filled in from the target profile when the case runs.
    Wire(String),
    /// `${org:ROLE}`: the organisation code the target profile gives the caller role ROLE
    /// (`${org:jobcenter}`), so no case writes a jobcentre's code as a literal.
    Org(String),
}

/// The names of the `${soap:NAME}` placeholders.
pub const WIRE_PLACEHOLDERS: [&str; 4] = ["envelope", "namespace", "header_namespace", "action"];

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placeholder::Uuid => write!(f, "${{uuid}}"),
            Placeholder::NamedUuid(n) => write!(f, "${{uuid:{n}}}"),
            Placeholder::Cpr => write!(f, "${{cpr}}"),
            Placeholder::Id(n) => write!(f, "${{ids.{n}}}"),
            Placeholder::Time(_) => write!(f, "${{time}}"),
            Placeholder::Code { list, meaning, .. } => write!(f, "${{code:{list}:{meaning}}}"),
            Placeholder::Wire(name) => write!(f, "${{soap:{name}}}"),
            Placeholder::Org(role) => write!(f, "${{org:{role}}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Placeholder(Placeholder),
}

/// A string with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub parts: Vec<Part>,
}

/// A placeholder that does not parse, with its byte offset in the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub offset: usize,
    pub message: String,
}

impl Template {
    /// Parses a string; a string without `${` is one literal.
    pub fn parse(s: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = s;
        let mut offset = 0;
        while let Some(at) = rest.find('$') {
            literal.push_str(&rest[..at]);
            let after = &rest[at..];
            if let Some(escaped) = after.strip_prefix("$${") {
                literal.push_str("${");
                rest = escaped;
                offset += at + 3;
                continue;
            }
            if !after.starts_with("${") {
                literal.push('$');
                rest = &after[1..];
                offset += at + 1;
                continue;
            }
            let Some(end) = after.find('}') else {
                return Err(TemplateError {
                    offset: offset + at,
                    message: "`${` without a closing `}`".into(),
                });
            };
            let inner = &after[2..end];
            let placeholder = parse_placeholder(inner).map_err(|message| TemplateError {
                offset: offset + at,
                message: message.to_string(),
            })?;
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Part::Placeholder(placeholder));
            rest = &after[end + 1..];
            offset += at + end + 1;
        }
        literal.push_str(rest);
        if !literal.is_empty() || parts.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template { parts })
    }

    /// Whether the template is one placeholder yielding an integer (`${code:LIST:MEANING}`),
    /// which renders to a JSON number.
    pub fn is_integer_placeholder(&self) -> bool {
        matches!(
            self.parts.as_slice(),
            [Part::Placeholder(Placeholder::Code { .. })]
        )
    }

    /// Whether the string holds no placeholder.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Literal(_)))
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        self.parts.iter().filter_map(|p| match p {
            Part::Placeholder(ph) => Some(ph),
            Part::Literal(_) => None,
        })
    }

    pub fn placeholders_mut(&mut self) -> impl Iterator<Item = &mut Placeholder> {
        self.parts.iter_mut().filter_map(|p| match p {
            Part::Placeholder(ph) => Some(ph),
            Part::Literal(_) => None,
        })
    }

    /// Renders to a string.
    pub fn render(&self, ctx: &mut Context<'_>, format: TimeFormat) -> Result<String, RenderError> {
        if let [Part::Literal(s)] = self.parts.as_slice() {
            return Ok(s.clone());
        }
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Placeholder(p) => out.push_str(&ctx.resolve(p, format)?),
            }
        }
        Ok(out)
    }

    /// Renders to JSON: a string, or a number when the template is one integer placeholder.
    pub fn render_json(
        &self,
        ctx: &mut Context<'_>,
        format: TimeFormat,
    ) -> Result<Value, RenderError> {
        if let [Part::Placeholder(Placeholder::Code { value: Some(v), .. })] = self.parts.as_slice()
        {
            return Ok(Value::from(*v));
        }
        self.render(ctx, format).map(Value::String)
    }
}

/// Why the text inside `${...}` is no placeholder, with a hint where one is near.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlaceholderError(pub String);

impl From<String> for PlaceholderError {
    fn from(s: String) -> PlaceholderError {
        PlaceholderError(s)
    }
}

impl From<&str> for PlaceholderError {
    fn from(s: &str) -> PlaceholderError {
        PlaceholderError(s.to_string())
    }
}

fn parse_placeholder(inner: &str) -> Result<Placeholder, PlaceholderError> {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if inner == "uuid" {
        return Ok(Placeholder::Uuid);
    }
    if inner == "cpr" {
        return Ok(Placeholder::Cpr);
    }
    if let Some(name) = inner.strip_prefix("uuid:") {
        return if name_ok(name) {
            Ok(Placeholder::NamedUuid(name.to_string()))
        } else {
            Err(PlaceholderError::from(format!(
                "`${{uuid:{name}}}`: a uuid name is letters, digits, `_` and `-`"
            )))
        };
    }
    if let Some(name) = inner.strip_prefix("ids.") {
        return if name_ok(name) {
            Ok(Placeholder::Id(name.to_string()))
        } else {
            Err(PlaceholderError::from(format!(
                "`${{ids.{name}}}`: an id name is letters, digits, `_` and `-`"
            )))
        };
    }
    if let Some(rest) = inner.strip_prefix("code:") {
        return match rest.split_once(':') {
            Some((list, meaning)) if !list.is_empty() && !meaning.is_empty() => {
                Ok(Placeholder::Code {
                    list: list.to_string(),
                    meaning: meaning.to_string(),
                    value: None,
                })
            }
            _ => Err(PlaceholderError::from(format!(
                "`${{code:{rest}}}`: expected `${{code:LIST:MEANING}}`"
            ))),
        };
    }
    if let Some(role) = inner.strip_prefix("org:") {
        return if role.trim().is_empty() {
            Err(PlaceholderError::from(
                "`${org:}`: expected `${org:ROLE}`, a caller role of the profile".to_string(),
            ))
        } else {
            Ok(Placeholder::Org(role.to_string()))
        };
    }
    if let Some(name) = inner.strip_prefix("soap:") {
        return if WIRE_PLACEHOLDERS.contains(&name) {
            Ok(Placeholder::Wire(name.to_string()))
        } else {
            Err(PlaceholderError::from(format!(
                "`${{soap:{name}}}`: expected one of {}",
                WIRE_PLACEHOLDERS
                    .map(|w| format!("`${{soap:{w}}}`"))
                    .join(", ")
            )))
        };
    }
    if inner.starts_with("today") || inner.starts_with("now") {
        return RelTime::parse(inner).map(Placeholder::Time).ok_or_else(|| PlaceholderError(
            format!(
                "`${{{inner}}}`: expected `today` or `now`, optionally followed by `+N` or `-N` and a unit `s`, `m`, `h`, `d` or `y` (`today-8d`)"
            )
        ));
    }
    let known = [
        "uuid",
        "uuid:NAME",
        "cpr",
        "ids.NAME",
        "today",
        "now",
        "code:LIST:MEANING",
        "org:ROLE",
        "soap:namespace",
    ];
    let hint = crate::suggest::did_you_mean(inner, known.iter().copied())
        .map(|s| format!("; did you mean `${{{s}}}`?"))
        .unwrap_or_default();
    Err(PlaceholderError::from(format!(
        "unknown placeholder `${{{inner}}}`: expected one of {}{hint}",
        known.map(|k| format!("`${{{k}}}`")).join(", ")
    )))
}

/// Why a template could not be rendered for one case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("`${{cpr}}` is used but the case has no citizen")]
    NoCpr,
    #[error("the preconditions did not create an identifier named `{0}`")]
    MissingId(String),
    #[error("`{0}` is outside the range of dates")]
    TimeOutOfRange(String),
    #[error("`{0}` was not resolved at planning")]
    Unresolved(String),
    #[error("`{0}` names a SOAP wire choice, and the method is not a SOAP method")]
    NoWire(String),
}

/// What a case's templates render against.
#[derive(Debug)]
pub struct Context<'a> {
    pub clock: Clock,
    pub cpr: Option<&'a str>,
    pub ids: &'a BTreeMap<String, String>,
    pub uuids: HashMap<String, String>,
    /// The values of the `${soap:NAME}` placeholders: the target's wire choices for the
    /// case's method (empty for a REST method).
    pub wire: BTreeMap<&'static str, String>,
    /// The organisation code per caller role, for `${org:ROLE}`.
    pub orgs: BTreeMap<String, String>,
}

impl<'a> Context<'a> {
    pub fn new(clock: Clock, cpr: Option<&'a str>, ids: &'a BTreeMap<String, String>) -> Self {
        Context {
            clock,
            cpr,
            ids,
            uuids: HashMap::new(),
            wire: BTreeMap::new(),
            orgs: BTreeMap::new(),
        }
    }

    fn resolve(&mut self, p: &Placeholder, format: TimeFormat) -> Result<String, RenderError> {
        match p {
            Placeholder::Uuid => Ok(uuid::Uuid::new_v4().to_string()),
            Placeholder::NamedUuid(name) => Ok(self
                .uuids
                .entry(name.clone())
                .or_insert_with(|| uuid::Uuid::new_v4().to_string())
                .clone()),
            Placeholder::Cpr => self.cpr.map(str::to_string).ok_or(RenderError::NoCpr),
            Placeholder::Id(name) => self
                .ids
                .get(name)
                .cloned()
                .ok_or_else(|| RenderError::MissingId(name.clone())),
            Placeholder::Time(t) => t
                .render(self.clock, format)
                .ok_or_else(|| RenderError::TimeOutOfRange(p.to_string())),
            Placeholder::Code { value, .. } => value
                .map(|v| v.to_string())
                .ok_or_else(|| RenderError::Unresolved(p.to_string())),
            Placeholder::Wire(name) => self
                .wire
                .get(name.as_str())
                .cloned()
                .ok_or_else(|| RenderError::NoWire(p.to_string())),
            Placeholder::Org(role) => self
                .orgs
                .get(role)
                .cloned()
                .ok_or_else(|| RenderError::Unresolved(p.to_string())),
        }
    }
}

/// A JSON tree whose strings are compiled templates, each with the time format of the field
/// it fills.
#[derive(Debug, Clone, PartialEq)]
pub enum TValue {
    /// A subtree without any placeholder, sent as it is.
    Fixed(Value),
    Str(Template, TimeFormat),
    Array(Vec<TValue>),
    Object(Vec<(String, TValue)>),
}

impl TValue {
    pub fn render(&self, ctx: &mut Context<'_>) -> Result<Value, RenderError> {
        Ok(match self {
            TValue::Fixed(v) => v.clone(),
            TValue::Str(t, f) => t.render_json(ctx, *f)?,
            TValue::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| i.render(ctx))
                    .collect::<Result<_, _>>()?,
            ),
            TValue::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.clone(), v.render(ctx)?);
                }
                Value::Object(map)
            }
        })
    }

    /// Every template in the tree.
    pub fn templates_mut(&mut self) -> Vec<&mut Template> {
        let mut out = Vec::new();
        fn walk<'t>(v: &'t mut TValue, out: &mut Vec<&'t mut Template>) {
            match v {
                TValue::Fixed(_) => {}
                TValue::Str(t, _) => out.push(t),
                TValue::Array(items) => items.iter_mut().for_each(|i| walk(i, out)),
                TValue::Object(members) => members.iter_mut().for_each(|(_, v)| walk(v, out)),
            }
        }
        walk(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::parse_rfc3339("2026-11-24T10:00:00+01:00").unwrap()
    }

    #[test]
    fn parses_every_placeholder() {
        let t = Template::parse(
            "a ${uuid} ${uuid:r} ${cpr} ${ids.cg} ${today-8d} ${code:kontaktgruppe:KTH} $${x} $5",
        )
        .unwrap();
        let phs: Vec<_> = t.placeholders().cloned().collect();
        assert_eq!(phs.len(), 6);
        assert_eq!(phs[1], Placeholder::NamedUuid("r".into()));
        assert_eq!(phs[3], Placeholder::Id("cg".into()));
        assert!(matches!(&t.parts.last(), Some(Part::Literal(s)) if s == " ${x} $5"));
        assert!(Template::parse("plain").unwrap().is_literal());
    }

    #[test]
    fn reports_bad_placeholders_with_offsets() {
        let e = Template::parse("ab ${uid}").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(
            e.message.contains("did you mean `${uuid}`"),
            "{}",
            e.message
        );
        assert!(
            Template::parse("${today-8}")
                .unwrap_err()
                .message
                .contains("unit")
        );
        assert!(
            Template::parse("${cpr")
                .unwrap_err()
                .message
                .contains("closing")
        );
        assert!(Template::parse("${code:x}").is_err());
        assert!(Template::parse("${uuid:}").is_err());
    }

    #[test]
    fn renders_against_a_context() {
        let ids = BTreeMap::from([("cg".to_string(), "id-1".to_string())]);
        let mut ctx = Context::new(clock(), Some("0101901234"), &ids);
        let t =
            Template::parse("${uuid:r}|${uuid:r}|${cpr}|${ids.cg}|${today-8d}|${now+1m}").unwrap();
        let s = t.render(&mut ctx, TimeFormat::Natural).unwrap();
        let parts: Vec<&str> = s.split('|').collect();
        assert_eq!(parts[0], parts[1]);
        assert_eq!(parts[0].len(), 36);
        assert_eq!(
            &parts[2..],
            [
                "0101901234",
                "id-1",
                "2026-11-16",
                "2026-11-24T10:01:00+01:00"
            ]
        );
        let fresh = Template::parse("${uuid}").unwrap();
        assert_ne!(
            fresh.render(&mut ctx, TimeFormat::Natural).unwrap(),
            fresh.render(&mut ctx, TimeFormat::Natural).unwrap()
        );
        let d = Template::parse("${today-8d}").unwrap();
        assert_eq!(
            d.render(&mut ctx, TimeFormat::DateTime).unwrap(),
            "2026-11-16T00:00:00+01:00"
        );
        let missing = Template::parse("${ids.nope}").unwrap();
        assert_eq!(
            missing.render(&mut ctx, TimeFormat::Natural),
            Err(RenderError::MissingId("nope".into()))
        );
        let mut ctx = Context::new(clock(), None, &ids);
        assert_eq!(
            Template::parse("${cpr}")
                .unwrap()
                .render(&mut ctx, TimeFormat::Natural),
            Err(RenderError::NoCpr)
        );
    }

    #[test]
    fn a_lone_code_becomes_a_number() {
        let ids = BTreeMap::new();
        let mut ctx = Context::new(clock(), None, &ids);
        let mut t = Template::parse("${code:kontaktgruppe:KTH}").unwrap();
        for p in t.placeholders_mut() {
            if let Placeholder::Code { value, .. } = p {
                *value = Some(2);
            }
        }
        assert_eq!(
            t.render_json(&mut ctx, TimeFormat::Natural).unwrap(),
            Value::from(2)
        );
        let unresolved = Template::parse("${code:a:b}").unwrap();
        assert!(
            unresolved
                .render_json(&mut ctx, TimeFormat::Natural)
                .is_err()
        );
    }
}
