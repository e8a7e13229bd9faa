//! Networks and published ports on the simulated engine, driven through `sim::cli::run` as `docklings shell`
//! drives them: what a learner sees (stdout, stderr, status), the files Docker writes into each container for its
//! network, and the model the runtime asks (`networks::resolve`, `addresses`, `published`). The expected texts
//! are Docker 28's, checked against a real daemon (tests/transcripts/DIFFERENCES.md says where 20.10 differs).

use std::net::Ipv4Addr;
use std::sync::Arc;

use docklings::engine::sim::{self, SimEngine, networks};

use super::sim_support::{Out, docker, fresh, out};

/// A simulated engine in a temporary folder, with busybox:latest pulled.
struct Sim {
    _home: tempfile::TempDir,
    engine: Arc<SimEngine>,
}

impl Sim {
    fn new() -> Sim {
        let (home, engine) = fresh(Some("busybox:latest"));
        Sim { _home: home, engine }
    }

    /// Runs `docker` with these words, split on spaces outside `{{ }}` (a template stays one word).
    fn docker(&self, line: &str) -> Out {
        let mut words: Vec<String> = Vec::new();
        let mut depth = 0usize;
        let mut word = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, &ch) in chars.iter().enumerate() {
            if ch == '{' && chars.get(i + 1) == Some(&'{') {
                depth += 1;
            } else if ch == '}' && i > 0 && chars[i - 1] == '}' {
                depth = depth.saturating_sub(1);
            }
            if ch == ' ' && depth == 0 {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            } else {
                word.push(ch);
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        self.docker_args(&words.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn docker_args(&self, words: &[&str]) -> Out {
        docker(&self.engine, words)
    }

    /// A command that must succeed; its stdout.
    fn ok(&self, line: &str) -> String {
        let o = self.docker(line);
        assert_eq!((o.status, o.stderr.as_str()), (0, ""), "`docker {line}` failed: {o:?}");
        o.stdout
    }

    fn ip(&self, container: &str, network: &str) -> String {
        let o = self.docker_args(&[
            "inspect",
            "--format",
            &format!("{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}"),
            container,
        ]);
        assert_eq!(o.status, 0, "{o:?}");
        o.stdout.trim().to_string()
    }

    fn id(&self, container: &str) -> String {
        self.ok(&format!("inspect --format {{{{.Id}}}} {container}")).trim().to_string()
    }

    fn read<T>(&self, f: impl FnOnce(&sim::state::State) -> T) -> T {
        self.engine.read(|st| Ok(f(st))).expect("the state reads")
    }
}

#[test]
fn create_list_inspect_and_remove_networks() {
    let sim = Sim::new();
    let id = sim.ok("network create --label team=a --internal --attachable -o com.docker.network.bridge.name=br0 app");
    assert_eq!(id.len(), 65, "a 64-hex id: {id:?}");
    sim.ok("network create --subnet 10.50.0.0/24 --gateway 10.50.0.254 --ip-range 10.50.0.128/25 ranged");
    let table = sim.ok("network ls");
    let names: Vec<&str> = table.lines().skip(1).map(|l| l.split_whitespace().nth(1).unwrap_or("")).collect();
    assert_eq!(names, ["app", "bridge", "host", "none", "ranged"], "sorted by name:\n{table}");
    assert!(table.starts_with("NETWORK ID     NAME      DRIVER    SCOPE\n"), "{table}");
    assert_eq!(sim.ok("network ls --filter type=custom --format {{.Name}}"), "app\nranged\n");
    assert_eq!(sim.ok("network ls --filter driver=null --format {{.Name}}"), "none\n");
    assert_eq!(
        sim.ok("network ls --filter label=team=a --format {{.Name}}:{{.Labels}}:{{.Internal}}"),
        "app:team=a:true\n"
    );
    assert_eq!(sim.ok("network ls -q --no-trunc --filter name=app"), id);
    assert_eq!(sim.ok("network ls -q --filter name=app"), format!("{}\n", &id[..12]));
    assert_eq!(
        sim.docker("network ls --filter type=bogus"),
        out("", "Error response from daemon: invalid filter: 'type'='bogus'\n", 1)
    );

    // The JSON keys in Docker 28.2's order; the default pool after 172.17.0.0/16 is 172.18.0.0/16.
    let json = sim.ok("network inspect app");
    let keys: Vec<&str> =
        json.lines().filter(|l| l.starts_with("        \"")).map(|l| l.trim().split('"').nth(1).unwrap()).collect();
    assert_eq!(
        keys,
        [
            "Name",
            "Id",
            "Created",
            "Scope",
            "Driver",
            "EnableIPv4",
            "EnableIPv6",
            "IPAM",
            "Internal",
            "Attachable",
            "Ingress",
            "ConfigFrom",
            "ConfigOnly",
            "Containers",
            "Options",
            "Labels"
        ]
    );
    assert!(json.contains("\"Subnet\": \"172.18.0.0/16\",\n                    \"Gateway\": \"172.18.0.1\""), "{json}");
    assert!(json.contains("\"Attachable\": true") && json.contains("\"Internal\": true"), "{json}");
    assert!(json.contains("\"com.docker.network.bridge.name\": \"br0\""), "{json}");
    let ranged = sim.ok("network inspect --format {{json .IPAM.Config}} ranged");
    assert_eq!(ranged, "[{\"Subnet\":\"10.50.0.0/24\",\"IPRange\":\"10.50.0.128/25\",\"Gateway\":\"10.50.0.254\"}]\n");
    assert_eq!(
        sim.docker("network inspect nope"),
        out("[]\n", "Error response from daemon: network nope not found\n", 1)
    );
    // `docker inspect` finds networks too.
    assert_eq!(sim.ok("inspect --format {{.Driver}}/{{.Scope}} ranged"), "bridge/local\n");

    // Addresses come from the range, the gateway is the one asked for.
    sim.ok("run -d --name r1 --network ranged busybox sleep 60");
    assert_eq!(sim.ip("r1", "ranged"), "10.50.0.128");
    assert_eq!(sim.ok("inspect --format {{range .NetworkSettings.Networks}}{{.Gateway}}{{end}} r1"), "10.50.0.254\n");

    assert_eq!(sim.ok("network rm app"), "app\n");
    assert_eq!(
        sim.docker("network rm app bridge"),
        out(
            "",
            "Error response from daemon: network app not found\nError response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n",
            1
        )
    );
    sim.ok("rm -f r1");
}

#[test]
fn drivers_and_creation_errors() {
    let sim = Sim::new();
    sim.ok("network create -d macvlan -o parent=eth0 --subnet 10.60.0.0/24 lan");
    assert_eq!(
        sim.ok("network inspect --format {{.Driver}}|{{.Options.parent}}|{{json .IPAM.Config}} lan"),
        "macvlan|eth0|[{\"Subnet\":\"10.60.0.0/24\"}]\n"
    );
    let swarm = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.\n";
    assert_eq!(sim.docker("network create -d overlay ov"), out("", swarm, 1));
    assert_eq!(
        sim.docker("network create -d null n2"),
        out("", "Error response from daemon: only one instance of \"null\" network is allowed\n", 1)
    );
    assert_eq!(
        sim.docker("network create -d weave w"),
        out("", "Error response from daemon: plugin \"weave\" not found\n", 1)
    );
    assert_eq!(
        sim.docker("network create --subnet 10.60.0.128/25 inside"),
        out(
            "",
            "Error response from daemon: invalid pool request: Pool overlaps with other one on this address space\n",
            1
        )
    );
    assert_eq!(
        sim.docker("network create --ip-range 10.1.0.0/24 x"),
        out("", "every ip-range or gateway must have a corresponding subnet\n", 1)
    );
    assert_eq!(
        sim.docker("network create lan"),
        out("", "Error response from daemon: network with name lan already exists\n", 1)
    );
    // Automatic pools skip those in use: 172.17 is the default bridge's, 172.18 is taken by hand here.
    sim.ok("network create --subnet 172.18.0.0/16 taken");
    sim.ok("network create auto");
    assert_eq!(sim.ok("network inspect --format {{range .IPAM.Config}}{{.Subnet}}{{end}} auto"), "172.19.0.0/16\n");
}

#[test]
fn addresses_dns_names_and_etc_files_follow_connect_and_disconnect() {
    let sim = Sim::new();
    sim.ok("network create --subnet 10.70.0.0/24 app");
    sim.ok("run -d --name db --network app --network-alias database busybox sleep 60");
    sim.ok("run -d --name web --network app busybox sleep 60");
    sim.ok("run -d --name plain busybox sleep 60");
    assert_eq!((sim.ip("db", "app"), sim.ip("web", "app")), ("10.70.0.2".into(), "10.70.0.3".into()));
    assert_eq!(sim.ip("plain", "bridge"), "172.17.0.2");
    let web_id = sim.id("web");
    let db_id = sim.id("db");

    // Docker 28's DNSNames: name, aliases, short id; Aliases only what the user gave.
    assert_eq!(
        sim.ok("inspect --format {{json .NetworkSettings.Networks.app.Aliases}}|{{json .NetworkSettings.Networks.app.DNSNames}} db"),
        format!("[\"database\"]|[\"db\",\"database\",\"{}\"]\n", &db_id[..12])
    );

    let hosts = sim.ok("exec web cat /etc/hosts");
    assert!(
        hosts.starts_with("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\n"),
        "{hosts}"
    );
    assert!(hosts.ends_with(&format!("ff02::2\tip6-allrouters\n10.70.0.3\t{}\n", &web_id[..12])), "{hosts}");
    let resolv = sim.ok("exec web cat /etc/resolv.conf");
    assert!(resolv.starts_with("# Generated by Docker Engine.\n"), "{resolv}");
    assert!(resolv.contains("\nnameserver 127.0.0.11\noptions ndots:0\n"), "the embedded DNS server: {resolv}");
    let plain_resolv = sim.ok("exec plain cat /etc/resolv.conf");
    assert!(!plain_resolv.contains("127.0.0.11") && plain_resolv.contains("(legacy)"), "{plain_resolv}");

    // The runtime's view: names on the shared network, nothing across the default bridge.
    let (web, plain) = (sim.id("web"), sim.id("plain"));
    sim.read(|st| {
        assert_eq!(networks::resolve(st, &web, "db"), Some(Ipv4Addr::new(10, 70, 0, 2)));
        assert_eq!(networks::resolve(st, &web, "database"), Some(Ipv4Addr::new(10, 70, 0, 2)));
        assert_eq!(networks::resolve(st, &web, &db_id[..12]), Some(Ipv4Addr::new(10, 70, 0, 2)));
        assert_eq!(networks::resolve(st, &plain, "db"), None, "plain is only on the default bridge");
        assert_eq!(networks::addresses(st, &plain), [Ipv4Addr::new(172, 17, 0, 2)]);
    });

    // Connecting plain to app: an address, a second /etc/hosts line, the embedded DNS, and names resolve.
    assert_eq!(sim.docker("network connect --alias cache app plain"), out("", "", 0));
    assert_eq!(sim.ip("plain", "app"), "10.70.0.4");
    let plain_hosts = sim.ok("exec plain cat /etc/hosts");
    let short = &plain[..12];
    assert!(plain_hosts.ends_with(&format!("172.17.0.2\t{short}\n10.70.0.4\t{short}\n")), "{plain_hosts}");
    assert!(sim.ok("exec plain cat /etc/resolv.conf").contains("nameserver 127.0.0.11\n"));
    sim.read(|st| {
        assert_eq!(networks::resolve(st, &plain, "db"), Some(Ipv4Addr::new(10, 70, 0, 2)));
        assert_eq!(networks::resolve(st, &web, "cache"), Some(Ipv4Addr::new(10, 70, 0, 4)));
        assert_eq!(networks::addresses(st, &plain), [Ipv4Addr::new(10, 70, 0, 4), Ipv4Addr::new(172, 17, 0, 2)]);
    });
    assert_eq!(
        sim.docker("network connect app plain"),
        out("", "Error response from daemon: endpoint with name plain already exists in network app\n", 1)
    );

    // Disconnecting removes its line only.
    sim.ok("network disconnect bridge plain");
    assert!(sim.ok("exec plain cat /etc/hosts").ends_with(&format!("ff02::2\tip6-allrouters\n10.70.0.4\t{short}\n")));
    assert_eq!(
        sim.docker("network disconnect bridge plain"),
        out("", &format!("Error response from daemon: container {plain} is not connected to network bridge\n"), 1)
    );
    assert_eq!(
        sim.docker("network disconnect -f app nosuch"),
        out("", "Error response from daemon: endpoint nosuch not found\n", 1)
    );
    assert_eq!(
        sim.docker("network disconnect app nosuch"),
        out("", "Error response from daemon: No such container: nosuch\n", 1)
    );

    // A network with running containers stays; the message lists them, by name, with their endpoints' ids.
    let rm = sim.docker("network rm app");
    assert_eq!(rm.status, 1);
    assert!(
        rm.stderr.starts_with("Error response from daemon: error while removing network: network app has active endpoints (name:\"db\" id:\""),
        "{rm:?}"
    );
    assert!(rm.stderr.contains("\", name:\"plain\" id:\"") && rm.stderr.ends_with("\")\nexit status 1\n"), "{rm:?}");

    // A removed container's address is given to the next one.
    sim.ok("rm -f db");
    sim.ok("run -d --name next --network app busybox sleep 60");
    assert_eq!(sim.ip("next", "app"), "10.70.0.2");
    sim.read(|st| assert_eq!(networks::resolve(st, &web, "db"), None, "db is gone"));
    sim.ok("rm -f web plain next");
    assert_eq!(sim.ok("network rm app"), "app\n");
}

#[test]
fn run_network_modes_and_ip() {
    let sim = Sim::new();
    sim.ok("network create --subnet 10.80.0.0/24 fixed");
    sim.ok("network create auto");
    sim.ok("run -d --name pinned --network fixed --ip 10.80.0.9 busybox sleep 60");
    assert_eq!(sim.ip("pinned", "fixed"), "10.80.0.9");
    sim.ok("stop -t 0 pinned");
    sim.ok("start pinned");
    assert_eq!(sim.ip("pinned", "fixed"), "10.80.0.9", "--ip is kept across a restart");
    let e = sim.docker("run --rm --network auto --ip 172.18.0.9 busybox true");
    assert_eq!(e.status, 125);
    assert!(
        e.stderr.contains(
            "user specified IP address is supported only when connecting to networks with user configured subnets"
        ),
        "{e:?}"
    );
    let e = sim.docker("run --rm --ip 10.1.1.1 busybox true");
    assert!(e.stderr.contains("user specified IP address is supported on user defined networks only"), "{e:?}");
    let e = sim.docker("run --rm --network-alias a busybox true");
    assert_eq!(
        e,
        out(
            "",
            "docker: network-scoped aliases are only supported for user-defined networks\n\nRun 'docker run --help' for more information\n",
            125
        )
    );

    // none: loopback only; host: the host's stack, ports discarded with the CLI's warning.
    assert_eq!(sim.ok("run --rm --network none busybox cat /etc/hosts").lines().count(), 6);
    sim.ok("run -d --name none1 --network none -p 8081:80 busybox sleep 60");
    let h = sim.docker("run -d --name host1 --network host -p 8082:80 busybox sleep 60");
    assert_eq!(h.stderr, "WARNING: Published ports are discarded when using host network mode\n");
    assert_eq!(sim.ok("port host1"), "");
    assert_eq!(sim.ok("port none1"), "");
    assert_eq!(sim.ok("ps --filter name=host1 --filter name=none1 --format {{.Names}}:{{.Ports}}"), "host1:\nnone1:\n");
    let host1 = sim.id("host1");
    sim.read(|st| {
        assert_eq!(networks::resolve(st, &host1, "localhost"), Some(Ipv4Addr::LOCALHOST));
        assert!(networks::addresses(st, &host1).is_empty());
        assert_eq!(networks::published(st, Ipv4Addr::LOCALHOST, 8082, "tcp"), None, "host ports are not published");
    });

    // container:<other> shares another container's stack, and cannot publish its own ports.
    sim.ok("run -d --name side --network container:pinned busybox sleep 60");
    let side = sim.id("side");
    sim.read(|st| assert_eq!(networks::addresses(st, &side), [Ipv4Addr::new(10, 80, 0, 9)]));
    let e = sim.docker("run --rm --network container:pinned -p 80:80 busybox true");
    assert!(e.stderr.contains("conflicting options: port publishing and the container type network mode"), "{e:?}");
    let e = sim.docker("run --rm --network container:nosuch busybox true");
    assert!(e.stderr.contains("No such container: nosuch"), "{e:?}");

    // A missing network is found when the container starts, which leaves it created.
    let e = sim.docker("run -d --name lost --network nonet busybox true");
    assert_eq!(e.status, 125);
    assert!(
        e.stderr.starts_with(
            "docker: Error response from daemon: failed to set up container networking: network nonet not found\n"
        ),
        "{e:?}"
    );
    assert_eq!(sim.ok("ps -a --filter name=lost --format {{.Status}}"), "Created\n");
    sim.ok("rm -f pinned none1 host1 side lost");
}

#[test]
fn published_ports_tables_and_clashes() {
    let sim = Sim::new();
    sim.ok("run -d --name web -p 8080:80 -p 127.0.0.1:8081:81/udp busybox sleep 60");
    assert_eq!(
        sim.ok("ps --filter name=web --format {{.Ports}}"),
        "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 127.0.0.1:8081->81/udp\n"
    );
    assert_eq!(sim.ok("port web"), "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n81/udp -> 127.0.0.1:8081\n");
    assert_eq!(sim.ok("port web 81/udp"), "127.0.0.1:8081\n");
    assert_eq!(sim.docker("port web 82"), out("", "Error: No public port '82' published for web\n", 1));
    let web = sim.id("web");
    sim.read(|st| {
        assert_eq!(networks::published(st, Ipv4Addr::new(192, 168, 1, 5), 8080, "tcp"), Some((web.clone(), 80)));
        assert_eq!(networks::published(st, Ipv4Addr::LOCALHOST, 8081, "udp"), Some((web.clone(), 81)));
        assert_eq!(networks::published(st, Ipv4Addr::new(192, 168, 1, 5), 8081, "udp"), None);
    });

    // -p CONTAINER and -P pick host ports from Docker's ephemeral range, each different.
    sim.ok("run -d --name auto -p 80 --expose 90 -P busybox sleep 60");
    let ports = sim.ok("port auto");
    let picked: Vec<u16> = ports
        .lines()
        .filter(|l| l.contains("0.0.0.0:"))
        .map(|l| l.rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(picked.len(), 2, "{ports}");
    assert!(picked.iter().all(|p| *p >= 32768) && picked[0] != picked[1], "{ports}");

    // A taken host port: the second container is created but does not start (exit code 128).
    let e = sim.docker("run -d --name clash -p 8080:80 busybox sleep 60");
    assert_eq!(e.status, 125);
    assert!(
        e.stderr.contains(
            "failed to set up container networking: driver failed programming external connectivity on endpoint clash ("
        ),
        "{e:?}"
    );
    assert!(e.stderr.contains("): Bind for 0.0.0.0:8080 failed: port is already allocated\n"), "{e:?}");
    assert_eq!(sim.ok("inspect --format {{.State.Status}}/{{.State.ExitCode}} clash"), "created/128\n");
    // Stopped, web frees the port; started again it finds it taken and keeps its exit code.
    sim.ok("stop -t 0 web");
    sim.read(|st| assert_eq!(networks::published(st, Ipv4Addr::LOCALHOST, 8080, "tcp"), None, "web is stopped"));
    sim.ok("start clash");
    assert_eq!(sim.ok("port clash 80"), "0.0.0.0:8080\n[::]:8080\n");
    let code_before = sim.ok("inspect --format {{.State.ExitCode}} web");
    let e = sim.docker("start web");
    assert_eq!(e.status, 1);
    assert!(e.stderr.ends_with("port is already allocated\nError: failed to start containers: web\n"), "{e:?}");
    assert_eq!(sim.ok("inspect --format {{.State.ExitCode}} web"), code_before);
    sim.ok("rm -f web auto clash");
}

#[test]
fn prune_removes_unused_custom_networks() {
    let sim = Sim::new();
    sim.ok("network create --label keep=no a1");
    sim.ok("network create b1");
    sim.ok("network create used");
    sim.ok("run -d --name user1 --network used busybox sleep 60");
    // Without -f and without input, the question is asked and answered no.
    assert_eq!(
        sim.docker("network prune"),
        out(
            "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ",
            "",
            0
        )
    );
    assert_eq!(sim.ok("network prune -f --filter label=keep=no"), "Deleted Networks:\na1\n\n");
    assert_eq!(sim.ok("network prune -f"), "Deleted Networks:\nb1\n\n");
    assert_eq!(sim.ok("network prune -f"), "", "nothing left to remove");
    assert_eq!(sim.ok("network ls --filter type=custom --format {{.Name}}"), "used\n");
    sim.ok("rm -f user1");
}
