/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exit_codes: what the station's exit status means, shared by the commands
 * and the station's loop. 0 success, 1 a runtime failure. */
#ifndef STATION_EXIT_CODES_H
#define STATION_EXIT_CODES_H

#define EXIT_USAGE 2 /* bad command line or bad configuration */

#endif
