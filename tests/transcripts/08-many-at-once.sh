# Several containers at once, with the long command names: some succeed, some fail, the status says so.
docker container run -d --name many-a --label story=many busybox sleep 600
docker container run -d --name many-b --label story=many busybox sleep 600
docker container create --name many-c --label story=many busybox sh -c 'echo c ran'
docker container ls --filter label=story=many --format '{{.Names}}'
docker container ls -a --filter label=story=many --format '{{.Names}} {{.State}}'
docker container stop -t 1 many-a many-nosuch many-b
docker container ls -a --filter label=story=many --format '{{.Names}} {{.State}}'
docker container start many-a many-c
docker container wait many-c
docker container logs many-c
docker container rm many-a many-b many-c
docker container ls -a --filter label=story=many --format '{{.Names}} {{.State}}'
docker container rm -f many-nosuch
docker container rm -f many-a
docker container ls -a --filter label=story=many -q
