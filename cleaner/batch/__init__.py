"""Batch cleaning: records in, one JSON row per record out, in input order, in bounded memory.

The pieces, front to back:

- `readers`: `read_items(inputs)` streams *items* out of JSONL files (plain, `.gz`, `.zst`),
  folders of `.txt` / `.html` files, single files and stdin.
- `rows`: `process_chunk(items, options)` is what a worker runs: items in, serialised rows out,
  each row built by `cleaner.records.clean_record` (the HTTP service's batch rows too). The
  local pool and Dask both call it, so both engines write byte-identical output.
- `local` / `dask_engine`: the engines; `run_ordered(...)` keeps a bounded window of chunks in
  flight and yields rows in input order.
- `sinks`: `JsonlSink` / `FolderSink` write rows (or one file per document) and resume.
- `progress`: counts, rate and ETA on stderr.  `profiles`: corpus-level site profiles.
- `run`: `run_batch(...)`, the whole run.
"""

from __future__ import annotations

from ..records import Fields, clean_record, error_row
from .progress import Summary
from .readers import InputsError, check_inputs, read_items
from .rows import Item, Options, dump_row, process_chunk
from .run import learn_profiles, run_batch
from .sinks import FolderSink, JsonlSink, complete_rows

__all__ = [
    "Fields",
    "FolderSink",
    "InputsError",
    "Item",
    "JsonlSink",
    "Options",
    "Summary",
    "check_inputs",
    "clean_record",
    "complete_rows",
    "dump_row",
    "error_row",
    "learn_profiles",
    "process_chunk",
    "read_items",
    "run_batch",
]
