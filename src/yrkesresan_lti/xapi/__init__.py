"""xAPI for Yrkesresan: vocabulary, statement builders, validation and the xAPI Profile.

Delivery to a learning record store lives in :mod:`yrkesresan_lti.xapi.client` and the
outbox; this package only makes statements that are valid and byte-stable.
"""
