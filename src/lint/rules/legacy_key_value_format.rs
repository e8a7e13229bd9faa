//! DK3007 (BuildKit's LegacyKeyValueFormat): `ENV key value` or `LABEL key value` without `=`.

use crate::dockerfile::{Args, KeyValue, Span, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`ENV` or `LABEL` in the legacy `key value` form",
    what: "Finds `ENV NAME value` and `LABEL name value`: the old form that sets one key to the rest of the \
           line, without `=`. BuildKit's own build check of the same name reports the same.",
    why: "In the legacy form everything after the first space is one value, spaces and all, so \
          `ENV PORT 8080 HOST 0.0.0.0` sets `PORT` to `8080 HOST 0.0.0.0`. The `key=value` form reads the same \
          way as a shell assignment, can set several keys on one line, and Docker's documentation marks the \
          other one as deprecated.",
    example: "FROM node:20-slim\nENV NODE_ENV production\nLABEL maintainer Jane Doe\n",
    instead: "FROM node:20-slim\nENV NODE_ENV=production\nLABEL maintainer=\"Jane Doe\"\n",
    fix: Some(
        "Writes `key=value`, putting the value in double quotes when it holds spaces (left to you when it also \
         holds quotes or escapes).",
    ),
};

/// The edits that turn `key value` into `key=value`, or `None` when quoting the value would need care.
fn rewrite(kv: &KeyValue, escape: char) -> Option<Vec<Edit>> {
    let raw = &kv.value.raw;
    let gap = Span::new(kv.key.span.end, kv.value.span.start);
    let one_word = matches!(words::split_words(raw, escape).as_slice(), [(0, end)] if *end == raw.len());
    if one_word {
        return Some(vec![Edit { span: gap, replacement: "=".into() }]);
    }
    if raw.contains(['"', '\'', escape, '`']) {
        return None;
    }
    Some(vec![
        Edit { span: gap, replacement: "=\"".into() },
        Edit { span: Span::new(kv.value.span.end, kv.value.span.end), replacement: "\"".into() },
    ])
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        let ins = ins.effective();
        let Args::KeyValues(pairs) = &ins.args else { continue };
        for kv in pairs.iter().filter(|kv| kv.legacy) {
            let keyword = ins.kind.as_str();
            let mut v = Violation::new(
                kv.key.span.cover(kv.value.span),
                format!("`{keyword} {} {}` uses the legacy form without `=`", kv.key.raw, kv.value.raw),
            )
            .label("the rest of the line is one value")
            .help(format!("write `{keyword} {}={}`", kv.key.raw, quoted(&kv.value.raw, ctx.file.escape)));
            if let Some(edits) = rewrite(kv, ctx.file.escape) {
                v = v.fix(Fix::new("Write `key=value`", Safety::Safe, edits));
            }
            out.push(v);
        }
    }
}

fn quoted(raw: &str, escape: char) -> String {
    if words::split_words(raw, escape).len() <= 1 { raw.to_string() } else { format!("\"{raw}\"") }
}
