//! Raw inline HTML sanitised one tag at a time. pulldown-cmark hands a paragraph's inline HTML
//! over tag by tag (`<sup>`, then the text `3`, then `</sup>`), so cleaning each tag on its own
//! would empty every element (`mm<sup></sup>3`). [`InlineTags`] instead cleans each opening tag
//! with ammonia (elements and attributes ammonia allows, e.g. `sup`, `sub`, `abbr title`, `kbd`,
//! `mark`, `small`, `cite`, `q`, `dfn`, `var`, `samp`, `s`, `ins`, `del`), keeps the closing tag
//! of an element it opened, drops any other closing tag, and closes what is still open at the
//! end of the block, so the text between the tags stays inside its element.

/// The inline elements opened in the current block, innermost last.
#[derive(Debug, Default)]
pub(crate) struct InlineTags {
    open: Vec<String>,
}

impl InlineTags {
    /// The sanitised form of one raw inline HTML tag (or comment): an allowed opening tag with
    /// its allowed attributes, the closing tag of an element opened before, or "".
    pub(crate) fn tag(&mut self, html: &str) -> String {
        let trimmed = html.trim();
        if let Some(rest) = trimmed.strip_prefix("</") {
            return self.close(&element_name(rest));
        }
        let name = match trimmed.strip_prefix('<') {
            Some(rest) => element_name(rest),
            None => return ammonia::clean(html),
        };
        let clean = ammonia::clean(trimmed);
        let closing = format!("</{name}>");
        match clean.strip_suffix(closing.as_str()) {
            Some(open) if !name.is_empty() => {
                self.open.push(name);
                open.to_string()
            }
            _ => clean,
        }
    }

    /// Closing tags for every element still open (at the end of a block), innermost first.
    pub(crate) fn close_all(&mut self) -> Option<String> {
        if self.open.is_empty() {
            return None;
        }
        let mut out = String::new();
        while let Some(name) = self.open.pop() {
            out.push_str("</");
            out.push_str(&name);
            out.push('>');
        }
        Some(out)
    }

    /// The closing tag of `name` when it is open (closing the elements opened inside it too).
    fn close(&mut self, name: &str) -> String {
        let Some(at) = self.open.iter().rposition(|n| n == name) else {
            return String::new();
        };
        let mut out = String::new();
        for n in self.open.drain(at..).rev() {
            out.push_str("</");
            out.push_str(&n);
            out.push('>');
        }
        out
    }
}

/// The lower-cased element name at the start of `rest` (the text after `<` or `</`).
fn element_name(rest: &str) -> String {
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tags: &[&str]) -> String {
        let mut t = InlineTags::default();
        let mut out: String = tags
            .iter()
            .map(|s| {
                if s.starts_with('<') {
                    t.tag(s)
                } else {
                    (*s).to_string()
                }
            })
            .collect();
        out.push_str(&t.close_all().unwrap_or_default());
        out
    }

    #[test]
    fn safe_inline_elements_keep_their_content() {
        assert_eq!(run(&["1 mm", "<sup>", "3", "</sup>"]), "1 mm<sup>3</sup>");
        assert_eq!(
            run(&["<abbr title=\"computed tomography\">", "CT", "</abbr>"]),
            "<abbr title=\"computed tomography\">CT</abbr>"
        );
        for name in [
            "sub", "kbd", "mark", "small", "cite", "q", "dfn", "var", "samp", "s",
        ] {
            let open = format!("<{name}>");
            let close = format!("</{name}>");
            assert_eq!(run(&[&open, "x", &close]), format!("<{name}>x</{name}>"));
        }
    }

    #[test]
    fn unsafe_tags_and_attributes_go_and_blocks_stay_balanced() {
        assert_eq!(run(&["<script>", "x", "</script>"]), "x");
        assert_eq!(
            run(&["<sup onclick=\"x()\">", "2"]),
            "<sup>2</sup>",
            "attributes cleaned, left open → closed at the block's end"
        );
        assert_eq!(run(&["a", "</sup>", "b"]), "ab", "stray closing tags go");
        assert_eq!(run(&["<b>", "<i>", "x", "</b>"]), "<b><i>x</i></b>");
        assert_eq!(run(&["a", "<br>", "b"]), "a<br>b");
        assert_eq!(run(&["<!-- note -->"]), "");
    }
}
