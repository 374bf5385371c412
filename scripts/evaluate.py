"""Clean the dev set and score it with the shared scorer.

    python scripts/evaluate.py [--data ../shared/data] [--fields raw_region raw_fullpage] [--per-doc DIR]

Prints aeb_macro P/R/F1 per input field and caption recall / leak on dev-captions.jsonl.
The scores are computed by `../shared/eval/score.py` (imported, not copied).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import clean  # noqa: E402


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("aeb_score", shared / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm(s: str) -> str:
    return " ".join(s.split())


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def _covers(line: str, caption: str, share: float = 0.8) -> bool:
    """Whether `caption` holds at least `share` of the words of `line` (multiset)."""
    need = Counter(_words(line))
    if not need:
        return False
    have = Counter(_words(caption))
    return sum((need & have).values()) >= share * sum(need.values())


def caption_recall(results: dict, caps: dict[str, list[str]]) -> dict:
    """Share of the dev captions that land in `captions` and share that leak into the text.

    `recall` counts a caption line as landed when one caption entry (text plus credit) holds 80%
    of its words, since splitting off a glued credit ("rabbitCredit: Getty") changes the string;
    `recall_exact` is the strict substring test of scripts/evaluate.py."""
    total = hit = exact = leak = 0
    for doc_id, lines in caps.items():
        res = results.get(doc_id)
        if res is None:
            total += len(lines)
            continue
        cap_texts = [_norm(c["text"] + " " + (c["credit"] or "")) for c in res.captions]
        body = _norm(res.text)
        for line in lines:
            n = _norm(line)
            total += 1
            exact += any(n in c or (c and c in n) for c in cap_texts)
            hit += any(_covers(n, c) for c in cap_texts)
            leak += n in body
    if not total:
        return {"n": 0, "recall": 0.0, "recall_exact": 0.0, "leak": 0.0}
    return {"n": total, "recall": hit / total, "recall_exact": exact / total, "leak": leak / total}


def evaluate(shared: Path, fields=("raw_region", "raw_fullpage"), per_doc: Path | None = None) -> dict:
    """Scores of the engine on the dev set: {field: {"p","r","f1"}, "captions": {...}}."""
    scorer = load_scorer(shared)
    with open(shared / "data" / "dev.jsonl", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    caps = {}
    cap_path = shared / "data" / "dev-captions.jsonl"
    if cap_path.exists():
        with open(cap_path, encoding="utf-8") as f:
            caps = {r["id"]: r["captions"] for r in map(json.loads, f)}
    out: dict = {}
    for field in fields:
        results = {d["id"]: clean(d[field], url=d.get("url")) for d in docs}
        scored = []
        rows = []
        for d in docs:
            s = scorer.score_doc(d["body_gold"], results[d["id"]].text)
            scored.append(s)
            rows.append((d["id"], d["url"], s["aeb_p"], s["aeb_r"]))
        p, r, f1 = scorer.aeb_macro([s["aeb_norm"] for s in scored])
        out[field] = {"p": p, "r": r, "f1": f1}
        if per_doc is not None:
            per_doc.mkdir(parents=True, exist_ok=True)
            with open(per_doc / f"{field}.tsv", "w", encoding="utf-8") as f:
                for row in sorted(rows, key=lambda x: min(x[2] or 0, x[3] or 0)):
                    f.write("\t".join(str(x) for x in row) + "\n")
        if field == "raw_region" and caps:
            c = caption_recall(results, caps)
            out["captions"] = {"n": c["n"], "recall": c["recall_exact"], "leak": c["leak"]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--fields", nargs="+", default=["raw_region", "raw_fullpage"])
    ap.add_argument("--per-doc", type=Path)
    args = ap.parse_args()
    res = evaluate(Path(args.shared), args.fields, args.per_doc)
    for field in args.fields:
        s = res[field]
        print(f"{field:<14} aeb_macro P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}")
    if "captions" in res:
        c = res["captions"]
        print(f"captions       n {c['n']} recall {c['recall']:.3f} leak into text {c['leak']:.3f}")


if __name__ == "__main__":
    main()
