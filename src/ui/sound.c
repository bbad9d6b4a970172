/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sound: an SDL audio callback mixing speech and two made sounds. */
#include "sound.h"

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TICK_N (SOUND_RATE * 3 / 100)  /* 30 ms */
#define CHIME_N (SOUND_RATE * 7 / 10)  /* 0.7 s */
#define QUEUE 8

struct clip {
    const int16_t *pcm;
    size_t n;
};

struct sound {
    SDL_AudioDeviceID dev;
    int gain;                 /* 0..256 */
    int16_t tick[TICK_N];
    int16_t chime[CHIME_N];
    /* shared with the callback, under SDL_LockAudioDevice */
    struct clip q[QUEUE];
    int qhead, qlen;
    size_t qpos;
    const int16_t *fx;
    size_t fx_n, fx_pos;
};

static void make(struct sound *s)
{
    for (size_t i = 0; i < TICK_N; i++) {
        double t = (double)i / SOUND_RATE;
        s->tick[i] = (int16_t)(5000 * exp(-t / 0.006) * sin(2 * M_PI * 1200 * t));
    }
    for (size_t i = 0; i < CHIME_N; i++) {
        double t = (double)i / SOUND_RATE;
        double a = 0.5 * exp(-t / 0.25) * sin(2 * M_PI * 660 * t);
        if (t > 0.15) /* the second, higher note */
            a += 0.5 * exp(-(t - 0.15) / 0.25) * sin(2 * M_PI * 990 * (t - 0.15));
        s->chime[i] = (int16_t)(7000 * a * fmin(1, t / 0.005));
    }
}

static void mix(void *ctx, Uint8 *stream, int len)
{
    struct sound *s = ctx;
    int16_t *out = (int16_t *)stream;
    int n = len / 2;
    for (int i = 0; i < n; i++) {
        int v = 0;
        if (s->qlen > 0) {
            struct clip *c = &s->q[s->qhead];
            v += c->pcm[s->qpos++];
            if (s->qpos >= c->n) {
                s->qhead = (s->qhead + 1) % QUEUE;
                s->qlen--;
                s->qpos = 0;
            }
        }
        if (s->fx) {
            v += s->fx[s->fx_pos++];
            if (s->fx_pos >= s->fx_n)
                s->fx = NULL;
        }
        v = v * s->gain / 256;
        out[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

struct sound *sound_open(int volume, char *err, size_t errlen)
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
    s->gain = volume * 256 / 100;
    make(s);
    SDL_AudioSpec want = {0}, have;
    want.freq = SOUND_RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512; /* about 23 ms: a cue starts well within 100 ms */
    want.callback = mix;
    want.userdata = s;
    s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!s->dev) {
        snprintf(err, errlen, "no audio device: %s", SDL_GetError());
        free(s);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    SDL_PauseAudioDevice(s->dev, 0);
    return s;
}

static void effect(struct sound *s, const int16_t *pcm, size_t n)
{
    if (!s)
        return;
    SDL_LockAudioDevice(s->dev);
    s->fx = pcm;
    s->fx_n = n;
    s->fx_pos = 0;
    SDL_UnlockAudioDevice(s->dev);
}

void sound_tick(struct sound *s)
{
    if (s)
        effect(s, s->tick, TICK_N);
}

void sound_chime(struct sound *s)
{
    if (s)
        effect(s, s->chime, CHIME_N);
}

bool sound_speak(struct sound *s, const int16_t *pcm, size_t n)
{
    if (!s || !pcm || n == 0)
        return false;
    bool ok = false;
    SDL_LockAudioDevice(s->dev);
    if (s->qlen < QUEUE) {
        s->q[(s->qhead + s->qlen) % QUEUE] = (struct clip){pcm, n};
        s->qlen++;
        ok = true;
    }
    SDL_UnlockAudioDevice(s->dev);
    return ok;
}

void sound_lock(struct sound *s)
{
    if (s)
        SDL_LockAudioDevice(s->dev);
}

void sound_unlock(struct sound *s)
{
    if (s)
        SDL_UnlockAudioDevice(s->dev);
}

void sound_cut(struct sound *s)
{
    if (!s)
        return;
    SDL_LockAudioDevice(s->dev);
    s->qlen = 0;
    s->qpos = 0;
    SDL_UnlockAudioDevice(s->dev);
}

size_t sound_pending(struct sound *s)
{
    if (!s)
        return 0;
    SDL_LockAudioDevice(s->dev);
    size_t n = 0;
    for (int i = 0; i < s->qlen; i++)
        n += s->q[(s->qhead + i) % QUEUE].n;
    n -= s->qlen ? s->qpos : 0;
    n += s->fx ? s->fx_n - s->fx_pos : 0;
    SDL_UnlockAudioDevice(s->dev);
    return n;
}

void sound_close(struct sound *s)
{
    if (!s)
        return;
    SDL_CloseAudioDevice(s->dev);
    free(s);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}
