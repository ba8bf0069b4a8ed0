#!/usr/bin/env bash
# WAV decoding speed: hound's per-sample iterator against voicemock's reader (hound's header
# parsing, then block reads and tight conversion loops), plus a whole `analyze` pass, on an
# hour of speech in the formats voicemock meets. Prints a table; see bench/README.md.
# Needs espeak-ng and sox. Not run in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out/wav_read"
mkdir -p "$out"
cd "$out"
if [[ ! -s hour16.wav ]]; then
    espeak-ng -w speech.wav "Tell me about a time you disagreed with a decision. \
        I raised my concerns with data, we ran a small test, and the results changed the plan."
    sox speech.wav -r 16000 -b 16 -c 1 base.wav pad 0 1.5
    sox base.wav hour16.wav repeat 500 trim 0 3600
fi
[[ -s hour48.wav ]] || sox hour16.wav -r 48000 -b 16 hour48.wav
[[ -s hour48-stereo24.wav ]] || sox hour16.wav -r 48000 -b 24 -c 2 hour48-stereo24.wav
[[ -s hour44-stereo-float.wav ]] || sox hour16.wav -r 44100 -e floating-point -b 32 -c 2 hour44-stereo-float.wav
cd "$here/.."
cargo bench --quiet --bench wav_read -- "$out"/hour16.wav "$out"/hour48.wav \
    "$out"/hour48-stereo24.wav "$out"/hour44-stereo-float.wav
