//! Translation completeness: for every page and every language besides the default, one
//! diagnostic when its translation is missing or incomplete — the file is missing, its body is
//! empty, sections of the source have no counterpart, translatable fields are left out or
//! copied untranslated, or texts `medfm lang add` copied are still marked `untranslated` —
//! naming every problem in one place, with how to fix it.
//!
//! Headings are in different languages, so sections are matched by structure: the longest
//! sequence of headings of equal level, in order ([`align`]). The same matching lets a link
//! written against one language's headings point at the corresponding heading of another
//! ([`counterpart`]).
//!
//! Whether a field is still in the source language is judged by writing system, not by named
//! languages: a field counts as untranslated when its text is mostly in the script the source
//! page is mostly written in, and the translation is mostly written in another. So a name such
//! as `SAM` on a Chinese page may stay untranslated, a Chinese title may not; between two
//! languages of one script (English and French) no field is judged, only missing ones that are
//! `required`.

use std::ops::RangeInclusive;

use crate::base::diagnostic::Diagnostic;
use crate::base::outline::OutlineHeading;
use crate::model::config::SiteConfig;
use crate::model::page::{Page, PageFile};
use crate::model::schema::Schema;

/// At most this many missing sections or fields are listed one by one.
const LISTED: usize = 8;

/// Longest quote of a field's text in a note, in characters.
const QUOTE_CHARS: usize = 40;

/// Above this many heading pairs, sections are matched position by position instead of by the
/// quadratic alignment (a file with thousands of headings is not a translation to compare).
const ALIGN_LIMIT: usize = 1 << 20;

/// For each heading of `from`, the index of its counterpart in `to`: the longest sequence of
/// headings of equal level in the same order, preferring the earliest pairs (so when the
/// translation has fewer sections of a level, the last ones are the missing ones).
pub(crate) fn align(from: &[OutlineHeading], to: &[OutlineHeading]) -> Vec<Option<usize>> {
    let (n, m) = (from.len(), to.len());
    if n.saturating_mul(m) > ALIGN_LIMIT {
        return (0..n)
            .map(|i| (i < m && from[i].level == to[i].level).then_some(i))
            .collect();
    }
    // longest[i][j]: the longest common sequence of levels of from[i..] and to[j..].
    let mut longest = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            longest[i][j] = if from[i].level == to[j].level {
                longest[i + 1][j + 1] + 1
            } else {
                longest[i + 1][j].max(longest[i][j + 1])
            };
        }
    }
    let mut pairs = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if from[i].level == to[j].level && longest[i][j] == longest[i + 1][j + 1] + 1 {
            pairs[i] = Some(j);
            i += 1;
            j += 1;
        } else if longest[i + 1][j] >= longest[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The id of the heading of `to` that corresponds to the heading `id` of `from`, if it has one.
pub(crate) fn counterpart<'a>(
    from: &[OutlineHeading],
    to: &'a [OutlineHeading],
    id: &str,
) -> Option<&'a str> {
    let i = from.iter().position(|h| h.id == id)?;
    let j = align(from, to)[i]?;
    Some(to[j].id.as_str())
}

/// True when `page` has a translation into `lang` in which sections of the default language's
/// text have no counterpart: a link to one of its headings may name a missing one.
pub(crate) fn lacks_sections(page: &Page, lang: &str, default: &str) -> bool {
    match (page.files.get(default), page.files.get(lang)) {
        (Some(source), Some(file)) if lang != default => {
            align(&source.outline, &file.outline).contains(&None)
        }
        _ => false,
    }
}

/// One diagnostic per language `page` is not (fully) translated into.
/// Languages in `unread` have a translation file with problems of its own, already reported.
pub(crate) fn check(page: &Page, config: &SiteConfig, unread: &[&str]) -> Vec<Diagnostic> {
    let default = config.default_language.as_str();
    let source = &page.files[default];
    let schema = config.schema_of(page);
    config
        .language_codes()
        .skip(1)
        .filter(|lang| !unread.contains(lang))
        .filter_map(|lang| {
            let Some(file) = page.files.get(lang) else {
                return Some(missing_file(page, schema, source, lang, default));
            };
            let given = page.translations.get(lang).map_or(&[][..], Vec::as_slice);
            incomplete(&Translated {
                page,
                schema,
                source,
                file,
                given,
                lang,
                default,
            })
        })
        .collect()
}

/// The translation into `lang` does not exist.
fn missing_file(
    page: &Page,
    schema: &Schema,
    source: &PageFile,
    lang: &str,
    default: &str,
) -> Diagnostic {
    let expected = source.file.with_extension(format!("{lang}.md"));
    let script = dominant(source_texts(page, schema, source));
    let fields: Vec<String> = (schema.translation.iter().enumerate())
        .filter(|&(at, &f)| {
            let text = page.values[f].as_str();
            schema.translation_required[at]
                || (!text.trim().is_empty() && script.is_some() && dominant([text]) == script)
        })
        .map(|(_, &f)| format!("`{}`", schema.fields[f].name))
        .collect();
    let body = !source.body().trim().is_empty();
    let fix = match (fields.is_empty(), body) {
        (false, true) => format!(
            "with {} in `{lang}` in its front matter, then the body in `{lang}`",
            and_list(&fields)
        ),
        (false, false) => format!("with {} in `{lang}` in its front matter", and_list(&fields)),
        (true, true) => format!("with the body in `{lang}`"),
        (true, false) => "beside it".to_string(),
    };
    let headings = match body && !source.outline.is_empty() {
        true => ", under the same headings as this page",
        false => "",
    };
    Diagnostic::warning(
        &source.file,
        0,
        0,
        format!("no `{lang}` translation: {} is missing", expected.display()),
    )
    .with_note(format!(
        "until it exists, the `{lang}` site shows this page in `{default}`"
    ))
    .with_hint(format!("create {} {fix}{headings}", expected.display()))
}

/// One translation of a page, with what it is compared to.
struct Translated<'a> {
    page: &'a Page,
    schema: &'a Schema,
    /// The page in the default language.
    source: &'a PageFile,
    /// The translation.
    file: &'a PageFile,
    /// The translatable fields it gives, in `schema.translation` order.
    given: &'a [Option<String>],
    lang: &'a str,
    default: &'a str,
}

/// What a translation leaves out, gathered for one diagnostic.
#[derive(Default)]
struct Gaps {
    /// The parts of the headline.
    summary: Vec<String>,
    /// One note per problem.
    notes: Vec<String>,
    /// The parts of the hint.
    fixes: Vec<String>,
    /// True when a front-matter field is not translated.
    front_matter: bool,
    /// The line of the first missing section.
    section_line: Option<usize>,
    /// The line of the first text marked untranslated.
    marked_line: Option<usize>,
}

/// What a translation leaves out, as one diagnostic, or `None` when it is complete.
fn incomplete(t: &Translated<'_>) -> Option<Diagnostic> {
    let mut gaps = Gaps::default();
    if !t.marked(&mut gaps) {
        t.untranslated_fields(&mut gaps);
    }
    if t.file.body().trim().is_empty() && !t.source.body().trim().is_empty() {
        t.empty_body(&mut gaps);
    } else {
        t.missing_sections(&mut gaps);
    }
    gaps.diagnostic(t.file, t.lang)
}

impl Translated<'_> {
    /// The texts `medfm lang add` copied from the source and marked untranslated, still marked
    /// (said first): true when there are any, which makes judging fields by script moot.
    fn marked(&self, gaps: &mut Gaps) -> bool {
        let (lang, default) = (self.lang, self.default);
        let marks = crate::model::languages::marks(&self.file.file_text, lang);
        let Some(&(line, _)) = marks.first() else {
            return false;
        };
        gaps.marked_line = Some(line);
        gaps.summary.push(format!(
            "{} marked untranslated",
            count(marks.len(), "text", "texts")
        ));
        gaps.notes.push(format!(
            "`medfm lang add` copied them from {}, in `{default}`",
            self.source.file.display()
        ));
        gaps.fixes.push(format!(
            "translate each text marked `untranslated ({lang})` into `{lang}` and remove its mark"
        ));
        true
    }

    /// Fields, judged by script (see the module documentation).
    fn untranslated_fields(&self, gaps: &mut Gaps) {
        let fields = self.fields_left_in_source_script();
        if fields.is_empty() {
            return;
        }
        gaps.front_matter = true;
        gaps.summary.push(match &fields[..] {
            [(name, _)] => format!("`{name}` not translated"),
            _ => format!("{} fields not translated", fields.len()),
        });
        let names: Vec<String> = fields.iter().map(|(n, _)| format!("`{n}`")).collect();
        gaps.fixes.push(format!(
            "translate {} into `{}` in the front matter",
            and_list(&names),
            self.lang
        ));
        let notes = fields.into_iter().map(|(_, note)| note);
        gaps.notes.extend(listed(notes, "fields"));
    }

    /// The fields left out or copied unchanged while the source and the translation are in
    /// different scripts, each with its note.
    fn fields_left_in_source_script(&self) -> Vec<(&String, String)> {
        let (page, schema, lang, default) = (self.page, self.schema, self.lang, self.default);
        let source_script = dominant(source_texts(page, schema, self.source));
        let own: Vec<&str> = (schema.translation.iter().zip(self.given))
            .filter_map(|(&f, text)| {
                text.as_deref()
                    .filter(|t| !same(t, page.values[f].as_str()))
            })
            .collect();
        let script = dominant(own.into_iter().chain([self.file.body()]));
        if source_script.is_none() || script.is_none() || source_script == script {
            return Vec::new();
        }
        let source_path = self.source.file.display();
        let mut fields = Vec::new();
        for (&f, text) in schema.translation.iter().zip(self.given) {
            let original = page.values[f].as_str();
            if original.trim().is_empty()
                || dominant([original]) != source_script
                || is_name(original)
            {
                continue;
            }
            let name = &schema.fields[f].name;
            match text {
                None => fields.push((
                    name,
                    format!(
                        "`{name}` is left out, so the `{lang}` page shows the `{default}` text {}",
                        quote(original)
                    ),
                )),
                Some(t) if same(t, original) => fields.push((
                    name,
                    format!("`{name}` is copied from {source_path}, still in `{default}`"),
                )),
                Some(_) => {}
            }
        }
        fields
    }

    /// The body is empty where the source's is not: said first.
    fn empty_body(&self, gaps: &mut Gaps) {
        let (source, lang) = (self.source, self.lang);
        gaps.summary.insert(0, "the body is empty".to_string());
        let has = match source.outline.len() {
            0 => count(source.body().trim().lines().count(), "line", "lines"),
            n => count(n, "section", "sections"),
        };
        let note = format!(
            "the `{lang}` page shows no text, where {} has {has}",
            source.file.display()
        );
        gaps.notes.insert(0, note);
        let fix = match source.outline.len() {
            0 => format!("write the body in `{lang}` below the front matter"),
            n => format!(
                "write the body in `{lang}` below the front matter, with the source's {}, translated",
                count(n, "heading", "headings")
            ),
        };
        gaps.fixes.insert(0, fix);
    }

    /// The source's sections without a counterpart, each with where it belongs.
    fn missing_sections(&self, gaps: &mut Gaps) {
        let (source, file) = (self.source, self.file);
        let pairs = align(&source.outline, &file.outline);
        let missing: Vec<usize> = (0..pairs.len()).filter(|&i| pairs[i].is_none()).collect();
        let Some(&first) = missing.first() else {
            return;
        };
        let total = source.outline.len();
        gaps.summary.push(format!(
            "{} of {} missing",
            missing.len(),
            count(total, "section", "sections")
        ));
        gaps.section_line = Some(self.place(&pairs, first).0);
        let notes = missing.iter().map(|&i| {
            let h = &source.outline[i];
            format!(
                "`{}` ({}:{}) has no `{}` counterpart; it belongs {}{}",
                h.markdown(),
                source.file.display(),
                source.file_line(h.line),
                self.lang,
                self.place(&pairs, i).1,
                self.guess(&pairs, i)
            )
        });
        gaps.notes.extend(listed(notes, "sections"));
        gaps.fixes.push(
            "add each missing section as a heading of the same level, in the source's order"
                .to_string(),
        );
    }

    /// When missing source section `i` follows sections of its level that were matched, any of
    /// them may be the one missing (headings are matched by level and order, not by their
    /// text): a note naming the other candidate, else "".
    fn guess(&self, pairs: &[Option<usize>], i: usize) -> String {
        let outline = &self.source.outline;
        let level = outline[i].level;
        let first = (0..i)
            .rev()
            .take_while(|&k| outline[k].level == level && pairs[k].is_some())
            .last();
        let Some(first) = first else {
            return String::new();
        };
        let h = &outline[first];
        let between = if i - first > 1 {
            ", or one between them"
        } else {
            ""
        };
        format!(
            "; that is a guess, as sections are matched by level and order, not by their text: \
             the missing one may be `{}` ({}:{}){between}",
            h.markdown(),
            self.source.file.display(),
            self.source.file_line(h.line),
        )
    }

    /// Where source section `i` belongs in the translation: the line, and in words (after the
    /// counterpart of the section before it, or before that of the one after it).
    fn place(&self, pairs: &[Option<usize>], i: usize) -> (usize, String) {
        let file = self.file;
        let before = (0..i).rev().find_map(|k| pairs[k]);
        let after = (i + 1..pairs.len()).find_map(|k| pairs[k]);
        let at = |h: usize, word: &str| {
            let line = file.file_line(file.outline[h].line);
            let heading = file.outline[h].markdown();
            (line, format!("{word} `{heading}` (line {line})"))
        };
        match (before, after) {
            (Some(b), _) => at(b, "after"),
            (None, Some(a)) => at(a, "before"),
            (None, None) => (
                first_text_line(file),
                "in the body, which has no heading yet".to_string(),
            ),
        }
    }
}

impl Gaps {
    /// The one warning of the translation `file` into `lang`, if anything is missing.
    fn diagnostic(self, file: &PageFile, lang: &str) -> Option<Diagnostic> {
        if self.summary.is_empty() {
            return None;
        }
        // Marked texts point at the first one, front-matter problems at the end of the front
        // matter, section problems at the place of the first missing section.
        let fence = file.body_line.saturating_sub(1).max(1);
        let line = match (self.marked_line, self.section_line) {
            (Some(line), _) => line,
            (None, Some(line)) if !self.front_matter => line,
            _ => fence,
        };
        let message = format!(
            "incomplete `{lang}` translation: {}",
            self.summary.join(", ")
        );
        let mut d = Diagnostic::warning(&file.file, line, 1, message).with_source(&file.file_text);
        for note in self.notes {
            d = d.with_note(note);
        }
        Some(d.with_hint(self.fixes.join("; ")))
    }
}

/// The texts a page is written in: its body and the translatable fields it gives.
fn source_texts<'a>(
    page: &'a Page,
    schema: &Schema,
    source: &'a PageFile,
) -> impl Iterator<Item = &'a str> {
    let fields: Vec<&'a str> = (schema.translation.iter())
        .map(|&f| page.values[f].as_str())
        .collect();
    fields.into_iter().chain([source.body()])
}

/// The file line of the first line of `file`'s body that is not blank.
fn first_text_line(file: &PageFile) -> usize {
    let blank = file
        .body()
        .lines()
        .take_while(|l| l.trim().is_empty())
        .count();
    file.file_line(blank + 1)
}

/// Whether `text` reads as a name, which is the same in every language (`Nimbus-GNN`,
/// `Segment Anything`), rather than as prose: a few words, each starting with a capital letter
/// or a digit, in a script with letter case. Such a value may be left out of a translation or
/// copied into it unchanged.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let cased = text.chars().any(|c| c.is_uppercase() || c.is_lowercase());
    let capitalised = |w: &&str| {
        (w.chars().find(|c| c.is_alphanumeric()))
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    };
    cased && !words.is_empty() && words.len() <= 6 && words.iter().all(capitalised)
}

/// Two texts that are the same but for surrounding space.
fn same(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The first [`LISTED`] items, then how many more there are.
fn listed(items: impl Iterator<Item = String>, what: &str) -> Vec<String> {
    let items: Vec<String> = items.collect();
    let more = items.len().saturating_sub(LISTED);
    let mut out: Vec<String> = items.into_iter().take(LISTED).collect();
    if more > 0 {
        out.push(format!("… and {more} more {what}"));
    }
    out
}

/// `"text"`, cut to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let kept: String = chars.by_ref().take(QUOTE_CHARS).collect();
    match chars.next() {
        Some(_) => format!("\"{kept}…\""),
        None => format!("\"{kept}\""),
    }
}

/// A writing system, as far as telling languages apart needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Hebrew,
    Arabic,
    Devanagari,
    Thai,
    Hangul,
    Kana,
    Han,
    Other,
}

impl Script {
    /// Every script but [`Script::Other`], in declaration order (`ALL[s as usize] == s`).
    const ALL: [Script; Script::Other as usize] = [
        Script::Latin,
        Script::Greek,
        Script::Cyrillic,
        Script::Hebrew,
        Script::Arabic,
        Script::Devanagari,
        Script::Thai,
        Script::Hangul,
        Script::Kana,
        Script::Han,
    ];

    /// The script of a letter.
    fn of(c: char) -> Script {
        match u32::from(c) {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F => Script::Cyrillic,
            0x590..=0x5FF => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F => Script::Arabic,
            0x900..=0x97F => Script::Devanagari,
            0xE00..=0xE7F => Script::Thai,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x3040..=0x30FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => Script::Han,
            _ => Script::Other,
        }
    }

    /// True for scripts written without spaces, where each character counts as a word.
    fn by_character(self) -> bool {
        matches!(
            self,
            Script::Han | Script::Kana | Script::Hangul | Script::Thai
        )
    }
}

/// CJK Unified Ideographs: every code point a letter (`char::is_alphabetic`).
const IDEOGRAPHS: RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';
/// Hangul Syllables: every code point a letter.
const SYLLABLES: RangeInclusive<char> = '\u{AC00}'..='\u{D7A3}';

/// The script most of `texts` is written in, counting words (and characters of scripts written
/// without spaces), or `None` when they hold no letter.
fn dominant<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Script> {
    // Counts by script, indexed by `Script as usize` (it runs over every body of every build).
    let mut words = [0_usize; Script::Other as usize + 1];
    for text in texts {
        let mut previous = None;
        for c in text.chars() {
            // Every code point of the two blocks is a letter (unit test), and they are most of a
            // Chinese or Korean text: no need for the Unicode table.
            let letter = match c {
                _ if c.is_ascii() => c.is_ascii_alphabetic(),
                _ if IDEOGRAPHS.contains(&c) || SYLLABLES.contains(&c) => true,
                _ => c.is_alphabetic(),
            };
            if !letter {
                previous = None;
                continue;
            }
            let script = Script::of(c);
            if script.by_character() || previous != Some(script) {
                words[script as usize] += 1;
            }
            previous = Some(script);
        }
    }
    // Ties go to the script listed first in `Script`.
    let (best, &count) = (words.iter().enumerate().take(Script::Other as usize))
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
    (count > 0).then(|| Script::ALL[best])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::outline::outline;

    fn levels(body: &str) -> Vec<OutlineHeading> {
        outline(body)
    }

    fn pairs(from: &str, to: &str) -> Vec<Option<usize>> {
        align(&levels(from), &levels(to))
    }

    #[test]
    fn names_are_the_same_in_every_language_and_prose_is_not() {
        for name in [
            "Nimbus-GNN",
            "Segment Anything",
            "GraphCast 2",
            "ERA5",
            "U-Net (3D)",
        ] {
            assert!(is_name(name), "{name}");
        }
        for prose in [
            "A graph model for weather.",
            "forecasts",
            "天气模型",
            "",
            "Nimbus is a model",
        ] {
            assert!(!is_name(prose), "{prose}");
        }
    }

    /// The findings of `translation::check` for an English-default site whose entry `n` has
    /// the title `Nimbus-GNN` and the Chinese front matter `zh` (and a translated body).
    fn english_default_findings(zh: &str) -> Vec<String> {
        let model =
            "collections:\n  works:\n    folder: works\n    label: {zh: 工作, en: Works}\n    \
                     fields:\n      title: {type: text, required: true}\n      \
                     summary: {type: text}\n    translation: {fields: [title, summary]}\n";
        let mut config = crate::model::testing::config(model);
        config.default_language = "en".into();
        config.languages.reverse();
        let en = "---\ntitle: Nimbus-GNN\nsummary: A graph network that forecasts the weather.\n---\n\n## Overview\n\nNimbus-GNN forecasts the weather on a graph of the globe.\n";
        let zh =
            format!("{zh}\n## 概述\n\nNimbus-GNN 在全球网格图上预报天气，是一个图神经网络模型。\n");
        let pages =
            crate::model::testing::pages(&config, &[("works/n.md", en), ("works/n.zh.md", &zh)]);
        check(&pages[0], &config, &[])
            .iter()
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn a_name_left_out_or_copied_into_a_translation_passes_on_an_english_default_site() {
        let copied = "---\ntitle: Nimbus-GNN\nsummary: 在图上预报天气的图网络。\n---\n";
        assert_eq!(english_default_findings(copied), Vec::<String>::new());
        let left_out = "---\nsummary: 在图上预报天气的图网络。\n---\n";
        assert_eq!(english_default_findings(left_out), Vec::<String>::new());
        // Prose copied unchanged is still reported.
        let prose = "---\nsummary: A graph network that forecasts the weather.\n---\n";
        let found = english_default_findings(prose);
        assert!(
            found.len() == 1 && found[0].contains("`summary` not translated"),
            "{found:?}"
        );
    }

    #[test]
    fn sections_match_by_level_in_order() {
        let zh = "## 概述\n## 核心思路\n### 细节\n## 结果\n";
        assert_eq!(
            pairs(zh, "## Overview\n## Key idea\n### Details\n## Results\n"),
            [Some(0), Some(1), Some(2), Some(3)],
            "the same structure"
        );
        assert_eq!(
            pairs(zh, "## Overview\n## Key idea\n## Results\n"),
            [Some(0), Some(1), None, Some(2)],
            "a missing sub-section is found by its level"
        );
        assert_eq!(
            pairs(zh, "## Overview\n### Details\n## Results\n"),
            [Some(0), None, Some(1), Some(2)],
            "a missing section before a sub-section"
        );
        assert_eq!(
            pairs(zh, "## Overview\n## Key idea\n### Details\n"),
            [Some(0), Some(1), Some(2), None],
            "of equal levels, the last ones are missing"
        );
        assert_eq!(pairs(zh, ""), [None, None, None, None]);
        assert_eq!(
            pairs("## A\n", "## A\n## Extra\n"),
            [Some(0)],
            "an extra heading in the translation takes nothing away"
        );
        assert_eq!(
            pairs("## A\n## B\n", "### A\n### B\n"),
            [None, None],
            "levels must agree"
        );
    }

    #[test]
    fn a_heading_maps_to_its_counterpart() {
        let zh = levels("## 概述\n## 核心思路\n### 细节\n## 结果\n");
        let en = levels("## Overview\n## Key idea\n## Results\n");
        assert_eq!(counterpart(&zh, &en, "核心思路"), Some("key-idea"));
        assert_eq!(counterpart(&zh, &en, "结果"), Some("results"));
        assert_eq!(counterpart(&zh, &en, "细节"), None, "no counterpart");
        assert_eq!(counterpart(&zh, &en, "不存在"), None, "no such heading");
    }

    #[test]
    fn scripts_count_words_and_characters() {
        assert!((Script::ALL.iter().enumerate()).all(|(i, &s)| s as usize == i));
        assert!(IDEOGRAPHS.chain(SYLLABLES).all(char::is_alphabetic));
        assert_eq!(dominant(["", "2024 — 1.5"]), None);
        // A tie goes to the script listed first: Latin (one word) before Han (one character).
        assert_eq!(dominant(["SAM 医"]), Some(Script::Latin));
        assert_eq!(dominant(["MedSAM"]), Some(Script::Latin));
        assert_eq!(dominant(["医学图像分割基础模型"]), Some(Script::Han));
        assert_eq!(
            dominant(["基于 SAM 的 MedSAM 分割模型"]),
            Some(Script::Han),
            "each Han character counts as a word"
        );
        assert_eq!(
            dominant(["\"Dayi\" (大医) is a medical and health large language model."]),
            Some(Script::Latin)
        );
        assert_eq!(dominant(["2024, 1.5M"]), Some(Script::Latin));
        assert_eq!(dominant(["2024 — 3.5"]), None);
        assert_eq!(dominant(["Модель"]), Some(Script::Cyrillic));
    }

    #[test]
    fn quotes_are_short() {
        assert_eq!(quote(" 短 "), "\"短\"");
        assert_eq!(quote(&"长".repeat(50)), format!("\"{}…\"", "长".repeat(40)));
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
