#!/bin/sh
# The host image's entrypoint. Before `serve` it brings the tokens a deployment hands in as
# secrets into the store (idempotent: the same secret at every start changes nothing, a new one
# replaces the old), then runs the CLI. Each token comes from VAR or from the file VAR_FILE.
set -eu
cli="node main/cli/bin.js"

import_token() { # VAR NAME SCOPES
  if [ -n "$(printenv "$1_FILE" || true)" ]; then
    $cli token import --name "$2" --scopes "$3" --from-file "$(printenv "$1_FILE")"
  elif [ -n "$(printenv "$1" || true)" ]; then
    $cli token import --name "$2" --scopes "$3" --from-env "$1"
  fi
}

# An empty CODETETHER_STORE (compose's default) means the embedded SQLite store.
[ -n "${CODETETHER_STORE:-}" ] || unset CODETETHER_STORE

if [ "${1:-}" = serve ]; then
  # A build without the PostgreSQL store would ignore the variable and keep each replica's data
  # in its own SQLite file: refuse rather than split one team's tasks across replicas.
  if [ -n "${CODETETHER_STORE:-}" ] && ! $cli serve --help 2>&1 | grep -q -- '--store'; then
    echo "CODETETHER_STORE is set, but this build of codetether has no PostgreSQL store (serve has no --store). Unset it to run on the embedded SQLite store in /data." >&2
    exit 1
  fi
  import_token CODETETHER_TOKEN "${CODETETHER_TOKEN_NAME:-team}" "${CODETETHER_TOKEN_SCOPES:-a2a,mcp}"
  import_token CODETETHER_WORKER_TOKEN "${CODETETHER_WORKER_TOKEN_NAME:-workers}" worker
fi
exec $cli "$@"
