"""LTI Advantage services on the tool side: tokens, AGS, NRPS, deep linking, registration.

Framework-free; the adapter wires them to Flask in ``yrkesresan_adapter.advantage_views``.
"""
