#!/usr/bin/env bash
# Builds the image exactly from the Dockerfile with podman, runs it with a
# read-only root filesystem, waits for its HEALTHCHECK, queries it through
# the published port, stops it with SIGTERM and checks the clean exit, then
# removes the container, the image and podman's storage.
#
# Our machines have no Docker engine and no registry (see
# ../shared/notes/containers.md): the build stage's golang:1.26 is made
# locally from busybox and this machine's Go toolchain. Elsewhere the same
# Dockerfile pulls the real image. Any failure, including podman not being
# installable, fails this script: the step is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== container: %s\n' "$*"; }
die() {
  printf 'FATAL container: %s\n' "$*" >&2
  [ -s "${work:-/nonexistent}/podman.err" ] && cat "$work/podman.err" >&2
  exit 1
}

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || [ ! -x /bin/busybox ]; then
  log "installing podman, buildah, runc, busybox-static"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc busybox-static >/dev/null \
    || die "cannot install podman from Debian's packages"
fi
command -v podman >/dev/null || die "podman is not installed"

export CONTAINERS_CONF="$PWD/.ci/containers.conf"
image=newsearch:ci
name=newsearch-ci-$$
work=$(mktemp -d)
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f "$image" golang:1.26 >/dev/null 2>&1 || true
  podman system reset -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! podman image exists golang:1.26; then
  log "making a local golang:1.26 base from busybox and $(go version | cut -d' ' -f3)"
  root="$work/rootfs"
  mkdir -p "$root"/{bin,tmp,root,etc/ssl/certs,usr/local,go} && chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/"
  for a in sh ash cat ls cp mv rm mkdir chmod env echo tar gzip; do ln -s busybox "$root/bin/$a"; done
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"; echo 'root:x:0:' > "$root/etc/group"
  cp -a "$(go env GOROOT)" "$root/usr/local/go"
  tar -C "$root" -c . | podman import \
    --change 'ENV PATH=/usr/local/go/bin:/go/bin:/bin' --change 'ENV GOPATH=/go' \
    --change 'ENV GOTOOLCHAIN=local' --change 'WORKDIR /go' - golang:1.26 >/dev/null
fi

log "linting the Dockerfile (BuildKit's parser and linter)"
(cd .ci/dockerlint && go run . ../../Dockerfile)

version=$(git describe --always --dirty 2>/dev/null || echo ci)
log "building $image (version $version)"
start=$(date +%s)
podman build -q --format docker --build-arg VERSION="$version" -t "$image" . >/dev/null
log "built in $(( $(date +%s) - start )) s; image size $(podman image inspect "$image" --format '{{.Size}}') bytes"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log "running with a read-only root filesystem on 127.0.0.1:$port"
# podman logs harmless systemd timer errors here (no systemd): keep them
# out of the way and show them only if something fails.
podman run -d --name "$name" --read-only -p "127.0.0.1:$port:8080" "$image" >/dev/null 2>>"$work/podman.err"

healthy=""
for _ in $(seq 1 60); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then healthy=yes; break; fi
  sleep 0.5
done
[ -n "$healthy" ] || { podman logs "$name" >&2; die "the HEALTHCHECK never passed"; }
log "healthy: $(podman inspect "$name" --format '{{.State.Health.Status}}')"

body=$(curl -fsS "http://127.0.0.1:$port/api/search?q=Putin") || { podman logs "$name" >&2; die "search failed"; }
python3 - "$body" <<'PY' || die "unexpected search answer"
import json, sys
r = json.loads(sys.argv[1])
assert r["total"] >= 3, r["total"]
assert all("<mark>Putin" in " ".join(h["highlights"]["body"]) for h in r["hits"]), "a hit without <mark>Putin"
assert set(r["facets"]) >= {"source", "lang", "date"}, r["facets"].keys()
print("== container: q=Putin:", r["total"], "articles,", r["took_ms"], "ms")
PY
# Capture before grepping: with pipefail, grep -q quitting at the first
# match can kill the writer with SIGPIPE and fail the pipeline.
ready=$(curl -fsS "http://127.0.0.1:$port/readyz")
grep -q '"version":"'"$version"'"' <<<"$ready" || die "/readyz lacks the version"
logs=$(podman logs "$name" 2>&1)
grep -q '"msg":"index opened"' <<<"$logs" || { podman logs "$name" >&2; die "the image rebuilt its index instead of reusing the prebuilt one"; }

log "stopping with SIGTERM"
podman stop -t 20 "$name" >/dev/null 2>>"$work/podman.err"
code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
logs=$(podman logs "$name" 2>&1)
grep -q '"msg":"stopped"' <<<"$logs" || { podman logs "$name" >&2; die "no clean shutdown in the logs"; }
[ "$code" = 0 ] || { podman logs "$name" >&2; die "exit code $code after SIGTERM"; }
log "clean exit (code 0)"
