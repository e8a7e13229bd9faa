//! DK4004: a secret written into an `ARG` default or an `ENV` value.

use std::collections::HashSet;

use crate::dockerfile::{Args, Keyword, Word, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A secret in an `ARG` default or `ENV` value",
    what: "Looks at the values of `ENV` and the defaults of `ARG`, not only at the names: a value with the shape \
           of a known token (GitHub `ghp_…`, GitLab `glpat-…`, Slack `xox…-`, AWS `AKIA…`, Stripe `sk_live_…`, \
           Google `AIza…`, npm `npm_…`, PyPI `pypi-…`, Hugging Face `hf_…`, a JWT), a private key block, a \
           URL with a password in it, or, under a name that says secret (`…_PASSWORD`, `…_TOKEN`, `…_SECRET`, \
           `…_KEY`, `…AUTH…`), a value that looks random enough to be one. An `ENV` that copies a build \
           argument with such a name into the image (`ENV NPM_TOKEN=$NPM_TOKEN`) is reported too. A name \
           alone, such as `ARG GITHUB_TOKEN` with no default, is fine: BuildKit's SecretsUsedInArgOrEnv flags \
           names, this rule flags secrets.",
    why: "`ENV` values are stored in the image's configuration and `ARG` values in its build history: anyone who \
          can pull the image reads them with `docker inspect` or `docker history`, long after the line is \
          deleted from the Dockerfile. Build secrets belong in `RUN --mount=type=secret`, runtime secrets in \
          the environment the container is started with.",
    example: "FROM node:20-slim\nENV NPM_TOKEN=npm_4f8Kq2ZpX9wLm3Rt7Yb1Vc6Nd0Hs5Ja8Ge2U\nRUN npm ci\n",
    instead: "FROM node:20-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n",
    fix: None,
};

/// Name segments that mark a variable as holding a secret.
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "pass",
    "passwd",
    "password",
    "pword",
    "secret",
    "token",
    "private",
    "privatekey",
];

/// Name segments that mark a variable as describing a secret rather than holding one.
const DESCRIBING_WORDS: &[&str] = &[
    "public",
    "file",
    "version",
    "path",
    "dir",
    "url",
    "id",
    "name",
    "fingerprint",
    "gpg",
    "pgp",
    "length",
    "size",
    "type",
    "host",
    "port",
    "user",
    "username",
    "method",
    "mode",
    "header",
    "endpoint",
    "region",
    "algorithm",
    "format",
    "server",
    "enabled",
    "required",
];

/// True for names such as `DB_PASSWORD`, `githubToken`, `API_KEY`, but not `GPG_KEY` or `TOKEN_FILE`.
pub(crate) fn secret_name(name: &str) -> bool {
    // Split on `_`, `-`, `.` and lower-to-upper case changes.
    let mut segments: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            segments.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            segments.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    segments.push(current);
    let has = |list: &[&str]| segments.iter().any(|s| list.contains(&s.as_str()));
    has(SECRET_WORDS) && !has(DESCRIBING_WORDS)
}

fn charset(s: &str, len: std::ops::RangeFrom<usize>, ok: impl Fn(char) -> bool) -> bool {
    len.contains(&s.len()) && s.chars().all(ok)
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The kind of token `t` is, by its prefix and shape.
fn known_token(t: &str) -> Option<&'static str> {
    let prefixed = |prefixes: &[&str]| prefixes.iter().find_map(|p| t.strip_prefix(p));
    if let Some(rest) = prefixed(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) {
        return charset(rest, 30.., alnum).then_some("a GitHub token");
    }
    if let Some(rest) = t.strip_prefix("github_pat_") {
        return charset(rest, 22.., token_char).then_some("a GitHub token");
    }
    if let Some(rest) = t.strip_prefix("glpat-") {
        return charset(rest, 20.., token_char).then_some("a GitLab token");
    }
    if let Some(rest) = prefixed(&["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]) {
        return charset(rest, 10.., token_char).then_some("a Slack token");
    }
    if let Some(rest) = prefixed(&["AKIA", "ASIA"]) {
        let ok = rest.len() == 16 && rest.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        return ok.then_some("an AWS access key");
    }
    if let Some(rest) = prefixed(&["sk_live_", "rk_live_"]) {
        return charset(rest, 20.., alnum).then_some("a Stripe key");
    }
    if let Some(rest) = t.strip_prefix("AIza") {
        return (rest.len() == 35 && rest.chars().all(token_char)).then_some("a Google API key");
    }
    if let Some(rest) = t.strip_prefix("npm_") {
        return charset(rest, 36.., alnum).then_some("an npm token");
    }
    if let Some(rest) = t.strip_prefix("pypi-") {
        return charset(rest, 50.., token_char).then_some("a PyPI token");
    }
    if let Some(rest) = t.strip_prefix("hf_") {
        return charset(rest, 30.., alnum).then_some("a Hugging Face token");
    }
    if let Some(rest) = t.strip_prefix("sk-") {
        let mixed = rest.chars().any(|c| c.is_ascii_uppercase()) && rest.chars().any(|c| c.is_ascii_digit());
        return (charset(rest, 32.., token_char) && mixed).then_some("an API key");
    }
    let parts: Vec<&str> = t.split('.').collect();
    if t.starts_with("eyJ") && parts.len() == 3 && parts.iter().all(|p| charset(p, 8.., token_char)) {
        return Some("a JSON Web Token");
    }
    None
}

/// Shannon entropy of `s` in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = s.chars().count() as f64;
    #[allow(clippy::cast_precision_loss)]
    counts.values().map(|&k| k as f64 / n).map(|p| -p * p.log2()).sum()
}

/// True for a value that looks random enough to be a password or key, not a word, a path or a placeholder.
fn looks_random(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let placeholder =
        ["changeme", "change_me", "placeholder", "example", "dummy", "your", "xxx", "<", "todo", "redacted"]
            .iter()
            .any(|p| lower.contains(p));
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    value.len() >= 8
        && !placeholder
        && !value.contains(char::is_whitespace)
        && !value.starts_with(['/', '.', '~'])
        && !value.contains("://")
        && classes >= 2
        && entropy(value) >= 2.5
}

/// What secret the value holds, when it holds one whatever its name.
fn secret_value(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if let Some((_, rest)) = value.split_once("://") {
        let userinfo = rest.split(['/', '?', '#']).next().unwrap_or("");
        if let Some((creds, _host)) = userinfo.rsplit_once('@')
            && let Some((_, password)) = creds.split_once(':')
            && !password.is_empty()
            && !password.starts_with('$')
        {
            return Some("a URL with a password");
        }
    }
    value.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))).find_map(known_token)
}

fn report(name: &Word, value: &Word, keyword: &str, what: &str) -> Violation {
    Violation::new(value.span, format!("`{keyword} {}` holds {what}", name.value))
        .label("stored in the image for anyone who pulls it")
        .help(
            "remove it and revoke it; pass build secrets with `RUN --mount=type=secret,id=…` and runtime secrets \
             when starting the container (`docker run -e`, a secrets manager)",
        )
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let escape = ctx.file.escape;
    let mut arg_names: HashSet<&str> = HashSet::new();
    for ins in &ctx.file.instructions {
        let ins = ins.effective();
        let pairs: Vec<(&Word, &Word)> = match &ins.args {
            Args::KeyValues(pairs) if ins.kind == Keyword::Env => pairs.iter().map(|kv| (&kv.key, &kv.value)).collect(),
            Args::Arg(decls) => {
                arg_names.extend(decls.iter().map(|d| d.name.value.as_str()));
                decls.iter().filter_map(|d| d.default.as_ref().map(|v| (&d.name, v))).collect()
            }
            _ => continue,
        };
        let keyword = ins.kind.as_str();
        for (name, value) in pairs {
            let refs = words::var_refs(&value.raw, escape);
            if let Some(what) = secret_value(&value.value) {
                out.push(report(name, value, keyword, what));
                continue;
            }
            if !secret_name(&name.value) {
                continue;
            }
            if refs.is_empty() && looks_random(&value.value) {
                out.push(report(name, value, keyword, "what looks like a hard-coded secret"));
            } else if ins.kind == Keyword::Env
                && let [r] = refs.as_slice()
                && r.range == (0, value.raw.len())
                && arg_names.contains(r.name.as_str())
            {
                out.push(
                    Violation::new(
                        value.span,
                        format!("`ENV {}` copies the build argument `{}` into the image", name.value, r.name),
                    )
                    .label("kept in the image's environment")
                    .help("use the secret only in the `RUN` that needs it: `RUN --mount=type=secret,id=…,env=NAME …`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in ["DB_PASSWORD", "GITHUB_TOKEN", "apiKey", "API_KEY", "AWS_SECRET_ACCESS_KEY", "NPM_AUTH"] {
            assert!(secret_name(n), "{n}");
        }
        for n in ["GPG_KEY", "TOKEN_FILE", "PUBLIC_KEY", "NODE_VERSION", "KEYBOARD", "PASSWORD_LENGTH"] {
            assert!(!secret_name(n), "{n}");
        }
    }

    #[test]
    fn secret_values() {
        assert_eq!(secret_value("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"), Some("a GitHub token"));
        assert_eq!(secret_value("AKIAIOSFODNN7EXAMPLE"), Some("an AWS access key"));
        assert_eq!(secret_value("https://ci:s3cret@registry.example.com/simple"), Some("a URL with a password"));
        assert_eq!(secret_value("https://${USER}:${PASS}@example.com"), None);
        assert_eq!(secret_value("https://example.com/x@y"), None);
        assert_eq!(secret_value("3.12.4"), None);
        assert!(looks_random("Zx8#kP2qLm9w"));
        assert!(!looks_random("postgres") && !looks_random("changeme123") && !looks_random("/run/secrets/db"));
    }
}
