//! The edit of `site.yaml` that adds a language: every per-language text that lacks it — the
//! site's title, vocabulary labels, collection, field and taxonomy labels, scaffolds, UI
//! strings — gets one, copied from the default language and marked `# untranslated (<code>)`,
//! which `medfm check` reports as a warning until it is translated; the language joins
//! `languages`. The file is edited line by line, so its comments, order and layout stay as they
//! were; the edit is refused unless re-reading the edited file gives the same values as before
//! plus the new language's.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context as _, Result};
use serde_yaml::Value;

use super::flow::{self, Languages};
use crate::base::diagnostic::Diagnostics;
use crate::base::failure::Outcome;
use crate::model::config::SiteConfig;
use crate::model::languages::todo_mark;
use crate::model::names::{self, NameKind};

/// An edited `site.yaml`.
#[derive(Debug)]
pub(super) struct Edit {
    /// Its new text.
    pub(super) text: String,
    /// How many texts were copied.
    pub(super) copied: usize,
}

/// The language to add.
#[derive(Debug)]
pub(super) struct NewLanguage<'a> {
    /// Its code (BCP 47).
    pub(super) code: &'a str,
    /// Its name in itself.
    pub(super) name: &'a str,
    /// Its Open Graph locale, if given.
    pub(super) locale: Option<&'a str>,
}

/// `text` (the site.yaml of `config`) with the language `add`.
pub(super) fn add_language(
    text: &str,
    config: &SiteConfig,
    add: &NewLanguage<'_>,
) -> Outcome<Edit> {
    let code = add.code;
    if let Some(why) = names::problem(code, NameKind::Language) {
        return Err(anyhow!("language code `{code}` {why}").into());
    }
    if config
        .language_codes()
        .any(|c| c.eq_ignore_ascii_case(code))
    {
        return Err(anyhow!("site.yaml already has the language `{code}`").into());
    }
    let codes: Vec<&str> = config.language_codes().collect();
    let languages = Languages {
        codes: &codes,
        default: &config.default_language,
        code,
        mark: format!(
            "  {}, copied from {}",
            todo_mark(code),
            config.default_language
        ),
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut copied =
        (languages.add_to_flow_maps(&mut lines, text)).map_err(|d| Diagnostics(vec![d]))?;
    copied += block_maps(&languages, &mut lines);
    language_entry(&mut lines, add)?;
    let mut edited = lines.join("\n");
    if text.ends_with('\n') {
        edited.push('\n');
    }
    check_edit(text, &edited, code)?;
    Ok(Edit {
        text: edited,
        copied,
    })
}

/// Adds the language to every block mapping of texts per language (the default's line or
/// lines copied after the mapping's last entry), and to the `strings` tables; returns how many
/// texts were copied. Lines inside a flow collection are not block mappings.
fn block_maps(languages: &Languages<'_>, lines: &mut Vec<String>) -> usize {
    let continued = flow::scan(lines).continued;
    let keyed: Vec<Option<Keyed>> = (lines.iter().zip(continued))
        .map(|(l, inside)| Keyed::of(l).filter(|_| !inside))
        .collect();
    // Sibling keys: the same indentation under the same parent line.
    let mut siblings: BTreeMap<(Option<usize>, usize), Vec<usize>> = BTreeMap::new();
    for (i, k) in keyed.iter().enumerate() {
        if let Some(k) = k {
            siblings
                .entry((parent_of(&keyed, i), k.indent))
                .or_default()
                .push(i);
        }
    }
    let mut inserts: Vec<(usize, Vec<String>, usize)> = Vec::new();
    for group in siblings.values() {
        if let Some(default) = default_of_block(languages, lines, &keyed, group) {
            let last = *group.last().unwrap_or(&default);
            let (copy, count) = copy(languages, lines, default, block_end(lines, default));
            inserts.push((block_end(lines, last), copy, count));
        }
    }
    inserts.sort_by_key(|(at, _, _)| *at);
    let mut copied = 0;
    for (at, copy, count) in inserts.into_iter().rev() {
        copied += count;
        lines.splice(at..at, copy);
    }
    copied
}

/// The line of the default language's text when the sibling keys `group` are texts per
/// language (or a `strings` table) that lack the new language.
fn default_of_block(
    languages: &Languages<'_>,
    lines: &[String],
    keyed: &[Option<Keyed>],
    group: &[usize],
) -> Option<usize> {
    let under_strings =
        parent_of(keyed, group[0]).is_some_and(|p| lines[p].trim_end() == "strings:");
    let texts = |i: &usize| {
        keyed[*i]
            .as_ref()
            .is_some_and(|k| k.is_text() || under_strings)
    };
    let keys: Vec<&str> = group
        .iter()
        .filter_map(|&i| keyed[i].as_ref().map(|k| k.key.as_str()))
        .collect();
    if !keys.iter().all(|k| languages.codes.contains(k))
        || keys.contains(&languages.code)
        || !group.iter().all(texts)
    {
        return None;
    }
    group.iter().copied().find(|&i| {
        keyed[i]
            .as_ref()
            .is_some_and(|k| k.key == languages.default)
    })
}

/// The lines `start..end` (the default language's entry) for the new language: its key
/// renamed, and each text marked; returns them and how many texts they hold.
fn copy(
    languages: &Languages<'_>,
    lines: &[String],
    start: usize,
    end: usize,
) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut count = 0;
    let mut scalar: Option<usize> = None;
    for (n, line) in lines[start..end].iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let in_scalar = scalar.is_some_and(|s| line.trim().is_empty() || indent > s);
        let keyed = Keyed::of(line).filter(|_| !in_scalar);
        let mut line = line.clone();
        if n == 0 {
            line = format!(
                "{}{}{}",
                &line[..indent],
                languages.code,
                &line[indent + languages.default.len()..]
            );
        }
        if !in_scalar {
            scalar = None;
        }
        if let Some(k) = keyed {
            if k.block_scalar() {
                scalar = Some(k.indent);
            }
            if k.is_text() && k.closed() {
                line.push_str(&languages.mark);
                count += 1;
            }
        }
        out.push(line);
    }
    (out, count)
}

/// Appends the new language to `languages`.
fn language_entry(lines: &mut Vec<String>, add: &NewLanguage<'_>) -> Result<()> {
    let start = (lines.iter().position(|l| l.trim_end() == "languages:"))
        .context("site.yaml has no block list `languages:` to add the language to")?;
    let end = block_end(lines, start);
    let item = (lines[start + 1..end].iter())
        .find(|l| l.trim_start().starts_with("- "))
        .context("`languages:` in site.yaml lists no language")?;
    let dash = " ".repeat(item.len() - item.trim_start().len());
    let mut entry = vec![
        format!("{dash}- code: {}", quoted(add.code)),
        format!("{dash}  name: {}", quoted(add.name)),
    ];
    if let Some(locale) = add.locale {
        entry.push(format!("{dash}  locale: {}", quoted(locale)));
    }
    lines.splice(end..end, entry);
    Ok(())
}

/// `text` as a YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A line `key: value` of a block mapping.
#[derive(Debug)]
struct Keyed {
    indent: usize,
    key: String,
    /// What follows `key:`, trimmed.
    value: String,
}

impl Keyed {
    fn of(line: &str) -> Option<Keyed> {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with(['#', '-']) {
            return None;
        }
        let (key, value) = match body.split_once(": ") {
            Some((k, v)) => (k, v),
            None => (body.strip_suffix(':')?, ""),
        };
        let key = key.trim_matches(['"', '\'']);
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c))
        {
            return None;
        }
        Some(Keyed {
            indent: line.len() - body.len(),
            key: key.to_string(),
            value: value.trim().to_string(),
        })
    }

    /// A scalar text on this line, or the header of a block scalar.
    fn is_text(&self) -> bool {
        !self.value.is_empty() && !self.value.starts_with(['{', '[', '&', '*'])
    }

    fn block_scalar(&self) -> bool {
        self.value.starts_with(['|', '>'])
    }

    /// False for a quoted text going on past this line (no comment may follow it here).
    fn closed(&self) -> bool {
        match self.value.chars().next() {
            Some(q @ ('"' | '\'')) => self.value.len() > 1 && self.value.trim_end().ends_with(q),
            _ => true,
        }
    }
}

/// The nearest line before `i` holding a key less indented than line `i`'s.
fn parent_of(keyed: &[Option<Keyed>], i: usize) -> Option<usize> {
    let indent = keyed[i].as_ref()?.indent;
    (0..i)
        .rev()
        .find(|&j| keyed[j].as_ref().is_some_and(|k| k.indent < indent))
}

/// The line after the entry starting at line `start`: its last line more indented than it,
/// plus one (blank lines and comments after the entry are not part of it).
fn block_end(lines: &[String], start: usize) -> usize {
    let indent = lines[start].len() - lines[start].trim_start().len();
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        let here = line.len() - line.trim_start().len();
        let item = here == indent
            && lines[start].trim_start().starts_with("languages:")
            && line.trim_start().starts_with('-');
        if here <= indent && !item {
            break;
        }
        if !line.trim_start().starts_with('#') || here > indent {
            end = i + 1;
        }
    }
    end
}

/// Refuses an edit that changed anything but adding `code`: the edited file must read as the
/// old one with one more language and one more text in some mappings.
fn check_edit(old: &str, new: &str, code: &str) -> Result<()> {
    let old: Value = serde_yaml::from_str(old).context("reading site.yaml")?;
    let mut new: Value = serde_yaml::from_str(new)
        .context("the edited site.yaml does not read as YAML: nothing was written")?;
    if let Some(Value::Sequence(languages)) = new.get_mut("languages") {
        languages.pop();
    }
    if !only_added(&old, &new, code) {
        bail!(
            "editing site.yaml line by line would change more than the new language's texts \
             (its layout is unusual): nothing was written; add `{code}` to `languages` and its \
             texts by hand"
        );
    }
    Ok(())
}

/// True when `new` is `old` with `code` added as a key to some mappings.
fn only_added(old: &Value, new: &Value, code: &str) -> bool {
    match (old, new) {
        (Value::Mapping(o), Value::Mapping(n)) => {
            n.iter().all(|(k, v)| match o.get(k) {
                Some(ov) => only_added(ov, v, code),
                None => k.as_str() == Some(code),
            }) && o.keys().all(|k| n.contains_key(k))
        }
        (Value::Sequence(o), Value::Sequence(n)) => {
            o.len() == n.len() && o.iter().zip(n).all(|(a, b)| only_added(a, b, code))
        }
        (o, n) => o == n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::failure::Failure;

    /// `medfm lang add fr` on the starter's site.yaml with `article: { en: Article }` written
    /// as `replacement`.
    fn add_french(replacement: &str) -> Outcome<Edit> {
        let starter = include_str!("../init/theme/site.yaml");
        let text = starter.replacen("article: { en: Article }", replacement, 1);
        let config = SiteConfig::parse("site.yaml", &text).unwrap();
        let add = NewLanguage {
            code: "fr",
            name: "Français",
            locale: None,
        };
        add_language(&text, &config, &add)
    }

    #[test]
    fn a_flow_mapping_over_several_lines_gains_the_language_and_is_no_block_mapping() {
        let edit = add_french("article: {\n      en: Article\n    }").unwrap();
        assert!(
            edit.text.contains(
                "    article: {\n      en: Article,\n      fr: Article  # untranslated (fr), \
                 copied from en\n    }\n"
            ),
            "{}",
            edit.text
        );
    }

    #[test]
    fn a_text_over_several_lines_of_a_flow_mapping_is_refused_where_it_is() {
        let Err(Failure::Found(found)) =
            add_french("article: {\n      en: A long\n        article\n    }")
        else {
            panic!("not refused");
        };
        assert_eq!(
            found.0[0].to_string().lines().next().unwrap(),
            "site.yaml:20:7: error: `medfm lang add` cannot copy this `en` text into `fr`: it \
             goes on over several lines of a flow mapping (`{ … }`, lines 19–22)"
        );
    }
}
