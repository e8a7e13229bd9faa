//! Splits JavaScript source into tokens, remembering where each one starts so that errors point at it as node does.

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    /// A template literal: the literal pieces (one more than the substitutions) and each substitution's source,
    /// with the line it starts on.
    Template(Vec<String>, Vec<(String, usize)>),
    Ident(String),
    Punct(&'static str),
    Eof,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// A line break came before this token: automatic semicolon insertion needs it.
    pub newline_before: bool,
}

/// A syntax error: node's message and the position it points at.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub col: usize,
}

/// Longest first, so that `===` is not read as `==` then `=`.
const PUNCTS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&",
    "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>", "{", "}", "(", ")",
    "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "=", ".", "@", "#",
];

pub fn tokenize(src: &str, first_line: usize) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut line_start) = (0usize, first_line, 0usize);
    let mut newline_before = true;
    // A `#!` line at the very top is a comment to node.
    if chars.starts_with(&['#', '!']) {
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            i += 1;
            line += 1;
            line_start = i;
            newline_before = true;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    line += 1;
                    line_start = i + 1;
                    newline_before = true;
                }
                i += 1;
            }
            i += 2;
            continue;
        }
        let col = i - line_start + 1;
        let err = |message: &str, line: usize, col: usize| SyntaxError { message: message.to_string(), line, col };
        let tok = if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            let value = if c == '0' && matches!(chars.get(i + 1), Some('x' | 'X' | 'b' | 'B' | 'o' | 'O')) {
                let radix = match chars[i + 1] {
                    'x' | 'X' => 16,
                    'b' | 'B' => 2,
                    _ => 8,
                };
                i += 2;
                let digits_start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let digits: String = chars[digits_start..i].iter().filter(|&&d| d != '_').collect();
                u64::from_str_radix(&digits, radix).map_err(|_| err("Invalid or unexpected token", line, col))? as f64
            } else {
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_') {
                    i += 1;
                }
                if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                    i += 1;
                    if i < chars.len() && (chars[i] == '+' || chars[i] == '-') {
                        i += 1;
                    }
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().filter(|&&d| d != '_').collect();
                text.parse::<f64>().map_err(|_| err("Invalid or unexpected token", line, col))?
            };
            if i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '_' || chars[i] == '$') {
                return Err(err("Invalid or unexpected token", line, col));
            }
            Tok::Num(value)
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            Tok::Ident(chars[start..i].iter().collect())
        } else if c == '"' || c == '\'' {
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None | Some('\n') => return Err(err("Invalid or unexpected token", line, col)),
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        i += 1;
                        if chars.get(i) == Some(&'\n') {
                            line += 1;
                            line_start = i + 1;
                            i += 1;
                            continue;
                        }
                        i = escape(&chars, i, &mut s)
                            .ok_or_else(|| err("Invalid hexadecimal escape sequence", line, col))?;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            Tok::Str(s)
        } else if c == '`' {
            i += 1;
            let (mut parts, mut exprs, mut cur) = (Vec::new(), Vec::new(), String::new());
            loop {
                match chars.get(i) {
                    None => return Err(err("Unterminated template literal", line, col)),
                    Some('`') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        i = escape(&chars, i + 1, &mut cur)
                            .ok_or_else(|| err("Invalid hexadecimal escape sequence", line, col))?;
                    }
                    Some('$') if chars.get(i + 1) == Some(&'{') => {
                        i += 2;
                        let (start, start_line) = (i, line);
                        let mut depth = 0usize;
                        loop {
                            match chars.get(i) {
                                None => return Err(err("Unterminated template literal", line, col)),
                                Some('}') if depth == 0 => break,
                                Some('{') => depth += 1,
                                Some('}') => depth -= 1,
                                Some('\n') => {
                                    line += 1;
                                    line_start = i + 1;
                                }
                                Some(&q @ ('"' | '\'' | '`')) => {
                                    i += 1;
                                    while i < chars.len() && chars[i] != q {
                                        if chars[i] == '\\' {
                                            i += 1;
                                        }
                                        i += 1;
                                    }
                                }
                                _ => {}
                            }
                            i += 1;
                        }
                        exprs.push((chars[start..i].iter().collect(), start_line));
                        parts.push(std::mem::take(&mut cur));
                        i += 1;
                    }
                    Some(&ch) => {
                        if ch == '\n' {
                            line += 1;
                            line_start = i + 1;
                        }
                        cur.push(ch);
                        i += 1;
                    }
                }
            }
            parts.push(cur);
            Tok::Template(parts, exprs)
        } else {
            let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
            let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) else {
                return Err(err("Invalid or unexpected token", line, col));
            };
            i += p.len();
            Tok::Punct(p)
        };
        tokens.push(Token { tok, line, col, newline_before });
        newline_before = false;
    }
    let col = i - line_start + 1;
    tokens.push(Token { tok: Tok::Eof, line, col, newline_before: true });
    Ok(tokens)
}

/// Reads the escape after a backslash at `chars[i]` into `out`; returns the index after it.
fn escape(chars: &[char], mut i: usize, out: &mut String) -> Option<usize> {
    let c = *chars.get(i)?;
    i += 1;
    match c {
        'n' => out.push('\n'),
        't' => out.push('\t'),
        'r' => out.push('\r'),
        'b' => out.push('\u{8}'),
        'f' => out.push('\u{c}'),
        'v' => out.push('\u{b}'),
        '0' => out.push('\0'),
        'x' => {
            let hex: String = chars.get(i..i + 2)?.iter().collect();
            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            i += 2;
        }
        'u' => {
            let (hex, len): (String, usize) = if chars.get(i) == Some(&'{') {
                let end = chars[i..].iter().position(|&c| c == '}')? + i;
                (chars[i + 1..end].iter().collect(), end + 1 - i)
            } else {
                (chars.get(i..i + 4)?.iter().collect(), 4)
            };
            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?).unwrap_or('\u{fffd}'));
            i += len;
        }
        '\n' => {}
        other => out.push(other),
    }
    Some(i)
}
