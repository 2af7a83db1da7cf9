"""Settings for the whole suite.

Hypothesis: no per-example deadline. Timing is not what these properties are about, and on
a loaded two-core CI machine a deadline only turns slowness into flaky failures; performance
is measured by the scripts in ``bench/``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "yrkesresan",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("yrkesresan")
