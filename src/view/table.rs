//! The comparison table of all works (`table.html`): one row per work with every column rendered
//! in HTML (complete without JavaScript), sort keys and filter facets as `data-` attributes for
//! `static/table.js`, and the filter choices with their counts.

use serde::Serialize;

use crate::model::schema::Openness;
use crate::model::site::{work_terms, Site};
use crate::view::{Views, WorkCard};

/// Taxonomies offered as filters, in form order (each a `?name=key` URL parameter).
pub const TERM_FILTERS: [&str; 5] = ["strand", "kind", "modality", "organ", "task"];
/// Openness filters, in form order.
pub const OPEN_FILTERS: [&str; 2] = ["open_code", "open_weights"];
/// Columns in order: (key, UI string key, sorts numerically).
const COLUMNS: [(&str, &str, bool); 11] = [
    ("name", "table_name", false),
    ("kind", "kind", true),
    ("strand", "strand", true),
    ("modality", "modalities", false),
    ("organ", "organs", false),
    ("task", "tasks", false),
    ("venue", "venue", false),
    ("date", "date", false),
    ("data_scale", "data_scale", false),
    ("open_code", "open_code", true),
    ("open_weights", "open_weights", true),
];

/// Everything `table.html` shows.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// Column headers.
    pub columns: Vec<Column>,
    /// One row per work, in display order.
    pub rows: Vec<TableRow>,
    /// Filter fields.
    pub filters: Vec<Filter>,
}

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Key (`name`, `kind`, …), used as `?sort=` value.
    pub key: &'static str,
    /// Header text in the page language.
    pub label: String,
    /// True when `data-sort` values are numbers.
    pub numeric: bool,
}

/// One work as a table row.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// The work.
    #[serde(flatten)]
    pub card: WorkCard,
    /// Position in display order (restores the default order).
    pub index: usize,
    /// Rank of the kind in its vocabulary.
    pub kind_rank: usize,
    /// Rank of the strand in its vocabulary.
    pub strand_rank: usize,
    /// Rank of open code: yes 0, no 1, unknown 2.
    pub open_code_rank: u8,
    /// Rank of open weights.
    pub open_weights_rank: u8,
    /// Filter facets: (filter name, space-separated keys).
    pub facets: Vec<Facet>,
    /// Extra text the text filter matches: slug, full name, aliases, institutions.
    pub search: String,
}

/// The keys a row carries for one filter.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// Filter name (`modality`, `open_code`, …).
    pub name: &'static str,
    /// Space-separated keys.
    pub keys: String,
}

/// A filter field.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    /// Field and URL parameter name.
    pub name: &'static str,
    /// Label in the page language.
    pub label: String,
    /// Choices with a count of works each (empty terms left out).
    pub options: Vec<FilterOption>,
}

/// One choice of a filter.
#[derive(Debug, Clone, Serialize)]
pub struct FilterOption {
    /// Value (vocabulary key or `yes`/`no`/`unknown`).
    pub value: String,
    /// Label in the page language.
    pub label: String,
    /// Number of works with it.
    pub count: usize,
}

/// Builds the table view for the language of `views`.
pub fn table_view(views: &Views<'_>) -> TableView {
    let site = views.site;
    let columns = COLUMNS
        .iter()
        .map(|&(key, label, numeric)| Column {
            key,
            label: views.t(label),
            numeric,
        })
        .collect();
    let rows = site
        .works
        .iter()
        .enumerate()
        .map(|(index, &i)| row(views, index, i))
        .collect();
    let mut filters: Vec<Filter> = TERM_FILTERS
        .iter()
        .map(|&name| term_filter(views, name))
        .collect();
    filters.extend(OPEN_FILTERS.iter().map(|&name| open_filter(views, name)));
    TableView {
        columns,
        rows,
        filters,
    }
}

fn row(views: &Views<'_>, index: usize, i: usize) -> TableRow {
    let site = views.site;
    let w = site.work(i);
    let vocab = &site.config.vocabularies;
    let mut facets: Vec<Facet> = TERM_FILTERS
        .iter()
        .map(|&name| Facet {
            name,
            keys: work_terms(w, name).join(" "),
        })
        .collect();
    facets.push(Facet {
        name: "open_code",
        keys: open_key(w.open_code).into(),
    });
    facets.push(Facet {
        name: "open_weights",
        keys: open_key(w.open_weights).into(),
    });
    let card = views.card(i);
    let mut search = vec![card.slug.clone(), card.full_name.clone()];
    search.extend(w.aliases.iter().cloned());
    search.extend(w.institutions.iter().cloned());
    TableRow {
        index,
        kind_rank: vocab.kind.get_index_of(&w.kind).unwrap_or(usize::MAX),
        strand_rank: vocab.strand.get_index_of(&w.strand).unwrap_or(usize::MAX),
        open_code_rank: open_rank(w.open_code),
        open_weights_rank: open_rank(w.open_weights),
        facets,
        search: search.join(" "),
        card,
    }
}

fn term_filter(views: &Views<'_>, name: &'static str) -> Filter {
    let options = views
        .site
        .taxonomy(name)
        .map(|tax| {
            tax.terms
                .iter()
                .filter(|t| !t.works.is_empty())
                .map(|t| FilterOption {
                    value: t.key.clone(),
                    label: views.term(name, &t.key).label,
                    count: t.works.len(),
                })
                .collect()
        })
        .unwrap_or_default();
    Filter {
        name,
        label: views.t(&format!("tax_{name}")),
        options,
    }
}

fn open_filter(views: &Views<'_>, name: &'static str) -> Filter {
    let site: &Site = views.site;
    let options = [Openness::Yes, Openness::No, Openness::Unknown]
        .into_iter()
        .map(|o| {
            let count = site
                .works
                .iter()
                .filter(|&&i| openness(site, i, name) == o)
                .count();
            FilterOption {
                value: open_key(o).into(),
                label: views.t(&format!("open_{}", open_key(o))),
                count,
            }
        })
        .filter(|o| o.count > 0)
        .collect();
    Filter {
        name,
        label: views.t(name),
        options,
    }
}

fn openness(site: &Site, i: usize, name: &str) -> Openness {
    let w = site.work(i);
    if name == "open_code" {
        w.open_code
    } else {
        w.open_weights
    }
}

fn open_key(o: Openness) -> &'static str {
    match o {
        Openness::Yes => "yes",
        Openness::No => "no",
        Openness::Unknown => "unknown",
    }
}

fn open_rank(o: Openness) -> u8 {
    match o {
        Openness::Yes => 0,
        Openness::No => 1,
        Openness::Unknown => 2,
    }
}
