/* Must an inquiry received on 10 May 2023 be deleted on 11 May 2026
 * (clause 7)? The README's C example, against libpip_c.so. */
#include <stdio.h>
#include <string.h>

#include "pip/pip.h"

int main(void) {
  pip_engine* engine = NULL;
  pip_policy_source source = PIP_POLICY_SOURCE_INIT; /* the embedded policy */
  pip_error* error = NULL; /* the caller's, whatever thread reads it */
  const char* req = "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
                    " \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  char* decision = NULL;

  if (pip_engine_new(&engine, &source, NULL, &error) != PIP_OK) {
    fprintf(stderr, "%s\n", pip_error_message(error));
    pip_error_free(error);
    return 1;
  }
  if (pip_retention_due_json(&decision, NULL, engine, req, strlen(req), &error) !=
      PIP_OK) {
    /* An error: do not delete, do not keep deciding on this record. */
    fprintf(stderr, "%s: %s\n", pip_status_name(pip_error_status(error)),
            pip_error_message(error));
    pip_error_free(error);
    pip_engine_free(engine);
    return 1;
  }
  puts(decision); /* {"due":true,"retain_until":"2026-05-10",...} */
  pip_free(decision);
  pip_engine_free(engine);
  return 0;
}
