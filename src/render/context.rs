//! What each kind of page hands its template, as typed structs: the [`Frame`] every page shares
//! (language, paths, navigation, head metadata, UI strings) and one struct per page kind for the
//! rest. A template sees the frame's fields and its page kind's fields side by side (see
//! `docs/templates.md`, generated from [`crate::render::context::DOCUMENTED`]).

use crate::view::citations::{BibliographyItem, CitingPage};
use serde::Serialize;

use crate::view::charts::ChartView;
use serde_json::Value;

use crate::markup::markdown::Heading;
use crate::model::id::{CollectionId, IdVec, TaxonomyId};
use crate::render::meta::Head;
use crate::view::lineage::{EntryGraph, LineagePage};
use crate::view::table::TableView;
use crate::view::{Card, DateView, Group, PageCard, TermCount, TermRef, TimelineBucket};

/// Fields of every page: language, paths, navigation and head metadata.
#[derive(Debug, Serialize)]
pub(crate) struct Frame<'a> {
    /// Language code of the page.
    pub(crate) lang: &'a str,
    /// `../` prefix from this page to the site root.
    pub(crate) root: String,
    /// Site-root-relative URL of this page.
    pub(crate) url: String,
    /// Absolute canonical URL (from the configured base URL).
    pub(crate) canonical: String,
    /// Page title (without the site title).
    pub(crate) title: String,
    /// Meta description.
    pub(crate) description: String,
    /// Site title in this language.
    pub(crate) site_title: &'a str,
    /// Site description in this language.
    pub(crate) site_description: &'a str,
    /// Home page URL of this language.
    pub(crate) home_url: String,
    /// URL prefix of this language (`""` or `en/`); `{{ root }}{{ prefix }}path` links within
    /// the language.
    pub(crate) prefix: String,
    /// Main navigation: pages with a `weight`.
    pub(crate) nav: &'a [PageCard],
    /// The collections, with their list pages.
    pub(crate) collections: &'a IdVec<CollectionId, CollectionLink>,
    /// The same page in every language.
    pub(crate) alternates: Vec<Alternate<'a>>,
    /// UI strings of this language (`t.key`).
    pub(crate) t: &'a Value,
    /// Head metadata: Open Graph values and JSON-LD.
    pub(crate) head: Head,
    /// Which site-wide pages and files this site has.
    pub(crate) features: Features,
    /// Whether the page shows highlighted code (link `highlight.css` only then).
    #[serde(serialize_with = "for_templates_only")]
    pub(crate) code: bool,
    /// The site's release as `CITATION.cff` states it, or null without that file.
    pub(crate) release: Option<&'a Release>,
}

/// The site's release, from `CITATION.cff`: what a footer states about the whole site.
#[derive(Debug, Serialize)]
pub(crate) struct Release {
    /// `version`, or empty.
    pub(crate) version: String,
    /// `date-released` in the page's language (`iso`, `display`), or null.
    pub(crate) date: Option<DateView>,
    /// `license`: each identifier with the page stating it (`id`, `url`).
    pub(crate) licenses: Vec<LicenseView>,
}

/// One licence of the site.
#[derive(Debug, Serialize)]
pub(crate) struct LicenseView {
    /// The identifier, e.g. `CC-BY-4.0`.
    pub(crate) id: String,
    /// The page stating it (empty when unknown).
    pub(crate) url: String,
}

/// Which site-wide pages and files a site has (what `site.yaml` declares), so a theme links
/// only to what exists.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Features {
    /// `atom.xml` per language.
    pub(crate) feed: bool,
    /// `table.html`.
    pub(crate) table: bool,
    /// `lineage.html`.
    pub(crate) lineage: bool,
    /// `print.html`.
    pub(crate) print: bool,
    /// `data.html` and the export files.
    pub(crate) exports: bool,
    /// Taxonomy pages (`taxonomies/index.html`).
    pub(crate) taxonomies: bool,
    /// The bibliography page's path inside the language folder, when the site has citations.
    pub(crate) bibliography: Option<String>,
}

/// A field of an entry's collection, in declaration order: what a generic template iterates.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldInfo {
    /// The key in `page`.
    pub(crate) name: String,
    /// Its label in the page language.
    pub(crate) label: String,
    /// Its type as `site.yaml` writes it (`text`, `terms`, `date`, …).
    #[serde(rename = "type")]
    pub(crate) ty: &'static str,
}

/// The same page in another language.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate<'a> {
    /// Language code.
    pub(crate) lang: &'a str,
    /// Language name in itself.
    pub(crate) name: &'a str,
    /// Site-root-relative URL.
    pub(crate) url: String,
    /// Absolute URL.
    pub(crate) absolute: String,
    /// True for the page's own language.
    pub(crate) current: bool,
}

/// A collection as a link to its list page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CollectionLink {
    /// Its name in `site.yaml`.
    pub(crate) name: String,
    /// Its folder (`{{ root }}{{ prefix }}{{ c.folder }}/index.html` is its list page).
    pub(crate) folder: String,
    /// Its label in the page language.
    pub(crate) label: String,
    /// Site-root-relative URL of its list page.
    pub(crate) url: String,
    /// Number of entries.
    pub(crate) count: usize,
}

/// A page with its frame: what a template receives.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<'a, T: Serialize> {
    /// Fields of every page.
    #[serde(flatten)]
    pub(crate) frame: Frame<'a>,
    /// Fields of this kind of page.
    #[serde(flatten)]
    pub(crate) page: T,
}

/// A rendered Markdown body with its table of contents. A context key sees only its `key`
/// (see [`crate::write::contexts`]), which decides everything else about it: so a page can be
/// found unchanged before its body is rendered, from a body known by its key alone.
#[derive(Debug, Clone)]
pub(crate) struct BodyView<'a> {
    /// What the body is made from: its text and what its links resolve against.
    pub(crate) key: u64,
    /// HTML (empty until rendered).
    pub(crate) html: &'a str,
    /// Headings of levels 2–3 (empty until rendered).
    pub(crate) toc: Vec<&'a Heading>,
    /// Whether it holds highlighted code (the frame's `code`).
    pub(crate) highlighted: bool,
    /// False for a body known by its key alone.
    pub(crate) rendered: bool,
}

impl Serialize for BodyView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // A context key is walked by a serializer that is not human-readable.
        if !serializer.is_human_readable() {
            return serializer.serialize_u64(self.key);
        }
        let mut map = serializer.serialize_struct("BodyView", 2)?;
        map.serialize_field("html", self.html)?;
        map.serialize_field("toc", &self.toc)?;
        map.end()
    }
}

/// Serialises `value` for templates only: a context key skips it, as what decides it is keyed
/// elsewhere (a page's `code` follows its body, keyed by [`BodyView::key`]).
fn for_templates_only<S: serde::Serializer, T: Serialize>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match serializer.is_human_readable() {
        true => value.serialize(serializer),
        false => serializer.serialize_unit(),
    }
}

/// An entry page (the collection's template, e.g. `work.html`).
#[derive(Debug, Serialize)]
pub(crate) struct EntryPage<'a> {
    /// The entry: every declared field by name, the reverse side of its references, `related`,
    /// `prev` and `next`, `slug` and `url`. (Moved into the template context, not serialised.)
    #[serde(skip)]
    pub(crate) page: Value,
    /// The rendered body.
    pub(crate) body: BodyView<'a>,
    /// Field labels of the collection in the page language (`labels.kind`).
    pub(crate) labels: &'a Value,
    /// The collection's fields in declaration order, with their labels and types.
    pub(crate) fields: &'a [FieldInfo],
    /// The entry's lineage neighbourhood, when the site draws lineage and it has relations.
    pub(crate) lineage_graph: Option<EntryGraph>,
    /// The entry's BibTeX, when it cites a publication.
    pub(crate) bibtex: Option<String>,
    /// The pages (and their sections) citing the entry, in this language.
    pub(crate) discussed_in: Vec<CitingPage>,
}

/// The bibliography page: every cited work with the pages citing it.
#[derive(Debug, Serialize)]
pub(crate) struct BibliographyPage {
    /// The works, sorted by their references.
    pub(crate) works: Vec<BibliographyItem>,
}

/// A page outside the collections (layouts' templates).
#[derive(Debug, Serialize)]
pub(crate) struct ProsePage<'a> {
    /// Its title, summary and URL.
    pub(crate) page: PageCard,
    /// The rendered body.
    pub(crate) body: BodyView<'a>,
    /// The page's layout.
    pub(crate) layout: &'a str,
    /// What the layout adds.
    #[serde(flatten)]
    pub(crate) extra: LayoutExtra<'a>,
}

/// What a layout adds to its pages.
#[derive(Debug, Default, Serialize)]
pub(crate) struct LayoutExtra<'a> {
    /// With `newest`: the newest entries' cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) newest: Option<Vec<&'a Card<'a>>>,
    /// With `newest`: how many entries the collection has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) total: Option<usize>,
    /// With `newest`: for every taxonomy, its terms with their counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) counts: Option<serde_json::Map<String, Value>>,
    /// With `lists`: the term the page lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) term: Option<TermRef>,
    /// With `lists` and `group_by`: the listed entries by group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) groups: Option<Vec<Group<'a>>>,
    /// With `timeline`: the listed entries (and their unlisted ancestors) by month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) timeline: Option<Vec<TimelineBucket<'a>>>,
    /// With `lists`: the listed entries (with `group_by`, every group's entries in turn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) entries: Option<Vec<&'a Card<'a>>>,
    /// The layout's `charts`, counting the listed entries (empty without `charts`).
    pub(crate) charts: Vec<ChartView>,
}

/// A collection's list of all entries (`<folder>/index.html`, template `list.html`).
#[derive(Debug, Serialize)]
pub(crate) struct ListPage<'a> {
    /// The collection.
    pub(crate) collection: &'a CollectionLink,
    /// Its entries by group (one group with no term when the collection has no group field).
    pub(crate) groups: Vec<Group<'a>>,
}

/// A taxonomy with its terms.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyView {
    /// Name (folder of its pages).
    pub(crate) name: String,
    /// Label in the page language.
    pub(crate) label: String,
    /// Site-root-relative URL of its index page.
    pub(crate) url: String,
    /// Its terms carried by at least one entry.
    pub(crate) terms: Vec<TermCount>,
}

/// The index of every taxonomy (`taxonomies/index.html`, template `taxonomies.html`).
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomiesPage<'a> {
    /// Every taxonomy.
    pub(crate) taxonomies: &'a IdVec<TaxonomyId, TaxonomyView>,
}

/// One taxonomy (`taxonomies/<name>/index.html`, template `taxonomy.html`).
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyPage<'a> {
    /// The taxonomy.
    pub(crate) taxonomy: &'a TaxonomyView,
}

/// A taxonomy's name, label and index page: what a term page shows of its taxonomy.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyHeading<'a> {
    /// Name.
    pub(crate) name: &'a str,
    /// Label in the page language.
    pub(crate) label: &'a str,
    /// Site-root-relative URL of its index page.
    pub(crate) url: &'a str,
}

/// One term (`taxonomies/<name>/<term>.html`, template `term.html`).
#[derive(Debug, Serialize)]
pub(crate) struct TermPage<'a> {
    /// Its taxonomy (without the term list).
    pub(crate) taxonomy: TaxonomyHeading<'a>,
    /// The term.
    pub(crate) term: TermRef,
    /// The entries carrying it.
    pub(crate) entries: Vec<&'a Card<'a>>,
    /// The comparison table filtered by the term, when the table has this filter.
    pub(crate) table_url: Option<String>,
}

/// The comparison table (`table.html`).
#[derive(Debug, Serialize)]
pub(crate) struct TablePage<'a> {
    /// Columns, rows and filters.
    pub(crate) table: TableView<'a>,
}

/// The lineage graph (`lineage.html`).
#[derive(Debug, Serialize)]
pub(crate) struct LineagePageContext<'a> {
    /// The drawing and its text form.
    pub(crate) lineage: LineagePage<'a>,
    /// Field labels of the drawn collection (`labels.built_upon_by`).
    pub(crate) labels: &'a Value,
}

/// A page with nothing beyond the frame (`404.html`, `search.html`).
#[derive(Debug, Default, Serialize)]
pub(crate) struct PlainPage {}

/// The data and citation page (`data.html`).
#[derive(Debug, Serialize)]
pub(crate) struct DataPage<'a> {
    /// The site's own citation, from `CITATION.cff`.
    pub(crate) site_citation: Option<SiteCitation>,
    /// Number of exported entries.
    pub(crate) total: usize,
    /// Version of the JSON export's shape.
    pub(crate) json_version: u32,
    /// The export files' names.
    pub(crate) exports: ExportFiles<'a>,
}

/// The names of the export files at the site root.
#[derive(Debug, Serialize)]
pub(crate) struct ExportFiles<'a> {
    /// The JSON export, e.g. `models.json`.
    pub(crate) json: String,
    /// The CSV export, e.g. `models.csv`.
    pub(crate) csv: String,
    /// The BibTeX file, when the collection cites publications.
    pub(crate) bib: Option<&'a str>,
}

/// The site's own citation, as the data page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct SiteCitation {
    /// BibTeX entry.
    pub(crate) bibtex: String,
    /// What `CITATION.cff` asks of users.
    pub(crate) message: String,
}

/// The documented template variables: (page kind, variable, what it holds). `medfm schema
/// --templates` prints them with each collection's entry fields; a test checks that every page
/// kind's context has exactly these keys.
pub(crate) const DOCUMENTED: &[(&str, &str, &str)] = &[
    ("every page", "lang", "language code of the page"),
    ("every page", "root", "`../` prefix from the page to the site root: write links as `{{ root }}{{ x.url }}`"),
    ("every page", "url", "site-root-relative URL of the page"),
    ("every page", "canonical", "absolute URL of the page (from `base_url`)"),
    ("every page", "title", "page title, without the site title"),
    ("every page", "description", "meta description: the page summary, or the site description"),
    ("every page", "site_title", "site title in the page language"),
    ("every page", "site_description", "site description in the page language"),
    ("every page", "home_url", "site-root-relative URL of the home page of the language"),
    ("every page", "prefix", "URL prefix of the language (`\"\"` or `en/`): `{{ root }}{{ prefix }}table.html`"),
    ("every page", "nav", "pages with a `weight`, in order: `title`, `summary`, `url`"),
    ("every page", "collections", "the collections: `name`, `folder`, `label`, `url` (their list page), `count`"),
    ("every page", "alternates", "the page in every language: `lang`, `name`, `url`, `absolute`, `current`"),
    ("every page", "t", "UI strings of the language (`strings` in site.yaml): `{{ t.home }}`"),
    ("every page", "code", "whether the page shows highlighted code: link `highlight.css` only then"),
    ("every page", "release", "the site's release from CITATION.cff, or null: `version` (empty when not given), `date` (`date-released`: `iso`, `display` in the page language; or null), `licenses` (`id`, `url`: `license-url`, else the SPDX page of the identifier)"),
    ("every page", "features", "which site-wide pages exist: `feed`, `table`, `lineage`, `print`, `exports`, `taxonomies` (true or false); `bibliography`: the bibliography page's path in the language folder, or null without `citations`"),
    ("every page", "head", "head metadata: `title`, `og_type`, `locale`, `locale_alternates`, `feed_title`, `base_path`, `json_ld` (escaped, print with `| safe`)"),
    ("entry", "page", "the entry: `slug`, `url`, every field of its collection by name (see below), the reverse side of references, `related`, `prev`, `next` (cards)"),
    ("entry", "body", "the rendered body: `html` (print with `| safe`) and `toc` (headings of levels 2–3: `level`, `id`, `text`)"),
    ("entry", "labels", "labels of the collection's fields in the page language: `{{ labels.modalities }}`"),
    ("entry", "fields", "the collection's fields in declaration order: `name` (the key in `page`), `label`, `type`"),
    ("entry", "lineage_graph", "the entry's lineage neighbourhood or null: `svg` (print with `| safe`), `nodes`, `edges`, `layers` (rows on a time axis), `width`, `by_time` (placed on a time axis), `approximate` (some work dated only to its year: dotted outline), `backward` (some arrow points back in time: dotted)"),
    ("entry", "bibtex", "the entry's BibTeX entry, or null"),
    ("entry", "discussed_in", "the pages citing the entry in this language: `title`, `url`, `sections` (`title`, `url` with the heading's anchor); empty when none"),
    ("page", "page", "the page: `title`, `summary`, `url`"),
    ("page", "body", "the rendered body: `html` and `toc`"),
    ("page", "layout", "the page's layout"),
    ("page", "newest", "layouts with `newest`: cards of the newest entries"),
    ("page", "total", "layouts with `newest`: the number of entries"),
    ("page", "counts", "layouts with `newest`: per taxonomy, its terms with `key`, `label`, `url`, `count`"),
    ("page", "term", "layouts with `lists`: the term the page lists (`key`, `label`, `url`)"),
    ("page", "groups", "layouts with `lists` and `group_by`: `term` and `entries` (cards) per group"),
    ("page", "timeline", "layouts with `timeline`: per month `iso`, `label`, `works` (cards with `from_preprint`)"),
    ("page", "entries", "layouts with `lists`: the cards of the listed entries (with `group_by`, every group's entries in turn)"),
    ("page", "charts", "the layout's `charts` (counting the listed entries; empty without `charts`): `id`, `caption`, `svg` (inline SVG, print with `safe`), `legend` (`label`, `class`), `note`, `head` (the data table's headers) and `rows` (`label`, `cells`: `count`, `url`)"),
    ("list", "collection", "the collection: `name`, `folder`, `label`, `url`, `count`"),
    ("list", "groups", "its entries by its group field: `term` (null without a group field) and `entries` (cards)"),
    ("taxonomies", "taxonomies", "every taxonomy: `name`, `label`, `url`, `terms` (`key`, `label`, `url`, `count`)"),
    ("taxonomy", "taxonomy", "the taxonomy: `name`, `label`, `url`, `terms`"),
    ("term", "taxonomy", "the term's taxonomy: `name`, `label`, `url`"),
    ("term", "term", "the term: `key`, `label`, `url`"),
    ("term", "entries", "cards of the entries carrying the term"),
    ("term", "table_url", "the table filtered by the term, or null"),
    ("table", "table", "`columns` (`key`, `label`, `numeric`), `rows` (cards with `index`, `cells` — `kind` (`name`, `term`, `terms`, `date`, `tristate`, `number` or `text`), `value`, `sort`, `class` — `facets` and `search`), `filters` (`name`, `label`, `options`: `value`, `label`, `count`)"),
    ("lineage", "lineage", "`graph` (as `lineage_graph`), `groups` (`work` and, per edge field, the cards naming it under the reverse name), `unlinked` (cards), `legend` (terms of the group field)"),
    ("lineage", "labels", "labels of the drawn collection's fields, with the reverse names"),
    ("data", "site_citation", "the site's citation from CITATION.cff (`bibtex`, `message`), or null"),
    ("data", "total", "number of exported entries"),
    ("data", "json_version", "version of the JSON export's shape"),
    ("data", "exports", "export file names: `json`, `csv`, `bib` (or null)"),
    ("bibliography", "works", "every cited work, sorted by its reference: `id` (`ref-<key>`), `html` (the formatted reference, print with `| safe`), `page` and `page_title` (an entry's page, else null), `link` (another work's DOI or URL, else null), `cited_in` (as an entry's `discussed_in`)"),
    ("print", "print", "`pages` (`id`, `title`, `summary`, `html`) then `groups` (`id`, `term`, `works`: `id`, `title`, `html`); `abridged`: true when the collection has more entries than `print.full_text_up_to`, whose pieces then have no body"),
    ("print piece", "w", "one entry in the print view: `id`, `page` (as on the entry page), `html` (empty when the view is abridged); with `t`, `labels`, `root`, `lang`"),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::{json, Map};

    use super::*;
    use crate::render::meta::Head;
    use crate::render::print::{PrintPage, PrintView};
    use crate::render::PageKind;
    use crate::view::lineage::{GraphView, LineagePage};
    use crate::view::table::TableView;
    use crate::view::TimelineWork;

    /// The variables a template of this kind of page receives besides the frame's, as the
    /// renderer hands them over: the serialised fields and the value moved in.
    fn variables<T: PageKind>(mut kind: T) -> Map<String, Value> {
        let moved = kind.take_moved();
        let Value::Object(mut map) = serde_json::to_value(&kind).unwrap() else {
            panic!("a page kind serialises to a map");
        };
        map.extend(moved.map(|(key, value)| (key.to_string(), value)));
        map
    }

    /// The keys of `value` (a map, or the first map of a list) its description does not name
    /// as `` `key` ``.
    fn unnamed_keys(value: &Value, about: &str) -> Vec<String> {
        let map = match value {
            Value::Object(map) => Some(map),
            Value::Array(list) => list.first().and_then(Value::as_object),
            _ => None,
        };
        // The reference defines a card once, above the tables: its keys need no repeating
        // where a text says it holds cards.
        let card_key = |key: &str| about.contains("card") && ["slug", "url"].contains(&key);
        (map.into_iter().flat_map(|m| m.keys()))
            .filter(|key| !about.contains(&format!("`{key}`")) && !card_key(key))
            .cloned()
            .collect()
    }

    /// What differs between the variables of page kind `kind` and [`DOCUMENTED`].
    fn undocumented(kind: &str, variables: &Map<String, Value>) -> Vec<String> {
        let documented: Vec<(&str, &str)> = (DOCUMENTED.iter())
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, name, about)| (*name, *about))
            .collect();
        let mut problems = Vec::new();
        for (key, value) in variables {
            match documented.iter().find(|(name, _)| name == key) {
                None => problems.push(format!("{kind}: `{key}` is not documented")),
                Some((_, about)) => problems.extend(
                    (unnamed_keys(value, about).into_iter())
                        .map(|sub| format!("{kind}: `{key}` holds `{sub}`, which its text omits")),
                ),
            }
        }
        problems.extend(
            (documented.iter())
                .filter(|(name, _)| !variables.contains_key(*name))
                .map(|(name, _)| format!("{kind}: `{name}` is documented but not handed over")),
        );
        problems
    }

    fn sample_chart() -> crate::view::charts::ChartView {
        use crate::view::charts::{ChartView, DataCell, DataRow, LegendItem};
        ChartView {
            id: "chart-by-month".into(),
            caption: "Works by month".into(),
            svg: "<svg …>…</svg>".into(),
            legend: vec![LegendItem {
                label: "Medical".into(),
                class: "c1".into(),
            }],
            note: None,
            head: vec!["Period".into(), "Medical".into(), "Total".into()],
            rows: vec![DataRow {
                label: "Mar 2024".into(),
                cells: vec![DataCell {
                    count: 1,
                    url: "en/table.html?date=2024-03&strand=medical".into(),
                }],
            }],
        }
    }

    fn term() -> TermRef {
        TermRef {
            key: "ct".into(),
            label: "CT".into(),
            url: "taxonomies/modality/ct.html".into(),
        }
    }

    fn card() -> PageCard {
        PageCard {
            title: "About".into(),
            summary: "What this is.".into(),
            url: "about.html".into(),
        }
    }

    fn collection() -> CollectionLink {
        CollectionLink {
            name: "works".into(),
            folder: "works".into(),
            label: "Works".into(),
            url: "works/index.html".into(),
            count: 1,
        }
    }

    fn taxonomy() -> TaxonomyView {
        TaxonomyView {
            name: "modality".into(),
            label: "Modality".into(),
            url: "taxonomies/modality/index.html".into(),
            terms: vec![TermCount {
                term: term(),
                count: 1,
            }],
        }
    }

    fn graph() -> GraphView {
        GraphView {
            svg: "<svg></svg>".into(),
            nodes: 1,
            edges: 0,
            layers: 1,
            width: 10.0,
            by_time: false,
            approximate: false,
            backward: false,
        }
    }

    fn entry_graph() -> EntryGraph {
        use crate::view::lineage::svg::NodeSpec;
        EntryGraph(crate::view::lineage::svg::Drawing {
            id: "lineage-work".into(),
            title: "MedSAM".into(),
            desc: "1 work".into(),
            nodes: vec![NodeSpec {
                label: "MedSAM".into(),
                tooltip: "MedSAM".into(),
                href: None,
                classes: String::new(),
                pill: false,
            }],
            edges: Vec::new(),
            placement: crate::view::lineage::svg::Placement::Generations,
        })
    }

    fn body() -> BodyView<'static> {
        BodyView {
            key: 0,
            html: "<p>x</p>",
            toc: Vec::new(),
            highlighted: false,
            rendered: true,
        }
    }

    fn frame<'a>(
        t: &'a Value,
        nav: &'a [PageCard],
        collections: &'a IdVec<CollectionId, CollectionLink>,
    ) -> Frame<'a> {
        Frame {
            lang: "en",
            root: "../".into(),
            url: "en/about.html".into(),
            canonical: "https://example.org/en/about.html".into(),
            title: "About".into(),
            description: "What this is.".into(),
            site_title: "Site",
            site_description: "A site.",
            home_url: "en/index.html".into(),
            prefix: "en/".into(),
            nav,
            collections,
            alternates: vec![Alternate {
                lang: "en",
                name: "English",
                url: "en/about.html".into(),
                absolute: "https://example.org/en/about.html".into(),
                current: true,
            }],
            t,
            head: Head {
                title: "About".into(),
                og_type: "website",
                locale: "en".into(),
                locale_alternates: vec!["zh_CN".into()],
                feed_title: "Site (Atom)".into(),
                base_path: "/".into(),
                json_ld: "{}".into(),
            },
            features: Features {
                feed: true,
                table: true,
                lineage: true,
                print: true,
                exports: true,
                taxonomies: true,
                bibliography: Some("bibliography.html".into()),
            },
            code: false,
            release: Some(Box::leak(Box::new(Release {
                version: "1.0".into(),
                date: Some(DateView {
                    iso: "2026-11-28".into(),
                    display: "28 Nov 2026".into(),
                }),
                licenses: vec![LicenseView {
                    id: "CC-BY-4.0".into(),
                    url: "https://spdx.org/licenses/CC-BY-4.0.html".into(),
                }],
            }))),
        }
    }

    /// A page that cites a work.
    fn citing_page() -> CitingPage {
        CitingPage {
            title: "Trends".into(),
            url: "trends/a.html".into(),
            sections: vec![crate::view::citations::SectionLink {
                title: "Overview".into(),
                url: "trends/a.html#overview".into(),
            }],
        }
    }

    /// The bibliography page's sample context.
    fn bibliography_page() -> Map<String, Value> {
        variables(BibliographyPage {
            works: vec![BibliographyItem {
                id: "ref-a".into(),
                html: "A. <i>T</i>. 2024.".into(),
                page: Some("models/a.html".into()),
                page_title: Some("A".into()),
                link: Some("https://doi.org/10.1/x".into()),
                cited_in: vec![citing_page()],
            }],
        })
    }

    /// A prose page's sample context, every layout extra present, listing `entry`.
    fn prose_page(entry: &Card<'_>) -> Map<String, Value> {
        variables(ProsePage {
            page: card(),
            body: body(),
            layout: "trend",
            extra: LayoutExtra {
                newest: Some(vec![entry]),
                total: Some(1),
                counts: Some(Map::new()),
                term: Some(term()),
                groups: Some(vec![Group {
                    term: Some(term()),
                    entries: vec![entry],
                }]),
                timeline: Some(vec![TimelineBucket {
                    iso: "2024-03".into(),
                    label: "Mar 2024".into(),
                    works: vec![TimelineWork {
                        card: entry,
                        from_preprint: false,
                    }],
                }]),
                entries: Some(vec![entry]),
                charts: vec![sample_chart()],
            },
        })
    }

    /// The data page's sample context.
    fn data_page() -> Map<String, Value> {
        variables(DataPage {
            site_citation: Some(SiteCitation {
                bibtex: "@misc{site}".into(),
                message: "Cite this.".into(),
            }),
            total: 1,
            json_version: 1,
            exports: ExportFiles {
                json: "works.json".into(),
                csv: "works.csv".into(),
                bib: Some("references.bib"),
            },
        })
    }

    /// The table page's sample context (its rows are typed, and tested in `view::table`).
    fn table_page() -> Map<String, Value> {
        variables(TablePage {
            table: TableView {
                columns: Vec::new(),
                rows: Vec::new(),
                filters: Vec::new(),
            },
        })
    }

    /// The print view's sample context.
    fn print_page() -> Map<String, Value> {
        variables(PrintPage {
            print: PrintView {
                pages: Vec::new(),
                groups: Vec::new(),
                abridged: false,
            },
        })
    }

    /// The lineage page's sample context.
    fn lineage_page(labels: &Value) -> Map<String, Value> {
        variables(LineagePageContext {
            lineage: LineagePage {
                graph: graph(),
                groups: Vec::new(),
                unlinked: Vec::new(),
                legend: vec![term()],
            },
            labels,
        })
    }

    /// Every kind of page with a minimal context (each optional part present), by the name
    /// [`DOCUMENTED`] gives it.
    fn page_kinds() -> Vec<(&'static str, Map<String, Value>)> {
        let (labels, collection) = (json!({}), collection());
        let (taxonomy, taxonomies) = (taxonomy(), IdVec::from_vec(vec![taxonomy()]));
        let fields = [FieldInfo {
            name: "title".into(),
            label: "Title".into(),
            ty: "text",
        }];
        // A card: which fields it has is up to site.yaml, so it has none.
        let entry = Card {
            slug: "a",
            url: "works/a.html".into(),
            fields: Vec::new(),
        };
        vec![
            (
                "entry",
                variables(EntryPage {
                    page: json!({}),
                    body: body(),
                    labels: &labels,
                    fields: &fields,
                    lineage_graph: Some(entry_graph()),
                    bibtex: Some("@misc{a}".into()),
                    discussed_in: vec![citing_page()],
                }),
            ),
            ("bibliography", bibliography_page()),
            ("page", prose_page(&entry)),
            (
                "list",
                variables(ListPage {
                    collection: &collection,
                    groups: vec![Group {
                        term: None,
                        entries: vec![&entry],
                    }],
                }),
            ),
            (
                "taxonomies",
                variables(TaxonomiesPage {
                    taxonomies: &taxonomies,
                }),
            ),
            (
                "taxonomy",
                variables(TaxonomyPage {
                    taxonomy: &taxonomy,
                }),
            ),
            (
                "term",
                variables(TermPage {
                    taxonomy: TaxonomyHeading {
                        name: &taxonomy.name,
                        label: &taxonomy.label,
                        url: &taxonomy.url,
                    },
                    term: term(),
                    entries: vec![&entry],
                    table_url: Some("table.html?modality=ct".into()),
                }),
            ),
            ("table", table_page()),
            ("lineage", lineage_page(&labels)),
            ("data", data_page()),
            ("print", print_page()),
        ]
    }

    #[test]
    fn every_page_hands_its_template_the_documented_frame() {
        let (t, nav) = (json!({}), [card()]);
        let collections = IdVec::from_vec(vec![collection()]);
        let Value::Object(frame) = serde_json::to_value(frame(&t, &nav, &collections)).unwrap()
        else {
            panic!("the frame serialises to a map");
        };
        let problems = undocumented("every page", &frame);
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(frame.len(), 18);
    }

    #[test]
    fn each_page_kind_hands_its_template_exactly_the_documented_variables() {
        let (t, nav) = (json!({}), [card()]);
        let collections = IdVec::from_vec(vec![collection()]);
        let Value::Object(frame) = serde_json::to_value(frame(&t, &nav, &collections)).unwrap()
        else {
            panic!("the frame serialises to a map");
        };
        let kinds = page_kinds();
        let mut problems = Vec::new();
        for (kind, variables) in &kinds {
            problems.extend(undocumented(kind, variables));
            // Flattened beside the frame, a variable of the same name would hide one of them.
            problems.extend(
                (variables.keys())
                    .filter(|key| frame.contains_key(*key))
                    .map(|key| format!("{kind}: `{key}` is also a variable of every page")),
            );
        }
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(
            variables(PlainPage {}).is_empty(),
            "404 and search pages get the frame alone"
        );
        // Every documented kind of page is checked: here, or (`print piece`, whose context is
        // private to the print view) in `render::print`.
        let checked: BTreeSet<&str> = (kinds.iter().map(|(kind, _)| *kind))
            .chain(["every page", "print piece"])
            .collect();
        let documented: BTreeSet<&str> = DOCUMENTED.iter().map(|(kind, _, _)| *kind).collect();
        assert_eq!(documented, checked);
    }

    #[test]
    fn the_check_sees_undocumented_missing_and_unnamed_variables() {
        let mut variables = Map::new();
        variables.insert("site_citation".into(), json!({"bibtex": "", "doi": ""}));
        variables.insert("surprise".into(), json!(1));
        let mut problems = undocumented("data", &variables);
        problems.sort();
        assert_eq!(
            problems,
            [
                "data: `exports` is documented but not handed over",
                "data: `json_version` is documented but not handed over",
                "data: `site_citation` holds `doi`, which its text omits",
                "data: `surprise` is not documented",
                "data: `total` is documented but not handed over",
            ]
        );
    }
}
