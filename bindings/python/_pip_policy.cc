// _pip_policy: the compiled half of the pip_policy Python package.
//
// Deliberately thin. It moves strings and bytes across the language boundary,
// releases the GIL around every call into pip::Engine, and turns a non-OK
// absl::Status into the exception that pip_policy/errors.py maps it to (the
// one table of status codes to exception classes). Dict handling and the
// Pythonic names live in the pure-Python package.
//
// Nothing here answers a question itself: every decision comes from
// pip::Engine (or, for whole NumPy columns, a pip::Snapshot of it), and every
// error becomes a Python exception, never a decision.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/base/optimization.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/encoded.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/handles.h"
#include "pip/policy.h"
#include "pip/snapshot.h"
#include "pip/trust.h"
#include "pip/version.h"

namespace py = pybind11;

namespace {

// What was being read when an error arose. pip_policy/errors.py maps the
// pair (status code name, subject) to an exception class: INVALID_ARGUMENT
// is a bad request when evaluating, a bad policy when loading, and a bad
// trusted key or audit key among the options.
enum class Subject { kRequest, kPolicy, kOptions, kAuditLog };

const char* SubjectName(Subject subject) {
  switch (subject) {
    case Subject::kRequest:
      return "request";
    case Subject::kPolicy:
      return "policy";
    case Subject::kOptions:
      return "options";
    case Subject::kAuditLog:
      return "audit";
  }
  return "request";
}

// Thrown with or without the GIL; translated into a Python exception by the
// translator registered in the module init, which runs with the GIL held.
struct StatusError {
  std::string code;  // the absl::StatusCode name, e.g. "INVALID_ARGUMENT"
  std::string message;
  Subject subject;
};

[[noreturn]] void ThrowStatus(const absl::Status& status, Subject subject) {
  throw StatusError{absl::StatusCodeToString(status.code()),
                    std::string(status.message()), subject};
}

template <typename T>
T ValueOrThrow(absl::StatusOr<T> value, Subject subject) {
  if (!value.ok()) ThrowStatus(value.status(), subject);
  return *std::move(value);
}

void OkOrThrow(const absl::Status& status, Subject subject) {
  if (!status.ok()) ThrowStatus(status, subject);
}

// A test hook that proves the GIL is released: while enabled, every call
// made through WithoutGil() records whether this thread held the GIL at the
// moment pip::Engine was called.
std::atomic<bool> gil_probe_enabled{false};
std::atomic<long> gil_probe_released{0};
std::atomic<long> gil_probe_held{0};

// Runs `fn` (which must not touch Python objects) with the GIL released, so
// that other Python threads run while pip evaluates or compiles.
template <typename Fn>
auto WithoutGil(Fn&& fn) -> decltype(fn()) {
  py::gil_scoped_release release;
  if (gil_probe_enabled.load(std::memory_order_relaxed)) {
    (PyGILState_Check() ? gil_probe_held : gil_probe_released)
        .fetch_add(1, std::memory_order_relaxed);
  }
  return fn();
}

// Raises the error an EvalResponse carries instead of a decision.
void ThrowIfError(const pip::v1::EvalResponse& response) {
  if (response.has_error()) {
    throw StatusError{response.error().code(), response.error().message(),
                      Subject::kRequest};
  }
  if (response.response_case() == pip::v1::EvalResponse::RESPONSE_NOT_SET) {
    throw StatusError{"INTERNAL", "the engine gave neither a decision nor an error",
                      Subject::kRequest};
  }
}

// The function named `name` (pip/functions.def), or an error naming the
// functions there are.
pip::Function FunctionNamed(const std::string& name) {
#define PIP_FUNCTION(Name, snake, number) \
  if (name == #snake) return pip::Function::k##Name;
#include "pip/functions.def"
#undef PIP_FUNCTION
  std::string known;
#define PIP_FUNCTION(Name, snake, number) \
  known += known.empty() ? #snake : ", " #snake;
#include "pip/functions.def"
#undef PIP_FUNCTION
  throw StatusError{"INVALID_ARGUMENT",
                    absl::StrCat("unknown function '", name,
                                 "': expected one of ", known),
                    Subject::kRequest};
}

// One decision, serialized request in, serialized decision out:
// pip::DecidePb, which reads the request strictly.
py::bytes DecidePb(const pip::Engine& engine, const std::string& function,
                   const py::bytes& data) {
  const pip::Function f = FunctionNamed(function);
  std::string in = data;
  std::string out = WithoutGil([&] {
    std::string decision;
    const absl::Status status = pip::DecidePb(engine, f, in, &decision);
    if (!status.ok()) ThrowStatus(status, Subject::kRequest);
    return decision;
  });
  return py::bytes(out);
}

// The EngineOptions of Engine.create's keyword arguments: trust when
// `trusted_keys` is not None, a JsonlFileSink when `audit_log` is not None.
// Runs without the GIL (opening the log may block).
pip::EngineOptions MakeOptions(
    const std::optional<std::vector<std::string>>& trusted_keys,
    bool require_signature, int64_t min_revision,
    const std::optional<std::string>& revision_file,
    const std::optional<std::string>& audit_log,
    const std::optional<std::string>& audit_key) {
  pip::EngineOptions options;
  if (trusted_keys.has_value()) {
    pip::PolicyTrustOptions trust;
    trust.trusted_keys = *trusted_keys;
    trust.require_signature = require_signature;
    trust.min_revision = min_revision;
    trust.revision_file = revision_file.value_or("");
    options.trust =
        ValueOrThrow(pip::PolicyTrust::Create(trust), Subject::kOptions);
  }
  if (audit_log.has_value()) {
    pip::JsonlFileSinkOptions log;
    log.path = *audit_log;
    const pip::AuditKey key = ValueOrThrow(
        pip::AuditKey::FromBytes(audit_key.value_or("")), Subject::kOptions);
    options.audit_sink =
        ValueOrThrow(pip::JsonlFileSink::Open(key, log), Subject::kAuditLog);
  }
  return options;
}

// --- Columns (NumPy) ---------------------------------------------------------
//
// The column functions read NumPy arrays where they lie. Each column must be
// a one-dimensional, C-contiguous array of one of the dtypes listed for it,
// in native byte order; anything else raises InvalidRequestError naming the
// argument instead of being copied behind the caller's back. Records are
// decided in chunks of kChunk: what a chunk needs in another form (kind
// handles; event times in a unit other than seconds) is written to buffers
// of kChunk entries, so no copy the size of a column is ever made. The GIL
// is released for the whole sweep; the output arrays are allocated before.

// Records per call of Snapshot::RetentionSweep: a multiple of 64, so that
// every chunk starts on a word of the due bitmap.
constexpr size_t kChunk = 16384;
static_assert(kChunk % 64 == 0, "chunks start on a bitmap word");

[[noreturn]] void ThrowInvalid(std::string message) {
  throw StatusError{"INVALID_ARGUMENT", std::move(message), Subject::kRequest};
}

std::string DtypeName(const py::array& a) {
  return py::str(a.dtype()).cast<std::string>();
}

// `value` as a one-dimensional C-contiguous array of `n` entries (any
// number when n < 0), or InvalidRequestError naming `what`.
py::array Column(const py::handle& value, const char* what, py::ssize_t n) {
  if (!py::isinstance<py::array>(value)) {
    ThrowInvalid(absl::StrCat(what, ": expected a NumPy array, got ",
                              Py_TYPE(value.ptr())->tp_name));
  }
  py::array a = py::reinterpret_borrow<py::array>(value);
  if (a.ndim() != 1) {
    ThrowInvalid(absl::StrCat(what, ": expected a one-dimensional array, got ",
                              a.ndim(), " dimensions"));
  }
  if ((a.flags() & py::array::c_style) == 0) {
    ThrowInvalid(absl::StrCat(
        what,
        ": the array is not contiguous (a strided view such as a[::2]); "
        "columns are read in place, never copied: pass "
        "numpy.ascontiguousarray(",
        what, ") to make the one copy yourself"));
  }
  if (n >= 0 && a.shape(0) != n) {
    ThrowInvalid(absl::StrCat(what, ": ", a.shape(0), " entries; expected ", n,
                              " (one per record)"));
  }
  return a;
}

// A column of times: int64 Unix seconds, or datetime64 in s, ms, us or ns
// (UTC); NaT (INT64_MIN, which is pip::kNoEvent) for none.
struct TimeColumn {
  const int64_t* data = nullptr;
  int64_t per_second = 1;  // units per second
};

TimeColumn TimeColumnOf(const py::array& a, const char* what) {
  const std::string dtype = DtypeName(a);
  int64_t per_second = 0;
  if (dtype == "int64" || dtype == "datetime64[s]") {
    per_second = 1;
  } else if (dtype == "datetime64[ms]") {
    per_second = 1000;
  } else if (dtype == "datetime64[us]") {
    per_second = 1000000;
  } else if (dtype == "datetime64[ns]") {
    per_second = 1000000000;
  } else {
    ThrowInvalid(absl::StrCat(
        what, ": dtype ", dtype,
        " is not taken; expected int64 (Unix seconds) or datetime64[s], "
        "[ms], [us] or [ns] (UTC, NaT for none)"));
  }
  return {static_cast<const int64_t*>(a.data()), per_second};
}

// Unix seconds of a time column's value (rounded down, as
// absl::ToUnixSeconds does); kNoEvent stays kNoEvent.
inline int64_t SecondsOf(int64_t value, int64_t per_second) {
  if (per_second == 1 || value == pip::kNoEvent) return value;
  int64_t q = value / per_second;
  if (value % per_second < 0) --q;
  return q;
}

// The time of a time column's value, or nullopt for NaT.
std::optional<absl::Time> TimeOf(int64_t value, int64_t per_second) {
  if (value == pip::kNoEvent) return std::nullopt;
  switch (per_second) {
    case 1:
      return absl::FromUnixSeconds(value);
    case 1000:
      return absl::FromUnixMillis(value);
    case 1000000:
      return absl::FromUnixMicros(value);
    default:
      return absl::FromUnixNanos(value);
  }
}

// SecondsOf over `count` values, with the unit a constant the compiler
// divides by with a multiplication.
template <int64_t kPerSecond>
void ToSeconds(const int64_t* values, size_t count, int64_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = SecondsOf(values[i], kPerSecond);
}

// The seconds of records [begin, begin + count): the column itself when it
// holds seconds, else `scratch` filled from it.
absl::Span<const int64_t> SecondsSpan(const TimeColumn& c, size_t begin,
                                      size_t count, int64_t* scratch) {
  switch (c.per_second) {
    case 1:
      return absl::MakeConstSpan(c.data + begin, count);
    case 1000:
      ToSeconds<1000>(c.data + begin, count, scratch);
      break;
    case 1000000:
      ToSeconds<1000000>(c.data + begin, count, scratch);
      break;
    default:
      ToSeconds<1000000000>(c.data + begin, count, scratch);
      break;
  }
  return absl::MakeConstSpan(scratch, count);
}

// A column of integer codes into a table (kind_ids): int8, int16, int32 or
// int64, as pandas Categorical codes and pandas.factorize give them.
struct CodeColumn {
  const void* data = nullptr;
  int itemsize = 0;
};

CodeColumn CodeColumnOf(const py::array& a, const char* what) {
  const std::string dtype = DtypeName(a);
  if (dtype != "int8" && dtype != "int16" && dtype != "int32" &&
      dtype != "int64") {
    ThrowInvalid(absl::StrCat(
        what, ": dtype ", dtype,
        " is not taken; expected integer codes into kind_ids (int8, int16, "
        "int32 or int64), e.g. a pandas Categorical's codes"));
  }
  return {a.data(), static_cast<int>(a.itemsize())};
}

// Maps codes [begin, begin + count) through `table` into `out`; returns the
// position of the first code outside the table, or -1.
template <typename T, typename H>
ptrdiff_t MapCodes(const T* codes, size_t begin, size_t count,
                   absl::Span<const H> table, H* out) {
  for (size_t i = 0; i < count; ++i) {
    const uint64_t code = static_cast<uint64_t>(
        static_cast<int64_t>(codes[begin + i]));  // negative: huge
    if (ABSL_PREDICT_FALSE(code >= table.size())) {
      return static_cast<ptrdiff_t>(begin + i);
    }
    out[i] = table[code];
  }
  return -1;
}

template <typename H>
ptrdiff_t MapCodeColumn(const CodeColumn& c, size_t begin, size_t count,
                        absl::Span<const H> table, H* out) {
  switch (c.itemsize) {
    case 1:
      return MapCodes(static_cast<const int8_t*>(c.data), begin, count, table,
                      out);
    case 2:
      return MapCodes(static_cast<const int16_t*>(c.data), begin, count,
                      table, out);
    case 4:
      return MapCodes(static_cast<const int32_t*>(c.data), begin, count,
                      table, out);
    default:
      return MapCodes(static_cast<const int64_t*>(c.data), begin, count,
                      table, out);
  }
}

int64_t CodeAt(const CodeColumn& c, size_t i) {
  switch (c.itemsize) {
    case 1:
      return static_cast<const int8_t*>(c.data)[i];
    case 2:
      return static_cast<const int16_t*>(c.data)[i];
    case 4:
      return static_cast<const int32_t*>(c.data)[i];
    default:
      return static_cast<const int64_t*>(c.data)[i];
  }
}

// A column of flags: bool or uint8 (nonzero: set).
const uint8_t* FlagColumnOf(const py::array& a, const char* what) {
  const std::string dtype = DtypeName(a);
  if (dtype != "bool" && dtype != "uint8") {
    ThrowInvalid(absl::StrCat(what, ": dtype ", dtype,
                              " is not taken; expected bool or uint8"));
  }
  return static_cast<const uint8_t*>(a.data());
}

// A status of a call over records [offset, ...) with its record index
// counted from `offset` and its column named as the caller named it:
// "event_unix_seconds[3]: ..." of the chunk at 16384 becomes
// "event_at[16387]: ...".
[[noreturn]] void ThrowChunkStatus(const absl::Status& status, size_t offset,
                                   absl::string_view from,
                                   absl::string_view to) {
  absl::string_view message = status.message();
  if (absl::ConsumePrefix(&message, from) &&
      absl::ConsumePrefix(&message, "[")) {
    const size_t close = message.find(']');
    size_t index = 0;
    if (close != absl::string_view::npos &&
        absl::SimpleAtoi(message.substr(0, close), &index)) {
      ThrowStatus(absl::Status(status.code(),
                               absl::StrCat(to, "[", offset + index, "]",
                                            message.substr(close + 1))),
                  Subject::kRequest);
    }
  }
  ThrowStatus(status, Subject::kRequest);
}

// Bit i of a byte as byte i of a word: eight bools (0 or 1) at once.
struct SpreadTable {
  uint64_t bytes[256];
  constexpr SpreadTable() : bytes() {
    for (int b = 0; b < 256; ++b) {
      uint64_t word = 0;
      for (int i = 0; i < 8; ++i) word |= uint64_t((b >> i) & 1) << (8 * i);
      bytes[b] = word;
    }
  }
};
constexpr SpreadTable kSpread;

// Writes bits [0, n) of `bitmap` (bit i of word i / 64) to `out` as bools.
void ExpandBits(const uint64_t* bitmap, size_t n, bool* out) {
  static_assert(sizeof(bool) == 1, "NumPy's bool is one byte");
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t spread = kSpread.bytes[(bitmap[i >> 6] >> (i & 63)) & 0xff];
    std::memcpy(out + i, &spread, 8);  // little-endian: byte 0 is bit 0
  }
  for (; i < n; ++i) out[i] = (bitmap[i >> 6] >> (i & 63)) & 1;
}

absl::Time AsOf(int64_t seconds, int64_t nanos) {
  return absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
}

// Snapshot::RetentionSweep over NumPy columns (clause 7): returns (due,
// retain_until or None, policy_version, policy_hash), all from one snapshot.
py::tuple RetentionSweepColumns(const pip::Engine& engine,
                                const py::object& kinds_value,
                                const py::object& event_value,
                                const py::object& held_value,
                                const std::vector<std::string>& kind_ids,
                                int64_t as_of_seconds, int64_t as_of_nanos,
                                bool with_retain_until) {
  const std::shared_ptr<const pip::Snapshot> snap = engine.snapshot();
  std::vector<pip::RetentionKindId> table;
  table.reserve(kind_ids.size());
  for (size_t i = 0; i < kind_ids.size(); ++i) {
    absl::StatusOr<pip::RetentionKindId> kind = snap->RetentionKind(kind_ids[i]);
    if (!kind.ok()) {
      ThrowInvalid(absl::StrCat("kind_ids[", i, "]: ", kind.status().message()));
    }
    table.push_back(*kind);
  }
  const py::array kinds_array = Column(kinds_value, "kinds", -1);
  const py::ssize_t n = kinds_array.shape(0);
  const CodeColumn kinds = CodeColumnOf(kinds_array, "kinds");
  const py::array event_array = Column(event_value, "event_at", n);
  const TimeColumn events = TimeColumnOf(event_array, "event_at");
  const uint8_t* held = nullptr;
  py::array held_array;
  if (!held_value.is_none()) {
    held_array = Column(held_value, "held", n);
    held = FlagColumnOf(held_array, "held");
  }
  py::array_t<bool> due(n);
  py::object until = py::none();
  int64_t* until_out = nullptr;
  if (with_retain_until) {
    py::array days(py::dtype("datetime64[D]"), std::vector<py::ssize_t>{n});
    until_out = static_cast<int64_t*>(days.mutable_data());
    until = days;
  }
  bool* due_out = due.mutable_data();
  const absl::Time as_of = AsOf(as_of_seconds, as_of_nanos);

  WithoutGil([&] {
    const size_t count = static_cast<size_t>(n);
    const size_t chunk = std::min(count, kChunk);
    std::vector<pip::RetentionKindId> handles(chunk);
    std::vector<int64_t> seconds(events.per_second == 1 ? 0 : chunk);
    std::vector<uint8_t> not_held(held == nullptr ? chunk : 0, 0);
    std::vector<uint64_t> bitmap((chunk + 63) / 64);
    std::vector<int32_t> days(with_retain_until ? chunk : 0);
    const absl::Span<const pip::RetentionKindId> lookup(table);
    // One pass even for no records, so that as_of is checked.
    size_t begin = 0;
    do {
      const size_t m = std::min(kChunk, count - begin);
      const ptrdiff_t bad =
          MapCodeColumn(kinds, begin, m, lookup, handles.data());
      if (bad >= 0) {
        const int64_t code = CodeAt(kinds, static_cast<size_t>(bad));
        ThrowInvalid(absl::StrCat(
            "kinds[", bad, "]: code ", code,
            code < 0 ? " is missing (a pandas Categorical's code for NaN)"
                     : " is not an index into kind_ids",
            "; kind_ids has ", table.size(), " entries"));
      }
      const absl::Status status = snap->RetentionSweep(
          absl::MakeConstSpan(handles.data(), m),
          SecondsSpan(events, begin, m, seconds.data()),
          held != nullptr ? absl::MakeConstSpan(held + begin, m)
                          : absl::MakeConstSpan(not_held.data(), m),
          as_of, absl::MakeSpan(bitmap.data(), (m + 63) / 64),
          absl::MakeSpan(days.data(), with_retain_until ? m : 0));
      if (!status.ok()) {
        ThrowChunkStatus(status, begin, "event_unix_seconds", "event_at");
      }
      ExpandBits(bitmap.data(), m, due_out + begin);
      if (with_retain_until) {
        for (size_t i = 0; i < m; ++i) {
          until_out[begin + i] =
              days[i] == pip::kNoRetainUntil ? pip::kNoEvent : days[i];
        }
      }
      begin += m;
    } while (begin < count);
  });
  return py::make_tuple(due, until, std::string(snap->policy_version()),
                        std::string(snap->policy_hash()));
}

// Snapshot::PurposeAllowed for one question over a list of customers
// (clauses 2, 4, 8.1; APPI 27, 28), each of whom either gave one consent of
// the scope given (granted_at, and when it was withdrawn, when it expires,
// the birth date and a representative's consent) or none (granted_at NaT).
// Returns (allowed, reason, policy_version, policy_hash).
py::tuple PurposeAllowedColumns(
    const pip::Engine& engine, const std::string& purpose,
    const std::vector<std::string>& categories,
    const std::optional<std::string>& recipient, bool anonymized,
    bool health_service, bool necessity_documented, int64_t as_of_seconds,
    int64_t as_of_nanos, const py::object& granted_value,
    const py::object& withdrawn_value, const py::object& expires_value,
    const py::object& birth_value, const py::object& representative_value,
    const std::optional<std::vector<std::string>>& consent_categories,
    const std::optional<std::vector<std::string>>& consent_purposes,
    const std::optional<std::vector<std::string>>& consent_recipients,
    int32_t consent_version) {
  const std::shared_ptr<const pip::Snapshot> snap = engine.snapshot();
  auto lookup = [](auto status_or, absl::string_view what) {
    if (!status_or.ok()) {
      ThrowInvalid(absl::StrCat(what, ": ", status_or.status().message()));
    }
    return *std::move(status_or);
  };
  auto views = [](const std::vector<std::string>& ids) {
    return std::vector<absl::string_view>(ids.begin(), ids.end());
  };
  pip::PurposeFacts facts;
  facts.purpose = lookup(snap->Purpose(purpose), "purpose");
  facts.categories = lookup(snap->Categories(views(categories)), "categories");
  if (recipient.has_value()) {
    facts.recipient = lookup(snap->Recipient(*recipient), "recipient");
  }
  facts.context.anonymized = anonymized;
  facts.context.health_service = health_service;
  facts.context.necessity_documented = necessity_documented;
  facts.as_of = AsOf(as_of_seconds, as_of_nanos);

  pip::ConsentRecord consent;
  consent.subject_matches = true;  // one row, one customer
  consent.consent_version = consent_version;
  consent.categories =
      consent_categories.has_value()
          ? lookup(snap->Categories(views(*consent_categories)),
                   "consent_categories")
          : facts.categories;
  if (consent_purposes.has_value()) {
    consent.purposes =
        lookup(snap->Purposes(views(*consent_purposes)), "consent_purposes");
  } else {
    consent.purposes.Insert(facts.purpose);
  }
  if (consent_recipients.has_value()) {
    for (size_t i = 0; i < consent_recipients->size(); ++i) {
      consent.recipients.Insert(
          lookup(snap->Recipient((*consent_recipients)[i]),
                 absl::StrCat("consent_recipients[", i, "]")));
    }
  } else if (recipient.has_value()) {
    consent.recipients.Insert(facts.recipient);
  }

  const py::array granted_array = Column(granted_value, "granted_at", -1);
  const py::ssize_t n = granted_array.shape(0);
  const TimeColumn granted = TimeColumnOf(granted_array, "granted_at");
  auto optional_times = [&](const py::object& value, const char* what,
                            py::array& keep) {
    if (value.is_none()) return TimeColumn{};
    keep = Column(value, what, n);
    return TimeColumnOf(keep, what);
  };
  py::array withdrawn_array, expires_array, birth_array, representative_array;
  const TimeColumn withdrawn =
      optional_times(withdrawn_value, "withdrawn_at", withdrawn_array);
  const TimeColumn expires =
      optional_times(expires_value, "expires_at", expires_array);
  const int64_t* birth = nullptr;
  if (!birth_value.is_none()) {
    birth_array = Column(birth_value, "birth_date", n);
    if (DtypeName(birth_array) != "datetime64[D]") {
      ThrowInvalid(absl::StrCat("birth_date: dtype ", DtypeName(birth_array),
                                " is not taken; expected datetime64[D] (NaT "
                                "for not recorded)"));
    }
    birth = static_cast<const int64_t*>(birth_array.data());
  }
  const uint8_t* representative = nullptr;
  if (!representative_value.is_none()) {
    representative_array =
        Column(representative_value, "representative_consent", n);
    representative =
        FlagColumnOf(representative_array, "representative_consent");
  }

  py::array_t<bool> allowed(n);
  py::array_t<int32_t> reason(n);
  bool* allowed_out = allowed.mutable_data();
  int32_t* reason_out = reason.mutable_data();
  WithoutGil([&] {
    const absl::CivilDay epoch(1970, 1, 1);
    for (py::ssize_t i = 0; i < n; ++i) {
      const std::optional<absl::Time> granted_at =
          TimeOf(granted.data[i], granted.per_second);
      if (granted_at.has_value()) {
        consent.granted_at = *granted_at;
        consent.withdrawn_at =
            withdrawn.data == nullptr
                ? absl::InfiniteFuture()
                : TimeOf(withdrawn.data[i], withdrawn.per_second)
                      .value_or(absl::InfiniteFuture());
        consent.expires_at =
            expires.data == nullptr
                ? absl::InfiniteFuture()
                : TimeOf(expires.data[i], expires.per_second)
                      .value_or(absl::InfiniteFuture());
        consent.birth_date = std::nullopt;
        if (birth != nullptr && birth[i] != pip::kNoEvent) {
          // Days past the years pip takes are refused by PurposeAllowed;
          // clamp first so that the CivilDay arithmetic cannot overflow.
          const int64_t days =
              std::clamp<int64_t>(birth[i], -10000000, 10000000);
          consent.birth_date = epoch + days;
        }
        consent.representative_consent =
            representative != nullptr && representative[i] != 0;
      }
      facts.consents = absl::MakeConstSpan(&consent, granted_at ? 1 : 0);
      const absl::StatusOr<pip::PurposeVerdict> v = snap->PurposeAllowed(facts);
      if (!v.ok()) {
        absl::string_view message = v.status().message();
        if (absl::ConsumePrefix(&message, "consents[0].")) {
          ThrowStatus(absl::Status(v.status().code(),
                                   absl::StrCat(message.substr(0, message.find(':')),
                                                "[", i, "]",
                                                message.substr(message.find(':')))),
                      Subject::kRequest);
        }
        ThrowStatus(v.status(), Subject::kRequest);
      }
      allowed_out[i] = v->allowed;
      reason_out[i] = static_cast<int32_t>(v->reason);
    }
  });
  return py::make_tuple(allowed, reason, std::string(snap->policy_version()),
                        std::string(snap->policy_hash()));
}

// Every pip.v1.ReasonCode, number to name.
py::dict ReasonCodeNames() {
  py::dict names;
  const google::protobuf::EnumDescriptor* d = pip::v1::ReasonCode_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    names[py::int_(d->value(i)->number())] = py::str(d->value(i)->name());
  }
  return names;
}

}  // namespace

PYBIND11_MODULE(_pip_policy, m) {
  m.doc() =
      "The compiled core of pip_policy: pip::Engine over JSON strings and "
      "serialized pip.v1 messages. Use the pip_policy package, not this.";
  m.attr("__version__") = PIP_VERSION_STRING;
  // The decision functions (pip/functions.def), in EvalRequest's order.
  py::tuple functions(0
#define PIP_FUNCTION(Name, name, number) +1
#include "pip/functions.def"
#undef PIP_FUNCTION
  );
  {
    size_t i = 0;
#define PIP_FUNCTION(Name, name, number) functions[i++] = py::str(#name);
#include "pip/functions.def"
#undef PIP_FUNCTION
  }
  m.attr("FUNCTIONS") = functions;
  m.def(
      "default_policy_text",
      [] { return std::string(pip::DefaultPolicyText()); },
      "The text of the policy embedded in the library "
      "(policies/default.textproto), the one Engine.default() runs.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      try {
        py::object make = py::module_::import("pip_policy.errors")
                              .attr("_error_from_status");
        py::object exc = make(e.code, e.message, SubjectName(e.subject));
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())),
                        exc.ptr());
      } catch (py::error_already_set& failed) {
        // The table itself could not be reached: raise that, never nothing.
        failed.restore();
      }
    }
  });

  // Where a policy comes from: pip::PolicySource, made by its named
  // constructors. Immutable.
  py::class_<pip::PolicySource>(m, "PolicySource")
      .def_static("default", &pip::PolicySource::Default)
      .def_static(
          "text",
          [](std::string text, std::string name) {
            return pip::PolicySource::Text(std::move(text), std::move(name));
          },
          py::arg("text"), py::arg("name") = "")
      .def_static(
          "binary",
          [](const py::bytes& data, std::string name) {
            return pip::PolicySource::Binary(data, std::move(name));
          },
          py::arg("data"), py::arg("name") = "")
      .def_static(
          "file",
          [](std::string path) {
            return pip::PolicySource::File(std::move(path));
          },
          py::arg("path"))
      .def_static(
          "signed",
          [](const py::bytes& data, const py::bytes& signature,
             std::string name) {
            return pip::PolicySource::Signed(data, signature, std::move(name));
          },
          py::arg("data"), py::arg("signature"), py::arg("name") = "")
      .def_static(
          "signed_file",
          [](std::string path, std::string signature_path) {
            return pip::PolicySource::SignedFile(std::move(path),
                                                 std::move(signature_path));
          },
          py::arg("path"), py::arg("signature_path"));

  py::class_<pip::Engine>(m, "Engine")
      .def_static(
          "create",
          [](const pip::PolicySource& source,
             std::optional<std::vector<std::string>> trusted_keys,
             bool require_signature, int64_t min_revision,
             std::optional<std::string> revision_file,
             std::optional<std::string> audit_log,
             std::optional<std::string> audit_key) {
            return WithoutGil([&] {
              pip::EngineOptions options =
                  MakeOptions(trusted_keys, require_signature, min_revision,
                              revision_file, audit_log, audit_key);
              return ValueOrThrow(
                  pip::Engine::Create(source, std::move(options)),
                  Subject::kPolicy);
            });
          },
          py::arg("source"), py::kw_only(),
          py::arg("trusted_keys") = py::none(),
          py::arg("require_signature") = true, py::arg("min_revision") = 0,
          py::arg("revision_file") = py::none(),
          py::arg("audit_log") = py::none(), py::arg("audit_key") = py::none())
      .def(
          "reload",
          [](pip::Engine& engine, const pip::PolicySource& source) {
            OkOrThrow(WithoutGil([&] { return engine.Reload(source); }),
                      Subject::kPolicy);
          },
          py::arg("source"))
      .def_property_readonly("policy_version", &pip::Engine::policy_version)
      .def_property_readonly("policy_hash", &pip::Engine::policy_hash)
      // One pip.v1.EvalRequest as JSON in, one pip.v1.EvalResponse as JSON
      // (UTF-8 bytes) out; an error comes back as {"error": {...}} for the
      // package to raise.
      .def(
          "evaluate_json",
          [](const pip::Engine& engine, const std::string& json) {
            std::string out =
                WithoutGil([&] { return pip::EvaluateJson(engine, json); });
            return py::bytes(out);
          },
          py::arg("json"))
      // Many pip.v1.EvalRequest JSON lines in, decided on one policy (the
      // one running when the call starts): one EvalResponse JSON line each,
      // in order, an error answering only its own request
      // (pip::EvaluateJsonBatch). The strings are copied before the GIL is
      // released.
      .def(
          "evaluate_json_batch",
          [](const pip::Engine& engine, const std::vector<std::string>& lines) {
            std::vector<std::string> out = WithoutGil([&] {
              const std::vector<absl::string_view> views(lines.begin(),
                                                         lines.end());
              return pip::EvaluateJsonBatch(engine, views);
            });
            py::list answers;
            for (const std::string& answer : out) answers.append(py::bytes(answer));
            return answers;
          },
          py::arg("lines"))
      .def(
          "explain_json",
          [](const pip::Engine& engine, const std::string& json,
             bool quote_clauses) {
            std::string out = WithoutGil([&] {
              const pip::v1::EvalResponse response = engine.Evaluate(
                  ValueOrThrow(pip::ParseEvalRequestJson(json),
                               Subject::kRequest));
              ThrowIfError(response);
              return engine.Explain(response, quote_clauses);
            });
            return py::bytes(out);
          },
          py::arg("json"), py::arg("quote_clauses") = true)
      .def("decide_pb", &DecidePb, py::arg("function"), py::arg("data"))
      .def(
          "evaluate_pb",
          [](const pip::Engine& engine, const py::bytes& data) {
            std::string in = data;
            std::string out = WithoutGil([&] {
              std::string bytes = pip::EvaluatePb(engine, in);
              pip::v1::EvalResponse response;
              if (!response.ParseFromString(bytes)) {
                throw StatusError{"INTERNAL", "the engine's answer does not parse",
                                  Subject::kRequest};
              }
              ThrowIfError(response);
              return bytes;
            });
            return py::bytes(out);
          },
          py::arg("data"))
      // The column functions (see "Columns (NumPy)" above); the package's
      // Engine.retention_sweep and Engine.purpose_allowed_many check the
      // Python values and name the arguments.
      .def("retention_sweep", &RetentionSweepColumns, py::arg("kinds"),
           py::arg("event_at"), py::arg("held"), py::arg("kind_ids"),
           py::arg("as_of_seconds"), py::arg("as_of_nanos"),
           py::arg("retain_until"))
      .def("purpose_allowed_columns", &PurposeAllowedColumns,
           py::arg("purpose"), py::arg("categories"), py::arg("recipient"),
           py::arg("anonymized"), py::arg("health_service"),
           py::arg("necessity_documented"), py::arg("as_of_seconds"),
           py::arg("as_of_nanos"), py::arg("granted_at"),
           py::arg("withdrawn_at"), py::arg("expires_at"),
           py::arg("birth_date"), py::arg("representative_consent"),
           py::arg("consent_categories"), py::arg("consent_purposes"),
           py::arg("consent_recipients"), py::arg("consent_version"));
  m.def("reason_code_names", &ReasonCodeNames,
        "Every pip.v1.ReasonCode as {number: name}.");

  // Test hooks (not part of the API).
  m.def(
      "_gil_probe",
      [](bool enable) {
        gil_probe_released = 0;
        gil_probe_held = 0;
        gil_probe_enabled = enable;
      },
      py::arg("enable"),
      "Starts (or stops) counting, per call into pip::Engine, whether the "
      "GIL was held; resets the counts.");
  m.def(
      "_gil_probe_counts",
      [] {
        return py::make_tuple(gil_probe_released.load(), gil_probe_held.load());
      },
      "(calls made with the GIL released, calls made with it held)");
  m.def(
      "_raise_status",
      [](const std::string& code, const std::string& message, bool policy) {
        throw StatusError{code, message,
                          policy ? Subject::kPolicy : Subject::kRequest};
      },
      py::arg("code"), py::arg("message"), py::arg("policy") = false,
      "Raises the exception the module raises for this status.");
}
