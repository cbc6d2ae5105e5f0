"""A year and more of past activity behind the follow-up's figures, and the benchmark's
baseline (bench/bench_figures.py), by figures source.

Each installed app's demo module has ``history(*, today, months=24, scale=1) -> int``: it
creates ``months`` of past activity ending ``today`` so the figures look real (``scale`` 1 is
a believable year for a municipality of 14,000; the benchmark raises it), is idempotent at
the same ``today``/``scale`` and returns how many rows it created."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.apps import apps

from frivillig_blocks import figures

#: figures source key -> (demo module, the source's principal table, its date field). The
#: benchmark's baseline runs one aggregate query on the table per figure.
SOURCES = {
    "booking": ("booking", "booking.Loan", "created_at"),
    "kalender": ("kalender", "kalender.EventDetails", "published_at"),
    "boers": ("boers", "boers.Post", "created_at"),
    "initiativpris": ("initiativpris", "initiativpris.Vote", "confirmed_at"),
    "kurser": ("kurser", "kurser.Registration", "queued_at"),
    "henvendelser": ("henvendelser", "henvendelser.Inquiry", "received_at"),
    "feedback": ("feedback", "opfoelgning.Feedback", "created_at"),
}


def create(*, today: dt.date, months: int = 24, scale: int = 1) -> dict[str, int]:
    """The history of every registered figures source the demo knows: rows created, by key."""
    created = {}
    for source in figures.sources():
        if source.key not in SOURCES:
            continue
        module = import_module(f"dragoer.demo.{SOURCES[source.key][0]}")
        created[source.key] = module.history(today=today, months=months, scale=scale)
    return created


def baseline(key: str):
    """The figures source's principal table and its date field: ``(model, field name)``."""
    _module, model, field = SOURCES[key]
    return apps.get_model(model), field
