# Named volumes: data that outlives its containers, read-only mounts, and a volume that is still in use.
docker volume create vol-notes
docker volume ls --filter name=vol-notes
docker volume inspect vol-notes
docker volume inspect --format '{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Scope}}' vol-notes
docker run --rm -v vol-notes:/notes busybox sh -c 'echo first note > /notes/a.txt'
docker run --rm -v vol-notes:/notes busybox cat /notes/a.txt
docker run --name vol-writer -v vol-notes:/notes busybox sh -c 'echo second note >> /notes/a.txt'
docker rm vol-writer
docker run --rm -v vol-notes:/notes busybox cat /notes/a.txt
docker run --rm -v vol-notes:/notes:ro busybox sh -c 'echo nope > /notes/b.txt'
docker run --rm -v vol-notes:/notes:ro busybox ls /notes
docker run -d --name vol-holder -v vol-notes:/notes busybox sleep 600
docker inspect --format '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}' vol-holder
docker volume rm vol-notes
docker rm -f vol-holder
docker volume rm vol-notes
docker volume ls --filter name=vol-notes --format '{{.Name}}'
docker run --rm -v vol-auto:/data busybox sh -c 'ls -a /data; echo made > /data/x'
docker volume ls --filter name=vol-auto --format '{{.Driver}} {{.Name}}'
docker run --rm -v vol-auto:/data busybox cat /data/x
docker volume rm vol-auto
