# alpine:latest for CI: busybox with Alpine's release files; no apk.
FROM busybox:latest
RUN echo 3.20.3 > /etc/alpine-release && printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n' > /etc/os-release # docklings stand-in 3
CMD ["/bin/sh"]
