"""The tool's public URLs (what LMS admins paste), derived from ``Settings.public_url``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ToolUrls:
    public_url: str
    """The base URL the LMS sees, without a trailing slash."""

    @property
    def login(self) -> str:
        return f"{self.public_url}/lti/login"

    @property
    def launch(self) -> str:
        return f"{self.public_url}/lti/launch"

    @property
    def jwks(self) -> str:
        return f"{self.public_url}/.well-known/jwks.json"

    @property
    def register(self) -> str:
        return f"{self.public_url}/lti/register"

    @property
    def canvas_config(self) -> str:
        return f"{self.public_url}/lti/config/canvas.json"

    @property
    def logo(self) -> str:
        return f"{self.public_url}/lti/logo.svg"

    @property
    def domain(self) -> str:
        return urlsplit(self.public_url).netloc
