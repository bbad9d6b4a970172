/* clock: the station's one clock for timing, seconds of CLOCK_MONOTONIC. */
#ifndef STATION_CLOCK_H
#define STATION_CLOCK_H

double clock_now(void);

#endif
