#!/usr/bin/env bash
# How soon `voicemock play` (and `replay --no-speak`) is heard: time from starting it to its first sound on the
# virtual speaker's monitor, against paplay (PulseAudio's own player) in the same run, for a
# file at the device's rate and one that needs converting (22.05 kHz stereo float).
# Target: first sound within 150 ms. Needs the virtual audio stack's packages, sox, python3.
# Not run in CI; see bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
out="$here/out/play_latency"
mkdir -p "$out"
export VOICEMOCK_AUDIO_DIR="${VOICEMOCK_AUDIO_DIR:-/tmp/voicemock-audio-bench}"
started=0
if ! "$root/scripts/virtual-audio" status >/dev/null 2>&1; then
    "$root/scripts/virtual-audio" start >/dev/null
    started=1
fi
cleanup() { [[ $started == 1 ]] && "$root/scripts/virtual-audio" stop >/dev/null || true; }
trap cleanup EXIT
eval "$("$root/scripts/virtual-audio" env)"

(cd "$root" && cargo build --release --quiet)
vm="$root/target/release/voicemock"
# Sound from the very first sample: a 1 s tone at -12 dBFS.
sox -n -r 48000 -b 16 -c 1 "$out/tone48.wav" synth 1 sine 440 vol 0.25
sox "$out/tone48.wav" -r 22050 -c 2 -e floating-point -b 32 "$out/tone22-stereo-float.wav"
echo "== tone48.wav"
python3 "$here/play_latency.py" 7 "$out/tone48.wav" "voicemock play=$vm play" "paplay=paplay"
# The sound server would take 22.05 kHz as it is; --output-rate (hidden, for tests) makes
# voicemock open the speaker at 48 kHz and resample itself.
echo "== tone22-stereo-float.wav"
python3 "$here/play_latency.py" 7 "$out/tone22-stereo-float.wav" "voicemock play=$vm play" \
    "voicemock, own resampler=$vm play {} --output-rate 48000" "paplay=paplay"
# replay: the same tone as the one take of a session, with --no-speak (no question read out).
rec="$out/recordings"
rm -rf "$rec"
mkdir -p "$rec/2026-01-01_090000-bench"
cp "$out/tone48.wav" "$rec/2026-01-01_090000-bench/q01-why-netflix-take1.wav"
python3 - "$root/tests/fixtures/format2/session.json" "$rec/2026-01-01_090000-bench" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
log["id"] = "2026-01-01_090000-bench"
q = log["questions"][0]
q["takes"] = q["takes"][:1]
t = q["takes"][0]
t.update(file="q01-why-netflix-take1.wav", duration_s=1.0, analysis=None)
log["questions"] = [q]
json.dump(log, open(sys.argv[2] + "/session.json", "w"), indent=2)
PY
# The harness passes the file as an argument; replay takes the session instead.
printf '#!/bin/sh\nexec "%s" replay latest --no-speak --recordings "%s" </dev/null\n' "$vm" "$rec" >"$out/replay.sh"
chmod +x "$out/replay.sh"
echo "== replay of a session whose take is tone48.wav"
python3 "$here/play_latency.py" 7 "$out/tone48.wav" \
    "voicemock replay --no-speak=$out/replay.sh" "paplay=paplay"
echo "(target: voicemock's first sound within 150 ms of its start)"
