//! DL3066: `USER` given as a name rather than a numeric UID.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`USER` given by name instead of a numeric UID",
    what: "Finds `USER name` and `USER name:group`, after substituting `ARG` and `ENV` values; a variable whose \
           value is not known is left alone (hadolint reports `USER $UID` by its text). `root` is fine, since \
           it is UID 0 everywhere, and so are the Windows accounts `ContainerUser` and `ContainerAdministrator`, \
           which have no numeric form.",
    why: "A name means something only inside the image's `/etc/passwd`. Kubernetes' `runAsNonRoot` cannot tell \
          from a name that the user is not root and refuses to start the pod, and files written to volumes and \
          bind mounts show up on the host under a UID nobody chose. A numeric UID (with the user created at that \
          UID) is the same everywhere.",
    example: "FROM node:20-slim\nRUN useradd -r app\nUSER app\n",
    instead: "FROM node:20-slim\nRUN useradd -r -u 10001 app\nUSER 10001\n",
    fix: None,
};

const ALWAYS_KNOWN: &[&str] = &["root", "containeruser", "containeradministrator"];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |_, ins, scope| {
        let (Keyword::User, Args::Single(Some(word))) = (ins.kind, &ins.args) else { return };
        let Some(value) = scope.expand(&word.raw) else { return };
        let user = value.split(':').next().unwrap_or("").trim();
        if user.is_empty() || user.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        if ALWAYS_KNOWN.contains(&user.to_ascii_lowercase().as_str()) {
            return;
        }
        out.push(
            Violation::new(word.span, format!("`{user}` is a user name; other systems see only a UID"))
                .label("not numeric")
                .help(format!("create `{user}` with a fixed UID (`useradd -u 10001 {user}`) and write `USER 10001`")),
        );
    });
}
