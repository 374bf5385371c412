"""What a worker does: items in, serialised rows out (the local pool and Dask both call it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings
from ..errors import InputError, UndecodableInput
from ..records import Fields, clean_record, error_row, json_type

# An item is one of:
#   ("line", line_number, raw_bytes)          a JSONL line, parsed by the worker
#   ("doc", doc_id, "text"|"html", raw_bytes) a file of a folder, or a single file
#   ("row", row_dict)                         a row already decided by the reader (unreadable file)
Item = tuple[Any, ...]
Rows = list[tuple[bool, str]]  # (ok, serialised row) per item of a chunk


@dataclass(frozen=True)
class Options:
    """Everything a worker needs to turn items into rows; small and picklable."""

    fields: Fields = field(default_factory=Fields)
    settings: Settings = field(default_factory=Settings)
    explain: bool = True
    profiles: Any = None  # a profiles.SiteProfiles, or None
    precise: bool | None = None  # HTML records: clean()'s `precise` (None: its default)


def dump_row(row: dict[str, Any]) -> str:
    """One row as a JSON line (fixed key order, UTF-8 kept, newline-terminated)."""
    try:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800-style escapes: keep them escaped
        line = json.dumps(row, ensure_ascii=True, separators=(",", ":"))
    return line + "\n"


def item_to_row(item: Item, options: Options) -> dict[str, Any]:
    """Parse, decode and clean one item."""
    kind = item[0]
    if kind == "row":
        return item[1]
    if kind == "line":
        _, line_no, raw = item
        try:
            record = json.loads(raw)
        except UnicodeDecodeError as exc:
            exc_ = UndecodableInput(f"line {line_no} is not valid UTF-8: {exc}")
            return error_row(None, exc_, line=line_no)
        except ValueError as exc:
            return error_row(None, InputError(f"line {line_no} is not JSON: {exc}"), line=line_no)
        if not isinstance(record, dict):
            return error_row(
                None, InputError(f"line {line_no} is {json_type(record)}, not a JSON object"), line=line_no
            )
        return clean_record(
            record, fields=options.fields, settings=options.settings, explain=options.explain,
            profiles=options.profiles, precise=options.precise,
        )
    _, doc_id, doc_kind, raw = item
    # A file's bytes go to clean() as they are: it decodes text and HTML alike (a BOM, UTF-8,
    # then detection) and reports the encoding in the row. JSONL is UTF-8 by definition.
    key = options.fields.text if doc_kind == "text" else options.fields.html
    record: dict[str, Any] = {options.fields.id: doc_id, key: raw}
    return clean_record(
        record, fields=options.fields, settings=options.settings, explain=options.explain,
        profiles=options.profiles, precise=options.precise,
    )


def process_chunk(items: list[Item], options: Options) -> list[tuple[bool, str]]:
    """What a worker runs (local pool or Dask): items in, (ok, serialised row) out, same order."""
    out = []
    for item in items:
        row = item_to_row(item, options)
        out.append((bool(row["ok"]), dump_row(row)))
    return out
