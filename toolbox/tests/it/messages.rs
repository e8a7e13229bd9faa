//! The error messages a learner sees, each pinned to busybox's text and exit status. Every case also runs under
//! `/bin/busybox` when it is installed, so the table cannot drift from the real thing.

use crate::support::{Outcome, ReadOnlyMount, TempDir, busybox, fixture, run, sh};

/// (script for `sh -c`, stdout, stderr, status)
const CASES: &[(&str, &str, &str, i32)] = &[
    ("nosuchcommand", "", "sh: nosuchcommand: not found\n", 127),
    ("nosuchcommand 2>/dev/null; echo $?", "127\n", "", 0),
    ("cat x", "", "cat: can't open 'x': No such file or directory\n", 1),
    ("cat dir", "", "cat: read error: Is a directory\n", 1),
    ("cat f/x", "", "cat: can't open 'f/x': Not a directory\n", 1),
    ("ls x", "", "ls: x: No such file or directory\n", 1),
    ("ls x g", "g\n", "ls: x: No such file or directory\n", 1),
    ("rm x", "", "rm: can't remove 'x': No such file or directory\n", 1),
    ("rm dir", "", "rm: 'dir' is a directory\n", 1),
    ("rm -rf .", "", "rm: can't remove '.' or '..'\n", 1),
    ("rm -f x; echo $?", "0\n", "", 0),
    ("mkdir a/b", "", "mkdir: can't create directory 'a/b': No such file or directory\n", 1),
    ("mkdir dir", "", "mkdir: can't create directory 'dir': File exists\n", 1),
    ("mkdir f/x", "", "mkdir: can't create directory 'f/x': Not a directory\n", 1),
    ("rmdir x", "", "rmdir: 'x': No such file or directory\n", 1),
    ("cp x y", "", "cp: can't stat 'x': No such file or directory\n", 1),
    ("cp dir z", "", "cp: omitting directory 'dir'\n", 1),
    ("cp f f", "", "cp: 'f' and 'f' are the same file\n", 1),
    ("mv x y", "", "mv: can't rename 'x': No such file or directory\n", 1),
    ("touch q/r", "", "touch: q/r: No such file or directory\n", 1),
    ("head x", "", "head: x: No such file or directory\n", 1),
    ("tail x", "", "tail: can't open 'x': No such file or directory\ntail: no files\n", 1),
    ("wc x", "", "wc: x: No such file or directory\n", 1),
    ("grep a x", "", "grep: x: No such file or directory\n", 2),
    ("sleep x", "", "sleep: invalid number 'x'\n", 1),
    ("echo hi > /proc/nonexistent/x", "", "sh: can't create /proc/nonexistent/x: nonexistent directory\n", 1),
    ("cat < x", "", "sh: can't open x: no such file\n", 1),
    ("cd x", "", "sh: cd: line 0: can't cd to x: No such file or directory\n", 2),
    ("cd f", "", "sh: cd: line 0: can't cd to f: Not a directory\n", 2),
    ("exit foo", "", "sh: exit: line 0: Illegal number: foo\n", 2),
    ("echo ${U:?boom}", "", "sh: U: boom\n", 2),
    ("echo $((1/0))", "", "sh: divide by zero\n", 2),
    ("[ 1 -lt x ]", "", "sh: x: bad number\n", 2),
    ("[ a", "", "sh: missing ]\n", 2),
    ("printf %d x", "0", "sh: invalid number 'x'\n", 1),
    ("env foo", "", "env: can't execute 'foo': No such file or directory\n", 127),
    ("echo \"unterminated", "", "sh: syntax error: unterminated quoted string\n", 2),
    ("if true; then", "", "sh: syntax error: unexpected end of file (expecting \"fi\")\n", 2),
    ("if true; fi", "", "sh: syntax error: unexpected \"fi\" (expecting \"then\")\n", 2),
    ("echo )", "", "sh: syntax error: unexpected \")\"\n", 2),
    ("echo ${x", "", "sh: syntax error: missing '}'\n", 2),
    ("set -e; false; echo no", "", "", 1),
];

fn check(script: &str, expected: &Outcome) {
    let ours_root = TempDir::new();
    fixture(&ours_root);
    assert_eq!(&sh(ours_root.path(), script), expected, "toolbox: sh -c {script:?}");
    let theirs = TempDir::new();
    fixture(&theirs);
    if let Some(outcome) = busybox(theirs.path(), &["sh", "-c", script], "") {
        assert_eq!(&outcome, expected, "busybox: sh -c {script:?}");
    }
}

#[test]
fn error_messages_match_busybox() {
    for (script, stdout, stderr, status) in CASES {
        check(script, &Outcome { stdout: (*stdout).into(), stderr: (*stderr).into(), status: *status });
    }
}

#[test]
fn script_messages_carry_the_script_name_and_line() {
    let root = TempDir::new();
    let script = "echo a\ncd x\nfoo\necho > /proc/x\nif\n";
    root.write("s.sh", script);
    let expected = Outcome {
        stdout: "a\n".into(),
        stderr: "s.sh: cd: line 2: can't cd to x: No such file or directory\ns.sh: line 3: foo: not found\n\
                 s.sh: line 4: can't create /proc/x: nonexistent directory\n\
                 s.sh: line 6: syntax error: unexpected end of file (expecting \"then\")\n"
            .into(),
        status: 2,
    };
    assert_eq!(run(root.path(), &["sh", "s.sh"]), expected);
    if let Some(outcome) = busybox(root.path(), &["sh", "s.sh"], "") {
        assert_eq!(outcome, expected);
    }
    let missing = Outcome {
        stdout: String::new(),
        stderr: "sh: can't open 'nos.sh': No such file or directory\n".into(),
        status: 2,
    };
    assert_eq!(run(root.path(), &["sh", "nos.sh"]), missing);
    assert_eq!(run(root.path(), &["nosuchapplet"]).stderr, "nosuchapplet: applet not found\n");
}

/// Writes into a read-only mount fail with "Read-only file system" (EROFS natively; under WASI wasmtime reports
/// EPERM for a read-only preopen, which the toolbox maps to the same text).
#[test]
fn read_only_file_system_messages() {
    let Some(mount) = ReadOnlyMount::new() else { return };
    // The container's /data is a link to the read-only mount.
    let data = mount.path();
    let cases: &[(&str, &str)] = &[
        ("echo hi > data/f", "sh: can't create data/f: Read-only file system\n"),
        ("mkdir data/d", "mkdir: can't create directory 'data/d': Read-only file system\n"),
        ("mkdir -p data/d/e", "mkdir: can't create directory 'data/d/': Read-only file system\n"),
        ("touch data/t", "touch: data/t: Read-only file system\n"),
        ("cp f data/", "cp: can't create 'data/f': Read-only file system\n"),
        ("cp f data/g", "cp: can't create 'data/g': Read-only file system\n"),
        ("tee data/x < f > /dev/null", "tee: data/x: Read-only file system\n"),
    ];
    let parent = TempDir::new();
    fixture(&parent);
    let link = parent.path().join("data");
    std::os::unix::fs::symlink(data, &link).unwrap();
    for (script, stderr) in cases {
        let ours = sh(parent.path(), script);
        assert_eq!((ours.stderr.as_str(), ours.status), (*stderr, 1), "toolbox: {script}");
        if let Some(theirs) = busybox(parent.path(), &["sh", "-c", script], "") {
            assert_eq!((theirs.stderr.as_str(), theirs.status), (*stderr, 1), "busybox: {script}");
        }
    }
    let absolute = sh(parent.path(), "echo hi > /data/f");
    assert_eq!(absolute.stderr, "sh: can't create /data/f: Read-only file system\n");
}
