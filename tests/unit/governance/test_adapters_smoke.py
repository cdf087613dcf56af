"""Smoke tests of the heavy adapters and the bench command on small samples of shared data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import typer
from typer.testing import CliRunner

from tradewind.governance.detectors.tax import DeclaredTaxId, SellerTaxProfile, score_tax_profile
from tradewind.governance.ports import TaxIdStatus
from tradewind.platform.taxids import StdnumTaxIdValidator
from tradewind_bench.governance import cli as bench_governance
from tradewind_bench.governance.reviews import ReviewSettings, evaluate_reviews, load_reviews
from tradewind_bench.governance.upu import (
    UpuSettings,
    evaluate_upu,
    load_upu,
    neighbour_mean_max,
    subsample,
)

SMALL_UPU = UpuSettings(seed=0, gbt_max_iter=50, rf_trees=30, iforest_trees=50)


def bench_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root."""

    bench = typer.Typer()
    bench_governance.register(bench)
    app.add_typer(bench, name="bench")
    return app


def test_stdnum_validator_checks_checksums() -> None:
    """Real checksums: a valid DE number passes, one changed digit fails."""
    v = StdnumTaxIdValidator()
    assert v.validate("DE", "DE136695976").status is TaxIdStatus.VALID
    assert v.validate("DE", "DE136695977").status is TaxIdStatus.INVALID_CHECKSUM
    assert v.validate("GR", "EL094259216").valid
    assert v.validate("ZZ", "1").status is TaxIdStatus.UNSUPPORTED_COUNTRY
    prof = SellerTaxProfile("s", "DE", (DeclaredTaxId("DE", "DE136695977"),), {})
    assert "invalid_tax_id" in score_tax_profile(prof, v, {}).evidence_codes


def test_neighbour_aggregation_on_a_path_graph() -> None:
    """Mean and max over neighbours on 0-1-2 (plus an isolated node 3)."""
    import scipy.sparse as sp

    adj = sp.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]], float))
    x = np.array([[1.0], [2.0], [4.0], [8.0]])
    mean, mx, deg = neighbour_mean_max(adj, x)
    assert mean.ravel().tolist() == [2.0, 2.5, 2.0, 0.0]
    assert mx.ravel().tolist() == [2.0, 4.0, 2.0, 0.0]
    assert deg.tolist() == [1.0, 2.0, 1.0, 0.0]


def test_upu_on_a_subsample(fraud_data: Path) -> None:
    """On 2,000 sampled users both scores beat chance by a wide margin."""
    data = subsample(load_upu(fraud_data / "amazon_upu.mat"), 2_000, seed=0)
    out = evaluate_upu(data, SMALL_UPU)
    assert out["auc_supervised"] > 0.9
    assert out["auc_unsupervised"] > 0.7
    assert 0.0 <= out["f1_macro"] <= 1.0


def _write_sample(src: Path, dst: Path, rows: slice) -> None:
    with src.open(encoding="utf-8", newline="") as fh:
        data = list(csv.DictReader(fh))[rows]
    with dst.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["label", "text"])
        w.writeheader()
        w.writerows(data)


def test_reviews_cv_on_a_subsample(fraud_data: Path, tmp_path: Path) -> None:
    """400 reviews, 2-fold CV: both models well above chance."""
    small = tmp_path / "train.csv"
    _write_sample(fraud_data / "fake_reviews_train.csv", small, slice(0, 400))
    s = ReviewSettings(folds=2, inner_folds=2, gbt_max_iter=50)
    out = evaluate_reviews(load_reviews(small), settings=s)
    assert out["accuracy"] > 0.7 and out["baseline"]["accuracy"] > 0.7


def test_bench_reviews_with_test_file(fraud_data: Path, tmp_path: Path) -> None:
    """--train/--test gives hold-out accuracy and f1 as JSON, with machine info."""
    src = fraud_data / "fake_reviews_train.csv"
    _write_sample(src, tmp_path / "tr.csv", slice(0, 400))
    _write_sample(src, tmp_path / "te.csv", slice(400, 600))
    args = ["bench", "governance", "--dataset", "reviews", "--json"]
    args += ["--train", str(tmp_path / "tr.csv"), "--test", str(tmp_path / "te.csv")]
    res = CliRunner().invoke(bench_app(), args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["protocol"] == "hold-out test file" and out["n_test"] == 200
    assert {"accuracy", "f1", "machine", "settings"} <= set(out)


def test_bench_upu_json(fraud_data: Path, tmp_path: Path) -> None:
    """--dataset upu on a small .mat written like the original prints the three figures."""
    data = subsample(load_upu(fraud_data / "amazon_upu.mat"), 1_500, seed=0)
    mat = tmp_path / "small.mat"
    scipy.io.savemat(
        mat, {"Network": data.adjacency, "Attributes": data.features, "Label": data.labels[:, None]}
    )
    res = CliRunner().invoke(
        bench_app(), ["bench", "governance", "--dataset", "upu", "--data", str(mat), "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"auc_supervised", "auc_unsupervised", "f1_macro"} <= set(out)
    assert out["split"]["seed"] == 0


def test_bench_simulated_rejects_an_unknown_world() -> None:
    """--dataset simulated with an unknown --world fails clearly before simulating anything."""
    res = CliRunner().invoke(
        bench_app(),
        ["bench", "governance", "--dataset", "simulated", "--world", "huge", "--json"],
    )
    assert res.exit_code != 0
    assert json.loads(res.output)["error"]["code"] == "usage"


def test_bench_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A missing --data path exits nonzero and names the path."""
    res = CliRunner().invoke(
        bench_app(),
        ["bench", "governance", "--dataset", "upu", "--data", str(tmp_path / "no.mat"), "--json"],
    )
    assert res.exit_code == 2
    assert json.loads(res.output)["error"]["code"] == "file_not_found"


@pytest.mark.parametrize("flag", ["--dataset upu", "--dataset reviews"])
def test_bench_requires_its_path(flag: str) -> None:
    """Each dataset names the path it needs."""
    res = CliRunner().invoke(bench_app(), ["bench", "governance", *flag.split(), "--json"])
    assert res.exit_code == 2
    assert json.loads(res.output)["error"]["code"] == "usage"
