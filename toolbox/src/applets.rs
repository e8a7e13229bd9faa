//! The applet table and what applets share: option parsing with busybox's usage errors, and reading inputs.

mod date;
mod fs;
mod grep;
mod info;
mod ls;
mod net;
mod printf;
mod sed;
mod test;
mod text;
mod textproc;

use crate::getopt::{self, Opts};
use crate::proc::strerror;
use crate::{Applet, Proc};

struct Entry {
    name: &'static str,
    run: Applet,
    usage: &'static str,
}

/// Every applet, sorted by name. The usage line is the first line of busybox's help.
const APPLETS: &[Entry] = &[
    Entry { name: "[", run: test::main, usage: "[ EXPRESSION ]" },
    Entry {
        name: "ash",
        run: crate::shell::main,
        usage: "[-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS]",
    },
    Entry { name: "basename", run: info::basename, usage: "FILE [SUFFIX]" },
    Entry { name: "cat", run: text::cat, usage: "[-nb] [FILE]..." },
    Entry { name: "chgrp", run: fs::chmod, usage: "[-Rhcvf] GROUP FILE..." },
    Entry { name: "chmod", run: fs::chmod, usage: "[-Rcvf] MODE[,MODE]... FILE..." },
    Entry { name: "chown", run: fs::chmod, usage: "[-Rhcvf]... USER[:[GRP]] FILE..." },
    Entry { name: "cp", run: fs::cp, usage: "[-arPLHpfinlsTu] SOURCE DEST" },
    Entry { name: "cut", run: textproc::cut, usage: "[OPTIONS] [FILE]..." },
    Entry { name: "date", run: date::main, usage: "[OPTIONS] [+FMT] [[-s] TIME]" },
    Entry { name: "dirname", run: info::dirname, usage: "FILENAME" },
    Entry { name: "echo", run: info::echo, usage: "[-neE] [ARG]..." },
    Entry { name: "env", run: info::env, usage: "[-i] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]" },
    Entry { name: "false", run: info::false_, usage: "" },
    Entry {
        name: "grep",
        run: grep::main,
        usage: "[-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...",
    },
    Entry { name: "head", run: text::head, usage: "[OPTIONS] [FILE]..." },
    Entry { name: "hostname", run: info::hostname, usage: "[-sfi] [HOSTNAME | -F FILE]" },
    Entry {
        name: "httpd",
        run: net::httpd,
        usage: "[-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]",
    },
    Entry { name: "id", run: info::id, usage: "[-ugGnr] [USER]" },
    Entry { name: "ls", run: ls::main, usage: "[-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]..." },
    Entry { name: "mkdir", run: fs::mkdir, usage: "[-m MODE] [-p] DIRECTORY..." },
    Entry { name: "mv", run: fs::mv, usage: "[-fin] SOURCE DEST" },
    Entry { name: "nc", run: net::nc, usage: "[-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]" },
    Entry { name: "node", run: crate::node::main, usage: "[options] [ script.js ] [arguments]" },
    Entry { name: "nodejs", run: crate::node::main, usage: "[options] [ script.js ] [arguments]" },
    Entry { name: "npm", run: crate::npm::main, usage: "<command>" },
    Entry { name: "npx", run: crate::npm::npx, usage: "<command>" },
    Entry { name: "nslookup", run: net::nslookup, usage: "[-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]" },
    Entry { name: "ping", run: net::ping, usage: "[OPTIONS] HOST" },
    Entry { name: "printenv", run: info::printenv, usage: "[VARIABLE]..." },
    Entry { name: "printf", run: printf::main, usage: "FORMAT [ARG]..." },
    Entry { name: "pwd", run: info::pwd, usage: "" },
    Entry { name: "rm", run: fs::rm, usage: "[-irf] FILE..." },
    Entry { name: "rmdir", run: fs::rmdir, usage: "[-p] DIRECTORY..." },
    Entry { name: "sed", run: sed::main, usage: "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]..." },
    Entry { name: "seq", run: info::seq, usage: "[-w] [-s SEP] [FIRST [INC]] LAST" },
    Entry {
        name: "sh",
        run: crate::shell::main,
        usage: "[-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS]",
    },
    Entry { name: "sleep", run: info::sleep, usage: "[N]..." },
    Entry { name: "sort", run: textproc::sort, usage: "[-nrufbdis] [-k START[,END]] [-t CHAR] [FILE]..." },
    Entry { name: "tail", run: text::tail, usage: "[OPTIONS] [FILE]..." },
    Entry { name: "tee", run: text::tee, usage: "[-ai] [FILE]..." },
    Entry { name: "test", run: test::main, usage: "EXPRESSION ]" },
    Entry { name: "touch", run: fs::touch, usage: "[-c] [-d DATE] [-t DATE] [-r FILE] FILE..." },
    Entry { name: "tr", run: textproc::tr, usage: "[-cds] STRING1 [STRING2]" },
    Entry { name: "true", run: info::true_, usage: "" },
    Entry { name: "uname", run: info::uname, usage: "[-amnrspvio]" },
    Entry { name: "uniq", run: textproc::uniq, usage: "[-cdui] [-f,s,w N] [INPUT [OUTPUT]]" },
    Entry { name: "wc", run: text::wc, usage: "[-cmlwL] [FILE]..." },
    Entry { name: "wget", run: net::wget, usage: "[-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]" },
    Entry { name: "which", run: info::which, usage: "[COMMAND]..." },
    Entry { name: "whoami", run: info::whoami, usage: "" },
    Entry { name: "xargs", run: info::xargs, usage: "[OPTIONS] [PROG ARGS]" },
];

/// A time as `date +FMT` formats it (UTC), for npm's log file names.
pub(crate) fn format_time(fmt: &str, secs: i64, nanos: u32) -> String {
    date::format(fmt, secs, nanos)
}

/// The container's host name, as `hostname` prints it.
pub(crate) fn host_name_of(p: &Proc) -> String {
    info::host_name(p)
}

#[must_use]
pub fn find(name: &str) -> Option<Applet> {
    APPLETS.binary_search_by(|e| e.name.cmp(name)).ok().map(|i| APPLETS[i].run)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    APPLETS.iter().map(|e| e.name)
}

/// Prints busybox's usage error: the message, then the usage line. Returns the exit status, 1.
pub(crate) fn bad_usage(p: &Proc, name: &str, message: &str) -> i32 {
    if !message.is_empty() {
        p.error(name, message);
    }
    let usage = APPLETS.iter().find(|e| e.name == name).map_or("", |e| e.usage);
    p.errs(&format!("Usage: {name} {usage}\n"));
    1
}

/// Parses the options of `argv` (see [`getopt::parse`]), printing the usage error on failure.
pub(crate) fn options(p: &Proc, argv: &[String], spec: &str, long: &[(&str, char)]) -> Result<Opts, i32> {
    getopt::parse(&argv[1..], spec, long).map_err(|message| bad_usage(p, &argv[0], &message))
}

/// Parses a count option (`-n 5`); prints busybox's "invalid number" on failure.
pub(crate) fn number(p: &Proc, name: &str, text: &str) -> Result<u64, i32> {
    text.parse().map_err(|_| {
        p.error(name, &format!("invalid number '{text}'"));
        1
    })
}

/// The inputs of a filter: its file operands, or stdin (`-`) when there are none.
pub(crate) fn inputs(operands: &[String]) -> Vec<String> {
    if operands.is_empty() { vec!["-".to_string()] } else { operands.to_vec() }
}

/// Reads one input of a filter; on failure prints `name: FILE: error` (or `can't open` when `cant_open`).
pub(crate) fn read_input(p: &Proc, name: &str, path: &str, cant_open: bool) -> Option<Vec<u8>> {
    match p.read_all(path) {
        Ok(data) => Some(data),
        Err(e) if cant_open && e.kind() != std::io::ErrorKind::IsADirectory => {
            p.error(name, &format!("can't open '{path}': {}", strerror(&e)));
            None
        }
        Err(e) => {
            p.error(name, &format!("{path}: {}", strerror(&e)));
            None
        }
    }
}

/// Splits text into lines without their newlines; a last line without a newline is still a line.
pub(crate) fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") || data.is_empty() {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::APPLETS;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(APPLETS.windows(2).all(|w| w[0].name < w[1].name));
        assert!(super::find("ls").is_some() && super::find("[").is_some() && super::find("nope").is_none());
    }
}
