"""gunicorn configuration for ours in ``bench/launch.py --split``: the shipped one
(``yrkesresan_adapter.gunicorn_conf``) plus the request-CPU hooks of ``bench/request_cpu.py``."""

from request_cpu import post_request, pre_request, worker_exit

from yrkesresan_adapter.gunicorn_conf import *  # noqa: F403

__all__ = ["post_request", "pre_request", "worker_exit"]
