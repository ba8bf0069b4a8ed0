#!/usr/bin/env python3
"""Build voicemock's labelled speech-analysis test set under bench/out/set/.

Every file is speech segments (espeak-ng sentences or real recordings from Debian's
pocketsphinx-testdata) joined with sox by silences of known length, after a known leading
silence, then mixed with noise and set to a level. Ground truth comes from the construction:
  * first_speech_s  = the leading silence (segments are trimmed to their first/last sound),
  * pauses          = the inserted silences (start, end),
  * syllables       = vowel phonemes of the known text in cmudict (Debian's cmudict has no stress
                      digits, so vowels are recognised by their phoneme symbol).
Natural gaps *inside* a segment (silences of 0.25 s or more in the source, by the same trimming
rule) are listed too, so the comparison can tell them from spurious pauses.

Usage: make_set.py OUT_DIR   (needs espeak-ng, sox, numpy)
"""
import json
import os
import subprocess
import sys
import wave

import numpy as np

DATA = "/usr/share/pocketsphinx/test/data"
CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}

TEXTS = {
    "T1": "I led a team of five engineers to rebuild our payment system",
    "T2": "the hardest part was convincing stakeholders that the migration was worth the risk",
    "T3": "we measured everything and shipped the first version in six weeks",
    "T4": "looking back I would have involved the customer support team much earlier",
    "T5": "my biggest strength is that I stay calm when priorities change suddenly",
    "T6": "in the end revenue grew by twenty percent over the following quarter",
    # Soft openings: speech that resumes after a pause with a fricative or an "h".
    "T7": "so the first thing I did was sit down with every stakeholder",
    "T8": "she said finance would only fund it if we found the savings first",
    "T9": "honestly the hardest thing was saying no to features people loved",
    "T10": "for the second phase we hired three senior engineers",
    "T11": "half of them had never shipped a mobile feature before",
    "T12": "how we got there was simple we asked the users first",
    "T13": "thinking about it now I would start with the data",
    "T14": "fine tuning the rollout took another month",
    # Weak "s" then a stop: a silent closure between the opening sound and the vowel.
    "T15": "start with the customers and work backwards from there",
    "T16": "speaking to them changed the plan completely",
    "T17": "still we shipped it on time and under budget",
    "T18": "scaling the team was the next problem",
}


def transcripts():
    out = {}
    for line in open(f"{DATA}/cards/cards.transcription"):
        words, ident = line.rsplit("(", 1)
        ident = ident.strip(" )\n")
        out[f"cards/{ident}.wav"] = words.replace("<s>", "").replace("</s>", "").strip()
    for line in open(f"{DATA}/librivox/transcription"):
        words, ident = line.rsplit("(", 1)
        ident = ident.strip(" )\n")
        out[f"librivox/{ident}.wav"] = words.replace("<s>", "").replace("</s>", "").strip()
    return out


# name: (source, segments, inserted pauses, leading silence, sample rate)
# source "espeak:VOICE:WPM" takes TEXTS keys; "real" takes testdata paths.
FILES = {
    "e1": ("espeak:en-us:160", ["T1", "T2", "T3"], [0.3, 1.2], 1.013, 16000),
    "e2": ("espeak:en:130", ["T4", "T5", "T6"], [0.6, 2.0], 2.537, 16000),
    "e3": ("espeak:en-us+f3:190", ["T2", "T6", "T1", "T5"], [0.45, 0.8, 3.5], 0.421, 16000),
    "e4": ("espeak:en-gb-scotland:150", ["T3", "T4"], [0.3], 1.506, 48000),
    "e5": ("espeak:en-us+m3:175", ["T5", "T1", "T4"], [0.35, 1.0], 0.733, 48000),
    "e6": ("espeak:en-gb-x-rp+f2:140", ["T6", "T3", "T2"], [2.5, 0.5], 3.248, 16000),
    # Soft onsets after pauses (and at the very start of s2).
    "s1": ("espeak:en-us:160", ["T1", "T7", "T8", "T11"], [0.6, 1.0, 0.8], 1.207, 16000),
    "s2": ("espeak:en-gb:150", ["T9", "T10", "T8", "T7"], [0.8, 0.5, 1.4], 0.913, 16000),
    "s3": ("espeak:en-us+f3:175", ["T3", "T11", "T9", "T10"], [0.7, 1.1, 0.5], 1.618, 48000),
    # Weak openings, as real speakers make them: the same kind of sentences, but the sound before
    # each listed segment's first vowel is attenuated to SOFT_DB[name][i] dB below that vowel's
    # peak (see soften()); espeak's own fricatives are far louder than that.
    "w1": ("espeak:en-us:150", ["T12", "T7", "T13", "T10"], [0.7, 1.2, 0.5], 1.137, 16000),
    "w2": ("espeak:en-gb:140", ["T1", "T11", "T14", "T8"], [0.9, 0.6, 1.3], 0.854, 16000),
    "w3": ("espeak:en-us+f3:165", ["T3", "T13", "T12", "T7"], [0.8, 1.0, 0.6], 1.472, 48000),
    "w4": ("espeak:en-us:150", ["T1", "T15", "T16", "T17"], [0.9, 0.6, 1.1], 1.263, 16000),
    "w5": ("espeak:en-gb-x-rp:165", ["T18", "T2", "T17", "T15"], [1.2, 0.7, 0.5], 0.947, 48000),
    "r1": ("real", [f"cards/00{i}.wav" for i in range(1, 6)], [0.4, 0.3, 1.5, 0.7], 1.195, 16000),
    "r2": ("real", [f"librivox/sense_and_sensibility_01_austen_64kb-0{n}.wav" for n in (870, 880, 890)],
           [0.5, 2.0], 0.862, 16000),
    "r3": ("real", ["librivox/sense_and_sensibility_01_austen_64kb-0920.wav",
                    "librivox/sense_and_sensibility_01_austen_64kb-0930.wav", "cards/005.wav"],
           [0.3, 1.0], 2.044, 48000),
}
# dB below the following vowel's peak of each segment's opening consonant (None: as synthesised).
SOFT_DB = {
    "w1": [30, 35, 40, 25],
    "w2": [None, 35, 40, 30],
    "w3": [None, 40, 30, 35],
    "w4": [None, 25, 30, 35],
    "w5": [30, None, 25, 35],
}
# The silent closure of a stop after the opening sound ("st", "sp", "sk") lengthened to this many
# ms, as real speakers make it (espeak-ng's lasts about 20 ms).
CLOSURE_MS = {"w4": 60, "w5": 50}
# variant: (noise kind, speech-to-noise ratio in dB over the speech, peak level dBFS)
VARIANTS = {
    "clean": ("pinknoise", 45.0, -1.0),   # quiet room tone only
    "quiet": ("pinknoise", 45.0, -36.0),  # the same, 35 dB down: a far or quiet speaker
    "noisy": (None, 20.0, -3.0),          # 20 dB SNR; white for synthetic, pink for real speech
}
TRAIL_S = 0.6


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def read(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
        return x, w.getframerate()


def frame_db(x, rate):
    hop = rate // 100
    n = len(x) // hop
    f = x[: n * hop].reshape(n, hop)
    return 10 * np.log10(((f - f.mean(1, keepdims=True)) ** 2).mean(1) + 1e-12), hop


def sound_span(x, rate, synthetic):
    """(first, last) sample of sound, and the natural gaps >= 0.25 s inside, in seconds.

    Sound is a run of at least three 10 ms frames above a level: for synthetic speech (no noise
    floor) 40 dB below the loudest frame (quieter than any fricative a listener would mark; it
    leaves out only the synthesiser's decay below that), for real recordings 15 dB above the
    noise floor (the 10th-percentile frame). Synthetic edges are then moved to the first/last
    sample above -60 dB re the clip's peak, within one frame of the run."""
    db, hop = frame_db(x, rate)
    on = db > (db.max() - 40 if synthetic else np.percentile(db, 10) + 15)
    runs, k = [], 0
    while k < len(on):
        if on[k]:
            j = k
            while j < len(on) and on[j]:
                j += 1
            if j - k >= 3:
                runs.append((k, j))
            k = j
        else:
            k += 1
    on = np.zeros_like(on)
    for a, b in runs:
        on[a:b] = True
    first, last = runs[0][0] * hop, runs[-1][1] * hop
    if synthetic:
        loud = np.nonzero(np.abs(x) > np.abs(x).max() * 10 ** (-60 / 20))[0]
        first = int(loud[loud >= max(first - hop, 0)][0])
        last = int(loud[loud < last + hop][-1]) + 1
    gaps, k = [], first // hop
    while k < last // hop:
        if not on[k]:
            j = k
            while j < len(on) and not on[j]:
                j += 1
            if (j - k) * hop / rate >= 0.25:
                gaps.append(((k * hop - first) / rate, (min(j * hop, last) - first) / rate))
            k = j
        else:
            k += 1
    return first, last, gaps


def lengthen_closure(x, rate, first, closure_ms):
    """x with the first run of digital silence in the 200 ms after `first` (a stop's closure)
    lengthened to `closure_ms`; returns the signal and the samples inserted."""
    window = np.abs(x[first: first + rate // 5]) < 1e-4
    k = 0
    while k < len(window):
        if window[k]:
            j = k
            while j < len(window) and window[j]:
                j += 1
            if j - k >= rate // 200:  # 5 ms or more: a closure, not a zero crossing
                extra = max(0, int(rate * closure_ms / 1000) - (j - k))
                at = first + j
                return np.concatenate([x[:at], np.zeros(extra), x[at:]]), extra
            k = j
        else:
            k += 1
    raise AssertionError("no closure after the opening sound")


def soften(x, rate, first, below_db):
    """x with the sound from sample `first` to its first vowel scaled so that its loudest 10 ms
    frame lies `below_db` under the loudest frame of the 200 ms that follow the vowel's start.

    The vowel starts at the first frame whose 80-1000 Hz level comes within 15 dB of that band's
    loudest frame in the 400 ms from `first` (voiceless fricatives and "h" have little energy
    there). The gain returns to 1 over the last 10 ms before the vowel. Returns the new signal,
    the consonant's length in seconds and the gain in dB."""
    hop = rate // 100
    s = first // hop
    f = x[s * hop: (s + 40) * hop].reshape(-1, hop)
    spec = np.abs(np.fft.rfft(f, axis=1)) ** 2
    freq = np.fft.rfftfreq(hop, 1 / rate)
    low = 10 * np.log10(spec[:, (freq > 80) & (freq < 1000)].sum(1) + 1e-12)
    v = int(np.nonzero(low >= low.max() - 15)[0][0])
    assert v >= 4, f"no consonant before the first vowel ({v} frames)"
    db, _ = frame_db(x, rate)
    consonant = db[s: s + v - 1].max()
    vowel = db[s + v: s + v + 20].max()
    gain_db = min(0.0, -below_db - (consonant - vowel))
    vowel_at = (s + v) * hop
    g = np.ones(len(x))
    g[:vowel_at - hop] = 10 ** (gain_db / 20)
    g[vowel_at - hop: vowel_at] = 10 ** (np.linspace(gain_db, 0, hop) / 20)
    return x * g, (vowel_at - first) / rate, gain_db


def write(path, x, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 32767 / 32768) * 32768).round().astype("<i2").tobytes())


def syllables(text, dictionary):
    return sum(sum(1 for ph in dictionary[w] if ph in VOWELS) for w in text.lower().split())


def main(out):
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "tmp")
    os.makedirs(tmp, exist_ok=True)
    dictionary = {}
    for line in open(CMUDICT):
        p = line.split()
        dictionary.setdefault(p[0], p[1:])
    real_text = transcripts()
    truth = {}
    for name, (source, segments, gaps, lead, rate) in FILES.items():
        parts, t, pauses, natural, text = [], lead, [], [], []
        speech, soft = [], []
        for i, seg in enumerate(segments):
            raw = os.path.join(tmp, f"{name}-{i}-raw.wav")
            if source.startswith("espeak:"):
                _, voice, wpm = source.split(":")
                sh("espeak-ng", "-v", voice, "-s", wpm, "-w", raw, TEXTS[seg])
                text.append(TEXTS[seg])
                synthetic = True
            else:
                sh("sox", f"{DATA}/{seg}", raw)
                text.append(real_text[seg])
                synthetic = False
            x, r = read(raw)
            # Truth from the source as synthesised, before any softening.
            first, last, inner = sound_span(x, r, synthetic)
            below = SOFT_DB.get(name, [None] * len(segments))[i]
            if below is not None:
                if name in CLOSURE_MS:
                    x, extra = lengthen_closure(x, r, first, CLOSURE_MS[name])
                    last += extra
                    inner = [(a + extra / r, b + extra / r) for a, b in inner]
                x, consonant_s, gain_db = soften(x, r, first, below)
                raw = os.path.join(tmp, f"{name}-{i}-soft.wav")
                write(raw, x, r)
                soft.append({"at_s": round(t, 4), "word": TEXTS[seg].split()[0], "below_db": below,
                             "consonant_ms": round(consonant_s * 1000), "gain_db": round(gain_db, 1)})
            trimmed = os.path.join(tmp, f"{name}-{i}.wav")
            sh("sox", "-G", raw, "-r", str(rate), "-b", "16", trimmed, "trim", f"{first}s", f"={last}s")
            y, _ = read(trimmed)
            speech.append(y)
            parts.append(trimmed)
            natural += [(round(t + a, 4), round(t + b, 4)) for a, b in inner]
            t += len(y) / rate
            if i < len(gaps):
                pauses.append((round(t, 4), round(t + gaps[i], 4)))
                t += gaps[i]
        speech_end = t
        # Join with sox: leading silence, segments with silences between, trailing silence.
        seq = []
        for k, silence in enumerate([lead] + gaps + [TRAIL_S]):
            sil = os.path.join(tmp, f"{name}-sil{k}.wav")
            sh("sox", "-r", str(rate), "-n", "-r", str(rate), "-c", "1", "-b", "16", sil, "trim", "0", f"{silence}")
            seq.append(sil)
        joined = [seq[0]]
        for k, p in enumerate(parts):
            joined += [p, seq[k + 1]]
        dry = os.path.join(tmp, f"{name}-dry.wav")
        sh("sox", *joined, dry)
        x, _ = read(dry)
        speech_rms = np.sqrt(np.mean(np.concatenate(speech) ** 2))
        for variant, (kind, snr, peak_db) in VARIANTS.items():
            kind = kind or ("whitenoise" if source.startswith("espeak") else "pinknoise")
            noise = os.path.join(tmp, f"{name}-{variant}-noise.wav")
            sh("sox", "-R", "-D", "-r", str(rate), "-n", "-r", str(rate), "-c", "1", "-b", "32", "-e", "float", noise,
               "synth", f"{len(x)}s", kind, "vol", "0.25")
            n = read_float(noise)[: len(x)]
            noise_gain = speech_rms / np.sqrt(np.mean(n ** 2)) * 10 ** (-snr / 20)
            mixed = x + noise_gain * n
            gain = 10 ** (peak_db / 20) / np.abs(mixed).max()
            wav = os.path.join(out, f"{name}-{variant}.wav")
            # The mix itself by sox, with the gains computed above.
            sh("sox", "-R", "-G", "-D", "-m", "-v", f"{gain:.9f}", dry, "-v", f"{gain * noise_gain:.9f}", noise,
               "-b", "16", wav)
            truth[os.path.basename(wav)] = {
                "source": source if source != "real" else "real (pocketsphinx-testdata)",
                "rate": rate,
                "first_speech_s": lead,
                "last_speech_s": round(speech_end, 4),
                "pauses": pauses,
                "natural_gaps": natural,
                "soft_openings": soft,
                "syllables": syllables(" ".join(text), dictionary),
                "variant": variant,
            }
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print(f"built {len(truth)} files in {out}")


def read_float(path):
    out = subprocess.run(["sox", path, "-t", "f32", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float64)


if __name__ == "__main__":
    main(sys.argv[1])
