//! What resolving the declarations works with: the problems found so far, each located by its
//! YAML path, and what a declaration may refer to outside the model.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::base::diagnostic::did_you_mean;

/// A text given once per language code.
pub(crate) type PerLanguage = BTreeMap<String, String>;

/// How a [`PerLanguage`] text is written, for the JSON Schema of `site.yaml` (`#[schemars(with)]`
/// on every such field): one definition that editors and the reference show once.
pub(crate) struct PerLanguageSchema;

impl schemars::JsonSchema for PerLanguageSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PerLanguage".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A text per language: language code → text, with a text for every code of `languages`.",
            "type": "object",
            "additionalProperties": { "type": "string" },
            "examples": [{ "en": "Resolution", "zh": "分辨率" }]
        })
    }
}

/// A problem in the declarations: the YAML path it concerns and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelProblem {
    /// Keys from the top of `site.yaml` to the offending one.
    pub(crate) path: Vec<String>,
    /// What is wrong.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) hint: Option<String>,
}

/// Collects problems while resolving.
pub(super) struct Problems(pub(super) Vec<ModelProblem>);

impl Problems {
    /// Adds a problem at `path`.
    pub(super) fn push(&mut self, path: &[&str], message: String) {
        self.0.push(ModelProblem {
            path: path.iter().map(|s| s.to_string()).collect(),
            message,
            hint: None,
        });
    }

    /// Adds a problem at `path` with how to fix it.
    pub(super) fn push_with_hint(&mut self, path: &[&str], message: String, hint: String) {
        self.0.push(ModelProblem {
            path: path.iter().map(|s| s.to_string()).collect(),
            message,
            hint: Some(hint),
        });
    }

    /// Adds an unknown name at `path`, with the closest known one.
    pub(super) fn unknown(&mut self, path: &[&str], what: &str, name: &str, known: &[&str]) {
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? known: {}", known.join(", ")),
            None if known.is_empty() => format!("no {what} is declared"),
            None => format!("known: {}", known.join(", ")),
        };
        self.0.push(ModelProblem {
            path: path.iter().map(|s| s.to_string()).collect(),
            message: format!("unknown {what} `{name}`"),
            hint: Some(hint),
        });
    }
}

/// What a declaration may refer to outside the model: the vocabularies and the languages.
pub(crate) struct Context<'a> {
    /// Vocabulary names → their term keys.
    pub(crate) vocabularies: &'a IndexMap<String, IndexMap<String, PerLanguage>>,
    /// Language codes, default first.
    pub(crate) languages: &'a [&'a str],
}
