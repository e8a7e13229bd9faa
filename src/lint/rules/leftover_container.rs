//! DK2002: a foreground `docker run` without `--rm` or `--name`, which leaves a stopped container behind.

use crate::dockerfile::Span;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;
use crate::lint::scripts::ScriptContext;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A one-off `docker run` leaves a stopped container behind",
    what: "Finds `docker run` (and `docker container run`) commands in scripts, Makefiles, CI workflows and \
           Markdown that run in the foreground (no `-d`) without `--rm` and without `--name`.",
    why: "Every container keeps its own thin writable layer until it is removed. A script that runs \
          `docker run image task` each time leaves one more stopped container each time; `docker ps -a` fills \
          up and the disk with it. `--rm` removes the container when it exits; a `--name` at least makes a \
          second run fail loudly instead of piling up.",
    example: "docker run busybox echo hello\n",
    instead: "docker run --rm busybox echo hello\n",
    fix: Some("Inserts `--rm` after `run`."),
};

pub fn check(ctx: &ScriptContext, out: &mut Vec<Violation>) {
    for call in &ctx.calls {
        let inv = &call.invocation;
        if inv.command != ["run"] || inv.has("detach") || inv.has("rm") || inv.flag("name").is_some() {
            continue;
        }
        let run_word = inv.written.last().map_or(0, |(_, i)| *i);
        let span = call.word_span(0).cover(call.word_span(run_word));
        let image = inv.args.first().map_or("the image", |a| a.value.as_str());
        let at = call.word_span(run_word).end;
        out.push(
            Violation::new(span, format!("`docker run {image}` runs in the foreground without `--rm`: each run leaves a stopped container"))
                .label("add `--rm`")
                .help("add `--rm` so the container is removed when it exits (or `--name` to keep one named container, or `-d` for a service)")
                .fix(Fix::new("Insert `--rm`", Safety::Safe, vec![Edit { span: Span::new(at, at), replacement: " --rm".into() }])),
        );
    }
}
