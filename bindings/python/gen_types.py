#!/usr/bin/env python3
"""Writes pip_policy/types.py: the requests and decisions of pip's JSON
contract as TypedDicts, from the descriptors of proto/pip/v1/decision.proto.

    PYTHONPATH=build/bindings/python:bindings/python \\
        python3 bindings/python/gen_types.py bindings/python/pip_policy/types.py

With no argument it prints the module. tests/test_types.py checks that the
committed file is what this script writes, so a field added to
decision.proto fails that test until the file is written again.

The shapes follow docs/json.md:

- a request may leave out any field (it takes its default), so every request
  TypedDict is total=False; a time is an RFC 3339 string or an aware
  datetime; a repeated field is any sequence;
- a decision prints every field, with its default when empty, except the ids
  of a reason (all but code, clause, message_ja and message_en) and a
  singular message other than ``policy`` (absent when it does not apply),
  which are not required keys;
- an enum is the Literal of its value names.
"""

from __future__ import annotations

import sys
from typing import Iterable, List, Set

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from pip_policy.v1 import decision_pb2

# The fields a reason always prints (render.h: the rest are ids).
REASON_ALWAYS = ("code", "clause", "message_ja", "message_en")
TIMESTAMP = "google.protobuf.Timestamp"

HEADER = '''"""The requests and decisions of pip's JSON contract as TypedDicts.

Generated from proto/pip/v1/decision.proto by bindings/python/gen_types.py;
do not edit. At run time requests and decisions are plain dicts: these types
only let a type checker (mypy, pyright) check the keys and values a program
writes and reads. ``Engine.purpose_allowed`` takes a
:class:`PurposeAllowedRequest` and returns a :class:`PurposeAllowedDecision`,
and so on for every function of :data:`pip_policy.FUNCTIONS`.

Requests are total=False: a field left out takes its default (docs/json.md).
Times are RFC 3339 strings or aware ``datetime`` objects. Decisions hold
every field, with its default when empty, except the ids of a
:class:`Reason` and a singular message other than ``policy`` (such as
``provision_record``), which are present only when they apply.
"""

from __future__ import annotations

import datetime
from typing import Literal, Sequence, TypedDict, Union

Time = Union[str, datetime.datetime]
"""A time in a request: an RFC 3339 string or an aware datetime."""
'''

SCALARS = {
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_STRING: "str",
    FieldDescriptor.TYPE_INT32: "int",
    FieldDescriptor.TYPE_SINT32: "int",
    FieldDescriptor.TYPE_UINT32: "int",
    FieldDescriptor.TYPE_DOUBLE: "float",
    FieldDescriptor.TYPE_FLOAT: "float",
}


def _walk(message: Descriptor, order: List[Descriptor], seen: Set[str]) -> None:
    """Every message reachable from `message`, dependencies first."""
    if message.full_name in seen or message.full_name == TIMESTAMP:
        return
    seen.add(message.full_name)
    for field in message.fields:
        if field.message_type is not None:
            _walk(field.message_type, order, seen)
    order.append(message)


def _type(field: FieldDescriptor, request: bool) -> str:
    if field.message_type is not None:
        if field.message_type.full_name == TIMESTAMP:
            base = "Time" if request else "str"
        else:
            base = field.message_type.name
    elif field.enum_type is not None:
        base = field.enum_type.name
    elif field.type in SCALARS:
        base = SCALARS[field.type]
    else:  # a type pip's messages do not use yet: refuse rather than guess
        raise SystemExit(f"{field.full_name}: no Python type for field type {field.type}")
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return f"Sequence[{base}]" if request else f"list[{base}]"
    return base


def _optional_in_decision(message: Descriptor, field: FieldDescriptor) -> bool:
    if message.name == "Reason":
        return field.name not in REASON_ALWAYS
    return (field.message_type is not None and field.label != FieldDescriptor.LABEL_REPEATED
            and field.name != "policy")


def _typed_dict(message: Descriptor, request: bool, doc: str) -> List[str]:
    lines: List[str] = []
    fields = list(message.fields)
    if request:
        lines += ["", "", f"class {message.name}(TypedDict, total=False):", f'    """{doc}"""', ""]
        lines += [f"    {f.name}: {_type(f, True)}" for f in fields]
        return lines
    required = [f for f in fields if not _optional_in_decision(message, f)]
    optional = [f for f in fields if _optional_in_decision(message, f)]
    if not optional:
        lines += ["", "", f"class {message.name}(TypedDict):", f'    """{doc}"""', ""]
        lines += [f"    {f.name}: {_type(f, False)}" for f in required]
        return lines
    base = f"_{message.name}Always"
    lines += ["", "", f"class {base}(TypedDict):"]
    lines += [f"    {f.name}: {_type(f, False)}" for f in required]
    lines += ["", "", f"class {message.name}({base}, total=False):", f'    """{doc}"""', ""]
    lines += [f"    {f.name}: {_type(f, False)}" for f in optional]
    return lines


def _enums(messages: Iterable[Descriptor]) -> List[str]:
    lines: List[str] = []
    seen: Set[str] = set()
    for message in messages:
        for field in message.fields:
            enum = field.enum_type
            if enum is None or enum.full_name in seen:
                continue
            seen.add(enum.full_name)
            names = [f'"{v.name}"' for v in enum.values]
            lines += ["", f"{enum.name} = Literal["]
            lines += [f"    {name}," for name in names]
            lines += ["]", f'"""{enum.full_name}: the names of its values."""']
    return lines


def generate() -> str:
    eval_request = decision_pb2.EvalRequest.DESCRIPTOR
    eval_response = decision_pb2.EvalResponse.DESCRIPTOR
    requests: List[Descriptor] = []
    decisions: List[Descriptor] = []
    seen: Set[str] = set()
    for field in eval_request.fields:
        _walk(field.message_type, requests, seen)
    for field in eval_response.fields:
        _walk(field.message_type, decisions, seen)

    out: List[str] = [HEADER.rstrip("\n")]
    out += _enums(requests + decisions)
    for message in requests:
        out += _typed_dict(message, True, f"{message.full_name} in a request (all keys optional).")
    for message in decisions:
        out += _typed_dict(message, False, f"{message.full_name} as a decision dict.")

    functions = [f.name for f in eval_request.fields]
    out += ["", "", "class EvalRequest(TypedDict, total=False):",
            '    """pip.v1.EvalRequest: exactly one key, the function to ask."""', ""]
    out += [f"    {f.name}: {f.message_type.name}" for f in eval_request.fields]
    out += ["", "", "class EvalResponse(TypedDict, total=False):",
            '    """pip.v1.EvalResponse: exactly one key, the function asked (its',
            '    decision) or ``error`` (only in the answers of ``evaluate_batch``)."""', ""]
    out += [f"    {f.name}: {f.message_type.name}" for f in eval_response.fields]
    out += ["", "", "__all__ = ["]
    names = ["Time"] + sorted({f.enum_type.name for m in requests + decisions
                               for f in m.fields if f.enum_type is not None})
    names += [m.name for m in requests + decisions] + ["EvalRequest", "EvalResponse"]
    out += [f'    "{name}",' for name in names]
    out += ["]"]
    assert functions == [f.name for f in eval_response.fields if f.name != "error"]
    return "\n".join(out) + "\n"


def main(argv: List[str]) -> int:
    text = generate()
    if len(argv) > 1:
        with open(argv[1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
