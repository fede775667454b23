//! View structs handed to templates: made for the templates, serialisable, with every URL already
//! relative to the site root (templates prefix `{{ root }}`) and every label in the page's language.

pub mod lineage;
pub mod table;

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;

use crate::load::content::Page;
use crate::markup::markdown::Heading;
use crate::model::schema::{Link, Openness, Paper, PartialDate, WorkMeta};
use crate::model::site::{work_terms, Site};

/// Builds views for one language of a site.
pub struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// Language code of the pages being rendered.
    pub lang: &'a str,
}

/// A link to a taxonomy term or vocabulary value.
#[derive(Debug, Clone, Serialize)]
pub struct TermRef {
    /// Vocabulary key (or free-text name).
    pub key: String,
    /// Label in the page language.
    pub label: String,
    /// Site-root-relative URL of the term page.
    pub url: String,
}

/// A date with its known precision.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2024`, `2024-03` or `2024-03-05`.
    pub iso: String,
    /// Formatted for the page language.
    pub display: String,
}

/// Open / closed / unknown, with its label.
#[derive(Debug, Clone, Serialize)]
pub struct OpenView {
    /// `yes`, `no` or `unknown`.
    pub value: &'static str,
    /// Label in the page language.
    pub label: String,
}

/// A work as shown in lists, tables and related-work boxes.
#[derive(Debug, Clone, Serialize)]
pub struct WorkCard {
    /// Slug.
    pub slug: String,
    /// Title in the page language.
    pub title: String,
    /// Expanded name.
    pub full_name: String,
    /// One-sentence summary in the page language.
    pub summary: String,
    /// Site-root-relative URL.
    pub url: String,
    /// Kind.
    pub kind: TermRef,
    /// Strand.
    pub strand: TermRef,
    /// Sub-theme.
    pub theme: TermRef,
    /// Venue term, if any.
    pub venue: Option<TermRef>,
    /// Publication date.
    pub date: DateView,
    /// Modalities.
    pub modalities: Vec<TermRef>,
    /// Organs.
    pub organs: Vec<TermRef>,
    /// Tasks.
    pub tasks: Vec<TermRef>,
    /// Data scale text in the page language.
    pub data_scale: String,
    /// Open code.
    pub open_code: OpenView,
    /// Open weights.
    pub open_weights: OpenView,
}

/// Everything a work page shows.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    /// The list-level fields.
    #[serde(flatten)]
    pub card: WorkCard,
    /// Other names.
    pub aliases: Vec<String>,
    /// True when the title is ours, not an official name.
    pub descriptive_title: bool,
    /// Bibliographic detail of the venue.
    pub venue_detail: String,
    /// The original publication.
    pub paper: Paper,
    /// arXiv id.
    pub arxiv: String,
    /// Institutions.
    pub institutions: Vec<TermRef>,
    /// Works this one builds on.
    pub builds_on: Vec<WorkCard>,
    /// Works building on this one.
    pub built_upon_by: Vec<WorkCard>,
    /// Datasets and benchmarks used.
    pub uses: Vec<WorkCard>,
    /// Works using this dataset or benchmark.
    pub used_by: Vec<WorkCard>,
    /// Headline result.
    pub headline: String,
    /// External links.
    pub links: Vec<Link>,
    /// Where the article disagrees with the paper.
    pub discrepancy: String,
    /// Works sharing the most terms.
    pub related: Vec<WorkCard>,
    /// Previous work in the same strand.
    pub prev: Option<WorkCard>,
    /// Next work in the same strand.
    pub next: Option<WorkCard>,
}

/// What many pages of a language share and would otherwise make again for each: the UI strings
/// as template data, and each work's card (made on first use, then cloned: a card shows on many
/// pages — related works, lineage nodes, term lists, the table, feeds — and making one formats
/// its date, labels and URLs).
#[derive(Debug, Default)]
pub struct ViewMemo {
    langs: Vec<LangMemo>,
}

#[derive(Debug)]
struct LangMemo {
    lang: String,
    strings: serde_json::Value,
    cards: Vec<OnceLock<WorkCard>>,
}

impl ViewMemo {
    /// The memo of `config`'s languages for `pages` pages.
    pub fn new(config: &crate::model::config::SiteConfig, pages: usize) -> Self {
        let langs = config
            .language_codes()
            .map(|lang| LangMemo {
                lang: lang.to_string(),
                strings: serde_json::to_value(config.strings_for(lang)).unwrap_or_default(),
                cards: (0..pages).map(|_| OnceLock::new()).collect(),
            })
            .collect();
        ViewMemo { langs }
    }

    fn lang(&self, lang: &str) -> Option<&LangMemo> {
        self.langs.iter().find(|l| l.lang == lang)
    }
}

/// A rendered Markdown body with its table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct BodyView {
    /// HTML.
    pub html: String,
    /// Headings of levels 2–3.
    pub toc: Vec<Heading>,
}

/// A non-work page as a link target (navigation, home page entry points).
#[derive(Debug, Clone, Serialize)]
pub struct SectionCard {
    /// Title in the page language.
    pub title: String,
    /// Summary in the page language.
    pub summary: String,
    /// Site-root-relative URL.
    pub url: String,
    /// Strand key for trend pages.
    pub strand: Option<String>,
}

/// A term with its number of works.
#[derive(Debug, Clone, Serialize)]
pub struct TermCount {
    /// The term.
    #[serde(flatten)]
    pub term: TermRef,
    /// Number of works carrying it.
    pub count: usize,
}

/// Works of one sub-theme on a trend page.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeGroup {
    /// The sub-theme.
    pub theme: TermRef,
    /// Its works.
    pub works: Vec<WorkCard>,
}

/// One month (or year) of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineBucket {
    /// Sort key and machine-readable date (`2024-03`, or `2024` when the month is unknown).
    pub iso: String,
    /// Label in the page language.
    pub label: String,
    /// Works dated in this bucket.
    pub works: Vec<TimelineEntry>,
}

/// A work on a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// The work.
    #[serde(flatten)]
    pub card: WorkCard,
    /// True when the month comes from the arXiv preprint id, not the publication date.
    pub from_preprint: bool,
}

impl<'a> Views<'a> {
    /// URL prefix of this language (`""` or `en/`).
    pub fn prefix(&self) -> String {
        lang_prefix(self.site, self.lang)
    }

    /// Site-root-relative URL of a lang-relative path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.prefix())
    }

    /// A UI string of this language (the key itself when missing).
    pub fn t(&self, key: &str) -> String {
        self.site
            .config
            .strings
            .get(self.lang)
            .and_then(|t| t.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// A vocabulary or free term reference.
    pub fn term(&self, taxonomy: &str, key: &str) -> TermRef {
        // Vocabulary terms are their own slugs; free terms are slugified exactly as
        // `site::free_taxonomy` does (which rejects collisions), so no lookup is needed.
        let vocabulary = match taxonomy {
            "venue" | "institution" => None,
            other => Some(other),
        };
        let slug = match vocabulary {
            Some(_) => key.to_string(),
            None => crate::base::slug::slugify(key),
        };
        let label = vocabulary
            .map_or(key, |v| self.site.config.term_label(v, key, self.lang))
            .to_string();
        TermRef {
            key: key.to_string(),
            label,
            url: self.url(&format!("taxonomies/{taxonomy}/{slug}.html")),
        }
    }

    fn theme(&self, key: &str) -> TermRef {
        let label = self
            .site
            .config
            .term_label("theme", key, self.lang)
            .to_string();
        TermRef {
            key: key.to_string(),
            label,
            url: String::new(),
        }
    }

    /// A date formatted for this language; an unknown date shows as such.
    pub fn date(&self, d: &Option<PartialDate>) -> DateView {
        match d {
            Some(d) => DateView {
                iso: d.iso(),
                display: self.format_date(d.year, d.month, d.day),
            },
            None => DateView {
                iso: String::new(),
                display: self.t("date_unknown"),
            },
        }
    }

    fn format_date(&self, year: u16, month: Option<u8>, day: Option<u8>) -> String {
        let pattern = match (month, day) {
            (Some(_), Some(_)) => self.t("date_day"),
            (Some(_), None) => self.t("date_month"),
            _ => self.t("date_year"),
        };
        let month_name = month
            .and_then(|m| {
                self.t("months")
                    .split(',')
                    .nth(usize::from(m) - 1)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        pattern
            .replace("{y}", &year.to_string())
            .replace("{month}", &month_name)
            .replace("{d}", &day.map(|d| d.to_string()).unwrap_or_default())
    }

    fn open(&self, o: Openness) -> OpenView {
        let value = match o {
            Openness::Yes => "yes",
            Openness::No => "no",
            Openness::Unknown => "unknown",
        };
        OpenView {
            value,
            label: self.t(&format!("open_{value}")),
        }
    }

    /// The UI strings of this language as template data (`t` in every template).
    pub fn strings(&self) -> serde_json::Value {
        match self.site.memo.lang(self.lang) {
            Some(memo) => memo.strings.clone(),
            None => {
                serde_json::to_value(self.site.config.strings_for(self.lang)).unwrap_or_default()
            }
        }
    }

    /// The list-level view of work page `i`.
    pub fn card(&self, i: usize) -> WorkCard {
        self.card_ref(i).into_owned()
    }

    /// [`Views::card`] without a copy, for reading a few of its fields.
    pub fn card_ref(&self, i: usize) -> Cow<'a, WorkCard> {
        let make = || self.make_card(i);
        match self.site.memo.lang(self.lang).and_then(|m| m.cards.get(i)) {
            Some(cell) => Cow::Borrowed(cell.get_or_init(make)),
            None => Cow::Owned(make()),
        }
    }

    fn make_card(&self, i: usize) -> WorkCard {
        let page = &self.site.pages[i];
        let w = self.site.work(i);
        let text = page.text(self.lang, self.site.default_lang());
        let terms = |tax: &str| {
            work_terms(w, tax)
                .into_iter()
                .map(|k| self.term(tax, k))
                .collect()
        };
        WorkCard {
            slug: page.slug.clone(),
            title: text.title.clone(),
            full_name: text.full_name.clone(),
            summary: text.summary.clone(),
            url: self.url(&page.output),
            kind: self.term("kind", &w.kind),
            strand: self.term("strand", &w.strand),
            theme: self.theme(&w.theme),
            venue: (!w.venue.trim().is_empty()).then(|| self.term("venue", &w.venue)),
            date: self.date(&w.date),
            modalities: terms("modality"),
            organs: terms("organ"),
            tasks: terms("task"),
            data_scale: text.data_scale.clone(),
            open_code: self.open(w.open_code),
            open_weights: self.open(w.open_weights),
        }
    }

    fn cards(&self, slugs: &[String]) -> Vec<WorkCard> {
        slugs
            .iter()
            .filter_map(|s| self.site.by_slug.get(s))
            .map(|&i| self.card(i))
            .collect()
    }

    fn cards_of(&self, indexes: Option<&Vec<usize>>) -> Vec<WorkCard> {
        indexes
            .into_iter()
            .flatten()
            .map(|&i| self.card(i))
            .collect()
    }

    /// The full view of work page `i`.
    pub fn work(&self, i: usize) -> WorkView {
        let page = &self.site.pages[i];
        let w: &WorkMeta = self.site.work(i);
        let text = page.text(self.lang, self.site.default_lang());
        let (prev, next) = self
            .site
            .strand_neighbours
            .get(&i)
            .copied()
            .unwrap_or_default();
        WorkView {
            card: self.card(i),
            aliases: w.aliases.clone(),
            descriptive_title: w.descriptive_title,
            venue_detail: w.venue_detail.clone(),
            paper: w.paper.clone(),
            arxiv: w.arxiv.clone(),
            institutions: w
                .institutions
                .iter()
                .map(|k| self.term("institution", k))
                .collect(),
            builds_on: self.cards(&w.builds_on),
            built_upon_by: self.cards_of(self.site.built_upon_by.get(&page.slug)),
            uses: self.cards(&w.uses),
            used_by: self.cards_of(self.site.used_by.get(&page.slug)),
            headline: text.headline.clone(),
            links: w.links.clone(),
            discrepancy: text.discrepancy.clone(),
            related: self.cards_of(self.site.related.get(&i)),
            prev: prev.map(|j| self.card(j)),
            next: next.map(|j| self.card(j)),
        }
    }

    /// A non-work page as a link target.
    pub fn section_card(&self, page: &Page) -> SectionCard {
        let text = page.text(self.lang, self.site.default_lang());
        let strand = match &page.meta {
            crate::load::content::PageMetaKind::Section(m) => m.strand.clone(),
            crate::load::content::PageMetaKind::Work(_) => None,
        };
        SectionCard {
            title: text.title.clone(),
            summary: text.summary.clone(),
            url: self.url(&page.output),
            strand,
        }
    }

    /// Works of a strand grouped by sub-theme, in vocabulary order.
    pub fn theme_groups(&self, strand: &str) -> Vec<ThemeGroup> {
        let works = self.site.strand_works(strand);
        self.site
            .config
            .vocabularies
            .theme
            .keys()
            .map(|key| ThemeGroup {
                theme: self.theme(key),
                works: works
                    .iter()
                    .filter(|&&i| &self.site.work(i).theme == key)
                    .map(|&i| self.card(i))
                    .collect(),
            })
            .filter(|g| !g.works.is_empty())
            .collect()
    }

    /// A timeline of `works` by month: the publication month where known, else the arXiv month.
    pub fn timeline(&self, works: &[usize]) -> Vec<TimelineBucket> {
        let mut buckets: std::collections::BTreeMap<(u16, u8), Vec<TimelineEntry>> =
            Default::default();
        for &i in works {
            let w = self.site.work(i);
            let Some(date) = w.date else {
                buckets
                    .entry((u16::MAX, 0))
                    .or_default()
                    .push(TimelineEntry {
                        card: self.card(i),
                        from_preprint: false,
                    });
                continue;
            };
            let (month, from_preprint) = match (date.month, arxiv_month(&w.arxiv, date.year)) {
                (Some(m), _) => (m, false),
                (None, Some(m)) => (m, true),
                (None, None) => (0, false),
            };
            buckets
                .entry((date.year, month))
                .or_default()
                .push(TimelineEntry {
                    card: self.card(i),
                    from_preprint,
                });
        }
        buckets
            .into_iter()
            .map(|((year, month), works)| {
                let (iso, label) = match month {
                    _ if year == u16::MAX => (String::new(), self.t("date_unknown")),
                    0 => (
                        format!("{year:04}"),
                        self.t("month_unknown").replace("{y}", &year.to_string()),
                    ),
                    m => (
                        format!("{year:04}-{m:02}"),
                        self.format_date(year, Some(m), None),
                    ),
                };
                TimelineBucket { iso, label, works }
            })
            .collect()
    }

    /// Body view from rendered Markdown.
    pub fn body(&self, rendered: &crate::markup::markdown::Rendered) -> BodyView {
        let toc = rendered
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .cloned()
            .collect();
        BodyView {
            html: rendered.html.clone(),
            toc,
        }
    }
}

/// URL prefix of `lang`: empty for the default language, `<code>/` otherwise.
pub fn lang_prefix(site: &Site, lang: &str) -> String {
    if lang == site.default_lang() {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// The month of an arXiv id `YYMM.NNNNN` when it falls in `year` (new-style ids only).
pub fn arxiv_month(arxiv: &str, year: u16) -> Option<u8> {
    let yymm = arxiv.split('.').next()?;
    if yymm.len() != 4 || !yymm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: u16 = yymm[..2].parse().ok()?;
    let mm: u8 = yymm[2..].parse().ok()?;
    (2000 + yy == year && (1..=12).contains(&mm)).then_some(mm)
}

/// `../` repeated once per folder in `url` (a site-root-relative file path).
pub fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_months() {
        assert_eq!(arxiv_month("2402.03302", 2024), Some(2));
        assert_eq!(arxiv_month("2312.03490", 2024), None);
        assert_eq!(arxiv_month("", 2024), None);
    }

    #[test]
    fn roots() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("en/models/x.html"), "../../");
    }
}
