//! The stylesheet and scripts the generator ships with every site, written at the site root:
//! they belong to what medfm generates (the markup of Markdown, citations, charts and lineage
//! graphs; the search index format, the table's `data-` attributes, the citation blocks), not to
//! one site's theme. A file of the same name in the site's `static/` replaces one. Each is plain
//! CSS or a plain script with no dependencies and no network access: it works from `file://`.

use crate::model::schema::Model;

/// The styles of the markup medfm writes into pages: callouts, footnotes, figures, equations,
/// citations, code blocks, lineage tracing and charts. A theme links it before its own
/// stylesheet, which overrides it by cascade.
const MEDFM_CSS: &str = include_str!("assets/medfm.css");
/// The search box and results page (`search.html?q=…`), reading `search/index.js`.
const SEARCH_JS: &str = include_str!("assets/search.js");
/// Sorting and filtering of `table.html`, keeping the state in the address.
const TABLE_JS: &str = include_str!("assets/table.js");
/// Highlighting a work's ancestors and descendants in lineage graphs.
const LINEAGE_JS: &str = include_str!("assets/lineage.js");
/// The copy buttons of BibTeX blocks.
const CITE_JS: &str = include_str!("assets/cite.js");

/// The files a site with `model` gets: (file name at the site root, text). The stylesheet
/// always, since every page may hold Markdown (a callout, a footnote, a figure) whatever its
/// template and collection, and one small file cached by the browser costs less than knowing
/// which pages need it; the search script always; the table's with a table; the lineage script
/// with a lineage graph; the citation script when a collection cites publications.
pub(crate) fn files(model: &Model) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("medfm.css", MEDFM_CSS), ("search.js", SEARCH_JS)];
    if model.table.is_some() {
        out.push(("table.js", TABLE_JS));
    }
    if model.lineage.is_some() {
        out.push(("lineage.js", LINEAGE_JS));
    }
    if model.collections.iter().any(|c| c.citation.is_some()) {
        out.push(("cite.js", CITE_JS));
    }
    out
}
