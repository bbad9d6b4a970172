/* SPDX-License-Identifier: GPL-3.0-or-later */
/* png: writes an SDL surface as a PNG file, for the report and for a
 * screenshot alike. */
#ifndef STATION_PNG_H
#define STATION_PNG_H

#include <SDL.h>
#include <stddef.h>

/* Writes s to path: never through a symbolic link, and every write error
 * (a full disk, /dev/full) is an error with nothing half-written left
 * behind. Returns 0, or -1 with a sentence naming path in err. */
int png_save(SDL_Surface *s, const char *path, char *err, size_t errlen);

#endif
