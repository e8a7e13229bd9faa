# busybox:latest for CI, FROM scratch, from Debian's static busybox: the folders and users of Docker Hub's busybox,
# and printenv, an applet Debian's build leaves out.
FROM scratch
COPY busybox /bin/busybox
COPY printenv /bin/printenv
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /tmp /root /home /var/www /usr/bin /etc && chmod 1777 /tmp && printf 'root:x:0:0:root:/root:/bin/sh\\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\\nwww-data:x:33:33:www-data:/var/www:/bin/false\\nnobody:x:65534:65534:nobody:/home:/bin/false\\n' > /etc/passwd && printf 'root:x:0:\\ndaemon:x:1:\\nwww-data:x:33:\\nnobody:x:65534:\\n' > /etc/group # docklings stand-in 3"]
CMD ["sh"]
