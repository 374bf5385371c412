"""`clean()`: the one function every front end (API, CLI, batch, Dask) calls."""

from __future__ import annotations

import threading

from .config import Settings
from .core.pipeline import Deadline, clean_text
from .errors import InputError, InputTooLarge, UndecodableInput
from .limits import check_text
from .model import CleanResult
from .ruleset import RuleSet, load_ruleset
from .watchdog import guard

_lock = threading.Lock()
_default: RuleSet | None = None


def default_ruleset() -> RuleSet:
    """The built-in rules plus `CLEANER_RULES` folders, loaded once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load_ruleset()
    return _default


def clean(
    text: str | None = None,
    *,
    html: str | bytes | None = None,
    url: str | None = None,
    language: str | None = None,
    ruleset: RuleSet | None = None,
    settings: Settings | None = None,
    charset: str | None = None,
) -> CleanResult:
    """Clean one document given as `text` (str) or `html` (str or bytes); raises only CleanerError.

    Args:
        text: the raw scraped text.
        html: the page's HTML instead of text (`charset` names the encoding of bytes, if known).
        url: the page's URL: scopes site rules and helps HTML metadata.
        language: ISO 639-1 code; guessed from the text when None.
        ruleset: the rules to use (default: built-in plus `CLEANER_RULES`).
        settings: limits (default: `Settings.from_env()`).
    """
    if (text is None) == (html is None):
        raise InputError("give exactly one of `text` or `html`")
    if url is not None and not isinstance(url, str):
        raise InputError("`url` must be a string")
    if language is not None and not isinstance(language, str):
        raise InputError("`language` must be a string")
    settings = settings or Settings.from_env()
    ruleset = ruleset or default_ruleset()
    deadline = Deadline(settings.timeout_s)
    if text is not None:
        if not isinstance(text, str):
            raise InputError(f"`text` must be a str, not {type(text).__name__}")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # lone surrogates: not Unicode text, and RE2 refuses them
            raise UndecodableInput(
                f"`text` holds a lone surrogate ({text[exc.start]!r} at {exc.start}); "
                "decode its bytes with errors='replace' or give the bytes as `html`"
            ) from None
        if size > settings.max_bytes:
            raise InputTooLarge(f"text is {size} bytes, over the {settings.max_bytes}-byte cap")
        check_text(text, settings)
        with guard(deadline):
            return clean_text(text, ruleset, settings, url=url, language=language, deadline=deadline)
    if not isinstance(html, (str, bytes)):
        raise InputError(f"`html` must be str or bytes, not {type(html).__name__}")
    raw_size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if raw_size > settings.max_bytes:
        raise InputTooLarge(f"html is {raw_size} bytes, over the {settings.max_bytes}-byte cap")
    try:
        from .html.input import clean_html
    except ImportError:
        raise InputError("HTML input is not available in this build") from None
    with guard(deadline):
        return clean_html(html, ruleset, settings, url=url, language=language, deadline=deadline,
                          charset=charset)
