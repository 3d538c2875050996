// The hot path of pip/snapshot.h allocates nothing (DESIGN: "evaluation
// never allocates on the hot path"). This binary replaces the global
// operator new to count allocations and requires zero while evaluating all
// four decisions with handles, with consents and requests to look through,
// and the batch retention sweep. A property test, not a timing test.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/snapshot.h"
#include "tests/testing/engine.h"
#include "tests/testing/time.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace pip {
namespace {

// Noon in Tokyo.
absl::Time At(int y, int m, int d) {
  return ::pip::testing::TokyoTime(y, m, d);
}

template <typename T>
T Get(absl::StatusOr<T> v) {
  if (!v.ok()) {
    ADD_FAILURE() << v.status();
    std::abort();
  }
  return *std::move(v);
}

TEST(SnapshotAllocTest, TheCounterSeesAnAllocation) {
  const long before = g_allocations.load();
  auto p = std::make_unique<int>(1);
  EXPECT_GT(g_allocations.load(), before);
}

TEST(SnapshotAllocTest, EvaluatingWithHandlesAllocatesNothing) {
  std::unique_ptr<Engine> engine = Get(Engine::Create(PolicySource::Default()));
  std::shared_ptr<const Snapshot> snap = engine->snapshot();

  // Set-up, outside the counted region.
  PurposeFacts purpose;
  purpose.categories = Get(snap->Categories({"name", "email", "location"}));
  purpose.purpose = Get(snap->Purpose("direct_mail"));
  purpose.recipient = Get(snap->Recipient("third_party"));
  purpose.as_of = At(2026, 3, 1);
  std::vector<ConsentRecord> consents(10);
  for (size_t i = 0; i < consents.size(); ++i) {
    ConsentRecord& c = consents[i];
    c.subject_matches = true;
    c.categories = i == 9 ? snap->AllCategories()
                          : Get(snap->Categories({"location"}));
    c.purposes = snap->AllPurposes();
    c.recipients.Insert(Get(snap->Recipient("third_party")));
    c.granted_at = At(2025, 1, 1);
    c.consent_version = 1;
  }
  purpose.consents = consents;
  std::vector<PendingRequest> requests = {
      {Get(snap->RequestType("disclosure")), At(2026, 1, 1)}};
  purpose.active_requests = requests;

  ConsentFacts consent;
  consent.categories = Get(snap->Categories({"location"}));
  consent.purposes = Get(snap->Purposes({"web_analytics"}));
  consent.consents = consents;
  consent.as_of = At(2026, 3, 1);

  std::vector<RecordHold> holds = {
      {Get(snap->HoldType("dispute")), At(2025, 1, 1)}};
  RetentionFacts retention;
  retention.kind = Get(snap->RetentionKind("accounting"));
  retention.event_at = At(2017, 5, 10);
  retention.holds = holds;
  retention.as_of = At(2026, 3, 1);

  // The inline path of RetentionDue (an event clock, no hold), and a
  // contract that has not ended (clause 7).
  RetentionFacts inquiry;
  inquiry.kind = Get(snap->RetentionKind("inquiry"));
  inquiry.event_at = At(2023, 5, 10);
  inquiry.as_of = At(2026, 5, 11);
  RetentionFacts pending;
  pending.kind = Get(snap->RetentionKind("contract_transaction"));
  pending.as_of = At(2026, 3, 1);

  RequestFacts request;
  request.type = Get(snap->RequestType("disclosure"));
  request.channel = snap->RequestChannel("email");
  request.requester = Get(snap->Requester("agent"));
  request.documents = Get(snap->Documents({"identity_document", "request_form"}));
  request.received_at = At(2026, 1, 31);
  request.as_of = At(2026, 3, 3);

  const size_t n = 1000;
  std::vector<RetentionKindId> kinds(n, retention.kind);
  std::vector<int64_t> events(n);
  for (size_t i = 0; i < n; ++i) {
    events[i] = absl::ToUnixSeconds(At(2015, 1, 1)) + 86400 * int64_t(i) * 3;
  }
  // The same records on 20 days: the sweep's retain_until then comes from
  // its table of days.
  std::vector<int64_t> events_on_few_days(n);
  for (size_t i = 0; i < n; ++i) {
    events_on_few_days[i] =
        absl::ToUnixSeconds(At(2015, 1, 1)) + 86400 * int64_t(i % 20);
  }
  std::vector<uint8_t> held(n, 0);
  std::vector<uint64_t> bitmap((n + 63) / 64);
  std::vector<int32_t> until(n);

  const long before = g_allocations.load();
  int allowed = 0, valid = 0, due = 0, complete = 0;
  bool ok = true;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<PurposeVerdict> p = snap->PurposeAllowed(purpose);
    absl::StatusOr<ConsentVerdict> c = snap->ConsentCheck(consent);
    absl::StatusOr<RetentionVerdict> r = snap->RetentionDue(retention);
    absl::StatusOr<RetentionVerdict> r_inline = snap->RetentionDue(inquiry);
    absl::StatusOr<RetentionVerdict> r_pending = snap->RetentionDue(pending);
    absl::StatusOr<RequestVerdict> q = snap->RequestValidate(request);
    ok &= p.ok() && c.ok() && r.ok() && r_inline.ok() && r_pending.ok() &&
          q.ok();
    if (!ok) break;
    allowed += p->allowed;
    valid += c->valid;
    due += r->due;
    complete += q->valid;
    ok &= snap->RetentionSweep(kinds, events, held, retention.as_of,
                               absl::MakeSpan(bitmap), absl::MakeSpan(until))
              .ok();
    ok &= snap->RetentionSweep(kinds, events_on_few_days, held,
                               retention.as_of, absl::MakeSpan(bitmap),
                               absl::MakeSpan(until))
              .ok();
  }
  const long allocations = g_allocations.load() - before;

  ASSERT_TRUE(ok);
  EXPECT_EQ(allocations, 0);
  // The evaluations did real work: a consent was needed and found (2.4,
  // APPI 27), a record was due (7), a request lacked a document (8.3).
  EXPECT_EQ(allowed, 100);
  EXPECT_EQ(valid, 100);
  EXPECT_EQ(due, 100);
  EXPECT_EQ(complete, 0);
}

}  // namespace
}  // namespace pip
