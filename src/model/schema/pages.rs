//! The pages outside the collections: their fields (with the built-in `layout` and `weight`)
//! and their layouts, resolved against the collections they list.

use super::collection::Collection;
use super::field::{
    builtin_field, resolve_schema, Field, FieldType, Schema, SearchWeight, Translation,
};
use super::problems::{Context, Problems};
use crate::model::id::{CollectionId, FieldId, IdVec};
use indexmap::IndexMap;
use serde::Deserialize;

/// The pages outside the collections.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Other pages")]
pub(crate) struct Pages {
    /// Their fields, declared like a collection's (besides the built-in `layout` and `weight`).
    /// Default: a required `title` text field.
    #[serde(default)]
    pub(crate) fields: IndexMap<String, Field>,
    /// What their translations may hold. Default: nothing but the body.
    #[serde(default)]
    pub(crate) translation: Translation,
    /// Layouts: name → template and what the page lists. A page names its layout in front
    /// matter (`layout:`); `content/_index.md` defaults to `home`, any other page to `page`.
    /// Default: `home` (`home.html`) and `page` (`page.html`).
    #[serde(default)]
    pub(crate) layouts: IndexMap<String, LayoutDecl>,
    /// Resolved fields, `layout` and `weight` appended.
    #[serde(skip)]
    pub(crate) schema: Schema,
    /// Index of the built-in `layout` field.
    #[serde(skip)]
    pub(crate) layout_field: FieldId,
    /// Index of the built-in `weight` field.
    #[serde(skip)]
    pub(crate) weight_field: FieldId,
}

/// A layout of pages outside the collections.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Layout")]
pub(crate) struct LayoutDecl {
    /// Its template, a file of `templates/`. Required.
    #[schemars(example = &"home.html")]
    pub(crate) template: String,
    /// How many of the newest entries the page shows (of the first collection with a `date`
    /// field). Default: none.
    #[serde(default)]
    pub(crate) newest: Option<usize>,
    /// The entries the page lists: those whose `field` equals the page's own `field`, or every
    /// entry of the collection when `field` is left out. Default: none.
    #[serde(default)]
    pub(crate) lists: Option<Lists>,
    /// For pages that list entries (needs `lists`): the term field with a vocabulary grouping
    /// them. Default: none.
    #[serde(default)]
    pub(crate) group_by: Option<String>,
    /// For pages that list entries (needs `lists`): a timeline by the collection's `date`, with
    /// earlier entries reached through a refs field. Default: none.
    #[serde(default)]
    pub(crate) timeline: Option<TimelineDecl>,
    /// The key of the UI string naming such pages in search results (it must be in `strings`).
    /// Default: `search_kind_page`.
    #[serde(default)]
    pub(crate) search_label: Option<String>,
    /// The charts (names of `charts`) the page shows, in order; on a page listing the entries
    /// of a term, each counts only those entries. Default: none.
    #[serde(default)]
    #[schemars(example = &["by-month"])]
    pub(crate) charts: Vec<String>,
    /// Resolved: collection, field of the page, field of the entries, group field, ancestors.
    #[serde(skip)]
    pub(crate) resolved: ResolvedLayout,
}

/// What a layout lists: the entries of `collection` whose term field `field` equals the
/// page's own `field`, or all of them without `field`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Listed entries")]
pub(crate) struct Lists {
    /// The collection. Required.
    #[schemars(example = &"models")]
    pub(crate) collection: String,
    /// A term field of the same vocabulary declared both in `pages.fields` and in the
    /// collection's fields. Default: none, the page lists every entry.
    #[serde(default)]
    #[schemars(example = &"topic")]
    pub(crate) field: Option<String>,
}

/// The timeline of a listing page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Timeline")]
pub(crate) struct TimelineDecl {
    /// A refs field of the collection: the earlier entries it reaches whose term has no page of
    /// this layout are shown too. Default: none.
    #[serde(default)]
    pub(crate) ancestors: Option<String>,
}

/// The indexes a layout works with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ResolvedLayout {
    /// The listed collection.
    pub(crate) collection: Option<CollectionId>,
    /// The page's term field.
    pub(crate) page_field: Option<FieldId>,
    /// The entries' term field.
    pub(crate) entry_field: Option<FieldId>,
    /// The entries' grouping field.
    pub(crate) group_by: Option<FieldId>,
    /// Whether the page has a timeline.
    pub(crate) timeline: bool,
    /// The ancestors' refs field.
    pub(crate) ancestors: Option<FieldId>,
    /// The collection of `newest`.
    pub(crate) newest_collection: Option<CollectionId>,
}

/// Resolves the term `field` by which a layout lists the entries of collection `c`: a field of
/// the pages (`pages`) and of the entries, of the same vocabulary.
fn resolve_listing(
    r: &mut ResolvedLayout,
    pages: &Schema,
    c: &Collection,
    field: &str,
    path: &[&str],
    p: &mut Problems,
) {
    r.page_field = pages.index(field);
    r.entry_field = c.schema.index(field);
    let vocab = |s: &Schema, i: Option<FieldId>| i.and_then(|i| s.fields[i].vocabulary.clone());
    let at = [path, &["lists"]].concat();
    if r.page_field.is_none() || r.entry_field.is_none() {
        p.push(
            &at,
            format!(
                "`{field}` must be a field of the pages and of collection `{}`",
                c.name
            ),
        );
    } else if vocab(pages, r.page_field).is_none()
        || vocab(pages, r.page_field) != vocab(&c.schema, r.entry_field)
    {
        p.push(
            &at,
            format!(
                "`{field}` must be a term of the same vocabulary in the pages and in `{}`",
                c.name
            ),
        );
    }
}

/// Resolves the pages' fields and their layouts against `collections`.
pub(super) fn resolve_pages(
    pages: &mut Pages,
    collections: &IdVec<CollectionId, Collection>,
    cx: &Context<'_>,
    p: &mut Problems,
) {
    let all = collections;
    let collections: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
    let collections: Vec<&str> = collections.iter().map(String::as_str).collect();
    let mut fields = pages.fields.clone();
    if fields.is_empty() {
        // Without declarations, a page has a title.
        let mut title = builtin_field("title", FieldType::Text, "Page title.");
        (title.required, title.search, title.export) = (true, Some(SearchWeight::Title), true);
        fields.insert("title".into(), title);
    }
    if pages.layouts.is_empty() {
        for (name, template) in [("home", "home.html"), ("page", "page.html")] {
            pages.layouts.insert(
                name.into(),
                LayoutDecl {
                    template: template.into(),
                    newest: None,
                    lists: None,
                    group_by: None,
                    timeline: None,
                    search_label: None,
                    charts: Vec::new(),
                    resolved: ResolvedLayout::default(),
                },
            );
        }
    }
    for builtin in ["layout", "weight"] {
        if fields.contains_key(builtin) {
            p.push(
                &["pages", "fields", builtin],
                format!("`{builtin}` is built in: every page has it"),
            );
        }
    }
    fields.insert("layout".into(), builtin_field("layout", FieldType::Text, "Which layout renders the page: one of `pages.layouts` in site.yaml. Default: `home` for `content/_index.md`, else `page`."));
    fields.insert(
        "weight".into(),
        builtin_field(
            "weight",
            FieldType::Integer,
            "Order in the main navigation; pages without it are not listed there.",
        ),
    );
    pages.schema = resolve_schema(
        &fields,
        &pages.translation,
        &["pages"],
        &collections,
        // A refs field of a page that names no collection refers to the first.
        CollectionId::FIRST,
        cx,
        p,
    );
    pages.layout_field = pages.schema.index("layout").unwrap_or_default();
    pages.weight_field = pages.schema.index("weight").unwrap_or_default();
    for (name, layout) in &mut pages.layouts {
        let path = ["pages", "layouts", name.as_str()];
        let mut r = ResolvedLayout::default();
        if let Some(lists) = &layout.lists {
            match all.position(|c| c.name == lists.collection) {
                Some(ci) => {
                    let c = &all[ci];
                    r.collection = Some(ci);
                    if let Some(field) = &lists.field {
                        resolve_listing(&mut r, &pages.schema, c, field, &path, p);
                    }
                    if let Some(g) = &layout.group_by {
                        r.group_by = c.schema.index(g).filter(|&i| {
                            c.schema.fields[i].vocabulary.is_some()
                                && c.schema.fields[i].ty == FieldType::Term
                        });
                        if r.group_by.is_none() {
                            p.push(
                                &[&path[..], &["group_by"]].concat(),
                                format!(
                                    "`{g}` is not a term field of `{}` with a vocabulary",
                                    lists.collection
                                ),
                            );
                        }
                    }
                    r.timeline = layout.timeline.is_some();
                    if let Some(a) = layout.timeline.as_ref().and_then(|t| t.ancestors.as_ref()) {
                        r.ancestors = c
                            .schema
                            .index(a)
                            .filter(|&i| c.schema.fields[i].ty == FieldType::Refs);
                        if r.ancestors.is_none() {
                            p.push(
                                &[&path[..], &["timeline"]].concat(),
                                format!("`{a}` is not a refs field of `{}`", lists.collection),
                            );
                        }
                    }
                }
                None => p.unknown(
                    &[&path[..], &["lists"]].concat(),
                    "collection",
                    &lists.collection,
                    &collections,
                ),
            }
        } else if layout.group_by.is_some() || layout.timeline.is_some() {
            p.push(&path, "`group_by` and `timeline` need `lists`".into());
        }
        if layout.newest.is_some() {
            r.newest_collection = all.position(|c| c.roles.date.is_some());
            if r.newest_collection.is_none() {
                p.push(
                    &[&path[..], &["newest"]].concat(),
                    "`newest` needs a collection with a `date` field".into(),
                );
            }
        }
        layout.resolved = r;
    }
}
