//! The charts a layout shows (`charts:` in `site.yaml`): entries counted by period of a date
//! field (optionally stacked by a term field) or by the terms of a field, then turned into what
//! a page prints — an inline SVG drawing ([`svg`]), a legend, and the same numbers as a data
//! table — with every bar linking to the matching rows of the comparison table, or to its term
//! page. Counting ([`time_bars`], [`term_bars`]) is pure and knows nothing of languages.

pub(crate) mod svg;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::base::date::PartialDate;
use crate::model::id::{CollectionId, FieldId, PageId};
use crate::model::schema::{Chart, ChartSource, ChartType, FieldType, FilterSource, Period};
use crate::model::site::Site;
use crate::model::value::{FieldValue, Tristate};
use crate::view::table::{month_key, UNDATED_KEY};
use crate::view::Views;
use svg::{BarSpec, Drawing, Segment};

/// The month of a period holding the entries known only to the year.
pub(crate) const YEAR_ONLY: u8 = 13;

/// Where an entry's date puts it in a `time` chart, in the order the bars are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    /// Before the chart's `from`.
    Before,
    /// A year and a month 1–12; month 0 for a whole year (`by: year`); [`YEAR_ONLY`] for the
    /// entries of a monthly chart known only to the year (drawn after that year's December).
    Period(u16, u8),
    /// After the chart's `to`.
    After,
    /// No date.
    Undated,
}

/// The periods of a `time` chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    /// Month or year.
    pub(crate) by: Period,
    /// The first period drawn.
    pub(crate) from: Option<PartialDate>,
    /// The last period drawn.
    pub(crate) to: Option<PartialDate>,
}

impl Bounds {
    /// The period of a (year, month) under these bounds' granularity.
    fn key(&self, year: u16, month: Option<u8>) -> (u16, u8) {
        match self.by {
            Period::Year => (year, 0),
            Period::Month => (year, month.unwrap_or(YEAR_ONLY)),
        }
    }

    fn low(&self) -> Option<(u16, u8)> {
        self.from
            .map(|f| self.key(f.year, Some(f.month.unwrap_or(1))))
    }

    fn high(&self) -> Option<(u16, u8)> {
        self.to
            .map(|t| self.key(t.year, Some(t.month.unwrap_or(12))))
    }

    /// The bar of an entry dated `d`.
    pub(crate) fn slot(&self, d: Option<PartialDate>) -> Slot {
        let Some(d) = d else {
            return Slot::Undated;
        };
        let key = self.key(d.year, d.month);
        // An entry known only to the year is before or after the bounds only by its year.
        let year_only = key.1 == YEAR_ONLY;
        let below = |low: (u16, u8)| match year_only {
            true => d.year < low.0,
            false => key < low,
        };
        let above = |high: (u16, u8)| match year_only {
            true => d.year > high.0,
            false => key > high,
        };
        if self.low().is_some_and(below) {
            Slot::Before
        } else if self.high().is_some_and(above) {
            Slot::After
        } else {
            Slot::Period(key.0, key.1)
        }
    }

    /// Every period from `first` to `last` (monthly or yearly).
    fn fill(&self, first: (u16, u8), last: (u16, u8)) -> Vec<(u16, u8)> {
        let mut out = Vec::new();
        let mut at = first;
        while at <= last {
            out.push(at);
            at = match self.by {
                Period::Year => (at.0 + 1, 0),
                Period::Month if at.1 >= 12 => (at.0 + 1, 1),
                Period::Month => (at.0, at.1 + 1),
            };
        }
        out
    }
}

/// Counts of a `time` chart: one bar per slot, each split into `parts` counts (a stack term's
/// index in its vocabulary, `parts - 1` for the entries without one). Every month or year
/// between the first and the last (or the bounds) has a bar, empty or not; the entries known
/// only to the year, before, after or without a date have theirs only when there are some.
pub(crate) fn time_bars(
    entries: impl IntoIterator<Item = (Option<PartialDate>, usize)>,
    parts: usize,
    bounds: &Bounds,
) -> Vec<(Slot, Vec<usize>)> {
    let mut bars: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
    for (date, part) in entries {
        let counts = (bars.entry(bounds.slot(date))).or_insert_with(|| vec![0; parts]);
        counts[part.min(parts - 1)] += 1;
    }
    let periods = || {
        (bars.keys()).filter_map(|s| match *s {
            Slot::Period(y, m) if m != YEAR_ONLY => Some((y, m)),
            _ => None,
        })
    };
    let first = bounds.low().or_else(|| periods().next());
    let last = bounds.high().or_else(|| periods().next_back());
    if let (Some(first), Some(last)) = (first, last) {
        for (y, m) in bounds.fill(first, last) {
            (bars.entry(Slot::Period(y, m))).or_insert_with(|| vec![0; parts]);
        }
    }
    bars.into_iter().collect()
}

/// What a bar of a `terms` chart stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TermBar {
    /// One term.
    Term(String),
    /// The terms after the `top` ones: how many.
    Rest(usize),
}

/// Counts of a `terms` chart: the number of entries carrying each term (an entry with several
/// terms counts once for each). With `by_count`, the most frequent first (ties in `order`),
/// else in `order`; terms outside `order` follow it by name. With `top`, the terms after the
/// first `top` are summed into one [`TermBar::Rest`].
pub(crate) fn term_bars<'k>(
    entries: impl IntoIterator<Item = &'k [String]>,
    order: &[&str],
    by_count: bool,
    top: Option<usize>,
) -> Vec<(TermBar, usize)> {
    let mut counts: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for keys in entries {
        for key in keys {
            let rank = order.iter().position(|k| k == key).unwrap_or(usize::MAX);
            *counts.entry((rank, key.as_str())).or_default() += 1;
        }
    }
    let mut bars: Vec<((usize, &str), usize)> = counts.into_iter().collect();
    if by_count {
        bars.sort_by_key(|&(key, count)| (std::cmp::Reverse(count), key));
    }
    let top = top.unwrap_or(usize::MAX);
    let mut out: Vec<(TermBar, usize)> = (bars.iter().take(top))
        .map(|&((_, key), count)| (TermBar::Term(key.to_string()), count))
        .collect();
    let rest = &bars[top.min(bars.len())..];
    if !rest.is_empty() {
        let sum = rest.iter().map(|(_, count)| count).sum();
        out.push((TermBar::Rest(rest.len()), sum));
    }
    out
}

/// A chart as a template prints it (the macro `chart` in `macros.html`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartView {
    /// Id of the figure (`chart-<name>`), unique within the page.
    pub(crate) id: String,
    /// Caption, also the drawing's accessible name.
    pub(crate) caption: String,
    /// The inline `<svg>`.
    pub(crate) svg: String,
    /// The colours of a stacked chart and the terms they stand for.
    pub(crate) legend: Vec<LegendItem>,
    /// A note under the chart (entries known only to the year), if any.
    pub(crate) note: Option<String>,
    /// Headers of the data table: the bars' header, each part, the total (stacked charts).
    pub(crate) head: Vec<String>,
    /// Rows of the data table, one per bar.
    pub(crate) rows: Vec<DataRow>,
}

/// A colour of a stacked chart.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LegendItem {
    /// The term.
    pub(crate) label: String,
    /// The CSS class of its colour (`c1` …).
    pub(crate) class: String,
}

/// A row of a chart's data table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataRow {
    /// What the bar stands for.
    pub(crate) label: String,
    /// Counts: each part, then the total (one count without parts), each with its link.
    pub(crate) cells: Vec<DataCell>,
}

/// A count of a chart's data table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataCell {
    /// The count.
    pub(crate) count: usize,
    /// Site-root-relative link to the entries counted, or "".
    pub(crate) url: String,
}

/// Which entries a chart counts on a page: every entry, or those whose field of this name
/// holds this term (the term a trend page lists).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PageFilter<'p> {
    /// Field name and term key.
    pub(crate) term: Option<(&'p str, &'p str)>,
}

/// The number of colours of the stylesheet's palette (`c1` … `c10`; `c0` for no term).
const PALETTE: usize = 10;

impl<'a> Views<'a> {
    /// Chart `name` as shown on a page at `root` (the path back to the site root), counting
    /// the entries `filter` keeps.
    pub(crate) fn chart(&self, name: &str, filter: PageFilter<'_>, root: &str) -> ChartView {
        let decl = &self.site.config.model.charts[name];
        let links = Links::new(self.site, decl, filter, self.prefix());
        let entries = filtered(self.site, decl, filter);
        let (bars, legend, head, note) = match decl.ty {
            ChartType::Time => self.time_chart(decl, &entries, &links),
            ChartType::Terms => self.terms_chart(decl, &entries, &links),
        };
        let id = format!("chart-{name}");
        let caption = self.site.config.localized(&decl.caption, self.lang);
        let axis = self.t("chart_axis");
        let drawing = Drawing {
            labelled_by: &format!("{id}-caption"),
            axis: &axis,
            bars: &bars,
            root,
        };
        let rows = data_rows(&bars, head.len().saturating_sub(2));
        ChartView {
            svg: svg::draw(&drawing),
            id,
            caption: caption.to_string(),
            legend,
            note,
            head,
            rows,
        }
    }

    /// A bar's accessible name: its label and count.
    fn bar_name(&self, label: &str, count: usize) -> String {
        (self.t("chart_bar"))
            .replace("{label}", label)
            .replace("{count}", &count.to_string())
    }

    fn time_chart(
        &self,
        decl: &Chart,
        entries: &[(ChartSource, PageId)],
        links: &Links<'_>,
    ) -> (Vec<BarSpec>, Vec<LegendItem>, Vec<String>, Option<String>) {
        let mut parts = StackParts::of(self.site, decl);
        let dated = entries.iter().map(|&(s, i)| {
            let values = &self.site.pages[i].values;
            let part = parts.part(s.stack.map(|f| values[f].as_str()));
            (values[s.field].as_date(), part)
        });
        let bounds = Bounds {
            by: decl.by,
            from: decl.from_date,
            to: decl.to_date,
        };
        let counted = time_bars(dated, parts.count(), &bounds);
        parts.used = (0..parts.count())
            .filter(|&p| counted.iter().any(|(_, counts)| counts[p] > 0))
            .collect();
        let bars = (counted.iter())
            .map(|(slot, counts)| self.time_bar(*slot, counts, &parts, links, &bounds))
            .collect();
        let stacked = parts.stack.is_some();
        let legend = match stacked {
            true => (parts.used.iter())
                .map(|&p| LegendItem {
                    label: self.part_label(&parts, p),
                    class: parts.colour(p),
                })
                .collect(),
            false => Vec::new(),
        };
        let mut head = vec![self.t("chart_period")];
        if stacked {
            head.extend(parts.used.iter().map(|&p| self.part_label(&parts, p)));
        }
        head.push(self.t("chart_total"));
        let year_only = (counted.iter()).any(|(s, _)| matches!(s, Slot::Period(_, YEAR_ONLY)));
        let note = year_only.then(|| self.t("chart_year_only"));
        (bars, legend, head, note)
    }

    /// One bar of a time chart: the entries counted in `slot`, a segment per used part.
    fn time_bar(
        &self,
        slot: Slot,
        counts: &[usize],
        parts: &StackParts<'_>,
        links: &Links<'_>,
        bounds: &Bounds,
    ) -> BarSpec {
        let label = self.slot_label(slot, bounds);
        let segments = (parts.used.iter().enumerate())
            .filter(|&(_, &p)| counts[p] > 0)
            .map(|(column, &p)| {
                let name = match parts.stack {
                    Some(_) => format!("{label} · {}", self.part_label(parts, p)),
                    None => label.clone(),
                };
                let term = parts.vocabulary.get(p).copied();
                Segment {
                    count: counts[p],
                    column,
                    class: match parts.stack {
                        Some(_) => parts.colour(p),
                        None => colour(None, &parts.used, parts.vocabulary.len()),
                    },
                    name: self.bar_name(&name, counts[p]),
                    href: links.time(slot, term.filter(|_| parts.stack.is_some())),
                }
            })
            .collect();
        let total = counts.iter().sum();
        BarSpec {
            name: self.bar_name(&label, total),
            label,
            total,
            href: (total > 0).then(|| links.time(slot, None)).flatten(),
            segments,
        }
    }

    /// The label of part `p` of a stacked chart: its term, or "other".
    fn part_label(&self, parts: &StackParts<'_>, p: usize) -> String {
        match (parts.vocabulary.get(p), parts.stack) {
            (Some(key), Some((c, f))) => self.term(c, f, key).label,
            _ => self.t("group_other"),
        }
    }

    /// The label of a time chart's bar.
    fn slot_label(&self, slot: Slot, bounds: &Bounds) -> String {
        let bound = |d: Option<PartialDate>| self.date(d).display;
        match slot {
            Slot::Before => (self.t("chart_before")).replace("{date}", &bound(bounds.from)),
            Slot::After => (self.t("chart_after")).replace("{date}", &bound(bounds.to)),
            Slot::Undated => self.t("date_unknown"),
            Slot::Period(y, YEAR_ONLY) => self.t("month_unknown").replace("{y}", &y.to_string()),
            Slot::Period(y, 0) => self.date(Some(PartialDate::year(y))).display,
            Slot::Period(y, m) => self.date(Some(PartialDate::month(y, m))).display,
        }
    }

    fn terms_chart(
        &self,
        decl: &Chart,
        entries: &[(ChartSource, PageId)],
        links: &Links<'_>,
    ) -> (Vec<BarSpec>, Vec<LegendItem>, Vec<String>, Option<String>) {
        let site = self.site;
        let Some(&source) = decl.resolved.first() else {
            return Default::default();
        };
        let (c, f) = (source.collection, source.field);
        let tristate = site.config.model.collections[c].schema.fields[f].ty == FieldType::Tristate;
        let tristates: Vec<[String; 1]> = (entries.iter())
            .map(|&(s, i)| match &site.pages[i].values[s.field] {
                FieldValue::Tristate(t) => [t.key().to_string()],
                _ => [String::new()],
            })
            .collect();
        let keys: Vec<&[String]> = match tristate {
            true => tristates.iter().map(|k| &k[..]).collect(),
            false => (entries.iter())
                .map(|&(s, i)| site.pages[i].values[s.field].terms())
                .collect(),
        };
        let order = match tristate {
            true => [Tristate::Yes, Tristate::No, Tristate::Unknown]
                .map(Tristate::key)
                .to_vec(),
            false => vocabulary_keys(site, c, f),
        };
        let counted = term_bars(keys, &order, !tristate, decl.top);
        let bars = (counted.into_iter())
            .map(|(bar, count)| {
                let (label, href) = match &bar {
                    TermBar::Term(key) if tristate => (self.t(key), links.term(key, true)),
                    TermBar::Term(key) => (self.term(c, f, key).label, links.term(key, false)),
                    TermBar::Rest(n) => (self.t("chart_rest").replace("{n}", &n.to_string()), None),
                };
                let segment = Segment {
                    count,
                    column: 0,
                    class: "c1".into(),
                    name: self.bar_name(&label, count),
                    href: href.clone(),
                };
                BarSpec {
                    name: self.bar_name(&label, count),
                    label,
                    total: count,
                    href,
                    segments: vec![segment],
                }
            })
            .collect();
        let field = &site.config.model.collections[c].schema.fields[f];
        let header = field.label.as_ref().map_or_else(
            || field.name.clone(),
            |l| site.config.localized(l, self.lang).to_string(),
        );
        (bars, Vec::new(), vec![header, self.t("chart_total")], None)
    }
}

/// The parts a time chart's bars are split in: one per term of the stack field's vocabulary,
/// then one for the entries with none (the only part when the chart is not stacked).
struct StackParts<'a> {
    /// The stack field (of the first source's collection), if the chart is stacked.
    stack: Option<(CollectionId, FieldId)>,
    /// Its vocabulary's keys, in order.
    vocabulary: Vec<&'a str>,
    /// The parts that count some entry, in order (filled in once the bars are counted).
    used: Vec<usize>,
}

impl<'a> StackParts<'a> {
    fn of(site: &'a Site, decl: &Chart) -> Self {
        let first = decl.resolved.first();
        let stack = first.and_then(|s| Some((s.collection, s.stack?)));
        StackParts {
            stack,
            vocabulary: stack.map_or_else(Vec::new, |(c, f)| vocabulary_keys(site, c, f)),
            used: Vec::new(),
        }
    }

    /// Number of parts, "other" included.
    fn count(&self) -> usize {
        self.vocabulary.len() + 1
    }

    /// The part of an entry whose stack field holds `key` ("other" when unknown or unstacked).
    fn part(&self, key: Option<&str>) -> usize {
        (key.and_then(|key| self.vocabulary.iter().position(|k| *k == key)))
            .unwrap_or(self.vocabulary.len())
    }

    /// The colour class of part `p` of a stacked chart.
    fn colour(&self, p: usize) -> String {
        colour(Some(p), &self.used, self.vocabulary.len())
    }
}

/// The entries a chart counts on a page, with the source (collection and fields) of each.
fn filtered(site: &Site, decl: &Chart, filter: PageFilter<'_>) -> Vec<(ChartSource, PageId)> {
    let mut out = Vec::new();
    for &s in &decl.resolved {
        let schema = &site.config.model.collections[s.collection].schema;
        let by = filter.term.map(|(name, key)| (schema.index(name), key));
        let keep = |i: PageId| match by {
            None => true,
            Some((Some(f), key)) => site.pages[i].values[f].terms().iter().any(|t| t == key),
            Some((None, _)) => false,
        };
        let order = &site.collections[s.collection].order;
        out.extend(order.iter().copied().filter(|&i| keep(i)).map(|i| (s, i)));
    }
    out
}

/// The keys of the vocabulary of field `f` of collection `c`, in order.
fn vocabulary_keys(site: &Site, c: CollectionId, f: FieldId) -> Vec<&str> {
    let field = &site.config.model.collections[c].schema.fields[f];
    (field.vocabulary.as_ref())
        .and_then(|v| site.config.vocabularies.get(v))
        .map(|v| v.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The colour class of part `p` of a stack of `terms` terms: the palette in the order of the
/// `used` parts, `c0` for the entries without a term; `c1` without a stack.
fn colour(part: Option<usize>, used: &[usize], terms: usize) -> String {
    match part {
        Some(p) if p < terms => {
            let rank = used.iter().position(|&u| u == p).unwrap_or(p);
            format!("c{}", rank % PALETTE + 1)
        }
        Some(_) => "c0".into(),
        None => "c1".into(),
    }
}

/// The data table of `bars`: for a stacked chart (`parts` columns), a count per part (zero
/// where a bar has none of it), then the total; else the total alone.
fn data_rows(bars: &[BarSpec], parts: usize) -> Vec<DataRow> {
    (bars.iter())
        .map(|bar| {
            let mut cells: Vec<DataCell> = (0..parts)
                .map(|column| {
                    let segment = bar.segments.iter().find(|s| s.column == column);
                    DataCell {
                        count: segment.map_or(0, |s| s.count),
                        url: segment.and_then(|s| s.href.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            cells.push(DataCell {
                count: bar.total,
                url: bar.href.clone().unwrap_or_default(),
            });
            DataRow {
                label: bar.label.clone(),
                cells,
            }
        })
        .collect()
}

/// Where a chart's bars link: the comparison table filtered by the page's term, the bar's
/// period or term and the segment's term, when the table has those filters; else a term's
/// page (on a page counting every entry).
struct Links<'s> {
    /// `table.html?` with the page's filter, when the table can show the chart's entries.
    table: Option<String>,
    /// The table's parameter for the chart's field.
    field: Option<&'s str>,
    /// The table's parameter for the stack field.
    stack: Option<&'s str>,
    /// Term pages of the chart's field, when every entry is counted: (collection, field).
    terms: Option<(CollectionId, FieldId)>,
    /// For term pages.
    site: &'s Site,
    /// Language prefix of the pages.
    prefix: String,
}

impl<'s> Links<'s> {
    fn new(site: &'s Site, decl: &'s Chart, filter: PageFilter<'_>, prefix: String) -> Self {
        let single = match decl.resolved.as_slice() {
            [s] => Some(*s),
            _ => None,
        };
        let param = |f: FieldId| single.and_then(|s| table_param(site, s.collection, f));
        let page = filter.term.map(|(name, key)| {
            let schema = single.map(|s| &site.config.model.collections[s.collection].schema);
            let f = schema.and_then(|schema| schema.index(name));
            f.and_then(param)
                .map(|p| format!("{p}={}", query_value(key)))
        });
        let table = match page {
            None => single.and_then(|s| table_param(site, s.collection, s.field).map(|_| "")),
            Some(Some(ref q)) => Some(q.as_str()),
            Some(None) => None,
        };
        Links {
            table: table.map(|q| format!("{prefix}table.html?{q}")),
            field: single.and_then(|s| param(s.field)),
            stack: single.and_then(|s| s.stack).and_then(param),
            terms: (filter.term.is_none())
                .then_some(single)
                .flatten()
                .map(|s| (s.collection, s.field)),
            site,
            prefix,
        }
    }

    /// `table.html?…` with the page's filter and `more` parameters, when the table has them.
    fn table_with(&self, more: &[(Option<&str>, String)]) -> Option<String> {
        let mut url = self.table.clone()?;
        for (param, value) in more {
            let param = (*param)?;
            if !url.ends_with('?') {
                url.push('&');
            }
            let _ = write!(url, "{param}={}", query_value(value));
        }
        Some(url)
    }

    /// The entries of a period (and of a stack term).
    fn time(&self, slot: Slot, term: Option<&str>) -> Option<String> {
        let period = match slot {
            Slot::Period(y, 0) => format!("{y:04}"),
            Slot::Period(y, YEAR_ONLY) => month_key(y, None),
            Slot::Period(y, m) => month_key(y, Some(m)),
            Slot::Undated => UNDATED_KEY.to_string(),
            Slot::Before | Slot::After => return None,
        };
        let mut more = vec![(self.field, period)];
        if let Some(term) = term {
            more.push((self.stack, term.to_string()));
        }
        self.table_with(&more)
    }

    /// The entries with a term (a tristate value with `tristate`).
    fn term(&self, key: &str, tristate: bool) -> Option<String> {
        if let Some(url) = self.table_with(&[(self.field, key.to_string())]) {
            return Some(url);
        }
        let (c, f) = self.terms.filter(|_| !tristate)?;
        let field = &self.site.config.model.collections[c].schema.fields[f];
        let t = field.taxonomy?;
        let name = &self.site.config.model.taxonomies[t].name;
        let slug = match field.vocabulary {
            Some(_) => key.to_string(),
            None => crate::base::slug::page_name(key),
        };
        Some(format!("{}taxonomies/{name}/{slug}.html", self.prefix))
    }
}

/// The comparison table's filter parameter for field `f` of collection `c`, if it has one.
fn table_param(site: &Site, c: CollectionId, f: FieldId) -> Option<&str> {
    let model = &site.config.model;
    let table = model.table.as_ref().filter(|t| t.at == c)?;
    (table.filters.iter().zip(&table.resolved.filters))
        .find(|(_, source)| match **source {
            FilterSource::Term(t) => model.taxonomies[t].field == f,
            FilterSource::Date(g) | FilterSource::Tristate(g) => g == f,
        })
        .map(|(name, _)| name.as_str())
}

/// `value` percent-encoded for a query string.
fn query_value(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
