"""The exceptions of pip_policy, and the one table that maps pip's status
codes to them.

pip reports a problem as an ``absl::Status``: a code (``"INVALID_ARGUMENT"``,
``"NOT_FOUND"``, ...) and a message naming the field or the file. Every such
status becomes an exception; none ever becomes a decision, so a caller that
gets an exception must not proceed with the use it asked about.
"""

from __future__ import annotations

__all__ = [
    "PipError",
    "InvalidRequestError",
    "InvalidPolicyError",
    "PolicyNotFoundError",
    "PolicyReadError",
    "UntrustedPolicyError",
    "PolicyRefusedError",
    "InvalidOptionsError",
    "AuditLogError",
    "InternalError",
]


class PipError(Exception):
    """Base of every pip_policy error.

    ``code`` is the status code name (``"INVALID_ARGUMENT"``, the same names
    as the ``error.code`` of ``pipctl eval``) and ``message`` pip's message.
    """

    code: str
    message: str

    def __init__(self, message: str, code: str = "UNKNOWN") -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class InvalidRequestError(PipError, ValueError):
    """A malformed request: an unknown id, a missing required field or time,
    a wrong type, a value past a limit. The message names the field."""


class InvalidPolicyError(PipError, ValueError):
    """A policy that does not parse or validate. The message lists every
    problem, one a line, with file, line, field and clause."""

    @property
    def problems(self) -> list[str]:
        """The problems, one per item, without the heading line."""
        lines = self.message.splitlines()
        return lines[1:] if len(lines) > 1 else lines


class PolicyNotFoundError(PipError, FileNotFoundError):
    """The policy file cannot be opened."""


class PolicyReadError(PipError, OSError):
    """The policy file was opened but could not be read."""


class UntrustedPolicyError(PipError):
    """A policy whose origin is not proven: its signature is missing while
    signatures are required, malformed, or not made by a trusted key. The
    running policy is untouched."""


class PolicyRefusedError(PipError):
    """A policy the engine's trust forbids: a revision below the running
    one's or below ``min_revision`` (a rollback), the running revision with
    other content, or a signed policy given to an engine without
    ``trusted_keys``. The running policy is untouched."""


class InvalidOptionsError(PipError, ValueError):
    """A bad engine option: a trusted key that is not an Ed25519 public key,
    ``require_signature`` with no key, an audit key shorter than 32 bytes,
    an audit log without a key."""


class AuditLogError(PipError, OSError):
    """The decision log could not be opened, or could not record a
    decision; the decision is withheld, never returned unrecorded."""


class InternalError(PipError):
    """A fault inside pip (for example an embedded policy that does not
    validate). Never expected; never a decision."""


# The table: (status code name, what was being read) -> exception class.
# "request" is a request being evaluated, "policy" a policy being loaded,
# "options" the trusted keys or audit key of an engine, "audit" its
# decision log being opened.
# A status not listed raises PipError itself: nothing is ever dropped.
_ERRORS: dict[tuple[str, str], type[PipError]] = {
    ("INVALID_ARGUMENT", "request"): InvalidRequestError,
    ("INVALID_ARGUMENT", "policy"): InvalidPolicyError,
    ("NOT_FOUND", "policy"): PolicyNotFoundError,
    ("DATA_LOSS", "policy"): PolicyReadError,
    ("UNAUTHENTICATED", "policy"): UntrustedPolicyError,
    ("FAILED_PRECONDITION", "policy"): PolicyRefusedError,
    ("UNAVAILABLE", "policy"): PolicyRefusedError,
    ("FAILED_PRECONDITION", "options"): PolicyRefusedError,
    ("INVALID_ARGUMENT", "options"): InvalidOptionsError,
    ("INVALID_ARGUMENT", "audit"): InvalidOptionsError,
    ("UNAVAILABLE", "audit"): AuditLogError,
    ("FAILED_PRECONDITION", "audit"): AuditLogError,
    ("DATA_LOSS", "audit"): AuditLogError,
    ("UNAVAILABLE", "request"): AuditLogError,
    ("INTERNAL", "request"): InternalError,
    ("INTERNAL", "policy"): InternalError,
}


def _error_from_status(code: str, message: str, subject: str) -> PipError:
    """The exception for a status; the compiled module raises what this
    returns."""
    return _ERRORS.get((code, subject), PipError)(message, code)
