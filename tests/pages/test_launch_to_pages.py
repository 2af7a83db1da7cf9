"""The real LTI launch (platform simulator, OIDC) lands on the pages, per role and node."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.lti_fixtures import LaunchClientFactory

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


def test_a_plain_launch_lands_on_the_journeys(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    assert urlsplit(learner.response.headers["Location"]).path == "/pages/"
    start = learner.get("/pages/")
    chooser = learner.client.get(start.headers["Location"]).get_data(as_text=True)
    # the example catalog has two journeys: the learner picks one, then sees its road
    assert "Välj yrkesresa" in chooser
    assert "Funktionshinder" in chooser
    road = learner.get("/pages/journey?journey=barn-och-unga").get_data(as_text=True)
    assert 'class="road"' in road


def test_a_deep_linked_course_opens_that_course(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner", custom={"yrkesresan_node": COURSE})
    start = learner.get("/pages/")
    assert "/pages/course?" in start.headers["Location"]
    page = learner.client.get(start.headers["Location"]).get_data(as_text=True)
    assert "Förberedelser" in page


def test_the_manager_sees_the_learner_who_launched(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    learner.get("/pages/")
    manager = launched_client("manager")
    page = manager.get("/pages/staff/").get_data(as_text=True)
    assert "Lina Larsson" in page
    mentor = launched_client("mentor")
    assert "Lina Larsson" in mentor.get("/pages/staff/").get_data(as_text=True)
