//! DL3011: an `EXPOSE` port above 65535.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An `EXPOSE` port outside 0 to 65535",
    what: "Finds `EXPOSE` ports, and ends of port ranges (`8000-8100`), greater than 65535, with or without a \
           protocol (`/tcp`, `/udp`). `ARG` and `ENV` values are substituted first; a variable whose value \
           cannot be known is left alone. Entries that are not port numbers at all are ExposeInvalidFormat's \
           concern.",
    why: "TCP and UDP port numbers are 16-bit: nothing can listen on port 80800. Such a number is a typo (an \
          extra digit, or two ports run together) and the port the program really uses stays undocumented.",
    example: "FROM nginx:1.27\nEXPOSE 80800\n",
    instead: "FROM nginx:1.27\nEXPOSE 8080\n",
    fix: None,
};

/// The first number of a port entry (`80`, `80/tcp`, `8000-8100/udp`) that is not a valid port.
fn out_of_range(entry: &str) -> Option<u64> {
    let ports = entry.split_once('/').map_or(entry, |(p, _)| p);
    ports
        .split('-')
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .map(|p| p.parse::<u64>().unwrap_or(u64::MAX))
        .find(|&n| n > 65535)
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |_, ins, scope| {
        let ins = ins.effective();
        let (Keyword::Expose, Args::List { items, .. }) = (ins.kind, &ins.args) else { return };
        for item in items {
            let Some(value) = scope.expand(&item.raw) else { continue };
            for entry in value.split_whitespace() {
                if let Some(port) = out_of_range(entry) {
                    let shown = if port == u64::MAX { entry.to_string() } else { port.to_string() };
                    out.push(
                        Violation::new(item.span, format!("port {shown} does not exist: ports go from 0 to 65535"))
                            .label("out of range")
                            .help("check the number for an extra digit; expose the port the program listens on"),
                    );
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::out_of_range;

    #[test]
    fn finds_ports_out_of_range() {
        assert_eq!(out_of_range("80"), None);
        assert_eq!(out_of_range("65535/udp"), None);
        assert_eq!(out_of_range("65536"), Some(65536));
        assert_eq!(out_of_range("8000-70000/tcp"), Some(70000));
        assert_eq!(out_of_range("99999999999999999999999"), Some(u64::MAX));
        assert_eq!(out_of_range("http"), None);
    }
}
