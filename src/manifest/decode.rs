//! Decoding a YAML document into a typed object with `kubectl`'s strict field validation.
//!
//! The document is read from its [`Tree`] by a deserializer of this module, which interprets
//! scalars exactly as `serde_yaml` does (so `80` is a number, `"80"` a string, `0x1F` hexadecimal
//! and `010` text), reports every field the target type skips as unknown, and locates the first
//! type error by its field path. Error texts are reworded the way Go's `encoding/json` words them,
//! which is what `kubectl` users see.
//!
//! Every Kubernetes type reachable from an object carries a copy of its decoding code for each
//! deserializer it is read through, which is most of the WebAssembly download. This deserializer
//! is the only one they are read through, and its generic methods are kept thin: what does not
//! depend on the visitor (scalar resolution, errors, paths) lives in plain functions.

use std::cell::RefCell;
use std::fmt;

use saphyr_parser::ScalarStyle;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor};

use super::field::{self, FieldError};
use super::locate::Anchor;
use super::tree::{Kind, Node, NodeId, Tree};

/// Decodes one document into `T`. Returns the object, or `None` when a type error stopped decoding,
/// and every unknown field met on the way plus that type error.
pub fn decode<T: DeserializeOwned>(tree: &Tree) -> (Option<T>, Vec<FieldError>) {
    let cx = Context { tree, unknown: RefCell::new(Vec::new()) };
    let result = match tree.root() {
        Some(root) => T::deserialize(Decoder {
            cx: &cx,
            path: &Path::Root,
            node: root,
            depth: MAX_DEPTH,
            in_enum: None,
        }),
        None => Err(Error::structural("EOF while parsing a value")),
    };
    match result {
        Ok(object) => (Some(object), finish(cx.unknown.into_inner(), None)),
        Err(e) => (None, finish(cx.unknown.into_inner(), Some(e))),
    }
}

/// Turns the unknown fields and the type error of a decode into field errors.
fn finish(unknown: Vec<String>, error: Option<Error>) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = unknown.iter().map(|path| field::unknown(path)).collect();
    if let Some(e) = error {
        let (path, message) = e.parts();
        errors.push(type_error(&path, &message));
    }
    errors
}

/// How many collections may nest while decoding, counting each pass through an alias again; a
/// document that contains itself through an alias ends here.
const MAX_DEPTH: u32 = 128;

/// The YAML core schema tags that change how a scalar is read.
const TAG_NULL: &str = "tag:yaml.org,2002:null";
const TAG_BOOL: &str = "tag:yaml.org,2002:bool";
const TAG_INT: &str = "tag:yaml.org,2002:int";
const TAG_FLOAT: &str = "tag:yaml.org,2002:float";

/// Where a value sits in the document, as a chain through the stack of nested decoders.
enum Path<'a> {
    Root,
    Key {
        parent: &'a Path<'a>,
        key: &'a str,
    },
    /// The value of a key that is not a scalar.
    OddKey {
        parent: &'a Path<'a>,
    },
    Index {
        parent: &'a Path<'a>,
        index: usize,
    },
}

impl Path<'_> {
    /// The Kubernetes form: `spec.containers[0].image`, empty at the root.
    fn field_path(&self) -> String {
        let mut segments = Vec::new();
        let mut current = self;
        loop {
            match current {
                Path::Root => break,
                Path::Key { parent, key } => {
                    segments.push(format!(".{key}"));
                    current = parent;
                }
                Path::OddKey { parent } => current = parent,
                Path::Index { parent, index } => {
                    segments.push(format!("[{index}]"));
                    current = parent;
                }
            }
        }
        let mut out: String = segments.iter().rev().map(String::as_str).collect();
        if out.starts_with('.') {
            out.remove(0);
        }
        out
    }

    /// The form `serde_yaml` prefixes its messages with: as above, but `.` at the root and `?` for
    /// a key that is not a scalar.
    fn yaml_path(&self) -> String {
        match self {
            Path::Root => ".".to_string(),
            Path::Index { parent, index } => format!("{}[{index}]", parent.yaml_path()),
            Path::Key { parent, key } => format!("{}{key}", parent.yaml_prefix()),
            Path::OddKey { parent } => format!("{}?", parent.yaml_prefix()),
        }
    }

    fn yaml_prefix(&self) -> String {
        match self {
            Path::Root => String::new(),
            other => format!("{}.", other.yaml_path()),
        }
    }
}

/// A decoding error, with the path of the innermost value it arose in. It is boxed: every
/// `Result` of every Kubernetes type's decoding code carries it, and a pointer keeps those small.
#[derive(Debug)]
pub struct Error(Box<ErrorImpl>);

#[derive(Debug)]
struct ErrorImpl {
    message: String,
    /// Messages about the data are prefixed with their path, as `serde_yaml` does; limits of the
    /// decoder itself are not.
    prefixed: bool,
    /// The field path and its `serde_yaml` form, once known.
    located: Option<(String, String)>,
}

impl Error {
    fn new(message: String, prefixed: bool) -> Error {
        Error(Box::new(ErrorImpl { message, prefixed, located: None }))
    }

    fn structural(message: &str) -> Error {
        Error::new(message.to_string(), false)
    }

    /// Records where the error arose, unless a more deeply nested value already did.
    fn at(mut self, path: &Path) -> Error {
        if self.0.located.is_none() {
            self.0.located = Some((path.field_path(), path.yaml_path()));
        }
        self
    }

    /// The field path and the message as `serde_yaml` renders it (without a position).
    fn parts(self) -> (String, String) {
        let ErrorImpl { message, prefixed, located } = *self.0;
        let (path, yaml) = located.unwrap_or_default();
        let message =
            if prefixed && !yaml.is_empty() && yaml != "." { format!("{yaml}: {message}") } else { message };
        (path, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string(), true)
    }
}

/// What every decoder of one document shares.
struct Context<'a> {
    tree: &'a Tree,
    /// Field paths of the values the target type skipped.
    unknown: RefCell<Vec<String>>,
}

/// Reads one node of a [`Tree`]. It is passed by value through every level of every type's
/// decoding code, so it is kept to a few words.
#[derive(Clone, Copy)]
struct Decoder<'a> {
    cx: &'a Context<'a>,
    path: &'a Path<'a>,
    node: NodeId,
    /// How many more collections may be entered.
    depth: u32,
    /// Inside an enum read from this node's tag: the enum's name (empty when not known). The tag
    /// is not read a second time.
    in_enum: Option<&'static str>,
}

/// What a scalar means on its own, by the YAML 1.2 core schema as `serde_yaml` applies it.
enum Scalar<'s> {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Str(&'s str),
}

/// A number or boolean that a typed read asks for.
#[derive(Clone, Copy)]
enum Want {
    Bool,
    I64,
    U64,
    I128,
    U128,
    F64,
}

impl<'a> Decoder<'a> {
    fn node(&self) -> &'a Node {
        self.cx.tree.node(self.node)
    }

    /// The node's tag, unless it was already read as an enum's.
    fn tag(&self) -> Option<&'a str> {
        if self.in_enum.is_some() {
            None
        } else {
            self.node().tag.as_deref()
        }
    }

    fn child<'b>(&self, node: NodeId, path: &'b Path<'b>) -> Decoder<'b>
    where
        'a: 'b,
    {
        Decoder { cx: self.cx, path, node, depth: self.depth, in_enum: None }
    }

    /// One level deeper, or the recursion error.
    fn deeper(self) -> Result<Decoder<'a>, Error> {
        match self.depth.checked_sub(1) {
            Some(depth) => Ok(Decoder { depth, ..self }),
            None => Err(Error::structural("recursion limit exceeded")),
        }
    }

    /// The number or boolean a typed read finds: only plain scalars (and literal block scalars
    /// tagged with the wanted type) are read as one.
    fn number(&self, want: Want) -> Option<Scalar<'a>> {
        let Kind::Scalar { value, style } = &self.node().kind else { return None };
        let tag = match want {
            Want::Bool => TAG_BOOL,
            Want::F64 => TAG_FLOAT,
            _ => TAG_INT,
        };
        let eligible = match style {
            ScalarStyle::Plain => true,
            ScalarStyle::Literal => self.tag() == Some(tag),
            _ => false,
        };
        if !eligible {
            return None;
        }
        match want {
            Want::Bool => parse_bool(value).map(Scalar::Bool),
            Want::I64 => parse_signed(value, i64::from_str_radix).map(Scalar::I64),
            Want::U64 => parse_unsigned(value, u64::from_str_radix).map(Scalar::U64),
            Want::I128 => parse_signed(value, i128::from_str_radix).map(Scalar::I128),
            Want::U128 => parse_unsigned(value, u128::from_str_radix).map(Scalar::U128),
            Want::F64 => parse_f64(value).map(Scalar::F64),
        }
    }

    /// Whether an optional value is present: anything but a plain null.
    fn is_some(&self) -> Result<bool, Error> {
        let Kind::Scalar { value, style } = &self.node().kind else { return Ok(true) };
        if *style != ScalarStyle::Plain {
            return Ok(true);
        }
        match self.tag() {
            Some(TAG_NULL) if is_null(value) => Ok(false),
            Some(TAG_NULL) => Err(de::Error::invalid_value(Unexpected::Str(value), &"null")),
            Some(_) => Ok(true),
            None => Ok(!value.is_empty() && !is_null(value)),
        }
    }

    /// Whether the node is a null, for a unit read; `Err` for any other scalar.
    fn is_unit(&self) -> Option<Result<(), Error>> {
        let Kind::Scalar { value, style } = &self.node().kind else { return None };
        let null = if *style != ScalarStyle::Plain {
            false
        } else if let Some(tag) = self.tag() {
            tag == TAG_NULL && is_null(value)
        } else {
            value.is_empty() || is_null(value)
        };
        Some(if null { Ok(()) } else { Err(de::Error::invalid_value(Unexpected::Str(value), &"null")) })
    }

    /// A plain empty scalar stands for an empty sequence or mapping.
    fn is_empty_scalar(&self) -> bool {
        matches!(&self.node().kind, Kind::Scalar { value, style: ScalarStyle::Plain } if value.is_empty())
    }

    fn invalid_type(&self, exp: &dyn Expected) -> Error {
        invalid_type(self.node(), exp)
    }

    fn record_unknown(&self) {
        self.cx.unknown.borrow_mut().push(self.path.field_path());
    }

    fn items(&self) -> &'a [NodeId] {
        match &self.node().kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    fn entries(&self) -> &'a [(NodeId, NodeId)] {
        match &self.node().kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The enum variant this node's tag names, if it has a local tag (`!name`).
    fn enum_tag(&self) -> Option<&'a str> {
        self.tag().filter(|tag| tag.starts_with('!')).map(enum_tag)
    }

    fn nested_enum_error(&self) -> Error {
        let tag = self.node().tag.as_deref().map_or("", enum_tag);
        de::Error::custom(match self.in_enum {
            Some(name) if !name.is_empty() => {
                format!("deserializing nested enum in {name}::{tag} from YAML is not supported yet")
            }
            _ => format!("deserializing nested enum in !{tag} from YAML is not supported yet"),
        })
    }

    fn visit_number<'de, V: Visitor<'de>>(self, visitor: V, want: Want) -> Result<V::Value, Error> {
        match self.number(want) {
            Some(scalar) => visit_scalar(visitor, scalar),
            None => Err(self.invalid_type(&visitor)),
        }
        .map_err(|e| e.at(self.path))
    }

    fn visit_seq<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let inner = self.deeper()?;
        let mut access = SeqAccess { de: inner, items: self.items(), next: 0 };
        let value = visitor.visit_seq(&mut access)?;
        check_length(access.next, access.items.len(), false)?;
        Ok(value)
    }

    fn visit_map<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let inner = self.deeper()?;
        let mut access = MapAccess { de: inner, entries: self.entries(), next: 0 };
        let value = visitor.visit_map(&mut access)?;
        check_length(access.next, access.entries.len(), true)?;
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for Decoder<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some(tag) = self.enum_tag() {
            return visitor.visit_enum(TaggedEnum { de: self, name: "", tag }).map_err(|e| e.at(self.path));
        }
        match &self.node().kind {
            Kind::Scalar { .. } => match resolve(self.node(), self.in_enum.is_some()) {
                Ok(scalar) => visit_scalar(visitor, scalar),
                Err(e) => Err(e),
            },
            Kind::Seq(_) => self.visit_seq(visitor),
            Kind::Map(_) => self.visit_map(visitor),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::Bool)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::I64)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::I64)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::I64)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::I64)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::I128)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::U64)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::U64)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::U64)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::U64)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::U128)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::F64)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_number(visitor, Want::F64)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node().kind {
            Kind::Scalar { value, .. } => visitor.visit_str(value),
            _ => Err(self.invalid_type(&visitor)),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(Error::structural("serialization and deserialization of bytes in YAML is not implemented"))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.is_some() {
            Ok(true) => visitor.visit_some(self),
            Ok(false) => visitor.visit_none(),
            Err(e) => Err(e),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.is_unit() {
            Some(Ok(())) => visitor.visit_unit(),
            Some(Err(e)) => Err(e),
            None => Err(self.invalid_type(&visitor)),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.deeper() {
            Ok(inner) => visitor.visit_newtype_struct(inner),
            Err(e) => Err(e),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node().kind {
            Kind::Seq(_) => self.visit_seq(visitor),
            _ if self.is_empty_scalar() => visitor.visit_seq(SeqAccess { de: self, items: &[], next: 0 }),
            _ => Err(self.invalid_type(&visitor)),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node().kind {
            Kind::Map(_) => self.visit_map(visitor),
            _ if self.is_empty_scalar() => visitor.visit_map(MapAccess { de: self, entries: &[], next: 0 }),
            _ => Err(self.invalid_type(&visitor)),
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let node = self.node();
        if self.in_enum.is_some() {
            return match &node.kind {
                Kind::Scalar { value, .. } if !value.is_empty() => visitor.visit_enum(UnitEnum { de: self }),
                _ => Err(self.nested_enum_error()),
            }
            .map_err(|e| e.at(self.path));
        }
        match (self.enum_tag(), &node.kind) {
            (Some(tag), _) => visitor.visit_enum(TaggedEnum { de: self, name, tag }),
            (None, Kind::Scalar { .. }) => visitor.visit_enum(UnitEnum { de: self }),
            (None, Kind::Map(_)) => {
                Err(de::Error::invalid_type(Unexpected::Map, &"a YAML tag starting with '!'"))
            }
            (None, Kind::Seq(_)) => {
                Err(de::Error::invalid_type(Unexpected::Seq, &"a YAML tag starting with '!'"))
            }
        }
        .map_err(|e| e.at(self.path))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// The target type skips this value: it is a field the type does not know.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record_unknown();
        visitor.visit_unit()
    }
}

struct SeqAccess<'a> {
    de: Decoder<'a>,
    items: &'a [NodeId],
    next: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(&item) = self.items.get(self.next) else { return Ok(None) };
        let path = Path::Index { parent: self.de.path, index: self.next };
        self.next += 1;
        seed.deserialize(self.de.child(item, &path)).map(Some)
    }
}

struct MapAccess<'a> {
    de: Decoder<'a>,
    entries: &'a [(NodeId, NodeId)],
    /// Entries whose key has been read.
    next: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some(&(key, _)) = self.entries.get(self.next) else { return Ok(None) };
        self.next += 1;
        // A key is read where its mapping is: errors in keys belong to the mapping.
        seed.deserialize(self.de.child(key, self.de.path)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self.entries[self.next.saturating_sub(1)];
        let path = match &self.de.cx.tree.node(key).kind {
            Kind::Scalar { value, .. } => Path::Key { parent: self.de.path, key: value },
            _ => Path::OddKey { parent: self.de.path },
        };
        seed.deserialize(self.de.child(value, &path))
    }
}

/// An enum written as a tagged node (`!Variant value`).
struct TaggedEnum<'a> {
    de: Decoder<'a>,
    /// The enum's name, empty when not known.
    name: &'static str,
    tag: &'a str,
}

impl<'de, 'a> de::EnumAccess<'de> for TaggedEnum<'a> {
    type Error = Error;
    type Variant = Decoder<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Decoder<'a>), Error> {
        let variant = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(self.tag))?;
        Ok((variant, Decoder { in_enum: Some(self.name), ..self.de }))
    }
}

impl<'de> de::VariantAccess<'de> for Decoder<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// An enum written as a plain scalar naming a unit variant.
struct UnitEnum<'a> {
    de: Decoder<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for UnitEnum<'a> {
    type Error = Error;
    type Variant = UnitEnum<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitEnum<'a>), Error> {
        Ok((seed.deserialize(self.de)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitEnum<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant"))
    }
}

/// A local tag without its `!` (`!` alone stays as it is).
fn enum_tag(tag: &str) -> &str {
    match tag.strip_prefix('!') {
        Some(rest) if !rest.is_empty() => rest,
        _ => tag,
    }
}

fn visit_scalar<'de, V: Visitor<'de>>(visitor: V, scalar: Scalar) -> Result<V::Value, Error> {
    match scalar {
        Scalar::Unit => visitor.visit_unit(),
        Scalar::Bool(b) => visitor.visit_bool(b),
        Scalar::U64(n) => visitor.visit_u64(n),
        Scalar::I64(n) => visitor.visit_i64(n),
        Scalar::U128(n) => visitor.visit_u128(n),
        Scalar::I128(n) => visitor.visit_i128(n),
        Scalar::F64(n) => visitor.visit_f64(n),
        Scalar::Str(s) => visitor.visit_str(s),
    }
}

/// What a scalar node means when the reader takes whatever it is. A core schema tag decides the
/// type (and an unreadable value under it is an error); otherwise plain scalars are resolved and
/// quoted or block scalars are text.
fn resolve(node: &Node, tagged_already: bool) -> Result<Scalar<'_>, Error> {
    let Kind::Scalar { value, style } = &node.kind else { return Ok(Scalar::Unit) };
    let plain = *style == ScalarStyle::Plain;
    let tag = if tagged_already { None } else { node.tag.as_deref() };
    let invalid = |expected: &str| -> Error { de::Error::invalid_value(Unexpected::Str(value), &expected) };
    match tag {
        Some(TAG_BOOL) => parse_bool(value).map(Scalar::Bool).ok_or_else(|| invalid("a boolean")),
        Some(TAG_INT) => resolve_int(value).ok_or_else(|| invalid("an integer")),
        Some(TAG_FLOAT) => parse_f64(value).map(Scalar::F64).ok_or_else(|| invalid("a float")),
        Some(TAG_NULL) if is_null(value) => Ok(Scalar::Unit),
        Some(TAG_NULL) => Err(invalid("null")),
        Some(local) if local.starts_with('!') && plain => Ok(resolve_plain(value)),
        Some(_) => Ok(Scalar::Str(value)),
        None if plain => Ok(resolve_plain(value)),
        None => Ok(Scalar::Str(value)),
    }
}

fn resolve_plain(value: &str) -> Scalar<'_> {
    if value.is_empty() || is_null(value) {
        return Scalar::Unit;
    }
    if let Some(b) = parse_bool(value) {
        return Scalar::Bool(b);
    }
    if let Some(int) = resolve_int(value) {
        return int;
    }
    if !leading_zero_digits(value) {
        if let Some(f) = parse_f64(value) {
            return Scalar::F64(f);
        }
    }
    Scalar::Str(value)
}

/// An integer in the narrowest of the types `serde_yaml` tries, in its order.
fn resolve_int(value: &str) -> Option<Scalar<'_>> {
    parse_unsigned(value, u64::from_str_radix)
        .map(Scalar::U64)
        .or_else(|| parse_negative(value, i64::from_str_radix).map(Scalar::I64))
        .or_else(|| parse_unsigned(value, u128::from_str_radix).map(Scalar::U128))
        .or_else(|| parse_negative(value, i128::from_str_radix).map(Scalar::I128))
}

/// The error for a node of the wrong kind, naming what was found as serde does.
fn invalid_type(node: &Node, exp: &dyn Expected) -> Error {
    let scalar = match &node.kind {
        Kind::Seq(_) => return de::Error::invalid_type(Unexpected::Seq, exp),
        Kind::Map(_) => return de::Error::invalid_type(Unexpected::Map, exp),
        Kind::Scalar { .. } => match resolve(node, false) {
            Ok(scalar) => scalar,
            Err(e) => return e,
        },
    };
    let wide;
    let unexpected = match scalar {
        Scalar::Unit => Unexpected::Unit,
        Scalar::Bool(b) => Unexpected::Bool(b),
        Scalar::U64(n) => Unexpected::Unsigned(n),
        Scalar::I64(n) => Unexpected::Signed(n),
        Scalar::U128(n) => {
            wide = format!("integer `{n}` as u128");
            Unexpected::Other(&wide)
        }
        Scalar::I128(n) => {
            wide = format!("integer `{n}` as i128");
            Unexpected::Other(&wide)
        }
        Scalar::F64(f) => Unexpected::Float(f),
        Scalar::Str(s) => Unexpected::Str(s),
    };
    de::Error::invalid_type(unexpected, exp)
}

/// A mapping or sequence must be read to its end (`serde_yaml` checks the same).
fn check_length(read: usize, total: usize, map: bool) -> Result<(), Error> {
    if read == total {
        return Ok(());
    }
    let expected = match (map, read) {
        (true, 1) => "map containing 1 entry".to_string(),
        (true, n) => format!("map containing {n} entries"),
        (false, 1) => "sequence of 1 element".to_string(),
        (false, n) => format!("sequence of {n} elements"),
    };
    Err(de::Error::invalid_length(total, &expected.as_str()))
}

fn is_null(value: &str) -> bool {
    matches!(value, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

const RADIX_PREFIXES: [(&str, &str, u32); 3] = [("0x", "-0x", 16), ("0o", "-0o", 8), ("0b", "-0b", 2)];

fn starts_with_sign(s: &str) -> bool {
    s.starts_with(['+', '-'])
}

/// YAML 1.2 reads `0123` as text, not as an octal or decimal number.
fn leading_zero_digits(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A non-negative integer: decimal, `0x`, `0o` or `0b`, with an optional `+`.
fn parse_unsigned<T>(value: &str, parse: Radix<T>) -> Option<T> {
    let body = value.strip_prefix('+').unwrap_or(value);
    if let Some(n) = parse_prefixed(body, parse)? {
        return Some(n);
    }
    if starts_with_sign(body) || leading_zero_digits(value) {
        return None;
    }
    parse(body, 10).ok()
}

/// An integer of either sign.
fn parse_signed<T>(value: &str, parse: Radix<T>) -> Option<T> {
    let body = match value.strip_prefix('+') {
        Some(body) if starts_with_sign(body) => return None,
        Some(body) => body,
        None => value,
    };
    if let Some(n) = parse_prefixed(body, parse)? {
        return Some(n);
    }
    parse_negative(value, parse)
}

/// `body` (its sign already taken off) as `0x`, `0o` or `0b` digits: `Some(None)` when it is not
/// written so, `None` when it is but carries another sign after the prefix, which YAML refuses.
fn parse_prefixed<T>(body: &str, parse: Radix<T>) -> Option<Option<T>> {
    for (prefix, _, radix) in RADIX_PREFIXES {
        if let Some(digits) = body.strip_prefix(prefix) {
            if starts_with_sign(digits) {
                return None;
            }
            if let Ok(n) = parse(digits, radix) {
                return Some(Some(n));
            }
        }
    }
    Some(None)
}

/// A negative integer (or a plain decimal one, which the unsigned reading has already taken).
fn parse_negative<T>(value: &str, parse: Radix<T>) -> Option<T> {
    for (_, negative, radix) in RADIX_PREFIXES {
        if let Some(digits) = value.strip_prefix(negative) {
            if let Ok(n) = parse(&format!("-{digits}"), radix) {
                return Some(n);
            }
        }
    }
    if leading_zero_digits(value) {
        return None;
    }
    parse(value, 10).ok()
}

/// A finite float, or `.inf`, `-.inf` and `.nan` in their YAML spellings.
fn parse_f64(value: &str) -> Option<f64> {
    let body = match value.strip_prefix('+') {
        Some(body) if starts_with_sign(body) => return None,
        Some(body) => body,
        None => value,
    };
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(value, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(value, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN.copysign(1.0));
    }
    body.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Rewords a serde error at `path`. Missing fields become `Required value` on the missing field;
/// type mismatches read like Go's `cannot unmarshal string into Go value of type int32`.
fn type_error(path: &str, message: &str) -> FieldError {
    let mut message = strip_location(message);
    // serde_yaml prefixes its own rendering of the path; the path is reported separately.
    for phrase in ["invalid type: ", "invalid value: ", "missing field `", "invalid length "] {
        if let Some(i) = message.find(phrase) {
            message = &message[i..];
            break;
        }
    }
    let owned = message.replace("` as u128", "`").replace("` as i128", "`");
    let message = owned.as_str();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return field::required(&field::child(path, name), "");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let found_kind = go_kind(found);
            let go = go_type(expected);
            // Go names the number only when it does not fit the integer type it was meant for.
            let number = found.split('`').nth(1).filter(|_| found_kind == "number" && go.contains("int"));
            let message = match number {
                Some(n) => format!("cannot unmarshal number {n} into Go value of type {go}"),
                None => format!("cannot unmarshal {found_kind} into Go value of type {go}"),
            };
            return field::other(path, Anchor::Value, message);
        }
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let number = found
                .split('`')
                .nth(1)
                .filter(|_| found.starts_with("integer") || found.starts_with("floating"));
            if let Some(number) = number {
                return field::other(
                    path,
                    Anchor::Value,
                    format!("cannot unmarshal number {number} into Go value of type {}", go_type(expected)),
                );
            }
        }
    }
    field::other(path, Anchor::Value, message.to_string())
}

/// serde_yaml appends ` at line N column M` to some messages; positions come from the index instead.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The JSON kind Go names for what serde found (`string "abc"` → `string`).
fn go_kind(found: &str) -> &'static str {
    let word = found.split([' ', '`']).next().unwrap_or("");
    match word {
        "string" | "character" => "string",
        "integer" | "floating" => "number",
        "boolean" => "bool",
        "sequence" => "array",
        "map" => "object",
        "unit" | "null" | "Option" => "null",
        _ => "value",
    }
}

/// The Go type for what a k8s-openapi visitor expected (`i32` → `int32`, `struct Probe` → `object`).
fn go_type(expected: &str) -> String {
    match expected {
        "i32" => "int32".to_string(),
        "i64" => "int64".to_string(),
        "u64" => "uint64".to_string(),
        "u32" => "uint32".to_string(),
        "f64" => "float64".to_string(),
        "a string" | "string" => "string".to_string(),
        "a boolean" | "bool" => "bool".to_string(),
        "a sequence" => "array".to_string(),
        "a map" => "map".to_string(),
        other => {
            let name = other.trim_start_matches("struct ").trim_start_matches("a ");
            if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
                name.to_string()
            } else {
                "object".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    fn check(yaml: &str) -> Vec<String> {
        let docs = super::super::locate::index(yaml).unwrap();
        let (pod, errors) = decode::<Pod>(&docs[0].tree);
        let mut out: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect();
        out.push(format!("decoded: {}", pod.is_some()));
        out
    }

    #[test]
    fn unknown_fields_and_type_errors_are_located() {
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.initialDelaySecond: unknown field \"spec.containers[0].livenessProbe.initialDelaySecond\"",
                "spec.extra: unknown field \"spec.extra\"",
                "decoded: true",
            ]
        "#]]
        .assert_debug_eq(&check(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      initialDelaySecond: 5\n  extra: 1\n",
        ));
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.periodSeconds: cannot unmarshal string into Go value of type int32",
                "decoded: false",
            ]
        "#]]
        .assert_debug_eq(&check(
            "spec:\n  containers:\n  - name: a\n    livenessProbe:\n      periodSeconds: often\n",
        ));
        expect_test::expect![[r#"
            [
                "decoded: true",
            ]
        "#]]
        .assert_debug_eq(&check("spec:\n  containers:\n  - image: a\n"));
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.timeoutSeconds: cannot unmarshal number 3000000000 into Go value of type int32",
                "decoded: false",
            ]
        "#]]
        .assert_debug_eq(&check("spec:\n  containers:\n  - livenessProbe:\n      timeoutSeconds: 3000000000\n"));
    }

    /// Reads a document the way the crate read it before it had its own deserializer: through
    /// `serde_yaml`, with `serde_ignored` reporting skipped fields and `serde_path_to_error`
    /// locating the first error.
    fn reference<T: DeserializeOwned + fmt::Debug>(yaml: &str) -> String {
        let Some(document) = serde_yaml::Deserializer::from_str(yaml).next() else { return String::new() };
        let mut unknown = Vec::new();
        let mut on_ignored = |path: serde_ignored::Path| {
            let mut segments = Vec::new();
            let mut current = &path;
            loop {
                match current {
                    serde_ignored::Path::Root => break,
                    serde_ignored::Path::Seq { parent, index } => {
                        segments.push(format!("[{index}]"));
                        current = parent;
                    }
                    serde_ignored::Path::Map { parent, key } => {
                        segments.push(format!(".{key}"));
                        current = parent;
                    }
                    serde_ignored::Path::Some { parent }
                    | serde_ignored::Path::NewtypeStruct { parent }
                    | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
                }
            }
            let mut rendered: String = segments.iter().rev().map(String::as_str).collect();
            if rendered.starts_with('.') {
                rendered.remove(0);
            }
            unknown.push(field::unknown(&rendered));
        };
        let ignoring = serde_ignored::Deserializer::new(document, &mut on_ignored);
        let result: Result<T, _> = serde_path_to_error::deserialize(ignoring);
        let (object, error) = match result {
            Ok(object) => (Some(object), None),
            Err(e) => {
                let mut path = String::new();
                for segment in e.path().iter() {
                    match segment {
                        serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                        serde_path_to_error::Segment::Map { key } => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(key);
                        }
                        _ => {}
                    }
                }
                (None, Some(type_error(&path, &e.inner().to_string())))
            }
        };
        render_outcome(object, unknown.into_iter().chain(error).collect())
    }

    fn render_outcome<T: fmt::Debug>(object: Option<T>, errors: Vec<FieldError>) -> String {
        let mut out = format!("{object:?}\n");
        for e in errors {
            out.push_str(&format!("{}: {}\n", e.path, e.message));
        }
        out
    }

    fn ours<T: DeserializeOwned + fmt::Debug>(yaml: &str) -> String {
        let docs = super::super::locate::index(yaml).unwrap();
        let (object, errors) = decode::<T>(&docs[0].tree);
        render_outcome(object, errors)
    }

    /// Every scalar spelling, tag and shape, written into fields of every kind a Kubernetes object
    /// has, decodes to the same object and the same errors as through `serde_yaml`.
    #[test]
    fn decoding_matches_serde_yaml() {
        let values = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "False",
            "yes",
            "0",
            "80",
            "+80",
            "-80",
            "080",
            "-080",
            "0x1F",
            "-0x1F",
            "0x-1",
            "0o17",
            "0b101",
            "+0x1F",
            "+-1",
            "1_000",
            "3000000000",
            "-3000000000",
            "99999999999999999999",
            "-99999999999999999999",
            "999999999999999999999999999999999999999999",
            "1.5",
            "-1.5",
            "1e3",
            "1e400",
            ".inf",
            "-.inf",
            "+.inf",
            ".nan",
            ".NaN",
            "+.nan",
            "1.",
            ".5",
            "inf",
            "\"80\"",
            "'80'",
            "\"\"",
            "\"true\"",
            "abc",
            "100m",
            "1Gi",
            "2024-01-02T03:04:05Z",
            "\"2024-01-02T03:04:05Z\"",
            "2024-13-02T03:04:05Z",
            "!!int 80",
            "!!int abc",
            "!!str 80",
            "!!bool yes",
            "!!bool true",
            "!!float 1",
            "!!float x",
            "!!null ''",
            "!!null x",
            "!!null ~",
            "!local 80",
            "!local abc",
            "!local {a: 1}",
            "!!map {a: 1}",
            "|\n      80",
            "!!int |\n      80",
            ">\n      text",
            "[]",
            "[1, 2]",
            "[a, {b: c}]",
            "{}",
            "{a: 1}",
            "{? [x]: 1}",
            "[[1]]",
            "&a 5",
            "*b",
            "{http: 80}",
            "{port: http}",
            "{port: 8080, path: /}",
        ];
        let mut cases = Vec::new();
        for value in values {
            for (prefix, indent) in [
                ("metadata:\n  name: ", 2),
                ("metadata:\n  labels: ", 2),
                ("metadata:\n  labels:\n    app: ", 4),
                ("metadata:\n  creationTimestamp: ", 2),
                ("metadata:\n  unknownField: ", 2),
                ("spec:\n  terminationGracePeriodSeconds: ", 2),
                ("spec:\n  hostNetwork: ", 2),
                ("spec:\n  containers: ", 2),
                ("spec:\n  containers:\n  - name: a\n    image: ", 4),
                ("spec:\n  containers:\n  - ports:\n    - containerPort: ", 6),
                ("spec:\n  containers:\n  - resources:\n      limits:\n        cpu: ", 8),
                ("spec:\n  containers:\n  - livenessProbe:\n      httpGet:\n        port: ", 8),
                ("spec:\n  containers:\n  - livenessProbe:\n      httpGet: ", 6),
                ("spec:\n  containers:\n  - env: ", 4),
                ("spec:\n  containers:\n  - securityContext:\n      runAsUser: ", 6),
                ("status:\n  podIP: ", 2),
                ("spec: ", 0),
            ] {
                let value = value.replace("\n    ", &format!("\n{}", " ".repeat(indent)));
                cases.push(format!("anchor: &b [1]\n{prefix}{value}\n"));
            }
        }
        cases.push("a: &x [*x]\nspec:\n  containers: *x\n".to_string());
        cases.push("spec:\n  containers: &x [{name: a, ports: *x}]\n".to_string());
        cases.push("? [a, b]\n: c\n".to_string());
        cases.push(
            "spec: {containers: [{name: a}], extra: {deep: [1]}}\nmetadata: {annotations: {1: 2, true: x}}\n"
                .to_string(),
        );
        let mut differences = Vec::new();
        let mut compared = 0;
        for case in &cases {
            if super::super::locate::index(case)
                .map_or(true, |docs| docs.len() != 1 || !docs[0].problems.is_empty())
            {
                continue;
            }
            compared += 1;
            let expected = reference::<Pod>(case);
            let actual = ours::<Pod>(case);
            if expected != actual {
                differences.push(format!("{case}\n--- serde_yaml:\n{expected}--- ours:\n{actual}"));
            }
        }
        assert!(compared > cases.len() * 9 / 10, "only {compared} of {} cases are valid YAML", cases.len());
        assert!(
            differences.is_empty(),
            "{} of {} cases differ:\n{}",
            differences.len(),
            cases.len(),
            differences.join("\n")
        );
    }
}
