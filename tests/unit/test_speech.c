/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_speech: espeak-ng makes speech of a plausible length, not silence,
 * and the phrase table loads, fills in and reports its errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coach/phrases.h"
#include "test_util.h"
#include "ui/sound.h"
#include "ui/speech.h"

static struct speech *sp;

static int setup(void **state)
{
    (void)state;
    char err[300];
    sp = speech_open("en", 150, err, sizeof err);
    if (!sp)
        fprintf(stderr, "speech_open: %s\n", err);
    return sp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    speech_close(sp);
    return 0;
}

static double rms(const int16_t *pcm, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)pcm[i] * pcm[i];
    return n ? sqrt(s / (double)n) : 0;
}

static void test_a_phrase_is_speech(void **state)
{
    (void)state;
    const int16_t *pcm;
    size_t n = speech_get(sp, "Hold.", &pcm);
    /* one word at 150 words a minute: a few tenths of a second */
    assert_true(n > SOUND_RATE / 5 && n < SOUND_RATE * 2);
    assert_true(rms(pcm, n) > 300);
    size_t m = speech_get(sp, "Let the knees travel a bit further.", &pcm);
    assert_true(m > 3 * n / 2);
    assert_true(m < SOUND_RATE * 5);
    /* the second time it comes from the cache: the same samples */
    const int16_t *again;
    assert_int_equal(speech_get(sp, "Let the knees travel a bit further.", &again), m);
    assert_ptr_equal(again, pcm);
}

static void test_wav_file(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/station-say-%d.wav", (int)getpid());
    assert_int_equal(speech_write_wav(sp, "That's it. Keep going like that.", path), 0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static unsigned char buf[SOUND_RATE * 10];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    unlink(path);
    assert_memory_equal(buf, "RIFF", 4);
    assert_memory_equal(buf + 8, "WAVEfmt ", 8);
    unsigned rate = buf[24] | buf[25] << 8 | buf[26] << 16 | (unsigned)buf[27] << 24;
    assert_int_equal(rate, SOUND_RATE);
    unsigned bytes = buf[40] | buf[41] << 8 | buf[42] << 16 | (unsigned)buf[43] << 24;
    assert_int_equal(bytes + 44, n);
    double secs = bytes / 2.0 / SOUND_RATE;
    assert_true(secs > 1.0 && secs < 4.0); /* six words */
    /* speech has pauses between words: some quiet, much loud */
    size_t loud = 0, quiet = 0;
    for (size_t i = 44; i + 1 < n; i += 2) {
        int v = abs((short)(buf[i] | buf[i + 1] << 8));
        loud += v > 2000;
        quiet += v < 100;
    }
    assert_true(loud > bytes / 2 / 20);
    assert_true(quiet > bytes / 2 / 20);
}

static void test_unknown_voice_is_a_clear_error(void **state)
{
    (void)state;
    /* espeak-ng is one per process: the test's voice stays, this is refused */
    speech_close(sp);
    char err[300];
    assert_null(speech_open("no-such-voice", 150, err, sizeof err));
    assert_non_null(strstr(err, "no voice 'no-such-voice'"));
    sp = speech_open("en", 150, err, sizeof err);
    assert_non_null(sp);
}

static void test_phrase_table(void **state)
{
    (void)state;
    struct phrases p;
    char errs[1024], out[200];
    assert_int_equal(phrases_load(&p, "assets/phrases.cfg", errs, sizeof errs), 0);
    phrase_format(&p, PH_REP, 2, 3, NULL, out, sizeof out);
    assert_string_equal(out, "2 of 3.");
    phrase_format(&p, PH_STEP, 0, 0, "Child pose", out, sizeof out);
    assert_string_equal(out, "Child pose.");
    phrase_format(&p, PH_FINISHED_PART, 3, 4, NULL, out, sizeof out);
    assert_non_null(strstr(out, "3 of the 4"));

    char path[64];
    snprintf(path, sizeof path, "/tmp/station-phrases-%d.cfg", (int)getpid());
    FILE *fp = fopen(path, "w");
    fputs("phrases = {\n  hold_start = \"Halten.\";\n  hodl = \"x\";\n  count_3 = 3;\n};\n", fp);
    fclose(fp);
    assert_int_equal(phrases_load(&p, path, errs, sizeof errs), 2);
    assert_non_null(strstr(errs, ":3: phrases.hodl: unknown phrase"));
    assert_non_null(strstr(errs, ":4: phrases.count_3: expected a quoted phrase"));
    assert_string_equal(p.text[PH_HOLD_START], "Halten.");
    assert_string_equal(p.text[PH_COUNT_2], "Two"); /* left out: built in */
    unlink(path);
}

/* The second language ships complete: every phrase of the German file is
 * given there (none falls back to English), differs from the English where
 * it is a sentence, and the German voice speaks every spoken one. */
static void test_german_is_complete_and_spoken(void **state)
{
    (void)state;
    static struct phrases de, en;
    char errs[2000];
    assert_int_equal(phrases_load(&de, "assets/phrases-de.cfg", errs, sizeof errs), 0);
    assert_int_equal(phrases_load(&en, "assets/phrases.cfg", errs, sizeof errs), 0);
    int same = 0;
    for (int id = 0; id < PH_COUNT; id++) {
        if (!de.given[id])
            fail_msg("phrases-de.cfg lacks %s", phrase_key((enum phrase_id)id));
        assert_true(en.given[id]); /* and the English file names every word too */
        same += strcmp(de.text[id], en.text[id]) == 0;
    }
    /* only "{name}.", "{n} s", LIVE, DEMO and BackBlock may read the same */
    assert_true(same <= 5);
    char err[300];
    struct speech *g = speech_open("de", 150, err, sizeof err);
    assert_non_null(g);
    for (int id = 0; id < PH_SCREEN_FIRST; id++) {
        char text[400];
        phrase_format(&de, (enum phrase_id)id, 2, 3, de.text[PH_EX_NAME], text, sizeof text);
        const int16_t *pcm;
        size_t n = speech_get(g, text, &pcm);
        if (n < SOUND_RATE / 5 || rms(pcm, n) < 300)
            fail_msg("the German voice says little of \"%s\"", text);
    }
    speech_close(g);
    /* the voice is the library's: back to English for the other tests */
    speech_close(sp);
    sp = speech_open("en", 150, err, sizeof err);
    assert_non_null(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_phrase_is_speech),
        cmocka_unit_test(test_wav_file),
        cmocka_unit_test(test_unknown_voice_is_a_clear_error),
        cmocka_unit_test(test_phrase_table),
        cmocka_unit_test(test_german_is_complete_and_spoken),
    };
    return cmocka_run_group_tests_name("speech", tests, setup, teardown);
}
