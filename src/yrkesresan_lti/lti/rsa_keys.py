"""RSA signing keys as the LTI flows need them: a PEM for signing, a public JWK to publish."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from yrkesresan_lti.lti.stores import SigningKey


def _b64_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(key: rsa.RSAPublicKey, kid: str | None = None) -> dict[str, Any]:
    """The RFC 7517 JWK of an RSA public key; ``kid`` defaults to its RFC 7638 thumbprint."""
    numbers = key.public_numbers()
    jwk = {"e": _b64_uint(numbers.e), "kty": "RSA", "n": _b64_uint(numbers.n)}
    if kid is None:
        canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
        kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
    return {**jwk, "alg": "RS256", "use": "sig", "kid": kid}


def generate_signing_key(bits: int = 2048) -> SigningKey:
    """A fresh RSA key (RS256) with its PEM and public JWK."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    jwk = public_jwk(private.public_key())
    return SigningKey(kid=str(jwk["kid"]), private_key_pem=pem, public_jwk=jwk)


def signing_key_from_pem(pem: str) -> SigningKey:
    """The :class:`SigningKey` of an unencrypted PEM private RSA key (kid = thumbprint)."""
    private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    jwk = public_jwk(private.public_key())
    return SigningKey(kid=str(jwk["kid"]), private_key_pem=pem, public_jwk=jwk)
