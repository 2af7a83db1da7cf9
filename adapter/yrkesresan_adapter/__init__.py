"""The Yrkesresan LTI 1.3 tool: a small Flask service on top of ``yrkesresan_lti``."""

from yrkesresan_adapter.app import create_app

__all__ = ["create_app"]
