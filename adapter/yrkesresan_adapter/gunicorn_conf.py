"""gunicorn's configuration for the adapter::

    gunicorn -c python:yrkesresan_adapter.gunicorn_conf --workers 4

gunicorn executes this module to read its settings; nothing else imports it. It reads the
same ``YRKESRESAN_*`` settings as the service: the app, the address
(``YRKESRESAN_HOST``/``YRKESRESAN_PORT``; ``--bind`` overrides it) and the logging
configuration, so gunicorn's own lines (start, workers, timeouts) have the service's format.
Command-line options override everything here.
"""

from __future__ import annotations

from yrkesresan_lti.logs import logging_config
from yrkesresan_lti.settings import Settings

_settings = Settings()

wsgi_app = "yrkesresan_adapter:create_app()"
bind = [f"{_settings.host}:{_settings.port}"]
logconfig_dict = logging_config(_settings)
errorlog = "-"
