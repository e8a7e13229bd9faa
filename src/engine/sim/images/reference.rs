//! Image references as Docker reads them (`distribution/reference`, v0.6 in Docker 28): `busybox`,
//! `busybox:1.38`, `localhost:5000/app:v1`, `busybox@sha256:…`; Docker Hub's `docker.io` and `library/` are
//! added when missing and left out again when printed ("familiar" form). The error texts are Docker's.

use std::fmt;

/// The registry Docker uses when a name has none.
pub const DEFAULT_DOMAIN: &str = "docker.io";

/// A parsed, normalized reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// `docker.io`, `localhost:5000`, `ghcr.io`.
    pub domain: String,
    /// The repository path inside the registry: `library/busybox`, `myname/app`.
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:` and 64 hex digits.
    pub digest: Option<String>,
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A path component: `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() || b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok || i == start || i >= b.len() || !(b[i].is_ascii_lowercase() || b[i].is_ascii_digit()) {
            return false;
        }
    }
    true
}

/// A registry host: dot-separated labels of letters, digits and inner dashes, or an IPv6 address in brackets,
/// with an optional port.
fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || d.starts_with('[') => (h, Some(p)),
        _ => (d, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if host.starts_with('[') {
        return host.ends_with(']') && host.len() > 2;
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        })
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.' | b'-'))
}

/// `algorithm:hex`, hex at least 32 digits (the grammar); only sha256 with 64 digits is a known digest.
fn digest_error(d: &str) -> Option<&'static str> {
    let Some((alg, hex)) = d.split_once(':') else { return Some("invalid reference format") };
    let alg_ok =
        !alg.is_empty() && alg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    if !alg_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some("invalid reference format");
    }
    if alg != "sha256" {
        return Some("unsupported digest algorithm");
    }
    if hex.len() != 64 || hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("invalid checksum digest format");
    }
    None
}

impl Reference {
    /// `ParseNormalizedNamed`: a name with an optional tag and digest, Docker Hub filled in.
    pub fn parse(s: &str) -> Result<Reference, String> {
        if is_hex64(s) {
            return Err(format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"));
        }
        let (domain, remainder) = split_domain(s);
        let remainder = remainder.as_str();
        let remote = remainder.split(':').next().unwrap_or("");
        if remote.to_lowercase() != remote {
            return Err(format!("invalid reference format: repository name ({remote}) must be lowercase"));
        }
        let (name_tag, digest) = match remainder.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (remainder, None),
        };
        let (path, tag) = match name_tag.rsplit_once(':') {
            Some((p, t)) => (p, Some(t)),
            None => (name_tag, None),
        };
        if s.is_empty() {
            return Err("repository name must have at least one component".to_string());
        }
        let grammar_ok = valid_domain(&domain)
            && path.split('/').all(valid_component)
            && tag.is_none_or(valid_tag)
            && digest.is_none_or(|d| digest_error(d) != Some("invalid reference format"));
        if !grammar_ok {
            return Err("invalid reference format".to_string());
        }
        if domain.len() + 1 + path.len() > 255 {
            return Err("repository name must not be more than 255 characters".to_string());
        }
        if let Some(e) = digest.and_then(digest_error) {
            return Err(e.to_string());
        }
        Ok(Reference {
            domain,
            path: path.to_string(),
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        })
    }

    /// `TagNameOnly`: `busybox` becomes `busybox:latest`; a reference with a tag or digest stays as it is.
    #[must_use]
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".to_string());
        }
        self
    }

    #[must_use]
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// `docker.io/library/busybox`
    #[must_use]
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `busybox`, `myname/app`, `localhost:5000/app`
    #[must_use]
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            self.path.strip_prefix("library/").filter(|p| !p.contains('/')).unwrap_or(&self.path).to_string()
        } else {
            self.name()
        }
    }

    fn suffix(&self) -> String {
        let mut s = String::new();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// `busybox:latest`, `myname/app@sha256:…`: how Docker prints references to people.
    #[must_use]
    pub fn familiar(&self) -> String {
        self.familiar_name() + &self.suffix()
    }

    /// `docker.io/library/busybox:latest`
    #[must_use]
    pub fn full(&self) -> String {
        self.name() + &self.suffix()
    }

    /// The same repository with another tag (and no digest).
    #[must_use]
    pub fn tagged(&self, tag: &str) -> Reference {
        Reference { tag: Some(tag.to_string()), digest: None, ..self.clone() }
    }

    /// The same repository with a digest (and no tag).
    #[must_use]
    pub fn digested(&self, digest: &str) -> Reference {
        Reference { tag: None, digest: Some(digest.to_string()), ..self.clone() }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar())
    }
}

/// `splitDockerDomain`: the first component is a registry when it has a dot or a colon, is `localhost` or has
/// upper-case letters; a one-component Docker Hub name gets `library/` in front.
fn split_domain(s: &str) -> (String, String) {
    let (domain, remainder) = match s.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" || first.to_lowercase() != first =>
        {
            (if first == "index.docker.io" { DEFAULT_DOMAIN } else { first }, rest)
        }
        _ => (DEFAULT_DOMAIN, s),
    };
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        (domain.to_string(), format!("library/{remainder}"))
    } else {
        (domain.to_string(), remainder.to_string())
    }
}

/// Parses a name with an optional tag and digest (`ParseNormalizedNamed`).
pub fn parse(s: &str) -> Result<Reference, String> {
    Reference::parse(s)
}

/// `FamiliarMatch`: a `docker images` pattern (path.Match syntax) against a reference's familiar string, then
/// its familiar name.
#[must_use]
pub fn familiar_match(pattern: &str, r: &Reference) -> bool {
    glob(pattern, &r.familiar()) || glob(pattern, &r.familiar_name())
}

/// Go's `path.Match` (`*` and `?` stop at `/`, `[…]` classes, `\` escapes); a bad pattern matches nothing.
#[must_use]
pub fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n)
}

fn glob_at(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => {
            let rest = &p[1..];
            (0..=n.len()).take_while(|&i| i == 0 || n[i - 1] != '/').any(|i| glob_at(rest, &n[i..]))
        }
        Some('?') => n.first().is_some_and(|&c| c != '/') && glob_at(&p[1..], &n[1..]),
        Some('[') => {
            let Some(&c) = n.first() else { return false };
            let Some(end) = p.iter().skip(1).position(|&x| x == ']').map(|i| i + 1) else { return false };
            let class = &p[1..end];
            let (negate, class) = match class.first() {
                Some('^') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && c != '/' && glob_at(&p[end + 1..], &n[1..])
        }
        Some('\\') => p.len() > 1 && n.first() == Some(&p[1]) && glob_at(&p[2..], &n[1..]),
        Some(&c) => n.first() == Some(&c) && glob_at(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_docker_does() {
        let r = parse("busybox").unwrap();
        assert_eq!((r.full(), r.familiar()), ("docker.io/library/busybox".into(), "busybox".into()));
        let r = parse("busybox").unwrap().with_default_tag();
        assert_eq!(r.full(), "docker.io/library/busybox:latest");
        assert_eq!(parse("docker.io/library/node:18").unwrap().familiar(), "node:18");
        assert_eq!(parse("index.docker.io/myname/app:1").unwrap().familiar(), "myname/app:1");
        let r = parse("localhost:5000/app").unwrap().with_default_tag();
        assert_eq!((r.familiar(), r.path.as_str()), ("localhost:5000/app:latest".into(), "app"));
        assert_eq!(parse("myname/app").unwrap().name(), "docker.io/myname/app");
    }

    #[test]
    fn bad_references_get_dockers_errors() {
        assert_eq!(
            parse("UPPER").unwrap_err(),
            "invalid reference format: repository name (library/UPPER) must be lowercase"
        );
        assert_eq!(parse("bad:tag:x").unwrap_err(), "invalid reference format");
        assert_eq!(parse("busybox@sha256:abc").unwrap_err(), "invalid reference format");
        assert_eq!(parse("").unwrap_err(), "repository name must have at least one component");
        assert_eq!(parse("a//b").unwrap_err(), "invalid reference format");
        assert!(parse(&"a".repeat(64)).unwrap_err().contains("cannot specify 64-byte hexadecimal strings"));
        assert!(parse(&format!("busybox@sha256:{}", "a".repeat(64))).is_ok());
        assert!(parse("my_repo/app-x.y__z:v1.0-rc_2").is_ok());
    }

    #[test]
    fn patterns_match_like_path_match() {
        let r = parse("myname/app:1").unwrap();
        assert!(familiar_match("myname/app", &r));
        assert!(familiar_match("*/*", &r));
        assert!(!familiar_match("*", &r));
        assert!(familiar_match("myname/*:1", &r));
        assert!(familiar_match("myname/ap[a-p]", &r));
        let b = parse("busybox:latest").unwrap();
        assert!(
            familiar_match("busy*", &b) && familiar_match("busybox:lat?st", &b) && !familiar_match("busybox:1", &b)
        );
    }
}
