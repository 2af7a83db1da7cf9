"""The Yrkesresan xAPI Profile: the JSON-LD document, its context, and a template matcher."""

from yrkesresan_lti.xapi.profile.context import (
    PROFILE_CONTEXT_URL,
    offline_document_loader,
    profile_context,
)
from yrkesresan_lti.xapi.profile.document import build_profile, template_iri
from yrkesresan_lti.xapi.profile.matcher import matches, matching_templates, template_problems

__all__ = [
    "PROFILE_CONTEXT_URL",
    "build_profile",
    "matches",
    "matching_templates",
    "offline_document_loader",
    "profile_context",
    "template_iri",
    "template_problems",
]
