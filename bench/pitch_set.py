#!/usr/bin/env python3
"""Build the pitch benchmark's set under OUT_DIR: real read speech and espeak-ng speech at
several pitch levels and ranges, each clean and noisy.

Real speech: the cards/ and librivox/ clips of Debian's pocketsphinx-testdata (the ones the
labelled set uses), joined with short silences. Synthetic speech: espeak-ng voices from a low
male to a high female voice (-p pitch and voice variants), with SSML prosody ranges from flat to
wide. Variants as in make_set.py: *clean* (pink room tone 45 dB under the speech) and *noisy*
(white noise for synthetic, pink for real speech, 20 dB under the speech). No ground truth is
made here: the reference is Praat's pitch tracker, run on the same files.

Usage: pitch_set.py OUT_DIR   (needs espeak-ng, sox, numpy; imports make_set.py beside it)
"""
import os
import sys

import numpy as np

from make_set import DATA, TEXTS, read, read_float, sh, write

# name: (source, items, pause s, rate). "espeak:VOICE:PITCH:RANGE" takes TEXTS keys.
FILES = {
    "r-cards": ("real", [f"cards/00{i}.wav" for i in range(1, 6)], 0.4, 16000),
    "r-libri": ("real", [f"librivox/sense_and_sensibility_01_austen_64kb-0{n}.wav"
                         for n in (870, 880, 890, 920, 930)], 0.5, 16000),
    "e-low-male": ("espeak:en-us:15:medium", ["T1", "T2", "T3"], 0.5, 16000),
    "e-male-wide": ("espeak:en-us+m3:50:x-high", ["T4", "T5", "T6"], 0.5, 48000),
    "e-female-flat": ("espeak:en-us+f3:55:x-low", ["T2", "T6", "T1"], 0.5, 16000),
    "e-high-female": ("espeak:en-us+f4:85:high", ["T3", "T4", "T5"], 0.5, 16000),
}
VARIANTS = {"clean": 45.0, "noisy": 20.0}  # speech-to-noise ratio, dB


def main(out):
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "tmp")
    os.makedirs(tmp, exist_ok=True)
    for name, (source, items, pause, rate) in FILES.items():
        parts = []
        for i, item in enumerate(items):
            raw = os.path.join(tmp, f"{name}-{i}.wav")
            if source == "real":
                sh("sox", f"{DATA}/{item}", "-r", str(rate), "-b", "16", raw)
            else:
                _, voice, pitch, span = source.split(":")
                ssml = f'<speak><prosody range="{span}">{TEXTS[item]}</prosody></speak>'
                synth = os.path.join(tmp, f"{name}-{i}-synth.wav")
                sh("espeak-ng", "-m", "-v", voice, "-p", pitch, "-w", synth, ssml)
                sh("sox", synth, "-r", str(rate), "-b", "16", raw)
            x, _ = read(raw)
            parts += [x, np.zeros(int(pause * rate))]
        x = np.concatenate([np.zeros(int(0.5 * rate))] + parts)
        speech_rms = np.sqrt(np.mean(x[np.abs(x) > 1e-4] ** 2))
        for variant, snr in VARIANTS.items():
            if variant == "noisy" and source != "real":
                n = np.random.default_rng(len(name)).standard_normal(len(x))
            else:
                noise = os.path.join(tmp, f"{name}-{variant}-noise.wav")
                sh("sox", "-R", "-r", str(rate), "-n", "-r", str(rate), "-c", "1", "-b", "32", "-e", "float",
                   noise, "synth", f"{len(x)}s", "pinknoise", "vol", "0.25")
                n = read_float(noise)[: len(x)]
            mixed = x + n * speech_rms / np.sqrt(np.mean(n ** 2)) * 10 ** (-snr / 20)
            write(os.path.join(out, f"{name}-{variant}.wav"), mixed * 10 ** (-1 / 20) / np.abs(mixed).max(),
                  rate)
    print(f"built {2 * len(FILES)} files in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
