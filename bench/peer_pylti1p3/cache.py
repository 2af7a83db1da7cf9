"""A shared cache with the interface pylti1p3's ``FlaskCacheDataStorage`` uses (Flask-Caching's
``get``/``set``), over Redis, so the OIDC state, nonces, launches and the platform's key set
are seen by every gunicorn worker. Values are JSON (what pylti1p3 stores: dicts, strings,
booleans)."""

from __future__ import annotations

import json
from typing import Any

from redis import Redis


class RedisCache:
    def __init__(self, url: str, *, prefix: str, default_timeout: int = 600) -> None:
        self._redis = Redis.from_url(url)
        self._prefix = prefix
        self._default_timeout = default_timeout

    def get(self, key: str) -> Any:
        raw = self._redis.get(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self._redis.set(self._prefix + key, json.dumps(value), ex=timeout or self._default_timeout)
        return True
