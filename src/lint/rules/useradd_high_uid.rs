//! DL3046: `useradd` with a high UID and without `-l`, which writes huge log files into the image.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::{SimpleCommand, Word};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`useradd` with a high UID and without `-l`",
    what: "Finds `useradd` commands that give a UID of 100000 or more (`-u`, `-u100000`, `--uid`, `--uid=`, or \
           `u` at the end of a bundle such as `-ru`) without `-l`/`--no-log-init`. A UID held in a variable \
           is left alone, since its value is not known (hadolint reports `-u ${USER_ID}` by the length of the \
           text).",
    why: "Unless told `-l`, `useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files \
          indexed by UID. On disk they are sparse, but an image layer stores them in full: a UID of 1000000 \
          adds hundreds of megabytes of zeros to the image.",
    example: "FROM debian:12\nRUN useradd -u 1000000 app\n",
    instead: "FROM debian:12\nRUN useradd -l -u 1000000 app\n",
    fix: None,
};

/// The short options of `useradd` that take a value.
const WITH_VALUE: &str = "bcdefgGkKpPRsuZ";

/// The word holding the UID, the UID text, and whether `-l` is given.
fn uid_and_log(cmd: &SimpleCommand) -> (Option<(&Word, String)>, bool) {
    let args = cmd.args();
    let mut uid = None;
    let mut no_log = false;
    let mut k = 0;
    while k < args.len() {
        let v = args[k].value.as_str();
        if v == "--no-log-init" {
            no_log = true;
        } else if v == "--uid" {
            uid = args.get(k + 1).map(|w| (w, w.value.clone()));
            k += 1;
        } else if let Some(value) = v.strip_prefix("--uid=") {
            uid = Some((&args[k], value.to_string()));
        } else if let Some(bundle) = v.strip_prefix('-').filter(|b| !b.starts_with('-')) {
            for (at, c) in bundle.char_indices() {
                if c == 'l' {
                    no_log = true;
                }
                if WITH_VALUE.contains(c) {
                    let rest = &bundle[at + 1..];
                    if rest.is_empty() {
                        if c == 'u' {
                            uid = args.get(k + 1).map(|w| (w, w.value.clone()));
                        }
                        k += 1;
                    } else if c == 'u' {
                        uid = Some((&args[k], rest.to_string()));
                    }
                    break;
                }
            }
        }
        k += 1;
    }
    (uid, no_log)
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for s in super::packages::commands(ctx) {
        if !s.cmd.is("useradd") {
            continue;
        }
        let (Some((word, uid)), false) = uid_and_log(&s.cmd) else { continue };
        let Some(n) = uid.parse::<u64>().ok().filter(|&n| n >= 100_000) else { continue };
        out.push(
            Violation::new(
                s.script.word_span(word),
                format!("`useradd` without `-l` fills the login records up to UID {n}"),
            )
            .label("large UID")
            .help("add `-l` (`--no-log-init`) so that `/var/log/lastlog` and `/var/log/faillog` stay empty"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::uid_and_log;

    fn read(s: &str) -> (Option<String>, bool) {
        let script = crate::shell::parse(s);
        let (uid, log) = uid_and_log(&script.commands[0]);
        (uid.map(|(_, u)| u), log)
    }

    #[test]
    fn reads_uid_and_no_log_init() {
        assert_eq!(read("useradd -u 1000000 app"), (Some("1000000".into()), false));
        assert_eq!(read("useradd -u1000000 app"), (Some("1000000".into()), false));
        assert_eq!(read("useradd --uid=1000000 app"), (Some("1000000".into()), false));
        assert_eq!(read("useradd -rlu 1000000 app"), (Some("1000000".into()), true));
        assert_eq!(read("useradd --no-log-init --uid 7 app"), (Some("7".into()), true));
        assert_eq!(read("useradd -s /bin/sh -m app"), (None, false));
        assert_eq!(read("useradd -g 1000000 app"), (None, false));
    }
}
