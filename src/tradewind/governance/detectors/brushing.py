"""Fake orders / brushing rings: pure graph features over the buyer–seller–address graph.

A brushing ring is a set of accounts that buy from the same few sellers, often ship to a
handful of addresses (or to addresses that never receive anything else), and review nearly
every order. Features are computed per seller in plain Python; buyers who bought from very
many sellers are left out of the pair counts (genuine heavy shoppers, and a quadratic cost).

A ring seller's fake orders hide among its honest ones and a day rarely links two ring sellers,
so each seller is also tested against the whole population: are its orders far more often
reviewed five stars, shipped to drops (addresses many accounts use but few sellers deliver to;
parcel lockers see as many sellers as parcels), or placed by accounts that ship to several
addresses, than the platform's base rates make likely (a binomial tail)? Each is weak
alone; two of them together are the evidence a ring leaves even in one day of orders.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from math import exp, lgamma, log

from tradewind.governance.scores import (
    Detector,
    DetectorScore,
    Evidence,
    Subject,
    SubjectKind,
    score_from_evidence,
)


@dataclass(frozen=True, slots=True)
class OrderFact:
    order_id: str
    buyer_id: str
    seller_id: str
    ship_to: str  # a normalised address key
    reviewed: bool = False
    review_rating: int = 0  # the review's stars, 0 if none
    site: str = ""  # the site it was placed on (sellers' market shares are per site)


@dataclass(frozen=True, slots=True)
class BrushingParams:
    min_orders: int = 5
    min_shared_buyers: int = 3
    ring_overlap: float = 0.5  # share of my buyers who also bought from the other seller
    # ... or this many times the shared buyers two independent sellers would have by chance
    # (|B_s| * |B_t| / all buyers): a ring hidden among honest volume still co-buys.
    ring_lift: float = 10.0
    accounts_per_address: int = 3
    # A drop's parcels come from far fewer sellers than the same number of orders drawn from
    # the site's market shares would (a parcel locker's match the shares).
    drop_seller_diversity: float = 0.5
    max_sellers_per_buyer: int = 50
    review_rate: float = 0.8
    w_ring: float = 0.5
    w_shared_address: float = 0.4
    w_captive_address: float = 0.4
    w_review_rate: float = 0.3
    # Tail probability below which a seller's excess over the base rate counts as evidence.
    alpha: float = 0.05
    w_excess: float = 0.5  # each, when two or more tests fire
    # One test firing alone is common by chance across many sellers and hourly looks.
    w_excess_alone: float = 0.15


@dataclass(frozen=True, slots=True)
class SellerGraphFeatures:
    seller_id: str
    orders: int
    buyers: int
    max_buyer_overlap: float
    ring: tuple[str, ...]  # sellers in the same ring (itself included), or empty
    shared_address_share: float
    captive_address_share: float
    review_rate: float
    # The same three shares over only the orders placed by buyers shared with the ring.
    ring_orders: int = 0
    ring_shared_address_share: float = 0.0
    ring_review_rate: float = 0.0
    # Binomial tail probabilities of the seller's counts under the population's base rates.
    p_five_star: float = 1.0
    p_drop_address: float = 1.0
    p_address_hopping: float = 1.0


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), in log space (large n stays finite)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    lp, lq, total = log(p), log(1.0 - p), 0.0
    for i in range(k, n + 1):
        total += exp(lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) + i * lp + (n - i) * lq)
    return min(1.0, total)


def _excess(
    by_seller: dict[str, list[OrderFact]], flags: dict[str, list[bool]]
) -> dict[str, tuple[float, ...]]:
    """Per seller, the binomial tail of each flag's count under its population rate."""
    n_all = sum(len(v) for v in by_seller.values()) or 1
    rates = {name: sum(f) / n_all for name, f in flags.items()}
    out: dict[str, tuple[float, ...]] = {}
    start = 0
    for s, mine in by_seller.items():
        end = start + len(mine)
        out[s] = tuple(
            binomial_tail(sum(f[start:end]), len(mine), rates[name]) for name, f in flags.items()
        )
        start = end
    return out


def expected_sellers(n: int, shares: list[float]) -> float:
    """Distinct sellers expected among ``n`` orders drawn from market ``shares``."""
    return sum(1.0 - (1.0 - q) ** n for q in shares)


def _drops(
    orders: list[OrderFact],
    accounts_at: dict[str, set[str]],
    sellers_at: dict[str, set[str]],
    p: BrushingParams,
) -> set[str]:
    """Addresses many accounts ship to whose parcels come from far fewer sellers than the
    site's market shares predict: a drop, not a parcel locker or a busy household."""
    per_site: dict[str, Counter[str]] = defaultdict(Counter)
    orders_at: dict[str, int] = defaultdict(int)
    site_of: dict[str, Counter[str]] = defaultdict(Counter)
    for o in orders:
        per_site[o.site][o.seller_id] += 1
        orders_at[o.ship_to] += 1
        site_of[o.ship_to][o.site] += 1
    shares = {site: [n / sum(c.values()) for n in c.values()] for site, c in per_site.items()}
    out = set()
    for a, accs in accounts_at.items():
        if len(accs) < p.accounts_per_address:
            continue
        site = site_of[a].most_common(1)[0][0]
        expected = expected_sellers(orders_at[a], shares[site])
        if len(sellers_at[a]) <= p.drop_seller_diversity * expected:
            out.add(a)
    return out


def _pair_overlap(
    buyers_of: dict[str, set[str]], sellers_of: dict[str, set[str]], p: BrushingParams
) -> dict[str, dict[str, int]]:
    shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sellers in sellers_of.values():
        if len(sellers) > p.max_sellers_per_buyer:
            continue
        for a, b in combinations(sorted(sellers), 2):
            shared[a][b] += 1
            shared[b][a] += 1
    return shared


def _rings(links: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """Connected components of the seller–seller ring links (size >= 2)."""
    out: dict[str, tuple[str, ...]] = {}
    for start in sorted(links):
        if start in out:
            continue
        seen, stack = {start}, [start]
        while stack:
            for nxt in links[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        members = tuple(sorted(seen))
        for m in members:
            out[m] = members
    return out


def seller_graph_features(
    orders: list[OrderFact], params: BrushingParams | None = None
) -> dict[str, SellerGraphFeatures]:
    """Features per seller from a window of orders."""
    p = params or BrushingParams()
    buyers_of: dict[str, set[str]] = defaultdict(set)
    sellers_of: dict[str, set[str]] = defaultdict(set)
    accounts_at: dict[str, set[str]] = defaultdict(set)
    sellers_at: dict[str, set[str]] = defaultdict(set)
    for o in orders:
        buyers_of[o.seller_id].add(o.buyer_id)
        sellers_of[o.buyer_id].add(o.seller_id)
        accounts_at[o.ship_to].add(o.buyer_id)
        sellers_at[o.ship_to].add(o.seller_id)
    shared = _pair_overlap(buyers_of, sellers_of, p)
    overlap: dict[str, float] = {}
    links: dict[str, set[str]] = defaultdict(set)
    population = max(1, len(sellers_of))
    for s, others in shared.items():
        best = 0.0
        for t, n in others.items():
            frac = n / len(buyers_of[s])
            best = max(best, frac)
            chance = len(buyers_of[s]) * len(buyers_of[t]) / population
            if n >= p.min_shared_buyers and (frac >= p.ring_overlap or n >= p.ring_lift * chance):
                links[s].add(t)
                links[t].add(s)
        overlap[s] = best
    rings = _rings(links)
    by_seller: dict[str, list[OrderFact]] = defaultdict(list)
    for o in orders:
        by_seller[o.seller_id].append(o)
    addresses_of: dict[str, set[str]] = defaultdict(set)
    for o in orders:
        addresses_of[o.buyer_id].add(o.ship_to)
    drops = _drops(orders, accounts_at, sellers_at, p)
    flat = [o for mine in by_seller.values() for o in mine]
    excess = _excess(
        by_seller,
        {
            "five_star": [o.review_rating == 5 for o in flat],
            "drop_address": [o.ship_to in drops for o in flat],
            "address_hopping": [len(addresses_of[o.buyer_id]) >= 2 for o in flat],
        },
    )
    out: dict[str, SellerGraphFeatures] = {}
    for s, mine in sorted(by_seller.items()):
        ring = rings.get(s, ())
        circle = set(ring) | {s}
        n = len(mine)
        shared_addr = sum(len(accounts_at[o.ship_to]) >= p.accounts_per_address for o in mine)
        captive = sum(sellers_at[o.ship_to] <= circle for o in mine)
        partners = set(ring) - {s}
        in_ring = [o for o in mine if partners & sellers_of[o.buyer_id]]
        k = max(1, len(in_ring))
        out[s] = SellerGraphFeatures(
            seller_id=s,
            orders=n,
            buyers=len(buyers_of[s]),
            max_buyer_overlap=overlap.get(s, 0.0),
            ring=ring,
            shared_address_share=shared_addr / n,
            captive_address_share=captive / n if ring else 0.0,
            review_rate=sum(o.reviewed for o in mine) / n,
            ring_orders=len(in_ring),
            ring_shared_address_share=sum(
                len(accounts_at[o.ship_to]) >= p.accounts_per_address for o in in_ring
            )
            / k,
            ring_review_rate=sum(o.reviewed for o in in_ring) / k,
            p_five_star=excess[s][0],
            p_drop_address=excess[s][1],
            p_address_hopping=excess[s][2],
        )
    return out


def score_brushing(f: SellerGraphFeatures, params: BrushingParams | None = None) -> DetectorScore:
    """Turn one seller's graph features into a score with named evidence."""
    p = params or BrushingParams()
    subject = Subject(SubjectKind.SELLER, f.seller_id)
    if f.orders < p.min_orders:
        return DetectorScore(Detector.BRUSHING, subject, 0.0)
    ev: list[Evidence] = []
    if f.ring:
        ev.append(
            Evidence(
                "buyer_ring",
                f"{f.max_buyer_overlap:.0%} of buyers shared with ring {', '.join(f.ring)}",
                p.w_ring,
            )
        )
    # Within a ring, judge the ring's own orders: honest volume must not hide them.
    ring_ok = bool(f.ring) and f.ring_orders >= p.min_orders
    addr = max(f.shared_address_share, f.ring_shared_address_share if ring_ok else 0.0)
    if addr >= 0.5:
        ev.append(
            Evidence(
                "shared_ship_to",
                f"{addr:.0%} of (ring) orders go to addresses used by "
                f">= {p.accounts_per_address} accounts",
                p.w_shared_address * addr,
            )
        )
    if f.captive_address_share >= 0.5:
        ev.append(
            Evidence(
                "captive_addresses",
                f"{f.captive_address_share:.0%} of orders go to addresses with no other purchases",
                p.w_captive_address * f.captive_address_share,
            )
        )
    reviewed = max(f.review_rate, f.ring_review_rate if ring_ok else 0.0)
    if reviewed >= p.review_rate:
        ev.append(
            Evidence(
                "review_every_order", f"{reviewed:.0%} of (ring) orders reviewed", p.w_review_rate
            )
        )
    ev.extend(_excess_evidence(f, p))
    return score_from_evidence(Detector.BRUSHING, subject, ev)


def _excess_evidence(f: SellerGraphFeatures, p: BrushingParams) -> list[Evidence]:
    tests = (
        ("excess_five_star_reviews", f.p_five_star, "five-star reviewed orders"),
        (
            "excess_drop_addresses",
            f.p_drop_address,
            "orders to drops (many accounts, few sellers)",
        ),
        ("excess_address_hopping", f.p_address_hopping, "orders by accounts using 2+ addresses"),
    )
    fired = [(code, pv, what) for code, pv, what in tests if pv < p.alpha]
    w = p.w_excess if len(fired) >= 2 else p.w_excess_alone
    return [
        Evidence(code, f"{what}: P = {pv:.4f} under the platform's base rate", w)
        for code, pv, what in fired
    ]


def address_account_counts(orders: list[OrderFact]) -> Counter[str]:
    """How many distinct accounts ship to each address (for operator evidence views)."""
    accounts: dict[str, set[str]] = defaultdict(set)
    for o in orders:
        accounts[o.ship_to].add(o.buyer_id)
    return Counter({addr: len(a) for addr, a in accounts.items()})
