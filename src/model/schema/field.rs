//! Fields: their declaration (a type, a vocabulary, a reverse side, labels), the resolved
//! [`Schema`] of a collection or of the other pages, and the checks of a field's declaration,
//! the names the generator reserves among them.

use super::problems::{Context, ModelProblem, PerLanguage, PerLanguageSchema, Problems};
use crate::model::id::{CollectionId, FieldId, Id as _, IdVec, TaxonomyId};
use indexmap::IndexMap;
use serde::Deserialize;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(title = "Field type")]
pub(crate) enum FieldType {
    /// Free text.
    Text,
    /// A list of free texts.
    TextList,
    /// `true` or `false`.
    Bool,
    /// A date known to the year, the month or the day.
    Date,
    /// `true`, `false` or `unknown`.
    Tristate,
    /// One term: a key of `vocabulary`, or a free name when there is none.
    Term,
    /// A list of terms.
    Terms,
    /// Slugs of entries of a collection (this one unless `collection` says otherwise).
    Refs,
    /// A list of `{label, url}` external links.
    Links,
    /// One `https://` address.
    Url,
    /// A number (`0.25`, `1e9`), shown with `unit`; front matter gives the number alone.
    Number,
    /// A whole number.
    Integer,
    /// A mapping of the text fields in `fields` (`paper: {title: …, doi: …}`).
    Group,
}

/// Where on a page the words of a field count for search, from the strongest to the weakest:
/// `title`, `alias`, `term`, `heading`, `summary`, `body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(title = "Search weight")]
pub(crate) enum SearchWeight {
    /// Like the page title.
    Title,
    /// Another name of the page.
    Alias,
    /// A label of the page: terms, identifiers.
    Term,
    /// Like a heading.
    Heading,
    /// Like the summary.
    Summary,
    /// Like body text.
    Body,
}

/// One declared field of the front matter.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Field")]
pub(crate) struct Field {
    /// The YAML key (filled in from the map key).
    #[serde(skip)]
    pub(crate) name: String,
    /// What it holds. Required.
    #[serde(rename = "type")]
    pub(crate) ty: FieldType,
    /// For `term` and `terms`: the vocabulary (a key of `vocabularies`) of allowed keys.
    /// Default: free names.
    #[serde(default)]
    #[schemars(example = &"license")]
    pub(crate) vocabulary: Option<String>,
    /// For `refs`: the collection the slugs name. Default: the field's own collection (for the
    /// other pages: the first collection).
    #[serde(default)]
    pub(crate) collection: Option<String>,
    /// For `number`: the unit shown after the value and a space, per language: with
    /// `{en: km, zh: 公里}`, `distance: 9` shows `9 km`; a unit of plane angle (`°`, `′`, `″`)
    /// follows the number without a space (`0.25°`). Front matter gives the number alone.
    /// Default: none.
    #[serde(default)]
    #[schemars(with = "Option<PerLanguageSchema>", example = unit_example())]
    pub(crate) unit: Option<PerLanguage>,
    /// For `group`: its sub-fields, each of type `text`. Required for groups.
    #[serde(default)]
    pub(crate) fields: IndexMap<String, Field>,
    /// True when a page is rejected without it (and `medfm new` writes a placeholder).
    /// Default: false.
    #[serde(default)]
    pub(crate) required: bool,
    /// How its words count in search. Default: not indexed.
    #[schemars(example = &"term")]
    #[serde(default)]
    pub(crate) search: Option<SearchWeight>,
    /// Its name shown on pages, per language (table columns, templates' `labels`). Default: the key.
    #[serde(default)]
    #[schemars(with = "Option<PerLanguageSchema>")]
    pub(crate) label: Option<PerLanguage>,
    /// What it is for, in a contributor's words: shown in the front-matter reference
    /// (`medfm schema`) and in the comments `medfm new` writes. Default: empty.
    #[schemars(example = &"Whether the weights can be downloaded.")]
    #[serde(default)]
    pub(crate) about: String,
    /// For `refs`: the name (and label) under which the named entries list this one.
    /// Default: none.
    #[serde(default)]
    pub(crate) reverse: Option<Reverse>,
    /// Whether the field is written to the data exports. Default: true.
    #[serde(default = "yes")]
    pub(crate) export: bool,
    /// Resolved: the index of `collection` (refs).
    #[serde(skip)]
    pub(crate) target: CollectionId,
    /// Resolved: the taxonomy built from this field, if any (index into the site's taxonomies).
    #[serde(skip)]
    pub(crate) taxonomy: Option<TaxonomyId>,
}

fn unit_example() -> serde_json::Value {
    serde_json::json!({"en": "km", "zh": "公里"})
}

pub(super) fn yes() -> bool {
    true
}

/// The reverse side of a `refs` field: what the named entries call the entries naming them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Reverse side")]
pub(crate) struct Reverse {
    /// Template name, e.g. `built_upon_by`. Required.
    #[schemars(example = &"built_upon_by")]
    pub(crate) name: String,
    /// Label per language. Default: the name.
    #[serde(default)]
    #[schemars(with = "Option<PerLanguageSchema>")]
    pub(crate) label: Option<PerLanguage>,
}

/// What a translation file (`<slug>.<lang>.md`) may hold: the body, and the text fields listed
/// here. Facts (dates, terms, links) are never translated.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Translation")]
pub(crate) struct Translation {
    /// Text fields, in the order the reference, scaffolds and exports list them. Default: none.
    #[serde(default)]
    #[schemars(example = &["title", "summary"])]
    pub(crate) fields: Vec<String>,
    /// Those a translation must give. Default: none.
    #[serde(default)]
    pub(crate) required: Vec<String>,
}

/// A field, or a field of a group (`paper.title`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldPath {
    /// The field.
    pub(crate) field: FieldId,
    /// Index of the sub-field when the field is a group.
    pub(crate) sub: Option<usize>,
}

/// A table of declared fields with what the crate needs to find quickly.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schema {
    /// The fields, in declaration order.
    pub(crate) fields: IdVec<FieldId, Field>,
    /// Translatable fields, in translation order.
    pub(crate) translation: Vec<FieldId>,
    /// For each translatable field, whether a translation must give it.
    pub(crate) translation_required: Vec<bool>,
    /// For each field, its position in `translation`.
    pub(crate) translated_at: IdVec<FieldId, Option<usize>>,
    /// The `title` field.
    pub(crate) title: FieldId,
    /// The `summary` field, if declared.
    pub(crate) summary: Option<FieldId>,
    /// The built-in `draft` field ([`DRAFT_FIELD`]); `None` only in a schema that failed to
    /// resolve.
    pub(crate) draft: Option<FieldId>,
}

/// The built-in field every page has: `draft: true` keeps it out of the built site unless the
/// build is asked for drafts (`--drafts`).
pub(crate) const DRAFT_FIELD: &str = "draft";

impl Schema {
    /// The index of the field named `name`.
    pub(crate) fn index(&self, name: &str) -> Option<FieldId> {
        self.fields.position(|f| f.name == name)
    }

    /// The field named `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field at `path` (a group's sub-field when the path has one).
    pub(crate) fn at(&self, path: FieldPath) -> &Field {
        let field = &self.fields[path.field];
        match path.sub {
            Some(sub) => &field.fields[sub],
            None => field,
        }
    }
}

/// The names templates receive beside an entry's fields: a field (or the reverse side of a
/// reference) of that name would overwrite them, so the list page would link to a field's value
/// instead of the entry. Each with what it holds.
pub(crate) const RESERVED_NAMES: [(&str, &str); 10] = [
    ("slug", "an entry's slug"),
    ("url", "an entry's own URL"),
    ("related", "an entry's related entries"),
    ("prev", "the previous entry of its group"),
    ("next", "the next entry of its group"),
    (
        "from_preprint",
        "whether a timeline dates an entry by its preprint",
    ),
    ("index", "a table row's position"),
    ("cells", "a table row's cells"),
    ("facets", "a table row's filter values"),
    ("search", "a table row's search text"),
];

/// Refuses fields and reverse sides named as what templates receive beside an entry's fields.
pub(super) fn check_reserved(fields: &IndexMap<String, Field>, base: &[&str], p: &mut Problems) {
    let reserved = |name: &str| RESERVED_NAMES.iter().find(|(n, _)| *n == name);
    let hint = || {
        let names: Vec<&str> = RESERVED_NAMES.iter().map(|(n, _)| *n).collect();
        format!(
            "rename it; names the generator reserves: {}",
            names.join(", ")
        )
    };
    for (name, field) in fields {
        let path = [base, &["fields", name.as_str()]].concat();
        let reverse = field.reverse.as_ref().map(|r| r.name.as_str());
        let reverse_path = [path.as_slice(), &["reverse"]].concat();
        for (path, name) in [(path, Some(name.as_str())), (reverse_path, reverse)] {
            let Some((name, holds)) = name.and_then(reserved) else {
                continue;
            };
            p.0.push(ModelProblem {
                path: path.iter().map(|s| s.to_string()).collect(),
                message: format!("`{name}` is reserved: templates receive {holds} under it"),
                hint: Some(hint()),
            });
        }
    }
}

/// Field names of `schema`, for suggestions.
pub(super) fn field_names(schema: &Schema) -> Vec<&str> {
    schema.fields.iter().map(|f| f.name.as_str()).collect()
}

pub(super) fn names_to_fields(
    names: &[String],
    schema: &Schema,
    path: &[&str],
    p: &mut Problems,
    ok: &dyn Fn(&Field) -> bool,
    wanted: &str,
) -> Vec<FieldId> {
    names
        .iter()
        .filter_map(|name| match schema.index(name) {
            Some(i) if ok(&schema.fields[i]) => Some(i),
            Some(_) => {
                p.push(path, format!("`{name}` is not {wanted}"));
                None
            }
            None => {
                p.unknown(path, "field", name, &field_names(schema));
                None
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_schema(
    fields: &IndexMap<String, Field>,
    translation: &Translation,
    base: &[&str],
    collections: &[&str],
    own: CollectionId,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Schema {
    let mut list: IdVec<FieldId, Field> = IdVec::default();
    for (name, field) in fields {
        let mut field = field.clone();
        field.name = name.clone();
        let path = [base, &["fields", name.as_str()]].concat();
        if name == DRAFT_FIELD {
            p.push(
                &path,
                format!("`{DRAFT_FIELD}` is built in: every page has it"),
            );
            continue;
        }
        resolve_field(&mut field, &path, collections, own, cx, p);
        list.push(field);
    }
    let draft = list.push(builtin_field(
        DRAFT_FIELD,
        FieldType::Bool,
        "`true` keeps the page out of the built site (and out of every list, table, feed and \
         search) until it is published; `medfm build --drafts`, `check --drafts` and \
         `serve --drafts` include it.",
    ));
    let mut schema = Schema {
        translated_at: list.iter().map(|_| None).collect(),
        fields: list,
        draft: Some(draft),
        ..Schema::default()
    };
    match schema.index("title") {
        Some(i) if schema.fields[i].ty == FieldType::Text => schema.title = i,
        _ => p.push(
            &[base, &["fields"]].concat(),
            "every page needs a `title` field of type `text`".into(),
        ),
    }
    schema.summary = schema
        .index("summary")
        .filter(|&i| schema.fields[i].ty == FieldType::Text);
    let path = [base, &["translation"]].concat();
    // Without a `translation` list, every text field may be translated.
    let all_text: Vec<String>;
    let names = if translation.fields.is_empty() {
        all_text = (schema.fields.iter())
            .filter(|f| f.ty == FieldType::Text)
            .map(|f| f.name.clone())
            .collect();
        &all_text
    } else {
        &translation.fields
    };
    for name in names {
        match schema.index(name) {
            Some(i) if schema.fields[i].ty == FieldType::Text => {
                schema.translated_at[i] = Some(schema.translation.len());
                schema.translation.push(i);
                schema
                    .translation_required
                    .push(translation.required.contains(name));
            }
            Some(_) => p.push(
                &path,
                format!("only text fields can be translated, not `{name}`"),
            ),
            None => p.unknown(&path, "field", name, &field_names(&schema)),
        }
    }
    for name in &translation.required {
        if !translation.fields.contains(name) {
            p.push(
                &path,
                format!("`{name}` is required in translations but not listed in `fields`"),
            );
        }
    }
    schema
}

pub(super) fn resolve_field(
    field: &mut Field,
    path: &[&str],
    collections: &[&str],
    own: CollectionId,
    cx: &Context<'_>,
    p: &mut Problems,
) {
    let ty = field.ty;
    let terms = matches!(ty, FieldType::Term | FieldType::Terms);
    if let Some(v) = &field.vocabulary {
        if !terms {
            p.push(
                path,
                "only `term` and `terms` fields take a `vocabulary`".into(),
            );
        } else if !cx.vocabularies.contains_key(v) {
            let known: Vec<&str> = cx.vocabularies.keys().map(String::as_str).collect();
            p.unknown(path, "vocabulary", v, &known);
        }
    }
    field.target = own;
    if let Some(c) = &field.collection {
        match collections.iter().position(|n| n == c) {
            Some(i) if ty == FieldType::Refs => field.target = CollectionId::new(i),
            Some(_) => p.push(path, "only `refs` fields take a `collection`".into()),
            None => p.unknown(path, "collection", c, collections),
        }
    }
    if field.reverse.is_some() && ty != FieldType::Refs {
        p.push(path, "only `refs` fields take a `reverse`".into());
    }
    if field.unit.is_some() && ty != FieldType::Number {
        p.push(path, "only `number` fields take a `unit`".into());
    }
    if ty == FieldType::Group {
        if field.fields.is_empty() {
            p.push(path, "a `group` needs `fields`".into());
        }
        for (name, sub) in &mut field.fields {
            sub.name = name.clone();
            if sub.ty != FieldType::Text || !sub.fields.is_empty() {
                p.push(
                    &[path, &["fields", name.as_str()]].concat(),
                    "the fields of a group are `text` fields".into(),
                );
            }
        }
    } else if !field.fields.is_empty() {
        p.push(path, "only `group` fields take `fields`".into());
    }
    let searchable = !matches!(
        ty,
        FieldType::Bool
            | FieldType::Date
            | FieldType::Tristate
            | FieldType::Refs
            | FieldType::Group
            | FieldType::Integer
    );
    if field.search.is_some() && !searchable {
        p.push(
            path,
            format!("a `{}` field cannot be searched", type_name(ty)),
        );
    }
    if let Some(label) = &field.label {
        check_labels(label, &[path, &["label"]].concat(), cx, p);
    }
    if let Some(Reverse {
        label: Some(label), ..
    }) = &field.reverse
    {
        check_labels(label, &[path, &["reverse", "label"]].concat(), cx, p);
    }
    if let Some(unit) = &field.unit {
        check_labels(unit, &[path, &["unit"]].concat(), cx, p);
    }
}

/// The name of a type as `site.yaml` writes it.
pub(crate) fn type_name(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::TextList => "text-list",
        FieldType::Bool => "bool",
        FieldType::Date => "date",
        FieldType::Tristate => "tristate",
        FieldType::Term => "term",
        FieldType::Terms => "terms",
        FieldType::Refs => "refs",
        FieldType::Links => "links",
        FieldType::Url => "url",
        FieldType::Number => "number",
        FieldType::Integer => "integer",
        FieldType::Group => "group",
    }
}

pub(super) fn check_labels(
    labels: &PerLanguage,
    path: &[&str],
    cx: &Context<'_>,
    p: &mut Problems,
) {
    for lang in cx.languages {
        if !labels.contains_key(*lang) {
            p.push(path, format!("no `{lang}` text"));
        }
    }
}

/// A field the generator declares itself (`title`, `layout`, `draft` …), with no options.
pub(super) fn builtin_field(name: &str, ty: FieldType, about: &str) -> Field {
    Field {
        name: name.into(),
        ty,
        vocabulary: None,
        collection: None,
        unit: None,
        fields: IndexMap::new(),
        required: false,
        search: None,
        label: None,
        about: about.into(),
        reverse: None,
        export: false,
        target: CollectionId::default(),
        taxonomy: None,
    }
}
