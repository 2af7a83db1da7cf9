"""The real LTI launch (platform simulator, OIDC) lands on the pages, per role and node."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.lti_fixtures import LaunchClientFactory

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


def test_a_plain_launch_lands_on_the_journeys(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    # the launch redirects straight to the first real page (no hop through /pages/)
    first = learner.response.headers["Location"]
    assert urlsplit(first).path == "/pages/journey"
    chooser = learner.client.get(first).get_data(as_text=True)
    # the example catalog has two journeys: the learner picks one, then sees its road
    assert "Välj yrkesresa" in chooser
    assert "Funktionshinder" in chooser
    road = learner.get("/pages/journey?journey=barn-och-unga").get_data(as_text=True)
    assert 'class="road"' in road


def test_a_deep_linked_course_opens_that_course(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner", custom={"yrkesresan_node": COURSE})
    assert "/pages/course?" in learner.response.headers["Location"]
    page = learner.client.get(learner.response.headers["Location"]).get_data(as_text=True)
    assert "Förberedelser" in page
    start = learner.get("/pages/")  # an old link to /pages/ still leads to the same page
    assert start.headers["Location"] == learner.response.headers["Location"]


def test_a_manager_launch_lands_on_the_staff_view(launched_client: LaunchClientFactory) -> None:
    manager = launched_client("manager")
    assert urlsplit(manager.response.headers["Location"]).path == "/pages/staff/"


def test_a_launch_of_a_removed_node_answers_404(launched_client: LaunchClientFactory) -> None:
    gone = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/finns-inte"
    learner = launched_client("learner", custom={"yrkesresan_node": gone})
    assert (
        learner.client.get(learner.response.headers["Location"], follow_redirects=True).status_code
        == 404
    )


def test_the_launch_itself_registers_the_learner(launched_client: LaunchClientFactory) -> None:
    launched_client("learner")  # no page visited after the launch
    manager = launched_client("manager")
    assert "Lina Larsson" in manager.get("/pages/staff/").get_data(as_text=True)


def test_the_manager_sees_the_learner_who_launched(launched_client: LaunchClientFactory) -> None:
    learner = launched_client("learner")
    learner.get("/pages/")
    manager = launched_client("manager")
    page = manager.get("/pages/staff/").get_data(as_text=True)
    assert "Lina Larsson" in page
    mentor = launched_client("mentor")
    assert "Lina Larsson" in mentor.get("/pages/staff/").get_data(as_text=True)
