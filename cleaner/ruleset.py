"""Rules as data: load `rules/*.yaml`, validate every problem at once, compile once.

A rule file has a `version` and a list of `rules`. Each rule names the `role` a block gets when
its `pattern` (RE2 syntax: linear time, no backtracking) matches the block's text, within its
word limits. Every rule carries `examples` it must match and `counter_examples` it must not;
the tests run them all. A rule with `sites` applies only when the document's URL names one of
those hosts. Rule ids are `<file stem>.<name>` and must be unique across all folders loaded.

All patterns of a rule set are matched in one pass per block with `re2.Set`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2
import yaml

from .errors import RuleError
from .model import ROLES

_NAME = re2.compile(r"^[a-z][a-z0-9_]*$")
_RULE_KEYS = {
    "name", "role", "pattern", "min_words", "max_words", "final", "weight", "where", "reason",
    "sites", "examples", "counter_examples", "kind", "priority",
}
WHERE = ("anywhere", "outside_body")
PARAM_TYPES = ("int", "float")
log = logging.getLogger("cleaner.rules")


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A number the engine reads by name, declared in a built-in rule file's `params`:
    `name: {value, type: int|float, min, max, doc}`."""

    name: str
    type: str
    min: float
    max: float
    doc: str
    file: str

    def problem(self, value: Any) -> str | None:
        """Why `value` is not a valid setting of this parameter, or None."""
        ok_type = isinstance(value, int) if self.type == "int" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            return f"expected {'an integer' if self.type == 'int' else 'a number'}, not {value!r}"
        if not self.min <= value <= self.max:
            return f"{value!r} is outside [{self.min:g}, {self.max:g}]"
        return None


# The one Set of all patterns builds a lazy DFA whose states RE2 caches within `max_mem`.
# Measured (2026-12-01 on the 80 dev pages' lines): 8 MiB does not compile; 16 and 24 MiB
# compile but the cache overflows and is rebuilt over and over (17-20 us a block); 32 MiB held
# dev. Measured again (2026-12-02, `benchmarks/bench_rule_set.py`) on the lines of dev and dev2,
# 520 pages of 511 sites, both inputs, warm, us per block / growth of the resident set:
# 32 MiB 6.2 us / +10 MiB (the cache is rebuilt over and over on varied pages), 64 MiB 3.6 us /
# +35 MiB, 96 MiB 1.6 us / +40 MiB, 128 MiB 1.4 us / +40 MiB, 256 MiB 1.3 us / +41 MiB. The
# budget is a ceiling, not an allocation: the states varied pages need take about 40 MiB, and
# 128 MiB is the smallest budget that holds them with room.
SET_MAX_MEM = 128 << 20


def _options(max_mem: int | None = None) -> re2.Options:
    opts = re2.Options()
    opts.log_errors = False
    if max_mem is not None:
        opts.max_mem = max_mem
    return opts


def _compile_set(patterns: list[str]) -> Any:
    """One RE2 Set of `patterns`, within SET_MAX_MEM; a rule set that outgrows it (a user's rule
    folders) gets twice, then four times the memory, with a warning, rather than failing."""
    for factor in (1, 2, 4):
        rset = re2.Set.SearchSet(_options(SET_MAX_MEM * factor))
        for pattern in patterns:
            rset.Add(pattern)
        try:
            rset.Compile()
        except re2.error:
            continue
        if factor > 1:
            mib = (SET_MAX_MEM * factor) >> 20
            log.warning("rules: the RE2 Set of %d patterns needed %d MiB", len(patterns), mib)
        return rset
    most = (SET_MAX_MEM * 4) >> 20
    raise RuleError([f"the {len(patterns)} patterns do not compile into one RE2 Set within {most} MiB"])


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule. `final` rules decide a block; others are cues: their role labels a block
    that the context stage removes (`weight` is accepted but not used yet)."""

    id: str
    role: str
    pattern: str
    regex: Any = field(repr=False, compare=False)
    reason: str
    min_words: int = 0
    max_words: int = 10**9
    final: bool = True
    weight: float = 0.0
    where: str = "anywhere"
    kind: str | None = None
    priority: int = 50
    sites: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def applies(self, text: str, host: str | None = None) -> bool:
        """Whether this rule matches `text` (a block's text) on `host`, ignoring the Set."""
        return self.in_scope(host) and self.fits(text) and self.regex.search(text) is not None

    def fits(self, text: str, words: int | None = None) -> bool:
        """Whether the text's word count is within the rule's limits."""
        n = len(text.split()) if words is None else words
        return self.min_words <= n <= self.max_words

    def in_scope(self, host: str | None) -> bool:
        if not self.sites:
            return True
        return host is not None and any(host == s or host.endswith("." + s) for s in self.sites)


@dataclass(slots=True)
class RuleFile:
    name: str
    path: str
    version: Any
    description: str
    rules: list[Rule]
    params: dict[str, Any] = field(default_factory=dict)  # plain values: overrides
    declared: dict[str, ParamSpec] = field(default_factory=dict)  # declarations with a schema
    trees: dict[str, TreeModel] = field(default_factory=dict)  # fitted tree ensembles by name


@dataclass(frozen=True, slots=True)
class TreeModel:
    """A fitted ensemble of complete binary trees over named columns (a boosted model).

    Each tree is (features, thresholds, leaves): node k (0-based, breadth first) sends a row
    right when its column `features[k]` is above `thresholds[k]`; the row's value is the leaf
    it reaches. The model's value is `base` plus the sum over trees (a log-odds)."""

    doc: str
    columns: tuple[str, ...]
    base: float
    trees: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]], ...]
    _compiled: Any = field(default=None, compare=False, repr=False)

    def predict(self, cols: Sequence[Sequence[float]], n: int) -> list[float]:
        """The model's log-odds of every one of `n` rows; `cols[j]` is column `columns[j]`."""
        fn = self._compiled
        if fn is None:
            fn = _compile_trees(self)
            object.__setattr__(self, "_compiled", fn)
        return fn(n, *cols)


def _compile_trees(model: TreeModel) -> Callable[..., list[float]]:
    """The ensemble as one Python function of the columns, compiled once: every tree an
    if/else nest over the row's values (the same comparisons and the same order of sums as
    walking the trees node by node, so the same floats, about 5x faster)."""
    used = sorted({j for f, _, _ in model.trees for j in f})
    lines = ["def predict(n, " + "".join(f"c{j}, " for j in range(len(model.columns))) + "):"]
    if not used:
        lines.append(f"    return [{model.base!r}] * n")
    else:
        names = ", ".join(f"x{j}" for j in used)
        zipped = ", ".join(f"c{j}" for j in used)
        lines += ["    out = []", "    add = out.append", f"    for {names}, in zip({zipped}):",
                  f"        s = {model.base!r}"]

        def node(f: tuple[int, ...], t: tuple[float, ...], v: tuple[float, ...], k: int, pad: str) -> None:
            if k >= len(f):
                lines.append(f"{pad}s += {v[k - len(f)]!r}")
                return
            lines.append(f"{pad}if x{f[k]} > {t[k]!r}:")
            node(f, t, v, 2 * k + 2, pad + "    ")
            lines.append(f"{pad}else:")
            node(f, t, v, 2 * k + 1, pad + "    ")

        for f, t, v in model.trees:
            node(f, t, v, 0, "        ")
        lines += ["        add(s)", "    return out"]
    scope: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<trees {model.doc[:40]!r}>", "exec"), scope)
    return scope["predict"]  # type: ignore[no-any-return]


def _tree_model(where: str, data: Any, problems: list[str]) -> TreeModel | None:
    """A `trees:` entry, checked: columns named, every tree complete, numbers finite."""
    before = len(problems)
    if not isinstance(data, dict) or set(data) != {"doc", "columns", "base", "trees"}:
        problems.append(f"{where}: expected doc, columns, base and trees")
        return None
    cols = data["columns"]
    if not isinstance(cols, list) or not all(isinstance(c, str) and _NAME.match(c) for c in cols):
        problems.append(f"{where}: columns: expected a list of lower_case names")
        return None
    if not isinstance(data["doc"], str) or not data["doc"].strip():
        problems.append(f"{where}: doc must say what the model does")
    if isinstance(data["base"], bool) or not isinstance(data["base"], (int, float)):
        problems.append(f"{where}: base: expected a number")
    trees = []
    for k, t in enumerate(data["trees"] if isinstance(data["trees"], list) else [None]):
        if not isinstance(t, dict) or set(t) != {"f", "t", "v"}:
            problems.append(f"{where}: trees[{k}]: expected f (columns), t (thresholds) and v (leaves)")
            continue
        f, th, v = t["f"], t["t"], t["v"]
        nums = [x for x in list(th) + list(v)]
        if (
            not isinstance(f, list) or not isinstance(th, list) or not isinstance(v, list)
            or len(f) != len(th) or len(v) != len(f) + 1 or len(v) & (len(v) - 1)
        ):
            problems.append(f"{where}: trees[{k}]: a complete tree has 2^d leaves and 2^d - 1 nodes")
            continue
        if any(c not in cols for c in f):
            problems.append(f"{where}: trees[{k}]: a node names a column not in `columns`")
            continue
        if any(isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) for x in nums):
            problems.append(f"{where}: trees[{k}]: thresholds and leaves must be numbers")
            continue
        trees.append((tuple(cols.index(c) for c in f), tuple(map(float, th)), tuple(map(float, v))))
    if len(problems) > before:
        return None
    return TreeModel(doc=data["doc"], columns=tuple(cols), base=float(data["base"]), trees=tuple(trees))


@dataclass(slots=True)
class RuleSet:
    """Every loaded rule plus the stoplists, with one RE2 Set over all patterns."""

    files: list[RuleFile]
    rules: list[Rule]
    stoplists: dict[str, frozenset[str]]
    params: dict[str, Any]  # every declared parameter's value, by name
    schema: dict[str, ParamSpec] = field(default_factory=dict)
    trees: dict[str, TreeModel] = field(default_factory=dict)  # fitted models by name (story_model.yaml)
    _set: Any = field(default=None, repr=False)
    _order: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Rule] = field(default_factory=dict, repr=False)
    _longest: int = field(default=0, repr=False)
    stop_index: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    cue_ids: frozenset[str] = field(default_factory=frozenset, repr=False)  # the non-final rules'
    digest: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self.digest = rules_digest(self)
        # Matches are reported by priority (highest first), then load order.
        self._order = {r.id: (-r.priority, i) for i, r in enumerate(self.rules)}
        self._by_id = {r.id: r for r in self.rules}
        self.cue_ids = frozenset(r.id for r in self.rules if not r.final)
        index: dict[str, list[str]] = {}
        for lang in sorted(self.stoplists):
            for word in self.stoplists[lang]:
                index.setdefault(word, []).append(lang)
        self.stop_index = {w: tuple(langs) for w, langs in index.items()}
        # No rule looks at a block longer than this: long paragraphs skip the Set altogether.
        self._longest = max((r.max_words for r in self.rules), default=0)
        self._set = _compile_set([r.pattern for r in self.rules])

    def match(self, text: str, host: str | None = None, words: int | None = None) -> list[Rule]:
        """Rules that apply to `text` (of `words` words, counted if not given), by priority then
        load order, from one pass of the Set."""
        if words is None:
            words = len(text.split())
        if words > self._longest:
            return []  # longer than any rule allows
        hits = self._set.Match(text)
        if not hits:
            return []
        # `r.fits(text, words) and r.in_scope(host)`, written out (no two calls per hit)
        out = [r for r in map(self.rules.__getitem__, hits)
               if r.min_words <= words <= r.max_words and (not r.sites or r.in_scope(host))]
        if len(out) > 1:
            out.sort(key=lambda r: self._order[r.id])
        return out

    def by_id(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None (context decisions and markup hints have no rule)."""
        return self._by_id.get(rule_id)

    def describe(self) -> list[dict[str, Any]]:
        """The rule files with their version and rule ids (for `GET /v1/rules`)."""
        return [
            {"file": f.name, "version": f.version, "description": f.description,
             "rules": [r.id for r in f.rules]}
            for f in self.files
        ]


def rules_digest(rs: RuleSet) -> str:
    """`rules_version`: a digest of what was loaded from the rule files (every file's name and
    version, every rule's fields, the parameters, the stoplists), so two machines with the same
    rules give the same digest wherever the files live, and any edit changes it."""
    rule_fields = ("id", "role", "pattern", "reason", "min_words", "max_words", "final", "weight",
                   "where", "kind", "priority", "sites")
    desc = {
        "files": [[f.name, f.version] for f in rs.files],
        "rules": [[getattr(r, k) for k in rule_fields] for r in rs.rules],
        "params": rs.params,
        "stoplists": {lang: sorted(words) for lang, words in sorted(rs.stoplists.items())},
    }
    raw = json.dumps(desc, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


def builtin_rules_dir() -> Path:
    """The built-in rules: `cleaner/rules` in an installed wheel, `rules/` in a checkout."""
    here = Path(__file__).resolve().parent
    for cand in (here / "rules", here.parent / "rules"):
        if (cand / "boilerplate.yaml").is_file():
            return cand
    raise RuleError([f"built-in rules not found next to {here}"])


def rule_dirs_from_env(env: dict[str, str] | None = None) -> list[Path]:
    """Extra rule folders named by `CLEANER_RULES` (OS path separator between them)."""
    value = (os.environ if env is None else env).get("CLEANER_RULES", "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def validate_rule(data: Any, where: str) -> list[str]:
    """Every problem of one rule mapping, as `"<where>.<key>: message"` strings."""
    if not isinstance(data, dict):
        return [f"{where}: expected a mapping, got {type(data).__name__}"]
    problems = [f"{where}.{k}: unknown key" for k in data if k not in _RULE_KEYS]
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(f"{where}.name: required, snake_case")
    if data.get("role") not in ROLES:
        problems.append(f"{where}.role: {data.get('role')!r} is not one of {', '.join(ROLES)}")
    for key in ("pattern", "reason"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"{where}.{key}: required, a non-empty string")
    if isinstance(data.get("pattern"), str):
        try:
            re2.compile(data["pattern"], _options())
        except re2.error as exc:
            problems.append(f"{where}.pattern: not valid RE2: {exc}")
    for key in ("min_words", "max_words"):
        if key in data and (not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 0):
            problems.append(f"{where}.{key}: expected a whole number >= 0")
    if "final" in data and not isinstance(data["final"], bool):
        problems.append(f"{where}.final: expected true or false")
    if "weight" in data and not isinstance(data["weight"], (int, float)):
        problems.append(f"{where}.weight: expected a number")
    if data.get("where", "anywhere") not in WHERE:
        problems.append(f"{where}.where: expected one of {', '.join(WHERE)}")
    if "priority" in data and (not isinstance(data["priority"], int) or isinstance(data["priority"], bool)):
        problems.append(f"{where}.priority: expected a whole number")
    if "kind" in data and not isinstance(data["kind"], str):
        problems.append(f"{where}.kind: expected a string")
    for key in ("sites", "examples", "counter_examples"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            problems.append(f"{where}.{key}: expected a list of strings")
    if not data.get("examples"):
        problems.append(f"{where}.examples: at least one example is required")
    return problems


def _build_rule(stem: str, data: dict[str, Any]) -> Rule:
    return Rule(
        id=f"{stem}.{data['name']}",
        role=data["role"],
        pattern=data["pattern"],
        regex=re2.compile(data["pattern"], _options()),
        reason=data["reason"],
        min_words=data.get("min_words", 0),
        max_words=data.get("max_words", 10**9),
        final=data.get("final", True),
        weight=float(data.get("weight", 0.0)),
        where=data.get("where", "anywhere"),
        kind=data.get("kind"),
        priority=data.get("priority", 50),
        sites=tuple(s.lower() for s in data.get("sites", [])),
        examples=tuple(data.get("examples", [])),
        counter_examples=tuple(data.get("counter_examples", [])),
    )


def _load_file(path: Path, problems: list[str]) -> RuleFile | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot be read as YAML: {exc}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected a mapping with `version` and `rules`")
        return None
    before = len(problems)
    if "version" not in data:
        problems.append(f"{path.name}: version: required")
    extra = set(data) - {"version", "description", "rules", "params", "trees"}
    problems.extend(f"{path.name}: {k}: unknown key" for k in sorted(extra))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.append(f"{path.name}: rules: expected a list")
        raw_rules = []
    for i, item in enumerate(raw_rules):
        problems.extend(validate_rule(item, f"{path.name}: rules[{i}]"))
    if len(problems) > before:
        return None
    rules = [_build_rule(path.stem, item) for item in raw_rules]
    for rule in rules:  # a rule must match its examples and none of its counter-examples
        problems.extend(
            f"{path.name}: {rule.id}: example does not match: {ex!r}"
            for ex in rule.examples if rule.regex.search(ex) is None
        )
        problems.extend(
            f"{path.name}: {rule.id}: counter-example matches: {ex!r}"
            for ex in rule.counter_examples if rule.applies(ex)
        )
    raw_params = data.get("params", {})
    if not isinstance(raw_params, dict):
        problems.append(f"{path.name}: params: expected a mapping of names")
        raw_params = {}
    values: dict[str, Any] = {}
    declared: dict[str, ParamSpec] = {}
    for name, item in raw_params.items():
        if isinstance(item, dict):
            spec = _param_spec(path.name, str(name), item, problems)
            if spec is not None:
                declared[spec.name] = spec
                values[spec.name] = item["value"]
        else:
            values[str(name)] = item
    trees: dict[str, TreeModel] = {}
    raw_trees = data.get("trees", {})
    if not isinstance(raw_trees, dict):
        problems.append(f"{path.name}: trees: expected a mapping of names")
        raw_trees = {}
    for name, item in raw_trees.items():
        model = _tree_model(f"{path.name}: trees: {name}", item, problems)
        if model is not None:
            trees[str(name)] = model
    description = str(data.get("description", ""))
    rf = RuleFile(path.stem, str(path), data.get("version"), description, rules, values, declared, trees)
    return rf


_PARAM_KEYS = {"value", "type", "min", "max", "doc"}


def _param_spec(where: str, name: str, item: dict[str, Any], problems: list[str]) -> ParamSpec | None:
    """A parameter declaration, checked: every key present, the value of its type and in range."""
    before = len(problems)
    if _NAME.search(name) is None:
        problems.append(f"{where}: params: {name}: names are lower_case_with_underscores")
    missing = sorted(_PARAM_KEYS - set(item))
    extra = sorted(set(item) - _PARAM_KEYS)
    if missing:
        problems.append(f"{where}: params: {name}: missing {', '.join(missing)}")
    if extra:
        problems.append(f"{where}: params: {name}: unknown key {', '.join(extra)}")
    if item.get("type") not in PARAM_TYPES:
        problems.append(f"{where}: params: {name}: type must be one of {', '.join(PARAM_TYPES)}")
    for bound in ("min", "max"):
        if bound in item and (isinstance(item[bound], bool) or not isinstance(item[bound], (int, float))):
            problems.append(f"{where}: params: {name}: {bound} must be a number")
    if not str(item.get("doc", "")).strip():
        problems.append(f"{where}: params: {name}: doc must say what it does")
    if len(problems) > before:
        return None
    spec = ParamSpec(name, item["type"], item["min"], item["max"], str(item["doc"]).strip(), where)
    why = spec.problem(item["value"])
    if why is not None:
        problems.append(f"{where}: params: {name}: {why}")
        return None
    return spec


def _builtin_schema() -> tuple[dict[str, ParamSpec], dict[str, Any]]:
    """The built-in parameters' declarations and values (to validate other folders alone)."""
    problems: list[str] = []
    schema: dict[str, ParamSpec] = {}
    values: dict[str, Any] = {}
    for path in sorted(builtin_rules_dir().glob("*.yaml")):
        rf = _load_file(path, problems)
        if rf is not None:
            schema.update(rf.declared)
            values.update({k: rf.params[k] for k in rf.declared})
    if problems:
        raise RuleError(problems)
    return schema, values


_BUILTIN_PARAMS: dict[str, Any] | None = None


def builtin_params() -> dict[str, Any]:
    """The built-in parameters' values (loaded once), for callers that hold no rule set."""
    global _BUILTIN_PARAMS
    if _BUILTIN_PARAMS is None:
        _BUILTIN_PARAMS = _builtin_schema()[1]
    return _BUILTIN_PARAMS


def _merge_params(
    rf: RuleFile, builtin: bool, schema: dict[str, ParamSpec], values: dict[str, Any], problems: list[str],
) -> None:
    """Built-in files declare parameters (each name once); other folders override declared ones."""
    where = Path(rf.path).name
    if builtin:
        for name, spec in rf.declared.items():
            if name in schema:
                problems.append(f"{where}: params: {name}: declared again (also in {schema[name].file})")
                continue
            schema[name] = spec
            values[name] = rf.params[name]
        for name in sorted(set(rf.params) - set(rf.declared)):
            problems.append(
                f"{where}: params: {name}: a built-in parameter needs value, type, min, max and doc"
            )
        return
    # Another folder sets values of declared parameters (a full declaration counts as its value).
    for name, value in rf.params.items():
        spec = schema.get(name)
        if spec is None:
            problems.append(f"{where}: params: {name}: no such parameter")
            continue
        why = spec.problem(value)
        if why is not None:
            problems.append(f"{where}: params: {name}: {why}")
            continue
        if values.get(name) != value:
            log.info("rules: %s sets %s = %r (built-in %r)", rf.path, name, value, values.get(name))
        values[name] = value


def load_ruleset(extra_dirs: list[Path] | None = None, *, builtin: bool = True) -> RuleSet:
    """Load the built-in rules, then `extra_dirs` (default: `CLEANER_RULES`), or raise RuleError."""
    dirs = ([builtin_rules_dir()] if builtin else []) + list(
        rule_dirs_from_env() if extra_dirs is None else extra_dirs
    )
    problems: list[str] = []
    files: list[RuleFile] = []
    # The parameters are declared by the built-in files, even when only other folders are
    # loaded (to validate them alone); other folders may override their values.
    schema: dict[str, ParamSpec] = {}
    params: dict[str, Any] = {}
    if not builtin:
        schema, params = _builtin_schema()
    stoplists: dict[str, frozenset[str]] = {}
    for d in dirs:
        if not d.is_dir():
            problems.append(f"{d}: not a folder of rule files")
            continue
        is_builtin = builtin and d == dirs[0]
        for path in sorted(d.glob("*.yaml")):
            rf = _load_file(path, problems)
            if rf is not None:
                files.append(rf)
                _merge_params(rf, is_builtin, schema, params, problems)
        for path in sorted((d / "stoplists").glob("*.txt")):
            words = path.read_text(encoding="utf-8").split()
            stoplists[path.stem] = frozenset(w.lower() for w in words)
    trees: dict[str, TreeModel] = {}
    for rf in files:  # a later folder's model of the same name replaces the built-in one
        for name, model in rf.trees.items():
            if name in trees:
                log.warning("%s: trees: %s replaces the one loaded before", rf.path, name)
            trees[name] = model
    seen: dict[str, str] = {}
    for rf in files:
        for rule in rf.rules:
            if rule.id in seen:
                problems.append(f"{rf.path}: duplicate rule id {rule.id} (also in {seen[rule.id]})")
            seen[rule.id] = rf.path
    if problems:
        raise RuleError(problems)
    return RuleSet(files=files, rules=[r for f in files for r in f.rules], stoplists=stoplists, params=params,
                   schema=schema, trees=trees)
