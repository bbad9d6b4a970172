/* eval: accuracy of the live analysis against ground truth.
 *
 * For each trace given, reads NAME.truth.csv beside it, runs the same
 * analysis as `station analyze` (analyze_file), matches what it found to
 * the truth segments, and runs an off-line reference method (the spectral
 * peak of the gyro about its principal axis over each truth segment: what a
 * careful analyst with the whole recording would measure). Prints one
 * table row per scenario (the trace name up to its first '_') and the goals.
 *
 * usage: eval TRACE.csv...   (exit 1 when a goal is missed) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze_file.h"
#include "sim/sim.h"
#include "trace/trace.h"

#define MAXSEG 512
#define MAXROW 64
#define HOLD_TOL 0.5

struct seg {
    double start, end, rate;
    enum sim_kind kind;
    int count;
};

struct row {
    char name[64];
    int traces;
    /* rocking */
    int sets, sets_found, cycles_ok;
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
    for (int i = 0; i < *nrows; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    struct row *r = &rows[(*nrows)++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

static void score(struct row *r, const struct seg *truth, int nt,
                  const struct motion_summary *s, const struct analyze_info *in,
                  const struct samples *ss, int verbose, const char *trace)
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
            double ref = reference_rate(ss, t0, g->start, g->end, 0.4, 2.5);
            r->ref_err[r->nref++] = fabs(ref - g->rate);
            if (best) {
                r->sets_found++;
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
    for (size_t k = 0; k < s->rocking.n; k++) {
        const struct motion_event *e = &s->rocking.v[k];
        double o = 0;
        for (int i = 0; i < nt; i++)
            if (truth[i].kind == SIM_ROCKING)
                o += overlap(e->start - t0, e->end - t0, truth[i].start, truth[i].end);
        if (o <= 0) {
            r->false_cycles += e->cycles;
            if (verbose)
                printf("  %s: false rocking %.1f-%.1f, %d cycles\n", trace, e->start - t0,
                       e->end - t0, e->cycles);
        }
    }
    for (size_t k = 0; k < s->holds.n; k++) {
        const struct motion_event *e = &s->holds.v[k];
        double o = 0;
        for (int i = 0; i < nt; i++)
            if (truth[i].kind == SIM_HOLD)
                o += overlap(e->start - t0, e->end - t0, truth[i].start, truth[i].end);
        if (o <= 0) {
            r->false_holds++;
            if (verbose)
                printf("  %s: false hold %.1f-%.1f\n", trace, e->start - t0, e->end - t0);
        }
    }
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
        if (analyze_file(argv[a], &p, &s, &in, err, sizeof err) < 0) {
            fprintf(stderr, "eval: %s\n", err);
            return 2;
        }
        struct samples ss = {0};
        load(argv[a], &ss);
        score(row_for(rows, &nrows, argv[a]), truth, nt, &s, &in, &ss, verbose, argv[a]);
        free(ss.v);
        summary_free(&s);
    }

    struct row all;
    memset(&all, 0, sizeof all);
    snprintf(all.name, sizeof all.name, "ALL");
    printf("%-20s %6s | %5s %8s %8s %7s %8s %8s | %5s %8s %7s %7s %6s | %7s %7s | %6s\n",
           "scenario", "traces", "sets", "rate_err", "p95", "cyc+-1", "ref_err", "ref_p95",
           "holds", "<=0.5s", "start", "end", "false", "bounce", "err", "falsecyc");
    for (int i = 0; i <= nrows; i++) {
        struct row *r = i < nrows ? &rows[i] : &all;
        if (i < nrows) {
            all.traces += r->traces;
            all.sets += r->sets;
            all.sets_found += r->sets_found;
            all.cycles_ok += r->cycles_ok;
            for (int k = 0; k < r->nrate; k++)
                all.rate_err[all.nrate++] = r->rate_err[k];
            for (int k = 0; k < r->nref; k++)
                all.ref_err[all.nref++] = r->ref_err[k];
            all.false_cycles += r->false_cycles;
            all.holds += r->holds;
            all.holds_found += r->holds_found;
            all.holds_ok += r->holds_ok;
            all.false_holds += r->false_holds;
            all.start_err_sum += r->start_err_sum;
            all.end_err_sum += r->end_err_sum;
            all.bounces += r->bounces;
            all.bounces_found += r->bounces_found;
            all.bounce_err_sum += r->bounce_err_sum;
        }
        char sets[16] = "-", re[16] = "-", rp[16] = "-", cy[16] = "-", fe[16] = "-", fp[16] = "-";
        char ho[16] = "-", hk[16] = "-", hs[16] = "-", he[16] = "-", bo[16] = "-", be[16] = "-";
        if (r->sets) {
            snprintf(sets, sizeof sets, "%d/%d", r->sets_found, r->sets);
            snprintf(re, sizeof re, "%.4f", mean(r->rate_err, r->nrate));
            snprintf(rp, sizeof rp, "%.4f", pct(r->rate_err, r->nrate, 0.95));
            snprintf(cy, sizeof cy, "%d/%d", r->cycles_ok, r->sets);
            snprintf(fe, sizeof fe, "%.4f", mean(r->ref_err, r->nref));
            snprintf(fp, sizeof fp, "%.4f", pct(r->ref_err, r->nref, 0.95));
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
        if (i == nrows)
            printf("%.*s\n", 155, "-------------------------------------------------------------------------------------------------------------------------------------------------------");
        printf("%-20s %6d | %5s %8s %8s %7s %8s %8s | %5s %8s %7s %7s %6d | %7s %7s | %6d\n",
               r->name, r->traces, sets, re, rp, cy, fe, fp, ho, hk, hs, he, r->false_holds,
               bo, be, r->false_cycles);
    }

    double rmean = mean(all.rate_err, all.nrate), rp95 = pct(all.rate_err, all.nrate, 0.95);
    double hold_share = all.holds ? (double)all.holds_ok / all.holds : 1;
    int ok = 1;
    printf("\ngoals:\n");
#define GOAL(cond, fmt, ...)                                                    \
    do {                                                                        \
        int c_ = (cond);                                                        \
        ok = ok && c_;                                                          \
        printf("  %-5s " fmt "\n", c_ ? "MET" : "MISSED", __VA_ARGS__);         \
    } while (0)
    GOAL(rmean <= 0.01, "rate error mean %.4f Hz (goal <= 0.01)", rmean);
    GOAL(rp95 <= 0.03, "rate error p95 %.4f Hz (goal <= 0.03)", rp95);
    GOAL(all.cycles_ok == all.sets, "cycle count within +-1 on %d of %d rocking sets",
         all.cycles_ok, all.sets);
    GOAL(hold_share >= 0.98, "hold start and end within 0.5 s on %.1f%% of %d holds (goal >= 98%%)",
         hold_share * 100, all.holds);
    GOAL(all.false_holds == 0, "%d false holds (goal 0)", all.false_holds);
    GOAL(all.false_cycles == 0, "%d cycles counted outside rocking (goal 0)", all.false_cycles);
    GOAL(all.bounces_found == all.bounces, "micro-bounce found in %d of %d rounds",
         all.bounces_found, all.bounces);
    return ok ? 0 : 1;
}
