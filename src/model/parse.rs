//! Parsing content files into pages, purely (the files are already read): the front matter is
//! deserialised through the declared schema — a field not declared, a value of the wrong type or
//! a missing required field is a positioned diagnostic with a suggestion — and each translation
//! is paired with its default-language page.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::base::date::optional_date;
use crate::base::diagnostic::{did_you_mean, Diagnostic};
use crate::base::frontmatter::{self, Partial, Split};
use crate::base::outline::outline;
use crate::base::slug::is_valid_file_slug;
use crate::model::config::SiteConfig;
use crate::model::id::{CollectionId, IdVec};
use crate::model::page::{Page, PageFile, SourceFile};
use crate::model::schema::{Field, FieldType, Model, Schema};
use crate::model::value::{FieldValue, Link, Tristate};
use crate::model::{limits, names};

/// Parses front matter `split` (of the file `file_text`) into the values of `schema`'s fields;
/// when it has problems, every one of them, with the values of the fields that have none.
pub(crate) fn values(
    path: &str,
    file_text: &str,
    split: &Split<'_>,
    schema: &Schema,
) -> Result<Vec<FieldValue>, Partial<Vec<FieldValue>>> {
    let fields: Vec<&Field> = schema.fields.iter().collect();
    let fill = |parsed: Vec<Option<FieldValue>>| -> Vec<FieldValue> {
        (fields.iter().zip(parsed))
            .map(|(f, v)| v.unwrap_or_else(|| FieldValue::empty(f)))
            .collect()
    };
    frontmatter::parse_seed_all(path, file_text, split, |excused| FieldsSeed {
        fields: &fields,
        required: required(&fields, |i| fields[i].required, excused),
        null_is_absent: false,
    })
    .map(fill)
    .map_err(|partial| Partial {
        rest: partial.rest.map(fill),
        problems: partial.problems,
        fields: partial.fields,
    })
}

/// Parses a translation's front matter: the text of each translatable field of `schema`, `None`
/// where the translation does not give it; every problem of the front matter when it has any.
pub(crate) fn translation(
    path: &str,
    file_text: &str,
    split: &Split<'_>,
    schema: &Schema,
) -> Result<Vec<Option<String>>, Vec<Diagnostic>> {
    let fields: Vec<&Field> = schema
        .translation
        .iter()
        .map(|&i| &schema.fields[i])
        .collect();
    let parsed = frontmatter::parse_seed_all(path, file_text, split, |excused| FieldsSeed {
        fields: &fields,
        required: required(&fields, |i| schema.translation_required[i], excused),
        null_is_absent: true,
    })
    .map_err(|partial| partial.problems)?;
    Ok(parsed
        .into_iter()
        .map(|v| v.map(|v| v.as_str().to_string()))
        .collect())
}

/// Whether each of `fields` is required (`is_required` by position), unless `excused`.
fn required(
    fields: &[&Field],
    is_required: impl Fn(usize) -> bool,
    excused: &[String],
) -> Vec<bool> {
    (fields.iter().enumerate())
        .map(|(i, f)| is_required(i) && !excused.contains(&f.name))
        .collect()
}

/// Deserialises a mapping of the declared `fields`: unknown and duplicate keys are errors, and
/// so is a missing field marked in `required`. With `null_is_absent` (translations), a field
/// written without a value (`title:`) counts as not given.
struct FieldsSeed<'a> {
    fields: &'a [&'a Field],
    required: Vec<bool>,
    null_is_absent: bool,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Vec<Option<FieldValue>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Vec<Option<FieldValue>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping of fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values: Vec<Option<FieldValue>> = vec![None; self.fields.len()];
        let mut seen = vec![false; self.fields.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(i) = self.fields.iter().position(|f| f.name == key) else {
                return Err(de::Error::custom(unknown_field(&key, self.fields)));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            values[i] = if self.null_is_absent {
                let text: Option<String> = map.next_value()?;
                text.map(FieldValue::Text)
            } else {
                Some(map.next_value_seed(ValueSeed(self.fields[i]))?)
            };
        }
        let missing = (self.fields.iter().zip(&self.required))
            .zip(&values)
            .find(|((_, required), value)| **required && value.is_none());
        if let Some(((field, _), _)) = missing {
            return Err(de::Error::custom(format!("missing field `{}`", field.name)));
        }
        Ok(values)
    }
}

/// serde's wording for an unknown field, which [`frontmatter`] turns into a suggestion.
fn unknown_field(key: &str, fields: &[&Field]) -> String {
    let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name)).collect();
    match names.len() {
        0 => format!("unknown field `{key}`, there are no fields"),
        _ => format!(
            "unknown field `{key}`, expected one of {}",
            names.join(", ")
        ),
    }
}

/// Deserialises one field's value by its type.
struct ValueSeed<'a>(&'a Field);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = FieldValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FieldValue, D::Error> {
        Ok(match self.0.ty {
            FieldType::Text => FieldValue::Text(String::deserialize(d)?),
            FieldType::TextList => FieldValue::TextList(Vec::deserialize(d)?),
            FieldType::Bool => FieldValue::Bool(bool::deserialize(d)?),
            FieldType::Date => FieldValue::Date(optional_date(d)?),
            FieldType::Tristate => FieldValue::Tristate(Tristate::deserialize(d)?),
            FieldType::Term => FieldValue::Term(String::deserialize(d)?),
            FieldType::Terms => FieldValue::Terms(Vec::deserialize(d)?),
            FieldType::Refs => FieldValue::Refs(Vec::deserialize(d)?),
            FieldType::Links => FieldValue::Links(Vec::<Link>::deserialize(d)?),
            FieldType::Url => FieldValue::Url(String::deserialize(d)?),
            FieldType::Number => FieldValue::Number(d.deserialize_any(NumberVisitor)?),
            FieldType::Integer => FieldValue::Integer(Option::<i64>::deserialize(d)?),
            FieldType::Group => {
                let subs: Vec<&Field> = self.0.subfields.iter().collect();
                let required = vec![false; subs.len()];
                let seed = FieldsSeed {
                    fields: &subs,
                    required,
                    null_is_absent: false,
                };
                let values = seed.deserialize(d)?;
                FieldValue::Group(
                    values
                        .into_iter()
                        .map(|v| v.map(|v| v.as_str().to_string()).unwrap_or_default())
                        .collect(),
                )
            }
        })
    }
}

/// A number, or nothing (`null`, `""`) when unknown.
struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v).filter(|v| v.is_finite()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        match number_before_unit(v) {
            Some(number) => Err(E::custom(format!(
                "`{v}` is a number with a unit: write `{number}` (the number alone)"
            ))),
            None => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }
}

/// The number `v` starts with, when text follows it (`0.25°`, `7 B`, `1e9 tokens`).
fn number_before_unit(v: &str) -> Option<&str> {
    let v = v.trim();
    let end = v
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take_while(|&i| {
            v[..i]
                .trim_end_matches(['e', 'E', '.'])
                .parse::<f64>()
                .is_ok()
        })
        .last()?;
    let number = v[..end].trim_end_matches(['e', 'E', '.']);
    (number.len() < v.len() && !number.is_empty()).then_some(number)
}

/// How a Markdown file's name reads: `models/medsam.en.md` → (`models`, `medsam`, Some("en")).
fn name_parts<'a>(rel: &'a str, config: &SiteConfig) -> (&'a str, &'a str, Option<&'a str>) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if let Some((base, lang)) = stem.rsplit_once('.') {
        if config.language_codes().skip(1).any(|c| c == lang) {
            return (dir, base, Some(lang));
        }
    }
    (dir, stem, None)
}

/// A content file after its front matter was parsed.
enum Parsed<'a> {
    /// A default-language page.
    Source(Result<Page, Flawed>),
    /// A translation into this language, parsed once its source page is known.
    Translation(&'a str),
}

/// What parsing all content files gives: the pages that parsed, the problems of those that did
/// not, and the slugs of the entries that did not (which references may still name).
#[derive(Debug, Default)]
pub(crate) struct ParsedPages {
    /// The pages that parsed, sorted by source path.
    pub(crate) pages: Vec<Page>,
    /// Every problem found.
    pub(crate) problems: Vec<Diagnostic>,
    /// Collection and slug of each entry whose file has a problem.
    pub(crate) failed_entries: Vec<(CollectionId, String)>,
    /// The default-language pages whose front matter has problems, made of the fields that have
    /// none, with the names of those that have: their values can still be checked.
    pub(crate) flawed: Vec<(Page, Vec<String>)>,
    /// Source path and language of each translation whose file has problems.
    pub(crate) unread: Vec<(String, String)>,
}

/// Parses all files into pages, pairing translations, as far as each file allows: a file with a
/// problem is left out, and the others are still parsed, so that their problems are found too.
pub(crate) fn all_pages(files: &[SourceFile], config: &SiteConfig) -> ParsedPages {
    let mut out = ParsedPages::default();
    let Sources {
        mut pages,
        failed,
        translations,
    } = read_sources(files, config, &mut out);
    pair_translations(translations, &mut pages, &failed, config, &mut out);
    out.failed_entries = (failed.iter())
        .filter_map(|source| {
            let (dir, file) = source.rsplit_once('/')?;
            let top = dir.split('/').next().unwrap_or(dir);
            let c = config.model.collection_of_folder(top)?;
            Some((c, file.strip_suffix(".md").unwrap_or(file).to_string()))
        })
        .collect();
    out.pages = pages.into_values().collect();
    out
}

/// The default-language pages read, and what is left to pair with them.
struct Sources<'f> {
    /// The pages that parsed, by source path.
    pages: BTreeMap<String, Page>,
    /// The source paths of the files that did not.
    failed: HashSet<String>,
    /// The translations: file, folder, stem and language.
    translations: Vec<(&'f SourceFile, &'f str, &'f str, &'f str)>,
}

/// Parses every default-language file into a page (problems and flawed pages go to `out`) and
/// sets the translations aside. Front matter is parsed in parallel; pages are then put
/// together in file order, so problems come out in a stable order.
fn read_sources<'f>(
    files: &'f [SourceFile],
    config: &'f SiteConfig,
    out: &mut ParsedPages,
) -> Sources<'f> {
    let mut read = Sources {
        pages: BTreeMap::new(),
        failed: HashSet::new(),
        translations: Vec::new(),
    };
    let mut outputs: BTreeMap<String, String> = BTreeMap::new();
    let parsed: Vec<_> = files
        .par_iter()
        .map(|file| {
            let (dir, stem, lang) = name_parts(&file.rel, config);
            let parsed = match lang {
                Some(lang) => Parsed::Translation(lang),
                None => Parsed::Source(source(file, dir, stem, config)),
            };
            (file, dir, stem, parsed)
        })
        .collect();
    for (file, dir, stem, parsed) in parsed {
        match parsed {
            Parsed::Translation(lang) => read.translations.push((file, dir, stem, lang)),
            Parsed::Source(Ok(page)) => {
                if let Err(d) = insert_page(&mut read.pages, &mut outputs, page, file) {
                    // Its translations pair with a page that is not there: say it once.
                    read.failed.insert(source_key(dir, stem));
                    out.problems.push(d);
                }
            }
            Parsed::Source(Err(flawed)) => {
                read.failed.insert(source_key(dir, stem));
                out.problems.extend(flawed.problems);
                out.flawed.extend(flawed.page.map(|page| *page));
            }
        }
    }
    read
}

/// Parses each translation against its source page (in parallel) and adds it to that page;
/// problems and unread translations go to `out`. A translation whose source `failed` is not
/// reported again.
fn pair_translations(
    translations: Vec<(&SourceFile, &str, &str, &str)>,
    pages: &mut BTreeMap<String, Page>,
    failed: &HashSet<String>,
    config: &SiteConfig,
    out: &mut ParsedPages,
) {
    let translated: Vec<_> = translations
        .into_par_iter()
        .map(|(file, dir, stem, lang)| {
            let source = source_key(dir, stem);
            let text = pages
                .get(&source)
                .map(|page| translated_file(file, page, config));
            (file, source, lang, text)
        })
        .collect();
    for (file, source, lang, text) in translated {
        match pages.get_mut(&source).zip(text) {
            Some((page, Ok((page_file, values)))) => {
                page.files.insert(lang.to_string(), page_file);
                page.translations.insert(lang.to_string(), values);
            }
            Some((_, Err(found))) => {
                out.problems.extend(found);
                out.unread.push((source, lang.to_string()));
            }
            None if failed.contains(&source) => {}
            None => out.problems.push(
                Diagnostic::error(
                    &file.display,
                    1,
                    1,
                    format!("translation has no source page: content/{source} does not exist"),
                )
                .with_hint(
                    "a translation `x.en.md` needs the default-language page `x.md` beside it",
                ),
            ),
        }
    }
}

fn source_key(dir: &str, stem: &str) -> String {
    if dir.is_empty() {
        format!("{stem}.md")
    } else {
        format!("{dir}/{stem}.md")
    }
}

/// A file in a folder no collection holds (`dir`) is a page, so an entry put in the wrong folder
/// (`content/modles/x.md`) fails with an unknown field of the entries (`kind`). Such an error
/// `d` says instead which folders hold which collections, and the likely one.
fn explain_folder(found: Vec<Diagnostic>, dir: &str, model: &Model) -> Vec<Diagnostic> {
    let mut explained = false;
    let mut out = Vec::new();
    for d in found {
        match explain_one(d, dir, model) {
            // One explanation says it all: the other fields of entries add nothing.
            (_, true) if explained => {}
            (d, was) => {
                explained |= was;
                out.push(d);
            }
        }
    }
    out
}

/// [`explain_folder`] for one diagnostic `d`, and whether it was explained.
fn explain_one(mut d: Diagnostic, dir: &str, model: &Model) -> (Diagnostic, bool) {
    let page_fields: Vec<&str> = (model.pages.schema.fields.iter())
        .map(|f| f.name.as_str())
        .collect();
    let field = d
        .message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.strip_suffix('`'))
        .filter(|field| !page_fields.contains(field));
    let owner = field.and_then(|field| {
        (model.collections.iter()).find(|c| c.schema.fields.iter().any(|f| f.name == field))
    });
    let (Some(field), Some(owner)) = (field, owner) else {
        return (d, false);
    };
    let top = dir.split('/').next().unwrap_or("");
    let here = match dir {
        "" => "content/ itself".to_string(),
        _ => format!("content/{top}/"),
    };
    let folders = model.collections.iter().map(|c| c.folder.as_str());
    let guess = did_you_mean(top, folders)
        .filter(|_| !top.is_empty())
        .map(|best| format!("; did you mean to put it in content/{best}/?"))
        .unwrap_or_else(|| ".".to_string());
    let held = (model.collections.iter())
        .map(|c| format!("content/{}/ → {}", c.folder, c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let hint = format!(
        "`{field}` is a field of the collection `{}`{guess} Folders of collections: {held}; \
         page fields: {}",
        owner.name,
        page_fields.join(", ")
    );
    d.message = format!(
        "{here} holds no collection: this file is a page, and `{field}` is not a page field"
    );
    (d.with_hint(hint), true)
}

/// Adds a parsed page, or refuses it when another page already writes the same output file.
fn insert_page(
    pages: &mut BTreeMap<String, Page>,
    outputs: &mut BTreeMap<String, String>,
    page: Page,
    file: &SourceFile,
) -> Result<(), Diagnostic> {
    if let Some(existing) = outputs.get(&page.output) {
        return Err(Diagnostic::error(
            &file.display,
            1,
            1,
            format!("duplicate slug `{}`", page.slug),
        )
        .with_hint(format!(
            "content/{existing} already uses it; rename one of the files"
        )));
    }
    outputs.insert(page.output.clone(), page.source.clone());
    pages.insert(page.source.clone(), page);
    Ok(())
}

/// Parses one default-language file into a page. A file in a collection's folder (or below it)
/// is an entry of that collection; any other file is a page of the `pages` schema.
pub(crate) fn source(
    file: &SourceFile,
    dir: &str,
    stem: &str,
    config: &SiteConfig,
) -> Result<Page, Flawed> {
    let model = &config.model;
    let top = dir.split('/').next().unwrap_or("");
    let collection = model.collection_of_folder(top);
    if let Some(d) = file_name_problem(file, stem, collection.is_some()) {
        return Err(Flawed::from(vec![d]));
    }
    let schema = match collection {
        Some(c) => &model.collections[c].schema,
        None => &model.pages.schema,
    };
    let path = file.display.to_string_lossy();
    let split = frontmatter::split(&path, &file.text).map_err(|d| Flawed::from(vec![d]))?;
    if let Some(d) = limits::front_matter(&path, &file.text, &split)
        .or_else(|| limits::body(&path, &file.text, &split))
    {
        return Err(Flawed::from(vec![d]));
    }
    let (values, flaws) = match values(&path, &file.text, &split, schema) {
        Ok(values) => (values, None),
        Err(partial) => {
            let problems = match collection {
                Some(_) => partial.problems,
                None => explain_folder(partial.problems, dir, model),
            };
            let Some(rest) = partial.rest else {
                return Err(Flawed::from(problems));
            };
            (rest, Some((problems, partial.fields)))
        }
    };
    let slug = if stem == "_index" {
        "index".to_string()
    } else {
        stem.to_string()
    };
    let output = match collection {
        Some(c) => format!("{}/{slug}.html", model.collections[c].folder),
        None if dir.is_empty() => format!("{slug}.html"),
        None => format!("{dir}/{slug}.html"),
    };
    let mut files = BTreeMap::new();
    files.insert(config.default_language.clone(), page_file(file, &split));
    let page = Page {
        source: source_key(dir, stem),
        slug,
        output,
        collection,
        // In the schema's field order: the value of each field at its id.
        values: IdVec::from_vec(values),
        files,
        translations: BTreeMap::new(),
    };
    match flaws {
        None => Ok(page),
        Some((problems, fields)) => Err(Flawed {
            problems,
            page: Some(Box::new((page, fields))),
        }),
    }
}

/// What is wrong with the name of a default-language file (`stem`, in a collection's folder
/// when `in_collection`), if anything: a collection's `_index.md`, or a name that makes no slug.
fn file_name_problem(file: &SourceFile, stem: &str, in_collection: bool) -> Option<Diagnostic> {
    let problem = |message: String, hint: &str| {
        Some(Diagnostic::error(&file.display, 0, 0, message).with_hint(hint))
    };
    if stem == "_index" && in_collection {
        return problem(
            "a collection's folder has no `_index.md`: its list page is generated".into(),
            "move the text to a page outside the folder",
        );
    }
    if stem != "_index" && !is_valid_file_slug(stem) {
        return problem(
            format!("invalid slug `{stem}`"),
            "file names use lower-case ASCII letters, digits and dashes, e.g. `med-sam.md`",
        );
    }
    let why = slug_problem(stem, in_collection)?;
    problem(
        format!("slug `{stem}` {why}"),
        "the slug is the file name of the page: rename the file",
    )
}

/// A default-language file with problems: every one of them and, when the rest of its front
/// matter parsed, the page made of it with the names of the fields left out.
#[derive(Debug)]
pub(crate) struct Flawed {
    /// The problems, in order.
    pub(crate) problems: Vec<Diagnostic>,
    /// The page without the fields that have problems, and their names.
    pub(crate) page: Option<Box<(Page, Vec<String>)>>,
}

impl From<Vec<Diagnostic>> for Flawed {
    fn from(problems: Vec<Diagnostic>) -> Flawed {
        Flawed {
            problems,
            page: None,
        }
    }
}

/// Why `slug` cannot name a page: too long for a file name, or, in a collection, the name of
/// the collection's own list page.
fn slug_problem(slug: &str, in_collection: bool) -> Option<String> {
    if slug.len() > names::MAX_NAME_BYTES {
        return Some(format!(
            "is {} bytes long; a slug has at most {}",
            slug.len(),
            names::MAX_NAME_BYTES
        ));
    }
    (in_collection && slug == names::INDEX)
        .then(|| "is the name of the collection's own list page (`index.html`)".to_string())
}

fn page_file(file: &SourceFile, split: &Split<'_>) -> PageFile {
    PageFile {
        file: file.display.clone(),
        file_text: Arc::clone(&file.text),
        body_start: file.text.len() - split.body.len(),
        body_line: split.body_line,
        outline: outline(split.body),
    }
}

fn translated_file(
    file: &SourceFile,
    page: &Page,
    config: &SiteConfig,
) -> Result<(PageFile, Vec<Option<String>>), Vec<Diagnostic>> {
    let path = file.display.to_string_lossy();
    let split = frontmatter::split(&path, &file.text).map_err(|d| vec![d])?;
    if let Some(d) = limits::front_matter(&path, &file.text, &split)
        .or_else(|| limits::body(&path, &file.text, &split))
    {
        return Err(vec![d]);
    }
    let values = translation(&path, &file.text, &split, config.schema_of(page))?;
    Ok((page_file(file, &split), values))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_number_with_its_unit_is_told_apart() {
        assert_eq!(number_before_unit("0.25°"), Some("0.25"));
        assert_eq!(number_before_unit("7 B"), Some("7"));
        assert_eq!(number_before_unit("1e9 tokens"), Some("1e9"));
        assert_eq!(number_before_unit("12e"), Some("12"));
        assert_eq!(number_before_unit("big"), None);
        assert_eq!(number_before_unit("0.25"), None);
    }
    use crate::model::id::{CollectionId, FieldId, Id as _};

    fn schema(yaml: &str) -> Schema {
        crate::model::schema::schema_of(yaml)
    }

    /// The values of `text`, or its first problem.
    fn parse(schema: &Schema, text: &str) -> Result<Vec<FieldValue>, Diagnostic> {
        let split = frontmatter::split("p.md", text).unwrap();
        values("p.md", text, &split, schema).map_err(|p| p.problems.into_iter().next().unwrap())
    }

    const FIELDS: &str = "title: {type: text, required: true}\ntasks: {type: terms}\nopen: {type: tristate}\ndate: {type: date}\npaper: {type: group, fields: {doi: {type: text}}}\nsize: {type: number}\n";

    #[test]
    fn values_follow_the_declared_types() {
        let s = schema(FIELDS);
        let v = parse(&s, "---\ntitle: A\ntasks: [x, y]\nopen: true\ndate: 2024-03\npaper: {doi: 10.1/x}\nsize: 7.5\n---\n").unwrap();
        assert_eq!(v[0], FieldValue::Text("A".into()));
        assert_eq!(v[1].as_list(), ["x", "y"]);
        assert_eq!(v[2], FieldValue::Tristate(Tristate::Yes));
        assert_eq!(v[3].as_date().unwrap().iso(), "2024-03");
        assert_eq!(v[4], FieldValue::Group(vec!["10.1/x".into()]));
        assert_eq!(v[5], FieldValue::Number(Some(7.5)));
        let defaults = parse(&s, "---\ntitle: A\n---\n").unwrap();
        assert_eq!(defaults[2], FieldValue::Tristate(Tristate::Unknown));
        assert_eq!(defaults[4], FieldValue::Group(vec![String::new()]));
    }

    #[test]
    fn mistakes_are_positioned_like_serde_errors() {
        let s = schema(FIELDS);
        let d = parse(&s, "---\ntitle: A\ntaks: [x]\n---\n").unwrap_err();
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (3, 1, "unknown field `taks`")
        );
        assert!(d.hint.unwrap().starts_with("did you mean `tasks`?"));
        let d = parse(&s, "---\ntitle: A\ntasks: 3\n---\n").unwrap_err();
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (
                3,
                8,
                "tasks: invalid type: integer `3`, expected a sequence"
            )
        );
        let d = parse(&s, "---\ntasks: []\n---\n").unwrap_err();
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (2, 1, "missing required field `title`")
        );
        let d = parse(&s, "---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert!(
            d.message.contains("duplicate field `title`"),
            "{}",
            d.message
        );
        let d = parse(&s, "---\ntitle: A\npaper: {dio: x}\n---\n").unwrap_err();
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (3, 9, "unknown field `paper.dio`")
        );
        let d = parse(&s, "---\ntitle: A\ndate: 2024-13\n---\n").unwrap_err();
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (
                3,
                7,
                "date: invalid month in date `2024-13`: months are 01 to 12"
            )
        );
    }

    #[test]
    fn every_problem_of_a_front_matter_is_reported_once_in_order() {
        let s = schema(FIELDS);
        let text = "---\ntaks: [x]\nsize: big\ndate: 2024\nopen: maybe\nsise: 1\n\
                    paper:\n  dio: x\ntitle: A\ntitle: B\n---\n";
        let split = frontmatter::split("p.md", text).unwrap();
        let partial = values("p.md", text, &split, &s).unwrap_err();
        let found: Vec<(usize, usize, &str)> = (partial.problems.iter())
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 1, "unknown field `taks`"),
                (
                    3,
                    7,
                    "size: invalid type: string \"big\", expected a number"
                ),
                (
                    5,
                    7,
                    "open: invalid value: string \"maybe\", expected true, false or unknown"
                ),
                (6, 1, "unknown field `sise`"),
                (8, 3, "unknown field `paper.dio`"),
                (10, 1, "duplicate field `title`"),
            ]
        );
        assert_eq!(
            partial.fields,
            ["taks", "size", "open", "sise", "paper", "title"]
        );
        // What has no problem is still read, for the checks of its values.
        let rest = partial.rest.expect("the rest parses");
        assert_eq!(rest[0], FieldValue::Text("A".into()));
        assert_eq!(rest[3].as_date().unwrap().iso(), "2024");
    }

    #[test]
    fn missing_required_fields_are_all_reported_and_broken_yaml_ends_the_search() {
        let every_field_required =
            (FIELDS.replace(", required: true", "")).replace("{type:", "{required: true, type:");
        let s = schema(&every_field_required);
        let text = "---\ndate: 2024\n---\n";
        let split = frontmatter::split("p.md", text).unwrap();
        let partial = values("p.md", text, &split, &s).unwrap_err();
        let missing: Vec<&str> = partial
            .problems
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(missing.len(), 5, "{missing:?}");
        assert!(missing
            .iter()
            .all(|m| m.starts_with("missing required field")));
        let text = "---\ntaks: [x]\ntitle: A\n\tdate: 2024\n---\n";
        let split = frontmatter::split("p.md", text).unwrap();
        let partial = values("p.md", text, &split, &s).unwrap_err();
        let found: Vec<&str> = partial
            .problems
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].starts_with("found a tab character"), "{found:?}");
        assert!(partial.rest.is_none());
    }

    /// A collection `works` with a translatable title and summary, and the other pages.
    const MODEL: &str = "
vocabularies:
  strand: {general: {zh: 通用, en: General}}
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    fields:
      title: {type: text, required: true}
      summary: {type: text}
      strand: {type: term, vocabulary: strand}
    translation: {fields: [title, summary], required: [summary]}
";

    fn config() -> SiteConfig {
        crate::model::testing::config(MODEL)
    }

    fn problems(files: &[(&str, &str)]) -> Vec<(String, usize, usize, String)> {
        let problems = crate::model::testing::try_pages(&config(), files).unwrap_err();
        (problems.0.into_iter())
            .map(|d| (d.path.display().to_string(), d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn files_in_a_collection_folder_are_entries_and_others_are_pages() {
        let config = config();
        let pages = crate::model::testing::pages(
            &config,
            &[
                ("works/medsam.md", "---\ntitle: MedSAM\n---\nBody.\n"),
                ("works/2024/sam.md", "---\ntitle: SAM\n---\n"),
                ("_index.md", "---\ntitle: 首页\n---\n"),
                ("about.md", "---\ntitle: 关于\n---\n"),
                ("trends/ct.md", "---\ntitle: CT\n---\n"),
            ],
        );
        let found: Vec<(&str, &str, &str, Option<CollectionId>)> = (pages.iter())
            .map(|p| {
                (
                    p.source.as_str(),
                    p.slug.as_str(),
                    p.output.as_str(),
                    p.collection,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("_index.md", "index", "index.html", None),
                ("about.md", "about", "about.html", None),
                ("trends/ct.md", "ct", "trends/ct.html", None),
                (
                    "works/2024/sam.md",
                    "sam",
                    "works/sam.html",
                    Some(CollectionId::FIRST)
                ),
                (
                    "works/medsam.md",
                    "medsam",
                    "works/medsam.html",
                    Some(CollectionId::FIRST)
                ),
            ],
            "sorted by source; an entry in a subfolder is still written to the collection folder"
        );
        let medsam = &pages[4];
        let value = |f| &medsam.values[FieldId::new(f)];
        assert_eq!(value(0), &FieldValue::Text("MedSAM".into()));
        assert_eq!(value(1), &FieldValue::Text(String::new()), "default");
        let file = &medsam.files["zh"];
        assert_eq!(file.body(), "Body.\n");
        assert_eq!(file.head(), "---\ntitle: MedSAM\n---\n");
        assert_eq!(file.body_line, 4);
        assert_eq!(file.file, PathBuf::from("content/works/medsam.md"));
        assert!(medsam.translations.is_empty());
        assert_eq!(
            pages[1].values.len(),
            4,
            "a page's title, `layout`, `weight` and `draft`"
        );
    }

    #[test]
    fn translations_pair_with_their_source_and_give_only_translatable_text() {
        let config = config();
        let pages = crate::model::testing::pages(
            &config,
            &[
                (
                    "works/medsam.en.md",
                    "---\ntitle:\nsummary: Segmentation.\n---\n\nEnglish body.\n",
                ),
                (
                    "works/medsam.md",
                    "---\ntitle: MedSAM\nsummary: 分割。\nstrand: general\n---\n中文。\n",
                ),
            ],
        );
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!(
            page.translations["en"],
            [None, Some("Segmentation.".to_string())],
            "`title:` without a value is left to the default language"
        );
        let schema = config.schema_of(page);
        assert_eq!(page.title(schema, "en"), "MedSAM");
        assert_eq!(page.summary(schema, "en"), "Segmentation.");
        assert_eq!(page.summary(schema, "zh"), "分割。");
        assert_eq!(page.file("en", "zh").body(), "\nEnglish body.\n");
        assert_eq!(page.file("en", "zh").body_line, 5);
        assert_eq!(page.file("fr", "zh").body(), "中文。\n", "falls back");
    }

    #[test]
    fn a_translation_may_hold_only_translatable_fields_and_must_hold_required_ones() {
        let source = ("works/a.md", "---\ntitle: A\nsummary: 甲。\n---\n");
        assert_eq!(
            problems(&[
                source,
                ("works/a.en.md", "---\nsummary: A.\nstrand: general\n---\n"),
            ]),
            [(
                "content/works/a.en.md".to_string(),
                3,
                1,
                "unknown field `strand`".to_string()
            )]
        );
        assert_eq!(
            problems(&[source, ("works/a.en.md", "---\ntitle: A\n---\n")]),
            [(
                "content/works/a.en.md".to_string(),
                2,
                1,
                "missing required field `summary`".to_string()
            )]
        );
    }

    #[test]
    fn a_translation_needs_a_source_page_unless_the_source_failed() {
        assert_eq!(
            problems(&[("works/ghost.en.md", "---\nsummary: Boo.\n---\n")]),
            [(
                "content/works/ghost.en.md".to_string(),
                1,
                1,
                "translation has no source page: content/works/ghost.md does not exist".to_string()
            )]
        );
        // Only the source's own mistake is reported, not its orphaned translation.
        assert_eq!(
            problems(&[
                ("works/a.md", "---\ntitle: A\ncolour: red\n---\n"),
                ("works/a.en.md", "---\nsummary: A.\n---\n"),
            ]),
            [(
                "content/works/a.md".to_string(),
                3,
                1,
                "unknown field `colour`".to_string()
            )]
        );
    }

    #[test]
    fn file_names_must_be_slugs_and_unique_per_output() {
        let found = problems(&[
            ("works/Bad_Name.md", "---\ntitle: A\n---\n"),
            ("notes.zh.md", "---\ntitle: A\n---\n"),
            ("works/_index.md", "---\ntitle: A\n---\n"),
            ("works/a.md", "---\ntitle: A\n---\n"),
            ("works/sub/a.md", "---\ntitle: A\n---\n"),
        ]);
        let messages: Vec<(&str, &str)> = (found.iter())
            .map(|(path, _, _, message)| (path.as_str(), message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                ("content/works/Bad_Name.md", "invalid slug `Bad_Name`"),
                // `.zh` is the default language: no translation suffix, so part of the name.
                ("content/notes.zh.md", "invalid slug `notes.zh`"),
                (
                    "content/works/_index.md",
                    "a collection's folder has no `_index.md`: its list page is generated"
                ),
                ("content/works/sub/a.md", "duplicate slug `a`"),
            ],
            "every file's problem, in file order"
        );
    }

    #[test]
    fn front_matter_mistakes_name_the_field_and_its_position() {
        let found = problems(&[
            ("works/a.md", "---\ntitle: A\nstrand: [general]\n---\n"),
            ("works/b.md", "---\ntitle: B\nsumary: typo\n---\n"),
            ("works/c.md", "---\nsummary: no title\n---\n"),
            ("works/d.md", "no front matter\n"),
        ]);
        assert_eq!(found[0].0, "content/works/a.md");
        assert_eq!((found[0].1, found[0].2), (3, 9));
        assert!(
            found[0].3.starts_with("strand: invalid type: sequence"),
            "{}",
            found[0].3
        );
        assert_eq!(
            found[1],
            (
                "content/works/b.md".into(),
                3,
                1,
                "unknown field `sumary`".into()
            )
        );
        assert_eq!(
            found[2],
            (
                "content/works/c.md".into(),
                2,
                1,
                "missing required field `title`".into()
            )
        );
        assert_eq!(
            found[3],
            (
                "content/works/d.md".into(),
                1,
                1,
                "missing front matter: the file must start with a `---` line".into()
            )
        );
        assert_eq!(found.len(), 4);
    }
}
