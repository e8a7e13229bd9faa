# Mistakes a learner makes, and what Docker answers: messages and exit statuses 1, 125, 126, 127.
docker run --rm --no-such-flag busybox
docker run
docker ps --quiet=maybe
docker logs
docker rm
docker volume rm
docker run --name err-twin busybox true
docker run --name err-twin busybox true
docker rm err-twin
docker stop err-nosuch
docker rm err-nosuch
docker logs err-nosuch
docker exec err-nosuch ls
docker inspect err-nosuch
docker container inspect err-nosuch
docker run --rm --pull never err-noimage
docker rmi err-noimage
docker volume inspect err-novolume
docker volume rm err-novolume
docker run --rm busybox nosuchcmd
docker run --rm busybox /etc/hostname
docker run --rm busybox sh -c 'exit 42'
docker run --rm busybox cat /no/such/file
docker run --rm busybox ls /no/such/dir
docker run --rm -it busybox sh
docker frobnicate
