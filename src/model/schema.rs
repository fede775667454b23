//! The content model a site declares in `site.yaml`: its collections (folders of entries), their
//! fields with a type each, the fields of the other pages and their layouts, and what the
//! generated pages and files make of the fields (taxonomies, the comparison table, the lineage
//! graph, the feed, the exports, the print view). Nothing here names a field of any particular
//! site: every check, view and output reads these declarations.
//!
//! The structs are deserialised from YAML as written, then [`resolve`] checks them against each
//! other and fills in the indexes (`#[serde(skip)]` fields) the rest of the crate works with.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::base::diagnostic::did_you_mean;
use crate::model::names::{self, NameKind};

/// A text given once per language code.
pub(crate) type PerLanguage = BTreeMap<String, String>;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
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
    /// A number, shown with `unit`.
    Number,
    /// A whole number.
    Integer,
    /// A mapping of the text fields in `fields`.
    Group,
}

impl FieldType {
    /// True for the types whose value is a list.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            FieldType::TextList | FieldType::Terms | FieldType::Refs | FieldType::Links
        )
    }
}

/// Where on a page the words of a field count for search, from the strongest to the weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchWeight {
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

/// One declared field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The YAML key (filled in from the map key).
    #[serde(skip)]
    pub name: String,
    /// What it holds.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// For `term` and `terms`: the vocabulary of allowed keys. Default: free names.
    #[serde(default)]
    pub vocabulary: Option<String>,
    /// For `refs`: the collection the slugs name. Default: the field's own collection.
    #[serde(default)]
    pub collection: Option<String>,
    /// For `number`: the unit shown after the value, per language. Default: none.
    #[serde(default)]
    pub unit: Option<PerLanguage>,
    /// For `group`: its text fields. Required for groups.
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
    /// True when a page is rejected without it. Default: false.
    #[serde(default)]
    pub required: bool,
    /// How its words count in search. Default: not indexed.
    #[serde(default)]
    pub search: Option<SearchWeight>,
    /// Its name shown on pages, per language (table columns, templates' `labels`). Default: the key.
    #[serde(default)]
    pub label: Option<PerLanguage>,
    /// What it is for, in a contributor's words (the front-matter reference, `medfm new`).
    #[serde(default)]
    pub about: String,
    /// For `refs`: the name (and label) under which the named entries list this one.
    #[serde(default)]
    pub reverse: Option<Reverse>,
    /// Whether the field is written to the data exports. Default: true.
    #[serde(default = "yes")]
    pub export: bool,
    /// Resolved: the index of `collection` (refs).
    #[serde(skip)]
    pub target: usize,
    /// Resolved: the taxonomy built from this field, if any (index into the site's taxonomies).
    #[serde(skip)]
    pub taxonomy: Option<usize>,
}

fn yes() -> bool {
    true
}

/// The reverse side of a `refs` field: what the named entries call the entries naming them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reverse {
    /// Template name, e.g. `built_upon_by`.
    pub name: String,
    /// Label per language. Default: the name.
    #[serde(default)]
    pub label: Option<PerLanguage>,
}

/// What a translation file (`<slug>.<lang>.md`) may hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// Text fields, in the order the reference, scaffolds and exports list them.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Those a translation must give. Default: none.
    #[serde(default)]
    pub required: Vec<String>,
}

/// A field made browsable term by term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyDecl {
    /// The `term` or `terms` field.
    pub field: String,
    /// Its name per language.
    pub label: PerLanguage,
}

/// How related entries are found.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    /// `term`/`terms` fields (entries sharing a term) and `refs` fields (an entry with those it
    /// names).
    pub fields: Vec<String>,
    /// How many an entry page shows. Default: 4.
    #[serde(default = "four")]
    pub count: usize,
    /// Terms carried by more entries than this are too broad to count. Default: 300.
    #[serde(default = "three_hundred")]
    pub broadest: usize,
}

fn four() -> usize {
    4
}

fn three_hundred() -> usize {
    300
}

/// A field, or a field of a group (`paper.title`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPath {
    /// Index of the field in its schema.
    pub field: usize,
    /// Index of the sub-field when the field is a group.
    pub sub: Option<usize>,
}

/// How entries cite their original publication: which fields hold what (BibTeX, JSON-LD).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationDecl {
    /// The publication's title. An entry has a publication when it has a title, DOI, arXiv id
    /// or venue.
    #[serde(default)]
    pub title: Option<String>,
    /// The work's expanded name: the title's first fallback, and a dataset's alternate name.
    #[serde(default)]
    pub name: Option<String>,
    /// The venue (a journal, conference or preprint server).
    #[serde(default)]
    pub venue: Option<String>,
    /// Volume.
    #[serde(default)]
    pub volume: Option<String>,
    /// Issue number.
    #[serde(default)]
    pub number: Option<String>,
    /// Pages or article number.
    #[serde(default)]
    pub pages: Option<String>,
    /// DOI without `https://doi.org/`.
    #[serde(default)]
    pub doi: Option<String>,
    /// arXiv identifier.
    #[serde(default)]
    pub arxiv: Option<String>,
    /// External links (the first is the publication's address when it has no DOI or arXiv id).
    #[serde(default)]
    pub links: Option<String>,
    /// The organisations behind it.
    #[serde(default)]
    pub organizations: Option<String>,
    /// Term fields whose labels are its keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Kinds described as datasets (schema.org `Dataset`) rather than articles.
    #[serde(default)]
    pub dataset_kinds: Vec<String>,
    /// Conferences recognised in the venue (case-insensitive short name → full name): cited as
    /// `@inproceedings`. Any other venue is a journal.
    #[serde(default)]
    pub conferences: IndexMap<String, String>,
    /// Preprint servers: a venue cited as `@misc`.
    #[serde(default)]
    pub preprint_servers: Vec<String>,
    /// Resolved paths of the fields above.
    #[serde(skip)]
    pub paths: CitationPaths,
}

/// The resolved fields of a [`CitationDecl`].
#[derive(Debug, Clone, Default)]
pub struct CitationPaths {
    /// Publication title.
    pub title: Option<FieldPath>,
    /// Expanded name.
    pub name: Option<FieldPath>,
    /// Venue.
    pub venue: Option<FieldPath>,
    /// Volume.
    pub volume: Option<FieldPath>,
    /// Issue number.
    pub number: Option<FieldPath>,
    /// Pages.
    pub pages: Option<FieldPath>,
    /// DOI.
    pub doi: Option<FieldPath>,
    /// arXiv id.
    pub arxiv: Option<FieldPath>,
    /// Links.
    pub links: Option<FieldPath>,
    /// Organisations.
    pub organizations: Option<FieldPath>,
    /// Keyword fields.
    pub keywords: Vec<usize>,
}

/// A table of declared fields with what the crate needs to find quickly.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// The fields, in declaration order.
    pub fields: Vec<Field>,
    /// Translatable fields (indexes into `fields`), in translation order.
    pub translation: Vec<usize>,
    /// For each translatable field, whether a translation must give it.
    pub translation_required: Vec<bool>,
    /// For each field, its position in `translation`.
    pub translated_at: Vec<Option<usize>>,
    /// The `title` field.
    pub title: usize,
    /// The `summary` field, if declared.
    pub summary: Option<usize>,
}

impl Schema {
    /// The index of the field named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field at `path` (a group's sub-field when the path has one).
    pub fn at(&self, path: FieldPath) -> &Field {
        let field = &self.fields[path.field];
        match path.sub {
            Some(sub) => &field.fields[sub],
            None => field,
        }
    }
}

/// A collection: a folder of `content/` with one entry per file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// Its name in `site.yaml` (filled in from the map key).
    #[serde(skip)]
    pub name: String,
    /// The folder inside `content/`; entries are written to `<folder>/<slug>.html`.
    pub folder: String,
    /// Its name per language (the list of all entries, `<folder>/index.html`).
    pub label: PerLanguage,
    /// Template of an entry page. Default: `entry.html`.
    #[serde(default = "entry_template")]
    pub template: String,
    /// The field saying what kind of entry a page is (`medfm new <kind> <slug>`). Default: none.
    #[serde(default)]
    pub kind: Option<String>,
    /// The field grouping entries: list sections, previous/next links, the print view.
    #[serde(default)]
    pub group: Option<String>,
    /// The date field: feeds, timelines, the newest entries. Default: none.
    #[serde(default)]
    pub date: Option<String>,
    /// Display order: terms by vocabulary order, dates (unknown last), texts; then the slug.
    #[serde(default)]
    pub order: Vec<String>,
    /// The fields of an entry.
    pub fields: IndexMap<String, Field>,
    /// Fields that entries of some kinds must fill (not empty): kind → fields.
    #[serde(default)]
    pub required_for: IndexMap<String, Vec<String>>,
    /// What a translation may hold.
    #[serde(default)]
    pub translation: Translation,
    /// The fields of an entry's card (lists, related entries, term pages, the table).
    #[serde(default)]
    pub card: Vec<String>,
    /// Taxonomies: name → the field whose terms get pages.
    #[serde(default)]
    pub taxonomies: IndexMap<String, TaxonomyDecl>,
    /// Related entries, shown on each entry page. Default: none.
    #[serde(default)]
    pub related: Option<Related>,
    /// How entries cite their publication. Default: no citations.
    #[serde(default)]
    pub citation: Option<CitationDecl>,
    /// The body `medfm new` writes, per language. Default: empty.
    #[serde(default)]
    pub scaffold: BTreeMap<String, String>,
    /// Resolved fields and translations.
    #[serde(skip)]
    pub schema: Schema,
    /// Resolved roles.
    #[serde(skip)]
    pub roles: Roles,
    /// Resolved display order (field indexes).
    #[serde(skip)]
    pub order_fields: Vec<usize>,
    /// Resolved card fields.
    #[serde(skip)]
    pub card_fields: Vec<usize>,
    /// Resolved `required_for`: kind → field indexes.
    #[serde(skip)]
    pub required_fields: Vec<(String, Vec<usize>)>,
    /// Resolved related fields.
    #[serde(skip)]
    pub related_fields: Vec<usize>,
}

fn entry_template() -> String {
    "entry.html".into()
}

/// The fields with a role in a collection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Roles {
    /// The kind field.
    pub kind: Option<usize>,
    /// The group field.
    pub group: Option<usize>,
    /// The date field.
    pub date: Option<usize>,
}

/// The pages outside the collections.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pages {
    /// Their fields (besides the built-in `layout` and `weight`).
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
    /// What their translations may hold.
    #[serde(default)]
    pub translation: Translation,
    /// Layouts: name → template and what the page lists.
    #[serde(default)]
    pub layouts: IndexMap<String, LayoutDecl>,
    /// Resolved fields, `layout` and `weight` appended.
    #[serde(skip)]
    pub schema: Schema,
    /// Index of the built-in `layout` field.
    #[serde(skip)]
    pub layout_field: usize,
    /// Index of the built-in `weight` field.
    #[serde(skip)]
    pub weight_field: usize,
}

/// A layout of pages outside the collections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutDecl {
    /// Its template.
    pub template: String,
    /// How many of the newest entries the page shows (of the first collection with a date).
    #[serde(default)]
    pub newest: Option<usize>,
    /// The entries the page lists: those whose `field` equals the page's own `field`.
    #[serde(default)]
    pub lists: Option<Lists>,
    /// For pages that list entries: the term field grouping them.
    #[serde(default)]
    pub group_by: Option<String>,
    /// For pages that list entries: a timeline, with earlier entries reached through a refs
    /// field.
    #[serde(default)]
    pub timeline: Option<TimelineDecl>,
    /// The UI string naming such pages in search results. Default: `search_kind_page`.
    #[serde(default)]
    pub search_label: Option<String>,
    /// Resolved: collection, field of the page, field of the entries, group field, ancestors.
    #[serde(skip)]
    pub resolved: ResolvedLayout,
}

/// What a layout lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    /// The collection.
    pub collection: String,
    /// The term field, in the pages' fields and the collection's.
    pub field: String,
}

/// The timeline of a listing page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineDecl {
    /// A refs field: the earlier entries it reaches whose term has no page of this layout are
    /// shown too.
    #[serde(default)]
    pub ancestors: Option<String>,
}

/// The indexes a layout works with.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolvedLayout {
    /// The listed collection.
    pub collection: Option<usize>,
    /// The page's term field.
    pub page_field: Option<usize>,
    /// The entries' term field.
    pub entry_field: Option<usize>,
    /// The entries' grouping field.
    pub group_by: Option<usize>,
    /// Whether the page has a timeline.
    pub timeline: bool,
    /// The ancestors' refs field.
    pub ancestors: Option<usize>,
    /// The collection of `newest`.
    pub newest_collection: Option<usize>,
}

/// A column of the comparison table: a field, a taxonomy, or `name` (the linked title).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ColumnDecl {
    /// Just the key.
    Key(String),
    /// The key and a CSS class for its cells.
    Styled {
        /// Field or taxonomy name, or `name`.
        key: String,
        /// Class of the column's cells.
        class: String,
    },
}

impl ColumnDecl {
    /// The column's key.
    pub fn key(&self) -> &str {
        match self {
            ColumnDecl::Key(k) | ColumnDecl::Styled { key: k, .. } => k,
        }
    }

    /// The class of its cells, if any.
    pub fn class(&self) -> Option<&str> {
        match self {
            ColumnDecl::Key(_) => None,
            ColumnDecl::Styled { class, .. } => Some(class),
        }
    }
}

/// The comparison table (`table.html`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    /// The collection compared. Default: the first.
    #[serde(default)]
    pub collection: Option<String>,
    /// Columns in order.
    pub columns: Vec<ColumnDecl>,
    /// Filters in order: taxonomy names and tristate fields.
    #[serde(default)]
    pub filters: Vec<String>,
    /// Text fields the text filter matches besides the visible cells.
    #[serde(default)]
    pub search: Vec<String>,
    /// Resolved collection index.
    #[serde(skip)]
    pub at: usize,
}

/// How an arrow of the lineage graph is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeStyle {
    /// A solid line.
    Solid,
    /// A dashed line.
    Dashed,
}

/// The lineage graph (`lineage.html` and a small graph on every entry page).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineageDecl {
    /// The collection drawn. Default: the first.
    #[serde(default)]
    pub collection: Option<String>,
    /// The refs fields drawn as arrows, with their style.
    pub edges: IndexMap<String, EdgeStyle>,
    /// Kinds drawn as rounded boxes.
    #[serde(default)]
    pub pill: Vec<String>,
    /// A card field shown after the title in a node's tooltip (e.g. an expanded name).
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Resolved collection index.
    #[serde(skip)]
    pub at: usize,
    /// Resolved edge fields.
    #[serde(skip)]
    pub edge_fields: Vec<(usize, EdgeStyle)>,
}

/// The Atom feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedDecl {
    /// The collection listed (its dated entries). Default: the first.
    #[serde(default)]
    pub collection: Option<String>,
    /// Term fields written as categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Resolved collection index.
    #[serde(skip)]
    pub at: usize,
    /// Resolved category fields.
    #[serde(skip)]
    pub category_fields: Vec<usize>,
}

/// The data exports (`<name>.json`, `<name>.csv`, `references.bib`) and the data page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportsDecl {
    /// The collection exported. Default: the first.
    #[serde(default)]
    pub collection: Option<String>,
    /// File name without extension. Default: the collection's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Key of the list of records in the JSON export. Default: `entries`.
    #[serde(default)]
    pub records: Option<String>,
    /// CSV columns: fields (a group expands to one column per sub-field), `slug`, `url`,
    /// `bibtex_key`. Default: `slug`, `url`, every exported field, `bibtex_key`.
    #[serde(default)]
    pub csv: Vec<String>,
    /// Resolved collection index.
    #[serde(skip)]
    pub at: usize,
}

/// The print view (`print.html`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintDecl {
    /// The collection printed after the pages, by group. Default: the first.
    #[serde(default)]
    pub collection: Option<String>,
    /// The layout of the pages printed first, in navigation order.
    #[serde(default)]
    pub layout: Option<String>,
    /// Resolved collection index.
    #[serde(skip)]
    pub at: usize,
}

/// Every declaration of the content model, as read from `site.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Collections, in declaration order.
    pub collections: Vec<Collection>,
    /// Pages outside the collections.
    pub pages: Pages,
    /// The comparison table.
    pub table: Option<TableDecl>,
    /// The lineage graph.
    pub lineage: Option<LineageDecl>,
    /// The feeds.
    pub feed: Option<FeedDecl>,
    /// The exports.
    pub exports: Option<ExportsDecl>,
    /// The print view.
    pub print: Option<PrintDecl>,
    /// Every taxonomy: (collection index, taxonomy name), in declaration order.
    pub taxonomies: Vec<(usize, String)>,
}

impl Model {
    /// The collection whose folder is `folder`.
    pub fn collection_of_folder(&self, folder: &str) -> Option<usize> {
        self.collections.iter().position(|c| c.folder == folder)
    }

    /// The collection named `name`.
    pub fn collection(&self, name: &str) -> Option<usize> {
        self.collections.iter().position(|c| c.name == name)
    }

    /// The declaration of taxonomy `t` (an index into [`Model::taxonomies`]).
    pub fn taxonomy(&self, t: usize) -> (&Collection, &str, &TaxonomyDecl) {
        let (c, name) = &self.taxonomies[t];
        let collection = &self.collections[*c];
        (collection, name, &collection.taxonomies[name.as_str()])
    }

    /// The index of taxonomy `name`.
    pub fn taxonomy_index(&self, name: &str) -> Option<usize> {
        self.taxonomies.iter().position(|(_, n)| n == name)
    }
}

/// A problem in the declarations: the YAML path it concerns and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelProblem {
    /// Keys from the top of `site.yaml` to the offending one.
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Collects problems while resolving.
struct Problems(Vec<ModelProblem>);

impl Problems {
    fn push(&mut self, path: &[&str], message: String) {
        self.0.push(ModelProblem {
            path: path.iter().map(|s| s.to_string()).collect(),
            message,
            hint: None,
        });
    }

    fn unknown(&mut self, path: &[&str], what: &str, name: &str, known: &[&str]) {
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? known: {}", known.join(", ")),
            None if known.is_empty() => format!("no {what} is declared"),
            None => format!("known: {}", known.join(", ")),
        };
        self.0.push(ModelProblem {
            path: path.iter().map(|s| s.to_string()).collect(),
            message: format!("unknown {what} `{name}`"),
            hint: Some(hint),
        });
    }
}

/// What a declaration may refer to outside the model: the vocabularies and the languages.
pub(crate) struct Context<'a> {
    /// Vocabulary names → their term keys.
    pub vocabularies: &'a IndexMap<String, IndexMap<String, PerLanguage>>,
    /// Language codes, default first.
    pub languages: &'a [&'a str],
}

/// Checks the declarations against each other and fills in every index. Every problem found
/// is returned, located by its YAML path.
pub(crate) fn resolve(model: &mut Model, cx: &Context<'_>) -> Vec<ModelProblem> {
    let mut p = Problems(Vec::new());
    if model.collections.is_empty() {
        p.push(
            &["collections"],
            "declare at least one collection".to_string(),
        );
    }
    let names: Vec<String> = model.collections.iter().map(|c| c.name.clone()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for c in &mut model.collections {
        resolve_collection(c, &name_refs, cx, &mut p);
    }
    resolve_taxonomies(model, &mut p);
    resolve_pages(model, cx, &mut p);
    resolve_features(model, &mut p);
    p.0
}

fn resolve_collection(
    c: &mut Collection,
    collections: &[&str],
    cx: &Context<'_>,
    p: &mut Problems,
) {
    let base = ["collections", c.name.as_str()];
    let own = collections.iter().position(|n| *n == c.name).unwrap_or(0);
    c.schema = resolve_schema(&c.fields, &c.translation, &base, collections, own, cx, p);
    let schema = &c.schema;
    let role = |name: &Option<String>, key: &str, p: &mut Problems, ok: &dyn Fn(&Field) -> bool| {
        let name = name.as_deref()?;
        match schema.index(name) {
            Some(i) if ok(&schema.fields[i]) => Some(i),
            Some(_) => {
                p.push(
                    &[base[0], base[1], key],
                    format!("`{key}: {name}` needs a different type of field"),
                );
                None
            }
            None => {
                p.unknown(
                    &[base[0], base[1], key],
                    "field",
                    name,
                    &field_names(schema),
                );
                None
            }
        }
    };
    let vocab_term = |f: &Field| f.ty == FieldType::Term && f.vocabulary.is_some();
    c.roles = Roles {
        kind: role(&c.kind, "kind", p, &|f| vocab_term(f) && f.required),
        group: role(&c.group, "group", p, &vocab_term),
        date: role(&c.date, "date", p, &|f| f.ty == FieldType::Date),
    };
    let sortable = |f: &Field| vocab_term(f) || matches!(f.ty, FieldType::Date | FieldType::Text);
    c.order_fields = names_to_fields(
        &c.order,
        schema,
        &[base[0], base[1], "order"],
        p,
        &sortable,
        "a term, date or text field",
    );
    c.card_fields = names_to_fields(
        &c.card,
        schema,
        &[base[0], base[1], "card"],
        p,
        &|_| true,
        "",
    );
    c.related_fields = match &c.related {
        Some(r) => names_to_fields(
            &r.fields,
            schema,
            &[base[0], base[1], "related"],
            p,
            &|f| matches!(f.ty, FieldType::Term | FieldType::Terms | FieldType::Refs),
            "a term, terms or refs field",
        ),
        None => Vec::new(),
    };
    let kind_vocabulary = c
        .roles
        .kind
        .and_then(|k| schema.fields[k].vocabulary.as_deref())
        .map(|v| cx.vocabularies.get(v));
    let kinds: Vec<&str> = kind_vocabulary
        .flatten()
        .map(|v| v.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // A kind field naming an unknown vocabulary is reported once, where it is declared.
    let kinds_known = !matches!(kind_vocabulary, Some(None));
    c.required_fields = c
        .required_for
        .iter()
        .map(|(kind, fields)| {
            if c.roles.kind.is_none() {
                p.push(
                    &[base[0], base[1], "required_for"],
                    "`required_for` needs a `kind` field".into(),
                );
            } else if kinds_known && !kinds.contains(&kind.as_str()) {
                p.unknown(
                    &[base[0], base[1], "required_for", kind],
                    "kind",
                    kind,
                    &kinds,
                );
            }
            let path = [base[0], base[1], "required_for", kind.as_str()];
            (
                kind.clone(),
                names_to_fields(fields, schema, &path, p, &|_| true, ""),
            )
        })
        .collect();
    if let Some(citation) = &mut c.citation {
        resolve_citation(citation, schema, &[base[0], base[1], "citation"], p);
    }
    for lang in c.scaffold.keys() {
        if !cx.languages.contains(&lang.as_str()) {
            p.unknown(
                &[base[0], base[1], "scaffold", lang],
                "language",
                lang,
                cx.languages,
            );
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

/// Field names of `schema`, for suggestions.
fn field_names(schema: &Schema) -> Vec<&str> {
    schema.fields.iter().map(|f| f.name.as_str()).collect()
}

fn names_to_fields(
    names: &[String],
    schema: &Schema,
    path: &[&str],
    p: &mut Problems,
    ok: &dyn Fn(&Field) -> bool,
    wanted: &str,
) -> Vec<usize> {
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
fn resolve_schema(
    fields: &IndexMap<String, Field>,
    translation: &Translation,
    base: &[&str],
    collections: &[&str],
    own: usize,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Schema {
    let mut list: Vec<Field> = Vec::new();
    for (name, field) in fields {
        let mut field = field.clone();
        field.name = name.clone();
        let path = [base, &["fields", name.as_str()]].concat();
        resolve_field(&mut field, &path, collections, own, cx, p);
        list.push(field);
    }
    let mut schema = Schema {
        translated_at: vec![None; list.len()],
        fields: list,
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

fn resolve_field(
    field: &mut Field,
    path: &[&str],
    collections: &[&str],
    own: usize,
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
            Some(i) if ty == FieldType::Refs => field.target = i,
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

fn check_labels(labels: &PerLanguage, path: &[&str], cx: &Context<'_>, p: &mut Problems) {
    for lang in cx.languages {
        if !labels.contains_key(*lang) {
            p.push(path, format!("no `{lang}` text"));
        }
    }
}

fn resolve_citation(c: &mut CitationDecl, schema: &Schema, path: &[&str], p: &mut Problems) {
    let mut find =
        |name: &Option<String>, key: &str, ok: &dyn Fn(&Field) -> bool| -> Option<FieldPath> {
            let name = name.as_deref()?;
            let at = [path, &[key]].concat();
            let (head, tail) = match name.split_once('.') {
                Some((h, t)) => (h, Some(t)),
                None => (name, None),
            };
            let Some(field) = schema.index(head) else {
                p.unknown(&at, "field", head, &field_names(schema));
                return None;
            };
            let sub = match tail {
                None => None,
                Some(t) => match schema.fields[field].fields.get_index_of(t) {
                    Some(s) => Some(s),
                    None => {
                        let subs: Vec<&str> = schema.fields[field]
                            .fields
                            .keys()
                            .map(String::as_str)
                            .collect();
                        p.unknown(&at, "field", name, &subs);
                        return None;
                    }
                },
            };
            let found = FieldPath { field, sub };
            if ok(schema.at(found)) {
                Some(found)
            } else {
                p.push(&at, format!("`{name}` has the wrong type for `{key}`"));
                None
            }
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
        keywords: names_to_fields(
            &c.keywords,
            schema,
            &[path, &["keywords"]].concat(),
            p,
            &|f| matches!(f.ty, FieldType::Term | FieldType::Terms),
            "a term or terms field",
        ),
    };
    c.paths = paths;
}

fn resolve_taxonomies(model: &mut Model, p: &mut Problems) {
    let mut names: Vec<(usize, String)> = Vec::new();
    for (ci, c) in model.collections.iter_mut().enumerate() {
        for (name, decl) in &c.taxonomies {
            let path = ["collections", c.name.as_str(), "taxonomies", name.as_str()];
            if names.iter().any(|(_, n)| n == name) {
                p.push(&path, format!("taxonomy `{name}` is declared twice"));
                continue;
            }
            if !crate::base::slug::is_valid_file_slug(name) {
                p.push(
                    &path,
                    format!("taxonomy name `{name}` must be lower-case letters, digits and dashes"),
                );
            }
            match c.schema.index(&decl.field) {
                Some(i) if matches!(c.schema.fields[i].ty, FieldType::Term | FieldType::Terms) => {
                    c.schema.fields[i].taxonomy = Some(names.len());
                    names.push((ci, name.clone()));
                }
                Some(_) => p.push(
                    &path,
                    format!("`{}` is not a term or terms field", decl.field),
                ),
                None => p.unknown(&path, "field", &decl.field, &field_names(&c.schema)),
            }
        }
    }
    model.taxonomies = names;
}

fn resolve_pages(model: &mut Model, cx: &Context<'_>, p: &mut Problems) {
    let collections: Vec<String> = model.collections.iter().map(|c| c.name.clone()).collect();
    let collections: Vec<&str> = collections.iter().map(String::as_str).collect();
    let pages = &mut model.pages;
    let mut fields = pages.fields.clone();
    if fields.is_empty() {
        // Without declarations, a page has a title.
        let mut title = builtin_field("title", FieldType::Text, "Page title.");
        (title.required, title.search, title.export) = (true, Some(SearchWeight::Title), true);
        fields.insert("title".into(), title);
    }
    if pages.layouts.is_empty() {
        for (name, template) in [("home", "home.html"), ("page", "page.html")] {
            pages.layouts.insert(
                name.into(),
                LayoutDecl {
                    template: template.into(),
                    newest: None,
                    lists: None,
                    group_by: None,
                    timeline: None,
                    search_label: None,
                    resolved: ResolvedLayout::default(),
                },
            );
        }
    }
    for builtin in ["layout", "weight"] {
        if fields.contains_key(builtin) {
            p.push(
                &["pages", "fields", builtin],
                format!("`{builtin}` is built in: every page has it"),
            );
        }
    }
    fields.insert("layout".into(), builtin_field("layout", FieldType::Text, "Which layout renders the page: one of `pages.layouts` in site.yaml. Default: `home` for `content/_index.md`, else `page`."));
    fields.insert(
        "weight".into(),
        builtin_field(
            "weight",
            FieldType::Integer,
            "Order in the main navigation; pages without it are not listed there.",
        ),
    );
    pages.schema = resolve_schema(
        &fields,
        &pages.translation,
        &["pages"],
        &collections,
        0,
        cx,
        p,
    );
    pages.layout_field = pages.schema.index("layout").unwrap_or_default();
    pages.weight_field = pages.schema.index("weight").unwrap_or_default();
    for (name, layout) in &mut pages.layouts {
        let path = ["pages", "layouts", name.as_str()];
        let mut r = ResolvedLayout::default();
        if let Some(lists) = &layout.lists {
            match model
                .collections
                .iter()
                .position(|c| c.name == lists.collection)
            {
                Some(ci) => {
                    let c = &model.collections[ci];
                    r.collection = Some(ci);
                    r.page_field = pages.schema.index(&lists.field);
                    r.entry_field = c.schema.index(&lists.field);
                    let vocab = |s: &Schema, i: Option<usize>| {
                        i.and_then(|i| s.fields[i].vocabulary.clone())
                    };
                    if r.page_field.is_none() || r.entry_field.is_none() {
                        p.push(
                            &[&path[..], &["lists"]].concat(),
                            format!(
                                "`{}` must be a field of the pages and of collection `{}`",
                                lists.field, lists.collection
                            ),
                        );
                    } else if vocab(&pages.schema, r.page_field).is_none()
                        || vocab(&pages.schema, r.page_field) != vocab(&c.schema, r.entry_field)
                    {
                        p.push(&[&path[..], &["lists"]].concat(), format!("`{}` must be a term of the same vocabulary in the pages and in `{}`", lists.field, lists.collection));
                    }
                    if let Some(g) = &layout.group_by {
                        r.group_by = c.schema.index(g).filter(|&i| {
                            c.schema.fields[i].vocabulary.is_some()
                                && c.schema.fields[i].ty == FieldType::Term
                        });
                        if r.group_by.is_none() {
                            p.push(
                                &[&path[..], &["group_by"]].concat(),
                                format!(
                                    "`{g}` is not a term field of `{}` with a vocabulary",
                                    lists.collection
                                ),
                            );
                        }
                    }
                    r.timeline = layout.timeline.is_some();
                    if let Some(a) = layout.timeline.as_ref().and_then(|t| t.ancestors.as_ref()) {
                        r.ancestors = c
                            .schema
                            .index(a)
                            .filter(|&i| c.schema.fields[i].ty == FieldType::Refs);
                        if r.ancestors.is_none() {
                            p.push(
                                &[&path[..], &["timeline"]].concat(),
                                format!("`{a}` is not a refs field of `{}`", lists.collection),
                            );
                        }
                    }
                }
                None => p.unknown(
                    &[&path[..], &["lists"]].concat(),
                    "collection",
                    &lists.collection,
                    &collections,
                ),
            }
        } else if layout.group_by.is_some() || layout.timeline.is_some() {
            p.push(&path, "`group_by` and `timeline` need `lists`".into());
        }
        if layout.newest.is_some() {
            r.newest_collection = model
                .collections
                .iter()
                .position(|c| c.roles.date.is_some());
            if r.newest_collection.is_none() {
                p.push(
                    &[&path[..], &["newest"]].concat(),
                    "`newest` needs a collection with a `date` field".into(),
                );
            }
        }
        layout.resolved = r;
    }
}

fn builtin_field(name: &str, ty: FieldType, about: &str) -> Field {
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
        target: 0,
        taxonomy: None,
    }
}

/// The collection a feature names, or the first.
fn feature_collection(
    model: &Model,
    name: &Option<String>,
    path: &[&str],
    p: &mut Problems,
) -> usize {
    match name {
        None => 0,
        Some(n) => model.collection(n).unwrap_or_else(|| {
            let known: Vec<&str> = model.collections.iter().map(|c| c.name.as_str()).collect();
            p.unknown(&[path, &["collection"]].concat(), "collection", n, &known);
            0
        }),
    }
}

fn resolve_features(model: &mut Model, p: &mut Problems) {
    if model.collections.is_empty() {
        return;
    }
    let mut table = model.table.take();
    if let Some(t) = &mut table {
        t.at = feature_collection(model, &t.collection, &["table"], p);
        let c = &model.collections[t.at];
        for col in &t.columns {
            let key = col.key();
            let known =
                key == "name" || c.taxonomies.contains_key(key) || c.schema.index(key).is_some();
            if !known {
                let mut names = field_names(&c.schema);
                names.extend(c.taxonomies.keys().map(String::as_str));
                p.unknown(&["table", "columns"], "column", key, &names);
            }
        }
        for f in &t.filters {
            let ok = c.taxonomies.contains_key(f)
                || c.schema
                    .field(f)
                    .is_some_and(|f| f.ty == FieldType::Tristate);
            if !ok {
                p.push(
                    &["table", "filters"],
                    format!(
                        "`{f}` is neither a taxonomy nor a tristate field of `{}`",
                        c.name
                    ),
                );
            }
        }
        names_to_fields(
            &t.search,
            &c.schema,
            &["table", "search"],
            p,
            &|f| {
                matches!(
                    f.ty,
                    FieldType::Text | FieldType::TextList | FieldType::Term | FieldType::Terms
                )
            },
            "a text or term field",
        );
    }
    model.table = table;
    let mut lineage = model.lineage.take();
    if let Some(l) = &mut lineage {
        l.at = feature_collection(model, &l.collection, &["lineage"], p);
        let c = &model.collections[l.at];
        l.edge_fields = l
            .edges
            .iter()
            .filter_map(|(name, style)| match c.schema.index(name) {
                Some(i) if c.schema.fields[i].ty == FieldType::Refs => Some((i, *style)),
                Some(_) => {
                    p.push(
                        &["lineage", "edges"],
                        format!("`{name}` is not a refs field"),
                    );
                    None
                }
                None => {
                    p.unknown(
                        &["lineage", "edges"],
                        "field",
                        name,
                        &field_names(&c.schema),
                    );
                    None
                }
            })
            .collect();
        if let Some(sub) = &l.subtitle {
            if !c.card.contains(sub) {
                p.push(
                    &["lineage", "subtitle"],
                    format!("`{sub}` is not one of the card fields of `{}`", c.name),
                );
            }
        }
        if !l.pill.is_empty() && c.roles.kind.is_none() {
            p.push(
                &["lineage", "pill"],
                format!("`pill` needs a `kind` field in `{}`", c.name),
            );
        }
    }
    model.lineage = lineage;
    let mut feed = model.feed.take();
    if let Some(f) = &mut feed {
        f.at = feature_collection(model, &f.collection, &["feed"], p);
        let c = &model.collections[f.at];
        if c.roles.date.is_none() {
            p.push(
                &["feed"],
                format!("a feed needs a `date` field in `{}`", c.name),
            );
        }
        f.category_fields = names_to_fields(
            &f.categories,
            &c.schema,
            &["feed", "categories"],
            p,
            &|f| f.ty == FieldType::Term,
            "a term field",
        );
    }
    model.feed = feed;
    let mut exports = model.exports.take();
    if let Some(e) = &mut exports {
        e.at = feature_collection(model, &e.collection, &["exports"], p);
        let c = &model.collections[e.at];
        if let Some(why) = (e.name.as_deref()).and_then(|n| names::problem(n, NameKind::Plain)) {
            p.push(
                &["exports", "name"],
                format!("the export name becomes the file names `<name>.json` and `<name>.csv`: it {why}"),
            );
        }
        for col in &e.csv {
            let known = matches!(col.as_str(), "slug" | "url" | "bibtex_key")
                || c.schema.index(col).is_some();
            if !known {
                let mut names = field_names(&c.schema);
                names.extend(["slug", "url", "bibtex_key"]);
                p.unknown(&["exports", "csv"], "column", col, &names);
            }
        }
    }
    model.exports = exports;
    let mut print = model.print.take();
    if let Some(pr) = &mut print {
        pr.at = feature_collection(model, &pr.collection, &["print"], p);
        if let Some(layout) = &pr.layout {
            if !model.pages.layouts.contains_key(layout) {
                let known: Vec<&str> = model.pages.layouts.keys().map(String::as_str).collect();
                p.unknown(&["print", "layout"], "layout", layout, &known);
            }
        }
    }
    model.print = print;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabularies() -> IndexMap<String, IndexMap<String, PerLanguage>> {
        let yaml = "kind: {model: {en: Model}, dataset: {en: Dataset}}\ntopic: {law: {en: Law}}\n";
        serde_yaml::from_str(yaml).unwrap()
    }

    fn collection(yaml: &str) -> Collection {
        let mut c: Collection = serde_yaml::from_str(yaml).unwrap();
        c.name = "works".into();
        c
    }

    /// Each problem as `path: message`.
    fn messages(problems: &[ModelProblem]) -> Vec<String> {
        (problems.iter())
            .map(|p| format!("{}: {}", p.path.join("."), p.message))
            .collect()
    }

    fn resolved(yaml: &str) -> (Model, Vec<ModelProblem>) {
        let vocabularies = vocabularies();
        let mut model = Model {
            collections: vec![collection(yaml)],
            ..Model::default()
        };
        let problems = resolve(
            &mut model,
            &Context {
                vocabularies: &vocabularies,
                languages: &["en"],
            },
        );
        (model, problems)
    }

    const GOOD: &str = "folder: works\nlabel: {en: Works}\nkind: kind\norder: [kind, title]\nfields:\n  title: {type: text, required: true}\n  kind: {type: term, vocabulary: kind, required: true}\n  topics: {type: terms, vocabulary: topic}\n  builds_on: {type: refs, reverse: {name: built_upon_by}}\n  paper: {type: group, fields: {doi: {type: text}}}\ntranslation: {fields: [title]}\ntaxonomies:\n  topic: {field: topics, label: {en: Topic}}\ncitation: {doi: paper.doi}\nrequired_for: {dataset: [topics]}\n";

    #[test]
    fn a_consistent_model_resolves_with_its_indexes() {
        let (model, problems) = resolved(GOOD);
        assert_eq!(problems, Vec::new());
        let c = &model.collections[0];
        assert_eq!(c.roles.kind, Some(1));
        assert_eq!(c.order_fields, vec![1, 0]);
        assert_eq!(c.schema.translation, vec![0]);
        assert_eq!(c.schema.fields[2].taxonomy, Some(0));
        assert_eq!(
            c.citation.as_ref().unwrap().paths.doi,
            Some(FieldPath {
                field: 4,
                sub: Some(0)
            })
        );
        assert_eq!(c.required_fields, vec![("dataset".to_string(), vec![2])]);
        assert_eq!(model.taxonomies, vec![(0, "topic".to_string())]);
    }

    #[test]
    fn mistakes_are_located_with_suggestions() {
        let bad = GOOD
            .replace("vocabulary: topic}", "vocabulary: topics}")
            .replace("order: [kind, title]", "order: [kind, titel]")
            .replace("{dataset: [topics]}", "{datset: [topics]}");
        let (_, problems) = resolved(&bad);
        let messages = messages(&problems);
        assert_eq!(
            messages,
            [
                "collections.works.fields.topics: unknown vocabulary `topics`",
                "collections.works.order: unknown field `titel`",
                "collections.works.required_for.datset: unknown kind `datset`",
            ]
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `topic`? known: kind, topic")
        );
    }

    #[test]
    fn an_unknown_kind_vocabulary_is_reported_once() {
        let bad = GOOD.replace("vocabulary: kind,", "vocabulary: kinds,");
        let (_, problems) = resolved(&bad);
        let messages = messages(&problems);
        assert_eq!(
            messages,
            ["collections.works.fields.kind: unknown vocabulary `kinds`"],
            "no cascade into required_for"
        );
    }

    #[test]
    fn every_page_needs_a_title() {
        let (_, problems) =
            resolved("folder: works\nlabel: {en: Works}\nfields:\n  name: {type: text}\n");
        assert_eq!(
            problems[0].message,
            "every page needs a `title` field of type `text`"
        );
    }
}
