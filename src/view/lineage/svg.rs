//! Inline SVG for a laid-out lineage graph: boxes that are links, edges with arrowheads
//! (orthogonal with rounded corners on a time axis, curved by generation; dashed for "uses"),
//! a `<title>`/`<desc>` for assistive technology. The colours of boxes, labels, arrowheads and
//! the axis come from medfm.css (rules without specificity, which a theme's stylesheet
//! overrides for its light and dark schemes), so each drawing carries only its geometry; sizes
//! are in CSS pixels and the drawing is never scaled down, so labels stay at least 12px.

use std::fmt::{self, Write as _};

use super::layout::{layout, Axis, Layout, Rect, Spacing, Tick};
use super::timeline::{timeline, Moment, TimeSpacing, TimedNode};

/// A coordinate or length written to a tenth of a pixel, without a trailing `.0` (`30`, `806.3`,
/// `-0.5`): the shortest text for the precision a screen shows.
#[derive(Debug, Clone, Copy)]
struct Px(f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Drawings are a few thousand pixels wide: far inside i64, so the cast never truncates.
        #[allow(clippy::cast_possible_truncation)]
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
        match tenth {
            0 => write!(f, "{sign}{whole}"),
            _ => write!(f, "{sign}{whole}.{tenth}"),
        }
    }
}

/// Font size of node labels, in pixels.
pub(crate) const FONT_SIZE: f64 = 14.0;
/// Horizontal padding inside a node box.
const PAD: f64 = 10.0;
/// Longest label drawn in full by generation, in pixels; longer ones are shortened with `…`
/// (full text in the tooltip).
const MAX_LABEL: f64 = 200.0;
/// Longest line of a label on a time axis, in pixels: longer labels wrap onto a second line,
/// shortened with `…` if that is not enough (full text in the tooltip).
const MAX_LINE: f64 = 132.0;
/// Distance between the two lines of a wrapped label.
const LINE_HEIGHT: f64 = 17.0;

/// A node of a drawing.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct NodeSpec {
    /// Text in the box.
    pub(crate) label: String,
    /// Accessible name and tooltip (starts with the label).
    pub(crate) tooltip: String,
    /// Link target, relative to the page; `None` for the page's own node.
    pub(crate) href: Option<String>,
    /// CSS classes (e.g. `strand-reference kind-dataset`).
    pub(crate) classes: String,
    /// Drawn as a pill (datasets, benchmarks) rather than a box.
    pub(crate) pill: bool,
}

/// An edge of a drawing, from the earlier work to the later one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct EdgeSpec {
    /// Index of the source node.
    pub(crate) from: usize,
    /// Index of the target node.
    pub(crate) to: usize,
    /// CSS class of the arrow (after `edge`), e.g. `builds-on`.
    pub(crate) class: String,
    /// Dashed rather than solid.
    pub(crate) dashed: bool,
}

/// Everything needed to draw one graph, in the language of its page. Serialisable, so that a
/// context key can stand for the drawing by what it is drawn from (see
/// [`super::EntryGraph`]).
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Drawing {
    /// Prefix of the ids inside the SVG (unique within the page).
    pub(crate) id: String,
    /// Accessible title.
    pub(crate) title: String,
    /// Accessible description.
    pub(crate) desc: String,
    /// Nodes.
    pub(crate) nodes: Vec<NodeSpec>,
    /// Edges.
    pub(crate) edges: Vec<EdgeSpec>,
    /// Placement: by generation, or by date on a time axis.
    pub(crate) placement: Placement,
}

/// How a drawing places its nodes.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) enum Placement {
    /// In layers, each a generation after the one before.
    Generations,
    /// By date, on a time axis filling `width` pixels.
    Time {
        /// Each node's date (`None`: undated).
        times: Vec<Option<Moment>>,
        /// Width the drawing should fill.
        width: f64,
        /// Texts of the axis.
        text: AxisText,
    },
}

/// The words a time axis shows, in the page language.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct AxisText {
    /// Month names, January first.
    pub(crate) months: Vec<String>,
    /// Heading of the column of undated nodes.
    pub(crate) undated: String,
}

/// The SVG text and the layout it came from.
#[derive(Debug, Clone)]
pub(crate) struct Drawn {
    /// `<svg …>…</svg>`.
    pub(crate) svg: String,
    /// The layout (sizes, layers, crossings).
    pub(crate) layout: Layout,
}

/// Lays out and draws `drawing`.
pub(crate) fn draw(drawing: &Drawing) -> Drawn {
    let labels: Vec<Vec<String>> = (drawing.nodes.iter())
        .map(|n| match drawing.placement {
            Placement::Generations => vec![fit_label(&n.label, MAX_LABEL)],
            Placement::Time { .. } => wrap_label(&n.label),
        })
        .collect();
    let widths: Vec<f64> = (labels.iter())
        .map(|lines| lines.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 2.0 * PAD)
        .collect();
    let pairs: Vec<(usize, usize)> = drawing.edges.iter().map(|e| (e.from, e.to)).collect();
    let spacing = Spacing::default();
    let layout = match &drawing.placement {
        Placement::Generations => layout(&widths, &pairs, spacing),
        Placement::Time { times, width, text } => {
            let nodes: Vec<TimedNode> = (widths.iter().zip(times).zip(&labels))
                .map(|((&width, &when), lines)| TimedNode {
                    width,
                    height: spacing.node_height + LINE_HEIGHT * (lines.len() as f64 - 1.0),
                    when,
                })
                .collect();
            let spacing = TimeSpacing {
                width: *width,
                heading: axis_width(&text.undated) + 8.0,
                ..TimeSpacing::default()
            };
            timeline(&nodes, &pairs, spacing)
        }
    };
    let mut svg = String::with_capacity(512 + 400 * drawing.nodes.len());
    open_svg(&mut svg, drawing, &layout);
    if let (Some(axis), Placement::Time { text, .. }) = (&layout.axis, &drawing.placement) {
        axis_svg(&mut svg, axis, text, layout.height);
    }
    edges(&mut svg, drawing, &layout);
    nodes(&mut svg, drawing, &labels, &layout);
    svg.push_str("</svg>");
    Drawn { svg, layout }
}

fn open_svg(svg: &mut String, d: &Drawing, l: &Layout) {
    let (w, h) = (l.width.ceil(), l.height.ceil());
    let id = escape(&d.id);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="lineage-graph" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="{id}-title {id}-desc" font-size="{FONT_SIZE}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path class="arrow" d="M0,0L10,5L0,10z"/></marker></defs>"##,
        escape(&d.title),
        escape(&d.desc)
    );
}

fn edges(svg: &mut String, d: &Drawing, l: &Layout) {
    // `marker-end` is inherited: every edge ends in the drawing's arrowhead.
    let _ = write!(
        svg,
        r#"<g class="edges" fill="none" stroke-width="1.5" marker-end="url(#{}-arrow)">"#,
        escape(&d.id)
    );
    let drawn = d.edges.iter().zip(&l.routes).zip(&l.backward);
    for ((e, route), &backward) in drawn.filter(|((_, r), _)| r.len() >= 2) {
        let class = format!(
            "edge {}{}",
            escape(&e.class),
            if backward { " backward" } else { "" }
        );
        let dash = match (backward, e.dashed) {
            (true, _) => r#" stroke-dasharray="2 3""#,
            (false, true) => r#" stroke-dasharray="6 4""#,
            (false, false) => "",
        };
        let data = if l.orthogonal {
            orthogonal_path(route)
        } else {
            path_data(route)
        };
        let _ = write!(
            svg,
            r#"<path class="{class}"{dash} data-from="{}" data-to="{}" d="{data}"/>"#,
            e.from, e.to
        );
    }
    svg.push_str("</g>");
}

/// A smooth path through `points`: horizontal runs stay straight, gaps become S-curves.
fn path_data(points: &[(f64, f64)]) -> String {
    let mut out = format!("M{},{}", Px(points[0].0), Px(points[0].1));
    for pair in points.windows(2) {
        let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
        if (ay - by).abs() < 0.05 {
            let _ = write!(out, "L{},{}", Px(bx), Px(by));
        } else {
            let bend = ((bx - ax).abs() / 2.0).max(20.0);
            let (c1, c2, ay, bx, by) = (Px(ax + bend), Px(bx - bend), Px(ay), Px(bx), Px(by));
            let _ = write!(out, "C{c1},{ay} {c2},{by} {bx},{by}");
        }
    }
    out
}

/// Radius of the rounded corners of orthogonal routes.
const CORNER: f64 = 5.0;

/// A polyline through `points` with rounded corners (repeated and collinear points dropped).
fn orthogonal_path(points: &[(f64, f64)]) -> String {
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for &p in points {
        let same = |q: &(f64, f64)| (q.0 - p.0).abs() < 0.05 && (q.1 - p.1).abs() < 0.05;
        if pts.last().is_some_and(same) {
            continue;
        }
        if let [.., a, b] = pts[..] {
            let collinear = ((a.0 - b.0).abs() < 0.05 && (b.0 - p.0).abs() < 0.05)
                || ((a.1 - b.1).abs() < 0.05 && (b.1 - p.1).abs() < 0.05);
            if collinear {
                pts.pop();
            }
        }
        pts.push(p);
    }
    let mut out = format!("M{},{}", Px(pts[0].0), Px(pts[0].1));
    for i in 1..pts.len() {
        let c = pts[i];
        let Some(&b) = pts.get(i + 1) else {
            let _ = write!(out, "L{},{}", Px(c.0), Px(c.1));
            break;
        };
        let a = pts[i - 1];
        let (la, lb) = (distance(a, c), distance(c, b));
        let r = CORNER.min(la / 2.0).min(lb / 2.0);
        let into = (c.0 - (c.0 - a.0) / la * r, c.1 - (c.1 - a.1) / la * r);
        let out_of = (c.0 + (b.0 - c.0) / lb * r, c.1 + (b.1 - c.1) / lb * r);
        let _ = write!(
            out,
            "L{},{}Q{},{} {},{}",
            Px(into.0),
            Px(into.1),
            Px(c.0),
            Px(c.1),
            Px(out_of.0),
            Px(out_of.1)
        );
    }
    out
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1).max(1e-9)
}

/// Font size of the axis labels, in pixels.
const AXIS_FONT: f64 = 12.0;

/// The time axis: a baseline with a tick per band of months with works (a month, or a few
/// sparse ones: "Apr–Jun") and per empty month, the year above the first month of each year and
/// of each stretch, month names where they fit (a band's before an empty month's), a faint
/// background on every other band, a faint line down the drawing at each year, a break mark
/// where empty months were left out, and the heading of the undated column.
fn axis_svg(svg: &mut String, axis: &Axis, text: &AxisText, height: f64) {
    let base = Px(axis.baseline);
    let _ = write!(
        svg,
        r#"<g class="axis" aria-hidden="true" font-size="{AXIS_FONT}"><path class="axis-line" d="M{},{base}H{}"/>"#,
        Px(axis.start),
        Px(axis.end)
    );
    bands_svg(svg, axis, height);
    let (mut year_end, mut month_end) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for t in &axis.ticks {
        let year = t.month == 1 || t.opens;
        let x = Px(t.x);
        let _ = write!(
            svg,
            r#"<path d="M{x},{}V{base}"/>"#,
            Px(axis.baseline - 4.0)
        );
        if year {
            let _ = write!(
                svg,
                r#"<path class="grid" d="M{x},{base}V{}"/>"#,
                Px(height - 4.0)
            );
        }
        let label = t.year.to_string();
        if year && t.x >= year_end {
            axis_label(svg, t.x, axis.baseline - 19.0, &label, "year");
            year_end = t.x + axis_width(&label) + 8.0;
        }
        let month = month_label(text, t);
        // An empty month is labelled only where its label fits, leaving room for its neighbours'.
        let fits = t.works || axis_width(&month) + 4.0 <= t.width;
        if !month.is_empty() && fits && t.x + 2.0 >= month_end {
            axis_label(svg, t.x + 2.0, axis.baseline - 6.0, &month, "month");
            month_end = t.x + 2.0 + axis_width(&month) + 6.0;
        }
    }
    for &x in &axis.breaks {
        let y = Px(axis.baseline + 5.0);
        let _ = write!(
            svg,
            r#"<path class="break" d="M{},{y}l5,-10M{},{y}l5,-10"/>"#,
            Px(x - 5.0),
            Px(x)
        );
    }
    if let Some(x) = axis.undated {
        axis_label(svg, x, axis.baseline - 6.0, &text.undated, "month");
    }
    svg.push_str("</g>");
}

/// A faint background on every other band of months with works, down the drawing, so that
/// the reader sees which month a column of boxes belongs to where months are widened.
fn bands_svg(svg: &mut String, axis: &Axis, height: f64) {
    let top = axis.baseline;
    for t in axis.ticks.iter().filter(|t| t.works).skip(1).step_by(2) {
        let _ = write!(
            svg,
            r#"<rect class="band" x="{}" y="{}" width="{}" height="{}"/>"#,
            Px(t.x),
            Px(top),
            Px(t.width),
            Px(height - top)
        );
    }
}

/// The label of a tick: its month, or its first and last month when it is a band of months
/// and both fit its width.
fn month_label(text: &AxisText, t: &Tick) -> String {
    let name = |m: u8| {
        text.months
            .get(usize::from(m) - 1)
            .map_or("", String::as_str)
    };
    let first = name(t.month);
    if t.last == t.month || first.is_empty() {
        return first.to_string();
    }
    let range = format!("{first}–{}", name(t.last));
    if axis_width(&range) + 4.0 <= t.width {
        range
    } else {
        first.to_string()
    }
}

fn axis_label(svg: &mut String, x: f64, y: f64, text: &str, class: &str) {
    let _ = write!(
        svg,
        r#"<text class="{class}" x="{}" y="{}">{}</text>"#,
        Px(x),
        Px(y),
        escape(text)
    );
}

/// Width of an axis label.
fn axis_width(text: &str) -> f64 {
    text_width(text) * AXIS_FONT / FONT_SIZE
}

fn nodes(svg: &mut String, d: &Drawing, labels: &[Vec<String>], l: &Layout) {
    svg.push_str(r#"<g class="nodes">"#);
    for (n, ((node, label), rect)) in d.nodes.iter().zip(labels).zip(&l.nodes).enumerate() {
        let approximate = l.approximate.get(n).copied().unwrap_or(false);
        node_svg(svg, n, node, label, rect, approximate);
    }
    svg.push_str("</g>");
}

/// Node `n` (its `data-n`, which the edges' `data-from` and `data-to` name). A node placed by a
/// bare year has a dotted outline.
fn node_svg(
    svg: &mut String,
    n: usize,
    node: &NodeSpec,
    label: &[String],
    r: &Rect,
    approximate: bool,
) {
    let mut classes = escape(&node.classes);
    let dots = if approximate {
        classes.push_str(" approx");
        r#" stroke-dasharray="3 3""#
    } else {
        ""
    };
    let tooltip = escape(&node.tooltip);
    let rx = if node.pill { r.height / 2.0 } else { 5.0 };
    let shape = format!(
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}"{dots}/>{}"#,
        Px(r.x),
        Px(r.y),
        Px(r.width),
        Px(r.height),
        Px(rx),
        label_svg(label, r)
    );
    let _ = match &node.href {
        Some(href) => write!(
            svg,
            r#"<a class="node {classes}" data-n="{n}" href="{}"><title>{tooltip}</title>{shape}</a>"#,
            escape(href)
        ),
        None => write!(
            svg,
            r#"<g class="node current {classes}" data-n="{n}" aria-current="page"><title>{tooltip}</title>{shape}</g>"#
        ),
    };
}

/// Estimated width of `text` at [`FONT_SIZE`] in a sans-serif system font: wide (CJK,
/// full-width) characters take one em, others a conservative fraction of it.
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().map(char_em).sum::<f64>() * FONT_SIZE
}

fn char_em(c: char) -> f64 {
    match c {
        _ if is_wide(c) => 1.0,
        ' ' => 0.3,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        'm' | 'w' | 'M' | 'W' => 0.9,
        c if c.is_ascii_uppercase() => 0.7,
        c if c.is_ascii_digit() => 0.58,
        _ => 0.56,
    }
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The `<text>` of a label of one or two lines, centred on the box vertically.
fn label_svg(lines: &[String], r: &Rect) -> String {
    let x = Px(r.x + PAD);
    let first = Px(r.cy() - LINE_HEIGHT * (lines.len() as f64 - 1.0) / 2.0);
    let mut out = format!(r#"<text x="{x}" y="{first}">"#);
    match lines {
        [one] => out.push_str(&escape(one)),
        _ => {
            for (i, line) in lines.iter().enumerate() {
                // The first line sits at the text's `y`, each next one a line below.
                let _ = write!(out, r#"<tspan x="{x}""#);
                if i > 0 {
                    let _ = write!(out, r#" dy="{LINE_HEIGHT}""#);
                }
                let _ = write!(out, ">{}</tspan>", escape(line));
            }
        }
    }
    out.push_str("</text>");
    out
}

/// `label`, shortened with `…` when wider than `max` pixels.
fn fit_label(label: &str, max: f64) -> String {
    if text_width(label) <= max {
        return label.to_string();
    }
    let mut out = String::new();
    let mut width = char_em('…') * FONT_SIZE;
    for c in label.chars() {
        width += char_em(c) * FONT_SIZE;
        if width > max {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// `label` on one line when it fits [`MAX_LINE`], else on two: broken at the last space or
/// after the last hyphen or slash that fits, or between two characters of which one is wide
/// (CJK), or, in one long word, where the line is full; the second line is shortened with `…`
/// when it is still too long.
pub(crate) fn wrap_label(label: &str) -> Vec<String> {
    if text_width(label) <= MAX_LINE {
        return vec![label.to_string()];
    }
    let chars: Vec<char> = label.chars().collect();
    let (mut width, mut full, mut best) = (0.0, chars.len(), None);
    for (i, &c) in chars.iter().enumerate() {
        width += char_em(c) * FONT_SIZE;
        if width > MAX_LINE {
            full = i;
            break;
        }
        let next = chars.get(i + 1).copied();
        let breaks = c == '-' || c == '/' || next == Some(' ') || c == ' ';
        let wide = is_wide(c) || next.is_some_and(is_wide);
        if breaks || wide {
            best = Some(i + 1);
        }
    }
    let cut = best.unwrap_or(full).clamp(1, chars.len());
    let first: String = chars[..cut].iter().collect();
    let rest: String = chars[cut..].iter().collect();
    let rest = rest.trim();
    if rest.is_empty() {
        return vec![first.trim_end().to_string()];
    }
    vec![first.trim_end().to_string(), fit_label(rest, MAX_LINE)]
}

/// Escapes text for SVG/XML content and attribute values (the same escaping as HTML).
pub(crate) use crate::markup::highlight::escape;

#[cfg(test)]
mod tests {
    use super::Px;

    #[test]
    fn pixels_are_written_to_a_tenth_without_a_trailing_zero() {
        let shown: Vec<String> = [30.0, 806.34, -0.5, 0.04, -0.04, 2.96, 1549.0, -12.25]
            .map(|x| Px(x).to_string())
            .into();
        assert_eq!(
            shown,
            ["30", "806.3", "-0.5", "0", "0", "3", "1549", "-12.3"]
        );
    }
}
