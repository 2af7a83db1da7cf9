"""The manager's staff view for a region: SQL queries and time per page, as a curve.

A synthetic catalog (10 courses × 10 tasks, 3 knowledge goals each) and N learners in one
LMS context who have done a random share of the tasks (about half: 5,000 staff have
~248,000 completed-task rows). Counts every SQL statement the page sends (target ≤ 10)
and times the whole request through Flask, wall clock and this process's CPU time (targets at
5,000 staff: staff page ≤ 150 ms, CSV ≤ 250 ms; on a loaded machine the CPU time is what the
page would take alone), against a baseline of the journey page of one learner in the same app; then
prints the curve (time per 1,000 staff must not grow from 500 to 20,000 staff).

    PYTHONPATH=.:bench .venv/bin/python bench/manager_view.py [rounds] [staff ...]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from mark_done import make_app
from sqlalchemy import event, insert

from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.lti.context import ToolRole

COURSES, TASKS_PER_COURSE, GOALS_PER_COURSE = 10, 10, 3


def synthetic_catalog() -> Catalog:
    def task(c: int, t: int) -> dict[str, Any]:
        return {
            "slug": f"uppgift-{t}",
            "title": {"sv": f"Uppgift {t} i kurs {c}"},
            "kind": "text",
            "url": f"https://example.org/{c}/{t}",
            "motivation": {"sv": "Därför."},
            "estimated_time": "PT30M",
            "goals": [f"mal-{t % GOALS_PER_COURSE}"],
        }

    courses = [
        {
            "slug": f"kurs-{c}",
            "title": {"sv": f"Kurs {c}"},
            "description": {"sv": "Beskrivning."},
            "goals": [
                {"slug": f"mal-{g}", "title": {"sv": f"Kunskapsmål {g} i kurs {c}"}}
                for g in range(GOALS_PER_COURSE)
            ],
            "preparation": {"tasks": [task(c, t) for t in range(TASKS_PER_COURSE // 2)]},
            "course_days": {"description": {"sv": "Kursdagar."}},
            "follow_up": {
                "tasks": [task(c, t) for t in range(TASKS_PER_COURSE // 2, TASKS_PER_COURSE)]
            },
        }
        for c in range(COURSES)
    ]
    return Catalog.model_validate(
        {
            "iri_base": "https://yrkesresan.se/id/",
            "version": "bench",
            "title": {"sv": "Bänk"},
            "journeys": [
                {
                    "slug": "bank",
                    "title": {"sv": "Bänkresan"},
                    "area": {"sv": "Område"},
                    "target_groups": [{"sv": "Alla"}],
                    "responsible_organisation": "SKR",
                    "description": {"sv": "För mätning."},
                    "phases": [
                        {
                            "slug": "ny",
                            "title": {"sv": "Ny"},
                            "years_min": 0,
                            "years_max": 2,
                            "courses": courses,
                        }
                    ],
                }
            ],
        }
    )


def populate(app: Any, catalog: Catalog, staff: int) -> None:
    service = PagesService.of(app)
    tables = service.store.tables
    tasks = [t.iri for _, _, course in catalog.courses() for t in course.tasks]
    scope = {
        "issuer": "https://moodle.example.se",
        "client_id": "client-1",
        "deployment_id": "dep-1",
        "context_id": "course-42",
    }
    now = datetime.now(UTC)
    rng = random.Random(7)
    learners, states = [], []
    for i in range(staff):
        sub = f"learner-{i}"
        learners.append(
            {
                **scope,
                "user_sub": sub,
                "name": f"Person {i:03d}",
                "role": "learner",
                "first_seen_at": now,
                "last_activity_at": now - timedelta(hours=i),
            }
        )
        for iri in rng.sample(tasks, rng.randint(0, len(tasks))):
            states.append(
                {
                    **scope,
                    "user_sub": sub,
                    "task_iri": iri,
                    "completed_at": now,
                    "statement_id": "00000000-0000-4000-8000-000000000000",
                    "updated_at": now,
                }
            )
    with service.sessions() as db:
        db.execute(insert(tables.learners), learners)
        db.execute(insert(tables.task_states), states)
    print(f"staff: {staff}, tasks: {len(tasks)}, completed task rows: {len(states)}")


def measure(staff: int, rounds: int) -> dict[str, float]:
    catalog = synthetic_catalog()
    app, launches = make_app(catalog)
    populate(app, catalog, staff)
    manager = launches.add("boss", ToolRole.MANAGER)
    learner = launches.add("learner-1")
    client = app.test_client()
    queries: list[str] = []
    engine = AdapterState.of(app).services.db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: queries.append(a[2]))

    def run(url: str) -> tuple[float, int, float]:
        queries.clear()
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries), cpu

    pages = {
        "staff (all courses)": f"/pages/staff/?lt={manager}",
        "staff (one course, per goal)": f"/pages/staff/?lt={manager}&course=kurs-3",
        "staff CSV export": f"/pages/staff/export.csv?lt={manager}",
        "baseline: one learner's journey": f"/pages/journey?lt={learner}",
    }
    medians: dict[str, float] = {}
    for name, url in pages.items():
        run(url)  # warm-up
        samples = [run(url) for _ in range(rounds)]
        medians[name] = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[2] for s in samples)
        medians[f"{name}, CPU"] = cpu
        print(
            f"{name:34s} median {medians[name] * 1000:7.1f} ms (CPU {cpu * 1000:7.1f} ms), "
            f"SQL queries {samples[-1][1]}",
            flush=True,
        )
    base = medians["baseline: one learner's journey"]
    for name in pages:
        print(f"ratio to the baseline: {name:34s} {medians[name] / base:5.1f}")
    AdapterState.of(app).services.db.dispose()
    return medians


def main(rounds: int = 7, sizes: tuple[int, ...] = (500, 1_000, 2_000, 5_000, 20_000)) -> None:
    curve = {staff: measure(staff, rounds) for staff in sizes}
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("curve: staff, then median ms and ms per 1,000 staff (must not grow); CPU the same")
    for name in ("staff (all courses)", "staff CSV export"):
        print(f"  {name}")
        for staff, medians in curve.items():
            ms, cpu = medians[name] * 1000, medians[f"{name}, CPU"] * 1000
            print(
                f"    {staff:6d}: {ms:8.1f} ms  {ms / staff * 1000:6.1f} ms per 1,000  "
                f"(CPU {cpu:8.1f} ms  {cpu / staff * 1000:6.1f} per 1,000)"
            )


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:]]
    main(*numbers[:1], *([tuple(numbers[1:])] if numbers[1:] else []))
