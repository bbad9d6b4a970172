/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feedback: verdicts against the targets and the one cue to show. */
#include "motion.h"

#include <string.h>

#include <stddef.h>

/* Highest priority first: safety (too vigorous) before pace, pace before
 * rhythm, and praise only when nothing needs fixing. */
static const struct {
    enum motion_cue cue;
    int which;          /* 0 rate, 1 rhythm, 2 effort */
    enum verdict when;
    const char *text;
} cue_rules[] = {
    {CUE_GENTLER, 2, VERDICT_HIGH, "Softer - smaller, smoother swings"},
    {CUE_SLOWER, 0, VERDICT_HIGH, "Ease off the pace a little"},
    {CUE_STEADIER, 1, VERDICT_HIGH, "Find an even beat, like rocking a pram"},
    {CUE_QUICKER, 0, VERDICT_LOW, "A touch quicker"},
    {CUE_BIGGER, 2, VERDICT_LOW, "Let the knees travel a bit further"},
    {CUE_GOOD, -1, VERDICT_OK, "Lovely - keep this rhythm"},
};

static enum verdict band(double v, double lo, double hi)
{
    return v < lo ? VERDICT_LOW : v > hi ? VERDICT_HIGH : VERDICT_OK;
}

void motion_judge(const struct motion_params *p, struct motion_live *l)
{
    if (!l->in_set && l->sway_deg > 0 && l->sway_deg < p->swing_min_deg) {
        /* a sway, too small to be a set: only its size is judged */
        l->rate_v = l->rhythm_v = VERDICT_NONE;
        l->effort_v = VERDICT_LOW;
        l->cue = CUE_BIGGER;
        return;
    }
    if (!l->in_set || l->osc != OSC_ROCKING || l->rate_hz <= 0) {
        l->rate_v = l->rhythm_v = l->effort_v = VERDICT_NONE;
        l->cue = CUE_NONE;
        return;
    }
    l->rate_v = band(l->rate_hz, p->rate_min_hz, p->rate_max_hz);
    l->rhythm_v = l->rhythm_cv > 0 ? band(l->rhythm_cv, 0, p->rhythm_cv_max) : VERDICT_OK;
    l->effort_v = band(l->swing_deg, p->swing_min_deg, p->swing_max_deg);
    if (l->effort_v == VERDICT_OK && l->jerk > p->jerk_max)
        l->effort_v = VERDICT_HIGH;
    const enum verdict v[3] = {l->rate_v, l->rhythm_v, l->effort_v};
    l->cue = CUE_NONE;
    for (size_t i = 0; i < sizeof cue_rules / sizeof cue_rules[0]; i++) {
        int w = cue_rules[i].which;
        if (w < 0 || v[w] == cue_rules[i].when) {
            l->cue = cue_rules[i].cue;
            return;
        }
    }
}

const char *motion_cue_text(enum motion_cue c)
{
    for (size_t i = 0; i < sizeof cue_rules / sizeof cue_rules[0]; i++)
        if (cue_rules[i].cue == c)
            return cue_rules[i].text;
    return "";
}

const char *verdict_name(enum verdict v, int which)
{
    static const char *names[3][4] = {
        {"", "on target", "too slow", "too fast"},
        {"", "steady", "steady", "uneven"},
        {"", "gentle", "too small", "too vigorous"},
    };
    if (which < 0 || which > 2 || v > VERDICT_HIGH)
        return "";
    return names[which][v];
}

void motion_judge_set(const struct motion_params *p, double rate_hz, double rhythm_cv,
                      double swing_deg, double jerk, struct motion_live *l)
{
    memset(l, 0, sizeof *l);
    l->in_set = true;
    l->osc = OSC_ROCKING;
    l->rate_hz = rate_hz;
    l->rhythm_cv = rhythm_cv;
    l->swing_deg = swing_deg;
    l->jerk = jerk;
    motion_judge(p, l);
}
