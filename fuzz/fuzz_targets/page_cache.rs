//! Fuzz target `page_cache`: any bytes as a page cache file (`.medfm-cache/pages.bin`). Decoding
//! may refuse them but never panic; an index it accepts encodes back to one that decodes equal
//! (the round trip of `medfm::PageIndex`).
//!
//! Run: `cargo +nightly fuzz run page_cache` (see the README's Fuzzing section).

#![no_main]

use libfuzzer_sys::fuzz_target;
use medfm::PageIndex;

fuzz_target!(|data: &[u8]| {
    let Some(index) = PageIndex::decode(data) else {
        return;
    };
    let records = usize::try_from(index.index_at).expect("the index lies inside the file");
    let mut again = data[..records].to_vec();
    again.extend(index.encode());
    assert_eq!(PageIndex::decode(&again), Some(index));
});
