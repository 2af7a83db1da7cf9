"""The catalog's knowledge goals in the formats LMSs import natively.

- :func:`moodle_competencies` - Moodle's competency framework CSV (Site administration >
  Competencies > Import competency framework, ``tool_lpimportcsv``): one framework per
  journey, its courses as competencies, their knowledge goals as child competencies.
- :func:`canvas_outcomes` - Canvas's outcomes CSV (Outcomes > Import): journeys and courses
  as outcome groups, knowledge goals as outcomes.
- :func:`case_package` - a 1EdTech CASE 1.0 ``CFPackage`` (JSON) per journey.

Our IRIs stay the identifiers: Moodle's ID number and Canvas's ``vendor_guid`` are the IRI
(Moodle allows 100 characters: a longer IRI becomes ``urn:uuid:`` and its UUID, see
:func:`node_uuid`), CASE's ``uri`` is the IRI and its ``identifier`` the UUID. The output
is the same bytes for the same catalog (and, for CASE, the same ``changed_at``).
"""

from yrkesresan_lti.catalog.exports.canvas import CANVAS_COLUMNS, canvas_outcomes
from yrkesresan_lti.catalog.exports.case import case_package, case_package_json
from yrkesresan_lti.catalog.exports.common import EXPORT_FORMATS, node_uuid, pick_journeys
from yrkesresan_lti.catalog.exports.moodle import MOODLE_COLUMNS, moodle_competencies

__all__ = [
    "CANVAS_COLUMNS",
    "EXPORT_FORMATS",
    "MOODLE_COLUMNS",
    "canvas_outcomes",
    "case_package",
    "case_package_json",
    "moodle_competencies",
    "node_uuid",
    "pick_journeys",
]
