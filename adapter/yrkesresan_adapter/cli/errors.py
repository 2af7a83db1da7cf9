"""The CLI's text for an error of ours: looked up by ``code`` (and ``reason``) in the catalogs.

The core's and the stores' exception messages are English, for developers and logs; what
the command line prints is the catalog's text for the error's ``code``, filled in from its
``details``. An error without a text here gets the core's
(:func:`yrkesresan_lti.error_texts.error_text`), else prints its (English) message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from pydantic import ValidationError

from yrkesresan_lti import error_texts
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
    ("ConfigurationError", "ralph_missing"): N_(
        "Ralph saknas i %(venv)s: kör 'python -m yrkesresan_adapter.demo.ralph install'"
    ),
    ("DatabaseNotReady", ""): N_(
        "databasen svarar inte (%(error)s): kontrollera YRKESRESAN_DATABASE_URL och att "
        "databasen är igång"
    ),
    ("DemoSeedError", ""): N_(
        "demoåret kunde inte spelas upp: verktyget svarade %(status)s på %(action)s"
    ),
    ("DemoAlreadySeeded", ""): N_("demon har redan ett ifyllt år"),
}


def error_text(err: YrkesresanError) -> str:
    """What the CLI prints for ``err``, in the installed locale."""
    text = _TEXTS.get((err.code, err.reason))
    if text is None:
        return error_texts.error_text(err)
    return gettext(text, **err.details)


def invalid_settings(err: ValidationError) -> str:
    """Every invalid setting and pydantic's reason, without the values (they may be secrets)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}"
        for e in err.errors(include_input=False)
    )


def settings_problems(err: ValidationError) -> str:
    """One line naming every invalid setting (:func:`invalid_settings`)."""
    return gettext(N_("Ogiltiga inställningar: %(problems)s"), problems=invalid_settings(err))


@contextmanager
def reported() -> Iterator[None]:
    """Our errors inside the block end the command with their text and exit code 1."""
    try:
        yield
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from err
