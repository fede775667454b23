//! The search tokenizer, shared by the index builder and (mirrored line for line) by
//! `search.js` (src/outputs/assets/): Han, kana and Hangul text becomes single characters plus overlapping
//! character bigrams; everything else alphanumeric becomes lower-cased words.
//!
//! Both sides fold full-width ASCII (`ＳＡＭ`) to ASCII and lower-case one character at a time, so a
//! query tokenizes exactly like the text it should find.

/// Words longer than this (in characters) are not indexed: they are hashes, URLs or junk.
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// A token of a query: what to look up in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryToken {
    /// A lower-cased word, matched exactly or as the prefix of an indexed word.
    Word(String),
    /// A CJK unigram or bigram, matched exactly.
    Cjk(String),
}

impl QueryToken {
    /// The token text.
    pub fn as_str(&self) -> &str {
        match self {
            QueryToken::Word(s) | QueryToken::Cjk(s) => s,
        }
    }
}

/// True for characters indexed as unigrams and bigrams: CJK ideographs (with extensions and
/// compatibility forms), `〇`, kana and Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x3134F)
}

/// Full-width ASCII (`Ａ`, `１`) as plain ASCII; every other character unchanged.
pub(crate) fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Calls `emit` with every token of `text`, in order: words, then for each CJK character its
/// unigram and its bigram with the previous CJK character (if adjacent). Tokens repeat.
pub(crate) fn for_each_token(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let mut pair = String::with_capacity(8);
    let mut one = [0u8; 4];
    for c in text.chars().map(fold_width) {
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            emit(c.encode_utf8(&mut one));
            if let Some(p) = prev {
                pair.clear();
                pair.push(p);
                pair.push(c);
                emit(&pair);
            }
            prev = Some(c);
            continue;
        }
        prev = None;
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut emit);
        }
    }
    flush_word(&mut word, &mut emit);
}

fn flush_word(word: &mut String, emit: &mut impl FnMut(&str)) {
    if !word.is_empty() && word.chars().count() <= MAX_WORD_CHARS {
        emit(word);
    }
    word.clear();
}

#[cfg(test)]
/// Every token of `text`, in order, repeats kept (for tests and small inputs).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// The tokens a query phrase must all match: each word, and for each run of CJK characters
/// its bigrams (a lone character stands for itself).
pub fn query_tokens(phrase: &str) -> Vec<QueryToken> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in phrase.chars().map(fold_width) {
        if is_cjk(c) {
            push_word(&mut word, &mut out);
            run.push(c);
        } else {
            push_run(&mut run, &mut out);
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else {
                push_word(&mut word, &mut out);
            }
        }
    }
    push_word(&mut word, &mut out);
    push_run(&mut run, &mut out);
    out.dedup();
    out
}

fn push_word(word: &mut String, out: &mut Vec<QueryToken>) {
    if !word.is_empty() {
        out.push(QueryToken::Word(std::mem::take(word)));
    }
}

fn push_run(run: &mut Vec<char>, out: &mut Vec<QueryToken>) {
    match run.len() {
        0 => {}
        1 => out.push(QueryToken::Cjk(run[0].to_string())),
        _ => out.extend(run.windows(2).map(|w| QueryToken::Cjk(w.iter().collect()))),
    }
    run.clear();
}

/// Lower-cased, width-folded text with runs of whitespace collapsed (to compare a query with a title).
pub(crate) fn normalize(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(fold_width)
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_unigrams_and_bigrams() {
        assert_eq!(
            tokens("病理切片"),
            ["病", "理", "病理", "切", "理切", "片", "切片"]
        );
        assert_eq!(
            tokens("超声。胸片"),
            ["超", "声", "超声", "胸", "片", "胸片"]
        );
    }

    #[test]
    fn latin_becomes_lower_case_words() {
        assert_eq!(
            tokens("MedSAM fine-tunes SAM (2024)."),
            ["medsam", "fine", "tunes", "sam", "2024"]
        );
        assert_eq!(tokens("Ｕｌｔｒａsound ＣＴ"), ["ultrasound", "ct"]);
        assert_eq!(tokens("Virchow’s"), ["virchow", "s"]);
        assert!(tokens(&"x".repeat(MAX_WORD_CHARS + 1)).is_empty());
    }

    #[test]
    fn mixed_text_splits_at_script_changes() {
        assert_eq!(
            tokens("用SAM做分割"),
            ["用", "sam", "做", "分", "做分", "割", "分割"]
        );
        assert_eq!(
            tokens("3M-US 数据库"),
            ["3m", "us", "数", "据", "数据", "库", "据库"]
        );
        assert_eq!(tokens("X 光"), ["x", "光"]);
    }

    #[test]
    fn queries_need_every_bigram_and_word() {
        let q = |s: &str| {
            query_tokens(s)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(q("SAM 分割"), ["sam", "分割"]);
        assert_eq!(q("病理"), ["病理"]);
        assert_eq!(q("医学基础模型"), ["医学", "学基", "基础", "础模", "模型"]);
        assert_eq!(q("肺"), ["肺"]);
        assert_eq!(q("MedSAM"), ["medsam"]);
        assert_eq!(query_tokens("胸片 CT")[1], QueryToken::Word("ct".into()));
    }

    #[test]
    fn kana_and_hangul_are_cjk() {
        assert!(is_cjk('カ') && is_cjk('한') && is_cjk('〇') && is_cjk('𠀀'));
        assert!(!is_cjk('a') && !is_cjk('，') && !is_cjk('é'));
        assert_eq!(normalize("  Med  SAM "), "med sam");
    }
}
