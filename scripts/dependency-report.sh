#!/usr/bin/env bash
# Known-vulnerable dependencies, offline: the artifacts Maven resolves for the studio (runtime and test scope of app,
# which depends on every module) checked against the pinned advisory list docs/dependency-advisories.tsv.
#   scripts/dependency-report.sh            prints one line per artifact: OK / NO-ROW / AFFECTED / ACCEPTED
# Exit 1 when an artifact has no row or an advisory that is neither fixed by its version nor accepted. The same rule
# runs in `mvn verify` as DependencyAdvisoriesTest (app). OWASP dependency-check needs the NVD feed, which is not
# reachable here; the list is updated by hand from the GitHub advisory database (see docs/RELIABILITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
mvn -B -o -q -pl app -am dependency:list -DincludeScope=test -DoutputFile="$out" -DappendOutput=true >/dev/null
sed 's/^ *//; s/ -- .*//' "$out" | grep -E '^[^: ]+:[^: ]+:' | grep -v '^org.openledger' | sort -u |
awk -F'\t' -v list=docs/dependency-advisories.tsv '
  function cmp(a, b,   x, y, n, m, i, p, q) {
    n = split(a, x, /[.-]/); m = split(b, y, /[.-]/)
    for (i = 1; i <= (n > m ? n : m); i++) {
      p = (i <= n ? x[i] : "0"); q = (i <= m ? y[i] : "0")
      if (p ~ /^[0-9]+$/ && q ~ /^[0-9]+$/) { if (p + 0 != q + 0) return (p + 0 < q + 0) ? -1 : 1 }
      else if (p != q) return (p < q) ? -1 : 1
    }
    return 0
  }
  BEGIN {
    header = 1
    while ((getline line < list) > 0) {
      if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
      if (header) { header = 0; continue }
      split(line, f, "\t"); rows++
      art[rows] = f[1]; id[rows] = f[2]; fixed[rows] = f[3]; note[rows] = f[5]
    }
    bad = 0
  }
  {
    # group:artifact:type[:classifier]:version:scope
    n = split($0, c, ":"); ga = c[1] ":" c[2]; group = c[1] ":*"; version = c[n - 1]
    seen = 0; status = "OK"; detail = ""
    for (r = 1; r <= rows; r++) {
      if (art[r] != ga && art[r] != group) continue
      seen = 1
      if (fixed[r] != "-" && cmp(version, fixed[r]) < 0) {
        if (note[r] ~ /accepted:/) { if (status == "OK") status = "ACCEPTED"; detail = detail " " id[r] }
        else { status = "AFFECTED"; detail = detail " " id[r] " (fixed in " fixed[r] ")" }
      }
    }
    if (!seen) status = "NO-ROW"
    if (status == "AFFECTED" || status == "NO-ROW") bad++
    printf "%-9s %s:%s%s\n", status, ga, version, detail
  }
  END { printf "%d artifact(s) need attention\n", bad; exit bad > 0 }'
