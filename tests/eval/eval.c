/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eval: accuracy of the live analysis against ground truth.
 *
 * For each trace given, reads NAME.truth.csv beside it, runs the same
 * analysis as `station analyze` (analyze_file), matches what it found to
 * the truth segments, and runs three off-line reference methods over each
 * true rocking segment (given its true start and end, which the station is
 * not): the spectral peak of the gyro about its principal axis, the first
 * autocorrelation peak of the angle about that axis, and a count of the
 * angle's peaks. Prints one table row per scenario (the trace name up to
 * its first '_'), one table per family: the thigh model (sim.c), the leg
 * model (scenarios leg-*, leg.c), real recordings (tests/traces/real) and
 * the same replayed at the rocking tempo (a trace under a real-tempo/
 * folder, made by tempo.py), each with its goals.
 *
 * usage: eval [-v] TRACE.csv...   (exit 1 when a goal is missed) */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze_file.h"
#include "sim/sim.h"
#include "trace/trace.h"

#define MAXSEG 512
#define MAXROW 64
#define HOLD_TOL 0.5
#define RHYTHM_GOAL 0.95

struct seg {
    double start, end, rate;
    enum sim_kind kind;
    int count;
};

enum { REF_SPECTRAL, REF_AUTOCORR, REF_PEAKS, NREF };


enum family { FAM_THIGH, FAM_LEG, FAM_REAL, FAM_TEMPO, NFAM };

struct row {
    char name[64];
    enum family fam;
    int traces, refused;
    int false_sets;        /* rocking or bounce sets where the truth has none */
    double still_s;        /* seconds of truth without rocking (false-cycle rate) */
    double rref_err[NREF][MAXSEG * 2];
    int nrref[NREF], ref_cyc_ok[NREF];
    /* rocking */
    int sets, sets_found, cycles_ok;
    /* the rhythm verdict of found sets: leg-uneven (period +-15-25 %) is
     * uneven, every other leg scenario steady (2-6 %); in the thigh model
     * the sets of scenarios not named uneven are steady (period jitter up
     * to 5 %), its uneven ones (jitter 1-10 %, swing +-25 %) may be either
     * and are not scored */
    int steady, steady_ok, uneven, uneven_ok;
    double rate_err[MAXSEG * 4];
    double ref_err[MAXSEG * 4];
    int nrate, nref;
    int false_cycles;
    /* holds */
    int holds, holds_found, holds_ok, false_holds;
    double start_err_sum, end_err_sum;
    /* bounce */
    int bounces, bounces_found;
    double bounce_err_sum;
};

static int read_truth(const char *trace, struct seg *segs, int max)
{
    char path[1024];
    size_t n = strlen(trace);
    if (n > 4 && strcmp(trace + n - 4, ".csv") == 0)
        n -= 4;
    snprintf(path, sizeof path, "%.*s.truth.csv", (int)n, trace);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "eval: %s: no truth file\n", path);
        return -1;
    }
    char line[256], kind[32];
    int k = 0, ln = 0;
    while (fgets(line, sizeof line, fp) && k < max) {
        ln++;
        if (ln == 1)
            continue; /* header */
        struct seg *s = &segs[k];
        if (sscanf(line, "%lf,%lf,%31[^,],%lf,%d", &s->start, &s->end, kind, &s->rate,
                   &s->count) != 5 || sim_kind_parse(kind, &s->kind) < 0) {
            fprintf(stderr, "eval: %s:%d: bad truth row\n", path, ln);
            fclose(fp);
            return -1;
        }
        k++;
    }
    fclose(fp);
    return k;
}

static double overlap(double a0, double a1, double b0, double b1)
{
    double o = fmin(a1, b1) - fmax(a0, b0);
    return o > 0 ? o : 0;
}

/* ---- the reference: spectral peak of the gyro about its principal axis ---- */

struct samples {
    struct sample *v;
    size_t n;
};

static int load(const char *path, struct samples *ss)
{
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof err);
    if (!r)
        return -1;
    size_t cap = 1 << 14;
    ss->v = malloc(cap * sizeof *ss->v);
    ss->n = 0;
    struct sample s;
    while (trace_reader_next(r, &s, err, sizeof err) == 1) {
        if (ss->n == cap) {
            cap *= 2;
            ss->v = realloc(ss->v, cap * sizeof *ss->v);
        }
        ss->v[ss->n++] = s;
    }
    trace_reader_close(r);
    return 0;
}

static double power_at(const double *t, const double *w, size_t n, double f)
{
    double re = 0, im = 0;
    for (size_t i = 0; i < n; i++) {
        double ph = 2 * M_PI * f * t[i];
        re += w[i] * cos(ph);
        im += w[i] * sin(ph);
    }
    return re * re + im * im;
}

static double reference_rate(const struct samples *ss, double t0, double start, double end,
                             double lo, double hi)
{
    size_t n = 0;
    double mean[3] = {0, 0, 0};
    for (size_t i = 0; i < ss->n; i++) {
        double t = ss->v[i].t - t0;
        if (t >= start && t <= end) {
            for (int c = 0; c < 3; c++)
                mean[c] += ss->v[i].g[c];
            n++;
        }
    }
    if (n < 16)
        return 0;
    double *tt = malloc(n * sizeof *tt), *w = malloc(n * sizeof *w);
    double cov[3][3] = {{0}};
    for (int c = 0; c < 3; c++)
        mean[c] /= (double)n;
    size_t k = 0;
    for (size_t i = 0; i < ss->n; i++) {
        double t = ss->v[i].t - t0;
        if (t < start || t > end)
            continue;
        double g[3];
        for (int c = 0; c < 3; c++)
            g[c] = ss->v[i].g[c] - mean[c];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                cov[a][b] += g[a] * g[b];
        tt[k++] = t;
    }
    double ax[3] = {1, 1, 1};
    for (int it = 0; it < 50; it++) {
        double v[3];
        for (int a = 0; a < 3; a++)
            v[a] = cov[a][0] * ax[0] + cov[a][1] * ax[1] + cov[a][2] * ax[2];
        double nn = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int a = 0; a < 3; a++)
            ax[a] = v[a] / nn;
    }
    k = 0;
    for (size_t i = 0; i < ss->n; i++) {
        double t = ss->v[i].t - t0;
        if (t < start || t > end)
            continue;
        w[k++] = (ss->v[i].g[0] - mean[0]) * ax[0] + (ss->v[i].g[1] - mean[1]) * ax[1] +
                 (ss->v[i].g[2] - mean[2]) * ax[2];
    }
    /* coarse scan, then golden-section refinement around the best bin */
    double best = lo, bp = -1, step = 0.01;
    for (double f = lo; f <= hi; f += step) {
        double p = power_at(tt, w, n, f);
        if (p > bp) {
            bp = p;
            best = f;
        }
    }
    double a = best - step, b = best + step;
    const double gr = 0.6180339887;
    for (int it = 0; it < 30; it++) {
        double c = b - gr * (b - a), d = a + gr * (b - a);
        if (power_at(tt, w, n, c) > power_at(tt, w, n, d))
            b = d;
        else
            a = c;
    }
    free(tt);
    free(w);
    return (a + b) / 2;
}

/* The angle about the gyro's principal axis over [start, end], integrated
 * and averaged into 20 ms bins (detrended): what the autocorrelation and
 * peak-count references work on. Returns the number of bins. */
#define BIN_S 0.02
static int binned_angle(const struct samples *ss, double t0, double start, double end,
                        double **out)
{
    size_t n = 0, i0 = 0;
    double mean[3] = {0, 0, 0};
    for (size_t i = 0; i < ss->n; i++) {
        double t = ss->v[i].t - t0;
        if (t >= start && t <= end) {
            if (!n)
                i0 = i;
            for (int c = 0; c < 3; c++)
                mean[c] += ss->v[i].g[c];
            n++;
        }
    }
    if (n < 16)
        return 0;
    double cov[3][3] = {{0}};
    for (int c = 0; c < 3; c++)
        mean[c] /= (double)n;
    for (size_t i = i0; i < i0 + n; i++)
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                cov[a][b] += (ss->v[i].g[a] - mean[a]) * (ss->v[i].g[b] - mean[b]);
    double ax[3] = {1, 1, 1};
    for (int it = 0; it < 50; it++) {
        double v[3];
        for (int a = 0; a < 3; a++)
            v[a] = cov[a][0] * ax[0] + cov[a][1] * ax[1] + cov[a][2] * ax[2];
        double nn = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int a = 0; a < 3; a++)
            ax[a] = nn > 0 ? v[a] / nn : 0;
    }
    int nb = (int)((end - start) / BIN_S) + 1;
    double *ang = calloc((size_t)nb, sizeof *ang);
    int *cnt = calloc((size_t)nb, sizeof *cnt);
    double th = 0, tp = ss->v[i0].t;
    for (size_t i = i0; i < i0 + n; i++) {
        double w = (ss->v[i].g[0] - mean[0]) * ax[0] + (ss->v[i].g[1] - mean[1]) * ax[1] +
                   (ss->v[i].g[2] - mean[2]) * ax[2];
        th += w * (ss->v[i].t - tp);
        tp = ss->v[i].t;
        int b = (int)((ss->v[i].t - t0 - start) / BIN_S);
        if (b >= 0 && b < nb) {
            ang[b] += th;
            cnt[b]++;
        }
    }
    for (int b = 0; b < nb; b++) /* fill empty bins from the previous */
        ang[b] = cnt[b] ? ang[b] / cnt[b] : (b ? ang[b - 1] : 0);
    /* remove the line through the ends' means: gyro bias makes a ramp */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int b = 0; b < nb; b++) {
        sx += b;
        sy += ang[b];
        sxx += (double)b * b;
        sxy += b * ang[b];
    }
    double slope = (nb * sxy - sx * sy) / (nb * sxx - sx * sx), icpt = (sy - slope * sx) / nb;
    for (int b = 0; b < nb; b++)
        ang[b] -= icpt + slope * b;
    free(cnt);
    *out = ang;
    return nb;
}

/* The autocorrelation of the angle: the highest peak between the lags of
 * hi and lo Hz, refined by a parabola. */
static double autocorr_rate(const double *a, int n, double lo, double hi)
{
    int l0 = (int)(1 / hi / BIN_S), l1 = (int)(1 / lo / BIN_S) + 1;
    if (l1 > n / 2)
        l1 = n / 2;
    if (l0 < 2 || l1 <= l0 + 2)
        return 0;
    double *r = calloc((size_t)l1 + 2, sizeof *r);
    for (int l = l0 - 1; l <= l1 + 1; l++) {
        double s = 0;
        for (int i = 0; i + l < n; i++)
            s += a[i] * a[i + l];
        r[l] = s / (n - l);
    }
    int best = -1;
    for (int l = l0; l <= l1; l++)
        if (r[l] > r[l - 1] && r[l] >= r[l + 1] && (best < 0 || r[l] > r[best]))
            best = l;
    double lag = 0;
    if (best > 0) {
        double den = r[best - 1] - 2 * r[best] + r[best + 1];
        double off = fabs(den) > 1e-12 ? 0.5 * (r[best - 1] - r[best + 1]) / den : 0;
        lag = (best + off) * BIN_S;
    }
    free(r);
    return lag > 0 ? 1 / lag : 0;
}

/* Peaks of the angle with a hysteresis of a quarter of its spread: the
 * count is the cycles, the rate from the first peak to the last. */
static double peak_count(const double *a, int n, int *count)
{
    double lo = a[0], hi = a[0];
    for (int i = 1; i < n; i++) {
        lo = fmin(lo, a[i]);
        hi = fmax(hi, a[i]);
    }
    double h = 0.25 * (hi - lo);
    int dir = 1, peaks = 0;
    double cand = a[0], first = -1, last = -1;
    int ci = 0;
    for (int i = 1; i < n; i++) {
        if ((dir > 0 && a[i] > cand) || (dir < 0 && a[i] < cand)) {
            cand = a[i];
            ci = i;
        } else if (dir * (cand - a[i]) > h) {
            if (dir > 0) {
                peaks++;
                if (first < 0)
                    first = ci * BIN_S;
                last = ci * BIN_S;
            }
            dir = -dir;
            cand = a[i];
            ci = i;
        }
    }
    *count = peaks;
    return peaks > 1 && last > first ? (peaks - 1) / (last - first) : 0;
}

/* ---- scoring ---- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    int i = (int)ceil(p * n) - 1;
    return v[i < 0 ? 0 : i];
}

static double mean(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return n ? s / n : 0;
}

static struct row *row_for(struct row *rows, int *nrows, const char *trace)
{
    const char *base = strrchr(trace, '/');
    base = base ? base + 1 : trace;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "_."), base);
    enum family fam = strstr(trace, "/real/")         ? FAM_REAL
                      : strstr(trace, "/real-tempo/") ? FAM_TEMPO
                      : strncmp(name, "leg-", 4) == 0 ? FAM_LEG
                                                      : FAM_THIGH;
    for (int i = 0; i < *nrows; i++)
        if (rows[i].fam == fam && strcmp(rows[i].name, name) == 0)
            return &rows[i];
    struct row *r = &rows[(*nrows)++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->fam = fam;
    return r;
}

/* The rhythm verdict of a found set against what its scenario is. */
static void score_rhythm(struct row *r, const struct motion_params *p,
                         const struct motion_event *e, int verbose, const char *trace,
                         double t0)
{
    struct motion_live l;
    analyze_verdicts(p, e, &l);
    bool said_uneven = strcmp(verdict_name(l.rhythm_v, 1), "uneven") == 0;
    bool is_uneven = strstr(r->name, "uneven") != NULL;
    if (is_uneven) {
        r->uneven++;
        r->uneven_ok += said_uneven;
    } else {
        r->steady++;
        r->steady_ok += !said_uneven;
    }
    if (verbose && said_uneven != is_uneven)
        printf("  %s: rocking %.1f-%.1f called %s (rhythm_cv %.3f)\n", trace, e->start - t0,
               e->end - t0, verdict_name(l.rhythm_v, 1), e->rhythm_cv);
}

static void score(struct row *r, const struct seg *truth, int nt,
                  const struct motion_summary *s, const struct analyze_info *in,
                  const struct samples *ss, int verbose, const char *trace,
                  const struct motion_params *p)
{
    double t0 = in->t0;
    r->traces++;
    for (int i = 0; i < nt; i++) {
        const struct seg *g = &truth[i];
        if (g->kind == SIM_ROCKING) {
            r->sets++;
            const struct motion_event *best = NULL;
            double bo = 0;
            for (size_t k = 0; k < s->rocking.n; k++) {
                const struct motion_event *e = &s->rocking.v[k];
                double o = overlap(e->start - t0, e->end - t0, g->start, g->end);
                if (o > bo) {
                    bo = o;
                    best = e;
                }
            }
            double dur = g->end - g->start;
            double ref = reference_rate(ss, t0, g->start, g->end, 0.2, 2.5);
            r->ref_err[r->nref++] = fabs(ref - g->rate);
            double *ang = NULL;
            int nb = binned_angle(ss, t0, g->start, g->end, &ang);
            double rr[NREF] = {ref, 0, 0};
            int rc[NREF] = {(int)lround(ref * dur), 0, 0};
            if (nb > 0) {
                rr[REF_AUTOCORR] = autocorr_rate(ang, nb, 0.2, 2.5);
                rc[REF_AUTOCORR] = (int)lround(rr[REF_AUTOCORR] * dur);
                rr[REF_PEAKS] = peak_count(ang, nb, &rc[REF_PEAKS]);
            }
            free(ang);
            for (int k = 0; k < NREF; k++) {
                r->rref_err[k][r->nrref[k]++] = fabs(rr[k] - g->rate);
                r->ref_cyc_ok[k] += abs(rc[k] - g->count) <= 1;
            }
            if (best) {
                r->sets_found++;
                if (r->fam == FAM_LEG || (r->fam == FAM_THIGH && !strstr(r->name, "uneven")))
                    score_rhythm(r, p, best, verbose, trace, t0);
                r->rate_err[r->nrate++] = fabs(best->rate_hz - g->rate);
                if (abs(best->cycles - g->count) <= 1)
                    r->cycles_ok++;
                if (verbose && (abs(best->cycles - g->count) > 1 ||
                                fabs(best->rate_hz - g->rate) > 0.03))
                    printf("  %s: rocking %.1f-%.1f truth %d at %.3f, found %d at %.3f "
                           "(%.1f-%.1f)\n", trace, g->start, g->end, g->count, g->rate,
                           best->cycles, best->rate_hz, best->start - t0, best->end - t0);
            } else if (verbose) {
                printf("  %s: rocking %.1f-%.1f missed\n", trace, g->start, g->end);
            }
        } else if (g->kind == SIM_HOLD) {
            r->holds++;
            const struct motion_event *best = NULL;
            double bo = 0;
            for (size_t k = 0; k < s->holds.n; k++) {
                const struct motion_event *e = &s->holds.v[k];
                double o = overlap(e->start - t0, e->end - t0, g->start, g->end);
                if (o > bo) {
                    bo = o;
                    best = e;
                }
            }
            if (best) {
                r->holds_found++;
                double es = fabs(best->start - t0 - g->start), ee = fabs(best->end - t0 - g->end);
                r->start_err_sum += es;
                r->end_err_sum += ee;
                if (es <= HOLD_TOL && ee <= HOLD_TOL)
                    r->holds_ok++;
                else if (verbose)
                    printf("  %s: hold %.2f-%.2f found %.2f-%.2f\n", trace, g->start, g->end,
                           best->start - t0, best->end - t0);
            } else if (verbose) {
                printf("  %s: hold %.1f-%.1f missed\n", trace, g->start, g->end);
            }
        } else if (g->kind == SIM_BOUNCE) {
            r->bounces++;
            for (size_t k = 0; k < s->bounces.n; k++) {
                const struct motion_event *e = &s->bounces.v[k];
                if (overlap(e->start - t0, e->end - t0, g->start, g->end) >
                    0.5 * (g->end - g->start)) {
                    r->bounces_found++;
                    r->bounce_err_sum += fabs(e->rate_hz - g->rate);
                    break;
                }
                if (k + 1 == s->bounces.n && verbose)
                    printf("  %s: bounce %.1f-%.1f missed\n", trace, g->start, g->end);
            }
            if (s->bounces.n == 0 && verbose)
                printf("  %s: bounce %.1f-%.1f missed\n", trace, g->start, g->end);
        }
    }
    /* false detections: found where the truth has nothing of that kind */
    double busy = 0;
    for (int i = 0; i < nt; i++)
        if (truth[i].kind == SIM_ROCKING || truth[i].kind == SIM_BOUNCE)
            busy += truth[i].end - truth[i].start;
    r->still_s += in->duration_s - busy;
    for (size_t k = 0; k < s->bounces.n; k++) {
        const struct motion_event *e = &s->bounces.v[k];
        double o = 0;
        for (int i = 0; i < nt; i++)
            if (truth[i].kind == SIM_BOUNCE)
                o += overlap(e->start - t0, e->end - t0, truth[i].start, truth[i].end);
        if (o <= 0) {
            r->false_sets++;
            if (verbose)
                printf("  %s: false bounce %.1f-%.1f, %d bounces\n", trace, e->start - t0,
                       e->end - t0, e->cycles);
        }
    }
    for (size_t k = 0; k < s->rocking.n; k++) {
        const struct motion_event *e = &s->rocking.v[k];
        double o = 0;
        for (int i = 0; i < nt; i++)
            if (truth[i].kind == SIM_ROCKING)
                o += overlap(e->start - t0, e->end - t0, truth[i].start, truth[i].end);
        if (o <= 0) {
            r->false_sets++;
            r->false_cycles += e->cycles;
            if (verbose)
                printf("  %s: false rocking %.1f-%.1f, %d cycles\n", trace, e->start - t0,
                       e->end - t0, e->cycles);
        }
    }
    /* The leg model and the real recordings label no holds, only movement
     * and stillness: there a false hold is one found during a set (by more
     * than half a second). */
    for (size_t k = 0; k < s->holds.n; k++) {
        const struct motion_event *e = &s->holds.v[k];
        double o = 0, in_set = 0;
        for (int i = 0; i < nt; i++) {
            double ov = overlap(e->start - t0, e->end - t0, truth[i].start, truth[i].end);
            if (truth[i].kind == SIM_HOLD)
                o += ov;
            if (truth[i].kind == SIM_ROCKING || truth[i].kind == SIM_BOUNCE)
                in_set += ov;
        }
        if (r->fam != FAM_THIGH ? in_set > 0.5 : o <= 0) {
            r->false_holds++;
            if (verbose)
                printf("  %s: false hold %.1f-%.1f\n", trace, e->start - t0, e->end - t0);
        }
    }
}

static void add_row(struct row *all, const struct row *r)
{
    all->traces += r->traces;
    all->refused += r->refused;
    all->sets += r->sets;
    all->sets_found += r->sets_found;
    all->cycles_ok += r->cycles_ok;
    all->steady += r->steady;
    all->steady_ok += r->steady_ok;
    all->uneven += r->uneven;
    all->uneven_ok += r->uneven_ok;
    for (int k = 0; k < r->nrate; k++)
        all->rate_err[all->nrate++] = r->rate_err[k];
    for (int k = 0; k < r->nref; k++)
        all->ref_err[all->nref++] = r->ref_err[k];
    for (int f = 0; f < NREF; f++) {
        for (int k = 0; k < r->nrref[f]; k++)
            all->rref_err[f][all->nrref[f]++] = r->rref_err[f][k];
        all->ref_cyc_ok[f] += r->ref_cyc_ok[f];
    }
    all->false_cycles += r->false_cycles;
    all->false_sets += r->false_sets;
    all->still_s += r->still_s;
    all->holds += r->holds;
    all->holds_found += r->holds_found;
    all->holds_ok += r->holds_ok;
    all->false_holds += r->false_holds;
    all->start_err_sum += r->start_err_sum;
    all->end_err_sum += r->end_err_sum;
    all->bounces += r->bounces;
    all->bounces_found += r->bounces_found;
    all->bounce_err_sum += r->bounce_err_sum;
}

static void print_row(struct row *r)
{
    char sets[16] = "-", re[16] = "-", rp[16] = "-", cy[16] = "-";
    char ho[16] = "-", hk[16] = "-", hs[16] = "-", he[16] = "-", bo[16] = "-", be[16] = "-";
    char refs[NREF][24];
    if (r->sets) {
        snprintf(sets, sizeof sets, "%d/%d", r->sets_found, r->sets);
        snprintf(re, sizeof re, "%.4f", mean(r->rate_err, r->nrate));
        snprintf(rp, sizeof rp, "%.4f", pct(r->rate_err, r->nrate, 0.95));
        snprintf(cy, sizeof cy, "%d/%d", r->cycles_ok, r->sets);
    }
    for (int k = 0; k < NREF; k++) {
        if (r->sets)
            snprintf(refs[k], sizeof refs[k], "%.4f %3d/%-3d", mean(r->rref_err[k], r->nrref[k]),
                     r->ref_cyc_ok[k], r->sets);
        else
            snprintf(refs[k], sizeof refs[k], "-");
    }
    if (r->holds) {
        snprintf(ho, sizeof ho, "%d/%d", r->holds_found, r->holds);
        snprintf(hk, sizeof hk, "%d/%d", r->holds_ok, r->holds);
        snprintf(hs, sizeof hs, "%.2f", r->holds_found ? r->start_err_sum / r->holds_found : 0);
        snprintf(he, sizeof he, "%.2f", r->holds_found ? r->end_err_sum / r->holds_found : 0);
    }
    if (r->bounces) {
        snprintf(bo, sizeof bo, "%d/%d", r->bounces_found, r->bounces);
        snprintf(be, sizeof be, "%.3f", r->bounces_found ? r->bounce_err_sum / r->bounces_found : 0);
    }
    printf("%-21s %6d | %5s %8s %8s %7s | %16s %16s %16s | %7s %8s %5s %5s %5d | %7s %6s | %5d %5d\n",
           r->name, r->traces, sets, re, rp, cy, refs[0], refs[1], refs[2], ho, hk, hs, he,
           r->false_holds, bo, be, r->false_sets, r->false_cycles);
}

static const char *const fam_title[NFAM] = {
    "thigh model (src/sim/sim.c)",
    "leg model (src/sim/leg.c: two segments, tilting pelvis, lopsided, uneven, fading, sway, slow bounce)",
    "real recordings (tests/traces/real, see SOURCES.md)",
    "real recordings at the rocking tempo (the same, replayed faster so each trial's stride rate "
    "is 1.1 Hz: tests/eval/tempo.py)",
};

#define GOAL(cond, fmt, ...)                                                    \
    do {                                                                        \
        int c_ = (cond);                                                        \
        ok = ok && c_;                                                          \
        printf("  %-5s " fmt "\n", c_ ? "MET" : "MISSED", __VA_ARGS__);         \
    } while (0)

/* One family's table and goals; returns 1 when every goal is met. */
static int print_family(struct row *rows, int nrows, enum family fam)
{
    struct row all;
    memset(&all, 0, sizeof all);
    snprintf(all.name, sizeof all.name, "ALL");
    int n = 0;
    for (int i = 0; i < nrows; i++)
        n += rows[i].fam == fam;
    if (!n)
        return 1;
    printf("\n%s\n", fam_title[fam]);
    printf("%-21s %6s | %5s %8s %8s %7s | %16s %16s %16s | %7s %8s %5s %5s %5s | %7s %6s | %5s %5s\n",
           "scenario", "traces", "sets", "rate_err", "p95", "cyc+-1", "spectral err cyc",
           "autocorr err cyc", "peaks err cyc", "holds", "<=0.5s", "start", "end", "false",
           "bounce", "err", "fset", "fcyc");
    for (int i = 0; i < nrows; i++) {
        if (rows[i].fam != fam)
            continue;
        add_row(&all, &rows[i]);
        print_row(&rows[i]);
    }
    printf("%.*s\n", 171, "----------------------------------------------------------------------------------------------------------------------------------------------------------------------------------");
    print_row(&all);

    double rmean = mean(all.rate_err, all.nrate), rp95 = pct(all.rate_err, all.nrate, 0.95);
    double hold_share = all.holds ? (double)all.holds_ok / all.holds : 1;
    double cyc_share = all.sets ? (double)all.cycles_ok / all.sets : 1;
    double b_share = all.bounces ? (double)all.bounces_found / all.bounces : 1;
    int ok = 1;
    printf("goals:\n");
    if (fam == FAM_THIGH || fam == FAM_LEG) {
        GOAL(rmean <= 0.01, "rate error mean %.4f Hz (goal <= 0.01)", rmean);
        GOAL(rp95 <= 0.03, "rate error p95 %.4f Hz (goal <= 0.03)", rp95);
        GOAL(cyc_share >= 0.98, "cycle count within +-1 on %d of %d rocking sets, %.1f%% (goal >= 98%%)",
             all.cycles_ok, all.sets, cyc_share * 100);
        if (all.holds)
            GOAL(hold_share >= 0.98,
                 "hold start and end within 0.5 s on %.1f%% of %d holds (goal >= 98%%)",
                 hold_share * 100, all.holds);
        else
            printf("  -     no holds in the truth of this family (holds found during a set "
                   "are false holds)\n");
        GOAL(all.false_holds == 0, "%d false holds (goal 0)", all.false_holds);
        GOAL(all.false_sets == 0, "%d false sets in stillness, sway and fidgets (goal 0)",
             all.false_sets);
        GOAL(all.false_cycles == 0, "%d cycles counted outside rocking (goal 0)",
             all.false_cycles);
        GOAL(b_share >= 0.98, "micro-bounce found in %d of %d rounds (goal >= 98%%)",
             all.bounces_found, all.bounces);
        double st = all.steady ? (double)all.steady_ok / all.steady : 1;
        double un = all.uneven ? (double)all.uneven_ok / all.uneven : 1;
        GOAL(st >= RHYTHM_GOAL && un >= RHYTHM_GOAL,
             "rhythm verdict right: steady sets called steady %d of %d, uneven called uneven "
             "%d of %d (goal >= %.0f%% each)", all.steady_ok, all.steady, all.uneven_ok,
             all.uneven, RHYTHM_GOAL * 100);
    } else {
        double found = all.sets ? (double)all.sets_found / all.sets : 1;
        double per_min = all.still_s > 0 ? all.false_cycles / (all.still_s / 60) : 0;
        GOAL(all.refused == 0, "%d traces refused (goal 0)", all.refused);
        GOAL(found >= 0.9, "periodic segments found: %d of %d, %.1f%% (goal >= 90%%)",
             all.sets_found, all.sets, found * 100);
        GOAL(rmean <= 0.03, "rate error mean where found %.4f Hz (goal <= 0.03)", rmean);
        GOAL(per_min <= 1, "%.2f cycles a minute counted outside the periodic segments (goal <= 1)",
             per_min);
        int best = 1;
        for (int k = 0; k < NREF; k++)
            best = best && all.cycles_ok >= all.ref_cyc_ok[k];
        GOAL(best, "cycles within +-1: station %d, spectral %d, autocorr %d, peaks %d of %d "
             "(goal: the station at least as good as each)", all.cycles_ok,
             all.ref_cyc_ok[0], all.ref_cyc_ok[1], all.ref_cyc_ok[2], all.sets);
    }
    return ok;
}

int main(int argc, char **argv)
{
    int verbose = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        first = 2;
    }
    static struct row rows[MAXROW];
    int nrows = 0;
    struct motion_params p;
    motion_params_default(&p);
    for (int a = first; a < argc; a++) {
        struct seg truth[MAXSEG];
        int nt = read_truth(argv[a], truth, MAXSEG);
        if (nt < 0)
            return 2;
        struct motion_summary s;
        struct analyze_info in;
        char err[512];
        struct row *r = row_for(rows, &nrows, argv[a]);
        if (analyze_file(argv[a], &p, &s, &in, err, sizeof err) < 0) {
            fprintf(stderr, "eval: %s\n", err);
            r->refused++;
            summary_free(&s);
            continue;
        }
        struct samples ss = {0};
        load(argv[a], &ss);
        score(r, truth, nt, &s, &in, &ss, verbose, argv[a], &p);
        free(ss.v);
        summary_free(&s);
    }
    printf("station: sets found, rate error mean and p95 (Hz), cycles within +-1; references "
           "over each true set (given its true start and end): rate error and cycles within "
           "+-1; fset: false sets, fcyc: cycles counted outside rocking\n");
    int ok = 1;
    for (int f = 0; f < NFAM; f++)
        ok = print_family(rows, nrows, f) && ok;
    return ok ? 0 : 1;
}
