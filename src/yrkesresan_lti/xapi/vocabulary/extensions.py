"""Our extensions, one class per extension, minted as ``{base}extensions/<name>``."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from yrkesresan_lti.xapi.vocabulary.concept import MintedConcept


class Extension(MintedConcept):
    """An extension; ``where`` says if it goes in ``context`` or ``result``."""

    where: ClassVar[Literal["context", "result"]]
    value_schema: ClassVar[dict[str, Any]]
    """JSON Schema of the value, published inline in the profile."""

    @property
    def profile_type(self) -> str:
        return "ContextExtension" if self.where == "context" else "ResultExtension"


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


MUNICIPALITY = MunicipalityExtension()
LTI_DEPLOYMENT = LtiDeploymentExtension()
PROGRESS = ProgressExtension()

ALL_EXTENSIONS: tuple[Extension, ...] = (MUNICIPALITY, LTI_DEPLOYMENT, PROGRESS)
"""Every extension of the vocabulary, in the order the profile lists them."""
