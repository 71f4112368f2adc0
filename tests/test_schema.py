"""The JSON Schema under resources/ describes what the native reader and writer agree on."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest
from formats_helpers import timelines
from hypothesis import assume, given, settings

from desktop.bundled import read_text
from desktop.formats.native import timeline_to_native


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(read_text("schema/timeline.schema.json"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@pytest.fixture
def validator() -> jsonschema.protocols.Validator:
    return _validator()


def test_the_bundled_timeline_follows_the_schema(validator):
    validator.validate(json.loads(read_text("timelines/tusk-macron-warsaw.json")))


@settings(max_examples=60, deadline=None)
@given(timeline=timelines())
def test_what_the_writer_writes_follows_the_schema(timeline):
    validator = _validator()
    # Foreign formats may leave an event untitled; the native format, like its reader, may not.
    assume(all(event.title for event in timeline.events))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(timeline_to_native(timeline))
    ]
    assert not errors, errors[:3]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda data: data.pop("format"), "format"),
        (lambda data: data["events"][0].update(date="26 Feb 2024"), "date"),
        (lambda data: data["events"][0].update(provenance="hearsay"), "provenance"),
        (lambda data: data["lanes"][0].update(color="blue"), "color"),
    ],
)
def test_the_schema_rejects_what_the_reader_rejects(validator, change, where):
    data = json.loads(read_text("timelines/tusk-macron-warsaw.json"))
    change(data)
    errors = list(validator.iter_errors(data))
    assert errors, f"the schema accepted a bad {where}"
