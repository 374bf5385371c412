"""Typed errors of cleaner. Every error that may leave `clean()` is a `CleanerError`.

Each class carries what a front end needs to report it: an HTTP status, a problem `type` URI
slug and a short `title` (RFC 9457). The service and the batch runner map them without guessing.
"""

from __future__ import annotations

PROBLEM_BASE = "https://cleaner.dev/problems/"


class CleanerError(Exception):
    """Base of every error cleaner raises on purpose."""

    status = 500
    slug = "internal"
    title = "Internal error"

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def to_problem(self) -> dict[str, object]:
        """The RFC 9457 members of this error."""
        return {"type": self.type_uri, "title": self.title, "status": self.status, "detail": str(self)}


class InputError(CleanerError):
    """The input is not something `clean()` accepts (wrong type, both or neither of text/html)."""

    status = 400
    slug = "invalid-input"
    title = "Invalid input"


class InputTooLarge(InputError):  # noqa: N818 (the contract's name)
    """The document is over the size cap."""

    status = 413
    slug = "too-large"
    title = "Document too large"


class UndecodableInput(InputError):  # noqa: N818 (the contract's name)
    """Bytes that cannot be decoded in the declared or detected charset."""

    status = 422
    slug = "undecodable"
    title = "Undecodable input"


class DeadlineExceeded(CleanerError):  # noqa: N818 (the contract's name)
    """Cleaning one document took longer than its time budget."""

    status = 422
    slug = "deadline-exceeded"
    title = "Document over its time budget"


class RuleError(CleanerError):
    """Rule files that do not validate; `problems` lists every problem found."""

    status = 500
    slug = "rules"
    title = "Invalid rule files"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid rules:\n  " + "\n  ".join(self.problems))
