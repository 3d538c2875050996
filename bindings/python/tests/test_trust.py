"""Signed policies, rollback refusal and the decision log, through the
keyword-only options of the Engine constructors (docs/security.md). Keys are
made here with the openssl command line; none is stored anywhere."""

import json
import re
import shutil
import subprocess

import pytest

import pip_policy
from conftest import TESTDATA

AS_OF = "2026-03-01T12:00:00+09:00"

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None,
                                reason="needs the openssl command line")


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """(directory, signer's private key path, trusted public key PEM,
    untrusted private key path)."""
    d = tmp_path_factory.mktemp("keys")
    for name in ("signer", "stranger"):
        _openssl("genpkey", "-algorithm", "ed25519", "-out", str(d / f"{name}.pem"))
    _openssl("pkey", "-in", str(d / "signer.pem"), "-pubout", "-out", str(d / "trusted.pem"))
    return d, d / "signer.pem", (d / "trusted.pem").read_text(), d / "stranger.pem"


def _policy(revision, version):
    text = (TESTDATA / "minimal.textproto").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^revision: 1$", f"revision: {revision}", text)
    return re.sub(r'(?m)^version: ".*"$', f'version: "{version}"', text)


def _signed(directory, key, revision, version, name=None):
    """Writes POLICY.textproto and POLICY.textproto.sig; returns both paths."""
    path = directory / (name or f"rev{revision}.textproto")
    path.write_text(_policy(revision, version), encoding="utf-8")
    sig = path.with_name(path.name + ".sig")
    _openssl("pkeyutl", "-sign", "-rawin", "-inkey", str(key), "-in", str(path), "-out", str(sig))
    return path, sig


def test_signed_policy_with_a_trusted_key_loads(keys, tmp_path):
    _, signer, trusted, stranger = keys
    path, sig = _signed(tmp_path, signer, 5, "2026-05-05")
    engine = pip_policy.Engine.from_file(path, signature=sig, trusted_keys=[trusted])
    assert engine.policy_version == "2026-05-05"
    assert engine.purpose_allowed(purpose="billing", categories=["name"], as_of=AS_OF)["allowed"]

    # In memory, raw bytes of the signature; then a newer revision reloads.
    path6, sig6 = _signed(tmp_path, signer, 6, "2026-06-06")
    engine.reload_text(path6.read_text(encoding="utf-8"), "rev6.textproto",
                       signature=sig6.read_bytes())
    assert engine.policy_version == "2026-06-06"

    # A single key may be given without a list.
    assert pip_policy.Engine.from_file(path, signature=sig, trusted_keys=trusted).policy_version \
        == "2026-05-05"

    # Another key's signature is refused.
    other, other_sig = _signed(tmp_path, stranger, 7, "2026-07-07", "stranger.textproto")
    with pytest.raises(pip_policy.UntrustedPolicyError) as raised:
        engine.reload_file(other, signature=other_sig)
    assert raised.value.code == "UNAUTHENTICATED"
    assert engine.policy_version == "2026-06-06"


def test_unsigned_policy_is_refused_when_signatures_are_required(keys, tmp_path):
    _, signer, trusted, _ = keys
    with pytest.raises(pip_policy.UntrustedPolicyError) as raised:
        pip_policy.Engine.default(trusted_keys=[trusted])
    assert "require_signature" in raised.value.message
    with pytest.raises(pip_policy.UntrustedPolicyError):
        pip_policy.Engine.from_file(TESTDATA / "minimal.textproto", trusted_keys=[trusted])
    # A missing signature file counts as no signature.
    path, _ = _signed(tmp_path, signer, 5, "2026-05-05")
    with pytest.raises(pip_policy.UntrustedPolicyError):
        pip_policy.Engine.from_file(path, signature=tmp_path / "no_such.sig",
                                    trusted_keys=[trusted])

    engine = pip_policy.Engine.from_file(path, signature=str(path) + ".sig",
                                         trusted_keys=[trusted])
    with pytest.raises(pip_policy.UntrustedPolicyError):
        engine.reload_default()
    assert engine.policy_version == "2026-05-05"

    # Not required: unsigned policies load.
    assert pip_policy.Engine.default(trusted_keys=[trusted], require_signature=False) \
        .policy_version == pip_policy.Engine.default().policy_version


def test_rollback_is_refused(keys, tmp_path):
    _, signer, trusted, _ = keys
    rev5 = _signed(tmp_path, signer, 5, "2026-05-05")
    rev4 = _signed(tmp_path, signer, 4, "2026-04-04")
    rev5b = _signed(tmp_path, signer, 5, "2026-05-06", "rev5b.textproto")
    engine = pip_policy.Engine.from_file(rev5[0], signature=rev5[1], trusted_keys=[trusted])
    with pytest.raises(pip_policy.PolicyRefusedError) as raised:
        engine.reload_file(rev4[0], signature=rev4[1])
    assert raised.value.code == "FAILED_PRECONDITION"
    assert "revision 4" in raised.value.message and "revision 5" in raised.value.message
    with pytest.raises(pip_policy.PolicyRefusedError):
        engine.reload_file(rev5b[0], signature=rev5b[1])
    assert engine.policy_version == "2026-05-05"

    # The floor across restarts.
    with pytest.raises(pip_policy.PolicyRefusedError) as raised:
        pip_policy.Engine.from_file(rev5[0], signature=rev5[1], trusted_keys=[trusted],
                                    min_revision=6)
    assert "min_revision" in raised.value.message

    # Without trust no revision is checked, and a signature is refused.
    plain = pip_policy.Engine.from_file(rev5[0])
    plain.reload_file(rev4[0])
    assert plain.policy_version == "2026-04-04"
    with pytest.raises(pip_policy.PolicyRefusedError):
        plain.reload_file(rev5[0], signature=rev5[1])
    with pytest.raises(pip_policy.InvalidOptionsError):
        pip_policy.Engine.default(min_revision=3)


def test_revision_file_refuses_rollback_after_restart(keys, tmp_path):
    """A revision file keeps the floor across restarts by itself
    (docs/security.md): each accepted revision is written to it before the
    policy runs, and a restart with an older, validly signed policy is
    refused."""
    _, signer, trusted, _ = keys
    rev5 = _signed(tmp_path, signer, 5, "2026-05-05")
    rev6 = _signed(tmp_path, signer, 6, "2026-06-06")
    state = tmp_path / "revision"
    engine = pip_policy.Engine.from_file(rev5[0], signature=rev5[1],
                                         trusted_keys=[trusted], revision_file=state)
    assert state.read_text() == "5\n"
    engine.reload_file(rev6[0], signature=rev6[1])
    assert state.read_text() == "6\n"
    del engine
    with pytest.raises(pip_policy.PolicyRefusedError) as raised:
        pip_policy.Engine.from_file(rev5[0], signature=rev5[1],
                                    trusted_keys=[trusted], revision_file=state)
    assert "revision 5" in raised.value.message and str(state) in raised.value.message
    state.write_text("six\n")
    with pytest.raises(pip_policy.PolicyRefusedError) as raised:
        pip_policy.Engine.from_file(rev6[0], signature=rev6[1],
                                    trusted_keys=[trusted], revision_file=state)
    assert "revision_file" in raised.value.message
    with pytest.raises(pip_policy.InvalidOptionsError):
        pip_policy.Engine.default(revision_file=state)
    with pytest.raises(pip_policy.InvalidOptionsError):
        pip_policy.Engine.from_file(rev6[0], signature=rev6[1], trusted_keys=[trusted],
                                    revision_file=str(state) + "\x00.junk")


def test_bad_options_are_refused():
    with pytest.raises(pip_policy.InvalidOptionsError) as raised:
        pip_policy.Engine.default(trusted_keys=["not a key"], require_signature=False)
    assert "trusted_keys[0]" in raised.value.message
    with pytest.raises(pip_policy.InvalidOptionsError):
        pip_policy.Engine.default(audit_log="/tmp/never.jsonl")
    with pytest.raises(pip_policy.InvalidOptionsError):
        pip_policy.Engine.default(audit_log="/tmp/never.jsonl", audit_key=b"short")


def test_audited_engine_writes_a_line_per_decision(tmp_path):
    log = tmp_path / "decisions.jsonl"
    key = bytes(range(32))
    engine = pip_policy.Engine.default(audit_log=log, audit_key=key)
    engine.purpose_allowed(subject_id="c-1", purpose="billing", categories=["name"], as_of=AS_OF)
    # The file's anchor and the record, written before the call returned.
    assert len(log.read_text().splitlines()) == 2
    engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00", as_of=AS_OF)
    with pytest.raises(pip_policy.InvalidRequestError):
        engine.purpose_allowed(subject_id="c-1", purpose="no_such", categories=["name"],
                               as_of=AS_OF)
    lines = log.read_text().splitlines()
    assert len(lines) == 4
    assert json.loads(lines[0])["file_start"] is True  # the anchor, no decision
    records = [json.loads(line) for line in lines[1:]]
    assert [r["function"] for r in records] == ["purpose_allowed", "retention_due",
                                                "purpose_allowed"]
    assert records[2]["outcome"] == "OUTCOME_ERROR"
    assert "c-1" not in log.read_text()  # ids are pseudonymized

    # A second writer of the same log is refused.
    with pytest.raises(pip_policy.AuditLogError):
        pip_policy.Engine.default(audit_log=log, audit_key=key)
