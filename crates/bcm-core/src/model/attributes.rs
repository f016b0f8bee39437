//! Free-form extra data on an entity (`attributes`), kept and saved untouched.
//!
//! Each value is held as compact JSON text rather than a `serde_json::Value` tree: a document
//! whose attributes are many small nested mappings took about 20 times its size as a tree (an
//! ordered map with its hash table per mapping), and bcm only carries this data through. Ask
//! for [`AttributeValue::to_value`] to read one.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// An entity's `attributes`: each key's value as JSON.
pub type Attributes = BTreeMap<String, AttributeValue>;

/// One attribute's value, as compact JSON text.
#[derive(Clone)]
pub struct AttributeValue(Box<RawValue>);

impl AttributeValue {
    /// The value as compact JSON text (`{"list":[1,2.5]}`).
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The value as a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        // The text was written by serde_json from a value, so it reads back; `Null` only if
        // that invariant were broken, which the round-trip tests would catch.
        serde_json::from_str(self.0.get()).unwrap_or(Value::Null)
    }

    /// Compact JSON text of a serializable value (`None` if it has no JSON form, e.g. a
    /// non-finite number).
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Option<Self> {
        serde_json::value::to_raw_value(value)
            .ok()
            .map(AttributeValue)
    }
}

impl From<Value> for AttributeValue {
    fn from(value: Value) -> Self {
        // A `Value` always has a JSON form (its numbers are finite), so `of` cannot fail; null
        // would only hide a broken invariant, which the round-trip tests would catch.
        AttributeValue::of(&value).unwrap_or_else(|| AttributeValue::from(Value::Null))
    }
}

impl PartialEq for AttributeValue {
    fn eq(&self, other: &Self) -> bool {
        // Both were written by serde_json in compact form: equal values, equal text.
        self.0.get() == other.0.get()
    }
}

impl PartialEq<Value> for AttributeValue {
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

impl fmt::Debug for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl fmt::Display for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl Serialize for AttributeValue {
    /// As the value itself (in YAML too: a raw JSON value would be written as a string by any
    /// serializer but serde_json's).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_compact_text_and_reads_back_the_value() {
        let value = serde_json::json!({"list": [1, 2.5, null, true, "s"], "n": -3});
        let attribute = AttributeValue::from(value.clone());
        assert_eq!(attribute.json(), r#"{"list":[1,2.5,null,true,"s"],"n":-3}"#);
        assert_eq!(attribute.to_value(), value);
        assert_eq!(attribute, value);
        assert_eq!(serde_json::to_value(&attribute).unwrap(), value);
    }
}
