"""gunicorn configuration for the peer in ``bench/launch.py --split``: its own
(``peer_pylti1p3.gunicorn_conf``) plus the request-CPU hooks of ``bench/request_cpu.py``."""

from request_cpu import post_request, pre_request, worker_exit

from peer_pylti1p3.gunicorn_conf import *  # noqa: F403

__all__ = ["post_request", "pre_request", "worker_exit"]
