"""A fake LMS for tests and demos: the platform side of LTI Advantage, framework-free (WSGI).

:class:`FakePlatformServices` answers like Moodle 4.5 (or Canvas with ``product="canvas"``):
OpenID configuration + dynamic registration, the OAuth token endpoint (checks the tool's
signed client assertion against the tool's JWKS), AGS line items / scores / results, NRPS
memberships with ``Link`` paging, and the deep-linking return URL (checks the tool's
signed response). State is kept in plain attributes for tests to inspect; faults are
injected with :meth:`FakePlatformServices.fail`. :func:`serve` runs it on a free loopback
port in a thread.
"""

from yrkesresan_lti.testing.services.platform import FakePlatformServices
from yrkesresan_lti.testing.services.server import serve
from yrkesresan_lti.testing.services.wire import AGS_SCOPES, NRPS_SCOPE, Reply

__all__ = ["AGS_SCOPES", "NRPS_SCOPE", "FakePlatformServices", "Reply", "serve"]
