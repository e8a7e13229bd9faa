//! Short-option parsing as busybox's `getopt32` does it: bundles (`-la`), values glued or separate (`-n5`, `-n 5`),
//! `--` ends the options, and options may follow operands (`ls dir -l`) unless the applet asks for POSIX order.

use std::collections::BTreeMap;

/// Parsed options: flags that were given, the last value of each option that takes one, and the operands.
#[derive(Debug, Default)]
pub struct Opts {
    flags: Vec<char>,
    values: BTreeMap<char, Vec<String>>,
    pub operands: Vec<String>,
}

impl Opts {
    #[must_use]
    pub fn has(&self, flag: char) -> bool {
        self.flags.contains(&flag)
    }

    /// How many times a flag was given (`-vv`).
    #[must_use]
    pub fn count(&self, flag: char) -> usize {
        self.flags.iter().filter(|&&f| f == flag).count()
    }

    #[must_use]
    pub fn value(&self, flag: char) -> Option<&str> {
        self.values.get(&flag).and_then(|v| v.last()).map(String::as_str)
    }

    #[must_use]
    pub fn values(&self, flag: char) -> &[String] {
        self.values.get(&flag).map_or(&[], Vec::as_slice)
    }

    /// The flag among `flags` that was given last (`ls -1l` is long, `ls -l1` one-per-line).
    #[must_use]
    pub fn last_of(&self, flags: &str) -> Option<char> {
        self.flags.iter().rev().find(|f| flags.contains(**f)).copied()
    }
}

/// Parses `args` (without `argv[0]`) against `spec`: each letter is a flag, a letter followed by `:` takes a value.
/// A spec starting with `+` stops at the first operand. `long` maps long options (`--recursive`) to letters.
/// The error is busybox's message without the applet name.
pub fn parse(args: &[String], spec: &str, long: &[(&str, char)]) -> Result<Opts, String> {
    let posix = spec.starts_with('+');
    let spec = spec.trim_start_matches('+');
    let takes_value = |c: char| spec.find(c).is_some_and(|i| spec[i + c.len_utf8()..].starts_with(':'));
    let known = |c: char| c != ':' && spec.contains(c);
    let mut opts = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            opts.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(name) = arg.strip_prefix("--") {
            let (name, glued) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            let Some(&(_, flag)) = long.iter().find(|(l, _)| *l == name) else {
                return Err(format!("unrecognized option '--{name}'"));
            };
            opts.flags.push(flag);
            if takes_value(flag) {
                let value = match glued {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(format!("option '--{name}' requires an argument")),
                };
                opts.values.entry(flag).or_default().push(value);
            }
            continue;
        }
        if arg.len() < 2 || !arg.starts_with('-') {
            if posix {
                opts.operands.extend(args[i - 1..].iter().cloned());
                break;
            }
            opts.operands.push(arg.clone());
            continue;
        }
        for (at, c) in arg[1..].char_indices() {
            if !known(c) {
                return Err(format!("invalid option -- '{c}'"));
            }
            opts.flags.push(c);
            if takes_value(c) {
                let rest = &arg[1 + at + c.len_utf8()..];
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(format!("option requires an argument -- '{c}'"));
                };
                opts.values.entry(c).or_default().push(value);
                break;
            }
        }
    }
    Ok(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn bundles_values_and_permutation() {
        let o = parse(&strings(&["-la", "dir", "-n5", "-1", "--", "-x"]), "la1n:", &[]).unwrap();
        assert!(o.has('l') && o.has('a') && o.has('1'));
        assert_eq!(o.value('n'), Some("5"));
        assert_eq!(o.operands, ["dir", "-x"]);
        assert_eq!(o.last_of("l1"), Some('1'));
    }

    #[test]
    fn posix_order_and_errors() {
        let o = parse(&strings(&["-n", "x", "-e"]), "+n", &[]).unwrap();
        assert_eq!(o.operands, ["x", "-e"]);
        assert_eq!(parse(&strings(&["-z"]), "l", &[]).unwrap_err(), "invalid option -- 'z'");
        assert_eq!(parse(&strings(&["-n"]), "n:", &[]).unwrap_err(), "option requires an argument -- 'n'");
    }
}
