# Networks: a user-defined bridge (addresses, aliases, DNS names), the default bridge, connect and disconnect,
# and the daemon's errors. Subnets are given, and default-bridge addresses are not printed, so the output does
# not depend on what else the daemon runs.
docker network create --subnet 10.77.0.0/24 --label story=net net-app
docker network ls --filter label=story=net
docker network ls --filter label=story=net --format '{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}} {{.Labels}}'
docker network inspect --format '{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Internal}} {{.Attachable}}' net-app
docker network create --subnet 10.77.0.0/24 net-app
docker network create --subnet 10.77.0.0/24 net-other
docker run -d --name net-db --network net-app --network-alias database busybox sleep 600
docker run -d --name net-web --network net-app busybox sleep 600
docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}}/{{$v.IPPrefixLen}} gw {{$v.Gateway}} aliases {{$v.Aliases}}{{end}}' net-db net-web
docker inspect --format '{{.HostConfig.NetworkMode}}' net-web
docker network inspect --format '{{len .Containers}} {{range .Containers}}{{if eq .Name "net-db"}}{{.IPv4Address}}{{end}}{{end}}' net-app
docker exec net-web cat /etc/hosts
docker exec net-web hostname
docker run -d --name net-plain busybox sleep 600
docker inspect --format '{{.NetworkSettings.Gateway}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' net-plain
docker network connect net-app net-plain
docker network connect net-app net-plain
docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{if eq $k "bridge"}}{{$v.Gateway}}{{else}}{{$v.IPAddress}}{{end}} {{end}}' net-plain
docker network disconnect bridge net-plain
docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{if eq $k "bridge"}}{{$v.Gateway}}{{else}}{{$v.IPAddress}}{{end}} {{end}}' net-plain
docker network disconnect bridge net-plain
docker network disconnect net-app nosuch
docker network connect nonet net-plain
docker network connect --alias cache bridge net-db
docker network rm net-app
docker network rm bridge host
docker network rm nonet
docker network rm -f nonet
docker rm -f net-db net-web net-plain
docker run -d --name net-again --network net-app busybox sleep 600
docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' net-again
docker rm -f net-again
docker run --rm --network none busybox cat /etc/hosts
docker run --rm --network-alias x busybox true
docker run --rm --network nonet busybox true
docker network create -d overlay net-swarm
docker network create -d host net-host
docker network create -d bogus net-bogus
docker network create --gateway 10.78.0.1 net-gw
docker network create --subnet 10.78.0.0/24 --gateway 10.79.0.1 net-gw
docker network create -d macvlan -o parent=eth0 --subnet 10.79.0.0/24 net-mac
docker network inspect --format '{{.Driver}} {{.Options}} {{range .IPAM.Config}}{{.Subnet}}{{end}}' net-mac
docker network rm net-app net-mac
docker network ls --filter label=story=net -q
