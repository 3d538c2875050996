#include "pip_sqlite.h"

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace retention_sweeper {
namespace {

using google::protobuf::util::TimeUtil;

absl::string_view Text(sqlite3_value* v) {
  const unsigned char* text = sqlite3_value_text(v);
  if (text == nullptr) return {};
  return absl::string_view(reinterpret_cast<const char*>(text),
                           static_cast<size_t>(sqlite3_value_bytes(v)));
}

absl::string_view ProtobufMessage(const google::protobuf::util::Status& s) {
  return absl::string_view(s.message().data(), s.message().size());
}

absl::Status ParseTime(absl::string_view name, sqlite3_value* v,
                       google::protobuf::Timestamp* out) {
  if (sqlite3_value_type(v) != SQLITE_TEXT ||
      !TimeUtil::FromString(std::string(Text(v)), out)) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": must be an RFC 3339 time as TEXT, got '", Text(v), "'"));
  }
  return absl::OkStatus();
}

// Arguments: kind, event_at, holds, as_of (see pip_sqlite.h).
absl::StatusOr<pip::v1::RetentionDueDecision> Decide(const pip::Engine& engine,
                                                     sqlite3_value** argv) {
  pip::v1::RetentionDueRequest request;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    return absl::InvalidArgumentError("kind: must be a retention kind id as TEXT");
  }
  request.set_kind(std::string(Text(argv[0])));
  if (sqlite3_value_type(argv[1]) != SQLITE_NULL) {
    absl::Status s = ParseTime("event_at", argv[1], request.mutable_event_at());
    if (!s.ok()) return s;
  }
  if (sqlite3_value_type(argv[2]) != SQLITE_NULL) {
    if (sqlite3_value_type(argv[2]) != SQLITE_TEXT) {
      return absl::InvalidArgumentError(
          "holds: must be NULL or a JSON array of pip.v1.Hold objects");
    }
    absl::Status s = ParseHoldsJson(Text(argv[2]), request.mutable_holds());
    if (!s.ok()) return s;
  }
  absl::Status s = ParseTime("as_of", argv[3], request.mutable_as_of());
  if (!s.ok()) return s;
  return engine.RetentionDue(request);
}

// Calls `answer(decision)` or sets the SQL error. Nothing may throw through
// SQLite's C frames, so every exception becomes an SQL error too.
template <typename Answer>
void Evaluate(sqlite3_context* ctx, sqlite3_value** argv, const char* name,
              Answer answer) {
  try {
    const auto* engine = static_cast<const pip::Engine*>(sqlite3_user_data(ctx));
    absl::StatusOr<pip::v1::RetentionDueDecision> d = Decide(*engine, argv);
    if (d.ok()) {
      answer(*d);
      return;
    }
    const std::string message = absl::StrCat(name, ": ", d.status().ToString());
    sqlite3_result_error(ctx, message.data(), static_cast<int>(message.size()));
  } catch (...) {
    sqlite3_result_error(ctx, name, -1);
  }
}

void RetentionDue(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Evaluate(ctx, argv, "pip_retention_due",
           [ctx](const pip::v1::RetentionDueDecision& d) {
             sqlite3_result_int(ctx, d.due() ? 1 : 0);
           });
}

void RetentionDecision(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Evaluate(ctx, argv, "pip_retention_decision",
           [ctx](const pip::v1::RetentionDueDecision& d) {
             google::protobuf::util::JsonPrintOptions options;
             options.preserve_proto_field_names = true;
             options.always_print_primitive_fields = true;
             std::string json;
             const auto printed =
                 google::protobuf::util::MessageToJsonString(d, &json, options);
             if (!printed.ok()) {
               sqlite3_result_error(ctx, "pip_retention_decision: cannot print",
                                    -1);
               return;
             }
             sqlite3_result_text(ctx, json.data(), static_cast<int>(json.size()),
                                 SQLITE_TRANSIENT);
           });
}

}  // namespace

absl::Status RegisterRetentionFunctions(sqlite3* db, const pip::Engine* engine) {
  // Innocuous: no side effects. Not SQLITE_DETERMINISTIC: a Reload of the
  // engine may change an answer, so SQLite must not keep one in an index.
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_INNOCUOUS;
  void* user_data = const_cast<pip::Engine*>(engine);
  struct Function {
    const char* name;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  for (const Function& f : {Function{"pip_retention_due", &RetentionDue},
                            Function{"pip_retention_decision", &RetentionDecision}}) {
    if (sqlite3_create_function_v2(db, f.name, 4, kFlags, user_data, f.fn,
                                   nullptr, nullptr, nullptr) != SQLITE_OK) {
      return absl::InternalError(
          absl::StrCat("cannot register ", f.name, ": ", sqlite3_errmsg(db)));
    }
  }
  return absl::OkStatus();
}

// Through protobuf's JSON mapping, so the shape is exactly the contract's.
absl::Status ParseHoldsJson(
    absl::string_view json,
    google::protobuf::RepeatedPtrField<pip::v1::Hold>* holds) {
  json = absl::StripAsciiWhitespace(json);
  if (json == "[]") {  // most records: no JSON parser needed
    holds->Clear();
    return absl::OkStatus();
  }
  if (json.empty() || json[0] != '[') {
    return absl::InvalidArgumentError(
        "holds: must be a JSON array of pip.v1.Hold objects");
  }
  pip::v1::RetentionDueRequest parsed;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      absl::StrCat("{\"holds\": ", json, "}"), &parsed, options);
  // Text after the array could set other fields: only holds may be set.
  if (!status.ok() || !parsed.kind().empty() || parsed.has_event_at() ||
      parsed.has_as_of()) {
    return absl::InvalidArgumentError(
        absl::StrCat("holds: not a JSON array of pip.v1.Hold objects: ",
                     status.ok() ? json : ProtobufMessage(status)));
  }
  holds->Swap(parsed.mutable_holds());
  return absl::OkStatus();
}

}  // namespace retention_sweeper
