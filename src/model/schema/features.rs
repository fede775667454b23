//! The site-wide features a model may declare — the comparison table, the lineage graph, the
//! feed, the exports, the print view — and their resolution against a collection.

use std::ops::Deref;

use indexmap::IndexMap;

use super::collection::CollectionOutline;
use super::field::{names_to_fields, FieldType};
use super::pages::LayoutDecl;
use super::problems::Problems;
use crate::model::id::{CollectionId, FieldId, IdVec, TaxonomyId};
use crate::model::names::{self, NameKind};
use serde::Deserialize;

/// A column of the comparison table: a field name, a taxonomy name (its terms as links), or
/// `name` (the linked title); either the name alone or `{key, class}`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(title = "Table column")]
pub(crate) enum ColumnDecl {
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
    pub(crate) fn key(&self) -> &str {
        match self {
            ColumnDecl::Key(k) | ColumnDecl::Styled { key: k, .. } => k,
        }
    }

    /// The class of its cells, if any.
    pub(crate) fn class(&self) -> Option<&str> {
        match self {
            ColumnDecl::Key(_) => None,
            ColumnDecl::Styled { class, .. } => Some(class),
        }
    }
}

/// The comparison table (`table.html`): one sortable row per entry, filters kept in the address.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Table")]
pub(crate) struct TableDecl {
    /// The collection compared. Default: the first.
    #[serde(default)]
    #[schemars(example = &"models")]
    pub(crate) collection: Option<String>,
    /// Columns in order: field names, taxonomy names, or `name`. Required.
    #[schemars(example = table_columns_example())]
    pub(crate) columns: Vec<ColumnDecl>,
    /// The columns shown until a reader chooses others in the table's column chooser (which
    /// offers every column; the row's name is always shown). Default: every column.
    #[serde(default)]
    #[schemars(example = &["name", "date", "open_weights"])]
    pub(crate) shown: Vec<String>,
    /// Filters in order: taxonomy names, tristate fields and date fields (by year, month, and
    /// year without a month). Default: none.
    #[serde(default)]
    #[schemars(example = &["license", "open_weights"])]
    pub(crate) filters: Vec<String>,
    /// Text, text-list, term or terms fields the text filter matches besides the visible cells.
    /// Default: none.
    #[serde(default)]
    pub(crate) search: Vec<String>,
}

/// How an arrow of the lineage graph is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(title = "Edge style")]
pub(crate) enum EdgeStyle {
    /// A solid line.
    Solid,
    /// A dashed line.
    Dashed,
}

/// The lineage graph (`lineage.html` and a small graph on every entry page): entries as boxes,
/// the references of `edges` as arrows.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Lineage graph")]
pub(crate) struct LineageDecl {
    /// The collection drawn. Default: the first.
    #[serde(default)]
    pub(crate) collection: Option<String>,
    /// The refs fields drawn as arrows: field → `solid` or `dashed`. Required.
    #[schemars(example = lineage_edges_example())]
    pub(crate) edges: IndexMap<String, EdgeStyle>,
    /// Kinds drawn as rounded boxes (needs the collection's `kind`). Default: none.
    #[serde(default)]
    pub(crate) pill: Vec<String>,
    /// One of the collection's `card` fields, shown after the title in a node's tooltip (e.g. an
    /// expanded name). Default: none.
    #[serde(default)]
    pub(crate) subtitle: Option<String>,
    /// How entries are placed: `time` (left to right by date on a time axis, each month with
    /// entries a band as wide as its boxes need, after the works they build on) or
    /// `generations` (each column a generation after the one before). Default: `time` when a date field places entries (see `time`), else
    /// `generations`.
    #[serde(default)]
    pub(crate) axis: Option<LineageAxis>,
    /// Date fields placing an entry on the time axis, the first one set wins (e.g. the first
    /// public release, then the publication date); entries with none stand in a column of
    /// their own. Default: the collection's `date`.
    #[serde(default)]
    pub(crate) time: Vec<String>,
    /// Width in pixels that the graph of the lineage page fills (on the time axis; wider
    /// screens show it whole, narrower ones scroll sideways). Default: 1116.
    #[serde(default = "site_graph_width")]
    pub(crate) width: u32,
    /// Width in pixels that the small graph of an entry page fills. Default: 836.
    #[serde(default = "entry_graph_width")]
    pub(crate) entry_width: u32,
}

/// How the lineage graph places its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(title = "Lineage axis")]
pub(crate) enum LineageAxis {
    /// By date, on a time axis.
    Time,
    /// By generation: each column after the one before.
    Generations,
}

fn site_graph_width() -> u32 {
    1116
}

fn entry_graph_width() -> u32 {
    836
}

/// The Atom feeds: one per language (`atom.xml`, `<lang>/atom.xml`) of the dated entries.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Feed")]
pub(crate) struct FeedDecl {
    /// The collection listed (its dated entries); it needs a `date` field. Default: the first.
    #[serde(default)]
    pub(crate) collection: Option<String>,
    /// Term fields written as categories. Default: none.
    #[serde(default)]
    pub(crate) categories: Vec<String>,
}

/// The data exports (`<name>.json`, `<name>.csv`, `references.bib`) and the data page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Exports")]
pub(crate) struct ExportsDecl {
    /// The collection exported. Default: the first.
    #[serde(default)]
    pub(crate) collection: Option<String>,
    /// File name without extension (a plain name). Default: the collection's name.
    #[schemars(example = &"models")]
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// Key of the list of records in the JSON export. Default: `entries`.
    #[serde(default)]
    pub(crate) records: Option<String>,
    /// CSV columns: fields (a group expands to one column per sub-field), `slug`, `url`,
    /// `bibtex_key`. Default: `slug`, `url`, every exported field, `bibtex_key`.
    #[schemars(example = &["slug", "title", "released", "url"])]
    #[serde(default)]
    pub(crate) csv: Vec<String>,
}

/// The print view (`print.html`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Print view")]
pub(crate) struct PrintDecl {
    /// The collection printed after the pages, by group. Default: the first.
    #[serde(default)]
    pub(crate) collection: Option<String>,
    /// The layout (a key of `pages.layouts`) of the pages printed first, in navigation order.
    /// Default: none.
    #[serde(default)]
    pub(crate) layout: Option<String>,
    /// The most entries printed with their full text. A larger collection is printed abridged:
    /// each entry with its facts and summary and a link to its page, not its body (templates
    /// see `print.abridged`), so the view stays a size a browser can open and print. Needs the
    /// UI string `print_abridged` in `strings`. Default: no limit.
    #[schemars(example = &1000)]
    #[serde(default)]
    pub(crate) full_text_up_to: Option<usize>,
}

fn table_columns_example() -> serde_json::Value {
    serde_json::json!(["name", "license", {"key": "released", "class": "num"}])
}

fn lineage_edges_example() -> serde_json::Value {
    serde_json::json!({"builds_on": "solid", "compared_with": "dashed"})
}

/// A resolved feature: its declaration (which it reads as, through `Deref`) and the collection
/// it is made of, with what else it names there (`R`).
#[derive(Debug, Clone)]
pub(crate) struct Feature<D, R = ()> {
    /// The declaration.
    pub(crate) decl: D,
    /// The collection.
    pub(crate) at: CollectionId,
    /// What the declaration names in the collection.
    pub(crate) resolved: R,
}

impl<D, R> Deref for Feature<D, R> {
    type Target = D;

    fn deref(&self) -> &D {
        &self.decl
    }
}

/// The comparison table, resolved.
pub(crate) type Table = Feature<TableDecl, TableFields>;
/// The lineage graph, resolved.
pub(crate) type Lineage = Feature<LineageDecl, LineageFields>;
/// The feed, resolved.
pub(crate) type Feed = Feature<FeedDecl, Vec<FieldId>>;
/// The exports, resolved.
pub(crate) type Exports = Feature<ExportsDecl>;
/// The print view, resolved.
pub(crate) type Print = Feature<PrintDecl>;

impl Feed {
    /// The term fields written as categories.
    pub(crate) fn category_fields(&self) -> &[FieldId] {
        &self.resolved
    }
}

/// What the comparison table's columns, filters and search box are made of.
#[derive(Debug, Clone)]
pub(crate) struct TableFields {
    /// What each declared column shows, in order.
    pub(crate) columns: Vec<ColumnSource>,
    /// What each declared filter filters by, in order.
    pub(crate) filters: Vec<FilterSource>,
    /// The fields the search box matches, in order.
    pub(crate) search: Vec<FieldId>,
}

/// What a table column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnSource {
    /// The entry's linked title.
    Name,
    /// A field (a taxonomy's column shows its field).
    Field(FieldId),
}

/// What a table filter filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilterSource {
    /// The terms of a taxonomy.
    Term(TaxonomyId),
    /// The years and months of a date field.
    Date(FieldId),
    /// The states of a tristate field.
    Tristate(FieldId),
}

/// The fields the lineage graph draws with.
#[derive(Debug, Clone)]
pub(crate) struct LineageFields {
    /// The refs fields drawn as arrows, with their style.
    pub(crate) edges: Vec<(FieldId, EdgeStyle)>,
    /// The date fields of the time axis, empty when entries are placed by generation.
    pub(crate) time: Vec<FieldId>,
}

/// The collections a feature may name.
type Collections = IdVec<CollectionId, CollectionOutline>;

/// The collection a feature names (the first when it names none); `None` when it names an
/// unknown one (reported).
fn feature_collection(
    collections: &Collections,
    name: &Option<String>,
    path: &[&str],
    p: &mut Problems,
) -> Option<CollectionId> {
    let Some(n) = name else {
        return Some(CollectionId::FIRST);
    };
    let found = collections.position(|c| c.name == *n);
    if found.is_none() {
        let known: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
        p.unknown(&[path, &["collection"]].concat(), "collection", n, &known);
    }
    found
}

/// The declaration of a site-wide feature.
pub(super) trait FeatureDecl: Clone {
    /// Its key in `site.yaml`.
    const KEY: &'static str;

    /// The collection it names, if any.
    fn collection(&self) -> &Option<String>;
}

macro_rules! feature_decls {
    ($($decl:ty => $key:literal,)*) => {$(
        impl FeatureDecl for $decl {
            const KEY: &'static str = $key;

            fn collection(&self) -> &Option<String> {
                &self.collection
            }
        }
    )*};
}

feature_decls! {
    TableDecl => "table",
    LineageDecl => "lineage",
    FeedDecl => "feed",
    ExportsDecl => "exports",
    PrintDecl => "print",
}

/// Checks a feature against its collection with `check`, which returns what it names there.
/// When the collection is unknown (reported), the rest of the declaration is checked against
/// the first collection and the feature does not resolve.
pub(super) fn resolve_feature<D: FeatureDecl, R>(
    decl: &D,
    collections: &Collections,
    p: &mut Problems,
    check: impl FnOnce(&D, &CollectionOutline, &mut Problems) -> R,
) -> Option<Feature<D, R>> {
    let found = feature_collection(collections, decl.collection(), &[D::KEY], p);
    let c = &collections[found.unwrap_or(CollectionId::FIRST)];
    let resolved = check(decl, c, p);
    Some(Feature {
        decl: decl.clone(),
        at: found?,
        resolved,
    })
}

/// Checks the print view's layout against `layouts`.
pub(super) fn check_print(
    pr: &PrintDecl,
    layouts: &IndexMap<String, LayoutDecl>,
    p: &mut Problems,
) {
    if let Some(layout) = &pr.layout {
        if !layouts.contains_key(layout) {
            let known: Vec<&str> = layouts.keys().map(String::as_str).collect();
            p.unknown(&["print", "layout"], "layout", layout, &known);
        }
    }
}

/// Checks the comparison table's columns, filters and search fields, and resolves them.
pub(super) fn table_fields(t: &TableDecl, c: &CollectionOutline, p: &mut Problems) -> TableFields {
    let taxonomy_field = |key: &str| {
        let field = &c.decl.taxonomies.get(key)?.field;
        c.fields.named(field)
    };
    let columns = (t.columns.iter())
        .filter_map(|col| {
            let key = col.key();
            if key == "name" {
                return Some(ColumnSource::Name);
            }
            let field = match c.decl.taxonomies.contains_key(key) {
                true => taxonomy_field(key),
                false => c.fields.named(key),
            };
            if field.is_none() && !c.decl.taxonomies.contains_key(key) {
                let mut names = c.fields.names();
                names.extend(c.decl.taxonomies.keys().map(String::as_str));
                p.unknown(&["table", "columns"], "column", key, &names);
            }
            field.map(ColumnSource::Field)
        })
        .collect();
    let keys: Vec<&str> = t.columns.iter().map(ColumnDecl::key).collect();
    for key in &t.shown {
        if !keys.contains(&key.as_str()) {
            p.unknown(&["table", "shown"], "column", key, &keys);
        }
    }
    let filters = (t.filters.iter())
        .filter_map(|f| {
            let source = match taxonomy_field(f) {
                Some(i) => c.fields[i].taxonomy.map(FilterSource::Term),
                None => c.fields.named(f).and_then(|i| match c.fields[i].ty {
                    FieldType::Tristate => Some(FilterSource::Tristate(i)),
                    FieldType::Date => Some(FilterSource::Date(i)),
                    _ => None,
                }),
            };
            if source.is_none() && !c.decl.taxonomies.contains_key(f) {
                p.push(
                    &["table", "filters"],
                    format!(
                        "`{f}` is neither a taxonomy nor a tristate or date field of `{}`",
                        c.name
                    ),
                );
            }
            source
        })
        .collect();
    let search = names_to_fields(
        &t.search,
        &c.fields,
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
    TableFields {
        columns,
        filters,
        search,
    }
}

/// The edges and time axis of the lineage graph, and checks of its other options.
pub(super) fn lineage_fields(
    l: &LineageDecl,
    c: &CollectionOutline,
    p: &mut Problems,
) -> LineageFields {
    let edges = (l.edges.iter())
        .filter_map(|(name, style)| match c.fields.named(name) {
            Some(i) if c.fields[i].ty == FieldType::Refs => Some((i, *style)),
            Some(_) => {
                p.push(
                    &["lineage", "edges"],
                    format!("`{name}` is not a refs field"),
                );
                None
            }
            None => {
                p.unknown(&["lineage", "edges"], "field", name, &c.fields.names());
                None
            }
        })
        .collect();
    if let Some(sub) = &l.subtitle {
        if !c.decl.card.contains(sub) {
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
    LineageFields {
        edges,
        time: lineage_time(l, c, p),
    }
}

/// The date fields of the time axis: those of `time`, else the collection's date; none when the
/// site asks for generations.
fn lineage_time(l: &LineageDecl, c: &CollectionOutline, p: &mut Problems) -> Vec<FieldId> {
    let dates = names_to_fields(
        &l.time,
        &c.fields,
        &["lineage", "time"],
        p,
        &|f| f.ty == FieldType::Date,
        "a date field",
    );
    let dates = if l.time.is_empty() {
        c.roles.date.into_iter().collect()
    } else {
        dates
    };
    match l.axis {
        Some(LineageAxis::Generations) => Vec::new(),
        Some(LineageAxis::Time) if dates.is_empty() && l.time.is_empty() => {
            p.push(
                &["lineage", "axis"],
                format!(
                    "`axis: time` needs a date: declare `time` (date fields) or a `date` in `{}`",
                    c.name
                ),
            );
            Vec::new()
        }
        _ => dates,
    }
}

/// The category fields of the feed, which needs a dated collection.
pub(super) fn feed_categories(
    f: &FeedDecl,
    c: &CollectionOutline,
    p: &mut Problems,
) -> Vec<FieldId> {
    if c.roles.date.is_none() {
        p.push(
            &["feed"],
            format!("a feed needs a `date` field in `{}`", c.name),
        );
    }
    names_to_fields(
        &f.categories,
        &c.fields,
        &["feed", "categories"],
        p,
        &|f| f.ty == FieldType::Term,
        "a term field",
    )
}

/// Checks the exports' file name and CSV columns.
pub(super) fn check_exports(e: &ExportsDecl, c: &CollectionOutline, p: &mut Problems) {
    if let Some(why) = (e.name.as_deref()).and_then(|n| names::problem(n, NameKind::Plain)) {
        p.push(
            &["exports", "name"],
            format!(
                "the export name becomes the file names `<name>.json` and `<name>.csv`: it {why}"
            ),
        );
    }
    for col in &e.csv {
        let known =
            matches!(col.as_str(), "slug" | "url" | "bibtex_key") || c.fields.named(col).is_some();
        if !known {
            let mut names = c.fields.names();
            names.extend(["slug", "url", "bibtex_key"]);
            p.unknown(&["exports", "csv"], "column", col, &names);
        }
    }
}
