"""Tracking: every physical step as an EPCIS 2.0 event, and trace queries over them.

Start with ``services.TrackingService`` (record ``steps.PhysicalStep``s, query chains of
custody, export EPCIS documents) and ``identifiers`` (EPCs and SGLNs). ``docs/tracking.md``
documents the vocabulary.
"""
