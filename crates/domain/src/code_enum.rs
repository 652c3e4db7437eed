//! Enums whose variants have stable text codes, used on the wire, in the
//! cache and in error codes; one macro so every such enum parses and prints
//! the same way.

/// A text that names no variant of the enum it was parsed as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// What every code enum offers, for code that works with any of them (a
/// command line's argument parser, say).
pub trait CodeEnum: Copy + Send + Sync + std::str::FromStr<Err = UnknownCode> + 'static {
    /// Every variant, in declaration order.
    const ALL: &'static [Self];
    /// The stable code of this variant.
    fn code(self) -> &'static str;
}

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $code:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code of this variant.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        // Written out because derive(ToSchema) does not see serde renames
        // that come in through a macro.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl $crate::code_enum::CodeEnum for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::code_enum::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::code_enum::UnknownCode { kind: stringify!($name), code: s.to_owned() }),
                }
            }
        }
    };
}
