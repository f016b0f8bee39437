/*
 * C tests of libbcm, run under valgrind by `make c-test`.
 * Usage: test_bcm REPO_ROOT
 *
 * Every resource is released on one cleanup path; a check that fails records the failure and
 * the test goes on, so one run reports every broken expectation.
 */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, kill, nanosleep under -std=c11 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bcm.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        checks++;                                          \
        if (!(cond)) {                                     \
            failures++;                                    \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, "\n");                         \
        }                                                  \
    } while (0)

/* Reads a whole file; NULL on failure. The caller frees it. */
static char *read_file(const char *root, const char *relative, size_t *len) {
    char path[1024];
    FILE *f = NULL;
    char *text = NULL;
    long size = 0;
    snprintf(path, sizeof path, "%s/%s", root, relative);
    f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = malloc((size_t)size + 1);
        if (text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size) {
            text[size] = '\0';
            *len = (size_t)size;
        } else {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

/* The line starting at *cursor (NUL-terminated in place), or NULL at the end; advances *cursor. */
static char *split_line(char **cursor) {
    char *line = *cursor;
    char *end = NULL;
    if (line == NULL || line[0] == '\0') {
        return NULL;
    }
    end = strchr(line, '\n');
    if (end != NULL) {
        *end = '\0';
        *cursor = end + 1;
    } else {
        *cursor = NULL;
    }
    return line;
}

static size_t count(const char *haystack, const char *needle) {
    size_t n = 0;
    const char *at = haystack;
    while ((at = strstr(at, needle)) != NULL) {
        n++;
        at += strlen(needle);
    }
    return n;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", BCM_VERSION_MAJOR, BCM_VERSION_MINOR, BCM_VERSION_PATCH);
    CHECK(strcmp(bcm_version(), expected) == 0, "version %s, header says %s", bcm_version(), expected);
}

static void test_agency(const char *root) {
    size_t len = 0;
    char *yaml = read_file(root, "examples/agency.yaml", &len);
    bcm_model *model = NULL;
    bcm_model *again = NULL;
    char *findings = NULL;
    char *json = NULL;
    char *findings_again = NULL;

    CHECK(yaml != NULL, "cannot read examples/agency.yaml");
    if (yaml == NULL) {
        goto cleanup;
    }
    CHECK(bcm_model_from_yaml(yaml, len, &model) == BCM_STATUS_OK, "agency: %s", bcm_last_error_message());
    CHECK(strcmp(bcm_last_error_message(), "") == 0, "last error after success: %s", bcm_last_error_message());
    if (model == NULL) {
        goto cleanup;
    }
    CHECK(bcm_model_validate(model, &findings) == BCM_STATUS_OK, "validate: %s", bcm_last_error_message());
    if (findings != NULL) {
        CHECK(strstr(findings, "\"valid\":true,\"errors\":0,\"warnings\":1,") != NULL, "agency findings: %.200s", findings);
        CHECK(strstr(findings, "\"code\":\"W-ALTERNATE\",\"path\":\"/contacts/21/alternate\"") != NULL, "agency warning: %s", findings);
    }
    /* Round trip through the C ABI: saved JSON loads back to a model that validates the same. */
    CHECK(bcm_model_to_json(model, &json) == BCM_STATUS_OK, "to_json: %s", bcm_last_error_message());
    if (json != NULL) {
        CHECK(strncmp(json, "{\"bcm\":1,", 9) == 0, "saved JSON starts %.20s", json);
        CHECK(bcm_model_from_json(json, strlen(json), &again) == BCM_STATUS_OK, "reload: %s", bcm_last_error_message());
    }
    if (again != NULL) {
        CHECK(bcm_model_validate(again, &findings_again) == BCM_STATUS_OK, "validate again");
        CHECK(findings != NULL && findings_again != NULL && strcmp(findings, findings_again) == 0, "findings differ after round trip");
    }

cleanup:
    bcm_string_free(findings_again);
    bcm_model_free(again);
    bcm_string_free(json);
    bcm_string_free(findings);
    bcm_model_free(model);
    free(yaml);
}

static void test_bad_arguments(void) {
    const char bad_utf8[] = {'{', (char)0xff, '}'};
    const char *broken = "{\"bcm\": 1, \"organization\": {\"name\": \"x\"}, \"oops\": 1}";
    const char *not_yaml = "bcm: 1\norganization: {name: x\n";
    bcm_model *model = NULL;
    char *out = NULL;

    CHECK(bcm_model_from_json(NULL, 0, &model) == BCM_STATUS_NULL_ARGUMENT, "NULL text");
    CHECK(strcmp(bcm_last_error_message(), "argument 'text' is NULL") == 0, "message: %s", bcm_last_error_message());
    CHECK(bcm_model_from_json("{}", 2, NULL) == BCM_STATUS_NULL_ARGUMENT, "NULL out");
    CHECK(bcm_model_from_json(bad_utf8, sizeof bad_utf8, &model) == BCM_STATUS_INVALID_UTF8, "invalid UTF-8");
    CHECK(bcm_model_from_json(broken, strlen(broken), &model) == BCM_STATUS_MODEL_ERROR, "unknown field");
    CHECK(strstr(bcm_last_error_message(), "E-UNKNOWN-FIELD /oops") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_model_from_yaml(not_yaml, strlen(not_yaml), &model) == BCM_STATUS_MODEL_ERROR, "parse error");
    CHECK(strstr(bcm_last_error_message(), "E-PARSE") != NULL, "message: %s", bcm_last_error_message());
    CHECK(model == NULL, "out_model written on failure");
    CHECK(bcm_model_validate(NULL, &out) == BCM_STATUS_NULL_ARGUMENT, "NULL model");
    CHECK(bcm_document_validate(broken, strlen(broken), 42, &out) == BCM_STATUS_INVALID_ARGUMENT, "bad format");
    CHECK(out == NULL, "out_json written on failure");
    /* Not NUL-terminated input is fine: only len bytes are read. */
    CHECK(bcm_document_validate("{}xxxx", 2, BCM_FORMAT_JSON, &out) == BCM_STATUS_OK, "length-bounded text");
    CHECK(out != NULL && strstr(out, "E-VERSION") != NULL, "{} lacks a version: %s", out ? out : "(null)");
    bcm_string_free(out);
    bcm_model_free(NULL);
    bcm_string_free(NULL);
}

/* The dependency analyses on the example, with the figures worked out by hand in
 * crates/bcm-core/tests/agency.rs. */
static void test_analyses(const char *root) {
    size_t len = 0;
    char *yaml = read_file(root, "examples/agency.yaml", &len);
    const char *impact_params = "{\"lose\": [\"acme-cloud\"], \"at\": \"1d\"}";
    const char *unknown_unit = "{\"lose\": [\"atlantis\"]}";
    const char *bad_params = "{\"loose\": []}";
    bcm_model *model = NULL;
    char *objectives = NULL, *impact = NULL, *spof = NULL, *availability = NULL, *unused = NULL;

    if (yaml == NULL || bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the example for the analyses");
        goto cleanup;
    }
    CHECK(bcm_objectives(model, NULL, 0, &objectives) == BCM_STATUS_OK, "objectives: %s", bcm_last_error_message());
    CHECK(objectives != NULL &&
              strstr(objectives, "{\"id\":\"email\",\"kind\":\"asset\",\"required\":25200,\"required_rpo\":3600,\"gaps\":[\"G-RTO\"]}") != NULL,
          "email objectives in %.300s", objectives ? objectives : "(null)");
    CHECK(bcm_impact(model, impact_params, strlen(impact_params), &impact) == BCM_STATUS_OK, "impact: %s", bcm_last_error_message());
    CHECK(impact != NULL &&
              strstr(impact, "\"totals\":{\"financial\":100000.0,\"operational\":2.0,\"regulatory\":0.0,\"reputational\":2.0}") != NULL,
          "impact totals in %s", impact ? impact : "(null)");
    CHECK(bcm_spof(model, "{}", 2, &spof) == BCM_STATUS_OK, "spof: %s", bcm_last_error_message());
    CHECK(spof != NULL && strstr(spof, "{\"id\":\"payroll\",\"spofs\":[\"chelsea-dc\",\"hr-db\",\"hr-payroll-app\",\"san\"]}") != NULL,
          "payroll spofs");
    CHECK(spof != NULL && strstr(spof, "\"coverage\":{\"critical\":6,\"without_spof\":0,\"with_realtime_failover\":0}") != NULL,
          "coverage");
    CHECK(bcm_availability(model, NULL, 0, &availability) == BCM_STATUS_OK, "availability: %s", bcm_last_error_message());
    CHECK(availability != NULL &&
              strstr(availability, "{\"id\":\"dc-power\",\"kind\":\"group\",\"availability\":0.9999987518348028,\"method\":\"exact\",\"annual_downtime\":39}") != NULL,
          "dc-power availability");
    /* Failures leave the out-pointer alone and say why. */
    CHECK(bcm_impact(model, unknown_unit, strlen(unknown_unit), &unused) == BCM_STATUS_ANALYSIS_ERROR, "unknown unit");
    CHECK(strstr(bcm_last_error_message(), "'atlantis' is not an asset, group, site or vendor") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_impact(model, bad_params, strlen(bad_params), &unused) == BCM_STATUS_INVALID_ARGUMENT, "unknown parameter");
    CHECK(strstr(bcm_last_error_message(), "unknown field `loose`") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_spof(model, "{not json", 9, &unused) == BCM_STATUS_INVALID_ARGUMENT, "params not JSON");
    CHECK(bcm_spof(NULL, NULL, 0, &unused) == BCM_STATUS_NULL_ARGUMENT, "NULL model");
    CHECK(bcm_availability(model, NULL, 0, NULL) == BCM_STATUS_NULL_ARGUMENT, "NULL out");
    CHECK(unused == NULL, "out_json written on failure");

cleanup:
    bcm_string_free(availability);
    bcm_string_free(spof);
    bcm_string_free(impact);
    bcm_string_free(objectives);
    bcm_model_free(model);
    free(yaml);
}

/* Recovery schedule and simulation of losing the Chelsea data centre (figures pinned in
 * crates/bcm-cli/tests/cli.rs and tests/python/test_recovery.py as well). */
static void test_recovery(const char *root) {
    size_t len = 0;
    char *yaml = read_file(root, "examples/agency.yaml", &len);
    const char *lose = "{\"lose\": [\"chelsea-dc\"]}";
    const char *simulate = "{\"lose\": [\"chelsea-dc\"], \"iterations\": 500, \"seed\": 1}";
    bcm_model *model = NULL;
    char *schedule = NULL, *first = NULL, *second = NULL, *unused = NULL;
    char *head = NULL, *tail = NULL, *merged = NULL, *result = NULL;

    if (yaml == NULL || bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the example for the recovery analyses");
        goto cleanup;
    }
    CHECK(bcm_schedule(model, lose, strlen(lose), &schedule) == BCM_STATUS_OK, "schedule: %s", bcm_last_error_message());
    CHECK(schedule != NULL &&
              strstr(schedule, "{\"id\":\"payroll\",\"up_at\":118800,\"rto\":86400,\"met\":false,\"breach\":32400,"
                               "\"mtd_met\":true,\"capacity_shortfall\":true,\"critical_path\":[\"hr-payroll-app\"]}") != NULL,
          "payroll schedule");
    CHECK(schedule != NULL &&
              strstr(schedule, "{\"id\":\"hr-db\",\"kind\":\"asset\",\"down_at\":0,\"start\":79200,\"up_at\":90000,"
                               "\"required\":68400,\"slack\":-21600}") != NULL,
          "hr-db schedule");
    CHECK(schedule != NULL && strstr(schedule, "\"makespan\":604800") != NULL, "makespan");
    CHECK(bcm_simulate(model, simulate, strlen(simulate), &first) == BCM_STATUS_OK, "simulate: %s", bcm_last_error_message());
    CHECK(bcm_simulate(model, simulate, strlen(simulate), &second) == BCM_STATUS_OK, "simulate again");
    CHECK(first != NULL && second != NULL && strcmp(first, second) == 0, "same seed, same result");
    CHECK(first != NULL && strstr(first, "{\"iterations\":500,\"seed\":1,") == first, "simulation header in %.80s", first ? first : "(null)");
    CHECK(first != NULL && strstr(first, "{\"id\":\"payroll\",\"p_meet_rto\":0.0,\"p_meet_mtd\":0.796,") != NULL,
          "payroll simulation");
    CHECK(bcm_schedule(model, "{\"lose\": [\"atlantis\"]}", 22, &unused) == BCM_STATUS_ANALYSIS_ERROR, "unknown unit");
    CHECK(bcm_simulate(model, "{\"iterations\": -1}", 18, &unused) == BCM_STATUS_INVALID_ARGUMENT, "negative iterations");
    /* A count above the documented limit is refused; it used to abort the host process. */
    CHECK(bcm_simulate(model, "{\"lose\": [\"chelsea-dc\"], \"iterations\": 1000000000000}", 53, &unused) ==
              BCM_STATUS_INVALID_ARGUMENT,
          "too many iterations");
    CHECK(strstr(bcm_last_error_message(), "1000000000000 iterations is more than the 1000000000") != NULL,
          "limit message: %s", bcm_last_error_message());
    CHECK(bcm_simulate_range(model, simulate, strlen(simulate), 0, UINT64_MAX, &unused) ==
              BCM_STATUS_INVALID_ARGUMENT,
          "range above the limit");
    CHECK(bcm_availability(model, "{\"iterations\": 4000000000}", 26, &unused) == BCM_STATUS_INVALID_ARGUMENT,
          "availability iterations above the limit");
    CHECK(bcm_simulate(NULL, NULL, 0, &unused) == BCM_STATUS_NULL_ARGUMENT, "NULL model");
    CHECK(unused == NULL, "out_json written on failure");

    /* Two workers' shares of the same 500 iterations merge to the whole run's result. */
    CHECK(bcm_simulate_range(model, simulate, strlen(simulate), 0, 180, &head) == BCM_STATUS_OK,
          "simulate_range: %s", bcm_last_error_message());
    CHECK(bcm_simulate_range(model, simulate, strlen(simulate), 180, 500, &tail) == BCM_STATUS_OK, "second range");
    if (head != NULL && tail != NULL) {
        CHECK(bcm_tally_merge(tail, strlen(tail), head, strlen(head), &merged) == BCM_STATUS_OK,
              "tally_merge: %s", bcm_last_error_message());
    }
    if (merged != NULL) {
        CHECK(bcm_tally_result(merged, strlen(merged), &result) == BCM_STATUS_OK, "tally_result: %s",
              bcm_last_error_message());
    }
    CHECK(result != NULL && first != NULL && strcmp(result, first) == 0, "merged ranges give the whole run");
    if (tail != NULL) {
        /* A tally merged with itself would count its iterations twice. */
        CHECK(bcm_tally_merge(tail, strlen(tail), tail, strlen(tail), &unused) == BCM_STATUS_ANALYSIS_ERROR,
              "tally merged with itself");
        CHECK(strstr(bcm_last_error_message(), "both count iterations 180 to 500") != NULL, "overlap message: %s",
              bcm_last_error_message());
    }
    CHECK(bcm_simulate_range(model, simulate, strlen(simulate), 9, 3, &unused) == BCM_STATUS_INVALID_ARGUMENT,
          "end before start");
    CHECK(strstr(bcm_last_error_message(), "end (3) is before start (9)") != NULL, "range message: %s",
          bcm_last_error_message());
    if (head != NULL) {
        /* A tally that contradicts itself: its iterations no longer match its histograms. */
        char *forged = strstr(head, "\"iterations\":180,");
        CHECK(forged != NULL, "tally header in %.60s", head);
        if (forged != NULL) {
            memcpy(forged, "\"iterations\":181,", 17);
            CHECK(bcm_tally_result(head, strlen(head), &unused) == BCM_STATUS_INVALID_ARGUMENT, "forged tally");
            CHECK(strstr(bcm_last_error_message(), "tally: inconsistent simulation tally at /functions/0/histogram") != NULL,
                  "forged tally message: %s", bcm_last_error_message());
        }
        CHECK(bcm_tally_merge(NULL, 0, head, strlen(head), &unused) == BCM_STATUS_NULL_ARGUMENT, "NULL tally");
        CHECK(bcm_tally_result("{}", 2, &unused) == BCM_STATUS_INVALID_ARGUMENT, "not a tally");
    }
    CHECK(unused == NULL, "out_json written on failure");

cleanup:
    bcm_string_free(result);
    bcm_string_free(merged);
    bcm_string_free(tail);
    bcm_string_free(head);
    bcm_string_free(second);
    bcm_string_free(first);
    bcm_string_free(schedule);
    bcm_model_free(model);
    free(yaml);
}

/* tests/fixtures/expected.tsv: file, code, path. A fixture's errors are exactly its E- rows. */
static void test_fixtures(const char *root) {
    size_t len = 0;
    char *manifest = read_file(root, "tests/fixtures/expected.tsv", &len);
    char *line = NULL;
    char *next = NULL;
    char current[256] = "";
    char *findings = NULL;
    size_t expected_errors = 0;
    int fixtures = 0;

    CHECK(manifest != NULL, "cannot read the manifest");
    if (manifest == NULL) {
        return;
    }
    next = manifest;
    (void)split_line(&next); /* the header */
    for (line = split_line(&next);; line = split_line(&next)) {
        char file[256] = "", code[64] = "", path[256] = "";
        char needle[512];
        if (line != NULL) {
            char *tab1 = strchr(line, '\t');
            char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
            if (tab1 == NULL || tab2 == NULL) {
                continue;
            }
            snprintf(file, sizeof file, "%.*s", (int)(tab1 - line), line);
            snprintf(code, sizeof code, "%.*s", (int)(tab2 - tab1 - 1), tab1 + 1);
            snprintf(path, sizeof path, "%s", tab2 + 1);
        }
        /* A new file (or the end): close the previous one's error count. */
        if (findings != NULL && (line == NULL || strcmp(file, current) != 0)) {
            size_t errors = count(findings, "\"severity\":\"error\"");
            CHECK(errors == expected_errors, "%s: %zu errors, expected %zu: %s", current, errors, expected_errors, findings);
            bcm_string_free(findings);
            findings = NULL;
        }
        if (line == NULL) {
            break;
        }
        if (strcmp(file, current) != 0) {
            size_t text_len = 0;
            char relative[300];
            char *text = NULL;
            snprintf(relative, sizeof relative, "tests/fixtures/%s", file);
            text = read_file(root, relative, &text_len);
            snprintf(current, sizeof current, "%s", file);
            expected_errors = 0;
            fixtures++;
            CHECK(text != NULL, "cannot read %s", relative);
            if (text == NULL) {
                continue;
            }
            CHECK(bcm_document_validate(text, text_len, ends_with(file, ".json") ? BCM_FORMAT_JSON : BCM_FORMAT_YAML, &findings) == BCM_STATUS_OK,
                  "%s: %s", file, bcm_last_error_message());
            free(text);
        }
        if (findings == NULL) {
            continue;
        }
        if (code[0] == 'E') {
            expected_errors++;
        }
        snprintf(needle, sizeof needle, "\"code\":\"%s\",\"path\":\"%s\"", code, path);
        CHECK(strstr(findings, needle) != NULL, "%s: no %s at '%s' in %s", file, code, path, findings);
    }
    CHECK(fixtures == 21, "%d fixtures in the manifest", fixtures);
    free(manifest);
}

/* Threads are the caller's: set per model, bounded, never changing a result; cancellation
 * stops long work and is withdrawn by it; a child forked after the pools started computes. */
static void test_threads(const char *root) {
    size_t len = 0;
    char *yaml = read_file(root, "examples/agency.yaml", &len);
    const char *simulate = "{\"lose\": [\"chelsea-dc\"], \"iterations\": 400, \"seed\": 3}";
    const char *huge = "{\"lose\": [\"chelsea-dc\"], \"iterations\": 1000000000, \"seed\": 3}";
    bcm_model *model = NULL;
    char *one = NULL, *two = NULL, *unused = NULL;

    if (yaml == NULL || bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the example for the thread tests");
        goto cleanup;
    }
    CHECK(bcm_model_set_threads(model, 1) == BCM_STATUS_OK, "one thread");
    CHECK(bcm_model_threads(model) == 1, "threads %u", bcm_model_threads(model));
    CHECK(bcm_simulate(model, simulate, strlen(simulate), &one) == BCM_STATUS_OK, "simulate on 1");
    CHECK(bcm_model_set_threads(model, 2) == BCM_STATUS_OK, "two threads");
    CHECK(bcm_simulate(model, simulate, strlen(simulate), &two) == BCM_STATUS_OK, "simulate on 2");
    CHECK(one != NULL && two != NULL && strcmp(one, two) == 0, "1 and 2 threads differ");
    CHECK(bcm_model_set_threads(model, 5000) == BCM_STATUS_INVALID_ARGUMENT, "5000 threads");
    CHECK(strcmp(bcm_last_error_message(), "threads must be between 1 and 1024, not 5000") == 0, "message: %s",
          bcm_last_error_message());
    CHECK(bcm_model_threads(model) == 2, "a refused count changes nothing");
    CHECK(bcm_model_set_threads(model, 0) == BCM_STATUS_OK && bcm_model_threads(model) >= 1, "the default");
    CHECK(bcm_model_set_threads(NULL, 1) == BCM_STATUS_NULL_ARGUMENT, "NULL model");
    bcm_model_cancel(NULL);

    /* Cancelled before it starts: a billion iterations return at once, and the request is
     * withdrawn, so the next call runs. */
    bcm_model_cancel(model);
    CHECK(bcm_simulate(model, huge, strlen(huge), &unused) == BCM_STATUS_CANCELLED, "cancelled simulate");
    CHECK(unused == NULL, "nothing written when cancelled");
    CHECK(strcmp(bcm_last_error_message(), "cancelled") == 0, "message: %s", bcm_last_error_message());
    CHECK(bcm_simulate(model, simulate, strlen(simulate), &unused) == BCM_STATUS_OK, "runs after a cancel");
    bcm_string_free(unused);
    unused = NULL;

    /* fork() after the pool of 2 ran: the child has none of its threads, and must compute with
     * a pool of its own (it used to hang forever). The child reports through a pipe, not its
     * exit status: under valgrind that status counts the memory the parent's vanished threads
     * held, which no child can free. The parent waits at most 60 s. */
    CHECK(bcm_model_set_threads(model, 2) == BCM_STATUS_OK, "two threads again");
    int verdict[2];
    CHECK(pipe(verdict) == 0, "pipe");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *in_child = NULL;
        int ok = bcm_simulate(model, simulate, strlen(simulate), &in_child) == BCM_STATUS_OK && in_child != NULL &&
                 strcmp(in_child, two) == 0;
        ssize_t written = write(verdict[1], ok ? "y" : "n", 1);
        _exit(written == 1 ? 0 : 1);
    }
    CHECK(child > 0, "fork");
    close(verdict[1]);
    if (child > 0) {
        int status = 0;
        pid_t done = 0;
        for (int waited = 0; waited < 600 && done == 0; waited++) {
            done = waitpid(child, &status, WNOHANG);
            if (done == 0) {
                struct timespec tenth = {0, 100000000};
                nanosleep(&tenth, NULL);
            }
        }
        if (done == 0) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
        }
        char answer = 0;
        CHECK(done == child, "the forked child hung");
        CHECK(read(verdict[0], &answer, 1) == 1 && answer == 'y', "the forked child's simulation: '%c'", answer);
    }
    close(verdict[0]);

cleanup:
    bcm_string_free(one);
    bcm_string_free(two);
    bcm_model_free(model);
    free(yaml);
}

/* Plan currency and maturity on the example at 2026-07-01, as in crates/bcm-cli/tests/cli.rs. */
static void test_governance(const char *root) {
    size_t len = 0;
    char *yaml = read_file(root, "examples/agency.yaml", &len);
    const char *at = "{\"at\": \"2026-07-01\"}";
    bcm_model *model = NULL;
    char *currency = NULL, *maturity = NULL, *conformance = NULL, *risk = NULL, *unused = NULL;

    if (yaml == NULL || bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the example for governance");
        goto cleanup;
    }
    CHECK(bcm_currency(model, at, strlen(at), &currency) == BCM_STATUS_OK, "currency: %s", bcm_last_error_message());
    /* dba2 was trained on 2024-06-12; the training interval is 365 days. */
    CHECK(currency != NULL &&
              strstr(currency, "\"actions\":[{\"subject\":\"dba2\",\"subject_kind\":\"contact\",\"action\":\"train\","
                               "\"trigger\":\"interval\",\"change\":null,\"last\":\"2024-06-12\",\"clause\":\"10\","
                               "\"due\":\"2025-06-12\",\"plans\":[\"drp-datacenter\"]") != NULL,
          "first action in %.400s", currency ? currency : "(null)");
    CHECK(currency != NULL &&
              strstr(currency, "{\"id\":\"coop-springfield\",\"reviewed\":\"2025-06-30\",\"tested\":\"2025-06-30\","
                               "\"stale_by\":[\"chg-ctr-12\",\"chg-staff-9\",\"chg-pol-7\",\"chg-1042\",\"chg-1077\",\"chg-thr-3\"],"
                               "\"review_overdue\":true,\"test_overdue\":true,\"current\":false}") != NULL,
          "coop-springfield standing");
    /* BCD-12.2 at the same date: level 2 of 3 (level 2: 9 of 11 criteria, 81%). */
    CHECK(bcm_maturity(model, at, strlen(at), &maturity) == BCM_STATUS_OK, "maturity: %s", bcm_last_error_message());
    CHECK(maturity != NULL && strstr(maturity, "\"level\":2,\"cap\":3,\"assessments\":[\"bcd-2026\"]") != NULL,
          "maturity level in %.300s", maturity ? maturity : "(null)");
    CHECK(maturity != NULL && strstr(maturity, "{\"level\":2,\"applicable\":true,\"met\":9,\"total\":11,") != NULL,
          "level 2 share");
    CHECK(bcm_maturity(model, "{\"at\": \"2026-07-01\", \"threshold\": 1.5}", 38, &unused) == BCM_STATUS_INVALID_ARGUMENT,
          "threshold above 1");
    CHECK(strstr(bcm_last_error_message(), "threshold 1.5") != NULL, "message: %s", bcm_last_error_message());
    /* The Enterprise BCM Policy: no requirement holds for every subject; clause 6 fails on paycorp. */
    CHECK(bcm_conformance(model, at, strlen(at), &conformance) == BCM_STATUS_OK, "conformance: %s", bcm_last_error_message());
    CHECK(conformance != NULL &&
              strstr(conformance, "\"score\":{\"passed\":0,\"failed\":14,\"not_measured\":0,") != NULL,
          "conformance score in %.300s", conformance ? conformance : "(null)");
    CHECK(conformance != NULL && strstr(conformance, "\"failing\":[\"paycorp\"]") != NULL, "clause 6 fails on paycorp");
    CHECK(bcm_conformance(model, "{\"at\": \"2026-07-01\", \"profile\": \"nist\"}", 39, &unused) == BCM_STATUS_INVALID_ARGUMENT,
          "unknown profile");
    CHECK(strstr(bcm_last_error_message(), "no built-in profile 'nist'") != NULL, "message: %s", bcm_last_error_message());
    /* Risk: ransomware on the tax database leads the register (largest residual ALE). */
    CHECK(bcm_risk(model, "{\"iterations\": 2000, \"seed\": 1}", 31, &risk) == BCM_STATUS_OK, "risk: %s", bcm_last_error_message());
    CHECK(risk != NULL && strstr(risk, "\"register\":[{\"id\":\"r-ransomware-tax\",\"kind\":\"risk\",\"asset\":\"tax-db-primary\",\"threat\":\"ransomware\",\"lose\":[],\"cramm\":6,") != NULL,
          "risk register in %.300s", risk ? risk : "(null)");
    CHECK(bcm_risk(model, "{\"iterations\": 2000000000}", 26, &unused) == BCM_STATUS_INVALID_ARGUMENT, "too many years");
    /* The library never reads the clock: no date, no judgement. */
    CHECK(bcm_currency(model, NULL, 0, &unused) == BCM_STATUS_INVALID_ARGUMENT, "currency without a date");
    CHECK(strstr(bcm_last_error_message(), "judged at a date") != NULL, "message: %s", bcm_last_error_message());
    CHECK(unused == NULL, "out_json written on failure");

cleanup:
    bcm_string_free(currency);
    bcm_string_free(maturity);
    bcm_string_free(conformance);
    bcm_string_free(risk);
    bcm_model_free(model);
    free(yaml);
}

/* The report (DESIGN §4.L) of the small hand-worked model: its Markdown is the golden file the
 * Rust and Python tests read; HTML and JSON; the graph exports. */
static void test_report(const char *root) {
    size_t len = 0, golden_len = 0;
    char *yaml = read_file(root, "examples/small-report.yaml", &len);
    char *golden = read_file(root, "crates/bcm-core/tests/golden/small-report.md", &golden_len);
    const char *params = "{\"at\": \"2026-07-01\", \"iterations\": 100, \"years\": 1000}";
    const char *redacted = "{\"at\": \"2026-07-01\", \"iterations\": 10, \"years\": 100, \"redact_personal\": true}";
    const char *atlantis = "{\"lose\": [\"atlantis\"]}";
    const char *mermaid = "{\"format\": \"mermaid\", \"function\": \"support\"}";
    const char *no_function = "{\"function\": \"db\"}";
    bcm_model *model = NULL;
    char *md = NULL, *html = NULL, *json = NULL, *secret = NULL, *dot = NULL, *chart = NULL, *pairs = NULL, *unused = NULL;

    if (yaml == NULL || golden == NULL || bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the small report model or its golden file");
        goto cleanup;
    }
    CHECK(bcm_report(model, params, strlen(params), BCM_REPORT_MARKDOWN, &md) == BCM_STATUS_OK,
          "report md: %s", bcm_last_error_message());
    CHECK(md != NULL && strlen(md) == golden_len && memcmp(md, golden, golden_len) == 0,
          "the Markdown is the golden file: %.200s", md ? md : "(null)");
    CHECK(bcm_report(model, params, strlen(params), BCM_REPORT_HTML, &html) == BCM_STATUS_OK, "report html");
    CHECK(html != NULL && strncmp(html, "<!DOCTYPE html>", 15) == 0 && strstr(html, "billing by 2h") != NULL,
          "HTML page");
    CHECK(bcm_report(model, params, strlen(params), BCM_REPORT_JSON, &json) == BCM_STATUS_OK, "report json");
    CHECK(json != NULL && strstr(json, "\"chosen\": \"worst-site\"") != NULL, "JSON worst site in %.300s",
          json ? json : "(null)");
    CHECK(bcm_report(model, redacted, strlen(redacted), BCM_REPORT_HTML, &secret) == BCM_STATUS_OK, "redacted");
    CHECK(secret != NULL && strstr(secret, "Ada Lovelace") == NULL && strstr(secret, "7946") == NULL,
          "no name or phone when redacted");
    CHECK(bcm_report(model, params, strlen(params), 7, &unused) == BCM_STATUS_INVALID_ARGUMENT, "format 7");
    CHECK(strstr(bcm_last_error_message(), "format 7") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_report(model, atlantis, strlen(atlantis), BCM_REPORT_HTML, &unused) == BCM_STATUS_ANALYSIS_ERROR,
          "unknown unit");
    CHECK(strstr(bcm_last_error_message(), "atlantis") != NULL, "message: %s", bcm_last_error_message());
    CHECK(unused == NULL, "out_text written on failure");

    CHECK(bcm_graph(model, NULL, 0, &dot) == BCM_STATUS_OK, "graph: %s", bcm_last_error_message());
    CHECK(dot != NULL && strstr(dot, "  \"billing\" -> \"db\";\n") != NULL, "DOT edge");
    CHECK(bcm_graph(model, mermaid, strlen(mermaid), &chart) == BCM_STATUS_OK, "mermaid");
    CHECK(chart != NULL && strstr(chart, "  n0([\"support\"])\n  n1[\"crm\"]\n") != NULL, "Mermaid nodes in %s",
          chart ? chart : "(null)");
    CHECK(bcm_graph(model, no_function, strlen(no_function), &unused) == BCM_STATUS_ANALYSIS_ERROR, "db is no function");
    /* Order-2 cut sets: billing needs db alone, which the site hq also takes down. */
    CHECK(bcm_cut_pairs(model, "{\"function\": \"billing\"}", 23, &pairs) == BCM_STATUS_OK, "cut pairs: %s",
          bcm_last_error_message());
    CHECK(pairs != NULL && strcmp(pairs, "{\"function\":\"billing\",\"spofs\":[\"db\",\"hq\"],\"pairs\":[]}") == 0,
          "cut pairs %s", pairs ? pairs : "(null)");
    CHECK(bcm_cut_pairs(model, no_function, strlen(no_function), &unused) == BCM_STATUS_ANALYSIS_ERROR, "db is no function");

cleanup:
    bcm_string_free(md);
    bcm_string_free(html);
    bcm_string_free(json);
    bcm_string_free(secret);
    bcm_string_free(dot);
    bcm_string_free(chart);
    bcm_string_free(pairs);
    bcm_model_free(model);
    free(yaml);
    free(golden);
}

/* Interchange (DESIGN §4.M): the DORA register of the small model by hand, OSCAL exports that
 * repeat byte for byte, refusals, and the CMDB sample with its rows not imported. */
static void test_interchange(const char *root) {
    size_t len = 0, cis_len = 0, rels_len = 0, map_len = 0;
    char *yaml = read_file(root, "examples/small-report.yaml", &len);
    char *cis = read_file(root, "examples/cmdb/cmdb_ci.csv", &cis_len);
    char *rels = read_file(root, "examples/cmdb/cmdb_rel_ci.csv", &rels_len);
    char *map = read_file(root, "examples/cmdb/map.yaml", &map_len);
    const char *dora = "{\"format\": \"dora-b0601\"}";
    const char *ar = "{\"format\": \"oscal-ar\", \"at\": \"2026-03-01\"}";
    const char *undated = "{\"format\": \"oscal-poam\"}";
    const char *bad_map = "classes: {x: widget}\n";
    const char *expected_csv =
        "c0010,c0020,c0030,c0040,c0050,c0060,c0070,c0080,c0090,c0100\n"
        "F1,,billing,,eba_BT:x28,BIA criticality critical; maximum tolerable downtime 1d,2026-02-01,4,0,eba_ZZ:x793\n"
        "F2,,support,,eba_BT:x28,BIA criticality high; maximum tolerable downtime 3d,2026-02-01,24,0,eba_ZZ:x792\n";
    bcm_model *model = NULL, *imported = NULL, *unused_model = NULL;
    char *csv = NULL, *notes = NULL, *first = NULL, *second = NULL, *unmapped = NULL, *validation = NULL,
         *unused = NULL;

    if (yaml == NULL || cis == NULL || rels == NULL || map == NULL ||
        bcm_model_from_yaml(yaml, len, &model) != BCM_STATUS_OK) {
        CHECK(0, "cannot load the small model or the CMDB sample");
        goto cleanup;
    }
    CHECK(bcm_export(model, dora, strlen(dora), &csv, &notes) == BCM_STATUS_OK, "dora: %s", bcm_last_error_message());
    CHECK(csv != NULL && strcmp(csv, expected_csv) == 0, "DORA rows: %s", csv ? csv : "(null)");
    CHECK(notes != NULL && strncmp(notes, "[\"c0040 (LEI) is empty", 22) == 0, "notes: %s", notes ? notes : "(null)");
    CHECK(bcm_export(model, ar, strlen(ar), &first, NULL) == BCM_STATUS_OK, "oscal-ar: %s", bcm_last_error_message());
    CHECK(bcm_export(model, ar, strlen(ar), &second, NULL) == BCM_STATUS_OK, "oscal-ar again");
    CHECK(first != NULL && strncmp(first, "{\n  \"assessment-results\": {\n    \"uuid\": ", 40) == 0 &&
              strstr(first, "\"oscal-version\": \"1.1.3\"") != NULL,
          "OSCAL AR: %.200s", first ? first : "(null)");
    CHECK(first != NULL && second != NULL && strcmp(first, second) == 0, "byte-identical re-export");
    CHECK(bcm_export(model, undated, strlen(undated), &unused, NULL) == BCM_STATUS_INVALID_ARGUMENT, "no date");
    CHECK(strstr(bcm_last_error_message(), "judged at a date") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_export(model, NULL, 0, &unused, NULL) == BCM_STATUS_INVALID_ARGUMENT, "NULL params");
    CHECK(bcm_export(model, "{\"format\": \"xlsx\"}", 18, &unused, NULL) == BCM_STATUS_INVALID_ARGUMENT, "xlsx");
    CHECK(unused == NULL, "out_text written on failure");

    CHECK(bcm_import_cmdb(cis, cis_len, rels, rels_len, map, map_len, &imported, &unmapped) == BCM_STATUS_OK,
          "import: %s", bcm_last_error_message());
    CHECK(unmapped != NULL && count(unmapped, "\"line\":") == 3 && strstr(unmapped, "\"line\":24") != NULL,
          "unmapped rows: %s", unmapped ? unmapped : "(null)");
    CHECK(imported != NULL && bcm_model_validate(imported, &validation) == BCM_STATUS_OK &&
              strstr(validation, "\"valid\":true") != NULL,
          "the imported model validates: %.300s", validation ? validation : "(null)");
    CHECK(bcm_import_cmdb(cis, cis_len, rels, rels_len, bad_map, strlen(bad_map), &unused_model, NULL) ==
              BCM_STATUS_INVALID_ARGUMENT,
          "bad map");
    CHECK(strstr(bcm_last_error_message(), "/classes/x/kind") != NULL, "message: %s", bcm_last_error_message());
    CHECK(bcm_import_cmdb(NULL, 0, rels, rels_len, NULL, 0, &unused_model, NULL) == BCM_STATUS_NULL_ARGUMENT, "NULL cis");
    CHECK(unused_model == NULL, "out_model written on failure");

cleanup:
    bcm_string_free(csv);
    bcm_string_free(notes);
    bcm_string_free(first);
    bcm_string_free(second);
    bcm_string_free(unmapped);
    bcm_string_free(validation);
    bcm_model_free(model);
    bcm_model_free(imported);
    free(yaml);
    free(cis);
    free(rels);
    free(map);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : ".";
    test_version();
    test_agency(root);
    test_bad_arguments();
    test_analyses(root);
    test_governance(root);
    test_report(root);
    test_recovery(root);
    test_fixtures(root);
    test_threads(root);
    test_interchange(root);
    printf("C tests: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
