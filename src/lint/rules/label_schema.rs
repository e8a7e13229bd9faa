//! What the label rules (DL3048 to DL3058) and DL3057 share: the `LABEL` pairs of a file, the schema from the
//! configuration (`label-schema`, `strict-labels`), the stages that become images, and the checks of each
//! value type.

use std::collections::HashSet;

use crate::dockerfile::{Args, Instruction, KeyValue, Keyword, Span, words};
use crate::lint::context::{DockerfileContext, Stage};
use crate::lint::diagnostic::Violation;

/// Every `LABEL` pair of the file with the index of its instruction (`ONBUILD LABEL` labels the images built
/// on this one, not this one, and is left out).
pub fn labels<'a>(ctx: &'a DockerfileContext) -> impl Iterator<Item = (usize, &'a KeyValue)> + 'a {
    ctx.file.instructions.iter().enumerate().filter(|(_, ins)| ins.kind == Keyword::Label).flat_map(|(i, ins)| {
        let pairs = match &ins.args {
            Args::KeyValues(pairs) => pairs.as_slice(),
            _ => &[],
        };
        pairs.iter().map(move |kv| (i, kv))
    })
}

/// True when the text expands a variable, so its value is only known at build time.
#[must_use]
pub fn expands(ctx: &DockerfileContext, raw: &str) -> bool {
    !words::var_refs(raw, ctx.file.escape).is_empty()
}

/// The labels of the schema that have `kind` as their type.
fn of_type<'s>(ctx: &'s DockerfileContext, kind: &'s str) -> impl Iterator<Item = &'s str> + 's {
    ctx.settings.label_schema.iter().filter(move |(_, t)| t.eq_ignore_ascii_case(kind)).map(|(k, _)| k.as_str())
}

/// Reports each label of the schema with type `kind` whose value fails `valid`. Values that expand a variable
/// are known only at build time and are skipped, and so are empty values, which DL3051 reports.
pub fn check_values(
    ctx: &DockerfileContext,
    out: &mut Vec<Violation>,
    kind: &str,
    valid: fn(&str) -> bool,
    what: &str,
) {
    let names: HashSet<&str> = of_type(ctx, kind).collect();
    if names.is_empty() {
        return;
    }
    for (_, kv) in labels(ctx) {
        let value = &kv.value.value;
        if !names.contains(kv.key.value.as_str()) || value.is_empty() || expands(ctx, &kv.value.raw) || valid(value) {
            continue;
        }
        let span = if kv.value.span.is_empty() { kv.key.span } else { kv.value.span };
        out.push(
            Violation::new(span, format!("label `{}` is not {what}: `{value}`", kv.key.value))
                .label(format!("not {what}"))
                .help(format!("the label schema says `{}` holds {what}", kv.key.value)),
        );
    }
}

/// The stages that may become images someone runs: the last, and any stage no other stage builds on
/// (`FROM stage`) or copies from (`COPY --from`, `RUN --mount=from=`), since `docker build --target` can build
/// it on its own.
#[must_use]
pub fn image_stages<'a>(ctx: &'a DockerfileContext) -> Vec<&'a Stage> {
    let mut used: HashSet<usize> = HashSet::new();
    for ins in &ctx.file.instructions {
        for source in sources(ins) {
            let target = source.parse::<usize>().ok().or_else(|| ctx.stages.iter().position(|s| s.is_named(&source)));
            used.extend(target);
        }
    }
    let last = ctx.stages.len().saturating_sub(1);
    ctx.stages.iter().filter(|s| s.index == last || (!s.is_base && !used.contains(&s.index))).collect()
}

/// The stages an instruction reads from with `--from` or a `--mount` `from=`.
fn sources(ins: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    for f in &ins.flags {
        let Some(value) = f.value.as_deref() else { continue };
        if f.name.eq_ignore_ascii_case("from") {
            out.push(value.to_string());
        } else if f.name.eq_ignore_ascii_case("mount") {
            out.extend(value.split(',').filter_map(|kv| kv.trim().strip_prefix("from=")).map(str::to_string));
        }
    }
    out
}

/// True when an instruction of the stage, or of the stages it builds on, passes `pred`.
pub fn stage_has(ctx: &DockerfileContext, stage: &Stage, pred: impl Fn(&Instruction) -> bool) -> bool {
    let mut current = Some(stage);
    while let Some(s) = current {
        if s.instructions(ctx.file).iter().skip(1).any(&pred) {
            return true;
        }
        current = s.parent.and_then(|p| ctx.stages.get(p)).filter(|p| p.index < s.index);
    }
    false
}

/// Where a finding about a whole stage points: its base image (or the FROM keyword).
#[must_use]
pub fn stage_span(ctx: &DockerfileContext, stage: &Stage) -> Span {
    let ins = &ctx.file.instructions[stage.from];
    match &ins.args {
        Args::From(from) => from.image.as_ref().map_or(ins.keyword.span, |w| w.span),
        _ => ins.keyword.span,
    }
}

/// An absolute URI as RFC 3986 writes it: a scheme, a colon, and only characters a URI may hold.
#[must_use]
pub fn is_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else { return false };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == '%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=".contains(c)) {
            return false;
        }
        i += 1;
    }
    scheme_ok && rest.matches('#').count() <= 1
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// An RFC 3339 timestamp: `2024-05-01T12:30:00Z`, with optional fractions of a second and a `±hh:mm` offset.
#[must_use]
pub fn is_rfc3339(value: &str) -> bool {
    let Some((date, time)) = value.split_once(['T', 't']) else { return false };
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return false };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else {
        let Some(at) = time.rfind(['+', '-']) else { return false };
        (&time[..at], Some(&time[at + 1..]))
    };
    let (hms, frac) = clock.split_once('.').map_or((clock, None), |(a, b)| (a, Some(b)));
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let hms_ok = match hms.split(':').collect::<Vec<_>>().as_slice() {
        [h, mi, s] => {
            digits(h, 2).is_some_and(|h| h < 24)
                && digits(mi, 2).is_some_and(|m| m < 60)
                && digits(s, 2).is_some_and(|s| s <= 60)
        }
        _ => false,
    };
    let offset_ok = offset.is_none_or(|o| match o.split(':').collect::<Vec<_>>().as_slice() {
        [h, m] => digits(h, 2).is_some_and(|h| h < 24) && digits(m, 2).is_some_and(|m| m < 60),
        _ => false,
    });
    hms_ok && offset_ok
}

/// A version as Semantic Versioning 2.0.0 defines it: `MAJOR.MINOR.PATCH`, then `-pre.release` and
/// `+build` parts.
#[must_use]
pub fn is_semver(value: &str) -> bool {
    let (rest, build) = value.split_once('+').map_or((value, None), |(a, b)| (a, Some(b)));
    let (core, pre) = rest.split_once('-').map_or((rest, None), |(a, b)| (a, Some(b)));
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    let ident = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|p| {
            p.split('.').all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || numeric(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

/// A git object name: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits, or an abbreviation of at least 7.
#[must_use]
pub fn is_git_hash(value: &str) -> bool {
    ((7..=40).contains(&value.len()) || value.len() == 64)
        && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

const SPDX_IDS: &str = include_str!("spdx_ids.txt");

/// An SPDX license expression, as the OCI `org.opencontainers.image.licenses` label holds: license ids (any
/// case, `+` allowed), `LicenseRef-…`, `WITH` an exception, `AND`, `OR` and parentheses.
#[must_use]
pub fn is_spdx(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    spdx_or(&tokens, &mut pos) && pos == tokens.len()
}

fn spdx_or(t: &[&str], pos: &mut usize) -> bool {
    if !spdx_and(t, pos) {
        return false;
    }
    while t.get(*pos).is_some_and(|w| w.eq_ignore_ascii_case("or")) {
        *pos += 1;
        if !spdx_and(t, pos) {
            return false;
        }
    }
    true
}

fn spdx_and(t: &[&str], pos: &mut usize) -> bool {
    if !spdx_term(t, pos) {
        return false;
    }
    while t.get(*pos).is_some_and(|w| w.eq_ignore_ascii_case("and")) {
        *pos += 1;
        if !spdx_term(t, pos) {
            return false;
        }
    }
    true
}

fn spdx_term(t: &[&str], pos: &mut usize) -> bool {
    let Some(&word) = t.get(*pos) else { return false };
    *pos += 1;
    if word == "(" {
        return spdx_or(t, pos) && t.get(*pos) == Some(&")") && {
            *pos += 1;
            true
        };
    }
    if !spdx_license(word) {
        return false;
    }
    if t.get(*pos).is_some_and(|w| w.eq_ignore_ascii_case("with")) {
        *pos += 1;
        let Some(exception) = t.get(*pos) else { return false };
        *pos += 1;
        return idstring(exception);
    }
    true
}

fn idstring(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

fn spdx_license(word: &str) -> bool {
    let id = word.strip_suffix('+').unwrap_or(word);
    let user_defined = |s: &str| s.strip_prefix("LicenseRef-").is_some_and(idstring);
    let document_ref = word
        .split_once(':')
        .is_some_and(|(doc, lic)| doc.strip_prefix("DocumentRef-").is_some_and(idstring) && user_defined(lic));
    user_defined(word) || document_ref || SPDX_IDS.lines().any(|known| known.eq_ignore_ascii_case(id))
}

/// An e-mail address as RFC 5322's `addr-spec` writes it: a dot-atom or quoted local part, `@`, and a domain
/// of dot-separated atoms or a bracketed literal.
#[must_use]
pub fn is_email(value: &str) -> bool {
    let Some(at) = value.rfind('@') else { return false };
    let (local, domain) = (&value[..at], &value[at + 1..]);
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom = |s: &str| !s.is_empty() && s.split('.').all(|a| !a.is_empty() && a.chars().all(atext));
    let quoted = |s: &str| {
        s.len() >= 2
            && s.starts_with('"')
            && s.ends_with('"')
            && s[1..s.len() - 1].chars().all(|c| c.is_ascii() && !c.is_ascii_control() || c == '\t')
    };
    let literal = |s: &str| {
        s.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .is_some_and(|inner| inner.chars().all(|c| c.is_ascii_graphic() && !"[]\\".contains(c)))
    };
    (dot_atom(local) || quoted(local)) && (dot_atom(domain) || literal(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in ["https://example.com/x?y=1#z", "mailto:a@b.c", "urn:isbn:0451450523", "git+ssh://h/p.git"] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in ["not a url", "example.com", "https://exa mple.com", "1http://x", "http://x/%zz", "a:b#c#d"] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn timestamps() {
        for ok in ["2024-02-29T12:30:00Z", "2023-12-31t23:59:60.123+01:00", "2024-01-01T00:00:00-05:30"] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in
            ["2023-02-29T12:00:00Z", "2024-01-01", "2024-01-01T25:00:00Z", "2024-1-01T00:00:00Z", "2024-01-01T00:00:00"]
        {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn versions() {
        for ok in ["1.0.0", "0.10.2-rc.1+build.5", "1.2.3-0a", "2.0.0+20240101"] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in ["1.0", "v1.0.0", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3.4"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn hashes() {
        assert!(is_git_hash("abc1234"));
        assert!(is_git_hash(&"a".repeat(40)));
        assert!(is_git_hash(&"0".repeat(64)));
        assert!(!is_git_hash("abc"));
        assert!(!is_git_hash("ABC1234"));
        assert!(!is_git_hash(&"a".repeat(41)));
        assert!(!is_git_hash("main"));
    }

    #[test]
    fn licenses() {
        for ok in [
            "MIT",
            "mit",
            "Apache-2.0 OR MIT",
            "(MIT AND BSD-3-Clause) OR GPL-2.0-or-later",
            "GPL-2.0+",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "LicenseRef-acme",
        ] {
            assert!(is_spdx(ok), "{ok}");
        }
        for bad in ["", "MIT License", "Apache 2", "MIT OR", "(MIT", "proprietary"] {
            assert!(!is_spdx(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b", "first.last+tag@example.com", "\"odd name\"@example.com", "x@[192.0.2.1]"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["plain", "@example.com", "a@", "a..b@example.com", "a b@example.com", "Jane <jane@example.com>"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
