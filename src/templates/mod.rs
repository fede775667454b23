//! The template adapter, and the only module that names Tera: the site's templates loaded
//! (recursion refused, syntax errors located), one template rendered with a typed context under
//! the watchdog ([`guard`]), and Tera's errors turned into diagnostics located in the template
//! that holds what failed. The rest of the crate sees [`Templates`], [`Context`] and [`Call`],
//! the watchdog, and the default templates of the feeds, sitemap and `robots.txt`
//! ([`defaults`]), which a site's template of the same name replaces.
//!
//! Tera is pinned in Cargo.toml: the error texts the adapter reads ([`texts`]) are tested
//! against that version.

pub(crate) mod defaults;
mod escape;
pub(crate) mod guard;
mod locate;
mod parse;
mod recursion;
mod source;
mod texts;

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::base::diagnostic::{error_chain, Diagnostic};
use guard::TemplateGuard;
pub(crate) use locate::Origin;
pub(crate) use source::TemplateSource;
use source::TemplateSources;

/// The site's templates, parsed, with their texts (to locate errors in).
#[derive(Debug)]
pub(crate) struct Templates {
    tera: tera::Tera,
    files: Vec<TemplateSource>,
}

/// One render: the template, the page it makes (named by the watchdog and the diagnostic), the
/// watchdog, and where the context's values come from (asked only when the render fails, for
/// the hint of a missing value).
pub(crate) struct Call<'a> {
    /// The template's name inside `templates/`.
    pub(crate) template: &'a str,
    /// The page or file being made, site-root-relative.
    pub(crate) page: &'a str,
    /// Bounds the render's time.
    pub(crate) guard: &'a TemplateGuard,
    /// Where the values of the context come from.
    pub(crate) origins: &'a dyn Fn() -> Vec<Origin>,
}

impl Templates {
    /// Parses `files` (the site's `templates/`, named `dir` in diagnostics).
    pub(crate) fn load(dir: &Path, files: &[TemplateSource]) -> Result<Templates, Vec<Diagnostic>> {
        let tera = parse::parse(dir, files)?;
        Ok(Templates {
            tera,
            files: files.to_vec(),
        })
    }

    /// True when there is a template named `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.get_template(name).is_ok()
    }

    /// `call.template` rendered with `context`, timed by `call.guard`. An error is a diagnostic
    /// located where the template (or one it extends, includes or imports) wrote what failed.
    pub(crate) fn render(&self, call: &Call<'_>, context: &Context) -> Result<String, Diagnostic> {
        let ticket = call.guard.watch(call.template, call.page);
        let rendered = self.tera.render(call.template, &context.0);
        drop(ticket);
        rendered.map_err(|e| {
            let sources = TemplateSources::new(&self.files);
            let origins = (call.origins)();
            let failure = locate::Failure {
                tera: &self.tera,
                sources: &sources,
                template: call.template,
                context: Some(&context.0),
                origins: &origins,
            };
            failure.diagnose(&e, call.page)
        })
    }
}

/// The values a template is rendered with.
#[derive(Debug, Default)]
pub(crate) struct Context(tera::Context);

/// Why values could not be made a template context.
#[derive(Debug)]
pub(crate) struct ContextError(tera::Error);

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error_chain(&self.0))
    }
}

impl From<serde_json::Error> for ContextError {
    fn from(e: serde_json::Error) -> Self {
        ContextError(tera::Error::json(e))
    }
}

impl Context {
    /// The context holding the keys of `value`, a map.
    pub(crate) fn from_value(value: Value) -> Result<Context, ContextError> {
        tera::Context::from_value(value)
            .map(Context)
            .map_err(ContextError)
    }

    /// The context holding the fields of `value`, which serialises to a map.
    pub(crate) fn from_serialize(value: &impl Serialize) -> Result<Context, ContextError> {
        tera::Context::from_serialize(value)
            .map(Context)
            .map_err(ContextError)
    }

    /// Puts `value` in as `key` without serialising it again.
    pub(crate) fn insert_value(&mut self, key: &str, value: Value) {
        let mut map = serde_json::Map::new();
        map.insert(key.to_string(), value);
        if let Ok(one) = tera::Context::from_value(Value::Object(map)) {
            self.0.extend(one);
        }
    }

    /// Takes the value of `key` out.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }
}
