"""Admin-facing texts of the launch errors: what happened and how to fix it.

Keyed by the error's stable ``code``; the nearest class in the error's MRO whose code has
texts wins. The texts are gettext message ids (Swedish, the source language; English in
``translations/en``), ``str.format`` templates over the error's ``details`` (a missing key
prints as ``?``). The core's own messages are English for developers and logs; they are
never shown here.
"""

from __future__ import annotations

from yrkesresan_adapter.web.texts import N_, translate

MESSAGES: dict[str, tuple[str, str]] = {
    "MalformedRequest": (
        N_("Begäran saknar fält eller har fel format ({missing})."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "UnsupportedContentType": (
        N_("Starten skickades inte som ett formulär."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "RequestTooLarge": (
        N_("Begäran är för stor för att vara en LTI-start."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "UnknownPlatform": (
        N_("Okänd plattform: utfärdare {issuer} med klient-id {client_id} är inte registrerad."),
        N_(
            "Registrera plattformen med: yrkesresan platform add --issuer {issuer} --client-id "
            "{client_id} … (eller använd dynamisk registrering)."
        ),
    ),
    "DeploymentNotActive": (
        N_("Okänd eller inaktiv deployment {deployment_id} för klient {client_id}."),
        N_(
            "Aktivera med: yrkesresan platform activate-deployment {issuer} {deployment_id} "
            "--client-id {client_id}"
        ),
    ),
    "ForeignTargetLinkUri": (
        N_(
            "Verktygets adress i lärplattformen ({target_link_uri}) pekar inte på det här "
            "verktyget ({base_url})."
        ),
        N_(
            "Ändra verktygets URL i lärplattformen till {base_url}, eller sätt "
            "YRKESRESAN_BASE_URL till den adress lärplattformen använder."
        ),
    ),
    "BadState": (
        N_("Inloggningen kunde inte slutföras: state är okänt, har gått ut eller är redan använt."),
        N_(
            "Starta verktyget igen från kursen i lärplattformen. Händer det varje gång: låt alla "
            "verktygets servrar dela samma databas eller Redis."
        ),
    ),
    "StateFromOtherBrowser": (
        N_(
            "Inloggningen startades i en annan webbläsare, eller så blockerade webbläsaren "
            "verktygets kaka."
        ),
        N_("Öppna verktyget i ett nytt fönster (Moodle: startbehållare ”Nytt fönster”)."),
    ),
    "MalformedToken": (
        N_("Plattformens id_token är ingen giltig JWT."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "UnsupportedAlgorithm": (
        N_("id_token är signerad med {alg}; bara RS256 godtas."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "UnknownKeyId": (
        N_("Plattformens signeringsnyckel {kid} finns inte i dess nyckeluppsättning."),
        N_("Kontrollera JWKS-adressen i registreringen: yrkesresan platform show {issuer}"),
    ),
    "KeySetUnavailable": (
        N_("Plattformens nyckeluppsättning ({key_set_url}) kunde inte hämtas."),
        N_("Kontrollera att adressen stämmer och nås från verktygets server."),
    ),
    "InvalidSignature": (
        N_("Signaturen i id_token stämmer inte med plattformens nyckel."),
        N_(
            "Kontrollera att registreringens JWKS-adress tillhör rätt plattform: yrkesresan "
            "platform show {issuer}"
        ),
    ),
    "InvalidIssuer": (
        N_("id_token kommer från en annan utfärdare än inloggningen ({issuer})."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "InvalidAudience": (
        N_("id_token är inte utfärdad för klient-id {client_id} (aud/azp)."),
        N_("Kontrollera att klient-id i registreringen är det lärplattformen visar."),
    ),
    "TokenExpired": (
        N_("id_token har gått ut."),
        N_("Kontrollera att klockorna på lärplattformens och verktygets servrar går rätt (NTP)."),
    ),
    "TokenIssuedInFuture": (
        N_("id_token är utfärdad i framtiden."),
        N_("Kontrollera att klockorna på lärplattformens och verktygets servrar går rätt (NTP)."),
    ),
    "NonceMismatch": (
        N_("id_token hör inte till den här inloggningen (nonce)."),
        N_("Starta verktyget igen från kursen i lärplattformen."),
    ),
    "NonceReused": (
        N_("Den här starten har redan använts (återuppspelad nonce)."),
        N_(
            "Starta verktyget igen från kursen i lärplattformen. Ladda inte om sidan efter starten."
        ),
    ),
    "UnsupportedMessageType": (
        N_("Meddelandetypen {message_type} stöds inte."),
        N_("Använd en resurslänk eller djuplänkning (innehållsval)."),
    ),
    "UnsupportedVersion": (
        N_("Bara LTI 1.3.0 stöds."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "MissingClaim": (
        N_("id_token saknar {claim}."),
        N_(
            "Kontrollera verktygets LTI 1.3-inställningar i lärplattformen. "
            "(Sekretessinställningar kan dölja t.ex. roller.)"
        ),
    ),
    "InvalidLaunch": (
        N_("Starten från lärplattformen godtogs inte."),
        N_("Starta verktyget igen från kursen i lärplattformen."),
    ),
    "LaunchTokenTampered": (
        N_("Länken är ogiltig."),
        N_("Starta verktyget igen från kursen i lärplattformen."),
    ),
    "LaunchExpired": (
        N_("Din session har gått ut."),
        N_("Starta verktyget igen från kursen i lärplattformen."),
    ),
    "CsrfTokenInvalid": (
        N_(
            "Formuläret kunde inte tas emot: dess säkerhetskod (CSRF-token) saknas eller hör "
            "till en annan start."
        ),
        N_(
            "Ladda om sidan och försök igen. Händer det igen: starta verktyget igen från kursen "
            "i lärplattformen."
        ),
    ),
    "InvalidClaim": (
        N_("id_token har ett värde som inte godtas i {claim}."),
        N_("Kontrollera verktygets LTI 1.3-inställningar i lärplattformen."),
    ),
    "RateLimited": (
        N_("För många förfrågningar från din adress just nu."),
        N_(
            "Vänta {retry_after} sekunder och försök igen. Händer det ofta: be verktygets "
            "driftansvariga höja gränsen (YRKESRESAN_RATE_LIMITS)."
        ),
    ),
    "NotRegionCoordinator": (
        N_("Kurstillfället hör till en region som din lärplattform inte samordnar."),
        N_(
            "Du kan ändra kurstillfällen i de regioner som lärplattformen samordnar. Ska den "
            "samordna fler: be verktygets driftansvariga köra yrkesresan platform set-region."
        ),
    ),
    "Forbidden": (
        N_("Din roll i kursen ger inte tillgång till den här sidan."),
        N_("Starta verktyget igen från kursen i lärplattformen."),
    ),
}
"""code → (what happened, how to fix it), both message ids"""

REASONS: dict[tuple[str, str], str] = {
    ("InvalidClaim", "unsafe"): N_(
        "id_token innehåller tecken som inte godtas (NUL eller surrogattecken) i {claim}."
    ),
    ("InvalidClaim", "too_long"): N_("{claim} i id_token är för långt (högst {limit} tecken)."),
    ("InvalidClaim", "not_url"): N_(
        "{claim} i id_token är ingen http(s)-adress som verktyget kan anropa."
    ),
    ("InvalidClaim", "not_list"): N_("{claim} i id_token är ingen lista med texter."),
    ("InvalidClaim", "range"): N_(
        "{claim} i id_token är inget giltigt datum (ett ändligt antal sekunder före år 2100)."
    ),
}
"""(code, reason) → a more precise "what happened" than the code's own."""


def texts_for(error: BaseException, language: str) -> tuple[str, str]:
    """(what happened, fix) in ``language`` for the nearest class of ``error`` with texts.

    Only the demo LMS's own errors (``PlatformSimulatorError``) have none: their message is
    shown as it is."""
    details = dict(getattr(error, "details", {}) or {})
    for cls in type(error).__mro__:
        code = vars(cls).get("code", "")
        texts = MESSAGES.get(code)
        if texts is not None:
            what, fix = texts
            what = REASONS.get((code, getattr(error, "reason", "")), what)
            return translate(language, what, **details), translate(language, fix, **details)
    return str(error), ""
