/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dirs: making a folder and the folders above it. */
#ifndef STATION_DIRS_H
#define STATION_DIRS_H

/* Makes path and every missing folder above it (0755), as `mkdir -p`;
 * folders that are there already are fine. Returns 0, or -errno. */
int dirs_make(const char *path);

#endif
