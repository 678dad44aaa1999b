//! [`Payload`]: the JSON value states pass around, with shared subtrees.
//!
//! Objects, arrays and strings sit behind `Arc`s, so cloning a payload, selecting a subtree with a
//! path, building a Parameters object around parts of the input, or keeping a payload in a history
//! event copies pointers, not trees. Writing (ResultPath) copies only the spine it changes
//! (`Arc::make_mut`), and a field added to a shared object is a layer over it ([`set_field`]).
//! Objects keep key order, like the workspace's `serde_json` (`preserve_order`).
//! Conversions to and from `serde_json::Value` happen at the edges (definition, mocks, the API).

use std::sync::Arc;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::{Number, Value};

type Index = IndexMap<Arc<str>, Payload, foldhash::fast::FixedState>;

/// A small object's fields; one is kept inline, so a one-field object (`{"n": …}` built by
/// Parameters at every step of a loop) is a single allocation with its `Arc`.
type Fields = smallvec::SmallVec<[(Arc<str>, Payload); 1]>;

/// Objects with at most this many fields are a plain vector searched linearly: no hash table to
/// build, copy or grow (most payloads a state writes are small, and ResultPath copies the
/// object it writes into whenever history still holds the old one).
const SMALL: usize = 32;

/// How many layers may stack on a shared object before a write copies it flat.
/// A chain of states each adding a field with ResultPath (a Parallel branch of 20 Pass states
/// annotating its input) stays a chain of layers, with no flat copy of the growing object; a
/// read walks at most this many layers, as cheap as searching a small object's vector.
const LAYERS: u8 = 32;

/// An object's fields, in insertion order (like the workspace's `serde_json` with
/// `preserve_order`). Small objects are a vector; larger ones an `IndexMap` hashed with a
/// fixed-seed fast hasher (keys come from the user's own definitions and inputs, and output
/// order is insertion order either way).
///
/// Adding a field to an object that others still hold (ResultPath writing into a state's input,
/// which its history events keep) does not copy it: the result is a *layer*, the shared object
/// plus the new field ([`set_field`]), or plus several new fields ([`NewFields`]). At most
/// [`LAYERS`] layers stack; the next write, or any other change to a layered object but to
/// its own fields' values, copies it flat.
#[derive(Debug, Clone)]
pub struct Object(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Small(Fields),
    /// Boxed: keeps every object (and its `Arc` allocation) small.
    Large(Box<Index>),
    /// `base` and then `fields`, whose keys `base` does not have (and distinct).
    Layer {
        base: Arc<Object>,
        fields: LayerFields,
        depth: u8,
        /// The [`key_bit`]s of every key of the object: a key whose bit is clear is not there,
        /// found without walking down the layers.
        keys: u64,
    },
}

/// A layer's fields: pairs, or values whose keys are the first names of a list shared with
/// whoever made the layer (a plan's chain of states each adding a field: the layer counts the
/// list once, not each name; see [`NewFields::push`]).
#[derive(Debug, Clone)]
enum LayerFields {
    Pairs(Fields),
    Named { names: Arc<[Arc<str>]>, values: Values },
}

/// A named layer's values; two kept inline.
type Values = smallvec::SmallVec<[Payload; 2]>;

impl LayerFields {
    #[inline]
    fn len(&self) -> usize {
        match self {
            LayerFields::Pairs(p) => p.len(),
            LayerFields::Named { values, .. } => values.len(),
        }
    }

    /// Field `i`.
    #[inline]
    fn get(&self, i: usize) -> Option<(&Arc<str>, &Payload)> {
        match self {
            LayerFields::Pairs(p) => p.get(i).map(|(k, v)| (k, v)),
            LayerFields::Named { names, values } => Some((names.get(i)?, values.get(i)?)),
        }
    }

    /// Where field `key` is.
    #[inline]
    fn position(&self, key: &str) -> Option<usize> {
        match self {
            LayerFields::Pairs(p) => p.iter().position(|(k, _)| key_eq(k, key)),
            LayerFields::Named { names, values } => {
                names.iter().take(values.len()).position(|k| key_eq(k, key))
            }
        }
    }

    /// The value of field `i` (there is one).
    fn value_mut(&mut self, i: usize) -> &mut Payload {
        match self {
            LayerFields::Pairs(p) => &mut p[i].1,
            LayerFields::Named { values, .. } => &mut values[i],
        }
    }

    /// The first `n` fields.
    fn prefix(&self, n: usize) -> LayerFields {
        match self {
            LayerFields::Pairs(p) => LayerFields::Pairs(p.iter().take(n).cloned().collect()),
            LayerFields::Named { names, values } => LayerFields::Named {
                names: Arc::clone(names),
                values: values.iter().take(n).cloned().collect(),
            },
        }
    }

    /// The union of the fields' [`key_bit`]s.
    fn key_bits(&self) -> u64 {
        (0..self.len()).filter_map(|i| self.get(i)).fold(0, |bits, (k, _)| bits | key_bit(k))
    }
}

/// One bit of 64 standing for a key (from its length and its first and last bytes, mixed): a
/// summary of a layered object's keys that tells most absent keys at once.
#[inline]
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let first = u64::from(b.first().copied().unwrap_or(0));
    let last = u64::from(b.last().copied().unwrap_or(0));
    let h = (b.len() as u64) ^ (first << 8) ^ (last << 16);
    1 << (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// Key equality without a `memcmp` call for the short keys objects mostly have.
#[inline]
fn key_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

impl Default for Object {
    #[inline]
    fn default() -> Object {
        Object(Repr::Small(Fields::new()))
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object::default()
    }

    /// An empty object with room for `n` fields.
    #[inline]
    pub fn with_capacity(n: usize) -> Object {
        // Room for one field is the inline room: no growing path to build through (a
        // one-field Parameters object is built at every step of a counting loop).
        if n <= 1 {
            return Object::default();
        }
        if n <= SMALL {
            Object(Repr::Small(Fields::with_capacity(n)))
        } else {
            Object(Repr::Large(Box::new(Index::with_capacity_and_hasher(n, Default::default()))))
        }
    }

    /// A flat copy with room for `extra` more fields (a copy-on-write that will insert next).
    pub fn clone_with_room(&self, extra: usize) -> Object {
        match &self.0 {
            Repr::Small(v) => {
                let mut c = Fields::with_capacity(v.len() + extra);
                c.extend(v.iter().cloned());
                Object(Repr::Small(c))
            }
            // Copying the hash table is cheaper than rebuilding it with room to spare.
            Repr::Large(m) => Object(Repr::Large(m.clone())),
            Repr::Layer { .. } => self.flat_copy(extra),
        }
    }

    /// The same fields in a flat (unlayered) object.
    fn flat_copy(&self, extra: usize) -> Object {
        let n = self.len();
        if n + extra <= SMALL {
            let mut v = Fields::with_capacity(n + extra);
            v.extend(self.iter().map(|(k, v)| (k.clone(), v.clone())));
            Object(Repr::Small(v))
        } else {
            let mut m = Index::with_capacity_and_hasher(n + extra, Default::default());
            m.extend(self.iter().map(|(k, v)| (k.clone(), v.clone())));
            Object(Repr::Large(Box::new(m)))
        }
    }

    /// Makes a layered object flat (before a change a layer cannot express).
    fn flatten(&mut self) {
        if matches!(self.0, Repr::Layer { .. }) {
            *self = self.flat_copy(1);
        }
    }

    #[inline]
    fn depth(&self) -> u8 {
        match &self.0 {
            Repr::Layer { depth, .. } => *depth,
            _ => 0,
        }
    }

    /// The union of the [`key_bit`]s of the object's keys (all bits for a large object, whose
    /// own lookup is a hash already).
    #[inline]
    fn key_bits(&self) -> u64 {
        match &self.0 {
            Repr::Layer { keys, .. } => *keys,
            Repr::Small(v) => v.iter().fold(0, |bits, (k, _)| bits | key_bit(k)),
            Repr::Large(_) => u64::MAX,
        }
    }

    /// Number of fields.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
            Repr::Layer { base, fields, .. } => base.len() + fields.len(),
        }
    }

    /// No fields?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A field.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&Payload> {
        if let Repr::Layer { keys, .. } = &self.0
            && keys & key_bit(key) == 0
        {
            return None;
        }
        let mut cur = self;
        loop {
            match &cur.0 {
                Repr::Small(v) => {
                    return v.iter().find(|(k, _)| key_eq(k, key)).map(|(_, v)| v);
                }
                Repr::Large(m) => return m.get(key),
                Repr::Layer { base, fields, .. } => {
                    if let Some(i) = fields.position(key) {
                        return fields.get(i).map(|(_, v)| v);
                    }
                    cur = base;
                }
            }
        }
    }

    /// A field, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Payload> {
        let own = self.own_field(key);
        if own.is_none() {
            self.flatten();
        }
        match &mut self.0 {
            Repr::Small(v) => v.iter_mut().find(|(k, _)| key_eq(k, key)).map(|(_, v)| v),
            Repr::Large(m) => m.get_mut(key),
            Repr::Layer { fields, .. } => own.map(|i| fields.value_mut(i)),
        }
    }

    /// Where field `key` is when the object is a layer with that field of its own (not its
    /// base's): a field whose value may change without copying the base.
    fn own_field(&self, key: &str) -> Option<usize> {
        match &self.0 {
            Repr::Layer { fields, .. } => fields.position(key),
            _ => None,
        }
    }

    /// Whether the field exists.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn promote(&mut self) {
        if let Repr::Small(v) = &mut self.0 {
            let mut m = Index::with_capacity_and_hasher(v.len() * 2, Default::default());
            m.extend(v.drain(..));
            self.0 = Repr::Large(Box::new(m));
        }
    }

    /// Sets a field: an existing key keeps its position; a new one goes last. Returns the old
    /// value.
    pub fn insert(&mut self, key: Arc<str>, value: Payload) -> Option<Payload> {
        if let Repr::Layer { fields, .. } = &mut self.0 {
            if let Some(i) = fields.position(&key) {
                return Some(std::mem::replace(fields.value_mut(i), value));
            }
            self.flatten();
        }
        if let Repr::Small(v) = &self.0
            && v.len() >= SMALL
            && !v.iter().any(|(k, _)| key_eq(k, &key))
        {
            self.promote();
        }
        match &mut self.0 {
            Repr::Small(v) => match v.iter_mut().find(|(k, _)| key_eq(k, &key)) {
                Some(slot) => Some(std::mem::replace(&mut slot.1, value)),
                None => {
                    v.push((key, value));
                    None
                }
            },
            Repr::Large(m) => m.insert(key, value),
            // Flattened above.
            Repr::Layer { .. } => None,
        }
    }

    /// Appends a field whose key the object does not have (the caller knows: a template's
    /// distinct names), without looking for it first.
    #[inline]
    pub fn push_new(&mut self, key: Arc<str>, value: Payload) {
        match &mut self.0 {
            Repr::Small(v) if v.len() < SMALL => v.push((key, value)),
            _ => {
                self.insert(key, value);
            }
        }
    }

    /// The field `key`, inserted with `default()` first when missing.
    pub fn get_or_insert_with(
        &mut self,
        key: &Arc<str>,
        default: impl FnOnce() -> Payload,
    ) -> &mut Payload {
        let own = self.own_field(key);
        if own.is_none() {
            self.flatten();
        }
        if let Repr::Small(v) = &self.0
            && v.len() >= SMALL
            && !v.iter().any(|(k, _)| key_eq(k, key))
        {
            self.promote();
        }
        match &mut self.0 {
            Repr::Layer { fields, .. } => fields.value_mut(own.unwrap_or_default()),
            Repr::Small(v) => {
                let i = match v.iter().position(|(k, _)| key_eq(k, key)) {
                    Some(i) => i,
                    None => {
                        v.push((key.clone(), default()));
                        v.len() - 1
                    }
                };
                &mut v[i].1
            }
            Repr::Large(m) => m.entry(key.clone()).or_insert_with(default),
        }
    }

    /// Removes a field, keeping the others' order.
    pub fn shift_remove(&mut self, key: &str) -> Option<Payload> {
        if !self.contains_key(key) {
            return None;
        }
        self.flatten();
        match &mut self.0 {
            Repr::Small(v) => {
                let i = v.iter().position(|(k, _)| key_eq(k, key))?;
                Some(v.remove(i).1)
            }
            Repr::Large(m) => m.shift_remove(key),
            Repr::Layer { .. } => None,
        }
    }

    /// The fields in order.
    pub fn iter(&self) -> Iter<'_> {
        let mut layers = 0;
        let mut layers_left = 0;
        let mut cur = self;
        while let Repr::Layer { base, fields, .. } = &cur.0 {
            layers += 1;
            layers_left += fields.len();
            cur = base;
        }
        let root = match &cur.0 {
            Repr::Small(v) => Root::Small(v.iter()),
            Repr::Large(m) => Root::Large(m.iter()),
            Repr::Layer { .. } => Root::Small([].iter()),
        };
        let top_fields = self.own_fields();
        Iter {
            root,
            top: self,
            layers,
            front: (0, 0, self.layer_fields(layers, 0)),
            back: (layers.saturating_sub(1), top_fields.map_or(0, LayerFields::len), top_fields),
            layers_left,
        }
    }

    /// A layer's own fields (none for a flat object).
    #[inline]
    fn own_fields(&self) -> Option<&LayerFields> {
        match &self.0 {
            Repr::Layer { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The fields of layer `k` (from the oldest, 0) of an object of `layers` layers.
    fn layer_fields(&self, layers: usize, k: usize) -> Option<&LayerFields> {
        let mut cur = self;
        for _ in k + 1..layers {
            match &cur.0 {
                Repr::Layer { base, .. } => cur = base,
                _ => return None,
            }
        }
        cur.own_fields()
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Arc<str>> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    /// The values in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Payload> + ExactSizeIterator {
        self.iter().map(|(_, v)| v)
    }
}

/// The object behind `o`, copied first (flat, with room for `extra` more fields) when shared.
#[inline]
pub fn make_mut_object(o: &mut Arc<Object>, extra: usize) -> &mut Object {
    // A plain load, not the locked compare-and-swap `Arc::get_mut` costs: only strong
    // references to objects are ever made (no `Weak`), so a count of 1 means this is the only one.
    if Arc::strong_count(o) > 1 {
        *o = Arc::new(o.clone_with_room(extra));
    }
    Arc::make_mut(o)
}

/// `o` with `key` set. When the object is shared and has no such key, the result is a layer
/// over it (no copy, and `o` moves into the layer without a reference counted), up to
/// [`LAYERS`] deep; otherwise the object is changed in place, copied first when shared.
#[inline]
pub fn set_field(mut o: Arc<Object>, key: &Arc<str>, value: Payload) -> Arc<Object> {
    if Arc::strong_count(&o) > 1 && o.depth() < LAYERS {
        let bit = key_bit(key);
        let keys = o.key_bits();
        if keys & bit == 0 || !o.contains_key(key) {
            let mut pairs = Fields::new();
            pairs.push((key.clone(), value));
            let fields = LayerFields::Pairs(pairs);
            let depth = o.depth() + 1;
            return Arc::new(Object(Repr::Layer { base: o, fields, depth, keys: keys | bit }));
        }
    }
    make_mut_object(&mut o, 1).insert(key.clone(), value);
    o
}

/// Whether a layer over `o` may hold `key`: `o` has no such key and is less than [`LAYERS`]
/// deep.
#[inline]
fn can_layer(o: &Object, key: &str) -> bool {
    o.depth() < LAYERS && (o.key_bits() & key_bit(key) == 0 || !o.contains_key(key))
}

/// New fields collected to be layered over an object at once ([`NewFields::layer_over`]). A
/// caller adding fields one by one (a chain of states each writing one) collects them: each
/// step in between is the layer without its last fields ([`before_last_fields`]), so it needs
/// no object of its own until someone reads it.
#[derive(Debug)]
pub struct NewFields {
    fields: LayerFields,
    /// The [`key_bit`]s of the fields' keys.
    keys: u64,
}

impl Default for NewFields {
    fn default() -> NewFields {
        NewFields { fields: LayerFields::Pairs(Fields::new()), keys: 0 }
    }
}

impl NewFields {
    /// None yet.
    pub fn new() -> NewFields {
        NewFields::default()
    }

    /// None collected?
    pub fn is_empty(&self) -> bool {
        self.fields.len() == 0
    }

    /// Whether field `key` may join these, to be layered over `o`: neither has it, `o` is
    /// less than `LAYERS` deep, and the layer is still small.
    #[inline]
    pub fn can_add(&self, o: &Object, key: &str) -> bool {
        let bit = key_bit(key);
        self.fields.len() < SMALL
            && can_layer(o, key)
            && (self.keys & bit == 0 || self.fields.position(key).is_none())
    }

    /// Adds field `key` ([`NewFields::can_add`] allowed it). `names` is the list of the
    /// names the caller will add from this one on, when it knows it (a plan's chain of
    /// states, each adding a field): collected from its start, the fields count the list
    /// once instead of counting each name. A key other than the list's next is still added,
    /// counted.
    #[inline]
    pub fn push(&mut self, key: &Arc<str>, value: Payload, names: Option<&Arc<[Arc<str>]>>) {
        self.keys |= key_bit(key);
        match &mut self.fields {
            LayerFields::Named { names, values }
                if names.get(values.len()).is_some_and(|k| Arc::ptr_eq(k, key)) =>
            {
                values.push(value);
            }
            LayerFields::Pairs(pairs) if pairs.is_empty() => match names {
                Some(names) if names.first().is_some_and(|k| Arc::ptr_eq(k, key)) => {
                    let mut values = Values::new();
                    values.push(value);
                    self.fields = LayerFields::Named { names: Arc::clone(names), values };
                }
                _ => pairs.push((Arc::clone(key), value)),
            },
            LayerFields::Pairs(pairs) => pairs.push((Arc::clone(key), value)),
            LayerFields::Named { .. } => {
                let n = self.fields.len();
                let mut pairs: Fields = (0..n)
                    .filter_map(|i| self.fields.get(i))
                    .map(|(k, v)| (Arc::clone(k), v.clone()))
                    .collect();
                pairs.push((Arc::clone(key), value));
                self.fields = LayerFields::Pairs(pairs);
            }
        }
    }

    /// `o` with the fields collected, as one layer over it, whoever else holds `o` (each
    /// allowed by [`NewFields::can_add`] for this `o`); none are left collected.
    pub fn layer_over(&mut self, o: Arc<Object>) -> Arc<Object> {
        let NewFields { fields, keys } = std::mem::take(self);
        layer(o, fields, keys)
    }
}

/// `o` with `fields` (whose [`key_bit`]s are `keys`) added as one layer over it: their keys
/// are distinct, `o` has none of them and is less than [`LAYERS`] deep.
#[inline]
fn layer(o: Arc<Object>, fields: LayerFields, keys: u64) -> Arc<Object> {
    let depth = o.depth() + 1;
    let keys = o.key_bits() | keys;
    Arc::new(Object(Repr::Layer { base: o, fields, depth, keys }))
}

/// The object layer `o` was before its last `n` fields were added ([`NewFields`]): its base
/// and its other fields (its base alone when `n` is all of them). `None` when `o` is not a
/// layer of at least `n` fields.
pub fn before_last_fields(o: &Object, n: usize) -> Option<Arc<Object>> {
    let Repr::Layer { base, fields, .. } = &o.0 else { return None };
    match fields.len().checked_sub(n)? {
        0 => Some(Arc::clone(base)),
        keep => {
            let fields = fields.prefix(keep);
            let keys = fields.key_bits();
            Some(layer(Arc::clone(base), fields, keys))
        }
    }
}

enum Root<'a> {
    Small(std::slice::Iter<'a, (Arc<str>, Payload)>),
    Large(indexmap::map::Iter<'a, Arc<str>, Payload>),
}

/// Iterator over an [`Object`]'s fields: its root's, then its layers' from the oldest (each
/// found by walking down from the top when the iterator reaches it, so a flat object's
/// iterator collects nothing).
pub struct Iter<'a> {
    root: Root<'a>,
    top: &'a Object,
    /// How many layers `top` has.
    layers: usize,
    /// The next layer field from the front: (layer from the oldest, index, that layer's fields).
    front: (usize, usize, Option<&'a LayerFields>),
    /// The layer field after the next one from the back, likewise.
    back: (usize, usize, Option<&'a LayerFields>),
    /// How many of the layers' fields are left (between `front` and `back`).
    layers_left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Arc<str>, &'a Payload);
    fn next(&mut self) -> Option<Self::Item> {
        let from_root = match &mut self.root {
            Root::Small(i) => i.next().map(|(k, v)| (k, v)),
            Root::Large(i) => i.next(),
        };
        if from_root.is_some() {
            return from_root;
        }
        while self.layers_left > 0 {
            let (layer, i, fields) = self.front;
            match fields.and_then(|f| f.get(i)) {
                Some((k, v)) => {
                    self.front.1 += 1;
                    self.layers_left -= 1;
                    return Some((k, v));
                }
                None if layer + 1 < self.layers => {
                    self.front = (layer + 1, 0, self.top.layer_fields(self.layers, layer + 1));
                }
                None => return None,
            }
        }
        None
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let root = match &self.root {
            Root::Small(i) => i.len(),
            Root::Large(i) => i.len(),
        };
        let n = root + self.layers_left;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        while self.layers_left > 0 {
            let (layer, i, fields) = self.back;
            match i.checked_sub(1) {
                Some(i) => {
                    let (k, v) = fields?.get(i)?;
                    self.back.1 = i;
                    self.layers_left -= 1;
                    return Some((k, v));
                }
                None => {
                    let below = layer.checked_sub(1)?;
                    let fields = self.top.layer_fields(self.layers, below);
                    self.back = (below, fields.map_or(0, LayerFields::len), fields);
                }
            }
        }
        match &mut self.root {
            Root::Small(i) => i.next_back().map(|(k, v)| (k, v)),
            Root::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a Arc<str>, &'a Payload);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<(Arc<str>, Payload)> for Object {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, Payload)>>(iter: I) -> Object {
        let iter = iter.into_iter();
        let mut o = Object::with_capacity(iter.size_hint().0);
        o.extend(iter);
        o
    }
}

impl Extend<(Arc<str>, Payload)> for Object {
    fn extend<I: IntoIterator<Item = (Arc<str>, Payload)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// Equal as maps: same keys with equal values, in any order.
impl PartialEq for Object {
    fn eq(&self, other: &Object) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

/// A JSON value with shared subtrees.
#[derive(Debug, Clone, Default)]
pub enum Payload {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (as `serde_json` keeps it).
    Number(Number),
    /// A string.
    String(Arc<str>),
    /// An array.
    Array(Arc<Vec<Payload>>),
    /// An object.
    Object(Arc<Object>),
}

impl Payload {
    /// The JSON `null`.
    pub const NULL: Payload = Payload::Null;

    /// A string payload.
    pub fn string(s: impl Into<Arc<str>>) -> Payload {
        Payload::String(s.into())
    }

    /// An array payload.
    #[inline]
    pub fn array(items: Vec<Payload>) -> Payload {
        Payload::Array(Arc::new(items))
    }

    /// An object payload.
    #[inline]
    pub fn object(fields: Object) -> Payload {
        Payload::Object(Arc::new(fields))
    }

    /// An empty object.
    pub fn empty_object() -> Payload {
        Payload::Object(Arc::new(Object::default()))
    }

    /// Whether both are the same shared node (cheap identity, not equality).
    pub fn ptr_eq(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Object(a), Payload::Object(b)) => Arc::ptr_eq(a, b),
            (Payload::Array(a), Payload::Array(b)) => Arc::ptr_eq(a, b),
            (Payload::String(a), Payload::String(b)) => Arc::ptr_eq(a, b),
            (Payload::Null, Payload::Null) => true,
            _ => false,
        }
    }

    /// The string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Payload::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as f64, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Payload::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as u64, when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Payload::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The boolean, when it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Payload::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, when it is an array.
    pub fn as_array(&self) -> Option<&[Payload]> {
        match self {
            Payload::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The fields, when it is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Payload::Object(o) => Some(o),
            _ => None,
        }
    }

    /// A field of an object.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&Payload> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// `null`?
    pub fn is_null(&self) -> bool {
        matches!(self, Payload::Null)
    }

    /// A number?
    pub fn is_number(&self) -> bool {
        matches!(self, Payload::Number(_))
    }

    /// A string?
    pub fn is_string(&self) -> bool {
        matches!(self, Payload::String(_))
    }

    /// A boolean?
    pub fn is_boolean(&self) -> bool {
        matches!(self, Payload::Bool(_))
    }

    /// The `serde_json::Value` (a deep copy: for the API edge).
    pub fn to_value(&self) -> Value {
        match self {
            Payload::Null => Value::Null,
            Payload::Bool(b) => Value::Bool(*b),
            Payload::Number(n) => Value::Number(n.clone()),
            Payload::String(s) => Value::String(s.to_string()),
            Payload::Array(a) => Value::Array(a.iter().map(Payload::to_value).collect()),
            Payload::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.to_string(), v.to_value())).collect())
            }
        }
    }

    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Payload, serde_json::Error> {
        serde_json::from_str::<Value>(text).map(|v| Payload::from(&v))
    }
}

impl From<&Value> for Payload {
    fn from(v: &Value) -> Payload {
        match v {
            Value::Null => Payload::Null,
            Value::Bool(b) => Payload::Bool(*b),
            Value::Number(n) => Payload::Number(n.clone()),
            Value::String(s) => Payload::String(Arc::from(s.as_str())),
            Value::Array(a) => Payload::array(a.iter().map(Payload::from).collect()),
            Value::Object(o) => Payload::object(
                o.iter().map(|(k, v)| (Arc::from(k.as_str()), Payload::from(v))).collect(),
            ),
        }
    }
}

impl From<Value> for Payload {
    fn from(v: Value) -> Payload {
        Payload::from(&v)
    }
}

impl From<bool> for Payload {
    fn from(b: bool) -> Payload {
        Payload::Bool(b)
    }
}

impl From<i64> for Payload {
    fn from(n: i64) -> Payload {
        Payload::Number(n.into())
    }
}

impl From<u64> for Payload {
    fn from(n: u64) -> Payload {
        Payload::Number(n.into())
    }
}

impl From<usize> for Payload {
    fn from(n: usize) -> Payload {
        Payload::Number((n as u64).into())
    }
}

impl From<&str> for Payload {
    fn from(s: &str) -> Payload {
        Payload::String(Arc::from(s))
    }
}

impl From<String> for Payload {
    fn from(s: String) -> Payload {
        Payload::String(Arc::from(s))
    }
}

/// Structural equality (numbers as `serde_json` compares them; see [`json_eq`] for by-value).
impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Null, Payload::Null) => true,
            (Payload::Bool(a), Payload::Bool(b)) => a == b,
            (Payload::Number(a), Payload::Number(b)) => a == b,
            (Payload::String(a), Payload::String(b)) => a == b,
            (Payload::Array(a), Payload::Array(b)) => Arc::ptr_eq(a, b) || a == b,
            (Payload::Object(a), Payload::Object(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }
}

impl PartialEq<Value> for Payload {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Payload::Null, Value::Null) => true,
            (Payload::Bool(a), Value::Bool(b)) => a == b,
            (Payload::Number(a), Value::Number(b)) => a == b,
            (Payload::String(a), Value::String(b)) => &**a == b.as_str(),
            (Payload::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Payload::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(&**k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

/// JSON equality with numbers compared by value (1 == 1.0).
pub fn json_eq(a: &Payload, b: &Payload) -> bool {
    match (a, b) {
        (Payload::Number(x), Payload::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Payload::Array(x), Payload::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| json_eq(a, b))
        }
        (Payload::Object(x), Payload::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

impl serde::Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Payload::Null => s.serialize_unit(),
            Payload::Bool(b) => s.serialize_bool(*b),
            Payload::Number(n) => n.serialize(s),
            Payload::String(v) => s.serialize_str(v),
            Payload::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a.iter() {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Payload::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Compact JSON text, like `serde_json::Value`'s `Display`.
impl std::fmt::Display for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payload_round_trips_through_serde_json_keeping_key_order() {
        let v = json!({"z": 1, "a": [true, null, "s", 2.5], "m": {"k": {}}});
        let p = Payload::from(&v);
        assert_eq!(p.to_value(), v);
        assert_eq!(p.to_string(), v.to_string());
        assert!(p == v);
    }

    #[test]
    fn clones_share_subtrees() {
        let p = Payload::from(json!({"big": [1, 2, 3]}));
        let q = p.clone();
        assert!(p.ptr_eq(&q), "a clone is the same node");
        let (Some(a), Some(b)) = (p.get("big"), q.get("big")) else { panic!("fields") };
        assert!(a.ptr_eq(b));
    }

    #[test]
    fn objects_keep_insertion_order_small_and_large() {
        for n in [3usize, SMALL, SMALL + 5, 100] {
            let mut o = Object::new();
            for i in 0..n {
                assert!(o.insert(Arc::from(format!("k{i}").as_str()), Payload::from(i)).is_none());
            }
            // Replacing keeps the key's position; a missing key goes last.
            assert_eq!(o.insert(Arc::from("k1"), Payload::from("x")), Some(Payload::from(1usize)));
            *o.get_or_insert_with(&Arc::from("new"), Payload::empty_object) = Payload::Null;
            let keys: Vec<String> = o.keys().map(|k| k.to_string()).collect();
            assert_eq!(keys.len(), n + 1);
            assert_eq!(keys[1], "k1");
            assert_eq!(keys[n], "new");
            assert_eq!(o.get("k1"), Some(&Payload::from("x")));
            assert_eq!(o.shift_remove("k0"), Some(Payload::from(0usize)));
            assert_eq!(o.keys().next().map(|k| k.to_string()), Some("k1".to_owned()));
            let copy = o.clone_with_room(1);
            assert!(copy == o, "a copy is equal");
            let reversed: Object = o.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert!(reversed == o, "equality ignores order");
        }
    }

    #[test]
    fn layers_find_every_key_whatever_their_key_summary_says() {
        // Over a small base (summarised key by key) and a large one (hashed, not summarised).
        for n in [3usize, 40] {
            let base =
                Arc::new((0..n).map(|i| (Arc::from(format!("b{i}")), Payload::from(i))).collect());
            let mut o: Arc<Object> = Arc::clone(&base);
            let mut held = Vec::new();
            for i in 0..100usize {
                held.push(Arc::clone(&o));
                o = set_field(o, &Arc::from(format!("k{i}")), Payload::from(i));
            }
            for i in 0..n {
                assert_eq!(o.get(&format!("b{i}")), Some(&Payload::from(i)), "base key b{i}");
            }
            for i in 0..100usize {
                assert_eq!(o.get(&format!("k{i}")), Some(&Payload::from(i)), "layer key k{i}");
            }
            for absent in ["", "k", "k100", "b", "zz", "b999"] {
                assert!(o.get(absent).is_none(), "{absent:?} is not a key");
            }
            assert_eq!(o.len(), n + 100);
        }
    }

    #[test]
    fn fields_added_to_a_shared_object_are_layers_that_behave_like_copies() {
        let shared = Arc::new(Object::from_iter([
            (Arc::from("a"), Payload::from(1u64)),
            (Arc::from("b"), Payload::from(2u64)),
        ]));
        let mut o = Arc::clone(&shared);
        for i in 0..20u64 {
            let keep = Arc::clone(&o); // history still holds the previous value
            o = set_field(o, &Arc::from(format!("k{i}").as_str()), Payload::from(i));
            assert_eq!(keep.len() + 1, o.len());
            assert!(keep.get(&format!("k{i}")).is_none(), "the held value is unchanged");
        }
        assert_eq!(shared.len(), 2);
        let keys: Vec<String> = o.keys().map(|k| k.to_string()).collect();
        let mut want = vec!["a".to_owned(), "b".to_owned()];
        want.extend((0..20).map(|i| format!("k{i}")));
        assert_eq!(keys, want);
        let back: Vec<String> = o.keys().rev().map(|k| k.to_string()).collect();
        assert_eq!(back, want.iter().rev().cloned().collect::<Vec<_>>());
        assert_eq!(o.iter().len(), 22);
        assert_eq!(o.get("k7"), Some(&Payload::from(7u64)));
        assert_eq!(o.get("a"), Some(&Payload::from(1u64)));
        // Replacing a key of the shared base copies instead of layering.
        let before = Arc::clone(&o);
        o = set_field(o, &Arc::from("a"), Payload::from("x"));
        assert_eq!(before.get("a"), Some(&Payload::from(1u64)));
        assert_eq!(o.get("a"), Some(&Payload::from("x")));
        assert_eq!(o.keys().next().map(|k| k.to_string()), Some("a".to_owned()));
        // Changes to a layered object flatten it first.
        let layered = set_field(Arc::clone(&shared), &Arc::from("c"), Payload::Null);
        let mut copy = (*layered).clone();
        assert_eq!(copy.shift_remove("a"), Some(Payload::from(1u64)));
        assert_eq!(copy.keys().map(|k| k.to_string()).collect::<Vec<_>>(), ["b", "c"]);
        *copy.get_or_insert_with(&Arc::from("b"), || Payload::Null) = Payload::from(9u64);
        assert_eq!(copy.get("b"), Some(&Payload::from(9u64)));
        assert!(Payload::Object(layered.clone()) == serde_json::json!({"a": 1, "b": 2, "c": null}));
        assert_eq!(Payload::Object(layered).to_string(), r#"{"a":1,"b":2,"c":null}"#);
    }

    #[test]
    fn fields_layered_at_once_read_back_step_by_step() {
        let base: Arc<Object> = Arc::new(Object::from_iter([(Arc::from("a"), Payload::Null)]));
        let mut fields = NewFields::new();
        let mut i = 0usize;
        // The names a caller knows it will add, the first few of them known ahead.
        let names: Arc<[Arc<str>]> = (0..5).map(|i| Arc::from(format!("k{i}"))).collect();
        while fields.can_add(&base, &format!("k{i}")) {
            let key = names.get(i).cloned().unwrap_or_else(|| Arc::from(format!("k{i}")));
            fields.push(&key, Payload::from(i), names.get(i..).map(|_| &names));
            i += 1;
        }
        assert_eq!(i, SMALL, "a layer stays small");
        assert!(!NewFields::new().can_add(&base, "a"), "a key of the base is not added");
        let mut k0 = NewFields::new();
        k0.push(&Arc::from("k0"), Payload::Null, None);
        assert!(!k0.can_add(&base, "k0"), "nor one already collected");
        let layered = fields.layer_over(Arc::clone(&base));
        assert!(fields.is_empty());
        assert_eq!(layered.len(), SMALL + 1);
        assert_eq!(layered.get("k7"), Some(&Payload::from(7usize)));
        assert_eq!(layered.get("a"), Some(&Payload::Null));
        assert!(layered.get("k99").is_none());
        let back: Vec<String> = layered.keys().rev().map(|k| k.to_string()).collect();
        assert_eq!(back.last().map(String::as_str), Some("a"), "read back to front too");
        // Each step is the layer without its last fields, in order.
        for n in 0..=SMALL {
            let step = before_last_fields(&layered, n).expect("a step of the layer");
            let keys: Vec<String> = step.keys().map(|k| k.to_string()).collect();
            let mut want = vec!["a".to_owned()];
            want.extend((0..SMALL - n).map(|i| format!("k{i}")));
            assert_eq!(keys, want, "without the last {n}");
        }
        assert!(Arc::ptr_eq(&before_last_fields(&layered, SMALL).expect("base"), &base));
        assert!(before_last_fields(&layered, SMALL + 1).is_none());
        assert!(before_last_fields(&base, 0).is_none(), "a flat object is not a layer");
        // Fields whose names all come from the caller's list: the same object.
        let mut named = NewFields::new();
        for (i, key) in names.iter().enumerate() {
            named.push(key, Payload::from(i), Some(&names));
        }
        let named = named.layer_over(Arc::clone(&base));
        assert!(matches!(&named.0, Repr::Layer { fields: LayerFields::Named { .. }, .. }));
        let keys: Vec<String> = named.keys().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["a", "k0", "k1", "k2", "k3", "k4"]);
        assert_eq!(named.get("k4"), Some(&Payload::from(4usize)));
        let step = before_last_fields(&named, 2).expect("a step");
        assert_eq!(step.keys().map(|k| k.to_string()).collect::<Vec<_>>(), ["a", "k0", "k1", "k2"]);
        assert!(step.get("k3").is_none() && step.get("k2").is_some(), "its key summary too");
        // Over another layer, read from both ends at once: every field once, in its place.
        let top = set_field(Arc::clone(&layered), &Arc::from("z"), Payload::Null);
        let mut it = top.iter();
        let (mut front, mut back) = (Vec::new(), Vec::new());
        while let Some((k, _)) = it.next() {
            front.push(k.to_string());
            back.extend(it.next_back().map(|(k, _)| k.to_string()));
        }
        back.reverse();
        front.extend(back);
        assert_eq!(front, top.keys().map(|k| k.to_string()).collect::<Vec<_>>());
        assert_eq!(front.len(), SMALL + 2);
        assert_eq!(front.last().map(String::as_str), Some("z"));
        // A layer's own field changes in place; any other change copies it flat.
        let mut copy = (*layered).clone();
        *copy.get_mut("k3").expect("own field") = Payload::from("x");
        assert_eq!(copy.get("k3"), Some(&Payload::from("x")));
        assert_eq!(copy.insert(Arc::from("k4"), Payload::Null), Some(Payload::from(4usize)));
        assert_eq!(copy.insert(Arc::from("new"), Payload::Null), None);
        assert_eq!(copy.len(), SMALL + 2);
        assert_eq!(layered.get("k3"), Some(&Payload::from(3usize)), "the original is unchanged");
    }
}
