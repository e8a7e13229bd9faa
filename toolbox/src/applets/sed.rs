//! `sed`: the commands Dockerfiles use (`s`, `p`, `d`, `q`, `=`, `a`, `i`, `c`, `y`, `{…}`, and the hold space's
//! `h`, `H`, `g`, `G`, `x`), with line, `$` and
//! `/regex/` addresses, ranges, `!`, and `-n`, `-e`, `-i`, `-E`.

use std::cell::Cell;

use super::{lines, options};
use crate::Proc;
use crate::proc::strerror;
use crate::regex::Regex;

enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

enum Kind {
    Substitute {
        re: Regex,
        replacement: String,
        global: bool,
        nth: usize,
        print: bool,
    },
    Translate(Vec<char>, Vec<char>),
    Print,
    Delete,
    Quit(bool),
    LineNumber,
    Append(String),
    Insert(String),
    Change(String),
    Block(Vec<Cmd>),
    /// `h`, `H`, `g`, `G`, `x`.
    Hold(char),
}

struct Cmd {
    from: Option<Addr>,
    to: Option<Addr>,
    negate: bool,
    kind: Kind,
    /// Inside a range that started on an earlier line.
    active: Cell<bool>,
}

struct Script {
    chars: Vec<char>,
    pos: usize,
    extended: bool,
}

impl Script {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
        }
    }

    fn commands(&mut self, in_block: bool) -> Result<Vec<Cmd>, String> {
        let mut cmds = Vec::new();
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.pos += 1;
            }
            match self.peek() {
                None if in_block => return Err("unmatched '{'".into()),
                None => return Ok(cmds),
                Some('}') if in_block => {
                    self.pos += 1;
                    return Ok(cmds);
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                Some(_) => cmds.push(self.command()?),
            }
        }
    }

    fn command(&mut self) -> Result<Cmd, String> {
        let from = self.address()?;
        let mut to = None;
        if from.is_some() && self.peek() == Some(',') {
            self.pos += 1;
            to = Some(self.address()?.ok_or("unexpected ','")?);
        }
        self.skip_blanks();
        let mut negate = false;
        while self.peek() == Some('!') {
            negate = true;
            self.pos += 1;
            self.skip_blanks();
        }
        let Some(c) = self.peek() else { return Err("missing command".into()) };
        self.pos += 1;
        let kind = match c {
            's' => self.substitute()?,
            'y' => {
                let delim = self.next_char()?;
                let from: Vec<char> = unescape_text(&self.delimited(delim)?).chars().collect();
                let to: Vec<char> = unescape_text(&self.delimited(delim)?).chars().collect();
                if from.len() != to.len() {
                    return Err("strings for y command are different lengths".into());
                }
                Kind::Translate(from, to)
            }
            'p' => Kind::Print,
            'd' => Kind::Delete,
            'q' | 'Q' => Kind::Quit(c == 'q'),
            '=' => Kind::LineNumber,
            'a' | 'i' | 'c' => {
                let text = self.text();
                match c {
                    'a' => Kind::Append(text),
                    'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            '{' => Kind::Block(self.commands(true)?),
            'h' | 'H' | 'g' | 'G' | 'x' => Kind::Hold(c),
            other => return Err(format!("unsupported command {other}")),
        };
        Ok(Cmd { from, to, negate, kind, active: Cell::new(false) })
    }

    fn next_char(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("unterminated command")?;
        self.pos += 1;
        Ok(c)
    }

    fn address(&mut self) -> Result<Option<Addr>, String> {
        self.skip_blanks();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                Ok(Some(Addr::Line(text.parse().map_err(|_| "bad line number")?)))
            }
            Some('$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some(delim @ ('/' | '\\')) => {
                self.pos += 1;
                let delim = if delim == '\\' { self.next_char()? } else { delim };
                let pattern = self.delimited(delim)?;
                Ok(Some(Addr::Re(Regex::new(&pattern, self.extended, false)?)))
            }
            _ => Ok(None),
        }
    }

    /// Text up to an unescaped `delim`; `\delim` becomes `delim`, other escapes stay for the regex.
    fn delimited(&mut self, delim: char) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(format!("unmatched '{delim}'")) };
            self.pos += 1;
            if c == delim {
                return Ok(out);
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == delim => {
                        out.push(n);
                        self.pos += 1;
                    }
                    Some('n') => {
                        out.push('\n');
                        self.pos += 1;
                    }
                    Some(n) => {
                        out.push('\\');
                        out.push(n);
                        self.pos += 1;
                    }
                    None => return Err(format!("unmatched '{delim}'")),
                }
            } else {
                out.push(c);
            }
        }
    }

    fn substitute(&mut self) -> Result<Kind, String> {
        let delim = self.next_char()?;
        let pattern = self.delimited(delim)?;
        let replacement = self.delimited(delim)?;
        let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
        while let Some(c) = self.peek() {
            match c {
                'g' => global = true,
                'p' => print = true,
                'i' | 'I' => icase = true,
                d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
                _ => break,
            }
            self.pos += 1;
        }
        let re = Regex::new(&pattern, self.extended, icase)?;
        Ok(Kind::Substitute { re, replacement, global, nth, print })
    }

    /// The text of `a`, `i` and `c`: the one-line form (`a text`) or the POSIX form (`a\` newline text).
    fn text(&mut self) -> String {
        self.skip_blanks();
        if self.peek() == Some('\\') {
            self.pos += 1;
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        }
        let mut text = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '\n' => break,
                '\\' => match self.peek() {
                    Some('\n') => {
                        text.push('\n');
                        self.pos += 1;
                    }
                    Some(n) => {
                        text.push(n);
                        self.pos += 1;
                    }
                    None => {}
                },
                c => text.push(c),
            }
        }
        text
    }
}

fn unescape_text(text: &str) -> String {
    text.replace("\\\\", "\\")
}

/// What happened to the current line.
enum Outcome {
    Continue,
    Deleted,
    Quit { print: bool },
}

struct Run<'a> {
    line_no: usize,
    last: bool,
    out: &'a mut String,
    after: Vec<String>,
    hold: String,
}

impl Run<'_> {
    fn matches(&self, addr: &Addr, line: &str) -> bool {
        match addr {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => self.last,
            Addr::Re(re) => re.is_match(line),
        }
    }

    fn selected(&self, cmd: &Cmd, line: &str) -> bool {
        let hit = match (&cmd.from, &cmd.to) {
            (None, _) => true,
            (Some(from), None) => self.matches(from, line),
            (Some(from), Some(to)) => {
                if cmd.active.get() {
                    let ended = match to {
                        Addr::Line(n) => self.line_no >= *n,
                        other => self.matches(other, line),
                    };
                    cmd.active.set(!ended);
                    true
                } else if self.matches(from, line) {
                    let one_line = matches!(to, Addr::Line(n) if *n <= self.line_no);
                    cmd.active.set(!one_line && !self.last);
                    true
                } else {
                    false
                }
            }
        };
        hit != cmd.negate
    }

    fn execute(&mut self, cmds: &[Cmd], space: &mut String) -> Outcome {
        for cmd in cmds {
            if !self.selected(cmd, space) {
                continue;
            }
            match &cmd.kind {
                Kind::Substitute { re, replacement, global, nth, print } => {
                    if substitute(space, re, replacement, *global, *nth) && *print {
                        self.out.push_str(space);
                        self.out.push('\n');
                    }
                }
                Kind::Translate(from, to) => {
                    *space = space.chars().map(|c| from.iter().position(|&f| f == c).map_or(c, |i| to[i])).collect();
                }
                Kind::Print => {
                    self.out.push_str(space);
                    self.out.push('\n');
                }
                Kind::Delete => return Outcome::Deleted,
                Kind::Quit(print) => return Outcome::Quit { print: *print },
                Kind::LineNumber => self.out.push_str(&format!("{}\n", self.line_no)),
                Kind::Append(text) => self.after.push(text.clone()),
                Kind::Insert(text) => {
                    self.out.push_str(text);
                    self.out.push('\n');
                }
                Kind::Change(text) => {
                    if !cmd.active.get() {
                        self.out.push_str(text);
                        self.out.push('\n');
                    }
                    return Outcome::Deleted;
                }
                Kind::Hold(c) => match c {
                    'h' => self.hold.clone_from(space),
                    'H' => {
                        self.hold.push('\n');
                        self.hold.push_str(space);
                    }
                    'g' => space.clone_from(&self.hold),
                    'G' => {
                        space.push('\n');
                        space.push_str(&self.hold);
                    }
                    _ => std::mem::swap(space, &mut self.hold),
                },
                Kind::Block(inner) => match self.execute(inner, space) {
                    Outcome::Continue => {}
                    other => return other,
                },
            }
        }
        Outcome::Continue
    }
}

/// Replaces the `nth` match (or every match from it on, with `g`); returns whether anything was replaced.
fn substitute(space: &mut String, re: &Regex, replacement: &str, global: bool, nth: usize) -> bool {
    let mut result = String::new();
    let mut at = 0;
    let mut copied = 0;
    let mut count = 0;
    let mut replaced = false;
    while at <= space.len() {
        let Some(caps) = re.captures_from(space, at) else { break };
        let Some((start, end)) = caps[0] else { break };
        count += 1;
        if count >= nth {
            result.push_str(&space[copied..start]);
            expand_replacement(&mut result, replacement, space, &caps);
            copied = end;
            replaced = true;
            if !global {
                break;
            }
        }
        at = if end > start { end } else { end + space[end..].chars().next().map_or(1, char::len_utf8) };
    }
    if replaced {
        result.push_str(&space[copied..]);
        *space = result;
    }
    replaced
}

fn expand_replacement(out: &mut String, replacement: &str, space: &str, caps: &crate::regex::Captures) {
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                if let Some((s, e)) = caps[0] {
                    out.push_str(&space[s..e]);
                }
            }
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => {
                    let group = d.to_digit(10).unwrap_or(0) as usize;
                    if let Some(Some((s, e))) = caps.get(group) {
                        out.push_str(&space[*s..*e]);
                    }
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    // `-i.bak` keeps a backup in GNU sed; busybox ignores the suffix, and so does the toolbox.
    let argv: Vec<String> = argv
        .iter()
        .map(|a| if a.starts_with("-i") && a.len() > 2 && !a[2..].starts_with('n') { "-i".into() } else { a.clone() })
        .collect();
    let o = match options(
        p,
        &argv,
        "ne:f:iErs",
        &[("quiet", 'n'), ("expression", 'e'), ("in-place", 'i'), ("regexp-extended", 'E')],
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut operands = o.operands.clone();
    let mut source: Vec<String> = o.values('e').to_vec();
    for file in o.values('f') {
        match p.read_all(file) {
            Ok(data) => source.push(String::from_utf8_lossy(&data).into_owned()),
            Err(e) => {
                p.error("sed", &format!("{file}: {}", strerror(&e)));
                return 1;
            }
        }
    }
    if source.is_empty() {
        if operands.is_empty() {
            return super::bad_usage(p, "sed", "");
        }
        source.push(operands.remove(0));
    }
    let text = source.join("\n");
    let mut script = Script { chars: text.chars().collect(), pos: 0, extended: o.has('E') || o.has('r') };
    let cmds = match script.commands(false) {
        Ok(c) => c,
        Err(message) => {
            p.error("sed", &message);
            return 1;
        }
    };
    let quiet = o.has('n');
    let mut status = 0;
    if o.has('i') {
        for file in &operands {
            let Some(data) = read(p, file, &mut status) else { continue };
            let mut out = String::new();
            process(&cmds, &[data], quiet, &mut out);
            if let Err(e) = p.create(file, false).and_then(|f| f.borrow_mut().write_all(out.as_bytes())) {
                p.error("sed", &format!("can't create '{file}': {}", strerror(&e)));
                status = 1;
            }
        }
        return status;
    }
    if operands.is_empty() {
        operands.push("-".into());
    }
    let inputs: Vec<Vec<u8>> = operands.iter().filter_map(|f| read(p, f, &mut status)).collect();
    let mut out = String::new();
    process(&cmds, &inputs, quiet, &mut out);
    p.outs(&out);
    status
}

fn read(p: &Proc, file: &str, status: &mut i32) -> Option<Vec<u8>> {
    match p.read_all(file) {
        Ok(data) => Some(data),
        Err(e) => {
            p.error("sed", &format!("{file}: {}", strerror(&e)));
            *status = 1;
            None
        }
    }
}

fn process(cmds: &[Cmd], inputs: &[Vec<u8>], quiet: bool, out: &mut String) {
    let all: Vec<String> =
        inputs.iter().flat_map(|d| lines(d).into_iter().map(|l| String::from_utf8_lossy(l).into_owned())).collect();
    let mut run = Run { line_no: 0, last: false, out, after: Vec::new(), hold: String::new() };
    for (index, line) in all.iter().enumerate() {
        run.line_no = index + 1;
        run.last = index + 1 == all.len();
        let mut space = line.clone();
        let outcome = run.execute(cmds, &mut space);
        let print = match outcome {
            Outcome::Continue => !quiet,
            Outcome::Deleted => false,
            Outcome::Quit { print } => print && !quiet,
        };
        if print {
            run.out.push_str(&space);
            run.out.push('\n');
        }
        for text in std::mem::take(&mut run.after) {
            run.out.push_str(&text);
            run.out.push('\n');
        }
        if matches!(outcome, Outcome::Quit { .. }) {
            break;
        }
    }
}
