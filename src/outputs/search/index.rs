//! The inverted index of one language: every token with the pages that contain it and a small
//! score per page that says where on the page the token was found (title, alias, term, heading,
//! summary, body). Term pages are *categories*: indexed under their labels in every language and
//! their vocabulary aliases, listed before the other results, and each lends a share of its
//! score to its entries, so a query in one language finds entries through the term labels of
//! another. Also the reference query algorithm that `search.js` (src/outputs/assets/) mirrors,
//! so the ranking can be unit-tested in Rust.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use super::tokenize::{for_each_token, normalize, query_tokens, QueryToken};

/// Where on a page a token was found. Each field adds its weight once; the body adds one per
/// occurrence, up to [`BODY_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The page title.
    Title,
    /// Other names of a work and its expanded name.
    Alias,
    /// Taxonomy and vocabulary labels (kind, strand, theme, modality, organ, task), venue,
    /// institutions, arXiv id.
    Term,
    /// Section headings.
    Heading,
    /// Summary, headline result, data scale, paper title.
    Summary,
    /// The body text.
    Body,
}

impl Field {
    /// The score a token earns by occurring in this field.
    pub(crate) const fn weight(self) -> u8 {
        match self {
            Field::Title => 32,
            Field::Alias => 16,
            Field::Term => 8,
            Field::Heading | Field::Summary => 4,
            Field::Body => 1,
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Field::Title => 1,
            Field::Alias => 2,
            Field::Term => 4,
            Field::Heading => 8,
            Field::Summary => 16,
            Field::Body => 0,
        }
    }
}

/// Most score a token earns from repeated body occurrences.
pub(crate) const BODY_CAP: u8 = 8;
/// Bonus for a page whose title equals the whole query.
pub(crate) const EXACT_TITLE_BONUS: u32 = 64;
/// What a synonym match scores, in percent of a literal match.
pub(crate) const SYNONYM_PERCENT: u32 = 75;
/// An entry of a matching category scores the category's score divided by this (a label in
/// the page's language, 32, lends 8: what the label earns on the entry's own page).
pub(crate) const CATEGORY_SHARE: u32 = 4;
/// Field bits in the order of [`Field::bit`], for summing weights.
const WEIGHTED: [Field; 5] = [
    Field::Title,
    Field::Alias,
    Field::Term,
    Field::Heading,
    Field::Summary,
];

/// FNV-1a: a fast, deterministic hash for the short token strings of an index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by tokens, hashed with [`Fnv`].
pub(crate) type TokenMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The distinct tokens of one page with their scores (unsorted).
pub(crate) fn page_terms<'a>(
    fields: impl IntoIterator<Item = (Field, &'a str)>,
) -> Vec<(String, u8)> {
    let mut seen: TokenMap<String, (u8, u8)> = TokenMap::default();
    for (field, text) in fields {
        for_each_token(text, |t| {
            let entry = match seen.get_mut(t) {
                Some(e) => e,
                None => seen.entry(t.to_string()).or_default(),
            };
            entry.0 |= field.bit();
            if field == Field::Body {
                entry.1 = entry.1.saturating_add(1).min(BODY_CAP);
            }
        });
    }
    seen.into_iter()
        .map(|(t, (bits, body))| (t, score(bits, body)))
        .collect()
}

fn score(bits: u8, body: u8) -> u8 {
    let sum = WEIGHTED
        .iter()
        .filter(|f| bits & f.bit() != 0)
        .map(|f| f.weight())
        .sum::<u8>()
        + body;
    quantize(sum)
}

/// The scores a posting can hold (three bits, so that a posting with a small page gap fits in
/// one character of the browser index): a token's summed field weights are rounded down to one.
pub(crate) const LEVELS: [u8; 8] = [1, 2, 3, 5, 8, 16, 32, 48];

/// `score` rounded down to one of the [`LEVELS`].
pub(crate) fn quantize(score: u8) -> u8 {
    LEVELS[usize::from(level(score))]
}

/// The index in [`LEVELS`] of the level `score` rounds down to.
pub(crate) fn level(score: u8) -> u8 {
    let at = LEVELS.iter().rposition(|&l| l <= score).unwrap_or(0);
    u8::try_from(at).unwrap_or(u8::MAX)
}

/// A posting: page id in the high bits, score in the low byte.
pub(crate) type Posting = u32;

/// Page ids take the 24 high bits of a posting.
pub(crate) const MAX_PAGES: usize = 1 << 24;

/// The id of the `i`-th page of an index. Panics past [`MAX_PAGES`] (a site 1,000 times the size
/// of the real one), where postings could no longer tell pages apart.
pub(crate) fn page_id(i: usize) -> u32 {
    assert!(
        i < MAX_PAGES,
        "the search index holds at most {MAX_PAGES} pages"
    );
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A posting: page id in the high 24 bits, score in the low 8.
pub(crate) fn posting(page: u32, score: u8) -> Posting {
    (page << 8) | u32::from(score)
}

/// The page id of a posting.
pub(crate) fn posting_page(p: Posting) -> u32 {
    p >> 8
}

/// The score of a posting.
pub(crate) fn posting_score(p: Posting) -> u8 {
    (p & 0xFF) as u8
}

/// Compares strings as JavaScript does (by UTF-16 code units), so both sides agree on order.
pub(crate) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The searchable part of an index: sorted tokens and their postings, plus page titles.
#[derive(Debug, Clone, Default)]
pub struct Postings {
    /// Tokens, sorted by UTF-16 code units.
    pub tokens: Vec<String>,
    /// For each token, its postings sorted by page id.
    pub lists: Vec<Vec<Posting>>,
    /// Title of each page id (for the exact-title bonus).
    pub titles: Vec<String>,
    /// The categories, the last page ids: for each, the page ids of its entries.
    pub categories: Vec<Vec<u32>>,
}

/// A page found by a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Page id.
    pub page: u32,
    /// Total score.
    pub score: u32,
}

impl Postings {
    /// Builds from `(token, postings)` pairs in any order.
    pub fn from_unsorted(entries: Vec<(String, Vec<Posting>)>, titles: Vec<String>) -> Postings {
        let mut entries = entries;
        entries.sort_unstable_by(|a, b| cmp_utf16(&a.0, &b.0));
        let (tokens, lists) = entries
            .into_iter()
            .map(|(t, mut list)| {
                list.sort_unstable();
                (t, list)
            })
            .unzip();
        Postings {
            tokens,
            lists,
            titles,
            categories: Vec::new(),
        }
    }

    /// The first category's page id.
    pub fn first_category(&self) -> u32 {
        page_id(self.titles.len().saturating_sub(self.categories.len()))
    }

    /// Builds from per-page terms, page ids being positions in `pages` (for tests and tools).
    pub fn from_pages(pages: &[(String, Vec<(String, u8)>)]) -> Postings {
        let mut map: HashMap<String, Vec<Posting>> = HashMap::new();
        for (id, (_, terms)) in pages.iter().enumerate() {
            for (t, s) in terms {
                map.entry(t.clone())
                    .or_default()
                    .push(posting(page_id(id), *s));
            }
        }
        Postings::from_unsorted(
            map.into_iter().collect(),
            pages.iter().map(|p| p.0.clone()).collect(),
        )
    }

    /// Pages matching `query`: categories first, then best first (ties by page id). Every
    /// whitespace-separated term (or one of its synonyms, or a category it matches) must
    /// match; see [`Synonyms::groups`].
    pub fn search(&self, query: &str, synonyms: &Synonyms) -> Vec<Hit> {
        let mut total: Option<HashMap<u32, u32>> = None;
        for group in synonyms.groups(query) {
            let mut scores = self.group_scores(&group);
            self.lend_to_entries(&mut scores);
            total = Some(match total {
                None => scores,
                Some(prev) => prev
                    .into_iter()
                    .filter_map(|(p, s)| scores.get(&p).map(|g| (p, s + g)))
                    .collect(),
            });
        }
        let wanted = normalize(query);
        let mut hits: Vec<Hit> = total
            .unwrap_or_default()
            .into_iter()
            .map(|(page, score)| {
                let exact = self
                    .titles
                    .get(page as usize)
                    .is_some_and(|t| normalize(t) == wanted);
                Hit {
                    page,
                    score: score + if exact { EXACT_TITLE_BONUS } else { 0 },
                }
            })
            .collect();
        let first = self.first_category();
        hits.sort_by(|a, b| {
            (b.page >= first)
                .cmp(&(a.page >= first))
                .then(b.score.cmp(&a.score))
                .then(a.page.cmp(&b.page))
        });
        hits
    }

    /// Gives each entry of a matching category [`CATEGORY_SHARE`] of the category's score,
    /// unless it scored more on its own.
    fn lend_to_entries(&self, scores: &mut HashMap<u32, u32>) {
        let first = self.first_category();
        let lent: Vec<(u32, u32)> = (scores.iter())
            .filter(|(&page, _)| page >= first)
            .flat_map(|(&cat, &s)| {
                let entries = &self.categories[(cat - first) as usize];
                entries.iter().map(move |&e| (e, s / CATEGORY_SHARE))
            })
            .collect();
        for (entry, s) in lent.into_iter().filter(|(_, s)| *s > 0) {
            let e = scores.entry(entry).or_default();
            *e = (*e).max(s);
        }
    }

    /// Best score per page over the alternatives of one query term; a synonym scores
    /// [`SYNONYM_PERCENT`] of what the term itself would.
    fn group_scores(&self, alternatives: &[String]) -> HashMap<u32, u32> {
        let mut best: HashMap<u32, u32> = HashMap::new();
        for (n, phrase) in alternatives.iter().enumerate() {
            for (page, s) in self.phrase_scores(phrase) {
                let s = if n == 0 { s } else { s * SYNONYM_PERCENT / 100 };
                let e = best.entry(page).or_default();
                *e = (*e).max(s);
            }
        }
        best
    }

    /// Pages holding every token of `phrase`, with the mean of the token scores (so phrases of
    /// different lengths compare fairly).
    fn phrase_scores(&self, phrase: &str) -> HashMap<u32, u32> {
        let tokens = query_tokens(phrase);
        let mut acc: Option<HashMap<u32, u32>> = None;
        for token in &tokens {
            let scores = self.token_scores(token);
            acc = Some(match acc {
                None => scores,
                Some(prev) => prev
                    .into_iter()
                    .filter_map(|(p, s)| scores.get(&p).map(|t| (p, s + t)))
                    .collect(),
            });
        }
        let n = u32::try_from(tokens.len().max(1)).unwrap_or(u32::MAX);
        acc.unwrap_or_default()
            .into_iter()
            .map(|(p, s)| (p, s / n))
            .collect()
    }

    /// Score per page of one token: exact matches score in full, words also match as a prefix
    /// of longer words at half the score.
    fn token_scores(&self, token: &QueryToken) -> HashMap<u32, u32> {
        let t = token.as_str();
        let start = self
            .tokens
            .partition_point(|x| cmp_utf16(x, t) == Ordering::Less);
        let mut out: HashMap<u32, u32> = HashMap::new();
        for (i, indexed) in self.tokens.iter().enumerate().skip(start) {
            let exact = indexed == t;
            let prefix = matches!(token, QueryToken::Word(_)) && indexed.starts_with(t);
            if !(exact || prefix) {
                break;
            }
            for &p in &self.lists[i] {
                let s = u32::from(posting_score(p));
                let s = if exact { s } else { (s / 2).max(1) };
                let e = out.entry(posting_page(p)).or_default();
                *e = (*e).max(s);
            }
        }
        out
    }
}

/// Query synonyms of one language: a query term also finds what its alternatives find.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: BTreeMap<String, Vec<String>>,
}

impl Synonyms {
    /// From `term → alternatives` as written in `site.yaml`; keys are normalised. A key with a
    /// space is refused (query terms are split at spaces before lookup).
    pub fn new(table: &BTreeMap<String, Vec<String>>) -> Result<Synonyms, String> {
        let mut map = BTreeMap::new();
        for (key, alternatives) in table {
            let k = normalize(key);
            if k.is_empty() || k.contains(' ') {
                return Err(format!("synonym `{key}` must be one term without spaces"));
            }
            map.insert(
                k,
                alternatives
                    .iter()
                    .map(|a| normalize(a))
                    .filter(|a| !a.is_empty())
                    .collect(),
            );
        }
        Ok(Synonyms { map })
    }

    /// The normalised table (written into the browser index).
    pub fn table(&self) -> &BTreeMap<String, Vec<String>> {
        &self.map
    }

    /// The query as groups of alternative phrases: one group per whitespace-separated term (a
    /// synonym key written inside a longer CJK term is split out first), holding the term and
    /// its synonyms. Terms without any token are dropped.
    pub fn groups(&self, query: &str) -> Vec<Vec<String>> {
        let mut q = normalize(query);
        for key in self
            .map
            .keys()
            .filter(|k| k.chars().all(super::tokenize::is_cjk))
        {
            if q.contains(key.as_str()) {
                q = q.replace(key.as_str(), &format!(" {key} "));
            }
        }
        q.split_whitespace()
            .filter(|term| !query_tokens(term).is_empty())
            .map(|term| {
                let mut alts = vec![term.to_string()];
                alts.extend(self.map.get(term).into_iter().flatten().cloned());
                alts
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, fields: &[(Field, &str)]) -> (String, Vec<(String, u8)>) {
        let all = std::iter::once((Field::Title, title)).chain(fields.iter().copied());
        (title.to_string(), page_terms(all))
    }

    fn ranked(postings: &Postings, query: &str, synonyms: &Synonyms) -> Vec<String> {
        postings
            .search(query, synonyms)
            .iter()
            .map(|h| postings.titles[h.page as usize].clone())
            .collect()
    }

    fn corpus() -> Postings {
        Postings::from_pages(&[
            page("SAM", &[(Field::Body, "Segment anything. 通用分割模型。")]),
            page(
                "MedSAM",
                &[
                    (Field::Alias, "Segment anything in medical images"),
                    (Field::Body, "MedSAM 把 SAM 用于医学图像分割。"),
                ],
            ),
            page(
                "UNI",
                &[
                    (Field::Term, "病理切片"),
                    (Field::Body, "UNI 是病理基础模型。"),
                ],
            ),
            page(
                "Survey",
                &[(
                    Field::Body,
                    "MedSAM MedSAM MedSAM 病理 病理 超声 ultrasound models",
                )],
            ),
            page(
                "USFM",
                &[
                    (Field::Alias, "超声通用基础模型"),
                    (Field::Term, "Ultrasound 超声"),
                ],
            ),
            page(
                "CXR-LT",
                &[
                    (Field::Term, "X 光 胸部（肺）"),
                    (Field::Body, "长尾胸部 X 光分类"),
                ],
            ),
        ])
    }

    #[test]
    fn scores_weigh_fields_cap_the_body_and_round_down_to_levels() {
        let terms = |fields: &[(Field, &str)]| -> HashMap<String, u8> {
            page_terms(fields.iter().copied()).into_iter().collect()
        };
        let body = "medsam ".repeat(20);
        assert_eq!(terms(&[(Field::Body, &body)])["medsam"], BODY_CAP);
        assert_eq!(
            terms(&[(Field::Title, "MedSAM"), (Field::Body, &body)])["medsam"],
            32
        );
        assert_eq!(
            terms(&[(Field::Title, "MedSAM"), (Field::Alias, "MedSAM")])["medsam"],
            48
        );
        assert_eq!(
            terms(&[(Field::Alias, "超声"), (Field::Term, "超声")])["超声"],
            16
        );
        assert_eq!(
            terms(&[(Field::Heading, "超声"), (Field::Body, "超声")])["超声"],
            5
        );
        assert_eq!(
            (quantize(0), quantize(4), quantize(47), quantize(255)),
            (1, 3, 32, 48)
        );
    }

    #[test]
    fn title_and_alias_matches_outrank_body_matches() {
        let p = corpus();
        let none = Synonyms::default();
        assert_eq!(ranked(&p, "MedSAM", &none), ["MedSAM", "Survey"]);
        assert_eq!(ranked(&p, "超声", &none), ["USFM", "Survey"]);
        assert_eq!(ranked(&p, "病理", &none), ["UNI", "Survey"]);
        assert_eq!(ranked(&p, "ultrasound", &none), ["USFM", "Survey"]);
    }

    #[test]
    fn words_match_as_prefixes_and_mixed_queries_need_every_term() {
        let p = corpus();
        let none = Synonyms::default();
        assert_eq!(ranked(&p, "SAM 分割", &none), ["SAM", "MedSAM"]);
        assert_eq!(ranked(&p, "segm", &none), ["MedSAM", "SAM"]);
        assert_eq!(ranked(&p, "model", &none), ["Survey"]);
        assert!(ranked(&p, "SAM 超声", &none).is_empty());
        assert!(ranked(&p, "，", &none).is_empty());
    }

    #[test]
    fn synonyms_widen_a_term_without_hiding_literal_matches() {
        let p = corpus();
        let table = BTreeMap::from([("胸片".to_string(), vec!["胸部 X 光".to_string()])]);
        let synonyms = Synonyms::new(&table).unwrap();
        assert!(ranked(&p, "胸片", &Synonyms::default()).is_empty());
        assert_eq!(ranked(&p, "胸片", &synonyms), ["CXR-LT"]);
        assert_eq!(ranked(&p, "胸片分类", &synonyms), ["CXR-LT"]);
        let table = BTreeMap::from([("cxr".to_string(), vec!["胸部 X 光".to_string()])]);
        let p = Postings::from_pages(&[
            page("Chest survey", &[(Field::Term, "X 光 胸部 胸部")]),
            page("CXR-LT", &[(Field::Body, "CXR")]),
        ]);
        assert_eq!(
            ranked(&p, "cxr", &Synonyms::new(&table).unwrap()),
            ["CXR-LT", "Chest survey"]
        );
        assert_eq!(
            synonyms.groups("胸片分类"),
            [
                vec!["胸片".to_string(), "胸部 x 光".to_string()],
                vec!["分类".to_string()]
            ]
        );
        let bad = BTreeMap::from([("chest x-ray".to_string(), vec![])]);
        assert!(Synonyms::new(&bad).is_err());
    }

    #[test]
    fn tokens_sort_like_javascript_strings() {
        assert_eq!(cmp_utf16("\u{FF21}", "\u{20000}"), Ordering::Greater);
        assert_eq!("\u{FF21}".cmp("\u{20000}"), Ordering::Less);
    }
}
