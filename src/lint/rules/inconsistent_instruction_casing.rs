//! DK3004 (BuildKit's ConsistentInstructionCasing): an instruction keyword cased unlike most of the file's.

use crate::dockerfile::Keyword;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An instruction keyword cased unlike the rest of the file",
    what: "Counts the instruction keywords written all in lower case and all in upper case; the larger group \
           sets the file's casing (upper case on a tie). Every keyword written otherwise, including mixed case \
           such as `Run`, is reported. BuildKit's own build check, ConsistentInstructionCasing, does the same \
           (it leaves out `ARG`s before the first `FROM`; this rule counts them too).",
    why: "Keywords are not case-sensitive, so nothing breaks, but a file that mixes `RUN` and `run` is harder \
          to scan: the eye uses the capitals to find where each instruction starts.",
    example: "FROM alpine:3.20\nrun apk add --no-cache curl\nCMD [\"curl\", \"--version\"]\n",
    instead: "FROM alpine:3.20\nRUN apk add --no-cache curl\nCMD [\"curl\", \"--version\"]\n",
    fix: Some("Rewrites the keyword in the file's casing."),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let keywords = || ctx.file.instructions.iter().filter(|i| i.kind != Keyword::Unknown).map(|i| &i.keyword);
    let (mut lower, mut upper) = (0usize, 0usize);
    for kw in keywords() {
        if kw.raw == kw.raw.to_lowercase() {
            lower += 1;
        } else if kw.raw == kw.raw.to_uppercase() {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    let casing = if majority_lower { "lower case" } else { "upper case" };
    for kw in keywords() {
        let wanted = if majority_lower { kw.raw.to_lowercase() } else { kw.raw.to_uppercase() };
        if kw.raw == wanted {
            continue;
        }
        out.push(
            Violation::new(kw.span, format!("`{}` is not in {casing}, as most instructions of this file are", kw.raw))
                .label(format!("{lower} lower-case and {upper} upper-case keywords"))
                .help(format!("write `{wanted}`"))
                .fix(Fix::new(
                    format!("Write `{wanted}`"),
                    Safety::Safe,
                    vec![Edit { span: kw.span, replacement: wanted.clone() }],
                )),
        );
    }
}
