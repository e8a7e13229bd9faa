# Published ports: -p in its forms, -P with EXPOSE and --expose, docker port, the PORTS column, a host port that
# is taken, and ports on the host and none networks.
docker run -d --name port-web -p 18080:80 -p 127.0.0.1:18081:81/udp --label story=ports busybox sleep 600
docker ps --filter label=story=ports --format '{{.Names}} {{.Ports}}'
docker port port-web
docker port port-web 80
docker port port-web 80/tcp
docker port port-web 81/udp
docker port port-web 82
docker port port-web 80/sctp
docker inspect --format '{{json .HostConfig.PortBindings}}' port-web
docker inspect --format '{{json .NetworkSettings.Ports}}' port-web
docker inspect --format '{{json .Config.ExposedPorts}}' port-web
docker run -d --name port-clash -p 18080:80 --label story=ports busybox sleep 600
docker ps -a --filter name=port-clash --format '{{.Names}} {{.Status}} {{.Ports}}'
docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' port-clash
docker rm port-clash
docker run -d --name port-auto -p 80 --expose 90 -P --label story=ports busybox sleep 600
docker port port-auto
docker ps --filter name=port-auto --format '{{.Ports}}'
docker run -d --name port-expose --expose 7000 --label story=ports busybox sleep 600
docker ps --filter name=port-expose --format '{{.Ports}}'
docker port port-expose
docker run -d --name port-host --network host -p 18082:80 --label story=ports busybox sleep 600
docker port port-host
docker inspect --format '{{json .HostConfig.PortBindings}} {{json .NetworkSettings.Ports}}' port-host
docker run -d --name port-none --network none -p 18083:80 --label story=ports busybox sleep 600
docker port port-none
docker ps --filter label=story=ports --format '{{.Names}}: {{.Ports}}'
docker stop -t 0 port-web
docker port port-web
docker ps -a --filter name=port-web --format '{{.Names}} {{.Ports}}'
docker run -d --name port-reuse -p 18080:80 --label story=ports busybox sleep 600
docker port port-reuse
docker start port-web
docker ps -a --filter name=port-web --format '{{.Names}} {{.Status}}'
docker run --rm -p 99999:80 busybox true
docker run --rm -p 8080:80/bogus busybox true
docker run --rm -p abc busybox true
docker rm -f port-web port-auto port-expose port-host port-none port-reuse
