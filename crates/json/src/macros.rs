//! Declarative macros that implement [`FromJson`](crate::FromJson) and [`ToJson`](crate::ToJson) for a type
//! in one short declaration next to it: plain structs ([`json_object!`](crate::json_object)), unit enums
//! written as strings ([`json_enum!`](crate::json_enum)) and enums tagged by a `"type"` field
//! ([`json_tagged!`](crate::json_tagged)). Every field and variant must be listed: the generated code
//! destructures and matches exhaustively, so one forgotten is a compile error, not a silently missing field.

/// Implements both traits for a struct with named fields, written as an object in the listed order.
///
/// ```
/// # use linkedout_json::{json_object, from_str, to_string};
/// #[derive(Debug, PartialEq, Default)]
/// struct Switch { index: u32, label: String, id: Option<String>, cached: Vec<String> }
/// json_object! {
///     #[deny_unknown_fields]
///     Switch {
///         index,              // required (an `Option` may be absent: `None`)
///         label: default,     // absent: `Default::default()`
///         id: optional,       // absent: `None`; `None` is left out when writing
///     }
///     skip { cached }         // neither read nor written; `Default::default()`
/// }
/// let s: Switch = from_str(r#"{"index": 1}"#).unwrap();
/// assert_eq!(to_string(&s), r#"{"index":1,"label":""}"#);
/// assert!(from_str::<Switch>(r#"{"index": 1, "x": 2}"#).is_err());
/// ```
#[macro_export]
macro_rules! json_object {
    (
        $(#[$deny:ident])?
        $ty:ident {
            $($field:ident $(: $mode:ident)?),* $(,)?
        }
        $(skip { $($skip:ident),* $(,)? })?
    ) => {
        impl $crate::FromJson for $ty {
            fn read_json(&mut self, value: &mut $crate::Value) -> ::core::result::Result<(), $crate::Error> {
                const KNOWN: &[&str] = &[$(stringify!($field)),*];
                let _ = KNOWN;
                #[allow(unused_mut)]
                let mut fields = $crate::Fields::of(value, concat!("struct ", stringify!($ty)))?;
                $($crate::__json_deny!($deny, fields, KNOWN);)?
                let $ty { $($field,)* .. } = self;
                $($crate::__json_read!(fields, $field $(: $mode)?);)*
                ::core::result::Result::Ok(())
            }

            fn placeholder() -> Self {
                $ty {
                    $($field: $crate::__json_placeholder!($field $(: $mode)?),)*
                    $($($skip: ::core::default::Default::default(),)*)?
                }
            }
        }

        impl $crate::ToJson for $ty {
            fn write_json(&self, out: &mut ::std::string::String) {
                let $ty { $($field,)* $($($skip: _,)*)? } = self;
                let mut object = $crate::Object::new(out);
                $($crate::__json_put!(object, $field $(: $mode)?);)*
                object.end();
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __json_deny {
    (deny_unknown_fields, $fields:ident, $known:ident) => {
        $fields.deny_unknown($known)?;
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __json_read {
    ($fields:ident, $field:ident) => {
        $fields.read(stringify!($field), $field, true)?
    };
    ($fields:ident, $field:ident: default) => {
        $fields.read(stringify!($field), $field, false)?
    };
    ($fields:ident, $field:ident: optional) => {
        $fields.read(stringify!($field), $field, false)?
    };
}

/// What a field holds before it is read: `Default::default()` where that is also what an absent field reads
/// as, else the type's placeholder.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_placeholder {
    ($field:ident) => {
        $crate::FromJson::placeholder()
    };
    ($field:ident: default) => {
        ::core::default::Default::default()
    };
    ($field:ident: optional) => {
        ::core::option::Option::None
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __json_put {
    ($object:ident, $field:ident) => {
        $object.field(stringify!($field), $field)
    };
    ($object:ident, $field:ident: default) => {
        $object.field(stringify!($field), $field)
    };
    ($object:ident, $field:ident: optional) => {
        if let ::core::option::Option::Some(value) = $field {
            $object.field(stringify!($field), value)
        }
    };
}

/// Implements both traits for an enum of unit variants (`Copy`), each written as the given string.
///
/// ```
/// # use linkedout_json::{json_enum, from_str, to_string};
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Mode { OptOut, Check }
/// json_enum!(Mode { OptOut = "opt_out", Check = "check" });
/// assert_eq!(to_string(&Mode::OptOut), r#""opt_out""#);
/// assert_eq!(
///     from_str::<Mode>(r#""wild""#).unwrap_err().to_string(),
///     "unknown variant `wild`, expected `opt_out` or `check`"
/// );
/// ```
#[macro_export]
macro_rules! json_enum {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::FromJson for $ty {
            fn read_json(&mut self, value: &mut $crate::Value) -> ::core::result::Result<(), $crate::Error> {
                // Tables and one shared function: a `match` on the names is more code for every enum.
                const NAMES: &[&str] = &[$($name),*];
                const VARIANTS: &[$ty] = &[$($ty::$variant),*];
                *self = VARIANTS[$crate::unit_variant(value, NAMES)?];
                ::core::result::Result::Ok(())
            }

            fn placeholder() -> Self {
                $crate::__json_first!($($ty::$variant),*)
            }
        }

        impl $crate::ToJson for $ty {
            fn write_json(&self, out: &mut ::std::string::String) {
                let name: &str = match self {
                    $($ty::$variant => $name,)*
                };
                $crate::ToJson::write_json(name, out);
            }
        }
    };
}

/// Implements both traits for an enum written as `{"type": "<tag>", ...fields}` ("type" first), every
/// variant with named fields (`Variant {}` for none) and no unknown field accepted.
///
/// ```
/// # use linkedout_json::{json_tagged, from_str, to_string};
/// #[derive(Debug, PartialEq)]
/// enum Event { Left { url: String }, Resumed {} }
/// json_tagged!(Event { Left = "left" { url }, Resumed = "resumed" {} });
/// let e = Event::Left { url: "u".into() };
/// assert_eq!(to_string(&e), r#"{"type":"left","url":"u"}"#);
/// assert_eq!(from_str::<Event>(r#"{"url":"u","type":"left"}"#).unwrap(), e);
/// assert_eq!(from_str::<Event>(r#"{"type":"left"}"#).unwrap_err().to_string(), "missing field `url`");
/// ```
#[macro_export]
macro_rules! json_tagged {
    ($ty:ident { $($variant:ident = $tag:literal { $($field:ident),* $(,)? }),* $(,)? }) => {
        impl $crate::FromJson for $ty {
            fn read_json(&mut self, value: &mut $crate::Value) -> ::core::result::Result<(), $crate::Error> {
                #[allow(unused_mut)]
                let (tag, mut fields) = $crate::tagged(value)?;
                match tag.as_str() {
                    $($tag => {
                        fields.deny_unknown(&[$(stringify!($field)),*])?;
                        *self = $ty::$variant {
                            $($field: $crate::FromJson::placeholder(),)*
                        };
                        #[allow(irrefutable_let_patterns)]
                        if let $ty::$variant { $($field),* } = self {
                            $(fields.read(stringify!($field), $field, true)?;)*
                        }
                        ::core::result::Result::Ok(())
                    })*
                    _ => ::core::result::Result::Err($crate::unknown_variant(&tag, &[$($tag),*])),
                }
            }

            fn placeholder() -> Self {
                $crate::__json_first!($($ty::$variant { $($field: $crate::FromJson::placeholder()),* }),*)
            }
        }

        impl $crate::ToJson for $ty {
            fn write_json(&self, out: &mut ::std::string::String) {
                match self {
                    $($ty::$variant { $($field),* } => {
                        #[allow(unused_mut)]
                        let mut object = $crate::Object::tagged(out, $tag);
                        $(object.field(stringify!($field), $field);)*
                        object.end();
                    })*
                }
            }
        }
    };
}

/// The first of a list of expressions.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_first {
    ($first:expr $(, $rest:expr)*) => {
        $first
    };
}
