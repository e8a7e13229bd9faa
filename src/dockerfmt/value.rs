//! Template data: JSON turned into values that behave like the Go values Docker hands to its templates.
//!
//! Docker executes templates on three kinds of data, and the difference shows in output and errors:
//! - list rows (`docker ps`, `docker images`, …): a `*formatter.ContainerContext`-like struct whose fields are
//!   methods returning strings; an unknown field is "can't evaluate field X in type *formatter.ContainerContext";
//! - `docker inspect`, first pass: Docker's typed structs (`container.InspectResponse`), where objects such as
//!   `.Config.Labels` are Go maps (a missing key prints `<no value>`) and the rest are structs;
//! - `docker inspect`, fallback pass when the first fails: the raw JSON decoded into `map[string]interface{}` with
//!   `json.Number`s and `missingkey=error`, so a missing key is "map has no entry for key".

use std::rc::Rc;

use serde_json::Value;

#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// Go's zero `reflect.Value`: what a missing map key yields; prints as `<no value>`.
    Invalid,
    Nil(Nil),
    Bool(bool),
    Int(i64),
    /// A byte, from indexing a string.
    Byte(u8),
    Float(f64),
    Str(Rc<str>),
    /// A `json.Number` (a string kind in Go), as the raw inspect pass decodes numbers.
    Num(Rc<str>),
    List(Rc<List>),
    Obj(Rc<Obj>),
}

/// A typed nil: how it prints depends on its Go type.
#[derive(Clone, Debug)]
pub(crate) enum Nil {
    /// A nil `interface{}`; dissolves into an invalid value at the end of a pipeline command.
    Iface,
    Ptr(Rc<str>),
    Slice(Rc<str>),
    Map(Rc<str>),
}

#[derive(Debug)]
pub(crate) struct List {
    pub ty: Rc<str>,
    pub items: Vec<Val>,
}

#[derive(Debug)]
pub(crate) struct Obj {
    pub ty: Rc<str>,
    pub kind: ObjKind,
    pub entries: Vec<(String, Val)>,
    /// Struct fields that Docker's JSON omits when empty (`omitempty`): readable, but not marshalled.
    pub hidden: Vec<(String, Val)>,
}

#[derive(Debug)]
pub(crate) enum ObjKind {
    Struct,
    /// A Go map. `key` names the key type when it is not plain `string` (such as `nat.Port`): field syntax
    /// and `index` with a string then fail as in Go. `zero` is what `index` returns for a missing key.
    Map {
        key: Option<Rc<str>>,
        zero: Val,
    },
    /// A formatter context of `docker ps`, `docker images`, …: every entry is a method without arguments,
    /// plus `Label NAME` when `label_method` is set. Marshals to JSON with sorted keys and HTML escaping.
    Context {
        label_method: bool,
    },
    /// The table-header map (`formatter.SubHeaderContext`) with its `Label NAME` method.
    Header,
}

impl Obj {
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.entries.iter().chain(&self.hidden).find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries in Go's map iteration order (sorted keys) for maps, in field order otherwise.
    pub fn ordered(&self) -> Vec<&(String, Val)> {
        let mut v: Vec<_> = self.entries.iter().collect();
        if matches!(self.kind, ObjKind::Map { .. } | ObjKind::Header | ObjKind::Context { .. }) {
            v.sort_by(|a, b| a.0.cmp(&b.0));
        }
        v
    }
}

impl Val {
    pub fn str(s: &str) -> Val {
        Val::Str(s.into())
    }

    pub fn type_name(&self) -> String {
        match self {
            Val::Invalid => "<invalid reflect.Value>".into(),
            Val::Nil(Nil::Iface) => "interface {}".into(),
            Val::Nil(Nil::Ptr(t) | Nil::Slice(t) | Nil::Map(t)) => t.to_string(),
            Val::Bool(_) => "bool".into(),
            Val::Int(_) => "int".into(),
            Val::Byte(_) => "uint8".into(),
            Val::Float(_) => "float64".into(),
            Val::Str(_) => "string".into(),
            Val::Num(_) => "json.Number".into(),
            Val::List(l) => l.ty.to_string(),
            Val::Obj(o) => o.ty.to_string(),
        }
    }

    /// Go's `isTrue`; `None` where Go cannot decide (never, for these values).
    pub fn truth(&self) -> bool {
        match self {
            Val::Invalid | Val::Nil(_) => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Byte(b) => *b != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) | Val::Num(s) => !s.is_empty(),
            Val::List(l) => !l.items.is_empty(),
            Val::Obj(o) => match o.kind {
                ObjKind::Map { .. } | ObjKind::Header => !o.entries.is_empty(),
                ObjKind::Struct | ObjKind::Context { .. } => true,
            },
        }
    }

    /// The string inside a string-kind value (`string` or `json.Number`).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) | Val::Num(s) => Some(s),
            _ => None,
        }
    }

    /// A nil interface becomes the invalid value, as Go digs into `interface{}` results.
    pub fn dig(self) -> Val {
        match self {
            Val::Nil(Nil::Iface) => Val::Invalid,
            v => v,
        }
    }

    /// Prints as Go's `fmt.Print` does (the `%v` verb).
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_v(&mut out);
        out
    }

    fn write_v(&self, out: &mut String) {
        match self {
            Val::Invalid => out.push_str("<no value>"),
            Val::Nil(Nil::Iface | Nil::Ptr(_)) => out.push_str("<nil>"),
            Val::Nil(Nil::Slice(_)) => out.push_str("[]"),
            Val::Nil(Nil::Map(_)) => out.push_str("map[]"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Int(i) => out.push_str(&i.to_string()),
            Val::Byte(b) => out.push_str(&b.to_string()),
            Val::Float(f) => out.push_str(&super::printf::format_float(*f, 'g', None)),
            Val::Str(s) | Val::Num(s) => out.push_str(s),
            Val::List(l) => {
                out.push('[');
                for (i, v) in l.items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    v.write_v(out);
                }
                out.push(']');
            }
            Val::Obj(o) => match o.kind {
                ObjKind::Map { .. } | ObjKind::Header => {
                    out.push_str("map[");
                    for (i, (k, v)) in o.ordered().into_iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(k);
                        out.push(':');
                        v.write_v(out);
                    }
                    out.push(']');
                }
                ObjKind::Struct | ObjKind::Context { .. } => {
                    out.push('{');
                    for (i, (_, v)) in o.entries.iter().chain(&o.hidden).enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        v.write_v(out);
                    }
                    out.push('}');
                }
            },
        }
    }
}

/// How JSON objects become Go values.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// Docker's typed inspect structs (first pass of `docker inspect`).
    Typed,
    /// `map[string]interface{}` with `json.Number`s (fallback pass of `docker inspect`).
    Raw,
    /// A list row: a formatter context named `ty`.
    Row { ty: &'static str, label_method: bool },
}

pub(crate) fn from_json(v: &Value, shape: Shape) -> Val {
    match shape {
        Shape::Raw => raw(v),
        Shape::Typed => typed(v, &mut Vec::new()),
        Shape::Row { ty, label_method } => match v {
            Value::Object(m) => Val::Obj(Rc::new(Obj {
                ty: ty.into(),
                kind: ObjKind::Context { label_method },
                entries: m.iter().map(|(k, v)| (k.clone(), row_field(k, v))).collect(),
                hidden: Vec::new(),
            })),
            other => raw(other),
        },
    }
}

fn row_field(key: &str, v: &Value) -> Val {
    match v {
        Value::Null if key == "Platform" => Val::Nil(Nil::Ptr("*formatter.Platform".into())),
        Value::Null => Val::Nil(Nil::Iface),
        Value::Number(n) => number(n),
        other => raw(other),
    }
}

fn number(n: &serde_json::Number) -> Val {
    n.as_i64().map_or_else(|| Val::Float(n.as_f64().unwrap_or(0.0)), Val::Int)
}

fn raw(v: &Value) -> Val {
    match v {
        Value::Null => Val::Nil(Nil::Iface),
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(n.to_string().into()),
        Value::String(s) => Val::Str(s.as_str().into()),
        Value::Array(a) => Val::List(Rc::new(List { ty: "[]interface {}".into(), items: a.iter().map(raw).collect() })),
        Value::Object(m) => Val::Obj(Rc::new(Obj {
            ty: "map[string]interface {}".into(),
            kind: ObjKind::Map { key: None, zero: Val::Nil(Nil::Iface) },
            entries: m.iter().map(|(k, v)| (k.clone(), raw(v))).collect(),
            hidden: Vec::new(),
        })),
    }
}

/// A Go map type found in Docker's inspect structs.
struct MapShape {
    ty: &'static str,
    key: Option<&'static str>,
    zero: fn() -> Val,
}

fn string_map() -> MapShape {
    MapShape { ty: "map[string]string", key: None, zero: || Val::str("") }
}

/// Which objects of Docker's inspect JSON are Go maps (the rest are structs), by field name and parent.
fn typed_map(path: &[&str]) -> Option<MapShape> {
    let last = *path.last()?;
    let parent = path.len().checked_sub(2).map(|i| path[i]);
    Some(match (parent, last) {
        (
            _,
            "Labels" | "Options" | "DriverOpts" | "AuxiliaryAddresses" | "Sysctls" | "StorageOpt" | "Tmpfs"
            | "Annotations",
        )
        | (Some("GraphDriver"), "Data")
        | (Some("LogConfig"), "Config") => string_map(),
        (_, "Status") => MapShape { ty: "map[string]interface {}", key: None, zero: || Val::Nil(Nil::Iface) },
        (Some("NetworkSettings"), "Networks") => MapShape {
            ty: "map[string]*network.EndpointSettings",
            key: None,
            zero: || Val::Nil(Nil::Ptr("*network.EndpointSettings".into())),
        },
        (Some("NetworkSettings"), "Ports") | (_, "PortBindings") => MapShape {
            ty: "nat.PortMap",
            key: Some("nat.Port"),
            zero: || Val::Nil(Nil::Slice("[]nat.PortBinding".into())),
        },
        (_, "ExposedPorts") => {
            MapShape { ty: "nat.PortSet", key: Some("nat.Port"), zero: || empty_struct("struct {}") }
        }
        (_, "Volumes") => MapShape { ty: "map[string]struct {}", key: None, zero: || empty_struct("struct {}") },
        (_, "Containers") => MapShape {
            ty: "map[string]network.EndpointResource",
            key: None,
            zero: || empty_struct("network.EndpointResource"),
        },
        _ => return None,
    })
}

fn empty_struct(ty: &str) -> Val {
    Val::Obj(Rc::new(Obj { ty: ty.into(), kind: ObjKind::Struct, entries: Vec::new(), hidden: Vec::new() }))
}

/// Fields of Docker's inspect structs that are slices: a JSON `null` there prints as `[]`.
const SLICE_FIELDS: &[&str] = &[
    "Args",
    "Aliases",
    "Binds",
    "BlkioDeviceReadBps",
    "BlkioDeviceReadIOps",
    "BlkioDeviceWriteBps",
    "BlkioDeviceWriteIOps",
    "BlkioWeightDevice",
    "CapAdd",
    "CapDrop",
    "Cmd",
    "DNSNames",
    "DeviceCgroupRules",
    "DeviceRequests",
    "Devices",
    "Dns",
    "DnsOptions",
    "DnsSearch",
    "Entrypoint",
    "Env",
    "ExtraHosts",
    "GroupAdd",
    "Layers",
    "Links",
    "MaskedPaths",
    "Mounts",
    "OnBuild",
    "ReadonlyPaths",
    "RepoDigests",
    "RepoTags",
    "SecurityOpt",
    "Shell",
    "Test",
    "Ulimits",
    "VolumesFrom",
];

/// Struct fields of Docker's inspect types that its JSON leaves out when empty (`omitempty`).
fn omitted(path: &[&str], present: &serde_json::Map<String, Value>) -> Vec<(String, Val)> {
    let ptr = |t: &str| Val::Nil(Nil::Ptr(t.into()));
    let fields: Vec<(&str, Val)> = match path.last().copied() {
        Some("State") => vec![("Health", ptr("*container.Health"))],
        Some("Config") => vec![
            ("Healthcheck", ptr("*container.HealthConfig")),
            ("ArgsEscaped", Val::Bool(false)),
            ("MacAddress", Val::str("")),
            ("StopSignal", Val::str("")),
            ("StopTimeout", ptr("*int")),
            ("Shell", Val::Nil(Nil::Slice("[]string".into()))),
        ],
        // A network's `IPAM.Config` entries (`network.IPAMConfig`) leave out empty fields (`omitempty`).
        Some("[]") if path.ends_with(&["IPAM", "Config", "[]"]) => vec![
            ("Subnet", Val::str("")),
            ("IPRange", Val::str("")),
            ("Gateway", Val::str("")),
            ("AuxiliaryAddresses", Val::Nil(Nil::Map("map[string]string".into()))),
        ],
        _ => Vec::new(),
    };
    fields.into_iter().filter(|(k, _)| !present.contains_key(*k)).map(|(k, v)| (k.to_string(), v)).collect()
}

fn typed<'a>(v: &'a Value, path: &mut Vec<&'a str>) -> Val {
    match v {
        Value::Null => {
            let last = path.last().copied().unwrap_or("");
            if let Some(m) = typed_map(path) {
                Val::Nil(Nil::Map(m.ty.into()))
            } else if SLICE_FIELDS.contains(&last) {
                Val::Nil(Nil::Slice("[]string".into()))
            } else {
                Val::Nil(Nil::Ptr("*struct".into()))
            }
        }
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => number(n),
        Value::String(s) => Val::Str(s.as_str().into()),
        Value::Array(a) => {
            path.push("[]");
            let items: Vec<Val> = a.iter().map(|x| typed(x, path)).collect();
            path.pop();
            let ty = if items.iter().all(|i| matches!(i, Val::Str(_))) { "[]string" } else { "[]interface {}" };
            Val::List(Rc::new(List { ty: ty.into(), items }))
        }
        Value::Object(m) => {
            let shape = typed_map(path);
            let mut entries = Vec::with_capacity(m.len());
            for (k, x) in m {
                path.push(if shape.is_some() { "*" } else { k.as_str() });
                entries.push((k.clone(), typed(x, path)));
                path.pop();
            }
            let (ty, kind) = match shape {
                Some(s) => (s.ty, ObjKind::Map { key: s.key.map(Into::into), zero: (s.zero)() }),
                None => ("struct", ObjKind::Struct),
            };
            let hidden = if matches!(kind, ObjKind::Struct) { omitted(path, m) } else { Vec::new() };
            Val::Obj(Rc::new(Obj { ty: ty.into(), kind, entries, hidden }))
        }
    }
}

/// The header map of a table: field name to column title.
pub(crate) fn header(pairs: &[(&str, &str)]) -> Val {
    Val::Obj(Rc::new(Obj {
        ty: "formatter.SubHeaderContext".into(),
        kind: ObjKind::Header,
        entries: pairs.iter().map(|(k, v)| ((*k).to_string(), Val::str(v))).collect(),
        hidden: Vec::new(),
    }))
}
