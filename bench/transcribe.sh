#!/usr/bin/env bash
# Accuracy and speed of `voicemock transcribe` with tiny.en (the test model) on this machine.
# Not part of CI. Usage: bench/transcribe.sh   (writes only under bench/out/transcribe/)
#
#   1. word error rate and real-time factor on the labelled LibriVox clips of Debian's
#      pocketsphinx-testdata, clip by clip and as one joined recording;
#   2. a 2-minute answer (those clips, at 48 kHz like a microphone take, repeated) transcribed
#      the way a session's background worker does it (nice 10, all cores but one) while
#      `voicemock check` records from the virtual microphone: is it done within 2 minutes, and
#      did the capture lose anything?
#
# Needs: cargo, sox, python3, pocketsphinx-testdata, the virtual audio stack's packages
# (scripts/install-deps test); the test model comes from scripts/test-model.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$here/out/transcribe"
clips=/usr/share/pocketsphinx/test/data/librivox
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*" >&2; }
[[ -f "$clips/transcription" ]] || { echo "missing $clips (apt-get install pocketsphinx-testdata)" >&2; exit 1; }
command -v sox >/dev/null || { echo "missing sox" >&2; exit 1; }

step "test model"
model="${VOICEMOCK_TEST_MODEL:-$("$root/scripts/test-model")}"
step "building voicemock (release)"
(cd "$root" && cargo build --release --quiet)
vm="$root/target/release/voicemock"
cores="$(nproc)"
worker_threads=$((cores > 1 ? cores - 1 : 1))

now() { date +%s.%N; }
secs_of() { soxi -D "$1"; }

# The machine may be shared: each time is the best of $RUNS runs (whole process: start, model
# load, transcription).
RUNS="${RUNS:-3}"
best_time() { # wav json
    local best="" t0 t1 t
    for _ in $(seq "$RUNS"); do
        t0="$(now)"
        "$vm" transcribe --json --model "$model" "$1" >"$2"
        t1="$(now)"
        t="$(echo "$t1 - $t0" | bc -l)"
        if [[ -z "$best" ]] || (($(echo "$t < $best" | bc -l))); then best="$t"; fi
    done
    echo "$best"
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

step "clip by clip (all $cores cores, best of $RUNS)"
rows=()
for wav in "$clips"/*.wav; do
    id="$(basename "$wav" .wav)"
    rows+=("$id $(secs_of "$wav") $(best_time "$wav" "$out/$id.json")")
done
printf '%s\n' "${rows[@]}" >"$out/clips.txt"

step "the clips joined into one recording"
sox "$clips"/*.wav "$out/joined.wav"
joined_time="$(best_time "$out/joined.wav" "$out/joined.json")"

step "a 2-minute answer while a capture runs"
parts=()
while (($(echo "$(soxi -D "$out/joined.wav") * ${#parts[@]} < 120" | bc -l))); do parts+=("$out/joined.wav"); done
sox "${parts[@]}" -r 48000 "$out/answer.wav" trim 0 120
export VOICEMOCK_AUDIO_DIR="${VOICEMOCK_AUDIO_DIR:-/tmp/va-bench-transcribe}"
"$root/scripts/virtual-audio" start >&2
trap '"$root/scripts/virtual-audio" stop >&2 || true' EXIT
eval "$("$root/scripts/virtual-audio" env)"
"$vm" check --seconds 130 --no-speak --no-playback --out "$out/capture.wav" >"$out/capture.out" 2>"$out/capture.err" &
capture_pid=$!
sleep 2
t0="$(now)"
nice -n 10 "$vm" transcribe --json --threads "$worker_threads" --model "$model" "$out/answer.wav" >"$out/answer.json"
t1="$(now)"
answer_time="$(echo "$t1 - $t0" | bc -l)"
wait "$capture_pid" || true

echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($cores cores)"
python3 - "$clips/transcription" "$out" "$joined_time" "$answer_time" "$worker_threads" <<'PY'
import json, re, sys, os
trans, out, joined_time, answer_time, worker_threads = sys.argv[1:6]
refs = {}
for line in open(trans):
    words, fid = line.rsplit(" (", 1)
    refs[fid.strip().rstrip(")")] = words.replace("<s>", "").replace("</s>", "").strip()

def norm(text):
    text = text.lower().replace("-", " ").replace("\u2014", " ")
    ws = ["".join(c for c in w if c.isalnum() or c == "'") for w in text.split()]
    sub = {"mr": "mister", "mrs": "missus", "dr": "doctor"}
    return [sub.get(w, w) for w in ws if w]

def errors(ref, hyp):
    r, h = norm(ref), norm(hyp)
    row = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(h) + 1):
            cur = min(row[j] + 1, row[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, row[j] = row[j], cur
    return row[len(h)], len(r)

print("| clip | audio s | time s | RTF | WER |")
print("|---|---:|---:|---:|---:|")
E = N = A = T = 0
for line in open(os.path.join(out, "clips.txt")):
    fid, audio, took = line.split()
    audio, took = float(audio), float(took)
    hyp = json.load(open(os.path.join(out, fid + ".json")))["text"]
    e, n = errors(refs[fid], hyp)
    E += e; N += n; A += audio; T += took
    print(f"| {fid[-4:]} | {audio:.1f} | {took:.2f} | {took/audio:.2f} | {100*e/n:.1f} % |")
print(f"| all clips, one by one | {A:.1f} | {T:.2f} | {T/A:.2f} | {100*E/N:.1f} % ({E}/{N}) |")
joined = json.load(open(os.path.join(out, "joined.json")))
e, n = errors(" ".join(refs[k] for k in sorted(refs)), joined["text"])
jt = float(joined_time)
print(f"| all clips joined | {joined['duration_s']:.1f} | {jt:.2f} | {jt/joined['duration_s']:.2f} | {100*e/n:.1f} % ({e}/{n}) |")
answer = json.load(open(os.path.join(out, "answer.json")))
at = float(answer_time)
overrun = open(os.path.join(out, "capture.err")).read()
lost = "buffer overruns" in overrun
print()
print(f"2-minute answer ({answer['duration_s']:.0f} s at 48 kHz, {len(answer['words'])} words), "
      f"nice 10, {worker_threads} thread(s), while `check` recorded: {at:.1f} s "
      f"(RTF {at/answer['duration_s']:.2f}); {'within' if at <= 120 else 'NOT within'} 2 minutes; "
      f"capture {'LOST AUDIO: ' + overrun.strip() if lost else 'had no overruns or stream errors'}")
PY
