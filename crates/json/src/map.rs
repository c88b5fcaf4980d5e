//! [`Map`]: a JSON object read into a map with string keys, as a `BTreeMap<String, V>` behaves (keys in sorted
//! order, a key given twice keeps its last value), kept in a sorted `Vec`. For the handful of keys of a
//! LinkedOut object that is as quick, and it is much less code in the Wasm: every `BTreeMap<K, V>` type
//! brings about 5 KB of its own.

use std::ops::Index;

use crate::decode::{FromJson, invalid_type};
use crate::encode::{Object, ToJson};
use crate::error::Error;
use crate::value::Value;

/// A map from strings to `V`, in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map {
            entries: Vec::new(),
        }
    }
}

impl<V> Map<V> {
    /// An empty map.
    pub fn new() -> Map<V> {
        Map::default()
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Keeps the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<V> Index<&str> for Map<V> {
    type Output = V;

    /// # Panics
    /// If `key` has no value, as `BTreeMap` does.
    fn index(&self, key: &str) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<'a, V> IntoIterator for &'a Map<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<V> FromIterator<(String, V)> for Map<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for Map<V> {
    fn from(entries: [(String, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// An object; a key given twice keeps its last value.
impl<V: FromJson> FromJson for Map<V> {
    fn read_json(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::Object(fields) => {
                self.entries.clear();
                for (key, value) in fields {
                    let value = V::from_json(value).map_err(|e| e.in_field(key))?;
                    self.insert(std::mem::take(key), value);
                }
                Ok(())
            }
            other => Err(invalid_type(other, "a map")),
        }
    }

    fn placeholder() -> Self {
        Map::new()
    }
}

/// An object, keys in order.
impl<V: ToJson> ToJson for Map<V> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::new(out);
        for (key, value) in &self.entries {
            object.field(key, value);
        }
        object.end();
    }
}
