#!/usr/bin/env bash
# The README's test command: unit tests, then the end-to-end suite on a real local cluster.
#   ./test.sh              unit tests, then e2e (builds and starts the local cluster; needs root on Debian)
#   ./test.sh --unit-only  unit tests only (a minute or two)
#   ./test.sh --kubeconfig FILE   unit tests, then e2e against an existing cluster
set -euo pipefail
cd "$(dirname "$0")"

unit_only=false
e2e_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --unit-only) unit_only=true ;;
    *) e2e_args+=("$1") ;;
  esac
  shift
done

echo "== unit tests"
./mvnw -B -ntp verify

if $unit_only; then
  exit 0
fi
if [ -x e2e/run ]; then
  echo "== end-to-end tests"
  exec e2e/run "${e2e_args[@]+"${e2e_args[@]}"}"
fi
