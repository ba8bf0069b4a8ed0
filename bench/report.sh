#!/usr/bin/env bash
# How fast `voicemock report` writes the review page of a 20-question session, and how big
# the page is, against the cost of merely reading what it reads (`cat`) and of parsing it in
# Python, in the same run.
#
#   bench/report.sh [N]          N questions (default 20), one 90 s take each; prints a table
#
# The session is the format-2 fixture grown to N questions, each answered by a 90 s WAV of
# espeak-ng speech with pauses (48 kHz, as the microphone records), its analysis in the log as
# `run` leaves it. Two cases: with each take's levels sidecar (as `run` writes them), and
# without (a session recorded before sidecars: the page measures every WAV, then keeps the
# sidecars). Targets: under 200 ms with sidecars, the page under 1 MB.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-20}"
out=bench/out/report
rm -rf "$out"
mkdir -p "$out/recordings"
cargo build --release --quiet
bin=target/release/voicemock
session="$out/recordings/2026-11-26_090000-netflix-pm"
mkdir -p "$session"

# One 90 s answer: a sentence, 0.4 to 1.6 s pauses, repeated.
espeak-ng -v en-us -s 160 -w "$out/s.wav" \
    "I led the launch of a new onboarding flow, and we measured a twelve percent lift in week one retention."
sox "$out/s.wav" -r 48000 -c 1 -b 16 "$out/a.wav" pad 0 0.4
sox "$out/a.wav" "$out/s48.wav"
sox "$out/s.wav" -r 48000 -c 1 -b 16 "$out/b.wav" pad 0 1.6
sox "$out/a.wav" "$out/b.wav" "$out/pair.wav"
sox "$out/pair.wav" "$out/answer.wav" repeat 20 trim 0 90
analysis=$("$bin" analyze "$out/answer.wav" --json)

python3 - "$session" "$n" "$analysis" <<'PY'
import copy, json, os, sys
session, n, analysis = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
if isinstance(analysis, list):
    analysis = analysis[0]
analysis = analysis.get("analysis", analysis)
log = json.load(open("tests/fixtures/format2/session.json"))
base = log["questions"][0]
log["id"] = os.path.basename(session)
log["started_at"] = "2026-11-26T09:00:00.000+00:00"
questions = []
for i in range(n):
    q = copy.deepcopy(base)
    q["id"] = f"question-{i + 1:02d}"
    q["text"] = f"Question {i + 1}: tell me about a time you changed a team's mind with data?"
    q["limit_s"], q["min_s"], q["warn_s"] = 120.0, 60.0, 30.0
    t = q["takes"][0]
    t["file"] = f"q{i + 1:02d}-{q['id']}-take1.wav"
    t["limit_s"], t["duration_s"], t["ended_by"] = 120.0, 90.0, "enter"
    t["analysis"] = {k: analysis[k] for k in t["analysis"]}
    q["takes"] = [t]
    questions.append(q)
log["questions"] = questions
json.dump(log, open(f"{session}/session.json", "w"), indent=2)
PY
for f in $(python3 -c "import json,sys; [print(q['takes'][0]['file']) for q in json.load(open('$session/session.json'))['questions']]"); do
    ln "$out/answer.wav" "$session/$f"
done

# Best of 5 wall-clock times, in seconds; `before` runs ahead of each try, untimed.
best() {
    local before="$1" b=999 t s e
    shift
    for _ in 1 2 3 4 5; do
        eval "$before"
        s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
        t=$(echo "scale=4; ($e - $s) / 1000000000" | bc)
        if (($(echo "$t < $b" | bc))); then b=$t; fi
    done
    echo "$b"
}
cat "$session"/*.wav >/dev/null # warm the page cache
t_cold=$(best 'rm -f "$session"/*.levels.json' "$bin" report "$session")
t_warm=$(best ':' "$bin" report "$session")
sidecars=$(ls "$session"/*.levels.json | wc -l)
bytes=$(stat -c %s "$session/report.html")
t_cat=$(best ':' sh -c "cat $session/session.json $session/*.levels.json")
t_py=$(best ':' python3 -c "
import json, glob, html
log = json.load(open('$session/session.json'))
levels = [json.load(open(p)) for p in glob.glob('$session/*.levels.json')]
open('/dev/null', 'w').write(''.join(html.escape(q['text']) for q in log['questions']))")

printf '\n%s questions, one 90 s take each; %s sidecars; report.html is %s bytes (%.0f KB)\n\n' \
    "$n" "$sidecars" "$bytes" "$(echo "$bytes / 1024" | bc -l)"
printf '| %-52s | %9s |\n' "what" "best of 5"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "-----------"
for row in "voicemock report, levels sidecars kept by run:$t_warm" \
    "voicemock report, no sidecars (measures every WAV):$t_cold" \
    "cat session.json and the sidecars (I/O floor):$t_cat" \
    "python3 json.load of the log and sidecars, escape:$t_py"; do
    name="${row%%:*}"; t="${row##*:}"
    printf '| %-52s | %8.3fs |\n' "$name" "$t"
done
printf '\ntargets: under 0.200 s with sidecars; the page under 1 MB (1048576 bytes)\n'
