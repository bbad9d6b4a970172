// SPDX-License-Identifier: GPL-3.0-or-later
/* The web page's commands: serve it, add a clinician, and a patient's
 * export and deletion from the command line (the same code as the page's
 * buttons). */
#include "web.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../util/exit_codes.h"

void web_open(struct web *w, int argc, char **argv, int *first)
{
    memset(w, 0, sizeof *w);
    *first = clinic_common_args(argc, argv, &w->cfg);
    if (sodium_init() < 0)
        clinic_die(1, "libsodium could not start (no random source?)");
}

int web_cmd_web(int argc, char **argv)
{
    static struct web w; /* the login limits' table is large: not on the stack */
    int i;
    web_open(&w, argc, argv, &i);
    if (i != argc)
        clinic_die(EXIT_USAGE, "usage: station-clinic [--config FILE] web");
    char why[CONFIG_STR_MAX * 2 + 400];
    if (clinic_config_web_check(&w.cfg, why, sizeof why) < 0)
        clinic_die(EXIT_USAGE, "%s", why);
    /* a program set on the page goes out with this password: a file that
     * cannot be read is said now, not at the first program */
    if (access(w.cfg.web.mqtt_password_file, R_OK) < 0)
        clinic_die(EXIT_USAGE, "web.mqtt_password_file %s: %s (the broker password of user "
                   "%s; under systemd, LoadCredential= in station-clinic-web.service hands it "
                   "over as /run/credentials/station-clinic-web.service/clinic-web.pass)",
                   w.cfg.web.mqtt_password_file, strerror(errno), w.cfg.web.mqtt_username);
    if (web_db_ready(&w) < 0)
        fprintf(stderr, "station-clinic web: serving anyway; pages say the database is not "
                        "answering until it does\n");
    int rc = web_serve(&w);
    PQfinish(w.db);
    return rc;
}

/* The password: the first line of stdin (asked for, without echo, on a
 * terminal). */
int web_read_password(char *out, size_t len)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "password (10 to 200 characters): ");
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = fgets(out, (int)len, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    out[strcspn(out, "\r\n")] = '\0';
    return ok ? 0 : -1;
}

int web_cmd_add_clinician(int argc, char **argv)
{
    struct web *w = calloc(1, sizeof *w);
    if (!w)
        clinic_die(1, "out of memory");
    int i;
    web_open(w, argc, argv, &i);
    const char *login = NULL, *clinic = NULL;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--clinic") == 0 && i + 1 < argc)
            clinic = argv[++i];
        else if (!login && argv[i][0] != '-')
            login = argv[i];
        else
            clinic_die(EXIT_USAGE, "'%s': usage: station-clinic add-clinician LOGIN --clinic NAME "
                                   "(the password on stdin)",
                       argv[i]);
    }
    if (!login || !clinic)
        clinic_die(EXIT_USAGE, "usage: station-clinic add-clinician LOGIN --clinic NAME "
                               "(the password on stdin)");
    char pw[256], err[300];
    if (web_read_password(pw, sizeof pw) < 0)
        clinic_die(EXIT_USAGE, "no password on stdin");
    int rc = web_db_ready(w) < 0 ? -1 : auth_add_clinician(w, login, clinic, pw, err, sizeof err);
    sodium_memzero(pw, sizeof pw);
    PQfinish(w->db);
    free(w);
    if (rc < 0)
        clinic_die(1, "%s", err[0] ? err : "the database is not answering");
    printf("clinician '%s' of '%s' added\n", login, clinic);
    return 0;
}

static int patient_arg(const char *s)
{
    int id = 0;
    const char *rest;
    char path[40];
    snprintf(path, sizeof path, "/%s", s);
    if (path_id(path, "/", &id, &rest) < 0 || *rest)
        clinic_die(EXIT_USAGE, "'%s': a patient's id is allowed (the number in her page's "
                               "address, /patient/ID)",
                   s);
    return id;
}

static int put_stdout(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

int web_cmd_export_patient(int argc, char **argv)
{
    struct web *w = calloc(1, sizeof *w);
    if (!w)
        clinic_die(1, "out of memory");
    int i;
    web_open(w, argc, argv, &i);
    bool csv = false;
    const char *id = NULL;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0)
            csv = true;
        else if (!id)
            id = argv[i];
        else
            clinic_die(EXIT_USAGE, "usage: station-clinic export-patient [--csv] ID");
    }
    if (!id)
        clinic_die(EXIT_USAGE, "usage: station-clinic export-patient [--csv] ID");
    int pid = patient_arg(id);
    /* a reader that went away is an error said here, not a silent death */
    signal(SIGPIPE, SIG_IGN);
    char why[600] = "";
    int rc;
    if (csv) {
        struct wbuf out = {0};
        rc = data_export_csv(w, pid, &out);
        if (rc < 0)
            snprintf(why, sizeof why, "no patient %s, or the database did not answer", id);
        else if (fwrite(out.p, 1, out.len, stdout) != out.len)
            rc = -1, snprintf(why, sizeof why, "writing the export: %s", strerror(errno));
        wbuf_free(&out);
    } else {
        struct export_sink to = {put_stdout, stdout};
        rc = data_export_json(w, pid, &to, why, sizeof why);
    }
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = -1, snprintf(why, sizeof why, "writing the export: %s", strerror(errno));
    PQfinish(w->db);
    free(w);
    if (rc != 0)
        clinic_die(1, "export-patient %s: %s", id, why);
    return 0;
}

int web_cmd_delete_patient(int argc, char **argv)
{
    struct web *w = calloc(1, sizeof *w);
    if (!w)
        clinic_die(1, "out of memory");
    int i;
    web_open(w, argc, argv, &i);
    if (argc - i != 2 || strcmp(argv[i + 1], "--yes") != 0)
        clinic_die(EXIT_USAGE, "usage: station-clinic delete-patient ID --yes (her sessions and "
                               "program go for good)");
    int pid = patient_arg(argv[i]);
    char name[128], err[300];
    char ids[16];
    snprintf(ids, sizeof ids, "%d", pid);
    PGresult *r = web_q1(w, "SELECT name FROM patients WHERE id = $1", ids);
    bool known = r && PQntuples(r) == 1;
    if (known)
        snprintf(name, sizeof name, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    int rc = known ? data_delete(w, pid, err, sizeof err) : -1;
    PQfinish(w->db);
    free(w);
    if (!known)
        clinic_die(1, "no patient %s", argv[i]);
    if (rc < 0)
        clinic_die(1, "%s", err);
    printf("deleted patient %d (%s) with her sessions and program\n", pid, name);
    return 0;
}
