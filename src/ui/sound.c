/* sound: PCM made once at start, queued on demand. */
#include "sound.h"

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 22050
#define TICK_N (RATE * 3 / 100)   /* 30 ms */
#define CHIME_N (RATE * 7 / 10)   /* 0.7 s */
/* Never let sounds pile up behind a slow device: a late tick is no pacer. */
#define MAX_QUEUED (RATE / 4 * 2)

struct sound {
    SDL_AudioDeviceID dev;
    Sint16 tick[TICK_N];
    Sint16 chime[CHIME_N];
};

static void make(struct sound *s)
{
    size_t nt = sizeof s->tick / sizeof s->tick[0];
    for (size_t i = 0; i < nt; i++) {
        double t = (double)i / RATE;
        s->tick[i] = (Sint16)(5000 * exp(-t / 0.006) * sin(2 * M_PI * 1200 * t));
    }
    size_t nc = sizeof s->chime / sizeof s->chime[0];
    for (size_t i = 0; i < nc; i++) {
        double t = (double)i / RATE;
        double a = 0.5 * exp(-t / 0.25) * sin(2 * M_PI * 660 * t);
        if (t > 0.15) /* the second, higher note */
            a += 0.5 * exp(-(t - 0.15) / 0.25) * sin(2 * M_PI * 990 * (t - 0.15));
        s->chime[i] = (Sint16)(7000 * a * fmin(1, t / 0.005));
    }
}

struct sound *sound_open(char *err, size_t errlen)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        snprintf(err, errlen, "no audio: %s", SDL_GetError());
        SDL_Quit();
        return NULL;
    }
    struct sound *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    SDL_AudioSpec want = {0}, have;
    want.freq = RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512;
    s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!s->dev) {
        snprintf(err, errlen, "no audio device: %s", SDL_GetError());
        free(s);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    make(s);
    SDL_PauseAudioDevice(s->dev, 0);
    return s;
}

static void play(struct sound *s, const Sint16 *pcm, size_t bytes)
{
    if (s && SDL_GetQueuedAudioSize(s->dev) < MAX_QUEUED)
        SDL_QueueAudio(s->dev, pcm, (Uint32)bytes);
}

void sound_tick(struct sound *s)
{
    if (s)
        play(s, s->tick, sizeof s->tick);
}

void sound_chime(struct sound *s)
{
    if (s)
        play(s, s->chime, sizeof s->chime);
}

unsigned sound_queued(const struct sound *s)
{
    return s ? SDL_GetQueuedAudioSize(s->dev) : 0;
}

void sound_close(struct sound *s)
{
    if (!s)
        return;
    SDL_CloseAudioDevice(s->dev);
    free(s);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}
