//! spf13/pflag's parsing rules, which Docker's CLI inherits through cobra, down to its error texts.

use std::fmt::Write as _;

use super::spec::{Flag, Takes, find_long, find_short};
use super::{Arg, CliError, ErrorKind, FlagUse, Invocation};

/// Where a flag set's results go and what a positional word means to it.
#[derive(Clone, Copy)]
pub(super) struct FlagSet {
    pub groups: &'static [&'static [Flag]],
    /// The root command's flags go to `global_flags`, everything else to `flags`.
    pub global: bool,
    pub on_positional: OnPositional,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OnPositional {
    /// The flags before a command word: stop there and let the caller look the word up.
    Stop,
    /// Interspersed parsing: collect the positional and go on parsing flags.
    Collect,
    /// Non-interspersed parsing: the positional and every word after it are arguments.
    CollectRest,
}

/// Parses words from `i`; returns the index of the first word not consumed.
///
/// pflag stops at its first error. This goes on, treating an unknown flag as a boolean, so that lint rules still
/// see the rest of the command; `errors[0]` is the one Docker reports.
pub(super) fn parse(inv: &mut Invocation, argv: &[&str], mut i: usize, set: FlagSet) -> usize {
    while i < argv.len() {
        let s = argv[i];
        if s.len() < 2 || !s.starts_with('-') {
            match set.on_positional {
                OnPositional::Stop => return i,
                OnPositional::Collect => {
                    inv.args.push(Arg { value: s.to_string(), word: i });
                    i += 1;
                }
                OnPositional::CollectRest => {
                    push_rest(inv, argv, i);
                    return argv.len();
                }
            }
        } else if s == "--" {
            if set.on_positional == OnPositional::Stop {
                return i + 1;
            }
            push_rest(inv, argv, i + 1);
            return argv.len();
        } else if let Some(body) = s.strip_prefix("--") {
            i = long(inv, argv, i, body, set);
        } else {
            i = shorts(inv, argv, i, set);
        }
    }
    i
}

fn push_rest(inv: &mut Invocation, argv: &[&str], from: usize) {
    inv.args.extend(argv.iter().enumerate().skip(from).map(|(word, v)| Arg { value: (*v).to_string(), word }));
}

/// `--name`, `--name=value` or `--name value`; returns the next index.
fn long(inv: &mut Invocation, argv: &[&str], i: usize, body: &str, set: FlagSet) -> usize {
    let s = argv[i];
    if body.starts_with(['-', '=']) {
        error(inv, ErrorKind::BadFlagSyntax, i, format!("bad flag syntax: {s}"));
        return i + 1;
    }
    let (name, inline) = match body.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    let Some(flag) = find_long(set.groups, name) else {
        error(inv, ErrorKind::UnknownFlag, i, format!("unknown flag: --{name}"));
        return i + 1;
    };
    let given_as = format!("--{name}");
    if let Some(value) = inline {
        set_flag(inv, set, flag, Some(value), i, Some(i), given_as);
        i + 1
    } else if flag.takes != Takes::Value {
        set_flag(inv, set, flag, None, i, None, given_as);
        i + 1
    } else if let Some(value) = argv.get(i + 1) {
        set_flag(inv, set, flag, Some(value), i, Some(i + 1), given_as);
        i + 2
    } else {
        error(inv, ErrorKind::MissingValue, i, format!("flag needs an argument: {s}"));
        i + 1
    }
}

/// `-d`, a bundle such as `-dit`, a value attached (`-p80:80`, `-p=80:80`) or in the next word (`-itp 80:80`).
fn shorts(inv: &mut Invocation, argv: &[&str], i: usize, set: FlagSet) -> usize {
    let mut next = i + 1;
    let mut rest = &argv[i][1..];
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let Some(flag) = find_short(set.groups, c) else {
            error(inv, ErrorKind::UnknownFlag, i, format!("unknown shorthand flag: {} in -{rest}", quote_char(c)));
            rest = after;
            continue;
        };
        let (value, value_word) = if after.len() > 1 && after.starts_with('=') {
            (Some(&after[1..]), Some(i))
        } else if flag.takes != Takes::Value {
            (None, None)
        } else if !after.is_empty() {
            (Some(after), Some(i))
        } else if let Some(value) = argv.get(next) {
            next += 1;
            (Some(*value), Some(next - 1))
        } else {
            let msg = format!("flag needs an argument: {} in -{rest}", quote_char(c));
            error(inv, ErrorKind::MissingValue, i, msg);
            break;
        };
        // A value ends the bundle: the rest of the word was the value.
        rest = if value.is_some() { "" } else { after };
        if let Some(note) = flag.short_deprecated {
            warn(inv, i, format!("Flag shorthand -{c} has been deprecated, {note}"));
        }
        set_flag(inv, set, flag, value, i, value_word, format!("-{c}"));
    }
    next
}

/// Records a flag as pflag's `FlagSet.Set` would: booleans must parse, deprecated flags warn.
fn set_flag(
    inv: &mut Invocation,
    set: FlagSet,
    flag: &'static Flag,
    value: Option<&str>,
    word: usize,
    value_word: Option<usize>,
    given_as: String,
) {
    let bad_bool = match (flag.takes, value) {
        (Takes::Bool, Some(v)) => parse_bool(v).is_none().then_some(v),
        _ => None,
    };
    if let Some(v) = bad_bool {
        let msg = format!(
            "invalid argument {} for {} flag: strconv.ParseBool: parsing {}: invalid syntax",
            quote(v),
            quote(&flag.display_name()),
            quote(v)
        );
        error(inv, ErrorKind::InvalidValue, word, msg);
        return;
    }
    if let Some(note) = flag.deprecated {
        warn(inv, word, format!("Flag --{} has been deprecated, {note}", flag.long));
    }
    let used = FlagUse { name: flag.canonical, value: value.map(str::to_string), word, value_word, given_as };
    if set.global { inv.global_flags.push(used) } else { inv.flags.push(used) }
}

fn error(inv: &mut Invocation, kind: ErrorKind, word: usize, message: String) {
    inv.errors.push(CliError { message, word, kind });
}

fn warn(inv: &mut Invocation, word: usize, message: String) {
    inv.warnings.push(CliError { message, word, kind: ErrorKind::Deprecated });
}

/// Go's `strconv.ParseBool`.
pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `%q` for a string, which pflag uses in value errors.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `%q` for a rune, which pflag uses for shorthand letters: `'z'`.
fn quote_char(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c => out.push(c),
    }
}
