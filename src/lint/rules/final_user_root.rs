//! DL3002: the last `USER` of the final stage is root, so the image's containers run as root.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "The final image switches back to root",
    what: "Finds a final stage whose last `USER` (its own, or inherited from the stage it is built `FROM`) is \
           `root` or UID `0`, with or without a group (`root:root`, `0:0`). Earlier stages are not checked: \
           they only build files for the final one, and often need root to install packages.",
    why: "`USER` sets who the container's process runs as. Switching to root to install something is common, \
          but when no `USER` follows, every container of the image runs as root: a flaw in the application \
          then has full control of the container, and of any volume or socket mounted into it.",
    example: "FROM debian:12\nRUN useradd --create-home app\nUSER root\nRUN apt-get update && apt-get install -y curl\nCMD [\"bash\"]\n",
    instead: "FROM debian:12\nRUN useradd --create-home app\nUSER root\nRUN apt-get update && apt-get install -y curl\nUSER app\nCMD [\"bash\"]\n",
    fix: None,
};

/// `root` or UID 0, alone or with a group.
fn is_root(user: &str) -> bool {
    let name = user.split_once(':').map_or(user, |(u, _)| u);
    name == "root" || name == "0"
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let Some(last) = ctx.final_stage() else { return };
    // The last USER of the final stage, or of the stages it builds on.
    let end = last.end - 1;
    let own = (end > last.from && ctx.file.instructions[end].kind == Keyword::User).then_some(end);
    let Some(user_at) = own.or(ctx.last_before(Keyword::User)[end]) else { return };
    let Args::Single(Some(user)) = &ctx.file.instructions[user_at].args else { return };
    if !is_root(&user.value) {
        return;
    }
    let from_parent = user_at < last.from;
    let mut v = Violation::new(
        user.span,
        if from_parent {
            format!("the final image runs as `{}`: this `USER` of the stage it builds on is the last one", user.value)
        } else {
            format!("the final image runs as `{}`: no `USER` switches away from it", user.value)
        },
    )
    .label("last USER")
    .help("after the steps that need root, switch to an unprivileged user, e.g. `USER app` or `USER 10001`");
    if from_parent {
        v = v.secondary(ctx.file.instructions[last.from].keyword.span, "the final stage inherits it here");
    }
    out.push(v);
}

#[cfg(test)]
mod tests {
    use super::is_root;

    #[test]
    fn root_users() {
        for u in ["root", "0", "root:root", "0:0", "root:1000"] {
            assert!(is_root(u), "{u}");
        }
        for u in ["app", "1000", "1000:0", "rooty", "00x"] {
            assert!(!is_root(u), "{u}");
        }
    }
}
