//! A YAML document as a tree that keeps the position of every node and every mapping key, so
//! every later check can point at `file:line:col`. The main type here is [`Node`].
//!
//! Case files are parsed into this tree first (only YAML syntax can fail here), then each part
//! of each case is checked on its own, so one mistake does not hide the next.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

/// A 1-based line and column; `0:0` when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub fn of(loc: &serde_saphyr::Location) -> Pos {
        Pos {
            line: loc.line(),
            column: loc.column(),
        }
    }

    pub fn is_known(&self) -> bool {
        self.line > 0
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A positioned YAML value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: NodeValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    /// Keys in document order, each with its own position.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub pos: Pos,
    pub name: String,
}

impl Node {
    /// The members of a mapping, or `None`.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            NodeValue::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member `name` of a mapping.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }

    /// What kind of YAML value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Int(_) => "an integer",
            NodeValue::Float(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// The tree as JSON (positions dropped).
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The position of the node at a serde path (as `serde_path_to_error` prints it:
    /// `citizen.contact_groups[0].type`), the nearest known ancestor when the path ends in a
    /// member that is not there. For a path whose last step is a key, the key's position.
    pub fn pos_at(&self, path: &serde_path_to_error::Path) -> Pos {
        use serde_path_to_error::Segment;
        let mut node = self;
        let mut pos = self.pos;
        for segment in path.iter() {
            match segment {
                Segment::Seq { index } => match node.as_seq().and_then(|s| s.get(*index)) {
                    Some(n) => {
                        node = n;
                        pos = n.pos;
                    }
                    None => break,
                },
                Segment::Map { key } => {
                    match node
                        .as_map()
                        .and_then(|m| m.iter().find(|(k, _)| k.name == *key))
                    {
                        Some((k, v)) => {
                            pos = k.pos;
                            node = v;
                        }
                        None => break,
                    }
                }
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        pos
    }
}

/// The parser's resource budget for a file of `len` bytes: serde-saphyr's defaults (250,000
/// nodes, 1,000,000 events, 64 MiB of scalars), raised in proportion to the file's size so a
/// large case file (tens of thousands of cases) loads. A node or an event takes at least one
/// byte of the file, so a file can never hold more than `len` of either by itself; only
/// aliases can multiply them, and their own limits (aliases, anchors, retained copies) stay
/// at the defaults, which is what keeps an alias bomb out.
pub fn budget(len: usize) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(len);
    budget.max_events = budget.max_events.max(len.saturating_mul(2));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    budget
}

/// Parses a YAML document into a positioned tree, with a [`budget`] sized for its length.
pub fn parse(text: &str) -> Result<Node, serde_saphyr::Error> {
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget(text.len()));
    // An empty document is null, which serde-saphyr reports as an error for most types; the
    // tree takes it as it is.
    let spanned: Spanned<NodeValue> = serde_saphyr::from_str_with_options(text, options)?;
    Ok(Node {
        pos: Pos::of(&spanned.referenced),
        value: spanned.value,
    })
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

fn node(spanned: Spanned<NodeValue>) -> Node {
    Node {
        pos: Pos::of(&spanned.referenced),
        value: spanned.value,
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeValue::Int(i),
            Err(_) => NodeValue::String(v.to_string()),
        })
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeValue, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeValue::Int(i),
            Err(_) => NodeValue::String(v.to_string()),
        })
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeValue, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeValue::Int(i),
            Err(_) => NodeValue::String(v.to_string()),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<NodeValue>>()? {
            items.push(node(item));
        }
        Ok(NodeValue::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<Spanned<NodeValue>>()? {
            let name = match key.value {
                NodeValue::String(s) => s,
                NodeValue::Int(i) => i.to_string(),
                NodeValue::Bool(b) => b.to_string(),
                NodeValue::Float(f) => f.to_string(),
                NodeValue::Null => "null".to_string(),
                NodeValue::Seq(_) | NodeValue::Map(_) => {
                    return Err(de::Error::custom("a mapping key must be a scalar"));
                }
            };
            let value = map.next_value::<Spanned<NodeValue>>()?;
            members.push((
                Key {
                    pos: Pos::of(&key.referenced),
                    name,
                },
                node(value),
            ));
        }
        Ok(NodeValue::Map(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let doc = parse("- id: a\n  when:\n    body: { x: 1, y: [true, \"s\"] }\n").unwrap();
        let case = &doc.as_seq().unwrap()[0];
        assert_eq!(case.pos, Pos { line: 1, column: 3 });
        let (key, when) = &case.as_map().unwrap()[1];
        assert_eq!(key.name, "when");
        assert_eq!(key.pos, Pos { line: 2, column: 3 });
        let body = when.get("body").unwrap();
        let (y_key, y) = &body.as_map().unwrap()[1];
        assert_eq!(y_key.pos.line, 3);
        assert_eq!(y_key.pos.column, 19);
        assert_eq!(y.to_json(), serde_json::json!([true, "s"]));
        assert_eq!(doc.to_json()[0]["when"]["body"]["x"], 1);
    }

    #[test]
    fn reports_syntax_errors_with_a_location() {
        let err = parse("- id: a\n  title: [unclosed\n").unwrap_err();
        assert!(err.location().is_some());
    }
}
