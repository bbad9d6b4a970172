/* SPDX-License-Identifier: GPL-3.0-or-later */
/* speech: phrases spoken by espeak-ng (no network, no service), made into
 * PCM once and kept, so a cue can start at once and the main loop never
 * waits on the synthesiser for a phrase it has heard before. */
#ifndef STATION_SPEECH_H
#define STATION_SPEECH_H

#include <stddef.h>
#include <stdint.h>

struct speech;

/* voice: an espeak-ng voice name ("en", "en-gb", "de", ...); wpm: words a
 * minute (80..450). Returns NULL with the reason in err. */
struct speech *speech_open(const char *voice, int wpm, char *err, size_t errlen);

/* The phrase as 22050 Hz mono samples, made now if it was never made.
 * Returns the sample count (0 when synthesis failed) and the samples in
 * *pcm, valid until speech_close. */
size_t speech_get(struct speech *sp, const char *text, const int16_t **pcm);

/* Writes the phrase as a WAV file. Returns 0 or -1. */
int speech_write_wav(struct speech *sp, const char *text, const char *path);

void speech_close(struct speech *sp);

#endif
