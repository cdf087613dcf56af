"""Benchmark workloads behind `tradewind bench ...` (they measure; they are not tests)."""
