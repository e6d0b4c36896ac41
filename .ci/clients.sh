#!/usr/bin/env bash
# Clients in three languages, generated from the OpenAPI document a live
# server serves and run against it: register, login, forecast, resolve
# (admin), a leaderboard page, comments. Go with ogen and with oapi-codegen,
# TypeScript with openapi-typescript and openapi-fetch under tsc --strict.
# Called by .ci/run; runs alone from the repository root too. Needs Go,
# node/npm and curl; the generated code goes to git-ignored directories.
set -euo pipefail
cd "$(dirname "$0")/.."

OGEN=github.com/ogen-go/ogen/cmd/ogen@v1.25.0
OAPI_CODEGEN=github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "--- clients: a server on 127.0.0.1 with a fresh database and an admin"
go build -o "$work/signpost" ./cmd/signpost
export SIGNPOST_ADMIN_USERNAME=admin SIGNPOST_ADMIN_PASSWORD=client-check-password
echo "$SIGNPOST_ADMIN_PASSWORD" | "$work/signpost" admin create --db "$work/signpost.db" --username "$SIGNPOST_ADMIN_USERNAME" >/dev/null
# The server's own variables would create the admin again; the command above did.
env -u SIGNPOST_ADMIN_USERNAME -u SIGNPOST_ADMIN_PASSWORD \
  "$work/signpost" --addr 127.0.0.1:0 --db "$work/signpost.db" --seed=false --access-log=false >"$work/server.out" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  addr=$(grep -o 'listening on http://[0-9.:]*' "$work/server.out" | sed 's|listening on ||' || true)
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.out"; echo "the server did not start"; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { cat "$work/server.out"; echo "the server did not say where it listens"; exit 1; }
export SIGNPOST_URL=$addr
curl -fsS "$SIGNPOST_URL/api/openapi.json" -o "$work/openapi.json"
echo "serving at $SIGNPOST_URL; document fetched"

clients=cmd/signpost-clients
echo "--- clients: Go with ogen ($OGEN)"
rm -rf "$clients/ogen/gen"
go run "$OGEN" --target "$clients/ogen/gen" --package gen --clean "$work/openapi.json" 2>&1 | { grep -v '^INFO' || true; }
(cd "$clients" && go vet ./ogen && go run ./ogen)

echo "--- clients: Go with oapi-codegen ($OAPI_CODEGEN)"
rm -rf "$clients/oapi/gen" && mkdir -p "$clients/oapi/gen"
go run "$OAPI_CODEGEN" -generate types,client -package gen -o "$clients/oapi/gen/signpost.gen.go" "$work/openapi.json"
(cd "$clients" && go vet ./oapi && go run ./oapi)

echo "--- clients: TypeScript with openapi-typescript and openapi-fetch (tsc --strict, nodenext)"
(
  cd "$clients/ts"
  rm -rf gen dist
  npm ci --silent --no-audit --no-fund
  npx openapi-typescript "$SIGNPOST_URL/api/openapi.json" -o gen/signpost.ts
  # The README's TypeScript example, type-checked beside the driver.
  awk '/^### A client in your language/ {on = 1} on && /^```ts$/ {ts = 1; next} ts && /^```$/ {exit} ts' \
    ../../../README.md > gen/readme.ts
  [ -s gen/readme.ts ] || { echo "README has no TypeScript example"; exit 1; }
  npx tsc -p .
  node dist/driver.js
)
