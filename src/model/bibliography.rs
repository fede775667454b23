//! The `citations` section of `site.yaml` (the style of each language, how citations are
//! marked, the bibliography files, the bibliography page) and the works of the bibliography
//! files: BibTeX (`.bib`) or CSL-JSON (`.json`) records of works that are not entries. Parsing
//! is pure: the texts come from the read phase.

use std::collections::BTreeMap;

use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::types::{Date, EntryType, FormatString, MaybeTyped, Person, QualifiedUrl};
use hayagriva::{archive, Entry};
use serde::Deserialize;

use crate::base::diagnostic::{did_you_mean, line_col, Diagnostic};
use crate::model::schema::{PerLanguage, PerLanguageSchema};

/// How citations are marked in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum MarkStyle {
    /// `[1]`, `[1, 3]`: works numbered per page in order of first citation.
    #[default]
    Numbered,
    /// `(Ma et al., 2024)`: the style's author-date label.
    AuthorYear,
}

/// The `citations` section of `site.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Citations")]
pub(crate) struct CitationsDecl {
    /// CSL style per language, by its name in hayagriva's style archive, e.g.
    /// `gb-7714-2015-numeric`, `vancouver`, `apa`. Required for every language.
    #[schemars(with = "PerLanguageSchema")]
    pub(crate) style: PerLanguage,
    /// How citations are marked: `numbered` or `author-year`. Default: `numbered`.
    #[serde(default)]
    pub(crate) marks: MarkStyle,
    /// Bibliography files of works that are not entries, relative to the project root:
    /// BibTeX (`.bib`) or CSL-JSON (`.json`). Default: none.
    #[serde(default)]
    pub(crate) bibliography: Vec<String>,
    /// Output path of the site-wide bibliography page inside each language folder. Default:
    /// `bibliography.html`.
    #[serde(default = "default_page")]
    pub(crate) page: String,
}

fn default_page() -> String {
    "bibliography.html".to_string()
}

/// Only the bibliography files of `site.yaml`, so the read phase can read them before the
/// configuration is parsed (an unparsable configuration is reported by the parse).
pub(crate) fn bibliography_files(config_text: &str) -> Vec<String> {
    #[derive(Deserialize, Default)]
    struct Files {
        #[serde(default)]
        citations: Option<Section>,
    }
    #[derive(Deserialize, Default)]
    struct Section {
        #[serde(default)]
        bibliography: Vec<String>,
    }
    let files: Files = serde_yaml::from_str(config_text).unwrap_or_default();
    files.citations.map(|c| c.bibliography).unwrap_or_default()
}

/// A work of a bibliography file.
#[derive(Debug, Clone)]
pub(crate) struct BibWork {
    /// The record, ready to format.
    pub(crate) entry: Entry,
    /// The file it is in (for diagnostics).
    pub(crate) file: String,
    /// 1-based line of its key.
    pub(crate) line: usize,
    /// Column of its key.
    pub(crate) col: usize,
}

/// The works of every bibliography file, by key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bibliography {
    /// Key → work.
    pub(crate) works: BTreeMap<String, BibWork>,
}

impl Bibliography {
    /// The works of `files` (path, text); problems are located in their files.
    pub(crate) fn parse(files: &[(String, String)]) -> (Bibliography, Vec<Diagnostic>) {
        let mut bib = Bibliography::default();
        let mut problems = Vec::new();
        for (path, text) in files {
            let parsed = match path
                .rsplit_once('.')
                .map(|(_, ext)| ext.to_ascii_lowercase())
            {
                Some(ext) if ext == "bib" => parse_bibtex(path, text),
                Some(ext) if ext == "json" => parse_csl_json(path, text),
                _ => Err(vec![Diagnostic::error(
                    path.as_str(),
                    0,
                    0,
                    "a bibliography file is BibTeX (`.bib`) or CSL-JSON (`.json`)",
                )]),
            };
            match parsed {
                Ok(works) => bib.add(works, &mut problems),
                Err(found) => problems.extend(found),
            }
        }
        (bib, problems)
    }

    fn add(&mut self, works: Vec<BibWork>, problems: &mut Vec<Diagnostic>) {
        for work in works {
            let key = work.entry.key().to_string();
            if let Some(first) = self.works.get(&key) {
                let message = format!(
                    "bibliography key `{key}` is also defined at {}:{}",
                    first.file, first.line
                );
                problems.push(Diagnostic::error(
                    work.file.as_str(),
                    work.line,
                    work.col,
                    message,
                ));
                continue;
            }
            self.works.insert(key, work);
        }
    }
}

/// Where `key` is defined in `text`: the line and column of the key after `{` or `"id": "`.
fn key_position(text: &str, key: &str) -> (usize, usize) {
    let patterns = [format!("{{{key},"), format!("\"{key}\"")];
    (patterns.iter())
        .find_map(|p| text.find(p.as_str()).map(|at| line_col(text, at + 1)))
        .unwrap_or((1, 1))
}

fn parse_bibtex(path: &str, text: &str) -> Result<Vec<BibWork>, Vec<Diagnostic>> {
    let library = hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        (errors.iter().take(5))
            .map(|e| {
                let (line, col) = match e {
                    hayagriva::io::BibLaTeXError::Parse(p) => line_col(text, p.span.start),
                    hayagriva::io::BibLaTeXError::Type(t) => line_col(text, t.span.start),
                };
                Diagnostic::error(path, line, col, format!("BibTeX: {e}")).with_source(text)
            })
            .collect::<Vec<_>>()
    })?;
    Ok(library
        .iter()
        .map(|entry| {
            let (line, col) = key_position(text, entry.key());
            BibWork {
                entry: entry.clone(),
                file: path.to_string(),
                line,
                col,
            }
        })
        .collect())
}

fn parse_csl_json(path: &str, text: &str) -> Result<Vec<BibWork>, Vec<Diagnostic>> {
    let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(text)
        .map_err(|e| {
            let d = Diagnostic::error(path, e.line(), e.column(), format!("CSL-JSON: {e}"));
            vec![d.with_source(text)]
        })?;
    let mut works = Vec::new();
    let mut problems = Vec::new();
    for item in &items {
        let Some(id) = item.get("id").and_then(json_text) else {
            let message = "CSL-JSON: every item needs an `id` (its citation key)";
            problems.push(Diagnostic::error(path, 1, 1, message));
            continue;
        };
        let (line, col) = key_position(text, &id);
        works.push(BibWork {
            entry: csl_entry(&id, item),
            file: path.to_string(),
            line,
            col,
        });
    }
    match problems.is_empty() {
        true => Ok(works),
        false => Err(problems),
    }
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A CSL-JSON item as a hayagriva entry: type, title, authors, issued date, container title,
/// volume, issue, pages, DOI and URL (the variables citations of articles use).
fn csl_entry(id: &str, item: &serde_json::Map<String, serde_json::Value>) -> Entry {
    let text = |k: &str| item.get(k).and_then(json_text);
    let ty = text("type").unwrap_or_default();
    let (kind, parent_kind) = match ty.as_str() {
        "article-journal" | "article-magazine" | "article-newspaper" => {
            (EntryType::Article, EntryType::Periodical)
        }
        "paper-conference" => (EntryType::Article, EntryType::Proceedings),
        "book" => (EntryType::Book, EntryType::Book),
        "chapter" => (EntryType::Chapter, EntryType::Book),
        "dataset" => (EntryType::Repository, EntryType::Misc),
        "webpage" => (EntryType::Web, EntryType::Web),
        _ => (EntryType::Article, EntryType::Misc),
    };
    let mut fields = WorkFields {
        title: text("title").unwrap_or_default(),
        authors: csl_names(item.get("author")),
        more_authors: false,
        date: item.get("issued").and_then(csl_date),
        container: text("container-title").unwrap_or_default(),
        volume: text("volume").unwrap_or_default(),
        issue: text("issue").unwrap_or_default(),
        pages: text("page").unwrap_or_default(),
        doi: text("DOI").unwrap_or_default(),
        url: text("URL").unwrap_or_default(),
        arxiv: String::new(),
        kind,
        parent_kind,
    };
    if fields.container.is_empty() && parent_kind == EntryType::Misc {
        fields.parent_kind = EntryType::Misc;
    }
    fields.entry(id)
}

fn csl_names(v: Option<&serde_json::Value>) -> Vec<Person> {
    let Some(serde_json::Value::Array(names)) = v else {
        return Vec::new();
    };
    (names.iter())
        .filter_map(|n| {
            let family = n.get("family").and_then(json_text);
            let given = n.get("given").and_then(json_text);
            let literal = n.get("literal").and_then(json_text);
            match (family, given, literal) {
                (Some(f), Some(g), _) => Person::from_strings(vec![&f, &g]).ok(),
                (Some(f), None, _) | (None, _, Some(f)) => Person::from_strings(vec![&f]).ok(),
                _ => None,
            }
        })
        .collect()
}

fn csl_date(v: &serde_json::Value) -> Option<Date> {
    let parts = v.get("date-parts")?.get(0)?.as_array()?;
    let num = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()))
    };
    Some(date_of(
        i32::try_from(num(0)?).ok()?,
        num(1).and_then(|m| u8::try_from(m).ok()),
        num(2).and_then(|d| u8::try_from(d).ok()),
    ))
}

/// A date from a year and an optional 1-based month and day.
pub(crate) fn date_of(year: i32, month: Option<u8>, day: Option<u8>) -> Date {
    Date {
        year,
        month: month.filter(|m| (1..=12).contains(m)).map(|m| m - 1),
        day: day.filter(|d| (1..=31).contains(d)).map(|d| d - 1),
        approximate: false,
        season: None,
    }
}

/// The facts of a work a reference is made of, whatever their source (an entry's front
/// matter through its collection's `citation` mapping, or a CSL-JSON item).
#[derive(Debug, Clone)]
pub(crate) struct WorkFields {
    /// Title.
    pub(crate) title: String,
    /// Authors in order.
    pub(crate) authors: Vec<Person>,
    /// True when `authors` are only the first of a longer list.
    pub(crate) more_authors: bool,
    /// Publication date.
    pub(crate) date: Option<Date>,
    /// Journal, proceedings or repository.
    pub(crate) container: String,
    /// Volume.
    pub(crate) volume: String,
    /// Issue.
    pub(crate) issue: String,
    /// Pages or article number.
    pub(crate) pages: String,
    /// DOI.
    pub(crate) doi: String,
    /// URL.
    pub(crate) url: String,
    /// arXiv id.
    pub(crate) arxiv: String,
    /// Type of the work.
    pub(crate) kind: EntryType,
    /// Type of its container.
    pub(crate) parent_kind: EntryType,
}

/// The last name of a cut author list (`more_authors`). CSL has no "et al." marker for a list
/// a record cuts itself, so the list ends with this private-use character, which formatting
/// replaces with the locale's "et al." term ([`crate::model::references`]).
pub(crate) const MORE_AUTHORS: &str = "\u{E000}";

impl WorkFields {
    /// The hayagriva entry `key` of these facts.
    pub(crate) fn entry(self, key: &str) -> Entry {
        let mut entry = Entry::new(key, self.kind);
        if !self.title.is_empty() {
            entry.set_title(FormatString::from(self.title));
        }
        let mut authors = self.authors;
        if self.more_authors && !authors.is_empty() {
            if let Ok(others) = Person::from_strings(vec![MORE_AUTHORS]) {
                authors.push(others);
            }
        }
        if !authors.is_empty() {
            entry.set_authors(authors);
        }
        if let Some(date) = self.date {
            entry.set_date(date);
        }
        if !self.volume.is_empty() {
            entry.set_volume(
                self.volume
                    .parse()
                    .unwrap_or(MaybeTyped::String(self.volume)),
            );
        }
        if !self.issue.is_empty() {
            entry.set_issue(self.issue.parse().unwrap_or(MaybeTyped::String(self.issue)));
        }
        if !self.pages.is_empty() {
            entry.set_page_range(self.pages.parse().unwrap_or(MaybeTyped::String(self.pages)));
        }
        if !self.doi.is_empty() {
            entry.set_doi(self.doi);
        }
        if !self.arxiv.is_empty() {
            entry.set_arxiv(self.arxiv);
        }
        if let Ok(url) = self.url.parse::<QualifiedUrl>() {
            entry.set_url(url);
        }
        if !self.container.is_empty() {
            let mut parent = Entry::new(&format!("{key}-container"), self.parent_kind);
            parent.set_title(FormatString::from(self.container));
            entry.set_parents(vec![parent]);
        }
        entry
    }
}

/// The archived CSL locales `styles` can read. hayagriva looks a term up in a style's locale
/// (its `default-locale`, else en-US), that locale's fallback (`zh` → `zh-CN`) and en-US, and
/// nowhere else, so only those are decoded: decoding all of the archive's locales took most of
/// the time formatting references takes. A locale is picked out by its code's CBOR text in the
/// archive bytes, then checked once decoded. The order is the archive's, as
/// [`archive::locales`] gives it.
pub(crate) fn locales_for(styles: &[&IndependentStyle]) -> Vec<Locale> {
    let mut codes = vec![LocaleCode::en_us().0];
    for style in styles {
        let code = (style.default_locale.clone()).unwrap_or_else(LocaleCode::en_us);
        codes.extend(code.fallback().map(|f| f.0));
        codes.push(code.0);
    }
    codes.sort();
    codes.dedup();
    let patterns: Vec<Vec<u8>> = codes.iter().map(|c| cbor_text(c)).collect();
    (archive::LOCALES.iter())
        .filter(|bytes| {
            (patterns.iter()).any(|p| bytes.windows(p.len()).any(|w| w == p.as_slice()))
        })
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .filter(|l| l.lang.as_ref().is_some_and(|c| codes.contains(&c.0)))
        .collect()
}

/// `text` as CBOR encodes a text string (definite length).
fn cbor_text(text: &str) -> Vec<u8> {
    let mut out = match u8::try_from(text.len()) {
        Ok(len @ 0..=23) => vec![0x60 | len],
        Ok(len) => vec![0x78, len],
        Err(_) => {
            let len = u16::try_from(text.len()).unwrap_or(u16::MAX);
            let mut head = vec![0x79];
            head.extend_from_slice(&len.to_be_bytes());
            head
        }
    };
    out.extend_from_slice(text.as_bytes());
    out
}

/// The style named `name` in hayagriva's archive, or what is wrong with the name.
pub(crate) fn style(name: &str) -> Result<IndependentStyle, String> {
    let Some(archived) = archive::ArchivedStyle::by_name(name) else {
        let names = archive::ArchivedStyle::all()
            .iter()
            .flat_map(|s| s.names().iter().copied());
        return Err(match did_you_mean(name, names) {
            Some(best) => format!("unknown citation style `{name}`; did you mean `{best}`?"),
            None => format!("unknown citation style `{name}` (see hayagriva's style archive: `apa`, `vancouver`, `gb-7714-2015-numeric`, …)"),
        });
    };
    match archived.get() {
        Style::Independent(s) => Ok(s),
        Style::Dependent(_) => Err(format!(
            "citation style `{name}` depends on another style; name that one"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locales_a_style_reads_are_those_the_whole_archive_gives() {
        let all = archive::locales();
        // Every archived locale is found by its own code, and only it or its kin.
        for locale in &all {
            let code = locale.lang.clone().unwrap();
            let mut style = style("ieee").unwrap();
            style.default_locale = Some(code.clone());
            let found = locales_for(&[&style]);
            assert!(
                found.iter().any(|l| l.lang == Some(code.clone())),
                "{code:?}"
            );
            let mut wanted = vec![code.0.clone(), "en-US".to_string()];
            wanted.extend(code.fallback().map(|f| f.0));
            let expected: Vec<&Locale> = (all.iter())
                .filter(|l| l.lang.as_ref().is_some_and(|c| wanted.contains(&c.0)))
                .collect();
            assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{code:?}");
        }
        let zh = style("gb-7714-2015-numeric").unwrap();
        let codes: Vec<String> = (locales_for(&[&zh, &style("ieee").unwrap()]).iter())
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
            .collect();
        assert_eq!(codes, ["en-US", "zh-CN"]);
    }

    #[test]
    fn reads_bibtex_and_csl_json() {
        let bib = "@article{kirillov2023sam,\n  title = {Segment Anything},\n  author = {Kirillov, Alexander and Mintun, Eric},\n  year = {2023},\n  journal = {ICCV}\n}\n";
        let json = r#"[{"id": "vit", "type": "paper-conference", "title": "An Image is Worth 16x16 Words", "author": [{"family": "Dosovitskiy", "given": "Alexey"}], "issued": {"date-parts": [[2021]]}, "container-title": "ICLR"}]"#;
        let (b, problems) = Bibliography::parse(&[
            ("refs.bib".into(), bib.into()),
            ("refs.json".into(), json.into()),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let keys: Vec<&str> = b.works.keys().map(String::as_str).collect();
        assert_eq!(keys, ["kirillov2023sam", "vit"]);
        assert_eq!(
            (b.works["kirillov2023sam"].line, b.works["vit"].line),
            (1, 1)
        );
        assert_eq!(b.works["vit"].entry.authors().map(<[_]>::len), Some(1));
    }

    #[test]
    fn duplicate_keys_and_bad_files_are_located() {
        let bib = "@misc{a,\n  title = {A}\n}\n\n@misc{a,\n  title = {B}\n}\n";
        let (_, problems) = Bibliography::parse(&[("x.bib".into(), bib.into())]);
        assert!(!problems.is_empty());
        let (_, problems) = Bibliography::parse(&[("x.json".into(), "[{".into())]);
        assert!(problems[0].message.starts_with("CSL-JSON:"), "{problems:?}");
    }

    #[test]
    fn only_the_files_are_read_before_parsing() {
        let yaml = "title: x\ncitations:\n  style: { en: apa }\n  bibliography: [refs.bib]\n";
        assert_eq!(bibliography_files(yaml), ["refs.bib"]);
        assert!(bibliography_files("title: [").is_empty());
    }
}
