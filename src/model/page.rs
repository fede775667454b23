//! A page as the model knows it: where it comes from and goes to, the values of its declared
//! fields, and its text in every language.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::base::outline::OutlineHeading;
use crate::model::id::{CollectionId, FieldId, IdVec};
use crate::model::schema::Schema;
use crate::model::value::FieldValue;

/// A Markdown file from `content/`, before parsing.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path inside `content/`, `/`-separated, e.g. `models/medsam.en.md`.
    pub(crate) rel: String,
    /// Path shown in diagnostics, e.g. `content/models/medsam.en.md`.
    pub(crate) display: PathBuf,
    /// Whole file text (BOM stripped), shared with the page made from it.
    pub(crate) text: Arc<str>,
}

/// One language's file of a page.
#[derive(Debug, Clone)]
pub(crate) struct PageFile {
    /// The file (for diagnostics).
    pub(crate) file: PathBuf,
    /// Whole file text: the front matter, then the body (also quoted in diagnostics).
    pub(crate) file_text: Arc<str>,
    /// Byte offset in `file_text` where the Markdown body starts.
    pub(crate) body_start: usize,
    /// 1-based file line where the body starts.
    pub(crate) body_line: usize,
    /// The headings of the body (their lines counted from the body's first line).
    pub(crate) outline: Vec<OutlineHeading>,
}

impl PageFile {
    /// The Markdown body: the file after its front matter.
    pub(crate) fn body(&self) -> &str {
        &self.file_text[self.body_start..]
    }

    /// The front matter: the file before its body.
    pub(crate) fn head(&self) -> &str {
        &self.file_text[..self.body_start]
    }

    /// The file line of a line of the body (both 1-based).
    pub(crate) fn file_line(&self, body_line: usize) -> usize {
        self.body_line + body_line - 1
    }
}

/// One page with its facts and its text per language.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Source path inside `content/` of the default-language file: the key of `@/…` links.
    pub(crate) source: String,
    /// Slug: the file stem (`medsam`), `index` for `_index.md`.
    pub(crate) slug: String,
    /// Output path relative to a language root, e.g. `models/medsam.html`.
    pub(crate) output: String,
    /// The collection the page is an entry of; `None` for the other pages.
    pub(crate) collection: Option<CollectionId>,
    /// The value of every field of its schema, from the default-language file.
    pub(crate) values: IdVec<FieldId, FieldValue>,
    /// The file of each language; the default language is always present.
    pub(crate) files: BTreeMap<String, PageFile>,
    /// For each other language with a translation: the translated text of each translatable
    /// field of the schema (`None` where the translation leaves it to the default language).
    pub(crate) translations: BTreeMap<String, Vec<Option<String>>>,
}

impl Page {
    /// The file of `lang`, falling back to the default language's.
    pub(crate) fn file<'a>(&'a self, lang: &str, default_lang: &str) -> &'a PageFile {
        self.files
            .get(lang)
            .unwrap_or_else(|| &self.files[default_lang])
    }

    /// The text of field `field` in `lang`: the translation's where it gives one, else the
    /// default language's.
    pub(crate) fn text<'a>(&'a self, schema: &Schema, field: FieldId, lang: &str) -> &'a str {
        let translated = schema.translated_at[field].and_then(|at| {
            self.translations
                .get(lang)
                .and_then(|values| values[at].as_deref())
        });
        translated.unwrap_or_else(|| self.values[field].as_str())
    }

    /// Whether the page says `draft: true` (see [`crate::model::schema::DRAFT_FIELD`]).
    pub(crate) fn is_draft(&self, schema: &Schema) -> bool {
        matches!(self.values[schema.draft], FieldValue::Bool(true))
    }

    /// The title in `lang`.
    pub(crate) fn title<'a>(&'a self, schema: &Schema, lang: &str) -> &'a str {
        self.text(schema, schema.title, lang)
    }

    /// The summary in `lang` ("" when the schema has none).
    pub(crate) fn summary<'a>(&'a self, schema: &Schema, lang: &str) -> &'a str {
        schema.summary.map_or("", |s| self.text(schema, s, lang))
    }
}
