/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_json: the one JSON string quoting every writer shares. */
#include <string.h>

#include "util/json.h"
#include "test_util.h"

static void test_plain_and_escapes(void **state)
{
    (void)state;
    char q[64];
    assert_string_equal(json_quote("Hold.", q, sizeof q), "\"Hold.\"");
    assert_string_equal(json_quote("a\"b\\c", q, sizeof q), "\"a\\\"b\\\\c\"");
    assert_string_equal(json_quote("\x1b[31m\x7f", q, sizeof q), "\"\\u001b[31m\\u007f\"");
}

/* #19: invalid UTF-8 (from a phrase file, a file name) made lines that were
 * not JSON; valid UTF-8 passes as it is */
static void test_utf8(void **state)
{
    (void)state;
    char q[64];
    assert_string_equal(json_quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", q, sizeof q),
                        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    assert_string_equal(json_quote("a\xff" "b", q, sizeof q), "\"a\\ufffdb\"");
    assert_string_equal(json_quote("\xc3", q, sizeof q), "\"\\ufffd\"");          /* cut */
    assert_string_equal(json_quote("\xc0\xaf", q, sizeof q), "\"\\ufffd\\ufffd\""); /* overlong */
    assert_string_equal(json_quote("\xed\xa0\x80", q, sizeof q),                    /* surrogate */
                        "\"\\ufffd\\ufffd\\ufffd\"");
    /* truncation never splits a character */
    char small[12];
    json_quote("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", small, sizeof small);
    assert_int_equal(utf8_len((const unsigned char *)small + 1), 3);
    assert_true(strlen(small) < sizeof small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_escapes),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
