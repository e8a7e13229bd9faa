//! The files a build works on: the context folder (read once per build, `.dockerignore` honoured, each file's
//! bytes hashed so `COPY` can be keyed on content as BuildKit keys it), the scratch root file systems `RUN` runs
//! on (hard-linked from the layers, as a container's is), what a step changed, and layers stored under their
//! content digest.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::dockerignore::DockerIgnore;
use crate::engine::sim::hex;
use crate::engine::{EngineError, Result};

fn local(path: &Path) -> impl Fn(std::io::Error) -> EngineError + '_ {
    move |e| EngineError::Local(format!("{}: {e}", path.display()))
}

/// One entry of a file tree, by `/`-separated path relative to its root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir,
    /// Mode bits and the content's digest.
    File {
        mode: u32,
        size: u64,
        digest: String,
    },
    Link(String),
}

/// A folder read into memory: every path with what is there, sorted, so digests do not depend on the order the
/// file system lists entries in.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub root: PathBuf,
    pub entries: BTreeMap<String, Entry>,
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &fs::Metadata) -> u32 {
    0o644
}

fn digest_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(local(path))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

impl Tree {
    /// Reads `root`, leaving out what `ignore` excludes (the `.dockerignore` rules of the context).
    pub fn read(root: &Path, ignore: Option<&DockerIgnore>) -> Result<Tree> {
        let mut tree = Tree { root: root.to_path_buf(), entries: BTreeMap::new() };
        tree.walk(root, "", ignore)?;
        Ok(tree)
    }

    fn walk(&mut self, dir: &Path, prefix: &str, ignore: Option<&DockerIgnore>) -> Result<()> {
        for entry in fs::read_dir(dir).map_err(local(dir))? {
            let entry = entry.map_err(local(dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if ignore.is_some_and(|i| i.is_excluded(&rel)) {
                continue;
            }
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).map_err(local(&path))?;
            if meta.is_dir() {
                self.entries.insert(rel.clone(), Entry::Dir);
                self.walk(&path, &rel, ignore)?;
            } else if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).map_err(local(&path))?;
                self.entries.insert(rel, Entry::Link(target.to_string_lossy().into_owned()));
            } else {
                let digest = digest_file(&path)?;
                self.entries.insert(rel, Entry::File { mode: mode_of(&meta), size: meta.len(), digest });
            }
        }
        Ok(())
    }

    /// The bytes the entries hold.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.entries.values().map(|e| if let Entry::File { size, .. } = e { *size } else { 0 }).sum()
    }
}

/// The digest of a set of entries (path, kind, mode, content), the content-addressed id of a layer holding them.
#[must_use]
pub fn digest_entries<'a>(entries: impl IntoIterator<Item = (&'a String, &'a Entry)>) -> String {
    let mut h = Sha256::new();
    for (path, entry) in entries {
        h.update(path.as_bytes());
        match entry {
            Entry::Dir => h.update(b"\0dir\0"),
            Entry::File { mode, digest, .. } => {
                h.update(format!("\0file {mode:o} {digest}\0").as_bytes());
            }
            Entry::Link(t) => h.update(format!("\0link {t}\0").as_bytes()),
        }
    }
    hex(&h.finalize())
}

/// The prefix of a whiteout: an empty file `.wh.NAME` in a layer hides `NAME` of the layers below, as in OCI
/// image layers.
pub const WHITEOUT: &str = ".wh.";

/// Lays a layer over a root file system: folders made, files hard-linked (copied where linking fails), links
/// recreated, whiteouts applied. Hard links are safe: the runtime copies a linked file up before a process
/// writes it.
pub fn link_tree(src: &Path, dest: &Path) -> Result<()> {
    fs::create_dir_all(dest).map_err(local(dest))?;
    for entry in fs::read_dir(src).map_err(local(src))? {
        let entry = entry.map_err(local(src))?;
        let ty = entry.file_type().map_err(local(src))?;
        let name = entry.file_name();
        if let Some(hidden) = name.to_str().and_then(|n| n.strip_prefix(WHITEOUT)) {
            // Only a name in this folder: a file a program named `.wh..` must not empty the folder or its parent.
            if !matches!(hidden, "" | "." | "..") {
                remove_any(&dest.join(hidden));
            }
            continue;
        }
        let to = dest.join(&name);
        let there = fs::symlink_metadata(&to).ok();
        if ty.is_dir() {
            // A folder replaces a file or link of the same name below it.
            if there.is_some_and(|m| !m.is_dir()) {
                remove_any(&to);
            }
            link_tree(&entry.path(), &to)?;
            continue;
        }
        if there.is_some() {
            remove_any(&to);
        }
        if ty.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path()).map_err(local(src))?, &to).map_err(local(&to))?;
        } else if fs::hard_link(entry.path(), &to).is_err() {
            fs::copy(entry.path(), &to).map_err(local(&to))?;
        }
    }
    Ok(())
}

/// Removes a file, link or folder, whichever is there.
fn remove_any(path: &Path) {
    let _ = fs::remove_file(path).or_else(|_| fs::remove_dir_all(path));
}

/// What identifies a file's version cheaply: inode, size and modification time.
type Stamp = (u64, u64, i128);

/// The stamp of a folder, whose content speaks for itself.
const FOLDER: Stamp = (0, 0, 0);

#[cfg(unix)]
fn stamp(meta: &fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    (meta.ino(), meta.size(), i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()))
}

#[cfg(not(unix))]
fn stamp(meta: &fs::Metadata) -> Stamp {
    let t = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    (0, meta.len(), t.map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0)))
}

/// The stamps of every path under a root, taken before a `RUN` so its changes can be found after it.
pub fn snapshot(root: &Path) -> HashMap<String, Stamp> {
    let mut out = HashMap::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else { continue };
        for entry in read.flatten() {
            let rel = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            let Ok(meta) = fs::symlink_metadata(entry.path()) else { continue };
            if meta.is_dir() {
                stack.push((entry.path(), rel.clone()));
                out.insert(rel, FOLDER);
            } else {
                out.insert(rel, stamp(&meta));
            }
        }
    }
    out
}

/// Copies what changed since `before` (new or rewritten files, links and new folders) from `root` into `layer`,
/// and leaves a whiteout for each file or folder that went away, so a `RUN rm` hides it in the image.
pub fn copy_changes(root: &Path, before: &HashMap<String, Stamp>, layer: &Path) -> Result<()> {
    fs::create_dir_all(layer).map_err(local(layer))?;
    let after = snapshot(root);
    for rel in before.keys().filter(|rel| !after.contains_key(*rel)) {
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        // Only the topmost of what went away, in a folder that is still one: a removed folder's whiteout hides
        // all it held, and a file or link now where a folder was hides it by itself.
        if !parent.is_empty() && after.get(parent) != Some(&FOLDER) {
            continue;
        }
        let dir = layer.join(parent.trim_start_matches('/'));
        fs::create_dir_all(&dir).map_err(local(&dir))?;
        let wh = dir.join(format!("{WHITEOUT}{name}"));
        fs::write(&wh, b"").map_err(local(&wh))?;
    }
    for (rel, now) in after {
        let changed = match before.get(&rel) {
            None => true,
            // A folder that was a file (or the other way round) is new; a folder's content speaks for itself.
            Some(old) => (now == FOLDER) != (*old == FOLDER) || (now != FOLDER && *old != now),
        };
        if !changed {
            continue;
        }
        let from = root.join(rel.trim_start_matches('/'));
        let to = layer.join(rel.trim_start_matches('/'));
        let meta = fs::symlink_metadata(&from).map_err(local(&from))?;
        if meta.is_dir() {
            fs::create_dir_all(&to).map_err(local(&to))?;
            continue;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(local(parent))?;
        }
        if meta.file_type().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(&from).map_err(local(&from))?, &to).map_err(local(&to))?;
        } else {
            fs::copy(&from, &to).map_err(local(&to))?;
        }
    }
    Ok(())
}

/// Moves a finished layer folder into the layer store under its digest (kept when already there), and returns
/// the digest and the bytes it holds.
pub fn store_layer(layers_dir: &Path, tmp: &Path) -> Result<(String, i64)> {
    let tree = Tree::read(tmp, None)?;
    let id = digest_entries(&tree.entries);
    let dest = layers_dir.join(&id);
    if dest.exists() {
        let _ = fs::remove_dir_all(tmp);
    } else {
        fs::rename(tmp, &dest).map_err(local(&dest))?;
    }
    Ok((id, i64::try_from(tree.size()).unwrap_or(i64::MAX)))
}

/// Copies one file or folder of a tree to `to` (a folder's content goes into `to`).
pub fn copy_entry(from: &Path, to: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(from).map_err(local(from))?;
    if meta.is_dir() {
        crate::engine::sim::images::copy_tree(from, to)
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(local(parent))?;
        }
        if meta.file_type().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(from).map_err(local(from))?, to).map_err(local(to))?;
            Ok(())
        } else {
            fs::copy(from, to).map(|_| ()).map_err(local(to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_digests_follow_content_only() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        for d in [a.path(), b.path()] {
            fs::create_dir_all(d.join("app")).unwrap();
            fs::write(d.join("app/x"), "1").unwrap();
        }
        let da = digest_entries(&Tree::read(a.path(), None).unwrap().entries);
        assert_eq!(da, digest_entries(&Tree::read(b.path(), None).unwrap().entries));
        fs::write(b.path().join("app/x"), "2").unwrap();
        assert_ne!(da, digest_entries(&Tree::read(b.path(), None).unwrap().entries));
    }

    #[test]
    fn changes_are_what_a_step_wrote() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("old"), "o").unwrap();
        let before = snapshot(root.path());
        fs::create_dir(root.path().join("new")).unwrap();
        fs::write(root.path().join("new/f"), "n").unwrap();
        let layer = tempfile::tempdir().unwrap();
        copy_changes(root.path(), &before, &layer.path().join("l")).unwrap();
        let t = Tree::read(&layer.path().join("l"), None).unwrap();
        assert_eq!(t.entries.keys().collect::<Vec<_>>(), ["new", "new/f"]);
    }

    #[test]
    fn what_a_step_removed_is_hidden_by_a_whiteout() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("keep")).unwrap();
        fs::write(root.path().join("keep/gone"), "g").unwrap();
        fs::write(root.path().join("keep/stays"), "s").unwrap();
        fs::create_dir_all(root.path().join("tree/deep")).unwrap();
        fs::write(root.path().join("tree/deep/f"), "f").unwrap();
        let base = tempfile::tempdir().unwrap();
        copy_entry(root.path(), base.path()).unwrap();
        let before = snapshot(root.path());
        fs::remove_file(root.path().join("keep/gone")).unwrap();
        fs::remove_dir_all(root.path().join("tree")).unwrap();
        let layer = tempfile::tempdir().unwrap();
        let l = layer.path().join("l");
        copy_changes(root.path(), &before, &l).unwrap();
        // One whiteout per topmost removal: none for what the removed folder held.
        let t = Tree::read(&l, None).unwrap();
        assert_eq!(t.entries.keys().collect::<Vec<_>>(), [".wh.tree", "keep", "keep/.wh.gone"]);
        // Laid over the lower layer, the whiteouts hide what they name and are not themselves seen.
        let merged = tempfile::tempdir().unwrap();
        link_tree(base.path(), merged.path()).unwrap();
        link_tree(&l, merged.path()).unwrap();
        let seen = Tree::read(merged.path(), None).unwrap();
        assert_eq!(seen.entries.keys().collect::<Vec<_>>(), ["keep", "keep/stays"]);
        // A folder replaced by a link, and a file by a folder: each recorded as what it is now.
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("d")).unwrap();
        fs::write(root.path().join("d/x"), "x").unwrap();
        fs::write(root.path().join("f"), "f").unwrap();
        let before = snapshot(root.path());
        fs::remove_dir_all(root.path().join("d")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/elsewhere", root.path().join("d")).unwrap();
        fs::remove_file(root.path().join("f")).unwrap();
        fs::create_dir(root.path().join("f")).unwrap();
        let l2 = layer.path().join("l2");
        copy_changes(root.path(), &before, &l2).unwrap();
        let t = Tree::read(&l2, None).unwrap();
        assert_eq!(t.entries.get("f"), Some(&Entry::Dir), "{:?}", t.entries);
        #[cfg(unix)]
        assert_eq!(t.entries.get("d"), Some(&Entry::Link("/elsewhere".into())), "{:?}", t.entries);

        // Files a program named like whiteouts of `.`, `..` or nothing hide nothing.
        let odd = tempfile::tempdir().unwrap();
        fs::create_dir_all(odd.path().join("keep")).unwrap();
        for name in [".wh.", ".wh..", ".wh..."] {
            fs::write(odd.path().join("keep").join(name), "").unwrap();
        }
        link_tree(odd.path(), merged.path()).unwrap();
        let seen = Tree::read(merged.path(), None).unwrap();
        assert_eq!(seen.entries.keys().collect::<Vec<_>>(), ["keep", "keep/stays"]);
    }
}
