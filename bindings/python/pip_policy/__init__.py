"""pip_policy: the company's privacy policy (APPI), enforced in process.

    import pip_policy

    engine = pip_policy.Engine.default()
    d = engine.retention_due(kind="inquiry",
                             event_at="2023-05-10T14:00:00+09:00",
                             as_of="2026-05-11T00:00:00+09:00")
    if d["due"]:
        delete_record(d["deletion_method"])

Requests and decisions are the dicts of pip's JSON contract (proto field
names, ids and enum names as strings, RFC 3339 times), typed for a type
checker by the TypedDicts of pip_policy.types; every error raises a
PipError subclass and is never a decision. The pip.v1 protobuf messages are
pip_policy.v1.policy_pb2 and pip_policy.v1.decision_pb2. See
bindings/python/README.md.
"""

from pkgutil import extend_path

# The compiled _pip_policy may sit in another pip_policy/ directory on
# sys.path (a build tree beside these sources); let the package span both.
__path__ = extend_path(__path__, __name__)

from pip_policy._engine import FUNCTIONS, Engine  # noqa: E402
from pip_policy import _pip_policy  # noqa: E402
from pip_policy._pip_policy import __version__  # noqa: E402
from pip_policy import errors, types  # noqa: E402
from pip_policy.errors import *  # noqa: E402,F401,F403



def default_policy_text() -> str:
    """The text of the policy embedded in the library (pip.v1.Policy in
    text format, policies/default.textproto), the one :meth:`Engine.default`
    runs: a starting point for a company's own policy. The package also
    holds it as the file ``pip_policy/policy/default.textproto``."""
    return _pip_policy.default_policy_text()


__all__ = ["Engine", "FUNCTIONS", "default_policy_text", "errors", "types",
           *errors.__all__, "__version__"]
