// The client side of benchmarks/sql_bench.sh, case (c): every row fetched
// from the database and decided by pip. Reads PostgreSQL COPY text lines
//   kind <TAB> event Unix seconds <TAB> contract end Unix seconds <TAB> hold
// (\N for NULL, hold t or f), decides them with Snapshot::RetentionSweep
// (clause 7) in batches at the time given as the argument (RFC 3339), and
// prints the number of rows due. A row of an unknown kind, or without the
// event its kind needs, is not due, as in the SQL.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "pip/engine.h"
#include "pip/snapshot.h"

int main(int argc, char** argv) {
  absl::Time as_of;
  std::string error;
  if (argc != 2 || !absl::ParseTime(absl::RFC3339_full, argv[1], &as_of, &error)) {
    std::cerr << "usage: sql_decide AS_OF < rows\n";
    return 2;
  }
  auto engine = pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) return 2;
  std::shared_ptr<const pip::Snapshot> snapshot = (*engine)->snapshot();
  struct Kind {
    pip::RetentionKindId id;
    bool pending;
  };
  absl::flat_hash_map<std::string, Kind> kinds;
  const pip::v1::Policy policy = (*engine)->policy();
  for (const auto& k : policy.retention().kinds()) {
    kinds[k.id()] = {*snapshot->RetentionKind(k.id()), k.event_may_be_pending()};
  }
  constexpr size_t kBatch = 1 << 16;
  std::vector<pip::RetentionKindId> batch_kinds;
  std::vector<int64_t> events;
  std::vector<uint8_t> held;
  std::vector<uint64_t> bitmap(kBatch / 64);
  batch_kinds.reserve(kBatch);
  events.reserve(kBatch);
  held.reserve(kBatch);
  uint64_t due = 0, rows = 0;
  const auto flush = [&] {
    if (batch_kinds.empty()) return true;
    const absl::Status s = snapshot->RetentionSweep(
        batch_kinds, events, held, as_of,
        absl::MakeSpan(bitmap.data(), (batch_kinds.size() + 63) / 64), {});
    if (!s.ok()) {
      std::cerr << s << "\n";
      return false;
    }
    for (size_t w = 0; w < (batch_kinds.size() + 63) / 64; ++w) {
      due += __builtin_popcountll(bitmap[w]);
    }
    batch_kinds.clear();
    events.clear();
    held.clear();
    return true;
  };
  std::string line;
  while (std::getline(std::cin, line)) {
    ++rows;
    const std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 4) return 2;
    const auto kind = kinds.find(f[0]);
    if (kind == kinds.end()) continue;  // an unknown kind: never due
    const absl::string_view event = kind->second.pending ? f[2] : f[1];
    int64_t seconds = pip::kNoEvent;
    if (event != "\\N" && !absl::SimpleAtoi(event, &seconds)) return 2;
    if (seconds == pip::kNoEvent && !kind->second.pending) continue;
    batch_kinds.push_back(kind->second.id);
    events.push_back(seconds);
    held.push_back(f[3] == "f" ? 0 : 1);
    if (batch_kinds.size() == kBatch && !flush()) return 1;
  }
  if (!flush()) return 1;
  std::cout << due << " of " << rows << " rows due\n";
  return 0;
}
