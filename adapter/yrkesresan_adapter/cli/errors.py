"""The CLI's text for an error of ours: looked up by ``code`` (and ``reason``) in the catalogs.

The core's and the stores' exception messages are English, for developers and logs; what
the command line prints is the catalog's text for the error's ``code``, filled in from its
``details``. An error without a text here prints its (English) message.
"""

from __future__ import annotations

from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext

_TEXTS: dict[tuple[str, str], str] = {
    ("PlatformExists", ""): N_(
        "plattformen %(issuer)s med client_id %(client_id)s finns redan: ta bort den först "
        "eller ändra den"
    ),
    ("UnknownPlatform", ""): N_(
        "ingen plattform registrerad för %(issuer)s: se 'yrkesresan platform list'"
    ),
    ("UnknownPlatform", "with_client_id"): N_(
        "ingen plattform registrerad för %(issuer)s med client_id %(client_id)s: se "
        "'yrkesresan platform list'"
    ),
    ("AmbiguousPlatform", ""): N_("%(issuer)s har %(count)s registreringar: ange --client-id"),
    ("InvalidPlatform", "empty"): N_("%(field)s får inte vara tomt"),
    ("InvalidPlatform", "too_long"): N_("%(field)s är längre än %(max_length)s tecken"),
    ("InvalidPlatform", "not_url"): N_("%(field)s måste vara en http(s)-adress, fick '%(value)s'"),
    ("UnknownDeployment", ""): N_(
        "deployment '%(deployment_id)s' finns inte för %(issuer)s; kända: [%(known)s]"
    ),
    ("KeyRotationError", "nothing_to_promote"): N_(
        "det finns ingen nästa nyckel att ta i bruk: kör 'yrkesresan keys rotate' först"
    ),
    ("KeyRotationError", "too_early"): N_(
        "nästa nyckel %(kid)s har publicerats sedan %(published)s UTC och kan tas i bruk "
        "tidigast %(ready)s UTC; använd --promote för att göra det nu"
    ),
    ("ConfigurationError", "no_pseudonym_key"): N_(
        "ingen pseudonymnyckel: sätt YRKESRESAN_PSEUDONYM_KEY till den nyckel adaptern använder, "
        "eller kör kommandot där adaptern har sin instanskatalog (%(path)s saknas)"
    ),
    ("ConfigurationError", "tool_key_no_secret"): N_(
        "verktygsnyckeln är krypterad men YRKESRESAN_SECRET_KEY saknas"
    ),
    ("ConfigurationError", "tool_key_wrong_secret"): N_(
        "verktygsnyckeln kan inte dekrypteras med YRKESRESAN_SECRET_KEY"
    ),
}


def error_text(err: YrkesresanError) -> str:
    """What the CLI prints for ``err``, in the installed locale."""
    text = _TEXTS.get((err.code, err.reason))
    if text is None:
        return str(err)
    return gettext(text, **err.details)
