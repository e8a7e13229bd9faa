//! The container commands on the simulated engine, driven through `sim::cli::run` as `docklings shell` drives
//! them, asserting on exactly what a learner sees: stdout, stderr and the exit status. The expected texts are
//! Docker 28's (checked against a real daemon; see tests/transcripts/DIFFERENCES.md where 20.10 differs).

use std::sync::Arc;
use std::time::{Duration, Instant};

use docklings::engine::sim::SimEngine;

use super::sim_support::{Out, docker, fresh, is_id, open, out};

/// A simulated engine in a temporary folder, with busybox:latest pulled.
struct Sim {
    home: tempfile::TempDir,
    engine: Arc<SimEngine>,
}

impl Sim {
    fn new() -> Sim {
        let (home, engine) = fresh(Some("busybox:latest"));
        Sim { home, engine }
    }

    /// Runs `docker` with these words (split on spaces; `run` keeps quoted words through `docker_args`).
    fn docker(&self, line: &str) -> Out {
        self.docker_args(&line.split_whitespace().collect::<Vec<_>>())
    }

    fn docker_args(&self, words: &[&str]) -> Out {
        docker(&self.engine, words)
    }
}

/// Waits until `f` holds (a detached container's first output takes a moment).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_background_container_lives_through_ps_logs_exec_stop_and_rm() {
    let sim = Sim::new();
    let run = sim.docker_args(&["run", "-d", "--name", "web", "busybox", "sh", "-c", "echo started; sleep 600"]);
    assert!(is_id(&run.stdout), "run -d prints the id: {run:?}");
    assert_eq!((run.stderr.as_str(), run.status), ("", 0));

    assert_eq!(sim.docker_args(&["ps", "--format", "{{.Names}} {{.State}}"]), out("web running\n", "", 0));
    eventually("the first line in the log", || sim.docker("logs web").stdout == "started\n");
    assert_eq!(sim.docker("exec web echo inside"), out("inside\n", "", 0));
    assert_eq!(sim.docker_args(&["exec", "web", "sh", "-c", "exit 4"]), out("", "", 4));
    assert_eq!(
        sim.docker("exec web nosuchcmd"),
        out(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\r\n",
            "",
            127
        )
    );

    let begun = Instant::now();
    assert_eq!(sim.docker("stop -t 1 web"), out("web\n", "", 0));
    let took = begun.elapsed();
    assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(5), "stop waits the grace period: {took:?}");
    assert_eq!(
        sim.docker_args(&["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web"]),
        out("exited 137\n", "", 0)
    );
    let ps = sim.docker_args(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
    assert!(ps.stdout.starts_with("web Exited (137) "), "{ps:?}");
    assert_eq!(
        sim.docker("exec web echo hi"),
        out("", &format!("Error response from daemon: Container {} is not running\n", &run.stdout[..64]), 1)
    );
    assert_eq!(sim.docker("rm web"), out("web\n", "", 0));
    assert_eq!(sim.docker("ps -a -q"), out("", "", 0));
}

/// As on the real daemon (transcript 02): a shell that traps TERM runs its action when `docker stop` sends it, so
/// it exits with its own status before the grace period ends; `docker kill -s` reaches the trap too.
#[test]
fn a_shell_trapping_term_ends_itself_on_stop() {
    let sim = Sim::new();
    let script = "trap 'echo bye; exit 0' TERM; trap 'echo usr1' USR1; echo ready; while true; do sleep 1; done";
    sim.docker_args(&["run", "-d", "--name", "polite", "busybox", "sh", "-c", script]);
    // A signal that comes before its trap is set is ignored, as by any PID 1.
    eventually("the traps are set", || sim.docker("logs polite").stdout == "ready\n");
    assert_eq!(sim.docker("kill -s USR1 polite"), out("polite\n", "", 0));
    eventually("the USR1 trap ran", || sim.docker("logs polite").stdout == "ready\nusr1\n");
    let begun = Instant::now();
    assert_eq!(sim.docker("stop -t 8 polite"), out("polite\n", "", 0));
    let took = begun.elapsed();
    assert!(took < Duration::from_secs(4), "the trap ends it before the grace period: {took:?}");
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{.State.ExitCode}}", "polite"]), out("0\n", "", 0));
    assert_eq!(sim.docker("logs polite").stdout, "ready\nusr1\nbye\n");
}

#[test]
fn names_conflict_and_rm_refuses_a_running_container() {
    let sim = Sim::new();
    let first = sim.docker("run -d --name twin busybox sleep 600");
    assert!(is_id(&first.stdout));
    let again = sim.docker("run --name twin busybox true");
    assert_eq!(
        again,
        out(
            "",
            &format!(
                "docker: Error response from daemon: Conflict. The container name \"/twin\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n",
                &first.stdout[..64]
            ),
            125
        )
    );
    assert_eq!(
        sim.docker("rm twin"),
        out(
            "",
            "Error response from daemon: cannot remove container \"twin\": container is running: stop the container before removing or force remove\n",
            1
        )
    );
    assert_eq!(
        sim.docker("rm -f twin nosuch"),
        out("twin\n", "Error response from daemon: No such container: nosuch\n", 0)
    );
    assert_eq!(
        sim.docker("kill nosuch"),
        out("", "Error response from daemon: cannot kill container: nosuch: No such container: nosuch\n", 1)
    );
}

#[test]
fn rm_flag_removes_the_container_when_it_ends() {
    let sim = Sim::new();
    assert_eq!(sim.docker("run --rm --name gone busybox echo removed when done"), out("removed when done\n", "", 0));
    assert_eq!(sim.docker_args(&["ps", "-a", "--filter", "name=gone", "--format", "{{.Names}}"]), out("", "", 0));
    assert_eq!(
        sim.docker_args(&["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"]),
        out("out\n", "err\n", 3)
    );
}

#[test]
fn exit_statuses_are_dockers() {
    let sim = Sim::new();
    assert_eq!(
        sim.docker("run --rm busybox nosuchcmd"),
        out(
            "",
            "docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\n\nRun 'docker run --help' for more information\n",
            127
        )
    );
    assert_eq!(
        sim.docker("run --rm busybox /etc/hostname"),
        out(
            "",
            "docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"/etc/hostname\": permission denied: unknown\n\nRun 'docker run --help' for more information\n",
            126
        )
    );
    assert_eq!(sim.docker("ps -a -q"), out("", "", 0), "--rm removes a container that did not start");
    assert_eq!(
        sim.docker("run --rm busybox cat /no/such/file"),
        out("", "cat: can't open '/no/such/file': No such file or directory\n", 1)
    );
    assert_eq!(sim.docker("run --rm -it busybox sh"), out("", "the input device is not a TTY\n", 1));
    assert_eq!(
        sim.docker("run --rm -p 99999:80 busybox true"),
        out("", "docker: invalid hostPort: 99999\n\nRun 'docker run --help' for more information\n", 125)
    );
    assert_eq!(
        sim.docker("run --rm -v a:/b:ro:x busybox true"),
        out(
            "",
            "docker: invalid spec: a:/b:ro:x: too many colons\n\nRun 'docker run --help' for more information\n",
            125
        )
    );
    assert_eq!(
        sim.docker("run --rm --mount garbage busybox true"),
        out(
            "",
            "invalid argument \"garbage\" for \"--mount\" flag: invalid field 'garbage' must be a key=value pair\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
            125
        )
    );
    assert_eq!(
        sim.docker("create --mount type=bind,source=/nonexistent/dkl,target=/x busybox"),
        out(
            "",
            "Error response from daemon: invalid mount config for type \"bind\": bind source path does not exist: /nonexistent/dkl\n",
            1
        )
    );
    assert_eq!(sim.docker("stop nosuch"), out("", "Error response from daemon: No such container: nosuch\n", 1));
}

#[test]
fn volumes_outlive_containers_and_docklings_runs() {
    let sim = Sim::new();
    assert_eq!(
        sim.docker_args(&[
            "run",
            "--name",
            "writer",
            "-v",
            "notes:/notes",
            "busybox",
            "sh",
            "-c",
            "echo kept > /notes/a"
        ]),
        out("", "", 0)
    );
    assert_eq!(sim.docker("rm writer"), out("writer\n", "", 0));
    assert_eq!(sim.docker("run --rm -v notes:/notes busybox cat /notes/a"), out("kept\n", "", 0));
    assert_eq!(sim.docker("run --name stays busybox echo hi"), out("hi\n", "", 0));

    // A second docklings run opens the same folder: it sees the first one's containers and volumes.
    let second = open(sim.home.path());
    let ps = docker(&second, &["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
    assert!(ps.stdout.starts_with("stays Exited (0) "), "{ps:?}");
    assert_eq!(
        docker(&second, &["run", "--rm", "-v", "notes:/notes", "busybox", "cat", "/notes/a"]),
        out("kept\n", "", 0)
    );
    assert_eq!(docker(&second, &["logs", "stays"]), out("hi\n", "", 0));
}

#[test]
fn read_only_mounts_refuse_writes() {
    let sim = Sim::new();
    assert_eq!(
        sim.docker_args(&["run", "--rm", "-v", "data:/data:ro", "busybox", "sh", "-c", "echo x > /data/f"]),
        out("", "sh: can't create /data/f: Read-only file system\n", 1)
    );
    assert_eq!(
        sim.docker_args(&[
            "run",
            "--rm",
            "--mount",
            "source=data,target=/data,readonly",
            "busybox",
            "touch",
            "/data/g"
        ]),
        out("", "touch: /data/g: Read-only file system\n", 1)
    );
    let host = tempfile::tempdir().unwrap();
    let bind = format!("{}:/h", host.path().display());
    assert_eq!(
        sim.docker_args(&["run", "--rm", "-v", &bind, "busybox", "sh", "-c", "echo from-container > /h/f"]),
        out("", "", 0)
    );
    assert_eq!(std::fs::read_to_string(host.path().join("f")).unwrap(), "from-container\n");
}

#[test]
fn containers_of_one_image_do_not_share_writes() {
    let sim = Sim::new();
    assert!(is_id(&sim.docker("run -d --name one busybox sleep 600").stdout));
    assert!(is_id(&sim.docker("run -d --name two busybox sleep 600").stdout));
    assert_eq!(sim.docker_args(&["exec", "one", "sh", "-c", "echo mine > /f"]), out("", "", 0));
    assert_eq!(sim.docker("exec one cat /f"), out("mine\n", "", 0));
    assert_eq!(sim.docker("exec two cat /f"), out("", "cat: can't open '/f': No such file or directory\n", 1));
    assert_eq!(sim.docker("run --rm busybox cat /f"), out("", "cat: can't open '/f': No such file or directory\n", 1));
    assert_eq!(sim.docker("rm -f one two"), out("one\ntwo\n", "", 0));
}

#[test]
fn ps_prints_templates_json_and_tables() {
    let sim = Sim::new();
    assert!(is_id(&sim.docker("run -d --name one --label story=ls busybox sleep 600").stdout));
    assert!(is_id(&sim.docker("create --name two --label story=ls busybox echo created only").stdout));
    assert_eq!(sim.docker_args(&["ps", "-a", "--format", "{{.Names}}"]), out("two\none\n", "", 0));
    assert_eq!(sim.docker_args(&["ps", "--format", "{{.Names}}"]), out("one\n", "", 0));
    assert_eq!(
        sim.docker_args(&["ps", "-a", "--filter", "status=created", "--format", "{{.Names}} {{.State}} {{.Command}}"]),
        out("two created \"echo created only\"\n", "", 0)
    );
    let table = sim.docker_args(&["ps", "-a", "--format", "table {{.Names}}\t{{.Image}}\t{{.Labels}}"]);
    assert_eq!(
        table,
        out("NAMES     IMAGE     LABELS\ntwo       busybox   story=ls\none       busybox   story=ls\n", "", 0)
    );
    let json = sim.docker_args(&["ps", "--format", "{{json .}}"]);
    let v: serde_json::Value = serde_json::from_str(json.stdout.trim()).expect("one JSON object");
    assert_eq!(v["Names"], "one");
    assert_eq!(v["Command"], "\"sleep 600\"");
    assert_eq!(v["Labels"], "story=ls");
    assert_eq!(v["State"], "running");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "Command",
            "CreatedAt",
            "ID",
            "Image",
            "Labels",
            "LocalVolumes",
            "Mounts",
            "Names",
            "Networks",
            "Platform",
            "Ports",
            "RunningFor",
            "Size",
            "State",
            "Status"
        ]
    );
    let default = sim.docker("ps");
    let lines: Vec<&str> = default.stdout.lines().collect();
    // CREATED and STATUS depend on the clock, so they are checked by shape; the columns line up with the header.
    let header = lines[0];
    let starts: Vec<usize> =
        ["IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"].iter().map(|h| header.find(h).unwrap()).collect();
    assert!(header.starts_with("CONTAINER ID   IMAGE     COMMAND       CREATED"), "{header}");
    let row = lines[1];
    let cell = |i: usize| row[starts[i]..starts.get(i + 1).copied().unwrap_or(row.len())].trim_end();
    assert!(is_id(&format!("{}{}\n", &row[..12], "0".repeat(52))), "{row}");
    assert_eq!([cell(0), cell(1), cell(4), cell(5)], ["busybox", "\"sleep 600\"", "", "one"]);
    assert!(cell(2).ends_with(" ago"), "{row}");
    assert!(cell(3).starts_with("Up "), "{row}");
    assert_eq!(sim.docker("ps --filter bogus=1"), out("", "Error response from daemon: invalid filter 'bogus'\n", 1));
    assert_eq!(
        sim.docker("ps --filter nokey"),
        out(
            "",
            "invalid argument \"nokey\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n",
            125
        )
    );
    assert_eq!(sim.docker_args(&["ps", "-a", "--filter", "name=^tw", "-q"]).stdout.len(), 13);
    assert_eq!(sim.docker_args(&["ps", "-n", "1", "--format", "{{.Names}}"]), out("two\n", "", 0));
}

#[test]
fn inspect_prints_dockers_shape_and_templates() {
    let sim = Sim::new();
    assert!(is_id(&sim.docker("run -d --name db -v dbdata:/data -p 18080:80 busybox sleep 600").stdout));
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{.State.Status}}", "db"]), out("running\n", "", 0));
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "db"]), out("dbdata\n", "", 0));
    assert_eq!(
        sim.docker_args(&[
            "container",
            "inspect",
            "-f",
            "{{.Name}} {{.Config.Image}} {{json .Config.Cmd}} {{.HostConfig.PortBindings}}",
            "db"
        ]),
        out("/db busybox [\"sleep\",\"600\"] map[80/tcp:[{ 18080}]]\n", "", 0)
    );
    let full = sim.docker("inspect db");
    let v: serde_json::Value = serde_json::from_str(&full.stdout).expect("JSON");
    let c = &v[0];
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(c),
        [
            "Id",
            "Created",
            "Path",
            "Args",
            "State",
            "Image",
            "ResolvConfPath",
            "HostnamePath",
            "HostsPath",
            "LogPath",
            "Name",
            "RestartCount",
            "Driver",
            "Platform",
            "MountLabel",
            "ProcessLabel",
            "AppArmorProfile",
            "ExecIDs",
            "HostConfig",
            "GraphDriver",
            "Mounts",
            "Config",
            "NetworkSettings"
        ]
    );
    assert_eq!(
        keys(&c["State"]),
        [
            "Status",
            "Running",
            "Paused",
            "Restarting",
            "OOMKilled",
            "Dead",
            "Pid",
            "ExitCode",
            "Error",
            "StartedAt",
            "FinishedAt"
        ]
    );
    assert_eq!(
        keys(&c["Config"]),
        [
            "Hostname",
            "Domainname",
            "User",
            "AttachStdin",
            "AttachStdout",
            "AttachStderr",
            "ExposedPorts",
            "Tty",
            "OpenStdin",
            "StdinOnce",
            "Env",
            "Cmd",
            "Image",
            "Volumes",
            "WorkingDir",
            "Entrypoint",
            "OnBuild",
            "Labels"
        ]
    );
    assert_eq!(
        c["Mounts"][0],
        serde_json::json!({
            "Type": "volume", "Name": "dbdata", "Source": c["Mounts"][0]["Source"], "Destination": "/data",
            "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""
        })
    );
    assert_eq!(c["NetworkSettings"]["Networks"]["bridge"]["IPAddress"], "172.17.0.2");
    assert_eq!(sim.docker("port db"), out("80/tcp -> 0.0.0.0:18080\n80/tcp -> [::]:18080\n", "", 0));
    assert_eq!(sim.docker("port db 81"), out("", "Error: No public port '81' published for db\n", 1));

    assert_eq!(sim.docker("inspect nosuch"), out("[]\n", "Error: No such object: nosuch\n", 1));
    assert_eq!(
        sim.docker("container inspect nosuch"),
        out("[]\n", "Error response from daemon: No such container: nosuch\n", 1)
    );
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{.Name}}", "dbdata", "db"]), out("dbdata\n/db\n", "", 0));
}

#[test]
fn logs_tail_and_time_stamp_lines() {
    let sim = Sim::new();
    let run = sim.docker_args(&[
        "run",
        "--name",
        "count",
        "busybox",
        "sh",
        "-c",
        "for i in 1 2 3; do echo line $i; done; echo err >&2",
    ]);
    assert_eq!(run, out("line 1\nline 2\nline 3\n", "err\n", 0));
    assert_eq!(sim.docker("logs --tail 2 count"), out("line 3\n", "err\n", 0));
    assert_eq!(sim.docker("logs -n 0 count"), out("", "", 0));
    let stamped = sim.docker("logs -t count");
    let first = stamped.stdout.lines().next().unwrap();
    assert_eq!(first.len(), "2026-11-28T19:37:16.776248431Z line 1".len(), "{first}");
    assert!(first.ends_with("Z line 1"));
    assert_eq!(
        sim.docker("logs --since xx count"),
        out("", "invalid value for \"since\": failed to parse value as time or duration: \"xx\"\n", 1)
    );
    assert_eq!(sim.docker("logs nosuch"), out("", "Error response from daemon: No such container: nosuch\n", 1));
    assert_eq!(sim.docker("start -a count"), out("line 1\nline 2\nline 3\n", "err\n", 0));
    assert_eq!(sim.docker("logs --tail 1 count"), out("", "err\n", 0));
}

#[test]
fn create_start_wait_and_prune() {
    let sim = Sim::new();
    let id = sim.docker_args(&["create", "--name", "later", "busybox", "sh", "-c", "exit 5"]);
    assert!(is_id(&id.stdout));
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{.State.Status}}", "later"]), out("created\n", "", 0));
    assert_eq!(sim.docker("start later"), out("later\n", "", 0));
    assert_eq!(sim.docker("wait later"), out("5\n", "", 0));
    assert_eq!(
        sim.docker("start later nosuch"),
        out(
            "later\n",
            "Error response from daemon: No such container: nosuch\nError: failed to start containers: nosuch\n",
            1
        )
    );
    assert_eq!(sim.docker("wait later"), out("5\n", "", 0));
    assert_eq!(
        sim.docker("container prune"),
        out("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ", "", 0)
    );
    let pruned = sim.docker("container prune -f");
    assert_eq!(pruned.stdout, format!("Deleted Containers:\n{}\nTotal reclaimed space: 0B\n", id.stdout));
    assert_eq!(sim.docker("container prune -f"), out("Total reclaimed space: 0B\n", "", 0));
}

#[test]
fn kill_sends_signals_and_restart_runs_again() {
    let sim = Sim::new();
    assert!(is_id(&sim.docker("run -d --name kk busybox sleep 600").stdout));
    // The toolbox's sleep, like busybox's as PID 1, ignores TERM: the container keeps running.
    assert_eq!(sim.docker("kill -s TERM kk"), out("kk\n", "", 0));
    assert_eq!(sim.docker_args(&["inspect", "-f", "{{.State.Running}}", "kk"]), out("true\n", "", 0));
    assert_eq!(sim.docker("kill kk"), out("kk\n", "", 0));
    assert_eq!(
        sim.docker_args(&["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "kk"]),
        out("exited 137\n", "", 0)
    );
    let id = sim.docker_args(&["inspect", "-f", "{{.Id}}", "kk"]).stdout;
    assert_eq!(
        sim.docker("kill kk"),
        out(
            "",
            &format!("Error response from daemon: cannot kill container: kk: Container {} is not running\n", id.trim()),
            1
        )
    );
    assert_eq!(sim.docker("restart -t 0 kk"), out("kk\n", "", 0));
    assert_eq!(
        sim.docker_args(&["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "kk"]),
        out("running 0\n", "", 0)
    );
    assert_eq!(sim.docker("rm -f kk"), out("kk\n", "", 0));
}
