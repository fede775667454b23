//! The loaded site: pages plus everything derived from their front matter — lineage in both
//! directions, taxonomies with their terms, per-strand order and related works.

use std::collections::{BTreeMap, HashMap};

use crate::base::diagnostic::Diagnostic;
use crate::base::frontmatter;
use crate::base::slug::slugify;
use crate::load::content::Page;
use crate::model::config::SiteConfig;
use crate::model::schema::WorkMeta;

/// Taxonomies with a controlled vocabulary, in display order: (taxonomy name, vocabulary name).
pub const VOCAB_TAXONOMIES: [&str; 5] = ["strand", "kind", "modality", "organ", "task"];
/// Taxonomies whose terms are free text.
pub const FREE_TAXONOMIES: [&str; 2] = ["venue", "institution"];
/// How many related works a work page shows.
const RELATED_COUNT: usize = 4;
/// Terms with more works than this are too broad to suggest relatedness (keeps it linear).
const RELATED_TERM_CAP: usize = 300;

/// One term of a taxonomy with the works that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// Vocabulary key, or the name as written for free taxonomies.
    pub key: String,
    /// File-name slug of the term page.
    pub slug: String,
    /// Indexes (into `Site::pages`) of the works carrying the term, sorted by date then title.
    pub works: Vec<usize>,
}

/// A taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `modality`, `organ`, `task`, `kind`, `strand`, `venue` or `institution`.
    pub name: &'static str,
    /// True when terms come from a vocabulary (labels per language).
    pub controlled: bool,
    /// Terms in display order (vocabulary order, or by name).
    pub terms: Vec<Term>,
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
    /// Work page index by slug.
    pub by_slug: HashMap<String, usize>,
    /// Works in display order: by strand (vocabulary order), then date, then title.
    pub works: Vec<usize>,
    /// For each work slug, the works that list it in `builds_on`.
    pub built_upon_by: HashMap<String, Vec<usize>>,
    /// For each dataset/benchmark slug, the works that list it in `uses`.
    pub used_by: HashMap<String, Vec<usize>>,
    /// The taxonomies.
    pub taxonomies: Vec<Taxonomy>,
    /// For each work index, its related works.
    pub related: HashMap<usize, Vec<usize>>,
    /// Non-work pages with a `weight`, in navigation order.
    pub nav_pages: Vec<usize>,
    /// For each work index, the previous and next work of its strand in display order.
    pub strand_neighbours: HashMap<usize, (Option<usize>, Option<usize>)>,
    /// Highlights code blocks for every render of this site, remembering the results.
    pub highlighter: crate::markup::highlight::Highlighter,
    /// Bounds the time of every template render of this site.
    pub template_guard: crate::render::guard::TemplateGuard,
    /// Template data shared by the pages of each language, made once.
    pub memo: crate::view::ViewMemo,
}

impl Site {
    /// Derives the site from validated pages. Term slug collisions are reported.
    pub fn new(config: SiteConfig, pages: Vec<Page>) -> Result<Site, Vec<Diagnostic>> {
        let by_source = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.clone(), i))
            .collect();
        let by_slug: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.work().is_some())
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        let works = ordered_works(&config, &pages);
        let (built_upon_by, used_by) = reverse_edges(&pages, &works);
        let taxonomies = build_taxonomies(&config, &pages, &works)?;
        let memo = crate::view::ViewMemo::new(&config, pages.len());
        let mut site = Site {
            config,
            pages,
            by_source,
            by_slug,
            works,
            built_upon_by,
            used_by,
            taxonomies,
            related: HashMap::new(),
            strand_neighbours: HashMap::new(),
            nav_pages: Vec::new(),
            highlighter: Default::default(),
            template_guard: Default::default(),
            memo,
        };
        site.related = related_works(&site);
        site.strand_neighbours = strand_neighbours(&site);
        site.nav_pages = nav_pages(&site.pages);
        Ok(site)
    }

    /// The work facts of page `i` (panics if it is not a work: callers index `works`).
    pub fn work(&self, i: usize) -> &WorkMeta {
        self.pages[i].work().expect("index of a work page")
    }

    /// The default language code.
    pub fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    /// Works of `strand`, in display order.
    pub fn strand_works(&self, strand: &str) -> Vec<usize> {
        self.works
            .iter()
            .copied()
            .filter(|&i| self.work(i).strand == strand)
            .collect()
    }

    /// The taxonomy named `name`.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

fn ordered_works(config: &SiteConfig, pages: &[Page]) -> Vec<usize> {
    let strand_rank = |s: &str| {
        config
            .vocabularies
            .strand
            .get_index_of(s)
            .unwrap_or(usize::MAX)
    };
    let mut works: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].work().is_some())
        .collect();
    works.sort_by_cached_key(|&i| {
        let w = pages[i].work().expect("work");
        (
            strand_rank(&w.strand),
            w.date.is_none(),
            w.date,
            w.title.to_lowercase(),
            pages[i].slug.clone(),
        )
    });
    works
}

type Edges = HashMap<String, Vec<usize>>;

fn reverse_edges(pages: &[Page], works: &[usize]) -> (Edges, Edges) {
    let mut built_upon_by: Edges = HashMap::new();
    let mut used_by: Edges = HashMap::new();
    for &i in works {
        let w = pages[i].work().expect("work");
        for target in &w.builds_on {
            built_upon_by.entry(target.clone()).or_default().push(i);
        }
        for target in &w.uses {
            used_by.entry(target.clone()).or_default().push(i);
        }
    }
    (built_upon_by, used_by)
}

/// The term keys a work carries in taxonomy `name`.
pub fn work_terms<'a>(work: &'a WorkMeta, name: &str) -> Vec<&'a str> {
    match name {
        "strand" => vec![work.strand.as_str()],
        "kind" => vec![work.kind.as_str()],
        "modality" => work.modalities.iter().map(String::as_str).collect(),
        "organ" => work.organs.iter().map(String::as_str).collect(),
        "task" => work.tasks.iter().map(String::as_str).collect(),
        "venue" if !work.venue.trim().is_empty() => vec![work.venue.as_str()],
        "institution" => work.institutions.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn build_taxonomies(
    config: &SiteConfig,
    pages: &[Page],
    works: &[usize],
) -> Result<Vec<Taxonomy>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for name in VOCAB_TAXONOMIES {
        let vocab = config.vocabularies.get(name).expect("vocabulary exists");
        let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in works {
            for key in work_terms(pages[i].work().expect("work"), name) {
                members.entry(key).or_default().push(i);
            }
        }
        let terms = vocab
            .keys()
            .map(|k| Term {
                key: k.clone(),
                slug: k.clone(),
                works: members.remove(k.as_str()).unwrap_or_default(),
            })
            .collect();
        out.push(Taxonomy {
            name,
            controlled: true,
            terms,
        });
    }
    for name in FREE_TAXONOMIES {
        out.push(free_taxonomy(config, name, pages, works, &mut problems));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn free_taxonomy(
    config: &SiteConfig,
    name: &'static str,
    pages: &[Page],
    works: &[usize],
    problems: &mut Vec<Diagnostic>,
) -> Taxonomy {
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    for &i in works {
        for key in work_terms(pages[i].work().expect("work"), name) {
            let slug = slugify(key);
            let field = if name == "venue" {
                "venue"
            } else {
                "institutions"
            };
            match by_slug.get_mut(&slug) {
                _ if slug.is_empty() => problems.push(term_problem(
                    config,
                    &pages[i],
                    field,
                    key,
                    format!("{name} \"{key}\" has no letters or digits to make a page name from"),
                )),
                Some(term) if term.key != key => problems.push(term_problem(
                    config,
                    &pages[i],
                    field,
                    key,
                    format!(
                        "{name} \"{key}\" collides with \"{}\" (both make the page name `{slug}`)",
                        term.key
                    ),
                )),
                Some(term) => term.works.push(i),
                None => {
                    by_slug.insert(
                        slug.clone(),
                        Term {
                            key: key.to_string(),
                            slug,
                            works: vec![i],
                        },
                    );
                }
            }
        }
    }
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    terms.sort_by(|a, b| {
        b.works
            .len()
            .cmp(&a.works.len())
            .then_with(|| a.key.to_lowercase().cmp(&b.key.to_lowercase()))
    });
    Taxonomy {
        name,
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
    let text = &page.texts[&config.default_language];
    let position = frontmatter::split(&text.file.to_string_lossy(), &text.file_text)
        .ok()
        .and_then(|split| frontmatter::locate_value(&split, field, value));
    let (line, col) = position.unwrap_or((1, 1));
    Diagnostic::error(&text.file, line, col, message)
        .with_hint(
            "write the name the same way everywhere, or make the two names differ in letters",
        )
        .with_source(&text.file_text)
}

/// Pages with a navigation `weight`, ordered by weight then source path.
fn nav_pages(pages: &[Page]) -> Vec<usize> {
    let mut weighted: Vec<(i32, &str, usize)> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.meta {
            crate::load::content::PageMetaKind::Section(m) => {
                m.weight.map(|w| (w, p.source.as_str(), i))
            }
            crate::load::content::PageMetaKind::Work(_) => None,
        })
        .collect();
    weighted.sort();
    weighted.into_iter().map(|(_, _, i)| i).collect()
}

/// Previous and next work within each work's strand, in one pass over the display order.
fn strand_neighbours(site: &Site) -> HashMap<usize, (Option<usize>, Option<usize>)> {
    let mut by_strand: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &site.works {
        by_strand
            .entry(site.work(i).strand.as_str())
            .or_default()
            .push(i);
    }
    let mut out = HashMap::new();
    for works in by_strand.values() {
        for (pos, &i) in works.iter().enumerate() {
            let prev = pos.checked_sub(1).map(|p| works[p]);
            out.insert(i, (prev, works.get(pos + 1).copied()));
        }
    }
    out
}

/// For each work, the works sharing the most terms (themes, modalities, organs, tasks,
/// institutions, lineage). Broad terms are skipped so the cost stays linear in the site size.
fn related_works(site: &Site) -> HashMap<usize, Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for name in ["modality", "organ", "task", "institution"] {
        if let Some(tax) = site.taxonomy(name) {
            groups.extend(tax.terms.iter().map(|t| t.works.clone()));
        }
    }
    let mut by_theme: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &site.works {
        by_theme
            .entry(site.work(i).theme.as_str())
            .or_default()
            .push(i);
        let mut family = vec![i];
        family.extend(
            site.work(i)
                .builds_on
                .iter()
                .filter_map(|s| site.by_slug.get(s)),
        );
        groups.push(family);
    }
    groups.extend(by_theme.into_values());
    // Dense tables indexed by page: this runs once per work over up to a few thousand
    // neighbours each, so hashing every count would dominate.
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (g, members) in groups.iter().enumerate() {
        if members.len() <= RELATED_TERM_CAP {
            for &m in members {
                groups_of[m].push(g);
            }
        }
    }
    let mut rank = vec![usize::MAX; site.pages.len()];
    for (r, &i) in site.works.iter().enumerate() {
        rank[i] = r;
    }
    let mut shared = vec![0usize; site.pages.len()];
    let mut touched: Vec<usize> = Vec::new();
    site.works
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
            let related = touched.iter().take(RELATED_COUNT).copied().collect();
            for other in touched.drain(..) {
                shared[other] = 0;
            }
            (i, related)
        })
        .collect()
}
