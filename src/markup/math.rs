//! Math: `$…$` (inline) and `$$…$$` (display) TeX rendered at build time to MathML with
//! `pulldown-latex`, so pages show formulas offline with no script and no web font. The MathML
//! is generated here and written as it is (the sanitiser only sees the page's own raw HTML); the
//! search index gets the TeX source, not the markup.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, ParserError, RenderConfig, Storage};

/// `tex` as a MathML `<math>` element (with the TeX as its annotation), or what is wrong with
/// the TeX: `unbalanced group found, expected it to be closed with `}``.
pub(crate) fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events = Parser::new(tex, &storage)
        .collect::<Result<Vec<_>, ParserError>>()
        .map_err(|e| problem(&e))?;
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(tex.len() * 8);
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, ParserError>),
        config,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The TeX problem of `error` in one line: its kind, and the TeX near it (the error's text is
/// the kind, then an ASCII-art box around the TeX it is about).
fn problem(error: &ParserError) -> String {
    let text = error.to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let kind = first.strip_prefix("parsing error: ").unwrap_or(first);
    let near = lines
        .filter_map(|l| l.strip_prefix('│'))
        .map(|l| l.trim().trim_matches('…').trim())
        .find(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c.is_whitespace()));
    match near {
        Some(near) => format!("{kind} near `{near}`"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml() {
        let inline = to_mathml("E = mc^2", false).unwrap();
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        assert!(inline.contains("E = mc^2</annotation>"), "{inline}");
        assert!(!inline.contains("display=\"block\""));
        let block = to_mathml("\\frac{a}{b}", true).unwrap();
        assert!(block.contains("display=\"block\""), "{block}");
        assert!(block.contains("<mfrac>"), "{block}");
    }

    #[test]
    fn bad_tex_says_what_is_wrong() {
        let err = to_mathml("\\frac{a}{b", false).unwrap_err();
        assert!(err.contains("unbalanced group"), "{err}");
        assert_eq!(
            to_mathml("L = \\frac{1}{N} \\summ_i", false).unwrap_err(),
            "unknown primitive command found near `{1}{N} \\summ_i`"
        );
        assert!(!err.contains('\n'));
        assert!(to_mathml("\\nosuchcommand", false).is_err());
    }
}
