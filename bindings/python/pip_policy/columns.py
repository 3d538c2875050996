"""Whole columns of records as NumPy arrays: the retention sweep (clause 7)
and one purpose question over a list of customers (clauses 2, 4, 8.1).

Reached through :meth:`pip_policy.Engine.retention_sweep` and
:meth:`pip_policy.Engine.purpose_allowed_many`; this module holds their
results and the conversions of their Python arguments. It needs NumPy
(Debian: python3-numpy); the rest of pip_policy does not.

Columns are read where they lie, never copied: each must be a
one-dimensional, C-contiguous NumPy array (or a pandas Series / Index whose
``numpy.asarray`` is one, which is a view for the dtypes below) of a dtype
listed for it, in native byte order. Anything else raises
:class:`pip_policy.InvalidRequestError` naming the argument.

- ``kinds``: int8, int16, int32 or int64 codes into ``kind_ids``;
- ``event_at``, ``granted_at``, ``withdrawn_at``, ``expires_at``: int64
  Unix seconds, or datetime64[s], [ms], [us] or [ns] (UTC); NaT (or
  INT64_MIN) for none;
- ``held``, ``representative_consent``: bool or uint8 (nonzero: true);
- ``birth_date``: datetime64[D], NaT for not recorded.

Times in ms, us or ns are turned into seconds chunk by chunk (16384
records at a time) inside the sweep, not into a second array.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

from pip_policy import _pip_policy
from pip_policy.errors import InvalidRequestError

__all__ = ["RetentionSweep", "PurposeColumns", "reason_names"]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_PER_SECOND = {"s": 1, "ms": 1000, "us": 1000000, "ns": 1000000000}


class RetentionSweep(NamedTuple):
    """The answer of :meth:`pip_policy.Engine.retention_sweep`, one entry
    per record, decided on one policy."""

    #: True where the record must be deleted at ``as_of`` (clause 7).
    due: npt.NDArray[np.bool_]
    #: The last day (Asia/Tokyo) each record is kept, NaT for a record with
    #: no event yet; None unless ``retain_until=True`` was asked.
    retain_until: Optional[npt.NDArray[np.datetime64]]
    #: The policy that decided: compare ``policy_hash`` across machines.
    policy_version: str
    policy_hash: str


class PurposeColumns(NamedTuple):
    """The answer of :meth:`pip_policy.Engine.purpose_allowed_many`, one
    entry per customer, decided on one policy."""

    #: True where the use is allowed for the customer.
    allowed: npt.NDArray[np.bool_]
    #: The first reason (a pip.v1.ReasonCode number): PURPOSE_PERMITTED when
    #: allowed, else the first denying reason. Names: :meth:`reason_names`.
    reason: npt.NDArray[np.int32]
    policy_version: str
    policy_hash: str

    def reason_names(self) -> npt.NDArray[np.object_]:
        """``reason`` as pip.v1.ReasonCode names (str), e.g.
        ``"CONSENT_WITHDRAWN"``."""
        return reason_names(self.reason)


_NAMES: Optional[npt.NDArray[np.object_]] = None


def reason_names(codes: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """pip.v1.ReasonCode numbers as their names (an object array of str)."""
    global _NAMES
    if _NAMES is None:
        table = _pip_policy.reason_code_names()
        names = np.full(max(table) + 1, "REASON_CODE_UNSPECIFIED", dtype=object)
        for number, name in table.items():
            names[number] = name
        _NAMES = names
    result: npt.NDArray[np.object_] = _NAMES[np.asarray(codes)]
    return result


def as_of_parts(as_of: Any) -> Tuple[int, int]:
    """``as_of`` as (Unix seconds, nanoseconds): an aware datetime (a pandas
    Timestamp is one), an RFC 3339 str with a zone, a numpy.datetime64 (UTC)
    or int Unix seconds."""
    if isinstance(as_of, str):
        try:
            as_of = _dt.datetime.fromisoformat(as_of.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidRequestError(
                f"as_of: {as_of!r} is not an RFC 3339 time", "INVALID_ARGUMENT") from None
    if isinstance(as_of, _dt.datetime):
        if as_of.utcoffset() is None:
            raise InvalidRequestError(
                f"as_of: datetime {as_of.isoformat()} has no time zone; pass an "
                f"aware datetime", "INVALID_ARGUMENT")
        delta = as_of - _EPOCH
        nanos = delta.microseconds * 1000 + int(getattr(as_of, "nanosecond", 0))
        return delta.days * 86400 + delta.seconds, nanos
    if isinstance(as_of, np.datetime64):
        unit, count = np.datetime_data(as_of.dtype)
        if np.isnat(as_of) or unit not in _PER_SECOND or count != 1:
            raise InvalidRequestError(
                f"as_of: {as_of!r} is not a time in s, ms, us or ns", "INVALID_ARGUMENT")
        value = int(as_of.astype(np.int64))
        per = _PER_SECOND[unit]
        seconds, rest = divmod(value, per)
        return seconds, rest * (1000000000 // per)
    if isinstance(as_of, (int, np.integer)) and not isinstance(as_of, (bool, np.bool_)):
        if not -(1 << 63) <= int(as_of) < (1 << 63):
            raise InvalidRequestError(
                f"as_of: {as_of} Unix seconds is outside the years 1900-9999",
                "INVALID_ARGUMENT")
        return int(as_of), 0
    raise InvalidRequestError(
        f"as_of: expected an aware datetime, an RFC 3339 str, a numpy.datetime64 "
        f"or int Unix seconds, got {type(as_of).__name__}", "INVALID_ARGUMENT")


def column(value: Any, what: str) -> Any:
    """``value`` as the array the compiled module reads: an ndarray as it
    is, a pandas Series or Index as ``numpy.asarray`` (a view for the dtypes
    pip reads), None as None. The module checks the dtype and layout."""
    if value is None or isinstance(value, np.ndarray):
        return value
    if hasattr(value, "__array__"):
        array = np.asarray(value)
        if array.dtype == object:
            hint = ("integer codes and kind_ids, or the Categorical itself with "
                    "kind_ids=None" if what == "kinds" else
                    "datetime64 values (series.dt.tz_convert(None) for a time zone "
                    "aware column)" if what.endswith("_at") else "bool values")
            raise InvalidRequestError(
                f"{what}: {type(value).__name__} of Python objects (dtype object) "
                f"cannot be read in place: pass {hint}", "INVALID_ARGUMENT")
        return array
    raise InvalidRequestError(
        f"{what}: expected a NumPy array (or a pandas Series), got "
        f"{type(value).__name__}", "INVALID_ARGUMENT")


def kind_codes(kinds: Any, kind_ids: Optional[Sequence[str]]) -> Tuple[Any, list[str]]:
    """The codes and the kind ids they index: ``kind_ids`` as given, or a
    pandas Categorical's (or categorical Series') categories."""
    if kind_ids is None:
        categorical = getattr(kinds, "cat", kinds)
        if hasattr(categorical, "codes") and hasattr(categorical, "categories"):
            return column(categorical.codes, "kinds"), [str(k) for k in categorical.categories]
        raise InvalidRequestError(
            "kind_ids: required unless kinds is a pandas Categorical: the "
            "retention kind id of each code (kinds[i] == j means kind_ids[j])",
            "INVALID_ARGUMENT")
    if isinstance(kind_ids, str):
        raise InvalidRequestError(
            "kind_ids: expected a sequence of retention kind ids, got one str",
            "INVALID_ARGUMENT")
    return column(kinds, "kinds"), [str(k) for k in kind_ids]


def id_list(ids: Optional[Sequence[str]], what: str) -> Optional[list[str]]:
    """A list of policy ids (None stays None); a lone str is refused."""
    if ids is None:
        return None
    if isinstance(ids, str) or not all(isinstance(i, str) for i in ids):
        raise InvalidRequestError(f"{what}: expected a list of ids (str)", "INVALID_ARGUMENT")
    return list(ids)
