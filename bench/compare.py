#!/usr/bin/env python3
"""Compare voicemock's and Praat's measures with the ground truth of the labelled set.

Usage: compare.py TRUTH.json VOICEMOCK.jsonl PRAAT.jsonl
Each .jsonl line is {"file": PATH, "analysis": {first_speech_s, pauses: [{start_s, end_s}],
syllables, ...}}.

Scoring:
  * An inserted pause is found when a reported pause overlaps it; its boundary error is the
    larger of |start error| and |end error|. Target: all found, within +-60 ms.
  * A reported pause that overlaps no inserted pause is "extra". It is "natural" when it overlaps
    a silence already present in the source recording (see make_set.py); otherwise it is
    spurious. Natural inter-word gaps: fluent speech joins words with silences up to about
    NATURAL_GAP_S (stop closures, a breath); a spurious pause longer than that misses the target.
  * first speech error = reported - inserted leading silence. Target +-50 ms.
  * syllables vs cmudict count: target +-10 % per file, +-5 % over the set.
  * soft openings (files whose truth lists them): where speech resumes with a weakened opening
    sound, the signed error of the reported pause end (or first speech), positive = late.
    Target +-60 ms.
"""
import json
import os
import sys

NATURAL_GAP_S = 0.35
PAUSE_TOL_MS = 60
FIRST_TOL_MS = 50


def load(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if line:
            d = json.loads(line)
            out[os.path.basename(d["file"])] = d["analysis"]
    return out


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def score(truth, m):
    inserted = [tuple(p) for p in truth["pauses"]]
    found = [(p["start_s"], p["end_s"]) for p in m["pauses"]]
    natural = [tuple(p) for p in truth["natural_gaps"]]
    errors, missed = [], 0
    for ins in inserted:
        hits = [f for f in found if overlaps(f, ins)]
        if not hits:
            missed += 1
            continue
        start = min(h[0] for h in hits)
        end = max(h[1] for h in hits)
        errors.append(max(abs(start - ins[0]), abs(end - ins[1])) * 1000)
    extra = [f for f in found if not any(overlaps(f, ins) for ins in inserted)]
    spurious = [f for f in extra if not any(overlaps(f, g) for g in natural)]
    first = m["first_speech_s"]
    first_err = None if first is None else (first - truth["first_speech_s"]) * 1000
    syl_err = (m["syllables"] - truth["syllables"]) / truth["syllables"] * 100
    return {
        "inserted": len(inserted),
        "found": len(inserted) - missed,
        "worst_ms": max(errors) if errors else 0.0,
        "errors": errors,
        "extra": len(extra),
        "spurious": spurious,
        "longest_spurious": max((f[1] - f[0] for f in spurious), default=0.0),
        "first_err": first_err,
        "syllables": m["syllables"],
        "syl_err": syl_err,
    }


def opening_error(truth, m, at):
    """Signed ms between the true start of speech at `at` and where `m` has it resume."""
    if abs(at - truth["first_speech_s"]) < 1e-6:
        first = m["first_speech_s"]
        return None if first is None else (first - at) * 1000
    ins = next(p for p in truth["pauses"] if abs(p[1] - at) < 1e-6)
    hits = [(p["start_s"], p["end_s"]) for p in m["pauses"] if overlaps((p["start_s"], p["end_s"]), ins)]
    return None if not hits else (max(h[1] for h in hits) - at) * 1000


def soft_openings(truth, a, b, a_name, b_name):
    rows = [(n, o) for n in sorted(truth) for o in truth[n].get("soft_openings", [])]
    if not rows:
        return
    print(f"\nsoft openings: where speech resumes, error ms (+ late), target +-{PAUSE_TOL_MS} ms")
    print(f"{'file':<16} {'at s':>7} {'word':<10} {'dB':>3} {'cons ms':>7} | {a_name:>9} | {b_name:>9}")
    worst = {a_name: [], b_name: []}
    for n, o in rows:
        cells = []
        for name, m in ((a_name, a), (b_name, b)):
            e = opening_error(truth[n], m[n], o["at_s"])
            worst[name].append(e)
            cells.append("missed" if e is None else f"{e:+.0f}")
        print(f"{n:<16} {o['at_s']:>7.3f} {o['word']:<10} {o['below_db']:>3} {o['consonant_ms']:>7} | "
              f"{cells[0]:>9} | {cells[1]:>9}")
    for name, errs in worst.items():
        for variant in ("clean", "quiet", "noisy"):
            e = [x for (n, _), x in zip(rows, errs) if truth[n]["variant"] == variant]
            ok = sum(1 for x in e if x is not None and abs(x) <= PAUSE_TOL_MS)
            late = max((x for x in e if x is not None), default=0)
            print(f"  {name:<9} {variant}: {ok}/{len(e)} within +-{PAUSE_TOL_MS} ms, latest {late:+.0f} ms, "
                  f"mean {sum(abs(x) for x in e if x is not None) / max(len(e), 1):.0f} ms")


def cell(s):
    first = "none" if s["first_err"] is None else f"{s['first_err']:+5.0f}"
    return (f"{s['found']}/{s['inserted']} {s['worst_ms']:4.0f} "
            f"{s['extra']:>2}/{s['longest_spurious']:4.2f} {first:>5} "
            f"{s['syllables']:>3} {s['syl_err']:+6.1f}%")


def summary(name, scores, truths):
    inserted = sum(s["inserted"] for s in scores)
    found = sum(s["found"] for s in scores)
    errs = [e for s in scores for e in s["errors"]]
    within = sum(1 for e in errs if e <= PAUSE_TOL_MS)
    spurious = [f for s in scores for f in s["spurious"]]
    long_spurious = [f for f in spurious if f[1] - f[0] > NATURAL_GAP_S]
    firsts = [s["first_err"] for s in scores]
    first_ok = sum(1 for f in firsts if f is not None and abs(f) <= FIRST_TOL_MS)
    syl_total = sum(s["syllables"] for s in scores)
    dict_total = sum(t["syllables"] for t in truths)
    per_file_ok = sum(1 for s in scores if abs(s["syl_err"]) <= 10)
    worst_first = max((abs(f) for f in firsts if f is not None), default=0)
    lines = [
        f"{name}:",
        f"  inserted pauses found             {found}/{inserted}",
        f"  boundaries within +-{PAUSE_TOL_MS} ms          {within}/{len(errs)} (worst {max(errs, default=0):.0f} ms, "
        f"mean {sum(errs) / max(len(errs), 1):.0f} ms)",
        f"  extra pauses in speech            {sum(s['extra'] for s in scores)} "
        f"({len(spurious)} where the source has no silence; "
        f"{len(long_spurious)} longer than {NATURAL_GAP_S} s)",
        f"  first speech within +-{FIRST_TOL_MS} ms        {first_ok}/{len(scores)} (worst {worst_first:.0f} ms)",
        f"  syllables within +-10 % per file  {per_file_ok}/{len(scores)}",
        f"  syllables over the set            {syl_total} vs {dict_total} in the dictionary "
        f"({(syl_total - dict_total) / dict_total * 100:+.1f} %; mean |error| per file "
        f"{sum(abs(s['syl_err']) for s in scores) / len(scores):.1f} %)",
    ]
    return "\n".join(lines)


def main(truth_path, vm_path, praat_path):
    truth = json.load(open(truth_path))
    vm, praat = load(vm_path), load(praat_path)
    names = sorted(truth)
    head = "pauses worst  extra first  syl   error"
    print("Per file. pauses: found/inserted, worst boundary error ms; extra: count/longest spurious s;")
    print("first: first-speech error ms; syl: syllables found, error vs cmudict.\n")
    print(f"{'file':<16} {'dict':>4} | {'voicemock: ' + head:<44} | praat: {head}")
    vm_scores, praat_scores = [], []
    for n in names:
        t = truth[n]
        a, b = score(t, vm[n]), score(t, praat[n])
        vm_scores.append(a)
        praat_scores.append(b)
        print(f"{n:<16} {t['syllables']:>4} |            {cell(a):<33} |        {cell(b)}")
    truths = [truth[n] for n in names]
    print()
    print(summary("voicemock", vm_scores, truths))
    print(summary("praat (de Jong & Wempe v3 procedure)", praat_scores, truths))
    soft_openings(truth, vm, praat, "voicemock", "praat")
    by_source = {}
    for n, s, p in zip(names, vm_scores, praat_scores):
        key = ("espeak" if truth[n]["source"].startswith("espeak") else "real") + "/" + truth[n]["variant"]
        by_source.setdefault(key, []).append((s, p, truth[n]["syllables"]))
    print("\nsyllables over subsets (voicemock / praat vs dictionary):")
    for key, rows in sorted(by_source.items()):
        d = sum(r[2] for r in rows)
        v = sum(r[0]["syllables"] for r in rows)
        p = sum(r[1]["syllables"] for r in rows)
        print(f"  {key:<14} {v:>4} ({(v - d) / d * 100:+5.1f} %)  {p:>4} ({(p - d) / d * 100:+5.1f} %)  dict {d}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
