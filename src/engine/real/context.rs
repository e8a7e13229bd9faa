//! The build context: the context folder as a tar archive, as the docker CLI sends it. `.dockerignore` decides
//! what stays out; the Dockerfile and `.dockerignore` itself are always sent. Owners are zeroed (the CLI sends
//! every file as root's) and symbolic links are sent as links.

use std::fs::{File, Metadata};
use std::path::Path;

use tar::{EntryType, Header, HeaderMode};

use crate::dockerignore::DockerIgnore;
use crate::engine::{EngineError, Result};

/// A folder or file path relative to the context root, `/`-separated, without `.` parts.
fn clean(path: &str) -> String {
    path.split('/').filter(|p| !p.is_empty() && *p != ".").collect::<Vec<_>>().join("/")
}

struct Walk<'a> {
    ignore: DockerIgnore,
    /// With `!` lines an excluded folder may still hold included files, so it has to be walked.
    has_exceptions: bool,
    /// Always sent: the Dockerfile and `.dockerignore`.
    keep: [String; 2],
    builder: tar::Builder<Vec<u8>>,
    root: &'a Path,
}

/// The context folder as a tar archive.
pub fn tar_context(root: &Path, dockerfile: &str) -> Result<Vec<u8>> {
    let local = |what: String| EngineError::Local(what);
    let meta = std::fs::metadata(root).map_err(|e| {
        local(format!("unable to prepare context: path {:?} not found: {e}", root.display().to_string()))
    })?;
    if !meta.is_dir() {
        return Err(local(format!("unable to prepare context: {} is not a folder", root.display())));
    }
    let ignore_text = match std::fs::read_to_string(root.join(".dockerignore")) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(local(format!("cannot read {}: {e}", root.join(".dockerignore").display()))),
    };
    let (ignore, errors) = DockerIgnore::parse(&ignore_text);
    if let Some(first) = errors.first() {
        return Err(local(format!("error checking context: syntax error in .dockerignore: {first}")));
    }
    let has_exceptions = ignore_text.lines().any(|l| l.trim_start().starts_with('!'));
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    let mut walk =
        Walk { ignore, has_exceptions, keep: [clean(dockerfile), ".dockerignore".to_string()], builder, root };
    walk.folder(root, "")?;
    walk.builder.into_inner().map_err(|e| local(format!("cannot write the build context: {e}")))
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path, rel: &str) -> Result<()> {
        let io =
            |e: std::io::Error| EngineError::Local(format!("cannot read the build context {}: {e}", dir.display()));
        let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io)?.collect::<std::io::Result<_>>().map_err(io)?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Err(EngineError::Local(format!(
                    "the build context has a file name that is not UTF-8: {}",
                    entry.path().display()
                )));
            };
            let path = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
            let meta = entry.metadata().map_err(io)?;
            let excluded = self.ignore.is_excluded(&path) && !self.keep.contains(&path);
            if meta.is_dir() {
                if excluded && !self.has_exceptions {
                    continue;
                }
                if !excluded {
                    self.append(&path, &meta, &entry.path())?;
                }
                self.folder(&entry.path(), &path)?;
            } else if !excluded {
                self.append(&path, &meta, &entry.path())?;
            }
        }
        Ok(())
    }

    fn append(&mut self, rel: &str, meta: &Metadata, full: &Path) -> Result<()> {
        let err = |e: std::io::Error| {
            EngineError::Local(format!("cannot add {} to the build context: {e}", self.root.join(rel).display()))
        };
        let mut header = Header::new_gnu();
        header.set_metadata_in_mode(meta, HeaderMode::Complete);
        header.set_uid(0);
        header.set_gid(0);
        header.set_username("").map_err(err)?;
        header.set_groupname("").map_err(err)?;
        let file_type = meta.file_type();
        if file_type.is_symlink() {
            let target = std::fs::read_link(full).map_err(err)?;
            header.set_entry_type(EntryType::Symlink);
            header.set_size(0);
            self.builder.append_link(&mut header, rel, target).map_err(err)
        } else if file_type.is_dir() {
            header.set_size(0);
            self.builder.append_data(&mut header, format!("{rel}/"), std::io::empty()).map_err(err)
        } else if file_type.is_file() {
            let file = File::open(full).map_err(err)?;
            self.builder.append_data(&mut header, rel, file).map_err(err)
        } else {
            // Sockets, pipes and devices have no place in an image.
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(archive: &[u8]) -> Vec<String> {
        let mut a = tar::Archive::new(archive);
        a.entries().unwrap().map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn honours_dockerignore_but_always_sends_the_dockerfile() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("Dockerfile", "FROM busybox\n"),
            (".dockerignore", "Dockerfile\nnode_modules\n*.log\nsecret/\n"),
            ("app.js", "x"),
            ("debug.log", "x"),
            ("node_modules/a/index.js", "x"),
            ("secret/key", "x"),
            ("src/main.js", "x"),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let tar = tar_context(root, "./Dockerfile").unwrap();
        let got = names(&tar);
        assert_eq!(got, [".dockerignore", "Dockerfile", "app.js", "src/", "src/main.js"]);
        let mut a = tar::Archive::new(tar.as_slice());
        for e in a.entries().unwrap() {
            let e = e.unwrap();
            assert_eq!((e.header().uid().unwrap(), e.header().gid().unwrap()), (0, 0));
        }
    }

    #[test]
    fn exceptions_reach_into_excluded_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/keep")).unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM busybox\n").unwrap();
        std::fs::write(root.join(".dockerignore"), "docs\n!docs/keep/readme.md\n").unwrap();
        std::fs::write(root.join("docs/other.md"), "x").unwrap();
        std::fs::write(root.join("docs/keep/readme.md"), "x").unwrap();
        let got = names(&tar_context(root, "Dockerfile").unwrap());
        assert_eq!(got, [".dockerignore", "Dockerfile", "docs/keep/readme.md"]);
    }
}
