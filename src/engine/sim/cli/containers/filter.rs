//! `--filter` for `docker ps` and `docker container prune`: Docker's `filters.Args` (values of one key are
//! alternatives, keys must all match) and the daemon's matching, including the regular expressions `name` and
//! `id` take.

use crate::dockercli::Invocation;
use crate::engine::Labels;
use crate::engine::sim::cli::Io;

pub struct Filters(pub Vec<(String, String)>);

impl Filters {
    /// Reads `--filter`; a value without `=` is the CLI's flag error (printed here; `Err` is the status).
    pub fn parse(inv: &Invocation, io: &mut Io) -> Result<Filters, i32> {
        let mut out = Vec::new();
        for f in inv.flags_named("filter") {
            let v = f.value.clone().unwrap_or_default();
            let Some((k, val)) = v.split_once('=') else {
                return Err(super::flag_value_error(
                    inv,
                    io,
                    "filter",
                    &v,
                    "bad format of filter (expected name=value)",
                ));
            };
            out.push((k.trim().to_lowercase(), val.trim().to_string()));
        }
        Ok(Filters(out))
    }

    /// The daemon's check that every key is one it accepts.
    pub fn validate(&self, accepted: &[&str]) -> Result<(), String> {
        match self.0.iter().find(|(k, _)| !accepted.contains(&k.as_str())) {
            Some((k, _)) => Err(format!("invalid filter '{k}'")),
            None => Ok(()),
        }
    }

    pub fn get(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Whether the values of `key` (if any) let `matches` through: one of them must.
    pub fn any(&self, key: &str, matches: impl Fn(&str) -> bool) -> bool {
        let values = self.get(key);
        values.is_empty() || values.into_iter().any(matches)
    }

    /// `label=KEY`, `label=KEY=VALUE` (all must match) and `label!=…` (none may).
    pub fn labels_match(&self, labels: &Labels) -> bool {
        let one = |v: &str| match v.split_once('=') {
            Some((k, x)) => labels.get(k).is_some_and(|have| have == x),
            None => labels.contains_key(v),
        };
        self.get("label").into_iter().all(one) && !self.get("label!").into_iter().any(one)
    }

    /// `until=`: a time (RFC 3339 or Unix seconds) or a duration before now; nanoseconds since the epoch.
    pub fn until(&self) -> Result<Option<i128>, String> {
        match self.get("until").last() {
            None => Ok(None),
            Some(v) => parse_time(v, crate::engine::sim::state::now_nanos())
                .map(Some)
                .ok_or_else(|| format!("failed to parse value as time or duration: \"{v}\"")),
        }
    }
}

/// A Go duration (`1h30m`, `10s`, `1.5h`), in nanoseconds.
fn go_duration(text: &str) -> Option<i128> {
    if text.is_empty() {
        return None;
    }
    let (neg, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0);
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let number: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[u..];
        total += number * unit;
    }
    #[allow(clippy::cast_possible_truncation)]
    let nanos = total as i128;
    Some(if neg { -nanos } else { nanos })
}

/// Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A time as Docker's `GetTimestamp` reads `--since`, `--until` and `until=`: a duration before `now`, Unix
/// seconds (with a fraction), or an RFC 3339 date and time (or just a date). Nanoseconds since the epoch.
#[allow(clippy::many_single_char_names)] // y, mo, d, h, mi, s: the fields of a date
pub fn parse_time(text: &str, now: i128) -> Option<i128> {
    if let Some(d) = go_duration(text) {
        return Some(now - d);
    }
    if let Some((secs, frac)) = text.split_once('.').or(Some((text, ""))).filter(|(s, f)| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && f.bytes().all(|b| b.is_ascii_digit())
    }) {
        let secs: i128 = secs.parse().ok()?;
        let frac_ns: i128 = if frac.is_empty() { 0 } else { format!("{frac:0<9}")[..9].parse().ok()? };
        return Some(secs * 1_000_000_000 + frac_ns);
    }
    // YYYY-MM-DD[THH:MM[:SS[.frac]]][Z|±HH:MM]
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, mo, d) = (num(&text[0..4])?, num(&text[5..7])?, num(&text[8..10])?);
    let mut rest = &text[10..];
    let (mut h, mut mi, mut s, mut nanos) = (0i64, 0i64, 0i64, 0i128);
    if let Some(r) = rest.strip_prefix('T') {
        h = num(r.get(0..2)?)?;
        mi = num(r.get(3..5)?)?;
        rest = &r[5..];
        if let Some(r) = rest.strip_prefix(':') {
            s = num(r.get(0..2)?)?;
            rest = &r[2..];
            if let Some(r) = rest.strip_prefix('.') {
                let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                nanos = format!("{:0<9}", &r[..n])[..9].parse().ok()?;
                rest = &r[n..];
            }
        }
    }
    let offset = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let r = rest.get(1..)?;
            let (oh, om) = r.split_once(':').unwrap_or((r.get(0..2)?, r.get(2..).unwrap_or("0")));
            sign * (num(oh)? * 3600 + num(om)? * 60)
        }
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

/// A regular expression as Go's `regexp.MatchString` uses it (unanchored unless `^`/`$`): literals, `.`, `*`,
/// `+`, `?`, `[...]` classes and `\` escapes, which is what names and ids are filtered with.
pub fn regex_match(pattern: &str, text: &str) -> bool {
    let Some(atoms) = compile(pattern) else {
        // Go rejects the pattern; Docker then matches nothing.
        return false;
    };
    let text: Vec<char> = text.chars().collect();
    (0..=text.len()).any(|start| match_here(&atoms, &text, start, start == 0))
}

#[derive(Debug)]
enum Atom {
    Start,
    End,
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Repeat(Box<Atom>, usize, usize),
}

fn compile(pattern: &str) -> Option<Vec<Atom>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let atom = match chars[i] {
            '^' => Atom::Start,
            '$' => Atom::End,
            '.' => Atom::Any,
            '\\' => {
                i += 1;
                Atom::Char(*chars.get(i)?)
            }
            '[' => {
                let mut j = i + 1;
                let negated = chars.get(j) == Some(&'^');
                if negated {
                    j += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                while j < chars.len() && (chars[j] != ']' || first) {
                    first = false;
                    let lo = chars[j];
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|c| *c != ']') {
                        ranges.push((lo, chars[j + 2]));
                        j += 3;
                    } else {
                        ranges.push((lo, lo));
                        j += 1;
                    }
                }
                if j >= chars.len() {
                    return None;
                }
                i = j;
                Atom::Class(ranges, negated)
            }
            '*' | '+' | '?' => {
                let prev = atoms.pop()?;
                if matches!(prev, Atom::Start | Atom::End | Atom::Repeat(..)) {
                    return None;
                }
                let (lo, hi) = match chars[i] {
                    '*' => (0, usize::MAX),
                    '+' => (1, usize::MAX),
                    _ => (0, 1),
                };
                Atom::Repeat(Box::new(prev), lo, hi)
            }
            c => Atom::Char(c),
        };
        atoms.push(atom);
        i += 1;
    }
    Some(atoms)
}

fn single(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Char(x) => *x == c,
        Atom::Any => c != '\n',
        Atom::Class(ranges, negated) => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated,
        _ => false,
    }
}

fn match_here(atoms: &[Atom], text: &[char], at: usize, at_start: bool) -> bool {
    let Some((first, rest)) = atoms.split_first() else { return true };
    match first {
        Atom::Start => at_start && match_here(rest, text, at, at_start),
        Atom::End => at == text.len() && match_here(rest, text, at, at_start),
        Atom::Repeat(inner, lo, hi) => {
            let mut n = 0;
            while n < *hi && at + n < text.len() && single(inner, text[at + n]) {
                n += 1;
            }
            (*lo..=n).rev().any(|k| match_here(rest, text, at + k, at_start && k == 0))
        }
        _ => at < text.len() && single(first, text[at]) && match_here(rest, text, at + 1, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_expressions_match_as_go_does() {
        assert!(regex_match("dkc_", "/dkc_p"));
        assert!(regex_match("^/dkc", "/dkc_p"));
        assert!(!regex_match("^dkc", "/dkc_p"));
        assert!(regex_match("kc_p$", "/dkc_p"));
        assert!(regex_match("dkc.p", "dkc_p"));
        assert!(regex_match("^web-[0-9]+$", "web-12"));
        assert!(!regex_match("^web-[0-9]+$", "web-x"));
        assert!(regex_match("a*b", "b"));
    }

    #[test]
    fn times_read_as_docker_reads_them() {
        let now = 1_735_689_600_000_000_000;
        assert_eq!(parse_time("10s", now), Some(now - 10_000_000_000));
        assert_eq!(parse_time("1h30m", now), Some(now - 5_400_000_000_000));
        assert_eq!(parse_time("1735689600", now), Some(now));
        assert_eq!(parse_time("2025-01-01T00:00:00Z", now), Some(now));
        assert_eq!(parse_time("2025-01-01", now), Some(now));
        assert_eq!(parse_time("2025-01-01T01:00:00+01:00", now), Some(now));
        assert_eq!(parse_time("xx", now), None);
    }
}
