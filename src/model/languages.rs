//! Texts missing or not yet translated in a language of `site.yaml`: every "has no `fr` text"
//! problem of one language becomes one diagnostic naming the command that adds them all
//! (`medfm lang add`), and the texts that command copied from the default language, marked
//! `# untranslated (<code>)`, are reported as one warning per language until translated (the
//! marks of translation files are found here too, and reported with the translation).

use std::collections::BTreeMap;

use crate::base::diagnostic::Diagnostic;

/// The mark `medfm lang add` puts on each text it copied, followed by `: translate from <default>`.
pub(crate) fn todo_mark(code: &str) -> String {
    format!("# untranslated ({code})")
}

/// The mark `medfm lang add` puts under each heading of a translation file it wrote, followed
/// by `: what to do -->`.
pub(crate) fn body_mark(code: &str) -> String {
    format!("<!-- untranslated ({code})")
}

/// The line and column (both 1-based) of each mark of `code` in `text` ([`todo_mark`] or
/// [`body_mark`]).
pub(crate) fn marks(text: &str, code: &str) -> Vec<(usize, usize)> {
    let (yaml, markdown) = (todo_mark(code), body_mark(code));
    // One search of the whole text first: most texts are translated.
    if !text.contains(&yaml) && !text.contains(&markdown) {
        return Vec::new();
    }
    (text.lines().enumerate())
        .filter_map(|(i, line)| {
            let at = line.find(&yaml).or_else(|| line.find(&markdown))?;
            Some((i + 1, line[..at].chars().count() + 1))
        })
        .collect()
}

/// How many located examples a collapsed diagnostic lists.
const SHOWN: usize = 3;

/// `problems`, with every problem of a text missing in a language (`… has no `fr` text`,
/// `…: no `fr` text`) of each language collapsed into one, which says how to add them all.
pub(crate) fn collapse_missing(problems: Vec<Diagnostic>, default: &str) -> Vec<Diagnostic> {
    let mut missing: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut out = Vec::new();
    for d in problems {
        match missing_language(&d.message) {
            Some(code) => missing.entry(code).or_default().push(d),
            None => out.push(d),
        }
    }
    for (code, mut list) in missing {
        list.sort_by_key(|d| (d.line, d.col));
        let help = format!(
            "`medfm lang add {code} --name <name>` adds every missing `{code}` text to site.yaml, \
             copied from `{default}` and marked `{}` until translated",
            todo_mark(&code)
        );
        if list.len() == 1 {
            out.push(list.remove(0).with_hint(help));
            continue;
        }
        let first = &list[0];
        let mut d = Diagnostic::error(
            first.path.clone(),
            first.line,
            first.col,
            format!("{} texts have no `{code}` text", list.len()),
        );
        d.source_line = first.source_line.clone();
        for other in list.iter().take(SHOWN) {
            d.push_note(format!("line {}: {}", other.line, other.message));
        }
        if list.len() > SHOWN {
            d.push_note(format!("and {} more", list.len() - SHOWN));
        }
        out.push(d.with_hint(help));
    }
    out
}

/// The language of a "has no `fr` text" message.
fn missing_language(message: &str) -> Option<String> {
    let rest = message.strip_suffix("` text")?;
    let (before, code) = rest.rsplit_once('`')?;
    (before.ends_with("has no ") || before.ends_with("no ")).then(|| code.to_string())
}

/// One warning per language for the texts of `site.yaml` (`text`, shown as `path`) still
/// marked `# untranslated (<code>)`.
pub(crate) fn untranslated(path: &str, text: &str, codes: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for code in codes {
        let mark = todo_mark(code);
        let marked = marks(text, code);
        let Some(&(line, col)) = marked.first() else {
            continue;
        };
        let what = match marked.len() {
            1 => format!("1 `{code}` text is"),
            n => format!("{n} `{code}` texts are"),
        };
        let mut d = Diagnostic::warning(
            path,
            line,
            col,
            format!("{what} not translated yet (copied by `medfm lang add`)"),
        )
        .with_source(text);
        let lines: Vec<&str> = text.lines().collect();
        for (line, _) in marked.iter().skip(1).take(SHOWN) {
            d.push_note(format!("line {line}: {}", lines[line - 1].trim()));
        }
        if marked.len() > SHOWN + 1 {
            d.push_note(format!("and {} more", marked.len() - SHOWN - 1));
        }
        out.push(d.with_hint(format!(
            "translate each text marked `{mark}` into `{code}` and remove the mark"
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_texts_of_a_language_are_one_error_with_the_command() {
        let problems = vec![
            Diagnostic::error("site.yaml", 9, 5, "kind term `tool` has no `fr` text"),
            Diagnostic::error("site.yaml", 4, 1, "title has no `fr` text"),
            Diagnostic::error("site.yaml", 30, 7, "collections.a.label: no `fr` text"),
            Diagnostic::error("site.yaml", 31, 7, "UI string `yes` has no `fr` text"),
            Diagnostic::error(
                "site.yaml",
                2,
                1,
                "`base_url` must be an absolute http(s) URL",
            ),
        ];
        let out = collapse_missing(problems, "en");
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[1].to_string().lines().next().unwrap(),
            "site.yaml:4:1: error: 4 texts have no `fr` text"
        );
        assert_eq!(
            out[1].notes(),
            [
                "line 4: title has no `fr` text",
                "line 9: kind term `tool` has no `fr` text",
                "line 30: collections.a.label: no `fr` text",
                "and 1 more"
            ]
        );
        assert!(out[1]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("`medfm lang add fr --name <name>` adds every missing `fr` text"));
    }

    #[test]
    fn marked_texts_are_one_warning_per_language() {
        let text = "title:\n  en: A\n  fr: A  # untranslated (fr), copied from en\nx: { en: B, fr: B }  # untranslated (fr), copied from en\n";
        let out = untranslated("site.yaml", text, &["en", "fr"]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_string().lines().next().unwrap(),
            "site.yaml:3:10: warning: 2 `fr` texts are not translated yet (copied by `medfm lang add`)"
        );
    }
}
