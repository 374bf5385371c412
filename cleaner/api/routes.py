"""The blueprint: thin views that parse a request, call `clean()` and shape the answer.

    POST /v1/clean          one document (text/plain, text/html or application/json)
    POST /v1/clean/batch    {"documents": [...]} -> {"results": [...]}, one bad row fails alone
    GET  /v1/rules          the loaded rule files, their versions and rule ids
    GET  /healthz           alive
    GET  /readyz            rules loaded and the engine runs
    GET  /metrics           Prometheus text format, summed over all workers
    GET  /openapi.json      the API's OpenAPI 3.1 description
"""

from __future__ import annotations

import codecs
import json
import time
import zlib
from dataclasses import replace
from importlib import resources
from typing import Any

import orjson
from flask import Blueprint, Response, current_app, g, request

from ..config import Settings
from ..engine import clean
from ..errors import CleanerError, DeadlineExceeded, InputError, InputTooLarge, UndecodableInput
from ..model import CleanResult
from ..records import clean_record, error_row
from ..ruleset import RuleSet
from . import lifecycle
from .errors import (
    ApiError,
    UnknownCharset,
    malformed_json,
    not_ready,
    too_deep,
    too_many_documents,
    unsupported_media_type,
)
from .metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE

bp = Blueprint("api", __name__)

try:  # under gunicorn, reading a malformed chunked body raises its ParseException
    from gunicorn.http.errors import ParseException as _GunicornParseError

    BODY_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, _GunicornParseError)
except ImportError:  # pragma: no cover - another WSGI server
    BODY_READ_ERRORS = (OSError, ValueError)

MEDIA_TYPES = ("text/plain", "text/html", "application/json")
FORMATS = ("json", "text", "markdown")
# The query parameters each endpoint knows; any other is a 400 naming these.
CLEAN_PARAMS = ("format", "explain", "url", "language", "precise")
BATCH_PARAMS = ("explain", "precise")
CONTENT_CODINGS = ("identity", "gzip", "x-gzip")
DOC_KEYS = {"text", "html", "url", "language"}
BOOL_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
MAX_NAMES_SHOWN = 20
READY_PROBE = "Readiness probe\n\nThe council voted on Tuesday to repair the old bridge before winter comes."


def _ruleset() -> RuleSet:
    return current_app.extensions["cleaner"]["ruleset"]


def _settings() -> Settings:
    return current_app.extensions["cleaner"]["settings"]


# --- reading the request -------------------------------------------------------------------

def read_body(max_bytes: int) -> bytes:
    """The request body, at most `max_bytes`, or InputTooLarge.

    Reads the WSGI input directly: with a chunked body (no Content-Length) Werkzeug's stream
    would stop quietly at its limit and hand over a truncated document, so here one byte
    past the cap is asked for, and getting it means the body is too large.
    """
    length = request.content_length
    if length is not None and length > max_bytes:
        raise InputTooLarge(f"the request body is {length} bytes, over the {max_bytes}-byte cap")
    stream = request.environ["wsgi.input"]
    want = length if length is not None else max_bytes + 1
    if length is None and not _has_body():
        want = 0
    parts: list[bytes] = []
    got = 0
    try:
        while got < want:
            chunk = stream.read(min(want - got, 1 << 20))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
    except BODY_READ_ERRORS as exc:  # a malformed chunked body, or the client went away
        detail = f"the request body could not be read: {exc}"
        raise ApiError(detail, 400, "bad-request", "Bad request") from None
    g.bytes_in = got
    lifecycle.reading_done()
    if length is not None and got < length:
        detail = f"the request body ended after {got} of its {length} bytes (Content-Length)"
        raise ApiError(detail, 400, "bad-request", "Bad request")
    if length is None and got > max_bytes:
        raise InputTooLarge(f"the chunked request body is over the {max_bytes}-byte cap")
    return b"".join(parts)


def _has_body() -> bool:
    env = request.environ
    chunked = "chunked" in env.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(env.get("wsgi.input_terminated"))


def check_query(allowed: tuple[str, ...]) -> None:
    """InputError for a query parameter this endpoint does not know (`?fromat=markdown`)."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise InputError(f"unknown query parameter(s) {', '.join(map(repr, unknown))}; allowed: "
                         f"{', '.join(allowed)}")


def request_body(max_bytes: int) -> bytes:
    """The request body, gunzipped when `Content-Encoding: gzip`, with the size cap applied to
    the decompressed bytes too (a gzip bomb is a 413, found after at most `max_bytes` + 64 KiB
    of output: the body is inflated in bounded pieces)."""
    coding = request.headers.get("Content-Encoding", "identity").strip().lower()
    body = read_body(max_bytes)
    if coding == "identity" or not coding:
        return body
    if coding not in CONTENT_CODINGS:
        raise unsupported_media_type(
            f"Content-Encoding {coding!r} is not supported; send the body as is, or gzip"
        )
    return gunzip(body, max_bytes)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """`data` inflated (gzip, several members too), at most `max_bytes`, else InputTooLarge."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = d.decompress(rest, INFLATE_PIECE)
            while True:
                size += len(chunk)
                if size > max_bytes:
                    raise InputTooLarge(
                        f"the gzip body inflates to over the {max_bytes}-byte cap"
                    )
                out.append(chunk)
                if d.eof or not d.unconsumed_tail:
                    break
                chunk = d.decompress(d.unconsumed_tail, INFLATE_PIECE)
            if not d.eof:
                raise zlib.error("the gzip stream is truncated")
            rest = d.unused_data.lstrip(b"\0")  # the next member (trailing zero padding is allowed)
    except zlib.error as exc:
        raise ApiError(f"the body is not valid gzip: {exc}", 400, "bad-request", "Bad request") from None
    return b"".join(out)


INFLATE_PIECE = 1 << 16  # bytes inflated at a time


def expects_body() -> bool:
    """The request announces a body (a Content-Length over 0, or chunked)."""
    return bool(request.content_length) or (request.content_length is None and _has_body())


def name_list(names: list[str], limit: int = MAX_NAMES_SHOWN) -> str:
    """At most `limit` names, quoted, then how many more: error details stay small."""
    shown = ", ".join(repr(n[:100]) for n in names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more ({len(names)} in all)"
    return shown


def _query_flag(name: str, default: bool | None) -> bool | None:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return BOOL_WORDS[value.strip().lower()]
    except KeyError:
        raise InputError(f"query parameter `{name}` must be true or false, not {value!r}") from None


def _query_format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise InputError(f"query parameter `format` must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def _charset(default: str | None) -> str | None:
    """The declared charset, checked to be a text encoding Python knows."""
    charset = request.mimetype_params.get("charset")
    if charset is None:
        return default
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        raise UnknownCharset(f"unknown charset {charset!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise UnknownCharset(f"{charset!r} is not a text encoding")
    return info.name


def parse_json(body: bytes) -> Any:
    """JSON from the body, or a 400 problem (malformed, or nested too deep).

    orjson reads well-formed UTF-8 JSON; whatever it refuses (malformed JSON, UTF-16 or -32,
    nesting past its limit, a lone surrogate escape, NaN, integers past 64 bits) is read again
    by the standard library, whose answer (the value, or its error) is the one given: the
    service accepts and refuses exactly what it did with the standard library alone."""
    if not body.strip():
        raise malformed_json("the request body is empty; expected a JSON object")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body)
    except RecursionError:
        raise too_deep("the JSON is nested too deep") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise malformed_json(f"the body is not valid JSON: {exc}") from None


def _check_str(value: Any, name: str, *, optional: bool) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        raise InputError(f"`{name}` must be a string, not {kind}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a \ud800-style escape: not text in any encoding
        raise UndecodableInput(f"`{name}` contains unpaired surrogate code points") from None
    return value


def document_args(data: Any, allowed: set[str] = DOC_KEYS) -> dict[str, Any]:
    """Keyword arguments of `clean()` from one JSON document, or InputError."""
    if not isinstance(data, dict):
        kind = "array" if isinstance(data, list) else type(data).__name__
        raise InputError(f"a document must be a JSON object, not {kind}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(f"unknown member(s) {name_list(unknown)}; allowed: {', '.join(sorted(allowed))}")
    has_text, has_html = "text" in data, "html" in data
    if has_text == has_html:
        raise InputError("give exactly one of `text` or `html`")
    args: dict[str, Any] = {}
    key = "text" if has_text else "html"
    args[key] = _check_str(data[key], key, optional=False)
    args["url"] = _check_str(data.get("url"), "url", optional=True)
    args["language"] = _check_str(data.get("language"), "language", optional=True)
    return args


def _query_str(name: str) -> str | None:
    value = request.args.get(name)
    return value if value else None


def _clean(settings: Settings | None = None, **kwargs: Any) -> CleanResult:
    """Call the engine with this app's rules and settings."""
    return clean(ruleset=_ruleset(), settings=settings or _settings(), **kwargs)


# --- views ---------------------------------------------------------------------------------

@bp.post("/v1/clean")
def clean_one() -> Response:
    """Clean one document. Raises 400, 413, 415, 422 problems (see the OpenAPI file)."""
    check_query(CLEAN_PARAMS)
    fmt = _query_format()
    explain = bool(_query_flag("explain", True))
    precise = _query_flag("precise", None)
    mimetype = request.mimetype
    if mimetype not in MEDIA_TYPES:
        got = f"{mimetype!r}" if mimetype else "no Content-Type"
        raise unsupported_media_type(f"got {got}; send one of {', '.join(MEDIA_TYPES)}")
    metrics = current_app.extensions["cleaner"]["metrics"]
    try:
        result = _clean_body(mimetype, _settings(), precise)
    except CleanerError:
        metrics.observe_documents(error=1)
        raise
    metrics.observe_documents(ok=1)
    return _render(result, fmt, explain)


def _clean_body(mimetype: str, settings: Settings, precise: bool | None = None) -> CleanResult:
    if mimetype in ("text/plain", "text/html"):
        # The same decoding for both (cleaner.decoding): a BOM, the declared charset, (the
        # page's <meta charset>,) UTF-8, then detection; the result's `encoding` says which.
        charset = _charset(None)
        body = request_body(settings.max_bytes)
        key = "text" if mimetype == "text/plain" else "html"
        return _clean(**{key: body}, charset=charset, url=_query_str("url"), language=_query_str("language"),
                      precise=precise)
    return _clean(**document_args(parse_json(request_body(settings.max_bytes))), precise=precise)


def _render(result: CleanResult, fmt: str, explain: bool) -> Response:
    if fmt == "text":
        text = result.text
        return Response(text + ("\n" if text else ""), mimetype="text/plain")
    if fmt == "markdown":
        return Response(result.to_markdown(), mimetype="text/markdown")
    return json_response(result.to_dict(explain=explain))


def json_body(data: Any) -> bytes:
    """`data` as compact UTF-8 JSON, by orjson (about 10x the standard library's speed on a
    result). Unpaired surrogates, which UTF-8 cannot carry (orjson refuses them), stay
    \\u-escaped by the standard library, as do integers past 64 bits."""
    try:
        return orjson.dumps(data)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def json_response(data: Any) -> Response:
    """`data` as a UTF-8 JSON response (`json_body`)."""
    return Response(json_body(data), mimetype="application/json")


@bp.post("/v1/clean/batch")
def clean_batch() -> Response:
    """Clean up to BATCH_MAX_DOCUMENTS documents; each row is a result or a problem."""
    check_query(BATCH_PARAMS)
    explain = bool(_query_flag("explain", True))
    precise = _query_flag("precise", None)
    if request.mimetype != "application/json":
        got = f"{request.mimetype!r}" if request.mimetype else "no Content-Type"
        raise unsupported_media_type(f"got {got}; a batch is application/json")
    settings = _settings()
    data = parse_json(request_body(settings.max_bytes))
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise InputError('a batch is a JSON object {"documents": [...]}')
    extra = sorted(set(data) - {"documents"})
    if extra:
        raise InputError(f"unknown member(s) {name_list(extra)}; allowed: documents")
    docs = data["documents"]
    limit = current_app.config["BATCH_MAX_DOCUMENTS"]
    if len(docs) > limit:
        raise too_many_documents(f"{len(docs)} documents, over the limit of {limit} per request")
    # The batch as a whole has a budget, so gunicorn's timeout stays a last resort.
    budget = current_app.config["BATCH_BUDGET_S"]
    end = time.monotonic() + budget
    metrics = current_app.extensions["cleaner"]["metrics"]
    results = []
    for doc in docs:
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        try:
            if doc_id is not None and (not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool)):
                doc_id = None
                raise InputError("`id` must be a string or an integer")
            document_args(doc, DOC_KEYS | {"id"})
            left = end - time.monotonic()
            if left <= 0:
                raise DeadlineExceeded(f"the batch used its {budget:g} s budget before this document")
        except CleanerError as exc:
            metrics.observe_documents(error=1)
            results.append(error_row(doc_id, exc, rules_version=_ruleset().digest))
            continue
        # The same row as `cleaner batch` writes, from the same function.
        doc_settings = replace(settings, timeout_s=min(settings.timeout_s, left))
        row = clean_record(doc, settings=doc_settings, ruleset=_ruleset(), explain=explain, precise=precise)
        metrics.observe_documents(ok=int(row["ok"]), error=int(not row["ok"]))
        results.append(row)
    return json_response({"results": results})


@bp.get("/v1/rules")
def rules() -> Response:
    """The loaded rule files with their versions and rule ids."""
    files = _ruleset().describe()
    body = {"files": files, "rule_count": sum(len(f["rules"]) for f in files),
            "rules_version": _ruleset().digest}
    return Response(json.dumps(body, default=str), mimetype="application/json")


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: the worker answers."""
    return Response(json.dumps({"status": "ok"}), mimetype="application/json")


@bp.get("/readyz")
def readyz() -> Response:
    """Ready: rules are loaded and a small document cleans."""
    ext = current_app.extensions["cleaner"]
    if lifecycle.DRAINING.is_set():
        raise not_ready("the server is shutting down (draining): send new requests elsewhere")
    try:
        result = clean(READY_PROBE, ruleset=ext["ruleset"], settings=ext["settings"])
    except Exception as exc:
        raise not_ready(f"the engine failed its probe: {exc}") from None
    if not result.body:
        raise not_ready("the engine kept nothing of the probe document")
    body = {"status": "ready", "rule_files": len(ext["ruleset"].files), "rules": len(ext["ruleset"].rules)}
    return Response(json.dumps(body), mimetype="application/json")


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format, summed over every worker."""
    return Response(current_app.extensions["cleaner"]["metrics"].render(), content_type=METRICS_CONTENT_TYPE)


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this service, with this server's batch limit."""
    ext = current_app.extensions["cleaner"]
    if "openapi" not in ext:
        spec = json.loads(openapi_text())
        docs = spec["components"]["schemas"]["BatchRequest"]["properties"]["documents"]
        docs["maxItems"] = int(current_app.config["BATCH_MAX_DOCUMENTS"])
        ext["openapi"] = json.dumps(spec, indent=1)
    return Response(ext["openapi"], mimetype="application/json")


def openapi_text() -> str:
    """The packaged `openapi.json`."""
    return resources.files("cleaner.api").joinpath("openapi.json").read_text(encoding="utf-8")


__all__ = ["ApiError", "bp", "document_args", "parse_json", "read_body"]
