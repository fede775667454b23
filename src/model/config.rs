//! Site configuration (`site.yaml`): title, languages, base URL, vocabularies and UI strings.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::base::frontmatter::{self, Split};

/// Name of the configuration file at the project root.
pub const CONFIG_FILE: &str = "site.yaml";

/// A text given once per language code.
pub type PerLanguage = BTreeMap<String, String>;

/// The whole site configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title per language. Required.
    pub title: PerLanguage,
    /// Site description per language. Required.
    pub description: PerLanguage,
    /// Absolute base URL, used only for feeds, the sitemap and canonical links. Required.
    pub base_url: String,
    /// Code of the default language, rendered at the site root. Required.
    pub default_language: String,
    /// All languages, default first; the others are rendered under `<code>/`. Required.
    pub languages: Vec<Language>,
    /// Pass raw HTML in Markdown through unchanged instead of sanitising it. Default: false.
    #[serde(default)]
    pub trust_raw_html: bool,
    /// The controlled vocabularies of the taxonomies. Required.
    pub vocabularies: Vocabularies,
    /// UI strings per language: `strings.<lang>.<key>`. Default: none.
    #[serde(default)]
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Offline search settings (query synonyms). Default: none.
    #[serde(default)]
    pub search: crate::outputs::search::SearchConfig,
}

/// One language of the site.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 code, e.g. `zh`, `en`.
    pub code: String,
    /// Name of the language in itself, shown in the language switch.
    pub name: String,
}

/// The controlled vocabularies: term key → label per language, in display order.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabularies {
    /// Kinds of work: model, dataset, benchmark, method, …
    pub kind: Vocabulary,
    /// The strands of the review.
    pub strand: Vocabulary,
    /// Sub-themes within strands.
    pub theme: Vocabulary,
    /// Imaging or data modalities.
    pub modality: Vocabulary,
    /// Organs and body regions.
    pub organ: Vocabulary,
    /// Tasks.
    pub task: Vocabulary,
}

/// Term key → label per language.
pub type Vocabulary = IndexMap<String, PerLanguage>;

impl Vocabularies {
    /// The vocabulary named `name` (`kind`, `strand`, `theme`, `modality`, `organ`, `task`).
    pub fn get(&self, name: &str) -> Option<&Vocabulary> {
        match name {
            "kind" => Some(&self.kind),
            "strand" => Some(&self.strand),
            "theme" => Some(&self.theme),
            "modality" => Some(&self.modality),
            "organ" => Some(&self.organ),
            "task" => Some(&self.task),
            _ => None,
        }
    }

    /// All vocabularies with their names, in a fixed order.
    pub fn all(&self) -> [(&'static str, &Vocabulary); 6] {
        [
            ("kind", &self.kind),
            ("strand", &self.strand),
            ("theme", &self.theme),
            ("modality", &self.modality),
            ("organ", &self.organ),
            ("task", &self.task),
        ]
    }
}

impl SiteConfig {
    /// Parses and validates `site.yaml` text; `path` is used in diagnostics.
    pub fn parse(path: &str, text: &str) -> Result<SiteConfig, Diagnostics> {
        let text = frontmatter::strip_bom(text);
        let split = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 0,
        };
        let config: SiteConfig =
            frontmatter::parse(path, text, &split).map_err(|d| Diagnostics(vec![d]))?;
        let problems = config.validate(path, &split);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(Diagnostics(problems))
        }
    }

    fn validate(&self, path: &str, split: &Split<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let at = |key: &str| frontmatter::locate_key(split, key).unwrap_or((1, 1));
        let codes: Vec<&str> = self.language_codes().collect();
        if codes.first() != Some(&self.default_language.as_str()) {
            let (l, c) = at("languages");
            out.push(Diagnostic::error(
                path,
                l,
                c,
                "the default language must be listed first in `languages`",
            ));
        }
        if !self.base_url.starts_with("https://") && !self.base_url.starts_with("http://") {
            let (l, c) = at("base_url");
            out.push(Diagnostic::error(
                path,
                l,
                c,
                "`base_url` must be an absolute http(s) URL",
            ));
        }
        for (field, map) in [("title", &self.title), ("description", &self.description)] {
            out.extend(missing_languages(path, at(field), field, map, &codes));
        }
        for (name, vocab) in self.vocabularies.all() {
            for (key, labels) in vocab {
                let (l, c) = frontmatter::locate_value(split, "vocabularies", &format!("{key}:"))
                    .unwrap_or((1, 1));
                out.extend(missing_languages(
                    path,
                    (l, c),
                    &format!("{name} term `{key}`"),
                    labels,
                    &codes,
                ));
            }
        }
        out.extend(self.validate_strings(path, split, &codes));
        out
    }

    fn validate_strings(&self, path: &str, split: &Split<'_>, codes: &[&str]) -> Vec<Diagnostic> {
        let (l, c) = frontmatter::locate_key(split, "strings").unwrap_or((1, 1));
        let default = self.strings.get(&self.default_language);
        let mut out = Vec::new();
        for code in codes {
            let table = self.strings.get(*code);
            for key in default.into_iter().flat_map(|t| t.keys()) {
                if table.is_none_or(|t| !t.contains_key(key)) {
                    out.push(Diagnostic::error(
                        path,
                        l,
                        c,
                        format!("UI string `{key}` has no `{code}` text"),
                    ));
                }
            }
        }
        out
    }

    /// Language codes, default first.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// The label of vocabulary term `key` in `lang` (the key itself if unlabelled).
    pub fn term_label<'a>(&'a self, vocabulary: &str, key: &'a str, lang: &str) -> &'a str {
        self.vocabularies
            .get(vocabulary)
            .and_then(|v| v.get(key))
            .and_then(|labels| labels.get(lang))
            .map_or(key, String::as_str)
    }

    /// The UI strings of `lang`.
    pub fn strings_for(&self, lang: &str) -> &BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        self.strings.get(lang).unwrap_or(&NONE)
    }

    /// A per-language text in `lang`, falling back to the default language.
    pub fn localized<'a>(&'a self, map: &'a PerLanguage, lang: &str) -> &'a str {
        map.get(lang)
            .or_else(|| map.get(&self.default_language))
            .map_or("", String::as_str)
    }
}

fn missing_languages(
    path: &str,
    (line, col): (usize, usize),
    what: &str,
    map: &PerLanguage,
    codes: &[&str],
) -> Vec<Diagnostic> {
    codes
        .iter()
        .filter(|code| !map.contains_key(**code))
        .map(|code| Diagnostic::error(path, line, col, format!("{what} has no `{code}` text")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: {zh: 标题, en: Title}\ndescription: {zh: 描述, en: Desc}\nbase_url: https://example.org\ndefault_language: zh\nlanguages:\n  - {code: zh, name: 中文}\n  - {code: en, name: English}\nvocabularies:\n  kind: {model: {zh: 模型, en: Model}}\n  strand: {}\n  theme: {}\n  modality: {ct: {zh: CT}}\n  organ: {}\n  task: {}\n";

    #[test]
    fn missing_label_is_an_error() {
        let err = SiteConfig::parse("site.yaml", MINIMAL).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].message, "modality term `ct` has no `en` text");
        assert_eq!(err.0[0].line, 12);
    }

    #[test]
    fn parses_and_labels() {
        let text = MINIMAL.replace("ct: {zh: CT}", "ct: {zh: CT, en: CT}");
        let config = SiteConfig::parse("site.yaml", &text).unwrap();
        assert_eq!(config.term_label("kind", "model", "en"), "Model");
        assert_eq!(config.term_label("kind", "nope", "en"), "nope");
    }
}
