//! Where columns and months stand along the axis. Each gutter is as wide as its lanes need,
//! and split between the bands on either side of it; a band is as wide as its columns and
//! gutters, an empty month narrow, a collapsed stretch a break. When all that is narrower than
//! the frame, every piece widens to at least its share of a linear scale of time (a month with
//! works weighs one month, an empty one less), the widest scale that fits, so that sparse
//! drawings read like a time line and only dense months are stretched.

use super::bands::{Band, Grid, BREAK, EMPTY};
use super::months::Months;
use super::routes::{Plan, APPROACH, LANE};
use super::{TimeSpacing, TimedNode};
use crate::view::lineage::layout::{Axis, Tick};

/// Weight (in months) of an empty month when the axis widens.
const EMPTY_WEIGHT: f64 = 0.3;
/// Weight of a collapsed stretch when the axis widens.
const BREAK_WEIGHT: f64 = 1.0;
/// Most pixels per month of weight when the axis widens.
const UNIT: f64 = 120.0;
/// Least space between the spine lanes and the drop lanes of a gutter.
const MID: f64 = 6.0;

/// Columns and axis along the drawing.
pub(super) struct Across {
    /// Left edge of each column.
    pub(super) column_x: Vec<f64>,
    /// The axis.
    pub(super) axis: Axis,
}

/// A piece of the axis.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// A band (its index) of dated works.
    Band(usize),
    /// An empty month.
    Empty(usize),
    /// A collapsed stretch of empty months.
    Break,
}

/// How a gutter is divided: room for spines after the column on its left, a middle, room for
/// drops before the column on its right.
#[derive(Debug, Clone, Copy)]
struct Gutter {
    spines: f64,
    middle: f64,
    drops: f64,
}

impl Gutter {
    /// A gutter whose spines reach `spines` past the column before it and with `drops` lanes.
    fn of(spines: f64, drops: usize, least: f64) -> Gutter {
        let drops = match drops {
            0 => 0.0,
            lanes => APPROACH + LANE * (lanes - 1) as f64,
        };
        Gutter {
            spines,
            middle: MID.max(least - spines - drops),
            drops,
        }
    }

    /// The part before the band boundary in its middle.
    fn left(&self) -> f64 {
        self.spines + self.middle / 2.0
    }

    /// The part after the band boundary.
    fn right(&self) -> f64 {
        self.middle / 2.0 + self.drops
    }
}

/// Places the columns of `bands` and draws up the axis.
pub(super) fn place(
    nodes: &[TimedNode],
    bands: &[Band],
    grid: &Grid,
    plan: &Plan,
    months: &Months,
    s: TimeSpacing,
) -> Across {
    let column_width: Vec<f64> = (grid.columns.iter())
        .map(|c| c.iter().map(|&v| nodes[v].width).fold(0.0, f64::max))
        .collect();
    let mut spines = vec![0.0; grid.columns.len() + 1];
    for (v, &c) in grid.column.iter().enumerate() {
        if plan.spine[v].is_some() {
            spines[c + 1] = f64::max(spines[c + 1], plan.spine_offset(v) - column_width[c]);
        }
    }
    let gutters: Vec<Gutter> = (spines.iter().zip(&plan.drops))
        .map(|(&room, &drops)| Gutter::of(room, drops, s.box_gap))
        .collect();
    let mut placer = Placer {
        bands,
        gutters,
        column_width,
        column_x: vec![0.0; grid.columns.len()],
        first_column: bands
            .iter()
            .scan(0, |c, b| {
                let first = *c;
                *c += b.columns.len();
                Some(first)
            })
            .collect(),
    };
    let undated = bands.first().is_some_and(|b| b.months.is_none());
    let start = if undated {
        s.margin + placer.place(0, s.margin).max(s.heading) + s.box_gap
    } else {
        s.margin
    };
    let pieces = pieces(bands, months);
    let unit = placer.unit(&pieces, months, s.width - s.margin - start);
    let axis = placer.axis(&pieces, months, start, unit);
    Across {
        column_x: placer.column_x,
        axis: Axis {
            undated: undated.then_some(s.margin),
            baseline: s.margin + s.axis - 6.0,
            ..axis
        },
    }
}

/// The pieces of the dated part of the axis, left to right.
fn pieces(bands: &[Band], months: &Months) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut previous: Option<usize> = None;
    for (b, band) in bands.iter().enumerate() {
        let Some((first, last)) = band.months else {
            continue;
        };
        let mut s = previous.map_or(first, |p| p + 1);
        while s < first {
            match months.collapsed_from(s) {
                Some(end) => {
                    pieces.push(Piece::Break);
                    s = end;
                }
                None => {
                    pieces.push(Piece::Empty(s));
                    s += 1;
                }
            }
        }
        pieces.push(Piece::Band(b));
        previous = Some(last);
    }
    pieces
}

/// Places columns.
struct Placer<'a> {
    bands: &'a [Band],
    gutters: Vec<Gutter>,
    column_width: Vec<f64>,
    column_x: Vec<f64>,
    /// Index of the first column of each band.
    first_column: Vec<usize>,
}

impl Placer<'_> {
    /// Width of band `b` as its columns and gutters need.
    fn natural(&self, b: usize) -> f64 {
        let first = self.first_column[b];
        let count = self.bands[b].columns.len();
        let inner: f64 = (first + 1..first + count)
            .map(|c| self.gutters[c].left() + self.gutters[c].right())
            .sum();
        let columns: f64 = self.column_width[first..first + count].iter().sum();
        self.gutters[first].right() + columns + inner + self.gutters[first + count].left()
    }

    /// Places the columns of band `b` from `x`; returns the band's natural width.
    fn place(&mut self, b: usize, x: f64) -> f64 {
        let first = self.first_column[b];
        let mut at = x + self.gutters[first].right();
        for c in first..first + self.bands[b].columns.len() {
            if c > first {
                at += self.gutters[c].left() + self.gutters[c].right();
            }
            self.column_x[c] = at;
            at += self.column_width[c];
        }
        self.natural(b)
    }

    /// Width and weight of a piece.
    fn size(&self, piece: Piece, months: &Months) -> (f64, f64) {
        match piece {
            Piece::Band(b) => {
                let (first, last) = self.bands[b].months.unwrap_or_default();
                let weight = (first..=last)
                    .map(|s| if months.used[s] { 1.0 } else { EMPTY_WEIGHT })
                    .sum();
                (self.natural(b), weight)
            }
            Piece::Empty(_) => (EMPTY, EMPTY_WEIGHT),
            Piece::Break => (BREAK, BREAK_WEIGHT),
        }
    }

    /// Pixels per month of weight: the most (up to [`UNIT`]) with which every piece, at least
    /// its natural width, fits `avail`; 0 when the pieces are wider than that already.
    fn unit(&self, pieces: &[Piece], months: &Months, avail: f64) -> f64 {
        let sizes: Vec<(f64, f64)> = pieces.iter().map(|&p| self.size(p, months)).collect();
        let width = |u: f64| sizes.iter().map(|&(n, w)| n.max(u * w)).sum::<f64>();
        if width(0.0) >= avail {
            return 0.0;
        }
        if width(UNIT) <= avail {
            return UNIT;
        }
        let (mut lo, mut hi) = (0.0, UNIT);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if width(mid) <= avail {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Places the bands of `pieces` from `start`, each piece at least `unit` pixels per month of
    /// weight wide, and returns the axis: a tick per band and per empty month, a break per
    /// collapsed stretch.
    fn axis(&mut self, pieces: &[Piece], months: &Months, start: f64, unit: f64) -> Axis {
        let (mut x, mut ticks, mut breaks, mut opens) = (start, Vec::new(), Vec::new(), true);
        for &piece in pieces {
            let (natural, weight) = self.size(piece, months);
            let width = natural.max(unit * weight);
            let (first, last, works) = match piece {
                Piece::Band(b) => {
                    self.place(b, x);
                    let (first, last) = self.bands[b].months.unwrap_or_default();
                    (first, last, true)
                }
                Piece::Empty(s) => (s, s, false),
                Piece::Break => {
                    breaks.push(x + width / 2.0);
                    x += width;
                    opens = true;
                    continue;
                }
            };
            ticks.push(Tick {
                x,
                width,
                year: months.year(first),
                month: months.month(first),
                last: months.month(last),
                works,
                opens,
            });
            opens = false;
            x += width;
        }
        Axis {
            ticks,
            breaks,
            undated: None,
            start,
            end: x,
            baseline: 0.0,
        }
    }
}
