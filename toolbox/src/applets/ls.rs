//! `ls`, laid out as busybox lays it out: one name per line unless stdout is a terminal, columns sorted down,
//! and `-l` with busybox's field widths.

use std::fs::{self, Metadata};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use super::date::civil;
use super::options;
use crate::Proc;
use crate::getopt::Opts;
use crate::proc::strerror;

struct Entry {
    /// The name as printed: the operand itself, or the name inside a listed folder.
    name: String,
    host: PathBuf,
    meta: Metadata,
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(
        p,
        argv,
        "1aACxdlnhrtSRFpiLHsgoe",
        &[("all", 'a'), ("directory", 'd'), ("human-readable", 'h')],
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut status = 0;
    let operands = if o.operands.is_empty() { vec![".".to_string()] } else { o.operands.clone() };
    let long = o.last_of("l1Cx") == Some('l') || o.has('n') || o.has('g') || o.has('o');
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for operand in &operands {
        let host = p.host(operand);
        let followed = fs::metadata(&host);
        let meta = match fs::symlink_metadata(&host) {
            Ok(m) if m.file_type().is_symlink() && !long => followed.unwrap_or(m),
            Ok(m) => m,
            Err(e) => {
                p.error("ls", &format!("{operand}: {}", strerror(&e)));
                status = 1;
                continue;
            }
        };
        let is_dir = meta.is_dir() || (meta.file_type().is_symlink() && !long && host.is_dir());
        let entry = Entry { name: operand.clone(), host, meta };
        if is_dir && !o.has('d') { dirs.push(entry) } else { files.push(entry) }
    }
    let show_headers = operands.len() > 1 || o.has('R');
    let mut first = true;
    if !files.is_empty() {
        sort(&mut files, &o);
        display(p, &o, &files, long);
        first = false;
    }
    sort(&mut dirs, &o);
    for dir in dirs {
        status |= list_dir(p, &o, &dir.name, &dir.host, show_headers, &mut first, long);
    }
    status
}

fn list_dir(p: &Proc, o: &Opts, shown: &str, host: &PathBuf, header: bool, first: &mut bool, long: bool) -> i32 {
    if header {
        p.outs(&format!("{}{shown}:\n", if *first { "" } else { "\n" }));
    }
    *first = false;
    let read = match fs::read_dir(host) {
        Ok(r) => r,
        Err(e) => {
            p.error("ls", &format!("can't open '{shown}': {}", strerror(&e)));
            return 1;
        }
    };
    let mut entries: Vec<Entry> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let visible = !name.starts_with('.') || o.has('a') || o.has('A');
            let meta = fs::symlink_metadata(e.path()).ok()?;
            visible.then_some(Entry { name, host: e.path(), meta })
        })
        .collect();
    if o.has('a') {
        for dot in [".", ".."] {
            let path = host.join(dot);
            // At a mount's root the parent lies outside the sandbox: the folder stands in for it.
            if let Ok(meta) = fs::metadata(&path).or_else(|_| fs::metadata(host)) {
                entries.push(Entry { name: dot.to_string(), host: path, meta });
            }
        }
    }
    sort(&mut entries, o);
    if long {
        let blocks: u64 = entries.iter().map(|e| blocks(&e.meta)).sum();
        p.outs(&format!("total {blocks}\n"));
    }
    display(p, o, &entries, long);
    let mut status = 0;
    if o.has('R') {
        for entry in entries.iter().filter(|e| e.meta.is_dir() && e.name != "." && e.name != "..") {
            let sub = format!("{}/{}", shown.trim_end_matches('/'), entry.name);
            status |= list_dir(p, o, &sub, &entry.host, true, first, long);
        }
    }
    status
}

fn sort(entries: &mut [Entry], o: &Opts) {
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    if o.has('t') {
        entries.sort_by_key(|e| std::cmp::Reverse(mtime(&e.meta)));
    } else if o.has('S') {
        entries.sort_by_key(|e| std::cmp::Reverse(size(&e.meta)));
    }
    if o.has('r') {
        entries.reverse();
    }
}

fn display(p: &Proc, o: &Opts, entries: &[Entry], long: bool) {
    if long {
        for entry in entries {
            p.outs(&format!("{}\n", long_line(o, entry)));
        }
        return;
    }
    let names: Vec<String> = entries.iter().map(|e| format!("{}{}", e.name, suffix(o, e))).collect();
    let columns = (o.has('C') || o.has('x') || p.tty) && o.last_of("1Cx") != Some('1');
    if !columns {
        for name in names {
            p.outs(&format!("{name}\n"));
        }
        return;
    }
    let width: usize = p.var("COLUMNS").and_then(|c| c.parse().ok()).unwrap_or(80);
    let column_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
    let ncols = (width / column_width).max(1);
    let nrows = names.len().div_ceil(ncols);
    let mut out = String::new();
    for row in 0..nrows {
        let mut line = String::new();
        for col in 0..ncols {
            let i = if o.has('x') { row * ncols + col } else { col * nrows + row };
            if let Some(name) = names.get(i) {
                if !line.is_empty() {
                    let pad = column_width * col - line.chars().count();
                    line.push_str(&" ".repeat(pad));
                }
                line.push_str(name);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    p.outs(&out);
}

fn suffix(o: &Opts, entry: &Entry) -> &'static str {
    let ft = entry.meta.file_type();
    if ft.is_dir() && (o.has('F') || o.has('p')) {
        "/"
    } else if ft.is_symlink() && o.has('F') {
        "@"
    } else if o.has('F') && executable(entry) {
        "*"
    } else {
        ""
    }
}

fn long_line(o: &Opts, entry: &Entry) -> String {
    let ft = entry.meta.file_type();
    let mode = if ft.is_dir() {
        "drwxr-xr-x".to_string()
    } else if ft.is_symlink() {
        "lrwxrwxrwx".to_string()
    } else if executable(entry) {
        "-rwxr-xr-x".to_string()
    } else {
        "-rw-r--r--".to_string()
    };
    // WASI reports folders as read-only whatever they are, so only a native build shows missing write bits.
    let readonly = cfg!(unix) && entry.meta.permissions().readonly() && !ft.is_symlink();
    let mode = if readonly { mode.replace('w', "-") } else { mode };
    let links = if ft.is_dir() { 2 + subdirs(entry) } else { 1 };
    let (user, group) = if o.has('n') { ("0", "0") } else { ("root", "root") };
    let size = size(&entry.meta);
    let size = if o.has('h') { human(size) } else { size.to_string() };
    let mut line = format!("{mode} {links:>4} ");
    if !o.has('g') {
        line.push_str(&format!("{user:<8} "));
    }
    if !o.has('o') {
        line.push_str(&format!("{group:<8} "));
    }
    line.push_str(&format!("{size:>9} {} {}{}", when(&entry.meta), entry.name, suffix(o, entry)));
    if ft.is_symlink() {
        if let Ok(target) = fs::read_link(&entry.host) {
            line.push_str(&format!(" -> {}", target.to_string_lossy()));
        }
    }
    line
}

/// WASI has no mode bits, so a file is shown executable when it is a program: a script (`#!`) or a WASM module.
fn executable(entry: &Entry) -> bool {
    if !entry.meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        entry.meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        use std::io::Read;
        let mut head = [0u8; 4];
        let n = fs::File::open(&entry.host).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
        head[..n].starts_with(b"#!") || head[..n] == *b"\0asm"
    }
}

fn subdirs(entry: &Entry) -> u64 {
    fs::read_dir(&entry.host)
        .map_or(0, |r| r.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).count() as u64)
}

/// Folders show 4096 bytes, as on the ext4 and overlay file systems Docker uses.
fn size(meta: &Metadata) -> u64 {
    if meta.is_dir() { 4096 } else { meta.len() }
}

/// 1K blocks as ext4 allocates them: whole 4K blocks.
fn blocks(meta: &Metadata) -> u64 {
    if meta.file_type().is_symlink() { 0 } else { size(meta).div_ceil(4096) * 4 }
}

fn mtime(meta: &Metadata) -> SystemTime {
    meta.modified().unwrap_or(UNIX_EPOCH)
}

fn human(size: u64) -> String {
    let units = ["", "K", "M", "G", "T"];
    #[allow(clippy::cast_precision_loss)]
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{size}") } else { format!("{value:.1}{}", units[unit]) }
}

/// `Nov 28 18:07` within six months, `May  7  2026` otherwise, as busybox formats `ctime`.
fn when(meta: &Metadata) -> String {
    let secs =
        |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let t = secs(mtime(meta));
    let now = secs(SystemTime::now());
    let c = civil(t);
    let month = super::date::MONTHS[c.month as usize - 1];
    if now - t >= 365 * 86_400 / 2 || t - now > 15 * 60 {
        format!("{month} {:>2}  {}", c.day, c.year)
    } else {
        format!("{month} {:>2} {:02}:{:02}", c.day, c.hour, c.minute)
    }
}
