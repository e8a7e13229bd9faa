//! What the rules for the RPM package managers (DL3030 to DL3041) share: reading `yum`, `dnf`, `microdnf` and
//! `zypper` command lines, telling a pinned package from an unpinned one, and telling when a RUN keeps their
//! caches out of the image.

use super::packages::{self, Site};
use crate::lint::context::DockerfileContext;
use crate::shell::{Joiner, SimpleCommand, Word, word_is_flag};

/// The package managers of the Red Hat family, which share their command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dnf {
    Yum,
    /// `dnf`, `dnf5`, `dnf-3`.
    Dnf,
    Microdnf,
}

impl Dnf {
    #[must_use]
    pub fn of(cmd: &SimpleCommand) -> Option<Dnf> {
        match cmd.program()? {
            "yum" => Some(Dnf::Yum),
            "dnf" | "dnf5" | "dnf-3" => Some(Dnf::Dnf),
            "microdnf" => Some(Dnf::Microdnf),
            _ => None,
        }
    }
}

/// The options of yum, dnf and microdnf that take a value as the next word.
pub const DNF_VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "--installroot",
    "--releasever",
    "--setopt",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--repofrompath",
    "--forcearch",
    "--color",
    "--downloaddir",
    "--destdir",
    "--comment",
    "--advisory",
    "--advisories",
    "--bz",
    "--cve",
    "--sec-severity",
    "--secseverity",
    "--rpmverbosity",
    "--enableplugin",
    "--disableplugin",
    "--platform-id",
];

/// The options of zypper (global ones and those of its install-like commands) that take a value as the next word.
pub const ZYPPER_VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "-R",
    "--root",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "-p",
    "--plus-repo",
    "--plus-content",
    "-r",
    "--repo",
    "--from",
    "-t",
    "--type",
    "--download",
    "--releasever",
    "--installroot",
];

/// Where the Red Hat family's managers keep downloaded metadata and packages.
pub const DNF_CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"];
/// Where zypper keeps them.
pub const ZYPPER_CACHES: &[&str] = &["/var/cache/zypp"];

/// An install-like command: where its subcommand ends (for the span) and the words that name packages.
pub struct Install<'a> {
    /// Position in `cmd.words` of the last subcommand word (`install` in `dnf module install …`).
    pub at: usize,
    /// The words naming packages (or module streams when `module` is true).
    pub words: Vec<&'a Word>,
    /// `… module install`: the words are module streams, pinned with `:stream`.
    pub module: bool,
}

/// The operands after word `at` of the command, skipping flags and their values.
fn operands_after<'a>(cmd: &'a SimpleCommand, at: usize, with_value: &[&str]) -> Vec<&'a Word> {
    let rest = cmd.words.get(at + 1..).unwrap_or_default();
    packages::operand_positions(rest, with_value).into_iter().map(|i| &rest[i]).collect()
}

/// `yum|dnf|microdnf install …`, `… module install …`; group installs name groups, which have no version, and
/// give no package words.
#[must_use]
pub fn dnf_install(cmd: &SimpleCommand) -> Option<Install<'_>> {
    Dnf::of(cmd)?;
    let sub = packages::subcommand(
        cmd,
        DNF_VALUE_FLAGS,
        &["install", "in", "localinstall", "reinstall", "groupinstall", "module", "group", "groups"],
    )?;
    let name = cmd.words[sub].value.as_str();
    if matches!(name, "module" | "group" | "groups") {
        let next = operands_after(cmd, sub, DNF_VALUE_FLAGS);
        let install = next.first().filter(|w| w.value == "install")?;
        let at = cmd.words.iter().position(|w| std::ptr::eq(w, *install))?;
        let words = if name == "module" { operands_after(cmd, at, DNF_VALUE_FLAGS) } else { Vec::new() };
        return Some(Install { at, words, module: name == "module" });
    }
    let words = if name == "groupinstall" { Vec::new() } else { operands_after(cmd, sub, DNF_VALUE_FLAGS) };
    Some(Install { at: sub, words, module: false })
}

/// A yum/dnf command that downloads metadata or packages into the cache: installs, updates and upgrades.
#[must_use]
pub fn dnf_fills_cache(cmd: &SimpleCommand) -> Option<usize> {
    if dnf_install(cmd).is_some() {
        return dnf_install(cmd).map(|i| i.at);
    }
    Dnf::of(cmd)?;
    packages::subcommand(
        cmd,
        DNF_VALUE_FLAGS,
        &["update", "upgrade", "up", "distro-sync", "downgrade", "makecache", "update-minimal", "upgrade-minimal"],
    )
}

/// `yum|dnf|microdnf clean all`, or removing one of their caches.
#[must_use]
pub fn dnf_cleans(cmd: &SimpleCommand) -> bool {
    if Dnf::of(cmd).is_some() {
        return packages::subcommand(cmd, DNF_VALUE_FLAGS, &["clean"])
            .is_some_and(|at| cmd.words.get(at + 1).is_some_and(|w| w.value == "all"));
    }
    packages::removes(cmd, |p| covers_any(p, DNF_CACHES))
}

/// True when removing or mounting `path` covers one of `dirs`.
#[must_use]
pub fn covers_any(path: &str, dirs: &[&str]) -> bool {
    dirs.iter().any(|d| packages::path_covers(path, d) || path.starts_with(d))
}

/// True when a command after `site` in the same RUN (heredoc bodies included) satisfies `cleans`, or the RUN
/// mounts a cache or a tmpfs over one of `dirs`.
#[must_use]
pub fn cleaned_after(
    ctx: &DockerfileContext,
    sites: &[Site],
    n: usize,
    dirs: &[&str],
    cleans: impl Fn(&SimpleCommand) -> bool,
) -> bool {
    let site = &sites[n];
    packages::mounts_cache(site.instruction(ctx), |t| covers_any(t, dirs))
        || sites[n + 1..].iter().take_while(|s| s.index == site.index).any(|s| cleans(&s.cmd))
}

/// The zypper subcommand at the command's first operand when it is one of `names`.
#[must_use]
pub fn zypper_subcommand(cmd: &SimpleCommand, names: &[&str]) -> Option<usize> {
    if !cmd.is("zypper") {
        return None;
    }
    packages::subcommand(cmd, ZYPPER_VALUE_FLAGS, names)
}

/// `zypper install|in …` with the words that name packages: none when `-t`/`--type` picks patterns, patches
/// or products, which have no version to pin.
#[must_use]
pub fn zypper_install(cmd: &SimpleCommand) -> Option<Install<'_>> {
    let at = zypper_subcommand(cmd, &["install", "in"])?;
    let typed = cmd.words.windows(2).any(|w| {
        matches!(w[0].value.as_str(), "-t" | "--type") && w[1].value != "package"
            || w[0].value.strip_prefix("--type=").is_some_and(|t| t != "package")
    });
    let words = if typed {
        Vec::new()
    } else {
        operands_after(cmd, at, ZYPPER_VALUE_FLAGS)
            .into_iter()
            .filter(|w| !["pattern:", "patch:", "product:", "srcpackage:"].iter().any(|p| w.value.starts_with(p)))
            .collect()
    };
    Some(Install { at, words, module: false })
}

/// The program and its subcommand words up to word `at`, flags left out: `dnf module install`.
#[must_use]
pub fn command(cmd: &SimpleCommand, at: usize, with_value: &[&str]) -> String {
    let program = cmd.program().unwrap_or_default();
    let words = cmd.words.get(1..=at).unwrap_or_default();
    let operands = packages::operand_positions(words, with_value).into_iter().map(|i| words[i].value.as_str());
    std::iter::once(program).chain(operands).collect::<Vec<_>>().join(" ")
}

/// True when the command answers yes on its own: one of `flags` (bundles count), or input piped into it
/// (`yes | yum install …`).
#[must_use]
pub fn assumes_yes(cmd: &SimpleCommand, args: &[String], flags: &[&str]) -> bool {
    cmd.joiner == Joiner::Pipe || args.iter().any(|v| word_is_flag(v, flags))
}

/// True when `--setopt=assumeyes=1` (or `True`) is among the arguments, or an earlier RUN wrote
/// `assumeyes=1` into the manager's configuration.
#[must_use]
pub fn dnf_config_assumes_yes(ctx: &DockerfileContext, site: &Site, args: &[String]) -> bool {
    let setopt = args.iter().enumerate().any(|(i, v)| {
        let value = v
            .strip_prefix("--setopt=")
            .or_else(|| (v == "--setopt").then(|| args.get(i + 1)).flatten().map(String::as_str));
        value.and_then(|s| s.split_once('=')).is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("assumeyes")
                && packages::APT_TRUE.contains(&v.trim().to_ascii_lowercase().as_str())
        })
    });
    let start = site.script.command_span(&site.cmd).start;
    setopt || packages::apt_config_written(ctx, site.index, start, "assumeyes", packages::APT_TRUE)
}

/// True when an RPM package spec names a version: `name-version[-release]` (the part after a dash holds a
/// digit-led piece and only version characters), an `.rpm` file, or a comparison (`name >= 1.2`).
#[must_use]
pub fn rpm_pinned(spec: &str) -> bool {
    if packages::has_extension(spec, "rpm") || spec.contains(['=', '<', '>']) {
        return true;
    }
    let mut parts = spec.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    let version_char = |c: char| c.is_ascii_alphanumeric() || ".~^_:+".contains(c);
    !rest.is_empty()
        && rest.iter().any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
        && rest.iter().skip_while(|p| !p.starts_with(|c: char| c.is_ascii_digit())).all(|p| p.chars().all(version_char))
}

/// Package words that name no package of a repository: groups (`@…`), file paths that are not `.rpm` files,
/// and URLs. They have no version to pin.
#[must_use]
pub fn is_package_spec(spec: &str) -> bool {
    !(spec.starts_with('@') || spec.contains("://") || (spec.starts_with('/') && !packages::has_extension(spec, "rpm")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_pins() {
        for pinned in ["httpd-2.4.6", "httpd-tools-2.4.6-97.el7", "foo-1:2.3", "bar-2.0~rc1", "x.rpm", "a >= 1"] {
            assert!(rpm_pinned(pinned), "{pinned}");
        }
        for unpinned in ["httpd", "httpd-tools", "python3-pip", "nodejs.x86_64", "foo-bar", "lib-2x-y/z"] {
            assert!(!rpm_pinned(unpinned), "{unpinned}");
        }
    }

    #[test]
    fn install_commands() {
        let s = crate::shell::parse(
            "dnf -y --setopt x=1 module install nodejs:18 && yum groupinstall -y 'Dev' && microdnf install --nodocs a b",
        );
        let i = dnf_install(&s.commands[0]).unwrap();
        assert!(i.module);
        assert_eq!(i.words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["nodejs:18"]);
        assert!(dnf_install(&s.commands[1]).unwrap().words.is_empty());
        assert_eq!(dnf_install(&s.commands[2]).unwrap().words.len(), 2);
        let z = crate::shell::parse("zypper -n in -t pattern devel && zypper --non-interactive install -r repo a=1 b");
        assert!(zypper_install(&z.commands[0]).unwrap().words.is_empty());
        assert_eq!(zypper_install(&z.commands[1]).unwrap().words.len(), 2);
    }
}
