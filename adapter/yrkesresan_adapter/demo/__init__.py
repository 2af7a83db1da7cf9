"""The demo: a simulated LMS at ``/demo`` (:mod:`.views` on :mod:`.lms`, its course page
:mod:`.course`, gradebook :mod:`.gradebook`, AGS/NRPS endpoints :mod:`.services`, state
:mod:`.lms_state` and texts from the catalogs :mod:`.texts`) and the local Ralph LRS
(:mod:`.ralph`). The ``yrkesresan demo`` command that starts them is
:mod:`yrkesresan_adapter.cli.demo`. Nothing of the simulated LMS runs unless
``settings.demo`` is set.
"""

from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_adapter.demo.seed import (
    Player,
    SeedClock,
    SeededIds,
    Shape,
    already_seeded,
    demo_municipalities,
    plan_year,
    seed_year,
)
from yrkesresan_adapter.demo.views import connect_services, init_app

__all__ = [
    "Player",
    "RalphServer",
    "SeedClock",
    "SeededIds",
    "Shape",
    "already_seeded",
    "connect_services",
    "demo_municipalities",
    "init_app",
    "plan_year",
    "seed_year",
]
