//! The loaded site: pages plus everything derived from their front matter — each collection's
//! display order, the reverse side of references, taxonomies with their terms, neighbours within
//! a group, related entries, and the navigation.

use crate::model::citations::Citations;
use crate::model::id::{CollectionId, FieldId, IdVec, PageId, TaxonomyId, TermId};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::base::date::PartialDate;
use crate::base::diagnostic::Diagnostic;
use crate::base::frontmatter;
use crate::base::slug::page_name;
use crate::model::config::SiteConfig;
use crate::model::names;
use crate::model::page::Page;
use crate::model::schema::{Collection, FieldType, Schema};
use crate::model::validate::default_layout;
use crate::model::value::FieldValue;

/// The pages of a site, indexed by [`PageId`].
pub(crate) type Pages = IdVec<PageId, Page>;

/// One term of a taxonomy with the entries that carry it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// Vocabulary key, or the name as written for free terms.
    pub(crate) key: String,
    /// File-name slug of the term page.
    pub(crate) slug: String,
    /// Indexes (into `Site::pages`) of the entries carrying the term, in display order.
    pub(crate) entries: Vec<PageId>,
}

/// A taxonomy and its terms.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// Its name, the folder of its pages (`taxonomies/<name>/`).
    pub(crate) name: String,
    /// The collection whose entries it sorts.
    pub(crate) collection: CollectionId,
    /// The field it is made of.
    pub(crate) field: FieldId,
    #[cfg(test)]
    /// True when terms come from a vocabulary (labels per language).
    pub(crate) controlled: bool,
    /// Terms in display order (vocabulary order, or by number of entries then name).
    pub(crate) terms: IdVec<TermId, Term>,
}

/// What is derived for one collection.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    /// Its entries in display order (indexes into `Site::pages`).
    pub(crate) order: Vec<PageId>,
    /// Entry index by slug.
    pub(crate) by_slug: HashMap<String, PageId>,
    /// For each `refs` field with a `reverse` (field index): target slug → entries naming it.
    pub(crate) reverse: Vec<(FieldId, HashMap<String, Vec<PageId>>)>,
    /// For each entry, its related entries.
    pub(crate) related: HashMap<PageId, Vec<PageId>>,
    /// For each entry, the previous and next entry of its group in display order.
    pub(crate) neighbours: HashMap<PageId, (Option<PageId>, Option<PageId>)>,
}

/// Everything the renderer needs, derived once.
#[derive(Debug)]
pub(crate) struct Site {
    /// The configuration.
    pub(crate) config: SiteConfig,
    /// All pages, sorted by source path.
    pub(crate) pages: Pages,
    /// Page index by source path (`models/medsam.md`).
    pub(crate) by_source: HashMap<String, PageId>,
    /// Per collection (same order as the model's).
    pub(crate) collections: IdVec<CollectionId, Entries>,
    /// The taxonomies, in declaration order.
    pub(crate) taxonomies: IdVec<TaxonomyId, Taxonomy>,
    /// Other pages with a `weight`, in navigation order.
    pub(crate) nav_pages: Vec<PageId>,
    /// The citations of the bodies, resolved (empty until the load phase resolves them, see
    /// [`crate::model::references::resolve`]).
    pub(crate) citations: Citations,
    /// Source paths (`models/x.md`) of the drafts this build leaves out, so that a link or a
    /// citation to one says so rather than that it does not exist.
    pub(crate) drafts: Vec<String>,
}

impl Site {
    /// Derives the site from validated pages. Term slug collisions are reported.
    pub(crate) fn new(config: SiteConfig, pages: Vec<Page>) -> Result<Site, Vec<Diagnostic>> {
        Site::with_drafts(config, pages, false)
    }

    /// [`Site::new`], leaving the drafts out unless `drafts_built`.
    pub(crate) fn with_drafts(
        config: SiteConfig,
        mut pages: Vec<Page>,
        drafts_built: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut drafts = Vec::new();
        if !drafts_built {
            pages.retain(|page| {
                let draft = page.is_draft(config.schema_of(page));
                if draft {
                    drafts.push(page.source.clone());
                }
                !draft
            });
        }
        let pages = Pages::from_vec(pages);
        let by_source = (pages.enumerate())
            .map(|(i, p)| (p.source.clone(), i))
            .collect();
        let mut collections: IdVec<CollectionId, Entries> = (config.model.collections.enumerate())
            .map(|(c, decl)| entries(&config, decl, c, &pages))
            .collect();
        let taxonomies = taxonomies(&config, &pages, &collections)?;
        for (c, decl) in config.model.collections.enumerate() {
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
            citations: Citations::default(),
            drafts,
        })
    }
    /// The source path of the draft `slug` of collection `c`, when this build leaves it out.
    pub(crate) fn draft_entry(&self, c: CollectionId, slug: &str) -> Option<&str> {
        let folder = &self.config.model.collections[c].folder;
        (self.drafts.iter())
            .find(|source| {
                let (dir, file) = source.rsplit_once('/').unwrap_or(("", source));
                dir.split('/').next() == Some(folder.as_str())
                    && file.strip_suffix(".md") == Some(slug)
            })
            .map(String::as_str)
    }

    /// The default language code.
    pub(crate) fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    /// URL prefix of `lang`: empty for the default language, `<code>/` otherwise.
    pub(crate) fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The schema of page `i`.
    pub(crate) fn schema(&self, i: PageId) -> &Schema {
        self.config.schema_of(&self.pages[i])
    }

    /// The collection page `i` is an entry of.
    pub(crate) fn collection_of(&self, i: PageId) -> Option<&Collection> {
        self.pages[i]
            .collection
            .map(|c| &self.config.model.collections[c])
    }

    /// The title of page `i` in `lang`.
    pub(crate) fn title(&self, i: PageId, lang: &str) -> &str {
        self.pages[i].title(self.schema(i), lang)
    }

    /// The summary of page `i` in `lang`.
    pub(crate) fn summary(&self, i: PageId, lang: &str) -> &str {
        self.pages[i].summary(self.schema(i), lang)
    }

    /// The date of entry `i` (its collection's date field), if known.
    pub(crate) fn date(&self, i: PageId) -> Option<PartialDate> {
        let field = self.collection_of(i)?.roles.date?;
        self.pages[i].values[field].as_date()
    }

    #[cfg(test)]
    /// The value of the field named `name` of page `i`, if its schema has one.
    pub(crate) fn value(&self, i: PageId, name: &str) -> Option<&FieldValue> {
        let field = self.schema(i).index(name)?;
        Some(&self.pages[i].values[field])
    }

    /// The layout of page `i` (a page outside the collections): as written, or its default.
    pub(crate) fn layout(&self, i: PageId) -> Option<&str> {
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
    pub(crate) fn entries_with(&self, c: CollectionId, field: FieldId, key: &str) -> Vec<PageId> {
        (self.collections[c].order.iter().copied())
            .filter(|&i| self.pages[i].values[field].terms().iter().any(|t| t == key))
            .collect()
    }

    /// `entries` (of collection `c`) split by the terms of field `field`: one part per term of
    /// its vocabulary in vocabulary order, then the entries with no term (key `None`), so that
    /// none is left out; empty parts are. An entry with several terms is in the part of each.
    pub(crate) fn split_by_term(
        &self,
        c: CollectionId,
        field: FieldId,
        entries: &[PageId],
    ) -> Vec<(Option<&str>, Vec<PageId>)> {
        let schema = &self.config.model.collections[c].schema;
        let vocabulary = (schema.fields[field].vocabulary.as_deref())
            .and_then(|v| self.config.vocabularies.get(v));
        let with = |key: &str| -> Vec<PageId> {
            (entries.iter().copied())
                .filter(|&i| self.pages[i].values[field].terms().iter().any(|t| t == key))
                .collect()
        };
        let none: Vec<PageId> = (entries.iter().copied())
            .filter(|&i| self.pages[i].values[field].terms().is_empty())
            .collect();
        let terms = vocabulary.into_iter().flat_map(|v| v.keys());
        (terms.map(|key| (Some(key.as_str()), with(key))))
            .chain([(None, none)])
            .filter(|(_, part)| !part.is_empty())
            .collect()
    }

    #[cfg(test)]
    /// The taxonomy named `name`.
    pub(crate) fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The earlier entries behind `entries` through `refs` field `ancestors` (transitively)
    /// none of whose terms in the `listing` field (`term` or `terms`) has a page of `layout`, in
    /// display order: the foundations a listing page's timeline shows besides its own entries.
    pub(crate) fn unlisted_ancestors(
        &self,
        c: CollectionId,
        entries: &[PageId],
        ancestors: FieldId,
        listing: FieldId,
        layout: &str,
    ) -> Vec<PageId> {
        let page_field = self.config.model.pages.layouts[layout].resolved.page_field;
        let listed: HashSet<&str> = (self.pages.ids())
            .filter(|&i| self.layout(i) == Some(layout))
            .filter_map(|i| page_field.map(|f| self.pages[i].values[f].as_str()))
            .collect();
        let target = self.config.model.collections[c].schema.fields[ancestors].target;
        let by_slug = &self.collections[target].by_slug;
        let mut behind: HashSet<PageId> = entries.iter().copied().collect();
        let mut queue: VecDeque<PageId> = entries.iter().copied().collect();
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

fn entries(config: &SiteConfig, decl: &Collection, c: CollectionId, pages: &Pages) -> Entries {
    let mut order: Vec<PageId> = (pages.enumerate())
        .filter(|(_, page)| page.collection == Some(c))
        .map(|(i, _)| i)
        .collect();
    order.sort_by_cached_key(|&i| {
        let keys: Vec<SortKey> = (decl.order_fields.iter())
            .map(|&f| sort_key(config, decl, f, &pages[i].values[f]))
            .collect();
        (keys, pages[i].slug.clone())
    });
    let by_slug = order.iter().map(|&i| (pages[i].slug.clone(), i)).collect();
    let reverse = (decl.schema.fields.enumerate())
        .filter(|(_, f)| f.ty == FieldType::Refs && f.reverse.is_some())
        .map(|(f, _)| {
            let mut named: HashMap<String, Vec<PageId>> = HashMap::new();
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

fn sort_key(config: &SiteConfig, decl: &Collection, f: FieldId, value: &FieldValue) -> SortKey {
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
    pages: &Pages,
    collections: &IdVec<CollectionId, Entries>,
) -> Result<IdVec<TaxonomyId, Taxonomy>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut out = IdVec::default();
    for t in config.model.taxonomies.iter() {
        let (c, name, field) = (t.collection, &t.name, t.field);
        let decl = &config.model.collections[c];
        let order = &collections[c].order;
        let taxonomy = match decl.schema.fields[field].vocabulary.as_deref() {
            Some(vocabulary) => {
                let mut members: HashMap<&str, Vec<PageId>> = HashMap::new();
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
                    collection: c,
                    field,
                    #[cfg(test)]
                    controlled: true,
                    terms,
                }
            }
            None => free_taxonomy(config, name, c, field, pages, order, &mut problems),
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
    collection: CollectionId,
    field: FieldId,
    pages: &Pages,
    order: &[PageId],
    problems: &mut Vec<Diagnostic>,
) -> Taxonomy {
    let field_name = &config.model.collections[collection].schema.fields[field].name;
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    for &i in order {
        for key in pages[i].values[field].terms() {
            let slug = page_name(key);
            let taken = by_slug.get(&slug).map(|term| term.key.as_str());
            if let Some(problem) = term_name_problem(name, key, &slug, taken) {
                problems.push(term_problem(config, &pages[i], field_name, key, problem));
                continue;
            }
            (by_slug.entry(slug.clone()))
                .or_insert_with(|| Term {
                    key: key.to_string(),
                    slug,
                    entries: Vec::new(),
                })
                .entries
                .push(i);
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
        #[cfg(test)]
        controlled: false,
        terms: IdVec::from_vec(terms),
    }
}

/// Why the free term `key` of taxonomy `name` cannot have the page name `slug` (which the term
/// `taken` already has, if any): the message and its hint.
fn term_name_problem(
    name: &str,
    key: &str,
    slug: &str,
    taken: Option<&str>,
) -> Option<(String, &'static str)> {
    match taken {
        _ if slug.is_empty() => Some((
            format!("{name} \"{key}\" has no letters or digits to make a page name from"),
            COLLISION_HINT,
        )),
        _ if slug == names::INDEX => Some((
            format!("{name} \"{key}\" makes the page name `index`, the taxonomy's own index page"),
            "reword the name: its page name is made of its letters and digits",
        )),
        Some(other) if other != key => Some((
            format!(
                "{name} \"{key}\" collides with \"{other}\" (both make the page name `{slug}`)"
            ),
            COLLISION_HINT,
        )),
        _ => None,
    }
}

/// The hint for two free terms that make the same page name.
const COLLISION_HINT: &str =
    "write the name the same way everywhere, or make the two names differ in letters";

fn term_problem(
    config: &SiteConfig,
    page: &Page,
    field: &str,
    value: &str,
    (message, hint): (String, &str),
) -> Diagnostic {
    let file = &page.files[&config.default_language];
    let position = frontmatter::split(&file.file.to_string_lossy(), &file.file_text)
        .ok()
        .and_then(|split| frontmatter::locate_value(&split, field, value));
    let (line, col) = position.unwrap_or((1, 1));
    Diagnostic::error(&file.file, line, col, message)
        .with_hint(hint)
        .with_source(&file.file_text)
}

/// Other pages with a navigation `weight`, ordered by weight then source path.
fn nav_pages(config: &SiteConfig, pages: &Pages) -> Vec<PageId> {
    let weight = config.model.pages.weight_field;
    let mut weighted: Vec<(i64, &str, PageId)> = (pages.enumerate())
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
    pages: &Pages,
    order: &[PageId],
) -> HashMap<PageId, (Option<PageId>, Option<PageId>)> {
    let mut by_group: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
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
    pages: &Pages,
    collections: &IdVec<CollectionId, Entries>,
    c: CollectionId,
) -> HashMap<PageId, Vec<PageId>> {
    let Some(settings) = &decl.related else {
        return HashMap::new();
    };
    let order = &collections[c].order;
    let mut groups: Vec<Vec<PageId>> = Vec::new();
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
        let mut by_term: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
        for &i in order {
            for key in pages[i].values[f].terms() {
                by_term.entry(key).or_default().push(i);
            }
        }
        groups.extend(by_term.into_values());
    }
    // Dense tables indexed by page: this runs once per entry over up to a few thousand
    // neighbours each, so hashing every count would dominate.
    let mut groups_of: IdVec<PageId, Vec<usize>> = pages.iter().map(|_| Vec::new()).collect();
    for (g, members) in groups.iter().enumerate() {
        if members.len() <= settings.broadest {
            for &m in members {
                groups_of[m].push(g);
            }
        }
    }
    let mut rank: IdVec<PageId, usize> = pages.iter().map(|_| usize::MAX).collect();
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut shared: IdVec<PageId, usize> = pages.iter().map(|_| 0).collect();
    let mut touched: Vec<PageId> = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::Id as _;
    use crate::model::testing;

    /// One collection, `works`, grouped by strand and ordered by strand, date and title; a
    /// controlled taxonomy of a term field and of a terms field, a free taxonomy, a refs field
    /// with a reverse side, and related entries from modalities and references.
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
    natural: {zh: 自然图像, en: Natural images}
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    group: strand
    date: date
    order: [strand, date, title]
    fields:
      title: {type: text, required: true}
      summary: {type: text}
      strand: {type: term, vocabulary: strand, required: true}
      date: {type: date}
      modalities: {type: terms, vocabulary: modality}
      institutions: {type: terms}
      builds_on: {type: refs, reverse: {name: built_upon_by}}
    translation: {fields: [title, summary]}
    taxonomies:
      strand: {field: strand, label: {zh: 脉络, en: Strand}}
      modality: {field: modalities, label: {zh: 模态, en: Modality}}
      institution: {field: institutions, label: {zh: 机构, en: Institution}}
    related: {fields: [modalities, builds_on], count: 2}
pages:
  fields:
    title: {type: text, required: true}
    strand: {type: term, vocabulary: strand}
  layouts:
    home: {template: home.html}
    page: {template: page.html}
    trend: {template: page.html, lists: {collection: works, field: strand}}
";

    /// Five works (given in no particular order) and four other pages.
    const FILES: &[(&str, &str)] = &[
        ("works/undated.md", "---\ntitle: Undated\nstrand: medical\nmodalities: [xray]\ninstitutions: [Vector Institute]\n---\n"),
        ("works/medsam.md", "---\ntitle: MedSAM\nsummary: 医学分割。\nstrand: medical\ndate: 2024-01-22\nmodalities: [ct, mri, xray]\ninstitutions: [Vector Institute, University of Toronto]\nbuilds_on: [sam]\n---\n"),
        ("works/medsam.en.md", "---\ntitle: MedSAM (en)\n---\n"),
        ("works/sam.md", "---\ntitle: SAM\nstrand: general\ndate: 2023-04\nmodalities: [natural]\ninstitutions: [Meta AI]\nbuilds_on: [vit]\n---\n"),
        ("works/sam-med2d.md", "---\ntitle: SAM-Med2D\nstrand: medical\ndate: 2023-08\nmodalities: [ct, mri, xray]\ninstitutions: [Shanghai AI Lab]\nbuilds_on: [sam]\n---\n"),
        ("works/vit.md", "---\ntitle: ViT\nstrand: general\ndate: 2020\nmodalities: [natural]\ninstitutions: [Google]\n---\n"),
        ("_index.md", "---\ntitle: 首页\n---\n"),
        ("about.md", "---\ntitle: 关于\nweight: 2\n---\n"),
        ("contact.md", "---\ntitle: 联系\nweight: 1\n---\n"),
        ("trends/medical.md", "---\ntitle: 医疗\nlayout: trend\nstrand: medical\nweight: 1\n---\n"),
    ];

    fn site() -> Site {
        testing::site(MODEL, FILES)
    }

    fn slugs(site: &Site, entries: &[PageId]) -> Vec<String> {
        entries
            .iter()
            .map(|&i| site.pages[i].slug.clone())
            .collect()
    }

    fn entry(site: &Site, slug: &str) -> PageId {
        site.collections[CollectionId::FIRST].by_slug[slug]
    }

    fn field(site: &Site, name: &str) -> FieldId {
        site.config.model.collections[CollectionId::FIRST]
            .schema
            .index(name)
            .unwrap()
    }

    #[test]
    fn entries_follow_the_declared_order_terms_by_vocabulary_and_unknown_dates_last() {
        let site = site();
        // strand (general before medical, as the vocabulary lists them), then date (undated
        // last), then title.
        assert_eq!(
            slugs(&site, &site.collections[CollectionId::FIRST].order),
            ["vit", "sam", "sam-med2d", "medsam", "undated"]
        );
        let sources: Vec<&str> = site.pages.iter().map(|p| p.source.as_str()).collect();
        let mut sorted = sources.clone();
        sorted.sort();
        assert_eq!(sources, sorted, "pages are sorted by source path");
        assert_eq!(site.pages[site.by_source["works/sam.md"]].slug, "sam");
    }

    #[test]
    fn equal_sort_keys_fall_back_to_the_slug_and_text_ignores_case() {
        let model = MODEL.replace("order: [strand, date, title]", "order: [title]");
        let site = testing::site(
            &model,
            &[
                ("works/b-two.md", "---\ntitle: beta\nstrand: general\n---\n"),
                ("works/b-one.md", "---\ntitle: beta\nstrand: general\n---\n"),
                ("works/c.md", "---\ntitle: Alpha\nstrand: medical\n---\n"),
                ("works/a.md", "---\ntitle: Gamma\nstrand: general\n---\n"),
            ],
        );
        assert_eq!(
            slugs(&site, &site.collections[CollectionId::FIRST].order),
            ["c", "b-one", "b-two", "a"]
        );
    }

    #[test]
    fn controlled_taxonomies_list_every_vocabulary_term_in_vocabulary_order() {
        let site = site();
        let names: Vec<&str> = site.taxonomies.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["strand", "modality", "institution"]);
        let strand = site.taxonomy("strand").unwrap();
        assert!(strand.controlled);
        assert_eq!(strand.field, field(&site, "strand"));
        let terms: Vec<(&str, Vec<String>)> = (strand.terms.iter())
            .map(|t| (t.key.as_str(), slugs(&site, &t.entries)))
            .collect();
        assert_eq!(
            terms,
            [
                (
                    "general",
                    slugs(&site, &[entry(&site, "vit"), entry(&site, "sam")])
                ),
                (
                    "medical",
                    vec!["sam-med2d".into(), "medsam".into(), "undated".into()]
                ),
                ("unused", vec![]),
            ]
        );
        let modality = site.taxonomy("modality").unwrap();
        let keys: Vec<&str> = modality.terms.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["ct", "mri", "xray", "natural"]);
        assert_eq!(
            slugs(&site, &modality.terms[TermId::new(2)].entries),
            ["sam-med2d", "medsam", "undated"],
            "members of a terms field, in display order"
        );
        assert_eq!(modality.terms[TermId::new(2)].slug, "xray");
        assert!(site.taxonomy("nope").is_none());
    }

    #[test]
    fn free_taxonomy_terms_sort_by_entry_count_then_name_and_get_slugs() {
        let site = site();
        let institution = site.taxonomy("institution").unwrap();
        assert!(!institution.controlled);
        let terms: Vec<(&str, &str, usize)> = (institution.terms.iter())
            .map(|t| (t.key.as_str(), t.slug.as_str(), t.entries.len()))
            .collect();
        assert_eq!(
            terms,
            [
                ("Vector Institute", "vector-institute", 2),
                ("Google", "google", 1),
                ("Meta AI", "meta-ai", 1),
                ("Shanghai AI Lab", "shanghai-ai-lab", 1),
                ("University of Toronto", "university-of-toronto", 1),
            ]
        );
        assert_eq!(
            slugs(&site, &institution.terms[TermId::new(0)].entries),
            ["medsam", "undated"]
        );
    }

    #[test]
    fn free_terms_that_make_the_same_page_name_or_none_are_errors() {
        let config = testing::config(MODEL);
        let pages = testing::pages(
            &config,
            &[
                ("works/a.md", "---\ntitle: A\nstrand: general\ninstitutions: [Meta AI]\n---\n"),
                ("works/b.md", "---\ntitle: B\nstrand: general\ninstitutions:\n  - Stanford\n  - meta-ai\n---\n"),
                ("works/c.md", "---\ntitle: C\nstrand: medical\ninstitutions: [\"??\"]\n---\n"),
            ],
        );
        let problems = Site::new(config, pages).unwrap_err();
        let found: Vec<(String, usize, usize, &str)> = (problems.iter())
            .map(|d| {
                (
                    d.path.display().to_string(),
                    d.line,
                    d.col,
                    d.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "content/works/b.md".to_string(),
                    6,
                    5,
                    "institution \"meta-ai\" collides with \"Meta AI\" (both make the page name `meta-ai`)"
                ),
                (
                    "content/works/c.md".to_string(),
                    4,
                    17,
                    "institution \"??\" has no letters or digits to make a page name from"
                ),
            ]
        );
        assert!(problems.iter().all(|d| d.is_error() && d.hint.is_some()));
    }

    #[test]
    fn reverse_references_list_the_entries_naming_each_target_in_display_order() {
        let site = site();
        let entries = &site.collections[CollectionId::FIRST];
        assert_eq!(
            entries.reverse.len(),
            1,
            "one refs field has a reverse side"
        );
        let (f, named) = &entries.reverse[0];
        assert_eq!(*f, field(&site, "builds_on"));
        assert_eq!(slugs(&site, &named["sam"]), ["sam-med2d", "medsam"]);
        assert_eq!(slugs(&site, &named["vit"]), ["sam"]);
        assert!(!named.contains_key("medsam"), "nothing builds on MedSAM");
    }

    #[test]
    fn neighbours_are_the_previous_and_next_entry_of_the_same_group() {
        let site = site();
        let neighbours = |slug: &str| {
            let (prev, next) =
                site.collections[CollectionId::FIRST].neighbours[&entry(&site, slug)];
            let name = |i: Option<PageId>| i.map(|i| site.pages[i].slug.as_str());
            (name(prev), name(next))
        };
        assert_eq!(neighbours("vit"), (None, Some("sam")));
        // SAM-Med2D follows SAM in display order, but in another strand.
        assert_eq!(neighbours("sam"), (Some("vit"), None));
        assert_eq!(neighbours("sam-med2d"), (None, Some("medsam")));
        assert_eq!(neighbours("medsam"), (Some("sam-med2d"), Some("undated")));
        assert_eq!(neighbours("undated"), (Some("medsam"), None));
        assert_eq!(site.collections[CollectionId::FIRST].neighbours.len(), 5);
    }

    #[test]
    fn related_entries_share_the_most_terms_then_follow_the_display_order() {
        let site = site();
        let related = |slug: &str| {
            slugs(
                &site,
                &site.collections[CollectionId::FIRST].related[&entry(&site, slug)],
            )
        };
        // MedSAM shares CT, MRI and X-ray with SAM-Med2D; it names SAM; Undated shares X-ray.
        assert_eq!(related("medsam"), ["sam-med2d", "sam"]);
        // SAM shares a modality with ViT and names it; SAM-Med2D and MedSAM name SAM (one
        // shared group each): the earlier in display order wins the last place.
        assert_eq!(related("sam"), ["vit", "sam-med2d"]);
        assert_eq!(related("undated"), ["sam-med2d", "medsam"]);
        assert!(
            site.collections[CollectionId::FIRST]
                .related
                .values()
                .all(|r| r.len() <= 2),
            "`count: 2` caps the list"
        );
    }

    #[test]
    fn terms_broader_than_broadest_do_not_make_entries_related() {
        let model = MODEL.replace("count: 2}", "count: 2, broadest: 2}");
        let site = testing::site(&model, FILES);
        let related = |slug: &str| {
            slugs(
                &site,
                &site.collections[CollectionId::FIRST].related[&entry(&site, slug)],
            )
        };
        // X-ray is carried by three entries: too broad. Undated has nothing else.
        assert!(related("undated").is_empty());
        assert_eq!(related("medsam"), ["sam-med2d", "sam"]);
    }

    #[test]
    fn without_related_settings_no_entry_has_related_entries() {
        let model = MODEL.replace(
            "    related: {fields: [modalities, builds_on], count: 2}\n",
            "",
        );
        let site = testing::site(&model, FILES);
        assert!(site.collections[CollectionId::FIRST].related.is_empty());
    }

    #[test]
    fn navigation_lists_weighted_pages_by_weight_then_source() {
        let site = site();
        let nav: Vec<&str> = (site.nav_pages.iter())
            .map(|&i| site.pages[i].source.as_str())
            .collect();
        assert_eq!(nav, ["contact.md", "trends/medical.md", "about.md"]);
    }

    #[test]
    fn layouts_default_to_home_for_the_root_index_and_page_otherwise() {
        let site = site();
        let layout = |source: &str| site.layout(site.by_source[source]);
        assert_eq!(layout("_index.md"), Some("home"));
        assert_eq!(layout("about.md"), Some("page"));
        assert_eq!(layout("trends/medical.md"), Some("trend"));
        assert_eq!(layout("works/sam.md"), None, "entries have no layout");
    }

    #[test]
    fn texts_fall_back_to_the_default_language_field_by_field() {
        let site = site();
        let medsam = entry(&site, "medsam");
        assert_eq!(site.title(medsam, "zh"), "MedSAM");
        assert_eq!(site.title(medsam, "en"), "MedSAM (en)");
        assert_eq!(site.summary(medsam, "en"), "医学分割。", "not translated");
        assert_eq!(site.lang_prefix("zh"), "");
        assert_eq!(site.lang_prefix("en"), "en/");
        assert_eq!(site.date(medsam).unwrap().iso(), "2024-01-22");
        assert_eq!(site.date(entry(&site, "undated")), None);
        assert_eq!(
            site.value(medsam, "institutions").unwrap().as_list(),
            ["Vector Institute", "University of Toronto"]
        );
        assert!(site.value(medsam, "nope").is_none());
    }

    #[test]
    fn entries_with_a_term_are_in_display_order() {
        let site = site();
        let modalities = field(&site, "modalities");
        assert_eq!(
            slugs(
                &site,
                &site.entries_with(CollectionId::FIRST, modalities, "mri")
            ),
            ["sam-med2d", "medsam"]
        );
        assert!(site
            .entries_with(CollectionId::FIRST, modalities, "pet")
            .is_empty());
    }

    #[test]
    fn unlisted_ancestors_are_the_earlier_entries_no_listing_page_shows() {
        let ancestors = |site: &Site| {
            let medical: Vec<PageId> = ["sam-med2d", "medsam", "undated"]
                .iter()
                .map(|s| entry(site, s))
                .collect();
            let (builds_on, strand) = (field(site, "builds_on"), field(site, "strand"));
            let found =
                site.unlisted_ancestors(CollectionId::FIRST, &medical, builds_on, strand, "trend");
            slugs(site, &found)
        };
        // SAM and (through it) ViT are `general`, which no trend page lists.
        assert_eq!(ancestors(&site()), ["vit", "sam"]);
        // Once a trend page lists `general`, they are listed there.
        let mut files = FILES.to_vec();
        files.push((
            "trends/general.md",
            "---\ntitle: 通用\nlayout: trend\nstrand: general\n---\n",
        ));
        assert!(ancestors(&testing::site(MODEL, &files)).is_empty());
    }
}
