"""LTI 1.3 helpers that need no web framework.

Start from :class:`~yrkesresan_lti.lti.pipeline.LaunchValidator` (login + launch checks,
built from the stores); the stores' protocols are in :mod:`.stores`, in-memory ones in
:mod:`.memory`; :mod:`.advantage` holds the LTI Advantage services (AGS, NRPS, deep
linking, dynamic registration). Submodules are imported where they are used: this package
imports nothing itself.
"""

__all__: list[str] = []
