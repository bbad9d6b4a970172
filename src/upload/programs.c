/* SPDX-License-Identifier: GPL-3.0-or-later */
/* programs: the clinic's programs into the station's index. */
#include "programs.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../people/people.h"

#define PROGRAMS_MAX 64

struct incoming {
    const char *key, *name;
    struct person_program prog;
};

/* "2026-11-28T10:00:00Z" to a time; -1 when it is not one */
static time_t parse_updated(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? timegm(&tm) : (time_t)-1;
}

static int check_person(const cJSON *p, time_t updated, const struct station_config *cfg,
                        struct incoming *in, char *err, size_t errlen)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(p, "person_key");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
    const cJSON *prog = cJSON_GetObjectItemCaseSensitive(p, "program");
    if (!cJSON_IsString(key) || !cJSON_IsString(name) || !cJSON_IsObject(prog)) {
        snprintf(err, errlen, "a person needs person_key, name (strings) and program (an object)");
        return -1;
    }
    in->key = key->valuestring;
    in->name = name->valuestring;
    memset(&in->prog, 0, sizeof in->prog);
    if (strlen(in->key) != HIST_KEY_LEN || strspn(in->key, "0123456789abcdef") != HIST_KEY_LEN) {
        snprintf(err, errlen, "'%.40s' is not a person's key (16 hex digits)", in->key);
        return -1;
    }
    char why[300];
    if (people_check_name(in->name, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", in->key, why);
        return -1;
    }
    const cJSON *v;
    cJSON_ArrayForEach(v, prog) {
        char assign[200];
        enum program_key k;
        struct program_item it;
        if (!cJSON_IsString(v)) {
            snprintf(err, errlen, "%s: %.40s: the value must be a string", in->name, v->string);
            return -1;
        }
        snprintf(assign, sizeof assign, "%s=%s", v->string, v->valuestring);
        if (program_parse(assign, updated, &k, &it, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s: %s", in->name, why);
            return -1;
        }
        in->prog.item[k] = it;
    }
    double lo = in->prog.item[PK_RATE_MIN].set ? in->prog.item[PK_RATE_MIN].base
                                               : cfg->rocking.rate_min_hz;
    double hi = in->prog.item[PK_RATE_MAX].set ? in->prog.item[PK_RATE_MAX].base
                                               : cfg->rocking.rate_max_hz;
    if (!(lo < hi)) {
        snprintf(err, errlen, "%s: the rocking band would be %g..%g cycles a second", in->name,
                 lo, hi);
        return -1;
    }
    return 0;
}

static int store(const char *storage, const struct station_config *cfg, struct incoming *in,
                 int n, time_t updated, char *err, size_t errlen)
{
    struct people *db;
    if (people_open(storage, true, &db, err, errlen) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct person p;
        if (people_find_key(db, in[i].key, &p) < 0)
            rc = people_add_key(db, in[i].name, in[i].key, updated, &p, err, errlen);
        if (rc == 0)
            rc = people_program_replace(db, p.id, &in[i].prog, cfg, err, errlen);
    }
    people_close(db);
    return rc;
}

int programs_apply(const char *storage, const struct station_config *cfg, const char *json,
                   size_t len, char *err, size_t errlen)
{
    static struct incoming in[PROGRAMS_MAX];
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "v");
    const cJSON *upd = cJSON_GetObjectItemCaseSensitive(root, "updated");
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "people");
    time_t updated = parse_updated(cJSON_IsString(upd) ? upd->valuestring : NULL);
    int n = -1;
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(v) || v->valueint != 1 ||
        !cJSON_IsArray(people) || updated == (time_t)-1) {
        snprintf(err, errlen, "not a version 1 program message (v, updated "
                 "\"YYYY-MM-DDTHH:MM:SSZ\", people [...])");
    } else if (cJSON_GetArraySize(people) > PROGRAMS_MAX) {
        snprintf(err, errlen, "more than %d people in one message", PROGRAMS_MAX);
    } else {
        const cJSON *p;
        n = 0;
        cJSON_ArrayForEach(p, people) {
            if (check_person(p, updated, cfg, &in[n], err, errlen) < 0) {
                n = -1;
                break;
            }
            n++;
        }
        if (n > 0 && store(storage, cfg, in, n, updated, err, errlen) < 0)
            n = -1;
    }
    cJSON_Delete(root);
    return n;
}
