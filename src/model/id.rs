//! Typed indexes: a page, a collection, a field of a schema and a taxonomy of the site are each
//! named by an id of their own type, and the lists that hold them ([`IdVec`]) are indexed by that type
//! only, so passing a field where a collection is meant does not compile.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use rayon::prelude::*;

/// An index into one kind of list.
pub(crate) trait Id: Copy {
    /// The id of position `index`.
    fn new(index: usize) -> Self;
    /// Its position.
    fn index(self) -> usize;
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(usize);

        impl Id for $name {
            fn new(index: usize) -> Self {
                $name(index)
            }

            fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ids! {
    /// A page of the site ([`crate::model::site::Site::pages`], sorted by source path), and what
    /// is derived per page (its card, its search document).
    PageId;
    /// A collection of the model ([`crate::model::schema::Model::collections`], and the derived
    /// [`crate::model::site::Site::collections`]).
    CollectionId;
    /// A field of a schema (and the value of that field in a page of the schema).
    FieldId;
    /// A taxonomy of the site ([`crate::model::schema::Model::taxonomies`], and the derived
    /// [`crate::model::site::Site::taxonomies`]).
    TaxonomyId;
    /// A term of one taxonomy ([`crate::model::site::Taxonomy::terms`], in display order).
    TermId;
}

impl CollectionId {
    /// The first collection: where a feature that names none looks.
    pub(crate) const FIRST: CollectionId = CollectionId(0);
}

/// A list indexed by the ids of type `I` only.
pub(crate) struct IdVec<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    /// The list of `items`, the first of id 0.
    pub(crate) fn from_vec(items: Vec<T>) -> Self {
        IdVec {
            items,
            id: PhantomData,
        }
    }

    /// Number of items.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items in order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The items in order, in parallel.
    pub(crate) fn par_iter(&self) -> rayon::slice::Iter<'_, T>
    where
        T: Sync,
    {
        self.items.par_iter()
    }

    /// The ids in order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = I> {
        (0..self.items.len()).map(I::new)
    }

    /// Each item with its id.
    pub(crate) fn enumerate(&self) -> impl Iterator<Item = (I, &T)> {
        self.items.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }

    /// The id of the first item for which `found` is true.
    pub(crate) fn position(&self, found: impl FnMut(&T) -> bool) -> Option<I> {
        self.items.iter().position(found).map(I::new)
    }

    /// Adds `item`; returns its id.
    pub(crate) fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::new(self.items.len() - 1)
    }
}

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<I, T: Clone> Clone for IdVec<I, T> {
    fn clone(&self) -> Self {
        IdVec {
            items: self.items.clone(),
            id: PhantomData,
        }
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

impl<I, T: PartialEq> PartialEq for IdVec<I, T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<I, T: serde::Serialize> serde::Serialize for IdVec<I, T> {
    /// As the list of items.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;

    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

impl<I: Id, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        IdVec::from_vec(iter.into_iter().collect())
    }
}

impl<I: Id, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, I: Id, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, I: Id, T> IntoIterator for &'a mut IdVec<I, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_their_own_lists() {
        let mut list: IdVec<TaxonomyId, &str> = IdVec::default();
        let title = list.push("title");
        let kind = list.push("kind");
        assert_eq!((list[title], list[kind]), ("title", "kind"));
        assert_eq!(list.position(|n| *n == "kind"), Some(kind));
        assert_eq!(list.ids().collect::<Vec<_>>(), [title, kind]);
        assert_eq!(list.enumerate().last(), Some((kind, &"kind")));
    }
}
