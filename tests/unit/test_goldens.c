/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_goldens: every trace in tests/traces/ must analyse to exactly its
 * .expected line, as gpsd checks its drivers against recorded logs. A
 * missing .expected file is a failure; `make goldens` rewrites them after
 * a deliberate change. A difference is shown field by field. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze_file.h"
#include "test_util.h"

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    fclose(fp);
    return buf;
}

/* Prints the first fields that differ, split at the commas. */
static void show_diff(const char *want, const char *got)
{
    int shown = 0;
    while (*want && *got && shown < 8) {
        size_t a = strcspn(want, ","), b = strcspn(got, ",");
        if (a != b || strncmp(want, got, a) != 0) {
            fprintf(stderr, "    expected: %.*s\n    got:      %.*s\n", (int)a, want, (int)b, got);
            shown++;
        }
        want += a + (want[a] == ',');
        got += b + (got[b] == ',');
    }
}

static void test_every_trace_matches_its_golden(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("tests/traces/*.csv", 0, NULL, &g), 0);
    struct motion_params p;
    motion_params_default(&p);
    int checked = 0, bad = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *trace = g.gl_pathv[i];
        size_t n = strlen(trace);
        if (n > 10 && strcmp(trace + n - 10, ".truth.csv") == 0)
            continue;
        char expected[512];
        snprintf(expected, sizeof expected, "%.*s.expected", (int)(n - 4), trace);
        char *want = slurp(expected);
        struct motion_summary s;
        struct analyze_info in;
        char err[512];
        assert_int_equal(analyze_file(trace, &p, &s, &in, err, sizeof err), 0);
        char *got = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&got, &len);
        analyze_write_json(mem, trace, &p, &s, &in);
        fclose(mem);
        summary_free(&s);
        if (!want) {
            fprintf(stderr, "  %s: no golden file %s (make goldens writes it)\n", trace, expected);
            bad++;
        } else if (strcmp(want, got) != 0) {
            fprintf(stderr, "  %s differs from %s:\n", trace, expected);
            show_diff(want, got);
            bad++;
        }
        checked++;
        free(want);
        free(got);
    }
    globfree(&g);
    fprintf(stderr, "  goldens: %d errors in %d tests\n", bad, checked);
    assert_true(checked >= 5);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_trace_matches_its_golden),
    };
    return cmocka_run_group_tests_name("goldens", tests, NULL, NULL);
}
