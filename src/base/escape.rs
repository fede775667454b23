//! Escaping text for HTML and XML: one loop that the template escape, the `escape_xml` filter,
//! highlighted code and formatted references share, each choosing how it writes `'`.

/// `text` with `&`, `<`, `>` and `"` as references and `'` as `apostrophe`; `other` writes
/// every other character.
pub(crate) fn escape_markup(
    text: &str,
    apostrophe: &str,
    other: impl Fn(char, &mut String),
) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c => other(c, &mut out),
        }
    }
    out
}

/// Writes `c` as it is (the `other` of [`escape_markup`] for text that needs nothing more).
pub(crate) fn keep(c: char, out: &mut String) {
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_characters_are_escaped_and_the_apostrophe_as_asked() {
        let text = "a & b < c > \"d\" 'e' /";
        assert_eq!(
            escape_markup(text, "&#39;", keep),
            "a &amp; b &lt; c &gt; &quot;d&quot; &#39;e&#39; /"
        );
        assert_eq!(escape_markup("'", "'", keep), "'");
        let dropped = escape_markup("a\u{1}b", "'", |c, out| {
            if !c.is_control() {
                out.push(c);
            }
        });
        assert_eq!(dropped, "ab");
    }
}
