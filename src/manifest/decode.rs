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

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use saphyr_parser::ScalarStyle;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor};

use super::field::{self, FieldError};
use super::tree::{Kind, Node, NodeId, Tree};

mod scalar;
mod wording;

use scalar::{is_null, parse_bool, resolve, resolve_int, resolve_plain, Scalar};
use wording::{check_length, invalid_type, type_error};

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
            key: false,
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
    /// Whether the node is a mapping key, which is read as the text written (`sigs.k8s.io/yaml`
    /// turns the booleans and numbers YAML 1.1 makes of keys back into text).
    key: bool,
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
        Decoder { cx: self.cx, path, node, depth: self.depth, in_enum: None, key: false }
    }

    /// One level deeper, or the recursion error.
    fn deeper(self) -> Result<Decoder<'a>, Error> {
        match self.depth.checked_sub(1) {
            Some(depth) => Ok(Decoder { depth, ..self }),
            None => Err(Error::structural("recursion limit exceeded")),
        }
    }

    /// The number or boolean a typed read finds: only plain scalars (and literal block scalars
    /// tagged with the wanted type) are read as one, by YAML 1.1's rules. A whole float is a
    /// number like any other once in JSON, so `1e3` fills an integer field.
    fn number(&self, want: Want) -> Option<Scalar<'a>> {
        let Kind::Scalar { value, style } = &self.node().kind else { return None };
        let tag = match want {
            Want::Bool => TAG_BOOL,
            Want::F64 => TAG_FLOAT,
            _ => TAG_INT,
        };
        let scalar = match style {
            ScalarStyle::Plain => resolve_plain(value),
            ScalarStyle::Literal if self.tag() == Some(tag) => match want {
                Want::Bool => Scalar::Bool(parse_bool(value)?),
                Want::F64 => Scalar::F64(scalar::parse_f64(value)?),
                _ => resolve_int(value)?,
            },
            _ => return None,
        };
        let whole = |f: f64| f.fract() == 0.0 && f.abs() < 9.2e18;
        match (want, scalar) {
            (Want::Bool, Scalar::Bool(b)) => Some(Scalar::Bool(b)),
            (Want::I64 | Want::U64, Scalar::U64(n)) => Some(Scalar::U64(n)),
            (Want::I64 | Want::U64, Scalar::I64(n)) => Some(Scalar::I64(n)),
            (Want::I64 | Want::U64 | Want::I128 | Want::U128, Scalar::F64(f)) if whole(f) => {
                Some(Scalar::I64(f as i64))
            }
            (
                Want::I128 | Want::U128,
                n @ (Scalar::U64(_) | Scalar::I64(_) | Scalar::U128(_) | Scalar::I128(_)),
            ) => Some(n),
            (Want::F64, Scalar::F64(f)) => Some(Scalar::F64(f)),
            (Want::F64, Scalar::U64(n)) => Some(Scalar::F64(n as f64)),
            (Want::F64, Scalar::I64(n)) => Some(Scalar::F64(n as f64)),
            _ => None,
        }
    }

    /// The text a string field receives. kubectl sends the API server what YAML 1.1 made of the
    /// scalar, so a plain `yes`, `123` or `1.5` arrives as a JSON boolean or number, which a Go
    /// string refuses; a null leaves the string empty, as Go's JSON decoder does.
    fn text(&self) -> Result<Scalar<'a>, Error> {
        let node = self.node();
        let Kind::Scalar { value, style } = &node.kind else { unreachable!("text of a collection") };
        if self.key || *style != ScalarStyle::Plain {
            return match self.tag() {
                Some(_) if !self.key => resolve(node, false).map(|s| match s {
                    Scalar::Owned(text) => Scalar::Owned(text),
                    _ => Scalar::Str(value),
                }),
                _ => Ok(Scalar::Str(value)),
            };
        }
        let scalar = match self.tag() {
            Some(tag) if tag.starts_with('!') => return Ok(Scalar::Str(value)),
            Some(_) => resolve(node, false)?,
            None => resolve_plain(value),
        };
        match scalar {
            Scalar::Unit => Ok(Scalar::Str("")),
            Scalar::Str(_) | Scalar::Owned(_) => Ok(scalar),
            _ => Err(self.invalid_type(&"a string")),
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

    /// The mapping's entries, with merge keys (`<<: *defaults`) applied as go-yaml v2 applies
    /// them (`decoder.merge` in `decode.go`): the merged mapping's entries take the place of the
    /// `<<` key, so they replace keys written before it and yield to keys written after it; of a
    /// sequence of mappings, the earlier ones win.
    fn entries(&self) -> Result<Cow<'a, [(NodeId, NodeId)]>, Error> {
        let tree = self.cx.tree;
        let entries: &'a [(NodeId, NodeId)] = match &self.node().kind {
            Kind::Map(entries) => entries,
            _ => &[],
        };
        if !entries.iter().any(|(key, _)| is_merge_key(tree.node(*key))) {
            return Ok(Cow::Borrowed(entries));
        }
        let mut merged = Vec::with_capacity(entries.len());
        merge_into(tree, entries, &mut merged, MAX_MERGE_DEPTH)?;
        Ok(Cow::Owned(merged))
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
        let mut access = MapAccess { de: inner, entries: self.entries()?, next: 0 };
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
            Kind::Scalar { .. } => match self.text() {
                Ok(scalar) => visit_scalar(visitor, scalar),
                Err(e) => Err(e),
            },
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
            _ if self.is_empty_scalar() => {
                visitor.visit_map(MapAccess { de: self, entries: Cow::Borrowed(&[]), next: 0 })
            }
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
    entries: Cow<'a, [(NodeId, NodeId)]>,
    /// Entries whose key has been read.
    next: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some(&(key, _)) = self.entries.get(self.next) else { return Ok(None) };
        self.next += 1;
        // A key is read where its mapping is: errors in keys belong to the mapping.
        seed.deserialize(Decoder { key: true, ..self.de.child(key, self.de.path) }).map(Some)
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

/// How deeply merged mappings may themselves merge others; a mapping that merges itself through
/// an alias ends here.
const MAX_MERGE_DEPTH: u32 = 32;

/// Whether a key is YAML 1.1's merge key: a plain, untagged `<<`.
fn is_merge_key(node: &Node) -> bool {
    node.tag.is_none()
        && matches!(&node.kind, Kind::Scalar { value, style: ScalarStyle::Plain } if value == "<<")
}

/// Adds a mapping's entries to `out`, applying its merge keys; an entry replaces the one with the
/// same key already there.
fn merge_into(
    tree: &Tree,
    entries: &[(NodeId, NodeId)],
    out: &mut Vec<(NodeId, NodeId)>,
    depth: u32,
) -> Result<(), Error> {
    let depth = depth.checked_sub(1).ok_or_else(|| Error::structural("recursion limit exceeded"))?;
    for &(key, value) in entries {
        if !is_merge_key(tree.node(key)) {
            set_entry(tree, out, key, value);
            continue;
        }
        let refused = || de::Error::custom("map merge requires map or sequence of maps as the value");
        match &tree.node(value).kind {
            Kind::Map(inner) => merge_into(tree, inner, out, depth)?,
            Kind::Seq(items) => {
                for &item in items.iter().rev() {
                    match &tree.node(item).kind {
                        Kind::Map(inner) => merge_into(tree, inner, out, depth)?,
                        _ => return Err(refused()),
                    }
                }
            }
            Kind::Scalar { .. } => return Err(refused()),
        }
    }
    Ok(())
}

fn set_entry(tree: &Tree, out: &mut Vec<(NodeId, NodeId)>, key: NodeId, value: NodeId) {
    let text = |id: NodeId| match &tree.node(id).kind {
        Kind::Scalar { value, .. } => Some(value.as_str()),
        _ => None,
    };
    let written = text(key);
    match out.iter_mut().find(|(k, _)| written.is_some() && text(*k) == written) {
        Some(slot) => *slot = (key, value),
        None => out.push((key, value)),
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
        Scalar::Owned(s) => visitor.visit_string(s),
    }
}

#[cfg(test)]
pub(super) mod tests;
