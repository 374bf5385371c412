"""cleaner: raw scraped news text (or HTML) in, a clean, structured, explained article out.

    >>> from cleaner import clean
    >>> clean("Title\\n\\nSome story text.").to_dict()["title"]
    'Title'
"""

from __future__ import annotations

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
    "clean",
    "default_ruleset",
    "load_ruleset",
]
