//! The content model a site declares in `site.yaml`: its collections (folders of entries), their
//! fields with a type each, the fields of the other pages and their layouts, and what the
//! generated pages and files make of the fields (taxonomies, the comparison table, the lineage
//! graph, the feed, the exports, the print view). Nothing here names a field of any particular
//! site: every check, view and output reads these declarations.
//!
//! The structs are deserialised from YAML as written, then [`resolve`] checks them against each
//! other and fills in the indexes (`#[serde(skip)]` fields) the rest of the crate works with.
//! One file per part of the declaration, each with its resolution: [`field`] (fields, the
//! resolved schema, reserved names), [`collection`], [`pages`] (and layouts), [`features`]
//! (table, lineage, feed, exports, print), [`charts`]; [`problems`] collects what is wrong. This file holds
//! the model and the order it is resolved in.

mod charts;
mod collection;
mod features;
mod field;
mod pages;
mod problems;

pub(crate) use charts::*;
pub(crate) use collection::*;
pub(crate) use features::*;
pub(crate) use field::*;
pub(crate) use pages::*;
use problems::Problems;
pub(crate) use problems::{Context, ModelProblem, PerLanguage, PerLanguageSchema};

use indexmap::IndexMap;

use crate::model::id::{CollectionId, Id as _, IdVec, TaxonomyId};

/// Every declaration of the content model, as read from `site.yaml`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Model {
    /// Collections, in declaration order.
    pub(crate) collections: IdVec<CollectionId, Collection>,
    /// Pages outside the collections.
    pub(crate) pages: Pages,
    /// The comparison table.
    pub(crate) table: Option<TableDecl>,
    /// The lineage graph.
    pub(crate) lineage: Option<LineageDecl>,
    /// The feeds.
    pub(crate) feed: Option<FeedDecl>,
    /// The exports.
    pub(crate) exports: Option<ExportsDecl>,
    /// The print view.
    pub(crate) print: Option<PrintDecl>,
    /// The charts, by name, in declaration order.
    pub(crate) charts: IndexMap<String, ChartDecl>,
    /// Every taxonomy: (collection index, taxonomy name), in declaration order.
    pub(crate) taxonomies: IdVec<TaxonomyId, (CollectionId, String)>,
}

impl Model {
    /// The collection whose folder is `folder`.
    pub(crate) fn collection_of_folder(&self, folder: &str) -> Option<CollectionId> {
        self.collections.position(|c| c.folder == folder)
    }

    /// The declaration of taxonomy `t`.
    pub(crate) fn taxonomy(&self, t: TaxonomyId) -> (&Collection, &str, &TaxonomyDecl) {
        let (c, name) = &self.taxonomies[t];
        let collection = &self.collections[*c];
        (collection, name, &collection.taxonomies[name.as_str()])
    }

    /// The index of taxonomy `name`.
    pub(crate) fn taxonomy_index(&self, name: &str) -> Option<TaxonomyId> {
        self.taxonomies.position(|(_, n)| n == name)
    }
}

/// Checks the declarations against each other and fills in every index. Every problem found
/// is returned, located by its YAML path.
pub(crate) fn resolve(model: &mut Model, cx: &Context<'_>) -> Vec<ModelProblem> {
    let mut p = Problems(Vec::new());
    if model.collections.is_empty() {
        p.push(
            &["collections"],
            "declare at least one collection".to_string(),
        );
    }
    let names: Vec<String> = model.collections.iter().map(|c| c.name.clone()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for c in &mut model.collections {
        resolve_collection(c, &name_refs, cx, &mut p);
    }
    resolve_taxonomies(model, &mut p);
    resolve_pages(&mut model.pages, &model.collections, cx, &mut p);
    let features = Features {
        table: model.table.as_mut(),
        lineage: model.lineage.as_mut(),
        feed: model.feed.as_mut(),
        exports: model.exports.as_mut(),
        print: model.print.as_mut(),
    };
    resolve_features(features, &model.collections, &model.pages.layouts, &mut p);
    charts::resolve_charts(&mut model.charts, &model.collections, cx, &mut p);
    resolve_layout_charts(&model.pages, &model.charts, &mut p);
    p.0
}

/// Checks that the charts each layout shows are declared.
fn resolve_layout_charts(pages: &Pages, charts: &IndexMap<String, ChartDecl>, p: &mut Problems) {
    for (name, layout) in &pages.layouts {
        for chart in &layout.charts {
            if !charts.contains_key(chart) {
                let known: Vec<&str> = charts.keys().map(String::as_str).collect();
                let path = ["pages", "layouts", name.as_str(), "charts"];
                p.unknown(&path, "chart", chart, &known);
            }
        }
    }
}

/// Numbers the taxonomies of every collection and marks the fields they are made of.
fn resolve_taxonomies(model: &mut Model, p: &mut Problems) {
    let mut names: IdVec<TaxonomyId, (CollectionId, String)> = IdVec::default();
    for (ci, c) in model.collections.iter_mut().enumerate() {
        let ci = CollectionId::new(ci);
        for (name, decl) in &c.taxonomies {
            let path = ["collections", c.name.as_str(), "taxonomies", name.as_str()];
            if names.iter().any(|(_, n)| n == name) {
                p.push(&path, format!("taxonomy `{name}` is declared twice"));
                continue;
            }
            if !crate::base::slug::is_valid_file_slug(name) {
                p.push(
                    &path,
                    format!("taxonomy name `{name}` must be lower-case letters, digits and dashes"),
                );
            }
            match c.schema.index(&decl.field) {
                Some(i) if matches!(c.schema.fields[i].ty, FieldType::Term | FieldType::Terms) => {
                    c.schema.fields[i].taxonomy = Some(names.push((ci, name.clone())));
                }
                Some(_) => p.push(
                    &path,
                    format!("`{}` is not a term or terms field", decl.field),
                ),
                None => p.unknown(&path, "field", &decl.field, &field_names(&c.schema)),
            }
        }
    }
    model.taxonomies = names;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::FieldId;
    use indexmap::IndexMap;

    fn vocabularies() -> IndexMap<String, IndexMap<String, PerLanguage>> {
        let yaml = "kind: {model: {en: Model}, dataset: {en: Dataset}}\ntopic: {law: {en: Law}}\n";
        serde_yaml::from_str(yaml).unwrap()
    }

    fn collection(yaml: &str) -> Collection {
        let mut c: Collection = serde_yaml::from_str(yaml).unwrap();
        c.name = "works".into();
        c
    }

    /// Each problem as `path: message`.
    fn messages(problems: &[ModelProblem]) -> Vec<String> {
        (problems.iter())
            .map(|p| format!("{}: {}", p.path.join("."), p.message))
            .collect()
    }

    fn resolved(yaml: &str) -> (Model, Vec<ModelProblem>) {
        let vocabularies = vocabularies();
        let mut model = Model {
            collections: IdVec::from_vec(vec![collection(yaml)]),
            ..Model::default()
        };
        let problems = resolve(
            &mut model,
            &Context {
                vocabularies: &vocabularies,
                languages: &["en"],
            },
        );
        (model, problems)
    }

    const GOOD: &str = "folder: works\nlabel: {en: Works}\nkind: kind\norder: [kind, title]\nfields:\n  title: {type: text, required: true}\n  kind: {type: term, vocabulary: kind, required: true}\n  topics: {type: terms, vocabulary: topic}\n  builds_on: {type: refs, reverse: {name: built_upon_by}}\n  paper: {type: group, fields: {doi: {type: text}}}\ntranslation: {fields: [title]}\ntaxonomies:\n  topic: {field: topics, label: {en: Topic}}\ncitation: {doi: paper.doi}\nrequired_for: {dataset: [topics]}\n";

    #[test]
    fn a_consistent_model_resolves_with_its_indexes() {
        let (model, problems) = resolved(GOOD);
        assert_eq!(problems, Vec::new());
        let c = &model.collections[CollectionId::FIRST];
        let f = FieldId::new;
        assert_eq!(c.roles.kind, Some(f(1)));
        assert_eq!(c.order_fields, vec![f(1), f(0)]);
        assert_eq!(c.schema.translation, vec![f(0)]);
        assert_eq!(c.schema.fields[f(2)].taxonomy, Some(TaxonomyId::new(0)));
        assert_eq!(
            c.citation.as_ref().unwrap().paths.doi,
            Some(FieldPath {
                field: f(4),
                sub: Some(0)
            })
        );
        assert_eq!(c.required_fields, vec![("dataset".to_string(), vec![f(2)])]);
        let topic = (CollectionId::FIRST, "topic".to_string());
        assert_eq!(model.taxonomies, IdVec::from_vec(vec![topic]));
    }

    #[test]
    fn mistakes_are_located_with_suggestions() {
        let bad = GOOD
            .replace("vocabulary: topic}", "vocabulary: topics}")
            .replace("order: [kind, title]", "order: [kind, titel]")
            .replace("{dataset: [topics]}", "{datset: [topics]}");
        let (_, problems) = resolved(&bad);
        let messages = messages(&problems);
        assert_eq!(
            messages,
            [
                "collections.works.fields.topics: unknown vocabulary `topics`",
                "collections.works.order: unknown field `titel`",
                "collections.works.required_for.datset: unknown kind `datset`",
            ]
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `topic`? known: kind, topic")
        );
    }

    #[test]
    fn an_unknown_kind_vocabulary_is_reported_once() {
        let bad = GOOD.replace("vocabulary: kind,", "vocabulary: kinds,");
        let (_, problems) = resolved(&bad);
        let messages = messages(&problems);
        assert_eq!(
            messages,
            ["collections.works.fields.kind: unknown vocabulary `kinds`"],
            "no cascade into required_for"
        );
    }

    #[test]
    fn names_templates_receive_beside_the_fields_are_reserved() {
        let bad = GOOD
            .replace("  paper:", "  url: {type: url}\n  paper:")
            .replace("name: built_upon_by", "name: related");
        let (_, problems) = resolved(&bad);
        assert_eq!(
            messages(&problems),
            [
                "collections.works.fields.builds_on.reverse: `related` is reserved: templates \
                 receive an entry's related entries under it",
                "collections.works.fields.url: `url` is reserved: templates receive an entry's \
                 own URL under it",
            ]
        );
        assert!(problems[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("slug, url, related"));
    }

    #[test]
    fn every_page_needs_a_title() {
        let (_, problems) =
            resolved("folder: works\nlabel: {en: Works}\nfields:\n  name: {type: text}\n");
        assert_eq!(
            problems[0].message,
            "every page needs a `title` field of type `text`"
        );
    }
}
