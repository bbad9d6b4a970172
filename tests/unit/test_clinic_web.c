// SPDX-License-Identifier: GPL-3.0-or-later
/* The clinic web page's pure pieces (src/clinic/web_util.c, web_svg.c):
 * escaping, form and cookie parsing, tokens, paths, the login limit and a
 * chart's axis ticks. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinic/web_svg.h"
#include "clinic/web_util.h"

static char *html(const char *s)
{
    static char out[512];
    struct wbuf b = {0};
    wbuf_html(&b, s);
    snprintf(out, sizeof out, "%s", b.p ? b.p : "");
    wbuf_free(&b);
    return out;
}

static void test_escape(void **state)
{
    (void)state;
    assert_string_equal(html("<script>alert('x')</script>"),
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assert_string_equal(html("O'Neil & \"Bea\""), "O&#39;Neil &amp; &quot;Bea&quot;");
    /* letters of any script stay; control characters go; broken UTF-8 is U+FFFD */
    assert_string_equal(html("Zo\xc3\xab \xe5\xa4\xaa"), "Zo\xc3\xab \xe5\xa4\xaa");
    assert_string_equal(html("a\x1b[31mb\x7f\xc2\x85"), "a[31mb");
    assert_string_equal(html("bad \xff\xc3 end"), "bad \xef\xbf\xbd\xef\xbf\xbd end");
    assert_string_equal(html("line\nnext\ttab"), "line\nnext\ttab");
    assert_string_equal(html(""), "");
    struct wbuf b = {0};
    wbuf_html(&b, NULL);
    assert_int_equal(b.len, 0);
    wbuf_htmlf(&b, "%d<%s>", 3, "b");
    assert_string_equal(b.p, "3&lt;b&gt;");
    wbuf_free(&b);
    wbuf_url(&b, "home-anna/20261127-074500 <&>");
    assert_string_equal(b.p, "home-anna%2F20261127-074500%20%3C%26%3E");
    wbuf_free(&b);
}

static void test_buffer_grows(void **state)
{
    (void)state;
    struct wbuf b = {0};
    for (int i = 0; i < 10000; i++)
        wbuf_printf(&b, "%04d,", i % 10000);
    assert_false(b.oom);
    assert_int_equal(b.len, 50000);
    assert_memory_equal(b.p + 49995, "9999,", 5);
    assert_int_equal(b.p[b.len], '\0');
    wbuf_free(&b);
    assert_null(b.p);
}

static void test_form(void **state)
{
    (void)state;
    char v[32];
    const char *body = "csrf=ab12&login=maria&password=a+b%26c%3D%25&empty="
                       "&backblock_s=180%2B30%2Fweek..600";
    assert_int_equal(form_get(body, "login", v, sizeof v), 0);
    assert_string_equal(v, "maria");
    assert_int_equal(form_get(body, "password", v, sizeof v), 0);
    assert_string_equal(v, "a b&c=%");
    assert_int_equal(form_get(body, "backblock_s", v, sizeof v), 0);
    assert_string_equal(v, "180+30/week..600");
    assert_int_equal(form_get(body, "empty", v, sizeof v), 0);
    assert_string_equal(v, "");
    /* a name is matched whole, not as a prefix or a suffix */
    assert_int_equal(form_get(body, "csr", v, sizeof v), -1);
    assert_int_equal(form_get(body, "word", v, sizeof v), -1);
    assert_int_equal(form_get("", "csrf", v, sizeof v), -1);
    /* bad escapes, a NUL byte, too long */
    assert_int_equal(form_get("a=%zz", "a", v, sizeof v), -1);
    assert_int_equal(form_get("a=%4", "a", v, sizeof v), -1);
    assert_int_equal(form_get("a=x%00y", "a", v, sizeof v), -1);
    assert_int_equal(form_get("a=0123456789", "a", v, 10), -1);
    assert_int_equal(form_get("a=012345678", "a", v, 10), 0);
}

static void test_cookie(void **state)
{
    (void)state;
    char v[70];
    assert_int_equal(cookie_get("pre=11; sid=abc; x=y", "sid", v, sizeof v), 0);
    assert_string_equal(v, "abc");
    assert_int_equal(cookie_get("sid=first;sid=second", "sid", v, sizeof v), 0);
    assert_string_equal(v, "first");
    assert_int_equal(cookie_get("xsid=1; sidx=2", "sid", v, sizeof v), -1);
    assert_int_equal(cookie_get("pre=12 ", "pre", v, sizeof v), 0);
    assert_string_equal(v, "12");
    assert_int_equal(cookie_get("sid=", "sid", v, sizeof v), 0);
    assert_string_equal(v, "");
    assert_int_equal(cookie_get("", "sid", v, sizeof v), -1);
    assert_int_equal(cookie_get("sid=0123456789", "sid", v, 10), -1);
}

static void test_tokens(void **state)
{
    (void)state;
    assert_true(token_equal("abc", "abc"));
    assert_false(token_equal("abc", "abd"));
    assert_false(token_equal("abc", "abcd"));
    assert_false(token_equal("", ""));
    assert_false(token_equal(NULL, "abc"));
    char hex[9];
    hex_encode((const unsigned char *)"\x00\x9f\xa0\xff", 4, hex);
    assert_string_equal(hex, "009fa0ff");
    assert_true(token_well_formed(hex, 8));
    assert_false(token_well_formed(hex, 9));
    assert_false(token_well_formed("009FA0FF", 8));
    assert_false(token_well_formed("009fa0f", 8));
    assert_false(token_well_formed("009fa0fg", 8));
}

static void test_paths(void **state)
{
    (void)state;
    int id = 0;
    const char *rest = NULL;
    assert_int_equal(path_id("/patient/12/program", "/patient/", &id, &rest), 0);
    assert_int_equal(id, 12);
    assert_string_equal(rest, "/program");
    assert_int_equal(path_id("/patient/7", "/patient/", &id, &rest), 0);
    assert_string_equal(rest, "");
    assert_int_equal(path_id("/patient/2147483647", "/patient/", &id, &rest), 0);
    assert_int_equal(id, 2147483647);
    static const char *const bad[] = {"/patient/", "/patient/0", "/patient/012", "/patient/-1",
                                      "/patient/+1", "/patient/1x", "/patient/2147483648",
                                      "/patients/1", "/patient/99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(path_id(bad[i], "/patient/", &id, &rest), -1);
}

static void test_login_limit(void **state)
{
    (void)state;
    struct ratelimit *r = calloc(1, sizeof *r);
    assert_non_null(r);
    for (int i = 0; i < RL_FAILS - 1; i++)
        rl_fail(r, "ip 10.0.0.1", 1000 + i);
    assert_int_equal(rl_wait(r, "ip 10.0.0.1", 1010), 0);
    rl_fail(r, "ip 10.0.0.1", 1010);
    /* the window started at the first failure */
    assert_int_equal(rl_wait(r, "ip 10.0.0.1", 1010), RL_WINDOW_S - 10);
    assert_int_equal(rl_wait(r, "ip 10.0.0.2", 1010), 0);
    assert_int_equal(rl_wait(r, "ip 10.0.0.1", 1000 + RL_WINDOW_S), 0);
    /* after the window one failure does not block again */
    rl_fail(r, "ip 10.0.0.1", 1000 + RL_WINDOW_S + 1);
    assert_int_equal(rl_wait(r, "ip 10.0.0.1", 1000 + RL_WINDOW_S + 2), 0);
    rl_clear(r, "ip 10.0.0.1");
    /* a full table gives up its oldest entry, never refuses to count */
    for (int i = 0; i < RL_SLOTS + 10; i++) {
        char k[32];
        snprintf(k, sizeof k, "login u%d", i);
        for (int j = 0; j < RL_FAILS; j++)
            rl_fail(r, k, 5000 + i);
    }
    assert_true(rl_wait(r, "login u265", 5300) > 0);
    free(r);
}

/* A locked key survives a flood of other keys' single failures: they take
 * each other's slots, never the lock's. */
static void test_login_lock_kept(void **state)
{
    (void)state;
    struct ratelimit *r = calloc(1, sizeof *r);
    assert_non_null(r);
    for (int j = 0; j < RL_FAILS; j++)
        rl_fail(r, "login maria", 1000);
    for (int i = 0; i < 10 * RL_SLOTS; i++) {
        char k[32];
        snprintf(k, sizeof k, "login flood%d", i);
        rl_fail(r, k, 1001 + i / 100);
    }
    assert_true(rl_wait(r, "login maria", 1200) > 0);
    free(r);
}

static void test_axis(void **state)
{
    (void)state;
    struct axis a;
    assert_int_equal(axis_ticks(0.93, 1.31, 6, &a), 0);
    assert_near(a.step, 0.1, 1e-12);
    assert_near(a.lo, 0.9, 1e-12);
    assert_near(a.hi, 1.4, 1e-12);
    assert_int_equal(a.n, 6);
    assert_int_equal(a.decimals, 1);
    assert_int_equal(axis_ticks(0, 183, 6, &a), 0);
    assert_near(a.step, 50, 1e-12);
    assert_near(a.hi, 200, 1e-12);
    assert_int_equal(a.decimals, 0);
    assert_int_equal(axis_ticks(0, 12, 6, &a), 0);
    assert_near(a.step, 2.5, 1e-12);
    assert_int_equal(a.decimals, 1);
    /* every range: at most max ticks, covering it, evenly spaced */
    for (double lo = -3; lo < 3; lo += 0.37)
        for (double span = 0.001; span < 5000; span *= 3.1) {
            assert_int_equal(axis_ticks(lo, lo + span, 6, &a), 0);
            assert_true(a.n >= 2 && a.n <= 6);
            assert_true(a.lo <= lo + 1e-9 && a.hi >= lo + span - 1e-9);
            for (int i = 1; i < a.n; i++)
                assert_near(a.tick[i] - a.tick[i - 1], a.step, a.step * 1e-6);
        }
    /* one value gets room round it; nonsense is refused */
    assert_int_equal(axis_ticks(5, 5, 6, &a), 0);
    assert_true(a.lo < 5 && a.hi > 5);
    assert_int_equal(axis_ticks(NAN, 1, 6, &a), -1);
    assert_int_equal(axis_ticks(0, INFINITY, 6, &a), -1);
    assert_int_equal(axis_ticks(0, 1, 1, &a), -1);
}

static void test_chart(void **state)
{
    (void)state;
    double x[3] = {1763337600, 1763424000, 1763510400}, y[3] = {1.02, NAN, 1.1};
    struct chart c = {.title = "Rate <x>", .y_unit = "Hz & more", .from = 1763337600 - 86400,
                      .to = 1763337600 + 6 * 86400, .ns = 1, .y_min_floor = NAN,
                      .s = {{"rate", "c0", x, y, 3}}, .has_band = 1, .band_lo = 1.0,
                      .band_hi = 1.3, .band_label = "her band"};
    struct wbuf b = {0};
    svg_chart(&b, &c);
    assert_non_null(strstr(b.p, "aria-label=\"Rate &lt;x&gt;\""));
    assert_non_null(strstr(b.p, ">Hz &amp; more</text>"));
    assert_null(strstr(b.p, "<x>"));
    assert_non_null(strstr(b.p, "class=\"band\""));
    /* two points (the NAN is left out), with their tooltips */
    int circles = 0;
    for (const char *p = b.p; (p = strstr(p, "<circle")); p++)
        circles++;
    assert_int_equal(circles, 2);
    assert_non_null(strstr(b.p, "<title>2025-11-17: rate 1.02 Hz &amp; more</title>"));
    wbuf_free(&b);
    y[0] = y[2] = NAN;
    svg_chart(&b, &c);
    assert_non_null(strstr(b.p, "No sessions with Rate &lt;x&gt; figures"));
    assert_null(strstr(b.p, "<svg"));
    wbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),    cmocka_unit_test(test_buffer_grows),
        cmocka_unit_test(test_form),      cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_tokens),    cmocka_unit_test(test_paths),
        cmocka_unit_test(test_login_limit),
        cmocka_unit_test(test_login_lock_kept), cmocka_unit_test(test_axis),
        cmocka_unit_test(test_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
