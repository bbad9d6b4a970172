/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_export: sessions as CSV rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "test_util.h"

static void test_fields(void **state)
{
    (void)state;
    char out[64];
    export_field("Anna", out, sizeof out);
    assert_string_equal(out, "Anna");
    export_field("a,b", out, sizeof out);
    assert_string_equal(out, "\"a,b\"");
    export_field("say \"hi\"", out, sizeof out);
    assert_string_equal(out, "\"say \"\"hi\"\"\"");
    export_field("=1+1", out, sizeof out);
    assert_string_equal(out, "\"'=1+1\"");
    export_field("-5", out, sizeof out);
    assert_string_equal(out, "\"'-5\"");
    export_field("", out, sizeof out);
    assert_string_equal(out, "");
    char small[8];
    export_field("\"\"\"\"\"\"\"\"\"\"", small, sizeof small); /* never past the end */
    assert_true(strlen(small) < sizeof small);
}

static void test_rows(void **state)
{
    (void)state;
    struct hist_session *s = calloc(1, sizeof *s);
    assert_non_null(s);
    snprintf(s->folder, sizeof s->folder, "20261102-090000");
    s->when = 1793610000;
    snprintf(s->mode, sizeof s->mode, "live");
    snprintf(s->status, sizeof s->status, "partial");
    snprintf(s->person, sizeof s->person, "Anna");
    s->stage = 1;
    s->exercises_done = 1;
    s->exercises_total = -1; /* unknown: an empty field */
    s->nsteps = 2;
    struct hist_step *a = &s->steps[0], *b = &s->steps[1];
    a->step = 1;
    snprintf(a->exercise, sizeof a->exercise, "table_stretch");
    snprintf(a->kind, sizeof a->kind, "hold");
    a->target_s = 5;
    a->target_reps = 3;
    a->reps_done = 2;
    a->nholds = 2;
    a->holds[0] = 6.25;
    a->holds[1] = 7;
    a->rocking_s = a->rate_hz = a->rhythm_cv = a->swing_deg = a->active_s = NAN;
    a->cycles = -1;
    b->step = 2;
    snprintf(b->exercise, sizeof b->exercise, "knees_rocking");
    b->nsets = 2;
    snprintf(b->sets[0].rate, 16, "on target");
    snprintf(b->sets[1].rate, 16, "too fast");
    snprintf(b->sets[0].rhythm, 16, "steady");
    snprintf(b->sets[1].rhythm, 16, "steady");
    b->rate_hz = 1.2;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(export_csv(fp, s, 1), 2);
    fclose(fp);
    char *l1 = strstr(buf, "\r\n") + 2, *l2 = strstr(l1, "\r\n") + 2;
    assert_true(strncmp(l1, "20261102-090000,2026-11-02,", 27) == 0);
    assert_non_null(strstr(l1, ",Anna,live,partial,1,no,1,,1,table_stretch,,hold,5.0,3,no,no,2,,"
                               "6.2;7.0,7.0,,,,,,,,,0,no,no,"));
    assert_non_null(strstr(l2, ",1.200,0.000,0.0,mixed,steady,,2,"));
    free(buf);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
