//! The comparison table (`table.html`): one row per entry of the declared collection, one cell
//! per declared column (rendered in HTML, so the table is complete without JavaScript), sort
//! keys and filter facets as `data-` attributes for `table.js`, and the filter choices with their
//! counts. Each cell says what kind of value it holds, so one template renders any column.

use serde::Serialize;
use serde_json::Value;

use crate::base::date::PartialDate;
use crate::model::id::{CollectionId, FieldId, PageId, TaxonomyId};
use crate::model::schema::{ColumnSource, FieldType, FilterSource, Table};
use crate::model::value::{FieldValue, Tristate};
use crate::view::{Card, FieldView, Views};

/// Everything `table.html` shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableView<'a> {
    /// Column headers.
    pub(crate) columns: Vec<Column>,
    /// One row per entry, in display order.
    pub(crate) rows: Vec<Row<'a>>,
    /// Filter fields.
    pub(crate) filters: Vec<Filter<'a>>,
}

/// One row: the entry's card, with its place, its cells, its filter keys and its search text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row<'a> {
    /// The entry's card.
    #[serde(flatten)]
    pub(crate) card: &'a Card<'a>,
    /// Place in display order, from 0.
    pub(crate) index: usize,
    /// One cell per column.
    pub(crate) cells: Vec<Cell<'a>>,
    /// The keys it carries for each filter.
    pub(crate) facets: Vec<Facet<'a>>,
    /// What the table's search box matches: the slug and the declared search fields.
    pub(crate) search: String,
}

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Column {
    /// Key (a field or taxonomy name, or `name`), used as `?sort=` value.
    pub(crate) key: String,
    /// Header text in the page language.
    pub(crate) label: String,
    /// True when `data-sort` values are numbers.
    pub(crate) numeric: bool,
    /// Shown until the reader chooses otherwise (the declaration's `shown`, or every column).
    pub(crate) shown: bool,
    /// Always shown: the entry's linked name, which heads each row.
    pub(crate) fixed: bool,
}

/// One cell of a row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell<'a> {
    /// What it holds: `name` (the linked title), `term`, `terms`, `date`, `tristate`, `number`
    /// (its `value.display` shows it with its unit) or `text`.
    pub(crate) kind: &'static str,
    /// The value, as entry pages receive it.
    pub(crate) value: FieldView<'a>,
    /// The sort key, when the cell's text is not one.
    pub(crate) sort: Option<String>,
    /// The column's CSS class, if it has one.
    pub(crate) class: Option<String>,
}

/// The keys a row carries for one filter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Facet<'a> {
    /// Filter name.
    pub(crate) name: &'a str,
    /// Space-separated keys.
    pub(crate) keys: String,
}

/// A filter field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Filter<'a> {
    /// Field and URL parameter name.
    pub(crate) name: &'a str,
    /// Label in the page language.
    pub(crate) label: String,
    /// Choices with a count of entries each (empty ones left out).
    pub(crate) options: Vec<FilterOption>,
}

/// One choice of a filter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilterOption {
    /// Value (vocabulary key or `yes`/`no`/`unknown`).
    pub(crate) value: String,
    /// Label in the page language.
    pub(crate) label: String,
    /// Number of entries with it.
    pub(crate) count: usize,
}

/// The table of `decl` in the language of `views`.
pub(crate) fn table_view<'a>(views: &Views<'a>, decl: &'a Table) -> TableView<'a> {
    let c = decl.at;
    let sources = &decl.resolved.columns;
    let columns = (decl.columns.iter().zip(sources))
        .map(|(col, source)| Column {
            key: col.key().to_string(),
            label: match source {
                ColumnSource::Name => views.t("table_name"),
                ColumnSource::Field(f) => label(views, c, *f),
            },
            numeric: matches!(source, ColumnSource::Field(f) if numeric(views, c, *f)),
            shown: matches!(source, ColumnSource::Name)
                || decl.shown.is_empty()
                || decl.shown.iter().any(|k| k == col.key()),
            fixed: matches!(source, ColumnSource::Name),
        })
        .collect();
    let rows = (views.site.collections[c].order.iter().enumerate())
        .map(|(index, &i)| row(views, decl, index, i))
        .collect();
    let filters = (decl.filters.iter().zip(&decl.resolved.filters))
        .map(|(name, source)| match *source {
            FilterSource::Term(t) => term_filter(views, name, t),
            FilterSource::Date(f) => date_filter(views, name, c, f),
            FilterSource::Tristate(f) => tristate_filter(views, name, c, f),
        })
        .collect();
    TableView {
        columns,
        rows,
        filters,
    }
}

fn label(views: &Views<'_>, c: CollectionId, f: FieldId) -> String {
    let field = &views.site.config.model.collections[c].schema.fields[f];
    field.label.as_ref().map_or_else(
        || field.name.clone(),
        |l| views.site.config.localized(l, views.lang).to_string(),
    )
}

/// Vocabulary terms sort by their place in the vocabulary, tristates yes–no–unknown, numbers
/// by value (not by their display text, where "1.25" would follow "1.3").
fn numeric(views: &Views<'_>, c: CollectionId, f: FieldId) -> bool {
    let field = &views.site.config.model.collections[c].schema.fields[f];
    match field.ty {
        FieldType::Term => field.vocabulary.is_some(),
        FieldType::Tristate | FieldType::Number | FieldType::Integer => true,
        _ => false,
    }
}

fn row<'a>(views: &Views<'a>, decl: &'a Table, index: usize, i: PageId) -> Row<'a> {
    let site = views.site;
    let page = &site.pages[i];
    let schema = site.schema(i);
    let cells = (decl.resolved.columns.iter().zip(&decl.columns))
        .map(|(source, col)| {
            let mut cell = match *source {
                ColumnSource::Name => Cell {
                    kind: "name",
                    value: FieldView::Null,
                    sort: Some(site.title(i, views.lang).to_lowercase()),
                    class: None,
                },
                ColumnSource::Field(f) => cell(views, decl.at, i, f),
            };
            cell.class = col.class().map(str::to_string);
            cell
        })
        .collect();
    let facets = (decl.filters.iter().zip(&decl.resolved.filters))
        .map(|(name, source)| {
            let keys = match *source {
                FilterSource::Term(t) => page.values[site.taxonomies[t].field].terms().join(" "),
                FilterSource::Tristate(f) | FilterSource::Date(f) => match &page.values[f] {
                    FieldValue::Tristate(t) => t.key().to_string(),
                    FieldValue::Date(d) => date_keys(*d).join(" "),
                    _ => String::new(),
                },
            };
            Facet { name, keys }
        })
        .collect();
    let mut search = vec![page.slug.clone()];
    for &f in &decl.resolved.search {
        match &page.values[f] {
            FieldValue::Text(_) => search.push(page.text(schema, f, views.lang).to_string()),
            other => search.extend(other.as_list().iter().cloned()),
        }
    }
    Row {
        card: views.card(i),
        index,
        cells,
        facets,
        search: search.join(" "),
    }
}

fn cell<'a>(views: &Views<'a>, c: CollectionId, i: PageId, f: FieldId) -> Cell<'a> {
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
            // What the value shows as text: a string as it is, a number's display, a list or
            // a link as JSON.
            let text = match &serde_json::to_value(&view).unwrap_or_default() {
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

fn term_filter<'a>(views: &Views<'_>, name: &'a str, t: TaxonomyId) -> Filter<'a> {
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

fn tristate_filter<'a>(
    views: &Views<'_>,
    name: &'a str,
    c: CollectionId,
    f: FieldId,
) -> Filter<'a> {
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

/// The keys a date filter matches an entry by: its year and its month (`2024 2024-03`), its
/// year and `<year>-xx` when only the year is known, `unknown` without a date. Charts link to
/// the table with these keys.
pub(crate) fn date_keys(d: Option<PartialDate>) -> Vec<String> {
    match d {
        None => vec![UNDATED_KEY.to_string()],
        Some(d) => vec![format!("{:04}", d.year), month_key(d.year, d.month)],
    }
}

/// The key of a month (`2024-03`), or of a year's entries without a month (`2024-xx`).
pub(crate) fn month_key(year: u16, month: Option<u8>) -> String {
    match month {
        Some(m) => format!("{year:04}-{m:02}"),
        None => format!("{year:04}-xx"),
    }
}

/// The key of a date filter matching the entries without a date.
pub(crate) const UNDATED_KEY: &str = "unknown";

/// A filter by date field `f`: each year, then its months and its entries known only to the
/// year, in order, then the entries without a date.
fn date_filter<'a>(views: &Views<'_>, name: &'a str, c: CollectionId, f: FieldId) -> Filter<'a> {
    let site = views.site;
    let mut counts: std::collections::BTreeMap<(u16, u8), usize> = Default::default();
    for &i in &site.collections[c].order {
        let slot = match site.pages[i].values[f].as_date() {
            None => (u16::MAX, 0),
            Some(d) => {
                *counts.entry((d.year, 0)).or_default() += 1;
                (d.year, d.month.unwrap_or(13))
            }
        };
        *counts.entry(slot).or_default() += 1;
    }
    let options = (counts.into_iter())
        .map(|((year, month), count)| {
            let (value, label) = match month {
                _ if year == u16::MAX => (UNDATED_KEY.to_string(), views.t("date_unknown")),
                0 => (
                    format!("{year:04}"),
                    views.date(Some(PartialDate::year(year))).display,
                ),
                13 => (
                    month_key(year, None),
                    views.t("month_unknown").replace("{y}", &year.to_string()),
                ),
                m => (
                    month_key(year, Some(m)),
                    views.date(Some(PartialDate::month(year, m))).display,
                ),
            };
            FilterOption {
                value,
                label,
                count,
            }
        })
        .collect();
    Filter {
        name,
        label: label(views, c, f),
        options,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::site::Site;
    use crate::model::testing;
    use crate::view::ViewMemo;

    /// A table of the linked name, a vocabulary term, a terms taxonomy, a free term, a date, a
    /// styled text column and a tristate; filters of two taxonomies and a tristate.
    const MODEL: &str = "
vocabularies:
  strand:
    general: {zh: 通用, en: General}
    medical: {zh: 医疗, en: Medical}
    unused: {zh: 未用, en: Unused}
  modality:
    ct: {zh: CT, en: CT}
    mri: {zh: 磁共振, en: MRI}
    xray: {zh: X 光, en: X-ray}
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    order: [strand, title]
    fields:
      title: {type: text, required: true}
      full_name: {type: text}
      strand: {type: term, vocabulary: strand, required: true, label: {zh: 脉络, en: Strand}}
      venue: {type: term, label: {zh: 渠道, en: Venue}}
      date: {type: date, label: {zh: 时间, en: Published}}
      modalities: {type: terms, vocabulary: modality, label: {zh: 模态, en: Modalities}}
      data_scale: {type: text}
      open_code: {type: tristate, label: {zh: 代码开源, en: Open code}}
      institutions: {type: terms}
    translation: {fields: [title, full_name]}
    card: [title, strand]
    taxonomies:
      strand: {field: strand, label: {zh: 脉络, en: Strand line}}
      modality: {field: modalities, label: {zh: 模态, en: Modality}}
table:
  columns: [name, strand, modality, venue, date, {key: data_scale, class: scale}, open_code]
  shown: [strand, venue, date]
  filters: [strand, modality, open_code]
  search: [full_name, institutions]
";

    /// Three works; by strand then title: SAM (general), then MedSAM and Undated (medical).
    const FILES: &[(&str, &str)] = &[
        ("works/undated.md", "---\ntitle: Undated\nstrand: medical\n---\n"),
        ("works/medsam.md", "---\ntitle: MedSAM\nfull_name: 医学分割一切\nstrand: medical\nvenue: Nature Communications\ndate: 2024-01-22\nmodalities: [ct, mri]\ndata_scale: 1.5M masks\nopen_code: false\ninstitutions: [Vector Institute]\n---\n"),
        ("works/medsam.en.md", "---\ntitle: MedSAM\nfull_name: Segment anything in medical images\n---\n"),
        ("works/sam.md", "---\ntitle: SAM\nstrand: general\nvenue: ICCV\ndate: 2023-04\nmodalities: [ct]\nopen_code: true\n---\n"),
    ];

    fn table(site: &Site, lang: &str) -> Value {
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let views = Views {
            site,
            lang,
            memo: &memo,
        };
        let decl = site.config.model.table.as_ref().unwrap();
        serde_json::to_value(table_view(&views, decl)).unwrap()
    }

    fn english() -> Value {
        table(&testing::site(MODEL, FILES), "en")
    }

    #[test]
    fn columns_follow_the_declaration_with_field_labels_and_numeric_sorts() {
        let table = english();
        assert_eq!(
            table["columns"],
            json!([
                // The name always shows; the others as `shown` declares.
                {"key": "name", "label": "Name", "numeric": false, "shown": true, "fixed": true},
                {"key": "strand", "label": "Strand", "numeric": true, "shown": true, "fixed": false},
                // A taxonomy column shows its field, under the field's label.
                {"key": "modality", "label": "Modalities", "numeric": false, "shown": false, "fixed": false},
                {"key": "venue", "label": "Venue", "numeric": false, "shown": true, "fixed": false},
                {"key": "date", "label": "Published", "numeric": false, "shown": true, "fixed": false},
                {"key": "data_scale", "label": "data_scale", "numeric": false, "shown": false, "fixed": false},
                {"key": "open_code", "label": "Open code", "numeric": true, "shown": false, "fixed": false},
            ])
        );
    }

    #[test]
    fn rows_are_cards_in_display_order_with_their_index() {
        let table = english();
        let rows = table["rows"].as_array().unwrap();
        let found: Vec<(&str, &str, u64)> = rows
            .iter()
            .map(|r| {
                let slug = r["slug"].as_str().unwrap();
                (
                    slug,
                    r["url"].as_str().unwrap(),
                    r["index"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("sam", "en/works/sam.html", 0),
                ("medsam", "en/works/medsam.html", 1),
                ("undated", "en/works/undated.html", 2),
            ]
        );
        assert_eq!(rows[1]["title"], "MedSAM", "the card's fields");
        assert_eq!(rows[1]["strand"]["label"], "Medical");
    }

    #[test]
    fn cells_say_their_kind_with_a_sort_key_where_the_text_is_none() {
        let table = english();
        let medsam = &table["rows"][1]["cells"];
        let kinds: Vec<&str> = (medsam.as_array().unwrap().iter())
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["name", "term", "terms", "term", "date", "text", "tristate"]
        );
        assert_eq!(
            medsam[0],
            json!({"kind": "name", "value": null, "sort": "medsam", "class": null})
        );
        // A vocabulary term sorts by its place in the vocabulary.
        assert_eq!(medsam[1]["sort"], "1");
        assert_eq!(
            medsam[1]["value"],
            json!({"key": "medical", "label": "Medical", "url": "en/taxonomies/strand/medical.html"})
        );
        assert_eq!(medsam[2]["sort"], Value::Null);
        assert_eq!(medsam[2]["value"][1]["label"], "MRI");
        // A free term that is no taxonomy has no page, and sorts by its text.
        assert_eq!(
            medsam[3],
            json!({
                "kind": "term",
                "value": {"key": "Nature Communications", "label": "Nature Communications", "url": ""},
                "sort": null,
                "class": null,
            })
        );
        assert_eq!(medsam[4]["sort"], "2024-01-22");
        assert_eq!(medsam[4]["value"]["display"], "22 Jan 2024");
        assert_eq!(
            medsam[5],
            json!({"kind": "text", "value": "1.5M masks", "sort": "1.5M masks", "class": "scale"})
        );
        assert_eq!(medsam[6]["sort"], "1", "no: after yes, before unknown");
        assert_eq!(medsam[6]["value"], json!({"value": "no", "label": "No"}));
    }

    #[test]
    fn empty_values_have_empty_sort_keys_and_unknown_tristates_sort_last() {
        let table = english();
        let undated = &table["rows"][2]["cells"];
        assert_eq!(undated[4]["sort"], "", "an unknown date");
        assert_eq!(undated[4]["value"]["display"], "Date unknown");
        assert_eq!(undated[3]["value"], Value::Null, "no venue");
        assert_eq!(undated[5]["sort"], "");
        assert_eq!(undated[6]["sort"], "2");
        let sam = &table["rows"][0]["cells"];
        assert_eq!(sam[6]["sort"], "0");
        assert_eq!(sam[1]["sort"], "0", "the first strand");
    }

    #[test]
    fn rows_carry_their_filter_keys_and_search_text() {
        let table = english();
        let facets = |row: usize| table["rows"][row]["facets"].clone();
        assert_eq!(
            facets(1),
            json!([
                {"name": "strand", "keys": "medical"},
                {"name": "modality", "keys": "ct mri"},
                {"name": "open_code", "keys": "no"},
            ])
        );
        assert_eq!(
            facets(2),
            json!([
                {"name": "strand", "keys": "medical"},
                {"name": "modality", "keys": ""},
                {"name": "open_code", "keys": "unknown"},
            ])
        );
        // The slug, then the declared search fields: text in the page language, lists as they are.
        assert_eq!(
            table["rows"][1]["search"],
            "medsam Segment anything in medical images Vector Institute"
        );
        assert_eq!(table["rows"][2]["search"], "undated ");
    }

    #[test]
    fn filters_offer_the_choices_entries_carry_with_their_counts() {
        let table = english();
        assert_eq!(
            table["filters"],
            json!([
                {"name": "strand", "label": "Strand line", "options": [
                    {"value": "general", "label": "General", "count": 1},
                    {"value": "medical", "label": "Medical", "count": 2},
                ]},
                {"name": "modality", "label": "Modality", "options": [
                    {"value": "ct", "label": "CT", "count": 2},
                    {"value": "mri", "label": "MRI", "count": 1},
                ]},
                {"name": "open_code", "label": "Open code", "options": [
                    {"value": "yes", "label": "Yes", "count": 1},
                    {"value": "no", "label": "No", "count": 1},
                    {"value": "unknown", "label": "Unknown", "count": 1},
                ]},
            ])
        );
    }

    #[test]
    fn the_table_speaks_the_page_language() {
        let site = testing::site(MODEL, FILES);
        let zh = table(&site, "zh");
        assert_eq!(zh["columns"][0]["label"], "名称");
        assert_eq!(zh["columns"][1]["label"], "脉络");
        assert_eq!(zh["rows"][1]["url"], "works/medsam.html");
        assert_eq!(
            zh["rows"][1]["search"],
            "medsam 医学分割一切 Vector Institute"
        );
        assert_eq!(zh["filters"][2]["options"][0]["label"], "是");
        assert_eq!(
            zh["rows"][1]["cells"][4]["value"]["display"],
            "2024年1月22日"
        );
    }
}
