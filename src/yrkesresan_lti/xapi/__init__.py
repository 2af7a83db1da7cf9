"""xAPI for Yrkesresan: vocabulary, statement builders, validation and the xAPI Profile.

Typical use (the adapter does this for every learner action)::

    factory = StatementFactory(catalog, Pseudonymizer.from_settings(settings))
    statement = factory.task_completed(Learner.from_launch(launch, platform), task.iri)
    outbox.enqueue(connection, [statement_bytes(statement)], targets)

Without a launch, build the learner yourself:
``Learner(issuer=..., sub=..., client_id=..., deployment_id=..., platform_name=...)``
(docs/developer.md).

Delivery to a learning record store lives in :mod:`yrkesresan_lti.xapi.client` and the
outbox; this package only makes statements that are valid and byte-stable.
"""

from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.factory import JsonStatement, StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.municipality import activity_seats, statement_municipality
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.registration import registration_uuid
from yrkesresan_lti.xapi.serialization import statement_bytes
from yrkesresan_lti.xapi.validation import validate_statement

__all__ = [
    "EvaluationAnswer",
    "JsonStatement",
    "Learner",
    "Pseudonymizer",
    "StatementFactory",
    "activity_seats",
    "build_profile",
    "registration_uuid",
    "statement_bytes",
    "statement_municipality",
    "validate_statement",
]
