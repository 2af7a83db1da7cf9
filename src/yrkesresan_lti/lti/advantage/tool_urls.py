"""The tool's public URLs (what LMS admins paste), derived from ``Settings.public_url``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ToolUrls:
    """Every URL of the tool an LMS needs (login, launch, key set, ...), from its base URL."""

    public_url: str
    """The base URL the LMS sees, without a trailing slash."""

    @property
    def login(self) -> str:
        """The OIDC login initiation URL (``/lti/login``)."""
        return f"{self.public_url}/lti/login"

    @property
    def launch(self) -> str:
        """The launch URL, also the redirect URI (``/lti/launch``)."""
        return f"{self.public_url}/lti/launch"

    @property
    def jwks(self) -> str:
        """The tool's public key set (``/.well-known/jwks.json``)."""
        return f"{self.public_url}/.well-known/jwks.json"

    @property
    def register(self) -> str:
        """The dynamic registration URL (``/lti/register``)."""
        return f"{self.public_url}/lti/register"

    @property
    def canvas_config(self) -> str:
        """The Canvas developer-key JSON (``/lti/config/canvas.json``)."""
        return f"{self.public_url}/lti/config/canvas.json"

    @property
    def logo(self) -> str:
        """The tool's icon for the LMS."""
        return f"{self.public_url}/lti/logo.svg"

    @property
    def domain(self) -> str:
        """The host (and port) of the public URL."""
        return urlsplit(self.public_url).netloc
