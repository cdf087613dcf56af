"""SqlEventStore, the tracking CLI and the tracking route on SQLite and PostgreSQL.

Every test builds its own journey (unique SKU, serials, packages, tote, trailer, places and
orders), so tests share the session database without seeing each other's events.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.integration.seed import make_shop
from tests.integration.statements import StatementCounter
from tradewind.bootstrap import bootstrap
from tradewind.platform.settings import Settings, get_settings
from tradewind.platform.web.app import create_app
from tradewind.shared.clock import FixedClock
from tradewind.tracking.adapters import InMemoryEventStore, JsonSchemaEpcisValidator
from tradewind.tracking.adapters.cli import epcis_app, track_command
from tradewind.tracking.adapters.routes import router
from tradewind.tracking.adapters.sql_store import SqlEventStore
from tradewind.tracking.adapters.tables import (
    tracking_event_epcs,
    tracking_event_transactions,
    tracking_events,
)
from tradewind.tracking.adapters.wiring import tracking_service
from tradewind.tracking.identifiers import (
    CONTAINER_EXTENSION_DIGIT,
    Gtin,
    LocationKind,
    giai,
    order_transaction,
    sgln,
    sgtin,
    sscc,
)
from tradewind.tracking.jsonld import event_to_jsonld
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.services import TrackingService
from tradewind.tracking.steps import PhysicalStep, Step, build_event

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
runner = CliRunner()


@dataclass(frozen=True)
class Journey:
    """Two orders share a tote and a trailer from the FC to a delivery station (as in the
    unit tests' ``two_orders_one_trailer``); A is delivered after a failed attempt."""

    item: Gtin
    unit_a: str
    unit_b: str
    package_a: str
    package_b: str
    tote: str
    trailer: str
    fc: str
    station: str
    home: str
    order_a: str
    order_b: str

    @classmethod
    def new(cls, order_a: str | None = None) -> Journey:
        tag = secrets.token_hex(4)
        item = Gtin.tradewind(secrets.randbelow(10**6))
        return cls(
            item=item,
            unit_a=sgtin(item, f"A{tag}"),
            unit_b=sgtin(item, f"B{tag}"),
            package_a=sscc(secrets.randbelow(10**10)),
            package_b=sscc(secrets.randbelow(10**10)),
            tote=sscc(secrets.randbelow(10**10), CONTAINER_EXTENSION_DIGIT),
            trailer=giai(f"TRL-{tag}"),
            fc=sgln(LocationKind.FULFILLMENT_CENTER, f"FC-{tag}"),
            station=sgln(LocationKind.DELIVERY_STATION, f"DS-{tag}"),
            home=sgln(LocationKind.CUSTOMER_ADDRESS, f"adr_{tag}"),
            order_a=order_a or f"ord_A{tag}",
            order_b=f"ord_B{tag}",
        )

    def steps(self) -> list[PhysicalStep]:
        s = _step
        return [
            s(Step.RECEIVE_INBOUND, -600, self.fc, epcs=(self.unit_a, self.unit_b)),
            s(Step.STOW, -590, self.fc, epcs=(self.unit_a, self.unit_b)),
            s(Step.PICK, 0, self.fc, epcs=(self.unit_a,), order_id=self.order_a),
            s(
                Step.PACK,
                5,
                self.fc,
                parent=self.package_a,
                epcs=(self.unit_a,),
                order_id=self.order_a,
            ),
            s(Step.PICK, 6, self.fc, epcs=(self.unit_b,), order_id=self.order_b),
            s(
                Step.PACK,
                8,
                self.fc,
                parent=self.package_b,
                epcs=(self.unit_b,),
                order_id=self.order_b,
            ),
            s(Step.SORT, 10, self.fc, epcs=(self.package_a,)),
            s(Step.LOAD, 12, self.fc, parent=self.tote, epcs=(self.package_a,)),
            s(Step.LOAD, 13, self.fc, parent=self.tote, epcs=(self.package_b,)),
            s(Step.LOAD, 15, self.fc, parent=self.trailer, epcs=(self.tote,)),
            s(Step.DEPART, 20, self.fc, epcs=(self.trailer,), destination=self.station),
            s(Step.ARRIVE, 200, self.station, epcs=(self.trailer,)),
            s(Step.UNLOAD, 205, self.station, parent=self.trailer),
            s(Step.UNPACK, 210, self.station, parent=self.tote, epcs=(self.package_a,)),
            s(Step.ARRIVE_AT_DELIVERY_STATION, 211, self.station, epcs=(self.package_a,)),
            s(
                Step.OUT_FOR_DELIVERY,
                300,
                self.station,
                epcs=(self.package_a,),
                destination=self.home,
            ),
            s(
                Step.DELIVERY_FAILED,
                360,
                self.home,
                epcs=(self.package_a,),
                reason="recipient_absent",
            ),
            s(Step.DELIVERED, 1800, self.home, epcs=(self.package_a,)),
            # The trailer's next trip is without the tote: in nobody's chain.
            s(Step.DEPART, 2000, self.station, epcs=(self.trailer,), destination=self.fc),
        ]


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def _step(kind: Step, minutes: int, location: str, **kw) -> PhysicalStep:
    return PhysicalStep(step=kind, at=_at(minutes), location=location, **kw)


def _steps(events: list[EpcisEvent]) -> list[str]:
    return [(e.biz_step or "").rsplit("-", 1)[-1].rsplit(":", 1)[-1] for e in events]


def _ids(events: list[EpcisEvent]) -> list[str | None]:
    return [e.event_id for e in events]


@pytest.fixture(scope="module")
def tracking(engine) -> TrackingService:
    return tracking_service(engine, clock=FixedClock(datetime(2026, 11, 28, 12, tzinfo=UTC)))


@pytest.fixture(scope="module")
def store(engine) -> SqlEventStore:
    return SqlEventStore(engine)


def _recorded(
    tracking: TrackingService, journey: Journey
) -> tuple[list[EpcisEvent], InMemoryEventStore]:
    """Record the journey in the database; the same events in an in-memory store too."""
    events = tracking.record(journey.steps())
    memory = InMemoryEventStore()
    memory.add(events)
    return events, memory


def _rows(engine, table, seqs) -> int:
    with engine.connect() as c:
        return c.execute(
            select(func.count()).select_from(table).where(table.c.seq.in_(seqs))
        ).scalar_one()


def test_add_is_one_transaction_of_three_statements_and_idempotent(engine, store):
    """A batch is 3 statements; re-sending it (or part of it) stores nothing twice."""
    drafts = [build_event(s) for s in Journey.new().steps()]
    with StatementCounter(engine, include_begin=False) as counter:
        assert store.add([]) == 0
    assert counter.n == 0
    hashed = [d.with_id(f"ni:///sha-256;{secrets.token_hex(32)}?ver=CBV2.0") for d in drafts]
    with StatementCounter(engine, include_begin=False) as counter:
        assert store.add(hashed) == len(hashed)
    assert counter.n == 3
    with StatementCounter(engine, include_begin=False) as counter:
        assert store.add([*hashed[:5], hashed[0]]) == 0
    assert counter.n == 1
    ids = [e.event_id for e in hashed]
    with engine.connect() as c:
        seqs = c.scalars(
            select(tracking_events.c.seq).where(tracking_events.c.event_id.in_(ids))
        ).all()
    assert len(seqs) == len(hashed)
    epcs_per_event = sum(len(e.epcs()) for e in hashed)
    assert _rows(engine, tracking_event_epcs, seqs) == epcs_per_event
    assert _rows(engine, tracking_event_transactions, seqs) == 4  # 2 picks + 2 packs
    fc = sgln(LocationKind.FULFILLMENT_CENTER, f"FC-{secrets.token_hex(4)}")
    unit, kit = sorted(hashed[0].epcs())[0], giai(f"KIT-{secrets.token_hex(4)}")
    repack = build_event(_step(Step.REPACKAGE, 9, fc, epcs=(unit,), outputs=(kit,))).with_id(
        f"ni:///sha-256;{secrets.token_hex(32)}?ver=CBV2.0"
    )
    assert store.add([hashed[3], repack, hashed[4]]) == 1  # only the new one counts
    with engine.connect() as c:
        roles = c.execute(
            select(tracking_event_epcs.c.role, tracking_event_epcs.c.epc)
            .join(tracking_events, tracking_events.c.seq == tracking_event_epcs.c.seq)
            .where(tracking_events.c.event_id == repack.event_id)
            .order_by(tracking_event_epcs.c.role)
        ).all()
    assert [tuple(r) for r in roles] == [("input", unit), ("output", kit)]


def test_recording_the_same_steps_twice_keeps_one_copy(engine, tracking, store):
    """The event hash makes re-recording a physical step a no-op."""
    journey = Journey.new()
    first = tracking.record(journey.steps())
    chain = store.order_chain(order_transaction(journey.order_a))
    again = tracking.record(journey.steps())
    assert _ids(again) == _ids(first) and len(set(_ids(first))) == len(first)
    assert store.add(again) == 0
    assert store.order_chain(order_transaction(journey.order_a)) == chain
    with engine.connect() as c:
        stored = c.execute(
            select(func.count())
            .select_from(tracking_events)
            .where(tracking_events.c.event_id.in_([e.event_id for e in first]))
        ).scalar_one()
    assert stored == len(first)


def test_chain_of_custody_follows_tote_and_trailer_in_one_statement(engine, tracking, store):
    """A package's chain has the tote's and trailer's events while inside (same as memory)."""
    journey = Journey.new()
    _, memory = _recorded(tracking, journey)
    with StatementCounter(engine, include_begin=False) as counter:
        chain = store.chain_of_custody([journey.package_a])
    assert counter.n == 1
    assert _steps(chain) == [
        "packing",
        "staging_outbound",
        "loading",
        "loading",
        "departing",
        "arriving",
        "unloading",
        "unpacking",
        "receiving",
        "departing",
        "delivery_attempt_failed",
        "accepting",
    ]
    assert all(journey.package_b not in e.epcs() for e in chain)
    assert chain == memory.chain_of_custody([journey.package_a])
    unit_chain = store.chain_of_custody([journey.unit_a])
    assert _steps(unit_chain)[:4] == ["receiving", "storing", "picking", "packing"]
    assert unit_chain == memory.chain_of_custody([journey.unit_a])
    assert store.chain_of_custody([sscc(secrets.randbelow(10**10))]) == []


def test_order_chain_is_private_and_matches_memory(engine, tracking, store):
    """Each order sees only its own unit's custody; B's chain ends when its tote is unloaded."""
    journey = Journey.new()
    _, memory = _recorded(tracking, journey)
    tx_a, tx_b = order_transaction(journey.order_a), order_transaction(journey.order_b)
    with StatementCounter(engine, include_begin=False) as counter:
        chain_a = store.order_chain(tx_a)
    assert counter.n == 1
    assert _steps(chain_a)[0] == "picking" and _steps(chain_a)[-1] == "accepting"
    assert all(
        journey.unit_b not in e.epcs() and journey.package_b not in e.epcs() for e in chain_a
    )
    assert chain_a == memory.order_chain(tx_a)
    chain_b = store.order_chain(tx_b)
    assert _steps(chain_b) == [
        "picking",
        "packing",
        "loading",
        "loading",
        "departing",
        "arriving",
        "unloading",
    ]
    assert chain_b == memory.order_chain(tx_b)
    assert store.order_chain(order_transaction(f"ord_none_{secrets.token_hex(4)}")) == []


def test_where_is_every_unit_of_a_sku(engine, tracking, store):
    """A was delivered in its package; B waits in its package and tote at the station."""
    journey = Journey.new()
    _, memory = _recorded(tracking, journey)
    with StatementCounter(engine, include_begin=False) as counter:
        units = tracking.units_of(journey.item)
    assert counter.n == 1
    assert set(units) == {journey.unit_a, journey.unit_b}
    a, b = units[journey.unit_a], units[journey.unit_b]
    assert (a.location, a.disposition, a.carriers) == (
        journey.home,
        "urn:tradewind:disp:delivered",
        (journey.package_a,),
    )
    assert b.location == journey.station and b.carriers == (journey.package_b, journey.tote)
    assert units == memory.whereabouts_of_class(journey.item.epc_class)


def test_events_at_a_location_in_a_time_window(engine, tracking, store):
    """Half-open window on eventTime, matching read point or business location."""
    journey = Journey.new()
    _, memory = _recorded(tracking, journey)
    start, end = _at(200), _at(300)
    with StatementCounter(engine, include_begin=False) as counter:
        found = store.events_at(journey.station, start, end)
    assert counter.n == 1
    assert _steps(found) == ["arriving", "unloading", "unpacking", "receiving"]
    assert found == memory.events_at(journey.station, start, end)
    # OUT_FOR_DELIVERY at 300 is excluded by ``< end`` and included from 300 on; it is read
    # at the station while its business location is empty (in transit).
    later = store.events_at(journey.station, _at(300), _at(3000))
    assert _steps(later) == ["departing", "departing"]
    assert store.events_at(journey.home, _at(0), _at(361))[0].extension("tw:reason") == (
        "recipient_absent"
    )


def test_exported_document_validates_against_the_gs1_schema(tracking):
    """The order's EPCIS document passes GS1's EPCIS 2.0 JSON schema; events round-trip."""
    journey = Journey.new()
    events, _ = _recorded(tracking, journey)
    document = tracking.order_document(journey.order_a)
    JsonSchemaEpcisValidator().validate(document)
    listed = document["epcisBody"]["eventList"]
    chain = tracking.order_events(journey.order_a)
    assert listed == [event_to_jsonld(e) for e in chain]
    by_id = {e.event_id: e for e in events}
    assert all(by_id[e.event_id] == e for e in chain)


# --- CLI --------------------------------------------------------------------------------------


@pytest.fixture()
def cli(db_url, monkeypatch):
    """A Typer app with the tracking commands, on the session database."""
    app = typer.Typer()
    app.command("track")(track_command)
    app.add_typer(epcis_app, name="epcis")
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield app
    get_settings.cache_clear()


def test_cli_track_export_where_and_at(cli, tracking, tmp_path):
    """`track --json`, `epcis export` (stdout and --out), `epcis where`, `epcis at`."""
    journey = Journey.new()
    _recorded(tracking, journey)
    chain = tracking.order_events_jsonld(journey.order_a)

    tracked = runner.invoke(cli, ["track", journey.order_a, "--json"])
    assert tracked.exit_code == 0, tracked.output
    data = json.loads(tracked.stdout)
    assert data == {"order_id": journey.order_a, "events": chain}
    times = [e["eventTime"] for e in data["events"]]
    assert times == sorted(times)
    table = runner.invoke(cli, ["track", journey.order_a])
    assert table.exit_code == 0 and "packing" in table.stdout

    exported = runner.invoke(cli, ["epcis", "export", "--order", journey.order_a])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout)
    JsonSchemaEpcisValidator().validate(document)
    assert document["epcisBody"]["eventList"] == [
        {k: v for k, v in e.items() if k != "@context"} for e in chain
    ]
    out = tmp_path / "doc.jsonld"
    to_file = runner.invoke(cli, ["epcis", "export", "--order", journey.order_a, "--out", str(out)])
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert json.loads(out.read_text())["epcisBody"] == document["epcisBody"]

    where = runner.invoke(cli, ["epcis", "where", "--gtin", journey.item.gtin14, "--json"])
    assert where.exit_code == 0, where.output
    units = {u["epc"]: u for u in json.loads(where.stdout)["units"]}
    assert units[journey.unit_a]["location"] == journey.home
    assert units[journey.unit_b]["carriers"] == [journey.package_b, journey.tote]

    at = runner.invoke(
        cli,
        [
            "epcis",
            "at",
            "--location",
            journey.station,
            "--from",
            _at(200).isoformat(),
            "--to",
            _at(300).isoformat(),
            "--json",
        ],
    )
    assert at.exit_code == 0, at.output
    assert len(json.loads(at.stdout)["events"]) == 4


def test_cli_errors_exit_1_with_the_code(cli):
    """No events for an order, or a bad GTIN: a clear message on stderr and exit code 1."""
    missing = runner.invoke(cli, ["track", f"ord_none_{secrets.token_hex(4)}", "--json"])
    assert missing.exit_code == 1 and missing.stdout == ""
    assert "tracking_no_events" in missing.stderr
    export = runner.invoke(cli, ["epcis", "export", "--order", "ord_nothing_here"])
    assert export.exit_code == 1 and "tracking_no_events" in export.stderr
    bad = runner.invoke(cli, ["epcis", "where", "--gtin", "123"])
    assert bad.exit_code == 1 and "tracking_invalid_identifier" in bad.stderr
    naive = runner.invoke(
        cli,
        [
            "epcis",
            "at",
            "--location",
            "urn:x:y",
            "--from",
            "2026-11-26T00:00",
            "--to",
            "2026-11-27T00:00Z",
        ],
    )
    assert naive.exit_code == 2


# --- API --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(db_url, engine):
    app = create_app(bootstrap(Settings(database_url=db_url), engine=engine))
    app.include_router(router, prefix="/api/v1")
    with TestClient(app) as c:
        yield c


def test_api_tracking_is_for_the_orders_customer_only(client, engine, tracking):
    """The owner gets the CLI's JSON; another customer and unknown orders get 404."""
    shop = make_shop(engine)
    owner, other = shop.customers
    h = {"Authorization": f"Bearer {shop.tokens[owner]}"}
    placed = client.post(
        "/api/v1/checkout",
        json={"lines": [{"offer_id": shop.offers["a1"], "quantity": 1}]},
        headers={**h, "Idempotency-Key": "t1"},
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]
    url = f"/api/v1/orders/{order_id}/tracking"

    before = client.get(url, headers=h)
    assert before.status_code == 404 and before.json()["code"] == "tracking_no_events"

    journey = Journey.new(order_a=order_id)
    _recorded(tracking, journey)
    got = client.get(url, headers=h)
    assert got.status_code == 200, got.text
    assert got.json() == {"order_id": order_id, "events": tracking.order_events_jsonld(order_id)}
    assert _steps(tracking.order_events(order_id))[-1] == "accepting"

    stranger = client.get(url, headers={"Authorization": f"Bearer {shop.tokens[other]}"})
    assert stranger.status_code == 404 and stranger.json()["code"] == "order_not_found"
    unknown = client.get("/api/v1/orders/nope/tracking", headers=h)
    assert unknown.status_code == 404 and unknown.json()["code"] == "order_not_found"
    assert client.get(url).status_code == 401
