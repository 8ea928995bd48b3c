//! Booleans as both engines hand them back.
//!
//! PostgreSQL has BOOLEAN; on SQLite the flags are INTEGER 0/1 columns
//! (sqlx's `Any` driver cannot read a column declared BOOLEAN there) and
//! `EXISTS (...)` is an integer. Rows read a [`Flag`] and turn it into a
//! `bool`; binding a plain `bool` works on both.

use sqlx::any::{AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, Decode, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> Self {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <bool as Decode<'r, Any>>::decode(value.clone()) {
            Ok(flag) => Ok(Self(flag)),
            Err(_) => Ok(Self(<i64 as Decode<'r, Any>>::decode(value)? != 0)),
        }
    }
}
