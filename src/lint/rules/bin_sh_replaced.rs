//! DL4005: `ln` over `/bin/sh` to change the shell RUN uses.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`/bin/sh` replaced with a link to another shell",
    what: "Finds `ln` commands whose link is `/bin/sh` (or `/usr/bin/sh`, the same file on merged-`/usr` \
           systems), such as `ln -sf /bin/bash /bin/sh`. A link made elsewhere that points to `/bin/sh` is fine \
           (hadolint reports any `ln` that names `/bin/sh`).",
    why: "`/bin/sh` belongs to the base image: its packages, its scripts and its package manager's maintainer \
          scripts expect the shell the distribution chose, and an upgrade of that package may put it back. The \
          `SHELL` instruction changes the shell RUN uses without touching the file system.",
    example: "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\nRUN source /etc/profile && make\n",
    instead: "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN source /etc/profile && make\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in super::packages::commands(ctx) {
        if !site.cmd.is("ln") {
            continue;
        }
        let operands = site.cmd.operands(&["-S", "--suffix", "-t", "--target-directory"]);
        if operands.len() < 2 {
            continue;
        }
        let Some(link) = operands.last().filter(|w| matches!(w.value.as_str(), "/bin/sh" | "/usr/bin/sh")) else {
            continue;
        };
        out.push(
            Violation::new(
                site.script.word_span(link),
                format!("replacing `{}` changes the shell under the base image's feet", link.value),
            )
            .label("the system shell")
            .help("leave `/bin/sh` alone and set the shell for RUN with `SHELL [\"/bin/bash\", \"-c\"]`"),
        );
    }
}
