"""The compiled core's breathing point: one function the interpreter runs as bytecode.

CPython hands the GIL to a thread that has asked for it (after waiting its switch interval,
5 ms) only where it runs bytecode: entering a Python function, a loop's jump back. The compiled
core's loops run none, so on a long document it held the GIL for a whole stage (up to a second
on 60,000 paragraphs) and starved the process's other threads (a gunicorn worker's heartbeat).
Entering `breathe()` is such a point: when no thread waits it costs a function call, else the
waiting thread runs. This module stays Python on purpose: it is not in `_compiled_modules.txt`
(compiled, the call would be C to C, and no switch could happen).
"""

from __future__ import annotations


def breathe() -> None:
    """Let a thread that waits for the GIL run (this function's bytecode is where CPython switches)."""
