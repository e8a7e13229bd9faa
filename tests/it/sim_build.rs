//! `docker build` on the simulated engine, driven through `sim::cli::run` as `docklings shell` drives it: the
//! BuildKit progress a learner sees (times masked), the cache across instruction orders and across engine
//! restarts, the images, history and inspect output a build leaves, and BuildKit's errors.

use std::fs;
use std::path::Path;

use docklings::engine::{BuildOptions, Engine};

use super::sim_support::{docker, open};

/// Replaces BuildKit's times (`DONE 0.1s`, `#7 0.123 hi`) and digests so output can be compared.
fn mask(text: &str) -> String {
    text.lines()
        .map(|l| {
            let mut words: Vec<String> = l.split(' ').map(str::to_string).collect();
            if words.len() >= 3 && words[0].starts_with('#') && words[1] == "DONE" {
                words[2] = "<t>".into();
            }
            if words.len() >= 2
                && words[0].starts_with('#')
                && words[1].contains('.')
                && words[1].chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                words[1] = "<t>".into();
            }
            for w in &mut words {
                if let Some(i) = w.find("sha256:") {
                    w.replace_range(i.., "sha256:<id>");
                }
            }
            words.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A context with the seed's Node app, in busybox terms: a RUN that reads package.json and writes files, as
/// `npm install` would.
fn node_like_context(dir: &Path, manifest_first: bool) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("package.json"), "{\"dependencies\":{\"left-pad\":\"1.3.0\"}}\n").unwrap();
    fs::write(dir.join("app.js"), "console.log('hi')\n").unwrap();
    fs::write(dir.join(".dockerignore"), "secret.txt\n").unwrap();
    fs::write(dir.join("secret.txt"), "do not copy\n").unwrap();
    let copy = if manifest_first { "COPY package.json .\n" } else { "COPY . .\n" };
    let rest = if manifest_first { "COPY . .\n" } else { "" };
    fs::write(
        dir.join("Dockerfile"),
        format!(
            "FROM busybox:latest\nWORKDIR /app\n{copy}RUN mkdir -p node_modules && cat package.json > node_modules/deps.json && echo installed\n{rest}EXPOSE 80\nCMD [\"node\", \"app.js\"]\n"
        ),
    )
    .unwrap();
}

fn cached_lines(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.ends_with(" CACHED")).count()
}

#[test]
fn first_build_prints_buildkit_steps_and_makes_an_image() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("app");
    node_like_context(&ctx, true);
    let out = docker(&engine, &["build", "--progress=plain", "-t", "web", ctx.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let m = mask(&out.stderr);
    for expected in [
        "#0 building with \"default\" instance using docker driver",
        "#1 [internal] load build definition from Dockerfile",
        "#2 [internal] load metadata for docker.io/library/busybox:latest",
        "#3 [internal] load .dockerignore",
        "[1/5] FROM docker.io/library/busybox:latest@sha256:<id>",
        "[internal] load build context",
        "[2/5] WORKDIR /app",
        "[3/5] COPY package.json .",
        "[4/5] RUN mkdir -p node_modules && cat package.json > node_modules/deps.json && echo installed",
        "<t> installed",
        "[5/5] COPY . .",
        "exporting to image",
        "writing image sha256:<id> done",
        "naming to docker.io/library/web:latest done",
    ] {
        assert!(m.contains(expected), "missing {expected:?} in\n{m}");
    }
    assert_eq!(cached_lines(&out.stderr), 0);
    let images = docker(&engine, &["images", "--format", "{{.Repository}}:{{.Tag}}", "web"]);
    assert_eq!(images.stdout, "web:latest\n");
    let cfg = docker(
        &engine,
        &["image", "inspect", "-f", "{{json .Config.Cmd}} {{.Config.WorkingDir}} {{json .Config.ExposedPorts}}", "web"],
    );
    assert_eq!(cfg.stdout, "[\"node\",\"app.js\"] /app {\"80/tcp\":{}}\n");
    // The image really holds what the steps made, and .dockerignore kept the secret out.
    let run = docker(&engine, &["run", "--rm", "web", "cat", "/app/node_modules/deps.json", "/app/app.js"]);
    assert_eq!(run.stdout, "{\"dependencies\":{\"left-pad\":\"1.3.0\"}}\nconsole.log('hi')\n", "{}", run.stderr);
    let secret = docker(&engine, &["run", "--rm", "web", "ls", "/app"]);
    assert!(!secret.stdout.contains("secret.txt"), "{}", secret.stdout);
    assert!(secret.stdout.contains("package.json"));
}

#[test]
fn cache_reruns_only_what_changed_and_follows_instruction_order() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("app");
    node_like_context(&ctx, true);
    let dir = ctx.to_str().unwrap();
    let first = docker(&engine, &["build", "-q", "-t", "web", dir]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    // Unchanged: every step cached, the same image.
    let again = docker(&engine, &["build", "--progress=plain", "-t", "web", dir]);
    assert_eq!(cached_lines(&again.stderr), 4, "{}", again.stderr);
    assert!(!again.stderr.contains("writing image"), "the same image is named again: {}", again.stderr);
    let same = docker(&engine, &["build", "-q", "-t", "web", dir]);
    assert_eq!(same.stdout, first.stdout);
    // app.js changed: the install stays cached, the last COPY reruns.
    fs::write(ctx.join("app.js"), "console.log('changed')\n").unwrap();
    let changed = docker(&engine, &["build", "--progress=plain", "-t", "web", dir]);
    let lines: Vec<&str> = changed.stderr.lines().collect();
    let after = |step: &str| lines.iter().position(|l| l.contains(step)).map(|i| lines[i + 1]).unwrap_or_default();
    assert!(after("RUN mkdir").ends_with(" CACHED"), "{}", changed.stderr);
    assert!(after("[5/5] COPY . .").contains("DONE"), "{}", changed.stderr);
    assert_eq!(cached_lines(&changed.stderr), 3);
    // The old image is left dangling.
    let dangling = docker(&engine, &["images", "-f", "dangling=true", "-q"]);
    assert_eq!(dangling.stdout.lines().count(), 1, "{}", dangling.stdout);
    assert_eq!(docker(&engine, &["images", "--format", "{{.Tag}}", "web"]).stdout, "latest\n");

    // COPY . . first: the change to app.js reruns the install.
    let ctx2 = home.path().join("app2");
    node_like_context(&ctx2, false);
    let dir2 = ctx2.to_str().unwrap();
    assert_eq!(docker(&engine, &["build", "-q", "-t", "web2", dir2]).status, 0);
    fs::write(ctx2.join("app.js"), "console.log('changed')\n").unwrap();
    let out = docker(&engine, &["build", "--progress=plain", "-t", "web2", dir2]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let run_at = lines.iter().position(|l| l.contains("RUN mkdir")).unwrap();
    assert!(lines[run_at + 1].contains(" installed"), "the install reran: {}", out.stderr);

    // The cache lives in the saved state: a new engine process reuses it.
    drop(engine);
    let reopened = open(home.path());
    let warm = docker(&reopened, &["build", "--progress=plain", "-t", "web", dir]);
    assert_eq!(cached_lines(&warm.stderr), 4, "{}", warm.stderr);
    // --no-cache runs everything.
    let cold = docker(&reopened, &["build", "--progress=plain", "--no-cache", "-t", "web", dir]);
    assert_eq!(cached_lines(&cold.stderr), 0, "{}", cold.stderr);
}

#[test]
fn history_inspect_and_prune_follow_docker() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("app");
    node_like_context(&ctx, true);
    let dir = ctx.to_str().unwrap();
    assert_eq!(docker(&engine, &["build", "-q", "--label", "lesson=build", "-t", "web", "-t", "web:1", dir]).status, 0);
    let h = docker(&engine, &["history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", "web"]);
    let top: Vec<&str> = h.stdout.lines().take(6).collect();
    assert_eq!(
        top,
        [
            "CMD [\"node\" \"app.js\"]|buildkit.dockerfile.v0",
            "EXPOSE map[80/tcp:{}]|buildkit.dockerfile.v0",
            "COPY . . # buildkit|buildkit.dockerfile.v0",
            "RUN /bin/sh -c mkdir -p node_modules && cat package.json > node_modules/deps.json && echo installed # buildkit|buildkit.dockerfile.v0",
            "COPY package.json . # buildkit|buildkit.dockerfile.v0",
            "WORKDIR /app|buildkit.dockerfile.v0",
        ]
    );
    let ids = docker(&engine, &["history", "-q", "web"]);
    assert!(ids.stdout.lines().skip(1).all(|l| l == "<missing>"), "BuildKit leaves no intermediate images");
    let layers =
        docker(&engine, &["image", "inspect", "-f", "{{len .RootFS.Layers}} {{.Config.Labels.lesson}}", "web:1"]);
    let base = docker(&engine, &["image", "inspect", "-f", "{{len .RootFS.Layers}}", "busybox"]);
    let n: usize = base.stdout.trim().parse().unwrap();
    assert_eq!(layers.stdout, format!("{} build\n", n + 4));
    // A rebuild after a change leaves a dangling image; prune removes it and the layers only it used.
    fs::write(ctx.join("app.js"), "console.log('v2')\n").unwrap();
    assert_eq!(docker(&engine, &["build", "-q", "-t", "web", "-t", "web:1", dir]).status, 0);
    let layer_count = || fs::read_dir(home.path().join("sim/layers")).unwrap().count();
    let before = layer_count();
    let pruned = docker(&engine, &["image", "prune", "-f"]);
    assert_eq!(pruned.stdout.matches("deleted: sha256:").count(), 1, "{}", pruned.stdout);
    assert_eq!(docker(&engine, &["images", "-q", "-f", "dangling=true"]).stdout, "");
    assert_eq!(layer_count(), before, "BuildKit's cache keeps the layers a build made");
}

#[test]
fn multi_stage_args_and_heredocs() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("ms");
    fs::create_dir_all(&ctx).unwrap();
    fs::write(
        ctx.join("Dockerfile"),
        "ARG BASE=busybox:latest\nFROM $BASE AS build\nARG GREETING=hello\nENV WHO=world\nRUN echo \"$GREETING $WHO\" > /out.txt\nCOPY <<EOF /note.txt\nnote\nEOF\n\nFROM busybox:latest AS unused\nRUN exit 9\n\nFROM busybox:latest\nCOPY --from=build /out.txt /note.txt /res/\nUSER nobody\nENTRYPOINT [\"cat\"]\nCMD [\"/res/out.txt\"]\n",
    )
    .unwrap();
    let dir = ctx.to_str().unwrap();
    let out = docker(&engine, &["build", "--progress=plain", "--build-arg", "GREETING=hi", "-t", "ms", dir]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("[build 2/3] RUN echo \"$GREETING $WHO\" > /out.txt"), "{}", out.stderr);
    assert!(out.stderr.contains("[stage-2 2/2] COPY --from=build /out.txt /note.txt /res/"), "{}", out.stderr);
    assert!(!out.stderr.contains("exit 9"), "an unneeded stage is not built");
    let run = docker(&engine, &["run", "--rm", "ms"]);
    assert_eq!(run.stdout, "hi world\n", "{}", run.stderr);
    let note = docker(&engine, &["run", "--rm", "ms", "/res/note.txt"]);
    assert_eq!(note.stdout, "note\n");
    let user = docker(&engine, &["image", "inspect", "-f", "{{.Config.User}} {{json .Config.Entrypoint}}", "ms"]);
    assert_eq!(user.stdout, "nobody [\"cat\"]\n");
    // --target builds the named stage.
    let t = docker(&engine, &["build", "-q", "--target", "build", "-t", "ms-build", dir]);
    assert_eq!(t.status, 0, "{}", t.stderr);
    let env = docker(&engine, &["image", "inspect", "-f", "{{json .Config.Env}}", "ms-build"]);
    assert!(env.stdout.contains("WHO=world"), "{}", env.stdout);
}

#[test]
fn failures_are_worded_as_buildkit_words_them() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("bad");
    fs::create_dir_all(&ctx).unwrap();
    let dir = ctx.to_str().unwrap();
    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nRUN echo before\nRUN echo oops && exit 3\nCMD [\"sh\"]\n")
        .unwrap();
    let out = docker(&engine, &["build", "--progress=plain", dir]);
    assert_eq!(out.status, 1);
    let m = mask(&out.stderr);
    assert!(m.contains("#6 [3/3] RUN echo oops && exit 3\n#6 <t> oops\n#6 ERROR: process \"/bin/sh -c echo oops && exit 3\" did not complete successfully: exit code: 3"), "{m}");
    assert!(m.contains("------\n > [3/3] RUN echo oops && exit 3:\n"), "{m}");
    assert!(m.contains("Dockerfile:3\n--------------------\n   1 |     FROM busybox:latest\n   2 |     RUN echo before\n   3 | >>> RUN echo oops && exit 3\n   4 |     CMD [\"sh\"]\n--------------------\n"), "{m}");
    assert!(out.stderr.ends_with("ERROR: failed to build: failed to solve: process \"/bin/sh -c echo oops && exit 3\" did not complete successfully: exit code: 3\n"));
    // The steps before the failure are cached for the next try.
    let again = docker(&engine, &["build", "--progress=plain", dir]);
    assert!(again.stderr.contains("RUN echo before\n#5 CACHED"), "{}", again.stderr);

    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nCOPY nope.txt /\n").unwrap();
    let out = docker(&engine, &["build", "-q", dir]);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("failed to compute cache key: failed to calculate checksum of ref "), "{}", out.stderr);
    assert!(out.stderr.contains(": \"/nope.txt\": not found"), "{}", out.stderr);

    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nFOO bar\n").unwrap();
    let out = docker(&engine, &["build", "-q", dir]);
    assert!(
        out.stderr.ends_with(
            "ERROR: failed to build: failed to solve: dockerfile parse error on line 2: unknown instruction: FOO\n"
        ),
        "{}",
        out.stderr
    );

    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest AS a\nRUN true\n").unwrap();
    let out = docker(&engine, &["build", "-q", "--target", "b", dir]);
    assert!(out.stderr.contains("target stage \"b\" could not be found"), "{}", out.stderr);
}

#[test]
fn the_engine_trait_builds_and_counts_cached_steps() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("app");
    node_like_context(&ctx, true);
    let options = BuildOptions { context: ctx.clone(), tags: vec!["web".into()], ..BuildOptions::default() };
    let first = engine.build_image(&options, &mut |_| {}).unwrap();
    assert_eq!(first.cached_steps, 0);
    let mut cached = Vec::new();
    let second = engine
        .build_image(&options, &mut |e| {
            if let docklings::engine::BuildEvent::Cached { step } = e {
                cached.push(step.clone());
            }
        })
        .unwrap();
    assert_eq!(second.image_id, first.image_id);
    assert_eq!(second.cached_steps, 4);
    assert!(cached.iter().any(|s| s.contains("RUN mkdir")), "{cached:?}");
}

/// The seed's own Dockerfile on `node:18`, with the toolbox's `npm` and `node`: after a change to app.js only
/// the last COPY reruns and `npm install` shows CACHED; with `COPY . .` first, the install reruns.
#[test]
fn the_seeds_node_dockerfile_caches_npm_install() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let seed = |dir: &Path, manifest_first: bool| {
        fs::create_dir_all(dir).unwrap();
        fs::write(
            dir.join("package.json"),
            "{\n  \"name\": \"web\",\n  \"dependencies\": { \"left-pad\": \"1.3.0\" }\n}\n",
        )
        .unwrap();
        fs::write(dir.join("app.js"), "console.log('hello from app.js');\n").unwrap();
        let order = if manifest_first {
            "COPY package.json .\nRUN npm install\nCOPY . .\n"
        } else {
            "COPY . .\nRUN npm install\n"
        };
        fs::write(
            dir.join("Dockerfile"),
            format!("FROM node:18\nWORKDIR /app\n{order}EXPOSE 80\nCMD [\"node\", \"app.js\"]\n"),
        )
        .unwrap();
    };
    let ctx = home.path().join("seed");
    seed(&ctx, true);
    let dir = ctx.to_str().unwrap();
    let first = docker(&engine, &["build", "--progress=plain", "-t", "web", dir]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert!(first.stderr.contains("[1/5] FROM docker.io/library/node:18@sha256:"), "{}", first.stderr);
    assert!(first.stderr.contains("[4/5] RUN npm install"), "{}", first.stderr);
    let run = docker(&engine, &["run", "--rm", "web"]);
    assert_eq!(run.stdout, "hello from app.js\n", "{}", run.stderr);
    let modules = docker(&engine, &["run", "--rm", "web", "ls", "node_modules"]);
    assert!(modules.stdout.contains("left-pad"), "{} {}", modules.stdout, modules.stderr);

    fs::write(ctx.join("app.js"), "console.log('changed');\n").unwrap();
    let again = docker(&engine, &["build", "--progress=plain", "-t", "web", dir]);
    let lines: Vec<&str> = again.stderr.lines().collect();
    let next = |step: &str| lines.iter().position(|l| l.ends_with(step)).map(|i| lines[i + 1]).unwrap_or_default();
    assert!(next("[4/5] RUN npm install").ends_with(" CACHED"), "{}", again.stderr);
    assert!(next("[3/5] COPY package.json .").ends_with(" CACHED"));
    assert!(next("[5/5] COPY . .").contains("DONE"), "{}", again.stderr);
    assert_eq!(docker(&engine, &["run", "--rm", "web"]).stdout, "changed\n");

    let ctx2 = home.path().join("seed-all-first");
    seed(&ctx2, false);
    let dir2 = ctx2.to_str().unwrap();
    assert_eq!(docker(&engine, &["build", "-q", "-t", "web2", dir2]).status, 0);
    fs::write(ctx2.join("app.js"), "console.log('changed');\n").unwrap();
    let out = docker(&engine, &["build", "--progress=plain", "-t", "web2", dir2]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let at = lines.iter().position(|l| l.ends_with("RUN npm install")).unwrap();
    assert!(!lines[at + 1].ends_with(" CACHED"), "the install reran: {}", out.stderr);
}

/// Seen on the real daemon: a file or folder a later `RUN` removes is gone from the image and from its containers,
/// and the removing step's layer counts 0 bytes.
#[test]
fn a_later_run_removing_files_hides_them_in_the_image() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("wh");
    fs::create_dir_all(&ctx).unwrap();
    fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox:latest\nRUN echo a > /x && mkdir /d && echo b > /d/f && echo c > /y\nRUN rm /x && rm -r /d\n",
    )
    .unwrap();
    let out = docker(&engine, &["build", "-q", "-t", "wh", ctx.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let ls = docker(&engine, &["run", "--rm", "wh", "ls", "/x", "/d", "/y"]);
    assert_eq!(ls.status, 1);
    assert_eq!(ls.stdout, "/y\n");
    assert_eq!(ls.stderr, "ls: /x: No such file or directory\nls: /d: No such file or directory\n");
    let sizes = docker(&engine, &["history", "--format", "{{.Size}}", "wh"]);
    assert_eq!(sizes.stdout.lines().take(2).collect::<Vec<_>>(), ["0B", "6B"], "{}", sizes.stdout);
    // A stage built on it sees the same, as COPY --from does.
    fs::write(ctx.join("Dockerfile"), "FROM wh AS w\nFROM busybox:latest\nCOPY --from=w / /copied/\nRUN ls /copied/y && test ! -e /copied/x && test ! -e /copied/d\n").unwrap();
    let out = docker(&engine, &["build", "-q", "-t", "wh2", ctx.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

/// Seen on the real daemon: `ADD` unpacks a local tar archive, gzip-compressed or not, into the destination (even
/// one named like a file), recognised by its content; a file that only looks like an archive by name, and
/// `COPY` of an archive, copy it as it is. A URL is refused plainly: the simulation has no internet.
#[test]
fn add_unpacks_local_archives_and_copy_does_not() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("add");
    fs::create_dir_all(&ctx).unwrap();
    let mut tar = tar::Builder::new(Vec::new());
    for (path, body) in [("a.txt", "hello\n"), ("sub/b.txt", "deep\n")] {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, path, body.as_bytes()).unwrap();
    }
    let plain = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &plain).unwrap();
    fs::write(ctx.join("app.tar.gz"), gz.finish().unwrap()).unwrap();
    fs::write(ctx.join("plain.tar"), &plain).unwrap();
    fs::write(ctx.join("fake.tar.gz"), "notatar\n").unwrap();
    fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox:latest\nADD app.tar.gz /opt/\nADD app.tar.gz /x.tgz\nADD plain.tar /p\nADD fake.tar.gz /f/\nCOPY app.tar.gz /c/\n",
    )
    .unwrap();
    let out = docker(&engine, &["build", "-q", "-t", "added", ctx.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let cat = |path: &str| docker(&engine, &["run", "--rm", "added", "cat", path]);
    assert_eq!(cat("/opt/a.txt").stdout, "hello\n");
    assert_eq!(cat("/opt/sub/b.txt").stdout, "deep\n");
    assert_eq!(cat("/x.tgz/sub/b.txt").stdout, "deep\n");
    assert_eq!(cat("/p/a.txt").stdout, "hello\n");
    assert_eq!(cat("/f/fake.tar.gz").stdout, "notatar\n");
    let ls = docker(&engine, &["run", "--rm", "added", "ls", "/c"]);
    assert_eq!(ls.stdout, "app.tar.gz\n");

    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nADD https://example.com/app.tgz /opt/\n").unwrap();
    let url = docker(&engine, &["build", "-q", ctx.to_str().unwrap()]);
    assert_eq!(url.status, 1);
    assert!(url.stderr.contains("the simulated engine has no internet access"), "{}", url.stderr);
}

/// A RUN's output shows as it comes, as BuildKit streams it: a line printed before a pause arrives before the
/// pause ends, not with the step's end.
#[test]
fn run_output_is_streamed_while_the_step_runs() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let ctx = home.path().join("slow");
    fs::create_dir_all(&ctx).unwrap();
    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nRUN echo first && sleep 1 && echo second\n").unwrap();
    let options = BuildOptions { context: ctx, ..BuildOptions::default() };
    let mut seen: Vec<(std::time::Instant, String)> = Vec::new();
    engine
        .build_image(&options, &mut |e| {
            if let docklings::engine::BuildEvent::Output(line) = e {
                seen.push((std::time::Instant::now(), line.clone()));
            }
        })
        .unwrap();
    let at = |word: &str| {
        // An output line is `#N SECONDS TEXT`; the step's own line (`#N [2/2] RUN echo first …`) is not one.
        let output = |l: &str| matches!(l.split(' ').collect::<Vec<_>>()[..], [_, t, w] if t.parse::<f64>().is_ok() && w == word);
        seen.iter().find(|(_, l)| output(l)).unwrap_or_else(|| panic!("{word}: {seen:?}")).0
    };
    let gap = at("second") - at("first");
    assert!(gap >= std::time::Duration::from_millis(700), "`first` came only with `second`: {gap:?}");
}

/// An image can hold links to anywhere (here an archive makes `/etc` a link to a host folder): inside the
/// container they resolve in its sandbox, and docklings' own writes (`/etc/hosts` and the rest) never follow them
/// onto the host.
#[test]
fn links_in_an_image_never_lead_host_writes_out_of_the_container() {
    let home = tempfile::tempdir().unwrap();
    let engine = open(home.path());
    let outside = tempfile::tempdir().unwrap();
    let ctx = home.path().join("links");
    fs::create_dir_all(&ctx).unwrap();
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_size(0);
    tar.append_link(&mut header, "etc", outside.path()).unwrap();
    fs::write(ctx.join("links.tar"), tar.into_inner().unwrap()).unwrap();
    fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nADD links.tar /\n").unwrap();
    let out = docker(&engine, &["build", "-q", "-t", "links", ctx.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    // The daemon makes the working folder and writes /etc's files: neither through the link.
    let run = docker(&engine, &["run", "--rm", "-w", "/etc/app", "links", "true"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let left: Vec<_> = fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "docklings wrote outside the container: {left:?}");
}
