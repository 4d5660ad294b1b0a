#!/usr/bin/env bash
# Starts an atsign_exporter image once: --version, then --demo answering /metrics.
# usage: scripts/smoke-image.sh IMAGE
# Tries podman's defaults first. Where they cannot work, as on a VM with a hybrid cgroup layout
# (crun: "cgroups in hybrid mode not supported") and without CAP_SYS_RESOURCE (podman's
# default rlimits cannot be set), it retries with runc, the current open-files limit and a
# lower process limit (raising either needs that capability).
set -euo pipefail
image="${1:?usage: scripts/smoke-image.sh IMAGE}"
run=(podman run --rm)
if ! version="$("${run[@]}" --network=none "$image" --version 2>"${TMPDIR:-/tmp}/smoke-image.err")"; then
    echo "smoke-image.sh: podman run with defaults failed: $(tail -n 1 "${TMPDIR:-/tmp}/smoke-image.err")" >&2
    command -v runc >/dev/null || { echo "smoke-image.sh: runc is not installed to retry with" >&2; exit 1; }
    run=(podman --runtime runc run --rm --ulimit "nofile=$(ulimit -n):$(ulimit -n)" --ulimit nproc=4096:4096)
    echo "smoke-image.sh: retrying with: ${run[*]}" >&2
    version="$("${run[@]}" --network=none "$image" --version)"
fi
echo "$version"
grep -q '^atsign_exporter, version ' <<<"$version"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
name="atsign-exporter-smoke-$$"
"${run[@]}" -d --name "$name" --network=host "$image" --demo --web.listen-address="127.0.0.1:$port" >/dev/null
trap 'podman stop -t 5 "$name" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 100); do
    if curl -sf "http://127.0.0.1:$port/metrics" -o "${TMPDIR:-/tmp}/smoke-image.metrics"; then break; fi
    sleep 0.2
done
grep -q '^atsign_exporter_build_info' "${TMPDIR:-/tmp}/smoke-image.metrics" ||
    { echo "smoke-image.sh: the image's --demo did not answer /metrics" >&2; podman logs "$name" >&2; exit 1; }
echo "image $image: --demo answers /metrics as user $(podman exec "$name" id -u)"
