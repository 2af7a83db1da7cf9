"""Yrkesresan LTI/xAPI: the catalog of journeys and courses, xAPI statements and LTI 1.3 helpers.

The core is framework-free: nothing here imports Flask. The Flask service lives in the
separate ``yrkesresan_adapter`` package.
"""

from yrkesresan_lti.exceptions import YrkesresanError

__all__ = ["YrkesresanError", "__version__"]

__version__ = "0.1.0"
