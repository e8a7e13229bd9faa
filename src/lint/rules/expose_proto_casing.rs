//! DK3009 (BuildKit's ExposeProtoCasing): an `EXPOSE` protocol not in lower case (`80/TCP`).

use crate::dockerfile::Span;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

use super::expose_invalid_format::exposed_ports;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An `EXPOSE` protocol not in lower case",
    what: "Finds `EXPOSE` ports whose protocol is not written in lower case: `80/TCP`, `53/Udp`. BuildKit's own \
           build check of the same name reports the same.",
    why: "Docker lower-cases the protocol itself, so the image is the same; but the image metadata, `docker \
          ps` and every tool that reads ports write `80/tcp`, and a file that writes it otherwise makes \
          searching and comparing harder.",
    example: "FROM nginx:1.27\nEXPOSE 80/TCP 53/UDP\n",
    instead: "FROM nginx:1.27\nEXPOSE 80/tcp 53/udp\n",
    fix: Some("Lower-cases the protocol (when the port is written without variables)."),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for port in exposed_ports(ctx) {
        let (_, _, _, proto) = port.parts();
        let lower = proto.to_lowercase();
        if proto == lower {
            continue;
        }
        let word = port.word;
        let mut span = word.span;
        let mut fix = None;
        if port.literal
            && word.raw.len() == word.span.len()
            && let Some(slash) = word.raw.rfind('/')
        {
            span = Span::new(word.span.start + slash + 1, word.span.end);
            fix = Some(Fix::new(
                format!("Write `{lower}`"),
                Safety::Safe,
                vec![Edit { span, replacement: word.raw[slash + 1..].to_lowercase() }],
            ));
        }
        let mut v = Violation::new(span, format!("protocol `{proto}` of `EXPOSE {}` is not in lower case", port.spec))
            .label("write protocols in lower case")
            .help(format!("write `{lower}`"));
        if let Some(fix) = fix {
            v = v.fix(fix);
        }
        out.push(v);
    }
}
