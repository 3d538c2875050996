/* The smallest C program using pip: one engine with the embedded default
 * policy, one purpose_allowed question and one retention_due question in
 * JSON, the answers printed, everything freed. Only pip/pip.h is used.
 *
 *   cc -std=c99 main.c $(pkg-config --cflags --libs pip) -o c_minimal */
#include <stdio.h>
#include <string.h>

#include "pip/pip.h"

/* [START ask] */
/* Asks one question; prints the decision or the error. Returns 0 on a
 * decision. */
static int ask(const pip_engine* engine,
               pip_status (*function)(char**, size_t*, const pip_engine*,
                                      const char*, size_t, pip_error**),
               const char* name, const char* request) {
  char* decision = NULL;
  pip_error* error = NULL;
  if (function(&decision, NULL, engine, request, strlen(request), &error) !=
      PIP_OK) {
    /* An error is never an allow: do not use the data. */
    fprintf(stderr, "%s: %s: %s\n", name,
            pip_status_name(pip_error_status(error)),
            pip_error_message(error));
    pip_error_free(error);
    return 1;
  }
  printf("%s: %s\n", name, decision);
  pip_free(decision);
  return 0;
}
/* [END ask] */

int main(void) {
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
  {
    /* [START create] */
    pip_engine* engine = NULL;
    pip_policy_source source = PIP_POLICY_SOURCE_INIT; /* embedded policy */
    pip_error* error = NULL;
    if (pip_engine_new(&engine, &source, NULL, &error) != PIP_OK) {
      /* The error is the caller's, whatever thread reads it. */
      fprintf(stderr, "%s\n", pip_error_message(error));
      pip_error_free(error);
      return 1;
    }
    /* [END create] */
    failed |= ask(engine, pip_purpose_allowed_json, "purpose_allowed",
                  newsletter);
    failed |= ask(engine, pip_retention_due_json, "retention_due", inquiry);
    pip_engine_free(engine);
  }
  return failed;
}
