"""cleaner: raw scraped news text (or HTML) in, a clean, structured, explained article out.

    >>> from cleaner import clean
    >>> clean("Title\\n\\nSome story text.").to_dict()["title"]
    'Title'
"""

from __future__ import annotations

# First: decides whether the compiled core or its pure-Python source is loaded (cleaner/_build.py).
from . import _build
from ._version import __version__
from .config import Settings
from .engine import clean, default_ruleset
from .errors import (
    CleanerError,
    DeadlineExceeded,
    InputError,
    InputTooLarge,
    RuleError,
    UndecodableInput,
)
from .model import BlockItem, BodyItem, Caption, CleanResult, RelatedItem, RemovedItem
from .ruleset import RuleSet, load_ruleset

build = _build.build  # which build of the core is loaded: {"kind": "compiled" | "pure-python", ...}

__all__ = [
    "BlockItem",
    "BodyItem",
    "Caption",
    "CleanResult",
    "CleanerError",
    "DeadlineExceeded",
    "InputError",
    "InputTooLarge",
    "RelatedItem",
    "RemovedItem",
    "RuleError",
    "RuleSet",
    "Settings",
    "UndecodableInput",
    "__version__",
    "build",
    "clean",
    "default_ruleset",
    "load_ruleset",
]
