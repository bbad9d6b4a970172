/* sound: two soft sounds through SDL audio, made here as PCM: a short tick
 * for the rocking pacer and a two-note chime when a hold reaches its
 * target. Off unless display.sounds is on. */
#ifndef STATION_SOUND_H
#define STATION_SOUND_H

#include <stdbool.h>
#include <stddef.h>

struct sound;

/* Opens the default audio device. Returns NULL with the reason in err when
 * there is none (the station then carries on silent). */
struct sound *sound_open(char *err, size_t errlen);

void sound_tick(struct sound *s);
void sound_chime(struct sound *s);

/* Bytes queued and not yet played (for tests and pacing). */
unsigned sound_queued(const struct sound *s);

void sound_close(struct sound *s);

#endif
