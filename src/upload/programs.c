/* SPDX-License-Identifier: GPL-3.0-or-later */
/* programs: the clinic's programs into the station's index. */
#include "programs.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../people/people.h"

#define PROGRAMS_MAX 1000 /* a clinic room's station: its patients, with room */

struct incoming {
    const char *key, *name;
    time_t updated; /* her program's, its weekly growth counted from it */
    struct person_program prog;
};

/* "2026-11-28T10:00:00Z" to a time; -1 when it is not one */
static time_t parse_updated(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? timegm(&tm) : (time_t)-1;
}

/* One person of the message checked as a whole into in; her own
 * "updated" (the time the clinic set her program) when given, else the
 * message's. */
static int check_person(const cJSON *p, time_t updated, const struct station_config *cfg,
                        struct incoming *in, char *err, size_t errlen)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(p, "person_key");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
    const cJSON *prog = cJSON_GetObjectItemCaseSensitive(p, "program");
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(p, "updated");
    in->key = cJSON_IsString(key) ? key->valuestring : "";
    in->name = cJSON_IsString(name) ? name->valuestring : in->key;
    if (!cJSON_IsString(key) || !cJSON_IsString(name) || !cJSON_IsObject(prog)) {
        snprintf(err, errlen, "a person needs person_key, name (strings) and program (an object)");
        return -1;
    }
    memset(&in->prog, 0, sizeof in->prog);
    in->updated = own ? parse_updated(cJSON_IsString(own) ? own->valuestring : NULL) : updated;
    if (in->updated == (time_t)-1) {
        snprintf(err, errlen, "her \"updated\" is not a time \"YYYY-MM-DDTHH:MM:SSZ\"");
        return -1;
    }
    if (strlen(in->key) != HIST_KEY_LEN || strspn(in->key, "0123456789abcdef") != HIST_KEY_LEN) {
        snprintf(err, errlen, "'%.40s' is not a person's key (16 hex digits)", in->key);
        return -1;
    }
    if (people_check_name(in->name, err, errlen) < 0)
        return -1;
    const cJSON *v;
    cJSON_ArrayForEach(v, prog) {
        char assign[200];
        enum program_key k;
        struct program_item it;
        if (!cJSON_IsString(v)) {
            snprintf(err, errlen, "%.40s: the value must be a string", v->string);
            return -1;
        }
        snprintf(assign, sizeof assign, "%s=%s", v->string, v->valuestring);
        if (program_parse(assign, in->updated, &k, &it, err, errlen) < 0)
            return -1;
        in->prog.item[k] = it;
    }
    double lo = in->prog.item[PK_RATE_MIN].set ? in->prog.item[PK_RATE_MIN].base
                                               : cfg->rocking.rate_min_hz;
    double hi = in->prog.item[PK_RATE_MAX].set ? in->prog.item[PK_RATE_MAX].base
                                               : cfg->rocking.rate_max_hz;
    if (!(lo < hi)) {
        snprintf(err, errlen, "the rocking band would be %g..%g cycles a second (with this "
                 "station's configuration for an end not given)", lo, hi);
        return -1;
    }
    return 0;
}

/* Her program stored, unless this station applied it (or a later one) before. */
static int store(struct people *db, const struct station_config *cfg, const struct incoming *in,
                 struct programs_result *res, char *err, size_t errlen)
{
    if (people_clinic_applied(db, in->key) >= in->updated) {
        res->unchanged++;
        return 0;
    }
    struct person p;
    if (people_find_key(db, in->key, &p) < 0 &&
        people_add_key(db, in->name, in->key, in->updated, &p, err, errlen) < 0)
        return -1;
    if (people_program_replace(db, p.id, &in->prog, cfg, err, errlen) < 0 ||
        people_clinic_mark(db, in->key, in->updated, err, errlen) < 0)
        return -1;
    res->applied++;
    return 0;
}

static void refuse(struct programs_result *res, const struct incoming *in, const char *why)
{
    if (res->refused < PROGRAMS_TOLD) {
        snprintf(res->refused_key[res->refused], sizeof res->refused_key[0], "%s", in->key);
        snprintf(res->refused_why[res->refused], sizeof res->refused_why[0], "%s", why);
    }
    size_t used = strlen(res->why);
    snprintf(res->why + used, sizeof res->why - used, "%s%s: %s", used ? "; " : "",
             in->name[0] ? in->name : "(no name)", why);
    res->refused++;
}

int programs_apply(const char *storage, const struct station_config *cfg, const char *json,
                   size_t len, struct programs_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "v");
    const cJSON *upd = cJSON_GetObjectItemCaseSensitive(root, "updated");
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "people");
    time_t updated = parse_updated(cJSON_IsString(upd) ? upd->valuestring : NULL);
    struct people *db = NULL;
    int rc = -1;
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(v) || v->valueint != 1 ||
        !cJSON_IsArray(people) || updated == (time_t)-1) {
        snprintf(err, errlen, "not a version 1 program message (v, updated "
                 "\"YYYY-MM-DDTHH:MM:SSZ\", people [...])");
    } else if (cJSON_GetArraySize(people) > PROGRAMS_MAX) {
        snprintf(err, errlen, "more than %d people in one message", PROGRAMS_MAX);
    } else if (people_open(storage, true, &db, err, errlen) == 0) {
        const cJSON *p;
        snprintf(res->updated, sizeof res->updated, "%s", upd->valuestring);
        rc = 0;
        cJSON_ArrayForEach(p, people) {
            struct incoming in;
            char why[400];
            /* one refused person leaves the others' programs to be applied */
            if (check_person(p, updated, cfg, &in, why, sizeof why) < 0 ||
                store(db, cfg, &in, res, why, sizeof why) < 0)
                refuse(res, &in, why);
        }
        people_close(db);
    }
    cJSON_Delete(root);
    return rc;
}
