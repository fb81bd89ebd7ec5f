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

# Checked before the unit tests, so a broken checkout fails in seconds, and never passes without its e2e run.
if ! $unit_only; then
  if [ ! -e e2e/run ]; then
    echo "test.sh: e2e/run is missing, so the end-to-end tests cannot run; restore it (git checkout -- e2e/run)," \
      "or pass --unit-only to run the unit tests alone" >&2
    exit 1
  fi
  if [ ! -f e2e/run ] || [ ! -x e2e/run ]; then
    echo "test.sh: e2e/run is not an executable file (lost its exec bit?), so the end-to-end tests cannot run;" \
      "fix it with chmod +x e2e/run (and git update-index --chmod=+x e2e/run), or pass --unit-only" >&2
    exit 1
  fi
fi

echo "== unit tests"
./mvnw -B -ntp verify

if $unit_only; then
  exit 0
fi
echo "== end-to-end tests"
exec e2e/run "${e2e_args[@]+"${e2e_args[@]}"}"
