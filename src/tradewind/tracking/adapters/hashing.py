"""``EventHasher`` backed by GS1's reference implementation, ``epcis-event-hash-generator``.

The package canonicalises each event (fixed field order, sorted lists, UTC millisecond times,
EPC URNs rewritten to GS1 Digital Link, CBV URNs to web URIs, eventID/recordTime ignored) and
hashes the result: ``ni:///sha-256;<hex>?ver=CBV2.0``. It works on whole EPCIS JSON-LD
documents, so events are hashed in batches wrapped in a throw-away document. The package keeps
module-level state (join string, JSON-LD namespaces), hence the lock.

JSON-LD contexts are resolved from files bundled in the package, so hashing does no network I/O
as long as events only use the EPCIS 2.0 context URL plus inline prefixes, which is what
``tradewind.tracking.jsonld`` emits.

Tradewind's own events skip the package's JSON-LD expansion pass (it only rewrites bare CBV
words, which Tradewind never emits) by calling two of its module functions directly; this
halves the cost per event (~0.5 ms instead of ~1.2 ms on a shared core). The unit tests compare
both paths, so a package upgrade that changes those internals fails loudly.
"""

from __future__ import annotations

import copy
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from epcis_event_hash_generator import (
    hash_generator,
    json_to_py,
    json_xml_model_mismatch_correction,
)

from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.jsonld import SCHEMA_VERSION, context, event_to_jsonld
from tradewind.tracking.model import EpcisEvent

_LOCK = threading.Lock()
_CREATION_DATE = "2000-01-01T00:00:00.000Z"  # not part of any event hash


def _parse(document: dict[str, Any]) -> Any:
    return json_to_py.event_list_from_epcis_document_json(document)


def _parse_without_expansion(document: dict[str, Any]) -> Any:
    """``event_list_from_epcis_document_json`` minus its bare-word expansion pass."""
    json_to_py._collect_namespaces_from_jsonld_context(document["@context"])
    events = [
        json_xml_model_mismatch_correction.deep_structure_correction(json_to_py._json_to_py(e))
        for e in document["epcisBody"]["eventList"]
    ]
    return ("EventList", "", events)


_TYPED_LISTS = ("bizTransactionList", "sourceList", "destinationList")


def _type_first(event: Mapping[str, Any]) -> dict[str, Any]:
    """Put ``type`` first in business-transaction/source/destination entries.

    The package (1.9.x) keeps these entries' key order as given (ordering of their children was
    upstream issue #80), while the algorithm wants ``type`` before the value, so JSON written
    value-first would hash differently. Normalising makes the id independent of key order.
    """
    out = {k: v for k, v in event.items() if k != "@context"}
    for key in _TYPED_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [
                {"type": entry["type"], **entry}
                if isinstance(entry, dict) and "type" in entry
                else entry
                for entry in out[key]
            ]
    return out


class EpcisHashGeneratorHasher:
    """Event hash ids computed by the ``epcis-event-hash-generator`` package (SHA-256)."""

    def event_ids(self, events: Sequence[EpcisEvent]) -> list[str]:
        # Tradewind events carry full vocabulary URIs, never bare CBV words ("picking"), so
        # the package's JSON-LD expansion pass (over half the cost) can be skipped.
        return self.ids_for_jsonld(
            [event_to_jsonld(event) for event in events], full_uris_only=True
        )

    def ids_for_jsonld(
        self, events: Sequence[Mapping[str, Any]], *, full_uris_only: bool = False
    ) -> list[str]:
        """Hash ids of EPCIS JSON-LD event objects (any key order; ``@context`` dropped).

        ``full_uris_only`` promises that no value is a bare CBV word, which skips JSON-LD
        expansion; tests check both paths give the same ids for every Tradewind step.
        """
        if not events:
            return []
        body = [_type_first(e) for e in events]
        document = {
            "@context": context(),
            "type": "EPCISDocument",
            "schemaVersion": SCHEMA_VERSION,
            "creationDate": _CREATION_DATE,
            "epcisBody": {"eventList": body},
        }
        return self.ids_for_document(document, full_uris_only=full_uris_only)

    def ids_for_document(
        self, document: Mapping[str, Any], *, full_uris_only: bool = False
    ) -> list[str]:
        """Hash ids of every event in an EPCIS 2.0 JSON-LD document, in document order."""
        expected = len(document["epcisBody"]["eventList"])
        parse = _parse_without_expansion if full_uris_only else _parse
        with _LOCK, warnings.catch_warnings():
            # The package calls importlib.resources.open_text, deprecated since Python 3.11.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            try:
                parsed = parse(copy.deepcopy(dict(document)))
                ids: list[str] = hash_generator.epcis_hashes_from_events(parsed)
            except Exception as exc:  # third-party parser: JsonLdError, IndexError, ...
                raise InvalidEvent(f"cannot hash EPCIS events: {exc}") from exc
        if len(ids) != expected:
            # The package logs and skips events it cannot canonicalise.
            raise InvalidEvent(f"could hash only {len(ids)} of {expected} EPCIS events")
        return ids
