# Listing and inspecting: ps and its flags, inspect with Go templates, port, and pruning stopped containers.
docker run -d --name ls-one --label story=ls busybox sleep 600
docker run -d --name ls-two --label story=ls -p 18080:80 busybox sleep 600
docker create --name ls-three --label story=ls busybox echo created only
docker ps --filter label=story=ls
docker ps -a --filter label=story=ls
docker ps -a -q --filter label=story=ls
docker ps -a --filter label=story=ls --format '{{.Names}}\t{{.Image}}\t{{.Command}}'
docker ps -a --filter label=story=ls --format 'table {{.Names}}\t{{.Status}}'
docker ps -a --filter label=story=ls --filter status=created --format '{{.Names}} {{.State}}'
docker port ls-two
docker port ls-two 80
docker port ls-one
docker inspect --format '{{.Name}} {{.Config.Image}} {{json .Config.Cmd}}' ls-one
docker inspect -f '{{.Config.Labels.story}} {{.HostConfig.PortBindings}}' ls-two
docker container inspect -f '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}' ls-three
docker inspect -f '{{index .Config.Cmd 0}}' ls-three
docker stop -t 1 ls-one
docker container prune -f --filter label=story=ls
docker ps -a --filter label=story=ls --format '{{.Names}}'
docker rm ls-two
docker rm -f ls-two
docker run -d --name ls-random -p 80 busybox sleep 600
docker port ls-random 80
docker rm -f ls-random
