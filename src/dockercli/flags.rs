//! Docker 28's flags, one group per place docker/cli defines them, in docker/cli's order so a diff against its
//! source stays readable. Hidden flags are listed too: Docker accepts them, so a script may use them.
//!
//! Sources: docker/cli `cli/command/container/opts.go` (`addFlags`), `run.go`, `create.go`, the other command
//! files, `cli/flags/options.go` for the global flags, and docker/buildx `commands/build.go` for `build`. Flags
//! that changed during 28.x were checked against the Docker 28.2 and 28.5 man pages; the latest 28.x is the target.

use super::spec::Flag;

const fn b(long: &'static str) -> Flag {
    Flag::bool(long)
}

const fn v(long: &'static str) -> Flag {
    Flag::value(long)
}

/// The root command's flags, accepted only before the command (they are not persistent flags).
pub(super) const GLOBAL: &[Flag] = &[
    v("config"),
    b("debug").short('D'),
    v("log-level").short('l'),
    b("tls"),
    b("tlsverify"),
    v("tlscacert"),
    v("tlscert"),
    v("tlskey"),
    v("host").short('H'),
    v("context").short('c'),
    b("version").short('v'),
];

/// `addFlags` in opts.go: everything `run` and `create` share.
pub(super) const CONTAINER: &[Flag] = &[
    // General purpose.
    v("attach").short('a'),
    v("device-cgroup-rule"),
    v("device"),
    v("gpus"),
    v("env").short('e'),
    v("env-file"),
    v("entrypoint"),
    v("group-add"),
    v("hostname").short('h'),
    v("domainname"),
    b("interactive").short('i'),
    v("label").short('l'),
    v("label-file"),
    b("read-only"),
    v("restart"),
    v("stop-signal"),
    v("stop-timeout"),
    v("sysctl"),
    b("tty").short('t'),
    v("ulimit"),
    v("user").short('u'),
    v("workdir").short('w'),
    b("rm"),
    // Security.
    v("cap-add"),
    v("cap-drop"),
    b("privileged"),
    v("security-opt"),
    v("userns"),
    v("cgroupns"),
    // Network and port publishing.
    v("add-host"),
    v("dns"),
    v("dns-opt").alias_of("dns-option"),
    v("dns-option"),
    v("dns-search"),
    v("expose"),
    v("ip"),
    v("ip6"),
    v("link"),
    v("link-local-ip"),
    v("mac-address"),
    v("publish").short('p'),
    b("publish-all").short('P'),
    v("net").alias_of("network"),
    v("network"),
    v("net-alias").alias_of("network-alias"),
    v("network-alias"),
    // Logging and storage.
    v("log-driver"),
    v("volume-driver"),
    v("log-opt"),
    v("storage-opt"),
    v("tmpfs"),
    v("volumes-from"),
    v("volume").short('v'),
    v("mount"),
    // Health checking.
    v("health-cmd"),
    v("health-interval"),
    v("health-retries"),
    v("health-timeout"),
    v("health-start-period"),
    v("health-start-interval"),
    b("no-healthcheck"),
    // Resource management.
    v("blkio-weight"),
    v("blkio-weight-device"),
    v("cidfile"),
    v("cpuset-cpus"),
    v("cpuset-mems"),
    v("cpu-count"),
    v("cpu-percent"),
    v("cpu-period"),
    v("cpu-quota"),
    v("cpu-rt-period"),
    v("cpu-rt-runtime"),
    v("cpu-shares").short('c'),
    v("cpus"),
    v("device-read-bps"),
    v("device-read-iops"),
    v("device-write-bps"),
    v("device-write-iops"),
    v("io-maxbandwidth"),
    v("io-maxiops"),
    v("kernel-memory"),
    v("memory").short('m'),
    v("memory-reservation"),
    v("memory-swap"),
    v("memory-swappiness"),
    b("oom-kill-disable"),
    v("oom-score-adj"),
    v("pids-limit"),
    // Low-level execution.
    v("cgroup-parent"),
    v("ipc"),
    v("isolation"),
    v("pid"),
    v("shm-size"),
    v("uts"),
    v("runtime"),
    b("init"),
    v("annotation"),
];

/// Flags `create` and `run` both add before `addFlags`. Their own `--help` has no `-h`, which is `--hostname`.
pub(super) const CREATE: &[Flag] = &[
    v("name"),
    v("pull"),
    b("quiet").short('q'),
    b("use-api-socket"),
    b("help"),
    v("platform"),
    b("disable-content-trust"),
];

/// Flags only `run` has: `create` never attaches, so it has no `-d`, `--sig-proxy` or `--detach-keys`.
pub(super) const RUN: &[Flag] = &[b("detach").short('d'), b("sig-proxy"), v("detach-keys")];

pub(super) const START: &[Flag] =
    &[b("attach").short('a'), b("interactive").short('i'), v("detach-keys"), v("checkpoint"), v("checkpoint-dir")];

/// `stop` and `restart`. Docker 28 renamed `--time` to `--timeout` and keeps `--time` hidden and deprecated.
pub(super) const STOP: &[Flag] = &[
    v("signal").short('s'),
    v("timeout").short('t'),
    v("time").alias_of("timeout").deprecated("use --timeout instead"),
];

pub(super) const KILL: &[Flag] = &[v("signal").short('s')];

pub(super) const RM: &[Flag] = &[b("volumes").short('v'), b("link").short('l'), b("force").short('f')];

pub(super) const PS: &[Flag] = &[
    b("quiet").short('q'),
    b("size").short('s'),
    b("all").short('a'),
    b("no-trunc"),
    b("latest").short('l'),
    v("last").short('n'),
    v("format"),
    v("filter").short('f'),
];

pub(super) const LOGS: &[Flag] =
    &[b("follow").short('f'), v("since"), v("until"), b("timestamps").short('t'), b("details"), v("tail").short('n')];

pub(super) const EXEC: &[Flag] = &[
    v("detach-keys"),
    b("interactive").short('i'),
    b("tty").short('t'),
    b("detach").short('d'),
    v("user").short('u'),
    b("privileged"),
    v("env").short('e'),
    v("env-file"),
    v("workdir").short('w'),
];

/// `docker inspect`, which looks up any kind of object.
pub(super) const INSPECT: &[Flag] = &[v("format").short('f'), b("size").short('s'), v("type")];

pub(super) const CONTAINER_INSPECT: &[Flag] = &[v("format").short('f'), b("size").short('s')];

/// `container prune` and `network prune`.
pub(super) const PRUNE: &[Flag] = &[b("force").short('f'), v("filter")];

pub(super) const IMAGES: &[Flag] = &[
    b("quiet").short('q'),
    b("all").short('a'),
    b("no-trunc"),
    b("digests"),
    v("format"),
    v("filter").short('f'),
    b("tree"),
];

/// `--platform` arrived in Docker 28.2.
pub(super) const RMI: &[Flag] = &[b("force").short('f'), b("no-prune"), v("platform")];

pub(super) const IMAGE_PRUNE: &[Flag] = &[b("force").short('f'), b("all").short('a'), v("filter")];

pub(super) const PULL: &[Flag] =
    &[b("all-tags").short('a'), b("quiet").short('q'), v("platform"), b("disable-content-trust")];

/// `--platform` arrived in Docker 28.0.
pub(super) const PUSH: &[Flag] =
    &[b("all-tags").short('a'), b("quiet").short('q'), v("platform"), b("disable-content-trust")];

/// `docker build` runs `docker buildx build` when buildx is installed (the default since Docker 23) and the
/// classic builder when it is not, so this is buildx's flags plus the one flag only the classic builder has.
/// Buildx keeps the classic resource flags hidden so old scripts still parse.
pub(super) const BUILD: &[Flag] = &[
    v("add-host"),
    v("allow"),
    v("annotation"),
    v("build-arg"),
    v("cache-from"),
    v("cache-to"),
    v("cgroup-parent"),
    v("build-context"),
    v("file").short('f'),
    v("iidfile"),
    v("label"),
    b("load"),
    v("network"),
    v("no-cache-filter"),
    v("output").short('o'),
    v("platform"),
    b("push"),
    b("quiet").short('q'),
    v("secret"),
    v("shm-size"),
    v("ssh"),
    v("tag").short('t'),
    v("target"),
    v("ulimit"),
    v("attest"),
    v("sbom"),
    v("provenance"),
    v("call"),
    Flag::optional("check", "true"),
    // Hidden in buildx, kept for the classic builder's scripts.
    v("print"),
    b("compress"),
    v("isolation"),
    v("security-opt"),
    b("squash"),
    v("memory").short('m'),
    v("memory-swap"),
    v("cpu-shares").short('c'),
    v("cpu-period"),
    v("cpu-quota"),
    v("cpuset-cpus"),
    v("cpuset-mems"),
    b("rm"),
    b("force-rm"),
    // buildx's common build flags.
    b("no-cache"),
    v("progress"),
    b("pull"),
    v("metadata-file"),
    // buildx's root flags, inherited by `buildx build`.
    v("builder"),
    b("debug").short('D'),
    // Only the classic builder.
    b("disable-content-trust"),
];

/// `--platform` arrived in Docker 28.0.
pub(super) const HISTORY: &[Flag] =
    &[b("human").short('H'), b("quiet").short('q'), b("no-trunc"), v("format"), v("platform")];

/// `--platform` arrived in Docker 28.1.
pub(super) const IMAGE_INSPECT: &[Flag] = &[v("format").short('f'), v("platform")];

/// `--name` is hidden: the name is normally the positional argument.
pub(super) const VOLUME_CREATE: &[Flag] = &[
    v("driver").short('d'),
    v("name"),
    v("opt").short('o'),
    v("label"),
    // Cluster volumes (swarm) only.
    v("group"),
    v("scope"),
    v("sharing"),
    v("availability"),
    v("type"),
    v("secret"),
    v("limit-bytes"),
    v("required-bytes"),
    v("topology-required"),
    v("topology-preferred"),
];

pub(super) const VOLUME_LS: &[Flag] = &[b("quiet").short('q'), v("format"), v("filter").short('f'), b("cluster")];

/// `volume inspect`, `info` and `version`.
pub(super) const FORMAT: &[Flag] = &[v("format").short('f')];

/// `volume rm`, `network rm` and `network disconnect`.
pub(super) const FORCE: &[Flag] = &[b("force").short('f')];

pub(super) const VOLUME_PRUNE: &[Flag] = &[b("all").short('a'), b("force").short('f'), v("filter")];

/// `--ipv4` arrived in Docker 28.0, with IPv6-only networks.
pub(super) const NETWORK_CREATE: &[Flag] = &[
    v("driver").short('d'),
    v("opt").short('o'),
    v("label"),
    b("internal"),
    b("ipv4"),
    b("ipv6"),
    b("attachable"),
    b("ingress"),
    v("scope"),
    b("config-only"),
    v("config-from"),
    v("ipam-driver"),
    v("subnet"),
    v("ip-range"),
    v("gateway"),
    v("aux-address"),
    v("ipam-opt"),
];

pub(super) const NETWORK_LS: &[Flag] = &[b("quiet").short('q'), b("no-trunc"), v("format"), v("filter").short('f')];

pub(super) const NETWORK_INSPECT: &[Flag] = &[v("format").short('f'), b("verbose").short('v')];

/// `--gw-priority` arrived in Docker 28.0.
pub(super) const NETWORK_CONNECT: &[Flag] =
    &[v("ip"), v("ip6"), v("link"), v("alias"), v("link-local-ip"), v("driver-opt"), v("gw-priority")];

pub(super) const CP: &[Flag] = &[b("follow-link").short('L'), b("archive").short('a'), b("quiet").short('q')];

/// `--pause` defaults to true, so it is spelled `--pause=false` to turn it off (Docker 29 adds `--no-pause`).
pub(super) const COMMIT: &[Flag] =
    &[b("pause").short('p'), v("message").short('m'), v("author").short('a'), v("change").short('c')];

pub(super) const LOGIN: &[Flag] = &[v("username").short('u'), v("password").short('p'), b("password-stdin")];

pub(super) const SYSTEM_PRUNE: &[Flag] = &[b("all").short('a'), b("force").short('f'), b("volumes"), v("filter")];
