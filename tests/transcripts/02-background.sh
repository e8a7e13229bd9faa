# A container in the background: run -d, look inside with exec, then stop, start, restart and kill it.
docker run -d --name bg-sleeper busybox sleep 600
docker ps --filter name=bg-sleeper --format '{{.Names}} {{.Status}}'
docker ps -q --filter name=bg-sleeper
docker exec bg-sleeper echo hello from inside
docker exec bg-sleeper sh -c 'exit 4'
docker exec bg-sleeper nosuchcmd
docker exec -w /etc bg-sleeper pwd
docker exec -e WHO=learner bg-sleeper sh -c 'echo hi $WHO'
docker exec bg-sleeper sh -c 'echo kept in the container layer > /note.txt'
docker exec bg-sleeper cat /note.txt
docker inspect --format '{{.State.Status}} {{.State.Running}}' bg-sleeper
docker stop -t 1 bg-sleeper
docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' bg-sleeper
docker ps --filter name=bg-sleeper --format '{{.Names}}'
docker ps -a --filter name=bg-sleeper --format '{{.Names}} {{.Status}}'
docker start bg-sleeper
docker exec bg-sleeper cat /note.txt
docker restart -t 1 bg-sleeper
docker inspect --format '{{.State.Status}} {{.RestartCount}}' bg-sleeper
docker kill bg-sleeper
docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' bg-sleeper
docker run -d --name bg-polite busybox sh -c 'trap "exit 0" TERM; while true; do sleep 1; done'
docker stop bg-polite
docker inspect --format '{{.State.ExitCode}}' bg-polite
docker run -d --name bg-short busybox sh -c 'sleep 1; exit 5'
docker wait bg-short
docker rm bg-sleeper bg-polite bg-short
docker run --rm busybox cat /note.txt
