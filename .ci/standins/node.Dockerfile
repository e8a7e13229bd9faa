# node:18 for CI: busybox with stand-ins for node and npm (see the scripts), in as many layers as lessons expect.
FROM busybox:latest
ENV NODE_VERSION=18.20.8
RUN mkdir -p /usr/local/bin /usr/local/lib/node_modules # docklings stand-in 2
COPY node /usr/local/bin/node
COPY npm /usr/local/bin/npm
RUN mkdir -p /opt/yarn && echo 1.22.19 > /opt/yarn/VERSION
ENV YARN_VERSION=1.22.19
CMD ["node"]
