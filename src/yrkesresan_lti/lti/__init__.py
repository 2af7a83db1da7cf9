"""LTI 1.3 helpers that need no web framework."""
