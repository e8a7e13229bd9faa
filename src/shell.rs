//! A forgiving reader of POSIX shell text: it finds the simple commands in a script (inside `&&`/`||` lists,
//! pipelines, subshells, `$(…)`, `if`/`for`/`while` bodies) with their words, assignments and redirections,
//! as byte ranges into the text. It never fails; unbalanced quotes run to the end. Lint rules read RUN
//! instructions, heredoc bodies and scripts through it; it does no I/O.

/// One word of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the word as written.
    pub range: (usize, usize),
    /// Quotes and backslashes removed; `$…` expansions kept as written.
    pub value: String,
    /// True when any part of the word was quoted.
    pub quoted: bool,
    /// True when the word holds a `$` expansion or a command substitution.
    pub expands: bool,
}

/// What joins a command to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// The first command, or after `;`, `&`, a newline or a compound keyword.
    Start,
    And,
    Or,
    Pipe,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The operator with its file descriptor, e.g. `2>`, `>>`, `<<`.
    pub op: String,
    pub target: Option<Word>,
}

/// A simple command: `NAME=value program arg… >redirect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<Word>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub joiner: Joiner,
    /// True when a `|` follows this command.
    pub piped: bool,
    /// Nesting depth: 0 at top level, 1 inside `$(…)` or backquotes, and so on.
    pub depth: usize,
    /// From the first assignment or word to the end of the last.
    pub range: (usize, usize),
}

impl SimpleCommand {
    /// The program as written (`/usr/bin/apt-get` stays whole).
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|w| w.value.as_str())
    }

    /// The program without its directory: `apt-get` for `/usr/bin/apt-get`.
    #[must_use]
    pub fn program(&self) -> Option<&str> {
        self.name().map(|n| n.rsplit('/').next().unwrap_or(n))
    }

    #[must_use]
    pub fn is(&self, program: &str) -> bool {
        self.program() == Some(program)
    }

    /// The words after the program.
    #[must_use]
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or_default()
    }

    /// True when an argument is one of `flags`; short flags also match inside a bundle (`-qy` holds `-y`).
    #[must_use]
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().any(|w| word_is_flag(&w.value, flags))
    }

    /// The arguments that are not flags, skipping the values of the flags listed in `flags_with_value`.
    #[must_use]
    pub fn operands<'a>(&'a self, flags_with_value: &[&str]) -> Vec<&'a Word> {
        let mut out = Vec::new();
        let mut skip = false;
        let mut after_dashdash = false;
        for w in self.args() {
            if skip {
                skip = false;
                continue;
            }
            let v = w.value.as_str();
            if after_dashdash || !v.starts_with('-') || v == "-" {
                out.push(w);
            } else if v == "--" {
                after_dashdash = true;
            } else if flags_with_value.contains(&v) {
                skip = true;
            }
        }
        out
    }
}

/// True when `word` is one of `flags`, or a bundle of short flags holding one of them.
#[must_use]
pub fn word_is_flag(word: &str, flags: &[&str]) -> bool {
    if flags.contains(&word) {
        return true;
    }
    let Some(bundle) = word.strip_prefix('-') else { return false };
    if bundle.starts_with('-') || bundle.is_empty() {
        // A long flag may carry its value: `--output=x` matches `--output`.
        return word.split_once('=').is_some_and(|(name, _)| flags.contains(&name));
    }
    flags.iter().any(|f| {
        f.len() == 2
            && f.starts_with('-')
            && !f.starts_with("--")
            && bundle.contains(&f[1..])
            && bundle.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// The simple commands of a script, in order of appearance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
}

impl Script {
    /// True when the script has a pipeline of two or more commands.
    #[must_use]
    pub fn has_pipe(&self) -> bool {
        self.commands.iter().any(|c| c.piped)
    }

    pub fn find<'a>(&'a self, program: &'a str) -> impl Iterator<Item = &'a SimpleCommand> + 'a {
        self.commands.iter().filter(move |c| c.is(program))
    }
}

const RESERVED_START: [&str; 13] =
    ["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "fi", "done"];

/// Parses shell text into its simple commands.
#[must_use]
pub fn parse(text: &str) -> Script {
    let mut p = Reader { s: text.as_bytes(), text, pos: 0, out: Vec::new(), pending_heredocs: Vec::new() };
    p.list(0, None);
    p.out.sort_by_key(|c| c.range.0);
    Script { commands: p.out }
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    out: Vec<SimpleCommand>,
    pending_heredocs: Vec<(String, bool)>,
}

enum Token {
    Word(Word),
    Op(&'static str),
    Redirect(String),
    Newline,
    End,
}

impl Reader<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn at(&self, i: usize) -> u8 {
        self.s.get(self.pos + i).copied().unwrap_or(0)
    }

    /// Reads commands until `close` (a `)` or a backquote) or the end.
    fn list(&mut self, depth: usize, close: Option<u8>) {
        let mut cmd = new_command(Joiner::Start, depth);
        // After `for`/`select` the loop words run to the `;`; after `case` the subject runs to `in`.
        let mut skipping = false;
        let mut case_depth = 0usize;
        // Inside `case … in`, before the `)` that ends a pattern.
        let mut in_pattern = false;
        loop {
            let tok = self.token(depth, close);
            match tok {
                Token::Word(w) if in_pattern => {
                    if !w.quoted && w.value == "esac" {
                        in_pattern = false;
                        case_depth = case_depth.saturating_sub(1);
                    }
                }
                Token::Op("|") if in_pattern => {}
                Token::Op(")") if in_pattern => in_pattern = false,
                Token::Word(w) => {
                    if skipping {
                        if !w.quoted && w.value == "in" && case_depth > 0 {
                            skipping = false;
                            in_pattern = true;
                        }
                        continue;
                    }
                    // `NAME="a b"` is an assignment: only the name must be unquoted.
                    let raw = &self.text[w.range.0..w.range.1];
                    if cmd.words.is_empty()
                        && raw.split_once('=').is_some_and(|(name, _)| is_assignment(&format!("{name}=")))
                    {
                        cmd.assignments.push(w);
                        continue;
                    }
                    if cmd.words.is_empty() && !w.quoted {
                        let v = w.value.as_str();
                        match v {
                            "for" | "select" => {
                                skipping = true;
                                continue;
                            }
                            "case" => {
                                skipping = true;
                                case_depth += 1;
                                continue;
                            }
                            "esac" => {
                                case_depth = case_depth.saturating_sub(1);
                                continue;
                            }
                            _ if RESERVED_START.contains(&v) => continue,
                            _ => {}
                        }
                    }
                    cmd.words.push(w);
                }
                Token::Redirect(op) => {
                    let target = match self.token(depth, close) {
                        Token::Word(w) => Some(w),
                        _ => None,
                    };
                    if (op.ends_with("<<") || op.ends_with("<<-"))
                        && let Some(t) = &target
                    {
                        self.pending_heredocs.push((t.value.clone(), op.ends_with('-')));
                    }
                    cmd.redirects.push(Redirect { op, target });
                }
                Token::Op(";;") => {
                    self.finish(&mut cmd, false);
                    in_pattern = case_depth > 0;
                    cmd = new_command(Joiner::Start, depth);
                }
                Token::Op(op) => {
                    let piped = op == "|" || op == "|&";
                    self.finish(&mut cmd, piped);
                    skipping = false;
                    let mut joiner = match op {
                        "&&" => Joiner::And,
                        "||" => Joiner::Or,
                        "|" | "|&" => Joiner::Pipe,
                        _ => Joiner::Start,
                    };
                    if op == "(" {
                        self.list(depth, Some(b')'));
                        joiner = Joiner::Start;
                    } else if op == ")" {
                        if close == Some(b')') {
                            return;
                        }
                        joiner = Joiner::Start;
                    }
                    cmd = new_command(joiner, depth);
                }
                Token::Newline => {
                    self.finish(&mut cmd, false);
                    skipping = false;
                    self.skip_heredoc_bodies();
                    cmd = new_command(Joiner::Start, depth);
                }
                Token::End => {
                    self.finish(&mut cmd, false);
                    return;
                }
            }
        }
    }

    fn finish(&mut self, cmd: &mut SimpleCommand, piped: bool) {
        if cmd.words.is_empty() && cmd.assignments.is_empty() {
            return;
        }
        let first = cmd.assignments.first().or(cmd.words.first()).map_or(0, |w| w.range.0);
        let last = cmd
            .words
            .last()
            .or(cmd.assignments.last())
            .map_or(first, |w| w.range.1)
            .max(cmd.redirects.iter().filter_map(|r| r.target.as_ref()).map(|w| w.range.1).max().unwrap_or(0));
        cmd.range = (first, last);
        cmd.piped = piped;
        let joiner = cmd.joiner;
        let depth = cmd.depth;
        self.out.push(std::mem::replace(cmd, new_command(joiner, depth)));
    }

    /// After a newline, skips the bodies of heredocs opened on the line before.
    fn skip_heredoc_bodies(&mut self) {
        for (delim, chomp) in std::mem::take(&mut self.pending_heredocs) {
            while self.pos < self.s.len() {
                let end = self.text[self.pos..].find('\n').map_or(self.s.len(), |i| self.pos + i);
                let line = &self.text[self.pos..end];
                self.pos = (end + 1).min(self.s.len());
                let line = if chomp { line.trim_start_matches('\t') } else { line };
                if line == delim {
                    break;
                }
            }
        }
    }

    /// The next token: skips blanks, comments and backslash-newlines.
    fn token(&mut self, depth: usize, close: Option<u8>) -> Token {
        loop {
            match self.peek() {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.at(1) == b'\n' => self.pos += 2,
                b'#' => {
                    while self.pos < self.s.len() && self.peek() != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let c = self.peek();
        if self.pos >= self.s.len() {
            return Token::End;
        }
        if Some(c) == close && c == b'`' {
            self.pos += 1;
            return Token::End;
        }
        if c == b'\n' {
            self.pos += 1;
            return Token::Newline;
        }
        for op in ["&&", "||", ";;", "|&", "&>>", "&>"] {
            if self.text[self.pos..].starts_with(op) {
                self.pos += op.len();
                if op.starts_with("&>") {
                    return Token::Redirect(op.to_string());
                }
                return Token::Op(match op {
                    "&&" => "&&",
                    "||" => "||",
                    "|&" => "|&",
                    _ => ";;",
                });
            }
        }
        match c {
            b';' | b'&' => {
                self.pos += 1;
                return Token::Op(";");
            }
            b'|' => {
                self.pos += 1;
                return Token::Op("|");
            }
            b'(' => {
                self.pos += 1;
                return Token::Op("(");
            }
            b')' => {
                self.pos += 1;
                return Token::Op(")");
            }
            _ => {}
        }
        // A redirection, with an optional file descriptor before it.
        let digits = self.s[self.pos..].iter().take_while(|b| b.is_ascii_digit()).count();
        let op_at = self.pos + digits;
        if matches!(self.s.get(op_at), Some(b'<' | b'>')) {
            let ops = ["<<<", "<<-", ">>", "<<", ">&", "<&", ">|", "<>", ">", "<"];
            if let Some(op) = ops.iter().find(|o| self.text[op_at..].starts_with(**o)) {
                let text = self.text[self.pos..op_at + op.len()].to_string();
                self.pos = op_at + op.len();
                return Token::Redirect(text);
            }
        }
        Token::Word(self.word(depth))
    }

    /// Reads one word from the current position.
    fn word(&mut self, depth: usize) -> Word {
        let start = self.pos;
        let mut value = String::new();
        let mut quoted = false;
        let mut expands = false;
        while self.pos < self.s.len() {
            let c = self.peek();
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
                b'\\' => {
                    if self.at(1) == b'\n' {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    quoted = true;
                    self.push_char(&mut value);
                }
                b'\'' => {
                    quoted = true;
                    self.pos += 1;
                    let end = self.text[self.pos..].find('\'').map_or(self.s.len(), |i| self.pos + i);
                    value.push_str(&self.text[self.pos..end]);
                    self.pos = (end + 1).min(self.s.len());
                }
                b'"' => {
                    quoted = true;
                    self.pos += 1;
                    while self.pos < self.s.len() && self.peek() != b'"' {
                        match self.peek() {
                            b'\\' if matches!(self.at(1), b'"' | b'\\' | b'$' | b'`') => {
                                self.pos += 1;
                                self.push_char(&mut value);
                            }
                            b'\\' if self.at(1) == b'\n' => self.pos += 2,
                            b'$' | b'`' => {
                                expands = true;
                                let s = self.pos;
                                self.dollar_or_backquote(depth);
                                value.push_str(&self.text[s..self.pos]);
                            }
                            _ => self.push_char(&mut value),
                        }
                    }
                    self.pos = (self.pos + 1).min(self.s.len());
                }
                b'$' | b'`' => {
                    let s = self.pos;
                    if self.dollar_or_backquote(depth) {
                        expands = true;
                    }
                    value.push_str(&self.text[s..self.pos]);
                }
                _ => self.push_char(&mut value),
            }
        }
        if self.pos == start {
            // Never stall on a byte no branch consumed.
            self.push_char(&mut value);
        }
        Word { range: (start, self.pos), value, quoted, expands }
    }

    fn push_char(&mut self, out: &mut String) {
        if let Some(ch) = self.text.get(self.pos..).and_then(|t| t.chars().next()) {
            out.push(ch);
            self.pos += ch.len_utf8();
        } else if self.pos < self.s.len() {
            // Not on a character boundary (only after a bug elsewhere); step over the byte rather than stall.
            self.pos += 1;
        }
    }

    /// Skips a `$…` expansion or a backquoted command; commands inside substitutions are recorded.
    /// Returns true when something was expanded (a lone `$` is literal).
    fn dollar_or_backquote(&mut self, depth: usize) -> bool {
        if self.peek() == b'`' {
            self.pos += 1;
            self.list(depth + 1, Some(b'`'));
            return true;
        }
        match self.at(1) {
            b'(' if self.at(2) == b'(' => {
                self.pos += 3;
                self.skip_balanced(b'(', b')', 2);
            }
            b'(' => {
                self.pos += 2;
                self.list(depth + 1, Some(b')'));
            }
            b'{' => {
                self.pos += 2;
                self.skip_balanced(b'{', b'}', 1);
            }
            c if c == b'_' || c.is_ascii_alphanumeric() => {
                self.pos += 1;
                while self.peek() == b'_' || self.peek().is_ascii_alphanumeric() {
                    self.pos += 1;
                }
            }
            b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-' => self.pos += 2,
            _ => {
                self.pos += 1;
                return false;
            }
        }
        true
    }

    fn skip_balanced(&mut self, open: u8, close: u8, mut depth: usize) {
        while self.pos < self.s.len() && depth > 0 {
            let c = self.peek();
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
            self.pos += 1;
        }
    }
}

fn new_command(joiner: Joiner, depth: usize) -> SimpleCommand {
    SimpleCommand {
        assignments: Vec::new(),
        words: Vec::new(),
        redirects: Vec::new(),
        joiner,
        piped: false,
        depth,
        range: (0, 0),
    }
}

/// `NAME=value` with a valid shell name.
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else { return false };
    let name = name.strip_suffix('+').unwrap_or(name);
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        parse(s)
            .commands
            .iter()
            .map(|c| c.words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn splits_lists_and_pipelines() {
        assert_eq!(
            names("apt-get update && apt-get install -y curl || true; echo 'a b' | wc -l"),
            ["apt-get update", "apt-get install -y curl", "true", "echo a b", "wc -l"]
        );
        let s = parse("a | b && c");
        assert!(s.commands[0].piped && !s.commands[1].piped);
        assert_eq!(s.commands[1].joiner, Joiner::Pipe);
        assert_eq!(s.commands[2].joiner, Joiner::And);
    }

    #[test]
    fn finds_commands_inside_substitutions_and_compounds() {
        assert_eq!(
            names("echo $(cat /etc/os-release | grep ID)"),
            ["echo $(cat /etc/os-release | grep ID)", "cat /etc/os-release", "grep ID"]
        );
        assert_eq!(names("if [ -f x ]; then cd /x; else rm y; fi"), ["[ -f x ]", "cd /x", "rm y"]);
        assert_eq!(names("for f in a b; do rm $f; done"), ["rm $f"]);
        assert_eq!(names("(cd /tmp && make)"), ["cd /tmp", "make"]);
        assert_eq!(names("case \"$x\" in a|b) echo a;; *) echo b;; esac; ls"), ["echo a", "echo b", "ls"]);
    }

    #[test]
    fn separates_assignments_and_redirects() {
        let s = parse("DEBIAN_FRONTEND=noninteractive apt-get install -y x >/dev/null 2>&1");
        let c = &s.commands[0];
        assert_eq!(c.assignments[0].value, "DEBIAN_FRONTEND=noninteractive");
        assert_eq!(c.name(), Some("apt-get"));
        assert_eq!(c.redirects.len(), 2);
        assert_eq!(c.redirects[1].op, "2>&");
        let s = parse("DEBIAN_FRONTEND=\"noninteractive\" apt-get install x; deps='a b'; \"NOT=assign\" y");
        assert_eq!(s.commands[0].assignments[0].value, "DEBIAN_FRONTEND=noninteractive");
        assert_eq!(s.commands[0].name(), Some("apt-get"));
        assert_eq!(s.commands[1].assignments[0].value, "deps=a b");
        assert_eq!(s.commands[2].name(), Some("NOT=assign"));
    }

    #[test]
    fn skips_heredoc_bodies_and_comments() {
        assert_eq!(names("cat <<EOF > f\nrm -rf /\nEOF\necho done # rm x"), ["cat", "echo done"]);
    }

    #[test]
    fn flags_in_bundles() {
        assert!(word_is_flag("-qy", &["-y"]));
        assert!(!word_is_flag("--yes-really", &["-y"]));
        assert!(word_is_flag("--output=x", &["--output"]));
        let s = parse("apt-get -o Dpkg::x=1 install -y curl=1.0");
        let ops: Vec<_> = s.commands[0].operands(&["-o"]).iter().map(|w| w.value.as_str()).collect();
        assert_eq!(ops, ["install", "curl=1.0"]);
    }

    #[test]
    fn never_stalls_on_odd_input() {
        for s in ["'unterminated", "\"open $(", "a\\", "$((1+", "`x", ")))", "<<", "a >", "${", "é|ü"] {
            let _ = parse(s);
        }
    }
}
