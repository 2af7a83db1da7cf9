"""The programme's figures from the tool's own database (issue 14, point 4).

:mod:`.schema` and :mod:`.ledger` keep the events the figures count, written with the
statements; :mod:`.query` computes a :class:`~yrkesresan_lti.reports.figures.Figures` from
them in SQL; ``yrkesresan stats`` (:mod:`yrkesresan_adapter.cli.stats`) and the admin's
statistics page show it.
"""
