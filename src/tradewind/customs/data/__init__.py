"""Vendored customs data files (rules, duty tables, HS 2022, FX rates, screening sample)."""
