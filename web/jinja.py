"""The Jinja2 environment of the workspace's pages (Django's Jinja2 backend): the same engine as
the reports, several times faster than Django templates on pages of a hundred rows and fields."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment

from rules import vn
from scoring.results import PROVISIONAL_NOTE, band_text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(
        url=lambda name, *args: reverse(name, args=args),
        messages=get_messages,
        band_text=band_text,  # "Khá (tạm tính)": the mark every ranking shows
        provisional_note=PROVISIONAL_NOTE,
    )
    env.filters.update(
        num=lambda x: "" if x is None or x == "" else vn.number(x),
        idx=lambda x: "—" if x is None else vn.index(x),
        when=_when,
        filesize=filesizeformat,
        width=lambda x: f"{x or 0:.2f}",
    )
    return env
