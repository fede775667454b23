//! Escaping what templates print: the HTML escape Tera applies to every `{{ … }}` of an
//! `.html`, `.xml` or `.svg` template, and the `escape_xml` filter of the XML templates (the
//! feeds and the sitemap), which replaces Tera's own.

use std::collections::HashMap;

use serde_json::Value;

use crate::base::escape::{escape_markup, keep};

/// Escapes text for HTML and XML, text or quoted attribute: `&`, `<`, `>`, `"` and `'`, and
/// nothing else. (Tera's own escaping also writes `/` as `&#x2F;`, which no quoted attribute
/// or text needs, and which made every URL in the pages unreadable.)
pub(crate) fn escape_html(input: &str) -> String {
    escape_markup(input, "&#x27;", keep)
}

/// The `escape_xml` filter: a string as XML text (`escape_xml`) or as a quoted attribute value
/// (`escape_xml(attribute=true)`), without the characters XML 1.0 cannot hold. Its result is
/// not escaped again (Tera's filter of that name is, in an autoescaped template).
pub(super) struct EscapeXml;

impl tera::Filter for EscapeXml {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let attribute = args.get("attribute").and_then(Value::as_bool) == Some(true);
        match value.as_str() {
            Some(text) => Ok(Value::String(escape_xml(text, attribute))),
            None => Err(tera::Error::msg(format!(
                "Filter `escape_xml` was called on {value}, which is not a string"
            ))),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `text` escaped for XML: `& < > " '` and carriage returns as references (in an `attribute`,
/// tabs and line feeds too, which attribute-value normalisation would otherwise turn into
/// spaces); control characters other than tab and line breaks are dropped.
pub(super) fn escape_xml(text: &str, attribute: bool) -> String {
    escape_markup(text, "&apos;", |c, out| match c {
        '\r' => out.push_str("&#13;"),
        '\t' if attribute => out.push_str("&#9;"),
        '\n' if attribute => out.push_str("&#10;"),
        '\t' | '\n' => out.push(c),
        c if c.is_control() => {}
        c => out.push(c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Tera;

    #[test]
    fn escaping_leaves_urls_readable() {
        assert_eq!(
            escape_html("https://a.org/x?a=1&b=<\"'>"),
            "https://a.org/x?a=1&amp;b=&lt;&quot;&#x27;&gt;"
        );
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("a.html", "<a href=\"{{ u }}\">{{ t }}</a>")
            .unwrap();
        let mut c = tera::Context::new();
        c.insert("u", "https://example.org/en/models/x.html");
        c.insert("t", "A / B <i>");
        assert_eq!(
            tera.render("a.html", &c).unwrap(),
            "<a href=\"https://example.org/en/models/x.html\">A / B &lt;i&gt;</a>"
        );
    }

    #[test]
    fn xml_escaping_drops_what_xml_cannot_hold() {
        let text = "a\u{1}b\tc\nd\re'\"<>&\u{85}";
        assert_eq!(
            escape_xml(text, false),
            "ab\tc\nd&#13;e&apos;&quot;&lt;&gt;&amp;"
        );
        assert_eq!(
            escape_xml(text, true),
            "ab&#9;c&#10;d&#13;e&apos;&quot;&lt;&gt;&amp;"
        );
    }
}
