//! The site-wide features a model may declare — the comparison table, the lineage graph, the
//! feed, the exports, the print view — and their resolution against a collection.

use indexmap::IndexMap;

use super::collection::Collection;
use super::field::{field_names, names_to_fields, FieldType};
use super::pages::LayoutDecl;
use super::problems::Problems;
use crate::model::id::{CollectionId, FieldId, IdVec};
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
    /// Resolved collection index.
    #[serde(skip)]
    pub(crate) at: CollectionId,
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
    /// How entries are placed: `time` (left to right by date on a time axis, in as few rows as
    /// their overlap in time allows) or `generations` (each column a generation after the one
    /// before). Default: `time` when a date field places entries (see `time`), else
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
    /// Resolved collection index.
    #[serde(skip)]
    pub(crate) at: CollectionId,
    /// Resolved edge fields.
    #[serde(skip)]
    pub(crate) edge_fields: Vec<(FieldId, EdgeStyle)>,
    /// Resolved date fields of the time axis, empty when entries are placed by generation.
    #[serde(skip)]
    pub(crate) time_fields: Vec<FieldId>,
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
    /// Resolved collection index.
    #[serde(skip)]
    pub(crate) at: CollectionId,
    /// Resolved category fields.
    #[serde(skip)]
    pub(crate) category_fields: Vec<FieldId>,
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
    /// Resolved collection index.
    #[serde(skip)]
    pub(crate) at: CollectionId,
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
    /// Resolved collection index.
    #[serde(skip)]
    pub(crate) at: CollectionId,
}

fn table_columns_example() -> serde_json::Value {
    serde_json::json!(["name", "license", {"key": "released", "class": "num"}])
}

fn lineage_edges_example() -> serde_json::Value {
    serde_json::json!({"builds_on": "solid", "compared_with": "dashed"})
}

/// The collections a feature may name.
type Collections = IdVec<CollectionId, Collection>;

/// The collection a feature names, or the first.
fn feature_collection(
    collections: &Collections,
    name: &Option<String>,
    path: &[&str],
    p: &mut Problems,
) -> CollectionId {
    match name {
        None => CollectionId::FIRST,
        Some(n) => collections.position(|c| c.name == *n).unwrap_or_else(|| {
            let known: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
            p.unknown(&[path, &["collection"]].concat(), "collection", n, &known);
            // Reported: the first stands in, so the rest of the declaration is still checked.
            CollectionId::FIRST
        }),
    }
}

/// The features of a model, to resolve against its collections.
pub(super) struct Features<'m> {
    pub(super) table: Option<&'m mut TableDecl>,
    pub(super) lineage: Option<&'m mut LineageDecl>,
    pub(super) feed: Option<&'m mut FeedDecl>,
    pub(super) exports: Option<&'m mut ExportsDecl>,
    pub(super) print: Option<&'m mut PrintDecl>,
}

/// Resolves every declared feature against `collections` (and the print view's layout
/// against `layouts`).
pub(super) fn resolve_features(
    features: Features<'_>,
    collections: &Collections,
    layouts: &IndexMap<String, LayoutDecl>,
    p: &mut Problems,
) {
    if collections.is_empty() {
        return;
    }
    if let Some(t) = features.table {
        resolve_table(t, collections, p);
    }
    if let Some(l) = features.lineage {
        resolve_lineage(l, collections, p);
    }
    if let Some(f) = features.feed {
        resolve_feed(f, collections, p);
    }
    if let Some(e) = features.exports {
        resolve_exports(e, collections, p);
    }
    if let Some(pr) = features.print {
        pr.at = feature_collection(collections, &pr.collection, &["print"], p);
        if let Some(layout) = &pr.layout {
            if !layouts.contains_key(layout) {
                let known: Vec<&str> = layouts.keys().map(String::as_str).collect();
                p.unknown(&["print", "layout"], "layout", layout, &known);
            }
        }
    }
}

fn resolve_table(t: &mut TableDecl, collections: &Collections, p: &mut Problems) {
    t.at = feature_collection(collections, &t.collection, &["table"], p);
    let c = &collections[t.at];
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
    let keys: Vec<&str> = t.columns.iter().map(ColumnDecl::key).collect();
    for key in &t.shown {
        if !keys.contains(&key.as_str()) {
            p.unknown(&["table", "shown"], "column", key, &keys);
        }
    }
    for f in &t.filters {
        let ok = c.taxonomies.contains_key(f)
            || c.schema
                .field(f)
                .is_some_and(|f| matches!(f.ty, FieldType::Tristate | FieldType::Date));
        if !ok {
            p.push(
                &["table", "filters"],
                format!(
                    "`{f}` is neither a taxonomy nor a tristate or date field of `{}`",
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

fn resolve_lineage(l: &mut LineageDecl, collections: &Collections, p: &mut Problems) {
    l.at = feature_collection(collections, &l.collection, &["lineage"], p);
    let c = &collections[l.at];
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
    resolve_lineage_time(l, c, p);
}

/// The date fields of the time axis: those of `time`, else the collection's date; none when the
/// site asks for generations.
fn resolve_lineage_time(l: &mut LineageDecl, c: &Collection, p: &mut Problems) {
    let dates = names_to_fields(
        &l.time,
        &c.schema,
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
    l.time_fields = match l.axis {
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
    };
}

fn resolve_feed(f: &mut FeedDecl, collections: &Collections, p: &mut Problems) {
    f.at = feature_collection(collections, &f.collection, &["feed"], p);
    let c = &collections[f.at];
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

fn resolve_exports(e: &mut ExportsDecl, collections: &Collections, p: &mut Problems) {
    e.at = feature_collection(collections, &e.collection, &["exports"], p);
    let c = &collections[e.at];
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
            matches!(col.as_str(), "slug" | "url" | "bibtex_key") || c.schema.index(col).is_some();
        if !known {
            let mut names = field_names(&c.schema);
            names.extend(["slug", "url", "bibtex_key"]);
            p.unknown(&["exports", "csv"], "column", col, &names);
        }
    }
}
