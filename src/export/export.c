/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export: sessions as CSV rows. */
#include "export.h"

#include <math.h>
#include <string.h>

void export_field(const char *s, char *out, size_t len)
{
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    size_t u = 0;
    if (len < 4) {
        if (len)
            out[0] = '\0';
        return;
    }
    if (quote)
        out[u++] = '"';
    if (formula)
        out[u++] = '\'';
    for (; *s && u + 3 < len; s++) {
        if (*s == '"')
            out[u++] = '"';
        out[u++] = *s;
    }
    if (quote)
        out[u++] = '"';
    out[u] = '\0';
}

/* A number, or empty when unknown. */
static const char *num(double v, const char *fmt, char *buf, size_t len)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, len, fmt, v);
    return buf;
}

static const char *inum(int v, char *buf, size_t len)
{
    if (v < 0)
        buf[0] = '\0';
    else
        snprintf(buf, len, "%d", v);
    return buf;
}

int export_csv(FILE *out, const struct hist_session *v, int n)
{
    fprintf(out, "session,date,time,station,software,person,mode,status,stage,early_stop,"
                 "exercises_done,exercises_total,step,exercise,side,kind,target_s,target_reps,"
                 "done,skipped,reps_done,done_of_target,holds_s,longest_hold_s,rocking_s,"
                 "cycles,rate_hz,rhythm_cv,swing_deg,rate,rhythm,effort,sets,"
                 "over_weekly_limit,left_out_weekly_limit,posture_refused,active_s\r\n");
    int rows = 0;
    for (int i = 0; i < n; i++) {
        const struct hist_session *s = &v[i];
        struct tm tm;
        localtime_r(&s->when, &tm);
        char date[16], clock[16];
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
        char station[160], software[120], person[160], a[32], b[32], c[32];
        export_field(s->station, station, sizeof station);
        export_field(s->software, software, sizeof software);
        export_field(s->person, person, sizeof person);
        for (int k = 0; k < s->nsteps; k++) {
            const struct hist_step *st = &s->steps[k];
            char holds[HIST_MAX_HOLDS * 12] = "", rate[40] = "", rhythm[40] = "", effort[40] = "";
            char name[80], side[40], dot[300], mode[40], status[40], kind[40];
            double longest = NAN;
            size_t u = 0;
            for (int h = 0; h < st->nholds && u < sizeof holds; h++) {
                u += (size_t)snprintf(holds + u, sizeof holds - u, "%s%.1f", h ? ";" : "",
                                      st->holds[h]);
                if (isnan(longest) || st->holds[h] > longest)
                    longest = st->holds[h];
            }
            /* the step's verdicts: those of its only set, or "mixed" */
            for (int e = 0; e < st->nsets; e++) {
                const struct hist_set *set = &st->sets[e];
                if (!set->rate[0])
                    continue;
                if (!rate[0]) {
                    snprintf(rate, sizeof rate, "%s", set->rate);
                    snprintf(rhythm, sizeof rhythm, "%s", set->rhythm);
                    snprintf(effort, sizeof effort, "%s", set->effort);
                } else {
                    if (strcmp(rate, set->rate))
                        snprintf(rate, sizeof rate, "mixed");
                    if (strcmp(rhythm, set->rhythm))
                        snprintf(rhythm, sizeof rhythm, "mixed");
                    if (strcmp(effort, set->effort))
                        snprintf(effort, sizeof effort, "mixed");
                }
            }
            export_field(st->exercise, name, sizeof name);
            export_field(st->side, side, sizeof side);
            export_field(st->done_of_target, dot, sizeof dot);
            export_field(s->mode, mode, sizeof mode);
            export_field(s->status, status, sizeof status);
            export_field(st->kind, kind, sizeof kind);
            char f[12][32];
            fprintf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                         "%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s\r\n",
                    s->folder, date, clock, station, software, person, mode, status,
                    inum(s->stage, a, sizeof a), s->early_stop ? "yes" : "no",
                    inum(s->exercises_done, b, sizeof b), inum(s->exercises_total, c, sizeof c),
                    st->step, name, side, kind, num(st->target_s, "%.1f", f[0], 32),
                    inum(st->target_reps, f[1], 32), st->done ? "yes" : "no",
                    st->skipped ? "yes" : "no", inum(st->reps_done, f[2], 32), dot, holds,
                    num(longest, "%.1f", f[3], 32), num(st->rocking_s, "%.1f", f[4], 32),
                    inum(st->cycles, f[5], 32), num(st->rate_hz, "%.3f", f[6], 32),
                    num(st->rhythm_cv, "%.3f", f[7], 32), num(st->swing_deg, "%.1f", f[8], 32),
                    rate, rhythm, effort, st->nsets, st->over_limit ? "yes" : "no",
                    st->left_out_limit ? "yes" : "no", inum(st->posture_refused, f[9], 32),
                    num(st->active_s, "%.1f", f[10], 32));
            rows++;
        }
    }
    return ferror(out) ? -1 : rows;
}
