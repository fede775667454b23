//! The data templates receive, in one language: every declared field of an entry turned into
//! what a template prints (a term with its label and page, a date in the language's format, a
//! tristate with its label, referenced entries as cards), cards for lists, groups and timelines.
//! Every URL is relative to the site root (templates prefix `{{ root }}`).

pub(crate) mod charts;
pub(crate) mod citations;
pub(crate) mod lineage;
pub(crate) mod table;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::base::date::PartialDate;
use crate::model::config::SiteConfig;
use crate::model::id::{CollectionId, FieldId, IdVec, PageId, TaxonomyId};
use crate::model::schema::{Field, Schema};
use crate::model::site::Site;
use crate::model::value::{FieldValue, Link, Tristate};

/// A link to a term page, or a term without one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermRef {
    /// Vocabulary key (or free-text name).
    pub(crate) key: String,
    /// Label in the page language.
    pub(crate) label: String,
    /// Site-root-relative URL of the term page ("" when the field is no taxonomy).
    pub(crate) url: String,
}

/// A date with its known precision.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    /// `2024`, `2024-03` or `2024-03-05`; "" when unknown.
    pub(crate) iso: String,
    /// Formatted for the page language.
    pub(crate) display: String,
}

/// A tristate value with its label.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TristateView {
    /// `yes`, `no` or `unknown`.
    pub(crate) value: &'static str,
    /// Label in the page language.
    pub(crate) label: String,
}

/// Units written against the number, without a space (the SI brochure's one exception to the
/// space before a unit: degrees, minutes and seconds of plane angle, as in `0.25°`).
const ANGLE_SYMBOLS: [char; 3] = ['°', '′', '″'];

/// A number with its unit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NumberView {
    /// The number.
    pub(crate) value: f64,
    /// The number and its unit in the page language.
    pub(crate) display: String,
}

/// A term with its number of entries.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermCount {
    /// The term.
    #[serde(flatten)]
    pub(crate) term: TermRef,
    /// Number of entries carrying it.
    pub(crate) count: usize,
}

/// A page outside the collections as a link target (navigation, home page entry points).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageCard {
    /// Title in the page language.
    pub(crate) title: String,
    /// Summary in the page language.
    pub(crate) summary: String,
    /// Site-root-relative URL.
    pub(crate) url: String,
}

/// Entries sharing one term (a section of a list, a theme of a trend page).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group<'a> {
    /// The term (none for the single group of a collection without a group field).
    pub(crate) term: Option<TermRef>,
    /// Its entries' cards.
    pub(crate) entries: Vec<&'a Card<'a>>,
}

/// One month (or year) of a timeline.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineBucket<'a> {
    /// Sort key and machine-readable date (`2024-03`, or `2024` when the month is unknown).
    pub(crate) iso: String,
    /// Label in the page language.
    pub(crate) label: String,
    /// Entries dated in this bucket.
    pub(crate) works: Vec<TimelineWork<'a>>,
}

/// An entry of a timeline: its card, with `from_preprint` true when the month comes from the
/// arXiv id rather than the date.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineWork<'a> {
    /// The entry's card.
    #[serde(flatten)]
    pub(crate) card: &'a Card<'a>,
    /// Whether the bucket's month is the preprint's.
    pub(crate) from_preprint: bool,
}

/// The value of one field of an entry as templates receive it: what [`Views::value`] makes of
/// a [`FieldValue`] in one language, borrowing the site's text.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum FieldView<'a> {
    /// No value (an empty term, an unknown number).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Integer(i64),
    /// A text in the page language, or a URL.
    Text(&'a str),
    /// A list of texts.
    TextList(&'a [String]),
    /// A date with its display.
    Date(DateView),
    /// A tristate with its label.
    Tristate(TristateView),
    /// A number with its unit.
    Number(NumberView),
    /// A term.
    Term(TermRef),
    /// Several terms.
    Terms(Vec<TermRef>),
    /// Referenced entries, as their cards.
    Refs(Vec<&'a Card<'a>>),
    /// Labelled links.
    Links(&'a [Link]),
    /// The named parts of a group field, as a map.
    Group(NamedTexts<'a>),
}

/// Name–text pairs that templates receive as a map (the parts of a group field).
#[derive(Debug, Clone)]
pub(crate) struct NamedTexts<'a>(Vec<(&'a str, &'a str)>);

impl Serialize for NamedTexts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, text) in &self.0 {
            map.serialize_entry(name, text)?;
        }
        map.end()
    }
}

impl<'a> FieldView<'a> {
    /// The text of a text or URL value ("" for any other).
    pub(crate) fn as_text(&self) -> &'a str {
        match self {
            FieldView::Text(s) => s,
            _ => "",
        }
    }

    /// The label of a term or tristate ("" for any other value).
    pub(crate) fn label(&self) -> &str {
        match self {
            FieldView::Term(t) => &t.label,
            FieldView::Tristate(t) => &t.label,
            _ => "",
        }
    }

    /// How a date or number shows ("" for any other value).
    pub(crate) fn display(&self) -> &str {
        match self {
            FieldView::Date(d) => &d.display,
            FieldView::Number(n) => &n.display,
            _ => "",
        }
    }
}

/// An entry as lists, tables, graphs and other entries show it: its slug, its URL and the
/// fields its collection puts on cards. Made once per language and borrowed by every page that
/// shows the entry.
#[derive(Debug)]
pub(crate) struct Card<'a> {
    /// The entry's slug.
    pub(crate) slug: &'a str,
    /// Site-root-relative URL of the entry's page.
    pub(crate) url: String,
    /// The card fields by name, in declaration order.
    pub(crate) fields: Vec<(&'a str, FieldView<'a>)>,
}

impl<'a> Card<'a> {
    /// The value of card field `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&FieldView<'a>> {
        (self.fields.iter()).find_map(|(n, v)| (*n == name).then_some(v))
    }

    /// The text of `name` (`slug`, `url` or a text field; "" when absent or not text).
    pub(crate) fn text(&self, name: &str) -> &str {
        match name {
            "slug" => self.slug,
            "url" => &self.url,
            _ => self.get(name).map_or("", FieldView::as_text),
        }
    }
}

impl Serialize for Card<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len() + 2))?;
        map.serialize_entry("slug", self.slug)?;
        map.serialize_entry("url", &self.url)?;
        for (name, value) in &self.fields {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// Everything an entry page shows of an entry: its card, its other fields and, for an entry of
/// a collection, its relations.
#[derive(Debug)]
struct EntryView<'a> {
    card: &'a Card<'a>,
    fields: Vec<(&'a str, FieldView<'a>)>,
    relations: Option<Relations<'a>>,
}

/// The entries an entry is related to: the reverse side of references to it (by the reverse
/// field's name), its related entries and its neighbours in its group.
#[derive(Debug)]
struct Relations<'a> {
    reverse: Vec<(&'a str, Vec<&'a Card<'a>>)>,
    related: Vec<&'a Card<'a>>,
    prev: Option<&'a Card<'a>>,
    next: Option<&'a Card<'a>>,
}

impl Serialize for EntryView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("slug", self.card.slug)?;
        map.serialize_entry("url", &self.card.url)?;
        for (name, value) in self.card.fields.iter().chain(&self.fields) {
            map.serialize_entry(name, value)?;
        }
        if let Some(r) = &self.relations {
            for (name, cards) in &r.reverse {
                map.serialize_entry(name, cards)?;
            }
            map.serialize_entry("related", &r.related)?;
            map.serialize_entry("prev", &r.prev)?;
            map.serialize_entry("next", &r.next)?;
        }
        map.end()
    }
}

/// What the pages of each language share and would otherwise make again for each: the UI
/// strings and field labels as template data, and each entry's card (made on first use, then
/// borrowed or cloned: a card shows on many pages — related entries, lineage nodes, term lists,
/// the table, feeds — and making one formats its date, labels and URLs).
#[derive(Debug, Default)]
pub(crate) struct ViewMemo<'a> {
    langs: Vec<LangMemo<'a>>,
}

#[derive(Debug)]
struct LangMemo<'a> {
    lang: String,
    strings: Value,
    labels: IdVec<CollectionId, Value>,
    cards: IdVec<PageId, OnceLock<Card<'a>>>,
}

impl<'a> ViewMemo<'a> {
    /// The memo of `config`'s languages for a site of `pages` pages.
    pub(crate) fn new(config: &SiteConfig, pages: usize) -> Self {
        let langs = config
            .language_codes()
            .map(|lang| LangMemo {
                lang: lang.to_string(),
                strings: serde_json::to_value(config.strings_for(lang)).unwrap_or_default(),
                labels: (config.model.collections.iter())
                    .map(|c| labels(config, &c.schema, lang))
                    .collect(),
                cards: (0..pages).map(|_| OnceLock::new()).collect(),
            })
            .collect();
        ViewMemo { langs }
    }

    fn lang(&self, lang: &str) -> &LangMemo<'a> {
        (self.langs.iter())
            .find(|l| l.lang == lang)
            .unwrap_or_else(|| panic!("no view memo for language `{lang}`"))
    }
}

/// Field name → label in `lang` (the name where no label is declared), with the names of the
/// reverse sides of references.
fn labels(config: &SiteConfig, schema: &Schema, lang: &str) -> Value {
    let mut map = Map::new();
    for field in &schema.fields {
        let label = field
            .label
            .as_ref()
            .map_or(field.name.as_str(), |l| config.localized(l, lang));
        map.insert(field.name.clone(), label.into());
        if let Some(reverse) = &field.reverse {
            let label = reverse
                .label
                .as_ref()
                .map_or(reverse.name.as_str(), |l| config.localized(l, lang));
            map.insert(reverse.name.clone(), label.into());
        }
    }
    Value::Object(map)
}

/// Builds views for one language of a site.
#[derive(Clone, Copy)]
pub(crate) struct Views<'a> {
    /// The site.
    pub(crate) site: &'a Site,
    /// Language code of the pages being rendered.
    pub(crate) lang: &'a str,
    /// What the pages of the language share.
    pub(crate) memo: &'a ViewMemo<'a>,
}

impl<'a> Views<'a> {
    /// URL prefix of this language (`""` or `en/`).
    pub(crate) fn prefix(&self) -> String {
        self.site.lang_prefix(self.lang)
    }

    /// Site-root-relative URL of a lang-relative path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.prefix())
    }

    /// A UI string of this language (the key itself when missing).
    pub(crate) fn t(&self, key: &str) -> String {
        self.site.config.string(self.lang, key).to_string()
    }

    /// Punctuation of this language: the UI string `key` (`colon`, `list_sep`), or `default`
    /// when the site declares none.
    pub(crate) fn punctuation(&self, key: &str, default: &'a str) -> &'a str {
        let strings = self.site.config.strings_for(self.lang);
        strings.get(key).map_or(default, String::as_str)
    }

    /// The UI strings of this language as template data (`t` in every template).
    pub(crate) fn strings(&self) -> &'a Value {
        &self.memo.lang(self.lang).strings
    }

    /// The field labels of collection `c` as template data (`labels`).
    pub(crate) fn labels(&self, c: CollectionId) -> &'a Value {
        &self.memo.lang(self.lang).labels[c]
    }

    /// A term of field `field` of collection `c`: its label in this language, and its page when
    /// the field is a taxonomy.
    pub(crate) fn term(&self, c: CollectionId, field: FieldId, key: &str) -> TermRef {
        let field = &self.site.config.model.collections[c].schema.fields[field];
        self.field_term(field, key)
    }

    fn field_term(&self, field: &Field, key: &str) -> TermRef {
        let label = match &field.vocabulary {
            Some(v) => self.site.config.term_label(v, key, self.lang),
            None => key,
        };
        TermRef {
            key: key.to_string(),
            label: label.to_string(),
            url: field
                .taxonomy
                .map(|t| self.term_url(t, field.vocabulary.is_some(), key))
                .unwrap_or_default(),
        }
    }

    /// A term of taxonomy `t` (an index into the site's taxonomies).
    pub(crate) fn taxonomy_term(&self, t: TaxonomyId, key: &str) -> TermRef {
        let tax = &self.site.taxonomies[t];
        self.term(tax.collection, tax.field, key)
    }

    /// The page of `key` in taxonomy `t`: vocabulary terms are their own slugs; free terms are
    /// slugified exactly as the site's taxonomies are (which reject collisions).
    fn term_url(&self, t: TaxonomyId, controlled: bool, key: &str) -> String {
        let name = &self.site.config.model.taxonomies[t].name;
        let slug = if controlled {
            key.to_string()
        } else {
            crate::base::slug::page_name(key)
        };
        self.url(&format!("taxonomies/{name}/{slug}.html"))
    }

    /// The label of taxonomy `t` in this language.
    pub(crate) fn taxonomy_label(&self, t: TaxonomyId) -> String {
        let (_, _, decl) = self.site.config.model.taxonomy(t);
        self.site
            .config
            .localized(&decl.label, self.lang)
            .to_string()
    }

    /// A date formatted for this language; an unknown date shows as such.
    pub(crate) fn date(&self, d: Option<PartialDate>) -> DateView {
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

    /// A tristate value with its label.
    pub(crate) fn tristate(&self, t: Tristate) -> TristateView {
        TristateView {
            value: t.key(),
            label: self.t(t.key()),
        }
    }

    /// The value of field `f` of page `i` as templates receive it.
    pub(crate) fn value(&self, i: PageId, f: FieldId) -> FieldView<'a> {
        let site = self.site;
        let page = &site.pages[i];
        let schema = site.schema(i);
        let field = &schema.fields[f];
        match &page.values[f] {
            FieldValue::Text(_) => FieldView::Text(page.text(schema, f, self.lang)),
            FieldValue::TextList(v) => FieldView::TextList(v),
            FieldValue::Bool(b) => FieldView::Bool(*b),
            FieldValue::Date(d) => FieldView::Date(self.date(*d)),
            FieldValue::Tristate(t) => FieldView::Tristate(self.tristate(*t)),
            FieldValue::Term(k) if k.trim().is_empty() => FieldView::Null,
            FieldValue::Term(k) => FieldView::Term(self.field_term(field, k)),
            FieldValue::Terms(keys) => {
                FieldView::Terms(keys.iter().map(|k| self.field_term(field, k)).collect())
            }
            FieldValue::Refs(slugs) => {
                let by_slug = &site.collections[field.target].by_slug;
                FieldView::Refs(
                    (slugs.iter())
                        .filter_map(|s| by_slug.get(s))
                        .map(|&j| self.card(j))
                        .collect(),
                )
            }
            FieldValue::Links(links) => FieldView::Links(links),
            FieldValue::Url(s) => FieldView::Text(s),
            FieldValue::Number(None) | FieldValue::Integer(None) => FieldView::Null,
            FieldValue::Number(Some(n)) => FieldView::Number(self.number(field, *n)),
            FieldValue::Integer(Some(n)) => FieldView::Integer(*n),
            FieldValue::Group(values) => FieldView::Group(NamedTexts(
                (field.fields.keys().zip(values))
                    .map(|(name, v)| (name.as_str(), v.as_str()))
                    .collect(),
            )),
        }
    }

    fn number(&self, field: &Field, n: f64) -> NumberView {
        let unit = field
            .unit
            .as_ref()
            .map(|u| self.site.config.localized(u, self.lang));
        NumberView {
            value: n,
            display: match unit {
                Some(unit) if unit.starts_with(ANGLE_SYMBOLS) => format!("{n}{unit}"),
                Some(unit) if !unit.is_empty() => format!("{n} {unit}"),
                _ => n.to_string(),
            },
        }
    }

    /// The card of entry `i`: its slug, URL and card fields.
    pub(crate) fn card(&self, i: PageId) -> &'a Card<'a> {
        let memo = self.memo.lang(self.lang);
        let views = *self;
        memo.cards[i].get_or_init(|| views.make_card(i))
    }

    /// Makes the card of every entry now, in entry order, before any page of the language.
    /// Cards live until the build ends, while the values of the largest generated pages (the
    /// table's rows) are freed as soon as the page is written: made on first use, the cards
    /// would sit between those values and keep the allocator from giving their memory back.
    pub(crate) fn make_cards(&self) {
        for collection in self.site.collections.iter() {
            for &i in &collection.order {
                self.card(i);
            }
        }
    }

    fn make_card(&self, i: PageId) -> Card<'a> {
        let site = self.site;
        let page = &site.pages[i];
        let fields = (site.collection_of(i).into_iter())
            .flat_map(|c| c.card_fields.iter().map(move |&f| (c, f)))
            .map(|(c, f)| (c.schema.fields[f].name.as_str(), self.value(i, f)))
            .collect();
        Card {
            slug: &page.slug,
            url: self.url(&page.output),
            fields,
        }
    }

    /// Everything an entry page shows of entry `i`: every field, the reverse side of its
    /// references, its related entries and its neighbours in its group.
    pub(crate) fn entry(&self, i: PageId) -> Value {
        json(&self.entry_view(i))
    }

    fn entry_view(&self, i: PageId) -> EntryView<'a> {
        let site = self.site;
        let card = self.card(i);
        let Some(c) = site.pages[i].collection else {
            return EntryView {
                card,
                fields: Vec::new(),
                relations: None,
            };
        };
        let decl = &site.config.model.collections[c];
        let fields = (decl.schema.fields.enumerate())
            .filter(|(f, _)| !decl.card_fields.contains(f))
            .map(|(f, field)| (field.name.as_str(), self.value(i, f)))
            .collect();
        let derived = &site.collections[c];
        let slug = &site.pages[i].slug;
        let listed =
            |entries: Option<&Vec<PageId>>| self.cards(entries.into_iter().flatten().copied());
        let reverse = (derived.reverse.iter())
            .filter_map(|(f, named)| {
                let reverse = decl.schema.fields[*f].reverse.as_ref()?;
                Some((reverse.name.as_str(), listed(named.get(slug))))
            })
            .collect();
        let (prev, next) = derived.neighbours.get(&i).copied().unwrap_or_default();
        let relations = Relations {
            reverse,
            related: listed(derived.related.get(&i)),
            prev: prev.map(|j| self.card(j)),
            next: next.map(|j| self.card(j)),
        };
        EntryView {
            card,
            fields,
            relations: Some(relations),
        }
    }

    /// The cards of `entries`, borrowed.
    pub(crate) fn cards(&self, entries: impl IntoIterator<Item = PageId>) -> Vec<&'a Card<'a>> {
        entries.into_iter().map(|j| self.card(j)).collect()
    }

    /// Page `i` (outside the collections) as a link target.
    pub(crate) fn page_card(&self, i: PageId) -> PageCard {
        PageCard {
            title: self.site.title(i, self.lang).to_string(),
            summary: self.site.summary(i, self.lang).to_string(),
            url: self.url(&self.site.pages[i].output),
        }
    }

    /// `entries` of collection `c` grouped by the terms of field `field`, in vocabulary order,
    /// then those without a term under the UI string `group_other` (empty groups left out).
    pub(crate) fn groups(
        &self,
        c: CollectionId,
        field: FieldId,
        entries: &[PageId],
    ) -> Vec<Group<'a>> {
        (self.site.split_by_term(c, field, entries).into_iter())
            .map(|(key, part)| Group {
                term: Some(self.group_term(c, field, key)),
                entries: part.into_iter().map(|i| self.card(i)).collect(),
            })
            .collect()
    }

    /// The heading of a group of entries of collection `c` by field `field`: term `key`, or for
    /// the entries without a term (`None`) the UI string `group_other` (with an empty key and URL).
    pub(crate) fn group_term(&self, c: CollectionId, field: FieldId, key: Option<&str>) -> TermRef {
        match key {
            Some(key) => self.term(c, field, key),
            None => TermRef {
                key: String::new(),
                label: self.t("group_other"),
                url: String::new(),
            },
        }
    }

    /// The terms of taxonomy `t` carried by at least one entry, with their counts.
    pub(crate) fn term_counts(&self, t: TaxonomyId) -> Vec<TermCount> {
        (self.site.taxonomies[t].terms.iter())
            .filter(|term| !term.entries.is_empty())
            .map(|term| TermCount {
                term: self.taxonomy_term(t, &term.key),
                count: term.entries.len(),
            })
            .collect()
    }

    /// A timeline of `entries` of collection `c` by month: the date's month where known, else
    /// the month of the arXiv id (when the collection cites one and it falls in that year).
    pub(crate) fn timeline(&self, c: CollectionId, entries: &[PageId]) -> Vec<TimelineBucket<'a>> {
        let decl = &self.site.config.model.collections[c];
        let arxiv = decl.citation.as_ref().and_then(|c| c.paths.arxiv);
        let mut buckets: BTreeMap<(u16, u8), Vec<TimelineWork<'a>>> = BTreeMap::new();
        for &i in entries {
            let entry = |from_preprint: bool| TimelineWork {
                card: self.card(i),
                from_preprint,
            };
            let Some(date) = self.site.date(i) else {
                buckets.entry((u16::MAX, 0)).or_default().push(entry(false));
                continue;
            };
            let id = arxiv.map_or("", |p| {
                crate::model::citation::text_at(&self.site.pages[i], p)
            });
            let (month, from_preprint) = match (date.month, arxiv_month(id, date.year)) {
                (Some(m), _) => (m, false),
                (None, Some(m)) => (m, true),
                (None, None) => (0, false),
            };
            buckets
                .entry((date.year, month))
                .or_default()
                .push(entry(from_preprint));
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
}

/// A view struct as a JSON value (which cannot fail for these types).
fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// The month of an arXiv id `YYMM.NNNNN` when it falls in `year` (new-style ids only).
pub(crate) fn arxiv_month(arxiv: &str, year: u16) -> Option<u8> {
    let yymm = arxiv.split('.').next()?;
    if yymm.len() != 4 || !yymm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: u16 = yymm[..2].parse().ok()?;
    let mm: u8 = yymm[2..].parse().ok()?;
    (2000 + yy == year && (1..=12).contains(&mm)).then_some(mm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::Id as _;

    #[test]
    fn a_unit_follows_its_number_after_a_space_but_an_angle_does_not() {
        let model = "
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    fields:
      title: {type: text, required: true}
      resolution: {type: number, unit: {zh: °, en: °}}
      lead: {type: number, unit: {zh: 天, en: days}}
    translation: {fields: [title]}
";
        let files = [(
            "works/a.md",
            "---\ntitle: A\nresolution: 0.25\nlead: 10\n---\n",
        )];
        let site = crate::model::testing::site(model, &files);
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let en = Views {
            site: &site,
            lang: "en",
            memo: &memo,
        };
        let entry = en.entry(PageId::new(0));
        assert_eq!(entry["resolution"]["display"], "0.25°");
        assert_eq!(entry["lead"]["display"], "10 days");
    }

    #[test]
    fn shared_views_keep_languages_apart() {
        // Cards and UI strings are made once per language and shared by every page; asking
        // for them in alternating languages must still give each language its own.
        let (site, _) = crate::load::real_site();
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let zh = Views {
            site: &site,
            lang: "zh",
            memo: &memo,
        };
        let en = Views {
            site: &site,
            lang: "en",
            memo: &memo,
        };
        let differing: Vec<PageId> = (site.collections[CollectionId::FIRST].order.iter().copied())
            .filter(|&i| site.title(i, "zh") != site.title(i, "en"))
            .take(5)
            .collect();
        assert!(!differing.is_empty(), "no work with different titles");
        for round in 0..2 {
            for &i in &differing {
                let (en_card, zh_card) = (en.card(i), zh.card(i));
                assert_eq!(en_card.text("title"), site.title(i, "en"), "round {round}");
                assert_eq!(zh_card.text("title"), site.title(i, "zh"), "round {round}");
                assert!(en_card.url.starts_with("en/"));
                assert!(!zh_card.url.starts_with("en/"));
            }
        }
        for (views, lang) in [(&en, "en"), (&zh, "zh")] {
            assert_eq!(
                views.strings(),
                &serde_json::to_value(site.config.strings_for(lang)).unwrap()
            );
        }
        assert_ne!(en.strings(), zh.strings());
    }

    #[test]
    fn entries_show_every_field_and_their_relations() {
        let (site, _) = crate::load::real_site();
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let en = Views {
            site: &site,
            lang: "en",
            memo: &memo,
        };
        let medsam = site.by_source["models/medsam.md"];
        let entry = en.entry(medsam);
        let c = &site.config.model.collections[CollectionId::FIRST];
        for field in &c.schema.fields {
            assert!(entry.get(&field.name).is_some(), "`{}` missing", field.name);
        }
        for key in [
            "built_upon_by",
            "used_by",
            "related",
            "prev",
            "next",
            "slug",
            "url",
        ] {
            assert!(entry.get(key).is_some(), "`{key}` missing");
        }
        assert_eq!(entry["kind"]["url"], "en/taxonomies/kind/model.html");
        assert_eq!(entry["theme"]["url"], "", "sub-themes have no term pages");
        assert!(entry["builds_on"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "sam"));
        let sam = site.by_source["models/sam.md"];
        let sam = en.entry(sam);
        assert!(sam["built_upon_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "medsam"));
        assert_eq!(entry["date"]["iso"].as_str().map(str::len), Some(10));
    }

    #[test]
    fn arxiv_months() {
        assert_eq!(arxiv_month("2402.03302", 2024), Some(2));
        assert_eq!(arxiv_month("2312.03490", 2024), None);
        assert_eq!(arxiv_month("", 2024), None);
    }
}
