//! Docker 28's command tree. A command's `canonical` path is the short top-level form where Docker has one
//! (`container run` → `run`, `image ls` → `images`), so rules and the engine match one spelling.
//!
//! Commands docklings does not model are listed as opaque so that they are not reported as unknown; to model
//! one, replace its `opaque` line with a `leaf` and a flag group in `flags.rs`.

use super::flags as f;
use super::spec::{Arity, Command};

const fn leaf(
    name: &'static str,
    canonical: &'static [&'static str],
    flags: &'static [&'static [super::spec::Flag]],
    args: Arity,
) -> Command {
    Command::leaf(name, canonical, flags, args)
}

const fn opaque(name: &'static str, canonical: &'static [&'static str]) -> Command {
    Command::opaque(name, canonical)
}

// The leaf commands, each defined once and placed both at the top level and under its management command, as
// docker/cli registers the same constructor twice.
const RUN: Command = Command::leaf_stopping("run", &["run"], &[f::RUN, f::CREATE, f::CONTAINER], Arity::Min(1));
const CREATE: Command = Command::leaf_stopping("create", &["create"], &[f::CREATE, f::CONTAINER], Arity::Min(1));
const START: Command = leaf("start", &["start"], &[f::START], Arity::Min(1));
const STOP: Command = leaf("stop", &["stop"], &[f::STOP], Arity::Min(1));
const RESTART: Command = leaf("restart", &["restart"], &[f::STOP], Arity::Min(1));
const KILL: Command = leaf("kill", &["kill"], &[f::KILL], Arity::Min(1));
const RM: Command = leaf("rm", &["rm"], &[f::RM], Arity::Min(1));
const PS: Command = leaf("ps", &["ps"], &[f::PS], Arity::None);
const LOGS: Command = leaf("logs", &["logs"], &[f::LOGS], Arity::Exact(1));
const EXEC: Command = Command::leaf_stopping("exec", &["exec"], &[f::EXEC], Arity::Min(2));
const PORT: Command = leaf("port", &["port"], &[], Arity::Range(1, 2));
const CP: Command = leaf("cp", &["cp"], &[f::CP], Arity::Exact(2));
const COMMIT: Command = Command::leaf_stopping("commit", &["commit"], &[f::COMMIT], Arity::Range(1, 2));
const IMAGES: Command = leaf("images", &["images"], &[f::IMAGES], Arity::Max(1));
const RMI: Command = leaf("rmi", &["rmi"], &[f::RMI], Arity::Min(1));
const PULL: Command = leaf("pull", &["pull"], &[f::PULL], Arity::Exact(1));
const PUSH: Command = leaf("push", &["push"], &[f::PUSH], Arity::Exact(1));
const TAG: Command = leaf("tag", &["tag"], &[], Arity::Exact(2));
const BUILD: Command = leaf("build", &["build"], &[f::BUILD], Arity::Exact(1));
const HISTORY: Command = leaf("history", &["history"], &[f::HISTORY], Arity::Exact(1));
const INFO: Command = leaf("info", &["info"], &[f::FORMAT], Arity::None);

const CONTAINER: &[Command] = &[
    opaque("attach", &["attach"]),
    COMMIT,
    CP,
    CREATE,
    opaque("diff", &["diff"]),
    EXEC,
    opaque("export", &["export"]),
    leaf("inspect", &["container", "inspect"], &[f::CONTAINER_INSPECT], Arity::Min(1)),
    KILL,
    LOGS,
    Command { name: "ls", ..PS }.aliases(&["list", "ps"]),
    opaque("pause", &["pause"]),
    PORT,
    leaf("prune", &["container", "prune"], &[f::PRUNE], Arity::None),
    opaque("rename", &["rename"]),
    RESTART,
    RM.aliases(&["remove"]),
    RUN,
    START,
    opaque("stats", &["stats"]),
    STOP,
    opaque("top", &["top"]),
    opaque("unpause", &["unpause"]),
    opaque("update", &["update"]),
    opaque("wait", &["wait"]),
];

const IMAGE: &[Command] = &[
    BUILD,
    HISTORY,
    opaque("import", &["import"]),
    leaf("inspect", &["image", "inspect"], &[f::IMAGE_INSPECT], Arity::Min(1)),
    opaque("load", &["load"]),
    Command { name: "ls", ..IMAGES }.aliases(&["list"]),
    leaf("prune", &["image", "prune"], &[f::IMAGE_PRUNE], Arity::None),
    PULL,
    PUSH,
    Command { name: "rm", ..RMI }.aliases(&["rmi", "remove"]),
    opaque("save", &["save"]),
    TAG,
];

const VOLUME: &[Command] = &[
    leaf("create", &["volume", "create"], &[f::VOLUME_CREATE], Arity::Max(1)),
    leaf("inspect", &["volume", "inspect"], &[f::FORMAT], Arity::Min(1)),
    leaf("ls", &["volume", "ls"], &[f::VOLUME_LS], Arity::None).aliases(&["list"]),
    leaf("prune", &["volume", "prune"], &[f::VOLUME_PRUNE], Arity::None),
    leaf("rm", &["volume", "rm"], &[f::FORCE], Arity::Min(1)).aliases(&["remove"]),
    opaque("update", &["volume", "update"]),
];

const NETWORK: &[Command] = &[
    leaf("connect", &["network", "connect"], &[f::NETWORK_CONNECT], Arity::Exact(2)),
    leaf("create", &["network", "create"], &[f::NETWORK_CREATE], Arity::Exact(1)),
    leaf("disconnect", &["network", "disconnect"], &[f::FORCE], Arity::Exact(2)),
    leaf("inspect", &["network", "inspect"], &[f::NETWORK_INSPECT], Arity::Min(1)),
    leaf("ls", &["network", "ls"], &[f::NETWORK_LS], Arity::None).aliases(&["list"]),
    leaf("prune", &["network", "prune"], &[f::PRUNE], Arity::None),
    leaf("rm", &["network", "rm"], &[f::FORCE], Arity::Min(1)).aliases(&["remove"]),
];

const SYSTEM: &[Command] = &[
    opaque("df", &["system", "df"]),
    opaque("events", &["events"]),
    INFO,
    leaf("prune", &["system", "prune"], &[f::SYSTEM_PRUNE], Arity::None),
];

/// `docker builder` is buildx's alias when buildx is installed, so subcommands beyond these are plausible.
const BUILDER: &[Command] = &[BUILD, opaque("prune", &["builder", "prune"])];

const BUILDX: &[Command] = &[Command { aliases: &["b"], ..BUILD }];

/// The top level. Plugins that ship with Docker Desktop or the engine packages are listed as opaque.
pub(super) const ROOT: &[Command] = &[
    // Management commands.
    Command::open_group("builder", &["builder"], BUILDER),
    Command::open_group("buildx", &["buildx"], BUILDX),
    opaque("checkpoint", &["checkpoint"]),
    opaque("compose", &["compose"]),
    opaque("config", &["config"]),
    Command::group("container", &["container"], CONTAINER),
    opaque("context", &["context"]),
    Command::group("image", &["image"], IMAGE),
    opaque("manifest", &["manifest"]),
    Command::group("network", &["network"], NETWORK),
    opaque("node", &["node"]),
    opaque("plugin", &["plugin"]),
    opaque("secret", &["secret"]),
    opaque("service", &["service"]),
    opaque("stack", &["stack"]),
    opaque("swarm", &["swarm"]),
    Command::group("system", &["system"], SYSTEM),
    opaque("trust", &["trust"]),
    Command::group("volume", &["volume"], VOLUME),
    // Plugins.
    opaque("ai", &["ai"]),
    opaque("bake", &["bake"]),
    opaque("debug", &["debug"]),
    opaque("desktop", &["desktop"]),
    opaque("extension", &["extension"]),
    opaque("init", &["init"]),
    opaque("model", &["model"]),
    opaque("sbom", &["sbom"]),
    opaque("scout", &["scout"]),
    // Top-level commands.
    opaque("attach", &["attach"]),
    BUILD,
    COMMIT,
    CP,
    CREATE,
    opaque("diff", &["diff"]),
    opaque("events", &["events"]),
    EXEC,
    opaque("export", &["export"]),
    opaque("help", &["help"]),
    HISTORY,
    IMAGES,
    opaque("import", &["import"]),
    INFO,
    leaf("inspect", &["inspect"], &[f::INSPECT], Arity::Min(1)),
    KILL,
    opaque("load", &["load"]),
    leaf("login", &["login"], &[f::LOGIN], Arity::Max(1)),
    leaf("logout", &["logout"], &[], Arity::Max(1)),
    LOGS,
    opaque("pause", &["pause"]),
    PORT,
    PS,
    PULL,
    PUSH,
    opaque("rename", &["rename"]),
    RESTART,
    RM,
    RMI,
    RUN,
    opaque("save", &["save"]),
    opaque("search", &["search"]),
    START,
    opaque("stats", &["stats"]),
    STOP,
    TAG,
    opaque("top", &["top"]),
    opaque("unpause", &["unpause"]),
    opaque("update", &["update"]),
    leaf("version", &["version"], &[f::FORMAT], Arity::None),
    opaque("wait", &["wait"]),
];
