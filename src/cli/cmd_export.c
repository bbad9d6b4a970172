/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station export --person NAME [--from DATE] [--to DATE]: her sessions as
 * CSV, one row per exercise step per session. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../export/export.h"
#include "cli.h"
#include "history_args.h"

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"person", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"storage", required_argument, NULL, 'D'},
        {"out", required_argument, NULL, 'o'},
        {"with-replays", no_argument, NULL, 'R'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct history_args a = {0};
    const char *out = NULL, *config = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "p:f:t:D:o:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a.person = optarg; break;
        case 'f': a.from = optarg; break;
        case 't': a.to = optarg; break;
        case 'D': a.storage = optarg; break;
        case 'o': out = optarg; break;
        case 'R': a.all_modes = true; break;
        case 'c': config = optarg; break;
        case 'h':
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: station export --person NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
                    "                      [--out FILE.csv] [--storage DIR] [--with-replays]\n"
                    "Her sessions as CSV, one row per exercise step per session, oldest\n"
                    "first (both days included; --to defaults to today, --from to four\n"
                    "weeks before). Demo and replay sessions only with --with-replays.\n"
                    "Without --out the CSV goes to the standard output.\n");
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (optind != argc)
        die(EXIT_USAGE, "export: unexpected '%s' (options only; see --help)", argv[optind]);
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    struct history_query q;
    history_args_resolve("export", &cfg, &a, &q);
    struct hist_session *v;
    char err[800];
    int n = history_list(q.storage, &q.filter, &v, err, sizeof err);
    if (n < 0)
        die(1, "export: %s", err);
    FILE *fp = stdout;
    char tmp[1100];
    if (out) {
        /* a whole file or none: written beside, then renamed over */
        snprintf(tmp, sizeof tmp, "%s.tmp-%d", out, (int)getpid());
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        fp = fd < 0 ? NULL : fdopen(fd, "w");
        if (!fp) {
            free(v);
            die_perror("export: %s", out);
        }
    }
    int rows = export_csv(fp, v, n);
    free(v);
    if (out) {
        int e = rows < 0 || fflush(fp) != 0 || fsync(fileno(fp)) < 0 ? errno : 0;
        if (fclose(fp) != 0 && !e)
            e = errno;
        if (!e && rename(tmp, out) < 0)
            e = errno;
        if (e) {
            unlink(tmp);
            errno = e ? e : EIO;
            die_perror("export: %s", out);
        }
        fprintf(stderr, "station: export: %d row%s from %d session%s of %s (%s to %s) in %s\n",
                rows, rows == 1 ? "" : "s", n, n == 1 ? "" : "s", q.who.name, q.from, q.to, out);
    }
    return rows < 0 ? 1 : 0;
}
