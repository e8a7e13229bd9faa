//! Container logs: every write of a container's processes, in order, with its stream and time, like Docker's
//! `json-file` driver (one JSON object a line), so `docker logs` can replay, tail, follow and time-stamp them.
//!
//! Lines are assembled as Docker's log copier does: a line is logged when its `\n` arrives, with the time it
//! arrived, so the lines of the two streams interleave by completion; an unfinished line is logged when the
//! container ends.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::engine::{EngineError, Logs, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    #[serde(rename = "stdout")]
    Stdout,
    #[serde(rename = "stderr")]
    Stderr,
}

/// One write of a process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub stream: Stream,
    /// Nanoseconds since the epoch.
    pub time: i128,
    pub log: String,
}

/// One logged line: its stream, the time it was completed, and its text (with its `\n`, unless it is the
/// unfinished last one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub stream: Stream,
    pub time: i128,
    pub text: String,
}

/// The log file of a container.
#[must_use]
pub fn path(container_dir: &Path) -> PathBuf {
    container_dir.join("log")
}

fn write_error(e: &std::io::Error) -> EngineError {
    EngineError::Local(format!("cannot write the container log: {e}"))
}

fn encode(stream: Stream, bytes: &[u8]) -> Vec<u8> {
    let entry = Entry { stream, time: super::state::now_nanos(), log: String::from_utf8_lossy(bytes).into_owned() };
    let mut line = serde_json::to_vec(&entry).unwrap_or_default();
    line.push(b'\n');
    line
}

/// Appends a write to the container's log (opening the file each time; a running container uses a [`Writer`]).
pub fn append(container_dir: &Path, stream: Stream, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new().create(true).append(true).open(path(container_dir)).map_err(|e| write_error(&e))?;
    f.write_all(&encode(stream, bytes)).map_err(|e| write_error(&e))
}

/// The open log of a running container, shared by its main process's two streams.
#[derive(Clone)]
pub struct Writer(Arc<Mutex<File>>);

impl Writer {
    pub fn open(container_dir: &Path) -> Result<Writer> {
        let f = OpenOptions::new().create(true).append(true).open(path(container_dir)).map_err(|e| write_error(&e))?;
        Ok(Writer(Arc::new(Mutex::new(f))))
    }

    /// Records a write; a log that cannot be written loses the entry rather than stopping the container.
    pub fn write(&self, stream: Stream, bytes: &[u8]) {
        let line = encode(stream, bytes);
        let _ = self.0.lock().unwrap_or_else(PoisonError::into_inner).write_all(&line);
    }
}

/// Builds lines from entries, in order.
#[derive(Default)]
pub struct Assembler {
    partial: [String; 2],
}

impl Assembler {
    /// Feeds one entry; returns the lines it completed.
    pub fn push(&mut self, e: &Entry) -> Vec<Line> {
        let slot = usize::from(e.stream == Stream::Stderr);
        let mut out = Vec::new();
        for piece in e.log.split_inclusive('\n') {
            self.partial[slot].push_str(piece);
            if piece.ends_with('\n') {
                out.push(Line { stream: e.stream, time: e.time, text: std::mem::take(&mut self.partial[slot]) });
            }
        }
        out
    }

    /// The unfinished lines, logged when the container ended (stamped `time`).
    pub fn finish(&mut self, time: i128) -> Vec<Line> {
        [Stream::Stdout, Stream::Stderr]
            .into_iter()
            .zip(&mut self.partial)
            .filter(|(_, text)| !text.is_empty())
            .map(|(stream, text)| Line { stream, time, text: std::mem::take(text) })
            .collect()
    }
}

/// Every entry, oldest first (an empty list when the container never printed anything).
pub fn entries(container_dir: &Path) -> Result<Vec<Entry>> {
    let Ok(f) = File::open(path(container_dir)) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for line in BufReader::new(f).lines() {
        let line = line.map_err(|e| EngineError::Local(format!("cannot read the container log: {e}")))?;
        // A line cut short by a crash is skipped rather than failing the whole log.
        if let Ok(e) = serde_json::from_str(&line) {
            out.push(e);
        }
    }
    Ok(out)
}

/// The lines of a container's log, as Docker's log driver records them.
#[must_use]
pub fn lines(entries: &[Entry]) -> Vec<Line> {
    let mut asm = Assembler::default();
    let mut out: Vec<Line> = entries.iter().flat_map(|e| asm.push(e)).collect();
    let last = entries.last().map_or(0, |e| e.time);
    out.extend(asm.finish(last));
    out
}

/// Reads a log as it grows, for `docker logs --follow`.
pub struct Follower {
    file: PathBuf,
    offset: u64,
    asm: Assembler,
    last_time: i128,
}

impl Follower {
    /// Starts at the beginning of the log.
    #[must_use]
    pub fn new(container_dir: &Path) -> Follower {
        Follower { file: path(container_dir), offset: 0, asm: Assembler::default(), last_time: 0 }
    }

    /// The lines completed since the last call.
    pub fn poll(&mut self) -> Vec<Line> {
        let Ok(mut f) = File::open(&self.file) else { return Vec::new() };
        if f.seek(SeekFrom::Start(self.offset)).is_err() {
            return Vec::new();
        }
        let mut buf = Vec::new();
        if f.read_to_end(&mut buf).is_err() {
            return Vec::new();
        }
        // Only whole JSON lines; a line being written stays for the next call.
        let Some(end) = buf.iter().rposition(|b| *b == b'\n') else { return Vec::new() };
        self.offset += end as u64 + 1;
        let mut out = Vec::new();
        for raw in buf[..=end].split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            if let Ok(e) = serde_json::from_slice::<Entry>(raw) {
                self.last_time = e.time;
                out.extend(self.asm.push(&e));
            }
        }
        out
    }

    /// The rest, once the container has ended: new lines, then the unfinished ones.
    pub fn finish(&mut self) -> Vec<Line> {
        let mut out = self.poll();
        out.extend(self.asm.finish(self.last_time));
        out
    }
}

/// Stdout and stderr, the last `tail` lines when given.
pub fn read(container_dir: &Path, tail: Option<usize>) -> Result<Logs> {
    let all = lines(&entries(container_dir)?);
    let skip = tail.map_or(0, |t| all.len().saturating_sub(t));
    let mut logs = Logs::default();
    for line in &all[skip..] {
        match line.stream {
            Stream::Stdout => logs.stdout.extend_from_slice(line.text.as_bytes()),
            Stream::Stderr => logs.stderr.extend_from_slice(line.text.as_bytes()),
        }
    }
    Ok(logs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_streams_apart_and_tails_by_line() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), Stream::Stdout, b"one\ntw").unwrap();
        append(dir.path(), Stream::Stderr, b"err\n").unwrap();
        append(dir.path(), Stream::Stdout, b"o\nthree\n").unwrap();
        let all = read(dir.path(), None).unwrap();
        assert_eq!(all.stdout, b"one\ntwo\nthree\n");
        assert_eq!(all.stderr, b"err\n");
        let tail = read(dir.path(), Some(2)).unwrap();
        assert_eq!(String::from_utf8(tail.stdout).unwrap(), "two\nthree\n");
        assert!(tail.stderr.is_empty());
    }

    #[test]
    fn a_line_is_stamped_when_it_is_completed() {
        let e = |stream, time, log: &str| Entry { stream, time, log: log.to_string() };
        let ls =
            lines(&[e(Stream::Stdout, 1, "part"), e(Stream::Stderr, 2, "err\n"), e(Stream::Stdout, 3, "ial\nlast")]);
        let got: Vec<(Stream, i128, &str)> = ls.iter().map(|l| (l.stream, l.time, l.text.as_str())).collect();
        assert_eq!(got, [(Stream::Stderr, 2, "err\n"), (Stream::Stdout, 3, "partial\n"), (Stream::Stdout, 3, "last")]);
    }

    #[test]
    fn a_follower_sees_what_is_added() {
        let dir = tempfile::tempdir().unwrap();
        let w = Writer::open(dir.path()).unwrap();
        let mut f = Follower::new(dir.path());
        w.write(Stream::Stdout, b"a\nb");
        let first: Vec<String> = f.poll().into_iter().map(|l| l.text).collect();
        assert_eq!(first, ["a\n"]);
        w.write(Stream::Stdout, b"c\nd");
        let rest: Vec<String> = f.finish().into_iter().map(|l| l.text).collect();
        assert_eq!(rest, ["bc\n", "d"]);
    }
}
