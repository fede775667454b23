//! Accessibility: axe-core (WCAG 2.1 A and AA rules) on each kind of page in both colour schemes,
//! and a keyboard walk that must reach every control and show where the focus is.

use std::time::Instant;

use serde::Deserialize;

use crate::common::browser;

/// Runs axe with the WCAG 2.0/2.1 A and AA rules; returns its violations, shortened.
const AXE_RUN_JS: &str = r#"(async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  return r.violations.map(v => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.length,
    examples: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
  }));
})()"#;

/// One axe violation.
#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    help: String,
    nodes: usize,
    examples: Vec<String>,
}

#[cfg_attr(
    any(medfm_no_chromium, medfm_no_axe),
    ignore = "needs Chromium and axe-core: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn axe_finds_no_wcag21_aa_violations() {
    axe_site(&super::REAL);
}

#[cfg_attr(
    any(medfm_no_chromium, medfm_no_axe),
    ignore = "needs Chromium and axe-core: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn example_site_axe_finds_no_wcag21_aa_violations() {
    axe_site(&super::EXAMPLE);
}

#[cfg_attr(
    any(medfm_no_chromium, medfm_no_axe),
    ignore = "needs Chromium and axe-core: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn guide_axe_finds_no_wcag21_aa_violations() {
    axe_site(&super::GUIDE);
}

/// axe on each kind of page of one site, light and dark: no violation.
fn axe_site(s: &super::Site) {
    let (_dir, site) = (s.build)();
    let Some(axe) = axe_source() else { return };
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let start = Instant::now();
    let tab = b.tab();
    let (mut runs, mut found) = (0, Vec::new());
    for (label, url, ready) in super::kind_pages(s, &site) {
        let visit = super::open_ready(&tab, &label, &url, ready);
        found.extend(
            visit
                .problems(&site)
                .into_iter()
                .map(|p| format!("{label}: {p}")),
        );
        runs += check_axe(&tab, &axe, &label, &mut found);
    }
    super::report(
        &format!("axe, {}", s.name),
        start,
        format!("{runs} axe runs, {} problems", found.len()),
    );
    assert!(runs > 0, "no page to check");
    let found = found.join("\n");
    assert!(
        found.is_empty(),
        "axe violations, console or request problems:\n{found}"
    );
}

#[cfg_attr(
    any(medfm_no_chromium, medfm_no_axe),
    ignore = "needs Chromium and axe-core: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn axe_and_keyboard_catch_planted_problems() {
    let planted = super::planted_site();
    let url = browser::file_url(&planted.path().join("site/index.html"));
    let Some(axe) = axe_source() else { return };
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    let mut found = Vec::new();
    tab.open(&url);
    check_axe(&tab, &axe, "planted", &mut found);
    let found = found.join("\n");
    for rule in ["image-alt", "color-contrast"] {
        assert!(
            found.contains(&format!("]: {rule} (")),
            "axe missed {rule}; it found:\n{found}"
        );
    }
    tab.open(&url);
    let mut problems = Vec::new();
    walk(&tab, "planted", &mut problems);
    let problems = problems.join("\n");
    assert!(
        problems.contains("a \"invisible focus\" has no visible focus indicator"),
        "the keyboard walk missed the invisible focus; it found:\n{problems}"
    );
    assert!(
        !problems.contains("\"fine\""),
        "a visible focus was reported:\n{problems}"
    );
}

/// The axe-core script (`.ci/node_modules/axe-core/axe.min.js` or `$MEDFM_AXE_JS`).
fn axe_source() -> Option<String> {
    let path = super::ci_tool("MEDFM_AXE_JS", "axe-core/axe.min.js", "axe-core")?;
    Some(std::fs::read_to_string(&path).expect("reading axe.min.js"))
}

/// Injects axe into the open page and runs it in the light and the dark scheme; adds one line
/// per violation to `found`. Returns the number of runs.
fn check_axe(tab: &browser::Tab, axe: &str, label: &str, found: &mut Vec<String>) -> usize {
    tab.eval(axe);
    for dark in [false, true] {
        tab.set_dark(dark);
        let scheme = if dark { "dark" } else { "light" };
        let violations: Vec<Violation> =
            serde_json::from_value(tab.eval(AXE_RUN_JS)).expect("axe result");
        found.extend(violations.iter().map(|v| {
            format!(
                "{label} [{scheme}]: {} ({}, {} nodes) e.g. {:?}",
                v.id, v.help, v.nodes, v.examples
            )
        }));
    }
    tab.set_dark(false);
    2
}

/// Marks every control a keyboard user should reach with `data-kbd` (radio groups share one
/// mark) and notes how each looks unfocused (see `LOOK_JS`); returns how many marks there are.
const MARK_JS: &str = r#"(() => {
  const sel = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]';
  const marks = new Map();
  window.medfmLook = LOOK;
  window.medfmUnfocused = new Map();
  for (const e of document.querySelectorAll(sel)) {
    if (e.disabled || e.tabIndex < 0 || e.closest('[inert]') || (e.type === 'hidden')) continue;
    // The content of a closed <details> is reached by opening it, not by Tab.
    if (e.closest('details:not([open]) > :not(summary)')) continue;
    if (getComputedStyle(e).visibility !== 'visible' || e.getClientRects().length === 0) continue;
    const key = e.type === 'radio' && e.name ? 'radio:' + e.name : 'el:' + marks.size;
    if (!marks.has(key)) marks.set(key, marks.size);
    e.dataset.kbd = marks.get(key);
    window.medfmUnfocused.set(e, LOOK(e));
  }
  return marks.size;
})()"#;

/// `LOOK(e)`: the styles of an element and its first descendants that can show focus. A focus
/// indicator is visible when the focused look differs from the unfocused one (an outline, a
/// shadow, a border or background colour, a stroke on an SVG shape, …).
const LOOK_JS: &str = r#"(e => {
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'border-color',
    'background-color', 'color', 'text-decoration-line', 'stroke', 'stroke-width', 'fill'];
  const one = x => { const s = getComputedStyle(x); return props.map(p => s.getPropertyValue(p)).join('|'); };
  return [e, ...[...e.querySelectorAll('*')].slice(0, 8)].map(one).join(';');
})"#;

/// The focused element: its mark, a description, whether it looks different from unfocused and
/// whether it is inside the viewport.
const FOCUS_JS: &str = r#"(() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const r = e.getBoundingClientRect();
  const base = window.medfmUnfocused.get(e);
  const ring = base === undefined ? getComputedStyle(e).outlineStyle !== 'none' : window.medfmLook(e) !== base;
  const seen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const text = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40);
  return { mark: e.dataset.kbd ?? null, what: e.tagName.toLowerCase() + ' "' + text + '"', ring, seen };
})()"#;

/// The state of the focused element.
#[derive(Debug, Deserialize)]
struct Focus {
    mark: Option<String>,
    what: String,
    ring: bool,
    seen: bool,
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn keyboard_reaches_every_control_with_visible_focus() {
    keyboard_site(&super::REAL);
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn example_site_keyboard_reaches_every_control_with_visible_focus() {
    keyboard_site(&super::EXAMPLE);
}

/// The keyboard walk on each kind of page of one site.
fn keyboard_site(s: &super::Site) {
    let (_dir, site) = (s.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let start = Instant::now();
    let tab = b.tab();
    let (mut presses, mut problems) = (0, Vec::new());
    for (label, url, ready) in super::kind_pages(s, &site) {
        super::open_ready(&tab, &label, &url, ready);
        let (n, p) = walk(&tab, &label, &mut problems);
        presses += n;
        assert!(p > 0, "{label}: nothing to focus");
    }
    super::report(
        &format!("keyboard, {}", s.name),
        start,
        format!("{presses} Tab presses, {} problems", problems.len()),
    );
    assert!(
        problems.is_empty(),
        "keyboard problems:\n{}",
        problems.join("\n")
    );
}

/// Tabs through the page until the focus comes back round; records unreached controls and
/// focus without a visible indicator. Returns (presses, controls).
fn walk(tab: &browser::Tab, label: &str, problems: &mut Vec<String>) -> (usize, usize) {
    let total = tab
        .eval(&MARK_JS.replace("LOOK", LOOK_JS))
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let mut reached = std::collections::BTreeSet::new();
    let mut first: Option<String> = None;
    let mut presses = 0;
    while presses < total + 10 {
        tab.press_tab(false);
        presses += 1;
        let Some(focus) = focused(tab) else { continue };
        if !focus.ring || !focus.seen {
            let why = if focus.ring {
                "outside the viewport"
            } else {
                "no visible focus indicator"
            };
            problems.push(format!("{label}: {} has {why}", focus.what));
        }
        // Unmarked stops are scroll containers, which Chromium makes focusable.
        let Some(mark) = focus.mark else { continue };
        if first.as_ref() == Some(&mark) {
            break;
        }
        first.get_or_insert(mark.clone());
        reached.insert(mark);
    }
    if reached.len() < total {
        let count = reached.len();
        let reached = serde_json::to_string(&reached).expect("json");
        let missed = tab.eval(&format!(
            "[...document.querySelectorAll('[data-kbd]')].filter(e => !{reached}.includes(e.dataset.kbd)).slice(0, 5).map(e => e.outerHTML.slice(0, 120))"
        ));
        problems.push(format!(
            "{label}: Tab reached {count} of {total} controls; missed e.g. {missed}"
        ));
    }
    (presses, total)
}

/// The focused element; asked again after a moment when it shows no indicator yet (a CSS
/// transition may still be starting).
fn focused(tab: &browser::Tab) -> Option<Focus> {
    let ask = || serde_json::from_value::<Option<Focus>>(tab.eval(FOCUS_JS)).expect("focus");
    let focus = ask()?;
    if focus.ring && focus.seen {
        return Some(focus);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    ask()
}
