//! An XML answer as an ordered tree of elements with their resolved namespaces, for the
//! answer checks: the JSON view the transport makes of a SOAP answer ([`crate::soap`]) keeps
//! neither the order of elements nor their namespaces, and both are part of the contract. The
//! main type here is [`XNode`].
//!
//! Like the transport's reader, this one refuses DTDs and every entity but the predefined ones
//! and character references, and limits depth.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::soap::MAX_DEPTH;

/// One element: its local name, namespace URI, element children in document order, and the
/// text directly inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XNode {
    pub local: String,
    pub namespace: Option<String>,
    pub children: Vec<XNode>,
    pub text: String,
}

impl XNode {
    /// The first element child with this local name.
    pub fn child(&self, local: &str) -> Option<&XNode> {
        self.children.iter().find(|c| c.local == local)
    }
}

/// Parses a document into its root element; `Err` says why it cannot be read.
pub fn parse(xml: &str) -> Result<XNode, String> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<XNode> = Vec::new();
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| e.to_string())?;
        let namespace = match resolved {
            ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => {
                return Err(format!(
                    "unknown namespace prefix `{}`",
                    String::from_utf8_lossy(&p)
                ));
            }
        };
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} levels"));
                }
                stack.push(XNode {
                    local: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    namespace,
                    ..XNode::default()
                })
            }
            Event::Empty(e) => {
                let node = XNode {
                    local: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    namespace,
                    ..XNode::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| e.to_string())?
                } else {
                    match r.as_ref() {
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"amp" => Some('&'),
                        b"apos" => Some('\''),
                        b"quot" => Some('"'),
                        other => {
                            return Err(format!(
                                "entity `&{};` is refused",
                                String::from_utf8_lossy(other)
                            ));
                        }
                    }
                };
                if let (Some(ch), Some(open)) = (ch, stack.last_mut()) {
                    open.text.push(ch);
                }
            }
            Event::DocType(_) => return Err("DTDs are refused".into()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => return Err("no complete root element".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_namespaces() {
        let root = parse(
            r#"<s:E xmlns:s="urn:s"><s:B><R xmlns="urn:r"><b>2</b><a>1 &amp; 2</a><c/></R></s:B></s:E>"#,
        )
        .unwrap();
        assert_eq!(root.local, "E");
        assert_eq!(root.namespace.as_deref(), Some("urn:s"));
        let r = &root.child("B").unwrap().children[0];
        assert_eq!(r.namespace.as_deref(), Some("urn:r"));
        let names: Vec<&str> = r.children.iter().map(|c| c.local.as_str()).collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(r.children[1].text, "1 & 2");
        assert_eq!(r.children[2].namespace.as_deref(), Some("urn:r"));
    }

    #[test]
    fn refuses_what_the_transport_refuses() {
        assert!(parse(r#"<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>"#).is_err());
        assert!(parse("<r>&x;</r>").is_err());
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<p:a/>").is_err());
        assert!(parse(&("<a>".repeat(100) + &"</a>".repeat(100))).is_err());
    }
}
