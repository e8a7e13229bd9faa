#!/usr/bin/env bash
# Captures the expected output (*.out) of the transcript scripts from the real Docker engine; see README.md.
# Usage: tests/transcripts/capture.sh [WORD...]   only the scripts whose names contain one of the WORDs.
# Blocks marked `@ differs ID` are kept as they are: they hold Docker 28's text, which the local daemon does not print.
set -euo pipefail
cd "$(dirname "$0")/../.."
only=$(IFS=,; echo "$*")
DOCKLINGS_CAPTURE_TRANSCRIPTS=1 DOCKLINGS_TRANSCRIPTS="$only" \
  cargo test --test it -- --exact transcripts::real_engine_matches_docker --nocapture
