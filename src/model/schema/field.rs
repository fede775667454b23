//! Fields: their declaration ([`FieldDecl`]: a type, a vocabulary, a reverse side, labels),
//! the resolved [`Field`] and [`Schema`] of a collection or of the other pages, and the checks
//! of a field's declaration, the names the generator reserves among them.

use std::collections::HashMap;
use std::ops::Deref;

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
#[schemars(title = "Field", rename = "Field")]
pub(crate) struct FieldDecl {
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
    pub(crate) fields: IndexMap<String, FieldDecl>,
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
}

/// A resolved field: its declaration (which it reads as, through `Deref`) with its name and
/// what the declaration names, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The YAML key.
    pub(crate) name: String,
    /// The declaration.
    pub(crate) decl: FieldDecl,
    /// A group's sub-fields, in declaration order (each a `text` field).
    pub(crate) subfields: Vec<Field>,
    /// The collection whose entries a `refs` field names; the field's own collection (the
    /// first, for the other pages) for every other field.
    pub(crate) target: CollectionId,
    /// The taxonomy built from this field, if any.
    pub(crate) taxonomy: Option<TaxonomyId>,
}

impl Deref for Field {
    type Target = FieldDecl;

    fn deref(&self) -> &FieldDecl {
        &self.decl
    }
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
#[derive(Debug, Clone)]
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
    /// The built-in `draft` field ([`DRAFT_FIELD`]).
    pub(crate) draft: FieldId,
}

/// The built-in field every page has: `draft: true` keeps it out of the built site unless the
/// build is asked for drafts (`--drafts`).
pub(crate) const DRAFT_FIELD: &str = "draft";

/// The fields of a schema, in declaration order.
pub(crate) type Fields = IdVec<FieldId, Field>;

impl IdVec<FieldId, Field> {
    /// The id of the field named `name`.
    pub(crate) fn named(&self, name: &str) -> Option<FieldId> {
        self.position(|f| f.name == name)
    }

    /// The field at `path` (a group's sub-field when the path has one).
    pub(crate) fn at(&self, path: FieldPath) -> &Field {
        let field = &self[path.field];
        match path.sub {
            Some(sub) => &field.subfields[sub],
            None => field,
        }
    }

    /// The names, for suggestions.
    pub(super) fn names(&self) -> Vec<&str> {
        self.iter().map(|f| f.name.as_str()).collect()
    }
}

impl Schema {
    /// The index of the field named `name`.
    pub(crate) fn index(&self, name: &str) -> Option<FieldId> {
        self.fields.named(name)
    }

    /// The field named `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
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
pub(super) fn check_reserved(
    fields: &IndexMap<String, FieldDecl>,
    base: &[&str],
    p: &mut Problems,
) {
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

/// The fields `names` of `fields`, each accepted by `ok` (else reported as not `wanted`).
pub(super) fn names_to_fields(
    names: &[String],
    fields: &Fields,
    path: &[&str],
    p: &mut Problems,
    ok: &dyn Fn(&Field) -> bool,
    wanted: &str,
) -> Vec<FieldId> {
    names
        .iter()
        .filter_map(|name| match fields.named(name) {
            Some(i) if ok(&fields[i]) => Some(i),
            Some(_) => {
                p.push(path, format!("`{name}` is not {wanted}"));
                None
            }
            None => {
                p.unknown(path, "field", name, &fields.names());
                None
            }
        })
        .collect()
}

/// Where a list of fields is declared, and what its `refs` fields may name.
pub(super) struct FieldScope<'a, 'c> {
    /// The YAML path of what declares the fields (a collection, or `pages`).
    pub(super) base: &'a [&'a str],
    /// The names of the collections, in order.
    pub(super) collections: &'a [&'a str],
    /// The collection a `refs` field names when it names none.
    pub(super) own: CollectionId,
    /// The vocabularies and languages.
    pub(super) cx: &'a Context<'c>,
}

/// Resolves the declared fields in order, each of `builtins` in place of a declared field of
/// its name (reported: it is built in) or after them, and the built-in `draft` last (a declared
/// `draft` is reported and left out). Returns the fields, the ids of `builtins` and of `draft`.
pub(super) fn resolve_fields<const N: usize>(
    decls: &IndexMap<String, FieldDecl>,
    builtins: [(&'static str, FieldDecl); N],
    scope: &FieldScope<'_, '_>,
    p: &mut Problems,
) -> (Fields, [FieldId; N], FieldId) {
    let mut fields = Fields::default();
    let mut placed: HashMap<&str, FieldId> = HashMap::new();
    for (name, decl) in decls {
        let path = [scope.base, &["fields", name.as_str()]].concat();
        let builtin = builtins.iter().find(|(n, _)| n == name);
        if name == DRAFT_FIELD || builtin.is_some() {
            p.push(&path, format!("`{name}` is built in: every page has it"));
        }
        match builtin {
            _ if name == DRAFT_FIELD => {}
            Some((builtin, decl)) => {
                placed.insert(builtin, fields.push(plain_field(builtin, decl, scope.own)));
            }
            None => {
                fields.push(resolve_field(name, decl, &path, scope, p));
            }
        }
    }
    let ids = builtins.map(|(name, decl)| match placed.get(name) {
        Some(&id) => id,
        None => fields.push(plain_field(name, &decl, scope.own)),
    });
    let draft = fields.push(plain_field(DRAFT_FIELD, &draft_field(), scope.own));
    (fields, ids, draft)
}

/// The built-in `draft` field ([`DRAFT_FIELD`]).
fn draft_field() -> FieldDecl {
    builtin_field(
        FieldType::Bool,
        "`true` keeps the page out of the built site (and out of every list, table, feed and \
         search) until it is published; `medfm build --drafts`, `check --drafts` and \
         `serve --drafts` include it.",
    )
}

/// A field with nothing to resolve: a built-in one, or a sub-field of a group.
fn plain_field(name: &str, decl: &FieldDecl, own: CollectionId) -> Field {
    Field {
        name: name.into(),
        decl: decl.clone(),
        subfields: Vec::new(),
        target: own,
        taxonomy: None,
    }
}

/// The schema made of `fields`: its title, summary and translatable fields. `None` when it has
/// no title (reported).
pub(super) fn resolve_schema(
    fields: Fields,
    draft: FieldId,
    translation: &Translation,
    base: &[&str],
    p: &mut Problems,
) -> Option<Schema> {
    let title = (fields.named("title")).filter(|&i| fields[i].ty == FieldType::Text);
    if title.is_none() {
        p.push(
            &[base, &["fields"]].concat(),
            "every page needs a `title` field of type `text`".into(),
        );
    }
    let summary = (fields.named("summary")).filter(|&i| fields[i].ty == FieldType::Text);
    let path = [base, &["translation"]].concat();
    let (order, required) = translatable(&fields, translation, &path, p);
    let mut translated_at: IdVec<FieldId, Option<usize>> = fields.iter().map(|_| None).collect();
    for (at, &f) in order.iter().enumerate() {
        translated_at[f] = Some(at);
    }
    Some(Schema {
        fields,
        translation: order,
        translation_required: required,
        translated_at,
        title: title?,
        summary,
        draft,
    })
}

/// The translatable fields in translation order, each with whether a translation must give it.
fn translatable(
    fields: &Fields,
    translation: &Translation,
    path: &[&str],
    p: &mut Problems,
) -> (Vec<FieldId>, Vec<bool>) {
    // Without a `translation` list, every text field may be translated.
    let all_text: Vec<String>;
    let names = if translation.fields.is_empty() {
        all_text = (fields.iter())
            .filter(|f| f.ty == FieldType::Text)
            .map(|f| f.name.clone())
            .collect();
        &all_text
    } else {
        &translation.fields
    };
    let mut order = Vec::new();
    let mut required = Vec::new();
    for name in names {
        match fields.named(name) {
            Some(i) if fields[i].ty == FieldType::Text => {
                order.push(i);
                required.push(translation.required.contains(name));
            }
            Some(_) => p.push(
                path,
                format!("only text fields can be translated, not `{name}`"),
            ),
            None => p.unknown(path, "field", name, &fields.names()),
        }
    }
    for name in &translation.required {
        if !translation.fields.contains(name) {
            p.push(
                path,
                format!("`{name}` is required in translations but not listed in `fields`"),
            );
        }
    }
    (order, required)
}

/// Checks the declaration of field `name` at `path` and resolves what it names.
fn resolve_field(
    name: &str,
    decl: &FieldDecl,
    path: &[&str],
    scope: &FieldScope<'_, '_>,
    p: &mut Problems,
) -> Field {
    check_vocabulary(decl, path, scope.cx, p);
    check_options(decl, path, p);
    check_field_labels(decl, path, scope.cx, p);
    Field {
        name: name.into(),
        decl: decl.clone(),
        subfields: subfields(decl, path, scope.own, p),
        target: target(decl, path, scope, p),
        taxonomy: None,
    }
}

/// Only term fields take a vocabulary, and it must be declared.
fn check_vocabulary(decl: &FieldDecl, path: &[&str], cx: &Context<'_>, p: &mut Problems) {
    let Some(v) = &decl.vocabulary else {
        return;
    };
    if !matches!(decl.ty, FieldType::Term | FieldType::Terms) {
        p.push(
            path,
            "only `term` and `terms` fields take a `vocabulary`".into(),
        );
    } else if !cx.vocabularies.contains_key(v) {
        let known: Vec<&str> = cx.vocabularies.keys().map(String::as_str).collect();
        p.unknown(path, "vocabulary", v, &known);
    }
}

/// The collection a field names: the one of `collection` for a `refs` field, else its own.
fn target(
    decl: &FieldDecl,
    path: &[&str],
    scope: &FieldScope<'_, '_>,
    p: &mut Problems,
) -> CollectionId {
    let Some(c) = &decl.collection else {
        return scope.own;
    };
    match scope.collections.iter().position(|n| n == c) {
        Some(i) if decl.ty == FieldType::Refs => CollectionId::new(i),
        Some(_) => {
            p.push(path, "only `refs` fields take a `collection`".into());
            scope.own
        }
        None => {
            p.unknown(path, "collection", c, scope.collections);
            scope.own
        }
    }
}

/// Options that only some types of field take: `reverse`, `unit`, `search`.
fn check_options(decl: &FieldDecl, path: &[&str], p: &mut Problems) {
    let ty = decl.ty;
    if decl.reverse.is_some() && ty != FieldType::Refs {
        p.push(path, "only `refs` fields take a `reverse`".into());
    }
    if decl.unit.is_some() && ty != FieldType::Number {
        p.push(path, "only `number` fields take a `unit`".into());
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
    if decl.search.is_some() && !searchable {
        p.push(
            path,
            format!("a `{}` field cannot be searched", type_name(ty)),
        );
    }
}

/// A group's sub-fields, each a `text` field; only groups have them.
fn subfields(decl: &FieldDecl, path: &[&str], own: CollectionId, p: &mut Problems) -> Vec<Field> {
    let group = decl.ty == FieldType::Group;
    if group && decl.fields.is_empty() {
        p.push(path, "a `group` needs `fields`".into());
    } else if !group && !decl.fields.is_empty() {
        p.push(path, "only `group` fields take `fields`".into());
    }
    (decl.fields.iter())
        .map(|(name, sub)| {
            if group && (sub.ty != FieldType::Text || !sub.fields.is_empty()) {
                p.push(
                    &[path, &["fields", name.as_str()]].concat(),
                    "the fields of a group are `text` fields".into(),
                );
            }
            plain_field(name, sub, own)
        })
        .collect()
}

/// The field's label, its reverse side's label and its unit, in every language.
fn check_field_labels(decl: &FieldDecl, path: &[&str], cx: &Context<'_>, p: &mut Problems) {
    if let Some(label) = &decl.label {
        check_labels(label, &[path, &["label"]].concat(), cx, p);
    }
    if let Some(Reverse {
        label: Some(label), ..
    }) = &decl.reverse
    {
        check_labels(label, &[path, &["reverse", "label"]].concat(), cx, p);
    }
    if let Some(unit) = &decl.unit {
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
pub(super) fn builtin_field(ty: FieldType, about: &str) -> FieldDecl {
    FieldDecl {
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
    }
}
