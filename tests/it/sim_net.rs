//! Containers talking over the simulated network: names on user-defined networks, none on the default bridge,
//! `--network none`, busybox's `ping`, `wget`, `nslookup` and `httpd` between containers, and the shell's `curl`
//! through a published port. Expected texts are busybox 1.35's and curl's, observed between real containers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use docklings::engine::sim::SimEngine;

use super::sim_support::{Out, curl, docker, fresh, out};

struct Sim {
    _home: tempfile::TempDir,
    engine: Arc<SimEngine>,
}

impl Sim {
    fn new() -> Sim {
        let (home, engine) = fresh(Some("busybox:latest"));
        Sim { _home: home, engine }
    }

    fn docker(&self, words: &[&str]) -> Out {
        docker(&self.engine, words)
    }

    fn curl(&self, words: &[&str]) -> Out {
        curl(&self.engine, words)
    }

    /// A container's address, as `hostname -i` inside it says.
    fn ip(&self, name: &str) -> String {
        let o = self.docker(&["exec", name, "hostname", "-i"]);
        assert_eq!(o.status, 0, "{o:?}");
        o.stdout.trim().to_string()
    }

    /// A web server in the background: `hello` at `/`.
    fn web(&self, name: &str, extra: &[&str]) {
        let mut words = vec!["run", "-d", "--name", name];
        words.extend_from_slice(extra);
        words.extend_from_slice(&[
            "busybox",
            "sh",
            "-c",
            "mkdir -p /www && echo hello > /www/index.html && httpd -f -p 80 -h /www",
        ]);
        let o = self.docker(&words);
        assert_eq!(o.status, 0, "{o:?}");
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // Servers never end by themselves.
        let ids = self.docker(&["ps", "-q"]).stdout;
        for id in ids.lines() {
            let _ = self.docker(&["kill", id]);
        }
    }
}

/// Retries until the answer is what `ok` wants (a server in a new container takes a moment to listen).
fn eventually(mut f: impl FnMut() -> Out, ok: impl Fn(&Out) -> bool) -> Out {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let o = f();
        if ok(&o) || Instant::now() > deadline {
            return o;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn containers_on_a_user_network_find_each_other_by_name() {
    let sim = Sim::new();
    assert_eq!(sim.docker(&["network", "create", "app"]).status, 0);
    sim.web("web", &["--network", "app"]);
    assert_eq!(sim.docker(&["run", "-d", "--name", "peer", "--network", "app", "busybox", "sleep", "600"]).status, 0);
    let (web, b) = (sim.ip("web"), sim.ip("peer"));
    assert!(web.starts_with("172.") && b.starts_with("172.") && web != b, "{web} {b}");

    let ping = sim.docker(&["run", "--rm", "--network", "app", "busybox", "ping", "-c1", "peer"]);
    assert_eq!((ping.stderr.as_str(), ping.status), ("", 0), "{ping:?}");
    let lines: Vec<&str> = ping.stdout.lines().collect();
    assert_eq!(lines[0], format!("PING peer ({b}): 56 data bytes"));
    assert!(lines[1].starts_with(&format!("64 bytes from {b}: seq=0 ttl=64 time=")) && lines[1].ends_with(" ms"));
    assert_eq!(
        lines[2..5],
        ["", "--- peer ping statistics ---", "1 packets transmitted, 1 packets received, 0% packet loss"]
    );
    assert!(lines[5].starts_with("round-trip min/avg/max = "), "{ping:?}");

    let get = || sim.docker(&["run", "--rm", "--network", "app", "busybox", "wget", "-qO-", "http://web/"]);
    assert_eq!(eventually(get, |o| o.status == 0), out("hello\n", "", 0));
    let loud = sim.docker(&["run", "--rm", "--network", "app", "busybox", "wget", "-O-", "http://web/"]);
    assert_eq!(
        loud,
        out(
            "hello\n",
            &format!(
                "Connecting to web ({web}:80)\nwriting to stdout\n-                    100% |{}|     6  0:00:00 ETA\nwritten to stdout\n",
                "*".repeat(32)
            ),
            0
        )
    );
    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "app", "busybox", "wget", "-q", "http://web/nope"]),
        out("", "wget: server returned error: HTTP/1.1 404 Not Found\n", 1)
    );
    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "app", "busybox", "wget", "-O-", "http://web:81/"]),
        out(
            "",
            &format!(
                "Connecting to web:81 ({web}:81)\nwget: can't connect to remote host ({web}): Connection refused\n"
            ),
            1
        )
    );
    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "app", "busybox", "wget", "-O-", "http://nosuch/"]),
        out("", "wget: bad address 'nosuch'\n", 1)
    );
    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "app", "busybox", "nslookup", "peer"]),
        out(
            &format!(
                "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tpeer\nAddress: {b}\n\nNon-authoritative answer:\n\n"
            ),
            "",
            0
        )
    );
    // An exec shares the container's network namespace: loopback reaches its own server.
    assert_eq!(sim.docker(&["exec", "web", "wget", "-qO-", "http://localhost/"]), out("hello\n", "", 0));
    // A raw request through nc gets httpd's own answer.
    let nc = sim.docker(&[
        "run",
        "--rm",
        "--network",
        "app",
        "busybox",
        "sh",
        "-c",
        "printf 'GET /x HTTP/1.0\\r\\n\\r\\n' | nc web 80",
    ]);
    assert!(
        nc.stdout.starts_with("HTTP/1.1 404 Not Found\r\n") && nc.stdout.contains("The requested URL was not found"),
        "{nc:?}"
    );
}

#[test]
fn the_default_bridge_reaches_by_address_only() {
    let sim = Sim::new();
    assert_eq!(sim.docker(&["run", "-d", "--name", "peer", "busybox", "sleep", "600"]).status, 0);
    let b = sim.ip("peer");
    assert_eq!(
        sim.docker(&["run", "--rm", "busybox", "ping", "-c1", "peer"]),
        out("", "ping: bad address 'peer'\n", 1)
    );
    let by_ip = sim.docker(&["run", "--rm", "busybox", "ping", "-c1", &b]);
    assert_eq!(by_ip.status, 0, "{by_ip:?}");
    assert!(by_ip.stdout.contains("1 packets transmitted, 1 packets received"), "{by_ip:?}");
}

#[test]
fn network_none_and_foreign_addresses_reach_nothing() {
    let sim = Sim::new();
    sim.web("web", &[]);
    let web = sim.ip("web");
    let ready = || sim.docker(&["run", "--rm", "busybox", "wget", "-qO-", &format!("http://{web}/")]);
    assert_eq!(eventually(ready, |o| o.status == 0).stdout, "hello\n");

    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "none", "busybox", "wget", "-O-", &format!("http://{web}/")]),
        out(
            "",
            &format!(
                "Connecting to {web} ({web}:80)\nwget: can't connect to remote host ({web}): Network is unreachable\n"
            ),
            1
        )
    );
    assert_eq!(
        sim.docker(&["run", "--rm", "--network", "none", "busybox", "ping", "-c1", &web]),
        out(&format!("PING {web} ({web}): 56 data bytes\n"), "ping: sendto: Network is unreachable\n", 1)
    );
    // Nothing outside the simulation is ever reached: an address of no container fails.
    let outside = sim.docker(&["run", "--rm", "busybox", "wget", "-q", "-O-", "http://8.8.8.8/"]);
    assert_eq!(outside, out("", "wget: can't connect to remote host (8.8.8.8): Network is unreachable\n", 1));
    let nobody = sim.docker(&["run", "--rm", "busybox", "wget", "-q", "-O-", "http://172.17.0.200/"]);
    assert_eq!(nobody, out("", "wget: can't connect to remote host (172.17.0.200): No route to host\n", 1));
    let silent = sim.docker(&["run", "--rm", "busybox", "ping", "-c1", "-W1", "172.17.0.200"]);
    assert_eq!(
        silent,
        out(
            "PING 172.17.0.200 (172.17.0.200): 56 data bytes\n\n--- 172.17.0.200 ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n",
            "",
            1
        )
    );
}

#[test]
fn curl_reaches_a_published_port_and_fails_without_one() {
    let sim = Sim::new();
    sim.web("published", &["-p", "8080:80"]);
    sim.web("exposed", &[]);
    let got = eventually(|| sim.curl(&["-s", "http://localhost:8080/"]), |o| o.status == 0);
    assert_eq!(got, out("hello\n", "", 0));
    let head = sim.curl(&["-i", "http://127.0.0.1:8080/"]);
    assert!(head.stdout.starts_with("HTTP/1.1 200 OK\r\n") && head.stdout.ends_with("\r\n\r\nhello\n"), "{head:?}");
    assert_eq!(
        sim.curl(&["http://localhost:8081/"]),
        out("", "curl: (7) Failed to connect to localhost port 8081 after 0 ms: Couldn't connect to server\n", 7)
    );
    assert_eq!(sim.curl(&["-s", "http://localhost:8081/"]), out("", "", 7));

    // A stopped server's port is gone with it; killing one blocked in accept is prompt.
    let begun = Instant::now();
    assert_eq!(sim.docker(&["kill", "published"]).status, 0);
    assert!(begun.elapsed() < Duration::from_secs(5), "{:?}", begun.elapsed());
    assert_eq!(sim.curl(&["-s", "http://localhost:8080/"]).status, 7);
}
