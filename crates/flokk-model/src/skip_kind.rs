//! Deserialising a record's fields straight from the JSON text while
//! skipping its `kind` tag, so the common (valid) line is parsed once,
//! without building an intermediate `serde_json::Value`.

use serde::de::value::CowStrDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor};
use std::borrow::Cow;

/// A deserializer that hands the fields of a JSON object, minus `kind`, to
/// the visitor of the target type.
pub(crate) struct SkipKind<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for SkipKind<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(SkipKindVisitor(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SkipKindVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for SkipKindVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(SkipKindMap(map))
    }
}

struct SkipKindMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SkipKindMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.0.next_key::<Cow<'de, str>>()? else {
                return Ok(None);
            };
            if key == "kind" {
                self.0.next_value::<IgnoredAny>()?;
                continue;
            }
            let de: CowStrDeserializer<'de, A::Error> = key.into_deserializer();
            return seed.deserialize(de).map(Some);
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
}
