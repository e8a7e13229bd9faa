//! `test` and `[`: file, string and integer tests with `!`, `-a`, `-o` and parentheses.

use std::fs;

use crate::Proc;

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let who = p.who(&argv[0]).to_string();
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if argv[0] == "[" {
        if args.last() != Some(&"]") {
            p.error(&who, "missing ]");
            return 2;
        }
        args.pop();
    }
    let mut t = Test { p, args: &args, pos: 0 };
    if args.is_empty() {
        return 1;
    }
    match t.or() {
        Ok(_) if t.pos < args.len() => {
            p.error(&who, &format!("{}: unknown operand", args[t.pos]));
            2
        }
        Ok(result) => i32::from(!result),
        Err(message) => {
            p.error(&who, &message);
            2
        }
    }
}

const UNARY: &[&str] = &[
    "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-b", "-c", "-p", "-S", "-t", "-z", "-n", "-u", "-g", "-k",
    "-O", "-G",
];
const BINARY: &[&str] = &["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"];

struct Test<'a> {
    p: &'a Proc,
    args: &'a [&'a str],
    pos: usize,
}

impl<'a> Test<'a> {
    fn peek(&self, offset: usize) -> Option<&'a str> {
        self.args.get(self.pos + offset).copied()
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.peek(0) == Some("-o") {
            self.pos += 1;
            let right = self.and()?;
            value = value || right;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.peek(0) == Some("-a") {
            self.pos += 1;
            let right = self.not()?;
            value = value && right;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        // `!` negates unless it is the left operand of a binary test (`[ ! = x ]`).
        if self.peek(0) == Some("!") && !self.peek(1).is_some_and(|op| BINARY.contains(&op) && self.peek(2).is_some()) {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.peek(0) else { return Err("argument expected".into()) };
        if let (Some(op), Some(right)) = (self.peek(1), self.peek(2)) {
            if BINARY.contains(&op) {
                self.pos += 3;
                return self.binary(first, op, right);
            }
        }
        if first == "(" && self.args.len() > self.pos + 1 {
            self.pos += 1;
            let value = self.or()?;
            if self.peek(0) != Some(")") {
                return Err("')' expected".into());
            }
            self.pos += 1;
            return Ok(value);
        }
        if UNARY.contains(&first) {
            if let Some(operand) = self.peek(1) {
                self.pos += 2;
                return Ok(self.unary(first, operand));
            }
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }

    fn unary(&self, op: &str, operand: &str) -> bool {
        let host = self.p.host(operand);
        if operand.is_empty() && !matches!(op, "-z" | "-n") {
            return false;
        }
        let meta = fs::metadata(&host);
        match op {
            "-z" => operand.is_empty(),
            "-n" => !operand.is_empty(),
            "-e" | "-r" => meta.is_ok(),
            "-f" => meta.is_ok_and(|m| m.is_file()),
            "-d" => meta.is_ok_and(|m| m.is_dir()),
            "-s" => meta.is_ok_and(|m| m.len() > 0),
            // WASI has no mode bits (and calls folders read-only): root may write to whatever exists.
            "-w" => meta.is_ok_and(|m| !cfg!(unix) || !m.permissions().readonly()),
            "-x" => meta.is_ok_and(|m| m.is_dir() || executable(&host, &m)),
            "-L" | "-h" => fs::symlink_metadata(&host).is_ok_and(|m| m.file_type().is_symlink()),
            "-t" => self.p.tty && matches!(operand, "0" | "1" | "2"),
            _ => false,
        }
    }

    fn binary(&self, left: &str, op: &str, right: &str) -> Result<bool, String> {
        let number = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: bad number"));
        let mtime = |s: &str| fs::metadata(self.p.host(s)).and_then(|m| m.modified()).ok();
        Ok(match op {
            "=" | "==" => left == right,
            "!=" => left != right,
            "<" => left < right,
            ">" => left > right,
            "-eq" => number(left)? == number(right)?,
            "-ne" => number(left)? != number(right)?,
            "-lt" => number(left)? < number(right)?,
            "-le" => number(left)? <= number(right)?,
            "-gt" => number(left)? > number(right)?,
            "-ge" => number(left)? >= number(right)?,
            "-nt" => matches!((mtime(left), mtime(right)), (Some(a), Some(b)) if a > b),
            "-ot" => matches!((mtime(left), mtime(right)), (Some(a), Some(b)) if a < b),
            "-ef" => self.p.host(left).exists() && self.p.logical(left) == self.p.logical(right),
            _ => false,
        })
    }
}

/// Whether a file is a program. WASI has no mode bits: scripts (`#!`) and WASM modules count.
pub(crate) fn executable(host: &std::path::Path, meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = host;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        use std::io::Read;
        let mut head = [0u8; 4];
        let n = fs::File::open(host).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
        meta.is_file() && (head[..n].starts_with(b"#!") || head[..n] == *b"\0asm")
    }
}
