/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: the station's main loop. */
#include "app.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../input/buttons.h"
#include "../sensor/acquire.h"
#include "../sensor/drivers.h"
#include "../input/gpio_buttons.h"
#include "../motion/motion.h"
#include "../history/history.h"
#include "../people/people.h"
#include "../record/record.h"
#include "../session/session.h"
#include "../coach/coach.h"
#include "../coach/cueq.h"
#include "../coach/phrases.h"
#include "../ui/sound.h"
#include "../ui/speech.h"
#include "../ui/ui.h"
#include "../util/clock.h"
#include "../util/exit_codes.h"
#include "../util/json.h"
#include "script.h"
#include "settings.h"

#define EVMAX 64
#define FRAME_S (1.0 / 30)
#define AUTOSTART_PAUSE_S 10.0
/* No samples for this long, with the sensor not known lost, and the
 * watchdog goes unfed (the driver's own watchdog acts after about 1 s). */
#define DATA_STALL_S 5.0

struct app {
    const struct app_options *o;
    struct station_config cfg;
    struct motion_params mp;
    struct program prog;
    char storage[600];
    struct source *src;
    struct motion *motion;
    struct session session;
    bool session_open;      /* a session exists (started, maybe finished) */
    struct record rec;
    bool recording;
    bool rec_error_told;
    struct ui *ui;
    double next_frame;      /* when the screen is drawn next */
    struct sound *sound;
    struct speech *speech;
    struct phrases phrases;
    struct coach coach;
    struct cueq cueq;        /* the speech channel: what waits, what plays */
    struct button_source buttons;
    bool have_buttons;
    struct debounce deb;
    struct script script;
    bool have_script;
    int sfd;
    double t0, t;           /* first and latest sample time */
    bool have_t;
    double next_status, next_sync;
    char notice[200];
    const char *config_path;
    uint64_t watchdog_usec;   /* 0: no watchdog */
    double next_watchdog;
    double flowing_wall;      /* when samples last came, or the sensor was lost */
    double lost_since, lost_told;
    double last_sample_wall;  /* wall clock of the last sample read */
    double open_wall;         /* wall clock when the source opened */
    bool autostart;          /* nobody can press start: sessions follow each other */
    bool autostart_due;      /* the first session starts at the first sample */
    bool demo_told;
    bool close_due;          /* the session ended: its record closes once its last
                                words are said (they belong in its cue log) */
    double last_status_wall;
    double last_status_t;     /* sample time of the last status line */
    double last_notify_wall;
    double finished_t;
    unsigned long long samples;
    unsigned long long in_session, stored; /* samples while recording, rows written */
    unsigned long long dropped_base; /* glitches dropped before this session */
    unsigned long long taken;        /* every sample taken in */
    bool shot;                       /* the --screenshot was saved */
    bool quit;
    int exit_code;
    int chosen_stage;        /* chosen on the device at idle; 0: none */
    int her_stage;           /* the chosen person's program's stage; 0: nobody chosen */
    char idle_told[320];     /* what start begins, as last said (a whole name) */
    struct people_chooser people; /* issue 13: whom the session is for */
    bool history_page;       /* at idle: her weeks on the screen instead of the stage */
    struct history_weeks weeks; /* her weeks as last read (weeks_ok) */
    bool weeks_ok, weeks_stale;
    char weeks_key[HIST_KEY_LEN + 2]; /* whose they are ("*": anyone) */
    double weeks_read;        /* when (mono) */
};

/* Under systemd the output goes to the journal: a status line a minute
 * there, not a second. */
#define JOURNAL_STATUS_S 60.0
static bool under_journal(void)
{
    const char *j = getenv("JOURNAL_STREAM");
    return j && *j;
}

/* Log levels the journal understands as a "<N>" prefix on stderr. */
enum { LOG_ERR_ = 3, LOG_WARN_ = 4, LOG_INFO_ = 6 };

/* One log line: a journald priority prefix when stderr is the journal. */
static void vsay_at(int level, const char *fmt, va_list ap)
{
    fflush(stdout); /* keep the two streams in order on one terminal */
    if (getenv("JOURNAL_STREAM"))
        fprintf(stderr, "<%d>", level);
    fputs("station: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

__attribute__((format(printf, 3, 4)))
static void say_at(struct app *a, int level, const char *fmt, ...)
{
    (void)a;
    va_list ap;
    va_start(ap, fmt);
    vsay_at(level, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void say(struct app *a, const char *fmt, ...)
{
    (void)a;
    va_list ap;
    va_start(ap, fmt);
    vsay_at(LOG_INFO_, fmt, ap);
    va_end(ap);
}

/* ---- the session record ---- */

static int storage_dir(struct app *a)
{
    const char *want = a->o->storage ? a->o->storage : a->cfg.storage.directory;
    if (strlen(want) > RECORD_STORAGE_MAX) { /* said now, not at each session */
        say_at(a, LOG_ERR_, "--storage: the path is %zu characters long; at most %d are "
               "allowed", strlen(want), RECORD_STORAGE_MAX);
        return -1;
    }
    /* --storage as given (made at the first session); the configured one
     * made now; only the default, when not this user's, gives way to the
     * per-user folder (history_storage) */
    bool named = strcmp(a->cfg.storage.directory, CONFIG_STORAGE_DEFAULT) != 0;
    char err[800];
    int rc = history_storage(a->o->storage, a->cfg.storage.directory, named, !a->o->storage,
                             a->storage, sizeof a->storage, err, sizeof err);
    if (rc < 0) /* said now; each session then says it is not recorded */
        say_at(a, LOG_ERR_, "%s", err);
    else if (rc > 0)
        say(a, "%s is not writable: sessions go to %s", want, a->storage);
    return 0;
}

static void rec_check(struct app *a)
{
    if (a->recording && a->rec.error && !a->rec_error_told) {
        a->rec_error_told = true;
        snprintf(a->notice, sizeof a->notice, "Recording stopped: %s (the session goes on)",
                 strerror(a->rec.error));
        say_at(a, LOG_ERR_, "%s: %s: recording stopped; what was stored is kept", a->rec.dir,
            strerror(a->rec.error));
        if (a->o->replay) /* a replay's record is its whole output */
            a->exit_code = 1;
    }
}

static void rec_event(struct app *a, double t, const char *type, const char *fields)
{
    if (a->recording) {
        record_event(&a->rec, t, type, fields);
        rec_check(a);
    }
}

/* What the data is: a person now, the bundled demo, or a replayed trace.
 * Every record and report says so. */
static const char *data_mode(const struct app *a)
{
    if (a->o->replay || (a->src && source_state(a->src) == SOURCE_STATE_REPLAY))
        return "replay";
    return a->src && source_state(a->src) == SOURCE_STATE_DEMO ? "demo" : "live";
}

/* The session's clock (sample time) while no samples come: the last
 * sample's time moved on by the wall clock (at the emulator's speed), so a
 * lost sensor is spoken about, and reminded of, on the same clock as the
 * cues around it. */
static double clock_now(const struct app *a, double now)
{
    if (source_state(a->src) != SOURCE_STATE_LOST || !a->have_t)
        return a->t;
    double speed = a->o->src.speed > 0 ? a->o->src.speed : 1;
    return a->t + fmax(0, now - a->last_sample_wall) * speed;
}

/* Glitch samples dropped so far: by the source (a trace's rows) and by the
 * motion core (the chip's samples). */
static unsigned long long dropped_so_far(const struct app *a)
{
    struct source_stats st;
    source_stats(a->src, &st);
    return st.dropped + (a->motion ? motion_dropped(a->motion) : 0);
}

static void write_summary(struct app *a, const char *status)
{
    if (!a->recording)
        return;
    a->session.dropped = (unsigned long)(dropped_so_far(a) - a->dropped_base);
    static char json[65536], full[65536 + 2048];
    session_summary_json(&a->session, status, data_mode(a), json, sizeof json);
    /* issue 13: the person, the station and the software first */
    people_splice_summary(chooser_current(&a->people), &a->mp, json, full, sizeof full);
    record_summary(&a->rec, full);
    rec_check(a);
}

static void open_record(struct app *a)
{
    if (a->o->no_record)
        return;
    /* the demo is nobody's session: it goes into no one's history unless a
     * storage folder is named for it */
    if (strcmp(data_mode(a), "demo") == 0 && !a->o->storage) {
        if (!a->demo_told)
            say(a, "this DEMO session is not recorded: demo sessions are recorded only with "
                "--storage DIR, not in storage.directory");
        a->demo_told = true;
        return;
    }
    char err[400];
    if (record_open(&a->rec, a->storage, time(NULL), source_meta(a->src), err, sizeof err) < 0) {
        snprintf(a->notice, sizeof a->notice, "Not recording: %s", err);
        say_at(a, LOG_ERR_, "not recording: %s", err);
        if (a->o->replay) /* a replay's record is its whole output */
            a->exit_code = 1;
        return;
    }
    a->recording = true;
    a->dropped_base = dropped_so_far(a);
    a->rec_error_told = false;
    say(a, "recording the session in %s", a->rec.dir);
}

static void close_record(struct app *a, const char *status)
{
    if (!a->recording)
        return;
    write_summary(a, status);
    if (a->rec.error) /* the final summary did not reach the disk: say so there too */
        record_mark_incomplete(&a->rec);
    int rc = record_close(&a->rec);
    rec_check(a);
    if (rc < 0)
        say_at(a, LOG_ERR_, "%s: the session ended (%s) but its record is incomplete: %s; "
               "its summary says \"incomplete\" where it could be written", a->rec.dir,
               status, strerror(-rc));
    else
        say(a, "session stored in %s (%s)", a->rec.dir, status);
    a->recording = false;
    a->weeks_stale = true; /* her weeks have one more */
    /* issue 13: the station's index follows (the folder stays the truth) */
    const char *folder = strrchr(a->rec.dir, '/');
    char err[800];
    if (people_index_folder(a->storage, folder ? folder + 1 : a->rec.dir, err, sizeof err) < 0)
        say_at(a, LOG_WARN_, "the index of sessions was not updated (`station reindex` mends "
               "it): %s", err);
}

/* ---- what the station says ---- */

/* What became of spoken cues, into the record: queued (at the cue's
 * moment), played ("cue", the line with its "text"), dropped or cut, each
 * with its time, the moment it was for and its priority. */
static void cue_reports(struct app *a, const struct cueq_report *r, int n)
{
    for (int i = 0; i < n; i++) {
        const struct cue *c = &r[i].c;
        char fields[900], q[600];
        int len = snprintf(fields, sizeof fields,
                           "\"sound\": \"speech\", \"phrase\": \"%s\", \"text\": %s, "
                           "\"priority\": \"%s\", \"step\": %d, \"moment\": %.3f",
                           phrase_key(c->phrase), json_quote(c->text, q, sizeof q),
                           cue_prio_name(c->prio), c->step + 1,
                           c->t - (a->recording ? a->rec.t0 : a->t0));
        const char *type = "cue_queued";
        if (r[i].what == CQ_PLAYED) {
            const int16_t *pcm = NULL;
            size_t pl = a->speech ? speech_get(a->speech, c->text, &pcm) : 0;
            bool played = pl && sound_speak(a->sound, pcm, pl);
            snprintf(fields + len, sizeof fields - (size_t)len,
                     ", \"late_s\": %.3f, \"length_s\": %.2f, \"played\": %s", r[i].t - c->t,
                     c->len_s, played ? "true" : "false");
            type = "cue";
            if (a->o->headless || !a->ui)
                printf("[%s %7.1f s] says: %s\n", source_state_name(source_state(a->src)),
                       r[i].t - a->t0, c->text);
        } else if (r[i].what == CQ_DROPPED || r[i].what == CQ_CUT) {
            snprintf(fields + len, sizeof fields - (size_t)len, ", \"why\": \"%s\"",
                     r[i].why ? r[i].why : "");
            type = r[i].what == CQ_DROPPED ? "cue_dropped" : "cue_cut";
        }
        rec_event(a, r[i].t, type, fields);
    }
}

/* The speech channel's turn at time t (sample time): late cues go, the
 * most urgent waiting one starts when the channel is free. */
static void speak_due(struct app *a, double t)
{
    struct cueq_report r[CUEQ_REPORTS];
    bool cut;
    int n = cueq_run(&a->cueq, t, &cut, r, CUEQ_REPORTS);
    if (cut)
        sound_cut(a->sound);
    cue_reports(a, r, n);
}

/* A step began (or the session ended: step -1): what the old step still
 * had to say is not said. */
static void speak_step(struct app *a, int step, double t)
{
    struct cueq_report r[CUEQ_REPORTS];
    bool cut;
    int n = cueq_step(&a->cueq, step, t, &cut, r, CUEQ_REPORTS);
    if (cut)
        sound_cut(a->sound);
    cue_reports(a, r, n);
}

/* Closes the ended session's record once its last words are out, or at
 * once (now: a new session, the end of the run), saying what still waits
 * at the times the channel frees. */
#define CLOSE_WAIT_S 15.0
static void finish_record(struct app *a, double t, bool now)
{
    if (!a->close_due)
        return;
    if (!now && cueq_busy(&a->cueq, t) && t - a->finished_t < CLOSE_WAIT_S)
        return;
    for (int i = 0; now && i < CUEQ_MAX && a->cueq.n > 0; i++)
        speak_due(a, a->cueq.busy && a->cueq.busy_until > t ? a->cueq.busy_until : t);
    a->close_due = false;
    close_record(a, session_status(&a->session));
}

static void play_cues(struct app *a, struct cue *c, int n)
{
    for (int i = 0; i < n; i++) {
        if (c[i].sound == CUE_TICK) {
            if (a->cfg.audio.sounds)
                sound_tick(a->sound);
            continue; /* the pacer is not logged: it is the same every beat */
        }
        if (c[i].sound == CUE_CHIME) {
            if (!a->cfg.audio.sounds)
                continue;
            sound_chime(a->sound);
            rec_event(a, c[i].t, "cue", "\"sound\": \"chime\"");
            continue;
        }
        const int16_t *pcm = NULL;
        size_t len = a->speech ? speech_get(a->speech, c[i].text, &pcm) : 0;
        c[i].len_s = len ? (double)len / SOUND_RATE
                         : cueq_estimate_s(c[i].text, a->cfg.audio.speed_wpm);
        struct cueq_report r[CUEQ_REPORTS];
        cue_reports(a, r, cueq_push(&a->cueq, &c[i], r, CUEQ_REPORTS));
    }
    if (n)
        speak_due(a, n ? c[0].t : a->t);
}

/* Every phrase a session can need, made before it starts, so no cue waits
 * for the synthesiser. */
static void precache_speech(struct app *a)
{
    if (!a->speech)
        return;
    const int16_t *pcm;
    char text[400];
    for (int id = 0; id < PH_EX_NAME; id++) { /* the spoken ones */
        if (id == PH_STEP || id == PH_REP || id == PH_ROUND_DONE || id == PH_FINISHED)
            continue;
        phrase_format(&a->phrases, (enum phrase_id)id, 0, 0, NULL, text, sizeof text);
        speech_get(a->speech, text, &pcm);
    }
    for (int i = 0; i < a->prog.nsteps; i++) {
        const struct step *st = &a->prog.steps[i];
        const struct exercise *ex = exercise_get(st->ex);
        const char *name = phrase_ex(&a->phrases, PH_EX_NAME, ex->id);
        phrase_format(&a->phrases, PH_STEP, 0, 0, name, text, sizeof text);
        speech_get(a->speech, text, &pcm);
        phrase_format(&a->phrases, PH_STEP_AGAIN, 0, 0, name, text, sizeof text);
        speech_get(a->speech, text, &pcm);
        if (a->cfg.audio.instructions) {
            speech_get(a->speech, phrase_ex(&a->phrases, PH_EX_HOW, ex->id), &pcm);
            if (*phrase_ex(&a->phrases, PH_EX_CAUTION, ex->id))
                speech_get(a->speech, phrase_ex(&a->phrases, PH_EX_CAUTION, ex->id), &pcm);
        }
        for (int n = 1; n <= st->reps; n++) {
            phrase_format(&a->phrases, st->kind == STEP_BOUNCE ? PH_ROUND_DONE : PH_REP, n,
                          st->reps, NULL, text, sizeof text);
            speech_get(a->speech, text, &pcm);
        }
    }
    for (int d = 0; d <= a->prog.nsteps; d++) {
        phrase_format(&a->phrases, PH_FINISHED, d, a->prog.nsteps, NULL, text, sizeof text);
        speech_get(a->speech, text, &pcm);
    }
}

/* ---- session events ---- */

static void on_session_events(struct app *a, const struct session_event *ev, int n)
{
    for (int i = 0; i < n; i++) {
        const struct session_event *e = &ev[i];
        char q[400], fields[600];
        snprintf(fields, sizeof fields, "\"step\": %d, \"value\": %.3f, \"text\": %s",
                 e->step + 1, e->value, json_quote(e->text, q, sizeof q));
        if (e->kind == SEV_STARTED) {
            finish_record(a, e->t, true);
            open_record(a);
            size_t l = strlen(fields);
            snprintf(fields + l, sizeof fields - l, ", \"mode\": \"%s\"", data_mode(a));
        }
        rec_event(a, e->t, session_event_name(e->kind), fields);
        if ((a->o->headless || !a->ui) && e->kind != SEV_HOLD_START)
            printf("[%s %7.1f s] %s\n", source_state_name(source_state(a->src)), e->t - a->t0,
                   e->text);
        /* what to say about it goes into the record before a finish closes it */
        if (e->kind == SEV_STEP)
            speak_step(a, e->step, e->t);
        else if (e->kind == SEV_FINISHED)
            speak_step(a, -1, e->t);
        struct cue cues[COACH_MAXCUES];
        play_cues(a, cues, coach_events(&a->coach, &a->session, e, 1, cues, COACH_MAXCUES));
        if (e->kind == SEV_FINISHED) {
            a->close_due = true;
            a->finished_t = e->t;
        }
    }
    if (n)
        fflush(stdout);
}

/* issue 13: her weeks (anyone's when nobody is set up) for the screen and
 * the status line, read again when whose they are changes, after a session
 * is stored, and once a minute (the day turns); NULL when the storage
 * cannot be read. Demo and replay sessions are in no one's weeks. */
static const struct history_weeks *her_weeks(struct app *a)
{
    const struct person *p = chooser_current(&a->people);
    const char *key = p ? p->key : "*";
    double now = mono_now();
    if (a->weeks_stale || strcmp(key, a->weeks_key) != 0 || now - a->weeks_read >= 60) {
        a->weeks_ok = history_weeks(a->storage, p ? p->key : NULL, time(NULL), &a->weeks) == 0;
        if (!a->weeks_ok && access(a->storage, F_OK) < 0 && errno == ENOENT) {
            /* nothing stored yet (the folder comes with the first session) */
            memset(&a->weeks, 0, sizeof a->weeks);
            for (int w = 0; w < HISTORY_WEEKS; w++)
                a->weeks.week[w].rate_hz = a->weeks.week[w].rhythm_cv =
                    a->weeks.week[w].child_pose_s = a->weeks.week[w].backblock_s = NAN;
            a->weeks_ok = true;
        }
        snprintf(a->weeks_key, sizeof a->weeks_key, "%s", key);
        a->weeks_read = now;
        a->weeks_stale = false;
    }
    return a->weeks_ok ? &a->weeks : NULL;
}

/* issue 13: what start begins, for the idle screen and the next session:
 * the chosen person's program over the configuration (pc), its stage the
 * command line's, else one chosen on the device, else hers. Said in the
 * log when it changes (a station heard, not watched), unless quiet. */
static void idle_program(struct app *a, struct station_config *pc, bool quiet)
{
    const struct person *p = chooser_current(&a->people);
    *pc = a->cfg;
    chooser_config(&a->people, time(NULL), pc);
    a->her_stage = p ? pc->session.stage : 0;
    program_build(&a->prog, a->o->stage ? a->o->stage
                          : a->chosen_stage ? a->chosen_stage : pc->session.stage, pc);
    char told[sizeof a->idle_told];
    snprintf(told, sizeof told, "stage %d%s%s, about %d min%s", a->prog.stage,
             p ? " for " : "", p ? p->name : "", ui_program_minutes(&a->prog),
             p && a->prog.stage != a->her_stage ? " (just this session: her program is the "
                                                  "other stage)" : "");
    if (!quiet && strcmp(told, a->idle_told) != 0)
        say(a, "start begins %s", told);
    snprintf(a->idle_told, sizeof a->idle_told, "%s", told);
}

/* issue 13: the person's program over the configuration, for a new session */
static int person_program(struct app *a, bool live, int *limit)
{
    const struct person *p = chooser_current(&a->people);
    *limit = a->cfg.session.advanced_per_week;
    if (!p)
        return live ? record_count_advanced(a->storage, time(NULL)) : 0;
    struct station_config pc;
    struct motion_params old = a->mp;
    idle_program(a, &pc, true);
    /* a stage chosen on the device was for this session: the next shows hers */
    a->chosen_stage = 0;
    a->idle_told[0] = '\0';
    settings_motion_params(&pc, &a->mp);
    *limit = pc.session.advanced_per_week;
    if (memcmp(&old, &a->mp, sizeof old) != 0) /* her rocking band, live too */
        motion_init(a->motion, &a->mp);
    precache_speech(a);
    say(a, "session for %s", p->name);
    return live ? history_count_advanced(a->storage, p->key, time(NULL)) : 0;
}

/* issue 13: "Anna: 2 sessions this week, 3 days in a row" for the status
 * lines between sessions; false when her weeks cannot be read. */
static bool week_words(struct app *a, char *buf, size_t len)
{
    const struct history_weeks *w = her_weeks(a);
    const struct person *p = chooser_current(&a->people);
    if (!w)
        return false;
    snprintf(buf, len, "%s%s%d session%s this week, %d day%s in a row", p ? p->name : "",
             p ? ": " : "", w->this_week, w->this_week == 1 ? "" : "s", w->streak_days,
             w->streak_days == 1 ? "" : "s");
    return true;
}

/* Says a phrase between sessions (a stage chosen, her week). */
static void say_between(struct app *a, enum phrase_id id, int n, int total)
{
    struct cue c[1];
    memset(c, 0, sizeof c);
    c[0].sound = CUE_SPEAK;
    c[0].phrase = id;
    c[0].prio = PRIO_STATE;
    c[0].step = -1;
    c[0].t = a->t;
    phrase_format(&a->phrases, id, n, total, NULL, c[0].text, sizeof c[0].text);
    if (a->cfg.audio.speech)
        play_cues(a, c, 1);
}

/* At idle (or after a session) the stage is chosen on the device: the
 * screen lists its exercises and length, the voice says it. */
static void choose_stage(struct app *a, int stage, const char *from)
{
    a->chosen_stage = stage;
    struct station_config pc;
    idle_program(a, &pc, true);
    session_init(&a->session, &a->prog, &a->mp, 0, pc.session.advanced_per_week);
    a->session_open = false;
    say(a, "stage %d chosen (%s): %d steps, about %d min%s", stage, from, a->prog.nsteps,
        ui_program_minutes(&a->prog), a->her_stage && a->her_stage != stage
            ? "; just this session: her program is the other stage" : "");
    say_between(a, PH_STAGE, stage, ui_program_minutes(&a->prog));
}

static void command(struct app *a, enum session_cmd cmd, const char *from)
{
    if (!a->session_open || a->session.state == SS_FINISHED) {
        chooser_reload(&a->people, a->storage); /* issue 13: people changed meanwhile */
        struct station_config pc;
        idle_program(a, &pc, false);
        /* back (a long press of next) shows her weeks; back or next again
         * returns to the choice, which is left as it was */
        if (cmd == CMD_BACK || (a->history_page && cmd == CMD_NEXT)) {
            a->history_page = cmd == CMD_BACK && !a->history_page;
            char words[160];
            if (a->history_page && week_words(a, words, sizeof words)) {
                /* shown, and said for a station heard, not watched */
                say(a, "history: %s (next: back; start: begin)", words);
                say_between(a, PH_WEEK, a->weeks.this_week, a->weeks.streak_days);
            } else if (a->history_page)
                say(a, "history: the sessions in %s cannot be read", a->storage);
            return;
        }
        a->history_page = false;
        /* between sessions, next chooses: whose session when several people
         * use the station (her program has her stage), else the stage */
        if (cmd == CMD_NEXT && chooser_asks(&a->people)) {
            chooser_next(&a->people);
            a->chosen_stage = 0; /* her program's stage */
            idle_program(a, &pc, false);
            say(a, "next session for %s (next: someone else; start: begin)",
                chooser_current(&a->people)->name);
            return;
        }
        if (cmd == CMD_NEXT) {
            choose_stage(a, a->prog.stage == 1 ? 2 : 1, from);
            return;
        }
        if (cmd != CMD_START_PAUSE)
            return;
        /* a new session */
        /* only live sessions count towards the weekly limit */
        bool live = strcmp(data_mode(a), "live") == 0;
        int limit, adv = person_program(a, live, &limit); /* issue 13: per person */
        session_init(&a->session, &a->prog, &a->mp, adv, limit);
        session_set_context(&a->session, live, !a->ui && !a->have_buttons && !a->have_script);
        session_set_origin(&a->session, a->have_t ? a->t0 : a->t);
        session_seed(&a->session, motion_live(a->motion));
        a->session_open = true;
    }
    char fields[120];
    snprintf(fields, sizeof fields, "\"command\": \"%s\", \"from\": \"%s\"",
             session_cmd_name(cmd), from);
    /* the press goes into the record before what it caused (a stop closes
     * the record); the first start opens it, so that one is logged after */
    bool logged = a->recording;
    if (logged)
        rec_event(a, a->t, "command", fields);
    struct session_event ev[SESSION_EVQ];
    int n = session_command(&a->session, cmd, a->t, ev, SESSION_EVQ);
    on_session_events(a, ev, n);
    if (!logged)
        rec_event(a, a->t, "command", fields);
}

/* ---- samples ---- */

static void motion_fields(const struct motion_event *e, double t0, char *buf, size_t len)
{
    switch (e->kind) {
    case MOTION_EV_CYCLE:
        snprintf(buf, len, "\"n\": %d, \"period_s\": %.3f, \"swing_deg\": %.1f, "
                 "\"peak_dps\": %.1f, \"rate_hz\": %.3f", e->cycles, e->period_s,
                 e->swing_deg, e->peak_dps, e->rate_hz);
        break;
    case MOTION_EV_SET_START:
    case MOTION_EV_SET_END:
        snprintf(buf, len, "\"movement\": \"%s\", \"start_s\": %.3f, \"end_s\": %.3f, "
                 "\"cycles\": %d, \"rate_hz\": %.3f, \"rhythm_cv\": %.3f, \"swing_deg\": %.1f",
                 e->osc == OSC_BOUNCE ? "bounce" : "rocking", e->start - t0,
                 e->kind == MOTION_EV_SET_END ? e->end - t0 : 0, e->cycles, e->rate_hz,
                 e->rhythm_cv, e->swing_deg);
        break;
    case MOTION_EV_HOLD_START:
        snprintf(buf, len, "\"start_s\": %.3f", e->start - t0);
        break;
    case MOTION_EV_HOLD_END:
        snprintf(buf, len, "\"start_s\": %.3f, \"end_s\": %.3f, \"duration_s\": %.2f, "
                 "\"counted\": %s, \"steadiness_deg\": %.2f", e->start - t0, e->end - t0,
                 e->duration_s, e->counted ? "true" : "false", e->steadiness_deg);
        break;
    case MOTION_EV_GAP:
        snprintf(buf, len, "\"start_s\": %.3f, \"length_s\": %.3f", e->start - t0,
                 e->end - e->start);
        break;
    default:
        buf[0] = '\0';
    }
}

static const char *motion_type(enum motion_event_kind k)
{
    static const char *names[MOTION_EV_COUNT] = {"set_start", "cycle", "set_end",
                                                 "motion_hold_start", "motion_hold_end", "gap"};
    return names[k];
}

static void status_line(struct app *a)
{
    const struct motion_live *l = motion_live(a->motion);
    struct session_view v;
    session_view(&a->session, a->t, &v);
    printf("[%s %7.1f s] ", source_state_name(source_state(a->src)),
           clock_now(a, mono_now()) - a->t0);
    if (!a->session_open || v.state == SS_IDLE || v.state == SS_FINISHED) {
        printf(!a->session_open || v.state == SS_IDLE ? "waiting for start" : "session finished");
        char week[160];
        if (week_words(a, week, sizeof week))
            printf(" | %s", week);
    } else {
        printf("%s %d/%d", v.ex->name, v.step + 1, v.nsteps);
        if (v.state == SS_PAUSED)
            printf(" | paused");
        else if (v.st->kind == STEP_ROCKING) {
            if (l->in_set && l->osc == OSC_ROCKING && l->rate_hz > 0)
                printf(" | %.2f/s %s, %s, %s | %s", l->rate_hz, verdict_name(l->rate_v, 0),
                       verdict_name(l->rhythm_v, 1), verdict_name(l->effort_v, 2),
                       motion_cue_text(l->cue));
            printf(" | %.0f of %.0f s", v.rock_s, v.target_s);
        } else if (v.st->kind == STEP_REPS) {
            printf(" | %d of %d", v.reps_done, v.reps_target);
        } else {
            printf(" | %s %d of %d | %.0f of %.0f s", v.holding ? "holding" : "not still",
                   v.reps_done, v.reps_target, v.hold_s, v.target_s);
        }
    }
    if (v.thigh_known && v.state == SS_ACTIVE)
        printf(" | thigh %+.0f deg", v.thigh_deg);
    if (source_state(a->src) == SOURCE_STATE_LOST && a->lost_since > 0)
        printf(" | sensor lost %.0f s, timers paused", mono_now() - a->lost_since);
    if (a->notice[0])
        printf(" | %s", a->notice);
    printf("\n");
    fflush(stdout);
}

/* One line for `systemctl status`: the sensor, the session, the samples. */
static void notify_status(struct app *a)
{
    struct session_view v;
    session_view(&a->session, a->t, &v);
    const char *what = !a->session_open || v.state == SS_IDLE ? "waiting for start"
                     : v.state == SS_FINISHED ? "session finished"
                     : v.ex ? v.ex->name : "";
    char sensor[120];
    if (source_state(a->src) == SOURCE_STATE_LOST)
        snprintf(sensor, sizeof sensor, "sensor lost for %.0f s (check its cable); timers paused",
                 a->lost_since > 0 ? mono_now() - a->lost_since : 0);
    else
        snprintf(sensor, sizeof sensor, "sensor %s", source_state_name(source_state(a->src)));
    char week[160] = "";
    bool between = !a->session_open || v.state == SS_IDLE || v.state == SS_FINISHED;
    if (between && week_words(a, week + 2, sizeof week - 2))
        memcpy(week, "; ", 2);
    sd_notifyf(0, "STATUS=%s; %s%s; %llu samples%s%s", sensor, what, week, a->samples,
               a->recording ? "; recording to " : "", a->recording ? a->rec.dir : "");
}

static void on_sample(struct app *a, const struct sample *s)
{
    if (!a->have_t) {
        a->t0 = s->t;
        a->next_status = s->t + 1;
        a->have_t = true;
    }
    a->t = s->t;
    a->taken++;
    if (a->autostart_due) { /* on the sample clock, not before it has a time */
        a->autostart_due = false;
        command(a, CMD_START_PAUSE, "auto");
    }
    if (a->recording) {
        a->in_session++;
        a->stored += record_sample(&a->rec, s) == 0;
        rec_check(a);
    }
    struct motion_event mev[EVMAX];
    struct session_event sev[SESSION_EVQ];
    if (a->session_open)
        session_accel(&a->session, s->t, s->a);
    int n = motion_feed(a->motion, s, mev, EVMAX);
    for (int i = 0; i < n; i++) {
        char fields[400];
        motion_fields(&mev[i], a->recording ? a->rec.t0 : a->t0, fields, sizeof fields);
        rec_event(a, mev[i].t, motion_type(mev[i].kind), fields);
        if (a->session_open)
            on_session_events(a, sev, session_motion(&a->session, &mev[i], sev, SESSION_EVQ));
    }
    const struct motion_live *l = motion_live(a->motion);
    if (a->session_open) {
        on_session_events(a, sev, session_tick(&a->session, s->t, l, sev, SESSION_EVQ));
        struct cue cues[COACH_MAXCUES];
        a->coach.speaking = cueq_busy(&a->cueq, s->t);
        play_cues(a, cues, coach_tick(&a->coach, &a->session, l, s->t, cues, COACH_MAXCUES));
    }
    speak_due(a, s->t);
    finish_record(a, s->t, false);
    if (a->ui)
        ui_sample(a->ui, s->t, l->osc_deg);
    if (a->have_script) {
        enum session_cmd cmd;
        while (script_due(&a->script, s->t - a->t0, &cmd))
            command(a, cmd, "script");
    }
    /* A station nobody can press start on records session after session,
     * with a pause between. */
    if (a->autostart && a->session_open && a->session.state == SS_FINISHED &&
        s->t - a->finished_t >= AUTOSTART_PAUSE_S)
        command(a, CMD_START_PAUSE, "auto");
    if (s->t >= a->next_status) {
        a->next_status += 1;
        if (a->next_status <= s->t) /* the clock jumped: once, not once per second skipped */
            a->next_status = s->t + 1;
        bool finished = a->session_open && a->session.state == SS_FINISHED;
        /* a terminal gets a status line a second; the journal one line per
         * event and a summary line a minute */
        if ((a->o->headless || !a->ui) && !finished &&
            (!under_journal() || s->t - a->last_status_t >= JOURNAL_STATUS_S)) {
            status_line(a);
            a->last_status_t = s->t;
        }
        notify_status(a);
        if (a->recording) { /* once a second: at most a second is ever lost */
            record_sync(&a->rec);
            write_summary(a, NULL); /* "in progress", or how it ended while its last words are said */
        }
    }
}

/* ---- inputs ---- */

static void on_press(struct app *a, const struct button_press *p)
{
    char fields[100];
    snprintf(fields, sizeof fields, "\"button\": \"%s\", \"long\": %s, \"held_s\": %.2f",
             button_name(p->button), p->long_press ? "true" : "false", p->held_s);
    rec_event(a, a->t, "button", fields);
    /* start: start/pause; next: next (long: back); stop: only a long press
     * stops, so a knock does not end a session */
    if (p->button == BUTTON_START && !p->long_press)
        command(a, CMD_START_PAUSE, "button");
    else if (p->button == BUTTON_NEXT)
        command(a, p->long_press ? CMD_BACK : CMD_NEXT, "button");
    else if (p->button == BUTTON_STOP && p->long_press)
        command(a, CMD_STOP, "button");
    else if (p->button == BUTTON_STOP)
        snprintf(a->notice, sizeof a->notice, "Hold the stop button to end the session");
}

static void read_buttons(struct app *a, double now)
{
    struct button_edge e[16];
    struct button_press p[BUTTON_COUNT];
    int n = a->buttons.read(a->buttons.ctx, e, 16);
    if (n < 0) {
        say(a, "buttons stopped answering: keyboard only from now");
        a->buttons.close(a->buttons.ctx);
        a->have_buttons = false;
        return;
    }
    for (int i = 0; i < n; i++)
        if (debounce_edge(&a->deb, &e[i], &p[0]))
            on_press(a, &p[0]);
    int k = debounce_tick(&a->deb, now, p, BUTTON_COUNT);
    for (int i = 0; i < k; i++)
        on_press(a, &p[i]);
}

/* ---- the loop ---- */

static void draw(struct app *a)
{
    struct session_view v;
    session_view(&a->session, a->t, &v);
    const char *person = chooser_asks(&a->people) ? chooser_current(&a->people)->name : NULL;
    struct ui_frame f = {a->t, source_state(a->src), &v, motion_live(a->motion), &a->mp,
                         a->notice[0] ? a->notice : NULL, &a->prog, person, NULL, 0, 0, NULL,
                         NULL, false, 0};
    /* issue 13: between sessions, everyone's names and her weeks */
    const char *names[CHOOSER_MAX];
    if (v.state == SS_IDLE || v.state == SS_FINISHED) {
        const struct person *me = chooser_current(&a->people);
        for (int i = 0; i < chooser_count(&a->people); i++) {
            names[i] = a->people.people[i].name;
            if (&a->people.people[i] == me)
                f.chosen = i;
        }
        f.people = person ? names : NULL;
        f.npeople = chooser_count(&a->people);
        f.hist = her_weeks(a);
        f.hist_for = me ? me->name : NULL;
        f.history = a->history_page;
        f.program_stage = a->her_stage;
    }
    ui_draw(a->ui, &f);
}

/* SIGHUP: read the configuration again; a bad file changes nothing. New
 * targets apply from the next session; the sensor, buttons and screen keep
 * what they were started with. */
static void reload(struct app *a)
{
    sd_notify(0, "RELOADING=1");
    struct station_config cfg;
    char errs[4096];
    if (!a->config_path) {
        say_at(a, LOG_WARN_, "reload: no configuration file to read; nothing changed");
    } else if (config_load_ruled(&cfg, a->config_path, drivers_config_rules, errs,
                                 sizeof errs) > 0) {
        char *nl;
        for (char *line = errs; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            say_at(a, LOG_ERR_, "reload: %s", line);
            if (!nl)
                break;
        }
        say_at(a, LOG_ERR_, "reload: %s has errors: keeping the old configuration",
               a->config_path);
    } else {
        a->cfg = cfg;
        settings_motion_params(&a->cfg, &a->mp);
        struct station_config pc;
        idle_program(a, &pc, false);
        say(a, "reload: configuration reloaded from %s (targets apply from the next "
            "session)", a->config_path);
    }
    sd_notify(0, "READY=1");
}

/* A lost sensor is told once when it goes, then once a minute, not at every
 * read. */
static void lost_reminder(struct app *a, double now)
{
    if (source_state(a->src) != SOURCE_STATE_LOST) {
        a->lost_since = 0;
        return;
    }
    if (a->lost_since == 0) {
        a->lost_since = a->lost_told = now;
        return;
    }
    if (now - a->lost_told >= 60) {
        a->lost_told = now;
        say_at(a, LOG_WARN_, "sensor still lost after %.0f min: check the cable",
               (now - a->lost_since) / 60);
    }
}

/* Whether a sound server or card is there to try: probing SDL's backends
 * without one only fills the log with the audio libraries' complaints. */
static bool audio_present(void)
{
    const char *drv = getenv("SDL_AUDIODRIVER");
    if (drv && *drv)
        return true;
    const char *run = getenv("XDG_RUNTIME_DIR");
    char path[300];
    if (run && *run) {
        snprintf(path, sizeof path, "%s/pulse/native", run);
        if (access(path, F_OK) == 0)
            return true;
        snprintf(path, sizeof path, "%s/pipewire-0", run);
        if (access(path, F_OK) == 0)
            return true;
    }
    return access("/dev/snd/controlC0", F_OK) == 0 || access("/dev/snd/pcmC0D0p", F_OK) == 0;
}

/* The phrase table: the configured file, else the assets' phrases.cfg,
 * else the built-in words. */
static int load_phrases(struct app *a)
{
    char path[700], errs[2048];
    if (a->cfg.audio.phrases[0])
        snprintf(path, sizeof path, "%s", a->cfg.audio.phrases);
    else
        snprintf(path, sizeof path, "%s/phrases.cfg", source_assets_dir());
    if (!a->cfg.audio.phrases[0] && access(path, R_OK) != 0) {
        phrases_defaults(&a->phrases);
        return 0;
    }
    if (phrases_load(&a->phrases, path, errs, sizeof errs) > 0) {
        fputs(errs, stderr);
        say_at(a, LOG_ERR_, "%s: phrase file has errors; not starting", path);
        return -1;
    }
    return 0;
}

/* The service never plays the demo: with no sensor it says so (log and
 * systemd status), keeps the watchdog fed, and tries again every few
 * seconds until one answers or it is told to stop. */
#define SENSOR_RETRY_S 5
static int wait_for_sensor(struct app *a, struct source_options *so)
{
    char err[600];
    double told = -1e9;
    sd_notify(0, "READY=1");
    for (;;) {
        struct source_options try = *so;
        try.kind = SOURCE_CHIP;
        struct source *src = source_open(&try, &a->cfg, mono_now(), err, sizeof err);
        if (src) {
            source_close(src);
            so->kind = SOURCE_CHIP;
            say(a, "sensor found: starting");
            return 0;
        }
        double now = mono_now();
        sd_notifyf(0, "STATUS=waiting for the sensor (%s); trying every %d s", err,
                   SENSOR_RETRY_S);
        if (now - told >= 60) { /* once, then once a minute */
            say_at(a, LOG_WARN_, "no sensor (%s): waiting for one, trying every %d s (no demo "
                   "in the service)", err, SENSOR_RETRY_S);
            told = now;
        }
        if (a->watchdog_usec)
            sd_notify(0, "WATCHDOG=1");
        struct pollfd p = {a->sfd, POLLIN, 0};
        if (poll(&p, 1, SENSOR_RETRY_S * 1000) > 0) {
            struct signalfd_siginfo si;
            if (read(a->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGHUP) {
                    reload(a);
                    continue;
                }
                say(a, "%s while waiting for the sensor: stopping", strsignal((int)si.ssi_signo));
                a->quit = true;
                return -1;
            }
        }
    }
}

static int setup(struct app *a)
{
    const struct app_options *o = a->o;
    /* a bad configuration is an error returned, so teardown still runs */
    char errs[4096];
    if (settings_load(o->config, &a->cfg, &a->config_path, errs, sizeof errs) > 0) {
        fputs(errs, stderr);
        say_at(a, LOG_ERR_, "%s: configuration has errors; not starting", a->config_path);
        return EXIT_USAGE;
    }
    settings_motion_params(&a->cfg, &a->mp);
    program_build(&a->prog, o->stage ? o->stage : a->cfg.session.stage, &a->cfg);
    if (storage_dir(a) < 0)
        return EXIT_USAGE;
    char report[1000];
    int fixed = record_recover(a->storage, report, sizeof report);
    if (fixed)
        say(a, "closed %d unfinished session%s (marked incomplete): %s", fixed,
            fixed > 1 ? "s" : "", report);
    /* issue 13: the people of this station; one is chosen at idle */
    chooser_load(&a->people, a->storage);
    if (o->person && chooser_select(&a->people, o->person) < 0) {
        say_at(a, LOG_ERR_, "--person: nobody called '%s' on this station (in %s); "
               "`station person list` names them", o->person, a->storage);
        return EXIT_USAGE;
    }
    if (chooser_asks(&a->people))
        say(a, "%d people on this station: the session is for %s (next: someone else)",
            chooser_count(&a->people), chooser_current(&a->people)->name);
    struct station_config pc;
    idle_program(a, &pc, false);

    /* A reload waits for the loop; SIGTERM and Ctrl-C still end a setup
     * that takes long (a big trace, the speech cache): nothing is being
     * recorded yet. They go to the loop once the setup is done. */
    sigset_t set, hup;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigprocmask(SIG_BLOCK, &hup, NULL);
    /* without it SIGTERM would stay blocked and never end the session */
    a->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (a->sfd < 0) {
        say_at(a, LOG_ERR_, "signalfd: %s: not starting", strerror(errno));
        return 1;
    }

    char err[600];
    void *mem = malloc(motion_size());
    if (!mem) {
        say_at(a, LOG_ERR_, "out of memory for the motion core: not starting");
        return 1;
    }
    a->motion = motion_init(mem, &a->mp);
    session_init(&a->session, &a->prog, &a->mp, 0, a->cfg.session.advanced_per_week);

    if (o->script && script_load(&a->script, o->script, err, sizeof err) < 0) {
        say(a, "%s", err);
        return EXIT_USAGE;
    }
    a->have_script = o->script != NULL;

    bool want_ui = !o->headless && !o->replay;
    if (want_ui || o->screenshot) {
        struct ui_options uo = {UI_WINDOW, a->cfg.display.width, a->cfg.display.height, NULL,
                                a->cfg.display.light, &a->phrases};
        if (o->screenshot)
            uo.mode = UI_OFFSCREEN;
        else if ((a->cfg.display.fullscreen || o->fullscreen) && !o->window)
            uo.mode = UI_FULLSCREEN;
        a->ui = ui_open(&uo, err, sizeof err);
        if (!a->ui)
            say(a, "%s: running without a screen, one status line a second", err);
    }
    if (load_phrases(a) < 0)
        return EXIT_USAGE;
    const struct config_audio *au = &a->cfg.audio;
    struct coach_options co = {au->speech, au->instructions, au->counts,
                               au->sounds && au->pacer, au->sounds, au->cue_interval_s};
    coach_init(&a->coach, &co, &a->phrases, &a->mp);
    cueq_init(&a->cueq);
    /* A replay runs faster than anyone could listen: its cues are logged, not
     * played. No sound device: said once, then the station carries on. */
    if (!o->replay && !o->mute && (au->sounds || au->speech) && !audio_present()) {
        say(a, "no audio device: carrying on without sound");
    } else if (!o->replay && !o->mute && (au->sounds || au->speech)) {
        a->sound = sound_open(au->volume, err, sizeof err);
        if (!a->sound)
            say_at(a, LOG_WARN_, "%s: carrying on without sound", err);
    }
    if (a->sound && au->speech) {
        a->speech = speech_open(au->voice, au->speed_wpm, err, sizeof err);
        if (!a->speech)
            say_at(a, LOG_WARN_, "%s: carrying on without speech", err);
        precache_speech(a);
    }
    debounce_init(&a->deb, a->cfg.buttons.debounce_ms, a->cfg.buttons.long_press_ms);
    if (!o->replay) {
        if (gpio_buttons_open(&a->cfg.buttons, &a->buttons, err, sizeof err) == 0)
            a->have_buttons = true;
        else
            say(a, "no buttons (%s): %s", err, a->ui ? "the keyboard works instead"
                                                     : "the session starts by itself");
    }
    /* The sensor last: its FIFO starts filling once it is configured. */
    struct source_options so = o->src;
    if (o->replay) {
        so.kind = SOURCE_REPLAY;
        so.trace = o->replay;
        so.loop = false;
        if (!o->speed_given)
            so.speed = 0;
    }
    if (source_check(&so, err, sizeof err) < 0) { /* what was asked for is wrong */
        say_at(a, LOG_ERR_, "%s", err);
        return EXIT_USAGE;
    }
    if (sd_watchdog_enabled(0, &a->watchdog_usec) <= 0)
        a->watchdog_usec = 0;
    if (o->no_demo && so.kind == SOURCE_AUTO) {
        int rc = wait_for_sensor(a, &so);
        if (rc)
            return rc;
    }
    a->src = source_open(&so, &a->cfg, mono_now(), err, sizeof err);
    if (!a->src) { /* the emulator fails only on its input trace */
        say_at(a, LOG_ERR_, "%s", err);
        return so.kind == SOURCE_EMU ? EXIT_USAGE : 1;
    }
    /* Ready: configuration loaded, sensor probed (or found missing). The
     * watchdog is fed from the loop itself, so a hung loop is restarted. */
    sigprocmask(SIG_BLOCK, &set, NULL);
    a->flowing_wall = a->open_wall = mono_now();
    sd_notifyf(0, "READY=1\nSTATUS=sensor %s; waiting for start",
               source_state_name(source_state(a->src)));
    /* Nobody can press start: a demo, a headless station without buttons. */
    a->autostart = !a->have_script && !o->replay &&
                   (source_state(a->src) == SOURCE_STATE_DEMO || (!a->ui && !a->have_buttons));
    /* a replay with no button script is one whole session from its start */
    a->autostart_due = a->autostart || (o->replay && !a->have_script);
    /* a recording is one person's session: once, not one after another */
    if (source_state(a->src) == SOURCE_STATE_REPLAY)
        a->autostart = false;
    return 0;
}

/* Draws the screen offscreen and saves it to --screenshot. */
static void save_screenshot(struct app *a)
{
    char err[300];
    a->shot = true;
    draw(a);
    if (ui_save_png(a->ui, a->o->screenshot, err, sizeof err) < 0) {
        say_at(a, LOG_ERR_, "%s", err);
        a->exit_code = 1;
    }
}

static void teardown(struct app *a)
{
    if (a->session_open && a->src && a->session.state != SS_FINISHED) {
        struct session_event ev[SESSION_EVQ];
        int n = session_end(&a->session, a->t, ev, SESSION_EVQ);
        on_session_events(a, ev, n);
    }
    if (a->recording && a->have_t && source_state(a->src) == SOURCE_STATE_LOST) {
        /* still lost at the end: the trace says so, as its other gaps */
        char note[300];
        acquire_closing_gap(note, sizeof note, a->t, clock_now(a, mono_now()), a->rec.t0);
        record_comment(&a->rec, note);
        say_at(a, LOG_WARN_, "%s", note);
    }
    finish_record(a, a->t, true);
    close_record(a, session_status(&a->session));
    if (a->ui && a->o->screenshot && !a->shot) {
        if (a->o->screenshot_at > 0) {
            say_at(a, LOG_ERR_, "no screenshot: the data ended at %.1f s, before "
                   "--screenshot-at %g", a->have_t ? a->t - a->t0 : 0, a->o->screenshot_at);
            a->exit_code = 1;
        } else {
            save_screenshot(a);
        }
    }
    ui_close(a->ui);
    sound_close(a->sound); /* before the speech cache its clips point into */
    speech_close(a->speech);
    if (a->have_buttons)
        a->buttons.close(a->buttons.ctx);
    unsigned long long dropped = a->src ? dropped_so_far(a) : 0;
    if (dropped)
        say(a, "glitches: %llu samples dropped (a timestamp out of place, a NaN or a "
            "reading beyond the sensor's range)", dropped);
    free(a->motion);
    a->motion = NULL;
    char stats[300];
    if (a->src && source_stats_line(a->src, stats, sizeof stats))
        say(a, "%s", stats);
    if (a->in_session) {
        say(a, "records: %llu samples during sessions, %llu stored", a->in_session, a->stored);
    }
    source_close(a->src);
    if (a->sfd >= 0)
        close(a->sfd);
}

/* The acquisition loop's handlers (sensor/acquire.h): the buttons' fds,
 * signals, samples, sensor events, and what runs once a pass. */
static int loop_fds(void *ctx, struct pollfd *out, int max)
{
    struct app *a = ctx;
    int n = 0;
    for (int i = 0; a->have_buttons && i < BUTTON_COUNT && n < max; i++)
        if (a->buttons.fds[i] >= 0)
            out[n++] = (struct pollfd){a->buttons.fds[i], POLLIN, 0};
    return n;
}

static void loop_ready(void *ctx, double now)
{
    read_buttons(ctx, now);
}

static bool loop_signal(void *ctx, int signo)
{
    struct app *a = ctx;
    if (signo == SIGHUP) {
        reload(a);
        return false;
    }
    say(a, "%s: ending the session", strsignal(signo));
    sd_notify(0, "STOPPING=1");
    return true;
}

static void loop_before(void *ctx, double now)
{
    struct app *a = ctx;
    if (a->have_buttons) {
        struct button_press p[BUTTON_COUNT];
        int k = debounce_tick(&a->deb, now, p, BUTTON_COUNT);
        for (int i = 0; i < k; i++)
            on_press(a, &p[i]);
    }
}

static bool loop_sample(void *ctx, const struct sample *s)
{
    struct app *a = ctx;
    if (a->quit || (a->o->seconds > 0 && a->have_t && s->t - a->t0 >= a->o->seconds)) {
        a->quit = true;
        return false;
    }
    a->taken++;
    on_sample(a, s);
    /* the screen as it stands at that moment: teardown ends the session
     * before it draws, so the last frame is always the end screen */
    if (a->ui && a->o->screenshot_at > 0 && !a->shot && a->have_t &&
        s->t - a->t0 >= a->o->screenshot_at)
        save_screenshot(a);
    return true;
}

static void loop_event(void *ctx, const struct source_event *se, double now)
{
    struct app *a = ctx;
    char fields[300], q[260];
    snprintf(fields, sizeof fields, "\"length_s\": %.3f, \"text\": %s", se->length_s,
             json_quote(se->text, q, sizeof q));
    static const char *types[] = {"sensor_notice", "sensor_gap", "sensor_lost",
                                  "sensor_resumed", "sensor_reset"};
    rec_event(a, a->have_t ? se->t : 0, types[se->kind], fields);
    if (se->kind == SOURCE_EV_GAP && a->recording) {
        /* the trace itself says where it was cut, and for how long */
        char note[300];
        acquire_gap_comment(note, sizeof note, se, a->rec.t0);
        record_comment(&a->rec, note);
    }
    say_at(a, se->kind == SOURCE_EV_LOST ? LOG_ERR_
              : se->kind == SOURCE_EV_GAP || se->kind == SOURCE_EV_RESET ? LOG_WARN_
              : LOG_INFO_, "%s", se->text);
    if (se->kind == SOURCE_EV_LOST) {
        snprintf(a->notice, sizeof a->notice, "Sensor lost: check its cable");
        if (a->o->headless || !a->ui) {
            status_line(a); /* at once: no samples come to prompt one */
            a->last_status_wall = now;
        }
    }
    else if (se->kind == SOURCE_EV_RESUMED)
        a->notice[0] = '\0';
}

static bool loop_after(void *ctx, double now, size_t n)
{
    struct app *a = ctx;
    if (n > 0) {
        a->last_sample_wall = now;
    }
    if (n > 0 || source_state(a->src) == SOURCE_STATE_LOST)
        a->flowing_wall = now;
    /* the sensor lost: said at once, every 30 s while it lasts, and
     * when it is back; the speech channel runs on while no samples
     * come to drive it */
    bool lost_now = source_state(a->src) == SOURCE_STATE_LOST;
    /* --seconds counts the sensor's clock, which runs on while it is lost:
     * a parted cable still ends the run on time */
    if (lost_now && a->o->seconds > 0 &&
        (a->have_t ? clock_now(a, now) - a->t0
                   : (now - a->open_wall) * (a->o->src.speed > 0 ? a->o->src.speed : 1)) >=
            a->o->seconds) {
        a->quit = true;
        return false;
    }
    if (a->have_t && (lost_now || !a->coach.sensor_lost || n > 0)) { /* back: with data */
        double clk = clock_now(a, now);
        struct cue cues[COACH_MAXCUES];
        play_cues(a, cues, coach_sensor(&a->coach, source_state(a->src) ==
                                        SOURCE_STATE_LOST, clk, cues, COACH_MAXCUES));
        if (source_state(a->src) == SOURCE_STATE_LOST)
            speak_due(a, clk);
    }
    /* systemd's watchdog is fed while the loop runs and samples flow,
     * or while the sensor is known lost and being retried: a loop that
     * spins without data is restarted too. */
    if (a->watchdog_usec && now >= a->next_watchdog &&
        now - a->flowing_wall < DATA_STALL_S) {
        sd_notify(0, "WATCHDOG=1");
        a->next_watchdog = now + a->watchdog_usec / 2e6;
    }
    lost_reminder(a, now);
    /* while lost no samples pace the status line: the wall clock does */
    if ((a->o->headless || !a->ui) && source_state(a->src) == SOURCE_STATE_LOST &&
        now - a->last_status_wall >= (under_journal() ? JOURNAL_STATUS_S : 1.0)) {
        status_line(a);
        a->last_status_wall = now;
    }
    /* and systemd's status too: it says the sensor is lost, and since when */
    if (source_state(a->src) == SOURCE_STATE_LOST && now - a->last_notify_wall >= 1.0) {
        notify_status(a);
        a->last_notify_wall = now;
    }
    if (a->ui && !a->o->replay) {
        enum session_cmd cmds[8];
        bool quit = false;
        int k = ui_poll(a->ui, cmds, 8, &quit);
        for (int i = 0; i < k; i++)
            command(a, cmds[i], "keyboard");
        if (quit)
            return false;
        if (now >= a->next_frame) {
            draw(a);
            a->next_frame = now + FRAME_S;
        }
    }
    return !a->quit;
}

int app_run(const struct app_options *o)
{
    static struct app app;
    struct app *a = &app;
    memset(a, 0, sizeof *a);
    a->o = o;
    a->sfd = -1;
    int rc = setup(a);
    if (rc) {
        teardown(a);
        return rc < 0 ? 0 : rc; /* < 0: told to stop while waiting */
    }
    struct acquire_ops ops = {.ctx = a, .fds = loop_fds, .ready = loop_ready,
                              .signal = loop_signal, .before = loop_before,
                              .sample = loop_sample, .event = loop_event, .after = loop_after,
                              .max_wait = a->ui && !o->replay ? FRAME_S : 0};
    if (acquire_run(a->src, a->sfd, &ops) == ACQUIRE_DONE && source_error(a->src)) {
        say_at(a, LOG_ERR_, "%s", source_error(a->src)); /* a bad row in the trace */
        a->exit_code = EXIT_USAGE;
    } else if (o->replay && !a->exit_code && (!a->have_t || !(a->t > a->t0))) {
        /* no time passes in it: nothing was analysed, which is said, not
         * passed over as a session that went well */
        say_at(a, LOG_ERR_, "%s: %s: nothing to replay%s", o->replay,
               a->taken ? "one sample, no time in it" : "no samples",
               a->recording ? " (the session stored is empty)" : ", no session stored");
        a->exit_code = EXIT_USAGE;
    }
    teardown(a);
    return a->exit_code;
}
