"""Clean the dev sets and score them with the shared scorer.

    python scripts/evaluate.py [--shared ../shared] [--sets dev dev2] [--fields raw_region raw_fullpage]
                               [--cv [--fold-models DIR]] [--per-doc DIR] [--no-reclean] [--losses]

For each dev set (`dev.jsonl`: 80 news pages; `dev2.jsonl`: 440 pages of 431 sites, from the
WCXB benchmark by Murrough Foley, CC-BY-4.0) and each input field it prints aeb_macro P/R/F1,
`title_exact` (as `score.py` counts it), how many pages score below F1 0.5 and the spread of
per-page F1; then the clean-article figure (`clean(body_gold)`: shingle recall and precision
of the gold) and the re-clean count (`r = clean(x)`; `clean(r.text).text` must equal `r.text`,
save a leading headline-shaped heading, without end punctuation, taken as the title; a sentence
taken as the title counts as a failure), and `clean(title + text)` must give
the same title and text); and caption recall / leak on `dev-captions.jsonl`.

`--losses` adds where the loss comes from: for each rule id (and where the block stands: before
the first kept block `<`, among the kept ones `=`, after the last `>`), the story tokens it
removed (a block is story when most of its 4-token shingles are in `body_gold`, as
`scripts/fit_engine.py` labels it), summed over pages as shares of the gold, and the non-story
tokens it kept, as shares of the text kept; the top ones are printed per set and input.

`--cv` refits every fitted part (the story model, `scripts/fit_engine.py`) per site fold: five
folds by host, each page scored by the model fitted on the other four folds' sites only, so no
page is scored by a model that saw its site. The scores are computed by `../shared/eval/score.py`
(imported, not copied).

`--fold-models DIR` (with `--cv`) writes each fold's fitted model to `DIR/fold<k>.json`, and
reads it back instead of refitting when the file is there: a rule after the story model can be
screened on the five fold models in about a minute. The fold models are fitted on the training
pages as the engine cleaned them when they were fitted (their re-cleaned copies), so a figure to
report comes from a run that refits them (an empty or new DIR, or no `--fold-models`).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import clean, load_ruleset  # noqa: E402

SETS = ("dev", "dev2")
FIELDS = ("raw_region", "raw_fullpage")
FOLDS = 5
LOSS_TOP = 8  # rule ids printed per loss line of --losses


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("aeb_score", shared / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_set(shared: Path, name: str) -> list[dict]:
    path = shared / "data" / f"{name}.jsonl"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def host(url: str | None) -> str:
    from cleaner.core.pipeline import host_of

    return host_of(url) or ""


def fold_of(url: str | None) -> int:
    """The site fold of a page: a stable hash of its host, so one site is in one fold."""
    import zlib

    return zlib.crc32(host(url).encode("utf-8")) % FOLDS


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
    `recall_exact` is the strict substring test."""
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


# The contract's exception: only a leading headline-shaped heading, short and without end
# punctuation, may become the title when the clean text is cleaned again; a sentence may not.
END_PUNCT = (".", "?", "!", "\u2026", ":", ";")


def reclean_ok(r_text: str, r_title: str | None, ruleset) -> tuple[bool, bool]:
    """(text alone cleans to itself, save a leading heading taken as title; title + text cleans
    to the same title and text)."""
    again = clean(r_text, ruleset=ruleset) if r_text else None
    ok_text = again is None or again.text == r_text or (
        again.title is not None and r_text == again.title + "\n\n" + again.text
        and "\n\n" not in again.title and len(again.title) < len(r_text)
        and not again.title.rstrip().endswith(END_PUNCT)
    )
    ok_pair = True
    if r_title:
        pair = clean(r_title + "\n\n" + r_text, ruleset=ruleset)
        ok_pair = pair.title == r_title and pair.text == r_text
    return ok_text, ok_pair


def _spread(f1s: list[float]) -> dict[str, int]:
    bins = {"<0.5": 0, "0.5-0.8": 0, "0.8-0.9": 0, "0.9-0.95": 0, "0.95-0.99": 0, ">=0.99": 0}
    for f in f1s:
        key = ("<0.5" if f < 0.5 else "0.5-0.8" if f < 0.8 else "0.8-0.9" if f < 0.9
               else "0.9-0.95" if f < 0.95 else "0.95-0.99" if f < 0.99 else ">=0.99")
        bins[key] += 1
    return bins


def block_losses(body_gold: str, res, missed: Counter, kept_bad: Counter) -> None:
    """Add one page's loss by rule id and place (see `--losses`) to the two counters."""
    fit = _fit_module()
    gold = fit.WORD.findall(body_gold or "")
    grams = fit._ngrams(gold)
    blocks = res.to_dict()["blocks"]
    kept = [b["role"] in ("body", "standfirst") for b in blocks]
    toks = [fit.WORD.findall(b["text"]) for b in blocks]
    inside = [i for i, k in enumerate(kept) if k]
    lo, hi = (inside[0], inside[-1]) if inside else (len(blocks), -1)
    n_gold = max(1, len(gold))
    n_kept = max(1, sum(len(t) for t, k in zip(toks, kept, strict=True) if k))
    for i, (b, t, k) in enumerate(zip(blocks, toks, kept, strict=True)):
        story = fit.aligned_share(t, grams) >= 0.5
        key = b["rule"] + ("<" if i < lo else ">" if i > hi else "=")
        if story and not k and b["role"] != "title":
            missed[key] += len(t) / n_gold
        elif not story and k:
            kept_bad[key] += len(t) / n_kept


def rulesets_for(
    docs: list[dict], cv: bool, train: list[dict] | None = None, fold_models: Path | None = None,
) -> dict[int, Any]:
    """The rule set each page is scored with: the committed one, or with --cv the one whose
    story model was fitted on the other folds' sites (keyed by fold); `fold_models`: a folder
    the fold models are written to, and read from when there (see --fold-models)."""
    base = load_ruleset()
    if not cv:
        return {k: base for k in range(FOLDS)}
    fit = _fit_module()
    rows = None
    out = {}
    for k in range(FOLDS):
        path = fold_models / f"fold{k}.json" if fold_models is not None else None
        read = path is not None and path.is_file()
        if read:
            model = _read_model(path)
        else:
            if rows is None:
                rows = fit.collect(train if train is not None else docs, base)
                by_id = {d["id"]: d for d in (train if train is not None else docs)}
            model = fit.fit_full([r for r in rows if fold_of(r["url"]) != k], by_id, base)
            if path is not None:
                _write_model(path, model)
        out[k] = fit.with_model(base, model)
        print(f"fold {k} {'read' if read else 'fitted'}", file=sys.stderr, flush=True)
    return out


def _write_model(path: Path, model: dict[str, Any]) -> None:
    t = model["trees"]
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"params": model["params"], "doc": t.doc, "columns": list(t.columns), "base": t.base,
            "trees": [[list(f), list(th), list(v)] for f, th, v in t.trees]}
    path.write_text(json.dumps(data), encoding="utf-8")


def _read_model(path: Path) -> dict[str, Any]:
    from cleaner.ruleset import TreeModel

    data = json.loads(path.read_text(encoding="utf-8"))
    trees = tuple((tuple(f), tuple(th), tuple(v)) for f, th, v in data["trees"])
    model = TreeModel(doc=data["doc"], columns=tuple(data["columns"]), base=data["base"], trees=trees)
    return {"params": data["params"], "trees": model}


@functools.cache
def _fit_module():
    spec = importlib.util.spec_from_file_location("fit_engine", ROOT / "scripts" / "fit_engine.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def evaluate(
    shared: Path, sets=SETS, fields=FIELDS, *, cv: bool = False, reclean: bool = True,
    per_doc: Path | None = None, losses: bool = False, fold_models: Path | None = None,
) -> dict:
    """Scores of the engine: {"dev.raw_region": {p, r, f1, below_half, spread, title_exact},
    "dev.clean_article": {r, p, lose5}, "dev.reclean": {fail_text, fail_pair, n}, "captions": {...}}."""
    scorer = load_scorer(shared)
    data = {name: load_set(shared, name) for name in sets}
    data = {k: v for k, v in data.items() if v}
    everything = [d for name in ("dev", "dev2") for d in load_set(shared, name)] if cv else []
    by_fold = rulesets_for(everything, cv, everything or None, fold_models)
    caps = {}
    cap_path = shared / "data" / "dev-captions.jsonl"
    if cap_path.exists():
        with open(cap_path, encoding="utf-8") as f:
            caps = {r["id"]: r["captions"] for r in map(json.loads, f)}
    out: dict = {}
    for name, docs in data.items():
        fails_text = fails_pair = recleaned = 0
        for field in fields:
            results = {d["id"]: clean(d[field], url=d.get("url"), ruleset=by_fold[fold_of(d.get("url"))])
                       for d in docs}
            scored, rows, f1s, titles = [], [], [], []
            missed: Counter = Counter()
            kept_bad: Counter = Counter()
            for d in docs:
                res = results[d["id"]]
                s = scorer.score_doc(d["body_gold"], res.text)
                scored.append(s)
                f = scorer.f1(scorer.aeb_p(*s["aeb_norm"]), scorer.aeb_r(*s["aeb_norm"]))
                f1s.append(f)
                ok = None
                if d.get("title_gold"):
                    ok = scorer.norm_title(d["title_gold"]) == scorer.norm_title(res.title)
                    titles.append(ok)
                rows.append((d["id"], d["url"], round(f, 4), s["aeb_p"], s["aeb_r"], ok, res.title))
                if losses:
                    block_losses(d["body_gold"], res, missed, kept_bad)
                if reclean:
                    rs = by_fold[fold_of(d.get("url"))]
                    a, b = reclean_ok(res.text, res.title, rs)
                    fails_text += not a
                    fails_pair += not b
                    recleaned += 1
            p, r, f1 = scorer.aeb_macro([s["aeb_norm"] for s in scored])
            out[f"{name}.{field}"] = {
                "n": len(docs), "p": p, "r": r, "f1": f1, "below_half": sum(f < 0.5 for f in f1s),
                "spread": _spread(f1s),
                "title_exact": (sum(titles) / len(titles)) if titles else None, "title_n": len(titles),
            }
            if losses:
                out[f"{name}.{field}"]["losses"] = {"missed": missed, "kept": kept_bad}
            if per_doc is not None:
                per_doc.mkdir(parents=True, exist_ok=True)
                with open(per_doc / f"{name}.{field}.tsv", "w", encoding="utf-8") as f:
                    for row in sorted(rows, key=lambda x: x[2]):
                        f.write("\t".join(str(x) for x in row) + "\n")
            if name == "dev" and field == "raw_region" and caps:
                c = caption_recall(results, caps)
                out["captions"] = {"n": c["n"], "recall": c["recall_exact"], "leak": c["leak"]}
        if reclean:
            out[f"{name}.reclean"] = {"n": recleaned, "fail_text": fails_text, "fail_pair": fails_pair}
        gold_scored = []
        for d in docs:
            res = clean(d["body_gold"], ruleset=by_fold[fold_of(d.get("url"))])
            gold_scored.append(scorer.score_doc(d["body_gold"], res.text))
        p, r, _ = scorer.aeb_macro([s["aeb_norm"] for s in gold_scored])
        lose5 = sum((s["aeb_r"] or 0) < 0.95 for s in gold_scored)
        out[f"{name}.clean_article"] = {"n": len(docs), "r": r, "p": p, "lose5": lose5}
    return out


def report(res: dict) -> list[str]:
    lines = []
    for key, s in res.items():
        if key == "captions":
            lines.append(f"captions            n {s['n']} recall {s['recall']:.3f} "
                         f"leak into text {s['leak']:.3f}")
        elif key.endswith(".clean_article"):
            lines.append(f"{key:<20} recall {s['r']:.4f} precision {s['p']:.4f} "
                         f"(pages losing over 5%: {s['lose5']} of {s['n']})")
        elif key.endswith(".reclean"):
            lines.append(f"{key:<20} re-clean failures: text {s['fail_text']}, title+text {s['fail_pair']} "
                         f"of {s['n']}")
        else:
            t = "  -  " if s["title_exact"] is None else f"{s['title_exact']:.3f}"
            spread = " ".join(f"{k}:{v}" for k, v in s["spread"].items())
            lines.append(f"{key:<20} aeb_macro P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}  "
                         f"title_exact {t}  below 0.5: {s['below_half']} of {s['n']}  [{spread}]")
            for what, counter in s.get("losses", {}).items():
                top = ", ".join(f"{k} {v / s['n']:.4f}" for k, v in counter.most_common(LOSS_TOP))
                lines.append(f"    {what} (mean share per page): {top}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--fields", nargs="+", default=list(FIELDS))
    ap.add_argument("--cv", action="store_true", help="refit the story model per site fold (5 folds by host)")
    ap.add_argument("--fold-models", type=Path,
                    help="with --cv: write the fold models to this folder, read them from it when there")
    ap.add_argument("--no-reclean", action="store_true", help="skip the re-clean check (faster)")
    ap.add_argument("--per-doc", type=Path)
    ap.add_argument("--losses", action="store_true", help="story tokens removed / furniture kept, by rule id")
    args = ap.parse_args()
    res = evaluate(Path(args.shared), args.sets, args.fields, cv=args.cv, reclean=not args.no_reclean,
                   per_doc=args.per_doc, losses=args.losses, fold_models=args.fold_models)
    print("cross-validated by site (5 folds by host)" if args.cv else "in-sample (committed rules/)")
    for line in report(res):
        print(line)


if __name__ == "__main__":
    main()
