/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phrases: everything the station says, by key, in a table a clinic can
 * change or translate (assets/phrases.cfg, libconfig). {n}, {total},
 * {done} and {name} are filled in when a phrase is said. */
#ifndef STATION_PHRASES_H
#define STATION_PHRASES_H

#include <stdbool.h>
#include <stddef.h>

#include "../session/program.h"

/* The screen's words: id, key in the phrase file, the built-in English.
 * The session and the motion core give the screen English lines; the
 * screen shows them through this table (the English line is the key, as
 * in gettext), so a phrase file translates them too. */
#define PHRASE_SCREEN_WORDS(X)                                                             \
    X(S_HOLD, "screen_hold", "hold")                                                         \
    X(S_ROUND, "screen_round", "round")                                                      \
    X(S_REST, "screen_rest", "rest")                                                         \
    X(S_PAUSED, "screen_paused", "paused")                                                   \
    X(S_OF_SECONDS, "screen_of_seconds", "of {n} s")                                        \
    X(S_EXERCISE_N, "screen_exercise_n", "exercise {n} of {total}")                         \
    X(S_STEP_N, "screen_step_n", "step {n} of {total}")                                     \
    X(S_TO_ROCK, "screen_to_rock", "{n} s to rock")                                          \
    X(S_SECONDS, "screen_seconds", "{n} s")                                                  \
    X(S_PACE, "screen_pace", "pace")                                                         \
    X(S_RHYTHM, "screen_rhythm", "rhythm")                                                   \
    X(S_EFFORT, "screen_effort", "effort")                                                   \
    X(S_ON_TARGET, "verdict_on_target", "on target")                                         \
    X(S_TOO_SLOW, "verdict_too_slow", "too slow")                                            \
    X(S_TOO_FAST, "verdict_too_fast", "too fast")                                            \
    X(S_STEADY, "verdict_steady", "steady")                                                  \
    X(S_UNEVEN, "verdict_uneven", "uneven")                                                  \
    X(S_GENTLE, "verdict_gentle", "gentle")                                                  \
    X(S_TOO_SMALL, "verdict_too_small", "too small")                                         \
    X(S_TOO_VIGOROUS, "verdict_too_vigorous", "too vigorous")                                \
    X(S_LIVE, "badge_live", "LIVE")                                                          \
    X(S_DEMO, "badge_demo", "DEMO")                                                          \
    X(S_REPLAY, "badge_replay", "REPLAY")                                                    \
    X(S_LOST, "badge_lost", "SENSOR LOST")                                                   \
    X(S_READY, "title_ready", "Ready when you are")                                          \
    X(S_PAUSED_TITLE, "title_paused", "Paused")                                              \
    X(S_LIMIT_TITLE, "title_limit", "Twice this week already")                               \
    X(S_OVER, "title_over", "Session over")                                                  \
    X(S_STATION, "title_station", "Stretch station")                                         \
    X(S_WELL_DONE, "title_well_done", "Well done: all {total} exercises")                    \
    X(S_N_DONE, "title_n_done", "{done} of {total} exercises done")                          \
    X(S_N_EXERCISES, "screen_n_exercises", "{total} exercises")                              \
    X(S_PACED, "screen_paced", "paced by time, not measured")                                \
    X(S_N_OF, "screen_n_of", "{n} of {total}")                                               \
    X(S_BOUNCES, "screen_bounces", "{name} bounces a second")                                \
    X(S_LEFT_LEG, "side_left", "left leg")                                                   \
    X(S_RIGHT_LEG, "side_right", "right leg")                                                \
    X(S_M_PRESS_START, "line_press_start", "Press start when you are ready")                 \
    X(S_M_PAUSED, "line_paused", "Paused: press start to carry on")                          \
    X(S_M_LIMIT, "line_limit", "Already done enough this week: start to do it anyway, next to skip") \
    X(S_M_ALL_DONE, "line_all_done", "Every exercise done. Well done!")                       \
    X(S_M_NONE_DONE, "line_none_done", "Session ended: no exercise was finished this time")    \
    X(S_M_SOME_DONE, "line_some_done", "Session ended: some exercises were not finished")     \
    X(S_M_REST, "line_rest", "Rest, then get ready for the next one")                        \
    X(S_M_HOLD_DONE, "line_hold_done", "Done: come out of it gently")                        \
    X(S_M_POSTURE, "line_posture", "Not in the position for this exercise yet")              \
    X(S_M_KEEP_STILL, "line_keep_still", "Keep still and breathe")                           \
    X(S_M_GET_INTO, "line_get_into", "Get into position and keep still")                     \
    X(S_M_START_ROCKING, "line_start_rocking", "Start rocking gently")                       \
    X(S_M_ROUND_DONE, "line_round_done", "Round done: let the leg rest")                     \
    X(S_M_BOUNCES, "line_bounces", "Tiny bounces, keep going")                               \
    X(S_M_TWIST, "line_twist", "Into the twist, then tiny bounces")                          \
    X(S_M_ROLL_DOWN, "line_roll_down", "Roll down slowly")                                   \
    X(S_M_UNROLL, "line_unroll", "Now unroll slowly, head last")                             \
    X(S_C_GENTLER, "line_gentler", "Softer - smaller, smoother swings")                      \
    X(S_C_SLOWER, "line_slower", "Ease off the pace a little")                               \
    X(S_C_STEADIER, "line_steadier", "Find an even beat, like rocking a pram")               \
    X(S_C_QUICKER, "line_quicker", "A touch quicker")                                        \
    X(S_C_BIGGER, "line_bigger", "Let the knees travel a bit further")                       \
    X(S_C_GOOD, "line_good", "Lovely - keep this rhythm")                                    \
    X(S_N_SENSOR_LOST, "notice_sensor_lost", "Sensor lost: check its cable")                 \
    X(S_N_HOLD_STOP, "notice_hold_stop", "Hold the stop button to end the session")          \
    X(S_STAGE, "title_stage", "Stage {n}")                                                   \
    X(S_ABOUT_MIN, "screen_about_min", "about {n} min")                                      \
    X(S_M_CHOOSE, "line_choose", "Next: the other stage. Start: begin")                   \
    X(S_M_CHOOSE_PERSON, "line_choose_person", "For {name}. Next: someone else. Start: begin") \
    X(S_STAGE_ONCE, "screen_stage_once", "Just this session: her program is stage {n}")       \
    X(S_WEEK_IDLE, "screen_week_idle", "This week: {n}. Hold next: your weeks")             \
    X(S_HIST_TITLE, "title_history", "The last {n} weeks")                                  \
    X(S_THIS_WEEK, "screen_this_week", "this week")                                          \
    X(S_IN_A_ROW, "screen_in_a_row", "days in a row")                                        \
    X(S_H_SESSIONS, "screen_history_sessions", "Sessions")                                   \
    X(S_H_PACE, "screen_history_pace", "Pace")                                               \
    X(S_H_RHYTHM, "screen_history_rhythm", "Rhythm")                                         \
    X(S_H_STEADY, "screen_history_steady", "steady")                                         \
    X(S_H_UNEVEN, "screen_history_uneven", "uneven")                                         \
    X(S_M_HISTORY, "line_history", "Start: begin. Next: back")                               \
    X(S_WEEK_END, "screen_week_end", "Sessions this week: {n}")                              \
    X(S_STREAK_END, "screen_streak_end", "Days in a row: {n}")

enum phrase_id {
    PH_HOLD_START,
    PH_COUNT_3,
    PH_COUNT_2,
    PH_COUNT_1,
    PH_REP,          /* {n} of {total} */
    PH_LAST_REP,
    PH_OTHER_LEG,
    PH_ROUND_DONE,   /* {n} */
    PH_CUE_GENTLER,
    PH_CUE_SLOWER,
    PH_CUE_STEADIER,
    PH_CUE_QUICKER,
    PH_CUE_BIGGER,
    PH_CUE_GOOD,
    PH_CONFIRM,
    PH_PAUSED,
    PH_FINISHED,     /* every exercise done ({total}) */
    PH_STEP,         /* {name} */
    PH_FINISHED_PART,/* {done} of {total} exercises done */
    PH_FINISHED_NONE,
    PH_STEP_AGAIN,   /* {name}: a step gone back to */
    PH_HOLD_DONE,    /* a single hold reached its target */
    PH_REST,         /* rest between holds or rounds */
    PH_POSTURE,      /* still, but not in the exercise's position */
    PH_TIMEOUT,      /* no progress: the station moves on */
    PH_LIMIT_SKIP,   /* advanced stretch left out: over the weekly limit */
    PH_CURL,         /* one paced curl down */
    PH_CURL_DONE,    /* the last paced curl down */
    PH_ROCK_DONE,    /* the rocking time is in */
    PH_HOLD_COUNTED, /* a hold counted as it ended (near its target) */
    PH_CUE_GENTLER_2,/* the same correction again, a little more plainly */
    PH_CUE_SLOWER_2,
    PH_CUE_STEADIER_2,
    PH_CUE_QUICKER_2,
    PH_CUE_BIGGER_2,
    PH_CUE_BETTER,   /* still off, but better than when it was said */
    PH_SENSOR_LOST,  /* the sensor stopped answering */
    PH_SENSOR_STILL, /* ... and is still lost (every 30 s) */
    PH_SENSOR_BACK,  /* it answers again */
    PH_STAGE,        /* a stage chosen at idle ({n}; {total}: about how many minutes) */
    PH_WEEK,         /* her week at idle: {n} sessions this week, {total} days in a row */
    /* each exercise's name, how-to and caution, by exercise id */
    PH_EX_NAME,
    PH_EX_HOW = PH_EX_NAME + EX_COUNT,
    PH_EX_CAUTION = PH_EX_HOW + EX_COUNT,
    PH_EX_LAST_ = PH_EX_CAUTION + EX_COUNT - 1,
#define PHRASE_ENUM_(id, key, text) PH_##id,
    PHRASE_SCREEN_WORDS(PHRASE_ENUM_)
#undef PHRASE_ENUM_
    PH_COUNT
};

#define PH_SCREEN_FIRST PH_S_HOLD

#define PHRASE_MAX 200

struct phrases {
    char text[PH_COUNT][PHRASE_MAX];
    bool given[PH_COUNT];  /* set by the loaded file (not the built-in word) */
};

/* The built-in table (our own words, English). */
void phrases_defaults(struct phrases *p);

/* Loads path over the defaults. Returns the number of errors ("FILE:LINE:
 * phrases.KEY: ..." lines in errbuf); unknown keys are errors. */
int phrases_load(struct phrases *p, const char *path, char *errbuf, size_t errlen);

const char *phrase_key(enum phrase_id id);

/* The screen's word for an English line (a screen word's built-in text):
 * its text in p, or english itself when it is not one. p may be NULL. */
const char *phrase_screen(const struct phrases *p, const char *english);

/* An exercise's name, how-to or caution (PH_EX_NAME, PH_EX_HOW,
 * PH_EX_CAUTION) in p (NULL: the built-in English). */
const char *phrase_ex(const struct phrases *p, enum phrase_id which, enum exercise_id ex);

/* The word for id (NULL p: the built-in English). */
const char *phrase_text(const struct phrases *p, enum phrase_id id);

/* Fills {n}, {total}, {done}, {name} into out. */
void phrase_format(const struct phrases *p, enum phrase_id id, int n, int total,
                   const char *name, char *out, size_t len);

#endif
