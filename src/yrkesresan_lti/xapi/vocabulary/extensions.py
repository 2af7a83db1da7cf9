"""Our extensions, one class per extension, minted as ``{base}extensions/<name>``."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from yrkesresan_lti.xapi.vocabulary.concept import MintedConcept


class Extension(MintedConcept):
    """An extension; ``where`` says if it goes in ``context``, ``result`` or an activity's
    ``definition``."""

    where: ClassVar[Literal["context", "result", "activity"]]
    value_schema: ClassVar[dict[str, Any]]
    """JSON Schema of the value, published inline in the profile."""

    @property
    def profile_type(self) -> str:
        return {
            "context": "ContextExtension",
            "result": "ResultExtension",
            "activity": "ActivityExtension",
        }[self.where]


class MunicipalityExtension(Extension):
    """The municipality (the platform's display name) the learner works for."""

    path: Literal["extensions/municipality"] = "extensions/municipality"
    sv: Literal["kommun"] = "kommun"
    en: Literal["municipality"] = "municipality"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {"type": "string", "minLength": 1}
    definition_sv = "Kommunen (lärplattformens visningsnamn) som står bakom statementet."
    definition_en = "The municipality (the learning platform's display name) behind the statement."


class LtiDeploymentExtension(Extension):
    """Which LTI registration and deployment the learner launched through."""

    path: Literal["extensions/lti-deployment"] = "extensions/lti-deployment"
    sv: Literal["LTI-driftsättning"] = "LTI-driftsättning"
    en: Literal["LTI deployment"] = "LTI deployment"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["issuer", "clientId", "deploymentId"],
        "properties": {
            "issuer": {"type": "string", "minLength": 1},
            "clientId": {"type": "string", "minLength": 1},
            "deploymentId": {"type": "string", "minLength": 1},
        },
        "additionalProperties": False,
    }
    definition_sv = "LTI-plattformens issuer, client_id och deployment_id för starten."
    definition_en = "The LTI platform's issuer, client_id and deployment_id of the launch."


class ProgressExtension(Extension):
    """Progress in percent (0–100) of a checklist, course part or course."""

    path: Literal["extensions/progress"] = "extensions/progress"
    sv: Literal["framsteg"] = "framsteg"
    en: Literal["progress"] = "progress"
    where = "result"
    value_schema: ClassVar[dict[str, Any]] = {"type": "integer", "minimum": 0, "maximum": 100}
    definition_sv = "Andel klara uppgifter i procent (heltal 0–100)."
    definition_en = "Share of tasks done, in percent (integer 0–100)."


class MunicipalityCodeExtension(Extension):
    """SCB's kommunkod of the municipality the learner works for; null when unknown."""

    path: Literal["extensions/municipality-code"] = "extensions/municipality-code"
    sv: Literal["kommunkod"] = "kommunkod"
    en: Literal["municipality code"] = "municipality code"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {
        "type": ["string", "null"],
        "pattern": "^[0-9]{4}$",
    }
    definition_sv = (
        "SCB:s fyrsiffriga kommunkod för kommunen bakom statementet (kopplad av "
        "administratören till plattformen, deploymenten eller LMS-sammanhanget); null när "
        "den är okänd."
    )
    definition_en = (
        "Statistics Sweden's four-digit code of the municipality behind the statement "
        "(attached by the admin to the platform, deployment or LMS context); null when unknown."
    )


class MunicipalityNameExtension(Extension):
    """SCB's name of the municipality; "okänd kommun" when unknown."""

    path: Literal["extensions/municipality-name"] = "extensions/municipality-name"
    sv: Literal["kommunnamn"] = "kommunnamn"
    en: Literal["municipality name"] = "municipality name"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {"type": "string", "minLength": 1}
    definition_sv = 'Kommunens officiella namn enligt SCB; "okänd kommun" när den är okänd.'
    definition_en = (
        'The municipality\'s official name (Statistics Sweden); "okänd kommun" when unknown.'
    )


class CountyCodeExtension(Extension):
    """SCB's länskod of the municipality's county; null when the municipality is unknown."""

    path: Literal["extensions/county-code"] = "extensions/county-code"
    sv: Literal["länskod"] = "länskod"
    en: Literal["county code"] = "county code"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {"type": ["string", "null"], "pattern": "^[0-9]{2}$"}
    definition_sv = "SCB:s tvåsiffriga länskod för kommunens län; null när kommunen är okänd."
    definition_en = (
        "Statistics Sweden's two-digit code of the municipality's county; null when the "
        "municipality is unknown."
    )


class SeatsExtension(Extension):
    """The number of seats (capacity) of a course occasion, on the occasion's activity."""

    path: Literal["extensions/seats"] = "extensions/seats"
    sv: Literal["platser"] = "platser"
    en: Literal["seats"] = "seats"
    where = "activity"
    value_schema: ClassVar[dict[str, Any]] = {"type": "integer", "minimum": 1}
    definition_sv = "Kurstillfällets antal platser när statementet gjordes."
    definition_en = "The course occasion's number of seats when the statement was made."


MUNICIPALITY = MunicipalityExtension()
MUNICIPALITY_CODE = MunicipalityCodeExtension()
MUNICIPALITY_NAME = MunicipalityNameExtension()
COUNTY_CODE = CountyCodeExtension()
SEATS = SeatsExtension()
LTI_DEPLOYMENT = LtiDeploymentExtension()
PROGRESS = ProgressExtension()

ALL_EXTENSIONS: tuple[Extension, ...] = (
    MUNICIPALITY,
    LTI_DEPLOYMENT,
    PROGRESS,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    COUNTY_CODE,
    SEATS,
)
"""Every extension of the vocabulary, in the order the profile lists them."""
