/* The smallest C program using pip: one engine with the embedded default
 * policy, one purpose_allowed question and one retention_due question in
 * JSON, the answers printed, everything freed. Only pip/pip.h is used.
 *
 *   cc -std=c99 main.c $(pkg-config --cflags --libs pip) -o c_minimal */
#include <stdio.h>
#include <string.h>

#include "pip/pip.h"

/* Asks one question; prints the decision or the error. Returns 0 on a
 * decision. */
static int ask(const pip_engine* engine,
               pip_status (*function)(char**, size_t*, const pip_engine*,
                                      const char*, size_t),
               const char* name, const char* request) {
  char* decision = NULL;
  pip_status status =
      function(&decision, NULL, engine, request, strlen(request));
  if (status != PIP_OK) {
    /* An error is never an allow: do not use the data. */
    fprintf(stderr, "%s: %s: %s\n", name, pip_status_name(status),
            pip_last_error());
    return 1;
  }
  printf("%s: %s\n", name, decision);
  pip_free(decision);
  return 0;
}

int main(void) {
  pip_engine* engine = NULL;
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  int failed = 0;
  /* May we send a newsletter to c-1, who asked us to stop using their
   * data (利用停止, clause 8.1)? */
  const char* newsletter =
      "{\"subject_id\": \"c-1\", \"purpose\": \"direct_mail\","
      " \"categories\": [\"name\", \"email\"],"
      " \"active_requests\": [{\"type\": \"suspension\","
      " \"received_at\": \"2026-01-10T09:00:00+09:00\"}],"
      " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  /* Must an inquiry of 2023-05-10 be deleted on 2026-05-11 (clause 7)? */
  const char* inquiry =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
      " \"as_of\": \"2026-05-11T00:00:00+09:00\"}";

  printf("pip %s\n", pip_version());
  /* The policy embedded in pip, no trust, no decision log. */
  if (pip_engine_new(&engine, &source, NULL) != PIP_OK) {
    fprintf(stderr, "%s\n", pip_last_error());
    return 1;
  }
  failed |= ask(engine, pip_purpose_allowed_json, "purpose_allowed",
                newsletter);
  failed |= ask(engine, pip_retention_due_json, "retention_due", inquiry);
  pip_engine_free(engine);
  return failed;
}
