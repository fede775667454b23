//! The comparison table (`table.html`): one row per entry of the declared collection, one cell
//! per declared column (rendered in HTML, so the table is complete without JavaScript), sort
//! keys and filter facets as `data-` attributes for `table.js`, and the filter choices with their
//! counts. Each cell says what kind of value it holds, so one template renders any column.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::schema::{ColumnDecl, FieldType, TableDecl};
use crate::model::value::{FieldValue, Tristate};
use crate::view::Views;

/// Everything `table.html` shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableView<'a> {
    /// Column headers.
    pub columns: Vec<Column>,
    /// One row per entry, in display order: its card, with `index`, `cells`, `facets` and
    /// `search`.
    pub rows: Vec<Value>,
    /// Filter fields.
    pub filters: Vec<Filter<'a>>,
}

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Column {
    /// Key (a field or taxonomy name, or `name`), used as `?sort=` value.
    pub key: String,
    /// Header text in the page language.
    pub label: String,
    /// True when `data-sort` values are numbers.
    pub numeric: bool,
}

/// One cell of a row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    /// What it holds: `name` (the linked title), `term`, `terms`, `date`, `tristate`, `number`
    /// (its `value.display` shows it with its unit) or `text`.
    pub kind: &'static str,
    /// The value, as entry pages receive it.
    pub value: Value,
    /// The sort key, when the cell's text is not one.
    pub sort: Option<String>,
    /// The column's CSS class, if it has one.
    pub class: Option<String>,
}

/// The keys a row carries for one filter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Facet<'a> {
    /// Filter name.
    pub name: &'a str,
    /// Space-separated keys.
    pub keys: String,
}

/// A filter field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Filter<'a> {
    /// Field and URL parameter name.
    pub name: &'a str,
    /// Label in the page language.
    pub label: String,
    /// Choices with a count of entries each (empty ones left out).
    pub options: Vec<FilterOption>,
}

/// One choice of a filter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilterOption {
    /// Value (vocabulary key or `yes`/`no`/`unknown`).
    pub value: String,
    /// Label in the page language.
    pub label: String,
    /// Number of entries with it.
    pub count: usize,
}

/// What a column shows: the entry's linked title, or a field.
#[derive(Debug, Clone, Copy)]
enum Source {
    Name,
    Field(usize),
}

/// The table of `decl` in the language of `views`.
pub(crate) fn table_view<'a>(views: &Views<'a>, decl: &'a TableDecl) -> TableView<'a> {
    let c = decl.at;
    let collection = &views.site.config.model.collections[c];
    let schema = &collection.schema;
    let sources: Vec<Source> = decl
        .columns
        .iter()
        .map(|col| source(views, c, col))
        .collect();
    let columns = (decl.columns.iter().zip(&sources))
        .map(|(col, source)| Column {
            key: col.key().to_string(),
            label: match source {
                Source::Name => views.t("table_name"),
                Source::Field(f) => label(views, c, *f),
            },
            numeric: matches!(source, Source::Field(f) if numeric(views, c, *f)),
        })
        .collect();
    let rows = (views.site.collections[c].order.iter().enumerate())
        .map(|(index, &i)| row(views, decl, &sources, index, i))
        .collect();
    let filters = decl
        .filters
        .iter()
        .map(|name| match views.site.config.model.taxonomy_index(name) {
            Some(t) => term_filter(views, name, t),
            None => tristate_filter(views, name, c, schema.index(name).unwrap_or_default()),
        })
        .collect();
    TableView {
        columns,
        rows,
        filters,
    }
}

fn source(views: &Views<'_>, c: usize, col: &ColumnDecl) -> Source {
    let key = col.key();
    if key == "name" {
        return Source::Name;
    }
    let collection = &views.site.config.model.collections[c];
    let field = match collection.taxonomies.get(key) {
        Some(t) => collection.schema.index(&t.field),
        None => collection.schema.index(key),
    };
    Source::Field(field.unwrap_or_default())
}

fn label(views: &Views<'_>, c: usize, f: usize) -> String {
    let field = &views.site.config.model.collections[c].schema.fields[f];
    field.label.as_ref().map_or_else(
        || field.name.clone(),
        |l| views.site.config.localized(l, views.lang).to_string(),
    )
}

/// Vocabulary terms sort by their place in the vocabulary, tristates yes–no–unknown, numbers
/// by value (not by their display text, where "1.25" would follow "1.3").
fn numeric(views: &Views<'_>, c: usize, f: usize) -> bool {
    let field = &views.site.config.model.collections[c].schema.fields[f];
    match field.ty {
        FieldType::Term => field.vocabulary.is_some(),
        FieldType::Tristate | FieldType::Number | FieldType::Integer => true,
        _ => false,
    }
}

fn row(views: &Views<'_>, decl: &TableDecl, sources: &[Source], index: usize, i: usize) -> Value {
    let site = views.site;
    let page = &site.pages[i];
    let schema = site.schema(i);
    let Value::Object(mut row) = views.card(i).clone() else {
        unreachable!("a card is an object")
    };
    let cells: Vec<Cell> = (sources.iter().zip(&decl.columns))
        .map(|(source, col)| {
            let mut cell = match *source {
                Source::Name => Cell {
                    kind: "name",
                    value: Value::Null,
                    sort: Some(site.title(i, views.lang).to_lowercase()),
                    class: None,
                },
                Source::Field(f) => cell(views, decl.at, i, f),
            };
            cell.class = col.class().map(str::to_string);
            cell
        })
        .collect();
    let facets: Vec<Facet<'_>> = decl
        .filters
        .iter()
        .map(|name| {
            let keys = match site.config.model.taxonomy_index(name) {
                Some(t) => page.values[site.taxonomies[t].field].terms().join(" "),
                None => match schema.index(name).map(|f| &page.values[f]) {
                    Some(FieldValue::Tristate(t)) => t.key().to_string(),
                    _ => String::new(),
                },
            };
            Facet { name, keys }
        })
        .collect();
    let mut search = vec![page.slug.clone()];
    for name in &decl.search {
        let Some(f) = schema.index(name) else {
            continue;
        };
        match &page.values[f] {
            FieldValue::Text(_) => search.push(page.text(schema, f, views.lang).to_string()),
            other => search.extend(other.as_list().iter().cloned()),
        }
    }
    let mut extra = Map::new();
    extra.insert("index".into(), index.into());
    extra.insert(
        "cells".into(),
        serde_json::to_value(cells).unwrap_or_default(),
    );
    extra.insert(
        "facets".into(),
        serde_json::to_value(facets).unwrap_or_default(),
    );
    extra.insert("search".into(), search.join(" ").into());
    row.extend(extra);
    Value::Object(row)
}

fn cell(views: &Views<'_>, c: usize, i: usize, f: usize) -> Cell {
    let site = views.site;
    let field = &site.config.model.collections[c].schema.fields[f];
    let value = &site.pages[i].values[f];
    let view = views.value(i, f);
    let (kind, sort) = match value {
        FieldValue::Term(key) => {
            let rank = field.vocabulary.as_deref().map(|v| {
                let vocabulary = site.config.vocabularies.get(v);
                vocabulary
                    .and_then(|v| v.get_index_of(key))
                    .unwrap_or(usize::MAX)
                    .to_string()
            });
            ("term", rank)
        }
        FieldValue::Terms(_) => ("terms", None),
        FieldValue::Date(d) => ("date", Some(d.map(|d| d.iso()).unwrap_or_default())),
        FieldValue::Tristate(t) => ("tristate", Some(t.rank().to_string())),
        FieldValue::Number(n) => ("number", Some(n.map(|n| n.to_string()).unwrap_or_default())),
        FieldValue::Integer(n) => ("number", Some(n.map(|n| n.to_string()).unwrap_or_default())),
        _ => {
            let text = match &view {
                Value::String(s) => s.clone(),
                Value::Object(o) => o
                    .get("display")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            ("text", Some(text))
        }
    };
    Cell {
        kind,
        value: view,
        sort,
        class: None,
    }
}

fn term_filter<'a>(views: &Views<'_>, name: &'a str, t: usize) -> Filter<'a> {
    let options = (views.site.taxonomies[t].terms.iter())
        .filter(|term| !term.entries.is_empty())
        .map(|term| FilterOption {
            value: term.key.clone(),
            label: views.taxonomy_term(t, &term.key).label,
            count: term.entries.len(),
        })
        .collect();
    Filter {
        name,
        label: views.taxonomy_label(t),
        options,
    }
}

fn tristate_filter<'a>(views: &Views<'_>, name: &'a str, c: usize, f: usize) -> Filter<'a> {
    let site = views.site;
    let options = [Tristate::Yes, Tristate::No, Tristate::Unknown]
        .into_iter()
        .map(|state| {
            let count = (site.collections[c].order.iter())
                .filter(|&&i| site.pages[i].values[f] == FieldValue::Tristate(state))
                .count();
            FilterOption {
                value: state.key().into(),
                label: views.t(state.key()),
                count,
            }
        })
        .filter(|o| o.count > 0)
        .collect();
    Filter {
        name,
        label: label(views, c, f),
        options,
    }
}
