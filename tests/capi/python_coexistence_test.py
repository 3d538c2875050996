"""A Python process with both libraries: the pip_policy module (libpip.a
inside) and libpip_c.so loaded with ctypes. Loading the second must not
abort, and both must answer clause 7 alike: an inquiry of 2023-05-10 is
kept until 2026-05-10 and is due on 2026-05-11.

    python3 python_coexistence_test.py <path of libpip_c.so>
"""
import ctypes
import json
import sys

import pip_policy  # registers pip.v1 with libprotobuf first

INQUIRY = {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
           "as_of": "2026-05-11T00:00:00+09:00"}


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def timestamp(field, seconds):
    inner = b"\x08" + varint(seconds)
    return bytes([field << 3 | 2]) + varint(len(inner)) + inner


# pip.v1.RetentionDueRequest: kind = 1, event_at = 2, as_of = 4.
INQUIRY_BYTES = (b"\x0a\x07inquiry" + timestamp(2, 1683694800)
                 + timestamp(4, 1778425200))


class PolicySource(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("kind", ctypes.c_int),
                ("data", ctypes.c_void_p), ("data_len", ctypes.c_size_t),
                ("name", ctypes.c_char_p), ("path", ctypes.c_char_p),
                ("signature", ctypes.c_void_p),
                ("signature_len", ctypes.c_size_t),
                ("signature_path", ctypes.c_char_p)]


def main():
    lib = ctypes.CDLL(sys.argv[1])
    lib.pip_error_message.restype = ctypes.c_char_p
    lib.pip_error_message.argtypes = [ctypes.c_void_p]
    lib.pip_error_free.argtypes = [ctypes.c_void_p]
    lib.pip_free.argtypes = [ctypes.c_void_p]
    lib.pip_engine_free.argtypes = [ctypes.c_void_p]

    def check(status, error):
        if status != 0:
            message = lib.pip_error_message(error).decode()
            lib.pip_error_free(error)
            sys.exit(f"FAIL: status {status}: {message}")

    engine = ctypes.c_void_p()
    error = ctypes.c_void_p()
    source = PolicySource(struct_size=ctypes.sizeof(PolicySource))
    check(lib.pip_engine_new(ctypes.byref(engine), ctypes.byref(source),
                             None, ctypes.byref(error)), error)

    request = json.dumps(INQUIRY).encode()
    out = ctypes.c_void_p()
    out_len = ctypes.c_size_t()
    check(lib.pip_retention_due_json(ctypes.byref(out), ctypes.byref(out_len),
                                     engine, request,
                                     ctypes.c_size_t(len(request)),
                                     ctypes.byref(error)), error)
    c_json = ctypes.string_at(out, out_len.value).decode()
    lib.pip_free(out)

    check(lib.pip_retention_due_pb(ctypes.byref(out), ctypes.byref(out_len),
                                   engine, INQUIRY_BYTES,
                                   ctypes.c_size_t(len(INQUIRY_BYTES)),
                                   ctypes.byref(error)), error)
    c_bytes = ctypes.string_at(out, out_len.value)
    lib.pip_free(out)
    lib.pip_engine_free(engine)

    py = pip_policy.Engine.default()
    failures = []
    decision = json.loads(c_json)
    if decision != py.retention_due(INQUIRY):
        failures.append(f"JSON differs:\n{c_json}\n{py.retention_due(INQUIRY)}")
    if not (decision["due"] and decision["retain_until"] == "2026-05-10"):
        failures.append(f"7: expected due, kept until 2026-05-10: {c_json}")
    if c_bytes != py.retention_due_pb(INQUIRY_BYTES):
        failures.append("protobuf bytes differ")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        sys.exit(1)
    print("OK: pip_policy and libpip_c.so in one process, clause 7 alike")


if __name__ == "__main__":
    main()
