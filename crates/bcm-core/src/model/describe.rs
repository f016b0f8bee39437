//! One description per entity: [`entity!`] declares an entity's fields once, with how each is
//! read, and generates from it the struct (written by serde, absent fields left out), the keys
//! the document accepts for it (unknown keys are findings), and the code that reads it field by
//! field, reporting every problem with its path. Adding a field is one line in `entities.rs`.
//!
//! How a field is read (`= mode`):
//! - `id` — the entity's identifier (the entity is opened with [`Decoder::entity_of`]);
//! - `optional(reader)` — absent is `None`;
//! - `required(reader)` — absent is `E-MISSING` and the value is not built;
//! - `essential(reader)` — as `required`, and the model cannot be built either (an asset without
//!   `kind`: building it anyway would shift the indices every later finding points at);
//! - `named(reader)` — absent is `E-MISSING`, but the value is built with an empty text;
//! - `list(reader)` — a list; an element that cannot be read is left out;
//! - `counted(reader)` — a list whose elements' places matter: one that cannot be read makes the
//!   model unavailable;
//! - `ids` — a list of references, a bad one kept (empty) so the others keep their indices;
//! - `flag` — `true` or `false`, absent is `false`;
//! - `attributes` — free-form extra data;
//! - `custom(function)` — read by a function of its own, `fn(&mut Decoder, &Obj) -> Option<T>`.
//!
//! Invariant: the generated keys are exactly the struct's fields in declaration order, which is
//! the order the entity is written in.

use std::collections::BTreeMap;

use super::{AssetKind, ChangeKind, Date, Duration, ExerciseKind, Id, PlanKind};

/// Whether a field has nothing to write: such a field is left out of the written document.
pub(crate) trait Absent {
    /// Nothing to write.
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Vec<T> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Absent for BTreeMap<K, V> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

impl Absent for bool {
    fn absent(&self) -> bool {
        !*self
    }
}

/// Types of required fields: always written.
macro_rules! always_present {
    ($($ty:ty),*) => {
        $(impl Absent for $ty {
            fn absent(&self) -> bool {
                false
            }
        })*
    };
}

always_present!(
    Id,
    String,
    Date,
    Duration,
    f64,
    AssetKind,
    PlanKind,
    ExerciseKind,
    ChangeKind
);

/// Declares an entity of the model: see the module documentation.
macro_rules! entity {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $mode:ident $(($($arg:tt)*))?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(skip_serializing_if = "crate::model::describe::Absent::absent")]
                pub $field: $ty,
            )*
        }

        impl crate::model::decode::Fields for $name {
            const WHAT: &'static str = $what;
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn read(
                d: &mut crate::model::decode::Decoder,
                obj: &crate::model::decode::Obj<'_, '_>,
                id: Option<crate::model::Id>,
            ) -> Option<Self> {
                // Every field is read (and every problem reported) before any missing one
                // stops the entity from being built.
                $(
                    let $field = crate::model::describe::read_field!(
                        d, obj, id, stringify!($field), $mode $(($($arg)*))?
                    );
                )*
                let _ = &id;
                Some($name { $($field: $field?,)* })
            }
        }
    };
}

/// One field's reading, as an `Option` of its value (`None`: the entity cannot be built).
macro_rules! read_field {
    ($d:ident, $obj:ident, $id:ident, $key:expr, id) => {
        $id.clone()
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, optional($reader:expr)) => {
        Some($d.optional($obj, $key, $reader))
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, required($reader:expr)) => {
        $d.required($obj, $key, crate::finding::Code::Missing, $reader)
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, essential($reader:expr)) => {
        $d.essential($obj, $key, crate::finding::Code::Missing, $reader)
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, named($reader:expr)) => {
        Some(
            $d.required($obj, $key, crate::finding::Code::Missing, $reader)
                .unwrap_or_default(),
        )
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, list($reader:expr)) => {
        Some($d.list($obj, $key, $reader))
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, counted($reader:expr)) => {
        Some($d.counted($obj, $key, $reader))
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, ids) => {
        Some($d.id_list($obj, $key))
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, flag) => {
        Some(
            $d.optional($obj, $key, crate::model::decode::Decoder::boolean)
                .unwrap_or(false),
        )
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, attributes) => {
        Some($d.attributes($obj))
    };
    ($d:ident, $obj:ident, $id:ident, $key:expr, custom($reader:expr)) => {
        $reader($d, $obj)
    };
}

pub(crate) use {entity, read_field};
