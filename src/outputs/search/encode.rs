//! The browser form of an index: JavaScript files that assign one JSON literal to a global, so
//! a plain `<script>` tag loads them from `file://` (no `fetch()`, no modules).
//!
//! `search/index.js` holds the page list, the tokens (one string, sorted by UTF-16 code units,
//! front-coded: see [`front_code`]) and the postings (one string per token, space-separated). A
//! posting list is a run of numbers `page-id gap × 8 + score level` (see
//! [`super::index::LEVELS`]), each a little-endian base-32 varint written with the 64 characters
//! of [`ALPHABET`]: digits 0–31 end a number, 32–63 continue it. A posting whose page follows
//! within three of the previous one takes one character.
//! `search/text-<n>.js` holds summaries and body text for snippets, a shard of pages at a time,
//! loaded only for the results on screen.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::index::{
    level, posting, posting_page, posting_score, Posting, Postings, Synonyms, LEVELS,
};

/// Digits of the posting encoding; none needs escaping in a JSON string.
pub(crate) const ALPHABET: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Global the index file assigns.
pub(crate) const INDEX_GLOBAL: &str = "medfmSearchIndex";
/// Global object the text shards add themselves to, by shard number.
pub(crate) const TEXT_GLOBAL: &str = "medfmSearchText";
/// A text shard is closed once it holds this many bytes.
pub(crate) const SHARD_BYTES: usize = 64 * 1024;

/// Appends `n` as a varint.
pub(crate) fn push_varint(out: &mut String, mut n: u32) {
    loop {
        let digit = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[digit] as char);
            return;
        }
        out.push(ALPHABET[digit + 32] as char);
    }
}

/// The numbers of a string of base-32 varints (the inverse of `push_varint`).
fn decode_varints(s: &str) -> Vec<u32> {
    let mut numbers = Vec::new();
    let (mut n, mut shift) = (0u32, 0u32);
    for b in s.bytes() {
        let v = ALPHABET
            .iter()
            .position(|&a| a == b)
            .map_or(0, |v| u32::try_from(v).unwrap_or(0));
        n |= (v & 31) << shift;
        shift += 5;
        if v < 32 {
            numbers.push(n);
            (n, shift) = (0, 0);
        }
    }
    numbers
}

/// Decodes a posting string (the inverse of [`encode_postings`]; used by tests).
pub(crate) fn decode_postings(s: &str) -> Vec<Posting> {
    let mut page = 0;
    (decode_varints(s).into_iter())
        .map(|n| {
            page += n >> 3;
            posting(page, LEVELS[(n & 7) as usize])
        })
        .collect()
}

/// Encodes one posting list (sorted by page id).
pub(crate) fn encode_postings(list: &[Posting], out: &mut String) {
    let mut prev = 0;
    for &p in list {
        let page = posting_page(p);
        push_varint(
            out,
            ((page - prev) << 3) | u32::from(level(posting_score(p))),
        );
        prev = page;
    }
}

/// What the results page shows of a page before its snippet loads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRow(
    /// URL relative to the language root.
    pub String,
    /// Title.
    pub String,
    /// Index of the kind label in `labels`.
    pub usize,
    /// Index of the strand label in `labels`, or -1.
    pub i64,
    /// For each facet, the index of the page's term in its values, -1 for none, or a list
    /// when it has several (see [`facet_values`]).
    pub Vec<serde_json::Value>,
);

/// The facet values of a page as [`PageRow`] holds them: one index as a number, none as -1,
/// several as a list.
pub(crate) fn facet_values(values: Vec<Vec<u16>>) -> Vec<serde_json::Value> {
    values
        .into_iter()
        .map(|v| match v.as_slice() {
            [] => serde_json::Value::from(-1),
            [one] => serde_json::Value::from(*one),
            _ => serde_json::Value::from(v),
        })
        .collect()
}

/// A category (term page): its page id follows those of `pages`; its URL is its taxonomy's
/// folder, its slug and `.html`; its number of entries, that of its page ids.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CategoryRow(
    /// Index of its taxonomy in `taxonomies`.
    pub usize,
    /// The term page's file name without `.html`.
    pub String,
    /// The term's label.
    pub String,
    /// Page ids of the entries, ascending, as varints of the gaps (see [`encode_ids`]).
    pub String,
);

/// A taxonomy of the categories: the folder of its pages (relative to the language root)
/// and its label.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonomyRow(pub String, pub String);

/// Page ids as varints of their gaps, ascending.
pub(crate) fn encode_ids(ids: &[u32]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.len() * 2);
    let mut prev = 0;
    for id in sorted {
        push_varint(&mut out, id - prev);
        prev = id;
    }
    out
}

/// The inverse of [`encode_ids`].
pub(crate) fn decode_ids(s: &str) -> Vec<u32> {
    let mut prev = 0;
    (decode_varints(s).into_iter())
        .map(|n| {
            prev += n;
            prev
        })
        .collect()
}

/// The JSON literal of `search/index.js`.
#[derive(Debug, Serialize)]
pub(crate) struct IndexFile<'a> {
    /// Format version.
    pub(crate) v: u32,
    /// Language code.
    pub(crate) lang: &'a str,
    /// Kind and strand labels, referenced by index from `pages`.
    pub(crate) labels: Vec<String>,
    /// One row per page id.
    pub(crate) pages: Vec<PageRow>,
    /// The taxonomies of the categories.
    pub(crate) taxonomies: Vec<TaxonomyRow>,
    /// One row per category, page ids following those of `pages`.
    pub(crate) categories: Vec<CategoryRow>,
    /// The filters of the results page.
    pub(crate) facets: Vec<super::facets::Facet>,
    /// First page id of each text shard.
    pub(crate) shards: Vec<u32>,
    /// Normalised query synonyms.
    pub(crate) synonyms: &'a BTreeMap<String, Vec<String>>,
    /// Sorted tokens, front-coded.
    pub(crate) tokens: String,
    /// Encoded posting lists, space-separated, in token order.
    pub(crate) postings: String,
}

/// Front-codes sorted tokens: each is written as one digit, the number of UTF-16 code units
/// it shares with the previous token (at most 9, never splitting a character), then the rest;
/// tokens are separated by spaces. `胸`, `胸部`, `胸片` become `0胸 1部 1片`.
pub(crate) fn front_code(tokens: &[String]) -> String {
    let mut out = String::with_capacity(tokens.iter().map(|t| t.len() + 2).sum());
    let mut prev = "";
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let (mut units, mut bytes) = (0, 0);
        for (a, b) in prev.chars().zip(t.chars()) {
            if a != b || units + a.len_utf16() > 9 {
                break;
            }
            units += a.len_utf16();
            bytes += a.len_utf8();
        }
        // At most 9 units (checked above): one decimal digit.
        out.push(char::from_digit(u32::try_from(units).unwrap_or(0), 10).unwrap_or('0'));
        out.push_str(&t[bytes..]);
        prev = t;
    }
    out
}

/// The inverse of [`front_code`] (used by tests).
pub(crate) fn front_decode(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(' ').filter(|i| !i.is_empty()) {
        let shared = usize::from(item.as_bytes()[0] - b'0');
        let prev: Vec<u16> = out
            .last()
            .map(|p| p.encode_utf16().take(shared).collect())
            .unwrap_or_default();
        out.push(String::from_utf16_lossy(&prev) + &item[1..]);
    }
    out
}

/// The token and posting strings of an index.
pub(crate) fn token_strings(p: &Postings) -> (String, String) {
    let tokens = front_code(&p.tokens);
    let mut postings = String::with_capacity(p.lists.iter().map(|l| l.len() * 2 + 1).sum());
    for (i, list) in p.lists.iter().enumerate() {
        if i > 0 {
            postings.push(' ');
        }
        encode_postings(list, &mut postings);
    }
    (tokens, postings)
}

/// `window.<global>=<json>;` with a trailing newline.
pub(crate) fn script(file: &IndexFile<'_>) -> serde_json::Result<String> {
    Ok(format!(
        "window.{INDEX_GLOBAL}={};\n",
        serde_json::to_string(file)?
    ))
}

/// Splits `(summary, text)` pairs into shards of about [`SHARD_BYTES`]: returns each shard's
/// first page id and its script.
pub(crate) fn text_shards(texts: &[(String, String)]) -> serde_json::Result<Vec<(u32, String)>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (summary, text)) in texts.iter().enumerate() {
        bytes += summary.len() + text.len();
        if bytes >= SHARD_BYTES || i + 1 == texts.len() {
            let n = out.len();
            let json = serde_json::to_string(&texts[start..=i])?;
            out.push((
                super::index::page_id(start),
                format!("(window.{TEXT_GLOBAL}=window.{TEXT_GLOBAL}||{{}})[{n}]={json};\n"),
            ));
            start = i + 1;
            bytes = 0;
        }
    }
    Ok(out)
}

/// Reads a `search/index.js` back into postings and synonyms (the inverse of [`script`]), so
/// tests can check that the browser ranks exactly as [`Postings::search`] does.
pub fn read_script(js: &str) -> Result<(Postings, Synonyms), String> {
    type RawPage = (String, String, usize, i64, serde_json::Value);
    #[derive(Deserialize)]
    struct Raw {
        pages: Vec<RawPage>,
        categories: Vec<CategoryRow>,
        synonyms: BTreeMap<String, Vec<String>>,
        tokens: String,
        postings: String,
    }
    let prefix = format!("window.{INDEX_GLOBAL}=");
    let json = js
        .trim_end()
        .strip_prefix(&prefix)
        .and_then(|s| s.strip_suffix(';'))
        .ok_or("not a search index script")?;
    let raw: Raw = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let tokens = front_decode(&raw.tokens);
    let lists = if tokens.is_empty() {
        Vec::new()
    } else {
        raw.postings.split(' ').map(decode_postings).collect()
    };
    let titles = (raw.pages.into_iter().map(|p| p.1))
        .chain(raw.categories.iter().map(|c| c.2.clone()))
        .collect();
    Ok((
        Postings {
            tokens,
            lists,
            titles,
            categories: raw.categories.iter().map(|c| decode_ids(&c.3)).collect(),
        },
        Synonyms::new(&raw.synonyms)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::search::index::posting;

    #[test]
    fn postings_round_trip_and_dense_lists_take_a_character_each() {
        let list = vec![
            posting(0, 1),
            posting(3, 48),
            posting(31, 8),
            posting(40_000, 32),
        ];
        let mut s = String::new();
        encode_postings(&list, &mut s);
        assert_eq!(&s[..2], "0V");
        assert_eq!(decode_postings(&s), list);
        assert!(!s.contains(' ') && !s.contains('"') && !s.contains('\\'));
        let dense: Vec<Posting> = (0..100)
            .map(|p| posting(p, LEVELS[(p % 8) as usize]))
            .collect();
        let mut s = String::new();
        encode_postings(&dense, &mut s);
        assert_eq!(s.len(), 100);
        assert_eq!(decode_postings(&s), dense);
    }

    #[test]
    fn tokens_are_front_coded() {
        let tokens: Vec<String> = [
            "2023",
            "2024",
            "胸",
            "胸部",
            "胸片",
            "𠀀a",
            "𠀀b",
            "segment",
            "segmentation",
        ]
        .map(String::from)
        .into();
        let coded = front_code(&tokens);
        assert!(
            coded.starts_with("02023 34 0胸 1部 1片 0𠀀a 2b "),
            "{coded}"
        );
        assert!(coded.ends_with(" 7ation"), "{coded}");
        assert_eq!(front_decode(&coded), tokens);
    }

    #[test]
    fn scripts_read_back() {
        let postings = Postings::from_unsorted(
            vec![
                ("胸片".into(), vec![posting(1, 8)]),
                ("sam".into(), vec![posting(0, 32), posting(1, 2)]),
            ],
            vec!["SAM".into(), "MedSAM".into()],
        );
        let synonyms = BTreeMap::from([("胸片".to_string(), vec!["胸部 x 光".to_string()])]);
        let (tokens, lists) = token_strings(&postings);
        let pages = vec![
            PageRow(
                "models/sam.html".into(),
                "SAM".into(),
                0,
                -1,
                facet_values(vec![vec![0], vec![], vec![1, 2]]),
            ),
            PageRow("models/medsam.html".into(), "MedSAM".into(), 0, 1, vec![]),
        ];
        let file = IndexFile {
            v: 1,
            lang: "zh",
            labels: vec!["模型".into(), "模态专用".into()],
            pages,
            taxonomies: vec![],
            categories: vec![],
            facets: vec![],
            shards: vec![0],
            synonyms: &synonyms,
            tokens,
            postings: lists,
        };
        let (back, syn) = read_script(&script(&file).unwrap()).unwrap();
        assert_eq!(
            (back.tokens, back.lists, back.titles),
            (postings.tokens, postings.lists, postings.titles)
        );
        assert_eq!(syn.table(), &synonyms);
    }

    #[test]
    fn shards_split_by_size() {
        let big = "字".repeat(SHARD_BYTES / 3 + 1);
        let texts = vec![
            ("a".into(), big.clone()),
            ("b".into(), "x".into()),
            ("c".into(), big),
            ("d".into(), "y".into()),
        ];
        let shards = text_shards(&texts).unwrap();
        assert_eq!(shards.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1, 3]);
        assert!(shards[1].1.starts_with(
            "(window.medfmSearchText=window.medfmSearchText||{})[1]=[[\"b\",\"x\"],[\"c\""
        ));
    }
}
