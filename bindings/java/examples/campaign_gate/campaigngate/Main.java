package campaigngate;

import java.util.List;
import pip.Engine;

/**
 * Gates the April newsletter for five customers of the CRM, on the policy
 * embedded in pip, and prints who may receive it and why.
 */
public final class Main {
  public static void main(String[] args) {
    // [START main]
    CampaignGate.Campaign campaign = new CampaignGate.Campaign(
        "newsletter-2026-04", "direct_mail", List.of("name", "email"), "2026-04-15T09:00:00+09:00");
    List<CampaignGate.Customer> customers = List.of(
        new CampaignGate.Customer("c-001", "internal", "[]", "[]"),
        new CampaignGate.Customer("c-002", "internal", "[]",
            "[{\"id\": \"r-2001\", \"type\": \"suspension\","
                + " \"received_at\": \"2026-03-20T11:00:00+09:00\"}]"),
        new CampaignGate.Customer("c-004", "third_party",
            "[{\"id\": \"k-4001\", \"subject_id\": \"c-004\", \"recipients\": [\"third_party\"],"
                + " \"granted_at\": \"2025-06-01T10:00:00+09:00\", \"consent_version\": 1}]",
            "[]"),
        new CampaignGate.Customer("c-005", "third_party",
            "[{\"id\": \"k-5001\", \"subject_id\": \"c-005\", \"recipients\": [\"third_party\"],"
                + " \"granted_at\": \"2025-01-15T10:00:00+09:00\","
                + " \"withdrawn_at\": \"2026-02-10T18:20:00+09:00\", \"consent_version\": 1}]",
            "[]"),
        new CampaignGate.Customer("c-006", "partner_shop", "[]", "[]"));

    try (Engine engine = Engine.withDefaultPolicy()) {
      CampaignGate gate = new CampaignGate(engine);
      for (CampaignGate.Verdict v : gate.checkAll(campaign, customers)) {
        System.out.println(v.customerId() + (v.send() ? " send" : " hold") + ": "
            + String.join(", ", v.reasons()));
      }
    }
    // [END main]
  }
}
