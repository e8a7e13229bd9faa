//! Writes through hard links stay inside the sandbox: `path_open` (with `fd_close` and `fd_renumber`, which
//! keep track of the preopened descriptors) shadowed to copy a file up before it is written.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use cap_primitives::fs::{FollowSymlinks, MetadataExt};
use wasmtime::Caller;

use super::host::{ERRNO_ACCES, State, guest, memory, original, unsigned};

const RIGHTS_FD_WRITE: i64 = 1 << 6;
const OFLAGS_TRUNC: i32 = 1 << 3;
const FDFLAGS_APPEND: i32 = 1;
const LOOKUP_SYMLINK_FOLLOW: i32 = 1;

/// Keeps writes inside the sandbox when a file there is a hard link to a file elsewhere: before a file with
/// more than one link is opened for writing, it is replaced by a copy of itself (a copy-up, as overlayfs does),
/// so the other names keep the old content. Read-only mounts are left alone (wasmtime refuses the write anyway).
pub(super) struct FsGuard {
    /// By descriptor number minus 3 (WASI numbers preopens from 3, in order): the folder, or `None` for a
    /// read-only mount, a failed open, or a descriptor the guest has closed or renumbered since.
    preopens: Vec<Option<File>>,
}

impl FsGuard {
    pub(super) fn new(preopens: Vec<(PathBuf, bool)>) -> FsGuard {
        let open = |(path, writable): (PathBuf, bool)| {
            writable.then(|| cap_primitives::fs::open_ambient_dir(&path, cap_primitives::ambient_authority()).ok())?
        };
        FsGuard { preopens: preopens.into_iter().map(open).collect() }
    }

    fn dir(&self, fd: i32) -> Option<&File> {
        let at = usize::try_from(fd.checked_sub(3)?).ok()?;
        self.preopens.get(at)?.as_ref()
    }

    pub(super) fn forget(&mut self, fd: i32) {
        if let Some(p) = fd.checked_sub(3).and_then(|at| self.preopens.get_mut(usize::try_from(at).ok()?)) {
            *p = None;
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn path_open(
    mut caller: Caller<'_, State>,
    fd: i32,
    dirflags: i32,
    path: i32,
    path_len: i32,
    oflags: i32,
    rights: i64,
    inheriting: i64,
    fdflags: i32,
    opened: i32,
) -> wasmtime::Result<i32> {
    let writes = rights & RIGHTS_FD_WRITE != 0 || oflags & OFLAGS_TRUNC != 0 || fdflags & FDFLAGS_APPEND != 0;
    if writes && copy_up_at(&mut caller, fd, path, path_len, dirflags & LOOKUP_SYMLINK_FOLLOW != 0).is_err() {
        return Ok(ERRNO_ACCES);
    }
    original!(caller, path_open(fd, dirflags, path, path_len, oflags, rights, inheriting, fdflags, opened))
}

/// [`copy_up`] for a `path_open` of the guest's path at `path` relative to descriptor `fd`. Paths it cannot read
/// and descriptors that are no writable preopen are left to the open.
fn copy_up_at(caller: &mut Caller<'_, State>, fd: i32, path: i32, len: i32, follow: bool) -> std::io::Result<()> {
    let Some(memory) = memory(caller) else { return Ok(()) };
    let Some(bytes) = usize::try_from(len).ok().and_then(|len| guest(memory.data(&*caller), unsigned(path), len))
    else {
        return Ok(());
    };
    let (Ok(name), Some(dir)) = (std::str::from_utf8(bytes), caller.data().fs.dir(fd)) else { return Ok(()) };
    copy_up(dir, Path::new(name), follow)
}

/// Replaces `path` under `dir` by a copy of itself when it is a regular file with other links. Every step
/// resolves inside `dir` (cap-primitives), so a path that leads outside is left for the open to refuse.
fn copy_up(dir: &File, path: &Path, follow: bool) -> std::io::Result<()> {
    use cap_primitives::fs;
    static COPIES: AtomicU64 = AtomicU64::new(0);
    let follow_links = if follow { FollowSymlinks::Yes } else { FollowSymlinks::No };
    let Ok(meta) = fs::stat(dir, path, follow_links) else { return Ok(()) };
    if !meta.is_file() || meta.nlink() < 2 {
        return Ok(());
    }
    let target = if follow { fs::canonicalize(dir, path)? } else { path.to_path_buf() };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = COPIES.fetch_add(1, Ordering::Relaxed);
    let temp = target.with_file_name(format!(".{name}.docklings-{}-{n}", std::process::id()));
    let result = fs::copy(dir, &target, dir, &temp).and_then(|_| fs::rename(dir, &temp, dir, &target));
    if result.is_err() {
        let _ = fs::remove_file(dir, &temp);
    }
    result
}
