//! What an applet runs with: standard streams, environment, working directory, user, and the root that paths are
//! resolved against. Also the busybox texts for I/O errors.

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;

/// A readable stream shared by the commands that read it in turn (`read a; read b` continue where the other stopped).
pub type Input = Rc<RefCell<dyn BufRead>>;
/// A writable stream; `2>&1` makes two descriptors share one.
pub type Output = Rc<RefCell<dyn Write>>;
/// An in-memory output whose bytes can be read back.
pub type Buffer = Rc<RefCell<Vec<u8>>>;

/// The host-set variables that configure the toolbox; they are read once and hidden from the programs.
const HOST_VARS: [&str; 4] = ["DOCKLINGS_UID", "DOCKLINGS_GID", "DOCKLINGS_CWD", "DOCKLINGS_TTY"];

#[derive(Clone)]
pub struct Proc {
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
    /// The environment, in the order the host (or the shell) gave it.
    pub env: Vec<(String, String)>,
    /// The working directory: an absolute, normalized path inside the container.
    pub cwd: String,
    /// The host folder that holds the container's `/`: `/` itself under WASI.
    pub root: PathBuf,
    pub uid: u32,
    pub gid: u32,
    /// Whether stdout is a terminal (`docker run -t`): `ls` prints columns and the shell prompts.
    pub tty: bool,
    /// Set while an applet runs as a shell builtin (`echo`, `printf`, `test`): its messages then carry the shell's
    /// name, as ash's do (`sh: invalid number 'x'`).
    pub shell_name: Option<String>,
}

impl Proc {
    /// The process's own streams and environment, with the host's `DOCKLINGS_*` settings applied.
    #[must_use]
    pub fn from_process() -> Proc {
        let mut env: Vec<(String, String)> = std::env::vars_os()
            .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
            .collect();
        let host = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let uid = host("DOCKLINGS_UID").and_then(|v| v.parse().ok()).unwrap_or(0);
        let gid = host("DOCKLINGS_GID").and_then(|v| v.parse().ok()).unwrap_or(0);
        let tty = host("DOCKLINGS_TTY").is_some_and(|v| v == "1") || io::IsTerminal::is_terminal(&io::stdout());
        let cwd = host("DOCKLINGS_CWD")
            .filter(|c| c.starts_with('/'))
            .or_else(|| std::env::current_dir().ok().map(|p| p.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "/".to_string());
        env.retain(|(k, _)| !HOST_VARS.contains(&k.as_str()));
        Proc {
            stdin: Rc::new(RefCell::new(BufReader::new(io::stdin()))),
            stdout: Rc::new(RefCell::new(io::stdout())),
            stderr: Rc::new(RefCell::new(io::stderr())),
            env,
            cwd: normalize("/", &cwd),
            root: PathBuf::from("/"),
            uid,
            gid,
            tty,
            shell_name: None,
        }
    }

    /// A process for tests and embedding: `root` holds the container's `/`, stdin is `input`, and the returned
    /// buffers collect stdout and stderr.
    #[must_use]
    pub fn with_buffers(root: PathBuf, input: &[u8]) -> (Proc, Buffer, Buffer) {
        let out = Rc::new(RefCell::new(Vec::new()));
        let err = Rc::new(RefCell::new(Vec::new()));
        let proc = Proc {
            stdin: Rc::new(RefCell::new(io::Cursor::new(input.to_vec()))),
            stdout: out.clone(),
            stderr: err.clone(),
            env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()), ("HOME".into(), "/root".into())],
            cwd: "/".to_string(),
            root,
            uid: 0,
            gid: 0,
            tty: false,
            shell_name: None,
        };
        (proc, out, err)
    }

    /// The name an applet's messages carry: its own, or the shell's when it runs as a builtin.
    #[must_use]
    pub fn who<'a>(&'a self, name: &'a str) -> &'a str {
        self.shell_name.as_deref().unwrap_or(name)
    }

    #[must_use]
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.env.push((name.to_string(), value.to_string())),
        }
    }

    /// The absolute container path that `path` names from the working directory.
    #[must_use]
    pub fn logical(&self, path: &str) -> String {
        normalize(&self.cwd, path)
    }

    /// The path to hand to the file system for the container path `path`.
    #[must_use]
    pub fn host(&self, path: &str) -> PathBuf {
        let logical = self.logical(path);
        self.root.join(logical.trim_start_matches('/'))
    }

    pub fn out(&self, bytes: &[u8]) {
        // A reader that went away (`| head -1`) is not an error worth reporting, as with SIGPIPE.
        let _ = self.stdout.borrow_mut().write_all(bytes);
    }

    pub fn outs(&self, text: &str) {
        self.out(text.as_bytes());
    }

    pub fn errs(&self, text: &str) {
        let _ = self.stdout.borrow_mut().flush();
        let _ = self.stderr.borrow_mut().write_all(text.as_bytes());
    }

    /// Prints `name: message` on stderr, the shape of every busybox diagnostic.
    pub fn error(&self, name: &str, message: &str) {
        self.errs(&format!("{name}: {message}\n"));
    }

    pub fn flush(&self) {
        let _ = self.stdout.borrow_mut().flush();
        let _ = self.stderr.borrow_mut().flush();
    }

    /// Opens a file for reading; `/dev/null` exists even where the root file system has no `/dev`.
    pub fn open(&self, path: &str) -> io::Result<Box<dyn Read>> {
        if self.logical(path) == "/dev/null" {
            return Ok(Box::new(io::empty()));
        }
        let host = self.host(path);
        if host.is_dir() {
            return Err(io::Error::from(io::ErrorKind::IsADirectory));
        }
        Ok(Box::new(File::open(host)?))
    }

    /// Opens a file for writing, creating it, truncating it unless `append`.
    pub fn create(&self, path: &str, append: bool) -> io::Result<Output> {
        match self.logical(path).as_str() {
            "/dev/null" => Ok(Rc::new(RefCell::new(io::sink()))),
            "/dev/stdout" => Ok(self.stdout.clone()),
            "/dev/stderr" => Ok(self.stderr.clone()),
            _ => {
                let mut options = OpenOptions::new();
                options.create(true);
                if append {
                    options.append(true);
                } else {
                    options.write(true).truncate(true);
                }
                Ok(Rc::new(RefCell::new(options.open(self.host(path))?)))
            }
        }
    }

    /// Reads a whole file, or stdin for `-`.
    pub fn read_all(&self, path: &str) -> io::Result<Vec<u8>> {
        let mut data = Vec::new();
        if path == "-" {
            self.stdin.borrow_mut().read_to_end(&mut data)?;
        } else {
            self.open(path)?.read_to_end(&mut data)?;
        }
        Ok(data)
    }

    #[must_use]
    pub fn read_stdin(&self) -> Vec<u8> {
        let mut data = Vec::new();
        let _ = self.stdin.borrow_mut().read_to_end(&mut data);
        data
    }
}

/// Resolves `path` from `cwd` into an absolute path without `.`, `..` or repeated slashes. A trailing slash is kept,
/// so that `ls file/` still fails as "Not a directory".
#[must_use]
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// The text busybox prints for an I/O error (glibc's `strerror`), without Rust's "(os error N)".
#[must_use]
pub fn strerror(error: &io::Error) -> String {
    use io::ErrorKind as K;
    if let Some(text) = raw_text(error) {
        return text.to_string();
    }
    let text = match error.kind() {
        K::NotFound => "No such file or directory",
        K::PermissionDenied => "Permission denied",
        K::AlreadyExists => "File exists",
        K::ReadOnlyFilesystem => "Read-only file system",
        K::NotADirectory => "Not a directory",
        K::IsADirectory => "Is a directory",
        K::DirectoryNotEmpty => "Directory not empty",
        K::StorageFull => "No space left on device",
        K::CrossesDevices => "Invalid cross-device link",
        K::InvalidFilename => "File name too long",
        K::TooManyLinks => "Too many links",
        K::ResourceBusy => "Device or resource busy",
        K::BrokenPipe => "Broken pipe",
        K::InvalidInput => "Invalid argument",
        K::FileTooLarge => "File too large",
        K::Unsupported => "Operation not supported",
        _ => {
            let full = error.to_string();
            return match full.find(" (os error") {
                Some(at) => full[..at].to_string(),
                None => full,
            };
        }
    };
    text.to_string()
}

/// Errors whose text depends on the errno, not only on the `ErrorKind`.
fn raw_text(error: &io::Error) -> Option<&'static str> {
    let code = error.raw_os_error()?;
    if cfg!(target_os = "wasi") {
        // wasmtime refuses every write to a read-only preopen with EPERM (63 in WASI). In a container that is a
        // read-only mount, for which busybox prints EROFS's text. ENOTCAPABLE (76) is a path outside every preopen.
        match code {
            63 => Some("Read-only file system"),
            76 => Some("Permission denied"),
            _ => None,
        }
    } else {
        // EPERM shares `PermissionDenied` with EACCES but has its own text.
        (code == 1).then_some("Operation not permitted")
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize, strerror};
    use std::io::{Error, ErrorKind};

    #[test]
    fn busybox_error_texts() {
        assert_eq!(strerror(&Error::from(ErrorKind::ReadOnlyFilesystem)), "Read-only file system");
        assert_eq!(strerror(&Error::from(ErrorKind::NotFound)), "No such file or directory");
        assert_eq!(strerror(&Error::from(ErrorKind::DirectoryNotEmpty)), "Directory not empty");
        assert_eq!(strerror(&Error::from_raw_os_error(2)), "No such file or directory");
        assert_eq!(strerror(&Error::from_raw_os_error(30)), "Read-only file system");
        assert_eq!(strerror(&Error::from_raw_os_error(1)), "Operation not permitted");
        assert_eq!(strerror(&Error::from_raw_os_error(13)), "Permission denied");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("/app", "src/../x"), "/app/x");
        assert_eq!(normalize("/app", "/data/./f"), "/data/f");
        assert_eq!(normalize("/", "../../etc"), "/etc");
        assert_eq!(normalize("/", "dir/"), "/dir/");
        assert_eq!(normalize("/a", "."), "/a");
    }
}
