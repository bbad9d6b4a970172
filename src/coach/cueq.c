/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cueq: a priority queue in front of one speech channel. */
#include "cueq.h"

#include <string.h>

const char *cue_prio_name(enum cue_prio p)
{
    static const char *names[PRIO_COUNT] = {"safety", "state", "correction", "instruction"};
    return p < PRIO_COUNT ? names[p] : "?";
}

void cueq_init(struct cueq *q)
{
    memset(q, 0, sizeof *q);
}

static int report(struct cueq_report *out, int *k, int max, enum cueq_what what, double t,
                  const char *why, const struct cue *c)
{
    if (*k >= max)
        return 0;
    out[*k] = (struct cueq_report){what, t, why, *c};
    (*k)++;
    return 1;
}

static void remove_at(struct cueq *q, int i)
{
    memmove(&q->q[i], &q->q[i + 1], sizeof q->q[0] * (size_t)(q->n - i - 1));
    memmove(&q->seq[i], &q->seq[i + 1], sizeof q->seq[0] * (size_t)(q->n - i - 1));
    q->n--;
}

bool cueq_busy(const struct cueq *q, double t)
{
    return q->n > 0 || (q->busy && t < q->busy_until);
}

int cueq_push(struct cueq *q, const struct cue *c, struct cueq_report *out, int max)
{
    int k = 0;
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->q[i].text, c->text) == 0) { /* said once is enough */
            report(out, &k, max, CQ_DROPPED, c->t, "same words waiting", c);
            return k;
        }
    if (q->n == CUEQ_MAX) { /* full: the least urgent, oldest one makes room */
        int worst = 0;
        for (int i = 1; i < q->n; i++)
            if (q->q[i].prio >= q->q[worst].prio)
                worst = i;
        if (q->q[worst].prio < c->prio) {
            report(out, &k, max, CQ_DROPPED, c->t, "queue full", c);
            return k;
        }
        report(out, &k, max, CQ_DROPPED, c->t, "queue full", &q->q[worst]);
        remove_at(q, worst);
    }
    q->q[q->n] = *c;
    q->seq[q->n] = q->next_seq++;
    q->n++;
    report(out, &k, max, CQ_QUEUED, c->t, NULL, c);
    return k;
}

int cueq_step(struct cueq *q, int step, double t, bool *cut, struct cueq_report *out, int max)
{
    int k = 0;
    *cut = false;
    for (int i = 0; i < q->n;) {
        const struct cue *c = &q->q[i];
        if (c->step >= 0 && c->step != step && c->prio != PRIO_SAFETY) {
            report(out, &k, max, CQ_DROPPED, t, "step over", c);
            remove_at(q, i);
        } else {
            i++;
        }
    }
    /* a phrase that ends within the lateness allowed finishes: the new
     * step's first words still start in time */
    if (q->busy && t + CUEQ_LATE_S < q->busy_until && q->playing.step >= 0 &&
        q->playing.step != step && q->playing.prio != PRIO_SAFETY) {
        report(out, &k, max, CQ_CUT, t, "step over", &q->playing);
        q->busy = false;
        *cut = true;
    }
    return k;
}

int cueq_run(struct cueq *q, double t, bool *cut, struct cueq_report *out, int max)
{
    int k = 0;
    *cut = false;
    if (q->busy && t >= q->busy_until)
        q->busy = false;
    for (int i = 0; i < q->n;) { /* what is no longer true is not said */
        const struct cue *c = &q->q[i];
        if (c->prio != PRIO_INSTRUCTION && t - c->t > CUEQ_LATE_S) {
            report(out, &k, max, CQ_DROPPED, t, "late", c);
            remove_at(q, i);
        } else {
            i++;
        }
    }
    while (q->n > 0 && k < max) {
        int best = 0;
        for (int i = 1; i < q->n; i++)
            if (q->q[i].prio < q->q[best].prio ||
                (q->q[i].prio == q->q[best].prio && q->seq[i] < q->seq[best]))
                best = i;
        const struct cue *c = &q->q[best];
        if (q->busy) {
            /* safety cuts anything but safety; a state change or a count cuts
             * an instruction (a how-to is no reason to miss "Hold." or a
             * count, which would be dropped as late) */
            bool safety = c->prio == PRIO_SAFETY && q->playing.prio != PRIO_SAFETY;
            bool state = c->prio == PRIO_STATE && q->playing.prio == PRIO_INSTRUCTION &&
                         !q->playing.whole;
            if (!safety && !state)
                break;
            report(out, &k, max, CQ_CUT, t, safety ? "safety first" : "state first", &q->playing);
            q->busy = false;
            *cut = true;
        }
        if (k >= max)
            break;
        report(out, &k, max, CQ_PLAYED, t, NULL, c);
        q->playing = *c;
        q->busy = true;
        q->busy_until = t + (c->len_s > 0 ? c->len_s : 0.3);
        remove_at(q, best);
    }
    return k;
}

double cueq_estimate_s(const char *text, int wpm)
{
    if (wpm <= 0)
        wpm = 150;
    size_t n = strlen(text);
    return 0.15 + (double)n / 15.0 * 150.0 / wpm;
}
