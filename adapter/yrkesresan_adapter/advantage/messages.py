"""Texts of the Advantage error pages (deep linking, dynamic registration).

Keyed by the error's stable ``code`` and, where one code has several causes, its
``reason`` (``"RegistrationError.timeout"``); the nearest class in the error's MRO with a
text wins. The texts are gettext message ids (Swedish; English in ``translations/en``),
``str.format`` templates over the error's ``details``. The core's English message is for
logs and developers and never shown here.
"""

from __future__ import annotations

from yrkesresan_adapter.web.texts import N_, translate
from yrkesresan_lti.exceptions import LtiError

MESSAGES: dict[str, str] = {
    "LtiError": N_("Det gick inte att slutföra begäran. Starta verktyget igen från kursen."),
    "DeepLinkingError": N_("Innehållsvalet kunde inte besvaras. Starta ett nytt val från kursen."),
    "DeepLinkingError.no_settings": N_(
        "Begäran saknar inställningar för innehållsval (deep_linking_settings). Starta valet "
        "från kursen i lärplattformen igen."
    ),
    "DeepLinkingError.no_return_url": N_(
        "Begäran saknar en giltig återkomstadress (deep_link_return_url); lärplattformen måste "
        "skicka den."
    ),
    "DeepLinkingError.unsupported_types": N_(
        "Lärplattformen tar bara emot {accept} här, men Yrkesresan lämnar LTI-länkar "
        "(ltiResourceLink). Välj verktyget som en aktivitet/extern länk i stället."
    ),
    "DeepLinkingError.one_item_only": N_(
        "Lärplattformen tar bara emot ett val här: välj en enda del av katalogen."
    ),
    "DeepLinkingError.catalog_unavailable": N_(
        "Katalogen kan inte läsas just nu, så inget kan väljas. Be Yrkesresans administratör "
        "köra 'yrkesresan catalog validate'."
    ),
    "DeepLinkingError.not_deep_linking": N_(
        "Den här sidan öppnas bara vid innehållsval (djuplänkning) från lärplattformen."
    ),
    "DeepLinkingError.too_many": N_("Välj högst {max} delar åt gången."),
    "DeepLinkingError.unknown_node": N_(
        "Det valda innehållet finns inte i katalogen längre; ladda om sidan och välj igen."
    ),
    "DeepLinkingReplayed": N_(
        "Det här innehållsvalet är redan skickat till lärplattformen. Starta ett nytt val från "
        "kursen om du vill lägga till mer."
    ),
    "RegistrationError": N_("Registreringen misslyckades; inget har sparats."),
    "RegistrationError.no_openid_configuration": N_(
        "Adressen saknar openid_configuration. Klistra in registreringsadressen i "
        "lärplattformen (Moodle: 'Verktygets URL', Canvas: 'Dynamic Registration') och starta "
        "registreringen därifrån."
    ),
    "RegistrationError.database_unavailable": N_(
        "Yrkesresans databas svarar inte, så registreringen kunde inte sparas. Försök igen om "
        "en stund."
    ),
    "RegistrationError.issuer_mismatch": N_(
        "Konfigurationen på {origin} påstår sig komma från {issuer}. Utfärdaren (issuer) måste "
        "ha samma ursprung som adressen; registreringen avbröts."
    ),
    "RegistrationError.no_client_id": N_(
        "Plattformen svarade utan klient-id (client_id); inget har sparats."
    ),
    "RegistrationError.not_stored": N_("Registreringen kunde inte sparas: {error}"),
    "RegistrationError.missing_field": N_(
        "Plattformens konfiguration saknar {key}; inget har sparats."
    ),
    "RegistrationError.invalid_field": N_(
        "Plattformens {key} går inte att använda: det är inte text, har otillåtna tecken (NUL "
        "eller surrogattecken) eller är längre än {limit} tecken. Inget har sparats."
    ),
    "RegistrationError.not_url": N_(
        "{name} är ingen webbadress: {url}. Starta registreringen från lärplattformen igen."
    ),
    "RegistrationError.not_https": N_(
        "{name} ({url}) använder inte HTTPS. I produktion registreras bara plattformar som nås "
        "över HTTPS."
    ),
    "RegistrationError.unknown_host": N_(
        "{name}: värden {host} finns inte (DNS). Kontrollera adressen."
    ),
    "RegistrationError.internal_address": N_(
        "{name}: {host} pekar på en intern adress; i produktion registreras bara plattformar "
        "på internet."
    ),
    "RegistrationError.timeout": N_(
        "Plattformen svarade inte inom {seconds} s på {what} ({url}). Försök igen om en stund; "
        "inget har sparats."
    ),
    "RegistrationError.unreachable": N_(
        "Plattformen gick inte att nå för {what} ({url}): {error}. Inget har sparats."
    ),
    "RegistrationError.refused": N_(
        "Plattformen svarade {status} på {what} ({url}); inget har sparats."
    ),
    "RegistrationError.token_expired": N_(
        "Plattformen svarade {status} på {what} ({url}); inget har sparats. "
        "Registreringstoken kan ha gått ut: starta om registreringen i lärplattformen."
    ),
    "RegistrationError.not_json": N_("Plattformens svar på {what} var inte JSON."),
    "RegistrationError.not_object": N_("Plattformens svar på {what} har fel form."),
    "RegistrationError.too_large": N_("Plattformens svar är för stort för en registrering."),
}
"""``code`` or ``code.reason`` → message id"""

REQUESTS: dict[str, str] = {
    "configuration": N_("plattformens konfiguration"),
    "registration": N_("registreringen"),
}
"""The ``what`` detail of a registration error (the request that failed) → message id"""


def message_for(error: LtiError, language: str) -> str:
    """The page text of ``error`` in ``language``."""
    details = dict(error.details)
    if "what" in details:
        details["what"] = translate(language, REQUESTS.get(details["what"], details["what"]))
    for cls in type(error).__mro__:
        code = vars(cls).get("code", "")
        for key in (f"{code}.{error.reason}", code):
            if key in MESSAGES:
                return translate(language, MESSAGES[key], **details)
    return translate(language, MESSAGES["LtiError"])
