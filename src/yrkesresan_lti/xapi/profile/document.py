"""The Yrkesresan xAPI Profile (xAPI Profiles 1.0, JSON-LD), generated from the vocabulary.

Concepts come from :mod:`yrkesresan_lti.xapi.vocabulary` and statement templates from
:data:`~yrkesresan_lti.xapi.templates.EVENT_TEMPLATES`, the same objects the statement
builders use. The adapter serves the result at ``GET /xapi/profile.jsonld``.
"""

from __future__ import annotations

import json
from typing import Any

from yrkesresan_lti.xapi.profile.context import PROFILE_CONTEXT_URL
from yrkesresan_lti.xapi.templates import (
    EVENT_TEMPLATES,
    STEP_TYPES,
    TOOL_ACCOUNT_NAME,
    EventTemplate,
)
from yrkesresan_lti.xapi.vocabulary import (
    ALL_ACTIVITY_TYPES,
    ALL_EXTENSIONS,
    ALL_VERBS,
    COUNTY_CODE,
    LTI_DEPLOYMENT,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    OCCASION,
    PROFILE,
    SEATS,
    profile_iri,
)

PROFILE_VERSION = "1.5"
PROFILE_GENERATED_AT = "2026-12-09T00:00:00Z"
"""When this version of the profile was made; fixed, so the document is reproducible."""
EARLIER_VERSIONS: tuple[tuple[str, str], ...] = (
    ("1.4", "2026-12-08T00:00:00Z"),
    ("1.3", "2026-12-07T00:00:00Z"),
    ("1.2", "2026-12-06T00:00:00Z"),
    ("1.1", "2026-11-30T00:00:00Z"),
    ("1.0", "2026-11-22T00:00:00Z"),
)
"""(version, generatedAtTime) of the versions before, newest first. 1.1 added the
``attendance-withdrawn`` template; 1.2 (docs/xapi.md, "Profilversioner") puts the version
IRI in ``category`` and adds ``course-launched``, ``goal-revoked`` and
``course-completion-revoked``; 1.3 adds ``statement-erased`` (the tool voids a learner's
statements when their data is erased); 1.4 sends ``evaluation-answered`` (the course
evaluation; no longer reserved); 1.5 adds the municipality as data (``municipality-code``,
``municipality-name``, ``county-code`` on every learner statement) and the occasion's
``seats``."""
CONFORMS_TO = "https://w3id.org/xapi/profiles#1.0"


def profile_version_iri(iri_base: str, version: str = PROFILE_VERSION) -> str:
    """The IRI of one version of the profile; every statement's ``category`` has the
    current one (and the profile IRI itself)."""
    return f"{profile_iri(iri_base)}/v{version}"


def _versions(iri_base: str) -> list[dict[str, Any]]:
    """The profile's versions, newest first, each a revision of the one after it."""
    dated = [(PROFILE_VERSION, PROFILE_GENERATED_AT), *EARLIER_VERSIONS]
    versions: list[dict[str, Any]] = []
    for n, (version, generated) in enumerate(dated):
        entry: dict[str, Any] = {"id": profile_version_iri(iri_base, version)}
        if n + 1 < len(dated):
            entry["wasRevisionOf"] = [profile_version_iri(iri_base, dated[n + 1][0])]
        entry["generatedAtTime"] = generated
        versions.append(entry)
    return versions


def template_iri(iri_base: str, template: EventTemplate) -> str:
    """The IRI of an event's statement template in the profile (``{base}profile/templates/...``)."""
    return f"{profile_iri(iri_base)}/templates/{template.name.replace('_', '-')}"


def build_profile(iri_base: str) -> dict[str, Any]:
    """The profile document for a catalog whose IRI base is ``iri_base`` (ends with ``/``)."""
    version = profile_version_iri(iri_base)
    concepts: list[dict[str, Any]] = []
    for verb in ALL_VERBS:
        concepts.append(_concept(verb.iri(iri_base), "Verb", version, verb))
    for kind in ALL_ACTIVITY_TYPES:
        concepts.append(_concept(kind.iri(iri_base), "ActivityType", version, kind))
    for extension in ALL_EXTENSIONS:
        concept = _concept(extension.iri(iri_base), extension.profile_type, version, extension)
        concept["inlineSchema"] = json.dumps(extension.value_schema, sort_keys=True)
        if extension is SEATS:
            concept["recommendedActivityTypes"] = [OCCASION.iri(iri_base)]
        concepts.append(concept)
    return {
        "@context": PROFILE_CONTEXT_URL,
        "id": profile_iri(iri_base),
        "type": "Profile",
        "conformsTo": CONFORMS_TO,
        "prefLabel": {"sv": "Yrkesresans xAPI-profil", "en": "Yrkesresan xAPI Profile"},
        "definition": {
            "sv": "Verb, aktivitetstyper, tillägg och mallar för statements i Yrkesresans "
            "kurser: checklistor, kursdagar, kunskapsmål och kursutvärderingar.",
            "en": "Verbs, activity types, extensions and statement templates of Yrkesresan "
            "courses: checklists, course days, knowledge goals and course evaluations.",
        },
        "author": {"type": "Organization", "name": "Yrkesresan LTI/xAPI contributors"},
        "versions": _versions(iri_base),
        "concepts": concepts,
        "templates": [_template(t, iri_base, version) for t in EVENT_TEMPLATES],
    }


def _concept(iri: str, kind: str, version: str, concept: Any) -> dict[str, Any]:
    return {
        "id": iri,
        "type": kind,
        "inScheme": version,
        "prefLabel": concept.pref_label,
        "definition": concept.definition,
    }


def _template(t: EventTemplate, base: str, version: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": template_iri(base, t),
        "type": "StatementTemplate",
        "inScheme": version,
        "prefLabel": {"sv": t.sv, "en": t.en},
        "definition": {
            "sv": f"{t.sv}: verbet '{t.verb.sv}' ({t.verb.id}).",
            "en": f"{t.en}: the verb '{t.verb.en}' ({t.verb.id}).",
        },
        "verb": t.verb.id,
    }
    if t.reserved:
        doc["definition"]["sv"] += " Reserverad för en kommande funktion: skickas inte ännu."
        doc["definition"]["en"] += " Reserved for a coming feature: not sent yet."
    if len(t.object_types) == 1:
        doc["objectActivityType"] = t.object_types[0].iri(base)
    if len(t.parent_types) == 1:
        doc["contextParentActivityType"] = [t.parent_types[0].iri(base)]
    if t.grouping_types:
        doc["contextGroupingActivityType"] = [kind.iri(base) for kind in t.grouping_types]
    doc["contextCategoryActivityType"] = [PROFILE.iri(base)]
    if t.other_types:
        doc["contextOtherActivityType"] = [kind.iri(base) for kind in t.other_types]
    doc["rules"] = _rules(t, base)
    return doc


def _rule(location: str, **requirements: Any) -> dict[str, Any]:
    return {"location": location, "presence": "included", **requirements}


def _rules(t: EventTemplate, base: str) -> list[dict[str, Any]]:
    categories = [profile_version_iri(base), profile_iri(base)]
    rules = [
        _rule("$.id"),
        _rule("$.timestamp"),
        _rule("$.context.registration"),
        _rule("$.context.language"),
        _rule("$.context.contextActivities.category[*].id", all=categories),
        _rule("$.context.contextActivities.category[*].id", any=[profile_version_iri(base)]),
        _rule("$.context.contextActivities.category[*].id", any=[profile_iri(base)]),
        _rule(f"$.context.extensions['{MUNICIPALITY.iri(base)}']"),
        _rule(f"$.context.extensions['{LTI_DEPLOYMENT.iri(base)}']"),
    ]
    if not t.tool_actor:  # a tool's voiding copies the voided statement's extensions
        rules += _municipality_rules(t, base)
    if t.statement_ref:
        rules.append(_rule("$.object.objectType", all=["StatementRef"]))
    else:
        rules.append(_rule("$.context.platform"))
    if t.tool_actor:
        rules.append(_rule("$.actor.account.name", all=[TOOL_ACCOUNT_NAME]))
        rules.append({"location": "$.context.contextActivities.other", "presence": "excluded"})
    else:
        rules.append({"location": "$.actor.account.name", "none": [TOOL_ACCOUNT_NAME]})
    if len(t.object_types) > 1:
        types = [kind.iri(base) for kind in t.object_types]
        rules.append(_rule("$.object.definition.type", all=types))
    if len(t.parent_types) > 1:
        types = [kind.iri(base) for kind in t.parent_types]
        rules.append(_rule("$.context.contextActivities.parent[*].definition.type", all=types))
    if t.grouping_step:
        types = [kind.iri(base) for kind in STEP_TYPES]
        rules.append(_rule("$.context.contextActivities.grouping[*].definition.type", any=types))
    for extension in t.result_extensions:
        rules.append(_rule(f"$.result.extensions['{extension.iri(base)}']"))
    for key in t.result_true:
        rules.append(_rule(f"$.result.{key}", all=[True]))
    if t.result_response:
        rules.append(_rule("$.result.response"))
    return rules


def _municipality_rules(t: EventTemplate, base: str) -> list[dict[str, Any]]:
    """1.5: SCB's municipality (name always, codes null when unknown) and, where the course
    occasion appears (``other`` or ``parent``), its number of seats."""
    rules = [
        _rule(f"$.context.extensions['{MUNICIPALITY_NAME.iri(base)}']"),
        {
            "location": f"$.context.extensions['{MUNICIPALITY_CODE.iri(base)}']",
            "presence": "recommended",
        },
        {"location": f"$.context.extensions['{COUNTY_CODE.iri(base)}']", "presence": "recommended"},
    ]
    seats = f"definition.extensions['{SEATS.iri(base)}']"
    if OCCASION in t.other_types:
        rules.append(_rule(f"$.context.contextActivities.other[*].{seats}"))
    if OCCASION in t.parent_types:
        rules.append(_rule(f"$.context.contextActivities.parent[*].{seats}"))
    return rules
