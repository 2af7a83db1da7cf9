"""Validation of statements before they are sent (xAPI 1.0.3 rules we rely on)."""

from yrkesresan_lti.xapi.validation.statement import validate_statement

__all__ = ["validate_statement"]
