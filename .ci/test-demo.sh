#!/usr/bin/env bash
# The end-to-end demo as a CI suite (README command 1).
set -euo pipefail
exec bash "$(dirname "$0")/demo.sh"
