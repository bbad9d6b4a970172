/* phrases: everything the station says, by key, in a table a clinic can
 * change or translate (assets/phrases.cfg, libconfig). {n}, {total},
 * {done} and {name} are filled in when a phrase is said. */
#ifndef STATION_PHRASES_H
#define STATION_PHRASES_H

#include <stddef.h>

enum phrase_id {
    PH_HOLD_START,
    PH_COUNT_3,
    PH_COUNT_2,
    PH_COUNT_1,
    PH_REP,          /* {n} of {total} */
    PH_LAST_REP,
    PH_OTHER_LEG,
    PH_ROUND_DONE,   /* {n} */
    PH_CUE_GENTLER,
    PH_CUE_SLOWER,
    PH_CUE_STEADIER,
    PH_CUE_QUICKER,
    PH_CUE_BIGGER,
    PH_CUE_GOOD,
    PH_CONFIRM,
    PH_PAUSED,
    PH_FINISHED,     /* every exercise done ({total}) */
    PH_STEP,         /* {name} */
    PH_FINISHED_PART,/* {done} of {total} exercises done */
    PH_FINISHED_NONE,
    PH_STEP_AGAIN,   /* {name}: a step gone back to */
    PH_HOLD_DONE,    /* a single hold reached its target */
    PH_REST,         /* rest between holds or rounds */
    PH_POSTURE,      /* still, but not in the exercise's position */
    PH_TIMEOUT,      /* no progress: the station moves on */
    PH_LIMIT_SKIP,   /* advanced stretch left out: over the weekly limit */
    PH_CURL,         /* one paced curl down */
    PH_CURL_DONE,    /* the last paced curl down */
    PH_ROCK_DONE,    /* the rocking time is in */
    PH_HOLD_COUNTED, /* a hold counted as it ended (near its target) */
    PH_COUNT
};

#define PHRASE_MAX 200

struct phrases {
    char text[PH_COUNT][PHRASE_MAX];
};

/* The built-in table (our own words, English). */
void phrases_defaults(struct phrases *p);

/* Loads path over the defaults. Returns the number of errors ("FILE:LINE:
 * phrases.KEY: ..." lines in errbuf); unknown keys are errors. */
int phrases_load(struct phrases *p, const char *path, char *errbuf, size_t errlen);

const char *phrase_key(enum phrase_id id);

/* Fills {n}, {total}, {done}, {name} into out. */
void phrase_format(const struct phrases *p, enum phrase_id id, int n, int total,
                   const char *name, char *out, size_t len);

#endif
