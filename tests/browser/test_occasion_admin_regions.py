"""The admin page of occasions and the regions of a platform, in Chromium on the demo: with no
region the coordinator is told the command to run; after ``platform set-region`` she sees
and may add only her region's occasions, and another region's occasion answers our 403
page. Every page at 390 and 1280 px: no sideways scroll, no axe-core WCAG 2.1 A/AA
violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import click
import pytest
from click.testing import CliRunner, Result

from tests.browser.conftest import Servers, running_servers
from tests.browser.test_occasion_term_flow import fits_and_passes_axe, launch, token
from yrkesresan_adapter.cli import register as register_commands
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO_CLIENT = "yrkesresan-demo"


def platform_cli(servers: Servers, *args: str) -> Result:
    """``yrkesresan platform ARGS`` on the browser app's database."""

    @click.group()
    def cli() -> None:
        pass

    register_commands(cli)
    settings = AdapterState.of(servers.app).settings
    return CliRunner().invoke(cli, ["platform", *args], obj=settings)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(tmp_path_factory.mktemp("regions")) as running:
        yield running


def test_the_coordinator_works_on_her_platforms_regions_only(
    browser: Any, servers: Servers
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    admin = token(launch(context, servers, "Starta som administratör (samordnare)"))
    issuer = f"{servers.tool_url}/demo/platform"
    with servers.app.app_context(), PagesService.of(servers.app).sessions() as db:
        seeded = OccasionService.of(servers.app).plans.find(db)[0]
    cleared = platform_cli(servers, "clear-region", issuer, "--client-id", DEMO_CLIENT)
    assert cleared.exit_code == 0, cleared.output
    page = context.new_page()
    page.goto(f"{servers.tool_url}/pages/admin/occasions/?lt={admin}")
    assert page.get_by_role("heading", name="Lärplattformen samordnar ingen region").is_visible()
    command = f"yrkesresan platform set-region {issuer} REGION --client-id {DEMO_CLIENT}"
    assert page.locator("code.command").inner_text() == command
    assert page.get_by_role("link", name="Lägg till kurstillfälle").count() == 0
    fits_and_passes_axe(page, "admin, no region")

    added = platform_cli(servers, "set-region", issuer, "GR", "--client-id", DEMO_CLIENT)
    assert added.exit_code == 0, added.output
    page.goto(f"{servers.tool_url}/pages/admin/occasions/?lt={admin}")
    assert page.get_by_text("Din lärplattform samordnar: GR.").is_visible()
    assert page.get_by_text(seeded.title or seeded.slug, exact=True).count() == 0
    page.get_by_role("link", name="Lägg till kurstillfälle").click()
    page.wait_for_url("**/pages/admin/occasions/new**")
    region = page.get_by_label("Region")
    assert region.locator("option").all_inner_texts() == ["GR"]
    fits_and_passes_axe(page, "admin, new occasion of GR")

    refused = page.goto(
        f"{servers.tool_url}/pages/admin/occasions/edit?occasion={quote(seeded.iri)}&lt={admin}"
    )
    assert refused is not None
    assert refused.status == 403
    assert page.get_by_text(
        "Kurstillfället hör till en region som din lärplattform inte samordnar."
    ).is_visible()
    fits_and_passes_axe(page, "admin, another region's occasion (403)")
    context.close()
