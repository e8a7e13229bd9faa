//! Goals: what must hold in the engine for a step to be done, one per line in a small fixed syntax, for example
//! `container web is running` or `volume data has file notes.txt containing "hello"`. Parsed with nom; a goal
//! prints back as the text it was parsed from, which is what the learner sees beside ✓ or ✗.

use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::{escaped_transform, is_not, tag, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{all_consuming, map, map_res, opt, value};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

/// Which container a goal is about: by name, or any container made from an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Named(String),
    FromImage(String),
}

/// What a container goal asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerCheck {
    Exists,
    Absent,
    Running,
    /// Created or exited: not running.
    Stopped,
    ExitedWith(i64),
    /// A volume mount at the path; `None` for the volume means any volume, `Some("")` never occurs.
    MountsVolume {
        volume: Option<String>,
        path: String,
        read_only: bool,
    },
    /// A volume mount at the path whose volume Docker named itself.
    MountsAnonymous {
        path: String,
    },
    MountsBind {
        path: String,
        read_only: bool,
    },
    OnNetwork(String),
    /// A container port (`80`, `80/tcp`), published on any host port or on the one given.
    Publishes {
        port: String,
        host_port: Option<u16>,
    },
    HasLabel {
        key: String,
        value: String,
    },
    LogsContain(String),
    /// The container can resolve a name (Docker's embedded DNS): checked by running `ping -c 1` in it.
    Resolves(String),
}

/// One goal of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    ImageExists(String),
    ImageAbsent(String),
    /// At least this many layers when `at_least`, else exactly.
    ImageLayers {
        image: String,
        count: usize,
        at_least: bool,
    },
    ImageExposes {
        image: String,
        port: String,
    },
    ImageLabel {
        image: String,
        key: String,
        value: String,
    },
    /// The build that made the image took its steps up to `step` (BuildKit's `[N/M]` numbering, `FROM` being step 1)
    /// from the build cache and ran the step after it again.
    ImageCachedUpTo {
        image: String,
        step: usize,
    },
    Container {
        target: Target,
        check: ContainerCheck,
    },
    VolumeExists(String),
    VolumeAbsent(String),
    /// A file in the volume, with text it must contain when given.
    VolumeFile {
        volume: String,
        path: String,
        containing: Option<String>,
    },
    NetworkExists {
        name: String,
        driver: Option<String>,
    },
    NetworkAbsent(String),
    /// An HTTP GET to the port on the learner's machine gets an answer (status below 400), with text in its body
    /// when given.
    PortAnswers {
        port: u16,
        path: Option<String>,
        containing: Option<String>,
    },
}

type Res<'a, T> = IResult<&'a str, T>;

/// A name, reference or path: a run of characters without spaces, or a quoted string.
fn word(input: &str) -> Res<'_, String> {
    alt((quoted, map(take_while1(|c: char| !c.is_whitespace() && c != '"'), str::to_string))).parse(input)
}

/// `"text"` with `\"` and `\\` escapes.
fn quoted(input: &str) -> Res<'_, String> {
    delimited(
        char('"'),
        map(
            opt(escaped_transform(is_not("\\\""), '\\', alt((value("\\", char('\\')), value("\"", char('"')))))),
            Option::unwrap_or_default,
        ),
        char('"'),
    )
    .parse(input)
}

fn number<T: std::str::FromStr>(input: &str) -> Res<'_, T> {
    map_res(digit1, str::parse).parse(input)
}

/// `KEY=VALUE`.
fn label(input: &str) -> Res<'_, (String, String)> {
    map_res(word, |w| match w.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err("expected KEY=VALUE"),
    })
    .parse(input)
}

/// A keyword and the space after it.
fn kw<'a>(k: &'static str) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    preceded(space0, tag(k))
}

fn read_only(input: &str) -> Res<'_, bool> {
    map(opt(preceded(space1, tag("read-only"))), |r| r.is_some()).parse(input)
}

fn image_goal(input: &str) -> Res<'_, Goal> {
    let (input, image) = preceded((tag("image"), space1), word).parse(input)?;
    let image2 = image.clone();
    let image3 = image.clone();
    let image4 = image.clone();
    let image5 = image.clone();
    let image6 = image.clone();
    alt((
        map(kw("exists"), move |_| Goal::ImageExists(image.clone())),
        map(kw("is absent"), move |_| Goal::ImageAbsent(image2.clone())),
        map(
            (kw("has"), opt(preceded(space1, tag("at least"))), preceded(space1, number), kw("layers")),
            move |(_, least, count, _)| Goal::ImageLayers { image: image3.clone(), count, at_least: least.is_some() },
        ),
        map(preceded((kw("exposes"), space1), word), move |port| Goal::ImageExposes { image: image4.clone(), port }),
        map(preceded((kw("has label"), space1), label), move |(key, value)| Goal::ImageLabel {
            image: image5.clone(),
            key,
            value,
        }),
        map(preceded((kw("reused the cache up to step"), space1), number), move |step| Goal::ImageCachedUpTo {
            image: image6.clone(),
            step,
        }),
    ))
    .parse(input)
}

fn container_check(input: &str) -> Res<'_, ContainerCheck> {
    alt((
        value(ContainerCheck::Exists, kw("exists")),
        value(ContainerCheck::Absent, kw("is absent")),
        value(ContainerCheck::Running, kw("is running")),
        value(ContainerCheck::Stopped, kw("is stopped")),
        map(preceded((kw("exited with code"), space1), number), ContainerCheck::ExitedWith),
        map(preceded((kw("mounts anonymous volume at"), space1), word), |path| ContainerCheck::MountsAnonymous {
            path,
        }),
        map(
            (preceded((kw("mounts volume"), space1), word), preceded((kw("at"), space1), word), read_only),
            |(v, path, ro)| ContainerCheck::MountsVolume { volume: Some(v), path, read_only: ro },
        ),
        map((preceded((kw("mounts a volume at"), space1), word), read_only), |(path, ro)| {
            ContainerCheck::MountsVolume { volume: None, path, read_only: ro }
        }),
        map((preceded((kw("mounts a bind mount at"), space1), word), read_only), |(path, read_only)| {
            ContainerCheck::MountsBind { path, read_only }
        }),
        map(preceded((kw("is on network"), space1), word), ContainerCheck::OnNetwork),
        map(
            (preceded((kw("publishes"), space1), word), opt(preceded((kw("on"), space1), number))),
            |(port, host_port)| ContainerCheck::Publishes { port, host_port },
        ),
        map(preceded((kw("has label"), space1), label), |(key, value)| ContainerCheck::HasLabel { key, value }),
        map(preceded((kw("logs contain"), space1), word), ContainerCheck::LogsContain),
        map(preceded((kw("resolves"), space1), word), ContainerCheck::Resolves),
    ))
    .parse(input)
}

fn container_goal(input: &str) -> Res<'_, Goal> {
    let (input, target) = preceded(
        (tag("container"), space1),
        alt((map(preceded((tag("from"), space1), word), Target::FromImage), map(word, Target::Named))),
    )
    .parse(input)?;
    let (input, check) = container_check(input)?;
    Ok((input, Goal::Container { target, check }))
}

fn volume_goal(input: &str) -> Res<'_, Goal> {
    let (input, volume) = preceded((tag("volume"), space1), word).parse(input)?;
    let (v1, v2) = (volume.clone(), volume.clone());
    alt((
        map(kw("exists"), move |_| Goal::VolumeExists(v1.clone())),
        map(kw("is absent"), move |_| Goal::VolumeAbsent(v2.clone())),
        map(
            (preceded((kw("has file"), space1), word), opt(preceded((kw("containing"), space1), word))),
            move |(path, containing)| Goal::VolumeFile { volume: volume.clone(), path, containing },
        ),
    ))
    .parse(input)
}

fn network_goal(input: &str) -> Res<'_, Goal> {
    let (input, name) = preceded((tag("network"), space1), word).parse(input)?;
    let n1 = name.clone();
    alt((
        map((kw("exists"), opt(preceded((kw("with driver"), space1), word))), move |(_, driver)| Goal::NetworkExists {
            name: n1.clone(),
            driver,
        }),
        map(kw("is absent"), move |_| Goal::NetworkAbsent(name.clone())),
    ))
    .parse(input)
}

fn port_goal(input: &str) -> Res<'_, Goal> {
    map(
        (
            preceded((tag("port"), space1), number),
            kw("answers HTTP"),
            opt(preceded((kw("at"), space1), word)),
            opt(preceded((kw("containing"), space1), word)),
        ),
        |(port, _, path, containing)| Goal::PortAnswers { port, path, containing },
    )
    .parse(input)
}

/// Reads one goal. The error says what the line should look like.
pub fn parse(text: &str) -> Result<Goal, String> {
    let text = text.trim();
    let parsed = all_consuming(delimited(
        space0,
        alt((image_goal, container_goal, volume_goal, network_goal, port_goal)),
        space0,
    ))
    .parse(text);
    match parsed {
        Ok((_, goal)) => Ok(goal),
        Err(_) => Err(format!(
            "`{text}` is not a goal; goals start with `image`, `container`, `volume`, `network` or `port` (see \"Adding a lesson\" in the book)"
        )),
    }
}

/// A word as the syntax reads it back: quoted when it has spaces or is empty.
fn w(s: &str) -> String {
    if s.is_empty() || s.contains(char::is_whitespace) || s.contains('"') {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Named(n) => write!(f, "{}", w(n)),
            Target::FromImage(i) => write!(f, "from {}", w(i)),
        }
    }
}

impl fmt::Display for ContainerCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ro = |r: bool| if r { " read-only" } else { "" };
        match self {
            ContainerCheck::Exists => write!(f, "exists"),
            ContainerCheck::Absent => write!(f, "is absent"),
            ContainerCheck::Running => write!(f, "is running"),
            ContainerCheck::Stopped => write!(f, "is stopped"),
            ContainerCheck::ExitedWith(c) => write!(f, "exited with code {c}"),
            ContainerCheck::MountsVolume { volume: Some(v), path, read_only } => {
                write!(f, "mounts volume {} at {}{}", w(v), w(path), ro(*read_only))
            }
            ContainerCheck::MountsVolume { volume: None, path, read_only } => {
                write!(f, "mounts a volume at {}{}", w(path), ro(*read_only))
            }
            ContainerCheck::MountsAnonymous { path } => write!(f, "mounts anonymous volume at {}", w(path)),
            ContainerCheck::MountsBind { path, read_only } => {
                write!(f, "mounts a bind mount at {}{}", w(path), ro(*read_only))
            }
            ContainerCheck::OnNetwork(n) => write!(f, "is on network {}", w(n)),
            ContainerCheck::Publishes { port, host_port: None } => write!(f, "publishes {}", w(port)),
            ContainerCheck::Publishes { port, host_port: Some(h) } => write!(f, "publishes {} on {h}", w(port)),
            ContainerCheck::HasLabel { key, value } => write!(f, "has label {}", w(&format!("{key}={value}"))),
            ContainerCheck::LogsContain(t) => write!(f, "logs contain {}", w(t)),
            ContainerCheck::Resolves(n) => write!(f, "resolves {}", w(n)),
        }
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Goal::ImageExists(i) => write!(f, "image {} exists", w(i)),
            Goal::ImageAbsent(i) => write!(f, "image {} is absent", w(i)),
            Goal::ImageLayers { image, count, at_least } => {
                write!(f, "image {} has {}{count} layers", w(image), if *at_least { "at least " } else { "" })
            }
            Goal::ImageExposes { image, port } => write!(f, "image {} exposes {}", w(image), w(port)),
            Goal::ImageLabel { image, key, value } => {
                write!(f, "image {} has label {}", w(image), w(&format!("{key}={value}")))
            }
            Goal::ImageCachedUpTo { image, step } => write!(f, "image {} reused the cache up to step {step}", w(image)),
            Goal::Container { target, check } => write!(f, "container {target} {check}"),
            Goal::VolumeExists(v) => write!(f, "volume {} exists", w(v)),
            Goal::VolumeAbsent(v) => write!(f, "volume {} is absent", w(v)),
            Goal::VolumeFile { volume, path, containing: None } => {
                write!(f, "volume {} has file {}", w(volume), w(path))
            }
            Goal::VolumeFile { volume, path, containing: Some(t) } => {
                write!(f, "volume {} has file {} containing {}", w(volume), w(path), w(t))
            }
            Goal::NetworkExists { name, driver: None } => write!(f, "network {} exists", w(name)),
            Goal::NetworkExists { name, driver: Some(d) } => {
                write!(f, "network {} exists with driver {}", w(name), w(d))
            }
            Goal::NetworkAbsent(n) => write!(f, "network {} is absent", w(n)),
            Goal::PortAnswers { port, path, containing } => {
                write!(f, "port {port} answers HTTP")?;
                if let Some(p) = path {
                    write!(f, " at {}", w(p))?;
                }
                if let Some(t) = containing {
                    write!(f, " containing {}", w(t))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_and_prints_back_as_written() {
        for text in [
            "image web:1 exists",
            "image web:1 is absent",
            "image web:1 has 7 layers",
            "image web:1 has at least 3 layers",
            "image web:1 exposes 80/tcp",
            "image web:1 has label stage=prod",
            "container web exists",
            "container web is absent",
            "container web is running",
            "container web is stopped",
            "container web exited with code 3",
            "container from busybox is running",
            "container db mounts volume data at /var/lib/data",
            "container db mounts volume data at /data read-only",
            "container db mounts a volume at /data",
            "container db mounts anonymous volume at /data",
            "container app mounts a bind mount at /app read-only",
            "container web is on network appnet",
            "container web publishes 80/tcp",
            "container web publishes 80 on 8080",
            "container web has label io.docklings.lesson=intro",
            "container hello logs contain \"Hello from a \\\"container\\\"\"",
            "container a resolves b",
            "volume data exists",
            "volume data is absent",
            "volume data has file notes.txt",
            "volume data has file notes.txt containing \"two words\"",
            "network appnet exists",
            "network appnet exists with driver bridge",
            "network appnet is absent",
            "image l04-app:v2 reused the cache up to step 4",
            "port 8080 answers HTTP",
            "port 8080 answers HTTP containing \"Hello from docklings\"",
            "port 3000 answers HTTP at /health containing ok",
            "port 80 answers HTTP at /",
        ] {
            let goal = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(goal.to_string(), text);
            assert_eq!(parse(&goal.to_string()).unwrap(), goal);
        }
    }

    #[test]
    fn parts_come_out_typed() {
        assert_eq!(
            parse("container web publishes 80/tcp on 8080").unwrap(),
            Goal::Container {
                target: Target::Named("web".into()),
                check: ContainerCheck::Publishes { port: "80/tcp".into(), host_port: Some(8080) }
            }
        );
        assert_eq!(
            parse("  volume \"my data\" has file a/b.txt containing hi  ").unwrap(),
            Goal::VolumeFile { volume: "my data".into(), path: "a/b.txt".into(), containing: Some("hi".into()) }
        );
        assert_eq!(
            parse("image web has at least 2 layers").unwrap(),
            Goal::ImageLayers { image: "web".into(), count: 2, at_least: true }
        );
    }

    #[test]
    fn mistakes_are_refused_with_the_line_shown() {
        for bad in [
            "",
            "container web",
            "container web is jumping",
            "image web has many layers",
            "image web has 3 layer",
            "volume data has file",
            "container web has label novalue",
            "container web exited with code -1",
            "container web is running now",
            "port 8080 is open",
            "port 99999 answers HTTP",
            "port 8080 answers",
            "image web reused the cache up to step",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(err.contains(&format!("`{}`", bad.trim())), "{err}");
        }
    }
}
