"""``DocumentValidator`` checking EPCIS documents against GS1's EPCIS 2.0 JSON schema.

The schema is vendored under ``tradewind/tracking/schema/`` (provenance and licence beside
it) and read once, lazily. It is a draft-07 schema that relies on the ``uri`` and ``date-time``
formats; jsonschema only checks those when optional extra packages are installed, so two small
checkers are registered here to make the schema's format rules bite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from tradewind.tracking.errors import InvalidEpcisDocument

SCHEMA_FILE = "EPCIS-JSON-Schema.json"

# RFC 3986 absolute URI: a scheme, a colon, then no whitespace or characters URIs never hold.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
# RFC 3339 date-time (what JSON Schema's "date-time" means): offset or Z required.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _DATE_TIME.fullmatch(value) is None:
        return False
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))  # ValueError: bad date
    return True


def _formats() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("uri")(_is_uri)
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


@lru_cache(maxsize=1)
def epcis_schema() -> dict[str, Any]:
    """The vendored GS1 EPCIS 2.0 JSON schema."""
    text = files("tradewind.tracking").joinpath("schema", SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    return Draft7Validator(epcis_schema(), format_checker=_formats())


_MAX_MESSAGE = 200


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The innermost errors under anyOf/oneOf/allOf wrappers."""
    if not error.context:
        return [error]
    return [leaf for child in error.context for leaf in _leaves(child)]


def _describe(error: ValidationError) -> dict[str, Any]:
    # Prefer the deepest leaf: "/eventList/2/action: 'MOVE' is not one of ..." says more than
    # "<whole event> is not valid under any of the given schemas".
    leaf = max(_leaves(error), key=lambda e: len(e.absolute_path), default=error)
    if len(leaf.absolute_path) <= len(error.absolute_path):
        leaf = best_match([error])
    message = leaf.message
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    path = "/" + "/".join(str(part) for part in leaf.absolute_path)
    return {"path": path, "message": message, "rule": str(leaf.validator)}


class JsonSchemaEpcisValidator:
    """Validates EPCIS 2.0 JSON-LD documents (or single events) with ``jsonschema``."""

    def validate(self, document: Mapping[str, Any]) -> None:
        details: list[dict[str, Any]] = []
        for error in _validator().iter_errors(document):
            detail = _describe(error)
            if detail not in details:
                details.append(detail)
        if not details:
            return
        details.sort(key=lambda d: (-d["path"].count("/"), d["path"]))
        first = details[0]
        raise InvalidEpcisDocument(
            f"not a valid EPCIS 2.0 document ({len(details)} violation(s)); "
            f"first at {first['path']}: {first['message']}",
            errors=details,
        )
