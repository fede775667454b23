//! The filters of the results page (`search.facets` in site.yaml): each is a term or terms
//! field, and each page of the index carries the terms it has of each (none when its schema
//! lacks the field). The results page lists a facet's terms in vocabulary order (free names
//! in name order), only those some page carries, and keeps the chosen term's key in the URL.

use serde::Serialize;

use crate::model::id::{FieldId, PageId};
use crate::model::schema::{Field, FieldType};
use crate::model::site::Site;

/// A facet as the results page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Facet {
    /// The field name, also the URL parameter.
    pub(crate) name: String,
    /// The field's label in the index's language (its name when unlabelled).
    pub(crate) label: String,
    /// `[key, label]` of each term some page carries.
    pub(crate) values: Vec<(String, String)>,
}

/// The facets of `site` in `lang`, and for each content page (by page id) the indexes into
/// each facet's values of the terms it carries.
pub(crate) fn facets(site: &Site, lang: &str) -> (Vec<Facet>, Vec<Vec<Vec<u16>>>) {
    let mut per_page = vec![Vec::new(); site.pages.len()];
    let mut out = Vec::new();
    for name in &site.config.search.facets {
        let (facet, keys) = facet(site, lang, name);
        for (page, keys) in per_page.iter_mut().zip(keys) {
            let at = keys.iter().filter_map(|k| {
                let i = facet.values.iter().position(|(key, _)| key == k)?;
                u16::try_from(i).ok()
            });
            page.push(at.collect());
        }
        out.push(facet);
    }
    (out, per_page)
}

/// Facet `name` in `lang`, and the term keys each page carries.
fn facet<'a>(site: &'a Site, lang: &str, name: &str) -> (Facet, Vec<&'a [String]>) {
    let config = &site.config;
    let at = |i: PageId| -> Option<FieldId> {
        let schema = site.schema(i);
        let f = schema.index(name)?;
        matches!(schema.fields[f].ty, FieldType::Term | FieldType::Terms).then_some(f)
    };
    let keys: Vec<&'a [String]> = (site.pages.ids())
        .map(|i| at(i).map_or(&[][..], |f| site.pages[i].values[f].terms()))
        .collect();
    let fields: Vec<&Field> = (site.pages.ids())
        .filter_map(|i| at(i).map(|f| &site.schema(i).fields[f]))
        .collect();
    let label = (fields.iter().find_map(|f| f.label.as_ref())).map_or_else(
        || name.to_string(),
        |l| config.localized(l, lang).to_string(),
    );
    let used = |key: &str| keys.iter().any(|k| k.iter().any(|x| x == key));
    let values = match fields.first().and_then(|f| f.vocabulary.as_deref()) {
        Some(v) => (config
            .vocabularies
            .get(v)
            .into_iter()
            .flat_map(|voc| voc.keys()))
        .filter(|k| used(k))
        .map(|k| (k.clone(), config.term_label(v, k, lang).to_string()))
        .collect(),
        None => {
            let mut names: Vec<&String> = keys.iter().flat_map(|k| k.iter()).collect();
            names.sort();
            names.dedup();
            names.into_iter().map(|k| (k.clone(), k.clone())).collect()
        }
    };
    let facet = Facet {
        name: name.to_string(),
        label,
        values,
    };
    (facet, keys)
}
