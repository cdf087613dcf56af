"""Reviewing accounts' security log (issue 8): changes of their sign-in contact details.

An aged account a review farm buys (or takes over) changes hands: the buyer replaces the email
address and phone number so the seller cannot recover it, from the buyer's own device. A
platform's security log records that, as it records honest people changing a number or an
address. Drawn for every reviewing account on a stream of its own, after histories and devices
(every other stream is unchanged).

Assumptions, each with its reason (no public data gives these rates; set before measuring, the
honest ones on the generous side so the signal is not free):

* an honest account changes its email address at 3 % a year and its phone number at 8 % a year
  (numbers change hands more often than addresses), one at a time; 30 % of those changes are
  made from a device first seen that session (a new phone);
* an honest account also replaces both together from a new device at 2 % a year: moving
  country, a fresh start, or winning back an account that was hijacked. This is the pattern a
  handover leaves, so honest accounts show it too;
* 70 % of a farm's ``bought`` accounts show the handover: email and phone replaced together
  from a device the account never used, 90-200 days before the window (before the farm's
  reviews of the last 90 days). The other 30 % were sold "with the original email": nothing
  changed, nothing to see;
* ``fresh`` and ``veteran`` farm accounts and brushing-ring accounts were opened with the
  farm's own details and never change them.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from tradewind_bench.fraud.records import Activity, ContactChangeRec

YEAR = timedelta(days=365)
EMAIL_PER_YEAR = 0.03
PHONE_PER_YEAR = 0.08
REPLACE_BOTH_PER_YEAR = 0.02
NEW_DEVICE_SHARE = 0.3
HANDOVER_SHARE = 0.7
HANDOVER_DAYS_BEFORE = (90.0, 200.0)


def _poisson_times(
    lo: datetime, hi: datetime, per_year: float, rng: random.Random
) -> list[datetime]:
    """Event times of a Poisson process of ``per_year`` events a year over ``[lo, hi]``."""
    out: list[datetime] = []
    at = lo
    while True:
        at += YEAR * rng.expovariate(per_year)
        if at > hi:
            return out
        out.append(at)


def _honest_changes(
    created: datetime, start: datetime, rng: random.Random
) -> list[ContactChangeRec]:
    out = [
        ContactChangeRec(at, True, False, rng.random() < NEW_DEVICE_SHARE)
        for at in _poisson_times(created, start, EMAIL_PER_YEAR, rng)
    ]
    out += [
        ContactChangeRec(at, False, True, rng.random() < NEW_DEVICE_SHARE)
        for at in _poisson_times(created, start, PHONE_PER_YEAR, rng)
    ]
    out += [
        ContactChangeRec(at, True, True, True)
        for at in _poisson_times(created, start, REPLACE_BOTH_PER_YEAR, rng)
    ]
    return out


def draw_contact_changes(act: Activity, rng: random.Random) -> None:
    """Fill ``ReviewerRec.contact_changes`` for every reviewing account (deterministic)."""
    out = {}
    for account, rec in sorted(act.reviewers.items()):
        profile = rec.actor.rpartition(":")[2]
        changes: list[ContactChangeRec] = []
        if rec.label is None:
            changes = _honest_changes(rec.created_at, act.start, rng)
        elif profile == "bought" and rng.random() < HANDOVER_SHARE:
            days = rng.uniform(*HANDOVER_DAYS_BEFORE)
            changes = [ContactChangeRec(act.start - timedelta(days=days), True, True, True)]
        changes.sort(key=lambda c: c.at)
        out[account] = replace(rec, contact_changes=tuple(changes))
    act.reviewers = out
