"""The solvers package."""
