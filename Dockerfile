# syntax=docker/dockerfile:1
# docklings in a container: `docker build -t docklings .`, then lint the current folder with
#   docker run --rm -v "$PWD:/work" docklings lint
# The build stage compiles with the Rust toolchain; the runtime stage holds only the binary and its C library.

FROM rust:1.89-slim-bookworm AS build
WORKDIR /src
# The whole workspace is needed: the binary embeds lessons/ and assets/toolbox.wasm, and Cargo reads every member's
# and target's manifest entries. .dockerignore keeps target/ and the book's output out of the context.
COPY . .
# Cache mounts keep the registry and the build folder between builds, so a change to one source file does not
# download and compile every dependency again.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin docklings \
    && cp target/release/docklings /usr/local/bin/docklings

FROM debian:bookworm-slim
RUN useradd --no-log-init --create-home --uid 10001 docklings
COPY --from=build /usr/local/bin/docklings /usr/local/bin/docklings
USER 10001
WORKDIR /work
ENTRYPOINT ["docklings"]
CMD ["lint"]
