/* SPDX-License-Identifier: GPL-3.0-or-later */
/* speech: espeak-ng in synchronous mode, and a cache of what it made. */
#include "speech.h"

#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sound.h"

#define CACHE 512

struct entry {
    char *text;
    int16_t *pcm;
    size_t n;
};

struct speech {
    struct entry cache[CACHE];
    int n;
    int rate;
};

struct grow {
    int16_t *pcm;
    size_t n, cap;
};

/* espeak-ng hands the samples over in pieces; the user data of the first
 * event carries our buffer. */
static int collect(short *wav, int n, espeak_EVENT *ev)
{
    struct grow *g = ev ? ev->user_data : NULL;
    if (!g || !wav || n <= 0)
        return 0;
    if (g->n + (size_t)n > g->cap) {
        size_t cap = (g->cap ? g->cap * 2 : 32768) + (size_t)n;
        int16_t *p = realloc(g->pcm, cap * sizeof *p);
        if (!p)
            return 1; /* stop synthesis */
        g->pcm = p;
        g->cap = cap;
    }
    memcpy(g->pcm + g->n, wav, (size_t)n * sizeof *wav);
    g->n += (size_t)n;
    return 0;
}

/* espeak-ng keeps its state in the library and does not start twice in one
 * process: it is started once and ended at exit. */
static int started_rate;

static void stop_espeak(void)
{
    espeak_Terminate();
}

struct speech *speech_open(const char *voice, int wpm, char *err, size_t errlen)
{
    if (!started_rate) {
        started_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL,
                                         espeakINITIALIZE_DONT_EXIT);
        if (started_rate > 0)
            atexit(stop_espeak);
    }
    int rate = started_rate;
    if (rate <= 0) {
        snprintf(err, errlen, "espeak-ng could not start (is espeak-ng-data installed?)");
        return NULL;
    }
    if (rate != SOUND_RATE) {
        snprintf(err, errlen, "espeak-ng speaks at %d Hz, the station plays %d Hz", rate,
                 SOUND_RATE);
        return NULL;
    }
    if (espeak_SetVoiceByName(voice) != EE_OK) {
        snprintf(err, errlen, "espeak-ng has no voice '%s' (espeak-ng --voices lists them)",
                 voice);
        return NULL;
    }
    espeak_SetParameter(espeakRATE, wpm, 0);
    espeak_SetSynthCallback(collect);
    struct speech *sp = calloc(1, sizeof *sp);
    if (!sp)
        return NULL;
    sp->rate = rate;
    return sp;
}

size_t speech_get(struct speech *sp, const char *text, const int16_t **pcm)
{
    for (int i = 0; i < sp->n; i++)
        if (strcmp(sp->cache[i].text, text) == 0) {
            *pcm = sp->cache[i].pcm;
            return sp->cache[i].n;
        }
    struct grow g = {0};
    espeak_ERROR rc = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                   espeakCHARS_UTF8, NULL, &g);
    if (rc != EE_OK || g.n == 0) {
        free(g.pcm);
        *pcm = NULL;
        return 0;
    }
    if (sp->n == CACHE) { /* full: the oldest goes (only dynamic texts get here) */
        free(sp->cache[0].text);
        free(sp->cache[0].pcm);
        memmove(sp->cache, sp->cache + 1, sizeof sp->cache[0] * (CACHE - 1));
        sp->n--;
    }
    struct entry *e = &sp->cache[sp->n++];
    e->text = strdup(text);
    e->pcm = g.pcm;
    e->n = g.n;
    *pcm = e->pcm;
    return e->n;
}

static void le32(FILE *fp, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, fp);
}

static void le16(FILE *fp, uint16_t v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    fwrite(b, 1, 2, fp);
}

int speech_write_wav(struct speech *sp, const char *text, const char *path)
{
    const int16_t *pcm;
    size_t n = speech_get(sp, text, &pcm);
    if (n == 0)
        return -1;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    uint32_t bytes = (uint32_t)(n * 2);
    fwrite("RIFF", 1, 4, fp);
    le32(fp, 36 + bytes);
    fwrite("WAVEfmt ", 1, 8, fp);
    le32(fp, 16);
    le16(fp, 1); /* PCM */
    le16(fp, 1); /* mono */
    le32(fp, (uint32_t)sp->rate);
    le32(fp, (uint32_t)sp->rate * 2);
    le16(fp, 2);
    le16(fp, 16);
    fwrite("data", 1, 4, fp);
    le32(fp, bytes);
    for (size_t i = 0; i < n; i++)
        le16(fp, (uint16_t)pcm[i]);
    return fclose(fp) == 0 ? 0 : -1;
}

void speech_close(struct speech *sp)
{
    if (!sp)
        return;
    for (int i = 0; i < sp->n; i++) {
        free(sp->cache[i].text);
        free(sp->cache[i].pcm);
    }
    free(sp);
}
