//! The rows of an index that are not content pages, made from the site's data rather than
//! from a render: the site pages (collection lists, the taxonomy pages, the table, the lineage
//! graph, the bibliography), found by their titles, and the categories (one per term page),
//! found by their labels in every language and their vocabulary aliases.

use super::index::{page_terms, Field};
use crate::model::id::{Id as _, TaxonomyId};
use crate::model::site::Site;

/// A generated page the results may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePage {
    /// URL relative to the language root.
    pub(crate) url: String,
    /// Title in the index's language.
    pub(crate) title: String,
    /// Weighted tokens.
    pub(crate) terms: Vec<(String, u8)>,
}

/// A term page, listed before the other results with its number of entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Category {
    /// The page and its tokens.
    pub(crate) page: SitePage,
    /// The taxonomy's position among the site's taxonomies.
    pub(crate) taxonomy: usize,
    /// The term page's file name without `.html`.
    pub(crate) slug: String,
    /// Page ids (indexes into `Site::pages`) of the entries carrying the term.
    pub(crate) entries: Vec<u32>,
}

/// A page's title in `lang` and in every other language.
struct Titles<'a> {
    own: &'a str,
    others: Vec<&'a str>,
}

impl<'a> Titles<'a> {
    fn new(site: &'a Site, lang: &str, title: impl Fn(&str) -> &'a str) -> Titles<'a> {
        let others = (site.config.language_codes())
            .filter(|l| *l != lang)
            .map(&title)
            .collect();
        Titles {
            own: title(lang),
            others,
        }
    }

    /// The own title at title weight, the others (and `aliases`) at alias weight.
    fn terms(&self, aliases: &[&str]) -> Vec<(String, u8)> {
        let others = self
            .others
            .iter()
            .chain(aliases)
            .map(|t| (Field::Alias, *t));
        page_terms(std::iter::once((Field::Title, self.own)).chain(others))
    }

    fn page(&self, url: String, aliases: &[&str]) -> SitePage {
        SitePage {
            url,
            title: self.own.to_string(),
            terms: self.terms(aliases),
        }
    }
}

/// The generated pages of `site` in `lang` that readers may look for by name, in a fixed order.
pub(crate) fn site_pages(site: &Site, lang: &str) -> Vec<SitePage> {
    let config = &site.config;
    let model = &config.model;
    let string = |key: &'static str| Titles::new(site, lang, move |l| config.string(l, key));
    let mut out: Vec<SitePage> = (model.collections.iter())
        .map(|c| {
            let titles = Titles::new(site, lang, |l| config.localized(&c.label, l));
            titles.page(format!("{}/index.html", c.folder), &[])
        })
        .collect();
    if !site.taxonomies.is_empty() {
        out.push(string("taxonomies").page("taxonomies/index.html".into(), &[]));
    }
    for t in site.taxonomies.ids() {
        let (_, name, decl) = model.taxonomy(t);
        let titles = Titles::new(site, lang, |l| config.localized(&decl.label, l));
        out.push(titles.page(format!("{}index.html", taxonomy_dir(name)), &[]));
    }
    let features = [
        (model.table.is_some(), "table", "table.html"),
        (model.lineage.is_some(), "lineage", "lineage.html"),
    ];
    for (_, key, url) in features.into_iter().filter(|f| f.0) {
        out.push(string(key).page(url.into(), &[]));
    }
    if let Some(decl) = &config.citations {
        out.push(string("bibliography_title").page(decl.page.clone(), &[]));
    }
    out
}

/// One category per term page of `site`, in taxonomy order.
pub(crate) fn categories(site: &Site, lang: &str) -> Vec<Category> {
    site.taxonomies
        .ids()
        .flat_map(|t| taxonomy_categories(site, lang, t))
        .collect()
}

fn taxonomy_categories(site: &Site, lang: &str, t: TaxonomyId) -> Vec<Category> {
    let config = &site.config;
    let taxonomy = &site.taxonomies[t];
    let (collection, name, _) = config.model.taxonomy(t);
    let vocabulary = collection.schema.fields[taxonomy.field]
        .vocabulary
        .as_deref();
    (taxonomy.terms.iter())
        .map(|term| {
            let titles = Titles::new(site, lang, |l| match vocabulary {
                Some(v) => config.term_label(v, &term.key, l),
                None => &term.key,
            });
            let aliases = vocabulary.map(|v| aliases_of(site, v, &term.key));
            let url = format!("{}{}.html", taxonomy_dir(name), term.slug);
            Category {
                page: titles.page(url, aliases.as_deref().unwrap_or_default()),
                taxonomy: t.index(),
                slug: term.slug.clone(),
                entries: (term.entries.iter())
                    .map(|&i| super::index::page_id(i.index()))
                    .collect(),
            }
        })
        .collect()
}

/// The folder of taxonomy `name`'s pages, relative to the language root.
pub(crate) fn taxonomy_dir(name: &str) -> String {
    format!("taxonomies/{name}/")
}

/// The aliases (top-level `aliases:` of site.yaml) that stand for term `key` of `vocabulary`.
fn aliases_of<'a>(site: &'a Site, vocabulary: &str, key: &str) -> Vec<&'a str> {
    (site.config.aliases.get(vocabulary).into_iter().flatten())
        .filter(|(_, keys)| keys.iter().any(|k| k == key))
        .map(|(alias, _)| alias.as_str())
        .collect()
}
