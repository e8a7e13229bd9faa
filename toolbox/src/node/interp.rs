//! The tree-walking evaluator: scopes, statements, expressions, and calls into the built-ins.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{DeclKind, Expr, ExprKind, Function, Pattern, Pos, Stmt};
use super::value::{Callable, Class, Object, Value, number_to_string};

/// A lexical scope: its bindings (value and whether it is `const`) and the scope around it.
pub type Scope = Rc<RefCell<ScopeData>>;

pub struct ScopeData {
    vars: HashMap<String, (Value, bool)>,
    parent: Option<Scope>,
}

pub fn new_scope(parent: Option<&Scope>) -> Scope {
    Rc::new(RefCell::new(ScopeData { vars: HashMap::new(), parent: parent.cloned() }))
}

pub fn declare(scope: &Scope, name: &str, value: Value, constant: bool) {
    scope.borrow_mut().vars.insert(name.to_string(), (value, constant));
}

fn lookup(scope: &Scope, name: &str) -> Option<Value> {
    let s = scope.borrow();
    match s.vars.get(name) {
        Some((v, _)) => Some(v.clone()),
        None => s.parent.as_ref().and_then(|p| lookup(p, name)),
    }
}

/// Assigns to an existing binding; `Err(true)` for a constant, `Err(false)` when there is none.
fn assign(scope: &Scope, name: &str, value: Value) -> Result<(), bool> {
    let mut s = scope.borrow_mut();
    match s.vars.get_mut(name) {
        Some((_, true)) => Err(true),
        Some(slot) => {
            slot.0 = value;
            Ok(())
        }
        None => match s.parent.clone() {
            Some(p) => {
                drop(s);
                assign(&p, name, value)
            }
            None => Err(false),
        },
    }
}

/// How evaluation leaves the normal path.
pub enum Ctl {
    /// A thrown value, where it was thrown, and the file.
    Throw(Value, Pos, String),
    Return(Value),
    Break,
    Continue,
    /// `process.exit(n)`.
    Exit(i32),
    /// A feature outside the subset, the line, the file.
    Unsupported(String, usize, String),
}

pub type R<T> = Result<T, Ctl>;

/// Globals that real node has and this one does not: using one stops the script with the plain message.
const UNSUPPORTED_GLOBALS: &[&str] = &[
    "Promise",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "Symbol",
    "Proxy",
    "Reflect",
    "fetch",
    "Buffer",
    "setInterval",
    "setImmediate",
    "queueMicrotask",
    "Intl",
    "BigInt",
    "RegExp",
    "Date",
    "URL",
    "TextEncoder",
    "TextDecoder",
    "structuredClone",
    "globalThis",
    "global",
    "eval",
    "Function",
];

/// How much of the machine stack script calls may take before `RangeError: Maximum call stack size exceeded`. Every
/// script call takes several of the interpreter's own frames, and the toolbox's WebAssembly stack is 1 MiB, so the
/// interpreter measures how far the stack has grown (from the address of a local) rather than counting calls: a
/// trap would kill the container with no message.
const STACK_BUDGET: usize = 600 * 1024;

/// And how many script calls may nest: wasmtime gives WebAssembly frames their own stack (512 KiB by default),
/// which the interpreter cannot measure from inside, and a plain recursive function overflowed it at about 350.
const MAX_DEPTH: usize = 200;

/// The current stack position, near enough: the address of a local.
#[inline(never)]
pub fn stack_position() -> usize {
    let here = 0u8;
    std::ptr::from_ref(std::hint::black_box(&here)).addr()
}

/// A pending `setTimeout`.
pub struct Timer {
    pub id: u32,
    pub due_ms: f64,
    pub callback: Value,
    pub args: Vec<Value>,
}

pub struct Interp {
    pub proc: crate::Proc,
    pub globals: Scope,
    /// The file being run, for error positions: a stack, as modules require modules.
    pub files: Vec<String>,
    pub timers: Vec<Timer>,
    pub next_timer: u32,
    /// When the script started: timers are due relative to it.
    pub start: std::time::Instant,
    /// Listening HTTP servers and the open connections whose responses are not yet sent.
    pub servers: Vec<super::http::Server>,
    pub conns: HashMap<u32, crate::net::Conn>,
    pub next_conn: u32,
    pub modules: HashMap<String, Value>,
    pub process: Value,
    /// `process.argv`.
    pub argv: Vec<String>,
    pub depth: usize,
    /// [`stack_position`] when the interpreter started.
    pub stack_base: usize,
    /// The script functions being called, innermost last: name, and the file and position of the call.
    pub frames: Vec<(String, String, Pos)>,
}

impl Interp {
    /// Milliseconds since the script started.
    pub fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    pub fn file(&self) -> String {
        self.files.last().cloned().unwrap_or_default()
    }

    pub fn unsupported<T>(&self, what: &str, pos: Pos) -> R<T> {
        Err(Ctl::Unsupported(what.to_string(), pos.line, self.file()))
    }

    /// Makes an `Error` object of the given constructor name, with node's `stack`.
    pub fn make_error(&self, name: &str, message: &str, pos: Pos) -> Value {
        let head = if message.is_empty() { name.to_string() } else { format!("{name}: {message}") };
        let mut stack = head;
        // One line per script function on the stack, as V8 writes them; node's own frames are left out.
        let frame = |stack: &mut String, function: Option<&str>, file: &str, pos: Pos| match function {
            Some("") => stack.push_str(&format!("\n    at {file}:{}:{}", pos.line, pos.col)),
            Some(f) => stack.push_str(&format!("\n    at {f} ({file}:{}:{})", pos.line, pos.col)),
            None => stack.push_str(&format!("\n    at Object.<anonymous> ({file}:{}:{})", pos.line, pos.col)),
        };
        let (mut file, mut at) = (self.file(), pos);
        for i in (0..self.frames.len()).rev().take(9) {
            frame(&mut stack, Some(&self.frames[i].0), &file, at);
            (file, at) = (self.frames[i].1.clone(), self.frames[i].2);
        }
        if self.frames.len() < 10 {
            frame(&mut stack, None, &file, at);
        }
        Value::Obj(Rc::new(RefCell::new(Object {
            class: Class::Error,
            props: vec![
                ("stack".into(), Value::str(&stack)),
                ("message".into(), Value::str(message)),
                ("name".into(), Value::str(name)),
            ],
        })))
    }

    /// A `SyntaxError` for a script that does not parse: node's stack for it names only its own internals, so it
    /// is left out.
    pub fn syntax_error(&self, message: &str) -> Value {
        let err = self.make_error("SyntaxError", message, Pos::default());
        if let Value::Obj(o) = &err {
            o.borrow_mut().set_own("stack", Value::str(&format!("SyntaxError: {message}")));
        }
        err
    }

    pub fn throw<T>(&self, name: &str, message: &str, pos: Pos) -> R<T> {
        Err(Ctl::Throw(self.make_error(name, message, pos), pos, self.file()))
    }

    /// Runs a block's statements in `scope`, declaring its function declarations first (they are hoisted).
    pub fn run_block(&mut self, body: &[Stmt], scope: &Scope) -> R<()> {
        for s in body {
            if let Stmt::Function(f) = s {
                let v = Self::closure(f, scope, None);
                declare(scope, &f.name, v, false);
            }
        }
        for s in body {
            self.stmt(s, scope)?;
        }
        Ok(())
    }

    fn closure(f: &Rc<Function>, scope: &Scope, this: Option<Value>) -> Value {
        Value::Obj(Rc::new(RefCell::new(Object {
            class: Class::Function(Callable::Closure { func: f.clone(), scope: scope.clone(), this }),
            props: Vec::new(),
        })))
    }

    fn bind(&mut self, pattern: &Pattern, value: Value, scope: &Scope, constant: bool, pos: Pos) -> R<()> {
        match pattern {
            Pattern::Name(n) => declare(scope, n, value, constant),
            Pattern::Object(fields) => {
                if matches!(value, Value::Undefined | Value::Null) {
                    return self.throw(
                        "TypeError",
                        &format!("Cannot destructure '{}' as it is {}.", value.to_str(), value.to_str()),
                        pos,
                    );
                }
                for (key, name, default) in fields {
                    let mut v = self.get(&value, key, pos)?;
                    if let (Value::Undefined, Some(d)) = (&v, default) {
                        v = self.expr(d, scope)?;
                    }
                    declare(scope, name, v, constant);
                }
            }
            Pattern::Array(names) => {
                for (i, name) in names.iter().enumerate() {
                    if let Some(name) = name {
                        let v = self.get(&value, &i.to_string(), pos)?;
                        declare(scope, name, v, constant);
                    }
                }
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt, scope: &Scope) -> R<()> {
        match s {
            Stmt::Expr(e) => {
                self.expr(e, scope)?;
            }
            Stmt::Decl(kind, list, pos) => {
                for (pattern, init) in list {
                    let v = match init {
                        Some(e) => self.expr(e, scope)?,
                        None => Value::Undefined,
                    };
                    self.bind(pattern, v, scope, *kind == DeclKind::Const, *pos)?;
                }
            }
            Stmt::Function(_) | Stmt::Empty => {}
            Stmt::If(test, then, other) => {
                if self.expr(test, scope)?.truthy() {
                    self.stmt_scoped(then, scope)?;
                } else if let Some(o) = other {
                    self.stmt_scoped(o, scope)?;
                }
            }
            Stmt::Block(body) => {
                let inner = new_scope(Some(scope));
                self.run_block(body, &inner)?;
            }
            Stmt::For { init, test, update, body } => {
                let outer = new_scope(Some(scope));
                if let Some(init) = init {
                    self.stmt(init, &outer)?;
                }
                loop {
                    // Each iteration gets its own copy of the loop variables, so closures see that iteration's.
                    let iter = new_scope(Some(&outer));
                    if let Some(t) = test
                        && !self.expr(t, &outer)?.truthy()
                    {
                        break;
                    }
                    let copy = outer.borrow().vars.clone();
                    iter.borrow_mut().vars = copy;
                    match self.stmt_scoped(body, &iter) {
                        Ok(()) | Err(Ctl::Continue) => {}
                        Err(Ctl::Break) => break,
                        Err(e) => return Err(e),
                    }
                    let back = iter.borrow().vars.clone();
                    outer.borrow_mut().vars = back;
                    if let Some(u) = update {
                        self.expr(u, &outer)?;
                    }
                }
            }
            Stmt::ForEach { kind, pattern, of, iterable, body } => {
                let v = self.expr(iterable, scope)?;
                let items: Vec<Value> = if *of {
                    match &v {
                        Value::Str(s) => s.chars().map(|c| Value::str(&c.to_string())).collect(),
                        Value::Obj(o) => match &o.borrow().class {
                            Class::Array(items) => items.clone(),
                            _ => {
                                return self.throw(
                                    "TypeError",
                                    &format!("{} is not iterable", describe(&v)),
                                    iterable.pos,
                                );
                            }
                        },
                        _ => {
                            return self.throw("TypeError", &format!("{} is not iterable", describe(&v)), iterable.pos);
                        }
                    }
                } else {
                    match &v {
                        Value::Obj(o) => o.borrow().keys().into_iter().map(|k| Value::str(&k)).collect(),
                        Value::Str(s) => (0..s.chars().count()).map(|i| Value::str(&i.to_string())).collect(),
                        _ => Vec::new(),
                    }
                };
                for item in items {
                    let iter = new_scope(Some(scope));
                    self.bind(pattern, item, &iter, *kind == DeclKind::Const, iterable.pos)?;
                    match self.stmt_scoped(body, &iter) {
                        Ok(()) | Err(Ctl::Continue) => {}
                        Err(Ctl::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::While(test, body) => {
                while self.expr(test, scope)?.truthy() {
                    match self.stmt_scoped(body, scope) {
                        Ok(()) | Err(Ctl::Continue) => {}
                        Err(Ctl::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::DoWhile(body, test) => loop {
                match self.stmt_scoped(body, scope) {
                    Ok(()) | Err(Ctl::Continue) => {}
                    Err(Ctl::Break) => break,
                    Err(e) => return Err(e),
                }
                if !self.expr(test, scope)?.truthy() {
                    break;
                }
            },
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.expr(e, scope)?,
                    None => Value::Undefined,
                };
                return Err(Ctl::Return(v));
            }
            Stmt::Break => return Err(Ctl::Break),
            Stmt::Continue => return Err(Ctl::Continue),
            Stmt::Throw(e, pos) => {
                let v = self.expr(e, scope)?;
                return Err(Ctl::Throw(v, *pos, self.file()));
            }
            Stmt::Try { block, param, handler, finally } => {
                let inner = new_scope(Some(scope));
                let mut result = self.run_block(block, &inner);
                if let (Err(Ctl::Throw(v, pos, _)), Some(h)) = (&result, handler) {
                    let (v, pos) = (v.clone(), *pos);
                    let hs = new_scope(Some(scope));
                    if let Some(p) = param {
                        self.bind(p, v, &hs, false, pos)?;
                    }
                    result = self.run_block(h, &hs);
                }
                if let Some(f) = finally {
                    let fs = new_scope(Some(scope));
                    self.run_block(f, &fs)?;
                }
                result?;
            }
            Stmt::Switch(subject, cases) => {
                let v = self.expr(subject, scope)?;
                let inner = new_scope(Some(scope));
                let mut start = None;
                for (i, (test, _)) in cases.iter().enumerate() {
                    if let Some(t) = test
                        && strict_equals(&v, &self.expr(t, &inner)?)
                    {
                        start = Some(i);
                        break;
                    }
                }
                let start = start.or_else(|| cases.iter().position(|(t, _)| t.is_none()));
                if let Some(start) = start {
                    for (_, body) in &cases[start..] {
                        match self.run_block(body, &inner) {
                            Ok(()) => {}
                            Err(Ctl::Break) => break,
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A statement as the body of `if` or a loop: a lone declaration still gets its own scope.
    fn stmt_scoped(&mut self, s: &Stmt, scope: &Scope) -> R<()> {
        match s {
            Stmt::Block(body) => {
                let inner = new_scope(Some(scope));
                self.run_block(body, &inner)
            }
            other => self.stmt(other, scope),
        }
    }

    pub fn expr(&mut self, e: &Expr, scope: &Scope) -> R<Value> {
        let pos = e.pos;
        Ok(match &e.kind {
            ExprKind::Num(n) => Value::Num(*n),
            ExprKind::Str(s) => Value::str(s),
            ExprKind::Template(parts, exprs) => {
                let mut out = parts[0].clone();
                for (i, x) in exprs.iter().enumerate() {
                    out.push_str(&self.expr(x, scope)?.to_str());
                    out.push_str(&parts[i + 1]);
                }
                Value::str(&out)
            }
            ExprKind::Ident(name) => match name.as_str() {
                "undefined" => Value::Undefined,
                "null" => Value::Null,
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "NaN" => Value::Num(f64::NAN),
                "Infinity" => Value::Num(f64::INFINITY),
                _ => match lookup(scope, name) {
                    Some(v) => v,
                    None if UNSUPPORTED_GLOBALS.contains(&name.as_str()) => return self.unsupported(name, pos),
                    None => return self.throw("ReferenceError", &format!("{name} is not defined"), pos),
                },
            },
            ExprKind::This => lookup(scope, "\0this").unwrap_or(Value::Undefined),
            ExprKind::Array(items) => Value::array(self.list(items, scope)?),
            ExprKind::Object(props) => {
                let mut out: Vec<(String, Value)> = Vec::new();
                for (k, v) in props {
                    let v = self.expr(v, scope)?;
                    match out.iter_mut().find(|(key, _)| key == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k.clone(), v)),
                    }
                }
                Value::object(out)
            }
            ExprKind::Function(f) => {
                let this = if f.arrow { Some(lookup(scope, "\0this").unwrap_or(Value::Undefined)) } else { None };
                Self::closure(f, scope, this)
            }
            ExprKind::Unary(op, operand) => {
                if *op == "typeof"
                    && let ExprKind::Ident(n) = &operand.kind
                    && lookup(scope, n).is_none()
                    && !matches!(n.as_str(), "undefined" | "null" | "true" | "false" | "NaN" | "Infinity")
                {
                    return Ok(Value::str("undefined"));
                }
                if *op == "delete" {
                    return match &operand.kind {
                        ExprKind::Member(o, k, _) => {
                            let o = self.expr(o, scope)?;
                            if let Value::Obj(o) = o {
                                o.borrow_mut().props.retain(|(key, _)| key != k);
                            }
                            Ok(Value::Bool(true))
                        }
                        ExprKind::Index(o, k, _) => {
                            let o = self.expr(o, scope)?;
                            let k = self.expr(k, scope)?.to_str();
                            if let Value::Obj(o) = o {
                                o.borrow_mut().props.retain(|(key, _)| *key != k);
                            }
                            Ok(Value::Bool(true))
                        }
                        _ => Ok(Value::Bool(true)),
                    };
                }
                let v = self.expr(operand, scope)?;
                match *op {
                    "!" => Value::Bool(!v.truthy()),
                    "-" => Value::Num(-v.to_number()),
                    "+" => Value::Num(v.to_number()),
                    "~" => Value::Num(f64::from(!to_i32(v.to_number()))),
                    "typeof" => Value::str(v.type_of()),
                    _ => Value::Undefined,
                }
            }
            ExprKind::Binary(op, l, r) => {
                let l = self.expr(l, scope)?;
                let r = self.expr(r, scope)?;
                self.binary(op, &l, &r, pos)?
            }
            ExprKind::Logical(op, l, r) => {
                let l = self.expr(l, scope)?;
                let take_left = match *op {
                    "&&" => !l.truthy(),
                    "||" => l.truthy(),
                    _ => !matches!(l, Value::Undefined | Value::Null),
                };
                if take_left { l } else { self.expr(r, scope)? }
            }
            ExprKind::Cond(t, a, b) => {
                if self.expr(t, scope)?.truthy() {
                    self.expr(a, scope)?
                } else {
                    self.expr(b, scope)?
                }
            }
            ExprKind::Assign(op, target, value) => {
                let v = if *op == "=" {
                    self.expr(value, scope)?
                } else {
                    let old = self.expr(target, scope)?;
                    let r = self.expr(value, scope)?;
                    self.binary(op, &old, &r, pos)?
                };
                self.store(target, v.clone(), scope)?;
                v
            }
            ExprKind::Update { prefix, increment, target } => {
                let old = self.expr(target, scope)?.to_number();
                let new = if *increment { old + 1.0 } else { old - 1.0 };
                self.store(target, Value::Num(new), scope)?;
                Value::Num(if *prefix { new } else { old })
            }
            ExprKind::Call(callee, args) => {
                let (f, this) = match &callee.kind {
                    ExprKind::Member(o, k, optional) => {
                        let o = self.expr(o, scope)?;
                        if *optional && matches!(o, Value::Undefined | Value::Null) {
                            return Ok(Value::Undefined);
                        }
                        (self.get(&o, k, callee.pos)?, o)
                    }
                    ExprKind::Index(o, k, _) => {
                        let o = self.expr(o, scope)?;
                        let k = self.expr(k, scope)?.to_str();
                        (self.get(&o, &k, callee.pos)?, o)
                    }
                    _ => (self.expr(callee, scope)?, Value::Undefined),
                };
                let args = self.list(args, scope)?;
                if !f.is_function() {
                    return self.throw("TypeError", &format!("{} is not a function", callee_text(callee)), pos);
                }
                self.call(&f, this, args, pos)?
            }
            ExprKind::New(callee, args) => {
                let f = self.expr(callee, scope)?;
                let args = self.list(args, scope)?;
                self.construct(&f, args, callee, pos)?
            }
            ExprKind::Member(o, k, optional) => {
                let o = self.expr(o, scope)?;
                if *optional && matches!(o, Value::Undefined | Value::Null) {
                    return Ok(Value::Undefined);
                }
                self.get(&o, k, pos)?
            }
            ExprKind::Index(o, k, optional) => {
                let o = self.expr(o, scope)?;
                if *optional && matches!(o, Value::Undefined | Value::Null) {
                    return Ok(Value::Undefined);
                }
                let k = self.expr(k, scope)?;
                self.get(&o, &key_of(&k), pos)?
            }
            ExprKind::Spread(_) => return self.unsupported("spread here", pos),
            ExprKind::Sequence(list) => {
                let mut last = Value::Undefined;
                for x in list {
                    last = self.expr(x, scope)?;
                }
                last
            }
        })
    }

    /// Evaluates an argument or element list, expanding `...array`.
    fn list(&mut self, items: &[Expr], scope: &Scope) -> R<Vec<Value>> {
        let mut out = Vec::new();
        for item in items {
            if let ExprKind::Spread(inner) = &item.kind {
                let v = self.expr(inner, scope)?;
                match &v {
                    Value::Obj(o) if matches!(o.borrow().class, Class::Array(_)) => {
                        if let Class::Array(items) = &o.borrow().class {
                            out.extend(items.iter().cloned());
                        }
                    }
                    Value::Str(s) => out.extend(s.chars().map(|c| Value::str(&c.to_string()))),
                    _ => return self.throw("TypeError", &format!("{} is not iterable", describe(&v)), item.pos),
                }
            } else {
                out.push(self.expr(item, scope)?);
            }
        }
        Ok(out)
    }

    fn store(&mut self, target: &Expr, v: Value, scope: &Scope) -> R<()> {
        match &target.kind {
            ExprKind::Ident(name) => match assign(scope, name, v.clone()) {
                Ok(()) => Ok(()),
                Err(true) => self.throw("TypeError", "Assignment to constant variable.", target.pos),
                // Sloppy mode: assigning an undeclared name makes a global.
                Err(false) => {
                    declare(&self.globals, name, v, false);
                    Ok(())
                }
            },
            ExprKind::Member(o, k, _) => {
                let o = self.expr(o, scope)?;
                self.set(&o, k, v, target.pos)
            }
            ExprKind::Index(o, k, _) => {
                let o = self.expr(o, scope)?;
                let k = self.expr(k, scope)?;
                self.set(&o, &key_of(&k), v, target.pos)
            }
            _ => self.unsupported("this assignment target", target.pos),
        }
    }

    pub fn set(&mut self, o: &Value, key: &str, v: Value, pos: Pos) -> R<()> {
        let Value::Obj(obj) = o else {
            if matches!(o, Value::Undefined | Value::Null) {
                return self.throw(
                    "TypeError",
                    &format!("Cannot set properties of {} (setting '{key}')", o.to_str()),
                    pos,
                );
            }
            return Ok(());
        };
        let mut b = obj.borrow_mut();
        if let Class::Array(items) = &mut b.class {
            if key == "length" {
                let n = v.to_number();
                if n >= 0.0 && n.fract() == 0.0 {
                    items.resize(n as usize, Value::Undefined);
                }
                return Ok(());
            }
            if let Ok(i) = key.parse::<usize>() {
                if i >= items.len() {
                    items.resize(i + 1, Value::Undefined);
                }
                items[i] = v;
                return Ok(());
            }
        }
        b.set_own(key, v);
        Ok(())
    }

    fn binary(&mut self, op: &str, l: &Value, r: &Value, pos: Pos) -> R<Value> {
        let num = |f: fn(f64, f64) -> f64| Value::Num(f(l.to_number(), r.to_number()));
        Ok(match op {
            "+" => {
                let (lp, rp) = (primitive(l), primitive(r));
                if matches!(lp, Value::Str(_)) || matches!(rp, Value::Str(_)) {
                    Value::str(&(lp.to_str() + &rp.to_str()))
                } else {
                    Value::Num(lp.to_number() + rp.to_number())
                }
            }
            "-" => num(|a, b| a - b),
            "*" => num(|a, b| a * b),
            "/" => num(|a, b| a / b),
            "%" => num(|a, b| a % b),
            "**" => num(f64::powf),
            "===" => Value::Bool(strict_equals(l, r)),
            "!==" => Value::Bool(!strict_equals(l, r)),
            "==" => Value::Bool(loose_equals(l, r)),
            "!=" => Value::Bool(!loose_equals(l, r)),
            "<" | ">" | "<=" | ">=" => {
                let (lp, rp) = (primitive(l), primitive(r));
                let ord = if let (Value::Str(a), Value::Str(b)) = (&lp, &rp) {
                    Some(a.cmp(b))
                } else {
                    lp.to_number().partial_cmp(&rp.to_number())
                };
                Value::Bool(ord.is_some_and(|o| match op {
                    "<" => o.is_lt(),
                    ">" => o.is_gt(),
                    "<=" => o.is_le(),
                    _ => o.is_ge(),
                }))
            }
            "&" => Value::Num(f64::from(to_i32(l.to_number()) & to_i32(r.to_number()))),
            "|" => Value::Num(f64::from(to_i32(l.to_number()) | to_i32(r.to_number()))),
            "^" => Value::Num(f64::from(to_i32(l.to_number()) ^ to_i32(r.to_number()))),
            "<<" => Value::Num(f64::from(to_i32(l.to_number()).wrapping_shl(to_i32(r.to_number()) as u32 & 31))),
            ">>" => Value::Num(f64::from(to_i32(l.to_number()) >> (to_i32(r.to_number()) as u32 & 31))),
            ">>>" => Value::Num(f64::from((to_i32(l.to_number()) as u32) >> (to_i32(r.to_number()) as u32 & 31))),
            "in" => match r {
                Value::Obj(o) => Value::Bool(o.borrow().keys().contains(&key_of(l))),
                _ => {
                    return self.throw(
                        "TypeError",
                        &format!("Cannot use 'in' operator to search for '{}' in {}", l.to_str(), r.to_str()),
                        pos,
                    );
                }
            },
            "instanceof" => {
                let name = match r {
                    Value::Obj(o) => match &o.borrow().class {
                        Class::Function(Callable::Native { name, .. }) => {
                            super::value::native_short_name(name).to_string()
                        }
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                Value::Bool(match l {
                    Value::Obj(o) => match &o.borrow().class {
                        Class::Error => {
                            name == "Error" || o.borrow().get_own("name").is_some_and(|n| n.to_str() == name)
                        }
                        Class::Array(_) => name == "Array" || name == "Object",
                        Class::Function(_) => name == "Function" || name == "Object",
                        Class::Plain => {
                            name == "Object" || o.borrow().get_own("\0class").is_some_and(|c| c.to_str() == name)
                        }
                    },
                    _ => false,
                })
            }
            _ => return self.unsupported(&format!("the {op} operator"), pos),
        })
    }

    /// Reads `o[key]`, including the built-in methods of strings, arrays and objects.
    pub fn get(&mut self, o: &Value, key: &str, pos: Pos) -> R<Value> {
        match o {
            Value::Undefined | Value::Null => {
                self.throw("TypeError", &format!("Cannot read properties of {} (reading '{key}')", o.to_str()), pos)
            }
            Value::Str(s) => {
                if key == "length" {
                    return Ok(Value::Num(s.encode_utf16().count() as f64));
                }
                if let Ok(i) = key.parse::<usize>() {
                    return Ok(s.chars().nth(i).map_or(Value::Undefined, |c| Value::str(&c.to_string())));
                }
                Ok(super::builtins::method("string", key).map_or(Value::Undefined, |n| Value::native(n, o.clone())))
            }
            Value::Num(_) => {
                Ok(super::builtins::method("number", key).map_or(Value::Undefined, |n| Value::native(n, o.clone())))
            }
            Value::Bool(_) => Ok(Value::Undefined),
            Value::Obj(obj) => {
                let b = obj.borrow();
                if let Some(v) = b.get_own(key) {
                    return Ok(v);
                }
                match &b.class {
                    Class::Array(items) => {
                        if key == "length" {
                            return Ok(Value::Num(items.len() as f64));
                        }
                        if let Ok(i) = key.parse::<usize>() {
                            return Ok(items.get(i).cloned().unwrap_or(Value::Undefined));
                        }
                        if let Some(n) = super::builtins::method("array", key) {
                            return Ok(Value::native(n, o.clone()));
                        }
                    }
                    Class::Function(c) if key == "name" => {
                        return Ok(Value::str(&match c {
                            Callable::Closure { func, .. } => func.name.clone(),
                            Callable::Native { name, .. } => super::value::native_short_name(name).to_string(),
                        }));
                    }
                    Class::Function(Callable::Closure { .. }) if key == "prototype" => {
                        return self.unsupported("prototypes", pos);
                    }
                    _ => {}
                }
                drop(b);
                if key == "__proto__" || key == "constructor" {
                    return self.unsupported(&format!("'{key}'"), pos);
                }
                Ok(super::builtins::method("object", key).map_or(Value::Undefined, |n| Value::native(n, o.clone())))
            }
        }
    }

    /// Calls a function value with `this` and arguments.
    pub fn call(&mut self, f: &Value, this: Value, args: Vec<Value>, pos: Pos) -> R<Value> {
        let Value::Obj(o) = f else {
            return self.throw("TypeError", &format!("{} is not a function", describe(f)), pos);
        };
        let callable = match &o.borrow().class {
            Class::Function(c) => c.clone(),
            _ => return self.throw("TypeError", &format!("{} is not a function", describe(f)), pos),
        };
        match callable {
            Callable::Native { name, this: bound } => {
                let this = if matches!(bound, Value::Undefined) { this } else { bound };
                super::builtins::call(self, name, &this, args, pos)
            }
            Callable::Closure { func, scope, this: captured } => {
                if self.depth >= MAX_DEPTH || self.stack_base.abs_diff(stack_position()) > STACK_BUDGET {
                    return self.throw("RangeError", "Maximum call stack size exceeded", pos);
                }
                let inner = new_scope(Some(&scope));
                declare(&inner, "\0this", captured.unwrap_or(this), true);
                if !func.arrow {
                    declare(&inner, "arguments", Value::array(args.clone()), false);
                }
                self.depth += 1;
                self.frames.push((func.name.clone(), self.file(), pos));
                let result = self.enter(&func, &inner, args);
                self.frames.pop();
                self.depth -= 1;
                match result {
                    Ok(()) | Err(Ctl::Break | Ctl::Continue) => Ok(Value::Undefined),
                    Err(Ctl::Return(v)) => Ok(v),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Binds a function's parameters in its scope and runs its body.
    fn enter(&mut self, func: &Function, inner: &Scope, args: Vec<Value>) -> R<()> {
        let mut args = args.into_iter();
        for p in &func.params {
            let mut v =
                if p.rest { Value::array(args.by_ref().collect()) } else { args.next().unwrap_or(Value::Undefined) };
            if let (Value::Undefined, Some(d)) = (&v, &p.default) {
                v = self.expr(d, inner)?;
            }
            self.bind(&p.pattern, v, inner, false, func.pos)?;
        }
        self.run_block(&func.body, inner)
    }

    fn construct(&mut self, f: &Value, args: Vec<Value>, callee: &Expr, pos: Pos) -> R<Value> {
        let Value::Obj(o) = f else {
            return self.throw("TypeError", &format!("{} is not a constructor", callee_text(callee)), pos);
        };
        let callable = match &o.borrow().class {
            Class::Function(c) => c.clone(),
            _ => return self.throw("TypeError", &format!("{} is not a constructor", callee_text(callee)), pos),
        };
        match callable {
            Callable::Native { name, .. } => {
                if name.starts_with("global.") && name.ends_with("Error")
                    || matches!(name, "global.Object" | "global.Array")
                {
                    super::builtins::call(self, name, &Value::Undefined, args, pos)
                } else {
                    self.unsupported(&format!("new {}", super::value::native_short_name(name)), pos)
                }
            }
            Callable::Closure { ref func, .. } => {
                if func.arrow {
                    return self.throw("TypeError", &format!("{} is not a constructor", callee_text(callee)), pos);
                }
                let this = Value::object(vec![("\0class".into(), Value::str(&func.name))]);
                let r = self.call(f, this.clone(), args, pos)?;
                Ok(if matches!(r, Value::Obj(_)) { r } else { this })
            }
        }
    }
}

/// The text V8 names a callee by in "is not a function" (`obj.method`, `fn`).
fn callee_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Ident(n) => n.clone(),
        ExprKind::Member(o, k, _) => format!("{}.{k}", callee_text(o)),
        ExprKind::Index(o, _, _) => format!("{}[...]", callee_text(o)),
        ExprKind::Call(c, _) => format!("{}(...)", callee_text(c)),
        ExprKind::This => "this".into(),
        _ => "expression".into(),
    }
}

/// A value as a V8 message names it.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Obj(_) => super::value::inspect(v),
        other => other.to_str(),
    }
}

/// The property key a value names (`a[1]` is `a["1"]`).
pub fn key_of(v: &Value) -> String {
    match v {
        Value::Num(n) => number_to_string(*n),
        other => other.to_str(),
    }
}

fn primitive(v: &Value) -> Value {
    match v {
        Value::Obj(_) => Value::str(&v.to_str()),
        other => other.clone(),
    }
}

pub fn to_i32(n: f64) -> i32 {
    if n.is_finite() { (n.trunc() as i64) as i32 } else { 0 }
}

pub fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

fn loose_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => true,
        (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => false,
        (Value::Obj(_), Value::Obj(_)) => strict_equals(a, b),
        (Value::Str(x), Value::Str(y)) => x == y,
        _ => primitive(a).to_number() == primitive(b).to_number(),
    }
}
