//! The texts of Tera's errors that the adapter reads to locate them. Tera reports most render
//! errors as plain messages, so these words are all there is to go by; each has a test below
//! that makes real Tera write it. Tera is pinned in Cargo.toml to the version these tests
//! cover: an upgrade that rewords one fails here, not silently in a diagnostic.

/// Opens every render error: "Failed to render 'p.html'".
pub(super) const FAILED_TO_RENDER: &str = "Failed to render";
/// A value missing from the context: "Variable `page.x` not found in context while rendering
/// 'p.html'".
pub(super) const VARIABLE: &str = "Variable `";
/// A macro called through a namespace nobody imported: "Macro namespace `n` was not found in
/// template `p.html`. …".
pub(super) const MACRO_NAMESPACE: &str = "Macro namespace `";
/// A macro its file does not define: "Macro `m::cards` not found in template `p.html`".
pub(super) const MACRO: &str = "Macro `";
/// Where a macro error names the template: "… not found in template `p.html`".
pub(super) const IN_TEMPLATE: &str = "in template `";
/// Added to "Failed to render 'p.html'" when the error is inside a macro: ": error while
/// rendering macro `m::card`".
pub(super) const IN_MACRO: &str = "rendering macro `";
/// A template importing macros from a missing file: "Template `p.html` loads macros from
/// `m.html` which isn't present in Tera".
pub(super) const LOADS_MACROS: &str = "loads macros from";
/// The line of pest's syntax report that gives the position: "  --> 2:6".
pub(super) const SYNTAX_AT: &str = "--> ";
/// The line of pest's syntax report that says what was expected: "  = expected …".
pub(super) const SYNTAX_SAID: &str = "= ";
/// The blocks whose missing closing tag Tera names ([`end_tag`]).
pub(super) const CLOSED_BLOCKS: [&str; 4] = ["if", "for", "block", "filter"];

/// What a syntax error says when the closing tag of a `kind` block is missing: "an endif tag".
pub(super) fn end_tag(kind: &str) -> String {
    format!("an end{kind} tag")
}

/// Between the names of an `include` list none of which exists: "[a.html, b.html]".
pub(super) const INCLUDE_LIST_SEPARATOR: &str = ", ";

/// Template names Tera quotes in a message: `'p.html'` (the template rendered, or "error
/// happened in 'base.html'").
pub(super) const NAME_QUOTE: char = '\'';

#[cfg(test)]
mod tests {
    use super::*;
    use tera::{Context, Tera};

    /// The text of every link of what rendering `p.html` (beside `m.html`, a macro file) does.
    fn render_error(page: &str) -> String {
        let mut tera = Tera::default();
        let macros = "{% macro card() %}{{ nope }}{% endmacro card %}";
        tera.add_raw_templates([("m.html", macros), ("p.html", page)])
            .unwrap();
        let e = tera.render("p.html", &Context::new()).unwrap_err();
        crate::base::diagnostic::error_chain(&e)
    }

    fn syntax_error(text: &str) -> String {
        tera::Template::new("p.html", None, text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_render_error_opens_with_the_template_quoted() {
        let text = render_error("{{ nope }}");
        assert!(
            text.starts_with(&format!("{FAILED_TO_RENDER} 'p.html'")),
            "{text}"
        );
        assert!(text.contains("'p.html'"), "{text}");
        assert_eq!(text.split(NAME_QUOTE).nth(1), Some("p.html"), "{text}");
    }

    #[test]
    fn a_missing_variable() {
        let text = render_error("{{ nope }}");
        assert!(
            text.contains(&format!("{VARIABLE}nope` not found")),
            "{text}"
        );
    }

    #[test]
    fn an_unknown_namespace() {
        let text = render_error("{{ n::card() }}");
        assert!(
            text.contains(&format!("{MACRO_NAMESPACE}n` was not")),
            "{text}"
        );
        assert!(text.contains(&format!("{IN_TEMPLATE}p.html`")), "{text}");
    }

    #[test]
    fn an_unknown_macro() {
        let text = render_error("{% import \"m.html\" as m %}{{ m::cards() }}");
        assert!(
            text.contains(&format!("{MACRO}m::cards` not found")),
            "{text}"
        );
        assert!(text.contains(&format!("{IN_TEMPLATE}p.html`")), "{text}");
    }

    #[test]
    fn an_error_inside_a_macro_names_it() {
        let text = render_error("{% import \"m.html\" as m %}{{ m::card() }}");
        assert!(text.contains(&format!("{IN_MACRO}m::card`")), "{text}");
    }

    #[test]
    fn an_error_in_a_parent_names_the_parent_quoted() {
        let mut tera = Tera::default();
        let base = "{{ nope }}{% block main %}{% endblock main %}";
        let page = "{% extends \"base.html\" %}";
        tera.add_raw_templates([("base.html", base), ("p.html", page)])
            .unwrap();
        let e = tera.render("p.html", &Context::new()).unwrap_err();
        let text = crate::base::diagnostic::error_chain(&e);
        assert!(text.contains("'base.html'"), "{text}");
    }

    #[test]
    fn a_missing_include_lists_the_names_tried() {
        let mut tera = Tera::default();
        let page = "{% include [\"a.html\", \"b.html\"] %}";
        tera.add_raw_template("p.html", page).unwrap();
        let e = tera.render("p.html", &Context::new()).unwrap_err();
        let not_found = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
            .find_map(|e| match &e.downcast_ref::<tera::Error>()?.kind {
                tera::ErrorKind::TemplateNotFound(n) => Some(n.clone()),
                _ => None,
            });
        let names = format!("[a.html{INCLUDE_LIST_SEPARATOR}b.html]");
        assert_eq!(not_found, Some(names));
    }

    #[test]
    fn a_missing_macro_file() {
        let mut tera = Tera::default();
        let e = (tera.add_raw_templates([("p.html", "{% import \"m.html\" as m %}")])).unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("`p.html` {LOADS_MACROS} `m.html`")),
            "{e}"
        );
    }

    #[test]
    fn a_syntax_error_gives_its_position_and_what_was_expected() {
        let text = syntax_error("ok\n{{ x }");
        let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
        assert!(
            lines.contains(&format!("{SYNTAX_AT}2:6").as_str()),
            "{text}"
        );
        assert!(lines.iter().any(|l| l.starts_with(SYNTAX_SAID)), "{text}");
    }

    #[test]
    fn an_unclosed_block_names_its_closing_tag() {
        // Noticed at the closing tag of the block around the one left open.
        for kind in CLOSED_BLOCKS {
            let text = syntax_error(&match kind {
                "if" => "{% for x in y %}{% if x %}x{% endfor %}".to_string(),
                "for" => "{% if x %}{% for a in b %}x{% endif %}".to_string(),
                other => format!("{{% if x %}}{{% {other} upper %}}x{{% endif %}}"),
            });
            assert!(text.contains(&end_tag(kind)), "{kind}: {text}");
        }
    }
}
