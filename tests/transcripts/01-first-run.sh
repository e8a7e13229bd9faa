# First containers: run in the foreground, see the output, the exit status, and what --rm keeps away.
docker run --rm busybox echo hello from busybox
docker run --rm busybox sh -c 'echo to stdout; echo to stderr >&2'
docker run --rm busybox true
docker run --rm busybox false
docker run --rm busybox sh -c 'exit 3'
docker run --rm -e GREETING=hi busybox sh -c 'echo $GREETING, world'
docker run --rm -e A=1 --env B=2 busybox sh -c 'echo $A$B'
docker run --rm -w /work busybox pwd
docker run --rm --workdir /var/data busybox sh -c 'pwd; ls -d /var/data'
docker run --rm --entrypoint echo busybox the entrypoint was replaced
docker run --rm --entrypoint sh busybox -c 'echo $0'
docker run --rm --hostname box busybox hostname
docker run --name first-kept busybox echo this container stays after it exits
docker ps -a --filter name=first-kept --format '{{.Names}} {{.Status}}'
docker ps -a --filter name=first-kept --format '{{.Command}} {{.Image}}'
docker rm first-kept
docker ps -a --filter name=first-kept --format '{{.Names}}'
docker run --rm --name first-gone busybox echo removed when done
docker ps -a --filter name=first-gone --format '{{.Names}}'
