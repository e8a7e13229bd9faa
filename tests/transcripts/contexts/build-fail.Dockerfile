FROM busybox:latest
WORKDIR /app
RUN echo checking && exit 3
CMD ["sh"]
