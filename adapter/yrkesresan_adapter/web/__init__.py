"""What every page and endpoint shares: ``/healthz`` and ``/readyz`` (:mod:`.health`),
languages (:mod:`.i18n`), request logging (:mod:`.request_log`), the one catalog of the app
(:mod:`.catalog`) and the xAPI profile document (:mod:`.xapi_profile`). It imports no
feature; every feature may use it.
"""
