//! DL3015: `apt-get install` without `--no-install-recommends`.

use super::packages::{self, APT_FALSE};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Fix, Safety, Violation};
use crate::lint::fix::insert_after_word;
use crate::lint::registry::RuleDocs;
use crate::shell::word_is_flag;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt-get install` that also installs recommended packages",
    what: "Finds `apt-get install` commands without `--no-install-recommends` or \
           `-o APT::Install-Recommends=false`. It is quiet when an earlier `RUN` of the stage wrote \
           `APT::Install-Recommends \"false\";` into apt's configuration.",
    why: "By default apt also installs the packages each package recommends: documentation, optional tools, \
          whole desktop libraries. They make the image larger and slower to pull, and widen what a security \
          scanner has to report, for software the container never runs.",
    example: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: Some(
        "Inserts `--no-install-recommends` after `install`. Unsafe: a recommended package the image relied on \
         (`ca-certificates` for `curl` over HTTPS, say) is then no longer installed; name it yourself.",
    ),
};

const KEY: &str = "APT::Install-Recommends";

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let Some(install) = packages::apt_get_install(&site.cmd) else { continue };
        let args = packages::arg_values(ctx, &site);
        let disabled = args.iter().any(|v| word_is_flag(v, &["--no-install-recommends"]))
            || packages::apt_option(&args, KEY).is_some_and(|v| APT_FALSE.contains(&v.to_ascii_lowercase().as_str()));
        if disabled {
            continue;
        }
        let span = site.head_span(install);
        if packages::apt_config_written(ctx, site.index, span.start, KEY, APT_FALSE) {
            continue;
        }
        let mut v = Violation::new(span, "`apt-get install` also installs the packages recommended by those named")
            .label("recommended packages come too")
            .help("add `--no-install-recommends` and name the packages you need");
        if let Some(e) = insert_after_word(site.script, &site.cmd.words[install], "--no-install-recommends") {
            v = v.fix(Fix::new("Add `--no-install-recommends`", Safety::Unsafe, vec![e]));
        }
        out.push(v);
    }
}
