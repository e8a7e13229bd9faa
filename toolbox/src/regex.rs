//! A small regular-expression engine for `grep` and `sed`: POSIX basic (with GNU's `\|`, `\+`, `\?`) and extended
//! syntax, bracket expressions with classes, anchors, capturing groups, alternation and `{m,n}`. The match is
//! POSIX's leftmost-longest (groups follow the leftmost alternative), found by a Pike VM.

/// Byte ranges of the whole match (index 0) and of each group, `None` for a group that did not take part.
pub type Captures = Vec<Option<(usize, usize)>>;

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class {
        negate: bool,
        items: Vec<ClassItem>,
    },
    Start,
    End,
    /// A group: its capture index (0 for the whole expression) and its alternatives.
    Group(usize, Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, usize),
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Named(String),
}

/// One instruction of the compiled program (a Pike VM, after Thompson and Pike): matching takes time linear in
/// the text and no stack proportional to it, so a 200 000-character line does not overflow WASM's stack.
#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(bool, Vec<ClassItem>),
    Start,
    End,
    /// Try both; the first has priority (greedy repetition, leftmost alternative).
    Split(usize, usize),
    Jmp(usize),
    /// Record the current position in capture slot N.
    Save(usize),
    Match,
}

/// Counted repetition is expanded into copies; beyond this the expression is refused.
const MAX_COPIES: usize = 1000;

#[derive(Debug, Clone)]
pub struct Regex {
    program: Vec<Inst>,
    icase: bool,
    groups: usize,
}

impl Regex {
    /// Compiles `pattern`; `extended` selects ERE (`grep -E`). The error is the text grep prints.
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { chars: &chars, pos: 0, extended, groups: 0 };
        let alternatives = parser.alternation(0)?;
        if parser.pos < chars.len() {
            return Err("Unmatched ) or \\)".into());
        }
        let mut program = Vec::new();
        compile(&Node::Group(0, alternatives), &mut program)?;
        program.push(Inst::Match);
        Ok(Regex { program, icase, groups: parser.groups })
    }

    #[must_use]
    pub fn is_match(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// The first match as a byte range.
    #[must_use]
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        self.captures_from(text, 0).and_then(|c| c[0])
    }

    /// The leftmost match starting at or after byte `from`, with its groups. `^` still means the start of `text`.
    #[must_use]
    pub fn captures_from(&self, text: &str, from: usize) -> Option<Captures> {
        let chars: Vec<char> = text.chars().collect();
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let first = offsets.iter().position(|&o| o >= from)?;
        let slots = 2 * (self.groups + 1);
        let mut current: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        let mut next = Vec::new();
        let mut seen = vec![usize::MAX; self.program.len()];
        let mut matched: Option<Vec<Option<usize>>> = None;
        for i in first..=chars.len() {
            if matched.is_none() {
                // A new thread starting here, with the lowest priority: the leftmost match wins.
                self.add(&mut current, &mut seen, 0, i, chars.len(), vec![None; slots], i);
            }
            if current.is_empty() {
                break;
            }
            for (pc, caps) in std::mem::take(&mut current) {
                // POSIX wants the leftmost match, and of those the longest: a thread that started later than a
                // match found so far is dropped, one that started at the same place may still make it longer.
                let best_start = matched.as_ref().and_then(|m| m[0]);
                if best_start.is_some_and(|b| caps[0].is_some_and(|s| s > b)) {
                    continue;
                }
                let advance = match &self.program[pc] {
                    Inst::Char(c) => i < chars.len() && self.eq(chars[i], *c),
                    Inst::Any => i < chars.len(),
                    Inst::Class(negate, items) => {
                        i < chars.len() && class_matches(items, chars[i], self.icase) != *negate
                    }
                    Inst::Match => {
                        let better = match &matched {
                            None => true,
                            Some(m) => caps[0] < m[0] || (caps[0] == m[0] && caps[1] > m[1]),
                        };
                        if better {
                            matched = Some(caps);
                        }
                        continue;
                    }
                    _ => false,
                };
                if advance {
                    self.add(&mut next, &mut seen, pc + 1, i + 1, chars.len(), caps, i + 1);
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        let caps = matched?;
        Some((0..=self.groups).map(|g| Some((offsets[caps[2 * g]?], offsets[caps[2 * g + 1]?]))).collect())
    }

    /// Follows jumps, splits, saves and assertions from `pc` at position `i`, adding the threads that wait for a
    /// character (or match). `generation` (the position) marks what was added for it, so empty loops end and no
    /// instruction waits twice at one position.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        list: &mut Vec<(usize, Vec<Option<usize>>)>,
        seen: &mut [usize],
        pc: usize,
        i: usize,
        len: usize,
        mut caps: Vec<Option<usize>>,
        generation: usize,
    ) {
        if seen[pc] == generation {
            return;
        }
        seen[pc] = generation;
        match &self.program[pc] {
            Inst::Jmp(to) => self.add(list, seen, *to, i, len, caps, generation),
            Inst::Split(a, b) => {
                self.add(list, seen, *a, i, len, caps.clone(), generation);
                self.add(list, seen, *b, i, len, caps, generation);
            }
            Inst::Save(slot) => {
                caps[*slot] = Some(i);
                self.add(list, seen, pc + 1, i, len, caps, generation);
            }
            Inst::Start => {
                if i == 0 {
                    self.add(list, seen, pc + 1, i, len, caps, generation);
                }
            }
            Inst::End => {
                if i == len {
                    self.add(list, seen, pc + 1, i, len, caps, generation);
                }
            }
            _ => list.push((pc, caps)),
        }
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && a.to_lowercase().eq(b.to_lowercase()))
    }
}

/// Emits the instructions for a node.
fn compile(node: &Node, program: &mut Vec<Inst>) -> Result<(), String> {
    match node {
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::Any => program.push(Inst::Any),
        Node::Class { negate, items } => program.push(Inst::Class(*negate, items.clone())),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::Group(index, alternatives) => {
            program.push(Inst::Save(2 * index));
            let mut jumps = Vec::new();
            for (n, alternative) in alternatives.iter().enumerate() {
                let split = program.len();
                if n + 1 < alternatives.len() {
                    program.push(Inst::Split(split + 1, 0));
                }
                for node in alternative {
                    compile(node, program)?;
                }
                if n + 1 < alternatives.len() {
                    jumps.push(program.len());
                    program.push(Inst::Jmp(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                }
            }
            let end = program.len();
            for jump in jumps {
                program[jump] = Inst::Jmp(end);
            }
            program.push(Inst::Save(2 * index + 1));
        }
        Node::Repeat(inner, min, max) => {
            if *min > MAX_COPIES || (*max != usize::MAX && *max > MAX_COPIES) {
                return Err("Regular expression too big".into());
            }
            for _ in 0..*min {
                compile(inner, program)?;
            }
            if *max == usize::MAX {
                let split = program.len();
                program.push(Inst::Split(split + 1, 0));
                compile(inner, program)?;
                program.push(Inst::Jmp(split));
                let out = program.len();
                program[split] = Inst::Split(split + 1, out);
            } else {
                let mut splits = Vec::new();
                for _ in *min..*max {
                    splits.push(program.len());
                    program.push(Inst::Split(program.len() + 1, 0));
                    compile(inner, program)?;
                }
                let out = program.len();
                for split in splits {
                    program[split] = Inst::Split(split + 1, out);
                }
            }
        }
    }
    Ok(())
}

fn class_matches(items: &[ClassItem], c: char, icase: bool) -> bool {
    let test = |c: char| {
        items.iter().any(|item| match item {
            ClassItem::Range(lo, hi) => *lo <= c && c <= *hi,
            ClassItem::Named(name) => match name.as_str() {
                "alpha" => c.is_alphabetic(),
                "digit" => c.is_ascii_digit(),
                "alnum" => c.is_alphanumeric(),
                "upper" => c.is_uppercase(),
                "lower" => c.is_lowercase(),
                "space" => c.is_whitespace(),
                "blank" => c == ' ' || c == '\t',
                "punct" => c.is_ascii_punctuation(),
                "xdigit" => c.is_ascii_hexdigit(),
                "word" => c.is_alphanumeric() || c == '_',
                _ => false,
            },
        })
    };
    test(c) || (icase && (c.to_lowercase().any(test) || c.to_uppercase().any(test)))
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    extended: bool,
    groups: usize,
}

impl Parser<'_> {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    /// Whether the parser is at an alternation bar (`|` in ERE, `\|` in BRE).
    fn at_bar(&self) -> bool {
        if self.extended { self.peek(0) == Some('|') } else { self.peek(0) == Some('\\') && self.peek(1) == Some('|') }
    }

    fn at_close(&self) -> bool {
        if self.extended { self.peek(0) == Some(')') } else { self.peek(0) == Some('\\') && self.peek(1) == Some(')') }
    }

    fn alternation(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, String> {
        let mut alternatives = vec![self.sequence(depth)?];
        while self.at_bar() {
            self.pos += if self.extended { 1 } else { 2 };
            alternatives.push(self.sequence(depth)?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        let mut nodes: Vec<Node> = Vec::new();
        while self.pos < self.chars.len() && !self.at_bar() && !(depth > 0 && self.at_close()) {
            if self.at_close() && self.extended {
                // An unmatched `)` in ERE is an ordinary character, as in glibc.
                self.pos += 1;
                nodes.push(Node::Char(')'));
                continue;
            }
            let c = self.chars[self.pos];
            self.pos += 1;
            let node = match c {
                '^' if nodes.is_empty() || self.extended => Node::Start,
                '$' if self.extended || self.pos == self.chars.len() || self.at_close() || self.at_bar() => Node::End,
                '.' => Node::Any,
                '[' => self.bracket()?,
                '*' if nodes.is_empty() || matches!(nodes.last(), Some(Node::Start)) => Node::Char('*'),
                '*' => {
                    Self::wrap_last(&mut nodes, 0, usize::MAX);
                    continue;
                }
                '+' | '?' if self.extended => {
                    let (min, max) = if c == '+' { (1, usize::MAX) } else { (0, 1) };
                    if nodes.is_empty() {
                        Node::Char(c)
                    } else {
                        Self::wrap_last(&mut nodes, min, max);
                        continue;
                    }
                }
                '{' if self.extended && !nodes.is_empty() => {
                    let (min, max) = self.interval()?;
                    Self::wrap_last(&mut nodes, min, max);
                    continue;
                }
                '(' if self.extended => self.group(depth)?,
                '\\' => {
                    let Some(e) = self.peek(0) else { return Err("Trailing backslash".into()) };
                    self.pos += 1;
                    match e {
                        '(' if !self.extended => self.group(depth)?,
                        '{' if !self.extended && !nodes.is_empty() => {
                            let (min, max) = self.interval()?;
                            Self::wrap_last(&mut nodes, min, max);
                            continue;
                        }
                        '+' | '?' if !self.extended && !nodes.is_empty() => {
                            let (min, max) = if e == '+' { (1, usize::MAX) } else { (0, 1) };
                            Self::wrap_last(&mut nodes, min, max);
                            continue;
                        }
                        'w' | 'W' => Node::Class { negate: e == 'W', items: vec![ClassItem::Named("word".into())] },
                        's' | 'S' => Node::Class { negate: e == 'S', items: vec![ClassItem::Named("space".into())] },
                        'n' => Node::Char('\n'),
                        't' => Node::Char('\t'),
                        other => Node::Char(other),
                    }
                }
                other => Node::Char(other),
            };
            nodes.push(node);
        }
        Ok(nodes)
    }

    fn wrap_last(nodes: &mut [Node], min: usize, max: usize) {
        if let Some(last) = nodes.last_mut() {
            let inner = std::mem::replace(last, Node::Any);
            *last = Node::Repeat(Box::new(inner), min, max);
        }
    }

    fn group(&mut self, depth: usize) -> Result<Node, String> {
        self.groups += 1;
        let index = self.groups;
        let alternatives = self.alternation(depth + 1)?;
        if !self.at_close() {
            return Err("Unmatched ( or \\(".into());
        }
        self.pos += if self.extended { 1 } else { 2 };
        Ok(Node::Group(index, alternatives))
    }

    /// `{m}`, `{m,}`, `{m,n}` after the opening brace; BRE closes with `\}`.
    fn interval(&mut self) -> Result<(usize, usize), String> {
        let mut text = String::new();
        loop {
            match self.peek(0) {
                None => return Err("Unmatched \\{".into()),
                Some('}') if self.extended => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if !self.extended && self.peek(1) == Some('}') => {
                    self.pos += 2;
                    break;
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        let bad = || "Invalid content of \\{\\}".to_string();
        let (min, max) = match text.split_once(',') {
            None => {
                let n = text.trim().parse().map_err(|_| bad())?;
                (n, n)
            }
            Some((lo, "")) => (lo.trim().parse().map_err(|_| bad())?, usize::MAX),
            Some((lo, hi)) => (lo.trim().parse().unwrap_or(0), hi.trim().parse().map_err(|_| bad())?),
        };
        Ok((min, max))
    }

    fn bracket(&mut self) -> Result<Node, String> {
        let negate = self.peek(0) == Some('^');
        if negate {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek(0) else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.peek(1) == Some(':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    items.push(ClassItem::Named(rest[..end].to_string()));
                    self.pos += 2 + rest[..end].chars().count() + 2;
                    continue;
                }
            }
            self.pos += 1;
            if self.peek(0) == Some('-') && self.peek(1).is_some_and(|n| n != ']') {
                let hi = self.chars[self.pos + 1];
                self.pos += 2;
                items.push(ClassItem::Range(c, hi));
            } else {
                items.push(ClassItem::Range(c, c));
            }
        }
        Ok(Node::Class { negate, items })
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(pattern: &str, extended: bool, text: &str) -> bool {
        Regex::new(pattern, extended, false).unwrap().is_match(text)
    }

    #[test]
    fn basic_and_extended() {
        assert!(m("o", false, "foo"));
        assert!(m("^f.o$", false, "foo"));
        assert!(!m("^o", false, "foo"));
        assert!(m("a\\|c", false, "xc"));
        assert!(m("a|c", true, "xc"));
        assert!(!m("a|c", false, "xc"));
        assert!(m("a|c", false, "a|c"));
        assert!(m("ab*c", false, "ac"));
        assert!(m("ab+c", true, "abbc"));
        assert!(!m("ab+c", true, "ac"));
        assert!(m("[0-9]\\{2\\}", false, "a12"));
        assert!(m("(ab){2}", true, "xabab"));
        assert!(m("[[:digit:]]+$", true, "v12"));
        assert!(m("[^a-z]", false, "abC"));
        assert!(Regex::new("HELLO", false, true).unwrap().is_match("hello"));
        assert_eq!(Regex::new("b+", true, false).unwrap().find("abbbc"), Some((1, 4)));
        let caps = Regex::new("(l+)(o)", true, false).unwrap().captures_from("hello", 0).unwrap();
        assert_eq!(caps, vec![Some((2, 5)), Some((2, 4)), Some((4, 5))]);
        assert_eq!(Regex::new("\\(a\\)*b", false, false).unwrap().captures_from("xb", 0).unwrap()[1], None);
        assert_eq!(Regex::new("b", false, false).unwrap().captures_from("abab", 2).unwrap()[0], Some((3, 4)));
        assert_eq!(Regex::new("a|ab", true, false).unwrap().find("xab"), Some((1, 3)));
        let long = format!("{}b", "a".repeat(200_000));
        assert!(Regex::new("^a*b$", false, false).unwrap().is_match(&long));
    }
}
