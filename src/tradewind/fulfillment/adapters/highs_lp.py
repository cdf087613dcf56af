"""HiGHS (highspy) behind the fulfillment ``LpSolver`` port.

Deterministic: one thread, a fixed ``random_seed``, no output. Any highspy trouble becomes
``LpStatus.ERROR`` with a message so callers can fall back to greedy and say why.
"""

from __future__ import annotations

import os
import sys
import time

import highspy
import numpy as np

from tradewind.fulfillment.lp import LinearProgram, LpSolution, LpStatus

_STATUS = {
    highspy.HighsModelStatus.kOptimal: LpStatus.OPTIMAL,
    highspy.HighsModelStatus.kTimeLimit: LpStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kInfeasible: LpStatus.INFEASIBLE,
}


_banner_done = False


def _new_highs() -> highspy.Highs:
    """A Highs instance; the first one per process prints a banner on fd 1, which would
    corrupt ``--json`` output, so that one is built with stdout pointed at /dev/null."""
    global _banner_done
    if _banner_done:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(null)
        os.close(saved)
        _banner_done = True


class HighsLpSolver:
    """Solve a ``LinearProgram`` with HiGHS (simplex for LPs, branch and cut for MIPs)."""

    def __init__(self, *, seed: int = 0, mip_rel_gap: float = 1e-6) -> None:
        self.seed = seed
        self.mip_rel_gap = mip_rel_gap

    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        start = time.perf_counter()
        try:
            solution = self._solve(program, time_limit_s)
        except Exception as exc:  # any solver failure must become a status
            solution = LpSolution(LpStatus.ERROR, message=f"highspy: {exc!r}")
        ms = (time.perf_counter() - start) * 1000
        return LpSolution(
            solution.status,
            solution.objective,
            solution.values,
            solution.row_duals,
            solution.message,
            ms,
        )

    def _solve(self, program: LinearProgram, time_limit_s: float) -> LpSolution:
        h = _new_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", self.seed)
        h.setOptionValue("time_limit", max(1e-3, float(time_limit_s)))
        h.setOptionValue("mip_rel_gap", self.mip_rel_gap)
        h.passModel(_to_highs(program))
        h.run()
        model_status = h.getModelStatus()
        status = _STATUS.get(model_status, LpStatus.ERROR)
        if status is not LpStatus.OPTIMAL:
            return LpSolution(status, message=h.modelStatusToString(model_status))
        sol = h.getSolution()
        duals = () if program.is_mip else tuple(sol.row_dual)
        return LpSolution(status, h.getInfo().objective_function_value, tuple(sol.col_value), duals)


def _to_highs(program: LinearProgram) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_ = program.num_cols
    lp.num_row_ = program.num_rows
    lp.offset_ = program.offset
    lp.col_cost_ = np.asarray(program.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(program.col_lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(program.col_upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(program.row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(program.row_upper, dtype=np.float64)
    ent = np.asarray(program.entries, dtype=np.float64).reshape(-1, 3)
    cols = ent[:, 1].astype(np.int32)
    order = np.argsort(cols, kind="stable")
    starts = np.zeros(program.num_cols + 1, dtype=np.int32)
    np.cumsum(np.bincount(cols, minlength=program.num_cols), out=starts[1:])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = program.num_cols
    lp.a_matrix_.num_row_ = program.num_rows
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = ent[order, 0].astype(np.int32)
    lp.a_matrix_.value_ = ent[order, 2]
    if program.is_mip:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in program.integer
        ]
    return lp
