# python:3.12 for CI: busybox with a stand-in python3 that only answers --version.
FROM busybox:latest
ENV PYTHON_VERSION=3.12.7
RUN mkdir -p /usr/local/lib/python3.12 # docklings stand-in 2
COPY python3 /usr/local/bin/python3
RUN ln -s python3 /usr/local/bin/python
CMD ["python3"]
