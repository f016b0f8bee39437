//! Entity identifiers.

use std::borrow::Borrow;
use std::fmt;

use serde::{Serialize, Serializer};

/// The longest identifier the format allows.
pub const MAX_ID_LEN: usize = 128;

/// The identifier of an entity, unique across the whole document, or a reference to one.
///
/// Well-formed identifiers match `[A-Za-z0-9._:-]{1,128}`; [`Id::is_well_formed`] checks it and
/// validation reports the others (`E-ID`), so a model can hold and name a bad one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(String);

impl Id {
    /// Wraps `text` as an identifier, well-formed or not.
    pub fn new(text: impl Into<String>) -> Self {
        Id(text.into())
    }

    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it matches `[A-Za-z0-9._:-]{1,128}`.
    ///
    /// ```
    /// use bcm_core::Id;
    /// assert!(Id::new("hr-db").is_well_formed());
    /// assert!(!Id::new("hr db").is_well_formed());
    /// ```
    pub fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= MAX_ID_LEN
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Self {
        Id(text.to_owned())
    }
}

impl From<String> for Id {
    fn from(text: String) -> Self {
        Id(text)
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
