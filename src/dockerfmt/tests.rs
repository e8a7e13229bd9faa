//! Expectations captured from the real Docker 28.2.2 CLI (against a 20.10 daemon): `testdata/list_cases.json`
//! holds the rows `--format json` printed and the output of list commands; `testdata/inspect_cases.json` the
//! output of `docker inspect --format …` on the objects in `testdata/*.json`.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Value, json};

use super::*;

#[derive(Deserialize)]
struct Case {
    args: Vec<String>,
    stdout: String,
    stderr: String,
    status: i32,
}

#[derive(Deserialize)]
struct ListCapture {
    rows: HashMap<String, String>,
    cases: Vec<Case>,
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("row JSON")).collect()
}

fn check(label: &str, got: Result<String, FormatError>, stdout: &str, stderr: &str, status: i32) -> bool {
    let (out, err, st) = match got {
        Ok(out) => (out, String::new(), 0),
        Err(e) => (String::new(), format!("{}\n", e.message), e.status),
    };
    if out == stdout && err == stderr && st == status {
        return true;
    }
    eprintln!(
        "MISMATCH {label}\n--- want stdout\n{stdout}--- got stdout\n{out}--- want stderr\n{stderr}--- got stderr\n{err}--- status {status} / {st}"
    );
    false
}

#[test]
fn list_commands_match_docker() {
    let capture: ListCapture = serde_json::from_str(include_str!("testdata/list_cases.json")).unwrap();
    let mut failed = 0;
    for case in &capture.cases {
        let a = &case.args;
        let has = |f: &str| a.iter().any(|x| x == f);
        let format = a.iter().position(|x| x == "--format").map(|i| a[i + 1].as_str());
        let kind = match a[0].as_str() {
            "ps" => ListKind::Containers,
            "images" => ListKind::Images,
            "volume" => ListKind::Volumes,
            "network" => ListKind::Networks,
            _ => ListKind::History,
        };
        let uses_size = has("--size") || format.is_some_and(|f| f.contains(".Size") || f.contains("json ."));
        let rows = match (kind, has("--no-trunc")) {
            (ListKind::Containers, true) => "ps_notrunc",
            (ListKind::Containers, false) if uses_size => "ps_size",
            (ListKind::Containers, false) => "ps",
            (ListKind::Images, true) => "images_notrunc",
            (ListKind::Images, false) => "images",
            (ListKind::Volumes, _) => "volumes",
            (ListKind::Networks, true) => "networks_notrunc",
            (ListKind::Networks, false) => "networks",
            (ListKind::History, true) => "history_notrunc",
            (ListKind::History, false) if has("-H=false") => "history_raw",
            (ListKind::History, false) => "history",
        };
        let list = ListFormat {
            quiet: has("-q"),
            size: has("--size"),
            digests: has("--digests"),
            human: !has("-H=false"),
            ..ListFormat::new(kind)
        };
        let got = render_rows(format, &lines(&capture.rows[rows]), &list);
        if !check(&format!("{a:?}"), got, &case.stdout, &case.stderr, case.status) {
            failed += 1;
        }
    }
    assert_eq!(failed, 0, "{failed} of {} list cases differ from Docker", capture.cases.len());
}

#[derive(Deserialize)]
struct InspectCase {
    object: String,
    format: String,
    stdout: String,
    stderr: String,
    status: i32,
}

fn object(name: &str) -> Value {
    let text = match name {
        "dfx" => include_str!("testdata/dfx.json"),
        "dfy" => include_str!("testdata/dfy.json"),
        "dfvol" => include_str!("testdata/dfvol.json"),
        "dfnet" => include_str!("testdata/dfnet.json"),
        _ => include_str!("testdata/busybox.json"),
    };
    let v: Value = serde_json::from_str(text).unwrap();
    v[0].clone()
}

fn inspect(format: &str, objects: &[Value]) -> InspectOutput {
    match Inspector::new(Some(format)) {
        Err(e) => InspectOutput { stdout: String::new(), stderr: format!("{}\n", e.message), status: e.status },
        Ok(mut i) => {
            for o in objects {
                i.add(o);
            }
            i.finish()
        }
    }
}

#[test]
fn inspect_matches_docker() {
    let cases: Vec<InspectCase> = serde_json::from_str(include_str!("testdata/inspect_cases.json")).unwrap();
    let mut failed = 0;
    for c in &cases {
        // Docker re-marshals `.` through the client's own Go types, so with a 20.10 daemon `{{json .}}` shows
        // Docker 28's field order and field set, not the daemon's; the simulated engine writes Docker 28's.
        if c.format == "{{json .}}" {
            continue;
        }
        let got = inspect(&c.format, &[object(&c.object)]);
        if got.stdout != c.stdout || got.stderr != c.stderr || got.status != c.status {
            eprintln!(
                "MISMATCH {} {:?}\n--- want\n{}{}--- got\n{}{}--- status {} / {}",
                c.object, c.format, c.stdout, c.stderr, got.stdout, got.stderr, c.status, got.status
            );
            failed += 1;
        }
    }
    assert_eq!(failed, 0, "{failed} of {} inspect cases differ from Docker", cases.len());
}

#[test]
fn inspect_collects_errors_in_order_and_keeps_going() {
    let mut i = Inspector::new(Some("{{.Name}}")).unwrap();
    i.add(&object("dfx"));
    i.add_error("Error: No such object: nonexist");
    i.add(&object("dfy"));
    let out = i.finish();
    assert_eq!(out.stdout, "/dfx\n/dfy\n");
    assert_eq!(out.stderr, "Error: No such object: nonexist\n");
    assert_eq!(out.status, 1);
    // Nothing printed at all still prints an empty line, as Docker does.
    let mut i = Inspector::new(Some("{{.Nope}}")).unwrap();
    i.add(&object("dfx"));
    assert_eq!(i.finish().stdout, "\n");
    assert_eq!(Inspector::new(None).unwrap().finish().stdout, "[]\n");
}

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
}

// 2026-11-28 18:31:22 UTC, when dfx was created.
const DFX_CREATED: i64 = 1_795_890_682;

fn ps_rows() -> Vec<PsRow> {
    let port = |ip: Option<&str>, private_port, public_port, proto: &str| PortSummary {
        ip: ip.map(|s| s.parse().unwrap()),
        private_port,
        public_port,
        proto: proto.into(),
    };
    vec![
        PsRow {
            id: "df184de774b5eab4d346dd92765347808f48236bf8a20b0e66492dfb4e38d742".into(),
            names: vec!["/dfy".into()],
            image: "busybox".into(),
            image_id: "sha256:11da4aa4522143ebc4e3f5a113f03c0625bd24de951eb2ce76b19b30e3a4b6a4".into(),
            command: "sh -c 'exit 3'".into(),
            created: DFX_CREATED + 1,
            state: "exited".into(),
            status: container_status(&ContainerState {
                exit_code: 3,
                since_started: Some(Duration::from_secs(3)),
                since_finished: Some(Duration::from_millis(2500)),
                ..ContainerState::default()
            }),
            networks: vec!["bridge".into()],
            ..PsRow::default()
        },
        PsRow {
            id: "4d5f1cc898c375a794498818dd55f9f854036475306ccd0178260bafbbb5a014".into(),
            names: vec!["/dfx".into()],
            image: "busybox".into(),
            command: "sleep 600".into(),
            created: DFX_CREATED,
            state: "running".into(),
            status: container_status(&ContainerState {
                running: true,
                since_started: Some(Duration::from_millis(2900)),
                ..ContainerState::default()
            }),
            ports: vec![port(Some("0.0.0.0"), 80, 8080, "tcp"), port(Some("::"), 80, 8080, "tcp")],
            labels: vec![("zz".into(), "1".into()), ("com.example.a".into(), "b<&>".into())],
            mounts: vec![MountSummary {
                name: "dfvol".into(),
                source: "/var/lib/docker/volumes/dfvol/_data".into(),
                driver: "local".into(),
            }],
            networks: vec!["bridge".into()],
            ..PsRow::default()
        },
    ]
}

#[test]
fn ps_table_from_rows() {
    // The first `docker ps -a` of the session, four seconds after dfx was created.
    let now = at(DFX_CREATED + 4);
    let want = "\
CONTAINER ID   IMAGE     COMMAND            CREATED         STATUS                     PORTS                                     NAMES
df184de774b5   busybox   \"sh -c 'exit 3'\"   3 seconds ago   Exited (3) 2 seconds ago                                             dfy
4d5f1cc898c3   busybox   \"sleep 600\"        4 seconds ago   Up 2 seconds               0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   dfx
";
    assert_eq!(render_ps(&ps_rows(), &PsOptions::default(), now).unwrap(), want);
    let json = render_ps(&ps_rows(), &PsOptions { format: Some("{{json .}}"), ..PsOptions::default() }, now).unwrap();
    assert_eq!(
        json.lines().nth(1).unwrap(),
        r#"{"Command":"\"sleep 600\"","CreatedAt":"2026-11-28 18:31:22 +0000 UTC","ID":"4d5f1cc898c3","Image":"busybox","Labels":"com.example.a=b\u003c\u0026\u003e,zz=1","LocalVolumes":"1","Mounts":"dfvol","Names":"dfx","Networks":"bridge","Platform":null,"Ports":"0.0.0.0:8080-\u003e80/tcp, [::]:8080-\u003e80/tcp","RunningFor":"4 seconds ago","Size":"0B","State":"running","Status":"Up 2 seconds"}"#
    );
    let quiet = render_ps(&ps_rows(), &PsOptions { quiet: true, no_trunc: true, ..PsOptions::default() }, now).unwrap();
    assert_eq!(
        quiet,
        "df184de774b5eab4d346dd92765347808f48236bf8a20b0e66492dfb4e38d742\n\
         4d5f1cc898c375a794498818dd55f9f854036475306ccd0178260bafbbb5a014\n"
    );
    // No containers: the header alone; a plain format prints nothing.
    assert_eq!(
        render_ps(&[], &PsOptions::default(), now).unwrap(),
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
    );
    assert_eq!(render_ps(&[], &PsOptions { format: Some("{{.Names}}"), ..PsOptions::default() }, now).unwrap(), "");
}

#[test]
fn command_is_quoted_and_truncated() {
    let row = PsRow { command: "sh -c 'while true; do echo hi; done'".into(), ..PsRow::default() };
    let v = row.to_value(true, at(0));
    assert_eq!(v["Command"], json!("\"sh -c 'while true; …\""));
    assert_eq!(row.to_value(false, at(0))["Command"], json!("\"sh -c 'while true; do echo hi; done'\""));
    let tabbed = PsRow { command: "echo\t\"x\"".into(), ..PsRow::default() };
    assert_eq!(tabbed.to_value(false, at(0))["Command"], json!("\"echo\\t\\\"x\\\"\""));
}

#[test]
fn other_tables_from_rows() {
    let now = at(1_795_888_685 + 50 * 60 + 10);
    let images = vec![ImageRow {
        id: "sha256:11da4aa4522143ebc4e3f5a113f03c0625bd24de951eb2ce76b19b30e3a4b6a4".into(),
        repository: "busybox".into(),
        tag: "latest".into(),
        digest: "<none>".into(),
        created: 1_795_888_685,
        size: 1_985_472,
        containers: -1,
        shared_size: -1,
    }];
    assert_eq!(
        render_images(&images, &ListOptions::default(), now).unwrap(),
        "REPOSITORY   TAG       IMAGE ID       CREATED          SIZE\nbusybox      latest    11da4aa45221   50 minutes ago   1.99MB\n"
    );
    let volumes = vec![
        VolumeRow { driver: "local".into(), name: "dfvol".into(), scope: "local".into(), ..VolumeRow::default() },
        VolumeRow { driver: "local".into(), name: "dfvol2".into(), scope: "local".into(), ..VolumeRow::default() },
    ];
    assert_eq!(
        render_volumes(&volumes, &ListOptions::default()).unwrap(),
        "DRIVER    VOLUME NAME\nlocal     dfvol\nlocal     dfvol2\n"
    );
    let net = |id: &str, name: &str, driver: &str| NetworkRow {
        id: id.into(),
        name: name.into(),
        driver: driver.into(),
        scope: "local".into(),
        ..NetworkRow::default()
    };
    let networks = vec![
        net("35a9591867967848ec6e63c6560eae5c3531e7c61c4fdf8a868e98fd4e678de0", "bridge", "bridge"),
        net("4c38a36b2141b2bab9008748f6211f90f3190b3dc675594b2c7e55e3ec9aad9d", "host", "host"),
        net("292c0fa13512ef30424e713690843313c55f69178494669170c2a8a176944e59", "none", "null"),
    ];
    assert_eq!(
        render_networks(&networks, &ListOptions::default()).unwrap(),
        "NETWORK ID     NAME      DRIVER    SCOPE\n35a959186796   bridge    bridge    local\n\
         4c38a36b2141   host      host      local\n292c0fa13512   none      null      local\n"
    );
    let layer = |id: &str, by: &str, size| HistoryRow {
        id: id.into(),
        created: 1_795_888_685,
        created_by: by.into(),
        size,
        comment: String::new(),
    };
    let history = vec![
        layer(
            "sha256:11da4aa4522143ebc4e3f5a113f03c0625bd24de951eb2ce76b19b30e3a4b6a4",
            "/bin/sh -c #(nop)  CMD [\"sh\"]",
            0,
        ),
        layer("<missing>", "/bin/busybox --install -s /bin", 3216),
        layer(
            "sha256:f8ee65db745d2bdc393fb07ffcdf553cc6f5fb6de6fb8178d5b629950f2623f2",
            "/bin/sh -c #(nop) COPY file:73e2b2d48642b21b357384b0cb81c1869cc5e0c48a00f61553756196058304b9 in /bin/busybox ",
            1_982_256,
        ),
    ];
    let now = at(1_795_888_685 + 33 * 60);
    assert_eq!(
        render_history(&history, &ListOptions::default(), now).unwrap(),
        "\
IMAGE          CREATED          CREATED BY                                      SIZE      COMMENT
11da4aa45221   33 minutes ago   /bin/sh -c #(nop)  CMD [\"sh\"]                   0B        
<missing>      33 minutes ago   /bin/busybox --install -s /bin                  3.22kB    
f8ee65db745d   33 minutes ago   /bin/sh -c #(nop) COPY file:73e2b2d48642b21b…   1.98MB    
"
    );
    assert_eq!(
        render_history(&history[1..2], &ListOptions { human: false, ..ListOptions::default() }, now).unwrap(),
        "IMAGE       CREATED AT             CREATED BY                       SIZE      COMMENT\n\
         <missing>   2026-11-28T17:58:05Z   /bin/busybox --install -s /bin   3216      \n"
    );
}

#[test]
fn docker_port_lines() {
    let b = |p: &str, ip: &str, hp: &str| PortBinding {
        container_port: p.into(),
        host_ip: ip.into(),
        host_port: hp.into(),
    };
    let bindings = vec![b("80/tcp", "::", "8080"), b("80/tcp", "0.0.0.0", "8080"), b("9000/udp", "0.0.0.0", "9000")];
    assert_eq!(
        port_lines("dfx", &bindings, None).unwrap(),
        "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n9000/udp -> 0.0.0.0:9000\n"
    );
    assert_eq!(port_lines("dfx", &bindings, Some("80")).unwrap(), "0.0.0.0:8080\n[::]:8080\n");
    assert_eq!(port_lines("dfx", &bindings, Some("81")).unwrap_err(), "Error: No public port '81' published for dfx");
    assert_eq!(
        port_lines("dfx", &bindings, Some("80/udp")).unwrap_err(),
        "Error: No public port '80/udp' published for dfx"
    );
    assert_eq!(
        port_lines("dfx", &bindings, Some("abc")).unwrap_err(),
        "Error: invalid port (abc): strconv.ParseUint: parsing \"abc\": invalid syntax"
    );
    assert_eq!(port_lines("dfy", &[], None).unwrap(), "");
}

#[test]
fn ports_column() {
    let p = |ip: Option<&str>, private_port, public_port, proto: &str| PortSummary {
        ip: ip.map(|s| s.parse().unwrap()),
        private_port,
        public_port,
        proto: proto.into(),
    };
    // dfz: -p 8080:80 -p 9000-9001:9000-9001/udp -p 127.0.0.1:5000:5000
    let ports = vec![
        p(Some("0.0.0.0"), 80, 8080, "tcp"),
        p(Some("::"), 80, 8080, "tcp"),
        p(Some("0.0.0.0"), 9000, 9000, "udp"),
        p(Some("::"), 9000, 9000, "udp"),
        p(Some("0.0.0.0"), 9001, 9001, "udp"),
        p(Some("::"), 9001, 9001, "udp"),
        p(Some("127.0.0.1"), 5000, 5000, "tcp"),
    ];
    assert_eq!(
        displayable_ports(&ports),
        "127.0.0.1:5000->5000/tcp, 0.0.0.0:9000-9001->9000-9001/udp, [::]:9000-9001->9000-9001/udp, \
         0.0.0.0:8080->80/tcp, [::]:8080->80/tcp"
    );
    assert_eq!(displayable_ports(&[p(None, 80, 0, "tcp"), p(None, 443, 0, "tcp")]), "80/tcp, 443/tcp");
    assert_eq!(displayable_ports(&[]), "");
}

#[test]
fn durations() {
    let d = Duration::from_secs;
    let cases = [
        (Duration::from_millis(450), "Less than a second"),
        (d(1), "1 second"),
        (d(47), "47 seconds"),
        (d(60), "About a minute"),
        (d(3 * 60), "3 minutes"),
        (d(35 * 60 + 40), "35 minutes"),
        (d(3600), "About an hour"),
        (d(3600 + 29 * 60), "About an hour"),
        (d(3600 + 31 * 60), "2 hours"),
        (d(36 * 3600), "36 hours"),
        (d(2 * 86400), "2 days"),
        (d(13 * 86400 + 5 * 3600), "13 days"),
        (d(14 * 86400), "2 weeks"),
        (d(30 * 86400), "4 weeks"),
        (d(60 * 86400), "2 months"),
        (d(24 * 30 * 86400), "24 months"),
        (d(24 * 30 * 86400 + 14 * 86400), "2 years"),
        (d(3 * 365 * 86400 + 60 * 86400), "3 years"),
    ];
    for (dur, want) in cases {
        assert_eq!(human_duration(dur), want, "{dur:?}");
    }
    let state = |running, since_started, since_finished, exit_code| ContainerState {
        running,
        exit_code,
        since_started,
        since_finished,
        ..ContainerState::default()
    };
    assert_eq!(container_status(&state(true, Some(d(3)), None, 0)), "Up 3 seconds");
    assert_eq!(container_status(&state(false, Some(d(400)), Some(d(300)), 0)), "Exited (0) 5 minutes ago");
    assert_eq!(container_status(&state(false, None, None, 0)), "Created");
    assert_eq!(
        container_status(&ContainerState { paused: true, ..state(true, Some(d(7200)), None, 0) }),
        "Up 2 hours (Paused)"
    );
    assert_eq!(
        container_status(&ContainerState { health: Some("starting".into()), ..state(true, Some(d(0)), None, 0) }),
        "Up Less than a second (health: starting)"
    );
}

#[test]
fn sizes() {
    let cases = [
        (0.0, "0B"),
        (999.0, "999B"),
        (1000.0, "1kB"),
        (3216.0, "3.22kB"),
        (12_345.0, "12.3kB"),
        (999_900.0, "1e+03kB"),
        (1_982_256.0, "1.98MB"),
        (1_985_472.0, "1.99MB"),
        (4_260_000.0, "4.26MB"),
        (1_500_000_000.0, "1.5GB"),
    ];
    for (n, want) in cases {
        assert_eq!(human_size_with_precision(n, 3), want, "{n}");
    }
    assert_eq!(human_size(1_985_472.0), "1.985MB");
}

#[test]
fn ids_and_ellipsis() {
    assert_eq!(truncate_id("sha256:11da4aa4522143ebc4e3f5a113f03c0625bd24de951eb2ce76b19b30e3a4b6a4"), "11da4aa45221");
    assert_eq!(truncate_id("<missing>"), "<missing>");
    assert_eq!(ellipsis("sleep 600", 20), "sleep 600");
    assert_eq!(ellipsis("abcdefghijklmnopqrstuvwxyz", 20), "abcdefghijklmnopqrs…");
    // Wide characters count twice.
    assert_eq!(ellipsis("도커를 배워 봅시다 지금 바로", 10), "도커를 배…");
}

fn run(format: &str, data: &Value) -> Result<String, String> {
    Template::parse(format)?.execute(data, DataKind::Typed)
}

#[test]
fn template_forms() {
    let data = json!({
        "Name": "/web", "Args": ["a", "b"],
        "State": {"Status": "running", "Pid": 42},
        "Config": {"Env": ["A=1", "B=<&>"], "Labels": {"com.x": "y", "a": "b"}},
        "NetworkSettings": {
            "Networks": {"bridge": {"IPAddress": "172.17.0.2"}},
            "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}
        },
        "Mounts": [{"Type": "volume", "Source": "/v"}, {"Type": "bind", "Source": "/b"}],
        "Zed": 1, "Alpha": 2.5
    });
    let cases = [
        ("{{.Name}}", "/web"),
        ("{{.State.Status}}", "running"),
        ("{{.NetworkSettings.Networks.bridge.IPAddress}}", "172.17.0.2"),
        ("{{json .Config.Env}}", r#"["A=1","B=<&>"]"#),
        ("{{json .Config.Labels}}", r#"{"a":"b","com.x":"y"}"#),
        ("{{json .State}}", r#"{"Status":"running","Pid":42}"#),
        ("{{range .Mounts}}{{.Type}}:{{.Source}} {{end}}", "volume:/v bind:/b "),
        ("{{range $i, $m := .Mounts}}{{$i}}={{$m.Type}},{{end}}", "0=volume,1=bind,"),
        ("{{range .Config.Labels.nope}}x{{else}}empty{{end}}", "empty"),
        ("{{if eq .State.Status \"running\"}}up{{else}}down{{end}}", "up"),
        ("{{if ne .State.Pid 42}}a{{else if gt .State.Pid 40}}b{{else}}c{{end}}", "b"),
        ("{{len .Mounts}} {{len .Config.Labels}} {{len .Name}}", "2 2 4"),
        ("{{index .Config.Labels \"com.x\"}}", "y"),
        ("{{index .Args 1}}", "b"),
        ("{{join .Args \",\"}}", "a,b"),
        ("{{upper .Name}} {{lower \"AbC\"}} {{title \"hello docker world\"}}", "/WEB abc Hello Docker World"),
        ("{{split \"a,b,c\" \",\"}} {{len (split \"a,b\" \",\")}}", "[a b c] 2"),
        ("{{truncate .Name 2}}|{{truncate .Name 10}}", "/w|/web"),
        ("[{{pad .Name 1 1}}]", "[ /web ]"),
        ("{{println .Name}}", "/web\n"),
        ("{{printf \"%s has pid %d\" .Name .State.Pid}}", "/web has pid 42"),
        ("{{$x := .State.Pid}}{{$x}} {{$x = 7}}{{$x}}", "42 7"),
        ("{{and .Name .Args}} {{or \"\" .Name}} {{not .Name}}", "[a b] /web false"),
        ("{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 1 2}} {{eq .Name \"/x\" \"/web\"}}", "true true false false true"),
        ("{{.Name | upper | printf \"<%s>\"}}", "</WEB>"),
        ("a  {{- .Name -}}  b", "a/webb"),
        ("{{/* comment */}}x", "x"),
        ("{{with .State}}{{.Status}}{{end}}", "running"),
        ("{{.Config.Labels.nope}}", "<no value>"),
        ("{{.Alpha}} {{.Zed}}", "2.5 1"),
        (
            "{{json .}}",
            r#"{"Name":"/web","Args":["a","b"],"State":{"Status":"running","Pid":42},"Config":{"Env":["A=1","B=<&>"],"Labels":{"a":"b","com.x":"y"}},"NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"}},"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}]}},"Mounts":[{"Type":"volume","Source":"/v"},{"Type":"bind","Source":"/b"}],"Zed":1,"Alpha":2.5}"#,
        ),
    ];
    for (format, want) in cases {
        assert_eq!(run(format, &data).as_deref(), Ok(want), "{format}");
    }
    // Through the inspect path, a string index into a nat.PortMap falls back to raw maps, as in Docker.
    let out = inspect("{{index .NetworkSettings.Ports \"80/tcp\"}}", std::slice::from_ref(&data));
    assert_eq!(out.stdout, "[map[HostIp:0.0.0.0 HostPort:8080]]\n");
}

#[test]
fn template_errors() {
    let data = json!({"Name": "/web", "Config": {"Labels": {}}});
    let row = json!({"ID": "abc", "Names": "web"});
    let parse = |f: &str| Template::parse(f).unwrap_err();
    assert_eq!(parse("{{.Name"), "template: :1: unclosed action");
    assert_eq!(parse("{{nope}}"), "template: :1: function \"nope\" not defined");
    assert_eq!(parse("{{end}}"), "template: :1: unexpected {{end}}");
    assert_eq!(parse("{{if .X}}"), "template: :1: unexpected EOF");
    assert_eq!(parse("{{.X | 3}}"), "template: :1: non executable command in pipeline stage 2");
    assert_eq!(parse("x\n{{$y}}"), "template: :2: undefined variable \"$y\"");
    assert_eq!(parse("{{.X ,}}"), "template: :1: unexpected \",\" in operand");
    assert_eq!(parse("{{3x}}"), "template: :1: bad number syntax: \"3x\"");
    let labels = Template::parse("{{.Config.Labels.Nope}}").unwrap();
    assert_eq!(labels.execute(&data, DataKind::Typed).unwrap(), "<no value>");
    let t = Template::parse("{{.Nope}}").unwrap();
    assert!(t.execute(&data, DataKind::Typed).is_err());
    assert_eq!(
        t.execute(&data, DataKind::Raw).unwrap_err(),
        "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\""
    );
    assert_eq!(
        t.execute(&row, DataKind::Row(ListKind::Containers)).unwrap_err(),
        "template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext"
    );
    let t = Template::parse("x\n  {{.Name.Foo}}").unwrap();
    assert_eq!(
        t.execute(&row, DataKind::Row(ListKind::Containers)).unwrap_err(),
        "template: :2:9: executing \"\" at <.Name.Foo>: can't evaluate field Name in type *formatter.ContainerContext"
    );
}

#[test]
fn table_headers_follow_docker() {
    let rows = [json!({"ID": "abc", "Names": "web", "Labels": "a=b,com.x.y-z=2", "State": "running"})];
    let ps = ListFormat::new(ListKind::Containers);
    let out = render_rows(Some("table {{.Label \"com.x.y-z\"}}\t{{.Names}}"), &rows, &ps).unwrap();
    assert_eq!(out, "y z       NAMES\n2         web\n");
    // Header functions leave titles alone; an error in the header keeps what was printed before it.
    let out = render_rows(Some("table {{lower .Names}}\\t{{json .}}"), &rows, &ps).unwrap();
    assert_eq!(
        out,
        "NAMES     \nweb       {\"ID\":\"abc\",\"Labels\":\"a=b,com.x.y-z=2\",\"Names\":\"web\",\"State\":\"running\"}\n"
    );
    // With no rows, an unknown field shows as <no value> in the header of other lists.
    let vols = ListFormat::new(ListKind::Volumes);
    assert_eq!(render_rows(Some("table {{.Nope}}"), &[], &vols).unwrap(), "<no value>\n");
    // Tabwriter: minimum width 10, padding 3, wide characters take two columns.
    let out = render_rows(Some("table {{.Names}}\t{{.ID}}"), &[json!({"ID": "1", "Names": "도커"})], &vols).unwrap();
    assert_eq!(out, "<no value>   ID\n도커         1\n");
}
