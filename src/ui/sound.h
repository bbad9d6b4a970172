/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sound: the station's audio out through SDL: a small mixer with two
 * channels, one for speech (clips played one after the other) and one for
 * short sounds made here as PCM (the pacer tick, the end-of-hold chime),
 * so a tick stays on the beat while a phrase is spoken. */
#ifndef STATION_SOUND_H
#define STATION_SOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOUND_RATE 22050  /* mono, signed 16 bit: espeak-ng's own rate */

struct sound;

/* Opens the default audio device at volume 0..100. Returns NULL with the
 * reason in err when there is none (the station then carries on silent). */
struct sound *sound_open(int volume, char *err, size_t errlen);

void sound_tick(struct sound *s);
void sound_chime(struct sound *s);

/* Queues a clip to speak after those already queued. The samples must stay
 * valid while the device is open (the speech cache keeps them). Returns
 * false when the queue is full (the phrase is dropped, not delayed). */
bool sound_speak(struct sound *s, const int16_t *pcm, size_t n);

/* Holds the mixer while several sounds are queued, so they start on the
 * same sample (a phrase and its chime); the lock nests. */
void sound_lock(struct sound *s);
void sound_unlock(struct sound *s);

/* Stops the phrase being spoken and drops the ones queued after it. */
void sound_cut(struct sound *s);

/* Samples still to play on the speech channel. */
size_t sound_pending(struct sound *s);

void sound_close(struct sound *s);

#endif
