//! The templates' texts, read without Tera: the tags and expressions of a template, and what
//! they name (the templates a template extends, includes and imports, the macros it defines).
//! Locating errors and refusing recursion both read templates this way.

use std::collections::BTreeMap;

/// One template file: its name (path inside `templates/`) and text.
pub(crate) type TemplateSource = (String, String);

/// The templates' texts by name, for locating errors in them.
#[derive(Debug, Default)]
pub(crate) struct TemplateSources<'a> {
    files: BTreeMap<&'a str, &'a str>,
}

impl<'a> TemplateSources<'a> {
    /// The sources of `files`.
    pub(crate) fn new(files: &'a [TemplateSource]) -> Self {
        TemplateSources {
            files: files
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect(),
        }
    }

    /// The text of template `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.files.get(name).copied()
    }

    /// Every template's name, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.files.keys().copied()
    }

    /// The templates `name` names in its `extends`, `include` and `import` tags, in order.
    pub(crate) fn uses(&self, name: &str) -> Vec<String> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, body)| {
                *is_tag && ["extends", "include", "import"].contains(&first_word(body))
            })
            .flat_map(|(_, _, body)| {
                let names = quoted(body);
                match first_word(body) {
                    // `import "x.html" as m`: only the file.
                    "import" => names.into_iter().take(1).collect(),
                    _ => names,
                }
            })
            .collect()
    }

    /// The aliases `name` imports macro files as: (alias, file).
    pub(crate) fn imports(&self, name: &str) -> Vec<(String, String)> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, _)| *is_tag)
            .filter_map(
                |(_, _, body)| match body.split_whitespace().collect::<Vec<_>>()[..] {
                    ["import", path, "as", alias, ..] => Some((alias.to_string(), unquote(path))),
                    _ => None,
                },
            )
            .collect()
    }

    /// The macros `name` defines, in order.
    pub(crate) fn macros(&self, name: &str) -> Vec<String> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, _)| *is_tag)
            .filter_map(
                |(_, _, body)| match body.split_whitespace().collect::<Vec<_>>()[..] {
                    ["macro", head, ..] => Some(head.split('(').next().unwrap_or(head).to_string()),
                    _ => None,
                },
            )
            .collect()
    }
}

/// The first word of a tag's content.
pub(crate) fn first_word(body: &str) -> &str {
    body.split_whitespace().next().unwrap_or("")
}

/// The `{% … %}` tags (true) and `{{ … }}` expressions (false) of a template, with the byte
/// offset of their content and the content without whitespace-control dashes.
pub(crate) fn tags(text: &str) -> Vec<(usize, bool, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text[pos..].find('{') {
        let start = pos + found;
        let (close, is_tag) = match text[start + 1..].chars().next() {
            Some('%') => ("%}", true),
            Some('{') => ("}}", false),
            Some('#') => ("#}", false),
            _ => {
                pos = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            break;
        };
        let inner = &text[start + 2..start + 2 + len];
        if !text[start + 1..].starts_with('#') {
            let trimmed = inner.trim_start_matches('-').trim_start();
            let lead = inner.len() - trimmed.len();
            out.push((
                start + 2 + lead,
                is_tag,
                trimmed.trim_end().trim_end_matches('-').trim_end(),
            ));
        }
        pos = start + 2 + len + 2;
    }
    out
}

/// `s` without the quotes around it.
pub(super) fn unquote(s: &str) -> String {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string()
}

/// The quoted strings in `s` (include targets, possibly a list).
pub(super) fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\'', '`']) {
        let quote = &rest[i..i + 1];
        let after = &rest[i + 1..];
        let Some(len) = after.find(quote) else { break };
        out.push(after[..len].to_string());
        rest = &after[len + 1..];
    }
    out
}
