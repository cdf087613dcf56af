"""Pure detectors: each turns facts into a :class:`~tradewind.governance.scores.DetectorScore`."""
