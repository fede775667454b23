//! Finds what raw HTML in a page would load from outside the site when the page is opened:
//! `src`, `srcset`, `poster`, `background`, `<object data>`, `<link href>`, `<image href>`,
//! `<use href>`, a `<meta http-equiv="refresh">` target, and `url(…)` / `@import` in a
//! `style` attribute or a `<style>` element. A site is read offline from `file://`, so any such
//! address is a mistake, and a leak when the page is opened online: the renderer reports each
//! one, whether raw HTML is sanitised or trusted. Links (`<a href>`) load nothing and are not
//! reported here.

/// One address raw HTML would load from outside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExternalLoad {
    /// Byte offset of the tag in the HTML.
    pub offset: usize,
    /// The tag and attribute, e.g. `<img src>`, `<style>`.
    pub what: String,
    /// The address as written (entities decoded).
    pub url: String,
}

/// Every external load in `html`, in order.
pub(crate) fn external_loads(html: &str) -> Vec<ExternalLoad> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(lt) = html[at..].find('<') {
        let start = at + lt;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = start + rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            at = start + 1;
            continue;
        };
        tag.loads(start, &mut found);
        at = start + tag.len;
        if tag.name == "style" {
            let body_end = html[at..]
                .to_ascii_lowercase()
                .find("</style")
                .map_or(html.len(), |e| at + e);
            for url in css_urls(&html[at..body_end]) {
                push_external(&mut found, start, "<style>".into(), url);
            }
            at = body_end;
        }
    }
    found
}

/// A start tag: its lower-cased name, its attributes (lower-cased names, decoded values) and
/// its length in bytes.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    len: usize,
}

impl Tag {
    fn parse(text: &str) -> Option<Tag> {
        let bytes = text.as_bytes();
        let mut i = 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
        {
            i += 1;
        }
        let name = text[1..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                i += 1;
            }
            match bytes.get(i) {
                None => {
                    return Some(Tag {
                        name,
                        attrs,
                        len: text.len(),
                    })
                }
                Some(b'>') => {
                    return Some(Tag {
                        name,
                        attrs,
                        len: i + 1,
                    })
                }
                Some(_) => {}
            }
            let name_start = i;
            while bytes
                .get(i)
                .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
            {
                i += 1;
            }
            let attr = text[name_start..i].to_ascii_lowercase();
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                let (raw, next) = attribute_value(text, i);
                value = decode_entities(raw);
                i = next;
            }
            if attr.is_empty() {
                i += 1;
            } else {
                attrs.push((attr, value));
            }
        }
    }

    fn attr(&self, name: &str) -> Option<&str> {
        (self.attrs.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Pushes every external address this tag loads.
    fn loads(&self, offset: usize, found: &mut Vec<ExternalLoad>) {
        let what = |attr: &str| format!("<{} {attr}>", self.name);
        for (attr, value) in &self.attrs {
            let loads = match attr.as_str() {
                "src" | "poster" | "background" | "lowsrc" | "dynsrc" => true,
                "data" => self.name == "object",
                "href" | "xlink:href" => {
                    matches!(self.name.as_str(), "link" | "image" | "use" | "feimage")
                }
                "srcset" | "imagesrcset" => {
                    for candidate in value.split(',') {
                        let url = candidate.split_whitespace().next().unwrap_or_default();
                        push_external(found, offset, what(attr), url.to_string());
                    }
                    false
                }
                "style" => {
                    for url in css_urls(value) {
                        push_external(found, offset, what(attr), url);
                    }
                    false
                }
                _ => false,
            };
            if loads {
                push_external(found, offset, what(attr), value.trim().to_string());
            }
        }
        let refresh = self.name == "meta"
            && self
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
        if let Some(content) = self.attr("content").filter(|_| refresh) {
            let lower = content.to_ascii_lowercase();
            if let Some(i) = lower.find("url=") {
                let url = content[i + 4..].trim().trim_matches(['\'', '"']);
                push_external(
                    found,
                    offset,
                    "<meta http-equiv=refresh>".into(),
                    url.into(),
                );
            }
        }
    }
}

/// An attribute value starting at byte `i` of `text` (quoted or not) and the index after it.
fn attribute_value(text: &str, i: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = text[i + 1..]
                .find(q as char)
                .map_or(text.len(), |e| i + 1 + e);
            (&text[i + 1..end], (end + 1).min(text.len()))
        }
        _ => {
            let end = text[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map_or(text.len(), |e| i + e);
            (&text[i..end], end)
        }
    }
}

/// The addresses of `url(…)` and `@import "…"` in CSS text.
fn css_urls(css: &str) -> Vec<String> {
    let decoded = css_unescape(css);
    let lower = decoded.to_ascii_lowercase();
    let mut urls = Vec::new();
    for (i, _) in lower.match_indices("url(") {
        let inner = &decoded[i + 4..];
        let end = inner.find(')').unwrap_or(inner.len());
        urls.push(inner[..end].trim().trim_matches(['\'', '"']).to_string());
    }
    for (i, _) in lower.match_indices("@import") {
        let rest = decoded[i + 7..].trim_start();
        if let Some(q @ ('"' | '\'')) = rest.chars().next() {
            let inner = &rest[1..];
            urls.push(inner[..inner.find(q).unwrap_or(inner.len())].to_string());
        }
    }
    urls
}

/// CSS escapes (`\75 rl(`, `\:`) resolved, so they cannot hide an address.
fn css_unescape(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
        } else {
            if chars.peek() == Some(&' ') {
                chars.next();
            }
            out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
        }
    }
    out
}

/// Numeric character references and the named ones that can spell an address.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let decoded = match name.strip_prefix('#') {
            Some(n) => match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            }
            .and_then(char::from_u32),
            None => match name.to_ascii_lowercase().as_str() {
                "amp" => Some('&'),
                "colon" => Some(':'),
                "sol" => Some('/'),
                "period" => Some('.'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = after[end..].strip_prefix(';').unwrap_or(&after[end..]);
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn push_external(found: &mut Vec<ExternalLoad>, offset: usize, what: String, url: String) {
    if is_external(&url) {
        found.push(ExternalLoad { offset, what, url });
    }
}

/// Schemes that fetch nothing from a network: inline content, script (which the sanitiser
/// removes; `is_dangerous_url` refuses it in Markdown links), an empty document.
const LOCAL_SCHEMES: &[&str] = &["data", "javascript", "vbscript", "about", "blob"];

/// True for an address outside the site: one with a scheme (`https:`, `ftp:`, …) other than the
/// [`LOCAL_SCHEMES`], or a protocol-relative `//host/…` (also written with backslashes).
pub(crate) fn is_external(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    if url.starts_with("//")
        || url.starts_with("\\\\")
        || url.starts_with("/\\")
        || url.starts_with("\\/")
    {
        return true;
    }
    let scheme_end = url.find(':');
    let slash = url.find(['/', '?', '#']);
    match scheme_end {
        Some(i) if slash.is_none_or(|s| i < s) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !LOCAL_SCHEMES.iter().any(|s| scheme.eq_ignore_ascii_case(s))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<(String, String)> {
        external_loads(html)
            .into_iter()
            .map(|l| (l.what, l.url))
            .collect()
    }

    #[test]
    fn finds_every_kind_of_load() {
        let html = r#"<p>x</p><img src="http://evil.example/a.png" alt=x>
<video poster='https://e.org/p.jpg'><source src=//cdn.example/v.mp4></video>
<picture><source srcset="/ok.png 1x, https://e.org/2x.png 2x"></picture>
<link rel=stylesheet href="https://e.org/s.css"><object data="ftp://e.org/o"></object>
<iframe src="https://e.org/"></iframe><div style="background: url('https://e.org/b.png')">d</div>
<style>@import "https://e.org/i.css"; p { background: u\72 l(https://e.org/c.png) }</style>
<svg><image href="https://e.org/i.svg"/></svg><meta http-equiv="Refresh" content="0; url=https://e.org/">"#;
        assert_eq!(
            urls(html),
            [
                ("<img src>", "http://evil.example/a.png"),
                ("<video poster>", "https://e.org/p.jpg"),
                ("<source src>", "//cdn.example/v.mp4"),
                ("<source srcset>", "https://e.org/2x.png"),
                ("<link href>", "https://e.org/s.css"),
                ("<object data>", "ftp://e.org/o"),
                ("<iframe src>", "https://e.org/"),
                ("<div style>", "https://e.org/b.png"),
                ("<style>", "https://e.org/c.png"),
                ("<style>", "https://e.org/i.css"),
                ("<image href>", "https://e.org/i.svg"),
                ("<meta http-equiv=refresh>", "https://e.org/"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn entities_and_case_do_not_hide_an_address() {
        assert_eq!(
            urls("<IMG SRC=\"&#104;ttps&colon;//e.org/x.png\">")[0].1,
            "https://e.org/x.png"
        );
        assert_eq!(urls("<img src=' HTTP://e.org/x'>").len(), 1);
    }

    #[test]
    fn site_files_links_and_inline_data_are_not_loads() {
        let html = r#"<img src="/images/x.png"><img src="../a.png"><a href="https://e.org/">link</a>
<img src="data:image/png;base64,AAAA"><!-- <img src="https://e.org/"> --><span title="url(https://x)">t</span>"#;
        assert!(urls(html).is_empty(), "{:?}", urls(html));
    }

    #[test]
    fn external_addresses() {
        for url in [
            "https://a.org",
            "HTTP://a",
            "//a.org/x",
            "\\\\a.org",
            "ftp://a",
            "mailto:x@y",
        ] {
            assert!(is_external(url), "{url}");
        }
        for url in [
            "/a.png",
            "a.png",
            "../a.png",
            "#x",
            "data:image/png,x",
            "a/b:c",
            "?q=a:b",
        ] {
            assert!(!is_external(url), "{url}");
        }
    }
}
