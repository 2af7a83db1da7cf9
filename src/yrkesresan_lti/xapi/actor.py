"""The statement's actor: a pseudonymous account by default, a name/e-mail only if allowed."""

from __future__ import annotations

from typing import Any

from tincan import Agent, AgentAccount

from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer


def learner_actor(learner: Learner, pseudonymizer: Pseudonymizer) -> Agent:
    """``account{homePage: issuer, name: HMAC(issuer, sub)}``; with ``send_names`` the
    learner's ``mbox`` replaces the account when the e-mail is known, and ``name`` is added.

    An Agent has exactly one identifier either way.
    """
    if learner.send_names:
        if learner.email:
            return Agent(mbox=f"mailto:{learner.email}", name=learner.name)
        agent = _account_agent(learner, pseudonymizer)
        if learner.name:
            agent.name = learner.name
        return agent
    return _account_agent(learner, pseudonymizer)


def learner_actor_json(learner: Learner, pseudonymizer: Pseudonymizer) -> dict[str, Any]:
    """:func:`learner_actor` as JSON; the usual pseudonymous account is written directly
    (the same JSON tincan gives for it), the rest goes through tincan."""
    if learner.send_names:
        data: dict[str, Any] = learner_actor(learner, pseudonymizer).as_version()
        return data
    name = pseudonymizer.pseudonym(learner.issuer, learner.sub)
    return {"objectType": "Agent", "account": {"homePage": learner.issuer, "name": name}}


def _account_agent(learner: Learner, pseudonymizer: Pseudonymizer) -> Agent:
    return Agent(
        account=AgentAccount(
            home_page=learner.issuer, name=pseudonymizer.pseudonym(learner.issuer, learner.sub)
        )
    )
