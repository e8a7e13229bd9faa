# The same app with the whole context copied first: any change to any file reruns the install.
FROM busybox:latest
WORKDIR /app
COPY . .
RUN sleep 1 && date +%s > stamp && mkdir node_modules && cat package.json > node_modules/deps.txt
EXPOSE 80
CMD ["cat", "app.js"]
