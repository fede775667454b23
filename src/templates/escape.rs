//! Escaping what templates print: the HTML escape Tera applies to every `{{ … }}` of an
//! `.html`, `.xml` or `.svg` template.

/// Escapes text for HTML and XML, text or quoted attribute: `&`, `<`, `>`, `"` and `'`, and
/// nothing else. (Tera's own escaping also writes `/` as `&#x2F;`, which no quoted attribute
/// or text needs, and which made every URL in the pages unreadable.)
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
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
}
