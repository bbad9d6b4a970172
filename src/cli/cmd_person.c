/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station person add|list|rename|remove|set|unset|show: the people a
 * station knows, and each one's program. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../history/history.h"
#include "../people/people.h"
#include "cli.h"

static const char *keys_help(void)
{
    static char buf[1500];
    size_t u = 0;
    for (int k = 0; k < PK_COUNT && u < sizeof buf; k++)
        u += (size_t)snprintf(buf + u, sizeof buf - u, "  %-19s %s\n",
                              program_key_name((enum program_key)k),
                              program_key_help((enum program_key)k));
    return buf;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station person [--storage DIR] [--config FILE] COMMAND\n"
            "  add NAME [--key KEY]  a new person (a pseudonym is fine); with the key\n"
            "                      another station of the clinic shows for her, the\n"
            "                      same patient at the clinic's server\n"
            "  list                everyone, with their sessions and program\n"
            "  rename NAME NEW     a new name; her sessions stay hers\n"
            "  remove NAME         off the station's list; her session folders stay\n"
            "  set NAME KEY=VALUE...   her program over the configuration's\n"
            "  unset NAME KEY...   back to the configuration's value\n"
            "  show NAME           her program as it stands this week\n"
            "Program keys (a seconds key may grow: backblock_s=180+30/week..600):\n"
            "%s"
            "Names: 1 to 40 characters, letters, digits, single spaces, - . ' _.\n"
            "The people live in STORAGE/" PEOPLE_DB " beside the sessions.\n", keys_help());
}

static struct people *open_or_die(const char *storage, bool create)
{
    struct people *db;
    char err[800];
    if (people_open(storage, create, &db, err, sizeof err) < 0)
        die(1, "person: %s", err);
    return db;
}

static void list(struct people *db)
{
    static struct person p[1000];
    int n = people_list(db, p, 1000);
    if (n <= 0) {
        printf("nobody yet: `station person add NAME` adds someone\n");
        return;
    }
    time_t now = time(NULL);
    for (int i = 0; i < n; i++) {
        struct person_program prog;
        char desc[1000];
        people_program_get(db, p[i].id, &prog);
        program_describe(&prog, now, desc, sizeof desc);
        printf("%s\tadded %s\t%d session%s%s%s\t%s\tkey %s\n", p[i].name, p[i].added,
               p[i].sessions, p[i].sessions == 1 ? "" : "s", p[i].last[0] ? ", last " : "",
               p[i].last, desc[0] ? desc : "the configuration's program", p[i].key);
    }
}

int cmd_person(int argc, char **argv)
{
    static const struct option opts[] = {
        {"storage", required_argument, NULL, 'D'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *given = NULL, *config = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+D:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': given = optarg; break;
        case 'c': config = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    const char *what = argv[optind];
    /* only add makes the folder: the others need someone in it already */
    char storage[600];
    cli_storage_or_die("person", given, &cfg, strcmp(what, "add") == 0, storage, sizeof storage);
    char **args = argv + optind + 1;
    int nargs = argc - optind - 1;
    char err[800];
    struct people *db;
    if (strcmp(what, "add") == 0) {
        /* --key: the same person as on another station of the clinic */
        const char *key = nargs == 3 && strcmp(args[1], "--key") == 0 ? args[2] : NULL;
        if (nargs != 1 && !key)
            die(EXIT_USAGE, "person add: give one name (quote a name with spaces), and "
                "optionally --key KEY");
        if (people_check_name(args[0], err, sizeof err) < 0)
            die(EXIT_USAGE, "person add: %s", err);
        db = open_or_die(storage, true);
        struct person p;
        if (key && people_find_key(db, key, &p) == 0) {
            people_close(db);
            die(EXIT_USAGE, "person add: %s already has the key %s on this station", p.name, key);
        }
        if ((key ? people_add_key(db, args[0], key, time(NULL), &p, err, sizeof err)
                 : people_add(db, args[0], time(NULL), &p, err, sizeof err)) < 0) {
            people_close(db);
            die(EXIT_USAGE, "person add: %s", err);
        }
        printf("added %s (key %s)\n", p.name, p.key);
    } else if (strcmp(what, "list") == 0) {
        if (nargs != 0)
            die(EXIT_USAGE, "person list: takes no names");
        if (people_open(storage, false, &db, err, sizeof err) < 0) {
            printf("nobody yet: `station person add NAME` adds someone\n");
            return 0;
        }
        list(db);
    } else if (strcmp(what, "rename") == 0) {
        if (nargs != 2)
            die(EXIT_USAGE, "person rename: give the name and the new name");
        db = open_or_die(storage, false);
        if (people_rename(db, args[0], args[1], err, sizeof err) < 0) {
            people_close(db);
            die(EXIT_USAGE, "person rename: %s", err);
        }
        printf("renamed %s to %s\n", args[0], args[1]);
    } else if (strcmp(what, "remove") == 0) {
        if (nargs != 1)
            die(EXIT_USAGE, "person remove: give one name");
        db = open_or_die(storage, false);
        if (people_remove(db, args[0], err, sizeof err) < 0) {
            people_close(db);
            die(EXIT_USAGE, "person remove: %s", err);
        }
        printf("removed %s from the station's list; her session folders are still in %s\n",
               args[0], storage);
    } else if (strcmp(what, "set") == 0 || strcmp(what, "unset") == 0 || strcmp(what, "show") == 0) {
        bool show = what[0] == 's' && what[1] == 'h';
        if (show ? nargs != 1 : nargs < 2)
            die(EXIT_USAGE, show ? "person show: give one name"
                                 : "person %s: give a name and at least one %s", what,
                what[0] == 's' ? "KEY=VALUE" : "KEY");
        db = open_or_die(storage, false);
        struct person p;
        if (people_find(db, args[0], &p) < 0) {
            people_close(db);
            die(EXIT_USAGE, "person %s: no person called '%s' on this station (`station person "
                "list` names them)", what, args[0]);
        }
        time_t now = time(NULL);
        /* The command's assignments make one program, checked as a whole
         * (the rocking band with her new values and the configuration) and
         * stored in one transaction, or not at all. */
        struct person_program prog;
        people_program_get(db, p.id, &prog);
        for (int i = 1; i < nargs && !show; i++) {
            if (program_assign(&prog, args[i], what[0] == 'u', now, err, sizeof err) < 0) {
                people_close(db);
                die(EXIT_USAGE, "person %s: %s", what, err);
            }
        }
        if (!show && people_program_replace(db, p.id, &prog, &cfg, err, sizeof err) < 0) {
            people_close(db);
            die(EXIT_USAGE, "person %s: %s", what, err);
        }
        struct station_config pc = cfg;
        program_apply(&prog, now, &pc);
        char desc[1000];
        program_describe(&prog, now, desc, sizeof desc);
        printf("%s: %s\n", p.name, desc[0] ? desc : "the configuration's program");
        printf("  key %s (on another station: station person add NAME --key %s)\n", p.key,
               p.key);
        printf("  this week: stage %d; rocking %.0f s at %.2f-%.2f cycles a second; child pose "
               "%.0f s; stretch holds %.0f s (table x%d, nerve root x%d a leg); micro-bounce "
               "%d x %.0f s; BackBlock %.0f s; advanced stretch at most %d a week\n",
               pc.session.stage, pc.rocking.set_s, pc.rocking.rate_min_hz, pc.rocking.rate_max_hz,
               pc.holds.child_pose_s, pc.holds.stretch_s, pc.holds.table_reps,
               pc.holds.stretch_reps, pc.holds.bounce_reps, pc.holds.bounce_s,
               pc.holds.backblock_s, pc.session.advanced_per_week);
    } else {
        die(EXIT_USAGE, "person: unknown command '%s' (add, list, rename, remove, set, unset or "
            "show)", what);
    }
    people_close(db);
    return 0;
}
