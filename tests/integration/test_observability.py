"""Request ids, liveness/readiness and the database-unavailable answer of the web app."""

import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from tests.integration.seed import make_shop
from tests.integration.tcp_proxy import TcpProxy
from tradewind.bootstrap import bootstrap
from tradewind.platform.db.engine import make_engine
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(db_url, engine):
    app = create_app(bootstrap(Settings(database_url=db_url), engine=engine))
    with TestClient(app) as c:
        yield c


def test_a_valid_request_id_is_echoed_and_a_bad_one_replaced(client):
    """A caller's X-Request-ID comes back; one with odd characters or too long is replaced."""
    ok = client.get("/healthz", headers={"X-Request-ID": "abc.DEF_1:2-3"})
    assert ok.headers["X-Request-ID"] == "abc.DEF_1:2-3"
    for bad in ("two words", "x" * 65, "tab\there", "a/../b", "<script>"):
        r = client.get("/healthz", headers={"X-Request-ID": bad})
        rid = r.headers["X-Request-ID"]
        assert rid != bad and len(rid) == 32 and int(rid, 16) >= 0
    fresh = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(fresh) == 3


def test_problems_carry_the_request_id(client):
    """A problem body names the request id that its header carries."""
    r = client.get("/api/v1/orders", headers={"X-Request-ID": "trace-me-42"})
    assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["request_id"] == "trace-me-42"
    assert r.headers.get_list("X-Request-ID") == ["trace-me-42"]


def test_healthz_and_readyz(client):
    """Both answer 200 with the serving process's pid while the database is reachable."""
    for path, status in (("/healthz", "ok"), ("/readyz", "ready")):
        body = client.get(path).json()
        assert body["status"] == status and body["pid"] > 0


@pytest.fixture()
def proxied(postgres_url):
    """The app on the session's PostgreSQL database, reached through a proxy we can cut."""
    url = make_url(postgres_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    via = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    engine = make_engine(via, pool_size=4)
    app = create_app(bootstrap(Settings(database_url=via), engine=engine))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, engine, proxy
    proxy.close()
    engine.dispose()


def _checkout(client, shop, key):
    h = {"Authorization": f"Bearer {shop.tokens[shop.customers[0]]}", "Idempotency-Key": key}
    body = {"lines": [{"offer_id": shop.offers["b1"], "quantity": 1}]}
    return client.post("/api/v1/checkout", json=body, headers=h)


def test_database_outage_is_a_503_problem_and_recovers_by_itself(proxied):
    """While PostgreSQL is unreachable every request answers fast with a 503
    database_unavailable problem (no hang, no 500); once it is back, the pooled connections
    are replaced by pre-ping and checkout works again; no committed order is lost."""
    client, engine, proxy = proxied
    shop = make_shop(engine, near_stock=50, far_stock=50)
    placed = []
    for _ in range(3):  # warm the pool: these connections die with the cut
        r = _checkout(client, shop, uuid.uuid4().hex)
        assert r.status_code == 201
        placed.append(r.json()["order_id"])
    proxy.cut()
    answers: list[tuple[int, str, float]] = []

    def shopper() -> None:
        t0 = time.perf_counter()
        r = _checkout(client, shop, uuid.uuid4().hex)
        answers.append((r.status_code, r.headers["content-type"], time.perf_counter() - t0))
        if r.status_code == 503:
            assert r.json()["code"] == "database_unavailable"
            assert r.headers["Retry-After"] == "1"

    threads = [threading.Thread(target=shopper) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert [a[0] for a in answers] == [503] * 6
    assert all(a[1].startswith(PROBLEM) and a[2] < 10 for a in answers)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["code"] == "database_unavailable"
    assert client.get("/healthz").status_code == 200  # alive: no restart wanted
    proxy.restore()
    r = _checkout(client, shop, uuid.uuid4().hex)
    assert r.status_code == 201, r.text
    placed.append(r.json()["order_id"])
    assert client.get("/readyz").status_code == 200
    h = {"Authorization": f"Bearer {shop.tokens[shop.customers[0]]}"}
    listed = {o["order_id"] for o in client.get("/api/v1/orders", headers=h).json()["data"]}
    assert listed == set(placed)
