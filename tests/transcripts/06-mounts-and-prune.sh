# Anonymous volumes, --mount, and pruning volumes: since Docker 23, volume prune takes only anonymous ones unless -a.
docker run -d --name anon-db -v /data busybox sleep 600
docker inspect --format '{{range .Mounts}}{{.Type}} {{.Destination}} {{len .Name}} {{.Driver}}{{end}}' anon-db
docker exec anon-db sh -c 'echo kept > /data/f'
docker exec anon-db cat /data/f
docker rm -f -v anon-db
docker run --rm --mount type=volume,source=mnt-data,target=/m busybox sh -c 'echo via mount > /m/f'
docker run --rm --mount source=mnt-data,target=/m,readonly busybox sh -c 'cat /m/f; touch /m/g'
docker volume inspect --format '{{.Name}} {{.Driver}}' mnt-data
docker volume rm mnt-data
docker volume create --label story=prune prune-me
docker volume ls --filter label=story=prune
docker volume prune -f --filter label=story=prune
docker volume ls -q --filter label=story=prune
docker volume prune -a -f --filter label=story=prune
docker volume ls -q --filter label=story=prune
docker volume rm -f prune-me
