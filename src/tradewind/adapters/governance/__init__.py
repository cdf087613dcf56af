"""Heavy-library adapters of the governance context (numpy, scipy, scikit-learn, stdnum)."""
