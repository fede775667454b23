use super::svg::{ticks, wrap};
use super::*;

fn date(s: &str) -> Option<PartialDate> {
    Some(PartialDate::parse(s).unwrap())
}

fn monthly(from: &str, to: &str) -> Bounds {
    Bounds {
        by: Period::Month,
        from: date(from),
        to: date(to),
    }
}

#[test]
fn a_month_without_entries_between_two_with_some_has_an_empty_bar() {
    let bounds = Bounds {
        by: Period::Month,
        from: None,
        to: None,
    };
    let bars = time_bars([(date("2024-01-05"), 0), (date("2024-03"), 0)], 1, &bounds);
    assert_eq!(
        bars,
        vec![
            (Slot::Period(2024, 1), vec![1]),
            (Slot::Period(2024, 2), vec![0]),
            (Slot::Period(2024, 3), vec![1]),
        ]
    );
}

#[test]
fn entries_dated_only_to_the_year_get_a_bar_after_that_years_december() {
    let bounds = monthly("2024-11", "2025-01");
    let bars = time_bars(
        [
            (date("2024"), 0),
            (date("2024-12"), 0),
            (date("2025-01"), 0),
        ],
        1,
        &bounds,
    );
    let slots: Vec<Slot> = bars.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        slots,
        [
            Slot::Period(2024, 11),
            Slot::Period(2024, 12),
            Slot::Period(2024, YEAR_ONLY),
            Slot::Period(2025, 1),
        ]
    );
    assert_eq!(
        bars[2].1,
        vec![1],
        "the year-only entry is counted, not dropped"
    );
}

#[test]
fn entries_outside_the_bounds_share_a_bar_before_and_after_and_undated_ones_come_last() {
    let bounds = monthly("2024-01", "2024-02");
    let bars = time_bars(
        [
            (date("2023-12-31"), 0),
            (date("2021"), 0),
            (date("2024-03"), 0),
            (date("2025"), 0),
            (None, 0),
            (date("2024-02"), 0),
        ],
        1,
        &bounds,
    );
    assert_eq!(
        bars,
        vec![
            (Slot::Before, vec![2]),
            (Slot::Period(2024, 1), vec![0]),
            (Slot::Period(2024, 2), vec![1]),
            (Slot::After, vec![2]),
            (Slot::Undated, vec![1]),
        ]
    );
    let total: usize = bars.iter().flat_map(|(_, c)| c).sum();
    assert_eq!(total, 6, "every entry is in exactly one bar");
}

#[test]
fn a_year_only_entry_in_the_bounds_years_stays_inside() {
    // `from: 2024-06`: an entry of "2024" may be from any month, so it keeps its year's bar.
    let bounds = monthly("2024-06", "2024-06");
    assert_eq!(bounds.slot(date("2024")), Slot::Period(2024, YEAR_ONLY));
    assert_eq!(bounds.slot(date("2023")), Slot::Before);
    assert_eq!(bounds.slot(date("2024-05")), Slot::Before);
    assert_eq!(bounds.slot(date("2024-07-01")), Slot::After);
}

#[test]
fn yearly_bars_count_every_date_of_the_year() {
    let bounds = Bounds {
        by: Period::Year,
        from: None,
        to: None,
    };
    let bars = time_bars(
        [
            (date("2022-05"), 0),
            (date("2024"), 1),
            (date("2024-02-03"), 0),
        ],
        2,
        &bounds,
    );
    assert_eq!(
        bars,
        vec![
            (Slot::Period(2022, 0), vec![1, 0]),
            (Slot::Period(2023, 0), vec![0, 0]),
            (Slot::Period(2024, 0), vec![1, 1]),
        ]
    );
}

#[test]
fn stacking_counts_each_entry_in_its_part_and_out_of_range_parts_in_the_last() {
    let bounds = monthly("2024-01", "2024-01");
    let bars = time_bars(
        [
            (date("2024-01"), 0),
            (date("2024-01"), 2),
            (date("2024-01"), 2),
            (date("2024-01"), 9),
        ],
        3,
        &bounds,
    );
    assert_eq!(bars, vec![(Slot::Period(2024, 1), vec![1, 0, 3])]);
}

fn keys(list: &[&[&str]]) -> Vec<Vec<String>> {
    (list.iter())
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn terms_are_ranked_by_count_with_ties_in_vocabulary_order_and_the_rest_summed() {
    let entries = keys(&[&["ct", "mri"], &["xray"], &["mri"], &["us", "ct"], &["pet"]]);
    let order = ["xray", "ct", "mri", "us", "pet"];
    let bars = term_bars(entries.iter().map(Vec::as_slice), &order, true, Some(2));
    assert_eq!(
        bars,
        vec![
            (TermBar::Term("ct".into()), 2),
            (TermBar::Term("mri".into()), 2),
            (TermBar::Rest(3), 3),
        ]
    );
}

#[test]
fn without_top_or_ranking_every_term_keeps_its_order() {
    let entries = keys(&[&["no"], &["yes"], &["yes"], &["unknown"]]);
    let order = ["yes", "no", "unknown"];
    let bars = term_bars(entries.iter().map(Vec::as_slice), &order, false, None);
    let labels: Vec<(TermBar, usize)> = vec![
        (TermBar::Term("yes".into()), 2),
        (TermBar::Term("no".into()), 1),
        (TermBar::Term("unknown".into()), 1),
    ];
    assert_eq!(bars, labels);
}

#[test]
fn free_terms_follow_the_vocabulary_by_name() {
    let entries = keys(&[&["Nature"], &["ICCV"], &["ICCV"]]);
    let bars = term_bars(entries.iter().map(Vec::as_slice), &[], true, None);
    assert_eq!(
        bars,
        vec![
            (TermBar::Term("ICCV".into()), 2),
            (TermBar::Term("Nature".into()), 1)
        ]
    );
}

#[test]
fn the_axis_has_at_most_five_round_ticks() {
    assert_eq!(ticks(0), (1, 1));
    assert_eq!(ticks(4), (1, 4));
    assert_eq!(ticks(9), (2, 10));
    assert_eq!(ticks(28), (10, 30));
    assert_eq!(ticks(65), (20, 80));
    assert_eq!(ticks(240), (50, 250));
}

#[test]
fn long_labels_wrap_on_two_lines_then_shorten() {
    assert_eq!(wrap("CT", 150.0), ["CT"]);
    assert_eq!(
        wrap("Stimulated Raman histology", 150.0),
        ["Stimulated Raman", "histology"]
    );
    let cjk = wrap(
        "中国科学院深圳先进技术研究院与香港中文大学联合实验室",
        150.0,
    );
    assert_eq!(cjk.len(), 2);
    assert!(cjk[1].ends_with('…'), "{cjk:?}");
    assert!(cjk.iter().all(|l| svg_width(l) <= 150.0), "{cjk:?}");
}

fn svg_width(text: &str) -> f64 {
    crate::view::lineage::svg::text_width(text)
}

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(query_value("2024-xx"), "2024-xx");
    assert_eq!(query_value("Nature Medicine"), "Nature%20Medicine");
    assert_eq!(query_value("a&b"), "a%26b");
}
