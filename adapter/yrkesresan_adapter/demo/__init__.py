"""The demo: a simulated LMS at ``/demo`` (:mod:`.views` on :mod:`.lms`, its course page
:mod:`.course`, gradebook :mod:`.gradebook`, AGS/NRPS endpoints :mod:`.services` and state
:mod:`.lms_state`), the local Ralph LRS (:mod:`.ralph`) and ``yrkesresan demo`` (:mod:`.run`).
Nothing of it runs unless ``settings.demo`` is set.
"""

from yrkesresan_adapter.demo.views import connect_services, init_app

__all__ = ["connect_services", "init_app"]
