/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motion: the analysis core. Samples in (with their timestamps), live
 * metrics and events out. Plain C11 + libm: no I/O, no globals, no clock of
 * its own, so the same samples always give the same output, bit for bit.
 *
 * Inside: orient (gyro bias, swing axis, thigh angle), osc (turning points,
 * rocking and micro-bounce sets, cycles), hold (still postures), feedback
 * (verdicts against the targets and one coaching cue). */
#ifndef STATION_MOTION_H
#define STATION_MOTION_H

#include <stdbool.h>
#include <stddef.h>

#include "../sensor/sample.h"

/* Targets and thresholds. motion_params_default() gives the article's
 * targets; the station fills them from the configuration. */
struct motion_params {
    double rate_min_hz, rate_max_hz; /* rocking rate on target */
    double rhythm_cv_max;            /* steady when the period varies less */
    double swing_min_deg, swing_max_deg; /* gentle effort band */
    double jerk_max;                 /* normalised jerk above this is jerky */
    double hold_min_s;               /* stillness shorter than this is no hold */
};

void motion_params_default(struct motion_params *p);

enum osc_kind { OSC_ROCKING, OSC_BOUNCE };

enum verdict { VERDICT_NONE, VERDICT_OK, VERDICT_LOW, VERDICT_HIGH };

/* One coaching cue at a time, chosen by priority (feedback.c). */
enum motion_cue {
    CUE_NONE,
    CUE_GENTLER,   /* too vigorous: swing too big or jerky */
    CUE_SLOWER,    /* rate above the band */
    CUE_STEADIER,  /* rhythm uneven */
    CUE_QUICKER,   /* rate below the band */
    CUE_BIGGER,    /* swing too small */
    CUE_GOOD,      /* all on target */
    CUE_COUNT
};

enum motion_event_kind {
    MOTION_EV_SET_START,   /* a rocking or bounce set was recognised */
    MOTION_EV_CYCLE,       /* one full cycle of a set completed */
    MOTION_EV_SET_END,     /* the set ended: its totals */
    MOTION_EV_HOLD_START,  /* the thigh came to rest */
    MOTION_EV_HOLD_END,    /* it moved again: the hold's totals */
    MOTION_EV_GAP,         /* samples missing: state restarted */
    MOTION_EV_COUNT
};

struct motion_event {
    enum motion_event_kind kind;
    enum osc_kind osc;    /* sets and cycles */
    double t;             /* when it happened, on the sample clock */
    double start, end;    /* sets and holds (end: at SET_END / HOLD_END) */
    int cycles;           /* sets: cycles so far; CYCLE: its number in the set */
    double period_s;      /* CYCLE */
    double rate_hz;       /* sets: mean rate; CYCLE: rate over the last cycles */
    double rhythm_cv;     /* sets */
    double swing_deg;     /* sets: mean; CYCLE: this cycle's */
    double peak_dps;      /* sets: mean of cycle peaks; CYCLE: this cycle's */
    double jerk;          /* sets: normalised jerk (1 = smooth sine) */
    double duration_s;    /* holds */
    double angle_deg;     /* holds: thigh angle held */
    double steadiness_deg;/* holds: RMS wobble of the thigh angle */
    bool counted;         /* HOLD_END: long enough to count as a hold */
};

/* What a screen shows, updated every sample. */
struct motion_live {
    double t;
    double angle_deg;      /* thigh angle about the swing axis, drift-free */
    double osc_deg;        /* the oscillating part of the angle */
    double speed_dps;      /* angular speed about the swing axis */
    bool bias_known;
    bool in_set;
    enum osc_kind osc;
    int cycles;
    double rate_hz;        /* over the last few cycles; 0 before 2 cycles */
    double rhythm_cv;
    double swing_deg;
    double jerk;
    double set_rate_hz, set_cv, set_swing_deg; /* over the whole set so far */
    double sway_deg;       /* not in a set: the swing of a regular movement at
                              a rocking tempo too small to be a set (a sway),
                              0 when there is none; motion_judge gives it the
                              "too small" cue when below swing_min_deg */
    enum verdict rate_v, rhythm_v, effort_v;
    enum motion_cue cue;
    bool holding;
    double hold_start, hold_s;
};

struct motion; /* opaque: sizeof via motion_size() */

size_t motion_size(void);

/* Initialises the state in mem (motion_size() bytes, suitably aligned). */
struct motion *motion_init(void *mem, const struct motion_params *p);

/* Feeds one sample. Writes up to max events to ev and returns how many.
 * Samples come in time order; a jump of more than a few sample periods is a
 * gap: sets and holds in progress end before it. A glitch is dropped and
 * counted (motion_dropped), and changes nothing: a reading that is NaN or
 * infinite, or a timestamp out of place (repeated, backwards, far ahead)
 * that the next sample does not confirm. A step of the clock that the next
 * sample confirms is kept: forward as a gap, backward as a new time base
 * continuing the old clock (util/timeline.h); such a sample is fed one
 * sample late, with the next one. */
int motion_feed(struct motion *m, const struct sample *s, struct motion_event *ev, int max);

/* Samples motion_feed dropped as glitches so far. */
unsigned long motion_dropped(const struct motion *m);

/* Ends whatever is in progress at the last sample (end of a trace or a
 * session) and returns its events. */
int motion_finish(struct motion *m, struct motion_event *ev, int max);

const struct motion_live *motion_live(const struct motion *m);

/* Fills the verdicts and cue of l from its figures (feedback.c); the core
 * calls it every sample, a summary calls it on a finished set. */
void motion_judge(const struct motion_params *p, struct motion_live *l);

/* The verdicts of a finished rocking set from its figures, as l (a set's
 * summary in analyze, in a session's record). */
void motion_judge_set(const struct motion_params *p, double rate_hz, double rhythm_cv,
                      double swing_deg, double jerk, struct motion_live *l);

/* Verdict and cue rules, exposed for screens and tests. */
const char *motion_cue_text(enum motion_cue c);
const char *verdict_name(enum verdict v, int which); /* which: 0 rate, 1 rhythm, 2 effort */

#endif
