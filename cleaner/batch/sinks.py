"""Writing rows: a JSONL file (or stdout), or a folder of one file per document; resuming."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from ..model import CleanResult
from .rows import dump_row


def complete_rows(path: Path) -> int:
    """Cut a partial last line off `path` and return how many complete rows it holds."""
    if not path.exists():
        return 0
    count = 0
    last_end = 0
    pos = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            n = block.count(b"\n")
            if n:
                count += n
                last_end = pos + block.rindex(b"\n") + 1
            pos += len(block)
    if last_end != pos:
        with open(path, "r+b") as f:
            f.truncate(last_end)
    return count


class JsonlSink:
    """Rows to a JSONL file (or stdout)."""

    def __init__(self, path: str, resume: bool):
        self.path = path
        self.done = 0
        if path == "-":
            self.f: IO[bytes] = sys.stdout.buffer
            self.close_f = False
            return
        if resume:
            self.done = complete_rows(Path(path))
        self.f = open(path, "ab" if resume else "wb")  # noqa: SIM115
        self.close_f = True

    def write(self, line: str, row_number: int) -> None:
        self.f.write(line.encode("utf-8"))

    def flush(self) -> None:
        self.f.flush()

    def close(self) -> None:
        self.f.flush()
        if self.close_f:
            self.f.close()


_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def safe_name(doc_id: Any) -> str:
    """A file name from an id: unsafe characters become `_`; empty when nothing is left."""
    if doc_id is None or isinstance(doc_id, (dict, list, bool)):
        return ""
    out: list[str] = []
    in_run = False
    for ch in str(doc_id):  # each run of unsafe characters becomes one "_" (plain code, no regex)
        if ch in _SAFE:
            out.append(ch)
            in_run = False
        elif not in_run:
            out.append("_")
            in_run = True
    name = "".join(out).strip("._")
    return name[:150]


class FolderSink:
    """One `.txt` / `.md` file per document in a folder, plus `index.jsonl` (one row per record).

    Index rows are `{"id", "ok": true, "file"}` or the usual error row; resuming reads the index.
    """

    INDEX = "index.jsonl"

    def __init__(self, folder: str, fmt: str, resume: bool):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ext = ".md" if fmt == "markdown" else ".txt"
        self.fmt = fmt
        index = self.folder / self.INDEX
        self.used: set[str] = {self.INDEX}
        self.done = 0
        if resume and index.exists():
            self.done = complete_rows(index)
            with open(index, "rb") as f:
                self.used.update(name for line in f if (name := json.loads(line).get("file")))
        self.index = open(index, "ab" if resume else "wb")  # noqa: SIM115

    def _name(self, doc_id: Any, row_number: int) -> str:
        name = safe_name(doc_id)
        cand = name + self.ext if name else ""
        if not cand or cand in self.used:
            cand = f"record-{row_number:08d}{self.ext}"
            k = 1
            while cand in self.used:
                cand = f"record-{row_number:08d}-{k}{self.ext}"
                k += 1
        self.used.add(cand)
        return cand

    def write(self, line: str, row_number: int) -> None:
        row = json.loads(line)
        if row["ok"]:
            name = self._name(row["id"], row_number)
            res = CleanResult(
                title=row["title"], standfirst=row["standfirst"], byline=row.get("byline"),
                source=row["source"], body=row["body"], captions=row["captions"],
                related=row.get("related", []), language=row.get("language"),
                page=row.get("page") or {}, url=row.get("url"),
            )
            content = res.to_markdown() if self.fmt == "markdown" else res.text + ("\n" if res.text else "")
            tmp = self.folder / (name + ".part")
            tmp.write_text(content, encoding="utf-8", errors="surrogatepass")
            os.replace(tmp, self.folder / name)
            index_row: dict[str, Any] = {"id": row["id"], "ok": True, "file": name}
        else:
            index_row = row
        self.index.write(dump_row(index_row).encode("utf-8"))

    def flush(self) -> None:
        self.index.flush()

    def close(self) -> None:
        self.index.close()
