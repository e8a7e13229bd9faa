//! Checking goals against an engine, through the `Engine` trait only, so a lesson checks the same way on the real
//! engine and the simulated one. A goal that does not hold says what the engine shows instead, for the ✗ line.

use super::goal::{ContainerCheck, Goal, Target};
use crate::engine::sim::state::normalize_reference;
use crate::engine::{ContainerDetails, ContainerStatus, Engine, EngineError, ExecOptions, MountKind};

/// The result of checking one goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub met: bool,
    /// For a goal not met: what the engine shows instead (`it exited with code 1`).
    pub detail: Option<String>,
}

impl Check {
    fn yes() -> Check {
        Check { met: true, detail: None }
    }

    fn no(detail: impl Into<String>) -> Check {
        Check { met: false, detail: Some(detail.into()) }
    }

    fn from(met: bool, detail: impl FnOnce() -> String) -> Check {
        if met { Check::yes() } else { Check::no(detail()) }
    }
}

/// An engine error as a miss: "not found" is the ordinary answer, anything else is worth showing.
fn miss(e: &EngineError, what: &str) -> Check {
    match e {
        EngineError::NotFound(_) => Check::no(format!("there is no {what}")),
        other => Check::no(format!("the engine answered: {other}")),
    }
}

/// Checks one goal.
pub fn check(goal: &Goal, engine: &dyn Engine) -> Check {
    match goal {
        Goal::ImageExists(image) => match engine.inspect_image(image) {
            Ok(_) => Check::yes(),
            Err(e) => miss(&e, &format!("image {image}")),
        },
        Goal::ImageAbsent(image) => match engine.inspect_image(image) {
            Ok(_) => Check::no(format!("image {image} is still there")),
            Err(EngineError::NotFound(_)) => Check::yes(),
            Err(e) => miss(&e, ""),
        },
        Goal::ImageLayers { image, count, at_least } => match engine.inspect_image(image) {
            Ok(d) => {
                let n = d.layers.len();
                Check::from(if *at_least { n >= *count } else { n == *count }, || format!("it has {n} layers"))
            }
            Err(e) => miss(&e, &format!("image {image}")),
        },
        Goal::ImageExposes { image, port } => match engine.inspect_image(image) {
            Ok(d) => {
                let want = with_protocol(port);
                Check::from(d.exposed_ports.contains(&want), || exposes_detail(&d.exposed_ports))
            }
            Err(e) => miss(&e, &format!("image {image}")),
        },
        Goal::ImageLabel { image, key, value } => match engine.inspect_image(image) {
            Ok(d) => label_check(d.labels.get(key), key, value),
            Err(e) => miss(&e, &format!("image {image}")),
        },
        Goal::ImageCachedUpTo { image, step } => check_cached_up_to(engine, image, *step),
        Goal::Container { target, check: what } => check_container(engine, target, what),
        Goal::VolumeExists(name) => match engine.inspect_volume(name) {
            Ok(_) => Check::yes(),
            Err(e) => miss(&e, &format!("volume {name}")),
        },
        Goal::VolumeAbsent(name) => match engine.inspect_volume(name) {
            Ok(_) => Check::no(format!("volume {name} is still there")),
            Err(EngineError::NotFound(_)) => Check::yes(),
            Err(e) => miss(&e, ""),
        },
        Goal::VolumeFile { volume, path, containing } => match engine.read_volume_file(volume, path) {
            Ok(bytes) => match containing {
                None => Check::yes(),
                Some(text) => {
                    let content = String::from_utf8_lossy(&bytes);
                    Check::from(content.contains(text.as_str()), || format!("{path} holds {}", preview(&content)))
                }
            },
            Err(e) => miss(&e, &format!("file {path} in volume {volume}")),
        },
        Goal::NetworkExists { name, driver } => match engine.inspect_network(name) {
            Ok(n) => match driver {
                Some(d) => Check::from(&n.driver == d, || format!("its driver is {}", n.driver)),
                None => Check::yes(),
            },
            Err(e) => miss(&e, &format!("network {name}")),
        },
        Goal::NetworkAbsent(name) => match engine.inspect_network(name) {
            Ok(_) => Check::no(format!("network {name} is still there")),
            Err(EngineError::NotFound(_)) => Check::yes(),
            Err(e) => miss(&e, ""),
        },
        Goal::PortAnswers { port, path, containing } => {
            check_port(engine, *port, path.as_deref(), containing.as_deref())
        }
    }
}

/// How long a port may take to start answering: a server in a container just started needs a moment.
const PORT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

fn check_port(engine: &dyn Engine, port: u16, path: Option<&str>, containing: Option<&str>) -> Check {
    let path = path.unwrap_or("/");
    let started = std::time::Instant::now();
    let reply = loop {
        match engine.http_get(port, path) {
            Ok(reply) => break reply,
            Err(_) if started.elapsed() < PORT_PATIENCE => std::thread::sleep(std::time::Duration::from_millis(200)),
            Err(_) => {
                return Check::no(format!(
                    "nothing answers on localhost:{port} (is a container publishing it with -p {port}:…?)"
                ));
            }
        }
    };
    if reply.status >= 400 {
        return Check::no(format!("it answered with status {}", reply.status));
    }
    match containing {
        Some(text) => Check::from(reply.body.contains(text), || format!("it answered {}", preview(&reply.body))),
        None => Check::yes(),
    }
}

/// Metadata-only instructions: their history entries make no layer.
const METADATA: &[&str] = &[
    "ARG",
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
];

/// An image as its build left it: the steps that made layers (oldest first, each as when it ran and what ran) and
/// its layers.
struct Built {
    id: String,
    steps: Vec<(i64, String)>,
    layers: Vec<String>,
}

impl Built {
    fn read(engine: &dyn Engine, reference: &str) -> Result<Built, EngineError> {
        let details = engine.inspect_image(reference)?;
        let mut history = engine.image_history(reference)?;
        history.reverse();
        let steps = history
            .into_iter()
            .filter(|h| {
                let text = h.created_by.trim();
                let text = text.strip_prefix("/bin/sh -c #(nop)").map_or(text, str::trim_start);
                match text.split_whitespace().next() {
                    Some(word) => !METADATA.contains(&word),
                    None => h.size > 0,
                }
            })
            .map(|h| (h.created, h.created_by))
            .collect();
        Ok(Built { id: details.id, steps, layers: details.layers })
    }

    /// The layer step `i` made, counting layers down from the top (each step of a build makes one).
    fn layer_of(&self, i: usize) -> Option<usize> {
        (self.layers.len() + i).checked_sub(self.steps.len()).filter(|&l| l < self.layers.len())
    }

    /// Whether step `i` and everything below it are the same as in `other`: same instructions, run at the same
    /// time (a cached step keeps the time it first ran), and the same layers.
    fn shares_up_to(&self, other: &Built, i: usize) -> bool {
        other.steps.len() > i
            && self.steps[..=i] == other.steps[..=i]
            && match (self.layer_of(i), other.layer_of(i)) {
                (Some(a), Some(b)) => self.layers[..=a] == other.layers[..=b],
                _ => false,
            }
    }
}

/// Which steps of the build that made `image` came from the build cache, judged from the engine's images alone:
/// a step was cached when another image holds the same step, run at the same moment, on the same layers. The
/// image's base is the other image whose steps and layers it starts with.
fn check_cached_up_to(engine: &dyn Engine, image: &str, step: usize) -> Check {
    let me = match Built::read(engine, image) {
        Ok(b) => b,
        Err(e) => return miss(&e, &format!("image {image}")),
    };
    let summaries = match engine.list_images(false) {
        Ok(list) => list,
        Err(e) => return miss(&e, ""),
    };
    let mut seen = std::collections::HashSet::new();
    let others: Vec<Built> = summaries
        .iter()
        .filter(|s| s.id != me.id && seen.insert(s.id.clone()))
        .filter_map(|s| Built::read(engine, &s.id).ok())
        .collect();
    let base = others
        .iter()
        .filter(|o| {
            o.steps.len() < me.steps.len() && me.steps.starts_with(&o.steps) && me.layers.starts_with(&o.layers)
        })
        .max_by_key(|o| o.steps.len());
    let Some(base) = base else {
        return Check::no("its base image is not here any more, so its steps cannot be told apart");
    };
    let own = base.steps.len()..me.steps.len();
    let cached = own.clone().take_while(|&i| others.iter().any(|o| me.shares_up_to(o, i))).count();
    // BuildKit numbers `FROM` as step 1.
    let up_to = cached + 1;
    let total = own.len() + 1;
    if up_to == step {
        return Check::yes();
    }
    let same_as_before = summaries.iter().filter(|s| s.id == me.id).map(|s| s.repo_tags.len()).sum::<usize>() > 1;
    Check::no(if same_as_before {
        "it is the very same image as an earlier build: nothing the build reads changed".to_string()
    } else if up_to == total {
        format!("all {total} steps came from the cache")
    } else if cached == 0 {
        "no step came from the cache".to_string()
    } else {
        format!("steps up to {up_to} came from the cache, step {} ran again", up_to + 1)
    })
}

/// `80` → `80/tcp`, as Docker keys ports.
fn with_protocol(port: &str) -> String {
    if port.contains('/') { port.to_string() } else { format!("{port}/tcp") }
}

fn exposes_detail(ports: &[String]) -> String {
    if ports.is_empty() { "it exposes no port".to_string() } else { format!("it exposes {}", ports.join(", ")) }
}

fn label_check(found: Option<&String>, key: &str, value: &str) -> Check {
    match found {
        Some(v) if v == value => Check::yes(),
        Some(v) => Check::no(format!("its label {key} is {v}")),
        None => Check::no(format!("it has no label {key}")),
    }
}

/// The start of a text, on one line, for a detail.
fn preview(text: &str) -> String {
    let line: String = text.trim().chars().take(40).map(|c| if c == '\n' { ' ' } else { c }).collect();
    if text.trim().chars().count() > 40 { format!("\"{line}…\"") } else { format!("\"{line}\"") }
}

/// Whether a container's image is the one a goal names (`busybox` means `busybox:latest`).
fn same_image(have: &str, want: &str) -> bool {
    have == want || normalize_reference(have) == normalize_reference(want)
}

fn check_container(engine: &dyn Engine, target: &Target, what: &ContainerCheck) -> Check {
    let candidates: Vec<ContainerDetails> = match target {
        Target::Named(name) => match engine.inspect_container(name) {
            Ok(d) => vec![d],
            Err(EngineError::NotFound(_)) => vec![],
            Err(e) => return miss(&e, ""),
        },
        Target::FromImage(image) => match engine.list_containers(true) {
            Ok(list) => list
                .iter()
                .filter(|c| same_image(&c.image, image))
                .filter_map(|c| engine.inspect_container(&c.id).ok())
                .collect(),
            Err(e) => return miss(&e, ""),
        },
    };
    let nothing = || match target {
        Target::Named(name) => format!("there is no container {name}"),
        Target::FromImage(image) => format!("there is no container from {image}"),
    };
    match what {
        ContainerCheck::Absent => {
            return Check::from(candidates.is_empty(), || "it is still there (docker rm removes it)".to_string());
        }
        _ if candidates.is_empty() => return Check::no(nothing()),
        ContainerCheck::Exists => return Check::yes(),
        _ => {}
    }
    // Any candidate that meets the goal will do; otherwise the first one's state explains the miss.
    let mut first_miss = None;
    for c in &candidates {
        let result = check_one(engine, c, what);
        if result.met {
            return result;
        }
        first_miss.get_or_insert(result);
    }
    first_miss.unwrap_or_else(|| Check::no(nothing()))
}

fn status_detail(c: &ContainerDetails) -> String {
    match c.status {
        ContainerStatus::Exited => format!("it exited with code {}", c.exit_code),
        other => format!("it is {}", other.as_str()),
    }
}

fn check_one(engine: &dyn Engine, c: &ContainerDetails, what: &ContainerCheck) -> Check {
    match what {
        ContainerCheck::Exists | ContainerCheck::Absent => Check::yes(),
        ContainerCheck::Running => Check::from(c.status == ContainerStatus::Running, || status_detail(c)),
        ContainerCheck::Stopped => Check::from(
            matches!(c.status, ContainerStatus::Exited | ContainerStatus::Created | ContainerStatus::Dead),
            || status_detail(c),
        ),
        ContainerCheck::ExitedWith(code) => {
            Check::from(c.status == ContainerStatus::Exited && c.exit_code == *code, || status_detail(c))
        }
        ContainerCheck::MountsVolume { volume, path, read_only } => {
            let found = c.mounts.iter().find(|m| m.kind == MountKind::Volume && m.destination == *path);
            match found {
                None => Check::no(mounts_detail(c)),
                Some(m) if volume.as_ref().is_some_and(|v| m.name.as_deref() != Some(v.as_str())) => {
                    Check::no(format!("{path} holds volume {}", m.name.as_deref().unwrap_or("?")))
                }
                Some(m) => Check::from(!*read_only || m.read_only, || format!("{path} is writable")),
            }
        }
        ContainerCheck::MountsAnonymous { path } => {
            let found = c.mounts.iter().find(|m| m.kind == MountKind::Volume && m.destination == *path);
            match found {
                None => Check::no(mounts_detail(c)),
                Some(m) => {
                    let name = m.name.clone().unwrap_or_default();
                    let anonymous = engine.inspect_volume(&name).is_ok_and(|v| v.anonymous);
                    Check::from(anonymous, || format!("{path} holds the named volume {name}"))
                }
            }
        }
        ContainerCheck::MountsBind { path, read_only } => {
            match c.mounts.iter().find(|m| m.kind == MountKind::Bind && m.destination == *path) {
                None => Check::no(mounts_detail(c)),
                Some(m) => Check::from(!*read_only || m.read_only, || format!("{path} is writable")),
            }
        }
        ContainerCheck::OnNetwork(net) => Check::from(c.networks.contains_key(net), || {
            let names: Vec<&str> = c.networks.keys().map(String::as_str).collect();
            if names.is_empty() { "it is on no network".to_string() } else { format!("it is on {}", names.join(", ")) }
        }),
        ContainerCheck::Publishes { port, host_port } => {
            let want = with_protocol(port);
            let published = c.ports.iter().any(|p| {
                format!("{}/{}", p.container_port, p.protocol) == want
                    && host_port.is_none_or(|h| p.host_port == Some(h))
            });
            Check::from(published, || {
                let list: Vec<String> = c
                    .ports
                    .iter()
                    .map(|p| {
                        format!(
                            "{}/{} on {}",
                            p.container_port,
                            p.protocol,
                            p.host_port.map_or("?".into(), |h| h.to_string())
                        )
                    })
                    .collect();
                if list.is_empty() {
                    "it publishes no port (-p)".to_string()
                } else {
                    format!("it publishes {}", list.join(", "))
                }
            })
        }
        ContainerCheck::HasLabel { key, value } => label_check(c.labels.get(key), key, value),
        ContainerCheck::LogsContain(text) => match engine.container_logs(&c.id, None) {
            Ok(logs) => {
                let all = format!("{}{}", String::from_utf8_lossy(&logs.stdout), String::from_utf8_lossy(&logs.stderr));
                Check::from(all.contains(text.as_str()), || {
                    if all.trim().is_empty() {
                        "its logs are empty".to_string()
                    } else {
                        format!("its logs hold {}", preview(&all))
                    }
                })
            }
            Err(e) => miss(&e, "log"),
        },
        ContainerCheck::Resolves(name) => {
            if c.status != ContainerStatus::Running {
                return Check::no(status_detail(c));
            }
            let cmd: Vec<String> = ["ping", "-c", "1", "-W", "2", name].iter().map(|s| (*s).to_string()).collect();
            match engine.exec(&c.id, &cmd, &ExecOptions::default()) {
                Ok(out) => Check::from(out.exit_code == 0, || {
                    let err = String::from_utf8_lossy(&out.stderr);
                    if err.trim().is_empty() { format!("it cannot reach {name}") } else { err.trim().to_string() }
                }),
                Err(e) => miss(&e, ""),
            }
        }
    }
}

fn mounts_detail(c: &ContainerDetails) -> String {
    if c.mounts.is_empty() {
        return "it has no mounts".to_string();
    }
    let list: Vec<String> = c
        .mounts
        .iter()
        .map(|m| {
            let kind = match m.kind {
                MountKind::Volume => "volume",
                MountKind::Bind => "bind mount",
                MountKind::Tmpfs => "tmpfs",
            };
            format!("{kind} at {}", m.destination)
        })
        .collect();
    format!("it mounts {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::SimEngine;
    use crate::engine::{ContainerConfig, Labels, MountSpec, NetworkConfig};
    use crate::lesson::goal::parse;

    fn checked(engine: &dyn Engine, goal: &str) -> Check {
        check(&parse(goal).unwrap(), engine)
    }

    #[test]
    fn goals_follow_the_engine_state() {
        let home = tempfile::tempdir().unwrap();
        let engine = SimEngine::open(&home.path().join("sim")).unwrap();
        let engine: &dyn Engine = engine.as_ref();

        // Before: every positive goal fails, with a reason; every absence holds.
        let before = checked(engine, "container hello exited with code 0");
        assert_eq!(before, Check::no("there is no container hello"));
        assert!(!checked(engine, "image busybox exists").met);
        assert!(checked(engine, "image busybox is absent").met);
        assert!(!checked(engine, "volume notes exists").met);
        assert!(checked(engine, "network appnet is absent").met);

        engine.pull_image("busybox:latest", &mut |_| {}).unwrap();
        assert!(checked(engine, "image busybox exists").met);
        assert!(checked(engine, "image busybox:latest has at least 1 layers").met);
        assert_eq!(checked(engine, "image busybox has 9 layers"), Check::no("it has 1 layers"));

        let config = ContainerConfig {
            image: "busybox".into(),
            name: Some("hello".into()),
            cmd: vec!["sh".into(), "-c".into(), "echo hello > /data/notes.txt; echo done; exit 3".into()],
            mounts: vec![MountSpec {
                kind: MountKind::Volume,
                source: "notes".into(),
                target: "/data".into(),
                read_only: false,
            }],
            ..ContainerConfig::default()
        };
        let run = engine.run_container(&config, false).unwrap();
        assert_eq!(run.exit_code, Some(3));
        assert_eq!(checked(engine, "container hello exited with code 0"), Check::no("it exited with code 3"));
        assert!(checked(engine, "container hello exited with code 3").met);
        assert!(checked(engine, "container from busybox is stopped").met);
        assert_eq!(checked(engine, "container hello is running"), Check::no("it exited with code 3"));
        assert!(checked(engine, "container hello logs contain done").met);
        assert!(checked(engine, "container hello mounts volume notes at /data").met);
        assert_eq!(
            checked(engine, "container hello mounts volume notes at /data read-only"),
            Check::no("/data is writable")
        );
        assert!(!checked(engine, "container hello mounts anonymous volume at /data").met);
        assert_eq!(
            checked(engine, "container hello mounts a bind mount at /src"),
            Check::no("it mounts volume at /data")
        );
        assert!(checked(engine, "volume notes has file notes.txt containing hello").met);
        assert_eq!(
            checked(engine, "volume notes has file notes.txt containing bye"),
            Check::no("notes.txt holds \"hello\"")
        );
        assert!(!checked(engine, "volume notes has file other.txt").met);
        assert!(checked(engine, "container web is absent").met);
        assert_eq!(checked(engine, "container hello is absent"), Check::no("it is still there (docker rm removes it)"));

        engine
            .create_network(&NetworkConfig { name: "appnet".into(), labels: Labels::new(), ..NetworkConfig::default() })
            .unwrap();
        assert!(checked(engine, "network appnet exists with driver bridge").met);
        assert_eq!(checked(engine, "network appnet exists with driver macvlan"), Check::no("its driver is bridge"));
        assert!(!checked(engine, "container hello is on network appnet").met);
    }

    #[test]
    fn image_names_match_as_docker_normalises_them() {
        assert!(same_image("busybox", "busybox:latest"));
        assert!(same_image("docker.io/library/nginx:1.27", "nginx:1.27"));
        assert!(!same_image("busybox:1.36", "busybox"));
        assert!(!same_image("me/web", "web"));
    }
}
