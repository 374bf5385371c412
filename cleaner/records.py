"""Records to rows: one parsed record (a JSON object) in, its result row out.

The row of a record is `{"id", "ok": true, ...result}` or `{"id", "ok": false, "error": problem}`.
The HTTP service's batch endpoint and `cleaner batch` build their rows with these functions, so
both give the same rows. A thin layer over `clean()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import engine
from ._version import __version__
from .config import Settings
from .engine import clean
from .errors import CleanerError, InputError

MISSING_FIELD = "the record has neither"  # how the detail of a record without text or HTML starts
MAX_FIELDS_NAMED = 20


@dataclass(frozen=True)
class Fields:
    """Which record fields hold the text, the HTML, the id and the URL."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    url: str = "url"


def error_row(record_id: Any, exc: BaseException, *, rules_version: str | None = None,
              **extra: Any) -> dict[str, Any]:
    """The error row of a record: `{"id", "ok": false, "error": problem}` (+ `line` when known),
    with `cleaner_version` and `rules_version` (the default rules' when not given and loaded)."""
    if isinstance(exc, CleanerError):
        problem = exc.to_problem()
    else:  # a bug in the engine must not stop a million-document run; report it as a 500
        problem = CleanerError(f"{type(exc).__name__}: {exc}").to_problem()
    row: dict[str, Any] = {"id": record_id, "ok": False}
    row.update(extra)
    row["error"] = problem
    row["cleaner_version"] = __version__
    if rules_version is None and engine._default is not None:
        rules_version = engine._default.digest
    row["rules_version"] = rules_version
    return row


def clean_record(
    record: Any,
    *,
    fields: Fields | None = None,
    settings: Settings | None = None,
    ruleset: Any = None,
    explain: bool = True,
    profiles: Any = None,
    precise: bool | None = None,
) -> dict[str, Any]:
    """The row of one record: `{"id", "ok": true, ...result}` or `{"id", "ok": false, "error"}`.

    Args:
        record: a parsed JSON record (a dict with the text or HTML field; anything else is an
            error row).
        fields: field names (default `text`, `html`, `id`, `url`).
        settings: per-document limits (default `Settings.from_env()`).
        ruleset: the rules (default: the process's built-in rules plus `CLEANER_RULES`).
        explain: include `removed` and `blocks` in success rows.
        profiles: site profiles (`cleaner.batch.profiles.SiteProfiles`) applied after cleaning.
        precise: HTML records: `clean()`'s `precise` (None: its default).
    Never raises for a bad record: every failure becomes an error row.
    """
    f = fields or Fields()
    version = getattr(ruleset, "digest", None)
    if not isinstance(record, dict):
        return error_row(None, InputError(f"a record must be a JSON object, not {json_type(record)}"),
                         rules_version=version)
    record_id = record.get(f.id)
    text = record.get(f.text)
    html = record.get(f.html)
    try:
        if text is None and html is None:
            names = sorted(str(k) + (" (null)" if v is None else "") for k, v in record.items())
            more = f" and {len(names) - MAX_FIELDS_NAMED} more" if len(names) > MAX_FIELDS_NAMED else ""
            have = ", ".join(n[:60] for n in names[:MAX_FIELDS_NAMED]) + more if names else "none"
            raise InputError(f"{MISSING_FIELD} a `{f.text}` nor an `{f.html}` field; its fields: {have}")
        language = record.get("language")
        result = clean(
            text, html=html, url=record.get(f.url), language=language if isinstance(language, str) else None,
            ruleset=ruleset, settings=settings, precise=precise,
        )
        if profiles is not None:
            result = profiles.apply(result, text if isinstance(text, str) else None, record.get(f.url))
    except Exception as exc:  # every failure of one record is that record's row
        return error_row(record_id, exc, rules_version=version)
    return {"id": record_id, "ok": True, **result.to_dict(explain=explain)}


def json_type(value: Any) -> str:
    """How JSON would name the type of `value` ("an array", "a string", ...)."""
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
