//! The parsed document before decoding: a tree that borrows its text from the input.
//!
//! `serde_json::Value` would allocate every key and string and hash every mapping; a large model
//! has millions of them and the decoder reads each once. Mappings stay in document order as
//! key/value pairs (a later duplicate key wins, as in `serde_json::Value`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value};

use crate::finding::Pointer;

/// A parsed JSON or YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// The value under `key` of a mapping (the last, if repeated).
    pub(crate) fn get(entries: &'a [(Cow<'a, str>, Node<'a>)], key: &str) -> Option<&'a Node<'a>> {
        entries
            .iter()
            .rev()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| v)
    }

    /// The node as a `serde_json::Value` (for `attributes`, kept as JSON).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// A tree borrowing from a `serde_json::Value` (for models given as values, e.g. a Python dict).
    pub(crate) fn from_value(value: &'a Value) -> Node<'a> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::String(Cow::Borrowed(s)),
            Value::Array(items) => Node::Array(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::from_value(v)))
                    .collect(),
            ),
        }
    }
}

/// Mappings with at most this many keys are checked for duplicates pair by pair (no allocation);
/// larger ones through a hash set.
const SMALL_MAPPING: usize = 16;

/// The positions of the keys of a mapping that repeat an earlier key, in order.
pub(crate) fn repeated(entries: &[(Cow<'_, str>, Node<'_>)]) -> Vec<usize> {
    let mut found = Vec::new();
    if entries.len() <= SMALL_MAPPING {
        for (i, (key, _)) in entries.iter().enumerate() {
            if entries
                .get(..i)
                .is_some_and(|before| before.iter().any(|(k, _)| same_key(k, key)))
            {
                found.push(i);
            }
        }
    } else {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for (i, (key, _)) in entries.iter().enumerate() {
            if !seen.insert(key.as_ref()) {
                found.push(i);
            }
        }
    }
    found
}

impl Node<'_> {
    /// Every key that appears a second (or later) time in its mapping, as the JSON Pointer of
    /// that occurrence, in document order. JSON allows such documents but their meaning is
    /// ambiguous (parsers keep the first or the last); YAML refuses them when parsing.
    ///
    /// Iterative (no recursion over the document) and linear in its size.
    pub(crate) fn duplicate_keys(&self) -> Vec<Pointer> {
        enum Segment<'s> {
            Key(&'s str),
            Index(usize),
        }
        let pointer = |path: &[Segment<'_>]| {
            path.iter().fold(Pointer::root(), |p, s| match s {
                Segment::Key(k) => p.key(k),
                Segment::Index(i) => p.index(*i),
            })
        };
        let mut found = Vec::new();
        let mut path: Vec<Segment<'_>> = Vec::new();
        // (node, its depth, the segment that leads to it from its parent)
        let mut stack: Vec<(&Node<'_>, usize, Option<Segment<'_>>)> = vec![(self, 0, None)];
        while let Some((node, depth, segment)) = stack.pop() {
            path.truncate(depth.saturating_sub(1));
            if let Some(segment) = segment {
                path.push(segment);
            }
            match node {
                Node::Object(entries) => {
                    for i in repeated(entries) {
                        if let Some((key, _)) = entries.get(i) {
                            found.push(pointer(&path).key(key));
                        }
                    }
                    for (key, child) in entries.iter().rev() {
                        if matches!(child, Node::Object(_) | Node::Array(_)) {
                            stack.push((child, depth + 1, Some(Segment::Key(key))));
                        }
                    }
                }
                Node::Array(items) => {
                    for (i, child) in items.iter().enumerate().rev() {
                        if matches!(child, Node::Object(_) | Node::Array(_)) {
                            stack.push((child, depth + 1, Some(Segment::Index(i))));
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }
}

/// Key equality, cheapest tests first: the decoder compares every key it looks for with every key
/// of a mapping, and most differ in length or first byte.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => n.serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => serializer.collect_seq(items),
            Node::Object(entries) => {
                // A repeated key keeps its last value, as in `to_value` (the decoder reports
                // the repetition).
                let mut last = std::collections::HashMap::new();
                if !repeated(entries).is_empty() {
                    for (i, (key, _)) in entries.iter().enumerate() {
                        last.insert(key.as_ref(), i);
                    }
                }
                let mut map = serializer.serialize_map(None)?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if last.get(key.as_ref()).is_none_or(|&at| at == i) {
                        map.serialize_entry(key.as_ref(), value)?;
                    }
                }
                map.end()
            }
        }
    }
}

impl fmt::Display for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

/// A mapping key that borrows from the input when it can.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Deserialize::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Like serde_json::Value: a number JSON cannot hold (NaN, infinity) becomes null.
        Ok(Number::from_f64(v).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Node::String(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Node::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Node::String(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        Ok(Node::Array(collect_exact(std::iter::from_fn(|| {
            seq.next_element().transpose()
        }))?))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        Ok(Node::Object(collect_exact(std::iter::from_fn(
            || match map.next_key::<Key<'de>>() {
                Ok(Some(Key(key))) => Some(map.next_value().map(|value| (key, value))),
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            },
        ))?))
    }
}

/// The items in a vector of exactly their number: most mappings and lists of a model are small,
/// and growing a vector for each (or guessing 8 entries when the parser gives no length, as
/// before) made a document of small nested mappings take 30× its size. Small ones gather on the
/// stack first; the rare long one grows on the heap and is trimmed once.
fn collect_exact<T, E>(items: impl Iterator<Item = Result<T, E>>) -> Result<Vec<T>, E> {
    let mut gathered: smallvec::SmallVec<[T; 8]> = smallvec::SmallVec::new();
    for item in items {
        gathered.push(item?);
    }
    if gathered.spilled() {
        let mut vec = gathered.into_vec();
        vec.shrink_to_fit();
        Ok(vec)
    } else {
        // Not `collect`, which allocates room for at least 4.
        let mut vec = Vec::with_capacity(gathered.len());
        vec.extend(gathered);
        Ok(vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_and_lists_hold_exactly_their_items() {
        // serde_json gives no length: a guess of 8 entries per mapping made 8 MB of small nested
        // attributes take 550 MB.
        let long: Vec<String> = (0..100)
            .map(|i| format!("{{\"k{i}\": [1, 2, {{\"b\": \"x\"}}]}}"))
            .collect();
        let text = format!("[{}]", long.join(","));
        let node: Node<'_> = serde_json::from_str(&text).unwrap();
        let Node::Array(items) = &node else {
            panic!("not a list")
        };
        assert_eq!(items.capacity(), 100);
        for item in items {
            let Node::Object(entries) = item else {
                panic!("not a mapping")
            };
            assert_eq!(entries.capacity(), 1);
            let Node::Array(inner) = &entries[0].1 else {
                panic!("not a list")
            };
            assert_eq!(inner.capacity(), 3);
        }
    }

    #[test]
    fn serializes_as_json_with_the_last_of_a_repeated_key() {
        let node: Node<'_> =
            serde_json::from_str(r#"{"a": 1, "b": [true, null, "s"], "a": 2.5}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"b":[true,null,"s"],"a":2.5}"#
        );
    }

    #[test]
    fn borrows_what_it_can_and_round_trips_to_value() {
        let text =
            r#"{"a": "plain", "b": "esc\"aped", "c": [1, -2, 2.5, true, null], "a": "last"}"#;
        let node: Node<'_> = serde_json::from_str(text).unwrap();
        let Node::Object(entries) = &node else {
            panic!("not an object")
        };
        assert!(matches!(
            &entries[0].1,
            Node::String(Cow::Borrowed("plain"))
        ));
        assert!(matches!(&entries[1].1, Node::String(Cow::Owned(s)) if s == "esc\"aped"));
        assert_eq!(
            Node::get(entries, "a"),
            Some(&Node::String(Cow::Borrowed("last")))
        );
        let value = node.to_value();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(Node::from_value(&value).to_value(), value);
    }

    fn duplicates(json: &str) -> Vec<String> {
        let node: Node<'_> = serde_json::from_str(json).unwrap();
        node.duplicate_keys()
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect()
    }

    #[test]
    fn every_repeated_key_is_found_with_its_path() {
        assert!(duplicates(r#"{"a": 1, "b": {"a": [1, {"c": 2}]}}"#).is_empty());
        assert_eq!(
            duplicates(r#"{"a": 1, "b": [{"id": "f", "x": 0, "id": "g", "id": "h"}], "a": 2}"#),
            ["/a", "/b/0/id", "/b/0/id"]
        );
        // A key with a slash is escaped in the pointer (RFC 6901).
        assert_eq!(duplicates(r#"{"k": {"a/b": 1, "a/b": 2}}"#), ["/k/a~1b"]);
        // A mapping larger than the pairwise check goes through the hash set: same answer.
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let big = format!("{{\"m\": {{{}, \"k7\": 0}}}}", keys.join(", "));
        assert_eq!(duplicates(&big), ["/m/k7"]);
    }
}
