"""The languages `clean(language=...)` accepts: ISO 639-1 codes (two letters)."""

from __future__ import annotations

from .errors import InputError

_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu
"""
ISO_639_1 = frozenset(_CODES.split())


def check_language(value: str) -> str:
    """The ISO 639-1 code of `value` ("en", "EN", "en-GB" and "pt_BR" give "en"/"pt"), or
    InputError naming what is allowed."""
    code = value.strip().replace("_", "-").split("-", 1)
    primary = code[0].lower()
    region_ok = len(code) == 1 or (code[1].isalnum() and 2 <= len(code[1]) <= 8)
    if primary in ISO_639_1 and region_ok:
        return primary
    raise InputError(
        f"`language` must be an ISO 639-1 code (two letters, optionally with a region as in "
        f"en-GB), not {value[:40]!r}; allowed: {', '.join(sorted(ISO_639_1))}"
    )
