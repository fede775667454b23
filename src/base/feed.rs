//! Hashing a value through its `Serialize` implementation, without building it: a serde
//! serializer that feeds every part of the value to an XXH3 hash as framed bytes. Each part is
//! tagged by its kind and text is preceded by its length, and every collection is closed by an
//! end mark, so two values that serialise differently never feed the same bytes. Used for the
//! context keys of the page cache (see [`crate::write::contexts`]): a page whose context walks
//! to the same bytes renders to the same HTML, and walking a context costs far less than
//! turning it into a `serde_json::Value`.

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// The hash of `parts` (each a name and a value), in order; `None` if a value fails to
/// serialise (then the caller treats the page as changed, and its render reports the error).
pub(crate) fn key_of_parts(parts: &[(&str, &dyn erased::Part)]) -> Option<u64> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let mut feed = Feed {
            hasher: Xxh3::new(),
            buffer,
        };
        for (name, value) in parts {
            feed.text(name);
            value.feed(&mut feed).ok()?;
        }
        Some(feed.finish())
    })
}

/// Object-safe feeding, so [`key_of_parts`] takes values of different types.
pub(crate) mod erased {
    use super::{Feed, FeedError};

    /// A value [`super::key_of_parts`] can feed: anything `Serialize`.
    pub(crate) trait Part {
        /// Feeds the value to `feed`.
        fn feed(&self, feed: &mut Feed<'_>) -> Result<(), FeedError>;
    }

    impl<T: serde::Serialize + ?Sized> Part for T {
        fn feed(&self, feed: &mut Feed<'_>) -> Result<(), FeedError> {
            self.serialize(feed)
        }
    }
}

/// The bytes of a value on their way to the hash, gathered in a buffer and hashed in chunks.
pub(crate) struct Feed<'b> {
    hasher: Xxh3,
    buffer: &'b mut Vec<u8>,
}

/// Tags of the parts of a value.
mod tag {
    pub(super) const NONE: u8 = 0;
    pub(super) const FALSE: u8 = 1;
    pub(super) const TRUE: u8 = 2;
    pub(super) const UNSIGNED: u8 = 3;
    pub(super) const SIGNED: u8 = 4;
    pub(super) const FLOAT: u8 = 5;
    pub(super) const TEXT: u8 = 6;
    pub(super) const SEQ: u8 = 7;
    pub(super) const MAP: u8 = 8;
    pub(super) const END: u8 = 9;
    pub(super) const SOME: u8 = 10;
    pub(super) const BYTES: u8 = 11;
    pub(super) const VARIANT: u8 = 12;
    pub(super) const UNIT: u8 = 13;
}

impl Feed<'_> {
    /// Bytes gathered before they are hashed.
    const CHUNK: usize = 1 << 16;

    fn push(&mut self, tag: u8, bytes: &[u8]) {
        self.buffer.push(tag);
        self.raw(bytes);
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= Self::CHUNK {
            self.hasher.update(self.buffer);
            self.buffer.clear();
        }
    }

    fn text(&mut self, text: &str) {
        self.push(tag::TEXT, &(text.len() as u64).to_le_bytes());
        self.raw(text.as_bytes());
    }

    /// The name of an enum variant, before its value if it has one.
    fn variant(&mut self, name: &str) {
        self.push(tag::VARIANT, &[]);
        self.text(name);
    }

    fn finish(mut self) -> u64 {
        self.hasher.update(self.buffer);
        self.buffer.clear();
        if self.buffer.capacity() > 4 * Self::CHUNK {
            self.buffer.shrink_to(Self::CHUNK);
        }
        self.hasher.digest()
    }
}

/// Why a value could not be fed: its `Serialize` implementation failed.
#[derive(Debug)]
pub(crate) struct FeedError(String);

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FeedError {}

impl ser::Error for FeedError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FeedError(msg.to_string())
    }
}

type Fed = Result<(), FeedError>;

/// Numbers fed as the widest number of their kind, so a value keys the same whatever width
/// holds it.
macro_rules! widened {
    ($($method:ident: $ty:ty => $wide:ident),*) => {$(
        fn $method(self, v: $ty) -> Fed {
            self.$wide(v.into())
        }
    )*};
}

impl<'f, 'b> ser::Serializer for &'f mut Feed<'b> {
    type Ok = ();
    type Error = FeedError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// Values with a compact form feed that (a page body: its key, see
    /// [`crate::render::context::BodyView`]).
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Fed {
        self.push(if v { tag::TRUE } else { tag::FALSE }, &[]);
        Ok(())
    }
    widened!(
        serialize_i8: i8 => serialize_i64,
        serialize_i16: i16 => serialize_i64,
        serialize_i32: i32 => serialize_i64,
        serialize_u8: u8 => serialize_u64,
        serialize_u16: u16 => serialize_u64,
        serialize_u32: u32 => serialize_u64,
        serialize_f32: f32 => serialize_f64
    );
    fn serialize_i64(self, v: i64) -> Fed {
        self.push(tag::SIGNED, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Fed {
        self.push(tag::UNSIGNED, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Fed {
        self.push(tag::FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Fed {
        self.text(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Fed {
        self.text(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Fed {
        self.push(tag::BYTES, &(v.len() as u64).to_le_bytes());
        self.raw(v);
        Ok(())
    }
    fn serialize_none(self) -> Fed {
        self.push(tag::NONE, &[]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Fed {
        self.push(tag::SOME, &[]);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Fed {
        self.push(tag::UNIT, &[]);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Fed {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Fed {
        self.variant(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Fed {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Fed {
        self.variant(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, FeedError> {
        self.push(tag::SEQ, &[]);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, FeedError> {
        self.variant(variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, FeedError> {
        self.push(tag::MAP, &[]);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, FeedError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, FeedError> {
        self.variant(variant);
        self.serialize_map(Some(len))
    }
}

/// The end of a collection.
fn end(feed: &mut Feed<'_>) -> Fed {
    feed.push(tag::END, &[]);
    Ok(())
}

/// The collections whose parts are fed one after the other, then closed.
macro_rules! collection {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = FeedError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Fed {
                value.serialize(&mut **self)
            }
            fn end(self) -> Fed {
                end(self)
            }
        }
    )*};
}

collection!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Fed {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Fed {
        value.serialize(&mut **self)
    }
    fn end(self) -> Fed {
        end(self)
    }
}

impl ser::SerializeStruct for &mut Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Fed {
        self.text(key);
        value.serialize(&mut **self)
    }
    fn skip_field(&mut self, _key: &'static str) -> Fed {
        Ok(())
    }
    fn end(self) -> Fed {
        end(self)
    }
}

impl ser::SerializeStructVariant for &mut Feed<'_> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Fed {
        self.text(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Fed {
        end(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn key(template: &str, values: &[(&str, serde_json::Value)]) -> u64 {
        let mut parts: Vec<(&str, &dyn erased::Part)> = vec![("", &template)];
        parts.extend(values.iter().map(|(n, v)| (*n, v as &dyn erased::Part)));
        key_of_parts(&parts).expect("json values feed")
    }

    #[test]
    fn keys_follow_every_part_and_are_framed() {
        let page = [("title", json!("MedSAM")), ("tags", json!(["ct", "mri"]))];
        let base = key("page.html", &page);
        assert_eq!(key("page.html", &page), base);
        assert_ne!(key("entry.html", &page), base);
        let retitled = [("title", json!("MedSAM 2")), ("tags", json!(["ct", "mri"]))];
        assert_ne!(key("page.html", &retitled), base);
        // Framed: moving an item between lists, or text between fields, changes the key.
        let split = [
            ("title", json!("MedSAM")),
            ("tags", json!(["ct"])),
            ("x", json!(["mri"])),
        ];
        assert_ne!(key("page.html", &split), base);
        let joined = [("title", json!("MedSAMct")), ("tags", json!([]))];
        assert_ne!(key("page.html", &joined), base);
        let nested = [("title", json!("MedSAM")), ("tags", json!([["ct"], "mri"]))];
        assert_ne!(key("page.html", &nested), base);
        assert_ne!(key("t", &[("v", json!(1))]), key("t", &[("v", json!("1"))]));
        assert_ne!(key("t", &[("v", json!(1))]), key("t", &[("v", json!(1.0))]));
        assert_ne!(
            key("t", &[("v", json!(null))]),
            key("t", &[("v", json!(false))])
        );
        assert_ne!(
            key("t", &[("v", json!({"a": "b"}))]),
            key("t", &[("v", json!({"ab": ""}))])
        );
    }

    #[test]
    fn a_typed_value_feeds_every_field_it_serialises() {
        #[derive(serde::Serialize)]
        struct Card<'a> {
            title: &'a str,
            year: Option<u16>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            tags: Vec<&'a str>,
        }
        let card = |title, year, tags| {
            let card = Card { title, year, tags };
            key_of_parts(&[("card", &card as &dyn erased::Part)]).unwrap()
        };
        let base = card("MedSAM", Some(2024), vec!["ct"]);
        assert_eq!(card("MedSAM", Some(2024), vec!["ct"]), base);
        assert_ne!(card("MedSAM", Some(2023), vec!["ct"]), base);
        assert_ne!(card("MedSAM", None, vec!["ct"]), base);
        assert_ne!(card("MedSAM", Some(2024), vec![]), base);
        assert_ne!(card("MedSAM2", Some(2024), vec!["ct"]), base);
    }

    #[test]
    fn a_value_that_fails_to_serialise_has_no_key() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("broken"))
            }
        }
        assert_eq!(key_of_parts(&[("x", &Broken as &dyn erased::Part)]), None);
    }
}
