"""Devices reviewing accounts log in from (issue 8): the account–device graph a platform keeps
from its login records, drawn for every reviewing account on a stream of its own (reviews,
histories and every other stream are unchanged).

Assumptions, each with its reason (no public data gives these rates):

* an honest account uses its own phone or computer (a second one for 30 %); members of one
  household (accounts whose orders go to the same home) share a family device half the time,
  so honest devices carry up to the household's size (1-3 accounts here);
* 2 % of honest accounts also logged in on a public device (a library or shop terminal), one of
  20 per site, so a few honest strangers share one;
* a review farm or brushing ring runs its accounts from a pool of 2-6 phones; an account sticks
  to 1-2 of them, a bought account also keeps its first owner's device, and 25 % of the
  group's accounts randomise their fingerprint (each login looks like a new device), which
  hides them from this signal altogether.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

from tradewind_bench.fraud.records import Activity

PUBLIC_DEVICES_PER_SITE = 20


def _homes(act: Activity) -> dict[str, set[str]]:
    """Home address -> the honest reviewing accounts whose orders go there."""
    homes: dict[str, set[str]] = defaultdict(set)
    for o in act.orders:
        if o.label is None and o.ship_to.startswith("addr:cus-") and o.buyer_id in act.reviewers:
            homes[o.ship_to].add(o.buyer_id)
    return homes


def _site(account: str) -> str:
    parts = account.split("-")
    return parts[1] if len(parts) > 2 else "xx"


def draw_devices(act: Activity, rng: random.Random) -> None:
    """Fill ``ReviewerRec.devices`` for every reviewing account (deterministic per seed)."""
    devices: dict[str, list[str]] = {a: [] for a in act.reviewers}
    for home, members in sorted(_homes(act).items()):
        if len(members) > 1 and rng.random() < 0.5:
            for m in sorted(members):
                devices[m].append(f"dev-home-{home[5:]}")
    pools: dict[str, list[str]] = {}
    for account, rec in sorted(act.reviewers.items()):
        group, _, profile = rec.actor.rpartition(":")
        mine = devices[account]
        if rec.label is None:
            mine.append(f"dev-{account}-0")
            if rng.random() < 0.3:
                mine.append(f"dev-{account}-1")
            if rng.random() < 0.02:
                k = rng.randrange(PUBLIC_DEVICES_PER_SITE)
                mine.append(f"dev-public-{_site(account)}-{k}")
            continue
        if group not in pools:
            pools[group] = [f"dev-{group}-{k}" for k in range(rng.randint(2, 6))]
        if rng.random() < 0.25:
            mine.append(f"dev-{account}-random")
            continue
        mine.extend(rng.sample(pools[group], k=min(len(pools[group]), rng.randint(1, 2))))
        if profile == "bought":
            mine.append(f"dev-{account}-0")
    act.reviewers = {a: replace(r, devices=tuple(devices[a])) for a, r in act.reviewers.items()}
