#!/bin/bash
# Docker HEALTHCHECK for atsign_exporter: GET /-/healthy, healthy on HTTP 200.
#
# Uses bash's /dev/tcp instead of curl: bash is already in the image, while curl would add
# libcurl and a dozen libraries (and their CVEs) to a runtime image that needs none of them.
# Plain HTTP only: with TLS in --web.config.file, rely on the orchestrator's own probes.
port="${HEALTHCHECK_PORT:-9713}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /-/healthy HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 || exit 1
IFS=' ' read -r -t 4 version code _ <&3 || exit 1
[[ "$version" == HTTP/1.* && "$code" == 200 ]]
