"""Title accuracy on the dev sets: `title_exact` as `../shared/eval/score.py` computes it.

    python scripts/eval_titles.py [--shared ../shared] [--sets dev dev2] [--fields raw_region raw_fullpage]
                                  [--misses FILE] [--body] [--no-url]

Prints title_exact for every set x input field (pages without `title_gold` are left out, as the
scorer does; dev has none today, so it prints n=0 there). `--misses FILE` writes every miss
(id, url, gold, predicted, the first lines of the input) for analysis; `--body` also prints the
aeb_macro F1 of the text, so a title change can be checked against the body score in one run.
`--no-url` cleans without the page's url (as the re-clean check and a caller without one do):
the title then cannot use the host's name.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import load_scorer  # noqa: E402

from cleaner import clean  # noqa: E402

HEAD_LINES = 12  # input lines shown per miss


def load(shared: Path, name: str) -> list[dict]:
    path = shared / "data" / f"{name}.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def title_scores(docs: list[dict], field: str, scorer, body: bool = False, url: bool = True) -> dict:
    """{"n", "title_exact", "misses": [...], "f1"?} for one input field of `docs` (cleaned with
    the page's url, or without it)."""
    hits, misses, norms = 0, [], []
    n = 0
    for d in docs:
        res = clean(d[field], url=d.get("url") if url else None)
        if body:
            norms.append(scorer.score_doc(d["body_gold"], res.text)["aeb_norm"])
        gold = d.get("title_gold")
        if not gold:
            continue
        n += 1
        if scorer.norm_title(gold) == scorer.norm_title(res.title):
            hits += 1
        else:
            head = [line for line in d[field].splitlines() if line.strip()][:HEAD_LINES]
            misses.append({"id": d["id"], "url": d.get("url"), "gold": gold, "pred": res.title, "head": head})
    out = {"n": n, "title_exact": hits / n if n else float("nan"), "misses": misses}
    if body:
        out["f1"] = scorer.aeb_macro(norms)[2]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--sets", nargs="+", default=["dev", "dev2"])
    ap.add_argument("--fields", nargs="+", default=["raw_region", "raw_fullpage"])
    ap.add_argument("--misses", type=Path, help="write every miss here (JSON lines)")
    ap.add_argument("--body", action="store_true", help="also print the body aeb_macro F1")
    ap.add_argument("--no-url", action="store_true", help="clean without the page's url")
    args = ap.parse_args()
    shared = Path(args.shared)
    scorer = load_scorer(shared)
    dump = open(args.misses, "w", encoding="utf-8") if args.misses else None  # noqa: SIM115
    for name in args.sets:
        docs = load(shared, name)
        if not docs:
            print(f"{name:<5} absent (no {shared / 'data' / name}.jsonl)")
            continue
        for field in args.fields:
            s = title_scores(docs, field, scorer, args.body, url=not args.no_url)
            how = "without url" if args.no_url else "with url"
            line = f"{name:<5} {field:<13} {how:<11} title_exact {s['title_exact']:.4f} (n={s['n']})"
            if args.body:
                line += f"  body F1 {s['f1']:.4f}"
            print(line, flush=True)
            if dump:
                for m in s["misses"]:
                    dump.write(json.dumps({"set": name, "field": field, **m}, ensure_ascii=False) + "\n")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
