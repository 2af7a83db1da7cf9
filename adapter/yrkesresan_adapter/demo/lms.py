"""The demo LMS at ``/demo``: the platform simulator plus a course that remembers what the
tool placed in it through deep linking.

:class:`DemoPlatform` signs launches like :class:`PlatformSimulator` and adds what a real
course has: a deep-linking request whose ``deep_link_return_url`` is the demo's own return
endpoint and whose ``data`` is a platform-signed, one-time token; launches of a placed link
carry that link's title, custom parameters and its own AGS line item. It verifies the tool's
signed deep-linking response against the tool's JWKS and stores the returned resource links
(:class:`~yrkesresan_adapter.demo.lms_state.DemoPlatformStore`). The AGS, token and
NRPS endpoints are in :mod:`yrkesresan_adapter.demo.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt

from yrkesresan_adapter.demo.lms_state import DemoPlatformStore, DemoState, PlacedLink
from yrkesresan_adapter.demo.texts import N_, demo_text
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, new_id
from yrkesresan_lti.exceptions import PlatformSimulatorError
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.advantage.deep_linking import CONTENT_ITEMS_CLAIM, DATA_CLAIM
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

ToolJwks = Callable[[], dict[str, Any]]
DEMO_COURSE = "kurs-1"
DATA_LIFETIME = 3600
MAX_ITEMS = 200


def refused(why: str, **details: object) -> PlatformSimulatorError:
    """The demo platform's refusal of a tool's response; ``why`` is a message id."""
    return PlatformSimulatorError(
        demo_text(N_("Demoplattformen tog inte emot svaret: {why}"), why=demo_text(why, **details))
    )


class DemoPlatform(PlatformSimulator):
    """The simulator with a demo course whose state lives in ``store``."""

    def __init__(
        self,
        *,
        issuer: str,
        tool_url: str,
        client_id: str,
        key: SigningKey,
        store: DemoPlatformStore,
        tool_jwks: ToolJwks,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(
            issuer=issuer, tool_url=tool_url, client_id=client_id, key=key, clock=clock
        )
        self.store = store
        self.tool_jwks = tool_jwks

    # --- addresses -----------------------------------------------------------------------
    @property
    def deep_link_return_url(self) -> str:
        return f"{self.issuer}/deep-linking/return"

    @property
    def line_items_url(self) -> str:
        return f"{self.issuer}/lineitems?type_id=1"

    def line_item_url(self, number: int) -> str:
        return f"{self.issuer}/lineitems/{number}/lineitem?type_id=1"

    def placed_launch(self, link: PlacedLink, user: str, locale: str = "sv") -> SimLaunch:
        """The launch of a placed link by a demo user, in ``locale``."""
        return SimLaunch(
            user=user,
            resource_link_id=link.resource_link_id,
            context_id=DEMO_COURSE,
            custom=tuple(link.custom.items()),
            locale=locale,
        )

    # --- launches ---------------------------------------------------------------------------
    def claims(self, launch: SimLaunch, *, nonce: str) -> dict[str, Any]:
        claims = super().claims(launch, nonce=nonce)
        ags = claims[c.AGS_ENDPOINT]
        ags["lineitems"] = self.line_items_url
        del ags["lineitem"]  # a link without a gradebook column has none (Moodle too)
        if launch.message == "deep":
            settings = claims[c.DEEP_LINKING_SETTINGS]
            settings["deep_link_return_url"] = self.deep_link_return_url
            settings["data"] = self._data_token()
            return claims
        link = self.store.link_by_resource_link(launch.resource_link_id)
        if link is not None:
            claims[c.RESOURCE_LINK]["title"] = link.title
            if link.line_item_id is not None:
                ags["lineitem"] = self.line_item_url(link.line_item_id)
        return claims

    def _data_token(self) -> str:
        now = int(self.clock.now().timestamp())
        body = {"iss": self.issuer, "aud": self.issuer, "iat": now, "exp": now + DATA_LIFETIME}
        return self.sign({**body, "jti": new_id(), "purpose": "deep-linking"})

    # --- tokens the tool signs -------------------------------------------------------------
    def verify_tool_jwt(self, token: str, *, audience: str) -> dict[str, Any]:
        """Claims of a JWT the tool signed with a key of its JWKS, for ``audience``."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            keys = [k for k in self.tool_jwks().get("keys", []) if k.get("kid") == kid]
            if not keys:
                raise refused(N_("nyckeln {kid} finns inte i verktygets JWKS"), kid=repr(kid))
            claims: dict[str, Any] = jwt.decode(
                token,
                jwt.PyJWK(keys[0], algorithm="RS256"),
                algorithms=["RS256"],
                audience=audience,
                options={"require": ["iss", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as err:
            raise refused(
                N_("ogiltig JWT ({error})"), error=f"{type(err).__name__}: {err}"
            ) from err
        if claims["iss"] != self.client_id:
            raise refused(
                N_("iss måste vara klient-id {client_id}"), client_id=repr(self.client_id)
            )
        return claims

    def verify_own_jwt(self, token: str, *, audience: str) -> dict[str, Any]:
        """Claims of a token this platform signed (deep-linking data, access tokens)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.public_key_pem(),
                algorithms=["RS256"],
                audience=audience,
                options={"require": ["exp", "jti"]},
            )
        except jwt.PyJWTError as err:
            raise refused(
                N_("plattformens token är ogiltig ({error})"), error=type(err).__name__
            ) from err
        return claims

    # --- the deep-linking response ----------------------------------------------------------
    def receive_deep_link(self, token: str) -> list[PlacedLink]:
        """Verify the tool's ``LtiDeepLinkingResponse`` and place its resource links."""
        if not token:
            raise refused(N_("fältet JWT saknas"))
        claims = self.verify_tool_jwt(token, audience=self.issuer)
        for claim, wanted in (
            (c.MESSAGE_TYPE, "LtiDeepLinkingResponse"),
            (c.VERSION, "1.3.0"),
            (c.DEPLOYMENT_ID, self.deployment_id),
        ):
            if claims.get(claim) != wanted:
                raise refused(N_("{claim} måste vara {wanted}"), claim=claim, wanted=repr(wanted))
        data = claims.get(DATA_CLAIM)
        if not isinstance(data, str):
            raise refused(N_("data från förfrågan skickades inte tillbaka"))
        request = self.verify_own_jwt(data, audience=self.issuer)
        if request.get("purpose") != "deep-linking":
            raise refused(N_("data hör inte till en djuplänkningsförfrågan"))
        items = claims.get(CONTENT_ITEMS_CLAIM, [])
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise refused(
                N_("{claim} måste vara en lista (högst {max})"),
                claim=CONTENT_ITEMS_CLAIM,
                max=MAX_ITEMS,
            )
        links = [_link_fields(item) for item in items if _is_link(item)]
        return self.store.update(
            lambda state: _place(state, str(request["jti"]), int(request["exp"]), links)
        )


def _is_link(item: object) -> bool:
    return isinstance(item, dict) and item.get("type") == "ltiResourceLink"


def _link_fields(item: dict[str, Any]) -> dict[str, Any]:
    title, custom, line_item = item.get("title"), item.get("custom", {}), item.get("lineItem")
    if not isinstance(title, str) or not title.strip():
        raise refused(N_("en länk saknar titel (title)"))
    if not isinstance(custom, dict) or not all(isinstance(v, str) for v in custom.values()):
        raise refused(N_("custom måste vara ett objekt med textvärden"))
    if line_item is not None:
        maximum = line_item.get("scoreMaximum") if isinstance(line_item, dict) else None
        if not isinstance(maximum, int | float) or isinstance(maximum, bool) or maximum <= 0:
            raise refused(N_("lineItem.scoreMaximum måste vara ett positivt tal"))
    return {"title": title.strip()[:255], "custom": custom, "lineItem": line_item}


def _place(state: DemoState, jti: str, exp: int, links: list[dict[str, Any]]) -> list[PlacedLink]:
    if jti in state["used_jtis"]:
        raise refused(N_("svaret är redan mottaget"))
    state["used_jtis"][jti] = exp
    placed = []
    for fields in links:
        number = state["next_id"]
        state["next_id"] += 1
        line_item = fields.pop("lineItem")
        if line_item is not None:
            state["line_items"].append(
                {
                    "number": number,
                    "label": str(line_item.get("label") or fields["title"]),
                    "scoreMaximum": line_item["scoreMaximum"],
                    "resourceId": line_item.get("resourceId"),
                    "tag": line_item.get("tag"),
                    "resourceLinkId": f"demo-link-{number}",
                }
            )
        body = {"id": number, **fields, "line_item_id": number if line_item else None}
        state["links"].append(body)
        placed.append(PlacedLink.from_json(body))
    return placed
