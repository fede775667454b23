//! Leaves out of highlighted code the classes and spans no rule of the stylesheet can select.
//!
//! syntect writes one span per scope with every atom of the scope as a class
//! (`<span class="hl-meta hl-statement hl-import hl-python">`), while the themes style a few
//! dozen scopes: most spans and classes of a block style nothing, and they were about a quarter
//! of a code-heavy page's bytes. Every selector of the generated stylesheet is a chain of
//! compounds of `hl-` classes (`.hl-source.hl-css .hl-punctuation.hl-definition`), so a span
//! matches a compound exactly when it has every class of it. A span keeps the classes of the
//! compounds it matches and nothing else, and a span that matches none is left out with its
//! text kept: every element matches the same compounds as before, and no left-out span could
//! have been the ancestor a selector needs, so the page looks the same.

use std::collections::{BTreeSet, HashMap};
use std::sync::{PoisonError, RwLock};

/// A compound selector: the `hl-` classes an element must all have.
type Compound = BTreeSet<String>;

/// The compounds of every selector of a highlight stylesheet, and what each class list of a
/// span seen so far keeps (the same few hundred lists recur in every block).
#[derive(Debug)]
pub(crate) struct Selectors {
    compounds: Vec<Compound>,
    kept: RwLock<HashMap<String, String>>,
}

impl Selectors {
    /// Those of the stylesheet `css`.
    pub(crate) fn of(css: &str) -> Selectors {
        Selectors {
            compounds: compounds_of(css),
            kept: RwLock::default(),
        }
    }

    /// `html` (syntect's spans and escaped text) with the classes and spans no compound selects
    /// left out.
    pub(crate) fn prune(&self, html: &str) -> String {
        prune_with(html, |classes| self.kept(classes))
    }

    /// The classes of the space-separated `classes` that some compound selects, space-separated
    /// (empty when none is).
    fn kept(&self, classes: &str) -> String {
        let known = self.kept.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = known.get(classes) {
            return kept.clone();
        }
        drop(known);
        let kept = selected_classes(classes, &self.compounds).join(" ");
        (self.kept.write().unwrap_or_else(PoisonError::into_inner))
            .insert(classes.to_string(), kept.clone());
        kept
    }

    /// A hash of the compounds, for cache keys.
    pub(crate) fn key(&self) -> u64 {
        let mut hash = crate::base::hash::StableHasher::new();
        for compound in &self.compounds {
            hash.u64(compound.len() as u64);
            for class in compound {
                hash.str(class);
            }
        }
        hash.finish()
    }
}

/// The compounds of `hl-` classes in the selectors of `css` (other parts of a compound, such as
/// `pre.code`, are not on the spans and are left out; a compound without `hl-` classes is no
/// compound here). Pseudo-classes and attribute conditions (a site's own stylesheet may have
/// `.hl-keyword:hover`) are left out too: a compound that asks less keeps more spans, never fewer.
fn compounds_of(css: &str) -> Vec<Compound> {
    let mut found = BTreeSet::new();
    for selector in selectors(css) {
        for compound in selector.split([',', ' ', '\n', '>', '+', '~']) {
            let plain = compound.split([':', '[']).next().unwrap_or("");
            let classes: Compound = (plain.split('.'))
                .filter(|class| class.starts_with("hl-"))
                .map(str::to_string)
                .collect();
            if !classes.is_empty() {
                found.insert(classes);
            }
        }
    }
    found.into_iter().collect()
}

/// The selector lists of the rules of `css`, comments left out and at-rules skipped.
fn selectors(css: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut prelude = String::new();
    for c in text.chars() {
        match c {
            '{' => {
                let selector = prelude.trim();
                if !selector.starts_with('@') && !selector.is_empty() {
                    out.push(selector.to_string());
                }
                prelude.clear();
            }
            '}' | ';' => prelude.clear(),
            _ => prelude.push(c),
        }
    }
    out
}

#[cfg(test)]
impl Selectors {
    /// For each character of the text of `html`, the compounds each span around it matches,
    /// outermost first, spans matching none left out: what the stylesheet can tell apart.
    pub(super) fn styled_text(&self, html: &str) -> Vec<(char, Vec<Vec<usize>>)> {
        let compounds = &self.compounds;
        let mut stack: Vec<Vec<usize>> = Vec::new();
        let mut out = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("</span>") {
                stack.pop();
                rest = after;
            } else if let Some((classes, after)) =
                (rest.strip_prefix("<span class=\"")).and_then(|r| r.split_once("\">"))
            {
                let has: BTreeSet<&str> = classes.split(' ').collect();
                let matched = (0..compounds.len())
                    .filter(|&i| compounds[i].iter().all(|c| has.contains(c.as_str())))
                    .collect();
                stack.push(matched);
                rest = after;
            } else {
                let c = rest.chars().next().unwrap();
                let around = stack.iter().filter(|m| !m.is_empty()).cloned().collect();
                out.push((c, around));
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }
}

/// [`Selectors::prune`], with `kept` giving what a span's classes keep.
fn prune_with(html: &str, mut kept_of: impl FnMut(&str) -> String) -> String {
    const OPEN: &str = "<span class=\"";
    const CLOSE: &str = "</span>";
    let mut out = String::with_capacity(html.len() / 2);
    // For each open span, whether it was kept.
    let mut kept = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix(CLOSE) {
            if kept.pop().unwrap_or(true) {
                out.push_str(CLOSE);
            }
            rest = after;
        } else if let Some((classes, after)) =
            rest.strip_prefix(OPEN).and_then(|r| r.split_once("\">"))
        {
            let selected = kept_of(classes);
            kept.push(!selected.is_empty());
            if !selected.is_empty() {
                out.push_str(OPEN);
                out.push_str(&selected);
                out.push_str("\">");
            }
            rest = after;
        } else {
            // Not a span of syntect's: kept as it is.
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The classes of `classes` (space-separated) that some compound of `compounds` wholly inside
/// them names, in their order.
fn selected_classes<'c>(classes: &'c str, compounds: &[Compound]) -> Vec<&'c str> {
    let has: BTreeSet<&str> = classes.split(' ').collect();
    let matched: Vec<&Compound> = (compounds.iter())
        .filter(|c| c.iter().all(|class| has.contains(class.as_str())))
        .collect();
    (classes.split(' '))
        .filter(|class| matched.iter().any(|c| c.contains(*class)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(classes: &[&str]) -> Compound {
        classes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn compounds_come_from_every_selector_of_every_rule() {
        let css = "/* a .hl-comment-out { */\n@media (x) {\n.hl-code {\n color: #000;\n}\n\
                   .hl-a.hl-b .hl-c, .hl-d {\n color: #111;\n}\n}\n\
                   pre.code .hl-e.hl-f { color: #222 !important; }\n\
                   .hl-g:hover, .hl-h[data-x] { color: #333; }\n";
        assert_eq!(
            compounds_of(css),
            [
                set(&["hl-a", "hl-b"]),
                set(&["hl-c"]),
                set(&["hl-code"]),
                set(&["hl-d"]),
                set(&["hl-e", "hl-f"]),
                set(&["hl-g"]),
                set(&["hl-h"]),
            ]
        );
    }

    #[test]
    fn spans_keep_the_classes_selectors_use_and_unstyled_spans_go() {
        let compounds = [
            set(&["hl-keyword"]),
            set(&["hl-source", "hl-css"]),
            set(&["hl-p"]),
        ];
        let html = "<span class=\"hl-source hl-python\"><span class=\"hl-keyword hl-control \
                    hl-python\">import</span> x &lt; 1</span>\n<span class=\"hl-source hl-css\">\
                    <span class=\"hl-meta\">a</span></span>";
        assert_eq!(
            prune_with(html, |classes| selected_classes(classes, &compounds)
                .join(" ")),
            "<span class=\"hl-keyword\">import</span> x &lt; 1\n\
             <span class=\"hl-source hl-css\">a</span>"
        );
    }
}
