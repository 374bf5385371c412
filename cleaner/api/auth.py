"""Optional API keys: with keys configured, `/v1/*` needs `Authorization: Bearer <key>`.

Keys come from `CLEANER_API_KEYS` (comma- or whitespace-separated) and/or the file named by
`CLEANER_API_KEYS_FILE` (one key a line; blank lines and `#` comments ignored). Neither set:
no key is needed (the default). Health, readiness, metrics and the OpenAPI document stay open.
A missing or wrong key is a 401 problem with `WWW-Authenticate: Bearer`. Keys are compared in
constant time (`hmac.compare_digest` against every key, no early exit) and never logged: the
access log has no Authorization header and the problem names no key.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from pathlib import Path

from flask import current_app, request

from .errors import ApiError

KEYS_ENV = "CLEANER_API_KEYS"
KEYS_FILE_ENV = "CLEANER_API_KEYS_FILE"
PROTECTED_PREFIX = "/v1/"


def load_api_keys(env: Mapping[str, str]) -> frozenset[str]:
    """The accepted keys from the environment (empty: keys are off)."""
    keys = set((env.get(KEYS_ENV) or "").replace(",", " ").split())
    path = env.get(KEYS_FILE_ENV)
    if path:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keys.add(line)
    return frozenset(keys)


def key_matches(given: str, keys: frozenset[str]) -> bool:
    """Constant time in the key: every configured key is compared, as bytes, to the end."""
    raw = given.encode("utf-8", "surrogateescape")
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(raw, key.encode("utf-8"))
    return ok


def unauthorized(detail: str) -> ApiError:
    return ApiError(detail, 401, "unauthorized", "Unauthorized",
                    headers={"WWW-Authenticate": 'Bearer realm="cleaner"'})


def check_api_key() -> None:
    """`before_request`: refuse `/v1/*` without a good bearer token when keys are configured."""
    keys = current_app.config.get("API_KEYS")
    if not keys or not request.path.startswith(PROTECTED_PREFIX):
        return
    if request.method == "OPTIONS":  # a CORS preflight carries no credentials (Fetch standard)
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("this server needs an API key: send `Authorization: Bearer <key>`")
    if not key_matches(token.strip(), keys):
        raise unauthorized("the API key is not valid")


__all__ = ["check_api_key", "key_matches", "load_api_keys"]
