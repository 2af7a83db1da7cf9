"""Benchmark: ``yrkesresan report`` reading an LRS, against a raw paged GET of the same
statements in the same run.

    .venv/bin/python bench/report.py --no-replay                  # Ralph, 1,000,000 statements
    .venv/bin/python bench/report.py --no-ralph --n 200000        # the replay LRS only

The history: learners of the example catalog, about ten statements each as the tool builds
them (``StatementFactory``, profile 1.5: registered, attended, tasks opened and done,
progress, a goal reached, the overall rating, the course completed), in 2026 and 2027, from
municipalities all over Sweden.

Two servers, each read the two ways:

* **Ralph 5.1** (the FS backend, the project's test LRS), its store written straight into
  its file (POSTing a million statements into the FS backend is quadratic: it reads the
  store on every write). Ralph's FS backend answers every page by reading its file from
  the first line (``json.loads`` of each) until it has passed the ``search_after``
  statement of the ``more`` link and collected ``limit`` more, so a read of N statements
  at P a page parses about N²/2P lines, plus one more whole pass for the empty page Ralph
  offers when N is a multiple of P. The page is therefore the largest Ralph is told to
  allow: ``RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT`` (default 100) set to
  ``--ralph-page-size``, which both readers ask for as ``limit`` and then follow Ralph's
  ``more``. The default 334,000 makes a million three pages (334,000, 334,000, 332,000:
  about 2.0 million lines parsed per read; 100,000 a page would parse 6.5 million, about
  100 µs each, and a page holds ~16 KB of Python objects per statement on each side).
  That is Ralph's cost, paid equally by both readers; each read prints the CPU seconds
  of the reader and of Ralph's process.
* **a replay LRS**: a local HTTP server that answers each page from memory, so what is
  measured is the client's own work (HTTP, JSON, paging; for the report also the facts and
  the figures).

(a) raw: ``requests`` GET ``/statements?limit=…`` on one keep-alive session, following
    ``more``, ``response.json()`` of every page, statements counted;
(b) ours: :class:`LrsReader` and :func:`figures_from_lrs` (every check, voiding, figures).

The rounds alternate the order; the best round of each counts (the machine is shared) and
the median of the per-round ratios b/a is printed too. Target: b/a >= 0.8 (issue 14).
Not a test: run it and record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from yrkesresan_adapter.demo.ralph import RalphServer, install
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.municipalities import municipalities
from yrkesresan_lti.reports.lrs_report import figures_from_lrs
from yrkesresan_lti.reports.reader import LrsReader
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

HEADERS = {"X-Experience-API-Version": "1.0.3"}


class Clock:
    """The factory's clock: moves through 2026 and 2027 as the history is built."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.moment += timedelta(seconds=47)
        return self.moment

    def monotonic(self) -> float:
        return 0.0


def templates(seed: int = 14, learners: int = 400) -> list[list[dict[str, Any]]]:
    """The statements of ``learners`` learners as the tool builds them (StatementFactory)."""
    rng = random.Random(seed)
    catalog = load_catalog(default_catalog_path())
    factory = StatementFactory(catalog, Pseudonymizer("b" * 32), clock=Clock())  # type: ignore[arg-type]
    courses = [course for _, _, course in catalog.courses() if course.occasions]
    places = list(municipalities())
    made = []
    for person in range(learners):
        course = rng.choice(courses)
        occasion = rng.choice(course.occasions)
        learner = Learner(
            issuer="https://lms.example.se",
            sub=f"person-{person}",
            client_id="c",
            deployment_id="d",
            platform_name="LMS",
            municipality=rng.choice(places) if rng.random() < 0.95 else None,
        )
        tasks = [t.iri for t in course.preparation.tasks][:2]
        rating = rng.choice((3, 4, 4, 5, 5))
        answer = EvaluationAnswer(
            question="helhet",
            text={"sv": "Hur bra var kursen som helhet?"},
            response=str(rating),
            score=rating,
        )
        made.append(
            [
                factory.registered(learner, occasion.iri),
                *(factory.task_opened(learner, t) for t in tasks),
                *(factory.task_completed(learner, t) for t in tasks),
                factory.progress_changed(learner, course.preparation.iri, 100),
                *(factory.course_day_attended(learner, day.iri) for day in occasion.days),
                factory.goal_reached(learner, course.goals[0].iri),
                factory.evaluation_answered(learner, course.iri, answer),
                factory.course_completed(learner, course.iri),
            ]
        )
    return made


def history(n: int, seed: int = 14) -> list[dict[str, Any]]:
    """``n`` statements: the learners of :func:`templates` again and again, each time as
    other people (new actor, ids and times, another municipality)."""
    return list(iter_history(n, seed))


def iter_history(n: int, seed: int = 14) -> Iterator[dict[str, Any]]:
    """The statements of :func:`history` one by one (a million need not be held at once)."""
    rng = random.Random(seed)
    learners = templates(seed)
    places = list(municipalities())
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    made = 0
    person = 0
    while made < n:
        for statements in learners:
            person += 1
            place = rng.choice(places)
            actor = {
                "objectType": "Agent",
                "account": {"homePage": "https://lms.example.se", "name": f"p{person:08d}"},
            }
            moment = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            for number, statement in enumerate(statements):
                context = dict(statement["context"])
                extensions = {}
                for key, value in context["extensions"].items():
                    if key.endswith("/municipality-code"):
                        value = place.code
                    elif key.endswith("/county-code"):
                        value = place.county.code
                    elif key.endswith("/municipality-name"):
                        value = place.name
                    extensions[key] = value
                context["extensions"] = extensions
                yield (
                    {
                        **statement,
                        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "actor": actor,
                        "context": context,
                        "timestamp": (moment + timedelta(minutes=number))
                        .isoformat(timespec="milliseconds")
                        .replace("+00:00", "Z"),
                    }
                )
                made += 1
                if made == n:
                    return


def write_ralph_store(path: Path, statements: Iterable[dict[str, Any]]) -> int:
    """Ralph's FS store: one JSON statement a line, with ``stored`` and ``authority``;
    the number of statements written."""
    authority = {"objectType": "Agent", "account": {"homePage": "https://bench", "name": "b"}}
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for statement in statements:
            stored = {**statement, "stored": statement["timestamp"], "authority": authority}
            out.write(json.dumps(stored, separators=(",", ":")) + "\n")
            written += 1
    return written


class Replay:
    """An LRS that answers each page from memory (``more``: ``?page=k``)."""

    def __init__(self, statements: list[dict[str, Any]], page_size: int) -> None:
        self.pages: list[bytes] = []
        for start in range(0, len(statements), page_size):
            nxt = start // page_size + 1
            more = f"/xAPI/statements?page={nxt}" if start + page_size < len(statements) else ""
            body = {"statements": statements[start : start + page_size], "more": more}
            self.pages.append(json.dumps(body, separators=(",", ":")).encode())
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                body = pages[int(query.get("page", ["0"])[0])] if pages else b'{"statements":[]}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}/xAPI/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def raw_read(target: LrsTarget, page_size: int) -> tuple[float, int]:
    """(a): seconds and statements of a plain paged GET."""
    with requests.Session() as session:
        if target.username:
            password = target.password.get_secret_value() if target.password else ""
            session.auth = (target.username, password)
        url: str | None = urljoin(target.endpoint, "statements")
        params: dict[str, str] | None = {"limit": str(page_size)}
        count = 0
        began = time.perf_counter()
        while url:
            answer = session.get(url, params=params, headers=HEADERS, timeout=600)
            answer.raise_for_status()
            page = answer.json()
            count += len(page["statements"])
            more = page.get("more")
            url, params = (urljoin(target.endpoint, more), None) if more else (None, None)
        return time.perf_counter() - began, count


def report_read(target: LrsTarget, page_size: int) -> tuple[float, int]:
    """(b): seconds and users of the report's reader and figures."""
    target = target.model_copy(update={"read_timeout": 600.0})
    began = time.perf_counter()
    with LrsReader(target) as reader:
        figures = figures_from_lrs(reader, page_size=page_size)
    return time.perf_counter() - began, figures.total.users


def measure(
    name: str,
    target: LrsTarget,
    n: int,
    page_size: int,
    rounds: int,
    server_cpu: Callable[[], float] = lambda: 0.0,
) -> None:
    """Both readers, alternating, ``rounds`` times; each read also prints the CPU seconds
    of this process (the reader) and of the server (``server_cpu``, Ralph's process)."""
    results: list[tuple[float, float]] = []
    for number in range(rounds):
        order = ("a", "b") if number % 2 == 0 else ("b", "a")
        timed: dict[str, float] = {}
        for which in order:
            cpu, served = time.process_time(), server_cpu()
            if which == "a":
                seconds, count = raw_read(target, page_size)
                assert count == n, (count, n)
            else:
                seconds, _ = report_read(target, page_size)
            cpu, served = time.process_time() - cpu, server_cpu() - served
            timed[which] = n / seconds
            print(
                f"  {name} round {number + 1} ({which}): {seconds:.0f} s, "
                f"{n / seconds:.0f}/s, reader CPU {cpu:.0f} s, server CPU {served:.0f} s, "
                f"load {load()}",
                flush=True,
            )
        results.append((timed["a"], timed["b"]))
        print(
            f"  {name} round {number + 1}: (a) {timed['a']:.0f}/s  (b) {timed['b']:.0f}/s  "
            f"b/a {timed['b'] / timed['a']:.2f}",
            flush=True,
        )
    a = max(r[0] for r in results)
    b = max(r[1] for r in results)
    paired = statistics.median(r[1] / r[0] for r in results)
    print(f"{name}: (a) raw paged GET {a:10.0f} statements/s  (best of {rounds})")
    print(f"{name}: (b) yrkesresan report {b:9.0f} statements/s  (best of {rounds})")
    print(f"{name}: b/a = {b / a:.2f}  (target >= 0.8; median of per-round ratios {paired:.2f})")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="statements in the replay LRS")
    parser.add_argument(
        "--ralph-n",
        type=int,
        default=1_000_000,
        help="statements in Ralph (at most --n when the replay LRS runs too)",
    )
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument(
        "--ralph-page-size",
        type=int,
        default=334_000,
        help="Ralph's page (RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT and the readers' limit): "
        "its FS backend reads the file from the start for every page",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-ralph", action="store_true", help="only the replay LRS")
    parser.add_argument("--no-replay", action="store_true", help="only Ralph")
    args = parser.parse_args()
    began = time.perf_counter()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {load()}")
    statements: list[dict[str, Any]] = []
    if not args.no_replay:
        statements = history(args.n)
        n = len(statements)
        print(f"{n} statements built in {time.perf_counter() - began:.0f} s")
        print(f"replay LRS, {n} statements, page size {args.page_size}")
        replay = Replay(statements, args.page_size)
        try:
            measure("replay", LrsTarget(endpoint=replay.endpoint), n, args.page_size, args.rounds)
        finally:
            replay.close()
    if not args.no_ralph:
        ralph(args, statements)
    print(f"wall time {time.perf_counter() - began:.0f} s, load average at the end: {load()}")


def ralph(args: argparse.Namespace, statements: list[dict[str, Any]]) -> None:
    """Ralph's part: its store written (from the replay's statements, or built as written)."""
    install()
    os.environ["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = str(args.ralph_page_size)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        data = Path(tmp)
        (data / "lrs").mkdir()
        began = time.perf_counter()
        source = statements[: args.ralph_n] if statements else iter_history(args.ralph_n)
        n = write_ralph_store(data / "lrs" / "fs_lrs.jsonl", source)
        statements.clear()
        size = (data / "lrs" / "fs_lrs.jsonl").stat().st_size
        print(
            f"Ralph 5.1, FS backend, {n} statements ({size / 1e6:.0f} MB, written in "
            f"{time.perf_counter() - began:.0f} s), page size {args.ralph_page_size}",
            flush=True,
        )
        with RalphServer(data_dir=data) as server:
            pid = server.pid
            assert pid is not None
            measure(
                "ralph",
                server.lrs_target(),
                n,
                args.ralph_page_size,
                args.rounds,
                server_cpu=lambda: process_cpu(pid),
            )


if __name__ == "__main__":
    main()
