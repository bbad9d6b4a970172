/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phrases: the phrase table, its file, and filling it in. */
#include "phrases.h"

#include "../config/config.h"
#include "../util/json.h"

#include <libconfig.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *key;
    const char *text;
} table[PH_COUNT] = {
    [PH_HOLD_START] = {"hold_start", "Hold."},
    [PH_COUNT_3] = {"count_3", "Three"},
    [PH_COUNT_2] = {"count_2", "Two"},
    [PH_COUNT_1] = {"count_1", "One"},
    [PH_REP] = {"rep", "{n} of {total}."},
    [PH_LAST_REP] = {"last_rep", "All done: come out."},
    [PH_OTHER_LEG] = {"other_leg", "Now the other leg."},
    [PH_ROUND_DONE] = {"round_done", "Round {n} done. Let the leg rest."},
    [PH_CUE_GENTLER] = {"cue_gentler", "Softer, smaller swings."},
    [PH_CUE_SLOWER] = {"cue_slower", "A little slower."},
    [PH_CUE_STEADIER] = {"cue_steadier", "Keep an even beat."},
    [PH_CUE_QUICKER] = {"cue_quicker", "A touch quicker."},
    [PH_CUE_BIGGER] = {"cue_bigger", "Let the knees travel a bit further."},
    [PH_CUE_GOOD] = {"cue_good", "That's it. Keep going like that."},
    [PH_CONFIRM] = {"confirm", "You have done this stretch enough for this week. Press start "
                               "to do it anyway, or next to skip it."},
    [PH_PAUSED] = {"paused", "Paused."},
    [PH_FINISHED] = {"finished", "That's the session done: all {total} exercises. Well done."},
    [PH_STEP] = {"step", "{name}."},
    [PH_FINISHED_PART] = {"finished_part",
                          "Session over. You did {done} of the {total} exercises this time."},
    [PH_FINISHED_NONE] = {"finished_none",
                          "Session over. No exercise was finished this time; try again when "
                          "you are ready."},
    [PH_STEP_AGAIN] = {"step_again", "{name}, once more."},
    [PH_HOLD_DONE] = {"hold_done", "Time's up: come out slowly."},
    [PH_REST] = {"rest", "Release, and rest a moment."},
    [PH_POSTURE] = {"posture", "That doesn't look like the position for this one."},
    [PH_TIMEOUT] = {"timeout", "Let's leave that one for now and move on."},
    [PH_LIMIT_SKIP] = {"limit_skip", "The advanced stretch is left out today: it has been done "
                                     "enough this week."},
    [PH_CURL] = {"curl", "Roll down slowly, then come back up, head last."},
    [PH_CURL_DONE] = {"curl_done", "That's both. Stand tall."},
    [PH_ROCK_DONE] = {"rock_done", "That's the rocking time. Let the knees slow down and rest."},
    [PH_HOLD_COUNTED] = {"hold_counted", "That counts."},
    [PH_CUE_GENTLER_2] = {"cue_gentler_2", "Still a bit strong. Let the swing be small and soft."},
    [PH_CUE_SLOWER_2] = {"cue_slower_2", "Slower still. Let each swing take its time."},
    [PH_CUE_STEADIER_2] = {"cue_steadier_2", "Try to match the ticks, one swing to each."},
    [PH_CUE_QUICKER_2] = {"cue_quicker_2", "A little quicker again. Go with the ticks."},
    [PH_CUE_BIGGER_2] = {"cue_bigger_2", "Bring the knees a little closer to you each time."},
    [PH_CUE_BETTER] = {"cue_better", "Better. A little more that way."},
    [PH_SENSOR_LOST] = {"sensor_lost", "The sensor has stopped answering. The timers wait. "
                                       "Check the cable at your thigh."},
    [PH_SENSOR_STILL] = {"sensor_still", "Still no word from the sensor. Check its cable."},
    [PH_SENSOR_BACK] = {"sensor_back", "The sensor is back. Carry on."},
    [PH_STAGE] = {"stage", "Stage {n}, about {total} minutes. Press start to begin."},
    [PH_WEEK] = {"week", "Sessions this week: {n}. Days in a row: {total}."},
    [PH_EX_NAME + EX_CHILD_POSE] = {"name_child_pose", NULL},
    [PH_EX_NAME + EX_KNEES_ROCKING] = {"name_knees_rocking", NULL},
    [PH_EX_NAME + EX_TABLE_STRETCH] = {"name_table_stretch", NULL},
    [PH_EX_NAME + EX_NERVE_ROOT] = {"name_nerve_root_stretch", NULL},
    [PH_EX_NAME + EX_CURL_DOWNS] = {"name_curl_downs", NULL},
    [PH_EX_NAME + EX_ADVANCED_STRETCH] = {"name_advanced_nerve_stretch", NULL},
    [PH_EX_NAME + EX_BACKBLOCK] = {"name_backblock", NULL},
    [PH_EX_HOW + EX_CHILD_POSE] = {"how_child_pose", NULL},
    [PH_EX_HOW + EX_KNEES_ROCKING] = {"how_knees_rocking", NULL},
    [PH_EX_HOW + EX_TABLE_STRETCH] = {"how_table_stretch", NULL},
    [PH_EX_HOW + EX_NERVE_ROOT] = {"how_nerve_root_stretch", NULL},
    [PH_EX_HOW + EX_CURL_DOWNS] = {"how_curl_downs", NULL},
    [PH_EX_HOW + EX_ADVANCED_STRETCH] = {"how_advanced_nerve_stretch", NULL},
    [PH_EX_HOW + EX_BACKBLOCK] = {"how_backblock", NULL},
    [PH_EX_CAUTION + EX_CHILD_POSE] = {"caution_child_pose", NULL},
    [PH_EX_CAUTION + EX_KNEES_ROCKING] = {"caution_knees_rocking", NULL},
    [PH_EX_CAUTION + EX_TABLE_STRETCH] = {"caution_table_stretch", NULL},
    [PH_EX_CAUTION + EX_NERVE_ROOT] = {"caution_nerve_root_stretch", NULL},
    [PH_EX_CAUTION + EX_CURL_DOWNS] = {"caution_curl_downs", NULL},
    [PH_EX_CAUTION + EX_ADVANCED_STRETCH] = {"caution_advanced_nerve_stretch", NULL},
    [PH_EX_CAUTION + EX_BACKBLOCK] = {"caution_backblock", NULL},
#define PHRASE_TABLE_(id, key, text) [PH_##id] = {key, text},
    PHRASE_SCREEN_WORDS(PHRASE_TABLE_)
#undef PHRASE_TABLE_
};

/* The built-in word for id: the exercise table's own for the exercises. */
static const char *builtin(int id)
{
    if (id >= PH_EX_NAME && id < PH_SCREEN_FIRST) {
        const struct exercise *ex = exercise_get((enum exercise_id)((id - PH_EX_NAME) % EX_COUNT));
        const char *t = id < PH_EX_HOW ? ex->name : id < PH_EX_CAUTION ? ex->how : ex->caution;
        return t ? t : "";
    }
    return table[id].text;
}

void phrases_defaults(struct phrases *p)
{
    for (int i = 0; i < PH_COUNT; i++) {
        snprintf(p->text[i], PHRASE_MAX, "%s", builtin(i));
        p->given[i] = false;
    }
}

const char *phrase_text(const struct phrases *p, enum phrase_id id)
{
    if (id >= PH_COUNT)
        return "";
    return p ? p->text[id] : builtin(id);
}

const char *phrase_ex(const struct phrases *p, enum phrase_id which, enum exercise_id ex)
{
    return phrase_text(p, (enum phrase_id)(which + (int)ex));
}

const char *phrase_screen(const struct phrases *p, const char *english)
{
    if (!english)
        return "";
    for (int id = PH_SCREEN_FIRST; id < PH_COUNT; id++)
        if (strcmp(table[id].text, english) == 0)
            return phrase_text(p, (enum phrase_id)id);
    for (int e = 0; e < EX_COUNT; e++) /* an exercise's name */
        if (strcmp(exercise_get((enum exercise_id)e)->name, english) == 0)
            return phrase_text(p, (enum phrase_id)(PH_EX_NAME + e));
    return english;
}

const char *phrase_key(enum phrase_id id)
{
    return id < PH_COUNT ? table[id].key : "?";
}

int phrases_load(struct phrases *p, const char *path, char *errbuf, size_t errlen)
{
    phrases_defaults(p);
    int errors = 0;
    size_t used = 0;
    errbuf[0] = '\0';
#define ERR(...)                                                                     \
    do {                                                                             \
        errors++;                                                                    \
        if (used < errlen)                                                           \
            used += (size_t)snprintf(errbuf + used, errlen - used, __VA_ARGS__);     \
    } while (0)
    char why[1200]; /* libconfig's scanner exits on a directory: look first */
    if (config_file_check(path, why, sizeof why) < 0) {
        ERR("%s\n", why);
        return errors;
    }
    config_t lc;
    config_init(&lc);
    if (!config_read_file(&lc, path)) {
        if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
            ERR("%s: cannot read the phrase file\n", path);
        else
            ERR("%s:%d: %s\n", path, config_error_line(&lc), config_error_text(&lc));
        config_destroy(&lc);
        return errors;
    }
    config_setting_t *root = config_root_setting(&lc);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *g = config_setting_get_elem(root, (unsigned)i);
        const char *gname = config_setting_name(g);
        if (!gname || strcmp(gname, "phrases") != 0 || !config_setting_is_group(g)) {
            ERR("%s:%d: %s: unknown; the file holds one group, phrases = { ... }\n", path,
                config_setting_source_line(g), gname ? gname : "?");
            continue;
        }
        for (int k = 0; k < config_setting_length(g); k++) {
            config_setting_t *s = config_setting_get_elem(g, (unsigned)k);
            const char *key = config_setting_name(s);
            int id = -1;
            for (int j = 0; j < PH_COUNT && key; j++)
                if (strcmp(table[j].key, key) == 0)
                    id = j;
            if (id < 0) {
                ERR("%s:%d: phrases.%s: unknown phrase\n", path, config_setting_source_line(s),
                    key ? key : "?");
            } else if (config_setting_type(s) != CONFIG_TYPE_STRING) {
                ERR("%s:%d: phrases.%s: expected a quoted phrase\n", path,
                    config_setting_source_line(s), key);
            } else if (strlen(config_setting_get_string(s)) >= PHRASE_MAX) {
                ERR("%s:%d: phrases.%s: longer than %d characters\n", path,
                    config_setting_source_line(s), key, PHRASE_MAX - 1);
            } else if (!text_is_plain(config_setting_get_string(s))) {
                /* checked after libconfig's escapes ("\xff", "\x1b"): it would
                 * reach the terminal and the journal */
                ERR("%s:%d: phrases.%s: a control character or a byte that is not UTF-8: a "
                    "phrase is plain text\n", path, config_setting_source_line(s), key);
            } else {
                snprintf(p->text[id], PHRASE_MAX, "%s", config_setting_get_string(s));
                p->given[id] = true;
            }
        }
    }
#undef ERR
    config_destroy(&lc);
    return errors;
}

void phrase_format(const struct phrases *p, enum phrase_id id, int n, int total,
                   const char *name, char *out, size_t len)
{
    const char *src = p->text[id];
    size_t o = 0;
    while (*src && o + 1 < len) {
        char num[16];
        const char *sub = NULL;
        if (strncmp(src, "{n}", 3) == 0) {
            snprintf(num, sizeof num, "%d", n);
            sub = num;
            src += 3;
        } else if (strncmp(src, "{done}", 6) == 0) {
            snprintf(num, sizeof num, "%d", n);
            sub = num;
            src += 6;
        } else if (strncmp(src, "{total}", 7) == 0) {
            snprintf(num, sizeof num, "%d", total);
            sub = num;
            src += 7;
        } else if (strncmp(src, "{name}", 6) == 0) {
            sub = name ? name : "";
            src += 6;
        }
        if (sub) {
            int w = snprintf(out + o, len - o, "%s", sub);
            o += w > 0 ? (size_t)w : 0;
            if (o >= len)
                o = len - 1;
        } else {
            out[o++] = *src++;
        }
    }
    out[o] = '\0';
}
