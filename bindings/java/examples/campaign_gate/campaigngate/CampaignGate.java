package campaigngate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pip.Engine;
import pip.PipException;

/**
 * A service that decides, customer by customer, whether a mail campaign may
 * go out (clause 4.2 direct mail; 8.1 suspension requests; APPI 27 consent
 * for a third party). Written as a Spring service would be: the Engine is
 * injected through the constructor (a singleton bean, closed with the
 * application context), and the class holds no other state, so one
 * instance serves every request thread.
 */
public final class CampaignGate {
  /** A campaign: its purpose id, the categories it uses, and when it is sent. */
  public record Campaign(String id, String purpose, List<String> categories, String sendAt) {}

  /**
   * A customer as the CRM holds them: the recipient the mail goes through
   * ("internal", or "third_party" for a partner's mailing), and their
   * consents and pending requests as JSON arrays of pip.v1.Consent and
   * pip.v1.ActiveRequest.
   */
  public record Customer(String id, String recipient, String consents, String pendingRequests) {}

  /** The answer for one customer: send or not, and the reasons with their clauses. */
  public record Verdict(String customerId, boolean send, List<String> reasons) {}

  private final Engine engine;

  public CampaignGate(Engine engine) {
    this.engine = engine;
  }

  // [START gate]
  public Verdict check(Campaign campaign, Customer customer) {
    String request = "{\"subject_id\": " + quote(customer.id())
        + ", \"purpose\": " + quote(campaign.purpose())
        + ", \"categories\": [" + String.join(", ", campaign.categories().stream()
            .map(CampaignGate::quote).toList()) + "]"
        + ", \"recipient\": " + quote(customer.recipient())
        + ", \"consents\": " + customer.consents()
        + ", \"active_requests\": " + customer.pendingRequests()
        + ", \"as_of\": " + quote(campaign.sendAt()) + "}";
    try {
      String decision = engine.purposeAllowed(request);
      return new Verdict(customer.id(), allowed(decision), reasons(decision));
    } catch (PipException e) {
      // Fail closed: an error is never a send.
      return new Verdict(customer.id(), false, List.of(e.codeName() + " " + e.getMessage()));
    }
  }
  // [END gate]

  /** Every customer of the list, in order. */
  public List<Verdict> checkAll(Campaign campaign, List<Customer> customers) {
    List<Verdict> verdicts = new ArrayList<>();
    for (Customer c : customers) verdicts.add(check(campaign, c));
    return verdicts;
  }

  // A PurposeAllowedDecision prints its fields in the order of
  // proto/pip/v1/decision.proto, "allowed" first. An application with a
  // JSON library (Jackson, Gson) reads the decision with it instead.
  private static boolean allowed(String decision) {
    return decision.startsWith("{\"allowed\":true,");
  }

  private static final Pattern REASON =
      Pattern.compile("\\{\"code\":\"([A-Z_]+)\",\"clause\":\"([^\"]*)\"");

  private static List<String> reasons(String decision) {
    List<String> reasons = new ArrayList<>();
    Matcher m = REASON.matcher(decision);
    while (m.find()) reasons.add(m.group(1) + " (" + m.group(2) + ")");
    return reasons;
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
