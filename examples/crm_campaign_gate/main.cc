// crm_campaign_gate: decides, customer by customer, who may receive a
// newsletter, and says why the others may not.
//
//   crm_campaign_gate [--as-of=RFC3339] [--policy=FILE] customers.json
//
// For each customer of the list it asks pip::Engine::PurposeAllowed whether
// the campaign's categories (name, email) may be used for the campaign's
// purpose (direct_mail, clause 4.2) by whoever sends the mail, given the
// customer's consents and pending data-subject requests. It prints
//
//   SEND    <customer> <email>
//   BLOCKED <customer> [<clause>] <REASON_CODE> <what it is about>: <message>
//   ERROR   <customer> <status>
//
// and a summary line. It fails closed: a customer whose check errors is never
// sent to. Exit status: 0 when every customer was decided, 1 when any check
// returned an error, 2 when the list or the policy cannot be read.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "campaign.pb.h"
#include "example_flags.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "pip/engine.h"

namespace {

using google::protobuf::util::TimeUtil;

absl::StatusOr<crm_campaign_gate::CustomerList> ReadCustomerList(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream text;
  text << in.rdbuf();
  crm_campaign_gate::CustomerList list;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is an error
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(text.str(), &list, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", absl::string_view(parsed.message().data(),
                                                   parsed.message().size())));
  }
  return list;
}

// The moment of the decision: --as-of, else the campaign's, else now.
absl::StatusOr<google::protobuf::Timestamp> DecisionTime(
    const pip_examples::ExampleFlags& flags,
    const crm_campaign_gate::Campaign& campaign) {
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> flag =
      pip_examples::AsOfFromFlags(flags);
  if (!flag.ok()) return flag.status();
  if (flag->has_value()) return **flag;
  if (campaign.has_as_of()) return campaign.as_of();
  return TimeUtil::GetCurrentTime();
}

// What a reason is about, e.g. "request r-2001 (suspension)", for the report.
std::string About(const pip::v1::Reason& r) {
  std::vector<std::string> parts;
  if (!r.request_id().empty() || !r.request_type().empty()) {
    parts.push_back(
        absl::StrCat("request ", r.request_id().empty() ? "-" : r.request_id(),
                     " (", r.request_type(), ")"));
  }
  if (!r.consent_id().empty()) parts.push_back("consent " + r.consent_id());
  if (!r.recipient().empty()) parts.push_back("recipient " + r.recipient());
  if (!r.category().empty()) parts.push_back("category " + r.category());
  return absl::StrJoin(parts, ", ");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Decides who may receive a newsletter (clause 4.2).",
               "crm_campaign_gate"};
  pip_examples::ExampleFlags flags;
  pip_examples::AddExampleFlags(&app, &flags);
  std::string customers;
  app.add_option("CUSTOMERS", customers, "the customer list (JSON)")
      ->required();
  if (std::optional<int> code = pip_examples::ParseOrExit(&app, argc, argv)) {
    return *code;
  }

  absl::StatusOr<crm_campaign_gate::CustomerList> list =
      ReadCustomerList(customers);
  if (!list.ok()) {
    std::cerr << list.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip_examples::EngineFromFlags(flags);
  if (!engine.ok()) {
    std::cerr << "policy: " << engine.status() << "\n";
    return 2;
  }
  const absl::StatusOr<google::protobuf::Timestamp> as_of =
      DecisionTime(flags, list->campaign());
  if (!as_of.ok()) {
    std::cerr << as_of.status().message() << "\n";
    return 2;
  }

  const crm_campaign_gate::Campaign& campaign = list->campaign();
  std::cout << "campaign " << campaign.id() << ": purpose " << campaign.purpose()
            << ", categories " << absl::StrJoin(campaign.categories(), ", ")
            << ", as of " << pip_examples::JapanTime(*as_of) << ", policy "
            << (*engine)->policy_version() << "\n";

  int sendable = 0, blocked = 0, errors = 0;
  for (const crm_campaign_gate::Customer& customer : list->customers()) {
    pip::v1::PurposeAllowedRequest request;
    request.set_subject_id(customer.id());
    request.set_purpose(campaign.purpose());
    *request.mutable_categories() = campaign.categories();
    request.set_recipient(customer.recipient());
    *request.mutable_consents() = customer.consents();
    *request.mutable_active_requests() = customer.pending_requests();
    *request.mutable_as_of() = *as_of;

    const absl::StatusOr<pip::v1::PurposeAllowedDecision> decision =
        customer.id().empty()
            ? absl::InvalidArgumentError("customer without an id")
            : (*engine)->PurposeAllowed(request);
    if (!decision.ok()) {
      // Fail closed: an error is never a send.
      ++errors;
      std::cout << "ERROR   " << customer.id() << " " << decision.status()
                << "\n";
    } else if (decision->allowed()) {
      ++sendable;
      std::cout << "SEND    " << customer.id() << " " << customer.email()
                << "\n";
    } else {
      ++blocked;
      for (const pip::v1::Reason& r : decision->reasons()) {
        const std::string about = About(r);
        std::cout << "BLOCKED " << customer.id() << " [" << r.clause() << "] "
                  << pip::v1::ReasonCode_Name(r.code())
                  << (about.empty() ? "" : " ") << about << ": "
                  << r.message_en() << "\n";
      }
    }
  }
  std::cout << "sendable " << sendable << " of " << list->customers_size()
            << ", blocked " << blocked << ", errors " << errors << "\n";
  return errors > 0 ? 1 : 0;
}
