# What a container printed stays with it: docker logs, --tail, and both streams kept apart.
docker run --name logs-count busybox sh -c 'for i in 1 2 3 4 5; do echo line $i; done'
docker logs logs-count
docker logs --tail 2 logs-count
docker logs --tail 0 logs-count
docker logs -n 1 logs-count
docker run --name logs-mixed busybox sh -c 'echo to stdout; echo to stderr >&2; echo done'
docker logs logs-mixed
docker start -a logs-count
docker logs --tail 3 logs-count
docker start logs-mixed
docker wait logs-mixed
docker logs logs-mixed
docker logs logs-nosuch
docker rm logs-count logs-mixed
