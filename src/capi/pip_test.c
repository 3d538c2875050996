/* Tests of the C API (include/pip/pip.h), written in strict C99 as a C
 * caller would write them: every function, every error path (NULL
 * arguments, truncated and garbage protobuf bytes, invalid JSON, unknown
 * ids, policies that do not validate, failed reloads) and the thread-local
 * last error. Decisions are checked against the clause of the policy
 * (policies/default.textproto, which holds the text of every clause) that
 * produces them.
 *
 * Arguments: the source directory and the directory holding
 * minimal.binpb (tests/testdata/minimal.textproto encoded by protoc). */
#define _POSIX_C_SOURCE 200809L

#include "pip/pip.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* current_test = "";
static int failures = 0;
static const char* source_dir = ".";
static const char* binary_dir = ".";

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: %s: CHECK(%s) failed (last error: \"%s\")\n", \
              __FILE__, __LINE__, current_test, #cond, pip_last_error()); \
      ++failures;                                                         \
    }                                                                     \
  } while (0)

/* The call must fail with `code`, leave its output NULL and say why. */
#define CHECK_FAILS(call, code, out, message_part)                \
  do {                                                            \
    pip_status status_ = (call);                                  \
    CHECK(status_ == (code));                                     \
    CHECK((out) == NULL);                                         \
    CHECK(strstr(pip_last_error(), (message_part)) != NULL);      \
  } while (0)

#define RUN(test)            \
  do {                       \
    current_test = #test;    \
    test();                  \
  } while (0)

static int contains(const char* haystack, const char* needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* Reads a whole file; *len receives its size. NULL when it cannot. */
static char* read_file(const char* dir, const char* name, size_t* len) {
  char path[1024];
  FILE* f;
  char* data;
  long size;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char*)malloc((size_t)size + 1);
  if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (data == NULL) return NULL;
  data[size] = '\0';
  *len = (size_t)size;
  return data;
}

static void source_path(char* out, size_t n, const char* relative) {
  snprintf(out, n, "%s/%s", source_dir, relative);
}

/* --- Policy sources ------------------------------------------------------
 * The four unsigned kinds, and pip_engine_new / pip_engine_reload over them
 * with the default options. */

static pip_policy_source text_source(const char* text, size_t len,
                                     const char* name) {
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  source.kind = PIP_SOURCE_TEXT;
  source.data = text;
  source.data_len = len;
  source.name = name;
  return source;
}

static pip_policy_source binary_source(const uint8_t* bytes, size_t len) {
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  source.kind = PIP_SOURCE_BINARY;
  source.data = bytes;
  source.data_len = len;
  return source;
}

static pip_policy_source file_source(const char* path) {
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  source.kind = PIP_SOURCE_FILE;
  source.path = path;
  return source;
}

static pip_status new_default(pip_engine** out) {
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  return pip_engine_new(out, &source, NULL, NULL);
}

static pip_status new_text(pip_engine** out, const char* text, size_t len,
                           const char* name) {
  const pip_policy_source source = text_source(text, len, name);
  return pip_engine_new(out, &source, NULL, NULL);
}

static pip_status new_binary(pip_engine** out, const uint8_t* bytes,
                             size_t len) {
  const pip_policy_source source = binary_source(bytes, len);
  return pip_engine_new(out, &source, NULL, NULL);
}

static pip_status new_file(pip_engine** out, const char* path) {
  const pip_policy_source source = file_source(path);
  return pip_engine_new(out, &source, NULL, NULL);
}

static pip_status reload_text(pip_engine* engine, const char* text, size_t len,
                              const char* name) {
  const pip_policy_source source = text_source(text, len, name);
  return pip_engine_reload(engine, &source, NULL);
}

static pip_status reload_binary(pip_engine* engine, const uint8_t* bytes,
                                size_t len) {
  const pip_policy_source source = binary_source(bytes, len);
  return pip_engine_reload(engine, &source, NULL);
}

static pip_status reload_file(pip_engine* engine, const char* path) {
  const pip_policy_source source = file_source(path);
  return pip_engine_reload(engine, &source, NULL);
}

static pip_engine* default_engine(void) {
  pip_engine* engine = NULL;
  if (new_default(&engine) != PIP_OK) {
    fprintf(stderr, "cannot create the default engine: %s\n", pip_last_error());
    exit(1);
  }
  return engine;
}

/* --- A minimal protobuf encoder and decoder, enough for the requests and
 * decisions of these tests. --------------------------------------------- */

typedef struct {
  uint8_t data[2048];
  size_t len;
} pb;

static void pb_varint(pb* b, uint64_t v) {
  while (v >= 0x80) {
    b->data[b->len++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  b->data[b->len++] = (uint8_t)v;
}

static void pb_tag(pb* b, int field, int wire_type) {
  pb_varint(b, ((uint64_t)field << 3) | (uint64_t)wire_type);
}

static void pb_bytes(pb* b, int field, const void* data, size_t len) {
  pb_tag(b, field, 2);
  pb_varint(b, len);
  memcpy(b->data + b->len, data, len);
  b->len += len;
}

static void pb_string(pb* b, int field, const char* s) {
  pb_bytes(b, field, s, strlen(s));
}

static void pb_message(pb* b, int field, const pb* m) {
  pb_bytes(b, field, m->data, m->len);
}

static void pb_uint(pb* b, int field, uint64_t v) {
  pb_tag(b, field, 0);
  pb_varint(b, v);
}

/* A google.protobuf.Timestamp of `seconds` since the epoch. */
static void pb_time(pb* b, int field, int64_t seconds) {
  pb t;
  t.len = 0;
  pb_uint(&t, 1, (uint64_t)seconds);
  pb_message(b, field, &t);
}

static int pb_read_varint(const uint8_t* p, size_t n, size_t* i, uint64_t* v) {
  int shift = 0;
  *v = 0;
  while (*i < n && shift < 64) {
    uint8_t byte = p[(*i)++];
    *v |= (uint64_t)(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return 1;
    shift += 7;
  }
  return 0;
}

/* Finds the first top-level occurrence of `field`. For a varint field
 * *value receives it; for a length-delimited one *data / *data_len. */
static int pb_find(const uint8_t* p, size_t n, int field, uint64_t* value,
                   const uint8_t** data, size_t* data_len) {
  size_t i = 0;
  while (i < n) {
    uint64_t key, v;
    if (!pb_read_varint(p, n, &i, &key)) return 0;
    switch (key & 7) {
      case 0:
        if (!pb_read_varint(p, n, &i, &v)) return 0;
        if ((int)(key >> 3) == field) {
          if (value != NULL) *value = v;
          return 1;
        }
        break;
      case 2:
        if (!pb_read_varint(p, n, &i, &v) || v > n - i) return 0;
        if ((int)(key >> 3) == field) {
          if (data != NULL) *data = p + i;
          if (data_len != NULL) *data_len = (size_t)v;
          return 1;
        }
        i += (size_t)v;
        break;
      case 1:
        i += 8;
        break;
      case 5:
        i += 4;
        break;
      default:
        return 0;
    }
  }
  return 0;
}

/* The varint `field` of a message; 0 (proto3's default) when absent. */
static uint64_t pb_get_uint(const uint8_t* p, size_t n, int field) {
  uint64_t v = 0;
  return pb_find(p, n, field, &v, NULL, NULL) ? v : 0;
}

/* Whether string `field` of a message equals `expected`. */
static int pb_string_is(const uint8_t* p, size_t n, int field,
                        const char* expected) {
  const uint8_t* data = NULL;
  size_t len = 0;
  if (!pb_find(p, n, field, NULL, &data, &len)) return expected[0] == '\0';
  return len == strlen(expected) && memcmp(data, expected, len) == 0;
}

/* Times used below, as seconds since the epoch. */
#define T_2023_05_10_1400_JST 1683694800  /* an inquiry */
#define T_2026_05_10_235959_JST 1778425199 /* the last second kept */
#define T_2026_05_11_0000_JST 1778425200   /* the first second due */
#define T_2026_01_10_0900_JST 1768003200
#define T_2026_03_01_1200_JST 1772334000
#define T_2026_01_31_1000_JST 1769821200
#define T_2026_02_02_0900_JST 1769990400

/* pip.v1.RetentionDueRequest: kind = 1, event_at = 2, holds = 3, as_of = 4. */
static void inquiry_request(pb* b, int64_t as_of) {
  b->len = 0;
  pb_string(b, 1, "inquiry");
  pb_time(b, 2, T_2023_05_10_1400_JST);
  pb_time(b, 4, as_of);
}

/* --- Version, status names, errors, buffers ------------------------------ */

static void test_version_matches_header(void) {
  char expected[32];
  CHECK(pip_version_number() == PIP_VERSION_NUMBER);
  CHECK(strcmp(pip_version(), PIP_VERSION_STRING) == 0);
  snprintf(expected, sizeof expected, "%d.%d.%d", PIP_VERSION_MAJOR,
           PIP_VERSION_MINOR, PIP_VERSION_PATCH);
  CHECK(strcmp(pip_version(), expected) == 0);
  CHECK(PIP_VERSION_NUMBER == PIP_VERSION_MAJOR * 10000 +
                                  PIP_VERSION_MINOR * 100 + PIP_VERSION_PATCH);
}

static void test_status_values_mirror_absl(void) {
  /* absl::StatusCode's numbering, which pip_status promises. */
  CHECK(PIP_OK == 0);
  CHECK(PIP_INVALID_ARGUMENT == 3);
  CHECK(PIP_NOT_FOUND == 5);
  CHECK(PIP_RESOURCE_EXHAUSTED == 8);
  CHECK(PIP_FAILED_PRECONDITION == 9);
  CHECK(PIP_INTERNAL == 13);
  CHECK(PIP_UNAUTHENTICATED == 16);
  CHECK(strcmp(pip_status_name(PIP_OK), "OK") == 0);
  CHECK(strcmp(pip_status_name(PIP_INVALID_ARGUMENT), "INVALID_ARGUMENT") ==
        0);
  CHECK(strcmp(pip_status_name(PIP_NOT_FOUND), "NOT_FOUND") == 0);
  CHECK(strcmp(pip_status_name(PIP_UNAUTHENTICATED), "UNAUTHENTICATED") == 0);
  CHECK(strcmp(pip_status_name((pip_status)17), "UNRECOGNIZED_STATUS") == 0);
  CHECK(strcmp(pip_status_name((pip_status)-1), "UNRECOGNIZED_STATUS") == 0);
}

static void test_last_error_is_never_null_and_cleared_by_success(void) {
  pip_engine* engine = NULL;
  char* version = NULL;
  CHECK(pip_last_error() != NULL);
  CHECK(new_default(NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "pip_engine_new: out is NULL"));
  CHECK(new_default(&engine) == PIP_OK);
  CHECK(pip_last_error() != NULL);
  CHECK(strcmp(pip_last_error(), "") == 0);
  CHECK(pip_engine_policy_version(&version, engine, NULL) == PIP_OK);
  pip_free(version);
  pip_engine_free(engine);
}

static void* record_error_on_other_thread(void* arg) {
  const char** seen = (const char**)arg;
  /* A fresh thread has no error yet, whatever the main thread did. */
  seen[0] = strcmp(pip_last_error(), "") == 0 ? "empty" : "not empty";
  {
    pip_engine* engine = NULL;
    new_file(&engine, NULL);
  }
  seen[1] =
      contains(pip_last_error(), "source->path is NULL") ? "own" : "other";
  return NULL;
}

static void test_last_error_is_per_thread(void) {
  pthread_t thread;
  const char* seen[2] = {NULL, NULL};
  CHECK(new_default(NULL) == PIP_INVALID_ARGUMENT);
  CHECK(pthread_create(&thread, NULL, record_error_on_other_thread, seen) ==
        0);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(seen[0] != NULL && strcmp(seen[0], "empty") == 0);
  CHECK(seen[1] != NULL && strcmp(seen[1], "own") == 0);
  /* The other thread's failure did not replace this thread's message. */
  CHECK(contains(pip_last_error(), "pip_engine_new: out"));
}

/* --- The error object -------------------------------------------------- */

/* 7: an inquiry's period runs from its event; a request without one is an
 * error naming the field. */
static const char* const kInquiryWithoutEvent =
    "{\"kind\": \"inquiry\", \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
/* 2.2, 4.2: categories are the policy's ids; a misspelt one is an error
 * naming its index. */
static const char* const kMailWithMisspeltCategory =
    "{\"subject_id\": \"c-2\", \"purpose\": \"direct_mail\","
    " \"categories\": [\"name\", \"emial\"],"
    " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";

static void test_error_object_names_the_field_like_last_error(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  uint8_t* bytes = NULL;
  size_t bytes_len = 7;
  uint64_t bitmap[1] = {0};
  const char* kinds[1] = {"inquiries"};
  const uint32_t record_kinds[1] = {0};
  const int64_t events[1] = {0};
  const uint8_t held[1] = {0};
  pip_engine* none = NULL;
  pip_error* error = NULL;

  /* 7: the missing event_at, in the object as in pip_last_error(). */
  CHECK(pip_retention_due_json(&out, NULL, engine, kInquiryWithoutEvent,
                               strlen(kInquiryWithoutEvent),
                               &error) == PIP_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(error != NULL);
  CHECK(pip_error_status(error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error), "pip_retention_due_json: "));
  CHECK(contains(pip_error_message(error), "event_at"));
  CHECK(strcmp(pip_error_message(error), pip_last_error()) == 0);
  pip_error_free(error);

  /* 2.2: the misspelt category, by its index. */
  CHECK(pip_purpose_allowed_json(&out, NULL, engine, kMailWithMisspeltCategory,
                                 strlen(kMailWithMisspeltCategory),
                                 &error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error),
                 "categories[1]: unknown category 'emial'"));
  CHECK(strcmp(pip_error_message(error), pip_last_error()) == 0);
  pip_error_free(error);

  /* Bytes: a truncated protobuf request (7). */
  CHECK(pip_retention_due_pb(&bytes, &bytes_len, engine,
                             (const uint8_t*)"\x0a\x07inq", 5,
                             &error) == PIP_INVALID_ARGUMENT);
  CHECK(bytes == NULL && bytes_len == 0);
  CHECK(pip_error_status(error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error), "truncated or malformed"));
  pip_error_free(error);

  /* 7 over columns: the unknown kind id, by its index. */
  CHECK(pip_retention_due_batch(bitmap, NULL, engine, kinds, 1, record_kinds,
                                events, held, 1, 0,
                                &error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error), "kind_ids[0]"));
  pip_error_free(error);

  /* The engine's lifecycle: a NULL argument, a missing file. */
  CHECK(pip_engine_new(NULL, NULL, NULL, &error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error), "pip_engine_new: out is NULL"));
  pip_error_free(error);
  {
    pip_policy_source source = file_source("/nonexistent/policy.textproto");
    CHECK(pip_engine_new(&none, &source, NULL, &error) == PIP_NOT_FOUND);
    CHECK(none == NULL);
    CHECK(pip_error_status(error) == PIP_NOT_FOUND);
    CHECK(contains(pip_error_message(error), "/nonexistent/policy.textproto"));
    pip_error_free(error);
    CHECK(pip_engine_reload(engine, &source, &error) == PIP_NOT_FOUND);
    CHECK(pip_error_status(error) == PIP_NOT_FOUND);
    CHECK(contains(pip_error_message(error), "pip_engine_reload: "));
    pip_error_free(error);
  }
  CHECK(pip_engine_policy_hash(NULL, engine, &error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(error), "out is NULL"));
  pip_error_free(error);

  /* NULL is a valid error, and freeing it does nothing. */
  CHECK(pip_error_status(NULL) == PIP_OK);
  CHECK(strcmp(pip_error_message(NULL), "") == 0);
  pip_error_free(NULL);
  pip_engine_free(engine);
}

static void test_success_sets_the_error_to_null(void) {
  pip_engine* engine = NULL;
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  char* out = NULL;
  size_t count = 0;
  /* A value that is not an error: success must overwrite it. */
  int not_an_error = 0;
  pip_error* error = (pip_error*)&not_an_error;
  const char* due =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  const char* line =
      "{\"retention_due\": {\"kind\": \"inquiry\", \"event_at\": "
      "\"2023-05-10T14:00:00+09:00\", \"as_of\": "
      "\"2026-05-11T00:00:00+09:00\"}}\n";

  CHECK(pip_engine_new(&engine, &source, NULL, &error) == PIP_OK);
  CHECK(error == NULL);
  /* 7: due the day after 2026-05-10, with no error. */
  error = (pip_error*)&not_an_error;
  CHECK(pip_retention_due_json(&out, NULL, engine, due, strlen(due),
                               &error) == PIP_OK);
  CHECK(error == NULL);
  CHECK(contains(out, "\"due\":true"));
  pip_free(out);
  /* After a failure, the next success clears it again. */
  CHECK(pip_retention_due_json(&out, NULL, engine, kInquiryWithoutEvent,
                               strlen(kInquiryWithoutEvent),
                               &error) == PIP_INVALID_ARGUMENT);
  CHECK(error != NULL);
  pip_error_free(error);
  error = (pip_error*)&not_an_error;
  CHECK(pip_eval_batch_json(&out, NULL, &count, engine, line, strlen(line),
                            &error) == PIP_OK);
  CHECK(error == NULL);
  CHECK(count == 1 && contains(out, "\"retain_until\":\"2026-05-10\""));
  pip_free(out);
  error = (pip_error*)&not_an_error;
  CHECK(pip_engine_policy_version(&out, engine, &error) == PIP_OK);
  CHECK(error == NULL);
  pip_free(out);
  error = (pip_error*)&not_an_error;
  CHECK(pip_engine_reload(engine, &source, &error) == PIP_OK);
  CHECK(error == NULL);
  pip_engine_free(engine);
}

static void test_null_error_pointer_is_not_wanted(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  /* 7: the failure is reported by the status and pip_last_error() alone. */
  CHECK(pip_retention_due_json(&out, NULL, engine, kInquiryWithoutEvent,
                               strlen(kInquiryWithoutEvent),
                               NULL) == PIP_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(contains(pip_last_error(), "event_at"));
  pip_engine_free(engine);
}

/* One thread's failure, its error object, and what the other thread did. */
typedef struct {
  const pip_engine* engine;
  int fails_on_retention; /* 7 if nonzero, else 2.2 */
  pthread_barrier_t* both_failed;
  pip_status status;
  pip_error* error;
  pip_error* after_success;
} failing_thread;

static void* fail_on_thread(void* arg) {
  failing_thread* t = (failing_thread*)arg;
  char* out = NULL;
  const char* request = t->fails_on_retention ? kInquiryWithoutEvent
                                              : kMailWithMisspeltCategory;
  t->status = t->fails_on_retention
                  ? pip_retention_due_json(&out, NULL, t->engine, request,
                                           strlen(request), &t->error)
                  : pip_purpose_allowed_json(&out, NULL, t->engine, request,
                                             strlen(request), &t->error);
  /* Both have failed before either goes on: neither error may have become
   * the other's. */
  pthread_barrier_wait(t->both_failed);
  /* A success on this thread sets its own error to NULL and leaves the
   * object of the failure alone. */
  t->after_success = t->error;
  CHECK(pip_engine_policy_version(&out, t->engine, &t->after_success) ==
        PIP_OK);
  pip_free(out);
  return NULL;
}

static void test_error_objects_belong_to_their_call_not_the_thread(void) {
  pip_engine* engine = default_engine();
  pthread_barrier_t both_failed;
  failing_thread threads[2];
  pthread_t ids[2];
  int i;
  CHECK(pthread_barrier_init(&both_failed, NULL, 2) == 0);
  for (i = 0; i < 2; ++i) {
    threads[i].engine = engine;
    threads[i].fails_on_retention = i == 0;
    threads[i].both_failed = &both_failed;
    threads[i].status = PIP_OK;
    threads[i].error = NULL;
    threads[i].after_success = NULL;
    CHECK(pthread_create(&ids[i], NULL, fail_on_thread, &threads[i]) == 0);
  }
  for (i = 0; i < 2; ++i) CHECK(pthread_join(ids[i], NULL) == 0);
  pthread_barrier_destroy(&both_failed);
  /* Read here, on a third thread: each error still says its own failure. */
  CHECK(threads[0].status == PIP_INVALID_ARGUMENT);
  CHECK(pip_error_status(threads[0].error) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(threads[0].error),
                 "pip_retention_due_json"));
  CHECK(contains(pip_error_message(threads[0].error), "event_at"));
  CHECK(!contains(pip_error_message(threads[0].error), "emial"));
  CHECK(threads[1].status == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_error_message(threads[1].error),
                 "pip_purpose_allowed_json"));
  CHECK(contains(pip_error_message(threads[1].error), "'emial'"));
  CHECK(!contains(pip_error_message(threads[1].error), "event_at"));
  CHECK(threads[0].after_success == NULL && threads[1].after_success == NULL);
  /* Nor did either reach this thread's last error. */
  CHECK(!contains(pip_last_error(), "emial"));
  CHECK(!contains(pip_last_error(), "event_at"));
  for (i = 0; i < 2; ++i) pip_error_free(threads[i].error);
  pip_engine_free(engine);
}

static void test_free_null_is_a_no_op(void) {
  pip_free(NULL);
  pip_engine_free(NULL);
  CHECK(1);
}

/* --- Engines ----------------------------------------------------------- */

static void test_default_engine_reports_version_and_hash(void) {
  pip_engine* engine = default_engine();
  char* version = NULL;
  char* hash = NULL;
  size_t i;
  CHECK(pip_engine_policy_version(&version, engine, NULL) == PIP_OK);
  /* policies/default.textproto: version "2026-04-01". */
  CHECK(version != NULL && strcmp(version, "2026-04-01") == 0);
  CHECK(pip_engine_policy_hash(&hash, engine, NULL) == PIP_OK);
  /* Lowercase hex SHA-256. */
  CHECK(hash != NULL && strlen(hash) == 64);
  for (i = 0; hash != NULL && hash[i] != '\0'; ++i) {
    CHECK((hash[i] >= '0' && hash[i] <= '9') ||
          (hash[i] >= 'a' && hash[i] <= 'f'));
  }
  pip_free(version);
  pip_free(hash);
  CHECK_FAILS(pip_engine_policy_version(&version, NULL, NULL),
              PIP_INVALID_ARGUMENT, version, "engine is NULL");
  CHECK_FAILS(pip_engine_policy_hash(&hash, NULL, NULL), PIP_INVALID_ARGUMENT,
              hash, "engine is NULL");
  CHECK(pip_engine_policy_version(NULL, engine, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(pip_engine_policy_hash(NULL, engine, NULL) == PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

static void check_version(const pip_engine* engine, const char* expected) {
  char* version = NULL;
  CHECK(pip_engine_policy_version(&version, engine, NULL) == PIP_OK);
  CHECK(version != NULL && strcmp(version, expected) == 0);
  pip_free(version);
}

static void test_engine_from_text(void) {
  size_t len = 0;
  char* text = read_file(source_dir, "tests/testdata/minimal.textproto", &len);
  pip_engine* engine = NULL;
  CHECK(text != NULL);
  if (text == NULL) return;
  CHECK(new_text(&engine, text, len, "minimal.textproto") == PIP_OK);
  check_version(engine, "2026-01-01");
  pip_engine_free(engine);
  engine = NULL;
  /* The file label is optional. */
  CHECK(new_text(&engine, text, len, NULL) == PIP_OK);
  pip_engine_free(engine);
  engine = NULL;
  CHECK_FAILS(new_text(&engine, NULL, 0, NULL), PIP_INVALID_ARGUMENT, engine,
              "source->data is NULL");
  CHECK(new_text(NULL, text, len, NULL) == PIP_INVALID_ARGUMENT);
  /* Cut in the middle, the text no longer parses. */
  CHECK_FAILS(new_text(&engine, text, len / 2, "cut.textproto"),
              PIP_INVALID_ARGUMENT, engine, "cut.textproto");
  free(text);
}

static void test_engine_from_text_that_does_not_validate(void) {
  size_t len = 0;
  char* text =
      read_file(source_dir, "tests/testdata/bad/multi_problem.textproto", &len);
  pip_engine* engine = NULL;
  CHECK(text != NULL);
  if (text == NULL) return;
  /* Every problem is reported, with field path and clause. */
  CHECK_FAILS(new_text(&engine, text, len, "multi.textproto"),
              PIP_INVALID_ARGUMENT, engine, "version: is required");
  CHECK(contains(pip_last_error(), "unknown category group '2.2'"));
  CHECK(contains(pip_last_error(), "id 'Billing' must be lowercase"));
  CHECK(contains(pip_last_error(), "a fee cannot be negative, got -5"));
  CHECK(contains(pip_last_error(), "multi.textproto:24:26"));
  free(text);
}

static void test_engine_from_binary(void) {
  size_t len = 0;
  uint8_t* bytes = (uint8_t*)read_file(binary_dir, "minimal.binpb", &len);
  pip_engine* engine = NULL;
  static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  CHECK(bytes != NULL);
  if (bytes == NULL) return;
  CHECK(new_binary(&engine, bytes, len) == PIP_OK);
  check_version(engine, "2026-01-01");
  pip_engine_free(engine);
  engine = NULL;
  CHECK_FAILS(new_binary(&engine, bytes, len - 3), PIP_INVALID_ARGUMENT, engine,
              "pip_engine_new");
  CHECK_FAILS(new_binary(&engine, garbage, sizeof garbage),
              PIP_INVALID_ARGUMENT, engine, "pip_engine_new");
  /* Well-formed bytes of an empty policy do not validate (no version). */
  CHECK_FAILS(new_binary(&engine, bytes, 0), PIP_INVALID_ARGUMENT, engine,
              "version");
  CHECK_FAILS(new_binary(&engine, NULL, 0), PIP_INVALID_ARGUMENT, engine,
              "source->data is NULL");
  CHECK(new_binary(NULL, bytes, len) == PIP_INVALID_ARGUMENT);
  free(bytes);
}

static void test_engine_from_file(void) {
  char path[1024];
  pip_engine* engine = NULL;
  source_path(path, sizeof path, "tests/testdata/minimal.textproto");
  CHECK(new_file(&engine, path) == PIP_OK);
  check_version(engine, "2026-01-01");
  pip_engine_free(engine);
  engine = NULL;
  /* A ".binpb" file is read as binary. */
  snprintf(path, sizeof path, "%s/minimal.binpb", binary_dir);
  CHECK(new_file(&engine, path) == PIP_OK);
  check_version(engine, "2026-01-01");
  pip_engine_free(engine);
  engine = NULL;
  source_path(path, sizeof path, "tests/testdata/no_such_policy.textproto");
  CHECK_FAILS(new_file(&engine, path), PIP_NOT_FOUND, engine,
              "no_such_policy.textproto");
  source_path(path, sizeof path, "tests/testdata/bad/missing_version.textproto");
  CHECK_FAILS(new_file(&engine, path), PIP_INVALID_ARGUMENT, engine,
              "version: is required");
  CHECK_FAILS(new_file(&engine, NULL), PIP_INVALID_ARGUMENT, engine,
              "source->path is NULL");
  CHECK(new_file(NULL, path) == PIP_INVALID_ARGUMENT);
}

/* clause 4.2: direct_mail is a purpose of the default policy; the minimal
 * policy has no such purpose, so asking it is an error, not a deny. */
static const char kDirectMail[] =
    "{\"subject_id\": \"c-2\", \"purpose\": \"direct_mail\", "
    "\"categories\": [\"name\", \"email\"], "
    "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";

static pip_status ask_direct_mail(const pip_engine* engine, char** out) {
  return pip_purpose_allowed_json(out, NULL, engine, kDirectMail,
                                  strlen(kDirectMail), NULL);
}

/* Checks that `engine` still runs the default policy: its version, and a
 * clause 4.2 use it allows. */
static void check_runs_default_policy(const pip_engine* engine) {
  char* out = NULL;
  check_version(engine, "2026-04-01");
  CHECK(ask_direct_mail(engine, &out) == PIP_OK);
  CHECK(contains(out, "\"allowed\":true"));
  pip_free(out);
}

static void test_failed_reload_keeps_the_running_policy(void) {
  pip_engine* engine = default_engine();
  char path[1024];
  size_t len = 0;
  char* bad =
      read_file(source_dir, "tests/testdata/bad/multi_problem.textproto", &len);
  static const uint8_t garbage[] = {0x0a, 0xff, 0x01};
  CHECK(bad != NULL);
  if (bad == NULL) return;
  CHECK(reload_text(engine, bad, len, "multi.textproto") ==
        PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "version: is required"));
  check_runs_default_policy(engine);
  source_path(path, sizeof path, "tests/testdata/bad/missing_version.textproto");
  CHECK(reload_file(engine, path) == PIP_INVALID_ARGUMENT);
  check_runs_default_policy(engine);
  source_path(path, sizeof path, "tests/testdata/no_such_policy.textproto");
  CHECK(reload_file(engine, path) == PIP_NOT_FOUND);
  check_runs_default_policy(engine);
  CHECK(reload_binary(engine, garbage, sizeof garbage) == PIP_INVALID_ARGUMENT);
  check_runs_default_policy(engine);
  /* NULL arguments are errors too, and change nothing. */
  CHECK(reload_text(engine, NULL, 0, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "source->data is NULL"));
  CHECK(reload_file(engine, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(reload_binary(engine, NULL, 0) == PIP_INVALID_ARGUMENT);
  CHECK(reload_text(NULL, bad, len, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "engine is NULL"));
  CHECK(reload_file(NULL, path) == PIP_INVALID_ARGUMENT);
  CHECK(reload_binary(NULL, garbage, 1) == PIP_INVALID_ARGUMENT);
  check_runs_default_policy(engine);
  free(bad);
  pip_engine_free(engine);
}

static void test_reload_replaces_the_policy(void) {
  pip_engine* engine = default_engine();
  char path[1024];
  char* out = NULL;
  size_t len = 0;
  char* text = read_file(source_dir, "tests/testdata/minimal.textproto", &len);
  uint8_t* bytes = (uint8_t*)read_file(binary_dir, "minimal.binpb", &len);
  CHECK(text != NULL && bytes != NULL);
  if (text == NULL || bytes == NULL) return;
  CHECK(reload_text(engine, text, strlen(text), "minimal") == PIP_OK);
  check_version(engine, "2026-01-01");
  /* The minimal policy has no direct_mail purpose: an unknown id is an
   * error, never an allow. */
  CHECK_FAILS(ask_direct_mail(engine, &out), PIP_INVALID_ARGUMENT, out,
              "direct_mail");
  source_path(path, sizeof path, "policies/default.textproto");
  CHECK(reload_file(engine, path) == PIP_OK);
  check_runs_default_policy(engine);
  CHECK(reload_binary(engine, bytes, len) == PIP_OK);
  check_version(engine, "2026-01-01");
  free(text);
  free(bytes);
  pip_engine_free(engine);
}

/* --- The four functions in JSON ------------------------------------------ */

static void test_purpose_allowed_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  size_t out_len = 0;
  /* 8.1: an active suspension request blocks direct mail. */
  const char* suspended =
      "{\"subject_id\": \"c-1\", \"purpose\": \"direct_mail\", "
      "\"categories\": [\"name\", \"email\"], \"recipient\": \"internal\", "
      "\"active_requests\": [{\"type\": \"suspension\", "
      "\"received_at\": \"2026-01-10T09:00:00+09:00\"}], "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  /* 2.4: location only with consent. */
  const char* location =
      "{\"subject_id\": \"c-3\", \"purpose\": \"usage_analysis\", "
      "\"categories\": [\"location\"], "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  /* 2.1, 2.2: a typo in a category id. */
  const char* typo =
      "{\"subject_id\": \"c-2\", \"purpose\": \"direct_mail\", "
      "\"categories\": [\"name\", \"emial\"], "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  const char* unknown_field =
      "{\"purpose\": \"direct_mail\", \"categories\": [\"name\"], "
      "\"allow_anyway\": true, \"as_of\": \"2026-03-01T12:00:00+09:00\"}";

  CHECK(pip_purpose_allowed_json(&out, &out_len, engine, suspended,
                                 strlen(suspended), NULL) == PIP_OK);
  CHECK(out != NULL && out_len == strlen(out));
  CHECK(contains(out, "\"allowed\":false"));
  CHECK(contains(out, "\"code\":\"SUSPENDED_BY_REQUEST\""));
  CHECK(contains(out, "\"clause\":\"8.1\""));
  CHECK(!contains(out, "\n"));
  pip_free(out);

  CHECK(pip_purpose_allowed_json(&out, NULL, engine, location, strlen(location),
                                 NULL) == PIP_OK);
  CHECK(contains(out, "\"allowed\":false"));
  CHECK(contains(out, "\"code\":\"CONSENT_REQUIRED\""));
  CHECK(contains(out, "\"clause\":\"2.4\""));
  pip_free(out);

  /* 4.2: nothing stands against direct mail for c-2. */
  CHECK(ask_direct_mail(engine, &out) == PIP_OK);
  CHECK(contains(out, "\"allowed\":true"));
  CHECK(contains(out, "\"code\":\"PURPOSE_PERMITTED\""));
  CHECK(contains(out, "\"clause\":\"4.2\""));
  CHECK(contains(out, "\"policy\":{\"version\":\"2026-04-01\""));
  pip_free(out);

  CHECK_FAILS(pip_purpose_allowed_json(&out, &out_len, engine, typo,
                                       strlen(typo), NULL),
              PIP_INVALID_ARGUMENT, out,
              "categories[1]: unknown category 'emial' (did you mean "
              "'email'?)");
  CHECK(out_len == 0);
  CHECK_FAILS(pip_purpose_allowed_json(&out, NULL, engine, unknown_field,
                                       strlen(unknown_field), NULL),
              PIP_INVALID_ARGUMENT, out, "allow_anyway");
  CHECK_FAILS(
      pip_purpose_allowed_json(&out, NULL, engine, "{\"purpose\":", 11, NULL),
      PIP_INVALID_ARGUMENT, out, "invalid JSON request");
  /* The length bounds the input: a prefix of valid JSON is not valid. */
  CHECK_FAILS(pip_purpose_allowed_json(&out, NULL, engine, location, 20, NULL),
              PIP_INVALID_ARGUMENT, out, "invalid JSON request");
  /* 4: a request must name its purpose and its time. */
  CHECK_FAILS(pip_purpose_allowed_json(&out, NULL, engine, "{}", 2, NULL),
              PIP_INVALID_ARGUMENT, out, "pip_purpose_allowed_json");
  CHECK_FAILS(pip_purpose_allowed_json(&out, NULL, NULL, location,
                                       strlen(location), NULL),
              PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK_FAILS(pip_purpose_allowed_json(&out, NULL, engine, NULL, 5, NULL),
              PIP_INVALID_ARGUMENT, out, "request is NULL");
  CHECK(pip_purpose_allowed_json(NULL, NULL, engine, location, strlen(location),
                                 NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "out is NULL"));
  pip_engine_free(engine);
}

static void test_consent_check_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  /* 2.4: a consent granted before as_of, covering location, relied on. */
  const char* granted =
      "{\"subject_id\": \"c-1\", \"categories\": [\"location\"], "
      "\"purposes\": [\"usage_analysis\"], \"consents\": [{\"id\": \"k-9\", "
      "\"subject_id\": \"c-1\", \"categories\": [\"location\"], "
      "\"granted_at\": \"2025-04-01T10:00:00+09:00\", "
      "\"consent_version\": 1}], \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  /* 2.4: the same consent withdrawn before as_of no longer counts. */
  const char* withdrawn =
      "{\"subject_id\": \"c-1\", \"categories\": [\"location\"], "
      "\"purposes\": [\"usage_analysis\"], \"consents\": [{\"id\": \"k-9\", "
      "\"subject_id\": \"c-1\", \"categories\": [\"location\"], "
      "\"granted_at\": \"2025-04-01T10:00:00+09:00\", "
      "\"withdrawn_at\": \"2026-01-01T00:00:00+09:00\", "
      "\"consent_version\": 1}], \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  const char* unknown_purpose =
      "{\"subject_id\": \"c-1\", \"categories\": [\"location\"], "
      "\"purposes\": [\"spam\"], \"as_of\": \"2026-03-01T12:00:00+09:00\"}";

  CHECK(pip_consent_check_json(&out, NULL, engine, granted, strlen(granted),
                               NULL) == PIP_OK);
  CHECK(contains(out, "\"valid\":true"));
  CHECK(contains(out, "\"consent_id\":\"k-9\""));
  pip_free(out);
  CHECK(pip_consent_check_json(&out, NULL, engine, withdrawn, strlen(withdrawn),
                               NULL) == PIP_OK);
  CHECK(contains(out, "\"valid\":false"));
  CHECK(contains(out, "\"code\":\"WITHDRAWN\""));
  pip_free(out);
  CHECK_FAILS(pip_consent_check_json(&out, NULL, engine, unknown_purpose,
                                     strlen(unknown_purpose), NULL),
              PIP_INVALID_ARGUMENT, out, "'spam'");
  CHECK_FAILS(pip_consent_check_json(&out, NULL, engine, "[1,2]", 5, NULL),
              PIP_INVALID_ARGUMENT, out, "invalid JSON request");
  CHECK_FAILS(
      pip_consent_check_json(&out, NULL, NULL, granted, strlen(granted), NULL),
      PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK(pip_consent_check_json(NULL, NULL, engine, granted, strlen(granted),
                               NULL) == PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

static void test_retention_due_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  /* 7: an inquiry is kept 3 years, the day of the inquiry not counted:
   * 2023-05-10 -> kept until 2026-05-10, due from 2026-05-11 00:00 JST. */
  const char* due =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  const char* running =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"as_of\": \"2026-05-10T23:59:59+09:00\"}";
  /* 7 (保存期間の例外): a dispute keeps the record past its period. */
  const char* held =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"holds\": [{\"type\": \"dispute\", \"id\": \"case-1\"}], "
      "\"as_of\": \"2026-06-01T00:00:00+09:00\"}";
  /* 7: a missing date the kind needs is an error. */
  const char* no_event =
      "{\"kind\": \"inquiry\", \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  const char* unknown_kind =
      "{\"kind\": \"inquiries\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"as_of\": \"2026-05-11T00:00:00+09:00\"}";

  CHECK(pip_retention_due_json(&out, NULL, engine, due, strlen(due), NULL) ==
        PIP_OK);
  CHECK(contains(out, "\"due\":true"));
  CHECK(contains(out, "\"retain_until\":\"2026-05-10\""));
  CHECK(contains(out, "\"due_at\":\"2026-05-11T00:00:00+09:00\""));
  CHECK(contains(out, "\"clause\":\"7\""));
  pip_free(out);
  CHECK(pip_retention_due_json(&out, NULL, engine, running, strlen(running),
                               NULL) == PIP_OK);
  CHECK(contains(out, "\"due\":false"));
  CHECK(contains(out, "\"code\":\"PERIOD_RUNNING\""));
  pip_free(out);
  CHECK(pip_retention_due_json(&out, NULL, engine, held, strlen(held), NULL) ==
        PIP_OK);
  CHECK(contains(out, "\"due\":false"));
  CHECK(contains(out, "\"code\":\"HOLD_APPLIES\""));
  CHECK(contains(out, "\"hold_id\":\"case-1\""));
  CHECK(contains(out, "\"period_ended\":true"));
  pip_free(out);
  CHECK_FAILS(pip_retention_due_json(&out, NULL, engine, no_event,
                                     strlen(no_event), NULL),
              PIP_INVALID_ARGUMENT, out, "event_at");
  CHECK_FAILS(pip_retention_due_json(&out, NULL, engine, unknown_kind,
                                     strlen(unknown_kind), NULL),
              PIP_INVALID_ARGUMENT, out, "'inquiries'");
  CHECK_FAILS(pip_retention_due_json(&out, NULL, engine, "not json", 8, NULL),
              PIP_INVALID_ARGUMENT, out, "invalid JSON request");
  CHECK_FAILS(pip_retention_due_json(&out, NULL, NULL, due, strlen(due), NULL),
              PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK(pip_retention_due_json(NULL, NULL, engine, due, strlen(due), NULL) ==
        PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

/* Clause 1.4, APPI 26, 施行規則 7-8: health data (要配慮個人情報) leaked,
 * aware 2026-01-31 15:30 UTC, which is 1 February in Tokyo: the day of
 * awareness is not counted, the final report is due 30 days later. */
static void test_incident_assess_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  const char* leak =
      "{\"kind\": \"INCIDENT_LEAK\", \"categories\": [\"name\", \"health\"], "
      "\"people\": 3, \"aware_at\": \"2026-01-31T15:30:00Z\", "
      "\"as_of\": \"2026-02-01T09:00:00+09:00\"}";
  const char* no_people =
      "{\"kind\": \"INCIDENT_LEAK\", \"categories\": [\"name\"], "
      "\"aware_at\": \"2026-01-31T15:30:00Z\", "
      "\"as_of\": \"2026-02-01T09:00:00+09:00\"}";
  CHECK(pip_incident_assess_json(&out, NULL, engine, leak, strlen(leak),
                                 NULL) == PIP_OK);
  CHECK(contains(out, "\"reportable\":true"));
  CHECK(contains(out, "\"clause\":\"施行規則 7(1)\""));
  CHECK(contains(out, "\"aware_on\":\"2026-02-01\""));
  CHECK(contains(out, "\"final_report_by\":\"2026-03-03\""));
  pip_free(out);
  CHECK_FAILS(pip_incident_assess_json(&out, NULL, engine, no_people,
                                       strlen(no_people), NULL),
              PIP_INVALID_ARGUMENT, out, "people");
  pip_engine_free(engine);
}

/* Clause 9: after the investigation, improvement not needed, the reply;
 * the outside bodies of 9.2 when the company cannot resolve it. */
static void test_complaint_route_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  const char* complaint =
      "{\"state\": \"investigation\", \"not_needed\": [\"improvement\"], "
      "\"resolution_difficult\": true, "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  CHECK(pip_complaint_route_json(&out, NULL, engine, complaint,
                                 strlen(complaint), NULL) == PIP_OK);
  CHECK(contains(out, "\"next_step\":\"reply\""));
  CHECK(contains(out, "\"provision\":\"ppc\""));
  pip_free(out);
  pip_engine_free(engine);
}

/* Clause 6, APPI 25, 28: a contractor abroad (US) that meets every
 * criterion of 6.1 and whose contract holds every term of 6.2, last
 * checked 2025-05-10 15:30 UTC (2025-05-11 in Tokyo, not counted: next check
 * by 2026-05-11), relied on through the persons' informed consent (APPI
 * 28(1)): allowed, and the provision is recorded (APPI 29(1)). */
static void test_contractor_check_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  const char* contractor =
      "{\"contractor_id\": \"vendor-17\", \"criteria_met\": "
      "[\"adequate_security_measures\", \"clear_privacy_policy\", "
      "\"no_serious_past_breach\", \"security_certification\", "
      "\"sound_finances\"], \"contract_terms\": [\"confidentiality\", "
      "\"no_use_beyond_purpose\", \"no_third_party_provision\", "
      "\"subcontracting_restriction\", \"return_or_deletion_on_termination\", "
      "\"incident_reporting\", \"liability_for_damages\"], "
      "\"last_checked_at\": \"2025-05-10T15:30:00Z\", \"country\": \"US\", "
      "\"informed_consent\": true, \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  const char* unknown =
      "{\"contractor_id\": \"vendor-17\", \"criteria_met\": [\"iso27001\"], "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  CHECK(pip_contractor_check_json(&out, NULL, engine, contractor,
                                  strlen(contractor), NULL) == PIP_OK);
  CHECK(contains(out, "\"allowed\":true"));
  CHECK(contains(out, "\"next_check_by\":\"2026-05-11\""));
  CHECK(contains(out, "\"overseas_basis\":\"OVERSEAS_BASIS_CONSENT\""));
  CHECK(contains(out, "\"recipient\":\"overseas_contractor\""));
  CHECK(contains(out, "\"required\":true"));
  pip_free(out);
  CHECK_FAILS(pip_contractor_check_json(&out, NULL, engine, unknown,
                                        strlen(unknown), NULL),
              PIP_INVALID_ARGUMENT, out, "criteria_met[0]");
  pip_engine_free(engine);
}

/* Clause 3, APPI 21(2), 30: a paper application with the purpose stated is
 * allowed; data from a referrer without the provider confirmed is denied,
 * naming what is missing; an unknown channel is an error naming the field. */
static void test_acquisition_check_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  const char* paper =
      "{\"channel\": \"paper\", \"categories\": [\"name\", \"contract\"], "
      "\"purpose_stated\": true, \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  const char* referral =
      "{\"channel\": \"third_party\", \"categories\": [\"name\"], "
      "\"provider\": {\"name\": \"Partner KK\", \"address\": \"Tokyo\"}, "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  const char* unknown =
      "{\"channel\": \"carrier_pigeon\", \"categories\": [\"name\"], "
      "\"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  CHECK(pip_acquisition_check_json(&out, NULL, engine, paper, strlen(paper),
                                   NULL) == PIP_OK);
  CHECK(contains(out, "\"allowed\":true"));
  CHECK(contains(out, "\"code\":\"PURPOSE_STATED\""));
  CHECK(contains(out, "\"clause\":\"APPI 21(2)\""));
  pip_free(out);
  CHECK(pip_acquisition_check_json(&out, NULL, engine, referral,
                                   strlen(referral), NULL) == PIP_OK);
  CHECK(contains(out, "\"allowed\":false"));
  CHECK(contains(out, "\"missing\":[\"provider.representative\","
                      "\"provider.how_obtained\"]"));
  pip_free(out);
  CHECK_FAILS(pip_acquisition_check_json(&out, NULL, engine, unknown,
                                         strlen(unknown), NULL),
              PIP_INVALID_ARGUMENT, out, "channel");
  pip_engine_free(engine);
}

static void test_request_validate_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  /* 8.2, 8.3: an agent's disclosure request without power of attorney and
   * not yet verified; 300 JPY fee; answer within 30 days, first day not
   * counted: received 2026-01-31 -> respond by 2026-03-02. */
  const char* agent =
      "{\"type\": \"disclosure\", \"channel\": \"email\", "
      "\"received_at\": \"2026-01-31T10:00:00+09:00\", \"requester\": "
      "\"agent\", \"documents\": [\"identity_document\", "
      "\"request_form\"], \"fee_paid_jpy\": 300, "
      "\"as_of\": \"2026-02-02T09:00:00+09:00\"}";
  /* 8.2: requests are accepted by phone or email only. */
  const char* by_post =
      "{\"type\": \"correction\", \"channel\": \"post\", "
      "\"received_at\": \"2026-01-31T10:00:00+09:00\", "
      "\"documents\": [\"identity_document\", \"request_form\"], "
      "\"identity_verified\": true, \"as_of\": \"2026-02-02T09:00:00+09:00\"}";
  const char* negative_fee =
      "{\"type\": \"disclosure\", \"channel\": \"email\", "
      "\"received_at\": \"2026-01-31T10:00:00+09:00\", \"fee_paid_jpy\": -1, "
      "\"as_of\": \"2026-02-02T09:00:00+09:00\"}";

  CHECK(pip_request_validate_json(&out, NULL, engine, agent, strlen(agent),
                                  NULL) == PIP_OK);
  CHECK(contains(out, "\"valid\":false"));
  CHECK(contains(out, "\"missing\":[\"power_of_attorney\"]"));
  CHECK(contains(out, "\"identity_verified\":false"));
  CHECK(contains(out, "\"fee_due_jpy\":300"));
  CHECK(contains(out, "\"respond_by\":\"2026-03-02\""));
  pip_free(out);
  CHECK(pip_request_validate_json(&out, NULL, engine, by_post, strlen(by_post),
                                  NULL) == PIP_OK);
  CHECK(contains(out, "\"valid\":false"));
  CHECK(contains(out, "\"code\":\"CHANNEL_NOT_ACCEPTED\",\"clause\":\"8.2\""));
  CHECK(contains(out, "\"next_step\":\"FIX_CHANNEL\""));
  pip_free(out);
  CHECK_FAILS(pip_request_validate_json(&out, NULL, engine, negative_fee,
                                        strlen(negative_fee), NULL),
              PIP_INVALID_ARGUMENT, out, "fee_paid_jpy");
  CHECK_FAILS(pip_request_validate_json(&out, NULL, engine, "{", 1, NULL),
              PIP_INVALID_ARGUMENT, out, "invalid JSON request");
  CHECK_FAILS(
      pip_request_validate_json(&out, NULL, NULL, agent, strlen(agent), NULL),
      PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK(pip_request_validate_json(NULL, NULL, engine, agent, strlen(agent),
                                  NULL) == PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

/* --- The four functions in protobuf -------------------------------------- */

/* The checks every _pb entry point shares: NULL arguments, garbage,
 * truncation and unknown fields are errors that write nothing. */
typedef pip_status (*pb_function)(uint8_t**, size_t*, const pip_engine*,
                                  const uint8_t*, size_t, pip_error**);

static void check_pb_errors(pb_function fn, const pip_engine* engine,
                            const pb* valid, int truncate_at) {
  uint8_t* out = NULL;
  size_t out_len = 99;
  pb with_unknown = *valid;
  static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  pb_uint(&with_unknown, 99, 1);
  CHECK_FAILS(fn(&out, &out_len, engine, garbage, sizeof garbage, NULL),
              PIP_INVALID_ARGUMENT, out, "truncated or malformed");
  CHECK(out_len == 0);
  CHECK_FAILS(
      fn(&out, &out_len, engine, valid->data, (size_t)truncate_at, NULL),
      PIP_INVALID_ARGUMENT, out, "truncated or malformed");
  CHECK_FAILS(
      fn(&out, &out_len, engine, with_unknown.data, with_unknown.len, NULL),
      PIP_INVALID_ARGUMENT, out, "(number 99)");
  CHECK_FAILS(fn(&out, &out_len, NULL, valid->data, valid->len, NULL),
              PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK_FAILS(fn(&out, NULL, engine, valid->data, valid->len, NULL),
              PIP_INVALID_ARGUMENT, out, "out_len is NULL");
  CHECK_FAILS(fn(&out, &out_len, engine, NULL, valid->len, NULL),
              PIP_INVALID_ARGUMENT, out, "request is NULL");
  CHECK(fn(NULL, &out_len, engine, valid->data, valid->len, NULL) ==
        PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "out is NULL"));
  /* An empty request is well-formed bytes missing every required field. */
  CHECK(fn(&out, &out_len, engine, NULL, 0, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(out == NULL);
  /* One byte past kMaxProtoRequestBytes (1 MiB, pip/limits.h) is refused
   * before it is parsed, naming the limit. */
  {
    const size_t huge_len = ((size_t)1 << 20) + 1;
    uint8_t* huge = calloc(huge_len, 1);
    CHECK(huge != NULL);
    CHECK_FAILS(fn(&out, &out_len, engine, huge, huge_len, NULL),
                PIP_INVALID_ARGUMENT, out, "kMaxProtoRequestBytes");
    free(huge);
  }
}

static void test_retention_due_pb(void) {
  pip_engine* engine = default_engine();
  pb request;
  uint8_t* out = NULL;
  size_t out_len = 0;
  /* 7: inquiry on 2023-05-10 kept until 2026-05-10. RetentionDueDecision:
   * due = 1, retain_until = 2, clause = 5, reasons = 6. */
  inquiry_request(&request, T_2026_05_11_0000_JST);
  CHECK(pip_retention_due_pb(&out, &out_len, engine, request.data, request.len,
                             NULL) == PIP_OK);
  CHECK(out != NULL && out_len > 0);
  CHECK(pb_get_uint(out, out_len, 1) == 1);
  CHECK(pb_string_is(out, out_len, 2, "2026-05-10"));
  CHECK(pb_string_is(out, out_len, 5, "7"));
  pip_free(out);
  inquiry_request(&request, T_2026_05_10_235959_JST);
  CHECK(pip_retention_due_pb(&out, &out_len, engine, request.data, request.len,
                             NULL) == PIP_OK);
  CHECK(pb_get_uint(out, out_len, 1) == 0);
  CHECK(pb_find(out, out_len, 6, NULL, NULL, NULL)); /* PERIOD_RUNNING */
  pip_free(out);
  /* Cut inside the kind string "inquiry" (bytes 2..8). */
  check_pb_errors(pip_retention_due_pb, engine, &request, 5);
  pip_engine_free(engine);
}

static void test_purpose_allowed_pb(void) {
  pip_engine* engine = default_engine();
  pb request, suspension;
  uint8_t* out = NULL;
  size_t out_len = 0;
  /* PurposeAllowedRequest: subject_id = 1, purpose = 2, categories = 3,
   * active_requests = 7, as_of = 8. ActiveRequest: type = 1,
   * received_at = 2. Decision: allowed = 1, reasons = 2. */
  request.len = 0;
  pb_string(&request, 1, "c-1");
  pb_string(&request, 2, "direct_mail");
  pb_string(&request, 3, "name");
  pb_string(&request, 3, "email");
  pb_time(&request, 8, T_2026_03_01_1200_JST);
  /* 4.2: allowed with nothing against it. */
  CHECK(pip_purpose_allowed_pb(&out, &out_len, engine, request.data,
                               request.len, NULL) == PIP_OK);
  CHECK(pb_get_uint(out, out_len, 1) == 1);
  pip_free(out);
  /* 8.1: an active suspension request blocks it. */
  suspension.len = 0;
  pb_string(&suspension, 1, "suspension");
  pb_time(&suspension, 2, T_2026_01_10_0900_JST);
  pb_message(&request, 7, &suspension);
  CHECK(pip_purpose_allowed_pb(&out, &out_len, engine, request.data,
                               request.len, NULL) == PIP_OK);
  CHECK(pb_get_uint(out, out_len, 1) == 0);
  CHECK(pb_find(out, out_len, 2, NULL, NULL, NULL));
  pip_free(out);
  check_pb_errors(pip_purpose_allowed_pb, engine, &request, 8);
  /* An unknown field inside a nested message is refused as well. */
  pb_uint(&suspension, 42, 1);
  request.len = 0;
  pb_string(&request, 2, "direct_mail");
  pb_string(&request, 3, "name");
  pb_message(&request, 7, &suspension);
  pb_time(&request, 8, T_2026_03_01_1200_JST);
  CHECK_FAILS(pip_purpose_allowed_pb(&out, &out_len, engine, request.data,
                                     request.len, NULL),
              PIP_INVALID_ARGUMENT, out,
              "active_requests[0]: a field unknown to pip.v1.ActiveRequest "
              "(number 42)");
  pip_engine_free(engine);
}

static void test_consent_check_pb(void) {
  pip_engine* engine = default_engine();
  pb request, consent, granted;
  uint8_t* out = NULL;
  size_t out_len = 0;
  /* ConsentCheckRequest: subject_id = 1, categories = 2, purposes = 3,
   * consents = 5, as_of = 6. Consent: id = 1, subject_id = 2,
   * categories = 3, granted_at = 6, consent_version = 9.
   * Decision: valid = 1, consent_id = 2. */
  granted.len = 0;
  pb_uint(&granted, 1, 1743469200); /* 2025-04-01T10:00:00+09:00 */
  consent.len = 0;
  pb_string(&consent, 1, "k-9");
  pb_string(&consent, 2, "c-1");
  pb_string(&consent, 3, "location");
  pb_message(&consent, 6, &granted);
  pb_uint(&consent, 9, 1);
  request.len = 0;
  pb_string(&request, 1, "c-1");
  pb_string(&request, 2, "location");
  pb_string(&request, 3, "usage_analysis");
  pb_message(&request, 5, &consent);
  pb_time(&request, 6, T_2026_03_01_1200_JST);
  /* 2.4: a consent covering location, granted before as_of. */
  CHECK(pip_consent_check_pb(&out, &out_len, engine, request.data, request.len,
                             NULL) == PIP_OK);
  CHECK(pb_get_uint(out, out_len, 1) == 1);
  CHECK(pb_string_is(out, out_len, 2, "k-9"));
  pip_free(out);
  check_pb_errors(pip_consent_check_pb, engine, &request, 4);
  pip_engine_free(engine);
}

static void test_request_validate_pb(void) {
  pip_engine* engine = default_engine();
  pb request;
  uint8_t* out = NULL;
  size_t out_len = 0;
  /* RequestValidateRequest: type = 1, channel = 2, received_at = 3,
   * as_of = 9. Decision: valid = 1, fee_due_jpy = 4, respond_by = 5. */
  request.len = 0;
  pb_string(&request, 1, "disclosure");
  pb_string(&request, 2, "email");
  pb_time(&request, 3, T_2026_01_31_1000_JST);
  pb_time(&request, 9, T_2026_02_02_0900_JST);
  /* 8.2, 8.3: no documents, no fee: not valid; 300 JPY due; 30 days. */
  CHECK(pip_request_validate_pb(&out, &out_len, engine, request.data,
                                request.len, NULL) == PIP_OK);
  CHECK(pb_get_uint(out, out_len, 1) == 0);
  CHECK(pb_get_uint(out, out_len, 4) == 300);
  CHECK(pb_string_is(out, out_len, 5, "2026-03-02"));
  pip_free(out);
  check_pb_errors(pip_request_validate_pb, engine, &request, 6);
  pip_engine_free(engine);
}

/* --- EvalRequest, one at a time and in batches --------------------------- */

static void test_eval_json(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  size_t out_len = 0;
  const char* line =
      "{\"retention_due\": {\"kind\": \"inquiry\", \"event_at\": "
      "\"2023-05-10T14:00:00+09:00\", \"as_of\": "
      "\"2026-05-11T00:00:00+09:00\"}}";
  const char* unknown_id =
      "{\"purpose_allowed\": {\"purpose\": \"direct_mail\", \"categories\": "
      "[\"emial\"], \"as_of\": \"2026-03-01T12:00:00+09:00\"}}";
  /* 7: the oneof selects retention_due. */
  CHECK(pip_eval_json(&out, &out_len, engine, line, strlen(line), NULL) ==
        PIP_OK);
  CHECK(out_len == strlen(out));
  CHECK(contains(out, "{\"retention_due\":{\"due\":true"));
  CHECK(contains(out, "\"retain_until\":\"2026-05-10\""));
  pip_free(out);
  /* Errors are answers: an `error` object, never an allow. */
  CHECK(pip_eval_json(&out, NULL, engine, unknown_id, strlen(unknown_id),
                      NULL) == PIP_OK);
  CHECK(contains(out, "{\"error\":{\"code\":\"INVALID_ARGUMENT\""));
  CHECK(contains(out, "unknown category 'emial'"));
  CHECK(!contains(out, "allowed"));
  pip_free(out);
  CHECK(pip_eval_json(&out, NULL, engine, "{\"retention_due\":", 17, NULL) ==
        PIP_OK);
  CHECK(contains(out, "\"code\":\"INVALID_ARGUMENT\""));
  pip_free(out);
  CHECK(pip_eval_json(&out, NULL, engine, "{}", 2, NULL) == PIP_OK);
  CHECK(contains(out, "names no function"));
  pip_free(out);
  CHECK_FAILS(pip_eval_json(&out, NULL, NULL, line, strlen(line), NULL),
              PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK_FAILS(pip_eval_json(&out, NULL, engine, NULL, 3, NULL),
              PIP_INVALID_ARGUMENT, out, "request is NULL");
  CHECK(pip_eval_json(NULL, NULL, engine, line, strlen(line), NULL) ==
        PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

static void test_eval_pb(void) {
  pip_engine* engine = default_engine();
  pb inquiry, request;
  uint8_t* out = NULL;
  size_t out_len = 0;
  const uint8_t* decision = NULL;
  size_t decision_len = 0;
  static const uint8_t garbage[] = {0x1a, 0x7f, 0x00};
  /* EvalRequest.retention_due = 3; EvalResponse.retention_due = 3,
   * EvalResponse.error = 15. */
  inquiry_request(&inquiry, T_2026_05_11_0000_JST);
  request.len = 0;
  pb_message(&request, 3, &inquiry);
  CHECK(pip_eval_pb(&out, &out_len, engine, request.data, request.len, NULL) ==
        PIP_OK);
  CHECK(pb_find(out, out_len, 3, NULL, &decision, &decision_len));
  /* 7: due, kept until 2026-05-10. */
  CHECK(decision != NULL && pb_get_uint(decision, decision_len, 1) == 1);
  CHECK(decision != NULL &&
        pb_string_is(decision, decision_len, 2, "2026-05-10"));
  CHECK(!pb_find(out, out_len, 15, NULL, NULL, NULL));
  pip_free(out);
  /* Truncated bytes are answered with an error response. */
  CHECK(pip_eval_pb(&out, &out_len, engine, garbage, sizeof garbage, NULL) ==
        PIP_OK);
  CHECK(pb_find(out, out_len, 15, NULL, &decision, &decision_len));
  CHECK(decision != NULL &&
        pb_string_is(decision, decision_len, 1, "INVALID_ARGUMENT"));
  CHECK(!pb_find(out, out_len, 3, NULL, NULL, NULL));
  pip_free(out);
  /* Nothing set: an error response too. */
  CHECK(pip_eval_pb(&out, &out_len, engine, NULL, 0, NULL) == PIP_OK);
  CHECK(pb_find(out, out_len, 15, NULL, NULL, NULL));
  pip_free(out);
  CHECK_FAILS(
      pip_eval_pb(&out, &out_len, NULL, request.data, request.len, NULL),
      PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK_FAILS(pip_eval_pb(&out, NULL, engine, request.data, request.len, NULL),
              PIP_INVALID_ARGUMENT, out, "out_len is NULL");
  CHECK(pip_eval_pb(NULL, &out_len, engine, request.data, request.len, NULL) ==
        PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

static void test_eval_batch_json_answers_line_n_with_line_n(void) {
  pip_engine* engine = default_engine();
  char* out = NULL;
  size_t out_len = 0, count = 99;
  char* second;
  char* third;
  /* Line 1: 7, due. Line 2: blank. Line 3: broken JSON, ending in CRLF.
   * Line 4: 4.2, allowed, with no final newline. */
  const char* lines =
      "{\"retention_due\": {\"kind\": \"inquiry\", \"event_at\": "
      "\"2023-05-10T14:00:00+09:00\", \"as_of\": "
      "\"2026-05-11T00:00:00+09:00\"}}\n"
      "\n"
      "{\"purpose_allowed\": \r\n"
      "{\"purpose_allowed\": {\"purpose\": \"direct_mail\", \"categories\": "
      "[\"name\"], \"as_of\": \"2026-03-01T12:00:00+09:00\"}}";
  CHECK(pip_eval_batch_json(&out, &out_len, &count, engine, lines,
                            strlen(lines), NULL) == PIP_OK);
  CHECK(count == 4);
  CHECK(out != NULL && out_len == strlen(out) && out[out_len - 1] == '\n');
  second = out == NULL ? NULL : strchr(out, '\n') + 1;
  third = second == NULL ? NULL : strchr(second, '\n') + 1;
  CHECK(out != NULL && strncmp(out, "{\"retention_due\":{\"due\":true", 28) == 0);
  CHECK(second != NULL && strncmp(second, "{\"error\":", 9) == 0);
  CHECK(third != NULL && strncmp(third, "{\"error\":", 9) == 0);
  CHECK(third != NULL &&
        contains(strchr(third, '\n'), "{\"purpose_allowed\":{\"allowed\":true"));
  pip_free(out);
  /* Empty input: no lines, no answers. A final newline ends a line. */
  CHECK(pip_eval_batch_json(&out, &out_len, &count, engine, "", 0, NULL) ==
        PIP_OK);
  CHECK(count == 0 && out_len == 0 && out != NULL && out[0] == '\0');
  pip_free(out);
  CHECK(pip_eval_batch_json(&out, NULL, &count, engine, "{}\n", 3, NULL) ==
        PIP_OK);
  CHECK(count == 1);
  pip_free(out);
  CHECK(pip_eval_batch_json(&out, NULL, NULL, engine, "\n", 1, NULL) == PIP_OK);
  CHECK(contains(out, "{\"error\":"));
  pip_free(out);
  CHECK_FAILS(
      pip_eval_batch_json(&out, NULL, &count, NULL, lines, strlen(lines), NULL),
      PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK(count == 0);
  CHECK_FAILS(pip_eval_batch_json(&out, NULL, NULL, engine, NULL, 4, NULL),
              PIP_INVALID_ARGUMENT, out, "requests is NULL");
  CHECK(pip_eval_batch_json(NULL, NULL, NULL, engine, lines, strlen(lines),
                            NULL) == PIP_INVALID_ARGUMENT);
  pip_engine_free(engine);
}

static void test_eval_batch_pb(void) {
  pip_engine* engine = default_engine();
  pb inquiry, bad_inquiry, one, two, batch;
  uint8_t* out = NULL;
  size_t out_len = 0;
  const uint8_t* response = NULL;
  size_t response_len = 0;
  const uint8_t* decision = NULL;
  size_t decision_len = 0;
  /* EvalBatchRequest.requests = 1; EvalBatchResponse.responses = 1. */
  inquiry_request(&inquiry, T_2026_05_11_0000_JST);
  one.len = 0;
  pb_message(&one, 3, &inquiry);
  bad_inquiry = inquiry;
  pb_uint(&bad_inquiry, 77, 1);
  two.len = 0;
  pb_message(&two, 3, &bad_inquiry);
  batch.len = 0;
  pb_message(&batch, 1, &one);
  pb_message(&batch, 1, &two);
  CHECK(pip_eval_batch_pb(&out, &out_len, engine, batch.data, batch.len,
                          NULL) == PIP_OK);
  /* responses[0]: 7, due. */
  CHECK(pb_find(out, out_len, 1, NULL, &response, &response_len));
  CHECK(response != NULL &&
        pb_find(response, response_len, 3, NULL, &decision, &decision_len));
  CHECK(decision != NULL && pb_get_uint(decision, decision_len, 1) == 1);
  /* responses[1]: its unknown field makes it an error, not the batch. */
  if (response != NULL) {
    const uint8_t* rest = response + response_len;
    size_t rest_len = out_len - (size_t)(rest - out);
    CHECK(pb_find(rest, rest_len, 1, NULL, &response, &response_len));
    CHECK(pb_find(response, response_len, 15, NULL, &decision,
                  &decision_len));
    CHECK(!pb_find(response, response_len, 3, NULL, NULL, NULL));
  }
  pip_free(out);
  /* An empty batch is answered by an empty batch. */
  CHECK(pip_eval_batch_pb(&out, &out_len, engine, NULL, 0, NULL) == PIP_OK);
  CHECK(out != NULL && out_len == 0);
  pip_free(out);
  CHECK_FAILS(pip_eval_batch_pb(&out, &out_len, engine, batch.data,
                                batch.len - 4, NULL),
              PIP_INVALID_ARGUMENT, out, "truncated or malformed");
  CHECK_FAILS(
      pip_eval_batch_pb(&out, &out_len, NULL, batch.data, batch.len, NULL),
      PIP_INVALID_ARGUMENT, out, "engine is NULL");
  CHECK_FAILS(
      pip_eval_batch_pb(&out, NULL, engine, batch.data, batch.len, NULL),
      PIP_INVALID_ARGUMENT, out, "out_len is NULL");
  CHECK(pip_eval_batch_pb(NULL, &out_len, engine, batch.data, batch.len,
                          NULL) == PIP_INVALID_ARGUMENT);
  pb_uint(&batch, 5, 1);
  CHECK_FAILS(
      pip_eval_batch_pb(&out, &out_len, engine, batch.data, batch.len, NULL),
      PIP_INVALID_ARGUMENT, out, "unknown");
  /* One byte past kMaxBatchBytes (64 MiB, pip/limits.h), in either
   * encoding, is refused whole: no request of it is evaluated. */
  {
    const size_t huge_len = ((size_t)64 << 20) + 1;
    char* huge = calloc(huge_len, 1);
    char* json_out = NULL;
    size_t count = 99;
    CHECK(huge != NULL);
    CHECK_FAILS(pip_eval_batch_pb(&out, &out_len, engine, (uint8_t*)huge,
                                  huge_len, NULL),
                PIP_INVALID_ARGUMENT, out, "kMaxBatchBytes");
    CHECK_FAILS(pip_eval_batch_json(&json_out, NULL, &count, engine, huge,
                                    huge_len, NULL),
                PIP_INVALID_ARGUMENT, json_out, "kMaxBatchBytes");
    CHECK(count == 0);
    free(huge);
  }
  pip_engine_free(engine);
}

/* --- Retention over columns (clause 7) ----------------------------------- */

#define BATCH_RECORDS 70
#define DAYS_1970_TO_2026_05_10 20583

/* Whether bit i of a due bitmap is set. */
static int due_bit(const uint64_t* bitmap, size_t i) {
  return (int)((bitmap[i / 64] >> (i % 64)) & 1u);
}

static void test_retention_due_batch_agrees_with_retention_due(void) {
  pip_engine* engine = default_engine();
  const char* kinds[] = {"inquiry", "contract_transaction", "training_seminar"};
  uint32_t record_kinds[BATCH_RECORDS];
  int64_t events[BATCH_RECORDS];
  uint8_t held[BATCH_RECORDS];
  uint64_t bitmap[2] = {~(uint64_t)0, ~(uint64_t)0};
  int32_t retain_until[BATCH_RECORDS];
  size_t i;
  /* 7: an inquiry of 2023-05-10 is kept until 2026-05-10 (day 20583) and
   * due on 2026-05-11; one of 2023-05-11 is not due yet. */
  record_kinds[0] = 0;
  events[0] = T_2023_05_10_1400_JST;
  held[0] = 0;
  record_kinds[1] = 0;
  events[1] = 1683766800; /* 2023-05-11T10:00:00+09:00 */
  held[1] = 0;
  /* 7: a contract that has not ended has no clock: not due. */
  record_kinds[2] = 1;
  events[2] = PIP_NO_EVENT;
  held[2] = 0;
  /* 7 (保存期間の例外): a hold keeps a record past its period. */
  record_kinds[3] = 0;
  events[3] = T_2023_05_10_1400_JST;
  held[3] = 1;
  /* 7: a seminar is kept one year: 2025-05-10 -> until 2026-05-10. */
  record_kinds[4] = 2;
  events[4] = 1746867600; /* 2025-05-10T18:00:00+09:00 */
  held[4] = 0;
  for (i = 5; i < BATCH_RECORDS; ++i) {
    record_kinds[i] = 0;
    /* Every 64 s before the due inquiry, whose 2026-05-10 day it keeps. */
    events[i] = T_2023_05_10_1400_JST - (int64_t)(i * 64);
    held[i] = (uint8_t)(i % 3 == 0);
  }
  CHECK(pip_retention_due_batch(bitmap, retain_until, engine, kinds, 3,
                                record_kinds, events, held, BATCH_RECORDS,
                                T_2026_05_11_0000_JST, NULL) == PIP_OK);
  CHECK(due_bit(bitmap, 0) && !due_bit(bitmap, 1) && !due_bit(bitmap, 2) &&
        !due_bit(bitmap, 3) && due_bit(bitmap, 4));
  CHECK(retain_until[0] == DAYS_1970_TO_2026_05_10);
  CHECK(retain_until[1] == DAYS_1970_TO_2026_05_10 + 1);
  CHECK(retain_until[2] == PIP_NO_RETAIN_UNTIL);
  CHECK(retain_until[3] == DAYS_1970_TO_2026_05_10);
  CHECK(retain_until[4] == DAYS_1970_TO_2026_05_10);
  /* Bits past the last record are cleared. */
  CHECK((bitmap[1] >> (BATCH_RECORDS - 64)) == 0);
  /* Record by record, the answer of pip_retention_due_pb. */
  for (i = 0; i < BATCH_RECORDS; ++i) {
    pb request, hold;
    uint8_t* out = NULL;
    size_t out_len = 0;
    request.len = 0;
    pb_string(&request, 1, kinds[record_kinds[i]]);
    if (events[i] != PIP_NO_EVENT) pb_time(&request, 2, events[i]);
    if (held[i]) {
      hold.len = 0;
      pb_string(&hold, 1, "dispute");
      pb_message(&request, 3, &hold);
    }
    pb_time(&request, 4, T_2026_05_11_0000_JST);
    CHECK(pip_retention_due_pb(&out, &out_len, engine, request.data,
                               request.len, NULL) == PIP_OK);
    CHECK(pb_get_uint(out, out_len, 1) == (uint64_t)due_bit(bitmap, i));
    pip_free(out);
  }
  /* retain_until is optional; five records use one word of the bitmap. */
  bitmap[0] = ~(uint64_t)0;
  bitmap[1] = 12345;
  CHECK(pip_retention_due_batch(bitmap, NULL, engine, kinds, 3, record_kinds,
                                events, held, 5, T_2026_05_11_0000_JST,
                                NULL) == PIP_OK);
  CHECK(bitmap[0] == ((1u << 0) | (1u << 4)) && bitmap[1] == 12345);
  /* No records: nothing to do, nothing needed. */
  CHECK(pip_retention_due_batch(NULL, NULL, engine, NULL, 0, NULL, NULL, NULL,
                                0, T_2026_05_11_0000_JST, NULL) == PIP_OK);
  pip_engine_free(engine);
}

static void test_retention_due_batch_errors_write_nothing(void) {
  pip_engine* engine = default_engine();
  const char* kinds[] = {"inquiry", "accounting"};
  const char* typo[] = {"inquiry", "acounting"};
  const char* with_null[] = {"inquiry", NULL};
  uint32_t record_kinds[2] = {0, 1};
  uint32_t out_of_range[2] = {0, 2};
  int64_t events[2] = {T_2023_05_10_1400_JST, T_2023_05_10_1400_JST};
  int64_t no_event[2] = {T_2023_05_10_1400_JST, PIP_NO_EVENT};
  uint8_t held[2] = {0, 0};
  uint64_t bitmap[1] = {42};
  int32_t retain_until[2] = {7, 7};
#define CHECK_UNTOUCHED() \
  CHECK(bitmap[0] == 42 && retain_until[0] == 7 && retain_until[1] == 7)
  /* 7: ids are the policy's; an unknown kind is an error, not "not due". */
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, typo, 2, record_kinds, events, held,
            2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "kind_ids[1]"));
  CHECK(contains(pip_last_error(), "'acounting'"));
  CHECK_UNTOUCHED();
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, kinds, 2, out_of_range, events, held,
            2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "record_kinds[1] is 2"));
  CHECK_UNTOUCHED();
  /* 7: accounting records need their transaction date. */
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, kinds, 2, record_kinds, no_event,
            held, 2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "event_unix_seconds[1]"));
  CHECK(contains(pip_last_error(), "'accounting'"));
  CHECK_UNTOUCHED();
  /* Times outside the years of pip/limits.h. */
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, kinds, 2, record_kinds, events, held,
            2, INT64_C(-100000000000), NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "as_of"));
  CHECK_UNTOUCHED();
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, with_null, 2, record_kinds, events,
            held, 2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "kind_ids[1] is NULL"));
  CHECK(pip_retention_due_batch(
            NULL, retain_until, engine, kinds, 2, record_kinds, events, held, 2,
            T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "due_bitmap is NULL"));
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, NULL, kinds, 2, record_kinds, events, held, 2,
            T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "engine is NULL"));
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, NULL, 2, record_kinds, events, held,
            2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "kind_ids is NULL"));
  CHECK(pip_retention_due_batch(bitmap, retain_until, engine, kinds, 2, NULL,
                                events, held, 2, T_2026_05_11_0000_JST,
                                NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "record_kinds is NULL"));
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, kinds, 2, record_kinds, NULL, held, 2,
            T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "event_unix_seconds is NULL"));
  CHECK(pip_retention_due_batch(
            bitmap, retain_until, engine, kinds, 2, record_kinds, events, NULL,
            2, T_2026_05_11_0000_JST, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "held is NULL"));
  CHECK_UNTOUCHED();
#undef CHECK_UNTOUCHED
  pip_engine_free(engine);
}

/* --- Threads ------------------------------------------------------------ */

typedef struct {
  const pip_engine* engine;
  int wrong;
} evaluator;

static void* evaluate_many(void* arg) {
  evaluator* e = (evaluator*)arg;
  pb request;
  int i;
  inquiry_request(&request, T_2026_05_11_0000_JST);
  for (i = 0; i < 300; ++i) {
    uint8_t* out = NULL;
    size_t out_len = 0;
    /* 7: every answer, on either copy of the default policy, is due. */
    if (pip_retention_due_pb(&out, &out_len, e->engine, request.data,
                             request.len, NULL) != PIP_OK ||
        pb_get_uint(out, out_len, 1) != 1 ||
        !pb_string_is(out, out_len, 2, "2026-05-10")) {
      ++e->wrong;
    }
    pip_free(out);
  }
  return NULL;
}

static void test_evaluations_run_while_the_policy_reloads(void) {
  pip_engine* engine = default_engine();
  char path[1024];
  pthread_t threads[2];
  evaluator evaluators[2];
  int i;
  source_path(path, sizeof path, "policies/default.textproto");
  for (i = 0; i < 2; ++i) {
    evaluators[i].engine = engine;
    evaluators[i].wrong = 0;
    CHECK(pthread_create(&threads[i], NULL, evaluate_many, &evaluators[i]) ==
          0);
  }
  for (i = 0; i < 10; ++i) {
    CHECK(reload_file(engine, path) == PIP_OK);
  }
  for (i = 0; i < 2; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(evaluators[i].wrong == 0);
  }
  pip_engine_free(engine);
}

/* --- Trust and decision log fixtures -------------------------------------
 * BINARY_DIR/capi_signed, made by tests/capi/make_signed_policies.sh before
 * this test runs: trusted.pem, rev<N>.textproto with .sig, stranger.sig,
 * audit.key. */

static char signed_dir[512];

static void signed_path(char* out, size_t n, const char* name) {
  snprintf(out, n, "%s/%s", signed_dir, name);
}

/* Options trusting the keys of trusted.pem (signatures required); *pem
 * receives the keys' text, for the caller to free. */
static pip_engine_options trusting(char** pem) {
  pip_engine_options options = PIP_ENGINE_OPTIONS_INIT;
  size_t len = 0;
  *pem = read_file(signed_dir, "trusted.pem", &len);
  options.trusted_keys_pem = *pem;
  options.trusted_keys_pem_len = *pem == NULL ? 0 : len;
  return options;
}

/* A PIP_SOURCE_SIGNED_FILE source and the paths it points to. */
typedef struct {
  char path[1024];
  char signature[1024];
  pip_policy_source source;
} signed_files;

/* NAME.textproto and NAME.textproto.sig of the fixtures. */
static const pip_policy_source* signed_file_source(signed_files* files,
                                                   const char* name) {
  const pip_policy_source init = PIP_POLICY_SOURCE_INIT;
  char file[256];
  snprintf(file, sizeof file, "%s.textproto", name);
  signed_path(files->path, sizeof files->path, file);
  snprintf(file, sizeof file, "%s.textproto.sig", name);
  signed_path(files->signature, sizeof files->signature, file);
  files->source = init;
  files->source.kind = PIP_SOURCE_SIGNED_FILE;
  files->source.path = files->path;
  files->source.signature_path = files->signature;
  return &files->source;
}

/* --- Policy sources and options: struct sizes, fields, defaults ---------- */

static void test_sources_and_options_are_checked(void) {
  pip_engine* engine = NULL;
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  pip_engine_options options = PIP_ENGINE_OPTIONS_INIT;
  static const char text[] = "version: \"x\"";
  /* The struct sizes are what the caller compiled; none other is known. */
  source.struct_size = sizeof source - 1;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->struct_size");
  CHECK(contains(pip_last_error(), "PIP_POLICY_SOURCE_INIT"));
  source.struct_size = sizeof source + 8;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->struct_size");
  source.struct_size = 0;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->struct_size");
  source.struct_size = sizeof source;
  options.struct_size = 0;
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->struct_size");
  options.struct_size = sizeof options * 2;
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->struct_size");
  options.struct_size = sizeof options;
  CHECK(pip_engine_new(&engine, &source, &options, NULL) == PIP_OK);
  CHECK(reload_text(engine, text, sizeof text - 1, NULL) ==
        PIP_INVALID_ARGUMENT);
  source.struct_size = 1;
  CHECK(pip_engine_reload(engine, &source, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "pip_engine_reload: source->struct_size"));
  check_runs_default_policy(engine);
  pip_engine_free(engine);
  engine = NULL;
  source.struct_size = sizeof source;

  CHECK_FAILS(pip_engine_new(&engine, NULL, NULL, NULL), PIP_INVALID_ARGUMENT,
              engine, "source is NULL");
  CHECK(pip_engine_reload(NULL, &source, NULL) == PIP_INVALID_ARGUMENT);
  CHECK(contains(pip_last_error(), "engine is NULL"));
  source.kind = (pip_policy_source_kind)42;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->kind is 42");
  /* A field the kind does not use is refused, not ignored: a signature
   * given with unsigned text would otherwise go unchecked. */
  source = text_source(text, sizeof text - 1, NULL);
  source.signature = "sig";
  source.signature_len = 3;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->signature is set");
  source = file_source("policy.textproto");
  source.data = text;
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->data is set");
  source = text_source(text, sizeof text - 1, NULL);
  source.path = "policy.textproto";
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->path is set");
  source = text_source(NULL, 5, NULL);
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->data is NULL");
  source.kind = PIP_SOURCE_SIGNED_FILE;
  source.data = NULL;
  source.data_len = 0;
  source.path = "policy.textproto";
  CHECK_FAILS(pip_engine_new(&engine, &source, NULL, NULL),
              PIP_INVALID_ARGUMENT, engine, "source->signature_path is NULL");

  source = (pip_policy_source)PIP_POLICY_SOURCE_INIT;
  options.trusted_keys_pem = NULL;
  options.trusted_keys_pem_len = 7;
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_INVALID_ARGUMENT, engine,
              "options->trusted_keys_pem is NULL");
  options.trusted_keys_pem_len = 0;
  options.trusted_keys_pem =
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  options.trusted_keys_pem_len = strlen(options.trusted_keys_pem);
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->trusted_keys_pem: ");
  CHECK(
      contains(pip_last_error(), "trusted_keys[0]: not an Ed25519 public key"));
  /* Signatures required and no key: nothing could ever load. */
  options.trusted_keys_pem = "";
  options.trusted_keys_pem_len = 0;
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "require_signature");
}

/* NULL options and PIP_ENGINE_OPTIONS_INIT are the same: no trust (unsigned
 * policies load and reload, older revisions too), no log. */
static void test_null_options_mean_defaults(void) {
  pip_engine* with_null = NULL;
  pip_engine* with_init = NULL;
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  const pip_engine_options options = PIP_ENGINE_OPTIONS_INIT;
  char* a = NULL;
  char* b = NULL;
  char path[1024];
  CHECK(pip_engine_new(&with_null, &source, NULL, NULL) == PIP_OK);
  CHECK(pip_engine_new(&with_init, &source, &options, NULL) == PIP_OK);
  CHECK(pip_engine_policy_hash(&a, with_null, NULL) == PIP_OK);
  CHECK(pip_engine_policy_hash(&b, with_init, NULL) == PIP_OK);
  CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
  pip_free(a);
  pip_free(b);
  check_runs_default_policy(with_null);
  /* No rollback check without trust: revision 5, then 4, then 1. */
  signed_path(path, sizeof path, "rev5.textproto");
  CHECK(reload_file(with_init, path) == PIP_OK);
  check_version(with_init, "2026-05-05");
  signed_path(path, sizeof path, "rev4.textproto");
  CHECK(reload_file(with_init, path) == PIP_OK);
  check_version(with_init, "2026-04-04");
  CHECK(pip_engine_reload(with_init, &source, NULL) == PIP_OK);
  check_runs_default_policy(with_init);
  pip_engine_free(with_null);
  pip_engine_free(with_init);
}

/* --- Signed policies (docs/security.md) ------------------------------------
 */

static void test_signed_policy_with_a_trusted_key_loads(void) {
  pip_engine* engine = NULL;
  char* pem = NULL;
  pip_engine_options options = trusting(&pem);
  signed_files files;
  size_t len = 0;
  size_t sig_len = 0;
  char* text = read_file(signed_dir, "rev6.textproto", &len);
  char* sig = read_file(signed_dir, "rev6.textproto.sig", &sig_len);
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  CHECK(pem != NULL && text != NULL && sig != NULL);
  if (pem == NULL || text == NULL || sig == NULL) return;
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev5"), &options,
                       NULL) == PIP_OK);
  check_version(engine, "2026-05-05");
  /* In memory: the policy bytes and their raw signature. */
  source.kind = PIP_SOURCE_SIGNED;
  source.data = text;
  source.data_len = len;
  source.name = "rev6.textproto";
  source.signature = sig;
  source.signature_len = sig_len;
  CHECK(pip_engine_reload(engine, &source, NULL) == PIP_OK);
  check_version(engine, "2026-06-06");
  /* Signed by the second key of trusted.pem. */
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev7"), NULL) ==
        PIP_OK);
  check_version(engine, "2026-07-07");
  pip_engine_free(engine);
  engine = NULL;

  /* A signature by a key that is not trusted, or over other bytes. */
  signed_path(files.signature, sizeof files.signature, "stranger.sig");
  signed_path(files.path, sizeof files.path, "rev6.textproto");
  CHECK_FAILS(pip_engine_new(&engine, &files.source, &options, NULL),
              PIP_UNAUTHENTICATED, engine, "pip_engine_new");
  source.data_len = len - 1;
  CHECK_FAILS(pip_engine_new(&engine, &source, &options, NULL),
              PIP_UNAUTHENTICATED, engine, "does not verify");
  /* A signed source with no trust configured is misuse. */
  CHECK_FAILS(
      pip_engine_new(&engine, signed_file_source(&files, "rev5"), NULL, NULL),
      PIP_FAILED_PRECONDITION, engine, "EngineOptions.trust");
  free(text);
  free(sig);
  free(pem);
}

static void test_unsigned_policy_is_refused_when_signatures_are_required(void) {
  pip_engine* engine = NULL;
  char* pem = NULL;
  pip_engine_options options = trusting(&pem);
  const pip_policy_source embedded = PIP_POLICY_SOURCE_INIT;
  signed_files files;
  char path[1024];
  CHECK(pem != NULL);
  if (pem == NULL) return;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_UNAUTHENTICATED, engine, "require_signature");
  signed_path(path, sizeof path, "rev5.textproto");
  /* Without trust the same file loads. */
  CHECK(new_file(&engine, path) == PIP_OK);
  pip_engine_free(engine);
  engine = NULL;
  {
    const pip_policy_source unsigned_file = file_source(path);
    CHECK_FAILS(pip_engine_new(&engine, &unsigned_file, &options, NULL),
                PIP_UNAUTHENTICATED, engine, "require_signature");
  }
  /* A missing signature file counts as no signature. */
  signed_file_source(&files, "rev5");
  signed_path(files.signature, sizeof files.signature, "no_such.sig");
  CHECK_FAILS(pip_engine_new(&engine, &files.source, &options, NULL),
              PIP_UNAUTHENTICATED, engine, "require_signature");

  /* A running signed engine refuses unsigned reloads, and keeps its
   * policy. */
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev5"), &options,
                       NULL) == PIP_OK);
  signed_path(path, sizeof path, "rev6.textproto");
  CHECK(reload_file(engine, path) == PIP_UNAUTHENTICATED);
  CHECK(pip_engine_reload(engine, &embedded, NULL) == PIP_UNAUTHENTICATED);
  check_version(engine, "2026-05-05");
  pip_engine_free(engine);
  engine = NULL;

  /* require_signature = 0: unsigned policies load, but a signature that is
   * given must verify. */
  options.require_signature = 0;
  CHECK(pip_engine_new(&engine, &embedded, &options, NULL) == PIP_OK);
  CHECK(reload_file(engine, path) == PIP_OK);
  check_version(engine, "2026-06-06");
  signed_path(files.path, sizeof files.path, "rev6.textproto");
  signed_path(files.signature, sizeof files.signature, "stranger.sig");
  CHECK(pip_engine_reload(engine, &files.source, NULL) == PIP_UNAUTHENTICATED);
  check_version(engine, "2026-06-06");
  pip_engine_free(engine);
  free(pem);
}

static void test_rollback_is_refused(void) {
  pip_engine* engine = NULL;
  char* pem = NULL;
  pip_engine_options options = trusting(&pem);
  signed_files files;
  char path[1024];
  CHECK(pem != NULL);
  if (pem == NULL) return;
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev5"), &options,
                       NULL) == PIP_OK);
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev4"), NULL) ==
        PIP_FAILED_PRECONDITION);
  CHECK(contains(pip_last_error(), "revision 4"));
  CHECK(contains(pip_last_error(), "revision 5"));
  check_version(engine, "2026-05-05");
  /* The same revision with other content. */
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev5b"), NULL) ==
        PIP_FAILED_PRECONDITION);
  check_version(engine, "2026-05-05");
  /* The same policy again is no rollback; a newer one loads. */
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev5"), NULL) ==
        PIP_OK);
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev6"), NULL) ==
        PIP_OK);
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev5"), NULL) ==
        PIP_FAILED_PRECONDITION);
  check_version(engine, "2026-06-06");
  pip_engine_free(engine);
  engine = NULL;

  /* Trust with no key and no signature required: rollbacks of unsigned
   * policies are refused too. */
  options.trusted_keys_pem = "";
  options.trusted_keys_pem_len = 0;
  options.require_signature = 0;
  signed_path(path, sizeof path, "rev5.textproto");
  {
    const pip_policy_source rev5 = file_source(path);
    CHECK(pip_engine_new(&engine, &rev5, &options, NULL) == PIP_OK);
  }
  signed_path(path, sizeof path, "rev4.textproto");
  CHECK(reload_file(engine, path) == PIP_FAILED_PRECONDITION);
  check_version(engine, "2026-05-05");
  pip_engine_free(engine);
  free(pem);
}

static void test_min_revision_is_enforced(void) {
  pip_engine* engine = NULL;
  char* pem = NULL;
  pip_engine_options options = trusting(&pem);
  const pip_policy_source embedded = PIP_POLICY_SOURCE_INIT;
  signed_files files;
  CHECK(pem != NULL);
  if (pem == NULL) return;
  options.min_revision = 6;
  CHECK_FAILS(pip_engine_new(&engine, signed_file_source(&files, "rev5"),
                             &options, NULL),
              PIP_FAILED_PRECONDITION, engine, "min_revision");
  CHECK(contains(pip_last_error(), "revision 5"));
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev6"), &options,
                       NULL) == PIP_OK);
  check_version(engine, "2026-06-06");
  pip_engine_free(engine);
  engine = NULL;
  /* A floor with no trust would not be enforced: refused. */
  options.trusted_keys_pem = NULL;
  options.trusted_keys_pem_len = 0;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->min_revision");
  free(pem);
}

/* A revision file keeps the floor across restarts by itself: each start
 * and reload writes the revision it accepted, and a restart with an older,
 * validly signed policy is refused (docs/security.md). */
static void test_revision_file_refuses_rollback_after_restart(void) {
  pip_engine* engine = NULL;
  char* pem = NULL;
  pip_engine_options options = trusting(&pem);
  const pip_policy_source embedded = PIP_POLICY_SOURCE_INIT;
  signed_files files;
  char state[1024];
  size_t len = 0;
  char* stored = NULL;
  CHECK(pem != NULL);
  if (pem == NULL) return;
  signed_path(state, sizeof state, "revision");
  remove(state);
  options.revision_file = state;
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev5"), &options,
                       NULL) == PIP_OK);
  CHECK(pip_engine_reload(engine, signed_file_source(&files, "rev6"), NULL) ==
        PIP_OK);
  pip_engine_free(engine);
  engine = NULL;
  stored = read_file(signed_dir, "revision", &len);
  CHECK(stored != NULL && strcmp(stored, "6\n") == 0);
  free(stored);
  /* The restart: revision 5 was accepted once, but 6 has run since. */
  CHECK_FAILS(pip_engine_new(&engine, signed_file_source(&files, "rev5"),
                             &options, NULL),
              PIP_FAILED_PRECONDITION, engine, "revision 5");
  CHECK(contains(pip_last_error(), state));
  CHECK(pip_engine_new(&engine, signed_file_source(&files, "rev6"), &options,
                       NULL) == PIP_OK);
  pip_engine_free(engine);
  engine = NULL;
  /* A file that holds no revision refuses to start, naming the field. */
  {
    FILE* f = fopen(state, "w");
    CHECK(f != NULL);
    if (f != NULL) {
      fputs("six\n", f);
      fclose(f);
    }
  }
  CHECK_FAILS(pip_engine_new(&engine, signed_file_source(&files, "rev6"),
                             &options, NULL),
              PIP_FAILED_PRECONDITION, engine, "options->revision_file");
  remove(state);
  /* Without trust the file would not be enforced: refused. */
  options.trusted_keys_pem = NULL;
  options.trusted_keys_pem_len = 0;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->revision_file");
  free(pem);
}

/* --- The decision log (clause 5.4) -----------------------------------------
 */

/* Lines of a file; -1 when it cannot be read. */
static int count_lines(const char* dir, const char* name) {
  size_t len = 0;
  size_t i;
  int lines = 0;
  char* data = read_file(dir, name, &len);
  if (data == NULL) return -1;
  for (i = 0; i < len; ++i) lines += data[i] == '\n';
  free(data);
  return lines;
}

/* Writes capi_signed/decisions.jsonl: three records, which the
 * capi_audit_log_verify test checks with `pipctl audit-verify`. */
static void test_audited_engine_writes_a_line_per_decision(void) {
  pip_engine* engine = NULL;
  const pip_policy_source embedded = PIP_POLICY_SOURCE_INIT;
  pip_engine_options options = PIP_ENGINE_OPTIONS_INIT;
  char log[1024];
  char* out = NULL;
  size_t key_len = 0;
  char* key = read_file(signed_dir, "audit.key", &key_len);
  static const char kUnknownPurpose[] =
      "{\"subject_id\": \"c-1\", \"purpose\": \"no_such_purpose\", "
      "\"categories\": [\"name\"], \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  static const char kInquiry[] =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", "
      "\"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  CHECK(key != NULL && key_len == 32);
  if (key == NULL) return;
  signed_path(log, sizeof log, "decisions.jsonl");
  remove(log);
  options.audit_log_path = log;
  options.audit_key = key;
  options.audit_key_len = key_len;
  CHECK(pip_engine_new(&engine, &embedded, &options, NULL) == PIP_OK);
  CHECK(count_lines(signed_dir, "decisions.jsonl") == 0);
  CHECK(ask_direct_mail(engine, &out) == PIP_OK);
  CHECK(contains(out, "\"allowed\":true"));
  pip_free(out);
  out = NULL;
  /* Each decision is in the file before the call returns, after the
   * file's anchor line. */
  CHECK(count_lines(signed_dir, "decisions.jsonl") == 2);
  CHECK(pip_retention_due_json(&out, NULL, engine, kInquiry, strlen(kInquiry),
                               NULL) == PIP_OK);
  pip_free(out);
  out = NULL;
  CHECK(count_lines(signed_dir, "decisions.jsonl") == 3);
  /* A refused request is recorded too. */
  CHECK(pip_purpose_allowed_json(&out, NULL, engine, kUnknownPurpose,
                                 strlen(kUnknownPurpose),
                                 NULL) == PIP_INVALID_ARGUMENT);
  CHECK(count_lines(signed_dir, "decisions.jsonl") == 4);
  {
    size_t len = 0;
    char* lines = read_file(signed_dir, "decisions.jsonl", &len);
    CHECK(contains(lines, "\"function\":\"purpose_allowed\""));
    CHECK(contains(lines, "\"function\":\"retention_due\""));
    CHECK(contains(lines, "OUTCOME_ERROR"));
    /* Ids are pseudonymized: the subject is not in the log. */
    CHECK(!contains(lines, "\"c-1\"") && !contains(lines, "\"c-2\""));
    free(lines);
  }
  /* A second writer of the same log is refused while the first holds it. */
  {
    pip_engine* second = NULL;
    CHECK_FAILS(pip_engine_new(&second, &embedded, &options, NULL),
                PIP_FAILED_PRECONDITION, second, "pip_engine_new");
  }
  pip_engine_free(engine);
  engine = NULL;

  /* The key is required with a path, and long enough; a key without a path
   * is refused rather than ignored. */
  options.audit_key_len = 16;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->audit_key");
  options.audit_key = NULL;
  options.audit_key_len = 0;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->audit_key is NULL");
  options.audit_log_path = NULL;
  options.audit_key = key;
  options.audit_key_len = key_len;
  CHECK_FAILS(pip_engine_new(&engine, &embedded, &options, NULL),
              PIP_INVALID_ARGUMENT, engine, "options->audit_log_path is NULL");
  /* Refused options wrote nothing: the anchor and three records. */
  CHECK(count_lines(signed_dir, "decisions.jsonl") == 4);
  free(key);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s SOURCE_DIR BINARY_DIR\n", argv[0]);
    return 2;
  }
  source_dir = argv[1];
  binary_dir = argv[2];
  snprintf(signed_dir, sizeof signed_dir, "%s/capi_signed", binary_dir);
  RUN(test_version_matches_header);
  RUN(test_status_values_mirror_absl);
  RUN(test_last_error_is_never_null_and_cleared_by_success);
  RUN(test_last_error_is_per_thread);
  RUN(test_error_object_names_the_field_like_last_error);
  RUN(test_success_sets_the_error_to_null);
  RUN(test_null_error_pointer_is_not_wanted);
  RUN(test_error_objects_belong_to_their_call_not_the_thread);
  RUN(test_free_null_is_a_no_op);
  RUN(test_default_engine_reports_version_and_hash);
  RUN(test_engine_from_text);
  RUN(test_engine_from_text_that_does_not_validate);
  RUN(test_engine_from_binary);
  RUN(test_engine_from_file);
  RUN(test_failed_reload_keeps_the_running_policy);
  RUN(test_reload_replaces_the_policy);
  RUN(test_purpose_allowed_json);
  RUN(test_consent_check_json);
  RUN(test_retention_due_json);
  RUN(test_request_validate_json);
  RUN(test_acquisition_check_json);
  RUN(test_incident_assess_json);
  RUN(test_complaint_route_json);
  RUN(test_contractor_check_json);
  RUN(test_retention_due_pb);
  RUN(test_purpose_allowed_pb);
  RUN(test_consent_check_pb);
  RUN(test_request_validate_pb);
  RUN(test_eval_json);
  RUN(test_eval_pb);
  RUN(test_eval_batch_json_answers_line_n_with_line_n);
  RUN(test_eval_batch_pb);
  RUN(test_retention_due_batch_agrees_with_retention_due);
  RUN(test_retention_due_batch_errors_write_nothing);
  RUN(test_evaluations_run_while_the_policy_reloads);
  RUN(test_sources_and_options_are_checked);
  RUN(test_null_options_mean_defaults);
  RUN(test_signed_policy_with_a_trusted_key_loads);
  RUN(test_unsigned_policy_is_refused_when_signatures_are_required);
  RUN(test_rollback_is_refused);
  RUN(test_min_revision_is_enforced);
  RUN(test_revision_file_refuses_rollback_after_restart);
  RUN(test_audited_engine_writes_a_line_per_decision);
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C API checks passed\n");
  return 0;
}
