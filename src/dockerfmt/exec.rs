//! Executes a parsed template the way Go's text/template does, including which node an error names
//! (`template: :1:2: executing "" at <.Nope>: …`).

use super::funcs::{self, Ty, signature};
use super::parse::{Branch, Cmd, Node, Operand, Pipe, Tree};
use super::value::{Nil, ObjKind, Val};

#[derive(Clone, Copy, Default)]
pub(crate) struct Options {
    /// Go's `missingkey=error`, set by `docker inspect`'s fallback pass.
    pub missing_key_error: bool,
    /// Docker's HeaderFunctions instead of its basic functions (table headers).
    pub header: bool,
    /// Values inside maps and slices are `interface{}`-typed (the raw inspect pass): error messages say so.
    pub boxed: bool,
}

/// The node an error is reported at.
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Action(usize, &'t Pipe),
    Pipe(&'t Pipe),
    Cmd(&'t Cmd),
    Op(&'t Operand),
    Template(usize, &'t str),
}

enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, String>;

struct State<'t> {
    tree: &'t Tree,
    text: &'t str,
    name: &'t str,
    opts: Options,
    vars: Vec<(String, Val)>,
    at: At<'t>,
    out: String,
    depth: usize,
}

/// Runs `tree` (parsed from `text`) on `data`. Returns what was written, even when execution failed part way
/// (Docker keeps a table header's partial output).
pub(crate) fn execute(tree: &Tree, text: &str, data: &Val, opts: Options) -> (String, Result<(), String>) {
    let mut s = State {
        tree,
        text,
        name: "",
        opts,
        vars: vec![("$".into(), data.clone())],
        at: At::None,
        out: String::new(),
        depth: 0,
    };
    let result = s.walk_list(data, false, &tree.root).map(|_| ());
    (s.out, result)
}

impl<'t> State<'t> {
    fn error(&self, msg: &str) -> String {
        let (pos, context) = match self.at {
            At::None => return format!("template: {}: {msg}", self.name),
            At::Action(pos, p) => (pos, format!("{{{{{p}}}}}")),
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
            At::Op(o) => (o.pos(), o.to_string()),
            At::Template(pos, name) => (pos, format!("{{{{template {}}}}}", super::printf::go_quote(name))),
        };
        let before = &self.text[..pos.min(self.text.len())];
        let line = 1 + before.matches('\n').count();
        let col = before.rfind('\n').map_or(pos, |i| pos - i - 1);
        format!("template: :{line}:{col}: executing {} at <{context}>: {msg}", super::printf::go_quote(self.name))
    }

    fn walk_list(&mut self, dot: &Val, boxed: bool, list: &'t [Node]) -> R<Flow> {
        for node in list {
            match self.walk(dot, boxed, node)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val, boxed: bool, node: &'t Node) -> R<Flow> {
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action { pos, pipe } => {
                self.at = At::Action(*pos, pipe);
                let v = self.pipeline(dot, boxed, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Action(*pos, pipe);
                    self.out.push_str(&v.to_go_string());
                }
            }
            Node::If(b) | Node::With(b) => {
                let mark = self.vars.len();
                let v = self.pipeline(dot, boxed, &b.pipe)?;
                let flow = if v.truth() {
                    if matches!(node, Node::With(_)) {
                        self.walk_list(&v, false, &b.list)?
                    } else {
                        self.walk_list(dot, boxed, &b.list)?
                    }
                } else if let Some(e) = &b.else_list {
                    self.walk_list(dot, boxed, e)?
                } else {
                    Flow::Normal
                };
                self.vars.truncate(mark);
                return Ok(flow);
            }
            Node::Range(b) => {
                let mark = self.vars.len();
                self.range(dot, boxed, b)?;
                self.vars.truncate(mark);
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
            Node::Template { pos, name, pipe } => {
                self.at = At::Template(*pos, name);
                let Some(body) = self.tree.defs.get(name) else {
                    return Err(self.error(&format!("template {} not defined", super::printf::go_quote(name))));
                };
                if self.depth >= 10_000 {
                    return Err(self.error("exceeded maximum template depth (100000)"));
                }
                let new_dot = match pipe {
                    Some(p) => self.pipeline(dot, boxed, p)?,
                    None => Val::Invalid,
                };
                let saved = (std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]), self.name);
                self.name = name;
                self.depth += 1;
                let r = self.walk_list(&new_dot, false, body);
                self.depth -= 1;
                (self.vars, self.name) = saved;
                r?;
            }
        }
        Ok(Flow::Normal)
    }

    fn range(&mut self, dot: &Val, boxed: bool, b: &'t Branch) -> R<()> {
        let v = self.pipeline(dot, boxed, &b.pipe)?;
        let mark = self.vars.len();
        let items: Vec<(Val, Val)> = match &v {
            Val::List(l) => l.items.iter().enumerate().map(|(i, x)| (Val::Int(i as i64), x.clone())).collect(),
            Val::Obj(o) if matches!(o.kind, ObjKind::Map { .. } | ObjKind::Header) => {
                o.ordered().into_iter().map(|(k, x)| (Val::str(k), x.clone())).collect()
            }
            Val::Int(n) => (0..*n).map(|i| (Val::Int(i), Val::Int(i))).collect(),
            Val::Invalid | Val::Nil(_) => Vec::new(),
            other => return Err(self.error(&format!("range can't iterate over {}", other.to_go_string()))),
        };
        let elem_boxed = self.opts.boxed;
        for (key, elem) in &items {
            let n = b.pipe.decl.len();
            if n > 0 {
                self.vars[mark - 1].1 = elem.clone();
            }
            if n > 1 {
                self.vars[mark - 2].1 = key.clone();
            }
            let flow = self.walk_list(elem, elem_boxed, &b.list);
            self.vars.truncate(mark);
            match flow? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
            }
        }
        if items.is_empty()
            && let Some(e) = &b.else_list
        {
            self.walk_list(dot, boxed, e)?;
        }
        Ok(())
    }

    fn pipeline(&mut self, dot: &Val, boxed: bool, pipe: &'t Pipe) -> R<Val> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(dot, boxed, cmd, value)?.dig());
        }
        let value = value.unwrap_or(Val::Invalid);
        for name in &pipe.decl {
            if pipe.is_assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => return Err(self.error(&format!("undefined variable: {name}"))),
                }
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Operand], fin: Option<&Val>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(self.error(&format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn command(&mut self, dot: &Val, boxed: bool, cmd: &'t Cmd, fin: Option<Val>) -> R<Val> {
        let first = &cmd.args[0];
        match first {
            Operand::Field { ident, .. } => {
                self.at = At::Op(first);
                return self.field_chain(dot, dot, boxed, first, ident, &cmd.args, fin);
            }
            Operand::Chain { .. } => return self.chain(dot, boxed, first, &cmd.args, fin),
            Operand::Identifier { name, .. } => {
                self.at = At::Op(first);
                return self.function(dot, boxed, name, At::Cmd(cmd), &cmd.args[1..], fin);
            }
            Operand::Pipe(p) => {
                self.not_a_function(&cmd.args, fin.as_ref())?;
                return self.pipeline(dot, boxed, p);
            }
            Operand::Variable { .. } => return self.variable(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at = At::Op(first);
        self.not_a_function(&cmd.args, fin.as_ref())?;
        match first {
            Operand::Bool { val, .. } => Ok(Val::Bool(*val)),
            Operand::Dot { .. } => Ok(dot.clone()),
            Operand::Nil { .. } => Err(self.error("nil is not a command")),
            Operand::Number { .. } => self.ideal(first),
            Operand::Str { text, .. } => Ok(Val::str(text)),
            _ => Err(self.error(&format!("can't evaluate command {}", super::printf::go_quote(&first.to_string())))),
        }
    }

    fn ideal(&mut self, op: &'t Operand) -> R<Val> {
        self.at = At::Op(op);
        let Operand::Number { text, num, .. } = op else { return Ok(Val::Invalid) };
        match (num.floaty, num.float, num.int) {
            (true, Some(f), _) => Ok(Val::Float(f)),
            (_, _, Some(i)) => Ok(Val::Int(i)),
            _ if num.uint.is_some() => Err(self.error(&format!("{text} overflows int"))),
            _ => Ok(Val::Invalid),
        }
    }

    fn chain(&mut self, dot: &Val, boxed: bool, op: &'t Operand, args: &'t [Operand], fin: Option<Val>) -> R<Val> {
        self.at = At::Op(op);
        let Operand::Chain { node, fields, .. } = op else { return Ok(Val::Invalid) };
        if matches!(node.as_ref(), Operand::Nil { .. }) {
            return Err(self.error(&format!("indirection through explicit nil in {op}")));
        }
        let receiver = self.arg(dot, boxed, None, node)?;
        self.field_chain(dot, &receiver, false, op, fields, args, fin)
    }

    fn variable(&mut self, dot: &Val, op: &'t Operand, args: &'t [Operand], fin: Option<Val>) -> R<Val> {
        self.at = At::Op(op);
        let Operand::Variable { ident, .. } = op else { return Ok(Val::Invalid) };
        let Some(value) = self.vars.iter().rev().find(|(n, _)| *n == ident[0]).map(|(_, v)| v.clone()) else {
            return Err(self.error(&format!("undefined variable: {}", ident[0])));
        };
        if ident.len() == 1 {
            self.not_a_function(args, fin.as_ref())?;
            return Ok(value);
        }
        self.field_chain(dot, &value, false, op, &ident[1..], args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn field_chain(
        &mut self,
        dot: &Val,
        receiver: &Val,
        boxed: bool,
        node: &'t Operand,
        ident: &'t [String],
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> R<Val> {
        let mut receiver = receiver.clone();
        let mut boxed = boxed;
        for name in &ident[..ident.len() - 1] {
            receiver = self.field(dot, name, node, &[], None, &receiver, boxed)?;
            boxed = self.opts.boxed;
        }
        self.field(dot, &ident[ident.len() - 1], node, args, fin, &receiver, boxed)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        dot: &Val,
        name: &str,
        node: &'t Operand,
        args: &'t [Operand],
        fin: Option<Val>,
        receiver: &Val,
        boxed: bool,
    ) -> R<Val> {
        if matches!(receiver, Val::Invalid) {
            if self.opts.missing_key_error {
                return Err(self.error(&format!("nil data; no entry for key {}", super::printf::go_quote(name))));
            }
            return Ok(Val::Invalid);
        }
        let typ = if boxed { "interface {}".to_string() } else { receiver.type_name() };
        let has_args = args.len() > 1 || fin.is_some();
        let call_args = if args.is_empty() { args } else { &args[1..] };
        match receiver {
            Val::Nil(Nil::Iface | Nil::Ptr(_)) => {
                return Err(self.error(&format!("nil pointer evaluating {typ}.{name}")));
            }
            Val::Obj(o) => match &o.kind {
                ObjKind::Context { label_method } => {
                    if let Some(v) = o.get(name) {
                        let v = v.clone();
                        self.method(dot, name, node, &[], call_args, fin)?;
                        return Ok(v);
                    }
                    if name == "Label" && *label_method {
                        let values = self.method(dot, name, node, &[Ty::Str], call_args, fin)?;
                        return Ok(Val::str(&row_label(o.get("Labels"), values[0].as_str().unwrap_or(""))));
                    }
                }
                ObjKind::Header if name == "Label" => {
                    let values = self.method(dot, name, node, &[Ty::Str], call_args, fin)?;
                    return Ok(Val::str(&header_label(values[0].as_str().unwrap_or(""))));
                }
                ObjKind::Struct => {
                    if let Some(v) = o.get(name) {
                        if has_args {
                            return Err(self.error(&format!("{name} has arguments but cannot be invoked as function")));
                        }
                        return Ok(v.clone());
                    }
                }
                ObjKind::Map { key: Some(_), .. } => {}
                ObjKind::Map { key: None, .. } | ObjKind::Header => {
                    if has_args {
                        return Err(self.error(&format!("{name} is not a method but has arguments")));
                    }
                    return self.missing_key(o.get(name).cloned(), name);
                }
            },
            Val::Nil(Nil::Map(_)) => {
                if has_args {
                    return Err(self.error(&format!("{name} is not a method but has arguments")));
                }
                return self.missing_key(None, name);
            }
            _ => {}
        }
        Err(self.error(&format!("can't evaluate field {name} in type {typ}")))
    }

    fn missing_key(&self, found: Option<Val>, name: &str) -> R<Val> {
        match found {
            Some(v) => Ok(v),
            None if self.opts.missing_key_error => {
                Err(self.error(&format!("map has no entry for key {}", super::printf::go_quote(name))))
            }
            None => Ok(Val::Invalid),
        }
    }

    /// Checks a method call's arguments as Go's evalCall does; returns the evaluated arguments.
    fn method(
        &mut self,
        dot: &Val,
        name: &str,
        _node: &'t Operand,
        params: &[Ty],
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> R<Vec<Val>> {
        let num_in = args.len() + usize::from(fin.is_some());
        if num_in != params.len() {
            return Err(self.error(&format!("wrong number of args for {name}: want {} got {num_in}", params.len())));
        }
        let mut values = Vec::new();
        for (p, a) in params.iter().zip(args) {
            values.push(self.arg(dot, false, Some(*p), a)?);
        }
        if let Some(f) = fin {
            values.push(self.validate(f, params[params.len() - 1])?);
        }
        Ok(values)
    }

    fn function(
        &mut self,
        dot: &Val,
        boxed: bool,
        name: &str,
        call_at: At<'t>,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> R<Val> {
        let sig = signature(name, self.opts.header);
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = sig.fixed.len();
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return Err(self
                    .error(&format!("wrong number of args for {name}: want at least {num_fixed} got {}", args.len())));
            }
        } else if num_in != num_fixed {
            return Err(self.error(&format!("wrong number of args for {name}: want {num_fixed} got {num_in}")));
        }
        if name == "and" || name == "or" {
            let mut v = Val::Invalid;
            for a in args {
                v = self.arg(dot, boxed, Some(Ty::Value), a)?;
                if v.clone().dig().truth() == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let mut values = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let ty = sig.fixed.get(i).copied().or(sig.variadic).unwrap_or(Ty::Any);
            values.push(self.arg(dot, boxed, Some(ty), a)?);
        }
        if let Some(f) = fin {
            let ty = match sig.variadic {
                Some(v) if num_in > num_fixed => v,
                _ => sig.fixed[num_in - 1],
            };
            values.push(self.validate(f, ty)?);
        }
        funcs::call(name, &values, self.opts.header).map_err(|e| {
            self.at = call_at;
            self.error(&format!("error calling {name}: {e}"))
        })
    }

    /// Go's evalArg: evaluates an argument for a parameter of type `ty` (`None`: no check).
    fn arg(&mut self, dot: &Val, boxed: bool, ty: Option<Ty>, op: &'t Operand) -> R<Val> {
        self.at = At::Op(op);
        let v = match op {
            Operand::Dot { .. } => dot.clone(),
            Operand::Nil { .. } => {
                return match ty {
                    Some(Ty::Any) | None => Ok(Val::Nil(Nil::Iface)),
                    Some(Ty::Value) => Ok(Val::Invalid),
                    Some(Ty::StrSlice) => Ok(Val::Nil(Nil::Slice("[]string".into()))),
                    Some(t) => Err(self.error(&format!("cannot assign nil to {}", t.name()))),
                };
            }
            Operand::Field { ident, .. } => {
                let args = std::slice::from_ref(op);
                self.field_chain(dot, dot, boxed, op, ident, args, None)?
            }
            Operand::Variable { .. } => self.variable(dot, op, &[], None)?,
            Operand::Pipe(p) => self.pipeline(dot, boxed, p)?,
            Operand::Identifier { name, .. } => self.function(dot, boxed, name, At::Op(op), &[], None)?,
            Operand::Chain { .. } => self.chain(dot, boxed, op, &[], None)?,
            Operand::Bool { val, .. } => match ty {
                Some(Ty::Any | Ty::Value) | None => return Ok(Val::Bool(*val)),
                Some(t) => return Err(self.literal_error(t, op)),
            },
            Operand::Number { num, .. } => match ty {
                Some(Ty::Any | Ty::Value) | None => return self.ideal(op),
                Some(Ty::Int) => {
                    return num.int.map(Val::Int).ok_or_else(|| self.error(&format!("expected integer; found {op}")));
                }
                Some(t) => return Err(self.literal_error(t, op)),
            },
            Operand::Str { text, .. } => match ty {
                Some(Ty::Any | Ty::Value | Ty::Str) | None => return Ok(Val::str(text)),
                Some(t) => return Err(self.literal_error(t, op)),
            },
        };
        match ty {
            Some(t) => self.validate(v, t),
            None => Ok(v),
        }
    }

    fn literal_error(&self, ty: Ty, op: &Operand) -> String {
        match ty {
            Ty::Str => self.error(&format!("expected string; found {op}")),
            Ty::Int => self.error(&format!("expected integer; found {op}")),
            t => self.error(&format!("can't handle {op} for arg of type {}", t.name())),
        }
    }

    /// Go's validateType.
    fn validate(&self, v: Val, ty: Ty) -> R<Val> {
        let ok = match (&v, ty) {
            (_, Ty::Value) => return Ok(v),
            (Val::Invalid, Ty::Any) => return Ok(Val::Nil(Nil::Iface)),
            (Val::Invalid, Ty::StrSlice) => return Ok(Val::Nil(Nil::Slice("[]string".into()))),
            (Val::Invalid, t) => return Err(self.error(&format!("invalid value; expected {}", t.name()))),
            (_, Ty::Any) | (Val::Str(_), Ty::Str) | (Val::Int(_), Ty::Int) => true,
            (Val::List(l), Ty::StrSlice) => &*l.ty == "[]string",
            (Val::Nil(Nil::Slice(t)), Ty::StrSlice) => &**t == "[]string",
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            Err(self.error(&format!("wrong type for value; expected {}; got {}", ty.name(), v.type_name())))
        }
    }
}

/// `Label NAME` of a list row: the value from the row's `Labels` text (`k=v,k2=v2`).
fn row_label(labels: Option<&Val>, name: &str) -> String {
    let text = labels.and_then(Val::as_str).unwrap_or("");
    text.split(',')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// `Label NAME` of a table header: the last dotted part, with `-` and `_` as spaces.
fn header_label(name: &str) -> String {
    name.rsplit('.').next().unwrap_or("").replace(['-', '_'], " ")
}
