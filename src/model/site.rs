//! The loaded site: pages plus everything derived from their front matter — each collection's
//! display order, the reverse side of references, taxonomies with their terms, neighbours within
//! a group, related entries, and the navigation.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::base::date::PartialDate;
use crate::base::diagnostic::Diagnostic;
use crate::base::frontmatter;
use crate::base::slug::slugify;
use crate::model::config::SiteConfig;
use crate::model::page::Page;
use crate::model::schema::{Collection, FieldType, Schema};
use crate::model::validate::default_layout;
use crate::model::value::FieldValue;

/// One term of a taxonomy with the entries that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// Vocabulary key, or the name as written for free terms.
    pub key: String,
    /// File-name slug of the term page.
    pub slug: String,
    /// Indexes (into `Site::pages`) of the entries carrying the term, in display order.
    pub entries: Vec<usize>,
}

/// A taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its name, the folder of its pages (`taxonomies/<name>/`).
    pub name: String,
    /// The collection whose entries it sorts.
    pub collection: usize,
    /// The field it is made of.
    pub field: usize,
    /// True when terms come from a vocabulary (labels per language).
    pub controlled: bool,
    /// Terms in display order (vocabulary order, or by number of entries then name).
    pub terms: Vec<Term>,
}

/// What is derived for one collection.
#[derive(Debug, Default)]
pub struct Entries {
    /// Its entries in display order (indexes into `Site::pages`).
    pub order: Vec<usize>,
    /// Entry index by slug.
    pub by_slug: HashMap<String, usize>,
    /// For each `refs` field with a `reverse` (field index): target slug → entries naming it.
    pub reverse: Vec<(usize, HashMap<String, Vec<usize>>)>,
    /// For each entry, its related entries.
    pub related: HashMap<usize, Vec<usize>>,
    /// For each entry, the previous and next entry of its group in display order.
    pub neighbours: HashMap<usize, (Option<usize>, Option<usize>)>,
}

/// Everything the renderer needs, derived once.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: SiteConfig,
    /// All pages, sorted by source path.
    pub pages: Vec<Page>,
    /// Page index by source path (`models/medsam.md`).
    pub by_source: HashMap<String, usize>,
    /// Per collection (same order as the model's).
    pub collections: Vec<Entries>,
    /// The taxonomies, in declaration order.
    pub taxonomies: Vec<Taxonomy>,
    /// Other pages with a `weight`, in navigation order.
    pub nav_pages: Vec<usize>,
}

impl Site {
    /// Derives the site from validated pages. Term slug collisions are reported.
    pub fn new(config: SiteConfig, pages: Vec<Page>) -> Result<Site, Vec<Diagnostic>> {
        let by_source = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.clone(), i))
            .collect();
        let mut collections: Vec<Entries> = (config.model.collections.iter().enumerate())
            .map(|(c, decl)| entries(&config, decl, c, &pages))
            .collect();
        let taxonomies = taxonomies(&config, &pages, &collections)?;
        for (c, decl) in config.model.collections.iter().enumerate() {
            let related = related(decl, &pages, &collections, c);
            let entries = &mut collections[c];
            entries.related = related;
            entries.neighbours = neighbours(decl, &pages, &entries.order);
        }
        let nav_pages = nav_pages(&config, &pages);
        Ok(Site {
            config,
            pages,
            by_source,
            collections,
            taxonomies,
            nav_pages,
        })
    }

    /// The default language code.
    pub fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    /// URL prefix of `lang`: empty for the default language, `<code>/` otherwise.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The schema of page `i`.
    pub fn schema(&self, i: usize) -> &Schema {
        self.config.schema_of(&self.pages[i])
    }

    /// The collection page `i` is an entry of.
    pub fn collection_of(&self, i: usize) -> Option<&Collection> {
        self.pages[i]
            .collection
            .map(|c| &self.config.model.collections[c])
    }

    /// The title of page `i` in `lang`.
    pub fn title(&self, i: usize, lang: &str) -> &str {
        self.pages[i].title(self.schema(i), lang)
    }

    /// The summary of page `i` in `lang`.
    pub fn summary(&self, i: usize, lang: &str) -> &str {
        self.pages[i].summary(self.schema(i), lang)
    }

    /// The date of entry `i` (its collection's date field), if known.
    pub fn date(&self, i: usize) -> Option<PartialDate> {
        let field = self.collection_of(i)?.roles.date?;
        self.pages[i].values[field].as_date()
    }

    /// The value of the field named `name` of page `i`, if its schema has one.
    pub fn value(&self, i: usize, name: &str) -> Option<&FieldValue> {
        let field = self.schema(i).index(name)?;
        Some(&self.pages[i].values[field])
    }

    /// The layout of page `i` (a page outside the collections): as written, or its default.
    pub fn layout(&self, i: usize) -> Option<&str> {
        let page = &self.pages[i];
        if page.collection.is_some() {
            return None;
        }
        let written = page.values[self.config.model.pages.layout_field].as_str();
        Some(if written.is_empty() {
            default_layout(page)
        } else {
            written
        })
    }

    /// The entries of collection `c` whose field `field` holds `key`, in display order.
    pub fn entries_with(&self, c: usize, field: usize, key: &str) -> Vec<usize> {
        (self.collections[c].order.iter().copied())
            .filter(|&i| self.pages[i].values[field].terms().iter().any(|t| t == key))
            .collect()
    }

    /// The taxonomy named `name`.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The earlier entries behind `entries` through `refs` field `ancestors` (transitively)
    /// none of whose terms in the `listing` field (`term` or `terms`) has a page of `layout`, in
    /// display order: the foundations a listing page's timeline shows besides its own entries.
    pub fn unlisted_ancestors(
        &self,
        c: usize,
        entries: &[usize],
        ancestors: usize,
        listing: usize,
        layout: &str,
    ) -> Vec<usize> {
        let page_field = self.config.model.pages.layouts[layout].resolved.page_field;
        let listed: HashSet<&str> = (0..self.pages.len())
            .filter(|&i| self.layout(i) == Some(layout))
            .filter_map(|i| page_field.map(|f| self.pages[i].values[f].as_str()))
            .collect();
        let target = self.config.model.collections[c].schema.fields[ancestors].target;
        let by_slug = &self.collections[target].by_slug;
        let mut behind: HashSet<usize> = entries.iter().copied().collect();
        let mut queue: VecDeque<usize> = entries.iter().copied().collect();
        while let Some(v) = queue.pop_front() {
            for slug in self.pages[v].values[ancestors].as_list() {
                if let Some(&n) = by_slug.get(slug) {
                    if n != v && behind.insert(n) {
                        queue.push_back(n);
                    }
                }
            }
        }
        (self.collections[c].order.iter().copied())
            .filter(|i| {
                let terms = self.pages[*i].values[listing].terms();
                behind.contains(i) && !terms.iter().any(|t| listed.contains(t.as_str()))
            })
            .collect()
    }
}

/// One part of an entry's place in the display order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    /// Position of a term in its vocabulary (unknown terms last).
    Rank(usize),
    /// Dates, unknown ones last.
    Date(bool, Option<PartialDate>),
    /// Text, case-insensitively.
    Text(String),
}

fn entries(config: &SiteConfig, decl: &Collection, c: usize, pages: &[Page]) -> Entries {
    let mut order: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].collection == Some(c))
        .collect();
    order.sort_by_cached_key(|&i| {
        let keys: Vec<SortKey> = (decl.order_fields.iter())
            .map(|&f| sort_key(config, decl, f, &pages[i].values[f]))
            .collect();
        (keys, pages[i].slug.clone())
    });
    let by_slug = order.iter().map(|&i| (pages[i].slug.clone(), i)).collect();
    let reverse = (decl.schema.fields.iter().enumerate())
        .filter(|(_, f)| f.ty == FieldType::Refs && f.reverse.is_some())
        .map(|(f, _)| {
            let mut named: HashMap<String, Vec<usize>> = HashMap::new();
            for &i in &order {
                for target in pages[i].values[f].as_list() {
                    named.entry(target.clone()).or_default().push(i);
                }
            }
            (f, named)
        })
        .collect();
    Entries {
        order,
        by_slug,
        reverse,
        ..Entries::default()
    }
}

fn sort_key(config: &SiteConfig, decl: &Collection, f: usize, value: &FieldValue) -> SortKey {
    match value {
        FieldValue::Date(d) => SortKey::Date(d.is_none(), *d),
        FieldValue::Term(key) => {
            let vocabulary = decl.schema.fields[f].vocabulary.as_deref();
            let rank = vocabulary
                .and_then(|v| config.vocabularies.get(v))
                .and_then(|v| v.get_index_of(key));
            SortKey::Rank(rank.unwrap_or(usize::MAX))
        }
        other => SortKey::Text(other.as_str().to_lowercase()),
    }
}

fn taxonomies(
    config: &SiteConfig,
    pages: &[Page],
    collections: &[Entries],
) -> Result<Vec<Taxonomy>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (c, name) in &config.model.taxonomies {
        let decl = &config.model.collections[*c];
        let field = decl
            .schema
            .index(&decl.taxonomies[name.as_str()].field)
            .unwrap_or_default();
        let order = &collections[*c].order;
        let taxonomy = match decl.schema.fields[field].vocabulary.as_deref() {
            Some(vocabulary) => {
                let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
                for &i in order {
                    for key in pages[i].values[field].terms() {
                        members.entry(key).or_default().push(i);
                    }
                }
                let keys = config
                    .vocabularies
                    .get(vocabulary)
                    .into_iter()
                    .flat_map(|v| v.keys());
                let terms = keys
                    .map(|k| Term {
                        key: k.clone(),
                        slug: k.clone(),
                        entries: members.remove(k.as_str()).unwrap_or_default(),
                    })
                    .collect();
                Taxonomy {
                    name: name.clone(),
                    collection: *c,
                    field,
                    controlled: true,
                    terms,
                }
            }
            None => free_taxonomy(config, name, *c, field, pages, order, &mut problems),
        };
        out.push(taxonomy);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn free_taxonomy(
    config: &SiteConfig,
    name: &str,
    collection: usize,
    field: usize,
    pages: &[Page],
    order: &[usize],
    problems: &mut Vec<Diagnostic>,
) -> Taxonomy {
    let field_name = &config.model.collections[collection].schema.fields[field].name;
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    for &i in order {
        for key in pages[i].values[field].terms() {
            let slug = slugify(key);
            match by_slug.get_mut(&slug) {
                _ if slug.is_empty() => problems.push(term_problem(
                    config,
                    &pages[i],
                    field_name,
                    key,
                    format!("{name} \"{key}\" has no letters or digits to make a page name from"),
                )),
                Some(term) if term.key != *key => problems.push(term_problem(
                    config,
                    &pages[i],
                    field_name,
                    key,
                    format!(
                        "{name} \"{key}\" collides with \"{}\" (both make the page name `{slug}`)",
                        term.key
                    ),
                )),
                Some(term) => term.entries.push(i),
                None => {
                    by_slug.insert(
                        slug.clone(),
                        Term {
                            key: key.to_string(),
                            slug,
                            entries: vec![i],
                        },
                    );
                }
            }
        }
    }
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    terms.sort_by(|a, b| {
        b.entries
            .len()
            .cmp(&a.entries.len())
            .then_with(|| a.key.to_lowercase().cmp(&b.key.to_lowercase()))
    });
    Taxonomy {
        name: name.to_string(),
        collection,
        field,
        controlled: false,
        terms,
    }
}

fn term_problem(
    config: &SiteConfig,
    page: &Page,
    field: &str,
    value: &str,
    message: String,
) -> Diagnostic {
    let file = &page.files[&config.default_language];
    let position = frontmatter::split(&file.file.to_string_lossy(), &file.file_text)
        .ok()
        .and_then(|split| frontmatter::locate_value(&split, field, value));
    let (line, col) = position.unwrap_or((1, 1));
    Diagnostic::error(&file.file, line, col, message)
        .with_hint(
            "write the name the same way everywhere, or make the two names differ in letters",
        )
        .with_source(&file.file_text)
}

/// Other pages with a navigation `weight`, ordered by weight then source path.
fn nav_pages(config: &SiteConfig, pages: &[Page]) -> Vec<usize> {
    let weight = config.model.pages.weight_field;
    let mut weighted: Vec<(i64, &str, usize)> = (pages.iter().enumerate())
        .filter(|(_, p)| p.collection.is_none())
        .filter_map(|(i, p)| match p.values[weight] {
            FieldValue::Integer(Some(w)) => Some((w, p.source.as_str(), i)),
            _ => None,
        })
        .collect();
    weighted.sort();
    weighted.into_iter().map(|(_, _, i)| i).collect()
}

/// Previous and next entry within each entry's group, in one pass over the display order.
fn neighbours(
    decl: &Collection,
    pages: &[Page],
    order: &[usize],
) -> HashMap<usize, (Option<usize>, Option<usize>)> {
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in order {
        let group = decl.roles.group.map_or("", |g| pages[i].values[g].as_str());
        by_group.entry(group).or_default().push(i);
    }
    let mut out = HashMap::new();
    for entries in by_group.values() {
        for (pos, &i) in entries.iter().enumerate() {
            let prev = pos.checked_sub(1).map(|p| entries[p]);
            out.insert(i, (prev, entries.get(pos + 1).copied()));
        }
    }
    out
}

/// For each entry, the entries sharing the most terms of the related fields (a refs field
/// groups an entry with those it names). Broad terms are skipped so the cost stays linear in
/// the site size.
fn related(
    decl: &Collection,
    pages: &[Page],
    collections: &[Entries],
    c: usize,
) -> HashMap<usize, Vec<usize>> {
    let Some(settings) = &decl.related else {
        return HashMap::new();
    };
    let order = &collections[c].order;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &f in &decl.related_fields {
        let field = &decl.schema.fields[f];
        if field.ty == FieldType::Refs {
            let by_slug = &collections[field.target].by_slug;
            for &i in order {
                let mut family = vec![i];
                family.extend(
                    (pages[i].values[f].as_list().iter()).filter_map(|s| by_slug.get(s).copied()),
                );
                groups.push(family);
            }
            continue;
        }
        let mut by_term: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in order {
            for key in pages[i].values[f].terms() {
                by_term.entry(key).or_default().push(i);
            }
        }
        groups.extend(by_term.into_values());
    }
    // Dense tables indexed by page: this runs once per entry over up to a few thousand
    // neighbours each, so hashing every count would dominate.
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (g, members) in groups.iter().enumerate() {
        if members.len() <= settings.broadest {
            for &m in members {
                groups_of[m].push(g);
            }
        }
    }
    let mut rank = vec![usize::MAX; pages.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut shared = vec![0usize; pages.len()];
    let mut touched: Vec<usize> = Vec::new();
    order
        .iter()
        .map(|&i| {
            for &g in &groups_of[i] {
                for &other in &groups[g] {
                    if other != i {
                        if shared[other] == 0 {
                            touched.push(other);
                        }
                        shared[other] += 1;
                    }
                }
            }
            touched.sort_by_key(|&other| (std::cmp::Reverse(shared[other]), rank[other]));
            let related = touched.iter().take(settings.count).copied().collect();
            for other in touched.drain(..) {
                shared[other] = 0;
            }
            (i, related)
        })
        .collect()
}
