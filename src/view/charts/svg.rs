//! Inline SVG of a chart: one horizontal bar per row (a period or a term), its segments links
//! with an accessible name each, the row's label wrapped on at most two lines (shortened with
//! `…`, the full label in a `<title>`), its total after the bar, a count axis with gridlines.
//! Colours are CSS classes the site stylesheet fills (light and dark); the drawing has a fixed
//! view box and scales to its frame, so it reads at phone widths without cut labels.

use std::fmt::Write as _;

use crate::view::lineage::svg::{escape, text_width, FONT_SIZE};

/// Width of the view box.
const WIDTH: f64 = 420.0;
/// Widest label line.
const LABEL_MAX: f64 = 150.0;
/// Height of a label line.
const LINE: f64 = 17.0;
/// Thickness of a bar.
const BAR: f64 = 16.0;
/// Room after the longest bar for its total.
const TOTAL_ROOM: f64 = 34.0;
/// Space above the rows.
const TOP: f64 = 6.0;

/// A segment of a bar: entries of one stack term (or all of the bar's).
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    /// How many entries.
    pub(crate) count: usize,
    /// Colour class (`c0` … `c10`).
    pub(crate) class: String,
    /// Its column in the data table (the legend's order).
    pub(crate) column: usize,
    /// Accessible name and tooltip.
    pub(crate) name: String,
    /// Site-root-relative link to the entries, if any.
    pub(crate) href: Option<String>,
}

/// A bar: a row of the chart.
#[derive(Debug, Clone)]
pub(crate) struct BarSpec {
    /// What the bar stands for.
    pub(crate) label: String,
    /// Its entries, all segments together.
    pub(crate) total: usize,
    /// Accessible name of the whole bar (its link when its segments have none).
    pub(crate) name: String,
    /// Site-root-relative link to all of them, if any.
    pub(crate) href: Option<String>,
    /// Its segments, left to right.
    pub(crate) segments: Vec<Segment>,
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone)]
pub(crate) struct Drawing<'a> {
    /// Id of the element naming the chart (its caption).
    pub(crate) labelled_by: &'a str,
    /// Title of the count axis.
    pub(crate) axis: &'a str,
    /// The bars, top to bottom.
    pub(crate) bars: &'a [BarSpec],
    /// The path from the page to the site root, before every link.
    pub(crate) root: &'a str,
}

/// The rows' geometry: label lines and vertical centre of each bar.
struct Rows {
    lines: Vec<Vec<String>>,
    centres: Vec<f64>,
    label_width: f64,
    bottom: f64,
}

/// The `<svg>` of `d`.
pub(crate) fn draw(d: &Drawing<'_>) -> String {
    let rows = rows(d.bars);
    let x0 = rows.label_width + 14.0;
    let max = d.bars.iter().map(|b| b.total).max().unwrap_or(0);
    let (step, top) = ticks(max);
    let scale = (WIDTH - x0 - TOTAL_ROOM) / top as f64;
    let height = rows.bottom + 48.0;
    let mut svg = String::with_capacity(600 + 500 * d.bars.len());
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="group" aria-labelledby="{}" font-size="{FONT_SIZE}">"#,
        escape(d.labelled_by)
    );
    grid(&mut svg, x0, scale, step, top, rows.bottom);
    for ((bar, lines), &cy) in d.bars.iter().zip(&rows.lines).zip(&rows.centres) {
        label(&mut svg, bar, lines, cy);
        segments(&mut svg, d.root, bar, x0, scale, cy);
    }
    let _ = write!(
        svg,
        r#"<text class="axis-title" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></svg>"#,
        x0 + (WIDTH - x0 - TOTAL_ROOM) / 2.0,
        rows.bottom + 40.0,
        escape(d.axis)
    );
    svg
}

/// Lays out the rows: each label wrapped to at most two lines.
fn rows(bars: &[BarSpec]) -> Rows {
    let lines: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, LABEL_MAX)).collect();
    let label_width = (lines.iter().flatten())
        .map(|l| text_width(l))
        .fold(0.0, f64::max)
        .min(LABEL_MAX);
    let mut centres = Vec::with_capacity(bars.len());
    let mut y = TOP;
    for l in &lines {
        let height = (l.len() as f64 * LINE + 10.0).max(BAR + 12.0);
        centres.push(y + height / 2.0);
        y += height;
    }
    Rows {
        lines,
        centres,
        label_width,
        bottom: y,
    }
}

/// A step between ticks giving at most five of them, and the axis maximum (a multiple of it).
pub(crate) fn ticks(max: usize) -> (usize, usize) {
    let max = max.max(1);
    let mut magnitude = 1;
    loop {
        for step in [magnitude, 2 * magnitude, 5 * magnitude] {
            if max.div_ceil(step) <= 5 {
                return (step, max.div_ceil(step) * step);
            }
        }
        magnitude *= 10;
    }
}

/// Gridlines and tick labels of the count axis.
fn grid(svg: &mut String, x0: f64, scale: f64, step: usize, top: usize, bottom: f64) {
    svg.push_str(r#"<g class="axis" aria-hidden="true">"#);
    for tick in (0..=top).step_by(step) {
        let x = x0 + tick as f64 * scale;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{bottom:.1}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{tick}</text>"#,
            bottom + 16.0
        );
    }
    svg.push_str("</g>");
}

/// The label of a row, centred on `cy`, with its full text as a tooltip when shortened.
fn label(svg: &mut String, bar: &BarSpec, lines: &[String], cy: f64) {
    let first = cy - (lines.len() as f64 - 1.0) * LINE / 2.0 + FONT_SIZE * 0.35;
    let shortened =
        lines.iter().any(|l| l.ends_with('\u{2026}')) && !bar.label.ends_with('\u{2026}');
    svg.push_str(r#"<text class="label">"#);
    if shortened {
        let _ = write!(svg, "<title>{}</title>", escape(&bar.label));
    }
    for (n, line) in lines.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<tspan x="4" y="{:.1}">{}</tspan>"#,
            first + n as f64 * LINE,
            escape(line)
        );
    }
    svg.push_str("</text>");
}

/// The segments of a bar, each a link when it has one (or the whole bar one link when only
/// it has one), then the bar's total.
fn segments(svg: &mut String, root: &str, bar: &BarSpec, x0: f64, scale: f64, cy: f64) {
    let y = cy - BAR / 2.0;
    let whole = (bar.href.as_ref()).filter(|_| bar.segments.iter().all(|s| s.href.is_none()));
    if let Some(href) = whole {
        let name = escape(&bar.name);
        let _ = write!(
            svg,
            r#"<a href="{}{}" aria-label="{name}">"#,
            escape(root),
            escape(href)
        );
    }
    let mut x = x0;
    for s in &bar.segments {
        let width = s.count as f64 * scale;
        let name = escape(&s.name);
        let rect = format!(
            r#"<rect class="bar {}" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{BAR}"/>"#,
            escape(&s.class)
        );
        let _ = match &s.href {
            Some(href) => write!(
                svg,
                r#"<a href="{}{}" aria-label="{name}"><title>{name}</title>{rect}</a>"#,
                escape(root),
                escape(href)
            ),
            None => write!(svg, r#"<g><title>{name}</title>{rect}</g>"#),
        };
        x += width;
    }
    if whole.is_some() {
        svg.push_str("</a>");
    }
    let _ = write!(
        svg,
        r#"<text class="total" x="{:.1}" y="{:.1}">{}</text>"#,
        x + 5.0,
        cy + FONT_SIZE * 0.35,
        bar.total
    );
}

/// `text` in lines no wider than `max`: at most two, the second shortened with `…` when the
/// text does not fit. Breaks at spaces, or between any two wide (CJK) characters.
pub(crate) fn wrap(text: &str, max: f64) -> Vec<String> {
    if text_width(text) <= max {
        return vec![text.to_string()];
    }
    let tokens = tokens(text);
    let mut first = String::new();
    let mut taken = 0;
    for token in &tokens {
        let candidate = format!("{first}{token}");
        if !first.is_empty() && text_width(candidate.trim()) > max {
            break;
        }
        first = candidate;
        taken += 1;
    }
    let rest = tokens[taken..].concat();
    let mut lines = vec![shorten(first.trim(), max)];
    if !rest.trim().is_empty() {
        lines.push(shorten(rest.trim(), max));
    }
    lines
}

/// Words with their leading space, and wide characters one by one.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let wide = text_width(&c.to_string()) >= FONT_SIZE;
        if c == ' ' || wide {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if wide {
                out.push(c.to_string());
                continue;
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `text` cut to `max` with `…` when wider.
fn shorten(text: &str, max: f64) -> String {
    if text_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}\u{2026}")) > max {
            break;
        }
        out.push(c);
    }
    format!("{}\u{2026}", out.trim_end())
}
