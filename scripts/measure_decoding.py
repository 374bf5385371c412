"""Measure the two detectors the project has on tests/fixtures/encodings/ (no declared charset).

    python scripts/measure_decoding.py

For each fixture: does Beautiful Soup's `UnicodeDammit` and does charset-normalizer's
`from_bytes(...).best()` give the exact text (a leading BOM dropped), and what encoding it
names; then the same for `cleaner.decoding.decode_bytes`, which uses the one chosen.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIX = ROOT / "tests" / "fixtures" / "encodings"


def dammit(data: bytes) -> tuple[str | None, str | None]:
    from bs4 import UnicodeDammit

    d = UnicodeDammit(data)
    return d.unicode_markup, d.original_encoding


def normalizer(data: bytes) -> tuple[str | None, str | None]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, None
    return str(best), best.encoding


def ours(data: bytes) -> tuple[str | None, str | None]:
    from cleaner.decoding import decode_bytes

    return decode_bytes(data)


def main() -> None:
    expected = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))
    methods = {"UnicodeDammit": dammit, "charset-normalizer": normalizer, "cleaner.decode_bytes": ours}
    for fn in methods.values():  # imports and first-call set-up out of the timing
        fn(b"warm up")
    score = dict.fromkeys(methods, 0)
    spent = dict.fromkeys(methods, 0.0)
    print(f"{'fixture':18} " + " ".join(f"{m:>28}" for m in methods))
    for name, exp in expected.items():
        data = (FIX / name).read_bytes()
        cells = []
        for m, fn in methods.items():
            t0 = time.perf_counter()
            text, enc = fn(data)
            spent[m] += time.perf_counter() - t0
            ok = text is not None and text.lstrip("\ufeff") == exp["text"]
            score[m] += ok
            cells.append(f"{('ok ' if ok else 'BAD ') + str(enc):>28}")
        print(f"{name:18} " + " ".join(cells))
    n = len(expected)
    print(f"{'exact texts':18} " + " ".join(f"{f'{score[m]}/{n}':>28}" for m in methods))
    print(f"{'seconds (all)':18} " + " ".join(f"{spent[m]:>28.3f}" for m in methods))


if __name__ == "__main__":
    main()
