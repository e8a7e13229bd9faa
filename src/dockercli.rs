//! TEMPORARY minimal stand-in until the full parser lands (being written separately).
pub struct Invocation {
    pub command: Vec<&'static str>,
    pub written: Vec<(String, usize)>,
    pub global_flags: Vec<FlagUse>,
    pub flags: Vec<FlagUse>,
    pub args: Vec<Arg>,
    pub errors: Vec<CliError>,
}
#[derive(Debug)]
pub struct FlagUse {
    pub name: &'static str,
    pub value: Option<String>,
    pub word: usize,
}
#[derive(Debug)]
pub struct Arg {
    pub value: String,
    pub word: usize,
}
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub word: usize,
}
impl std::fmt::Debug for Invocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.command)
    }
}
impl Invocation {
    #[must_use] 
    pub fn flag(&self, long: &str) -> Option<&FlagUse> {
        self.flags.iter().rev().find(|f| f.name == long)
    }
    pub fn flags_named<'a>(&'a self, long: &'a str) -> impl Iterator<Item = &'a FlagUse> {
        self.flags.iter().filter(move |f| f.name == long)
    }
    #[must_use] 
    pub fn has(&self, long: &str) -> bool {
        self.flag(long).is_some_and(|f| f.value.as_deref() != Some("false"))
    }
}
#[must_use] 
pub fn parse(argv: &[&str]) -> Option<Invocation> {
    let table: &[(&str, &'static str, bool)] = &[
        ("-t", "tag", true),
        ("--tag", "tag", true),
        ("-f", "file", true),
        ("--file", "file", true),
        ("--target", "target", true),
        ("-d", "detach", false),
        ("--rm", "rm", false),
        ("--name", "name", true),
        ("-p", "publish", true),
        ("--publish", "publish", true),
        ("-P", "publish-all", false),
        ("-it", "interactive", false),
        ("-i", "interactive", false),
        ("-t ", "tty", false),
        ("--network", "network", true),
        ("--entrypoint", "entrypoint", true),
    ];
    let cmd: &'static str = match *argv.get(1)? {
        "run" => "run",
        "build" => "build",
        _ => return None,
    };
    let mut inv = Invocation {
        command: vec![cmd],
        written: vec![(cmd.to_string(), 1)],
        global_flags: vec![],
        flags: vec![],
        args: vec![],
        errors: vec![],
    };
    let mut i = 2;
    while i < argv.len() {
        let w = argv[i];
        if !inv.args.is_empty() && cmd == "run" {
            inv.args.push(Arg { value: w.into(), word: i });
            i += 1;
            continue;
        }
        if let Some(&(_, name, val)) = table.iter().find(|t| t.0 == w || (cmd == "run" && w == "-t" && t.0 == "-t ")) {
            let name = if cmd == "run" && w == "-t" { "tty" } else { name };
            let val = val && !(cmd == "run" && w == "-t");
            let value = if val {
                i += 1;
                argv.get(i).map(std::string::ToString::to_string)
            } else {
                None
            };
            inv.flags.push(FlagUse { name, value, word: i });
        } else if w.starts_with('-') {
        } else {
            inv.args.push(Arg { value: w.into(), word: i });
        }
        i += 1;
    }
    Some(inv)
}
