//! Raw inline HTML sanitised one tag at a time. pulldown-cmark hands a paragraph's inline HTML
//! over tag by tag (`<sup>`, then the text `3`, then `</sup>`), so cleaning each tag on its own
//! would empty every element (`mm<sup></sup>3`). [`InlineTags`] instead cleans each opening tag
//! with ammonia (elements and attributes ammonia allows, e.g. `sup`, `sub`, `abbr title`, `kbd`,
//! `mark`, `small`, `cite`, `q`, `dfn`, `var`, `samp`, `s`, `ins`, `del`), keeps the closing tag
//! of an element it opened, drops any other closing tag, and closes what is still open at the
//! end of the block, so the text between the tags stays inside its element. [`removed`] names
//! what sanitising took away, for `check` to warn about.

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

/// What sanitising `before` into `after` took away, in the order written, with the byte offset
/// of its tag in `before`: each element that is gone (`<iframe>`), and each attribute gone from
/// an element kept (`style` of `<div>`).
/// Comments and closing tags are not counted.
pub(crate) fn removed(before: &str, after: &str) -> Vec<(usize, String)> {
    let kept = opening_tags(after);
    let mut out: Vec<(usize, String)> = Vec::new();
    for (offset, name, attributes) in opening_tags(before) {
        let same: Vec<&Vec<String>> = (kept.iter())
            .filter(|(_, n, _)| *n == name)
            .map(|(_, _, a)| a)
            .collect();
        let gone = match same.is_empty() {
            true => format!("the element `<{name}>`"),
            false => {
                let lost: Vec<String> = (attributes.iter())
                    .filter(|a| !same.iter().any(|k| k.contains(a)))
                    .map(|a| format!("`{a}`"))
                    .collect();
                match lost.len() {
                    0 => continue,
                    1 => format!("the attribute {} of `<{name}>`", lost[0]),
                    _ => format!("the attributes {} of `<{name}>`", lost.join(", ")),
                }
            }
        };
        if !out.iter().any(|(_, g)| *g == gone) {
            out.push((offset, gone));
        }
    }
    out
}

/// The opening tags of `html`: the offset of each, its element's lower-cased name and its
/// attribute names.
fn opening_tags(html: &str) -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let offset = html.len() - rest.len() + at;
        rest = &rest[at + 1..];
        let name = element_name(rest);
        if name.is_empty() || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (attributes, after) = attribute_names(&rest[name.len()..]);
        out.push((offset, name, attributes));
        rest = after;
    }
    out
}

/// The attribute names at the start of `rest` (the text after a tag's name), up to the `>`
/// that ends the tag (quoted values skipped), and the text after it.
fn attribute_names(mut rest: &str) -> (Vec<String>, &str) {
    let mut names = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return (names, rest.get(1..).unwrap_or(""));
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        names.push(rest[..end].to_ascii_lowercase());
        rest = rest[end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            rest = skip_value(value.trim_start());
        }
    }
}

/// The text after an attribute value (quoted or not).
fn skip_value(value: &str) -> &str {
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |i| &value[i + 2..]),
        _ => {
            let end = value
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(value.len());
            &value[end..]
        }
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
    fn what_sanitising_removed_is_named() {
        let before = r#"<div style="color: red" onclick='x()' title="t">a <b>b</b></div><iframe src="/x"></iframe><!-- c -->"#;
        let after = ammonia::clean(before);
        let found: Vec<&str> = (removed(before, &after).iter())
            .map(|(at, _)| &before[*at..at + 4])
            .collect();
        assert_eq!(found, ["<div", "<ifr"]);
        let names: Vec<String> = removed(before, &after)
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(
            names,
            [
                "the attributes `style`, `onclick` of `<div>`",
                "the element `<iframe>`"
            ]
        );
        assert!(removed("<sup>2</sup>", "<sup>2</sup>").is_empty());
        assert!(removed("a < b and <3", "a &lt; b and &lt;3").is_empty());
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
