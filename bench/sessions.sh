#!/usr/bin/env bash
# How fast `voicemock sessions` (and `history`) read a recordings folder of 1,000 sessions, against the cost
# of merely reading every log (`cat`) and of parsing every log in Python, in the same run.
#
#   bench/sessions.sh [N]        N sessions (default 1000); prints a table
#
# The sessions are copies of the format-2 fixture with their ids and start times changed,
# a tenth of them left `in_progress` (so the lock check runs) and one damaged.
# Targets: the listing under 0.3 s; history under 0.5 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-1000}"
out=bench/out/sessions
rm -rf "$out"
mkdir -p "$out/recordings"
cargo build --release --quiet
bin=target/release/voicemock

python3 - "$out/recordings" "$n" <<'PY'
import json, sys, os, datetime
root, n = sys.argv[1], int(sys.argv[2])
base = json.load(open("tests/fixtures/format2/session.json"))
t0 = datetime.datetime(2026, 1, 1, 9, 0, 0)
for i in range(n):
    t = t0 + datetime.timedelta(hours=i)
    sid = t.strftime("%Y-%m-%d_%H%M%S") + "-netflix-pm"
    base["id"] = sid
    base["started_at"] = t.isoformat() + ".000+00:00"
    base["status"] = "in_progress" if i % 10 == 0 else "completed"
    os.makedirs(f"{root}/{sid}")
    with open(f"{root}/{sid}/session.json", "w") as f:
        json.dump(base, f, indent=2)
os.makedirs(f"{root}/zz-damaged")
open(f"{root}/zz-damaged/session.json", "w").write("{\"version\": 2, ")
PY

# Best of 5 wall-clock times, in seconds.
best() {
    local b=999 t s e
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
        t=$(echo "scale=4; ($e - $s) / 1000000000" | bc)
        if (($(echo "$t < $b" | bc))); then b=$t; fi
    done
    echo "$b"
}
# Warm the page cache once so every row measures the same thing.
cat "$out"/recordings/*/session.json >/dev/null

t_list=$(best "$bin" sessions --recordings "$out/recordings")
t_json=$(best "$bin" sessions --json --recordings "$out/recordings")
t_hist=$(best "$bin" history --json --recordings "$out/recordings")
t_cat=$(best sh -c "cat $out/recordings/*/session.json")
t_py=$(best python3 -c "
import json, glob
for p in glob.glob('$out/recordings/*/session.json'):
    try: json.load(open(p))
    except Exception: pass")
rows=$("$bin" sessions --json --recordings "$out/recordings" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

printf '\n%s sessions (+1 damaged) listed: %s rows\n\n' "$n" "$rows"
printf '| %-44s | %9s | %9s |\n' "what" "best of 5" "vs cat"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "-----------" "-----------"
for row in "voicemock sessions (table):$t_list" "voicemock sessions --json:$t_json" \
    "voicemock history --json:$t_hist" \
    "cat every session.json (I/O floor):$t_cat" "python3 json.load of every log:$t_py"; do
    name="${row%%:*}"; t="${row##*:}"
    printf '| %-44s | %8.3fs | %8.1f× |\n' "$name" "$t" "$(echo "scale=3; $t / $t_cat" | bc)"
done
printf '\ntargets: the listing under 0.3 s, history under 0.5 s\n'
