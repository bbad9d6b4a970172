/* test_sound: the pacer tick and the chime reach the audio device, through
 * SDL's disk driver (a file stands in for the speaker). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"
#include "ui/sound.h"

static char path[64];

static void test_chime_and_tick_are_played(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/station-audio-%d.raw", (int)getpid());
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", path, 1);
    setenv("SDL_DISKAUDIODELAY", "0", 1);
    char err[300];
    struct sound *s = sound_open(err, sizeof err);
    if (!s)
        fail_msg("sound_open: %s", err);
    sound_chime(s);
    sound_tick(s);
    unsigned queued = sound_queued(s);
    assert_true(queued > 22050 * 2 / 2); /* at least half a second queued */
    for (int i = 0; i < 200 && sound_queued(s) > 0; i++)
        usleep(10000);
    sound_close(s);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    short pcm[22050];
    size_t n = fread(pcm, sizeof pcm[0], 22050, fp);
    fclose(fp);
    unlink(path);
    assert_true(n > 11025);
    /* not silence: a chime as loud as it was made, and quiet at its end */
    int peak = 0;
    for (size_t i = 0; i < n; i++)
        peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
    assert_true(peak > 2000 && peak < 12000);
}

static void test_no_device_is_not_fatal(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    char err[300];
    struct sound *s = sound_open(err, sizeof err);
    assert_null(s);
    assert_true(err[0] != '\0');
    /* the station calls these on a NULL sound when there is none */
    sound_tick(NULL);
    sound_chime(NULL);
    sound_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chime_and_tick_are_played),
        cmocka_unit_test(test_no_device_is_not_fatal),
    };
    return cmocka_run_group_tests_name("sound", tests, NULL, NULL);
}
