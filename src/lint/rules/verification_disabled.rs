//! DK4003: TLS certificate or package signature checks turned off (`curl -k`, `apt-get --allow-unauthenticated`,
//! `NODE_TLS_REJECT_UNAUTHORIZED=0`, …).

use crate::dockerfile::{Args, Keyword, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::{SimpleCommand, Word, word_is_flag};

use super::packages;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "TLS certificate or package signature checks turned off",
    what: "Finds commands and variables that make a download trust whatever answers: `curl -k`/`--insecure`, \
           `wget --no-check-certificate`, `pip --trusted-host` and `PIP_TRUSTED_HOST`, \
           `npm`/`yarn config set strict-ssl false`, Git's `http.sslVerify=false` and `GIT_SSL_NO_VERIFY`, \
           `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`; and package installs that skip signatures: \
           `apk --allow-untrusted`, `apt-get --allow-unauthenticated`/`--force-yes`, `[trusted=yes]` sources, \
           `--nogpgcheck` (yum, dnf, microdnf, tdnf), `zypper --no-gpg-checks`, `gpgcheck=0`, \
           `rpm --nosignature`/`--nodigest`. Variables count in `ENV`, in `ARG` defaults and in `RUN` \
           (`export NAME=…` or `NAME=… command`).",
    why: "These checks are what makes a download from the internet safe to run: without them anyone on the \
          network path (a compromised proxy, Wi-Fi, DNS) can hand the build a different file or package, and it \
          is installed into the image without a warning. Set in `ENV`, the setting also stays on in every \
          container of the image.",
    example: "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN curl -fsSLk https://example.com/install.sh -o /tmp/install.sh\n",
    instead: "FROM node:20-slim\nCOPY corp-root-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-root-ca.crt\nRUN curl -fsSL https://example.com/install.sh -o /tmp/install.sh\n",
    fix: None,
};

const TLS_HELP: &str = "keep the check on; when a proxy or private registry uses its own certificate authority, \
                        add its certificate (`COPY ca.crt /usr/local/share/ca-certificates/` and \
                        `RUN update-ca-certificates`) instead";
const SIGNATURE_HELP: &str = "keep signature checks on: import the repository's signing key, so that packages are \
                              verified";

/// A variable that turns a check off when it has a value for which `turns_off` holds.
struct Variable {
    name: &'static str,
    turns_off: fn(&str) -> bool,
    what: &'static str,
}

fn is_zero(v: &str) -> bool {
    v.trim() == "0"
}

fn is_false(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0" | "no")
}

const VARIABLES: &[Variable] = &[
    Variable {
        name: "NODE_TLS_REJECT_UNAUTHORIZED",
        turns_off: is_zero,
        what: "makes Node.js accept any TLS certificate",
    },
    Variable { name: "PYTHONHTTPSVERIFY", turns_off: is_zero, what: "makes Python accept any TLS certificate" },
    Variable {
        name: "GIT_SSL_NO_VERIFY",
        turns_off: |_| true,
        what: "makes Git accept any TLS certificate (whatever its value)",
    },
    Variable {
        name: "PIP_TRUSTED_HOST",
        turns_off: |v| !v.trim().is_empty(),
        what: "lets pip use those hosts without valid HTTPS",
    },
    Variable { name: "NPM_CONFIG_STRICT_SSL", turns_off: is_false, what: "makes npm accept any TLS certificate" },
    Variable { name: "YARN_ENABLE_STRICT_SSL", turns_off: is_false, what: "makes Yarn accept any TLS certificate" },
];

/// What turning a check off through `name=value` does, when it does.
fn variable(name: &str, value: &str) -> Option<&'static str> {
    VARIABLES.iter().find(|v| v.name.eq_ignore_ascii_case(name) && (v.turns_off)(value)).map(|v| v.what)
}

/// A finding in a command: the word, what it does, and whether it is about TLS (else signatures).
struct Hit<'c> {
    word: &'c Word,
    what: String,
    tls: bool,
}

fn flag_hits<'c>(cmd: &'c SimpleCommand, flags: &[&str], what: impl Fn(&str) -> String, tls: bool) -> Vec<Hit<'c>> {
    cmd.args()
        .iter()
        .filter(|w| word_is_flag(&w.value, flags))
        .map(|w| Hit { word: w, what: what(&w.value), tls })
        .collect()
}

/// `config set strict-ssl false` (npm, yarn, pnpm), also as `strict-ssl=false` and Yarn 2's `enableStrictSsl`.
fn strict_ssl_off(cmd: &SimpleCommand) -> Option<&Word> {
    let args: Vec<&str> = cmd.args().iter().map(|w| w.value.as_str()).collect();
    let at = args.iter().position(|a| {
        let key = a.split('=').next().unwrap_or("").to_ascii_lowercase();
        key == "strict-ssl" || key == "enablestrictssl" || key == "--strict-ssl"
    })?;
    let word = &cmd.args()[at];
    let value = match word.value.split_once('=') {
        Some((_, v)) => v,
        None => args.get(at + 1).copied().unwrap_or(""),
    };
    let setting = args[..at].contains(&"set") || word.value.starts_with("--");
    (setting && is_false(value)).then_some(word)
}

fn command_hits(cmd: &SimpleCommand) -> Vec<Hit<'_>> {
    let Some(program) = cmd.program() else { return Vec::new() };
    let mut hits = match program {
        "curl" => flag_hits(
            cmd,
            &["-k", "--insecure", "--proxy-insecure"],
            |f| format!("`curl {f}` accepts any TLS certificate"),
            true,
        ),
        "wget" => flag_hits(
            cmd,
            &["--no-check-certificate"],
            |_| "`wget --no-check-certificate` accepts any TLS certificate".into(),
            true,
        ),
        p if p.starts_with("pip") || p.starts_with("python") || p == "uv" => {
            let mut h = flag_hits(
                cmd,
                &["--trusted-host"],
                |_| "`pip --trusted-host` lets pip use that host without valid HTTPS".into(),
                true,
            );
            if let Some(w) = cmd.args().iter().find(|w| w.value.ends_with(".trusted-host")) {
                h.push(Hit {
                    word: w,
                    what: "`pip config set …trusted-host` lets pip use that host without valid HTTPS".into(),
                    tls: true,
                });
            }
            h
        }
        "npm" | "yarn" | "pnpm" => strict_ssl_off(cmd)
            .map(|w| {
                vec![Hit {
                    word: w,
                    what: format!("`{program}` with `strict-ssl` off accepts any TLS certificate"),
                    tls: true,
                }]
            })
            .unwrap_or_default(),
        "git" => {
            let args = cmd.args();
            let mut h = Vec::new();
            for (i, w) in args.iter().enumerate() {
                let v = w.value.to_ascii_lowercase();
                let inline = v.strip_prefix("http.sslverify=").is_some_and(is_false);
                let separate = v == "http.sslverify" && args.get(i + 1).is_some_and(|n| is_false(&n.value));
                if inline || separate {
                    h.push(Hit {
                        word: w,
                        what: "`http.sslVerify=false` makes Git accept any TLS certificate".into(),
                        tls: true,
                    });
                }
            }
            h
        }
        "apk" => flag_hits(
            cmd,
            &["--allow-untrusted"],
            |_| "`apk --allow-untrusted` installs packages whose signature is not trusted".into(),
            false,
        ),
        "apt-get" | "apt" | "aptitude" => {
            let mut h = flag_hits(
                cmd,
                &["--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"],
                |f| format!("`{program} {f}` installs packages that no trusted key signed"),
                false,
            );
            for w in cmd.args() {
                let v = w.value.to_ascii_lowercase();
                if v.contains("allowunauthenticated=true") || v.contains("allowinsecurerepositories=true") {
                    h.push(Hit {
                        word: w,
                        what: format!("`{}` lets apt install unsigned packages", w.value),
                        tls: false,
                    });
                }
            }
            h
        }
        "yum" | "dnf" | "microdnf" | "tdnf" => flag_hits(
            cmd,
            &["--nogpgcheck"],
            |_| format!("`{program} --nogpgcheck` installs packages without checking their signatures"),
            false,
        ),
        "zypper" => flag_hits(
            cmd,
            &["--no-gpg-checks"],
            |_| "`zypper --no-gpg-checks` installs packages without checking their signatures".into(),
            false,
        ),
        "rpm" => flag_hits(
            cmd,
            &["--nosignature", "--nodigest"],
            |f| format!("`rpm {f}` installs packages without checking them"),
            false,
        ),
        _ => Vec::new(),
    };
    // Repository definitions written by the script: `deb [trusted=yes] …`, `gpgcheck=0`.
    for w in cmd.args() {
        let v = w.value.to_ascii_lowercase().replace(' ', "");
        // A local repository (`file:`, `copy:`) that the same build fills holds nothing from the network.
        let local = v.contains("file:") || v.contains("copy:");
        if v.contains("trusted=yes") && !local {
            hits.push(Hit {
                word: w,
                what: "an apt source marked `[trusted=yes]` is used without checking signatures".into(),
                tls: false,
            });
        } else if v.contains("gpgcheck=0") {
            hits.push(Hit {
                word: w,
                what: "a repository with `gpgcheck=0` is used without checking signatures".into(),
                tls: false,
            });
        }
    }
    hits
}

fn violation(span: Span, what: &str, tls: bool) -> Violation {
    Violation::new(span, what.to_string())
        .label(if tls { "TLS verification off" } else { "signature check off" })
        .help(if tls { TLS_HELP } else { SIGNATURE_HELP })
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    // ENV and ARG defaults.
    for ins in &ctx.file.instructions {
        let ins = ins.effective();
        let pairs: Vec<(&crate::dockerfile::Word, &crate::dockerfile::Word)> = match &ins.args {
            Args::KeyValues(pairs) if ins.kind == Keyword::Env => pairs.iter().map(|kv| (&kv.key, &kv.value)).collect(),
            Args::Arg(decls) => decls.iter().filter_map(|d| d.default.as_ref().map(|v| (&d.name, v))).collect(),
            _ => continue,
        };
        for (key, value) in pairs {
            if let Some(what) = variable(&key.value, &value.value) {
                let text = format!("`{}={}` {what}", key.value, value.value);
                out.push(violation(key.span.cover(value.span), &text, true));
            }
        }
    }
    // RUN: the commands, their `NAME=value` prefixes, and `export NAME=value`.
    for site in packages::commands(ctx) {
        let cmd = &site.cmd;
        let exported = if matches!(cmd.program(), Some("export" | "declare" | "env")) { cmd.args() } else { &[] };
        for w in cmd.assignments.iter().chain(exported) {
            let Some((name, value)) = w.value.split_once('=') else { continue };
            if let Some(what) = variable(name, value) {
                out.push(violation(site.script.word_span(w), &format!("`{}` {what}", w.value), true));
            }
        }
        for hit in command_hits(cmd) {
            out.push(violation(site.script.word_span(hit.word), &hit.what, hit.tls));
        }
    }
}
