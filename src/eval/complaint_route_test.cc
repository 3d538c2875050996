// Tests of complaint_route (clause 9, 苦情・相談への対応) through the public
// API. The expectations come from the policy data (the steps of 9.1 and
// their owners, the bodies of 9.2), so that a company that edits its policy
// sees its own flow; the default policy's flow is also checked as the seed
// text states it.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

v1::ComplaintRouteRequest At(const std::string& state) {
  v1::ComplaintRouteRequest r;
  r.set_state(state);
  *r.mutable_as_of() = Ts("2026-03-01T12:00:00+09:00");
  return r;
}

v1::ComplaintRouteDecision Route(const Engine& engine,
                                 const v1::ComplaintRouteRequest& r) {
  absl::StatusOr<v1::ComplaintRouteDecision> d = engine.ComplaintRoute(r);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : v1::ComplaintRouteDecision();
}
v1::ComplaintRouteDecision Route(const v1::ComplaintRouteRequest& r) {
  return Route(TheEngine(), r);
}

// The label of the role `id` of `policy`.
const v1::ComplaintRole& Role(const v1::Policy& policy, const std::string& id) {
  for (const v1::ComplaintRole& r : policy.complaints().roles()) {
    if (r.id() == id) return r;
  }
  ADD_FAILURE() << "no role " << id;
  return v1::ComplaintRole::default_instance();
}

// 9.1 as the seed states it: the desk answers first, the privacy officer
// investigates.
TEST(ComplaintRoute, Clause9_1TheSeedFlow) {
  v1::ComplaintRouteDecision d = Route(At(""));
  EXPECT_EQ(d.next_step(), "first_response");
  EXPECT_EQ(d.owner(), "customer_desk");
  EXPECT_EQ(d.owner_ja(), "お客様窓口");
  d = Route(At("first_response"));
  EXPECT_EQ(d.next_step(), "investigation");
  EXPECT_EQ(d.owner(), "privacy_officer");
  EXPECT_EQ(d.owner_ja(), "個人情報保護責任者");
}

// Each state leads to the step after it, owned as the policy says, with a
// finding that cites the step's clause and quotes the policy's words.
TEST(ComplaintRoute, Clause9_1EveryStateLeadsToTheNextStep) {
  const v1::Policy policy = TheEngine().policy();
  const auto& flow = policy.complaints().internal_flow();
  ASSERT_GE(flow.size(), 2);
  for (int i = 0; i < flow.size(); ++i) {
    const std::string state = i == 0 ? "" : flow[i - 1].id();
    const v1::ComplaintRouteDecision d = Route(At(state));
    const v1::ComplaintStep& step = flow[i];
    const v1::ComplaintRole& owner = Role(policy, step.owner());
    EXPECT_FALSE(d.closed()) << state;
    EXPECT_EQ(d.next_step(), step.id()) << state;
    EXPECT_EQ(d.owner(), owner.id()) << state;
    EXPECT_EQ(d.owner_en(), owner.label_en()) << state;
    ASSERT_EQ(d.reasons_size(), 1) << state;
    const v1::Reason& r = d.reasons(0);
    EXPECT_EQ(r.code(), v1::COMPLAINT_NEXT_STEP);
    EXPECT_EQ(r.clause(), step.clause());
    EXPECT_EQ(r.provision(), step.id());
    EXPECT_THAT(r.message_ja(),
                AllOf(HasSubstr(step.text_ja()), HasSubstr(owner.label_ja())));
    EXPECT_THAT(r.message_en(), HasSubstr(owner.label_en()));
    EXPECT_THAT(d.external_bodies(), IsEmpty());
  }
}

TEST(ComplaintRoute, Clause9_1TheLastStepDoneClosesTheComplaint) {
  const v1::Policy policy = TheEngine().policy();
  const auto& flow = policy.complaints().internal_flow();
  const v1::ComplaintRouteDecision d = Route(At(flow[flow.size() - 1].id()));
  EXPECT_TRUE(d.closed());
  EXPECT_EQ(d.next_step(), "");
  EXPECT_EQ(d.owner(), "");
  ASSERT_EQ(d.reasons_size(), 1);
  EXPECT_EQ(d.reasons(0).code(), v1::COMPLAINT_CLOSED);
  EXPECT_EQ(d.reasons(0).clause(), "9.1");
}

// 改善措置 is taken as needed (必要に応じた): it may be skipped, the other
// steps may not.
TEST(ComplaintRoute, Clause9_1OnlyAStepTakenAsNeededMayBeSkipped) {
  v1::ComplaintRouteRequest r = At("investigation");
  r.add_not_needed("improvement");
  EXPECT_EQ(Route(r).next_step(), "reply");
  // Skipping it before it comes up leaves the steps before it in place.
  r = At("");
  r.add_not_needed("improvement");
  EXPECT_EQ(Route(r).next_step(), "first_response");
  for (const char* owed : {"first_response", "investigation", "reply"}) {
    r = At("first_response");
    r.add_not_needed(owed);
    EXPECT_THAT(TheEngine().ComplaintRoute(r).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("not_needed[0]"), HasSubstr(owed))))
        << owed;
  }
}

// 9.2: when the company cannot resolve the complaint, every outside body
// with what it is for, from the policy.
TEST(ComplaintRoute, Clause9_2OutsideBodiesWhenTheCompanyCannotResolveIt) {
  const v1::Policy policy = TheEngine().policy();
  for (const char* state : {"", "investigation", "reply"}) {
    v1::ComplaintRouteRequest r = At(state);
    EXPECT_THAT(Route(r).external_bodies(), IsEmpty()) << state;
    r.set_resolution_difficult(true);
    const v1::ComplaintRouteDecision d = Route(r);
    ASSERT_EQ(d.external_bodies_size(),
              policy.complaints().external_contacts_size());
    for (int i = 0; i < d.external_bodies_size(); ++i) {
      const v1::ExternalBody& body = policy.complaints().external_contacts(i);
      const v1::Reason& got = d.external_bodies(i);
      EXPECT_EQ(got.code(), v1::EXTERNAL_BODY);
      EXPECT_EQ(got.clause(), "9.2");
      EXPECT_EQ(got.provision(), body.id());
      EXPECT_THAT(got.message_ja(), AllOf(HasSubstr(body.label_ja()),
                                          HasSubstr(body.purpose_ja())));
      EXPECT_THAT(got.message_en(), AllOf(HasSubstr(body.label_en()),
                                          HasSubstr(body.purpose_en())));
    }
  }
  // The three bodies the seed names.
  v1::ComplaintRouteRequest r = At("");
  r.set_resolution_difficult(true);
  std::vector<std::string> ids;
  const v1::ComplaintRouteDecision d = Route(r);
  for (const v1::Reason& b : d.external_bodies()) {
    ids.push_back(b.provision());
  }
  EXPECT_THAT(ids, ElementsAre("ppc", "kokusen", "local_consumer_center"));
}

// The flow is the policy's: a company that adds a step and an owner routes
// complaints through them without a change of code.
TEST(ComplaintRoute, Clause9_1APolicyThatAddsAStepRoutesThroughIt) {
  v1::Policy policy = TheEngine().policy();
  v1::ComplaintRole* legal = policy.mutable_complaints()->add_roles();
  legal->set_id("legal");
  legal->set_clause("9.1");
  legal->set_label_ja("法務部");
  legal->set_label_en("Legal department");
  v1::ComplaintStep* review = policy.mutable_complaints()->add_internal_flow();
  review->set_id("legal_review");
  review->set_clause("9.1");
  review->set_text_ja("法務確認:回答内容の法務部による確認");
  review->set_text_en("Legal review of the reply.");
  review->set_label_ja("法務確認");
  review->set_label_en("Legal review");
  review->set_owner("legal");
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  const v1::ComplaintRouteDecision d = Route(**engine, At("reply"));
  EXPECT_FALSE(d.closed());
  EXPECT_EQ(d.next_step(), "legal_review");
  EXPECT_EQ(d.owner_ja(), "法務部");
}

TEST(ComplaintRoute, BadInputIsAnErrorNamingTheField) {
  EXPECT_THAT(TheEngine().ComplaintRoute(At("investigated")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("state"), HasSubstr("investigation"))));
  v1::ComplaintRouteRequest r = At("");
  r.add_not_needed("improvment");
  EXPECT_THAT(TheEngine().ComplaintRoute(r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not_needed[0]")));
  r = At("");
  r.clear_as_of();
  EXPECT_THAT(TheEngine().ComplaintRoute(r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

TEST(ComplaintRoute, APolicyWithoutAFlowIsFailedPrecondition) {
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::File(
          ::pip::testing::SourcePath("tests/testdata/minimal.textproto")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_THAT((*engine)->ComplaintRoute(At("")).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("9.1")));
}

}  // namespace
}  // namespace pip
