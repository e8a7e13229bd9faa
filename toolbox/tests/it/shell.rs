//! The shell: quoting, expansion, control flow, pipelines, redirections and its modes (-c, script, stdin).

use crate::support::{Outcome, TempDir, run, run_in, sh};

fn out(script: &str) -> String {
    let root = TempDir::new();
    let outcome = sh(root.path(), script);
    assert_eq!(outcome.stderr, "", "stderr of {script:?}");
    outcome.stdout
}

#[test]
fn quoting_and_parameters() {
    assert_eq!(out(r#"echo '$HOME' "$HOME" \$HOME ~ ~/x"#), "$HOME /root $HOME /root /root/x\n");
    assert_eq!(out(r#"echo "a\"b" 'c'\''d' "e\\f" "g\$h""#), "a\"b c'd e\\f g$h\n");
    assert_eq!(out("v=file.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v}"), "file.tar file tar.gz gz 11\n");
    assert_eq!(out("a=1; echo ${a:+set} ${c:+set} ${c=def} $c ${d:-x y}"), "set def def x y\n");
    assert_eq!(out("x=hello; echo ${x/l/L} ${x//l/L} ${x:1:3} ${x: -2}"), "heLlo heLLo ell lo\n");
    assert_eq!(
        out(r#"x="a b  c"; for i in $x; do echo "[$i]"; done; for i in "$x"; do echo "[$i]"; done"#),
        "[a]\n[b]\n[c]\n[a b  c]\n"
    );
    assert_eq!(out(r#"set -- 1 "2 3"; for a in "$@"; do echo "<$a>"; done; echo "$*" $#"#), "<1>\n<2 3>\n1 2 3 2\n");
    assert_eq!(out("IFS=:; x=a:b; for i in $x; do echo $i; done"), "a\nb\n");
    assert_eq!(out("sh -c 'echo $0 $1 $#' a b c"), "a b 2\n");
    assert_eq!(out("echo $(( 2+3*4 )) $((7%3)) $((x=5)) $x $(( 010 + 0x10 ))"), "14 1 5 5 24\n");
}

#[test]
fn control_flow() {
    assert_eq!(out("if false; then echo a; elif true; then echo b; else echo c; fi"), "b\n");
    assert_eq!(out("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done"), "1\n2\n3\n");
    assert_eq!(out("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done"), "1\n3\n");
    assert_eq!(out("for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done"), "1a\n2a\n");
    assert_eq!(out("case x.txt in *.md|*.txt) echo text;; *) echo other;; esac"), "text\n");
    assert_eq!(out("f() { local x=in; echo $x $1; return 3; }; x=out; f arg; echo $? $x"), "in arg\n3 out\n");
    assert_eq!(out("echo a && echo b || echo c; false && echo x || echo y"), "a\nb\ny\n");
    assert_eq!(out("! true; echo $?; (exit 7); echo $?; true | false; echo $?"), "1\n7\n1\n");
    assert_eq!(out("set -e; false || true; if false; then :; fi; ! false; echo survived"), "survived\n");
    let root = TempDir::new();
    assert_eq!(
        sh(root.path(), "set -e; echo one; false; echo two"),
        Outcome { stdout: "one\n".into(), stderr: String::new(), status: 1 }
    );
    assert_eq!(sh(root.path(), "exit 300").status, 44);
    assert_eq!(out("trap 'echo bye' EXIT; echo hi"), "hi\nbye\n");
}

#[test]
fn substitution_pipes_and_redirections() {
    assert_eq!(out("echo \"$(echo a; echo b)\" | wc -l"), "2\n");
    assert_eq!(out("x=$(exit 3); echo $?; echo $(false) $?"), "3\n0\n");
    assert_eq!(out("echo `echo back` $(echo $(echo nested))"), "back nested\n");
    assert_eq!(out("echo one > o; echo two >> o; cat o; wc -l < o"), "one\ntwo\n2\n");
    assert_eq!(out("ls nothing 2>&1 | cat"), "ls: nothing: No such file or directory\n");
    assert_eq!(out("echo hidden 2>/dev/null >/dev/null; echo err 2>&1 >&2 2>/dev/null"), "err\n");
    assert_eq!(out("{ echo g1; echo g2; } > grp; cat grp; (cd /; pwd) > p; cat p"), "g1\ng2\n/\n");
    assert_eq!(out("echo a b | read x; echo \"[$x]\"; echo x | { read v; echo v=$v; }"), "[]\nv=x\n");
    assert_eq!(out("printf '%s\\n' x y | while read line; do echo \"got $line\"; done"), "got x\ngot y\n");
    assert_eq!(out("cat <<EOF\nline $HOME\n  two\nEOF\ncat <<'EOF'\nraw $HOME\nEOF"), "line /root\n  two\nraw $HOME\n");
    assert_eq!(out("cat <<-EOF\n\tkey=value\n\tEOF"), "key=value\n");
    assert_eq!(out("read a b <<EOF\none two three\nEOF\necho \"$a|$b\""), "one|two three\n");
}

#[test]
fn variables_environment_and_cd() {
    let root = TempDir::new();
    std::fs::create_dir_all(root.path().join("app/sub")).unwrap();
    std::fs::create_dir_all(root.path().join("root")).unwrap();
    assert_eq!(out("export Z=1; sh -c 'echo $Z'; Y=2 sh -c 'echo $Y'; echo \"[$Y]\""), "1\n2\n[]\n");
    let o = sh(root.path(), "cd app && pwd && cd sub && pwd; echo $PWD; cd ../..; echo $OLDPWD; cd -; cd; pwd");
    assert_eq!(o.stdout, "/app\n/app/sub\n/app/sub\n/app/sub\n/app/sub\n/root\n");
    assert_eq!(o.stderr, "");
    // ash lists exported variables by its hash buckets, so `sh -c env` prints them in the same order as busybox.
    let env = run_in(root.path(), &["sh", "-c", "export C=3; env"], "", |p| p.env = vec![("A".into(), "1".into())]);
    assert_eq!(env.stdout, "SHLVL=1\nC=3\nA=1\nPATH=/sbin:/usr/sbin:/bin:/usr/bin\nPWD=/\n");
    assert_eq!(out("set -u; echo ${NOPE:-fine}"), "fine\n");
    root.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n");
    assert_eq!(sh(root.path(), "echo ~node/app ~nobody a~b").stdout, "/home/node/app ~nobody a~b\n");
}

#[test]
fn globbing() {
    let root = TempDir::new();
    for name in ["a.txt", "b.txt", "c.md", ".hidden.txt", "d/e.txt"] {
        root.write(name, "");
    }
    let o =
        sh(root.path(), "echo *.txt; echo *; echo d/*; echo \"*\"; echo nomatch*; echo /d/*.txt; cd d; echo ../*.md");
    assert_eq!(o.stdout, "a.txt b.txt\na.txt b.txt c.md d\nd/e.txt\n*\nnomatch*\n/d/e.txt\n../c.md\n");
}

#[test]
fn scripts_and_path_lookup() {
    let root = TempDir::new();
    root.write("x.sh", "echo in script $1\n");
    root.write("y.sh", "#!/bin/sh\necho shebang $0\n");
    root.write("z.sh", "#!/bin/bash\necho never\n");
    root.write("usr/local/bin/tool", "echo from path\n");
    let o = sh(root.path(), "./x.sh arg; sh x.sh a2; . ./x.sh dot; ./y.sh; tool; ./z.sh; echo $?; ./nothere; echo $?");
    assert_eq!(o.stdout, "in script arg\nin script a2\nin script dot\nshebang ./y.sh\nfrom path\n127\n127\n");
    assert_eq!(o.stderr, "sh: ./z.sh: not found\nsh: ./nothere: not found\n");
}

#[test]
fn reads_commands_from_stdin() {
    let root = TempDir::new();
    let o = run_in(root.path(), &["sh"], "echo a\ncd x\nfoo\nif true\nthen echo b\nfi\nexit 4\necho never\n", |_| {});
    assert_eq!(o.stdout, "a\nb\n");
    assert_eq!(o.stderr, "sh: cd: line 2: can't cd to x: No such file or directory\nsh: foo: not found\n");
    assert_eq!(o.status, 4);
    // Interactive (a terminal, or -i): ash's prompt, no line numbers, and errors do not end the shell.
    let o = run_in(root.path(), &["sh", "-i"], "cd x\necho ${U:?no}\necho still\nif true\nthen echo yes; fi\n", |_| {});
    assert_eq!(o.stdout, "/ # / # / # still\n/ # > yes\n/ # ");
    assert_eq!(o.stderr, "sh: cd: can't cd to x: No such file or directory\nsh: U: no\n");
}

#[test]
fn applets_as_commands_and_by_name() {
    let root = TempDir::new();
    assert_eq!(run(root.path(), &["toolbox", "echo", "hi"]).stdout, "hi\n");
    assert_eq!(run(root.path(), &["/bin/echo", "hi"]).stdout, "hi\n");
    assert_eq!(
        out("type cd; command -v echo; exec echo replaced; echo never"),
        "cd is a shell builtin\necho\nreplaced\n"
    );
    let traced = sh(root.path(), "set -x; echo 'a b'");
    assert_eq!(traced.stderr, "+ echo 'a b'\n");
}
