//! The layout of the page cache file (`.medfm-cache/pages.bin`, see [`super::incremental`]):
//! the records (raw bytes), then an index — per page and language, its source path, body hash
//! and where its print piece and search document lie — then a trailer: the index offset, the
//! folder key, the front-matter key and an end mark. Encoding and decoding are pure and kept here together, so a round
//! trip is tested (and fuzzed: `fuzz/fuzz_targets/page_cache.rs`) without a file; decoding
//! trusts nothing it reads.

use crate::base::record::{push_field, push_u64, take_field, take_u64};

/// First bytes of a page cache file; bump the digit when the layout changes.
pub(crate) const MAGIC: &[u8; 8] = b"MEDFMPC3";
/// Last bytes of a complete page cache file, after its index offset and keys.
const END: &[u8; 8] = b"MEDFMEND";
/// Bytes of the trailer: the index offset, the folder key, the front-matter key and [`END`].
pub(crate) const TRAILER_LEN: u64 = 32;

/// Where one piece of a record lies in the cache file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// Offset from the start of the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
}

impl Span {
    /// The offset just past the piece (`None` if it overflows).
    pub(crate) fn end(self) -> Option<u64> {
        self.offset.checked_add(self.len)
    }
}

/// One page's record in one language: the hash of the body it was made from, where its print
/// piece lies (empty when it has none) and where its search document lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Hash of the page body the record was made from.
    pub body_key: u64,
    /// The page's piece of the print view.
    pub print: Span,
    /// The page's search document.
    pub search: Span,
}

/// One line of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Language code.
    pub lang: String,
    /// Source path of the page (`models/x.md`).
    pub source: String,
    /// Where its record lies.
    pub slot: Slot,
}

/// The index and trailer of a page cache file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageIndex {
    /// Every record the index points at, in the order written.
    pub entries: Vec<IndexEntry>,
    /// Where the index starts, just past the records.
    pub index_at: u64,
    /// The key of the folder whose site the cache describes.
    pub folder: u64,
    /// The key of that site's front matter (every content file's).
    pub front_matter: u64,
}

impl PageIndex {
    /// The index and trailer as they end the file.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        push_u64(&mut out, self.entries.len() as u64);
        for e in &self.entries {
            push_field(&mut out, &e.lang);
            push_field(&mut out, &e.source);
            let s = e.slot;
            for n in [
                s.body_key,
                s.print.offset,
                s.print.len,
                s.search.offset,
                s.search.len,
            ] {
                push_u64(&mut out, n);
            }
        }
        push_u64(&mut out, self.index_at);
        push_u64(&mut out, self.folder);
        push_u64(&mut out, self.front_matter);
        out.extend_from_slice(END);
        out
    }

    /// The index of a whole cache file, if it is complete and consistent.
    pub fn decode(file: &[u8]) -> Option<PageIndex> {
        let size = file.len() as u64;
        if !file.starts_with(MAGIC) {
            return None;
        }
        let trailer_at = usize::try_from(size.checked_sub(TRAILER_LEN)?).ok()?;
        let Trailer {
            index_at,
            folder,
            front_matter,
        } = decode_trailer(&file[trailer_at..])?;
        let index = file.get(usize::try_from(index_at).ok()?..trailer_at)?;
        let entries = decode_entries(index, index_at)?;
        Some(PageIndex {
            entries,
            index_at,
            folder,
            front_matter,
        })
    }
}

/// What the trailer of a cache file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trailer {
    /// Where the index starts.
    pub(crate) index_at: u64,
    /// The folder key.
    pub(crate) folder: u64,
    /// The front-matter key.
    pub(crate) front_matter: u64,
}

/// What a trailer says, if it ends with the end mark.
pub(crate) fn decode_trailer(trailer: &[u8]) -> Option<Trailer> {
    let mut rest = trailer;
    let index_at = take_u64(&mut rest)?;
    let folder = take_u64(&mut rest)?;
    let front_matter = take_u64(&mut rest)?;
    (rest == END).then_some(Trailer {
        index_at,
        folder,
        front_matter,
    })
}

/// The entries of an index starting at `index_at`, whose records must all lie before it.
pub(crate) fn decode_entries(index: &[u8], index_at: u64) -> Option<Vec<IndexEntry>> {
    let mut rest = index;
    let count = usize::try_from(take_u64(&mut rest)?).ok()?;
    // Each entry takes at least 56 bytes: a bogus count cannot reserve much.
    let mut entries = Vec::with_capacity(count.min(rest.len() / 56));
    for _ in 0..count {
        let (lang, source) = (take_field(&mut rest)?, take_field(&mut rest)?);
        let mut n = || take_u64(&mut rest);
        let slot = Slot {
            body_key: n()?,
            print: Span {
                offset: n()?,
                len: n()?,
            },
            search: Span {
                offset: n()?,
                len: n()?,
            },
        };
        if slot.print.end()? > index_at || slot.search.end()? > index_at {
            return None;
        }
        entries.push(IndexEntry { lang, source, slot });
    }
    rest.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(index: &PageIndex, records: &[u8]) -> Vec<u8> {
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(records);
        file.extend(index.encode());
        file
    }

    fn example() -> PageIndex {
        let span = |offset, len| Span { offset, len };
        PageIndex {
            entries: vec![
                IndexEntry {
                    lang: "zh".into(),
                    source: "models/医学.md".into(),
                    slot: Slot {
                        body_key: 7,
                        print: span(8, 3),
                        search: span(11, 5),
                    },
                },
                IndexEntry {
                    lang: "en".into(),
                    source: "about.md".into(),
                    slot: Slot {
                        body_key: u64::MAX,
                        print: span(16, 0),
                        search: span(16, 4),
                    },
                },
            ],
            index_at: 20,
            folder: 42,
            front_matter: 9,
        }
    }

    #[test]
    fn an_index_round_trips() {
        let index = example();
        let file = file_with(&index, b"abcdefghijkl");
        assert_eq!(PageIndex::decode(&file), Some(index));
        let empty = PageIndex {
            index_at: 8,
            ..PageIndex::default()
        };
        assert_eq!(PageIndex::decode(&file_with(&empty, b"")), Some(empty));
    }

    #[test]
    fn damaged_files_are_refused() {
        let index = example();
        let file = file_with(&index, b"abcdefghijkl");
        for cut in 0..file.len() {
            assert_eq!(PageIndex::decode(&file[..cut]), None, "cut at {cut}");
        }
        let mut foreign = file;
        foreign[0] = b'X';
        assert_eq!(PageIndex::decode(&foreign), None, "magic");
        let mut past = index.clone();
        past.entries[0].slot.search.len = 100;
        assert_eq!(PageIndex::decode(&file_with(&past, b"abcdefghijkl")), None);
        let mut overflow = index;
        overflow.entries[1].slot.print.offset = u64::MAX;
        overflow.entries[1].slot.print.len = 2;
        assert_eq!(
            PageIndex::decode(&file_with(&overflow, b"abcdefghijkl")),
            None
        );
    }
}
