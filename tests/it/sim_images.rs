//! The simulated engine's image and volume commands, driven through `sim::cli::run` with captured output on a
//! fresh engine in a temporary `DOCKLINGS_HOME`. Expected texts are Docker 28's; ids and digests, which depend on
//! the toolbox build, are masked (`<hex12>`, `<hex64>`) outside tables, and tables are laid out from the values
//! the engine reports so their columns are checked exactly.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use docklings::dockerfmt;
use docklings::engine::sim::{SimEngine, catalog};
use docklings::engine::{ContainerConfig, Engine, MountKind, MountSpec};

use super::sim_support::{Out, docker_with, fresh};

struct Sim {
    _home: tempfile::TempDir,
    engine: Arc<SimEngine>,
}

impl Sim {
    fn new() -> Sim {
        let (home, engine) = fresh(None);
        Sim { _home: home, engine }
    }

    /// Runs a `docker …` line, split into words as a shell would.
    fn run_with(&self, line: &str, stdin: Option<&'static [u8]>) -> Out {
        let script = docklings::shell::parse(line);
        let [cmd] = script.commands.as_slice() else { panic!("one command per line: {line}") };
        let words: Vec<&str> = cmd.words.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(words.first(), Some(&"docker"), "{line}");
        docker_with(&self.engine, &words[1..], stdin.map(|b| Box::new(b) as Box<dyn std::io::Read + Send>))
    }

    fn run(&self, line: &str) -> Out {
        self.run_with(line, None)
    }

    /// Runs a command that must succeed quietly on stderr; returns its stdout.
    fn ok(&self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!((out.status, out.stderr.as_str()), (0, ""), "`{line}` failed: {out:?}");
        out.stdout
    }

    /// A stopped container of `image`, made through the engine (the container commands are not under test).
    fn container(&self, image: &str, mounts: Vec<MountSpec>) -> String {
        let config = ContainerConfig { image: image.into(), cmd: vec!["true".into()], mounts, ..Default::default() };
        self.engine.create_container(&config).expect("a container is created")
    }
}

fn out(stdout: &str, stderr: &str, status: i32) -> Out {
    Out { stdout: stdout.into(), stderr: stderr.into(), status }
}

/// Hides what depends on the toolbox build: 64-hex digests and 12-hex short ids.
fn mask(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut s = String::new();
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()).count();
        let bounded =
            (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && b.get(i + run).is_none_or(|c| !c.is_ascii_alphanumeric());
        if bounded && (run == 64 || run == 12) && b[i..i + run].iter().any(char::is_ascii_digit) {
            s.push_str(if run == 64 { "<hex64>" } else { "<hex12>" });
            i += run;
        } else {
            s.push(b[i]);
            i += 1;
        }
    }
    s
}

/// Lays rows out as Docker's tabwriter does (cells padded to the widest plus three, at least ten wide; the last
/// column unpadded).
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows[0].len();
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0).saturating_add(3).max(10))
        .collect();
    let mut s = String::new();
    for r in rows {
        for (c, cell) in r.iter().enumerate() {
            s.push_str(cell);
            if c + 1 < cols {
                s.push_str(&" ".repeat(widths[c] - cell.chars().count()));
            }
        }
        s.push('\n');
    }
    s
}

/// "6 months ago" for a catalog image, as the CLI computes it now.
fn since(reference: &str) -> String {
    let created = catalog::find(reference).expect("a catalog image").created;
    let at = UNIX_EPOCH + Duration::from_nanos(u64::try_from(created).unwrap());
    dockerfmt::human_duration(SystemTime::now().duration_since(at).unwrap()) + " ago"
}

fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn pull_first_and_second_time() {
    let sim = Sim::new();
    let first = sim.run("docker pull busybox");
    assert_eq!((first.status, first.stderr.as_str()), (0, ""));
    assert_eq!(
        mask(&first.stdout),
        "Using default tag: latest\n\
         latest: Pulling from library/busybox\n\
         <hex12>: Pulling fs layer\n\
         <hex12>: Verifying Checksum\n\
         <hex12>: Download complete\n\
         <hex12>: Pull complete\n\
         Digest: sha256:<hex64>\n\
         Status: Downloaded newer image for busybox:latest\n\
         docker.io/library/busybox:latest\n"
    );
    assert_eq!(
        mask(&sim.ok("docker pull busybox")),
        "Using default tag: latest\n\
         latest: Pulling from library/busybox\n\
         Digest: sha256:<hex64>\n\
         Status: Image is up to date for busybox:latest\n\
         docker.io/library/busybox:latest\n"
    );
    // Another tag of the same image: nothing to download, but the tag is new.
    assert_eq!(
        mask(&sim.ok("docker image pull busybox:1.38")),
        "1.38: Pulling from library/busybox\n\
         Digest: sha256:<hex64>\n\
         Status: Downloaded newer image for busybox:1.38\n\
         docker.io/library/busybox:1.38\n"
    );
    assert_eq!(sim.ok("docker pull -q alpine:3.24"), "docker.io/library/alpine:3.24\n");
    // Seven layers: the ones after the first three wait for a download slot.
    let nginx = mask(&sim.ok("docker pull nginx:1.31"));
    assert_eq!(nginx.matches("Pulling fs layer").count(), 7);
    assert_eq!(nginx.matches(": Waiting").count(), 4);
    assert_eq!(nginx.matches("Pull complete").count(), 7);
}

#[test]
fn pull_errors_are_the_registry_s() {
    let sim = Sim::new();
    assert_eq!(
        sim.run("docker pull nosuchrepo"),
        out(
            "Using default tag: latest\n",
            "Error response from daemon: pull access denied for nosuchrepo, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n",
            1
        )
    );
    assert_eq!(
        sim.run("docker pull busybox:nosuchtag"),
        out(
            "",
            "Error response from daemon: manifest for busybox:nosuchtag not found: manifest unknown: manifest unknown\n",
            1
        )
    );
    assert_eq!(
        sim.run("docker pull UPPER"),
        out("", "invalid reference format: repository name (library/UPPER) must be lowercase\n", 1)
    );
    assert_eq!(sim.run("docker pull bad:tag:x"), out("", "invalid reference format\n", 1));
    let usage = sim.run("docker pull --bogus busybox");
    assert_eq!(usage.status, 125);
    assert!(usage.stderr.contains("Usage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]"), "{}", usage.stderr);
}

#[test]
fn images_table_format_and_filters() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    sim.ok("docker pull -q alpine");
    let ids = sim.ok("docker images -q");
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 2, "newest first: alpine, then busybox");
    let expected = table(&[
        cells(&["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]),
        cells(&["alpine", "latest", ids[0], &since("alpine:latest"), "8.42MB"]),
        cells(&["busybox", "latest", ids[1], &since("busybox:latest"), "4.45MB"]),
    ]);
    assert_eq!(sim.ok("docker images"), expected);
    assert_eq!(sim.ok("docker image ls"), expected);
    assert_eq!(
        sim.ok("docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}'"),
        "alpine:latest 8.42MB\nbusybox:latest 4.45MB\n"
    );
    assert_eq!(
        sim.ok("docker images --format 'table {{.Repository}}\\t{{.Tag}}'"),
        table(&[cells(&["REPOSITORY", "TAG"]), cells(&["alpine", "latest"]), cells(&["busybox", "latest"]),])
    );
    assert_eq!(sim.ok("docker images busybox --format '{{.Repository}}'"), "busybox\n");
    assert_eq!(sim.ok("docker images --filter reference='alp*' --format '{{.Repository}}'"), "alpine\n");
    assert_eq!(sim.ok("docker images --filter dangling=true -q"), "");
    assert_eq!(sim.ok("docker images nope"), "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
    let json = sim.ok("docker images --format json busybox");
    assert!(json.starts_with("{\"Containers\":\"N/A\",\"CreatedAt\":\""), "{json}");
    assert!(json.ends_with("\"Repository\":\"busybox\",\"SharedSize\":\"N/A\",\"Size\":\"4.45MB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"4.45MB\"}\n"), "{json}");
    let digests = sim.ok("docker images --digests --format '{{.Repository}} {{.Digest}}' busybox");
    assert_eq!(mask(&digests), "busybox sha256:<hex64>\n");
    assert_eq!(
        sim.run("docker images --filter bogus=1"),
        out("", "Error response from daemon: invalid filter 'bogus'\n", 1)
    );
    assert_eq!(
        sim.run("docker images --filter dangling=maybe"),
        out("", "Error response from daemon: invalid filter 'dangling=[maybe]'\n", 1)
    );
    assert_eq!(
        sim.run("docker images -f bogus"),
        out(
            "",
            "invalid argument \"bogus\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n",
            125
        )
    );
}

#[test]
fn tag_then_images_then_rmi_each_tag() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    assert_eq!(sim.ok("docker tag busybox myname/box:1"), "");
    let id = sim.ok("docker images -q busybox");
    let id = id.trim();
    assert_eq!(
        sim.ok("docker images"),
        table(&[
            cells(&["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]),
            cells(&["busybox", "latest", id, &since("busybox:latest"), "4.45MB"]),
            cells(&["myname/box", "1", id, &since("busybox:latest"), "4.45MB"]),
        ])
    );
    assert_eq!(
        sim.run("docker tag busybox UPPER"),
        out(
            "",
            "Error parsing reference: \"UPPER\" is not a valid repository/tag: invalid reference format: repository name (library/UPPER) must be lowercase\n",
            1
        )
    );
    assert_eq!(sim.run("docker tag nope x"), out("", "Error response from daemon: No such image: nope:latest\n", 1));
    assert_eq!(
        sim.run(&format!("docker rmi {id}")),
        out(
            "",
            &format!(
                "Error response from daemon: conflict: unable to delete {id} (must be forced) - image is referenced in multiple repositories\n"
            ),
            1
        )
    );
    assert_eq!(sim.ok("docker rmi myname/box:1"), "Untagged: myname/box:1\n");
    assert_eq!(
        mask(&sim.ok("docker rmi busybox")),
        "Untagged: busybox:latest\nUntagged: busybox@sha256:<hex64>\nDeleted: sha256:<hex64>\nDeleted: sha256:<hex64>\n"
    );
    assert_eq!(sim.ok("docker images -q"), "");
    assert_eq!(
        sim.run("docker rmi nope busybox"),
        out(
            "",
            "Error response from daemon: No such image: nope:latest\nError response from daemon: No such image: busybox:latest\n",
            1
        )
    );
    assert_eq!(sim.run("docker rmi -f nope"), out("", "Error response from daemon: No such image: nope:latest\n", 0));
}

#[test]
fn rmi_conflicts_with_a_container() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    let container = sim.container("busybox", Vec::new());
    let id = sim.ok("docker images -q busybox");
    let id = id.trim();
    let c = &container[..12];
    assert_eq!(
        sim.run("docker rmi busybox"),
        out(
            "",
            &format!(
                "Error response from daemon: conflict: unable to remove repository reference \"busybox\" (must force) - container {c} is using its referenced image {id}\n"
            ),
            1
        )
    );
    assert_eq!(
        sim.run(&format!("docker rmi {id}")),
        out(
            "",
            &format!(
                "Error response from daemon: conflict: unable to delete {id} (must be forced) - image is being used by stopped container {c}\n"
            ),
            1
        )
    );
    // Forced: the image goes, but the container keeps its layer, so no layer is listed.
    assert_eq!(
        mask(&sim.ok("docker rmi -f busybox")),
        "Untagged: busybox:latest\nUntagged: busybox@sha256:<hex64>\nDeleted: sha256:<hex64>\n"
    );
}

#[test]
fn image_prune_asks_then_keeps_used_images() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    sim.ok("docker pull -q alpine");
    sim.container("busybox", Vec::new());
    // Without -f Docker asks; with no input the answer is no, and nothing else is printed.
    assert_eq!(
        sim.run("docker image prune -a"),
        out(
            "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ",
            "",
            0
        )
    );
    assert_eq!(
        sim.run("docker image prune"),
        out("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ", "", 0)
    );
    assert_eq!(
        sim.run_with("docker image prune", Some(b"y\n")),
        out(
            "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] Total reclaimed space: 0B\n",
            "",
            0
        )
    );
    assert_eq!(
        mask(&sim.ok("docker image prune -a -f")),
        "Deleted Images:\n\
         untagged: alpine:latest\n\
         untagged: alpine@sha256:<hex64>\n\
         deleted: sha256:<hex64>\n\
         deleted: sha256:<hex64>\n\
         \n\
         Total reclaimed space: 8.42MB\n"
    );
    assert_eq!(sim.ok("docker images --format '{{.Repository}}'"), "busybox\n");
    assert_eq!(sim.ok("docker image prune -a -f"), "Total reclaimed space: 0B\n");
}

#[test]
fn push_rmi_pull_round_trip() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    sim.ok("docker tag busybox learner/box:1");
    let push = sim.ok("docker push learner/box:1");
    assert_eq!(
        mask(&push),
        "The push refers to repository [docker.io/learner/box]\n\
         <hex12>: Preparing\n\
         <hex12>: Mounted from library/busybox\n\
         1: digest: sha256:<hex64> size: 528\n"
    );
    let pushed = push.lines().last().unwrap().split(' ').nth(2).unwrap().to_string();
    assert_eq!(
        sim.ok("docker images --digests --format '{{.Repository}}:{{.Tag}} {{.Digest}}' learner/box"),
        format!("learner/box:1 {pushed}\n")
    );
    // Pushing again finds the layer there.
    assert!(sim.ok("docker push learner/box:1").contains(": Layer already exists\n"));
    assert_eq!(
        mask(&sim.ok("docker rmi learner/box:1")),
        "Untagged: learner/box:1\nUntagged: learner/box@sha256:<hex64>\n"
    );
    sim.ok("docker rmi busybox");
    assert_eq!(sim.ok("docker images -q"), "");
    let pull = sim.ok("docker pull learner/box:1");
    assert_eq!(
        mask(&pull),
        "1: Pulling from learner/box\n\
         <hex12>: Pulling fs layer\n\
         <hex12>: Verifying Checksum\n\
         <hex12>: Download complete\n\
         <hex12>: Pull complete\n\
         Digest: sha256:<hex64>\n\
         Status: Downloaded newer image for learner/box:1\n\
         docker.io/learner/box:1\n"
    );
    assert!(pull.contains(&format!("Digest: {pushed}\n")), "the registry serves what was pushed");
    assert_eq!(sim.ok("docker image inspect --format '{{.Config.Cmd}}' learner/box:1"), "[sh]\n");
    // Docker Hub's official repositories are not the learner's to push to; a missing tag is an error too.
    sim.ok("docker tag learner/box:1 busybox:mine");
    let denied = sim.run("docker push busybox:mine");
    assert_eq!(
        (mask(&denied.stdout), denied.stderr.as_str(), denied.status),
        (
            "The push refers to repository [docker.io/library/busybox]\n<hex12>: Preparing\n".to_string(),
            "denied: requested access to the resource is denied\n",
            1
        )
    );
    assert_eq!(
        sim.run("docker push learner/nothing"),
        out(
            "Using default tag: latest\nThe push refers to repository [docker.io/learner/nothing]\n",
            "An image does not exist locally with the tag: learner/nothing\n",
            1
        )
    );
}

#[test]
fn history_lists_the_build_steps() {
    let sim = Sim::new();
    sim.ok("docker pull -q alpine");
    let id = sim.ok("docker images -q alpine");
    let id = id.trim();
    assert_eq!(
        sim.ok("docker history --format '{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}' alpine"),
        format!(
            "{id}|CMD [\"/bin/sh\"]|0B|buildkit.dockerfile.v0\n<missing>|ADD alpine-minirootfs-3.24.2-x86_64.tar.gz /…|8.42MB|buildkit.dockerfile.v0\n"
        )
    );
    assert_eq!(sim.ok("docker history -q alpine"), format!("{id}\n<missing>\n"));
    assert_eq!(
        sim.ok("docker history -H=false --format '{{.CreatedAt}} {{.Size}}' alpine"),
        "2026-09-17T20:37:20Z 0\n2026-09-17T20:37:20Z 8420000\n"
    );
    assert_eq!(
        sim.ok("docker history --no-trunc --format '{{.CreatedBy}}' alpine"),
        "CMD [\"/bin/sh\"]\nADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit\n"
    );
    assert_eq!(
        sim.ok("docker history alpine"),
        table(&[
            cells(&["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]),
            cells(&[id, &since("alpine:latest"), "CMD [\"/bin/sh\"]", "0B", "buildkit.dockerfile.v0"]),
            cells(&[
                "<missing>",
                &since("alpine:latest"),
                "ADD alpine-minirootfs-3.24.2-x86_64.tar.gz /…",
                "8.42MB",
                "buildkit.dockerfile.v0"
            ]),
        ])
    );
    assert_eq!(sim.run("docker history nope"), out("", "Error response from daemon: No such image: nope:latest\n", 1));
}

#[test]
fn image_inspect_has_docker_28_s_shape() {
    let sim = Sim::new();
    sim.ok("docker pull -q nginx");
    assert_eq!(sim.ok("docker image inspect --format '{{.Config.Cmd}}' nginx"), "[nginx -g daemon off;]\n");
    assert_eq!(
        sim.ok("docker image inspect -f '{{.Config.Entrypoint}} {{.Config.ExposedPorts}}' nginx"),
        "[/docker-entrypoint.sh] map[80/tcp:{}]\n"
    );
    assert_eq!(
        sim.ok("docker image inspect -f '{{.Config.WorkingDir}}|{{.Config.Volumes}}|{{.Os}}/{{.Architecture}}' nginx"),
        "|map[]|linux/amd64\n"
    );
    sim.ok("docker pull -q busybox");
    assert_eq!(
        sim.ok("docker image inspect -f '{{.Config.Entrypoint}} {{.Config.Cmd}} {{.Metadata.LastTagTime}}' busybox"),
        "[] [sh] 0001-01-01T00:00:00Z\n"
    );
    assert_eq!(
        sim.ok("docker image inspect -f '{{json .Config}}' busybox"),
        "{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]}\n"
    );
    let json: serde_json::Value = serde_json::from_str(&sim.ok("docker image inspect busybox")).unwrap();
    let keys: Vec<&str> = json[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Id",
            "RepoTags",
            "RepoDigests",
            "Parent",
            "Comment",
            "Created",
            "DockerVersion",
            "Author",
            "Config",
            "Architecture",
            "Os",
            "Size",
            "GraphDriver",
            "RootFS",
            "Metadata"
        ]
    );
    assert_eq!(json[0]["Created"], "2026-05-13T02:21:49Z");
    assert_eq!(json[0]["RepoTags"], serde_json::json!(["busybox:latest"]));
    assert_eq!(json[0]["Size"], 4_450_000);
    let missing = sim.run("docker image inspect nope busybox -f '{{.Id}}'");
    assert_eq!(missing.status, 1);
    assert_eq!(missing.stderr, "Error response from daemon: No such image: nope:latest\n");
    assert!(missing.stdout.starts_with("sha256:"));
    assert_eq!(
        sim.run("docker image inspect nope"),
        out("[]\n", "Error response from daemon: No such image: nope:latest\n", 1)
    );
}

#[test]
fn volumes_create_list_inspect_remove() {
    let sim = Sim::new();
    assert_eq!(sim.ok("docker volume create data"), "data\n");
    assert_eq!(sim.ok("docker volume create data"), "data\n", "creating it again returns the same volume");
    assert_eq!(
        sim.ok("docker volume create --label team=web --label temp -d local -o type=tmpfs -o device=tmpfs web2"),
        "web2\n"
    );
    let anon = sim.ok("docker volume create");
    assert_eq!(mask(&anon), "<hex64>\n");
    let anon = anon.trim().to_string();
    // The CLI sorts volumes by name, so where the random anonymous name falls depends on its first digit.
    let mut names = [anon.as_str(), "data", "web2"];
    names.sort_unstable();
    let mut rows = vec![cells(&["DRIVER", "VOLUME NAME"])];
    rows.extend(names.iter().map(|n| cells(&["local", n])));
    assert_eq!(sim.ok("docker volume ls"), table(&rows));
    assert_eq!(sim.ok("docker volume ls -q --filter name=ta"), "data\n");
    assert_eq!(sim.ok("docker volume ls -q --filter label=team=web"), "web2\n");
    assert_eq!(
        sim.ok("docker volume ls --format '{{.Name}}: {{.Labels}}' --filter label=temp"),
        "web2: team=web,temp=\n"
    );
    assert_eq!(sim.ok("docker volume ls -q --filter dangling=false"), "");
    assert_eq!(
        sim.ok("docker volume inspect data --format '{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Scope}} {{.Labels}}'"),
        "data local /var/lib/docker/volumes/data/_data local map[]\n"
    );
    let inspect = sim.ok("docker volume inspect web2");
    let created: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    let created = created[0]["CreatedAt"].as_str().unwrap().to_string();
    assert_eq!(
        inspect,
        format!(
            "[\n    {{\n        \"CreatedAt\": \"{created}\",\n        \"Driver\": \"local\",\n        \"Labels\": {{\n            \"team\": \"web\",\n            \"temp\": \"\"\n        }},\n        \"Mountpoint\": \"/var/lib/docker/volumes/web2/_data\",\n        \"Name\": \"web2\",\n        \"Options\": {{\n            \"device\": \"tmpfs\",\n            \"type\": \"tmpfs\"\n        }},\n        \"Scope\": \"local\"\n    }}\n]\n"
        )
    );
    assert!(created.len() == 20 && created.ends_with('Z'), "{created}");
    assert_eq!(
        sim.ok(&format!("docker volume inspect -f '{{{{json .Labels}}}}' {anon}")),
        "{\"com.docker.volume.anonymous\":\"\"}\n"
    );
    assert_eq!(
        sim.run("docker volume inspect nope"),
        out("[]\n", "Error response from daemon: get nope: no such volume\n", 1)
    );
    assert_eq!(
        sim.run("docker volume create -o foo=bar x1"),
        out("", "Error response from daemon: create x1: invalid option: \"foo\"\n", 1)
    );
    assert_eq!(
        sim.run("docker volume create -o device=/tmp x2"),
        out("", "Error response from daemon: create x2: missing required option: \"type\"\n", 1)
    );
    assert_eq!(
        sim.run("docker volume create -d nosuch x3"),
        out(
            "",
            "Error response from daemon: create x3: error looking up volume plugin nosuch: plugin \"nosuch\" not found\n",
            1
        )
    );
    assert_eq!(
        sim.run("docker volume create --name a1 a2"),
        out("", "conflicting options: cannot specify a volume-name through both --name and as a positional arg\n", 1)
    );
    assert_eq!(
        sim.run("docker volume rm data nope"),
        out("data\n", "Error response from daemon: get nope: no such volume\n", 1)
    );
    assert_eq!(sim.ok("docker volume rm -f nope"), "nope\n");
}

#[test]
fn volumes_in_use_and_prune() {
    let sim = Sim::new();
    sim.ok("docker pull -q busybox");
    sim.ok("docker volume create kept");
    sim.ok("docker volume create used");
    let anon = sim.ok("docker volume create");
    let anon = anon.trim().to_string();
    let mount = |source: &str| MountSpec {
        kind: MountKind::Volume,
        source: source.into(),
        target: "/data".into(),
        read_only: false,
    };
    let c = sim.container("busybox", vec![mount("used")]);
    assert_eq!(
        sim.run("docker volume rm used"),
        out("", &format!("Error response from daemon: remove used: volume is in use - [{c}]\n"), 1)
    );
    assert_eq!(
        sim.run("docker volume rm -f used"),
        out("", &format!("Error response from daemon: remove used: volume is in use - [{c}]\n"), 1)
    );
    assert_eq!(sim.ok("docker volume ls -q --filter dangling=false"), "used\n");
    assert_eq!(
        sim.run("docker volume prune"),
        out(
            "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ",
            "",
            0
        )
    );
    // Docker 23 and later: only anonymous volumes without --all.
    assert_eq!(sim.ok("docker volume prune -f"), format!("Deleted Volumes:\n{anon}\n\nTotal reclaimed space: 0B\n"));
    assert_eq!(sim.ok("docker volume ls -q"), "kept\nused\n");
    assert_eq!(
        sim.run("docker volume prune -a"),
        out(
            "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ",
            "",
            0
        )
    );
    assert_eq!(sim.ok("docker volume prune -a -f"), "Deleted Volumes:\nkept\n\nTotal reclaimed space: 0B\n");
    assert_eq!(sim.ok("docker volume prune --all --force"), "Total reclaimed space: 0B\n");
    sim.engine.remove_container(&c, true, false).unwrap();
    assert_eq!(sim.ok("docker volume rm used"), "used\n");
}
