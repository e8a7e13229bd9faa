//! File applets: `mkdir`, `rmdir`, `rm`, `cp`, `mv`, `touch`.

use std::fs;
use std::io;
use std::time::SystemTime;

use super::{bad_usage, options};
use crate::Proc;
use crate::proc::strerror;

pub fn mkdir(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "pm:v", &[("parents", 'p'), ("mode", 'm')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if o.operands.is_empty() {
        return bad_usage(p, "mkdir", "");
    }
    let mut status = 0;
    for dir in &o.operands {
        let result =
            if o.has('p') { mkdir_parents(p, dir) } else { fs::create_dir(p.host(dir)).map_err(|e| (dir.clone(), e)) };
        if let Err((shown, e)) = result {
            p.error("mkdir", &format!("can't create directory '{shown}': {}", strerror(&e)));
            status = 1;
        }
    }
    status
}

/// `mkdir -p`: creates each missing component; a failure names the prefix that failed, with its slash, as busybox.
fn mkdir_parents(p: &Proc, dir: &str) -> Result<(), (String, io::Error)> {
    let mut prefix = String::new();
    let parts: Vec<&str> = dir.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        prefix.push_str(part);
        let last = parts[i + 1..].iter().all(|p| p.is_empty());
        if !part.is_empty() {
            let host = p.host(&prefix);
            if !host.is_dir() {
                if let Err(e) = fs::create_dir(&host) {
                    let shown = if last { dir.to_string() } else { format!("{prefix}/") };
                    return Err((shown, e));
                }
            }
        }
        if last {
            break;
        }
        prefix.push('/');
    }
    Ok(())
}

pub fn rmdir(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "p", &[("parents", 'p')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if o.operands.is_empty() {
        return bad_usage(p, "rmdir", "");
    }
    let mut status = 0;
    for dir in &o.operands {
        let mut path = dir.trim_end_matches('/').to_string();
        loop {
            let result = if path == "." || path.ends_with("/.") {
                Err(io::Error::from(io::ErrorKind::InvalidInput))
            } else {
                fs::remove_dir(p.host(&path))
            };
            if let Err(e) = result {
                p.error("rmdir", &format!("'{path}': {}", strerror(&e)));
                status = 1;
                break;
            }
            match path.rfind('/') {
                Some(at) if o.has('p') && at > 0 => path.truncate(at),
                _ => break,
            }
        }
    }
    status
}

pub fn rm(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "rRfiv", &[("recursive", 'r'), ("force", 'f')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let force = o.has('f');
    if o.operands.is_empty() {
        return if force { 0 } else { bad_usage(p, "rm", "") };
    }
    let recursive = o.has('r') || o.has('R');
    let mut status = 0;
    for target in &o.operands {
        let base = crate::basename(target);
        if base == "." || base == ".." {
            p.error("rm", "can't remove '.' or '..'");
            status = 1;
            continue;
        }
        let host = p.host(target);
        let meta = match fs::symlink_metadata(&host) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if !force {
                    p.error("rm", &format!("can't remove '{target}': {}", strerror(&e)));
                    status = 1;
                }
                continue;
            }
            Err(e) => {
                p.error("rm", &format!("can't stat '{target}': {}", strerror(&e)));
                status = 1;
                continue;
            }
        };
        if meta.is_dir() {
            if !recursive {
                p.error("rm", &format!("'{target}' is a directory"));
                status = 1;
                continue;
            }
            if let Err((path, e)) = remove_tree(&host, target) {
                p.error("rm", &format!("can't remove '{path}': {}", strerror(&e)));
                status = 1;
            }
        } else if let Err(e) = fs::remove_file(&host) {
            p.error("rm", &format!("can't remove '{target}': {}", strerror(&e)));
            status = 1;
        }
    }
    status
}

/// Removes a folder and everything in it; the error names the path (as the user wrote it) that could not go.
fn remove_tree(host: &std::path::Path, shown: &str) -> Result<(), (String, io::Error)> {
    let entries = fs::read_dir(host).map_err(|e| (shown.to_string(), e))?;
    let mut names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let child = host.join(&name);
        let child_shown = format!("{}/{}", shown.trim_end_matches('/'), name.to_string_lossy());
        let is_dir = fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir());
        if is_dir {
            remove_tree(&child, &child_shown)?;
        } else {
            fs::remove_file(&child).map_err(|e| (child_shown, e))?;
        }
    }
    fs::remove_dir(host).map_err(|e| (shown.to_string(), e))
}

pub fn cp(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "arRPLHpfinlsTudv", &[("recursive", 'r'), ("archive", 'a'), ("force", 'f')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if o.operands.len() < 2 {
        return bad_usage(p, "cp", "");
    }
    let recursive = o.has('r') || o.has('R') || o.has('a');
    let preserve = o.has('p') || o.has('a');
    let (sources, dest) = o.operands.split_at(o.operands.len() - 1);
    let dest = &dest[0];
    let into = sources.len() > 1 || p.host(dest).is_dir();
    let mut status = 0;
    for source in sources {
        let target = if into { join(dest, crate::basename(source)) } else { dest.clone() };
        let meta = match fs::metadata(p.host(source)) {
            Ok(m) => m,
            Err(e) => {
                p.error("cp", &format!("can't stat '{source}': {}", strerror(&e)));
                status = 1;
                continue;
            }
        };
        if p.logical(source) == p.logical(&target) {
            p.error("cp", &format!("'{source}' and '{target}' are the same file"));
            status = 1;
            continue;
        }
        if meta.is_dir() && !recursive {
            p.error("cp", &format!("omitting directory '{source}'"));
            status = 1;
            continue;
        }
        if !copy(p, source, &target, preserve) {
            status = 1;
        }
    }
    status
}

/// Copies a file or a tree, printing busybox's message for each failure. Returns whether everything was copied.
fn copy(p: &Proc, source: &str, target: &str, preserve: bool) -> bool {
    let host = p.host(source);
    if host.is_dir() {
        if !p.host(target).is_dir() {
            if let Err(e) = fs::create_dir(p.host(target)) {
                p.error("cp", &format!("can't create directory '{target}': {}", strerror(&e)));
                return false;
            }
        }
        let Ok(entries) = fs::read_dir(&host) else { return false };
        let mut names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let mut ok = true;
        for name in names {
            ok &= copy(p, &join(source, &name), &join(target, &name), preserve);
        }
        return ok;
    }
    let data = match fs::read(&host) {
        Ok(d) => d,
        Err(e) => {
            p.error("cp", &format!("can't open '{source}': {}", strerror(&e)));
            return false;
        }
    };
    if let Err(e) = fs::write(p.host(target), data) {
        p.error("cp", &format!("can't create '{target}': {}", strerror(&e)));
        return false;
    }
    if preserve {
        if let Ok(modified) = fs::metadata(&host).and_then(|m| m.modified()) {
            let _ = fs::File::options().write(true).open(p.host(target)).and_then(|f| f.set_modified(modified));
        }
    }
    true
}

fn join(dir: &str, name: &str) -> String {
    format!("{}/{name}", dir.trim_end_matches('/'))
}

pub fn mv(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "finTv", &[("force", 'f')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if o.operands.len() < 2 {
        return bad_usage(p, "mv", "");
    }
    let (sources, dest) = o.operands.split_at(o.operands.len() - 1);
    let dest = &dest[0];
    let into = sources.len() > 1 || p.host(dest).is_dir();
    let mut status = 0;
    for source in sources {
        let target = if into { join(dest, crate::basename(source)) } else { dest.clone() };
        if o.has('n') && p.host(&target).exists() {
            continue;
        }
        match fs::rename(p.host(source), p.host(&target)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(p.host(source)).is_err() => {
                p.error("mv", &format!("can't rename '{source}': {}", strerror(&e)));
                status = 1;
            }
            // Across mounts (a volume), busybox copies and then removes; a read-only target fails in the copy.
            Err(e) if matches!(e.kind(), io::ErrorKind::CrossesDevices | io::ErrorKind::ReadOnlyFilesystem) => {
                if e.kind() == io::ErrorKind::ReadOnlyFilesystem {
                    p.error("mv", &format!("can't create '{target}': {}", strerror(&e)));
                    status = 1;
                } else if copy(p, source, &target, true) {
                    let host = p.host(source);
                    let removed = if host.is_dir() {
                        remove_tree(&host, source).map_err(|(_, e)| e)
                    } else {
                        fs::remove_file(&host)
                    };
                    if let Err(e) = removed {
                        p.error("mv", &format!("can't remove '{source}': {}", strerror(&e)));
                        status = 1;
                    }
                } else {
                    status = 1;
                }
            }
            Err(e) => {
                p.error("mv", &format!("can't rename '{source}': {}", strerror(&e)));
                status = 1;
            }
        }
    }
    status
}

pub fn touch(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "chamd:t:r:", &[("no-create", 'c')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if o.operands.is_empty() {
        return bad_usage(p, "touch", "");
    }
    let when = match o.value('r') {
        Some(reference) => match fs::metadata(p.host(reference)).and_then(|m| m.modified()) {
            Ok(t) => t,
            Err(e) => {
                p.error("touch", &format!("{reference}: {}", strerror(&e)));
                return 1;
            }
        },
        None => SystemTime::now(),
    };
    let mut status = 0;
    for file in &o.operands {
        let host = p.host(file);
        let result = if host.exists() {
            // Opening a folder for writing fails, so only files get a new time; folders keep theirs.
            if host.is_dir() {
                Ok(())
            } else {
                fs::File::options().append(true).open(&host).and_then(|f| f.set_modified(when))
            }
        } else if o.has('c') {
            Ok(())
        } else {
            fs::File::create(&host).and_then(|f| f.set_modified(when))
        };
        if let Err(e) = result {
            p.error("touch", &format!("{file}: {}", strerror(&e)));
            status = 1;
        }
    }
    status
}

/// `chmod`, `chown`, `chgrp`: WASI has no owners or mode bits, so under WASI these only check that the files exist
/// (a Dockerfile's `RUN chmod +x entrypoint.sh` must succeed). Natively, `chmod` sets the mode.
pub fn chmod(p: &mut Proc, argv: &[String]) -> i32 {
    let name = argv[0].as_str();
    // A mode such as `-x` looks like an option; busybox takes it as the mode.
    let is_mode = |a: &String| {
        name == "chmod" && a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "rwxXst".contains(c))
    };
    let mode = argv[1..].iter().find(|a| is_mode(a)).cloned();
    let rest: Vec<String> = argv.iter().filter(|a| !is_mode(a)).cloned().collect();
    let o = match options(p, &rest, "Rcvfh", &[("recursive", 'R')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut operands = o.operands.clone();
    if let Some(mode) = mode {
        operands.insert(0, mode);
    }
    if operands.len() < 2 {
        return bad_usage(p, name, "");
    }
    let mut status = 0;
    for file in &operands[1..] {
        let host = p.host(file);
        match fs::metadata(&host) {
            Ok(meta) => {
                if name == "chmod" && !set_mode(&host, &meta, &operands[0]) {
                    p.error(name, &format!("invalid mode '{}'", operands[0]));
                    return 1;
                }
            }
            Err(e) => {
                if !o.has('f') {
                    p.error(name, &format!("{file}: {}", strerror(&e)));
                }
                status = 1;
            }
        }
    }
    status
}

#[cfg(unix)]
fn set_mode(host: &std::path::Path, meta: &fs::Metadata, spec: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let old = meta.permissions().mode() & 0o7777;
    let mode = if spec.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        u32::from_str_radix(spec, 8).ok()
    } else {
        spec.split(',').try_fold(old, |mode, clause| {
            let at = clause.find(['+', '-', '='])?;
            let who = if clause[..at].is_empty() { "a" } else { &clause[..at] };
            let mut mask = 0;
            for w in who.chars() {
                mask |= match w {
                    'u' => 0o4700,
                    'g' => 0o2070,
                    'o' => 0o1007,
                    'a' => 0o7777,
                    _ => return None,
                };
            }
            let mut bits = 0;
            for c in clause[at + 1..].chars() {
                bits |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' | 'X' => 0o111,
                    's' => 0o6000,
                    't' => 0o1000,
                    _ => return None,
                };
            }
            let bits = bits & mask;
            Some(match &clause[at..=at] {
                "+" => mode | bits,
                "-" => mode & !bits,
                _ => (mode & !mask) | bits,
            })
        })
    };
    mode.is_some_and(|m| fs::set_permissions(host, fs::Permissions::from_mode(m)).is_ok())
}

#[cfg(not(unix))]
fn set_mode(_: &std::path::Path, _: &fs::Metadata, spec: &str) -> bool {
    !spec.is_empty()
}
