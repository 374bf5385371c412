"""`clean()`: the one function every front end (API, CLI, batch, Dask) calls."""

from __future__ import annotations

import gc
import threading

from .config import Settings
from .core.pipeline import Deadline, clean_text
from .decoding import decode_bytes
from .errors import DeadlineExceeded, InputError, InputTooLarge, UndecodableInput
from .languages import check_language
from .limits import check_text
from .model import CleanResult
from .ruleset import RuleSet, load_ruleset
from .watchdog import guard

_lock = threading.Lock()
# HTML input: the main-content view from the markup (cleaner/html/main.py) unless `precise=True`
# asks for trafilatura's as a second opinion. Fast by default since it scores as well by site
# fold cross-validation (dev2 0.943 vs precise 0.938, trafilatura 0.938; dev 0.975 vs 0.961).
PRECISE_DEFAULT = False
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
    text: str | bytes | None = None,
    *,
    html: str | bytes | None = None,
    url: str | None = None,
    language: str | None = None,
    ruleset: RuleSet | None = None,
    settings: Settings | None = None,
    charset: str | None = None,
    precise: bool | None = None,
) -> CleanResult:
    """Clean one document given as `text` or `html`; raises only `CleanerError` subclasses.

    Args:
        text: the raw scraped text: a str, or bytes in any encoding (a BOM, then `charset`,
            then UTF-8, then detection; see `cleaner.decoding`).
        html: the page's HTML instead of text, str or bytes (a BOM, then `charset`, then the
            page's `<meta charset>`, then UTF-8, then detection).
        url: the page's URL: scopes site rules, helps HTML metadata, goes into the result and
            the Markdown front matter. Never fetched.
        language: an ISO 639-1 code (`en`, `de`; `en-GB` is read as `en`); guessed from the
            text when None.
        ruleset: the rules to use (default: the built-in rules plus `CLEANER_RULES` folders).
        settings: per-document limits, size cap and time budget (default: `Settings.from_env()`).
        charset: the encoding of `text` or `html` bytes when it is known (e.g. from a
            Content-Type header); a BOM still wins. Ignored for str input.
        precise: HTML only: True runs trafilatura's main-content extraction as a second
            opinion on which blocks are the story (slower); False finds the main-content
            container from the markup's own density and class evidence
            (`cleaner.html.main`, about 2.5x as fast); None (default) is `PRECISE_DEFAULT`
            (False). Ignored for text.

    Returns:
        A `CleanResult`: title, standfirst, byline, source, `body` items, `captions`,
        `related` items, `removed` blocks and the `blocks` audit trail, with `language`,
        `confidence`, `encoding` (None when a str was given), `warnings` (why the body is
        empty, when it is), `cleaner_version` and `rules_version`. `to_dict()` gives the
        JSON shape, `to_markdown()` Markdown with YAML front matter.

    Raises:
        InputError: neither or both of `text` and `html`, an argument of the wrong type, or a
            `language` that is not an ISO 639-1 code.
        InputTooLarge: the document is over `settings.max_bytes`.
        UndecodableInput: bytes that do not decode in the given or any detected charset, or
            that look like binary data; a str with lone surrogates.
        DeadlineExceeded: cleaning took longer than `settings.timeout_s`.
        RuleError: the default rules do not load (only when `ruleset` is None).
    """
    if (text is None) == (html is None):
        raise InputError("give exactly one of `text` or `html`")
    if url is not None and not isinstance(url, str):
        raise InputError("`url` must be a string")
    if language is not None and not isinstance(language, str):
        raise InputError("`language` must be a string")
    if charset is not None and not isinstance(charset, str):
        raise InputError("`charset` must be a string")
    if precise is not None and not isinstance(precise, bool):
        raise InputError("`precise` must be true or false")
    if language is not None:
        language = check_language(language)
    settings = settings or Settings.from_env()
    ruleset = ruleset or default_ruleset()
    deadline = Deadline(settings.timeout_s)
    try:
        if text is not None:
            result = _clean_text(text, ruleset, settings, url, language, deadline, charset)
        else:
            result = _clean_html(html, ruleset, settings, url, language, deadline, charset,
                             PRECISE_DEFAULT if precise is None else precise)
    except DeadlineExceeded as exc:
        if exc.args:
            raise
        # The watchdog's own (bare) exception, landed as its guard was left (cleaner/watchdog.py).
        raise DeadlineExceeded(f"cleaning took longer than the {deadline.budget:g} s budget") from None
    result.url = url
    return result


def _clean_text(text: str | bytes, ruleset: RuleSet, settings: Settings, url: str | None,
                language: str | None, deadline: Deadline, charset: str | None) -> CleanResult:
    encoding = None
    if isinstance(text, (bytes, bytearray)):
        if len(text) > settings.max_bytes:
            raise InputTooLarge(f"text is {len(text)} bytes, over the {settings.max_bytes}-byte cap")
        text, encoding = decode_bytes(bytes(text), charset)
    if not isinstance(text, str):
        raise InputError(f"`text` must be str or bytes, not {type(text).__name__}")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates: not Unicode text, and RE2 refuses them
        raise UndecodableInput(
            f"`text` holds a lone surrogate ({text[exc.start]!r} at {exc.start}); "
            "decode its bytes with errors='replace' or give the bytes as `text`"
        ) from None
    if size > settings.max_bytes:
        raise InputTooLarge(f"text is {size} bytes, over the {settings.max_bytes}-byte cap")
    check_text(text, settings)
    # A page makes thousands of small short-lived containers (blocks, token lists, rows, the
    # second look's copies) and no reference cycles that outlive it: the cyclic collector would
    # only re-scan them (two collections a page, about 8% of the time), so it waits, as it does
    # during the HTML walk (cleaner/html/input.py).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        with guard(deadline):
            result = clean_text(text, ruleset, settings, url=url, language=language, deadline=deadline)
    finally:
        if gc_was_on:
            gc.enable()
    result.encoding = encoding
    return result


def _clean_html(html: object, ruleset: RuleSet, settings: Settings, url: str | None,
                language: str | None, deadline: Deadline, charset: str | None,
                precise: bool) -> CleanResult:
    if not isinstance(html, (str, bytes)):
        raise InputError(f"`html` must be str or bytes, not {type(html).__name__}")
    raw_size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if raw_size > settings.max_bytes:
        raise InputTooLarge(f"html is {raw_size} bytes, over the {settings.max_bytes}-byte cap")
    try:
        from .html.input import clean_html
    except ImportError:
        raise InputError("HTML input is not available in this build") from None
    gc_was_on = gc.isenabled()
    gc.disable()  # as for text (`_clean_text`): a page's few cycles wait for the next collection
    try:
        with guard(deadline):
            return clean_html(html, ruleset, settings, url=url, language=language, deadline=deadline,
                              charset=charset, precise=precise)
    finally:
        if gc_was_on:
            gc.enable()
