"""Tests of the transport context and its routing adapters."""
