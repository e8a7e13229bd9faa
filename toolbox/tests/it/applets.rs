//! Applets against temporary folders: the flags people use and busybox's output formats.

use crate::support::{TempDir, fixture, run, run_in, sh};

fn out(root: &TempDir, script: &str) -> String {
    let outcome = sh(root.path(), script);
    assert_eq!(outcome.stderr, "", "stderr of {script:?}");
    outcome.stdout
}

#[test]
fn ls_formats() {
    let root = TempDir::new();
    fixture(&root);
    assert_eq!(out(&root, "ls"), "dir\nf\ng\n");
    assert_eq!(out(&root, "ls -a dir"), ".\n..\n.hidden\none\nsub\n");
    assert_eq!(
        out(&root, "ls -A dir; ls -p dir; ls -d dir; ls -1 f dir"),
        ".hidden\none\nsub\none\nsub/\ndir\nf\n\ndir:\none\nsub\n"
    );
    assert_eq!(out(&root, "ls -R dir"), "dir:\none\nsub\n\ndir/sub:\n");
    let long = out(&root, "ls -l");
    let lines: Vec<&str> = long.lines().collect();
    assert_eq!(lines[0], "total 12");
    assert!(lines[1].starts_with("drwxr-xr-x    3 root     root          4096 "), "{}", lines[1]);
    assert!(lines[2].starts_with("-rw-r--r--    1 root     root            23 "), "{}", lines[2]);
    assert!(lines[2].ends_with(" f"));
    assert!(out(&root, "ls -ln f").starts_with("-rw-r--r--    1 0        0               23 "));
    // On a terminal (`docker run -t`), names are laid out in columns sorted down, as busybox does.
    for i in 0..12 {
        root.write(&format!("many/file{i:02}"), "");
    }
    let columns = run_in(root.path(), &["ls", "/many"], "", |p| {
        p.tty = true;
        p.env.push(("COLUMNS".into(), "40".into()));
    });
    assert_eq!(
        columns.stdout,
        "file00  file03  file06  file09\nfile01  file04  file07  file10\nfile02  file05  file08  file11\n"
    );
}

#[test]
fn file_operations() {
    let root = TempDir::new();
    fixture(&root);
    assert_eq!(out(&root, "mkdir -p a/b/c && touch a/b/c/x && ls a/b/c"), "x\n");
    assert_eq!(out(&root, "cp -r dir copy && ls -a copy"), ".\n..\n.hidden\none\nsub\n");
    assert_eq!(out(&root, "cp f g dir && ls dir"), "f\ng\none\nsub\n");
    assert_eq!(out(&root, "mv g moved && cat moved && mv moved dir/ && ls dir | wc -l"), "x\ny\n5\n");
    assert_eq!(out(&root, "rm -r a copy && ls"), "dir\nf\n");
    assert_eq!(out(&root, "rmdir dir/sub && ls dir"), "f\ng\nmoved\none\n");
    assert_eq!(
        out(&root, "echo hi | tee t1 t2 >/dev/null; cat t1 t2; echo more | tee -a t1 >/dev/null; cat t1"),
        "hi\nhi\nhi\nmore\n"
    );
    assert_eq!(root.read("t2"), "hi\n");
    assert_eq!(out(&root, "touch -c nothing; ls nothing 2>/dev/null; echo $?"), "1\n");
    assert_eq!(out(&root, "chmod +x f && chmod 644 f && chown root:root f && echo ok"), "ok\n");
}

#[test]
fn text_filters() {
    let root = TempDir::new();
    fixture(&root);
    assert_eq!(
        out(&root, "cat f g | head -n 2; head -c 3 f; echo; tail -n +4 f; tail -1 g; tail -c 2 g"),
        "a b\nc\na b\nHello world foo\ny\ny\n"
    );
    assert_eq!(out(&root, "head -n 1 f g"), "==> f <==\na b\n\n==> g <==\nx\n");
    assert_eq!(out(&root, "seq 10 | head -n -8; seq 10 | tail -3 | head -1"), "1\n2\n8\n");
    assert_eq!(
        out(&root, "wc f; wc -l f g; wc < f; wc -l < f; wc -w -l f"),
        "        4         6        23 f\n        4 f\n        2 g\n        6 total\n        4         6        23\n4\n        4         6 f\n"
    );
    assert_eq!(out(&root, "cat -n g"), "     1\tx\n     2\ty\n");
    assert_eq!(
        out(&root, "printf 'b\\na\\nc\\na\\n' | sort -u; printf '10\\n9\\n' | sort -n; printf '10\\n9\\n' | sort -rn"),
        "a\nb\nc\n9\n10\n10\n9\n"
    );
    assert_eq!(
        out(&root, "printf 'x:10\\ny:9\\n' | sort -t: -k2 -n; printf 'a\\na\\nb\\n' | uniq -c"),
        "y:9\nx:10\n      2 a\n      1 b\n"
    );
    assert_eq!(
        out(&root, "echo a:b:c | cut -d: -f1,3; echo hello | cut -c2-3; printf 'a\\tb\\n' | cut -f2"),
        "a:c\nel\nb\n"
    );
    assert_eq!(
        out(
            &root,
            "echo hello | tr a-z A-Z; echo hello | tr -d l; echo 'a  b' | tr -s ' '; echo HeLLo | tr '[:upper:]' '[:lower:]'"
        ),
        "HELLO\nheo\na b\nhello\n"
    );
    assert_eq!(out(&root, "echo a b c | xargs -n 2 echo; echo x y | xargs -I{} echo [{}]"), "a b\nc\n[x y]\n");
}

#[test]
fn sed_edits() {
    let root = TempDir::new();
    fixture(&root);
    root.write("app.conf", "listen 80;\nserver_name localhost;\n");
    assert_eq!(
        out(&root, "sed -i 's/listen 80/listen 8080/' app.conf && cat app.conf"),
        "listen 8080;\nserver_name localhost;\n"
    );
    assert_eq!(
        out(&root, "echo hello | sed -E 's/(l+)o/[\\1]/'; sed -n '2p;$p' f; printf '1\\n2\\n3\\n' | sed '2d'"),
        "he[ll]\nc\nHello world foo\n1\n3\n"
    );
    let bad = sh(root.path(), "sed 's/a/b' f");
    assert_eq!((bad.stderr.as_str(), bad.status), ("sed: unmatched '/'\n", 1));
}

#[test]
fn grep_flags() {
    let root = TempDir::new();
    fixture(&root);
    assert_eq!(
        out(&root, "grep -c o f g; grep -n o f; grep -i HELLO f; grep -v a f | head -2"),
        "f:1\ng:0\n4:Hello world foo\nHello world foo\nc\n\n"
    );
    assert_eq!(
        out(&root, "grep -E 'a|c' f; grep 'a\\|c' f; grep -w Hello f; grep -x c f; grep -F 'a b' f"),
        "a b\nc\na b\nc\nHello world foo\nc\na b\n"
    );
    assert_eq!(out(&root, "grep -q Hello f && echo found; grep -q nothing f || echo missing"), "found\nmissing\n");
    assert_eq!(out(&root, "echo abcabc | grep -o b; grep -l x f g; grep -r one . ; grep -A1 c f"), "b\nb\ng\nc\n\n");
    assert_eq!(sh(root.path(), "grep -r one .").stdout, "");
    root.write("dir/one", "one line\n");
    assert_eq!(out(&root, "grep -r one dir; grep -e x -e y g; grep -m1 . g"), "dir/one:one line\nx\ny\nx\n");
}

#[test]
fn echo_printf_test_seq() {
    let root = TempDir::new();
    fixture(&root);
    assert_eq!(
        out(&root, "echo -e 'a\\tb\\nc'; echo -n x; echo; echo -e '\\0101\\x41'; echo 'a\\nb'; echo -e 'x\\cy'; echo"),
        "a\tb\nc\nx\nAA\na\\nb\nx\n"
    );
    assert_eq!(
        out(&root, "printf '%s-%d-%5s|%-3s|%x %o %c %%\\n' a 42 r l 255 8 xyz; printf '%05.1f|%3d\\n' 3.14159 7"),
        "a-42-    r|l  |ff 10 x %\n003.1|  7\n"
    );
    assert_eq!(out(&root, "printf '%s\\n' a b c; printf '%b' 'q\\tz\\n'"), "a\nb\nc\nq\tz\n");
    assert_eq!(
        out(
            &root,
            "[ -f f ] && [ -d dir ] && [ ! -e nope ] && [ -s f ] && [ 3 -gt 2 -a 2 -gt 1 ] && test x && echo ok"
        ),
        "ok\n"
    );
    assert_eq!(out(&root, "[ a = b ]; echo $?; [ -z '' ]; echo $?; test; echo $?"), "1\n0\n1\n");
    assert_eq!(
        out(&root, "seq 3; seq 2 4; seq 1 2 7; seq -s, 3; seq 5 1; seq -w 8 10; seq 1 0.5 2"),
        "1\n2\n3\n2\n3\n4\n1\n3\n5\n7\n1,2,3\n08\n09\n10\n1.0\n1.5\n2.0\n"
    );
    assert_eq!(
        out(&root, "basename /a/b/c.txt .txt; dirname /a/b/c; dirname c; basename /; dirname /; basename a/b/"),
        "c\n/a/b\n.\n/\n/\nb\n"
    );
}

#[test]
fn identity_host_and_date() {
    let root = TempDir::new();
    root.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n");
    root.write("etc/group", "root:x:0:\nwheel:x:10:root\nnode:x:1000:\n");
    root.write("etc/hostname", "abc123\n");
    root.write("etc/hosts", "127.0.0.1\tlocalhost\n172.17.0.2\tabc123\n");
    assert_eq!(
        out(&root, "id; whoami; id -u; id -un; id -G; id node"),
        "uid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot\n0\nroot\n0 10\nuid=1000(node) gid=1000(node) groups=1000(node)\n"
    );
    let as_node = run_in(root.path(), &["sh", "-c", "id; whoami"], "", |p| {
        p.uid = 1000;
        p.gid = 1000;
    });
    assert_eq!(as_node.stdout, "uid=1000(node) gid=1000(node) groups=1000(node)\nnode\n");
    let unknown = run_in(root.path(), &["whoami"], "", |p| p.uid = 4242);
    assert_eq!((unknown.stderr.as_str(), unknown.status), ("whoami: unknown uid 4242\n", 1));
    assert_eq!(
        out(&root, "hostname; hostname -i; HOSTNAME=fromenv hostname; uname; uname -n"),
        "abc123\n172.17.0.2\nfromenv\nLinux\nabc123\n"
    );
    assert_eq!(
        out(&root, "date -u -d @0; date -d @86400 +%F; date -d '2024-02-29 12:34:56' '+%a %j %T %s'"),
        "Thu Jan  1 00:00:00 UTC 1970\n1970-01-02\nThu 060 12:34:56 1709210096\n"
    );
    let now = out(&root, "date +%Y");
    assert!(now.trim().parse::<u32>().unwrap() >= 2025);
    assert_eq!(out(&root, "env -i A=1 B=2 env; printenv HOME; printenv NOPE; echo $?"), "A=1\nB=2\n/root\n1\n");
}

#[test]
fn sleep_takes_fractions() {
    let root = TempDir::new();
    let start = std::time::Instant::now();
    assert_eq!(run(root.path(), &["sleep", "0.2"]).status, 0);
    let elapsed = start.elapsed();
    assert!(elapsed.as_millis() >= 200 && elapsed.as_millis() < 2000, "{elapsed:?}");
    let bad = run(root.path(), &["sleep", "1x"]);
    assert_eq!((bad.stderr.as_str(), bad.status), ("sleep: invalid number '1x'\n", 1));
}
