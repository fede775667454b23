//! The charts a site declares (`charts:` in `site.yaml`): counts of entries over time or by the
//! terms of a field, drawn at build time. Layouts name the charts their pages show; this file
//! holds the declaration and its resolution against the collections.

use std::ops::Deref;

use indexmap::IndexMap;
use serde::Deserialize;

use super::collection::CollectionOutline;
use super::field::{check_labels, type_name, FieldType};
use super::problems::{Context, PerLanguage, PerLanguageSchema, Problems};
use crate::base::date::PartialDate;
use crate::model::id::{CollectionId, FieldId, IdVec};

/// What a chart counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(title = "Chart type")]
pub(crate) enum ChartType {
    /// Entries by month (or year) of a date field, one bar per period, optionally stacked by
    /// the terms of a term field.
    Time,
    /// Entries by the terms of a term, terms or tristate field, one bar per term.
    Terms,
}

/// The period of a `time` chart's bars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(title = "Chart period")]
pub(crate) enum Period {
    /// One bar per month; entries dated only to the year get a bar of their own per year.
    #[default]
    Month,
    /// One bar per year.
    Year,
}

/// A chart: horizontal bars counting the entries of one or more collections, drawn as inline
/// SVG with a data table beside it, each bar a link to the matching rows of the comparison
/// table (or to the term's page).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Chart")]
pub(crate) struct ChartDecl {
    /// `time` (entries by period of a date field) or `terms` (entries by the terms of a field).
    /// Required.
    #[serde(rename = "type")]
    pub(crate) ty: ChartType,
    /// The collections counted; each needs the fields named here. Default: the first.
    #[serde(default)]
    #[schemars(example = &["models"])]
    pub(crate) collections: Vec<String>,
    /// The field counted: a date field for `time` (default: the collection's `date`); a term,
    /// terms or tristate field for `terms` (required).
    #[serde(default)]
    #[schemars(example = &"modalities")]
    pub(crate) field: Option<String>,
    /// `time` only: `month` or `year`. Default: `month`.
    #[serde(default)]
    pub(crate) by: Period,
    /// `time` only: the first period drawn (`YYYY` or `YYYY-MM`); earlier entries share one
    /// bar. Default: the earliest entry's.
    #[serde(default)]
    #[schemars(example = &"2024-01")]
    pub(crate) from: Option<String>,
    /// `time` only: the last period drawn (`YYYY` or `YYYY-MM`); later entries share one bar.
    /// Default: the latest entry's.
    #[serde(default)]
    #[schemars(example = &"2024-12")]
    pub(crate) to: Option<String>,
    /// `time` only: a term field with a vocabulary whose terms split each bar (one colour
    /// per term, in vocabulary order). Default: none.
    #[serde(default)]
    #[schemars(example = &"strand")]
    pub(crate) stack: Option<String>,
    /// `terms` only: how many of the most frequent terms get a bar of their own; the others
    /// are summed in one last bar. Default: every term.
    #[serde(default)]
    pub(crate) top: Option<usize>,
    /// The caption per language (also the chart's accessible name). Required.
    #[schemars(with = "PerLanguageSchema")]
    pub(crate) caption: PerLanguage,
}

/// A resolved chart: its declaration (which it reads as, through `Deref`) with what it counts
/// and its bounds.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// The declaration.
    pub(crate) decl: ChartDecl,
    /// Per collection counted, the field and the stack field.
    pub(crate) resolved: Vec<ChartSource>,
    /// `from`, parsed.
    pub(crate) from_date: Option<PartialDate>,
    /// `to`, parsed.
    pub(crate) to_date: Option<PartialDate>,
}

impl Deref for Chart {
    type Target = ChartDecl;

    fn deref(&self) -> &ChartDecl {
        &self.decl
    }
}

/// The collections while the model resolves.
type Collections = IdVec<CollectionId, CollectionOutline>;

/// What a chart counts in one collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChartSource {
    /// The collection.
    pub(crate) collection: CollectionId,
    /// The field counted.
    pub(crate) field: FieldId,
    /// The field splitting each bar.
    pub(crate) stack: Option<FieldId>,
}

/// Checks every chart against the collections and resolves its fields.
pub(super) fn resolve_charts(
    charts: &IndexMap<String, ChartDecl>,
    collections: &Collections,
    cx: &Context<'_>,
    p: &mut Problems,
) -> IndexMap<String, Chart> {
    (charts.iter())
        .map(|(name, chart)| {
            let resolved = resolve_chart(name, chart, collections, cx, p);
            (name.clone(), resolved)
        })
        .collect()
}

/// Checks chart `name` and resolves what it counts.
fn resolve_chart(
    name: &str,
    chart: &ChartDecl,
    collections: &Collections,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Chart {
    let path = ["charts", name];
    if !crate::base::slug::is_valid_file_slug(name) {
        p.push(
            &path,
            format!("chart name `{name}` must be lower-case letters, digits and dashes"),
        );
    }
    check_labels(&chart.caption, &[path[0], path[1], "caption"], cx, p);
    check_options(chart, &path, p);
    Chart {
        from_date: period_bound(&chart.from, &[path[0], path[1], "from"], p),
        to_date: period_bound(&chart.to, &[path[0], path[1], "to"], p),
        resolved: chart_collections(chart, collections, &path, p)
            .into_iter()
            .filter_map(|c| chart_source(chart, c, &collections[c], &path, p))
            .collect(),
        decl: chart.clone(),
    }
}

/// Options that only one type of chart reads.
fn check_options(chart: &ChartDecl, path: &[&str], p: &mut Problems) {
    let time_only = [
        ("by", chart.by != Period::Month),
        ("from", chart.from.is_some()),
        ("to", chart.to.is_some()),
        ("stack", chart.stack.is_some()),
    ];
    let wrong: Vec<&str> = match chart.ty {
        ChartType::Terms => time_only
            .iter()
            .filter(|(_, set)| *set)
            .map(|(k, _)| *k)
            .collect(),
        ChartType::Time if chart.top.is_some() => vec!["top"],
        ChartType::Time => Vec::new(),
    };
    for key in wrong {
        let ty = match chart.ty {
            ChartType::Time => "time",
            ChartType::Terms => "terms",
        };
        p.push(
            &[path, &[key]].concat(),
            format!("a `{ty}` chart has no `{key}`"),
        );
    }
    if chart.top == Some(0) {
        p.push(
            &[path, &["top"]].concat(),
            "`top` must be at least 1".into(),
        );
    }
}

/// `YYYY` or `YYYY-MM`, when given.
fn period_bound(text: &Option<String>, path: &[&str], p: &mut Problems) -> Option<PartialDate> {
    let text = text.as_deref()?;
    match PartialDate::parse(text) {
        Ok(d) if d.day.is_none() => Some(d),
        Ok(_) => {
            p.push(
                path,
                format!("`{text}` names a day: write `YYYY` or `YYYY-MM`"),
            );
            None
        }
        Err(e) => {
            p.push(path, e);
            None
        }
    }
}

/// The collections a chart counts (the first when it names none).
fn chart_collections(
    chart: &ChartDecl,
    collections: &Collections,
    path: &[&str],
    p: &mut Problems,
) -> Vec<CollectionId> {
    if chart.collections.is_empty() {
        return collections.ids().take(1).collect();
    }
    let known: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
    (chart.collections.iter())
        .filter_map(|n| {
            let found = collections.position(|c| c.name == *n);
            if found.is_none() {
                p.unknown(&[path, &["collections"]].concat(), "collection", n, &known);
            }
            found
        })
        .collect()
}

/// The fields of collection `c` that `chart` counts, or `None` after reporting why not.
fn chart_source(
    chart: &ChartDecl,
    at: CollectionId,
    c: &CollectionOutline,
    path: &[&str],
    p: &mut Problems,
) -> Option<ChartSource> {
    let at_key = |key: &'static str| [path, &[key]].concat();
    let name = match (&chart.field, chart.ty) {
        (Some(f), _) => f.clone(),
        (None, ChartType::Time) => match c.roles.date {
            Some(d) => c.fields[d].name.clone(),
            None => {
                let message = format!("`{}` has no `date` field: name the chart's `field`", c.name);
                p.push(path, message);
                return None;
            }
        },
        (None, ChartType::Terms) => {
            p.push(path, "a `terms` chart needs a `field`".into());
            return None;
        }
    };
    let field = typed_field(c, &name, &at_key("field"), p, &|ty| match chart.ty {
        ChartType::Time => (ty == FieldType::Date, "a `time` chart counts a date field"),
        ChartType::Terms => (
            matches!(ty, FieldType::Term | FieldType::Terms | FieldType::Tristate),
            "a `terms` chart counts a term, terms or tristate field",
        ),
    })?;
    let stack = match &chart.stack {
        Some(s) => {
            let stack = typed_field(c, s, &at_key("stack"), p, &|ty| {
                (ty == FieldType::Term, "bars are stacked by a term field")
            })?;
            if c.fields[stack].vocabulary.is_none() {
                p.push(
                    &at_key("stack"),
                    format!("`{s}` has no vocabulary: bars are stacked by the terms of one"),
                );
                return None;
            }
            Some(stack)
        }
        None => None,
    };
    Some(ChartSource {
        collection: at,
        field,
        stack,
    })
}

/// Field `name` of collection `c` when `ok` accepts its type; else a problem at `path`.
fn typed_field(
    c: &CollectionOutline,
    name: &str,
    path: &[&str],
    p: &mut Problems,
    ok: &dyn Fn(FieldType) -> (bool, &'static str),
) -> Option<FieldId> {
    let Some(i) = c.fields.named(name) else {
        p.unknown(path, "field", name, &c.fields.names());
        return None;
    };
    let ty = c.fields[i].ty;
    let (fits, wanted) = ok(ty);
    if !fits {
        let message = format!(
            "`{name}` of `{}` is a {} field: {wanted}",
            c.name,
            type_name(ty)
        );
        p.push(path, message);
        return None;
    }
    Some(i)
}
