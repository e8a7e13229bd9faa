//! DL4000: the deprecated `MAINTAINER` instruction.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "The deprecated `MAINTAINER` instruction",
    what: "Finds `MAINTAINER` instructions.",
    why: "`MAINTAINER` has been deprecated since Docker 1.13. It fills an old image field that tools no longer \
          read. Labels carry the same information where registries and scanners look for it, and can say more: \
          a URL, the source repository, a licence.",
    example: "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
    instead: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
    fix: Some(
        "Replaces the instruction with `LABEL maintainer=\"…\"`, the label Docker's documentation names for it. \
         A value with `$` or `\\` in it is left for you to rewrite, since `LABEL` would expand or unescape it.",
    ),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        if ins.kind != Keyword::Maintainer {
            continue;
        }
        let (who, fix) = match &ins.args {
            Args::Single(Some(w)) => {
                // MAINTAINER takes the rest of the line as it is, quotes included; a name quoted whole loses
                // the quotes, which the label's own quoting replaces.
                let raw = w.raw.trim();
                let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).filter(|r| !r.contains('"'));
                let who = inner.unwrap_or(raw).replace('"', "\\\"");
                let plain = !w.raw.contains(['$', '\\']) && !w.raw.trim().is_empty();
                let fix = plain.then(|| {
                    let label = if ins.keyword.raw.chars().any(|c| c.is_ascii_uppercase()) { "LABEL" } else { "label" };
                    Fix::new(
                        "Write it as `LABEL maintainer=…`",
                        Safety::Safe,
                        vec![Edit {
                            span: ins.keyword.span.cover(w.span),
                            replacement: format!("{label} maintainer=\"{who}\""),
                        }],
                    )
                });
                (who, fix)
            }
            _ => ("…".to_string(), None),
        };
        let mut v = Violation::new(ins.keyword.span, "`MAINTAINER` is deprecated")
            .label("deprecated")
            .help(format!("use a label: `LABEL maintainer=\"{who}\"` (or `org.opencontainers.image.authors`)"));
        if let Some(f) = fix {
            v = v.fix(f);
        }
        out.push(v);
    }
}
