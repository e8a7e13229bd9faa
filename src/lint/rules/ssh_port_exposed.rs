//! DK4002: `EXPOSE 22`, an SSH server in the image.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

use super::expose_invalid_format::exposed_ports;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`EXPOSE 22`: an SSH server in the container",
    what: "Finds `EXPOSE` of port 22, alone or inside a range (`EXPOSE 20-25`), over TCP. Variables are \
           expanded with the `ARG` and `ENV` values before the line.",
    why: "Port 22 means the container runs an SSH server: one more daemon to patch, host keys and passwords or \
          keys baked into the image, and a remote login that is reachable wherever the port is published. A \
          container does not need one: `docker exec -it <container> sh` opens a shell in a running container, \
          and `docker cp` copies files in and out.",
    example: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
    instead: "FROM ubuntu:24.04\nCOPY app /usr/local/bin/app\nCMD [\"app\"]\n# a shell when needed: docker exec -it <container> bash\n",
    fix: None,
};

/// True when the container port (`22`, `1-1024`) includes 22.
fn covers_ssh(container: &str) -> bool {
    let (start, end) = container.split_once('-').unwrap_or((container, container));
    match (start.parse::<u32>(), end.parse::<u32>()) {
        (Ok(s), Ok(e)) => s <= 22 && 22 <= e,
        _ => false,
    }
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for port in exposed_ports(ctx) {
        let (_, _, container, proto) = port.parts();
        if !covers_ssh(container) || !(proto.is_empty() || proto.eq_ignore_ascii_case("tcp")) {
            continue;
        }
        out.push(
            Violation::new(port.word.span, format!("`EXPOSE {}` opens the SSH port", port.spec)).label("SSH").help(
                "leave SSH out of the image: `docker exec -it <container> sh` gives a shell in a running container",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::covers_ssh;

    #[test]
    fn ssh_port_and_ranges() {
        assert!(covers_ssh("22") && covers_ssh("20-25") && covers_ssh("1-1024"));
        assert!(!covers_ssh("2222") && !covers_ssh("23-80") && !covers_ssh("$P"));
    }
}
