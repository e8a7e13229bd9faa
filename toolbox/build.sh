#!/bin/sh
# Builds the toolbox for wasm32-wasip1 and copies it to assets/toolbox.wasm, which is committed: the main crate
# embeds it with include_bytes!, so a fresh clone builds without this target. Run it after changing the toolbox,
# and commit the new module with the change. The same toolchain gives the same bytes (see README.md).
set -eu
cd "$(dirname "$0")/.."
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
    echo "toolbox/build.sh: the wasm32-wasip1 target is missing; install it with: rustup target add wasm32-wasip1" >&2
    exit 1
fi
cargo build -p docklings-toolbox --profile toolbox --target wasm32-wasip1
target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p assets
cp "$target_dir/wasm32-wasip1/toolbox/toolbox.wasm" assets/toolbox.wasm
chmod 644 assets/toolbox.wasm
size=$(wc -c < assets/toolbox.wasm | tr -d ' ')
echo "assets/toolbox.wasm: $size bytes, sha256 $(sha256sum assets/toolbox.wasm | cut -d' ' -f1), $(rustc --version)"
