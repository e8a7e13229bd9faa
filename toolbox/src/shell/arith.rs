//! `$((…))`: C integer arithmetic on 64-bit values, with variables and assignments.

/// Reads (`None`) or writes (`Some`) a shell variable; reading an unset or empty variable gives 0.
pub type Vars<'a> = dyn FnMut(&str, Option<i64>) -> i64 + 'a;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "++", "--", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "?", ":", "=", "(", ")", ",",
];

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let syntax = || "arithmetic syntax error".to_string();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(parse_number(&s).ok_or_else(syntax)?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let op = OPS
                .iter()
                .find(|op| op.chars().enumerate().all(|(k, oc)| chars.get(i + k) == Some(&oc)))
                .ok_or_else(syntax)?;
            i += op.len();
            out.push(Tok::Op(op));
        }
    }
    Ok(out)
}

fn parse_number(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

/// Evaluates an expression. Errors are ash's messages (`arithmetic syntax error`, `divide by zero`).
pub fn eval(text: &str, vars: &mut Vars) -> Result<i64, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut e = Eval { tokens, pos: 0, vars };
    let value = e.comma(false)?;
    if e.pos < e.tokens.len() {
        return Err("arithmetic syntax error".into());
    }
    Ok(value)
}

struct Eval<'a, 'b> {
    tokens: Vec<Tok>,
    pos: usize,
    vars: &'a mut Vars<'b>,
}

/// Binary operators by precedence level, lowest first.
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", "<=", ">", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Eval<'_, '_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some(Tok::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err("arithmetic syntax error".into())
        }
    }

    fn comma(&mut self, skip: bool) -> Result<i64, String> {
        let mut value = self.assignment(skip)?;
        while self.peek_op() == Some(",") {
            self.pos += 1;
            value = self.assignment(skip)?;
        }
        Ok(value)
    }

    fn assignment(&mut self, skip: bool) -> Result<i64, String> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.tokens.get(self.pos).cloned(), self.tokens.get(self.pos + 1).cloned())
        {
            if op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=") {
                self.pos += 2;
                let right = self.assignment(skip)?;
                if skip {
                    return Ok(0);
                }
                let value = if op == "=" {
                    right
                } else {
                    let current = (self.vars)(&name, None);
                    apply(&op[..op.len() - 1], current, right)?
                };
                return Ok((self.vars)(&name, Some(value)));
            }
        }
        self.conditional(skip)
    }

    fn conditional(&mut self, skip: bool) -> Result<i64, String> {
        let cond = self.binary(0, skip)?;
        if self.peek_op() != Some("?") {
            return Ok(cond);
        }
        self.pos += 1;
        let yes = self.comma(skip || cond == 0)?;
        self.expect(":")?;
        let no = self.conditional(skip || cond != 0)?;
        Ok(if cond != 0 { yes } else { no })
    }

    fn binary(&mut self, level: usize, skip: bool) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.power(skip);
        }
        let mut left = self.binary(level + 1, skip)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.pos += 1;
            let short = (op == "&&" && left == 0) || (op == "||" && left != 0);
            let right = self.binary(level + 1, skip || short)?;
            left = match op {
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ if skip => 0,
                _ => apply(op, left, right)?,
            };
        }
        Ok(left)
    }

    fn power(&mut self, skip: bool) -> Result<i64, String> {
        let base = self.unary(skip)?;
        if self.peek_op() == Some("**") {
            self.pos += 1;
            let exp = self.power(skip)?;
            return if skip { Ok(0) } else { apply("**", base, exp) };
        }
        Ok(base)
    }

    fn unary(&mut self, skip: bool) -> Result<i64, String> {
        match self.peek_op() {
            Some(op @ ("-" | "+" | "!" | "~")) => {
                self.pos += 1;
                let v = self.unary(skip)?;
                Ok(match op {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                })
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let Some(Tok::Name(name)) = self.tokens.get(self.pos).cloned() else {
                    return Err("arithmetic syntax error".into());
                };
                self.pos += 1;
                if skip {
                    return Ok(0);
                }
                let v = (self.vars)(&name, None) + if op == "++" { 1 } else { -1 };
                Ok((self.vars)(&name, Some(v)))
            }
            _ => self.primary(skip),
        }
    }

    fn primary(&mut self, skip: bool) -> Result<i64, String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                if skip {
                    return Ok(0);
                }
                let value = (self.vars)(&name, None);
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.pos += 1;
                    (self.vars)(&name, Some(value + if op == "++" { 1 } else { -1 }));
                }
                Ok(value)
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.comma(skip)?;
                self.expect(")")?;
                Ok(v)
            }
            _ => Err("arithmetic syntax error".into()),
        }
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("divide by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "**" => a.wrapping_pow(u32::try_from(b).unwrap_or(0)),
        "<<" => a.wrapping_shl(u32::try_from(b & 63).unwrap_or(0)),
        ">>" => a.wrapping_shr(u32::try_from(b & 63).unwrap_or(0)),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        _ => return Err("arithmetic syntax error".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::eval;
    use std::collections::HashMap;

    fn run(expr: &str, vars: &mut HashMap<String, i64>) -> Result<i64, String> {
        eval(expr, &mut |name, set| match set {
            Some(v) => {
                vars.insert(name.to_string(), v);
                v
            }
            None => vars.get(name).copied().unwrap_or(0),
        })
    }

    #[test]
    fn precedence_variables_and_errors() {
        let mut vars = HashMap::new();
        assert_eq!(run("2+3*4", &mut vars), Ok(14));
        assert_eq!(run("(1+2)*3", &mut vars), Ok(9));
        assert_eq!(run("7 % 3", &mut vars), Ok(1));
        assert_eq!(run("x = 5", &mut vars), Ok(5));
        assert_eq!(run("x += 2, x", &mut vars), Ok(7));
        assert_eq!(run("i++ + i", &mut vars), Ok(1));
        assert_eq!(run("1 < 2 && 3 >= 3", &mut vars), Ok(1));
        assert_eq!(run("x > 6 ? 10 : 20", &mut vars), Ok(10));
        assert_eq!(run("2 ** 10", &mut vars), Ok(1024));
        assert_eq!(run("0x10 + 010", &mut vars), Ok(24));
        assert_eq!(run("1/0", &mut vars), Err("divide by zero".into()));
        assert_eq!(run("1+", &mut vars), Err("arithmetic syntax error".into()));
        assert_eq!(run("0 && 1/0", &mut vars), Ok(0));
    }
}
