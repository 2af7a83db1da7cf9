"""Every id_token check of the 1EdTech LTI 1.3 certification list, as one readable pipeline.

pylti1p3 skips ``aud``/``azp`` and never consumes nonces (design.md §7); these checks are
ours. Each step raises its own typed error (see :mod:`yrkesresan_lti.exceptions`), and the
order is fixed: cheap structural checks, then the signature, then the claims, and the
nonce is consumed last, so only a token that passed everything burns it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.exceptions import (
    ForeignTargetLinkUri,
    InvalidAudience,
    InvalidAuthorizedParty,
    InvalidClaim,
    InvalidIssuer,
    InvalidSignature,
    MalformedToken,
    NonceMismatch,
    NonceReplayed,
    RequestTooLarge,
    TokenExpired,
    TokenIssuedInFuture,
    UnknownKeyId,
    UnsupportedAlgorithm,
    UnsupportedMessageType,
    UnsupportedVersion,
)
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.claims_checks import require_claim, require_str
from yrkesresan_lti.lti.context import LaunchContext, MessageType
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.login import find_platform, is_our_uri, require_active
from yrkesresan_lti.lti.roles import MENTOR_SCOPE_CLAIM
from yrkesresan_lti.lti.stores import NonceStore, PlatformRegistration, PlatformStore
from yrkesresan_lti.untrusted import (
    MAX_IDENTIFIER,
    MAX_URL,
    http_url,
    loads_json,
    numeric_date,
    same_secret,
    unsafe_characters,
)

MAX_ID_TOKEN_BYTES = 64 * 1024
LEEWAY_SECONDS = 60
MAX_NONCE_TTL_SECONDS = 24 * 3600
"""A consumed nonce is remembered at most this long (its state lives 10 minutes)."""
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_MAYBE_UNSAFE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\x00")
"""Where a payload's strings can get NUL or a surrogate: the escapes ``\\u0000`` and
``\\ud800``–``\\udfff`` (a raw NUL is not JSON, and UTF-8 has no surrogates). A payload
without any (most) needs no walk over its strings; an escaped backslash before ``u0000``
matches too, and the walk decides."""

MAX_CUSTOM_VALUE = 1024
CLAIM_LIMITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("sub",), MAX_IDENTIFIER),
    ((c.DEPLOYMENT_ID,), MAX_IDENTIFIER),
    ((c.CONTEXT, "id"), MAX_IDENTIFIER),
    ((c.RESOURCE_LINK, "id"), MAX_IDENTIFIER),
    ((c.TARGET_LINK_URI,), MAX_URL),
    ((c.AGS_ENDPOINT, "lineitem"), MAX_URL),
    ((c.AGS_ENDPOINT, "lineitems"), MAX_URL),
    ((c.NRPS, "context_memberships_url"), MAX_URL),
    ((c.DEEP_LINKING_SETTINGS, "deep_link_return_url"), MAX_URL),
)
"""Claims we store or look up by, and their longest accepted value (their columns'). Longer
ones are refused with :class:`InvalidClaim`; names and titles are shortened instead
(:func:`yrkesresan_lti.lti.claims.build_context`)."""
SERVICE_URLS: tuple[tuple[str, ...], ...] = (
    (c.AGS_ENDPOINT, "lineitem"),
    (c.AGS_ENDPOINT, "lineitems"),
    (c.NRPS, "context_memberships_url"),
    (c.DEEP_LINKING_SETTINGS, "deep_link_return_url"),
)
"""Claims the tool later calls or sends the browser to: when present, each must be an http(s)
URL it can read (:func:`yrkesresan_lti.untrusted.http_url`), or the launch is refused before
it is stored: a score must not wait in the outbox for a URL no request can reach."""


@dataclass(frozen=True)
class IssuedState:
    """What the login stored with the state: the launch must match it."""

    issuer: str
    client_id: str
    nonce: str
    nonce_consumed: bool = False
    """True when the state's own single use already consumed the nonce (a sealed state)."""


class IdTokenValidator:
    """Validates an id_token against the state it answers and returns its LaunchContext."""

    def __init__(
        self,
        platforms: PlatformStore,
        nonces: NonceStore,
        jwks: JwksCache,
        *,
        tool_base_url: str,
        clock: Clock = SYSTEM_CLOCK,
        leeway_seconds: int = LEEWAY_SECONDS,
        id_factory: IdFactory = new_id,
    ) -> None:
        self.platforms = platforms
        self.nonces = nonces
        self.jwks = jwks
        self.tool_base_url = tool_base_url
        self.clock = clock
        self.leeway = leeway_seconds
        self.new_id = id_factory
        """The launch id of each valid launch (the seeded demo year sets a seeded one)."""

    def seconds(self) -> float:
        """Now, in seconds since the epoch (what ``exp`` and ``iat`` count)."""
        return self.clock.now().timestamp()

    def validate(self, id_token: str, issued: IssuedState) -> LaunchContext:
        registration = find_platform(self.platforms, issued.issuer, issued.client_id)
        check = _Checks(self, id_token, issued, registration)
        (
            check.size()
            .well_formed_jws()
            .algorithm()
            .key_id()
            .signature()
            .claim_values()
            .issuer()
            .audience()
            .authorized_party()
            .expiry()
            .issued_at()
            .nonce_matches()
            .deployment()
            .message_type()
            .version()
            .roles()
            .message_claims()
            .subject()
            .target_link_uri()
            .nonce_unused()
        )
        return c.build_context(check.claims, self.new_id(), issued.client_id)


@functools.lru_cache(maxsize=64)
def _rsa_public_key(n: str, e: str) -> rsa.RSAPublicKey:
    """The key of a JWK's ``n`` and ``e``, built once per process: named by its own numbers,
    it cannot go stale when the platform rotates keys (a new key has other numbers)."""
    return rsa.RSAPublicNumbers(
        int.from_bytes(_b64decode(e), "big"), int.from_bytes(_b64decode(n), "big")
    ).public_key()


def _b64decode(part: str) -> bytes:
    if not _BASE64URL.fullmatch(part):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class _Checks:
    """One id_token going through the steps; each returns ``self`` or raises."""

    def __init__(
        self,
        validator: IdTokenValidator,
        token: str,
        issued: IssuedState,
        registration: PlatformRegistration,
    ) -> None:
        self.v = validator
        self.token = token
        self.issued = issued
        self.registration = registration
        self.details = {"issuer": issued.issuer, "client_id": issued.client_id}
        self.header: dict[str, Any] = {}
        self.claims: dict[str, Any] = {}
        self.payload = b""
        self.jwk: dict[str, Any] = {}

    def size(self) -> _Checks:
        if len(self.token) > MAX_ID_TOKEN_BYTES:
            raise RequestTooLarge(
                f"the id_token has {len(self.token)} bytes (at most {MAX_ID_TOKEN_BYTES})",
                **self.details,
            )
        return self

    def well_formed_jws(self) -> _Checks:
        parts = self.token.split(".")
        try:
            if len(parts) != 3:
                raise ValueError("a compact JWS has three parts")
            header = loads_json(_b64decode(parts[0]), max_bytes=MAX_ID_TOKEN_BYTES)
            payload = _b64decode(parts[1])
            claims = loads_json(payload, max_bytes=MAX_ID_TOKEN_BYTES)
            if parts[2]:  # an empty signature is refused by the algorithm step
                _b64decode(parts[2])
            if not isinstance(header, dict) or not isinstance(claims, dict):
                raise ValueError("header and payload must be JSON objects")
        except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError) as err:
            raise MalformedToken(
                f"the id_token is not a well-formed JWS ({type(err).__name__})", **self.details
            ) from err
        self.header, self.claims, self.payload = header, claims, payload
        return self

    def algorithm(self) -> _Checks:
        alg = self.header.get("alg")
        if alg != "RS256":
            raise UnsupportedAlgorithm(
                f"the id_token is signed with {alg!r}; only RS256 is accepted",
                alg=str(alg)[:20],
                **self.details,
            )
        return self

    def key_id(self) -> _Checks:
        kid = self.header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise UnknownKeyId("the id_token header has no 'kid'", **self.details)
        self.jwk = self.v.jwks.key(self.registration.key_set_url, kid)
        if self.jwk.get("kty") != "RSA" or self.jwk.get("alg", "RS256") != "RS256":
            raise UnsupportedAlgorithm(
                f"the platform key {kid!r} is not an RS256 RSA key", kid=kid[:64], **self.details
            )
        return self

    def signature(self) -> _Checks:
        signing_input, _, signature = self.token.rpartition(".")
        try:
            key = _rsa_public_key(str(self.jwk["n"]), str(self.jwk["e"]))
            key.verify(
                _b64decode(signature),
                signing_input.encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (_CryptoInvalidSignature, ValueError, KeyError, UnicodeEncodeError) as err:
            raise InvalidSignature(
                "the id_token's signature does not verify with the platform's key "
                f"{self.header.get('kid')!r}",
                **self.details,
            ) from err
        return self

    def claim_values(self) -> _Checks:
        """Every string of every claim is free of NUL and surrogates; what we store or look
        up by fits its column; custom parameters and mentees are bounded too."""
        for path, text in _strings(self.claims, ()) if _MAYBE_UNSAFE.search(self.payload) else ():
            if unsafe_characters(text):
                self._invalid(path, "unsafe", "holds NUL or surrogate characters")
        for path, limit in CLAIM_LIMITS:
            value = _at(self.claims, path)
            if isinstance(value, str | int) and len(str(value)) > limit:
                self._invalid(path, "too_long", f"is longer than {limit} characters", limit)
        custom = self.claims.get(c.CUSTOM)
        for name, value in custom.items() if isinstance(custom, dict) else ():
            if len(name) > MAX_CUSTOM_VALUE or len(str(value)) > MAX_CUSTOM_VALUE:
                self._invalid((c.CUSTOM, name[:60]), "too_long", "is too long", MAX_CUSTOM_VALUE)
        for path in SERVICE_URLS:
            url = _at(self.claims, path)
            if url is not None and http_url(url) is None:
                self._invalid(path, "not_url", "is not an http(s) URL")
        scopes = _at(self.claims, (c.AGS_ENDPOINT, "scope"))
        if scopes is not None and not (
            isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)
        ):
            self._invalid((c.AGS_ENDPOINT, "scope"), "not_list", "is not a list of strings")
        mentees = self.claims.get(MENTOR_SCOPE_CLAIM)
        for sub in mentees if isinstance(mentees, list) else ():
            if len(str(sub)) > MAX_IDENTIFIER:
                self._invalid((MENTOR_SCOPE_CLAIM,), "too_long", "is too long", MAX_IDENTIFIER)
        return self

    def _invalid(self, path: tuple[str, ...], reason: str, what: str, limit: int = 0) -> NoReturn:
        claim = ".".join(path)[:200]
        message = f"the claim {claim} {what}"
        raise InvalidClaim(message, reason=reason, claim=claim, limit=str(limit), **self.details)

    def issuer(self) -> _Checks:
        if self.claims.get("iss") != self.issued.issuer:
            raise InvalidIssuer(
                f"iss {str(self.claims.get('iss'))[:200]!r} is not {self.issued.issuer!r}",
                **self.details,
            )
        return self

    def audience(self) -> _Checks:
        aud = self.claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if self.issued.client_id not in audiences:
            raise InvalidAudience(
                f"aud does not contain our client_id {self.issued.client_id!r}", **self.details
            )
        return self

    def authorized_party(self) -> _Checks:
        aud, azp = self.claims.get("aud"), self.claims.get("azp")
        several = isinstance(aud, list) and len(aud) > 1
        if (several and azp is None) or (azp is not None and azp != self.issued.client_id):
            raise InvalidAuthorizedParty(
                f"azp must be our client_id {self.issued.client_id!r}", **self.details
            )
        return self

    def _number(self, name: str, error: type[TokenExpired | TokenIssuedInFuture]) -> int:
        value = self.claims.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise error(f"the id_token has no numeric {name!r}", claim=name, **self.details)
        seconds = numeric_date(value)
        if seconds is None:
            self._invalid((name,), "range", "is not a finite date in seconds up to year 2100")
        return seconds

    def expiry(self) -> _Checks:
        if self._number("exp", TokenExpired) + self.v.leeway < self.v.seconds():
            raise TokenExpired(
                "the id_token has expired: check the clocks of the LMS and the tool server",
                **self.details,
            )
        return self

    def issued_at(self) -> _Checks:
        """``iat`` (required) and ``nbf`` (when present) are not in the future."""
        starts = [self._number("iat", TokenIssuedInFuture)]
        if "nbf" in self.claims:
            starts.append(self._number("nbf", TokenIssuedInFuture))
        if max(starts) - self.v.leeway > self.v.seconds():
            raise TokenIssuedInFuture(
                "the id_token is issued in the future: check the clocks of the LMS and the tool",
                **self.details,
            )
        return self

    def nonce_matches(self) -> _Checks:
        nonce = self.claims.get("nonce")
        if not isinstance(nonce, str) or not same_secret(nonce, self.issued.nonce):
            raise NonceMismatch("the id_token's nonce is not the one issued", **self.details)
        return self

    def deployment(self) -> _Checks:
        deployment_id = require_str(self.claims, c.DEPLOYMENT_ID, self.details)
        self.details["deployment_id"] = deployment_id[:100]
        require_active(self.registration, deployment_id)
        return self

    def message_type(self) -> _Checks:
        value = self.claims.get(c.MESSAGE_TYPE)
        if not isinstance(value, str) or value not in {m.value for m in MessageType}:
            raise UnsupportedMessageType(
                f"message_type {str(value)[:60]!r} is not supported",
                message_type=str(value)[:60],
                **self.details,
            )
        return self

    def version(self) -> _Checks:
        if self.claims.get(c.VERSION) != "1.3.0":
            raise UnsupportedVersion(
                f"LTI version {str(self.claims.get(c.VERSION))[:20]!r} is not 1.3.0",
                **self.details,
            )
        return self

    def roles(self) -> _Checks:
        roles = require_claim(self.claims, c.ROLES, list, self.details)
        if not all(isinstance(r, str) for r in roles):
            require_claim({}, c.ROLES, list, self.details)
        return self

    def message_claims(self) -> _Checks:
        if self.claims[c.MESSAGE_TYPE] == MessageType.RESOURCE_LINK:
            link = require_claim(self.claims, c.RESOURCE_LINK, dict, self.details)
            require_str(link, "id", self.details, claim=c.RESOURCE_LINK + ".id")
        else:
            settings = require_claim(self.claims, c.DEEP_LINKING_SETTINGS, dict, self.details)
            require_str(
                settings,
                "deep_link_return_url",
                self.details,
                claim=c.DEEP_LINKING_SETTINGS + ".deep_link_return_url",
            )
        return self

    def subject(self) -> _Checks:
        require_str(self.claims, "sub", self.details)
        return self

    def target_link_uri(self) -> _Checks:
        uri = require_str(self.claims, c.TARGET_LINK_URI, self.details)
        if not is_our_uri(uri, self.v.tool_base_url):
            raise ForeignTargetLinkUri(
                f"target_link_uri {uri[:200]} is not under {self.v.tool_base_url}",
                target_link_uri=uri[:200],
                base_url=self.v.tool_base_url,
                **self.details,
            )
        return self

    def nonce_unused(self) -> _Checks:
        if self.issued.nonce_consumed:  # by the state's single use, before these checks
            return self
        remaining = self._number("exp", TokenExpired) - int(self.v.seconds())
        ttl = min(max(remaining + 2 * self.v.leeway, 60), MAX_NONCE_TTL_SECONDS)
        if not self.v.nonces.consume(self.issued.issuer, self.issued.nonce, ttl):
            raise NonceReplayed(
                "this launch was already used (nonce replayed): start again from the LMS",
                **self.details,
            )
        return self


def _strings(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string (keys included) of a parsed JSON value, with the path to it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


def _at(claims: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = claims
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def claims_of(token: str) -> Mapping[str, Any]:
    """The (unverified) claims of a compact JWS, for tests and diagnostics only."""
    return dict(json.loads(_b64decode(token.split(".")[1])))
