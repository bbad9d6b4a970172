/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sound: the mixer's sounds and speech reach the audio device,
 * through SDL's disk driver (a file stands in for the speaker). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"
#include "ui/sound.h"

static char path[64];

static struct sound *open_disk(int volume)
{
    snprintf(path, sizeof path, "/tmp/station-audio-%d.raw", (int)getpid());
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", path, 1);
    setenv("SDL_DISKAUDIODELAY", "0", 1);
    char err[300];
    struct sound *s = sound_open(volume, err, sizeof err);
    if (!s)
        fail_msg("sound_open: %s", err);
    return s;
}

static size_t played(short *pcm, size_t max)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(pcm, sizeof pcm[0], max, fp);
    fclose(fp);
    unlink(path);
    return n;
}

static void wait_drained(struct sound *s)
{
    for (int i = 0; i < 300 && sound_pending(s) > 0; i++)
        usleep(10000);
    usleep(50000);
}

static void test_chime_and_tick_are_played(void **state)
{
    (void)state;
    struct sound *s = open_disk(100);
    sound_chime(s);
    assert_true(sound_pending(s) > SOUND_RATE / 2);
    wait_drained(s);
    sound_close(s);
    static short pcm[SOUND_RATE * 4];
    size_t n = played(pcm, sizeof pcm / sizeof pcm[0]);
    assert_true(n > SOUND_RATE / 2);
    int peak = 0;
    for (size_t i = 0; i < n; i++)
        peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
    assert_true(peak > 2000 && peak < 12000);
}

static void test_speech_and_tick_mix(void **state)
{
    (void)state;
    struct sound *s = open_disk(50);
    /* a "phrase": one second of a steady tone */
    static int16_t clip[SOUND_RATE];
    for (int i = 0; i < SOUND_RATE; i++)
        clip[i] = (int16_t)(i % 50 < 25 ? 8000 : -8000);
    /* both queued before the mixer runs again: a slow machine (valgrind) could
     * otherwise play the first milliseconds before the tick is there */
    sound_lock(s);
    assert_true(sound_speak(s, clip, SOUND_RATE));
    sound_tick(s); /* a tick while it speaks: mixed in, not queued behind */
    sound_unlock(s);
    wait_drained(s);
    sound_close(s);
    /* the whole file: the disk driver writes silence from the open on, as
     * fast as it can, so the sounds begin where the samples do */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long bytes = ftell(fp);
    rewind(fp);
    assert_true(bytes > 0);
    short *pcm = malloc((size_t)bytes);
    assert_non_null(pcm);
    size_t n = fread(pcm, sizeof pcm[0], (size_t)bytes / sizeof pcm[0], fp);
    fclose(fp);
    unlink(path);
    size_t on = 0;
    while (on < n && abs(pcm[on]) < 100)
        on++;
    assert_true(n - on >= SOUND_RATE);
    /* volume 50 %: the tone at half its height; the tick adds in the first 30 ms */
    int peak_late = 0, peak_early = 0;
    for (size_t i = on; i < n && i < on + SOUND_RATE; i++) {
        int v = abs(pcm[i]);
        if (i < on + SOUND_RATE / 100)
            peak_early = v > peak_early ? v : peak_early;
        else if (i > on + SOUND_RATE / 10)
            peak_late = v > peak_late ? v : peak_late;
    }
    free(pcm);
    assert_true(peak_late > 3900 && peak_late < 4100);
    assert_true(peak_early > peak_late + 500);
}

static void test_no_device_is_not_fatal(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    char err[300];
    struct sound *s = sound_open(70, err, sizeof err);
    assert_null(s);
    assert_true(err[0] != '\0');
    /* the station calls these on a NULL sound when there is none */
    sound_tick(NULL);
    sound_chime(NULL);
    assert_false(sound_speak(NULL, NULL, 0));
    sound_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chime_and_tick_are_played),
        cmocka_unit_test(test_speech_and_tick_mix),
        cmocka_unit_test(test_no_device_is_not_fatal),
    };
    return cmocka_run_group_tests_name("sound", tests, NULL, NULL);
}
