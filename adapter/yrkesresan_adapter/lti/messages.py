"""Admin-facing texts of the launch errors: what happened and what to fix, Swedish and English.

Keyed by the error's ``code`` (stable across class renames); the nearest class in the error's
MRO whose code has a text wins. Texts are ``str.format`` templates over the error's
``details`` (missing keys print as ``?``).
"""

from __future__ import annotations

from collections.abc import Mapping

Texts = Mapping[str, tuple[str, str]]
"""language → (what happened, how to fix it)"""

_RESTART_SV = "Starta verktyget igen från kursen i lärplattformen."
_RESTART_EN = "Start the tool again from the course in the learning platform."
_CLOCK_SV = "Kontrollera att klockorna på lärplattformens och verktygets servrar går rätt (NTP)."
_CLOCK_EN = "Check that the clocks of the platform's and the tool's servers are right (NTP)."
_SETTINGS_SV = "Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."
_SETTINGS_EN = "Check the tool's LTI 1.3 settings in the learning platform."

MESSAGES: dict[str, Texts] = {
    "MalformedRequest": {
        "sv": ("Begäran saknar fält eller har fel format ({missing}).", _SETTINGS_SV),
        "en": ("The request lacks fields or is malformed ({missing}).", _SETTINGS_EN),
    },
    "UnsupportedContentType": {
        "sv": ("Starten skickades inte som ett formulär.", _SETTINGS_SV),
        "en": ("The launch was not posted as a form.", _SETTINGS_EN),
    },
    "RequestTooLarge": {
        "sv": ("Begäran är för stor för att vara en LTI-start.", _SETTINGS_SV),
        "en": ("The request is too large to be an LTI launch.", _SETTINGS_EN),
    },
    "UnknownPlatform": {
        "sv": (
            "Okänd plattform: utfärdare {issuer} med klient-id {client_id} är inte registrerad.",
            "Registrera plattformen med: yrkesresan platform add --issuer {issuer} "
            "--client-id {client_id} … (eller använd dynamisk registrering).",
        ),
        "en": (
            "Unknown platform: issuer {issuer} with client id {client_id} is not registered.",
            "Register it with: yrkesresan platform add --issuer {issuer} "
            "--client-id {client_id} … (or use dynamic registration).",
        ),
    },
    "DeploymentNotActive": {
        "sv": (
            "Okänd eller inaktiv deployment {deployment_id} för klient {client_id}.",
            "Aktivera med: yrkesresan platform activate-deployment {issuer} {deployment_id} "
            "--client-id {client_id}",
        ),
        "en": (
            "Unknown or inactive deployment {deployment_id} for client {client_id}.",
            "Activate it with: yrkesresan platform activate-deployment {issuer} "
            "{deployment_id} --client-id {client_id}",
        ),
    },
    "ForeignTargetLinkUri": {
        "sv": (
            "Verktygets adress i lärplattformen ({target_link_uri}) pekar inte på det här "
            "verktyget ({base_url}).",
            "Ändra verktygets URL i lärplattformen till {base_url}, eller sätt "
            "YRKESRESAN_BASE_URL till den adress lärplattformen använder.",
        ),
        "en": (
            "The tool URL in the platform ({target_link_uri}) does not point at this tool "
            "({base_url}).",
            "Set the tool URL in the platform to {base_url}, or set YRKESRESAN_BASE_URL to "
            "the address the platform uses.",
        ),
    },
    "BadState": {
        "sv": (
            "Inloggningen kunde inte slutföras: state är okänt, har gått ut eller är redan använt.",
            _RESTART_SV + " Händer det varje gång: låt alla verktygets servrar dela samma "
            "databas eller Redis.",
        ),
        "en": (
            "The login could not be completed: the state is unknown, expired or already used.",
            _RESTART_EN + " If it happens every time: let all of the tool's servers share "
            "one database or Redis.",
        ),
    },
    "StateFromOtherBrowser": {
        "sv": (
            "Inloggningen startades i en annan webbläsare, eller webbläsaren blockerade "
            "verktygets kaka ({cookie}).",
            "Öppna verktyget i ett nytt fönster (Moodle: startbehållare ”Nytt fönster”).",
        ),
        "en": (
            "The login was started in another browser, or the browser blocked the tool's "
            "cookie ({cookie}).",
            "Open the tool in a new window (Moodle: launch container 'New window').",
        ),
    },
    "MalformedToken": {
        "sv": ("Plattformens id_token är ingen giltig JWT.", _SETTINGS_SV),
        "en": ("The platform's id_token is not a valid JWT.", _SETTINGS_EN),
    },
    "UnsupportedAlgorithm": {
        "sv": ("id_token är signerad med {alg}; bara RS256 godtas.", _SETTINGS_SV),
        "en": ("The id_token is signed with {alg}; only RS256 is accepted.", _SETTINGS_EN),
    },
    "UnknownKeyId": {
        "sv": (
            "Plattformens signeringsnyckel {kid} finns inte i dess nyckeluppsättning.",
            "Kontrollera JWKS-adressen i registreringen: yrkesresan platform show {issuer}",
        ),
        "en": (
            "The platform's signing key {kid} is not in its key set.",
            "Check the key set URL of the registration: yrkesresan platform show {issuer}",
        ),
    },
    "KeySetUnavailable": {
        "sv": (
            "Plattformens nyckeluppsättning ({key_set_url}) kunde inte hämtas.",
            "Kontrollera att adressen stämmer och nås från verktygets server.",
        ),
        "en": (
            "The platform's key set ({key_set_url}) could not be fetched.",
            "Check that the URL is right and reachable from the tool's server.",
        ),
    },
    "InvalidSignature": {
        "sv": (
            "Signaturen i id_token stämmer inte med plattformens nyckel.",
            "Kontrollera att registreringens JWKS-adress tillhör rätt plattform: "
            "yrkesresan platform show {issuer}",
        ),
        "en": (
            "The id_token's signature does not match the platform's key.",
            "Check that the registration's key set URL belongs to this platform: "
            "yrkesresan platform show {issuer}",
        ),
    },
    "InvalidIssuer": {
        "sv": ("id_token kommer från en annan utfärdare än inloggningen ({issuer}).", _SETTINGS_SV),
        "en": ("The id_token comes from another issuer than the login ({issuer}).", _SETTINGS_EN),
    },
    "InvalidAudience": {
        "sv": (
            "id_token är inte utfärdad för klient-id {client_id} (aud/azp).",
            "Kontrollera att klient-id i registreringen är det lärplattformen visar.",
        ),
        "en": (
            "The id_token is not issued for client id {client_id} (aud/azp).",
            "Check that the registration's client id is the one the platform shows.",
        ),
    },
    "TokenExpired": {
        "sv": ("id_token har gått ut.", _CLOCK_SV),
        "en": ("The id_token has expired.", _CLOCK_EN),
    },
    "TokenIssuedInFuture": {
        "sv": ("id_token är utfärdad i framtiden.", _CLOCK_SV),
        "en": ("The id_token is issued in the future.", _CLOCK_EN),
    },
    "NonceMismatch": {
        "sv": ("id_token hör inte till den här inloggningen (nonce).", _RESTART_SV),
        "en": ("The id_token does not belong to this login (nonce).", _RESTART_EN),
    },
    "NonceReused": {
        "sv": (
            "Den här starten har redan använts (återuppspelad nonce).",
            _RESTART_SV + " Ladda inte om sidan efter starten.",
        ),
        "en": (
            "This launch was already used (replayed nonce).",
            _RESTART_EN + " Do not reload the page after the launch.",
        ),
    },
    "UnsupportedMessageType": {
        "sv": (
            "Meddelandetypen {message_type} stöds inte.",
            "Använd en resurslänk eller djuplänkning (innehållsval).",
        ),
        "en": (
            "The message type {message_type} is not supported.",
            "Use a resource link or deep linking (content selection).",
        ),
    },
    "UnsupportedVersion": {
        "sv": ("Bara LTI 1.3.0 stöds.", _SETTINGS_SV),
        "en": ("Only LTI 1.3.0 is supported.", _SETTINGS_EN),
    },
    "MissingClaim": {
        "sv": (
            "id_token saknar {claim}.",
            _SETTINGS_SV + " (Sekretessinställningar kan dölja t.ex. roller.)",
        ),
        "en": ("The id_token lacks {claim}.", _SETTINGS_EN + " (Privacy settings may hide roles.)"),
    },
    "InvalidLaunch": {
        "sv": ("Starten från lärplattformen godtogs inte.", _RESTART_SV),
        "en": ("The launch from the learning platform was not accepted.", _RESTART_EN),
    },
    "LaunchTokenTampered": {
        "sv": ("Länken är ogiltig.", _RESTART_SV),
        "en": ("The link is not valid.", _RESTART_EN),
    },
    "LaunchExpired": {
        "sv": ("Din session har gått ut.", _RESTART_SV),
        "en": ("Your session has expired.", _RESTART_EN),
    },
    "Forbidden": {
        "sv": ("Din roll i kursen ger inte tillgång till den här sidan.", _RESTART_SV),
        "en": ("Your role in the course does not give access to this page.", _RESTART_EN),
    },
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def texts_for(error: BaseException, language: str) -> tuple[str, str]:
    """(what happened, fix) for the nearest class of ``error`` with texts."""
    details = _Blank(getattr(error, "details", {}) or {})
    for cls in type(error).__mro__:
        entry = MESSAGES.get(vars(cls).get("code", ""))
        if entry is not None:
            what, fix = entry.get(language) or entry["sv"]
            return what.format_map(details), fix.format_map(details)
    return str(error), ""
