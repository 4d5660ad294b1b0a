#!/usr/bin/env bash
# Checks that a binary needs no Swift toolchain: ldd must list only Debian's C libraries
# (glibc, the C++ runtime, OpenSSL 3, zlib, libcrypt, libyaml), nothing from the toolchain's folder,
# no libswift*/Foundation, and nothing "not found". Prints the libraries it links.
# usage: scripts/check-static.sh BINARY
set -euo pipefail
binary="${1:?usage: scripts/check-static.sh BINARY}"
# The C runtime and the C libraries of Package.swift's system-library targets.
allowed='^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|/lib/ld-linux-aarch64\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[0-9]|lib(c|m|dl|rt|pthread|util|gcc_s|stdc\+\+|ssl|crypto|z|crypt|yaml-0)\.so\.[0-9]+)$'
# Run ldd with a bare environment, so a toolchain on LD_LIBRARY_PATH cannot hide a dependency.
listing="$(env -i PATH=/usr/bin:/bin ldd "$binary")"
status=0
while read -r library _ path _; do
    [[ -z "$library" ]] && continue
    if [[ ! "$library" =~ $allowed ]]; then
        echo "check-static.sh: $binary links $library ($path), which a Debian machine without Swift lacks" >&2
        status=1
    fi
    if [[ "$path" == "not" ]] || [[ "$path" == *swift* ]]; then
        echo "check-static.sh: $library resolves to \"$path\"" >&2
        status=1
    fi
done <<<"$listing"
if grep -qiE 'swift|Foundation' <<<"$listing"; then
    echo "check-static.sh: ldd mentions Swift:" >&2
    echo "$listing" >&2
    status=1
fi
((status == 0)) || exit 1
echo "ldd $(basename "$binary"): $(awk '{print $1}' <<<"$listing" | grep -v vdso | tr '\n' ' ')"
