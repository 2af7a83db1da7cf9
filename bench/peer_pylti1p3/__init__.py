"""The baseline of ``bench/launch.py``: a minimal LTI 1.3 tool on pylti1p3next, written like
pylti1p3's own Flask example (``dmitry-viskov/pylti1.3-flask-example``, ``game/app.py``).

It is *not* part of Yrkesresan and does less than our launch: no single-use nonce (pylti1p3
only looks a nonce up), no ``aud``/``azp`` check, no stored launch behind a token for
cookie-less navigation, and it renders its page in the launch's POST answer (no redirect).
It gets pylti1p3's recommended speed-ups: a tool configuration built once, the platform's
key set cached with ``set_public_key_caching`` and a launch cache shared by every gunicorn
worker (Redis), so the benchmark compares us with the fastest way a developer would write it.
"""
