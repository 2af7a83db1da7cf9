"""``yrkesresan demo seed``: a year shaped like the programme's own figures, played into
the demo through the tool's own launches, pages and services (:mod:`.plan` draws it,
:mod:`.player` and :mod:`.year` play it, its LMSs are :mod:`.platforms`)."""

from yrkesresan_adapter.demo.seed.model import Municipality, Shape
from yrkesresan_adapter.demo.seed.plan import demo_municipalities, plan_year
from yrkesresan_adapter.demo.seed.platforms import SeedPlatform
from yrkesresan_adapter.demo.seed.player import Player, SeedClock, SeededIds
from yrkesresan_adapter.demo.seed.year import already_seeded, seed_year

__all__ = [
    "Municipality",
    "Player",
    "SeedClock",
    "SeedPlatform",
    "SeededIds",
    "Shape",
    "already_seeded",
    "demo_municipalities",
    "plan_year",
    "seed_year",
]
