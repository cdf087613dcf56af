"""EPCIS 2.0 JSON-LD: events to plain dicts and back, and the EPCISDocument wrapper.

The dicts are what the API returns, what the DB adapter may store (one JSON document per event)
and what the event hash and the JSON schema validation consume.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.model import (
    Action,
    AggregationEvent,
    BizTransaction,
    EpcisEvent,
    ObjectEvent,
    SourceDest,
    TransformationEvent,
    utc_millis,
)
from tradewind.tracking.vocabulary import TRADEWIND_NAMESPACE

EPCIS_CONTEXT_URL: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EPCIS_CONTEXT: Final[tuple[str | dict[str, str], ...]] = (
    EPCIS_CONTEXT_URL,
    {"tw": TRADEWIND_NAMESPACE},
)
SCHEMA_VERSION: Final = "2.0"

JsonObject = dict[str, Any]


def format_time(when: datetime) -> str:
    """``2026-11-26T09:30:00.000Z``: UTC, millisecond precision, ``Z`` suffix."""
    moment = utc_millis(when)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return utc_millis(moment)


def context() -> list[str | dict[str, str]]:
    """A fresh copy of the ``@context`` Tradewind documents and events carry."""
    return [dict(item) if isinstance(item, dict) else item for item in EPCIS_CONTEXT]


def event_to_jsonld(event: EpcisEvent, *, with_context: bool = False) -> JsonObject:
    """The EPCIS 2.0 JSON-LD form of one event (``with_context`` for a standalone event)."""
    out: JsonObject = {"@context": context()} if with_context else {}
    out["type"] = event.event_type
    if event.event_id is not None:
        out["eventID"] = event.event_id
    out["eventTime"] = format_time(event.event_time)
    out["eventTimeZoneOffset"] = event.time_zone_offset
    out.update(_what(event))
    for key, value in (("bizStep", event.biz_step), ("disposition", event.disposition)):
        if value is not None:
            out[key] = value
    for key, value in (("readPoint", event.read_point), ("bizLocation", event.biz_location)):
        if value is not None:
            out[key] = {"id": value}
    if event.biz_transactions:
        out["bizTransactionList"] = [
            {"type": bt.type, "bizTransaction": bt.value} for bt in event.biz_transactions
        ]
    if event.sources:
        out["sourceList"] = [{"type": s.type, "source": s.value} for s in event.sources]
    if event.destinations:
        out["destinationList"] = [
            {"type": d.type, "destination": d.value} for d in event.destinations
        ]
    out.update(dict(event.extensions))
    return out


def _what(event: EpcisEvent) -> JsonObject:
    if isinstance(event, ObjectEvent):
        return {"epcList": list(event.epc_list), "action": event.action.value}
    if isinstance(event, AggregationEvent):
        out: JsonObject = {"parentID": event.parent_id}
        if event.child_epcs:
            out["childEPCs"] = list(event.child_epcs)
        out["action"] = event.action.value
        return out
    if isinstance(event, TransformationEvent):
        out = {"inputEPCList": list(event.input_epcs), "outputEPCList": list(event.output_epcs)}
        if event.transformation_id is not None:
            out["transformationID"] = event.transformation_id
        return out
    raise InvalidEvent(f"unknown event class {type(event).__name__}")


def _common_from_jsonld(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "event_time": parse_time(data["eventTime"]),
        "time_zone_offset": data["eventTimeZoneOffset"],
        "biz_step": data.get("bizStep"),
        "disposition": data.get("disposition"),
        "read_point": (data.get("readPoint") or {}).get("id"),
        "biz_location": (data.get("bizLocation") or {}).get("id"),
        "biz_transactions": tuple(
            BizTransaction(bt.get("type", ""), bt["bizTransaction"])
            for bt in data.get("bizTransactionList", ())
        ),
        "sources": tuple(SourceDest(s["type"], s["source"]) for s in data.get("sourceList", ())),
        "destinations": tuple(
            SourceDest(d["type"], d["destination"]) for d in data.get("destinationList", ())
        ),
        "extensions": tuple((k, str(v)) for k, v in data.items() if k.startswith("tw:")),
        "event_id": data.get("eventID"),
    }


def event_from_jsonld(data: Mapping[str, Any]) -> EpcisEvent:
    """Rebuild an event from ``event_to_jsonld`` output (for stores that keep JSON)."""
    kind = data.get("type")
    try:
        common = _common_from_jsonld(data)
        if kind == "ObjectEvent":
            return ObjectEvent(
                **common, action=Action(data["action"]), epc_list=tuple(data["epcList"])
            )
        if kind == "AggregationEvent":
            return AggregationEvent(
                **common,
                action=Action(data["action"]),
                parent_id=data["parentID"],
                child_epcs=tuple(data.get("childEPCs", ())),
            )
        if kind == "TransformationEvent":
            return TransformationEvent(
                **common,
                input_epcs=tuple(data.get("inputEPCList", ())),
                output_epcs=tuple(data.get("outputEPCList", ())),
                transformation_id=data.get("transformationID"),
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidEvent(f"not a Tradewind EPCIS event: {exc!r}") from exc
    raise InvalidEvent(f"unsupported event type {kind!r}")


def epcis_document(
    events: Iterable[EpcisEvent], *, created: datetime, document_id: str | None = None
) -> JsonObject:
    """An EPCIS 2.0 ``EPCISDocument`` (JSON-LD) holding ``events`` in the given order.

    ``document_id`` is an optional URI naming the document (``id``).
    """
    doc: JsonObject = {"@context": context(), "type": "EPCISDocument"}
    if document_id is not None:
        doc["id"] = document_id
    doc["schemaVersion"] = SCHEMA_VERSION
    doc["creationDate"] = format_time(created.astimezone(UTC))
    doc["epcisBody"] = {"eventList": [event_to_jsonld(e) for e in events]}
    return doc
