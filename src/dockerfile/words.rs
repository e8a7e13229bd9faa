//! Words as BuildKit splits and reads them: quotes, the escape character, and variable references
//! (`$V`, `${V}`, `${V:-x}`, `${V:+x}` and the other forms BuildKit's shell lexer takes).

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while, take_while1},
    character::complete::{char, satisfy},
    combinator::{opt, recognize},
    sequence::pair,
};

/// Splits `s` into words at unquoted white space, keeping quotes and escapes (BuildKit's `parseWords`).
/// Returns byte ranges into `s`.
#[must_use]
pub fn split_words(s: &str, escape: char) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    words.push((st, i));
                }
            }
            None => {
                start.get_or_insert(i);
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == escape {
                    chars.next();
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape && q != '\'' {
                    chars.next();
                }
            }
        }
    }
    if let Some(st) = start {
        words.push((st, s.len()));
    }
    words
}

/// Splits at runs of white space only, as BuildKit does for FROM, EXPOSE and the list forms of COPY and VOLUME.
#[must_use]
pub fn split_whitespace(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if matches!(c, ' ' | '\t' | '\x0b' | '\x0c' | '\r') {
            if let Some(st) = start.take() {
                out.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// How a `${…}` reference modifies its variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modifier {
    None,
    /// `${V:-word}` (`colon` true) or `${V-word}`.
    Default {
        colon: bool,
        word: String,
    },
    /// `${V:+word}` or `${V+word}`.
    Alternative {
        colon: bool,
        word: String,
    },
    /// `${V:?message}` or `${V?message}`.
    Required {
        colon: bool,
        word: String,
    },
    /// Pattern removal and substitution (`#`, `##`, `%`, `%%`, `/`, `//`): kept as text.
    Other(String),
}

/// A variable reference inside a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte range of the whole reference (`$V` or `${…}`) in the word.
    pub range: (usize, usize),
    pub modifier: Modifier,
}

fn var_name(input: &str) -> IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ))
    .parse(input)
}

/// The text up to the `}` that closes the reference, nested braces counted.
fn braced_word(input: &str) -> IResult<&str, &str> {
    let mut depth = 0usize;
    for (i, c) in input.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Ok((&input[i..], &input[..i])),
            '}' => depth -= 1,
            _ => {}
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Char)))
}

fn modifier(input: &str) -> IResult<&str, Modifier> {
    let (rest, colon) = opt(char(':')).parse(input)?;
    let colon = colon.is_some();
    let (rest, op) = alt((tag("-"), tag("+"), tag("?"))).parse(rest)?;
    let (rest, word) = braced_word(rest)?;
    let word = word.to_string();
    let m = match op {
        "-" => Modifier::Default { colon, word },
        "+" => Modifier::Alternative { colon, word },
        _ => Modifier::Required { colon, word },
    };
    Ok((rest, m))
}

fn other_modifier(input: &str) -> IResult<&str, Modifier> {
    let (rest, _) = alt((tag("#"), tag("%"), tag("/"))).parse(input)?;
    let consumed = input.len() - rest.len();
    let (rest, word) = braced_word(rest)?;
    Ok((rest, Modifier::Other(format!("{}{}", &input[..consumed], word))))
}

/// Parses a reference that starts with `$`; returns the rest and the reference with a range relative to `input`.
fn var_ref(input: &str) -> IResult<&str, (String, Modifier)> {
    let (rest, _) = char('$').parse(input)?;
    if let Ok((rest, name)) = var_name(rest) {
        return Ok((rest, (name.to_string(), Modifier::None)));
    }
    let (rest, _) = char('{').parse(rest)?;
    let (rest, name) = alt((var_name, take_while1(|c: char| c.is_ascii_digit()))).parse(rest)?;
    let (rest, m) = opt(alt((modifier, other_modifier))).parse(rest)?;
    let (rest, _) = char('}').parse(rest)?;
    Ok((rest, (name.to_string(), m.unwrap_or(Modifier::None))))
}

/// Looks up a variable's value while expanding.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads a word as BuildKit's shell lexer does: removes quotes and escapes, records variable references, and
/// when `env` is given expands them (an unset variable expands to nothing). Without `env` references stay as
/// written.
pub fn process(raw: &str, escape: char, env: Option<Lookup>, refs: &mut Vec<VarRef>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pos = 0;
    let mut quote: Option<char> = None;
    while pos < raw.len() {
        let c = raw[pos..].chars().next().unwrap_or('\0');
        let width = c.len_utf8();
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), _) => out.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (quoting, _) if c == escape => {
                let next = raw[pos + width..].chars().next();
                match next {
                    None => {}
                    Some(n) if quoting.is_none() || n == '"' || n == '$' || n == escape => {
                        out.push(n);
                        pos += n.len_utf8();
                    }
                    Some(n) => {
                        out.push(c);
                        out.push(n);
                        pos += n.len_utf8();
                    }
                }
            }
            (_, '$') => {
                if let Ok((rest, (name, modifier))) = var_ref(&raw[pos..]) {
                    let end = raw.len() - rest.len();
                    match env {
                        Some(env) => out.push_str(&expand_ref(&name, &modifier, escape, env)),
                        None => out.push_str(&raw[pos..end]),
                    }
                    refs.push(VarRef { name, range: (pos, end), modifier });
                    pos = end;
                    continue;
                }
                out.push('$');
            }
            _ => out.push(c),
        }
        pos += width;
    }
    out
}

fn expand_ref(name: &str, modifier: &Modifier, escape: char, env: Lookup) -> String {
    let value = env(name);
    let mut nested = Vec::new();
    let mut word = |w: &str| process(w, escape, Some(env), &mut nested);
    match modifier {
        Modifier::None | Modifier::Other(_) | Modifier::Required { .. } => value.unwrap_or_default(),
        Modifier::Default { colon, word: w } => match value {
            Some(v) if !(*colon && v.is_empty()) => v,
            _ => word(w),
        },
        Modifier::Alternative { colon, word: w } => match value {
            Some(v) if !(*colon && v.is_empty()) => word(w),
            _ => String::new(),
        },
    }
}

/// Quotes and escapes removed, variables left as written.
#[must_use]
pub fn unquote(raw: &str, escape: char) -> String {
    process(raw, escape, None, &mut Vec::new())
}

/// The variable references in a word.
#[must_use]
pub fn var_refs(raw: &str, escape: char) -> Vec<VarRef> {
    let mut refs = Vec::new();
    process(raw, escape, None, &mut refs);
    refs
}

/// The word with its variables expanded from `env`.
#[must_use]
pub fn expand(raw: &str, escape: char, env: Lookup) -> String {
    process(raw, escape, Some(env), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        split_words(s, '\\').into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn splits_words_keeping_quotes() {
        assert_eq!(words(r#"a="b c" d=e\ f  g='h i'"#), vec![r#"a="b c""#, r"d=e\ f", "g='h i'"]);
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words(r#"x="unterminated"#), vec![r#"x="unterminated"#]);
    }

    #[test]
    fn unquotes_like_buildkit() {
        assert_eq!(unquote(r#""value value1""#, '\\'), "value value1");
        assert_eq!(unquote(r"value\ value2", '\\'), "value value2");
        assert_eq!(unquote(r#"'a\"b'"#, '\\'), r#"a\"b"#);
        assert_eq!(unquote(r#""a\"b""#, '\\'), r#"a"b"#);
        assert_eq!(unquote(r#""a\nb""#, '\\'), r"a\nb");
        assert_eq!(unquote("$HOME/x", '\\'), "$HOME/x");
    }

    #[test]
    fn finds_variable_references() {
        let refs = var_refs("${BASE:-alpine}:$TAG-${X:+y}${Y}", '\\');
        let names: Vec<_> = refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["BASE", "TAG", "X", "Y"]);
        assert_eq!(refs[0].modifier, Modifier::Default { colon: true, word: "alpine".into() });
        assert_eq!(refs[1].range, (16, 20));
        assert!(var_refs(r"\$NOT 'single $QUOTED'", '\\').is_empty());
    }

    #[test]
    fn expands_modifiers() {
        let env = |n: &str| match n {
            "SET" => Some("v".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let e = |w: &str| expand(w, '\\', &env);
        assert_eq!(e("${UNSET:-alpine}:${SET}"), "alpine:v");
        assert_eq!(e("${EMPTY:-d}|${EMPTY-d}"), "d|");
        assert_eq!(e("${SET:+alt}|${UNSET:+alt}"), "alt|");
        assert_eq!(e("${UNSET:-${SET}x}"), "vx");
        assert_eq!(e("a$"), "a$");
    }
}
