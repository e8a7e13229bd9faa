//! Side by side with busybox: each script runs in the toolbox and under `/bin/busybox` (where it is installed), in
//! identical folders, and stdout, stderr and the exit status must be the same. A script starting with `#script`
//! runs as `sh s.sh`, with `#stdin` as commands on stdin, with `#applet` as an applet's own command line.
//!
//! Left out on purpose (the toolbox follows Docker's busybox image, not this machine's): `id` (Docker gives every
//! process its groups, so the toolbox prints `groups=`), `type ls` (PATH first), busybox's long usage texts, and
//! anything printing times or this machine's paths.

use crate::support::{TempDir, busybox, fixture, run_in};

const SCRIPTS: &[&str] = &[
    r"foo",
    r"foo; echo $?",
    r"echo hi > /proc/x",
    r"cat x",
    r"cat /",
    r"cat f g",
    r"ls x",
    r"ls x .",
    r"ls",
    r"ls -a dir",
    r"ls -1 f dir",
    r"ls dir f",
    r"rm x",
    r"rm dir",
    r"rm -f x; echo $?",
    r"mkdir a/b",
    r"mkdir -p a/b; mkdir a",
    r"mkdir -p a/b/c; ls -R a",
    r"cp x y",
    r"cp dir z",
    r"cp f f",
    r"cp f g h",
    r"mv x y",
    r"touch q/r",
    r"touch f/g",
    r"head x; tail x; wc x; grep a x; grep -q a x; grep -s a x",
    r"cd x",
    r"cd x; echo $?",
    r"cat < x",
    r"sleep x",
    r"exit 3",
    r"rmdir x",
    r"rmdir .",
    r#"echo "unterminated"#,
    r"if true; then",
    r"echo )",
    r"cd dir; pwd; cd ..; pwd; cd -",
    r"wc f; wc -l f g; wc < f; wc -l < f; wc -c f; wc -w -l f",
    r#"grep -c o f g; grep -n o f; grep o f g; grep -i HELLO f; grep -v a f | head -2; grep -E "a|c" f; grep "a\|c" f"#,
    r"head -n 1 f g; tail -n1 f; tail -1 f; head -2 f; tail -n +3 f; head -c 3 f; echo",
    r"seq 3; seq 2 4; seq 1 2 7; seq -s, 3; seq 5 1",
    r#"printf "b\na\nc\na\n" | sort; printf "b\na\nc\na\n" | sort -r; printf "b\na\nc\na\n" | sort -u; printf "10\n9\n" | sort -n; printf "a\na\nb\n" | uniq -c"#,
    r#"echo a:b:c | cut -d: -f2; echo a:b:c | cut -d: -f1,3; echo hello | cut -c2-3; echo hello | tr a-z A-Z; echo hello | tr -d l; echo "a  b" | tr -s " ""#,
    r#"echo -e "a\tb\\nc"; echo -n x; echo; echo -e "\\0101\\x41"; echo "a\nb"; printf "%s-%d-%5s|%-3s|%x %o %c %%\n" a 42 r l 255 8 xyz; printf "%b\n" "q\tz""#,
    r"basename /a/b/c.txt .txt; dirname /a/b/c; dirname c; basename /; dirname /; basename a/b/",
    r"echo a b c | xargs echo x; echo a b c | xargs -n1 echo; echo hi | tee t1; cat t1",
    r"env -i A=1 env; printenv HOME; printenv NOPE; echo $?",
    r#"test 1 -eq 1; echo $?; [ a = b ]; echo $?; [ -f f ] && echo file; [ -d . ]; echo $?; [ -z "" ]; echo $?; [ 1 -lt x ]; echo $?; [ a ; echo $?"#,
    r"echo ${x",
    r"echo $((1/0))",
    r"echo $((2+3*4)) $((7%3)) $(( (1+2) * 3 )) $((x=5)) $x",
    r"fi",
    r"for x in; do echo; done; echo ok",
    r"case a in a) echo A;; *) echo B;; esac",
    r"f() { echo in f $1; return 3; }; f z; echo $?",
    r"exit foo",
    r"shift 5",
    r"cp -r dir e; ls e",
    r"mv f dir; ls dir",
    r"rm -r dir e; ls",
    r"touch a; rm -r a/b",
    r"rm -rf .",
    r"mkdir -p f",
    r"echo a > g; cat g nofile g",
    r"cd /nonexist 2>/dev/null || echo fail",
    r"unknowncmd 2>/dev/null; echo $?",
    r"set -e; false; echo no",
    r#"x=$(foo); echo "[$x] $?""#,
    r"echo ${U:-d} ${U-e} ${U:?boom}",
    r"cat nosuch 2>/dev/null; echo $?",
    r#"printf %d x; echo; printf "%s %s\n" a"#,
    r"env foo",
    r"sh -c 'echo $0 $1 $#' a b c",
    r#"echo "$(echo a; echo b)" | wc -l"#,
    r#"x="a b  c"; for i in $x; do echo "[$i]"; done; for i in "$x"; do echo "[$i]"; done"#,
    r#"set -- 1 "2 3" 4; for a in "$@"; do echo "<$a>"; done; echo "$*"; echo $#"#,
    r"i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done",
    r"i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i",
    r"for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done; for i in 1 2 3; do [ $i = 2 ] && break; echo $i; done",
    r"if false; then echo a; elif true; then echo b; else echo c; fi",
    r"echo a && echo b || echo c; false && echo x || echo y",
    r"! true; echo $?; ! false; echo $?",
    r"echo hi 1>&2; echo err >&2 2>/dev/null; ls nothing 2>&1 | cat; echo $?",
    r"echo one > o; echo two >> o; cat o; cat < o | wc -l",
    r"a=1; b=${a:+set}; echo $b ${c:+set} ${c=def} $c",
    r"v=file.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v}",
    r#"echo '$HOME' "$HOME" \$HOME ~ ~/x"#,
    r#"echo "a\"b" 'c'\''d' "e\\f" "g\$h""#,
    r#"export Z=1; sh -c 'echo $Z'; Y=2 sh -c 'echo $Y'; echo "[$Y]""#,
    r"cd dir && pwd && cd sub && pwd; echo $PWD; cd ../..; echo $OLDPWD",
    r#"echo *; echo d*; echo "*"; echo nomatch*; echo dir/*"#,
    r"cat <<EOF
line $HOME
  two
EOF",
    r"cat <<'EOF'
raw $HOME
EOF",
    r"f() { local x=in; echo $x; }; x=out; f; echo $x",
    r"set -x; echo traced; set +x; echo quiet",
    r"true; echo $?; false; echo $?; :; echo $?",
    r"echo $(( 1 + $(echo 2) ))",
    r#"read a b <<EOF
one two three
EOF
echo "$a|$b""#,
    r#"printf '%s\n' x y z | while read line; do echo "got $line"; done"#,
    r"echo `echo back`",
    r"exec echo replaced; echo never",
    r"(cd dir; pwd); pwd",
    r"{ echo g1; echo g2; } > grp; cat grp",
    r#"echo x | { read v; echo "v=$v"; }"#,
    r"echo abc | grep -o b; echo abcabc | grep -c b",
    r#"grep -n "" f"#,
    r#"grep -w Hello f; grep -x c f; grep -F "a b" f"#,
    r"case hello in h*) echo star;; esac; case x.txt in *.md|*.txt) echo text;; esac",
    r"trap 'echo bye' EXIT; echo hi",
    r#"trap "" INT; trap 'a b' 15; trap "it's" SIGUSR1; trap; trap - TERM; trap USR1; trap"#,
    r"trap x FOO; echo $?; trap x; echo $?",
    r"trap -- 'echo t' term; trap '' TSTP sigsegv; trap",
    r"sort -k2 <<EOF
a 3
b 1
c 2
EOF",
    r"env",
    r"sh -c 'env'",
    r"echo $(( 010 + 0x10 )) $(( -3 / 2 )) $(( 2 ** 8 ))",
    r"false; echo $?; (exit 7); echo $?",
    r"echo $((x += 3)) $x",
    r#"[ -n "" ]; echo $?; [ ! -e nope ]; echo $?; [ 3 -gt 2 -a 2 -gt 1 ]; echo $?"#,
    r"test; echo $?; test x; echo $?; [ ]; echo $?",
    r#"echo a b | read x; echo "[$x]""#,
    r"ls -p dir; ls -F dir; ls -d dir; ls -1d dir f",
    r"printf 'a\tb\n' | cut -f2; printf 'k=v\n' | cut -d= -f1; echo abcdef | cut -c 2-; echo abcdef | cut -c -2",
    r"echo hello world | tr -s 'lo' ; echo HeLLo | tr '[:upper:]' '[:lower:]'; echo abc | tr -d 'b'; echo a-b | tr - _",
    r"seq -w 8 10; seq 1 0.5 2; seq 0",
    r"printf '%5.2f|%-5d|%05d|%x|%s\n' 3.14159 42 7 255 str; printf 'no newline'; printf '\n%s %s\n' 1 2 3",
    r"echo -n; echo -e 'x\cy'; echo -- -n; echo -nx",
    r#"x=5; [ "$x" -eq 5 ] && echo five; [ "$x" != 5 ] || echo notnot"#,
    r"echo ${#}; echo ${1:-none}; set -- a; echo ${1:-none} $1",
    r"IFS=:; x=a:b:c; for i in $x; do echo $i; done",
    r#"unset A; echo "[${A}]"; A=2; export A; env | grep ^A="#,
    r"sh -c 'exit 5'; echo $?; sh -c 'false'; echo $?",
    r"while true; do echo once; break; done; echo after",
    r#"echo start; nosuch arg; echo "status $?""#,
    r"cat f | head -n 2 | tail -n 1",
    r"wc -l < f; wc -w f g",
    r"printf 'b\na\n' > u; sort u -o u; cat u",
    r"uniq -d <<EOF
a
a
b
EOF",
    r"echo $? ; false ; echo $?",
    r"x=1; x=$((x * 10)); echo $x; echo $((x > 5 ? 1 : 0))",
    r"seq 10 | tail -3; seq 10 | head -n -8",
    r"basename file.txt .txt; basename /usr/local/bin/; dirname /usr/local/bin/",
    r"#script
echo a
cd x
foo
echo > /proc/x
echo $((1/0))
echo not reached",
    r"#script
echo a
if",
    r"#stdin
echo a
cd x
foo
echo > /proc/x
exit 4",
    r"#stdin
echo a; if
echo after",
    r"#script
set -e
echo one
false
echo two",
    r"#script
set -e
false || true
if false; then :; fi
! false
false && true
echo survived
f() { false; echo in-f; }
f
echo end",
    r"#script
set -u
echo $NOPE
echo after",
    r"#script
echo ${U:?custom message}",
    r#"#script
x=1
echo "x is $x" > out.txt
cat out.txt nope.txt
echo "rc $?""#,
    r"#applet ls x",
    r"#applet cat x",
    r"#applet nosuchapplet",
    r"#applet sh -c",
    r"#applet sh nos.sh",
    r"#applet echo -e a\tb",
    r"#applet head -n x f",
    r"#applet tail -c 3 f",
    r"#applet wc -L f",
    r"#applet sort -n -r f",
    r#"#script
for f in *; do echo "file: $f"; done
for f in dir/*; do [ -f "$f" ] && echo "reg $f"; done"#,
    r"#script
count=0
while read line; do
  count=$((count+1))
done < f
echo $count lines",
    r"#script
cat > conf <<-EOF
	key=value
	other=1
	EOF
cat conf",
    r#"#script
greet() {
  echo "Hello, $1!"
  return 0
}
greet World
greet "Docker Learner""#,
    r#"#script
echo $0 $# "$@"
shift
echo $?"#,
    r#"#script
case "$1" in
  start) echo starting ;;
  *) echo "usage: $0 start" ;;
esac"#,
    r"#script
exit 300",
    r#"#script
a="x"
b=$a$a
echo ${b}y "${b}" '${b}'
c=
echo "[${c:-empty}] [${c-unset}]""#,
    r#"#script
echo "multi
line"
echo 'single
quoted'"#,
    r"#script
echo line1 \
  continued",
    r#"#script
x=$(cat <<EOF
inside
EOF
)
echo "$x""#,
    r"printf 'echo in script $1\n' > x.sh; chmod +x x.sh; ./x.sh arg; sh x.sh a2; . ./x.sh dot",
    r"printf '#!/bin/sh\necho shebang\n' > y.sh; chmod +x y.sh; ./y.sh",
    r"./nothere.sh; echo $?",
    r"printf '#!/bin/nonexistent-interp\necho no\n' > z.sh; chmod +x z.sh; ./z.sh; echo $?",
    r"mkdir bin; printf 'echo from path\n' > bin/tool; chmod +x bin/tool; PATH=$PWD/bin:$PATH; tool",
    r"echo a > /dev/null; cat /dev/null; echo $?",
    r"x=$(exit 3); echo $?",
    r"echo $(false) $?",
    r"f() { return 4; }; f; echo $?; f && echo no || echo yes",
    r#"echo "a b" > "file with space"; cat "file with space"; ls"#,
    r"for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done",
    r"echo x >&3",
    r#"echo "${HOME:+home is set}""#,
    r"echo $((2>1)) $((1==1)) $((5&3)) $((!0))",
    r"a=(1 2)",
    r"echo ${x/a/b}",
    r"`nonexistent`; echo $?",
    r#""" ; echo $?"#,
    r"sleep 0.1 && echo slept",
    r"echo abc > t; [ -s t ] && echo nonempty; [ -s nope ] || echo empty",
    r"mkdir -p a/b && touch a/b/c && rm -r a && ls",
    r"cp f g dir && ls dir; cp -r dir dir2 && ls -R dir2",
    r"mv g newg; ls; mv newg dir/; ls dir",
    r"touch -c none; ls none",
    r"rm -r nonexist; rm -rf nonexist; echo $?",
    r"tee < f out1 out2 > /dev/null; cat out2",
    r"grep -r one .; grep -rl Hello .",
    r"echo hi | grep -q hi && echo found",
    r"grep -A1 a f; echo --; grep -B1 world f; echo --; grep -C1 c f",
    r"grep -m1 -n . f",
    r"grep -e a -e c f",
    r"sort -t: -k2 -n <<EOF
x:10
y:9
z:100
EOF",
    r"printf '3\n1\n2\n' | sort | head -1",
    r"echo 'a b c' | xargs -n 2 echo; echo 'x y' | xargs -I{} echo [{}]",
    r"printf 'a\nb\n' | xargs echo",
    r"env A=2 B=3 sh -c 'echo $A $B'",
    r"env -u HOME sh -c 'echo [$HOME]'",
    r"printenv A HOME",
    r"echo hello | tee -a t1 t1; cat t1",
    r"test -d dir -a -f f && echo both",
    r#"[ "a" \< "b" ] && echo lt"#,
    r"seq 3 | while read n; do echo $((n*n)); done | tail -1",
    r"cat -n f",
    r"true | false; echo $?",
    r"echo | cat; echo done",
    r"x=hello; echo ${x/l/L} ${x//l/L} ${x:1:3} ${x:2} ${x: -2}",
    r"chmod 755 nope; echo $?; chmod +x f && echo ok; chmod -x f; echo $?; chown root f; echo $?",
    r"printf '#!/bin/sh\r\necho hi\r\n' > w.sh; chmod +x w.sh; ./w.sh; echo $?; sh w.sh; echo $?",
    r"printf 'echo a\r\n' > c.sh; sh c.sh | wc -c",
    r#"f() { for a in "$@"; do echo "[$a]"; done; echo $#; }; f 1 "2 3" ""; f"#,
    r#"x=""; [ -z "$x" ] && echo empty; [ -n "$x" ] || echo notset"#,
    r#"echo "${U:-$(echo sub)}" ${U:-"quoted default"}"#,
    r#"n=" 5 "; echo $((n + 1)); echo $(( $n * 2 ))"#,
    r"cat <<EOF
$(echo cmd) `echo bq` $((1+1)) \$literal
EOF",
    r#"echo "`echo \"inner\"`""#,
    r#"case "a b" in "a b") echo quoted;; esac; case ab in "a"*) echo prefix;; esac"#,
    r#"echo $(echo "a   b") "$(echo "a   b")""#,
    r#"a='$b'; b=1; echo $a "$a"; eval echo $a"#,
    r"echo one; echo two >&2; echo three",
    r#"for i in $(seq 3); do printf "%s," $i; done; echo"#,
    r#"echo 'it''s' "a"'b'c"#,
    r#"test "$(echo x)" = x && echo same"#,
    r"v=abc; case $v in a*c) echo m1;; esac; case $v in [!a]*) echo m2;; *) echo m3;; esac",
    r"echo {a,b}",
    r"x=1; { x=2; }; echo $x; (x=3); echo $x",
    r"echo $((1 << 4)) $((255 & 15)) $((2 != 3)) $((10 / 3)) $((-7 % 3))",
    r#"unset x; echo ${x-unset} ${x:-empty}; x=; echo ${x-unset} "${x:-empty}""#,
    r#"set -- a b c; shift 2; echo $@; shift; echo "[$@]""#,
    r#"echo "$HOME"/bin '$HOME'/bin"#,
    r#"export PATH="/custom:$PATH"; echo $PATH | cut -d: -f1"#,
    r"ls -1 | wc -l; ls dir | sort -r",
    r#"printf "%-10s|\n" name; printf "%3s|%-3s|\n" ab cd"#,
    r#"echo "a\\b" 'a\\b'; echo -e "a\\\\b""#,
    r#"while read -r a b; do echo "$b-$a"; done <<EOF
1 one
2 two
EOF"#,
    r#"grep -c "" f; grep -v "^$" f | wc -l"#,
    r"sort f | uniq | head -2",
    r"x=10; y=3; echo $((x/y)) $((x%y)) $((x**2))",
    r#"echo "${#HOME}" ${#1} ${#@}"#,
    r"i=5; while [ $i -gt 0 ]; do i=$((i-2)); done; echo $i",
    r"echo done > /dev/stderr",
    r"false | true; echo $?; true | false | true; echo $?",
    r"echo x >/dev/null 2>&1 && echo ok",
    r"cd dir; ls ..; cd ..",
    r"mkdir -p a/b && cd a/b && touch x && cd ../.. && ls -R a",
    r"echo $((0x1F)) $((077)) $((1e3)) 2>&1",
    r"sed 's/a/b'",
    r"sed k < f",
    r"sed p nofile",
    r"sed -n '2p;$p' f",
    r"echo hello | sed 's/\(l\+\)o/[\1]/'",
    r"echo hello | sed -E 's/(l+)o/[\1]/g'",
    r"echo a.b.c | sed 's/\./-/2'",
    r"printf '1\n2\n3\n' | sed '2d'",
    r"printf '1\n2\n3\n' | sed -n '/2/,$p'",
    r"printf '1\n2\n' | sed '1i\
top'",
    r"printf '1\n2\n' | sed '$a end'",
    r"echo abc | sed 'y/abc/xyz/'",
    r"echo aaa | sed 's/a/b/g;s/b/c/'",
    r"printf 'a\nb\n' | sed =",
    r"echo x | sed -e 's/x/y/' -e 's/y/z/'",
    r"echo 'a b' | sed 's/ /\n/'",
    r"echo abc | sed 's/b/&&/'",
    r"printf '1\n2\n3\n' | sed 2q",
    r"echo abc | sed '/b/!d'",
    r"echo abc | sed '/x/!s/a/A/'",
    r"cp f f2; sed -i 's/world/there/' f2; cat f2",
    r"sed -n '/^$/=' f",
    r"printf 'a\nb\nc\nd\n' | sed '2,3d'",
    r"printf 'a\nb\nc\n' | sed '2c\
changed'",
    r"printf 'key=1\nother=2\n' | sed '/key/{s/1/9/;p}'",
    r"echo 'path/to/file' | sed 's|/|\\|g'",
    r"echo hello | sed 's/L/x/gI'",
    r"echo 'a  b   c' | sed 's/ \+/ /g'",
    r"echo abc | sed -n 's/b/B/p'",
    r"printf 'x\ny\n' | sed '1!G' 2>&1; echo $?",
    r"printf 'a\nb\nc\n' | sed -n '1!G;h;$p'",
    r"printf 'a\nb\n' | sed 'x;$!d;x;G'",
    r"echo ab | sed -E 's/a|ab/X/'; echo xyz | sed -E 's/(x|xy)(z|yz)/[\1][\2]/'",
];

#[test]
fn scripts_behave_as_under_busybox() {
    if busybox(std::path::Path::new("/"), &["true"], "").is_none() {
        return;
    }
    let mut failures = Vec::new();
    for script in SCRIPTS {
        let (argv, stdin): (Vec<String>, String) = if let Some(body) = script.strip_prefix("#script\n") {
            (vec!["sh".into(), "s.sh".into()], body.to_string())
        } else if let Some(body) = script.strip_prefix("#stdin\n") {
            (vec!["sh".into()], format!("{body}\n"))
        } else if let Some(line) = script.strip_prefix("#applet ") {
            (line.split(' ').map(String::from).collect(), String::new())
        } else {
            (vec!["sh".into(), "-c".into(), (*script).to_string()], String::new())
        };
        let script_file = script.starts_with("#script\n");
        let stdin = if script_file { String::new() } else { stdin };
        let prepare = |dir: &TempDir| {
            fixture(dir);
            if let Some(body) = script.strip_prefix("#script\n") {
                dir.write("s.sh", &format!("{body}\n"));
            }
        };
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let ours_dir = TempDir::new();
        prepare(&ours_dir);
        let ours = run_in(ours_dir.path(), &argv, &stdin, |p| p.env.push(("A".into(), "1".into())));
        let theirs_dir = TempDir::new();
        prepare(&theirs_dir);
        let Some(mut theirs) = busybox(theirs_dir.path(), &argv, &stdin) else { return };
        // busybox ran in a real folder that the toolbox sees as `/`.
        let real = theirs_dir.path().to_string_lossy().into_owned();
        for text in [&mut theirs.stdout, &mut theirs.stderr] {
            *text = text.replace(&format!("{real}/"), "/").replace(&real, "/");
        }
        if ours != theirs {
            failures.push(format!("{script}\n  toolbox: {ours:?}\n  busybox: {theirs:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), SCRIPTS.len(), failures.join("\n"));
}
