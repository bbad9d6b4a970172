/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sample: the sensor's readings are struct sample, which lives in
 * util/sample.h (a type with no dependencies, shared with the trace format). */
#include "../util/sample.h"
