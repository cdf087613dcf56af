"""What ``bench http`` needs from a running server, prepared over its own API (no database
access, so the bench works against any ``tradewind serve``): shoppers' tokens from the demo
credentials file, well-stocked offers, a flash-sale offer with an exact stock, and the CPU
time of the server, database and generator processes (from /proc)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# A SKU counts as well stocked when this many units are free at the start of a run.
MIN_FREE_UNITS = 200


@dataclass(frozen=True)
class Shop:
    site_id: str
    customer_tokens: tuple[str, ...]
    seller_token: str
    offer_ids: tuple[str, ...]  # the seller's FBA offers with the most free stock
    free_units: int  # free units behind those offers at the start
    product_ids: tuple[str, ...]
    search_terms: tuple[str, ...]


def load_credentials(path: Path, site_id: str) -> tuple[list[str], str]:
    """Customer tokens of ``site_id`` and the token of its 1P retail seller."""
    creds: dict[str, str] = json.loads(path.read_text())
    prefix = f"cus-{site_id.lower()}-"
    customers = [tok for sub, tok in sorted(creds.items()) if sub.startswith(prefix)]
    seller = creds.get(f"retail-{site_id.lower()}")
    if not customers or seller is None:
        raise ValueError(f"{path} has no customers or retail seller of site {site_id}")
    return customers, seller


def prepare_shop(client: httpx.Client, credentials: Path, site_id: str) -> Shop:
    """Shoppers, the retail seller's best-stocked FBA offers and some pages to read."""
    customers, seller = load_credentials(credentials, site_id)
    auth = {"Authorization": f"Bearer {seller}"}
    offers = _get(client, "/api/v1/seller/offers", auth)["data"]
    free: dict[str, int] = {}
    for pos in _get(client, "/api/v1/seller/inventory", auth)["data"]:
        free[pos["product_id"]] = free.get(pos["product_id"], 0) + pos["on_hand"] - pos["reserved"]
    stocked = sorted(
        (
            (free.get(o["product_id"], 0), o["offer_id"])
            for o in offers
            if o["site_id"] == site_id and o["channel"] == "fba" and o["active"]
        ),
        reverse=True,
    )
    chosen = [(units, oid) for units, oid in stocked if units >= MIN_FREE_UNITS][:100]
    if not chosen:
        raise ValueError(f"the retail seller of {site_id} has no offer with stock to sell")
    found = _get(client, f"/api/v1/sites/{site_id}/products", params={"limit": 50})["data"]
    words = sorted({w for p in found for w in p["title"].lower().split()[1:] if w.isalpha()})
    return Shop(
        site_id,
        tuple(customers),
        seller,
        tuple(oid for _, oid in chosen),
        sum(units for units, _ in chosen),
        tuple(p["product_id"] for p in found),
        tuple(words[:40]) or ("a",),
    )


def flash_offer(client: httpx.Client, shop: Shop, units: int) -> str:
    """An active FBM offer of the retail seller holding exactly ``units`` units: its offer
    from an earlier flash sale restocked, else a new one on a product it does not sell."""
    auth = {"Authorization": f"Bearer {shop.seller_token}"}
    mine = _get(client, "/api/v1/seller/offers", auth)["data"]
    for o in mine:
        if o["site_id"] == shop.site_id and o["channel"] == "fbm" and o["price"]["amount"] == 777:
            restock: dict[str, object] = {"quantity": units, "active": True}
            r = client.patch(f"/api/v1/seller/offers/{o['offer_id']}", json=restock, headers=auth)
            r.raise_for_status()
            return str(o["offer_id"])
    sold = {o["product_id"] for o in mine if o["site_id"] == shop.site_id}
    for product_id in _products(client, shop.site_id):
        if product_id in sold:
            continue
        body: dict[str, object] = {
            "product_id": product_id,
            "site_id": shop.site_id,
            "price_minor": 777,  # marks the flash offer for the next run
            "channel": "fbm",
            "quantity": units,
        }
        r = client.post("/api/v1/seller/offers", json=body, headers=auth)
        if r.status_code == 201:
            return str(r.json()["offer_id"])
    raise ValueError("no product left for a flash-sale offer")


def offer_quantity(client: httpx.Client, shop: Shop, offer_id: str) -> int:
    auth = {"Authorization": f"Bearer {shop.seller_token}"}
    return int(_get(client, f"/api/v1/seller/offers/{offer_id}", auth)["quantity"])


def _products(client: httpx.Client, site_id: str) -> Iterator[str]:
    for offset in range(0, 2_000, 50):
        page = _get(
            client, f"/api/v1/sites/{site_id}/products", params={"limit": 50, "offset": offset}
        )["data"]
        yield from (p["product_id"] for p in page)
        if len(page) < 50:
            return


def _get(
    client: httpx.Client,
    path: str,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
) -> Any:
    r = client.get(path, headers=headers, params=params)
    r.raise_for_status()
    return r.json()


# --- where the time goes: CPU seconds of processes, read from /proc (Linux) -----------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def server_pids(port: int) -> list[int]:
    """Processes holding the listening socket of ``port`` (uvicorn's supervisor and workers)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{f[9]}]")
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                pids.append(int(proc.name))
        except OSError:
            continue
    return sorted(pids)


def workers_of(pids: list[int]) -> int:
    """Worker processes among the holders (a supervisor's children); 1 without a supervisor."""
    children = [p for p in pids if (st := _stat(p)) and int(st[1]) in pids]
    return len(children) or len(pids)


def postgres_pids() -> list[int]:
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if (proc / "comm").read_text().strip() in ("postgres", "postmaster"):
                    out.append(int(proc.name))
            except OSError:
                continue
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes and their reaped children."""
    total = 0
    for pid in pids:
        f = _stat(pid)
        if f:
            total += sum(int(x) for x in f[11:15])
    return total / _TICK


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + f[4]
    return float(sum(f) - idle), float(sum(f))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from state (3rd) on


def clock() -> float:
    return time.perf_counter()
