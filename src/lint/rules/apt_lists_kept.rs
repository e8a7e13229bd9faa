//! DL3009: `apt-get update` in a RUN that does not delete the package lists it downloads.

use super::packages::{self, Site};
use crate::dockerfile::Span;
use crate::lint::context::{DockerfileContext, ScriptOrigin};
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::fix::line_ending;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt-get update` whose package lists stay in the image",
    what: "Finds a `RUN` that runs `apt-get update` without deleting `/var/lib/apt/lists` afterwards in the \
           same `RUN` (`rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean`). A `RUN` that mounts a cache or \
           a tmpfs over the lists (`--mount=type=cache,target=/var/lib/apt/lists`) is fine. Only stages that \
           end up in an image are checked: the last stage, and stages another `FROM` builds on.",
    why: "`apt-get update` downloads the package lists of every configured repository, often tens of \
          megabytes. Each instruction is a layer, and a file deleted by a later instruction still takes room \
          in the layer that wrote it, so the lists must go in the same `RUN`. They are also stale by the time \
          the image runs, so keeping them buys nothing.",
    example: "FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: Some(
        "Appends `&& rm -rf /var/lib/apt/lists/*` to the end of the `RUN` (on a line of its own when the `RUN` \
         spans several lines; as the last line of a heredoc script). Unsafe when a later `RUN` of the stage runs \
         apt without updating first, since it needs the lists.",
    ),
};

const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";

/// The edit that ends the RUN's script with the clean-up, where the end of the script can be found for sure.
fn cleanup_edit(ctx: &DockerfileContext, site: &Site) -> Option<Edit> {
    let ins = site.instruction(ctx);
    match &site.script.origin {
        ScriptOrigin::Text(t) if ins.heredocs.is_empty() => {
            let trimmed = t.text.trim_end();
            // A comment after the last command would swallow what is appended.
            let last_end = site.script.script.commands.iter().map(|c| c.range.1).max().unwrap_or(0);
            if trimmed.get(last_end..).is_none_or(|rest| rest.contains('#')) {
                return None;
            }
            let end = t.source_offset(trimmed.len().checked_sub(1)?) + 1;
            let joiner = if trimmed.ends_with(';') {
                ""
            } else if trimmed.ends_with('&') || trimmed.ends_with('|') || trimmed.ends_with(ctx.file.escape) {
                return None;
            } else {
                "&& "
            };
            let head = ctx.src.get(ins.span.start..end)?;
            let replacement = match head.rfind('\n') {
                // A RUN over several lines gets the clean-up on a line of its own, indented like the last.
                Some(nl) => {
                    let last = &head[nl + 1..];
                    let indent: String = last.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                    format!(" {}{}{indent}{joiner}{CLEANUP}", ctx.file.escape, line_ending(ctx.src))
                }
                None => format!(" {joiner}{CLEANUP}"),
            };
            Some(Edit { span: Span::new(end, end), replacement })
        }
        ScriptOrigin::At(base) => {
            let doc = ins.heredocs.iter().find(|d| d.content_start == *base)?;
            let at = base + doc.content.len();
            let lead = if doc.content.is_empty() || doc.content.ends_with('\n') { "" } else { line_ending(ctx.src) };
            Some(Edit { span: Span::new(at, at), replacement: format!("{lead}{CLEANUP}{}", line_ending(ctx.src)) })
        }
        _ => None,
    }
}

const LISTS: &str = "/var/lib/apt/lists";

/// The position of `update` when the command is `apt-get update`.
fn update(site: &Site) -> Option<usize> {
    if !site.cmd.is("apt-get") {
        return None;
    }
    packages::subcommand(&site.cmd, packages::APT_GET_VALUE_FLAGS, &["update"])
}

/// Deleting the lists, or `apt-get dist-clean` (apt 2.7 and later), which deletes them with the downloaded
/// packages.
fn is_cleanup(site: &Site) -> bool {
    let cmd = &*site.cmd;
    if cmd.is("apt-get") || cmd.is("apt") {
        return packages::subcommand(cmd, packages::APT_GET_VALUE_FLAGS, &["dist-clean"]).is_some();
    }
    packages::removes(cmd, |p| packages::path_covers(p, LISTS))
}

/// Stages whose files end up in an image: the last, and any that a later `FROM` builds on.
fn stage_is_kept(ctx: &DockerfileContext, index: usize) -> bool {
    let Some(stage) = ctx.stage_of(index) else { return true };
    ctx.final_stage().is_some_and(|f| f.index == stage.index) || stage.is_base
}

/// True when a later RUN of the stage runs apt without an `apt-get update` of its own before it: that RUN reads
/// the lists this one leaves, and deleting them would make it fail.
fn later_run_needs_lists(ctx: &DockerfileContext, sites: &[Site], index: usize) -> bool {
    let stage = ctx.stage_of(index).map(|s| s.index);
    let mut updated_in = None;
    for s in sites.iter().filter(|s| s.index > index && ctx.stage_of(s.index).map(|st| st.index) == stage) {
        if update(s).is_some() {
            updated_in = Some(s.index);
        } else if (s.cmd.is("apt-get") || s.cmd.is("apt")) && updated_in != Some(s.index) {
            return true;
        }
    }
    false
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        let Some(at) = update(site) else { continue };
        if reported == Some(site.index) || !stage_is_kept(ctx, site.index) {
            continue;
        }
        if packages::mounts_cache(site.instruction(ctx), |t| packages::path_covers(t, LISTS) || t.starts_with(LISTS)) {
            continue;
        }
        // Commands of the same RUN after this one, heredoc bodies included.
        let cleaned = sites[n + 1..].iter().take_while(|s| s.index == site.index).any(is_cleanup);
        if cleaned {
            continue;
        }
        reported = Some(site.index);
        let mut v = Violation::new(site.head_span(at), "`apt-get update` leaves its package lists in the image")
            .label("downloads /var/lib/apt/lists, never deleted in this RUN")
            .help(
                "end the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount a cache: \
                 `RUN --mount=type=cache,target=/var/lib/apt/lists …`",
            );
        // The clean-up goes after the last command of the RUN's script that this update belongs to.
        if let Some(e) = cleanup_edit(ctx, site) {
            let safety = if later_run_needs_lists(ctx, &sites, site.index) { Safety::Unsafe } else { Safety::Safe };
            v = v.fix(Fix::new("Delete the package lists at the end of the RUN", safety, vec![e]));
        }
        out.push(v);
    }
}
