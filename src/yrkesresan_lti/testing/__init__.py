"""Test and demo support: a simulated LTI 1.3 platform (an LMS like Moodle 4.5).

Not part of the runtime core: nothing under ``yrkesresan_lti`` outside this package imports
it. Tests, benchmarks and the adapter's demo LMS use it.

- :mod:`yrkesresan_lti.testing.simulator` — :class:`~.simulator.PlatformSimulator`: its own
  key, Moodle-shaped id_tokens, login → launch driven the way a browser does.
- :mod:`yrkesresan_lti.testing.claims` — the simulated users and id_token claims.
- :mod:`yrkesresan_lti.testing.transport` — serves simulators' key sets to a
  ``requests.Session`` without a network round trip.
- :mod:`yrkesresan_lti.testing.browser` — a simulator browser over ``requests``.
- :mod:`yrkesresan_lti.testing.services` — the platform's Advantage services (registration,
  OAuth token, AGS, NRPS, deep-linking return) as a WSGI app.
"""

__all__: list[str] = []
