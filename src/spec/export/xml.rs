//! A small indenting XML writer for the WSDL and XSD exports: elements with attributes,
//! escaped text and documentation. The main type here is [`XmlWriter`].

use quick_xml::escape::escape;

/// Writes an indented XML document into a string.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    pub fn new() -> XmlWriter {
        let mut w = XmlWriter::default();
        w.out
            .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        w
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape(*v));
            self.out.push('"');
        }
    }

    /// `<name a="v">`, and the following elements one level deeper.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name a="v"/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name a="v">text</name>`, the text escaped.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        self.out.push('>');
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<!-- text -->` (a `--` in the text is broken up, which XML forbids in comments).
    pub fn comment(&mut self, text: &str) {
        self.indent();
        self.out.push_str("<!-- ");
        self.out.push_str(&text.replace("--", "- -"));
        self.out.push_str(" -->\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_indented_escaped_xml() {
        let mut w = XmlWriter::new();
        w.comment("a -- b");
        w.open("a", &[("x", "1 & \"2\"")]);
        w.text("b", &[], "<c>");
        w.empty("d", &[]);
        w.close("a");
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- a - - b -->\n<a x=\"1 &amp; &quot;2&quot;\">\n  <b>&lt;c&gt;</b>\n  <d/>\n</a>\n"
        );
    }
}
