/* phrases: the phrase table, its file, and filling it in. */
#include "phrases.h"

#include "../config/config.h"

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
    [PH_LAST_REP] = {"last_rep", "That's all of them. Well held."},
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
    [PH_HOLD_DONE] = {"hold_done", "That's the time. Come out of it slowly."},
    [PH_REST] = {"rest", "Release, and rest a moment."},
    [PH_POSTURE] = {"posture", "That doesn't look like the position for this one."},
    [PH_TIMEOUT] = {"timeout", "Let's leave that one for now and move on."},
    [PH_LIMIT_SKIP] = {"limit_skip", "The advanced stretch is left out today: it has been done "
                                     "enough this week."},
    [PH_CURL] = {"curl", "Roll down slowly, then come back up, head last."},
    [PH_CURL_DONE] = {"curl_done", "That was the last one. Stand tall and breathe."},
    [PH_ROCK_DONE] = {"rock_done", "That's the rocking time. Let the knees slow down and rest."},
    [PH_HOLD_COUNTED] = {"hold_counted", "That one counts."},
};

void phrases_defaults(struct phrases *p)
{
    for (int i = 0; i < PH_COUNT; i++)
        snprintf(p->text[i], PHRASE_MAX, "%s", table[i].text);
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
            } else if (strcspn(config_setting_get_string(s),
                               "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"
                               "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
                               "\x1d\x1e\x1f\x7f") != strlen(config_setting_get_string(s))) {
                ERR("%s:%d: phrases.%s: a control character: a phrase is plain text\n", path,
                    config_setting_source_line(s), key); /* it would reach the terminal */
            } else {
                snprintf(p->text[id], PHRASE_MAX, "%s", config_setting_get_string(s));
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
