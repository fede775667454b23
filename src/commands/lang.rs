//! `medfm lang add <code> --name <name>`: adds a language to a site. Every per-language text of
//! `site.yaml` that lacks the new language — the site's title, vocabulary labels, collection,
//! field and taxonomy labels, scaffolds, UI strings — gets one, copied from the default
//! language and marked `# untranslated (<code>)`, which `medfm check` reports as a warning until it is
//! translated; the language joins `languages`. The file is edited line by line, so its
//! comments, order and layout stay as they were; the edit is refused unless re-reading the
//! edited file gives the same values as before plus the new language's.

use std::collections::BTreeMap;

use anyhow::{bail, Context as _, Result};
use serde_yaml::Value;

use crate::base::failure::Outcome;
use crate::load::Project;
use crate::model::config::SiteConfig;
use crate::model::languages::todo_mark;
use crate::model::names::{self, NameKind};

/// Options of `medfm lang`.
#[derive(Debug, clap::Args)]
pub(crate) struct LangArgs {
    /// What to do.
    #[command(subcommand)]
    pub(crate) action: LangAction,
}

/// The subcommands of `medfm lang`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum LangAction {
    /// Add a language: every text of site.yaml gets one in it, copied from the default language
    /// and marked `# untranslated (<code>)` for translation: `medfm lang add fr --name Français`.
    Add(AddArgs),
}

/// Options of `medfm lang add`.
#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The language code (BCP 47, e.g. `fr`, `pt-BR`): also the folder of its pages.
    pub(crate) code: String,
    /// The language's name in itself, shown in the language switch (e.g. `Français`).
    #[arg(long)]
    pub(crate) name: String,
    /// Its Open Graph locale (e.g. `fr_FR`). Default: the code.
    #[arg(long)]
    pub(crate) locale: Option<String>,
}

/// Runs `medfm lang`.
pub(crate) fn run(project: &Project, args: &LangArgs) -> Outcome<()> {
    let LangAction::Add(add) = &args.action;
    let config = crate::load::config(project)?;
    let path = project.config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let edit = add_language(&text, &config, add)?;
    let temp = path.with_extension("yaml.medfm-new");
    std::fs::write(&temp, &edit.text).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, &path).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "added `{}` to {}: {} texts copied from `{}`, each marked `{}`",
        add.code,
        path.display(),
        edit.copied,
        config.default_language,
        todo_mark(&add.code)
    );
    println!(
        "next: translate the marked texts (`medfm check` lists them), then write the `{}` \
         translation of each page (`<page>.{}.md` beside it; `medfm check` names the missing ones)",
        add.code, add.code
    );
    Ok(())
}

/// An edited `site.yaml`.
#[derive(Debug)]
pub(crate) struct Edit {
    /// Its new text.
    pub(crate) text: String,
    /// How many texts were copied.
    pub(crate) copied: usize,
}

/// `text` (the site.yaml of `config`) with the language of `add`.
pub(crate) fn add_language(text: &str, config: &SiteConfig, add: &AddArgs) -> Result<Edit> {
    let code = add.code.as_str();
    if let Some(why) = names::problem(code, NameKind::Language) {
        bail!("language code `{code}` {why}");
    }
    if config
        .language_codes()
        .any(|c| c.eq_ignore_ascii_case(code))
    {
        bail!("site.yaml already has the language `{code}`");
    }
    let codes: Vec<&str> = config.language_codes().collect();
    let editor = Editor {
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
    let mut copied = 0;
    for line in &mut lines {
        copied += editor.flow_maps(line);
    }
    copied += editor.block_maps(&mut lines);
    editor.language_entry(&mut lines, add)?;
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

/// What an edit adds, and where from.
struct Editor<'a> {
    codes: &'a [&'a str],
    default: &'a str,
    code: &'a str,
    /// The comment appended to each copied text.
    mark: String,
}

impl Editor<'_> {
    /// Adds the language to every one-line flow mapping of texts per language in `line`
    /// (`{ en: Model }` → `{ en: Model, fr: Model }`); returns how many.
    fn flow_maps(&self, line: &mut String) -> usize {
        let mut inserts = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut quotes = Quotes::default();
        for (i, ch) in line.char_indices() {
            if !quotes.outside(&line[..i], ch) {
                continue;
            }
            match ch {
                '#' if i == 0 || line[..i].ends_with(' ') => break,
                '{' => open.push(i),
                '}' => {
                    let Some(start) = open.pop() else { break };
                    let inner = &line[start + 1..i];
                    if let Some(value) = self.default_of_flow(inner) {
                        let end = start + 1 + inner.trim_end().len();
                        inserts.push((end, format!(", {}: {value}", self.code)));
                    }
                }
                _ => {}
            }
        }
        for (at, text) in inserts.iter().rev() {
            line.insert_str(*at, text);
        }
        if !inserts.is_empty() {
            line.push_str(&self.mark);
        }
        inserts.len()
    }

    /// The default language's value in the flow mapping `inner` (between its braces) when it
    /// is a mapping of texts per language that lacks the new language.
    fn default_of_flow<'t>(&self, inner: &'t str) -> Option<&'t str> {
        let mut default = None;
        for entry in split_outside_quotes(inner, ',') {
            let (key, value) = entry.split_once(':')?;
            let (key, value) = (key.trim().trim_matches(['"', '\'']), value.trim());
            if !self.codes.contains(&key) || value.is_empty() || value.starts_with(['{', '[']) {
                return None;
            }
            if key == self.default {
                default = Some(value);
            }
        }
        default
    }

    /// Adds the language to every block mapping of texts per language (the default's line or
    /// lines copied after the mapping's last entry), and to the `strings` tables; returns how
    /// many texts were copied.
    fn block_maps(&self, lines: &mut Vec<String>) -> usize {
        let keyed: Vec<Option<Keyed>> = lines.iter().map(|l| Keyed::of(l)).collect();
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
        let groups: Vec<&Vec<usize>> = siblings.values().collect();
        let mut inserts: Vec<(usize, Vec<String>, usize)> = Vec::new();
        for group in groups {
            let under_strings =
                parent_of(&keyed, group[0]).is_some_and(|p| lines[p].trim_end() == "strings:");
            let texts = |i: &usize| {
                keyed[*i]
                    .as_ref()
                    .is_some_and(|k| k.is_text() || under_strings)
            };
            let keys: Vec<&str> = group
                .iter()
                .filter_map(|&i| keyed[i].as_ref().map(|k| k.key.as_str()))
                .collect();
            if !keys.iter().all(|k| self.codes.contains(k))
                || keys.contains(&self.code)
                || !group.iter().all(texts)
            {
                continue;
            }
            let Some(&default) = group
                .iter()
                .find(|&&i| keyed[i].as_ref().is_some_and(|k| k.key == self.default))
            else {
                continue;
            };
            let last = *group.last().unwrap_or(&default);
            let (copy, count) = self.copy(lines, default, block_end(lines, default));
            inserts.push((block_end(lines, last), copy, count));
        }
        inserts.sort_by_key(|(at, _, _)| *at);
        let mut copied = 0;
        for (at, copy, count) in inserts.into_iter().rev() {
            copied += count;
            lines.splice(at..at, copy);
        }
        copied
    }

    /// The lines `start..end` (the default language's entry) for the new language: its key
    /// renamed, and each text marked; returns them and how many texts they hold.
    fn copy(&self, lines: &[String], start: usize, end: usize) -> (Vec<String>, usize) {
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
                    self.code,
                    &line[indent + self.default.len()..]
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
                    line.push_str(&self.mark);
                    count += 1;
                }
            }
            out.push(line);
        }
        (out, count)
    }

    /// Appends the new language to `languages`.
    fn language_entry(&self, lines: &mut Vec<String>, add: &AddArgs) -> Result<()> {
        let start = (lines.iter().position(|l| l.trim_end() == "languages:"))
            .context("site.yaml has no block list `languages:` to add the language to")?;
        let end = block_end(lines, start);
        let item = (lines[start + 1..end].iter())
            .find(|l| l.trim_start().starts_with("- "))
            .context("`languages:` in site.yaml lists no language")?;
        let dash = " ".repeat(item.len() - item.trim_start().len());
        let mut entry = vec![
            format!("{dash}- code: {}", quoted(&add.code)),
            format!("{dash}  name: {}", quoted(&add.name)),
        ];
        if let Some(locale) = &add.locale {
            entry.push(format!("{dash}  locale: {}", quoted(locale)));
        }
        lines.splice(end..end, entry);
        Ok(())
    }
}

/// `text` split at each `sep` outside quotes.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quotes) = (0, Quotes::default());
    for (i, ch) in text.char_indices() {
        if quotes.outside(&text[..i], ch) && ch == sep {
            parts.push(&text[start..i]);
            start = i + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Whether a scan of YAML flow text is inside a quoted scalar. A quote opens one only where a
/// scalar starts (at the start, or after `{`, `[`, `,` or `:`), so the apostrophe of
/// `Brigham and Women's Hospital` is text; `''` inside single quotes is an escaped quote.
#[derive(Default)]
struct Quotes {
    open: Option<char>,
    /// The previous character closed a single-quoted scalar (or was the first of a `''`).
    closed_single: bool,
}

impl Quotes {
    /// Steps over `ch`, which follows `before`: true when `ch` is outside quotes and is not
    /// itself a quote.
    fn outside(&mut self, before: &str, ch: char) -> bool {
        let closed_single = std::mem::take(&mut self.closed_single);
        match (self.open, ch) {
            (Some(q), c) if c == q => {
                self.open = None;
                self.closed_single = q == '\'';
                false
            }
            (Some(_), _) => false,
            (None, '\'') if closed_single => {
                self.open = Some('\'');
                false
            }
            (None, '"' | '\'') if starts_scalar(before) => {
                self.open = Some(ch);
                false
            }
            (None, _) => true,
        }
    }
}

/// True when a scalar starting after `before` may be quoted.
fn starts_scalar(before: &str) -> bool {
    matches!(
        before.trim_end().chars().last(),
        None | Some('{' | '[' | ',' | ':' | '-')
    )
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

    #[test]
    fn quotes_open_only_where_a_scalar_starts() {
        assert_eq!(
            split_outside_quotes(" zh: Women's Hospital, en: Women's Hospital ", ','),
            [" zh: Women's Hospital", " en: Women's Hospital "]
        );
        assert_eq!(
            split_outside_quotes(" zh: 'a, b', en: \"c, d\" ", ','),
            [" zh: 'a, b'", " en: \"c, d\" "]
        );
        assert_eq!(
            split_outside_quotes("'it''s, here', x", ','),
            ["'it''s, here'", " x"]
        );
    }
}
