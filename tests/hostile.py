"""Hostile input for the boundary tests: odd strings, raw JSON, tokens signed as the platform.

``sign_raw`` signs any header and payload *text* with the simulated platform's key, so claims
that ``json.dumps`` cannot write (``1e400``, nesting 5,000 deep) still pass the signature check
and reach the claim checks. ``hostile_text`` and ``hostile_json`` are the hypothesis
strategies of the fuzz tests.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import strategies as st

from yrkesresan_lti.testing.simulator import PlatformSimulator

NUL = "\x00"
LONE_SURROGATE = "\udc80"
RTL_OVERRIDE = "\u202e"
TEN_KB = "x" * 10_000
ONE_MB = "y" * 1_000_000


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_raw(sim: PlatformSimulator, header: str, payload: str) -> str:
    """A compact JWS over the exact ``header`` and ``payload`` texts, signed with the
    simulator's RS256 key (``surrogatepass``: a lone surrogate goes out as its bytes)."""
    signing_input = (
        b64(header.encode("utf-8", "surrogatepass"))
        + "."
        + b64(payload.encode("utf-8", "surrogatepass"))
    )
    key = serialization.load_pem_private_key(sim.key.private_key_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


def header_of(sim: PlatformSimulator) -> str:
    return json.dumps({"typ": "JWT", "alg": "RS256", "kid": sim.key.kid})


def form_body(fields: dict[str, Any]) -> bytes:
    """An urlencoded body of any values, lone surrogates included (the test client's own
    encoding refuses them; a browser or an attacker does not)."""
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            key = quote(str(name).encode("utf-8", "surrogatepass"), safe="")
            pairs.append(f"{key}={quote(str(item).encode('utf-8', 'surrogatepass'), safe='')}")
    return "&".join(pairs).encode("ascii")


hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from([NUL, LONE_SURROGATE, RTL_OVERRIDE + "evil", "a\x00b", TEN_KB, ONE_MB]),
    st.sampled_from(["NaN", "Infinity", "-1", "1e400", str(10**40), "[]", "{}", deep_json(50)]),
    st.builds(lambda a, b: a + b, st.text(max_size=10), st.sampled_from([NUL, LONE_SURROGATE])),
)
"""Strings a form or query field may carry."""

hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=1, max_size=3))
"""A field's value, or several values of the same field (an array where a string is due)."""

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([NUL, LONE_SURROGATE, RTL_OVERRIDE + "x", "x" * 300, TEN_KB]),
    st.text(max_size=20),
)
hostile_claim = st.sampled_from(
    [
        "Lina" + NUL,
        LONE_SURROGATE,
        "Lina " + LONE_SURROGATE,
        RTL_OVERRIDE + "anilorak",
        "x" * 300,
        TEN_KB,
        float("nan"),
        float("inf"),
        1e15,
        10**40,
        -1,
        ["a", NUL],
        {"id": NUL},
    ]
)
"""The values the probes of issue 12 used, each once tried where a claim is expected."""
hostile_key = st.one_of(
    st.text(max_size=6),
    st.sampled_from([LONE_SURROGATE, "k" + LONE_SURROGATE, NUL, "a\x00b", "x" * 300]),
)
"""An object's key in a token: the names are the sender's too."""

hostile_json = hostile_claim | st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_key, inner, max_size=3),
    max_leaves=8,
)
"""A claim's value: any JSON, with NaN/Infinity, huge integers, NUL, surrogates, long text."""
