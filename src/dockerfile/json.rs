//! The exec form: a JSON array of strings. BuildKit takes the arguments as exec form when they are a valid JSON
//! array of strings, rejects a valid JSON array of anything else, and otherwise falls back to shell form.

use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while},
    character::complete::{char, one_of, satisfy},
    combinator::{all_consuming, recognize, value},
    multi::{many0, separated_list0},
    sequence::{delimited, preceded},
};

/// What the arguments of an instruction are, read as JSON.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonArgs {
    /// A JSON array of strings: each decoded string with its byte range in the input.
    Strings(Vec<(String, (usize, usize))>),
    /// A valid JSON array with an element that is not a string: BuildKit's error.
    NotStrings,
    /// Not a JSON array: shell form.
    NotJson,
}

fn ws(input: &str) -> IResult<&str, &str> {
    take_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r')).parse(input)
}

/// A JSON string literal, quotes included.
fn string_literal(input: &str) -> IResult<&str, &str> {
    let escape = preceded(
        char('\\'),
        nom::branch::alt((
            value((), one_of("\"\\/bfnrt")),
            value((), preceded(char('u'), nom::bytes::complete::take_while_m_n(4, 4, |c: char| c.is_ascii_hexdigit()))),
        )),
    );
    recognize(delimited(
        char('"'),
        many0(nom::branch::alt((value((), escape), value((), satisfy(|c| c != '"' && c != '\\' && c >= ' '))))),
        char('"'),
    ))
    .parse(input)
}

fn string_array(input: &str) -> IResult<&str, Vec<&str>> {
    all_consuming(delimited(
        (ws, tag("[")),
        separated_list0(char(','), delimited(ws, string_literal, ws)),
        (ws, tag("]"), ws),
    ))
    .parse(input)
}

/// Reads `input` (the arguments after the flags) as BuildKit does.
#[must_use]
pub fn parse(input: &str) -> JsonArgs {
    let trimmed = input.trim_start();
    if !trimmed.starts_with('[') {
        return JsonArgs::NotJson;
    }
    if let Ok((_, literals)) = string_array(input) {
        let base = input.as_ptr() as usize;
        let mut out = Vec::with_capacity(literals.len());
        for lit in literals {
            let start = lit.as_ptr() as usize - base;
            // The literal is valid JSON by construction; serde_json decodes its escapes (surrogate pairs included).
            match serde_json::from_str::<String>(lit) {
                Ok(s) => out.push((s, (start, start + lit.len()))),
                Err(_) => return JsonArgs::NotJson,
            }
        }
        return JsonArgs::Strings(out);
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(input) {
        Ok(_) => JsonArgs::NotStrings,
        Err(_) => JsonArgs::NotJson,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        match parse(s) {
            JsonArgs::Strings(v) => v.into_iter().map(|(s, _)| s).collect(),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn reads_string_arrays() {
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings(r#"[ "a", "b" ] "#), ["a", "b"]);
        assert_eq!(strings(r#"["\" \\ \/ \b \u2665"]"#), ["\" \\ / \u{8} ♥"]);
        assert_eq!(strings("[\t\"a\",\t\"b\"\t]"), ["a", "b"]);
    }

    #[test]
    fn falls_back_or_rejects() {
        assert_eq!(parse("['echo','x']"), JsonArgs::NotJson);
        assert_eq!(parse(r#"["echo", "x""#), JsonArgs::NotJson);
        assert_eq!(parse(r#"["echo"] extra"#), JsonArgs::NotJson);
        assert_eq!(parse("echo hi"), JsonArgs::NotJson);
        assert_eq!(parse("[1, 2]"), JsonArgs::NotStrings);
        assert_eq!(parse(r#"["a", {"b": 1}]"#), JsonArgs::NotStrings);
    }

    #[test]
    fn ranges_point_at_literals() {
        let JsonArgs::Strings(v) = parse(r#"[ "ab", "c" ]"#) else { panic!() };
        assert_eq!(v[0].1, (2, 6));
        assert_eq!(v[1].1, (8, 11));
    }
}
