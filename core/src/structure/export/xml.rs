//! Just enough XML for `.zwo` files: elements, attributes, text, comments, the declaration and
//! the five named entities plus numeric ones; no DTDs, namespaces or CDATA (Zwift writes none).
//! Escaping for the writer lives here too.

use crate::structure::icu_text::TextError;

/// One element with its attributes, child elements, text and position (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: usize,
    pub col: usize,
}

impl Element {
    /// An attribute by name, ignoring case (Zwift files mix `Power` and `power`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child by name, ignoring case.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// Escapes text for an attribute value or element content.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0; a name never needs them.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Reads the document's root element.
pub(super) fn parse(text: &str) -> Result<Element, TextError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        col: 1,
    };
    p.skip_misc()?;
    let root = p.element()?;
    p.skip_misc()?;
    if p.pos < p.chars.len() {
        return Err(p.err("nothing may follow the root element"));
    }
    Ok(root)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    col: usize,
}

impl Parser {
    fn err(&self, message: impl Into<String>) -> TextError {
        TextError {
            line: self.line,
            col: self.col,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c.is_whitespace() || c == '\u{feff}')
        {
            self.bump();
        }
    }

    fn skip_until(&mut self, end: &str, what: &str) -> Result<(), TextError> {
        while !self.starts_with(end) {
            if self.bump().is_none() {
                return Err(self.err(format!("{what} is not closed with `{end}`")));
            }
        }
        for _ in end.chars() {
            self.bump();
        }
        Ok(())
    }

    /// Whitespace, comments and `<?…?>` declarations.
    fn skip_misc(&mut self) -> Result<(), TextError> {
        loop {
            self.skip_ws();
            if self.starts_with("<!--") {
                self.skip_until("-->", "a comment")?;
            } else if self.starts_with("<?") {
                self.skip_until("?>", "the XML declaration")?;
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, TextError> {
        let mut s = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
        {
            s.push(c);
            self.bump();
        }
        if s.is_empty() {
            Err(self.err("expected a name"))
        } else {
            Ok(s)
        }
    }

    fn element(&mut self) -> Result<Element, TextError> {
        let (line, col) = (self.line, self.col);
        if self.bump() != Some('<') {
            return Err(self.err("expected `<`"));
        }
        let name = self.name()?;
        let mut el = Element {
            name,
            attrs: Vec::new(),
            children: Vec::new(),
            text: String::new(),
            line,
            col,
        };
        loop {
            self.skip_ws();
            match self.peek() {
                Some('/') => {
                    self.bump();
                    if self.bump() != Some('>') {
                        return Err(self.err("expected `>` after `/`"));
                    }
                    return Ok(el);
                }
                Some('>') => {
                    self.bump();
                    break;
                }
                Some(_) => {
                    let k = self.name()?;
                    self.skip_ws();
                    if self.bump() != Some('=') {
                        return Err(self.err(format!("expected `=` after attribute `{k}`")));
                    }
                    self.skip_ws();
                    let quote = match self.bump() {
                        Some(q @ ('"' | '\'')) => q,
                        _ => return Err(self.err(format!("attribute `{k}` needs a quoted value"))),
                    };
                    let mut raw = String::new();
                    loop {
                        match self.bump() {
                            Some(c) if c == quote => break,
                            Some(c) => raw.push(c),
                            None => return Err(self.err(format!("attribute `{k}` is not closed"))),
                        }
                    }
                    let v = self.unescape(&raw)?;
                    el.attrs.push((k, v));
                }
                None => return Err(self.err(format!("element `{}` is not closed", el.name))),
            }
        }
        // Content: text, children, comments, until the matching end tag.
        let mut raw = String::new();
        loop {
            if self.starts_with("<!--") {
                self.skip_until("-->", "a comment")?;
            } else if self.starts_with("</") {
                self.bump();
                self.bump();
                let end = self.name()?;
                self.skip_ws();
                if self.bump() != Some('>') {
                    return Err(self.err("expected `>`"));
                }
                if end != el.name {
                    return Err(self.err(format!(
                        "`</{end}>` closes `<{}>` (line {})",
                        el.name, el.line
                    )));
                }
                el.text = self.unescape(raw.trim())?;
                return Ok(el);
            } else if self.peek() == Some('<') {
                el.children.push(self.element()?);
            } else {
                match self.bump() {
                    Some(c) => raw.push(c),
                    None => {
                        return Err(self.err(format!(
                            "element `{}` (line {}) is not closed",
                            el.name, el.line
                        )));
                    }
                }
            }
        }
    }

    fn unescape(&self, s: &str) -> Result<String, TextError> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(rest.get(..i).unwrap_or_default());
            let after = rest.get(i + 1..).unwrap_or_default();
            let end = after
                .find(';')
                .ok_or_else(|| self.err("`&` must start an entity such as `&amp;`"))?;
            let ent = after.get(..end).unwrap_or_default();
            let c = match ent {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e => e
                    .strip_prefix("#x")
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| e.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err(format!("unknown entity `&{e};`")))?,
            };
            out.push(c);
            rest = after.get(end + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_text_and_entities() {
        let doc = "<?xml version=\"1.0\"?>\n<!-- c -->\n<a x='1' y=\"&amp;&#65;\">\n  <b/>\n  <c>t &lt;3</c>\n</a>\n";
        let a = parse(doc).unwrap();
        assert_eq!(a.name, "a");
        assert_eq!(a.attr("X"), Some("1"));
        assert_eq!(a.attr("y"), Some("&A"));
        assert_eq!(a.children.len(), 2);
        assert_eq!(a.child("c").map(|c| c.text.as_str()), Some("t <3"));
        assert_eq!(a.child("b").map(|b| b.line), Some(4));
    }

    #[test]
    fn errors_have_a_position() {
        let e = parse("<a>\n<b></c>\n</a>").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("closes"), "{e}");
        assert!(parse("<a x=1/>").is_err());
        assert!(parse("<a>").unwrap_err().message.contains("not closed"));
    }

    #[test]
    fn escape_round_trips() {
        let s = "Tom & Jerry's <\"fast\">";
        let a = parse(&format!("<a n=\"{}\"/>", escape(s))).unwrap();
        assert_eq!(a.attr("n"), Some(s));
    }
}
