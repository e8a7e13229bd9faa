//! Signals the simulated engine delivers to a container's main process (`docker stop`, `docker kill --signal`),
//! read through the host's `docklings::pending_signal`. Nothing happens by default, as for busybox running as PID 1;
//! the shell runs its `trap` actions for them.

/// The signals `trap` knows, by number and name (Linux x86 numbering, as Docker sends them).
const NAMES: [(u8, &str); 31] = [
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (4, "ILL"),
    (5, "TRAP"),
    (6, "ABRT"),
    (7, "BUS"),
    (8, "FPE"),
    (9, "KILL"),
    (10, "USR1"),
    (11, "SEGV"),
    (12, "USR2"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
    (16, "STKFLT"),
    (17, "CHLD"),
    (18, "CONT"),
    (19, "STOP"),
    (20, "TSTP"),
    (21, "TTIN"),
    (22, "TTOU"),
    (23, "URG"),
    (24, "XCPU"),
    (25, "XFSZ"),
    (26, "VTALRM"),
    (27, "PROF"),
    (28, "WINCH"),
    (29, "IO"),
    (30, "PWR"),
    (31, "SYS"),
];

/// A signal's number from the way `trap` and `kill` spell it, in any case: `TERM`, `sigterm` or `15`.
#[must_use]
pub fn number(spelling: &str) -> Option<u8> {
    if let Ok(n) = spelling.parse::<u8>() {
        return (1..=64).contains(&n).then_some(n);
    }
    let upper = spelling.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    NAMES.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
}

/// A signal's name without `SIG`, as `trap` lists it.
#[must_use]
pub fn name(number: u8) -> String {
    NAMES.iter().find(|(k, _)| *k == number).map_or_else(|| number.to_string(), |(_, n)| (*n).to_string())
}

/// The next signal delivered and not yet taken, if any. Outside WebAssembly (the toolbox's own tests) there are
/// none.
#[must_use]
pub fn take() -> Option<u8> {
    let n = sys::pending();
    u8::try_from(n).ok().filter(|n| *n > 0)
}

#[cfg(target_family = "wasm")]
#[allow(unsafe_code)]
mod sys {
    //! The import: it takes no pointers and returns 0 or a signal's number.

    #[link(wasm_import_module = "docklings")]
    unsafe extern "C" {
        #[link_name = "pending_signal"]
        safe fn host_pending_signal() -> i32;
    }

    pub fn pending() -> i32 {
        host_pending_signal()
    }
}

#[cfg(not(target_family = "wasm"))]
mod sys {
    pub fn pending() -> i32 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(number("TERM"), Some(15));
        assert_eq!(number("SIGTERM"), Some(15));
        assert_eq!(number("15"), Some(15));
        assert_eq!(number("USR1"), Some(10));
        assert_eq!(number("sigterm"), Some(15));
        assert_eq!(number("TSTP"), Some(20));
        assert_eq!(number("FOO"), None);
        assert_eq!(number("0"), None);
        assert_eq!(name(2), "INT");
    }
}
