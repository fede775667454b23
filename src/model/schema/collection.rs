//! Collections: folders of entries with their fields, roles, order, card, taxonomies, related
//! entries and citation mapping, and how each is resolved against its schema.

use std::collections::BTreeMap;
use std::ops::Deref;

use super::field::{
    check_labels, check_reserved, names_to_fields, resolve_fields, resolve_schema, type_name,
    Field, FieldDecl, FieldPath, FieldScope, FieldType, Fields, Schema, Translation,
};
use super::problems::{Context, PerLanguage, PerLanguageSchema, Problems};
use crate::model::id::{CollectionId, FieldId, IdVec, TaxonomyId};
use crate::model::names::{self, NameKind};
use indexmap::IndexMap;
use serde::Deserialize;

/// A taxonomy: a field made browsable term by term (`taxonomies/<name>/<term>.html`, and the
/// taxonomies index). Its name may also be a column or filter of the `table`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Taxonomy")]
pub(crate) struct TaxonomyDecl {
    /// The `term` or `terms` field of the collection whose terms get pages. Required.
    #[schemars(example = &"license")]
    pub(crate) field: String,
    /// Its name per language. Required.
    #[schemars(with = "PerLanguageSchema")]
    pub(crate) label: PerLanguage,
}

/// How related entries are found: entries sharing the most terms of `fields` (rarer terms count
/// more), shown on each entry page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Related entries")]
pub(crate) struct Related {
    /// `term`/`terms` fields (entries sharing a term) and `refs` fields (an entry with those it
    /// names). Required.
    #[schemars(example = &["tags", "builds_on"])]
    pub(crate) fields: Vec<String>,
    /// How many an entry page shows. Default: 4.
    #[serde(default = "four")]
    pub(crate) count: usize,
    /// Terms carried by more entries than this are too broad to count. Default: 300.
    #[serde(default = "three_hundred")]
    pub(crate) broadest: usize,
}

pub(super) fn four() -> usize {
    4
}

pub(super) fn three_hundred() -> usize {
    300
}

/// How entries cite their original publication: which fields hold what, for `references.bib`,
/// the BibTeX on entry pages and their JSON-LD. Each key names a field of the collection (a
/// group's sub-field as `group.sub`); every key is optional.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Citation")]
pub(crate) struct CitationDecl {
    /// A text field: the publication's title. An entry has a publication when it has a title,
    /// DOI, arXiv id or venue.
    #[serde(default)]
    #[schemars(example = &"paper.title")]
    pub(crate) title: Option<String>,
    /// A text field: the work's expanded name (the title's first fallback, and a dataset's
    /// alternate name).
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// A text or term field: the venue (a journal, conference or preprint server).
    #[serde(default)]
    pub(crate) venue: Option<String>,
    /// A text field: the volume.
    #[serde(default)]
    pub(crate) volume: Option<String>,
    /// A text field: the issue number.
    #[serde(default)]
    pub(crate) number: Option<String>,
    /// A text field: pages or article number.
    #[serde(default)]
    pub(crate) pages: Option<String>,
    /// A text field: the DOI, without `https://doi.org/`.
    #[serde(default)]
    pub(crate) doi: Option<String>,
    /// A text field: the arXiv identifier.
    #[serde(default)]
    pub(crate) arxiv: Option<String>,
    /// A links field (the first link is the publication's address when it has no DOI or arXiv
    /// id).
    #[serde(default)]
    pub(crate) links: Option<String>,
    /// A terms or text-list field: the organisations behind it.
    #[serde(default)]
    pub(crate) organizations: Option<String>,
    /// The authors, in order: a text-list field, each `Given Family`. Default: none (BibTeX
    /// and references then have no authors).
    #[serde(default)]
    pub(crate) authors: Option<String>,
    /// A bool field, true when `authors` lists only the first authors (references add
    /// "et al."). Default: none.
    #[serde(default)]
    pub(crate) more_authors: Option<String>,
    /// Term or terms fields whose labels are its keywords.
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    /// Kinds (terms of the `kind` field) described as datasets (schema.org `Dataset`) rather than
    /// articles.
    #[serde(default)]
    pub(crate) dataset_kinds: Vec<String>,
    /// Conferences recognised in the venue (case-insensitive short name → full name): cited as
    /// `@inproceedings`. Any other venue is a journal.
    #[serde(default)]
    pub(crate) conferences: IndexMap<String, String>,
    /// Preprint servers: a venue among them is cited as `@misc`.
    #[schemars(example = &["arXiv", "medRxiv"])]
    #[serde(default)]
    pub(crate) preprint_servers: Vec<String>,
}

/// A resolved citation mapping: its declaration (which it reads as, through `Deref`) and the
/// fields it names.
#[derive(Debug, Clone)]
pub(crate) struct Citation {
    /// The declaration.
    pub(crate) decl: CitationDecl,
    /// The fields it names.
    pub(crate) paths: CitationPaths,
}

impl Deref for Citation {
    type Target = CitationDecl;

    fn deref(&self) -> &CitationDecl {
        &self.decl
    }
}

/// The resolved fields of a [`CitationDecl`].
#[derive(Debug, Clone)]
pub(crate) struct CitationPaths {
    /// Publication title.
    pub(crate) title: Option<FieldPath>,
    /// Expanded name.
    pub(crate) name: Option<FieldPath>,
    /// Venue.
    pub(crate) venue: Option<FieldPath>,
    /// Volume.
    pub(crate) volume: Option<FieldPath>,
    /// Issue number.
    pub(crate) number: Option<FieldPath>,
    /// Pages.
    pub(crate) pages: Option<FieldPath>,
    /// DOI.
    pub(crate) doi: Option<FieldPath>,
    /// arXiv id.
    pub(crate) arxiv: Option<FieldPath>,
    /// Links.
    pub(crate) links: Option<FieldPath>,
    /// Organisations.
    pub(crate) organizations: Option<FieldPath>,
    /// Authors.
    pub(crate) authors: Option<FieldPath>,
    /// Whether the authors are only the first.
    pub(crate) more_authors: Option<FieldPath>,
    /// Keyword fields.
    pub(crate) keywords: Vec<FieldId>,
}

/// A collection: a folder of `content/` with one entry per Markdown file (`<slug>.md`, and
/// `<slug>.<lang>.md` for each translation).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Collection", rename = "Collection")]
pub(crate) struct CollectionDecl {
    /// The folder inside `content/`, one plain name; entries are built to
    /// `<folder>/<slug>.html`. Required.
    #[schemars(example = &"models")]
    pub(crate) folder: String,
    /// Its name per language (the list of all entries, `<folder>/index.html`). Required.
    #[schemars(with = "PerLanguageSchema")]
    pub(crate) label: PerLanguage,
    /// Template of an entry page. Default: `entry.html`.
    #[serde(default = "entry_template")]
    pub(crate) template: String,
    /// The field saying what kind of entry a page is (`medfm new <kind> <slug>`): a required
    /// `term` field with a vocabulary. Needed by `required_for`, `lineage.pill`,
    /// `citation.dataset_kinds` and `medfm new`. Default: none.
    #[schemars(example = &"kind")]
    #[serde(default)]
    pub(crate) kind: Option<String>,
    /// The field grouping entries: list sections, previous/next links, the print view. A
    /// `term` field with a vocabulary (groups follow the vocabulary's order). Default: none.
    #[schemars(example = &"architecture")]
    #[serde(default)]
    pub(crate) group: Option<String>,
    /// The `date` field: feeds, timelines, the newest entries. Needed by `feed` and by a
    /// layout's `newest`. Default: none.
    #[schemars(example = &"released")]
    #[serde(default)]
    pub(crate) date: Option<String>,
    /// Display order of lists: term fields with a vocabulary (by vocabulary order), date fields
    /// (unknown last) and text fields, compared in turn; then the slug. Default: by slug.
    #[schemars(example = &["kind", "released", "title"])]
    #[serde(default)]
    pub(crate) order: Vec<String>,
    /// The fields of an entry's front matter: name → declaration. Every collection needs a
    /// `title` text field; `summary`, when declared, is shown in lists and search. Required.
    pub(crate) fields: IndexMap<String, FieldDecl>,
    /// Fields that entries of some kinds must fill (not empty): kind → fields. Needs `kind`.
    /// Default: none.
    #[schemars(example = required_for_example())]
    #[serde(default)]
    pub(crate) required_for: IndexMap<String, Vec<String>>,
    /// What a translation (`<slug>.<lang>.md`) may hold. Default: nothing but the body.
    #[serde(default)]
    pub(crate) translation: Translation,
    /// The fields of an entry's card: what lists, related entries, term pages and the table
    /// receive of an entry besides its `slug` and `url`. Default: none.
    #[schemars(example = &["title", "summary", "kind", "released"])]
    #[serde(default)]
    pub(crate) card: Vec<String>,
    /// Taxonomies: name (lower-case letters, digits, dashes; unique across collections) → the
    /// field whose terms get pages. Default: none.
    #[serde(default)]
    pub(crate) taxonomies: IndexMap<String, TaxonomyDecl>,
    /// Related entries, shown on each entry page. Default: none.
    #[serde(default)]
    pub(crate) related: Option<Related>,
    /// How entries cite their publication. Default: no citations.
    #[serde(default)]
    pub(crate) citation: Option<CitationDecl>,
    /// The body `medfm new` writes, per language (its headings are the sections a translation
    /// is compared against). Default: empty.
    #[schemars(example = scaffold_example())]
    #[serde(default)]
    pub(crate) scaffold: BTreeMap<String, String>,
}

/// A resolved collection: its declaration (which it reads as, through `Deref`; `citation` is
/// the resolved one) with its name, schema and the fields its declaration names.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    /// Its name in `site.yaml` (the map key).
    pub(crate) name: String,
    /// The declaration.
    pub(crate) decl: CollectionDecl,
    /// Its fields and translations.
    pub(crate) schema: Schema,
    /// The fields with a role.
    pub(crate) roles: Roles,
    /// The display order.
    pub(crate) order_fields: Vec<FieldId>,
    /// The card fields.
    pub(crate) card_fields: Vec<FieldId>,
    /// `required_for`: kind → fields.
    pub(crate) required_fields: Vec<(String, Vec<FieldId>)>,
    /// The fields related entries share.
    pub(crate) related_fields: Vec<FieldId>,
    /// How entries cite their publication.
    pub(crate) citation: Option<Citation>,
}

impl Deref for Collection {
    type Target = CollectionDecl;

    fn deref(&self) -> &CollectionDecl {
        &self.decl
    }
}

/// A collection while the model resolves: its name, declaration, fields and roles, which the
/// other declarations (features, charts, layouts) are checked against.
pub(super) struct CollectionOutline {
    /// Its name in `site.yaml`.
    pub(super) name: String,
    /// The declaration.
    pub(super) decl: CollectionDecl,
    /// Its fields, the built-in `draft` last.
    pub(super) fields: Fields,
    /// The built-in `draft` field.
    pub(super) draft: FieldId,
    /// The fields with a role.
    pub(super) roles: Roles,
}

fn required_for_example() -> serde_json::Value {
    serde_json::json!({"dataset": ["modality", "data_scale"]})
}

fn scaffold_example() -> serde_json::Value {
    serde_json::json!({"en": "## Overview\n\n## Results\n"})
}

pub(super) fn entry_template() -> String {
    "entry.html".into()
}

/// The fields with a role in a collection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Roles {
    /// The kind field.
    pub(crate) kind: Option<FieldId>,
    /// The group field.
    pub(crate) group: Option<FieldId>,
    /// The date field.
    pub(crate) date: Option<FieldId>,
}

/// A taxonomy of the model: where it is declared and the field it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaxonomyRef {
    /// The collection that declares it.
    pub(crate) collection: CollectionId,
    /// Its name.
    pub(crate) name: String,
    /// Its `term` or `terms` field in that collection.
    pub(crate) field: FieldId,
}

/// The taxonomies of the site so far, in declaration order.
pub(super) type Taxonomies = IdVec<TaxonomyId, TaxonomyRef>;

/// Resolves the fields of collection `name` (in `scope`) and its roles.
pub(super) fn outline_collection(
    name: &str,
    decl: &CollectionDecl,
    scope: &FieldScope<'_, '_>,
    p: &mut Problems,
) -> CollectionOutline {
    let (fields, [], draft) = resolve_fields(&decl.fields, [], scope, p);
    check_reserved(&decl.fields, scope.base, p);
    CollectionOutline {
        roles: roles(name, decl, &fields, p),
        name: name.into(),
        decl: decl.clone(),
        fields,
        draft,
    }
}

/// Numbers the taxonomies of collection `c` (of id `own`) after `taxonomies` and marks the
/// fields they are made of.
pub(super) fn number_taxonomies(
    own: CollectionId,
    c: &mut CollectionOutline,
    taxonomies: &mut Taxonomies,
    p: &mut Problems,
) {
    for (name, t) in &c.decl.taxonomies {
        let path = ["collections", c.name.as_str(), "taxonomies", name.as_str()];
        if taxonomies.iter().any(|t| t.name == *name) {
            p.push(&path, format!("taxonomy `{name}` is declared twice"));
            continue;
        }
        if !crate::base::slug::is_valid_file_slug(name) {
            p.push(
                &path,
                format!("taxonomy name `{name}` must be lower-case letters, digits and dashes"),
            );
        }
        let fields = &mut c.fields;
        match fields.named(&t.field) {
            Some(i) if matches!(fields[i].ty, FieldType::Term | FieldType::Terms) => {
                fields[i].taxonomy = Some(taxonomies.push(TaxonomyRef {
                    collection: own,
                    name: name.clone(),
                    field: i,
                }));
            }
            Some(_) => p.push(&path, format!("`{}` is not a term or terms field", t.field)),
            None => p.unknown(&path, "field", &t.field, &fields.names()),
        }
    }
}

/// Resolves the rest of a collection: its schema, lists and citation. `None` when it has no
/// title (reported).
pub(super) fn finish_collection(
    c: CollectionOutline,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Option<Collection> {
    let order_fields = field_list(&c, "order", &c.decl.order, p);
    let card_fields = field_list(&c, "card", &c.decl.card, p);
    let related_fields = match &c.decl.related {
        Some(r) => field_list(&c, "related", &r.fields, p),
        None => Vec::new(),
    };
    let required_fields = required_fields(&c, cx, p);
    let citation = (c.decl.citation.as_ref()).map(|decl| {
        let path = ["collections", c.name.as_str(), "citation"];
        resolve_citation(decl, &c.fields, &path, p)
    });
    check_words(&c.name, &c.decl, cx, p);
    let base = ["collections", c.name.as_str()];
    let schema = resolve_schema(c.fields, c.draft, &c.decl.translation, &base, p)?;
    Some(Collection {
        name: c.name,
        decl: c.decl,
        schema,
        roles: c.roles,
        order_fields,
        card_fields,
        required_fields,
        related_fields,
        citation,
    })
}

/// A field that is a term of a vocabulary.
fn vocab_term(f: &FieldDecl) -> bool {
    f.ty == FieldType::Term && f.vocabulary.is_some()
}

/// The fields with a role: kind, group, date.
fn roles(collection: &str, c: &CollectionDecl, fields: &Fields, p: &mut Problems) -> Roles {
    let mut role =
        |name: &Option<String>, key: &str, ok: &dyn Fn(&FieldDecl) -> bool, wanted: &str| {
            let name = name.as_deref()?;
            let path = ["collections", collection, key];
            match fields.named(name) {
                Some(i) if ok(&fields[i]) => Some(i),
                Some(i) => {
                    let fit: Vec<&str> = (fields.iter())
                        .filter(|f| ok(f))
                        .map(|f| f.name.as_str())
                        .collect();
                    let hint = match fit.is_empty() {
                        true => format!("no field of `{collection}` is {wanted}"),
                        false => format!("the fields that can be `{key}`: {}", fit.join(", ")),
                    };
                    p.push_with_hint(
                        &path,
                        format!(
                            "`{key}: {name}` needs {wanted}, and `{name}` is a `{}` field",
                            type_name(fields[i].ty)
                        ),
                        hint,
                    );
                    None
                }
                None => {
                    p.unknown(&path, "field", name, &fields.names());
                    None
                }
            }
        };
    Roles {
        kind: role(
            &c.kind,
            "kind",
            &|f| vocab_term(f) && f.required,
            "a required `term` field with a vocabulary",
        ),
        group: role(
            &c.group,
            "group",
            &vocab_term,
            "a `term` field with a vocabulary",
        ),
        date: role(
            &c.date,
            "date",
            &|f| f.ty == FieldType::Date,
            "a `date` field",
        ),
    }
}

/// The fields `names` of list `key` (`order`, `card`, `related`), each of the type it needs.
fn field_list(
    c: &CollectionOutline,
    key: &str,
    names: &[String],
    p: &mut Problems,
) -> Vec<FieldId> {
    let (ok, wanted): (&dyn Fn(&Field) -> bool, &str) = match key {
        "order" => (
            &|f| vocab_term(f) || matches!(f.ty, FieldType::Date | FieldType::Text),
            "a term, date or text field",
        ),
        "related" => (
            &|f| matches!(f.ty, FieldType::Term | FieldType::Terms | FieldType::Refs),
            "a term, terms or refs field",
        ),
        _ => (&|_| true, ""),
    };
    let path = ["collections", c.name.as_str(), key];
    names_to_fields(names, &c.fields, &path, p, ok, wanted)
}

/// `required_for`: for each kind of the kind field's vocabulary, the fields it requires.
fn required_fields(
    c: &CollectionOutline,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Vec<(String, Vec<FieldId>)> {
    let kind_vocabulary = (c.roles.kind)
        .and_then(|k| c.fields[k].vocabulary.as_deref())
        .map(|v| cx.vocabularies.get(v));
    let kinds: Vec<&str> = kind_vocabulary
        .flatten()
        .map(|v| v.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // A kind field naming an unknown vocabulary is reported once, where it is declared.
    let kinds_known = !matches!(kind_vocabulary, Some(None));
    let base = ["collections", c.name.as_str(), "required_for"];
    (c.decl.required_for.iter())
        .map(|(kind, fields)| {
            let path = [base[0], base[1], base[2], kind.as_str()];
            if c.roles.kind.is_none() {
                p.push(&base, "`required_for` needs a `kind` field".into());
            } else if kinds_known && !kinds.contains(&kind.as_str()) {
                p.unknown(&path, "kind", kind, &kinds);
            }
            let fields = names_to_fields(fields, &c.fields, &path, p, &|_| true, "");
            (kind.clone(), fields)
        })
        .collect()
}

/// The languages of the scaffolds, the labels in every language, the folder.
fn check_words(name: &str, c: &CollectionDecl, cx: &Context<'_>, p: &mut Problems) {
    let base = ["collections", name];
    for lang in c.scaffold.keys() {
        if !cx.languages.contains(&lang.as_str()) {
            let path = [base[0], base[1], "scaffold", lang];
            p.unknown(&path, "language", lang, cx.languages);
        }
    }
    check_labels(&c.label, &[base[0], base[1], "label"], cx, p);
    for (name, t) in &c.taxonomies {
        check_labels(&t.label, &[base[0], base[1], "taxonomies", name], cx, p);
    }
    check_folder(&c.folder, &[base[0], base[1], "folder"], cx, p);
}

/// A collection folder is one plain name (it is also the folder of the built entries) and
/// must not be a language's folder or one the generator writes.
fn check_folder(folder: &str, path: &[&str], cx: &Context<'_>, p: &mut Problems) {
    let reserved = (names::RESERVED_FOLDERS.iter())
        .chain(cx.languages)
        .find(|r| r.eq_ignore_ascii_case(folder));
    if let Some(why) = names::problem(folder, NameKind::Plain)
        .or_else(|| folder.contains('.').then(|| "contains a `.`".into()))
    {
        p.push(
            path,
            format!("`folder: {folder}` must be one plain folder name inside content/: it {why}"),
        );
    } else if let Some(reserved) = reserved {
        p.push(
            path,
            format!("`folder: {folder}` is taken: the built site writes `{reserved}/` for its own pages"),
        );
    }
}

/// Resolves the fields a citation mapping names, each of the type its key needs.
fn resolve_citation(
    c: &CitationDecl,
    fields: &Fields,
    path: &[&str],
    p: &mut Problems,
) -> Citation {
    let mut find = |name: &Option<String>, key: &str, ok: &dyn Fn(&Field) -> bool| {
        let name = name.as_deref()?;
        citation_field(fields, name, &[path, &[key]].concat(), p).filter(|&found| {
            let fits = ok(fields.at(found));
            if !fits {
                let at = [path, &[key]].concat();
                p.push(&at, format!("`{name}` has the wrong type for `{key}`"));
            }
            fits
        })
    };
    let text = |f: &Field| f.ty == FieldType::Text;
    let paths = CitationPaths {
        title: find(&c.title, "title", &text),
        name: find(&c.name, "name", &text),
        venue: find(&c.venue, "venue", &|f| {
            matches!(f.ty, FieldType::Text | FieldType::Term)
        }),
        volume: find(&c.volume, "volume", &text),
        number: find(&c.number, "number", &text),
        pages: find(&c.pages, "pages", &text),
        doi: find(&c.doi, "doi", &text),
        arxiv: find(&c.arxiv, "arxiv", &text),
        links: find(&c.links, "links", &|f| f.ty == FieldType::Links),
        organizations: find(&c.organizations, "organizations", &|f| {
            matches!(f.ty, FieldType::Terms | FieldType::TextList)
        }),
        authors: find(&c.authors, "authors", &|f| f.ty == FieldType::TextList),
        more_authors: find(&c.more_authors, "more_authors", &|f| {
            matches!(f.ty, FieldType::Bool | FieldType::Tristate)
        }),
        keywords: names_to_fields(
            &c.keywords,
            fields,
            &[path, &["keywords"]].concat(),
            p,
            &|f| matches!(f.ty, FieldType::Term | FieldType::Terms),
            "a term or terms field",
        ),
    };
    Citation {
        decl: c.clone(),
        paths,
    }
}

/// The field `name` (a group's sub-field as `group.sub`), or `None` after reporting it unknown
/// at `at`.
fn citation_field(fields: &Fields, name: &str, at: &[&str], p: &mut Problems) -> Option<FieldPath> {
    let (head, tail) = match name.split_once('.') {
        Some((h, t)) => (h, Some(t)),
        None => (name, None),
    };
    let Some(field) = fields.named(head) else {
        p.unknown(at, "field", head, &fields.names());
        return None;
    };
    let Some(tail) = tail else {
        return Some(FieldPath { field, sub: None });
    };
    let subs = &fields[field].subfields;
    match subs.iter().position(|s| s.name == tail) {
        Some(sub) => Some(FieldPath {
            field,
            sub: Some(sub),
        }),
        None => {
            let names: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
            p.unknown(at, "field", name, &names);
            None
        }
    }
}
