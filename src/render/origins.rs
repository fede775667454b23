//! Where the values a page's template receives come from, for the hint of a render error about
//! a missing value: the UI strings of `site.yaml`, and the front matter declared there.

use crate::model::site::Site;
use crate::render::meta::Subject;
use crate::templates::Origin;

/// Where the values of a page about `subject` come from: the UI strings (`t`) and, on entries
/// and other content pages, the front matter (`page`, under `prefix`).
pub(crate) fn origins(site: &Site, subject: Subject, prefix: &str) -> Vec<Origin> {
    let config = &site.config;
    let mut origins = vec![Origin {
        variable: "t".into(),
        holds: "the UI strings".into(),
        declared_in: (config.language_codes())
            .map(|l| format!("strings.{l}"))
            .collect(),
    }];
    let fields = match subject {
        Subject::Entry(i) => site.pages[i].collection.map(|c| {
            let name = &config.model.collections[c].name;
            (
                "the entry's front matter and what medfm derives from it".to_string(),
                format!("collections.{name}.fields"),
            )
        }),
        Subject::Home | Subject::Page => Some((
            "the page's front matter".to_string(),
            "pages.fields".to_string(),
        )),
    };
    if let Some((holds, declared)) = fields {
        origins.push(Origin {
            variable: format!("{prefix}page"),
            holds,
            declared_in: vec![declared],
        });
    }
    origins
}
