//! DL3064: an `ARG` or `ENV` whose name says it holds a secret.

use crate::dockerfile::{Args, Keyword, Word};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An `ARG` or `ENV` named like a secret",
    what: "Finds `ARG` and `ENV` (also under `ONBUILD`) whose name is a well-known credential variable \
           (`GITHUB_TOKEN`, `NPM_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `DOCKER_PASSWORD`, …) or contains `password`, \
           `secret`, `token`, `api_key`, `client_key`, `private` or `username`, as hadolint does. A name that \
           points to a secret instead of holding it is fine: one ending in `_FILE`, `_PATH`, `_DIR`, `_URL`, \
           `_HOST` or `_PORT` (`POSTGRES_PASSWORD_FILE` is how the official images take secrets). DK4004 \
           looks at the values.",
    why: "`ARG` values are written into the image's build history and `ENV` values into its configuration: \
          anyone who can pull the image reads them with `docker history` or `docker inspect`. A secret needed \
          to build belongs in `RUN --mount=type=secret`; one needed at run time, in the environment the \
          container is started with.",
    example: "FROM node:20-slim\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > .npmrc && npm ci\n",
    instead: "FROM node:20-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > .npmrc && npm ci && rm .npmrc\n",
    fix: None,
};

/// Credential variables of well-known services (hadolint's list).
const KNOWN: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CF_USERNAME",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER",
    "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL",
    "DOCKER_PASSWORD",
    "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "HEROKU_API_USER",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "OS_USERNAME",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "STRIPE_DEVICE_NAME",
    "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

const WORDS: &[&str] = &["api_key", "client_key", "password", "private", "secret", "token", "username"];

/// Last name segments that make the variable a reference to a secret rather than the secret.
const POINTERS: &[&str] = &["FILE", "PATH", "DIR", "URL", "HOST", "PORT"];

fn sensitive(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.rsplit('_').next().is_some_and(|last| POINTERS.contains(&last)) && upper.contains('_') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    KNOWN.contains(&upper.as_str()) || WORDS.iter().any(|w| lower.contains(w))
}

fn report(keyword: Keyword, name: &Word, out: &mut Vec<Violation>) {
    let kept = if keyword == Keyword::Arg { "the image's build history" } else { "the image's configuration" };
    out.push(
        Violation::new(
            name.span,
            format!("`{}` looks like a secret, and `{keyword}` values stay in {kept}", name.value),
        )
        .label("secret-looking name")
        .help("pass secrets with `RUN --mount=type=secret,id=…`, or at run time with `docker run -e`"),
    );
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        let ins = ins.effective();
        match (&ins.args, ins.kind) {
            (Args::Arg(decls), _) => {
                for d in decls.iter().filter(|d| sensitive(&d.name.value)) {
                    report(Keyword::Arg, &d.name, out);
                }
            }
            (Args::KeyValues(pairs), Keyword::Env) => {
                for kv in pairs.iter().filter(|kv| sensitive(&kv.key.value)) {
                    report(Keyword::Env, &kv.key, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sensitive;

    #[test]
    fn tells_secret_names() {
        for name in ["GITHUB_TOKEN", "db_password", "MySecret", "AWS_ACCESS_KEY_ID", "PRIVATE_KEY", "api_key"] {
            assert!(sensitive(name), "{name}");
        }
        for name in
            ["POSTGRES_PASSWORD_FILE", "TOKEN_PATH", "SECRETS_DIR", "NODE_VERSION", "GPG_KEY", "PASSWORDLESS_FILE"]
        {
            assert!(!sensitive(name), "{name}");
        }
    }
}
