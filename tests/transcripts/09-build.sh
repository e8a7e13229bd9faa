# Builds and the layer cache: the seed's app (busybox stand-in for npm), both COPY orders, a failing RUN.
docker build -q --label story=build -t build-web:1 tests/transcripts/contexts/build-v1
docker run --rm build-web:1
docker run --rm build-web:1 cat node_modules/deps.txt
docker run --rm -v build-stamps:/s build-web:1 cp /app/stamp /s/web
docker build -q --label story=build -t build-web:1 tests/transcripts/contexts/build-v1
docker run --rm -v build-stamps:/s build-web:1 sh -c 'test "$(cat /app/stamp)" = "$(cat /s/web)" && echo install cached || echo install ran'
docker build -q --label story=build -t build-web:2 tests/transcripts/contexts/build-v2
docker run --rm build-web:2
docker run --rm -v build-stamps:/s build-web:2 sh -c 'test "$(cat /app/stamp)" = "$(cat /s/web)" && echo install cached || echo install ran'
docker run --rm build-web:2 ls -a
docker images --format '{{.Repository}}:{{.Tag}}' build-web
docker image inspect -f '{{json .Config.Cmd}} {{.Config.WorkingDir}} {{json .Config.ExposedPorts}} {{.Config.Labels.story}}' build-web:2
docker build -q --label story=build -t build-all:1 -f tests/transcripts/contexts/build-all-first.Dockerfile tests/transcripts/contexts/build-v1
docker run --rm -v build-stamps:/s build-all:1 cp /app/stamp /s/all
docker build -q --label story=build -t build-all:1 -f tests/transcripts/contexts/build-all-first.Dockerfile tests/transcripts/contexts/build-v2
docker run --rm -v build-stamps:/s build-all:1 sh -c 'test "$(cat /app/stamp)" = "$(cat /s/all)" && echo install cached || echo install ran'
docker images --filter dangling=true --filter label=story=build --format '{{.Repository}}:{{.Tag}} {{.Size}}'
docker image prune -f --filter label=story=build
docker build -q -f tests/transcripts/contexts/build-fail.Dockerfile tests/transcripts/contexts/build-v1
docker rmi build-web:1 build-web:2 build-all:1
docker volume rm build-stamps
