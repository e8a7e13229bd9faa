//! DK3010 (BuildKit's ExposeInvalidFormat): `EXPOSE` with a host address or host port, as `docker run -p`
//! takes them.

use crate::dockerfile::{Args, Keyword, Word};
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`EXPOSE` with a host address or host port",
    what: "Finds `EXPOSE` ports written with a colon, as `docker run -p` takes them: `EXPOSE 8080:80`, \
           `EXPOSE 127.0.0.1:80:80`. Variables are expanded with the `ARG` and `ENV` values before the line. \
           BuildKit's own build check of the same name reports the same, and says this will become an error.",
    why: "`EXPOSE` only records which ports the container listens on; it cannot publish a port or choose a host \
          port or address. Docker keeps only the container port of `8080:80` and drops the rest without a \
          word, so the line promises something that does not happen. Publishing is for `docker run -p` or a \
          compose file.",
    example: "FROM nginx:1.27\nEXPOSE 8080:80\n",
    instead: "FROM nginx:1.27\nEXPOSE 80\n# docker run -p 8080:80 my-nginx\n",
    fix: None,
};

/// One port of an `EXPOSE` line after variable expansion.
pub(crate) struct ExposedPort<'a> {
    pub word: &'a Word,
    /// The expanded text of this port (one of several when a variable held a list).
    pub spec: String,
    /// True when the word has no variables, so `spec` is the source text of `word`.
    pub literal: bool,
}

impl ExposedPort<'_> {
    /// `(host address, host port, container port, protocol)`, split as Docker splits them.
    pub fn parts(&self) -> (&str, &str, &str, &str) {
        let (ports, proto) = self.spec.split_once('/').unwrap_or((&self.spec, ""));
        let pieces: Vec<&str> = ports.split(':').collect();
        let n = pieces.len();
        let container = pieces[n - 1];
        let host_port = if n >= 2 { pieces[n - 2] } else { "" };
        let address = if n >= 3 { &ports[..ports.len() - container.len() - host_port.len() - 2] } else { "" };
        (address, host_port, container, proto)
    }
}

/// Every port of every `EXPOSE` (not `ONBUILD EXPOSE`), variables expanded; words with an unknown variable
/// are left out.
pub(crate) fn exposed_ports<'a>(ctx: &'a DockerfileContext) -> Vec<ExposedPort<'a>> {
    let mut out = Vec::new();
    VarScope::walk(ctx, |_, ins, scope| {
        if ins.kind != Keyword::Expose {
            return;
        }
        let Args::List { items, .. } = &ins.args else { return };
        for word in items {
            let literal = !word.raw.contains('$');
            let Some(expanded) = scope.expand(&word.raw) else { continue };
            for spec in expanded.split_whitespace() {
                out.push(ExposedPort { word, spec: spec.to_string(), literal });
            }
        }
    });
    out
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for port in exposed_ports(ctx) {
        let (address, host_port, container, proto) = port.parts();
        if address.is_empty() && host_port.is_empty() {
            continue;
        }
        let what = if address.is_empty() { "a host port" } else { "a host address" };
        let keep = if proto.is_empty() { container.to_string() } else { format!("{container}/{proto}") };
        out.push(
            Violation::new(port.word.span, format!("`EXPOSE {}` gives {what}, which `EXPOSE` cannot set", port.spec))
                .label(format!("only `{keep}` is kept"))
                .help(format!(
                    "write `EXPOSE {keep}`, and choose the host side when running: `docker run -p {}:{container}`",
                    if host_port.is_empty() { container } else { host_port }
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ExposedPort;
    use crate::dockerfile::{Span, Word};

    #[test]
    fn splits_port_specs() {
        let word = Word { raw: String::new(), value: String::new(), span: Span::default() };
        let parts = |spec: &str| {
            let p = ExposedPort { word: &word, spec: spec.into(), literal: true };
            let (a, h, c, pr) = p.parts();
            (a.to_string(), h.to_string(), c.to_string(), pr.to_string())
        };
        let s = |a: &str, h: &str, c: &str, p: &str| (a.into(), h.into(), c.into(), p.into());
        assert_eq!(parts("80"), s("", "", "80", ""));
        assert_eq!(parts("80/UDP"), s("", "", "80", "UDP"));
        assert_eq!(parts("8080:80"), s("", "8080", "80", ""));
        assert_eq!(parts("127.0.0.1:8080:80/tcp"), s("127.0.0.1", "8080", "80", "tcp"));
        assert_eq!(parts("[::1]:8080:80"), s("[::1]", "8080", "80", ""));
    }
}
