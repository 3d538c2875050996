"""pip_policy.types describes the dicts pip really reads and writes: the
file is what gen_types.py writes from decision.proto, and every request and
answer of the golden scenarios (tests/scenarios/default_policy.jsonl, which
cover every function and clause of the default policy) has exactly the keys
and value types its TypedDict says (docs/json.md: a decision prints every
field but a reason's empty ids and an absent message)."""

import collections.abc
import datetime
import importlib.util
import json
import pathlib
import typing

import pip_policy
from pip_policy import types
from conftest import SOURCE_DIR

HERE = pathlib.Path(__file__).resolve().parent


def _generator():
    spec = importlib.util.spec_from_file_location("gen_types", HERE.parent / "gen_types.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_types_file_is_generated_from_decision_proto():
    written = (HERE.parent / "pip_policy" / "types.py").read_text(encoding="utf-8")
    assert written == _generator().generate(), (
        "pip_policy/types.py is stale: run bindings/python/gen_types.py "
        "bindings/python/pip_policy/types.py")


def test_every_function_has_its_request_and_decision_type():
    # include/pip/functions.def: one request and one decision per function.
    hints = typing.get_type_hints(types.EvalRequest)
    assert list(hints) == list(pip_policy.FUNCTIONS)
    answers = typing.get_type_hints(types.EvalResponse)
    assert list(answers) == [*pip_policy.FUNCTIONS, "error"]
    for function in pip_policy.FUNCTIONS:
        name = "".join(part.title() for part in function.split("_"))
        assert hints[function] is getattr(types, name + "Request")
        assert answers[function] is getattr(types, name + "Decision")


def problems(value, tp, path):
    """Where `value` does not have type `tp`, as a list of paths."""
    origin = typing.get_origin(tp)
    if typing.is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a {tp.__name__}"]
        hints = typing.get_type_hints(tp)
        found = [f"{path}.{k}: not a field of {tp.__name__}" for k in value if k not in hints]
        found += [f"{path}.{k}: missing from {tp.__name__}"
                  for k in tp.__required_keys__ if k not in value]
        for key, item in value.items():
            if key in hints:
                found += problems(item, hints[key], f"{path}.{key}")
        return found
    if origin is typing.Literal:
        return [] if value in typing.get_args(tp) else [f"{path}: {value!r} not a name of the enum"]
    if origin is typing.Union:
        options = typing.get_args(tp)
        return [] if any(not problems(value, o, path) for o in options) else [
            f"{path}: {value!r} is none of {options}"]
    if origin in (list, collections.abc.Sequence):
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        (item_type,) = typing.get_args(tp)
        return [p for i, item in enumerate(value) for p in problems(item, item_type, f"{path}[{i}]")]
    if tp is int:
        return [] if isinstance(value, int) and not isinstance(value, bool) else [
            f"{path}: {value!r} is not an int"]
    if tp in (bool, str, float, datetime.datetime):
        return [] if isinstance(value, tp) else [f"{path}: {value!r} is not a {tp.__name__}"]
    return [f"{path}: no check for {tp}"]


def scenario_requests():
    # The request lines of the goldens; the expected lines that follow them
    # are not requests (they hold decision fields) and are skipped.
    lines = (SOURCE_DIR / "tests" / "scenarios" / "default_policy.jsonl").read_text(
        encoding="utf-8").splitlines()
    objects = []
    for line in lines:
        try:
            objects.append(json.loads(line))
        except ValueError:  # a golden of a line that is not JSON
            pass
    return [o for o in objects if not problems(o, types.EvalRequest, "")]


def test_golden_requests_and_answers_conform(engine):
    requests = scenario_requests()
    assert len(requests) > 100
    answers = engine.evaluate_batch(requests)
    decided = {f: 0 for f in pip_policy.FUNCTIONS}
    for i, (request, answer) in enumerate(zip(requests, answers)):
        found = problems(answer, types.EvalResponse, f"answer[{i}]")
        assert not found, (request, found)
        assert len(answer) == 1
        if "error" not in answer:
            (function,) = answer
            assert function in request
            decided[function] += 1
    # Every function's decision was checked, not only some.
    assert all(decided.values()), decided


def test_reason_ids_and_optional_messages_are_the_only_absent_keys():
    # docs/json.md: a decision prints every field, except a reason's ids.
    assert types.Reason.__required_keys__ == {"code", "clause", "message_ja", "message_en"}
    assert "consent_id" in types.Reason.__optional_keys__
    assert types.PurposeAllowedDecision.__optional_keys__ == {"provision_record"}
    assert "policy" in types.RetentionDueDecision.__required_keys__
    # Requests: a field left out takes its default, so every key is optional.
    assert types.RetentionDueRequest.__required_keys__ == frozenset()
