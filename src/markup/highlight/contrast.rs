//! The colours of highlighted code that the syntect themes set below WCAG AA contrast (4.5:1) on
//! the pages code lands on, given again at that contrast: darker in the light scheme, lighter in
//! the dark one (axe reports a page showing any of them). `highlight.css` ends with them, so a
//! site's own `static/highlight.css` replaces them with the rest. They are `!important`: the
//! themes' nested rules (`.hl-markup.hl-inserted .hl-punctuation…`) are more specific than one
//! scope.

/// A colour and the scopes (as `hl-` class selectors) that take it.
type Fix = (&'static str, &'static [&'static str]);

/// The light scheme's (InspiredGitHub's greens, light blues, oranges and greys).
pub(super) const LIGHT: &[Fix] = &[
    ("#5f6670", &[".hl-comment", ".hl-meta.hl-diff"]),
    (
        "#005f85",
        &[
            ".hl-constant",
            ".hl-entity.hl-name.hl-class",
            ".hl-entity.hl-other.hl-inherited-class",
            ".hl-support.hl-constant",
            ".hl-support.hl-type",
            ".hl-support.hl-class",
            ".hl-variable.hl-language",
            ".hl-markup.hl-changed",
        ],
    ),
    (
        "#2b6a24",
        &[
            ".hl-entity.hl-name.hl-tag",
            ".hl-support.hl-function",
            ".hl-markup.hl-inserted",
            ".hl-punctuation.hl-definition.hl-inserted",
            ".hl-punctuation.hl-definition.hl-to-file",
        ],
    ),
    (
        "#a63c17",
        &[".hl-markup.hl-list", ".hl-constant.hl-other.hl-color"],
    ),
    (
        "#676767",
        &[
            ".hl-meta.hl-separator",
            ".hl-markup.hl-ignored",
            ".hl-markup.hl-untracked",
            ".hl-constant.hl-numeric.hl-line-number",
        ],
    ),
    ("#25609a", &[".hl-meta.hl-link", ".hl-meta.hl-image"]),
];

/// The dark scheme's (base16-ocean.dark's reds, browns and greys, and the git gutter's purple,
/// given the theme's other purple).
pub(super) const DARK: &[Fix] = &[
    ("#a7b0ba", &[".hl-comment"]),
    (
        "#e8939a",
        &[
            ".hl-variable",
            ".hl-entity.hl-name.hl-tag",
            ".hl-string.hl-other.hl-link",
            ".hl-markup.hl-list",
            ".hl-markup.hl-deleted",
        ],
    ),
    (
        "#a0a8b0",
        &[".hl-markup.hl-ignored", ".hl-markup.hl-untracked"],
    ),
    ("#b48ead", &[".hl-markup.hl-changed"]),
    (
        "#c0917f",
        &[
            ".hl-punctuation.hl-section.hl-embedded",
            ".hl-variable.hl-interpolation",
        ],
    ),
    ("#e4e8ec", &[".hl-meta.hl-separator"]),
    ("#000000", &[".hl-invalid.hl-illegal"]),
];

/// The rules, one media block per scheme.
pub(super) fn rules() -> String {
    format!(
        "/* Colours at WCAG AA contrast where the themes' own fall below it. */\n\
         @media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
         @media (prefers-color-scheme: dark) {{\n{}}}\n",
        block(LIGHT),
        block(DARK)
    )
}

/// One rule per colour: `pre.code .hl-x, pre.code .hl-y { color: #… !important; }`.
fn block(fixes: &[Fix]) -> String {
    let rule = |(colour, scopes): &Fix| {
        let selectors: Vec<String> = scopes.iter().map(|s| format!("pre.code {s}")).collect();
        format!(
            "{} {{ color: {colour} !important; }}\n",
            selectors.join(", ")
        )
    };
    fixes.iter().map(rule).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::highlight::{CLASS_STYLE, DARK_THEME, LIGHT_THEME};
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;

    /// Relative luminance of `#rrggbb` (WCAG 2.1).
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            match c <= 0.03928 {
                true => c / 12.92,
                false => ((c + 0.055) / 1.055).powf(2.4),
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn ratio(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The `#rrggbb` value of `property` in a rule's body.
    fn value<'a>(body: &'a str, property: &str) -> Option<&'a str> {
        (body.split(';'))
            .filter_map(|d| d.split_once(':'))
            .find(|(name, _)| name.trim() == property)
            .map(|(_, v)| v.trim())
            .filter(|v| v.len() == 7 && v.starts_with('#'))
    }

    /// The colour an element with exactly the classes of `compound` gets: the fix with the
    /// most classes among those it matches (the most specific), else `own`.
    fn effective<'a>(compound: &str, own: &'a str, fixes: &'a [Fix]) -> &'a str {
        let classes: Vec<&str> = compound.split('.').filter(|c| !c.is_empty()).collect();
        let matching = (fixes.iter())
            .flat_map(|(colour, scopes)| scopes.iter().map(move |s| (*colour, *s)))
            .filter(|(_, s)| {
                s.split('.')
                    .filter(|c| !c.is_empty())
                    .all(|c| classes.contains(&c))
            });
        let best = matching.max_by_key(|(_, s)| s.matches('.').count());
        best.map_or(own, |(colour, _)| colour)
    }

    /// Every colour the theme `name` gives text, after the fixes, against the rule's own
    /// background or each of `pages`: (selector, colour, background, ratio) below 4.5.
    fn below_aa(name: &str, fixes: &[Fix], pages: &[&str]) -> Vec<String> {
        let themes = ThemeSet::load_defaults();
        let css = css_for_theme_with_class_style(&themes.themes[name], CLASS_STYLE).unwrap();
        let mut out = Vec::new();
        for rule in css.split('}') {
            let Some((selectors, body)) = rule.split_once('{') else {
                continue;
            };
            let Some(own) = value(body, "color") else {
                continue;
            };
            let background = value(body, "background-color");
            let selectors = selectors.rsplit("*/").next().unwrap();
            for selector in selectors.split(',').map(str::trim) {
                let compound = selector.split_whitespace().last().unwrap();
                let colour = effective(compound, own, fixes);
                for page in background.map_or(pages.to_vec(), |b| vec![b]) {
                    let r = ratio(colour, page);
                    if r < 4.5 {
                        out.push(format!("{selector}: {colour} on {page} is {r:.2}"));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_colour_of_both_themes_meets_aa_on_light_and_dark_pages() {
        // The lightest and darkest page colours of each scheme among the sites medfm builds,
        // and base16-ocean's own background.
        let light = below_aa(LIGHT_THEME, LIGHT, &["#ffffff", "#fbfaf7"]);
        assert!(light.is_empty(), "{light:#?}");
        let dark = below_aa(DARK_THEME, DARK, &["#14181c", "#1a1f24", "#2b303b"]);
        assert!(dark.is_empty(), "{dark:#?}");
    }

    #[test]
    fn each_fix_is_one_important_rule_in_its_scheme() {
        let css = rules();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        assert!(light.contains(
            "pre.code .hl-comment, pre.code .hl-meta.hl-diff { color: #5f6670 !important; }\n"
        ));
        assert!(dark.contains("pre.code .hl-comment { color: #a7b0ba !important; }\n"));
        assert_eq!(css.matches('{').count(), 2 + LIGHT.len() + DARK.len());
    }
}
