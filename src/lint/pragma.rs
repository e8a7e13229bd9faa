//! Inline pragmas: `# docklings ignore=CODE[,CODE]` for the next instruction or command, `global ignore=` for the
//! whole file, `stage ignore=` for the rest of a build stage; hadolint's `# hadolint …` spellings too. Text after
//! the list (`# reason`) is a comment for humans.

/// What a pragma covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Next,
    Stage,
    Global,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    pub scope: Scope,
    /// Codes or rule names as written.
    pub codes: Vec<String>,
}

/// Reads a comment's text (after `#`, trimmed) as a pragma.
#[must_use]
pub fn parse(comment: &str) -> Option<Pragma> {
    let rest = comment.strip_prefix("docklings").or_else(|| comment.strip_prefix("hadolint"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = rest.strip_prefix("global") {
        (Scope::Global, r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage") {
        (Scope::Stage, r.trim_start())
    } else {
        (Scope::Next, rest)
    };
    let list = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?.trim_start();
    let mut codes = Vec::new();
    let mut rest = list;
    loop {
        let end = rest.find(|c: char| c == ',' || c.is_whitespace() || c == '#').unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        codes.push(rest[..end].to_string());
        rest = rest[end..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    (!codes.is_empty()).then_some(Pragma { scope, codes })
}

/// What BuildKit's `# check=skip=…` parser directive skips.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckSkip {
    /// `skip=all`: every BuildKit check.
    All,
    /// The check names (or codes) listed.
    Names(Vec<String>),
}

/// Reads the value of a `check` parser directive (`skip=A,B;error=true`). Its other options (`error`,
/// `experimental`) concern `docker build` and are ignored here.
#[must_use]
pub fn check_directive(value: &str) -> CheckSkip {
    let mut names = Vec::new();
    for part in value.split(';') {
        let Some((key, list)) = part.split_once('=') else { continue };
        if key.trim() != "skip" {
            continue;
        }
        if list.trim() == "all" {
            return CheckSkip::All;
        }
        names.extend(list.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string));
    }
    CheckSkip::Names(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pragmas() {
        let p = parse("hadolint ignore=DL3006,DL3008").unwrap();
        assert_eq!((p.scope, p.codes), (Scope::Next, vec!["DL3006".to_string(), "DL3008".to_string()]));
        let p = parse("docklings global ignore=DK1001, StageNameCasing # we know").unwrap();
        assert_eq!((p.scope, p.codes), (Scope::Global, vec!["DK1001".to_string(), "StageNameCasing".to_string()]));
        let p = parse("docklings stage ignore=DL3008 because the base pins").unwrap();
        assert_eq!((p.scope, p.codes), (Scope::Stage, vec!["DL3008".to_string()]));
        assert_eq!(parse("hadolint ignore="), None);
        assert_eq!(parse("hadolintignore=DL3006"), None);
        assert_eq!(parse("just a comment about hadolint ignore=DL3006"), None);
    }

    #[test]
    fn reads_check_directives() {
        let names = |v: &[&str]| CheckSkip::Names(v.iter().map(|s| (*s).to_string()).collect());
        assert_eq!(check_directive("skip=StageNameCasing, FromAsCasing"), names(&["StageNameCasing", "FromAsCasing"]));
        assert_eq!(check_directive("error=true;skip=UndefinedVar"), names(&["UndefinedVar"]));
        assert_eq!(check_directive(" skip = all ;error=true"), CheckSkip::All);
        assert_eq!(check_directive("error=true"), names(&[]));
    }
}
