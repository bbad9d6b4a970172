/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station report SESSION_DIR: a PNG a clinician can read, and a summary;
 * and the printable reports (issue 13): one session, or one person over a
 * period (--person NAME --from DATE --to DATE), as PDF and PNG. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../history/history.h"
#include "../report/print.h"
#include "../report/report.h"
#include "../sensor/source.h"
#include "cli.h"
#include "history_args.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station report [--out FILE.png] [--pdf FILE.pdf] SESSION_DIR\n"
            "       station report --person NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
            "                      [--out FILE.pdf] [--storage DIR] [--with-replays]\n"
            "One session: draws it (thigh angle with holds and sets, rocking rate\n"
            "against its band, what was done) into SESSION_DIR/report.png unless\n"
            "--out says otherwise, prints a summary, and writes the printable\n"
            "report (A4, light) as SESSION_DIR/report.pdf and report-print.png\n"
            "(with --out: only when --pdf names the PDF; its PNG goes beside it).\n"
            "A person: her sessions between two days (both included; --to defaults\n"
            "to today, --from to four weeks before) as a PDF and a PNG of its first\n"
            "page (default report-NAME-FROM-TO.pdf here). Demo and replay sessions\n"
            "only with --with-replays.\n");
}

/* FILE.pdf -> FILE.png (or FILE.pdf.png for any other name) */
static void png_beside(const char *pdf, char *out, size_t len)
{
    size_t l = strlen(pdf);
    if (l > 4 && strcmp(pdf + l - 4, ".pdf") == 0)
        snprintf(out, len, "%.*s.png", (int)(l - 4), pdf);
    else
        snprintf(out, len, "%s.png", pdf);
}

static void context(const struct station_config *cfg, struct print_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->rate_min_hz = cfg->rocking.rate_min_hz;
    ctx->rate_max_hz = cfg->rocking.rate_max_hz;
    ctx->rhythm_cv_max = cfg->rocking.rhythm_cv_max;
}

static int person_report(const struct station_config *cfg, const struct history_args *a,
                         const char *out)
{
    struct history_query q;
    history_args_resolve("report", cfg, a, &q);
    struct hist_session *v;
    char err[800];
    int n = history_list(q.storage, &q.filter, &v, err, sizeof err);
    if (n < 0)
        die(1, "report: %s", err);
    char pdf[800], png[820];
    if (out) {
        snprintf(pdf, sizeof pdf, "%s", out);
    } else {
        char name[PEOPLE_NAME_MAX];
        size_t i = 0;
        for (; q.who.name[i] && i + 1 < sizeof name; i++) {
            char ch = q.who.name[i];
            name[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') ? ch : '_';
        }
        name[i] = '\0';
        snprintf(pdf, sizeof pdf, "report-%s-%s-%s.pdf", name, q.from, q.to);
    }
    png_beside(pdf, png, sizeof png);
    struct print_context ctx;
    context(cfg, &ctx);
    ctx.person = q.who.name;
    ctx.from = q.from;
    ctx.to = q.to;
    ctx.with_replays = a->all_modes;
    int rc = print_person(v, n, &ctx, pdf, png, err, sizeof err);
    free(v);
    print_cleanup();
    if (rc < 0)
        die(1, "report: %s", err);
    printf("%s: %d session%s from %s to %s%s\nreport: %s\npicture: %s\n", q.who.name, n,
           n == 1 ? "" : "s", q.from, q.to, a->all_modes ? " (with demo and replay)" : "", pdf,
           png);
    return 0;
}

/* The printable report of one session folder. */
static int session_print(const struct station_config *cfg, const char *dir, const char *pdf,
                         const char *png)
{
    char path[1000], base[200];
    snprintf(path, sizeof path, "%s", dir);
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/')
        path[--l] = '\0';
    const char *slash = strrchr(path, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
    char parent[1000];
    if (slash)
        snprintf(parent, sizeof parent, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        snprintf(parent, sizeof parent, ".");
    struct hist_session *s = malloc(sizeof *s);
    char err[800];
    if (!s)
        die(1, "report: out of memory");
    if (history_read(parent, base, s, err, sizeof err) < 0) {
        /* a folder not named as the station names them: read it anyway */
        time_t none = 0;
        FILE *fp;
        snprintf(path + l, sizeof path - l, "/summary.json");
        char *json = NULL;
        size_t n = 0;
        if ((fp = fopen(path, "r"))) {
            json = malloc(1 << 20);
            n = json ? fread(json, 1, (1 << 20) - 1, fp) : 0;
            fclose(fp);
        }
        if (json)
            json[n] = '\0';
        if (!json || history_parse(json, base, none, s) < 0) {
            free(json);
            free(s);
            die(1, "report: %s: not a readable summary", path);
        }
        free(json);
    }
    struct print_context ctx;
    context(cfg, &ctx);
    int rc = print_session(s, &ctx, pdf, png, err, sizeof err);
    free(s);
    print_cleanup();
    if (rc < 0)
        die(1, "report: %s", err);
    printf("printable: %s and %s\n", pdf, png);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"pdf", required_argument, NULL, 'P'},
        {"person", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"storage", required_argument, NULL, 'D'},
        {"with-replays", no_argument, NULL, 'R'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *out = NULL, *config = NULL, *pdf = NULL;
    struct history_args ha = {0};
    int c;
    while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'P': pdf = optarg; break;
        case 'p': ha.person = optarg; break;
        case 'f': ha.from = optarg; break;
        case 't': ha.to = optarg; break;
        case 'D': ha.storage = optarg; break;
        case 'R': ha.all_modes = true; break;
        case 'c': config = optarg; break;
        case 'h':
        default:
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (ha.person || ha.from || ha.to || ha.storage || ha.all_modes) {
        if (!ha.person)
            die(EXIT_USAGE, "report: --from, --to, --storage and --with-replays go with "
                "--person NAME");
        if (optind != argc)
            die(EXIT_USAGE, "report: --person makes a report of her sessions; give no "
                "session folder");
        if (pdf)
            die(EXIT_USAGE, "report: with --person, --out names the PDF");
        struct station_config cfg;
        cli_load_config_or_die(config, &cfg);
        return person_report(&cfg, &ha, out);
    }
    if (optind != argc - 1)
        die(EXIT_USAGE, "report: give one session folder, or --person NAME");
    const char *dir = argv[optind];
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    struct motion_params mp;
    cli_motion_params(&cfg, &mp);
    char png[800], fonts[600], err[600];
    if (out)
        snprintf(png, sizeof png, "%s", out);
    else
        snprintf(png, sizeof png, "%s/report.png", dir);
    snprintf(fonts, sizeof fonts, "%s/fonts", source_assets_dir());
    if (report_write(dir, png, &mp, fonts, stdout, err, sizeof err) < 0)
        die(1, "report: %s", err);
    printf("picture: %s\n", png);
    /* the printable report: beside the session, or where --pdf says */
    char ppdf[800], ppng[820];
    if (pdf) {
        snprintf(ppdf, sizeof ppdf, "%s", pdf);
        png_beside(pdf, ppng, sizeof ppng);
    } else if (!out) {
        snprintf(ppdf, sizeof ppdf, "%s/report.pdf", dir);
        snprintf(ppng, sizeof ppng, "%s/report-print.png", dir);
    } else {
        return 0;
    }
    fflush(stdout);
    return session_print(&cfg, dir, ppdf, ppng);
}
