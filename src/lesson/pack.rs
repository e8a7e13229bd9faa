//! Lesson packs: an instructor's own lessons, as a folder or a `.tar.gz` of one, in the lesson format. A pack holds
//! Markdown and nothing that runs: its solutions may only run `docker` and `curl` to this machine, and its files
//! and edits stay inside the learner's work folder (the lesson reader refuses anything else).

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// Where a pack's lessons are: the folder itself, or for an archive the folder it was unpacked into (under
/// `$DOCKLINGS_HOME/packs`, by content, so a changed archive unpacks afresh).
pub fn open(path: &Path) -> Result<PathBuf> {
    if path.is_dir() {
        return Ok(path.to_path_buf());
    }
    if !path.exists() {
        bail!("`{}` does not exist", path.display());
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // `.tar.gz` or `.tgz`, in any case: the name without it.
    let lower = name.to_ascii_lowercase();
    let Some(stem_len) = [".tar.gz", ".tgz"].iter().find_map(|ext| lower.strip_suffix(ext)).map(str::len) else {
        bail!("`{}` is not a lesson pack: give a folder of lessons or a .tar.gz of one", path.display());
    };
    let stem = &name[..stem_len];
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let digest = Sha256::digest(&bytes);
    let to = crate::home::dir()?.join("packs").join(format!("{stem}-{}", &hex(&digest)[..12]));
    if !to.is_dir() {
        unpack(&bytes, &to).with_context(|| format!("cannot unpack the lesson pack `{}`", path.display()))?;
    }
    Ok(root(&to))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Unpacks into a fresh folder next to `to`, then renames it into place, so a crash leaves no half pack behind.
/// Only folders and regular files with relative paths are taken: no links, devices or paths that climb out.
fn unpack(bytes: &[u8], to: &Path) -> Result<()> {
    let parent = to.parent().context("a pack folder has a parent")?;
    std::fs::create_dir_all(parent)?;
    let scratch = tempfile::tempdir_in(parent)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().context("not a gzip-compressed tar archive")? {
        let mut entry = entry.context("a damaged entry")?;
        let path = entry.path()?.into_owned();
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            bail!("`{}` is not a plain file or folder: a lesson pack holds only lessons", path.display());
        }
        if path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
            bail!("`{}` leaves the pack's folder", path.display());
        }
        entry.unpack_in(scratch.path())?;
    }
    let kept = scratch.keep();
    if let Err(e) = std::fs::rename(&kept, to) {
        // Another docklings unpacked the same pack meanwhile: theirs is as good.
        std::fs::remove_dir_all(&kept).ok();
        if !to.is_dir() {
            return Err(e.into());
        }
    }
    Ok(())
}

/// An archive of one folder (`pack/en/…`) has its lessons in that folder.
fn root(dir: &Path) -> PathBuf {
    let entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    match entries.as_slice() {
        [only] if only.is_dir() && !["en", "ko"].iter().any(|l| only.ends_with(l)) => only.clone(),
        _ => dir.to_path_buf(),
    }
}

/// The text of a new lesson named `name` (its id too), ready for an instructor to change: one step that passes
/// `docklings lessons check` as it is.
#[must_use]
pub fn scaffold(id: &str) -> String {
    format!(
        r#"+++
id = "{id}"
title = "{id}"

# What the lesson creates, so a reset can remove it (on a real engine only what carries the lesson's label).
[resources]
containers = ["{id}-hello"]

# Files put in the learner's work folder, by relative path.
[files]
"notes.txt" = "written by the lesson\n"
+++

# {id}

What the lesson is about, in a few sentences. Everything before the first `##` heading is the introduction.

## Say hello

Each `##` heading is a step: what to read, then what to type.

```sh
docker run --name {id}-hello busybox echo hello
```

### Goals

- container {id}-hello exited with code 0
- container {id}-hello logs contain hello

### Hints

1. A nudge: which docker command starts a container?
2. The command's shape: `docker run --name NAME IMAGE COMMAND`
3. The answer: `docker run --name {id}-hello busybox echo hello`

### Solution

```sh
docker run --name {id}-hello busybox echo hello
```
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaffold_reads_as_a_lesson() {
        let lesson = crate::lesson::parse("x.md", &scaffold("my-pack")).unwrap();
        assert_eq!(lesson.id, "my-pack");
        assert_eq!(lesson.steps.len(), 1);
        assert_eq!(lesson.steps[0].solution, ["docker run --name my-pack-hello busybox echo hello"]);
    }
}
