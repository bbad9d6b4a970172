// SPDX-License-Identifier: GPL-3.0-or-later
/* The clinicians' pages, written on the server: every value from the
 * database or a record goes through wbuf_html (names are free text), the
 * charts are inline SVG (web_svg.c), and no page has a script. */
#include "web.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../history/history.h"
#include "../people/people.h"
#include "web_svg.h"

#define TREND_WEEKS 8
#define TREND_MAX 200 /* sessions in a chart */

static void head(struct wbuf *b, const struct who *who, const char *title)
{
    wbuf_put(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>");
    wbuf_html(b, title);
    wbuf_put(b, " - Station clinic</title><link rel=\"stylesheet\" href=\"/style.css\"></head>"
                "<body><header><a class=\"brand\" href=\"/\">Station clinic</a>");
    if (who) {
        wbuf_put(b, "<div class=\"who\"><span>");
        wbuf_html(b, who->clinic);
        wbuf_put(b, " &middot; ");
        wbuf_html(b, who->login);
        wbuf_put(b, "</span><form method=\"post\" action=\"/logout\"><input type=\"hidden\" "
                    "name=\"csrf\" value=\"");
        wbuf_html(b, who->csrf);
        wbuf_put(b, "\"><button class=\"quiet\">Log out</button></form></div>");
    }
    wbuf_put(b, "</header><main>");
}

static void foot(struct wbuf *b)
{
    wbuf_put(b, "</main></body></html>\n");
}

static void csrf_field(struct wbuf *b, const struct who *who)
{
    wbuf_put(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    wbuf_html(b, who->csrf);
    wbuf_put(b, "\">");
}

int page_message(struct wbuf *b, const struct who *who, int status, const char *title,
                 const char *text)
{
    head(b, who, title);
    wbuf_put(b, "<h1>");
    wbuf_html(b, title);
    wbuf_put(b, "</h1><p class=\"lead\">");
    wbuf_html(b, text);
    wbuf_put(b, "</p><p><a href=\"/\">Back to the patients</a></p>");
    foot(b);
    return status;
}

int page_login(struct wbuf *b, const char *csrf, const char *error)
{
    head(b, NULL, "Log in");
    wbuf_put(b, "<section class=\"login\"><h1>Log in</h1>"
                "<p class=\"lead\">Your patients' sessions, weeks and programs.</p>");
    if (error) {
        wbuf_put(b, "<p class=\"error\" role=\"alert\">");
        wbuf_html(b, error);
        wbuf_put(b, "</p>");
    }
    wbuf_put(b, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" "
                "value=\"");
    wbuf_html(b, csrf);
    wbuf_put(b, "\"><label for=\"login\">Login</label><input id=\"login\" name=\"login\" "
                "autocomplete=\"username\" required autofocus>"
                "<label for=\"password\">Password</label><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                "<button>Log in</button></form></section>");
    foot(b);
    return 200;
}

static void db_down(struct wbuf *b, const struct who *who)
{
    wbuf_free(b);
    page_message(b, who, 503, "The database is not answering",
                 "Nothing was changed. Try again in a minute.");
}

int page_patients(struct wbuf *b, const struct page_req *r)
{
    char clinic[16];
    snprintf(clinic, sizeof clinic, "%d", r->who->clinic_id);
    PGresult *q = web_q1(r->w,
                        "SELECT p.id, p.name, "
                        "count(s.session_id) "
                        "FILTER (WHERE s.started >= date_trunc('week', now())), "
                        "count(s.session_id) "
                        "FILTER (WHERE s.started >= now() - interval '28 days'), "
                        "coalesce(to_char(max(s.started), 'YYYY-MM-DD HH24:MI'), ''), "
                        "coalesce(string_agg(DISTINCT s.station_id, ', '), '') "
                        "FROM patients p LEFT JOIN sessions s ON s.patient_id = p.id "
                        "AND s.mode = 'live' WHERE p.clinic_id = $1 "
                        "GROUP BY p.id ORDER BY lower(p.name), p.id", clinic);
    if (!q) {
        db_down(b, r->who);
        return 503;
    }
    head(b, r->who, "Patients");
    wbuf_put(b, "<h1>Patients</h1><p class=\"lead\">Live sessions only: demonstrations and "
                "replays stay on the stations.</p>");
    if (r->notice) {
        wbuf_put(b, "<p class=\"notice\" role=\"status\">");
        wbuf_html(b, r->notice);
        wbuf_put(b, "</p>");
    }
    int n = PQntuples(q);
    if (n == 0) {
        wbuf_put(b, "<p class=\"lead\">No patient has a session yet. A station's sessions "
                    "appear here once it has sent them.</p>");
    } else {
        wbuf_put(b, "<section><table class=\"list\"><thead><tr><th>Name</th><th class=\"num\">This "
                    "week</th><th class=\"num\">Last 4 weeks</th><th>Last session</th>"
                    "<th>Stations</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            wbuf_printf(b, "<tr><td><a href=\"/patient/%s\">", PQgetvalue(q, i, 0));
            wbuf_html(b, PQgetvalue(q, i, 1));
            wbuf_put(b, "</a></td><td class=\"num\">");
            wbuf_html(b, PQgetvalue(q, i, 2));
            wbuf_put(b, "</td><td class=\"num\">");
            wbuf_html(b, PQgetvalue(q, i, 3));
            wbuf_put(b, "</td><td>");
            wbuf_html(b, *PQgetvalue(q, i, 4) ? PQgetvalue(q, i, 4) : "none yet");
            wbuf_put(b, "</td><td>");
            wbuf_html(b, PQgetvalue(q, i, 5));
            wbuf_put(b, "</td></tr>");
        }
        wbuf_put(b, "</tbody></table></section>");
    }
    PQclear(q);
    foot(b);
    return 200;
}

/* ---- one patient ---- */

static void weeks_table(struct wbuf *b, struct web *w, const char *pid)
{
    PGresult *q = web_q1(w,
                        "SELECT to_char(wk, 'YYYY-MM-DD'), count(s.session_id), "
                        "count(s.session_id) FILTER (WHERE s.status = 'complete') "
                        "FROM generate_series(date_trunc('week', now()) - interval '7 weeks', "
                        "date_trunc('week', now()), interval '1 week') wk "
                        "LEFT JOIN sessions s ON s.patient_id = $1 AND s.mode = 'live' "
                        "AND s.started >= wk AND s.started < wk + interval '1 week' "
                        "GROUP BY wk ORDER BY wk DESC", pid);
    if (!q)
        return;
    wbuf_put(b, "<table class=\"weeks\"><thead><tr><th>Week from Monday</th><th class=\"num\">"
                "Sessions</th><th class=\"num\">Complete</th><th>"
                "<span class=\"dot full\"></span> complete <span class=\"dot\"></span> "
                "not complete</th></tr></thead><tbody>");
    for (int i = 0; i < PQntuples(q); i++) {
        int all = atoi(PQgetvalue(q, i, 1)), full = atoi(PQgetvalue(q, i, 2));
        wbuf_put(b, "<tr><td>");
        wbuf_html(b, PQgetvalue(q, i, 0));
        wbuf_printf(b, "%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>",
                    i == 0 ? " (this week)" : "", all, full);
        for (int k = 0; k < all && k < 21; k++)
            wbuf_put(b, k < full ? "<span class=\"dot full\"></span>"
                                 : "<span class=\"dot\"></span>");
        wbuf_put(b, "</td></tr>");
    }
    wbuf_put(b, "</tbody></table>");
    PQclear(q);
}

/* One session's figures for the trends. */
struct trend_point {
    double t, rate, cv, band_lo, band_hi, cv_max, child, backblock, stretch;
};

static void trend_point_of(const struct hist_session *s, double t, struct trend_point *o)
{
    *o = (struct trend_point){t, NAN, NAN, s->rate_min_hz, s->rate_max_hz, s->rhythm_cv_max,
                              NAN, NAN, NAN};
    double cyc = 0, rate = 0, cv = 0;
    for (int i = 0; i < s->nsteps; i++) {
        const struct hist_step *st = &s->steps[i];
        if (st->cycles > 0 && isfinite(st->rate_hz)) {
            cyc += st->cycles;
            rate += st->rate_hz * st->cycles;
            if (isfinite(st->rhythm_cv))
                cv += st->rhythm_cv * st->cycles;
        }
        double longest = NAN;
        for (int h = 0; h < st->nholds; h++)
            if (!(longest >= st->holds[h]))
                longest = st->holds[h];
        double *slot = strcmp(st->exercise, "child_pose") == 0  ? &o->child
                       : strcmp(st->exercise, "backblock") == 0 ? &o->backblock
                       : strstr(st->exercise, "stretch")         ? &o->stretch
                                                                 : NULL;
        if (slot && isfinite(longest) && !(*slot >= longest))
            *slot = longest;
    }
    if (cyc > 0) {
        o->rate = rate / cyc;
        o->cv = cv / cyc * 100;
    }
}

static void trends(struct wbuf *b, struct web *w, const char *pid)
{
    PGresult *q = web_q1(w,
                        "SELECT extract(epoch FROM started), summary::text FROM sessions WHERE patient_id = $1 AND mode = 'live' "
                        "AND started >= date_trunc('week', now()) - interval '7 weeks' "
                        "ORDER BY started LIMIT 200", pid);
    PGresult *span = web_q(w,
                           "SELECT extract(epoch FROM date_trunc('week', now()) - interval "
                           "'7 weeks'), extract(epoch FROM date_trunc('week', now()) + "
                           "interval '1 week')",
                           0, NULL);
    struct trend_point *pt = calloc(TREND_MAX, sizeof *pt);
    struct hist_session *s = malloc(sizeof *s);
    double *col = calloc(TREND_MAX * 8, sizeof *col);
    if (!q || !span || !pt || !s || !col) {
        wbuf_put(b, "<p class=\"none\">The trends could not be read.</p>");
        goto out;
    }
    int n = 0;
    for (int i = 0; i < PQntuples(q) && n < TREND_MAX; i++) {
        double t = atof(PQgetvalue(q, i, 0));
        if (history_parse(PQgetvalue(q, i, 1), "", (time_t)t, s) == 0)
            trend_point_of(s, t, &pt[n++]);
    }
    double *x = col, *rate = col + TREND_MAX, *cv = col + 2 * TREND_MAX,
           *child = col + 3 * TREND_MAX, *bb = col + 4 * TREND_MAX, *str = col + 5 * TREND_MAX;
    double lo = NAN, hi = NAN, cvmax = NAN;
    for (int i = 0; i < n; i++) {
        x[i] = pt[i].t;
        rate[i] = pt[i].rate;
        cv[i] = pt[i].cv;
        child[i] = pt[i].child;
        bb[i] = pt[i].backblock;
        str[i] = pt[i].stretch;
        if (isfinite(pt[i].band_lo) && isfinite(pt[i].band_hi)) {
            lo = pt[i].band_lo; /* the latest session's band: hers now */
            hi = pt[i].band_hi;
        }
        if (isfinite(pt[i].cv_max))
            cvmax = pt[i].cv_max * 100;
    }
    time_t from = (time_t)atof(PQgetvalue(span, 0, 0)), to = (time_t)atof(PQgetvalue(span, 0, 1));
    struct chart c = {.title = "Rocking rate", .y_unit = "cycles a second (Hz)", .from = from,
                      .to = to, .ns = 1, .y_min_floor = NAN,
                      .s = {{"rocking rate, a session", "c0", x, rate, n}},
                      .has_band = isfinite(lo) && isfinite(hi), .band_lo = lo, .band_hi = hi,
                      .band_label = "her rocking band"};
    wbuf_put(b, "<h3>Rocking rate against her band</h3>");
    svg_chart(b, &c);
    c = (struct chart){.title = "Rhythm", .y_unit = "period variation (%)", .from = from,
                       .to = to, .ns = 1, .y_min_floor = 0,
                       .s = {{"rhythm: variation of the period", "c1", x, cv, n}},
                       .has_line = isfinite(cvmax), .line_y = cvmax,
                       .line_label = "steady below this line"};
    wbuf_put(b, "<h3>Rhythm (lower is steadier)</h3>");
    svg_chart(b, &c);
    c = (struct chart){.title = "Hold times", .y_unit = "longest hold (seconds)", .from = from,
                       .to = to, .ns = 3, .y_min_floor = 0,
                       .s = {{"child pose", "c0", x, child, n},
                             {"BackBlock", "c2", x, bb, n},
                             {"table or nerve-root stretch", "c1", x, str, n}}};
    wbuf_put(b, "<h3>Hold times</h3>");
    svg_chart(b, &c);
out:
    PQclear(q);
    PQclear(span);
    free(pt);
    free(s);
    free(col);
}

static void sessions_table(struct wbuf *b, struct web *w, const char *pid)
{
    PGresult *q = web_q1(w,
                        "SELECT session_id, to_char(started, 'YYYY-MM-DD HH24:MI'), station_id, "
                        "coalesce(stage::text, ''), status, coalesce(exercises_done::text, '?'), "
                        "coalesce(exercises_total::text, '?'), coalesce(early_stop, false) "
                        "FROM sessions WHERE patient_id = $1 AND mode = 'live' "
                        "ORDER BY started DESC LIMIT 40", pid);
    if (!q)
        return;
    if (PQntuples(q) == 0)
        wbuf_put(b, "<p class=\"none\">No sessions yet.</p>");
    else
        wbuf_put(b, "<table class=\"list\"><thead><tr><th>Session</th><th>Station</th>"
                    "<th class=\"num\">Stage</th><th>Status</th><th class=\"num\">Exercises"
                    "</th><th>Notes</th></tr></thead><tbody>");
    for (int i = 0; i < PQntuples(q); i++) {
        wbuf_put(b, "<tr><td><a href=\"/session?id=");
        wbuf_url(b, PQgetvalue(q, i, 0));
        wbuf_put(b, "\">");
        wbuf_html(b, PQgetvalue(q, i, 1));
        wbuf_put(b, "</a></td><td>");
        wbuf_html(b, PQgetvalue(q, i, 2));
        wbuf_put(b, "</td><td class=\"num\">");
        wbuf_html(b, PQgetvalue(q, i, 3));
        wbuf_printf(b, "</td><td><span class=\"status %s\">",
                    strcmp(PQgetvalue(q, i, 4), "complete") == 0 ? "good" : "warn");
        wbuf_html(b, PQgetvalue(q, i, 4));
        wbuf_put(b, "</span></td><td class=\"num\">");
        wbuf_html(b, PQgetvalue(q, i, 5));
        wbuf_put(b, " of ");
        wbuf_html(b, PQgetvalue(q, i, 6));
        wbuf_printf(b, "</td><td>%s</td></tr>",
                    strcmp(PQgetvalue(q, i, 7), "t") == 0 ? "stopped early" : "");
    }
    if (PQntuples(q) > 0)
        wbuf_put(b, "</tbody></table>");
    PQclear(q);
}

/* Her key, and her program sent to a station of the clinic where she has
 * none yet: the same patient there (README "One patient at home and in
 * the clinic"). */
static void send_form(struct wbuf *b, const struct page_req *r, const char *pid)
{
    char cid[16];
    snprintf(cid, sizeof cid, "%d", r->who->clinic_id);
    const char *p[] = {pid, cid};
    PGresult *k = web_q1(r->w, "SELECT person_key FROM patients WHERE id = $1", pid);
    PGresult *o = web_q(r->w, "SELECT id FROM stations WHERE clinic_id = $2::int AND id NOT IN ("
                              WEB_SQL_HER_STATIONS ") ORDER BY 1", 2, p);
    if (k && PQntuples(k) == 1) {
        wbuf_put(b, "<h3>Another station</h3><p>Her key is <code>");
        wbuf_html(b, PQgetvalue(k, 0, 0));
        wbuf_put(b, "</code>. A station of the clinic that is sent her program adds her under "
                    "this key at its next connection, so her sessions there are hers here; on a "
                    "station, <code>station person add NAME --key ");
        wbuf_html(b, PQgetvalue(k, 0, 0));
        wbuf_put(b, "</code> does the same.</p>");
    }
    if (o && PQntuples(o) > 0) {
        wbuf_printf(b, "<form method=\"post\" action=\"/patient/%s/station\" class=\"send\">",
                    pid);
        csrf_field(b, r->who);
        wbuf_put(b, "<div class=\"field\"><label for=\"station\">Send her program to another "
                    "station of the clinic</label><select id=\"station\" name=\"station\">");
        for (int i = 0; i < PQntuples(o); i++) {
            wbuf_put(b, "<option>");
            wbuf_html(b, PQgetvalue(o, i, 0));
            wbuf_put(b, "</option>");
        }
        wbuf_put(b, "</select></div><button>Send her program there</button></form>");
    }
    PQclear(k);
    PQclear(o);
}

/* Her stations that said (station/<id>/program-status) they refused her
 * program, and why. */
static void refusals(struct wbuf *b, const struct page_req *r, const char *pid)
{
    PGresult *q = web_q1(r->w,
                        "SELECT s.station_id, x->>'why', to_char(s.received, 'YYYY-MM-DD HH24:MI') "
                        "FROM program_status s CROSS JOIN jsonb_array_elements(CASE WHEN "
                        "jsonb_typeof(s.status->'refused') = 'array' THEN s.status->'refused' "
                        "ELSE '[]' END) x JOIN patients p ON p.id = $1::int "
                        "AND x->>'person_key' = p.person_key WHERE s.station_id IN ("
                        WEB_SQL_HER_STATIONS ") ORDER BY 1", pid);
    /* the line: each piece of markup, then the column shown after it */
    static const struct {
        const char *before;
        int col;
    } line[] = {
        {"<p class=\"error\" role=\"alert\">Station <strong>", 0},
        {"</strong> refused her program (", 2},
        {"): ", 1},
    };
    for (int i = 0; q && i < PQntuples(q); i++) {
        for (size_t k = 0; k < sizeof line / sizeof line[0]; k++) {
            wbuf_put(b, line[k].before);
            wbuf_html(b, PQgetvalue(q, i, line[k].col));
        }
        wbuf_put(b, ". Her program there stays as it was.</p>");
    }
    PQclear(q);
}

static void program_form(struct wbuf *b, const struct page_req *r, const char *pid)
{
    PGresult *q = web_q1(r->w,
                        "SELECT program::text, to_char(updated, 'YYYY-MM-DD HH24:MI'), "
                        "coalesce(c.login, '') FROM programs g LEFT JOIN clinicians c "
                        "ON c.id = g.updated_by WHERE g.patient_id = $1", pid);
    PGresult *st = web_q1(r->w, WEB_SQL_HER_STATIONS, pid);
    cJSON *prog = q && PQntuples(q) == 1 ? cJSON_Parse(PQgetvalue(q, 0, 0)) : NULL;
    wbuf_put(b, "<p>Each value is what <code>station person set</code> takes; an empty field "
                "follows the station's configuration. A seconds value may grow week by week: "
                "<code>180+30/week..600</code>.");
    if (q && PQntuples(q) == 1) {
        wbuf_put(b, " Last set ");
        wbuf_html(b, PQgetvalue(q, 0, 1));
        wbuf_put(b, " by ");
        wbuf_html(b, PQgetvalue(q, 0, 2));
        wbuf_put(b, ".");
    }
    wbuf_put(b, "</p>");
    if (st && PQntuples(st) > 0) {
        wbuf_put(b, "<p>It goes to ");
        for (int i = 0; i < PQntuples(st); i++) {
            wbuf_put(b, i ? ", " : "");
            wbuf_put(b, "<strong>");
            wbuf_html(b, PQgetvalue(st, i, 0));
            wbuf_put(b, "</strong>");
        }
        wbuf_put(b, " at their next connection.</p>");
    } else {
        wbuf_put(b, "<p>She has no sessions yet, so no station to send it to; it is stored and "
                    "sent when she has one.</p>");
    }
    refusals(b, r, pid);
    wbuf_printf(b, "<form method=\"post\" action=\"/patient/%s/program\" class=\"program\">", pid);
    csrf_field(b, r->who);
    for (int k = 0; k < PK_COUNT; k++) {
        const char *name = program_key_name((enum program_key)k);
        char val[128] = "";
        if (r->form) {
            form_get(r->form, name, val, sizeof val);
        } else {
            const cJSON *v = cJSON_GetObjectItem(prog, name);
            if (cJSON_IsString(v))
                snprintf(val, sizeof val, "%s", v->valuestring);
        }
        wbuf_printf(b, "<div class=\"field\"><label for=\"%s\">%s</label><input id=\"%s\" "
                       "name=\"%s\" value=\"",
                    name, name, name, name);
        wbuf_html(b, val);
        wbuf_put(b, "\" inputmode=\"decimal\" spellcheck=\"false\"><small>");
        wbuf_html(b, program_key_help((enum program_key)k));
        wbuf_put(b, "</small></div>");
    }
    wbuf_put(b, "<button>Store and send the program</button></form>");
    if (q && PQntuples(q) == 1)
        send_form(b, r, pid);
    cJSON_Delete(prog);
    PQclear(q);
    PQclear(st);
}

/* The printable report: a period (the last four weeks unless changed),
 * the PDF the station prints (GET, so no CSRF token: it changes nothing). */
static void report_form(struct wbuf *b, const char *pid)
{
    char day[2][11];
    time_t t[2] = {time(NULL), 0};
    struct tm tm;
    localtime_r(&t[0], &tm);
    tm.tm_mday -= 27;
    tm.tm_isdst = -1;
    t[1] = mktime(&tm);
    for (int i = 0; i < 2; i++) {
        localtime_r(&t[i], &tm);
        strftime(day[i], sizeof day[i], "%Y-%m-%d", &tm);
    }
    wbuf_printf(b, "<form method=\"get\" action=\"/patient/%s/report.pdf\" class=\"report\">"
                   "<label>From<input type=\"date\" name=\"from\" value=\"%s\" required></label> "
                   "<label>To<input type=\"date\" name=\"to\" value=\"%s\" required></label> "
                   "<button type=\"submit\">Printable report (PDF)</button></form>",
                pid, day[1], day[0]);
}

int page_patient(struct wbuf *b, const struct page_req *r)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", r->patient_id);
    PGresult *q = web_q1(r->w,
                        "SELECT p.name, count(s.session_id), "
                        "coalesce(to_char(min(s.started), 'YYYY-MM-DD'), '') "
                        "FROM patients p LEFT JOIN sessions s ON s.patient_id = p.id "
                        "AND s.mode = 'live' WHERE p.id = $1 GROUP BY p.id", pid);
    if (!q || PQntuples(q) != 1) {
        PQclear(q);
        db_down(b, r->who);
        return 503;
    }
    head(b, r->who, PQgetvalue(q, 0, 0));
    wbuf_put(b, "<p class=\"crumbs\"><a href=\"/\">Patients</a></p><h1>");
    wbuf_html(b, PQgetvalue(q, 0, 0));
    wbuf_put(b, "</h1><p class=\"lead\">");
    wbuf_html(b, PQgetvalue(q, 0, 1));
    wbuf_put(b, " sessions");
    if (*PQgetvalue(q, 0, 2)) {
        wbuf_put(b, " since ");
        wbuf_html(b, PQgetvalue(q, 0, 2));
    }
    wbuf_put(b, ".</p>");
    PQclear(q);
    if (r->notice) {
        wbuf_put(b, "<p class=\"notice\" role=\"status\">");
        wbuf_html(b, r->notice);
        wbuf_put(b, "</p>");
    }
    if (r->error) {
        wbuf_put(b, "<p class=\"error\" role=\"alert\">");
        wbuf_html(b, r->failed ? r->failed : "The program was not stored");
        wbuf_put(b, ": ");
        wbuf_html(b, r->error);
        wbuf_put(b, "</p>");
    }
    wbuf_put(b, "<nav class=\"tabs\"><a href=\"#weeks\">Weeks</a><a href=\"#trends\">Trends</a>"
                "<a href=\"#sessions\">Sessions</a><a href=\"#program\">Program</a>"
                "<a href=\"#data\">Her data</a></nav>");
    wbuf_put(b, "<section id=\"weeks\"><h2>Sessions week by week</h2>");
    weeks_table(b, r->w, pid);
    report_form(b, pid);
    wbuf_put(b, "</section><section id=\"trends\"><h2>Trends over 8 weeks</h2>");
    trends(b, r->w, pid);
    wbuf_put(b, "</section><section id=\"sessions\"><h2>Sessions</h2>");
    sessions_table(b, r->w, pid);
    wbuf_put(b, "</section><section id=\"program\"><h2>Program</h2>");
    program_form(b, r, pid);
    wbuf_printf(b, "</section><section id=\"data\"><h2>Her data</h2><p>Download everything "
                   "stored about her: <a href=\"/patient/%s/export.json\">JSON</a> or "
                   "<a href=\"/patient/%s/export.csv\">CSV</a> (a row per exercise).</p>"
                   "<p><a class=\"danger\" href=\"/patient/%s/delete\">Delete her data"
                   "&hellip;</a></p></section>",
                pid, pid, pid);
    foot(b);
    return 200;
}

int page_delete_confirm(struct wbuf *b, const struct page_req *r)
{
    char pid[16], name[128];
    snprintf(pid, sizeof pid, "%d", r->patient_id);
    if (!data_patient_of(r->w, r->patient_id, r->who->clinic_id, name, sizeof name))
        return page_message(b, r->who, 404, "Not found", "No such patient.");
    head(b, r->who, "Delete her data");
    wbuf_put(b, "<h1>Delete ");
    wbuf_html(b, name);
    wbuf_put(b, "'s data?</h1><p class=\"lead\">Her sessions, her program and her name go from "
                "the clinic's server, for good. Her stations keep their own records until "
                "they are deleted there. Download her data first if it is still needed.</p>");
    wbuf_printf(b, "<form method=\"post\" action=\"/patient/%s/delete\">", pid);
    csrf_field(b, r->who);
    wbuf_printf(b, "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
                   "<button class=\"danger\">Delete her data</button> "
                   "<a href=\"/patient/%s\">Keep it</a></form>",
                pid);
    foot(b);
    return 200;
}

/* ---- one session ---- */

static const char *mode_label(const char *mode)
{
    return strcmp(mode, "live") == 0 ? "LIVE" : strcmp(mode, "demo") == 0 ? "DEMO" : "REPLAY";
}

static void step_row(struct wbuf *b, const struct hist_step *st)
{
    wbuf_printf(b, "<tr><td class=\"num\">%d</td><td>", st->step);
    wbuf_html(b, st->name);
    if (st->side[0]) {
        wbuf_put(b, " <span class=\"side\">(");
        wbuf_html(b, st->side);
        wbuf_put(b, ")</span>");
    }
    wbuf_put(b, "</td><td>");
    if (strcmp(st->kind, "rocking") == 0)
        wbuf_htmlf(b, "%.0f s of rocking", st->target_s);
    else if (st->target_reps > 1)
        wbuf_htmlf(b, "%d \xc3\x97 %.0f s", st->target_reps, st->target_s);
    else
        wbuf_htmlf(b, "%.0f s", st->target_s);
    wbuf_put(b, "</td><td>");
    if (strcmp(st->kind, "rocking") == 0 && isfinite(st->rocking_s)) {
        wbuf_htmlf(b, "%.0f s, %d cycles", st->rocking_s, st->cycles);
        if (isfinite(st->rate_hz))
            wbuf_htmlf(b, ", %.2f Hz", st->rate_hz);
        if (isfinite(st->rhythm_cv))
            wbuf_htmlf(b, ", period varies %.1f %%", st->rhythm_cv * 100);
        if (isfinite(st->swing_deg))
            wbuf_htmlf(b, ", swing %.0f\xc2\xb0", st->swing_deg);
    } else if (st->nholds > 0) {
        wbuf_put(b, "holds ");
        for (int h = 0; h < st->nholds; h++)
            wbuf_htmlf(b, "%s%.1f", h ? ", " : "", st->holds[h]);
        wbuf_put(b, " s");
    } else {
        wbuf_put(b, "&mdash;");
    }
    const char *state = st->done ? "done" : st->partial ? "partly" : st->skipped ? "skipped"
                        : st->started ? "not finished" : "not reached";
    wbuf_printf(b, "</td><td><span class=\"status %s\">%s</span>", st->done ? "good" : "warn",
                state);
    if (st->over_limit)
        wbuf_put(b, " <span class=\"status warn\">over the weekly limit (confirmed)</span>");
    if (st->left_out_limit)
        wbuf_put(b, " <span class=\"status\">left out: weekly limit</span>");
    if (st->posture_refused > 0)
        wbuf_printf(b, " <span class=\"status\">posture refused %d \xc3\x97</span>",
                    st->posture_refused);
    if (st->timed_out)
        wbuf_put(b, " <span class=\"status warn\">timed out</span>");
    if (st->moved_on)
        wbuf_put(b, " <span class=\"status\">moved on</span>");
    wbuf_put(b, "</td></tr>");
}

static void sets_table(struct wbuf *b, const struct hist_session *s)
{
    bool any = false;
    for (int i = 0; i < s->nsteps; i++)
        for (int k = 0; k < s->steps[i].nsets; k++) {
            const struct hist_set *se = &s->steps[i].sets[k];
            if (!any)
                wbuf_put(b, "<h2>Rocking sets</h2><table class=\"list\"><thead><tr><th>Step"
                            "</th><th class=\"num\">Seconds</th><th class=\"num\">Cycles</th>"
                            "<th class=\"num\">Rate (Hz)</th><th class=\"num\">Period varies"
                            "</th><th class=\"num\">Swing</th><th>Verdicts</th></tr></thead>"
                            "<tbody>");
            any = true;
            wbuf_printf(b, "<tr><td>%d</td><td class=\"num\">%.1f</td><td class=\"num\">%d</td>"
                           "<td class=\"num\">%.2f</td><td class=\"num\">%.1f %%</td>"
                           "<td class=\"num\">%.0f\xc2\xb0</td><td>",
                        s->steps[i].step, se->seconds, se->cycles, se->rate_hz,
                        se->rhythm_cv * 100, se->swing_deg);
            wbuf_htmlf(b, "%s, %s, %s", se->rate, se->rhythm, se->effort);
            wbuf_put(b, "</td></tr>");
        }
    if (any)
        wbuf_put(b, "</tbody></table>");
}

/* what the session's events say about stops, overrides and refusals */
static void notes(struct wbuf *b, const struct hist_session *s, const char *events)
{
    static const char *const shown[] = {"override", "limit_skip", "timeout", "moved_on",
                                        "confirm", "command"};
    wbuf_put(b, "<h2>Notes</h2><ul class=\"notes\">");
    int n = 0;
    if (s->early_stop) {
        wbuf_put(b, "<li><strong>Stopped early</strong>: she ended the session before its "
                    "last exercise.</li>");
        n++;
    }
    if (s->advanced_over_limit) {
        wbuf_put(b, "<li><strong>Override</strong>: the advanced stretch was done over the "
                    "weekly limit, confirmed at the station.</li>");
        n++;
    }
    cJSON *ev = cJSON_Parse(events);
    const cJSON *e;
    cJSON_ArrayForEach(e, ev)
    {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(e, "type"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(e, "text"));
        const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItem(e, "command"));
        const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(e, "from"));
        const cJSON *t = cJSON_GetObjectItem(e, "t");
        char pressed[96];
        /* a press has no text of its own; the first start is no news */
        if (type && strcmp(type, "command") == 0 && cmd && strcmp(cmd, "start") != 0) {
            snprintf(pressed, sizeof pressed, "%.30s pressed (%.30s)", cmd, from ? from : "?");
            text = pressed;
        }
        for (size_t k = 0; type && text && k < sizeof shown / sizeof shown[0]; k++)
            if (strcmp(type, shown[k]) == 0 && n < 60) {
                wbuf_put(b, "<li>");
                if (cJSON_IsNumber(t))
                    wbuf_printf(b, "<span class=\"time\">%d:%02d</span> ",
                                (int)t->valuedouble / 60, (int)t->valuedouble % 60);
                wbuf_html(b, text);
                wbuf_put(b, "</li>");
                n++;
            }
    }
    cJSON_Delete(ev);
    if (n == 0)
        wbuf_put(b, "<li>No early stop, override, skipped step or button press.</li>");
    wbuf_put(b, "</ul>");
}

int page_session(struct wbuf *b, const struct page_req *r)
{
    char clinic[16];
    snprintf(clinic, sizeof clinic, "%d", r->who->clinic_id);
    const char *p[] = {r->arg ? r->arg : "", clinic};
    PGresult *q = web_q(r->w,
                        "SELECT s.station_id, to_char(s.started, 'YYYY-MM-DD HH24:MI'), s.mode, "
                        "s.status, s.summary::text, s.events::text, p.id, p.name, s.folder, "
                        "extract(epoch FROM s.started) "
                        "FROM sessions s JOIN patients p ON p.id = s.patient_id "
                        "WHERE s.session_id = $1 AND p.clinic_id = $2",
                        2, p);
    if (!q) {
        db_down(b, r->who);
        return 503;
    }
    if (PQntuples(q) != 1) {
        PQclear(q);
        return page_message(b, r->who, 404, "Not found",
                            "There is no such session, or it is not one of your clinic's.");
    }
    struct hist_session *s = calloc(1, sizeof *s);
    if (!s || history_parse(PQgetvalue(q, 0, 4), PQgetvalue(q, 0, 8),
                            (time_t)atof(PQgetvalue(q, 0, 9)), s) < 0) {
        free(s);
        PQclear(q);
        return page_message(b, r->who, 500, "This session cannot be read",
                            "Its summary is not a JSON object.");
    }
    char title[160];
    snprintf(title, sizeof title, "%s, %s", PQgetvalue(q, 0, 7), PQgetvalue(q, 0, 1));
    head(b, r->who, title);
    wbuf_printf(b, "<p class=\"crumbs\"><a href=\"/\">Patients</a> &rsaquo; "
                   "<a href=\"/patient/%s\">",
                PQgetvalue(q, 0, 6));
    wbuf_html(b, PQgetvalue(q, 0, 7));
    wbuf_put(b, "</a></p><h1>Session of ");
    wbuf_html(b, PQgetvalue(q, 0, 1));
    wbuf_put(b, "</h1><dl class=\"facts\"><dt>Person</dt><dd>");
    wbuf_html(b, PQgetvalue(q, 0, 7));
    wbuf_put(b, "</dd><dt>Station</dt><dd>");
    wbuf_html(b, PQgetvalue(q, 0, 0));
    wbuf_put(b, "</dd><dt>Recorded</dt><dd>");
    wbuf_html(b, mode_label(PQgetvalue(q, 0, 2)));
    wbuf_put(b, "</dd><dt>Stage</dt><dd>");
    if (s->stage > 0)
        wbuf_printf(b, "%d", s->stage);
    wbuf_put(b, "</dd><dt>Status</dt><dd>");
    wbuf_html(b, PQgetvalue(q, 0, 3));
    if (s->exercises_total > 0)
        wbuf_printf(b, ", %d of %d exercises", s->exercises_done, s->exercises_total);
    wbuf_put(b, "</dd><dt>Length</dt><dd>");
    if (isfinite(s->duration_s))
        wbuf_printf(b, "%.0f min %02.0f s", floor(s->duration_s / 60), fmod(s->duration_s, 60));
    wbuf_put(b, "</dd><dt>Software</dt><dd>");
    wbuf_html(b, s->software);
    wbuf_put(b, "</dd>");
    if (isfinite(s->rate_min_hz) && isfinite(s->rate_max_hz))
        wbuf_printf(b, "<dt>Her band</dt><dd>%.2f&ndash;%.2f Hz</dd>", s->rate_min_hz,
                    s->rate_max_hz);
    wbuf_put(b, "</dl><h2>Targets and what was done</h2><table class=\"list steps\"><thead><tr>"
                "<th class=\"num\">Step</th><th>Exercise</th><th>Target</th><th>Done</th>"
                "<th>Result</th></tr></thead><tbody>");
    for (int i = 0; i < s->nsteps; i++)
        step_row(b, &s->steps[i]);
    wbuf_put(b, "</tbody></table>");
    sets_table(b, s);
    notes(b, s, PQgetvalue(q, 0, 5));
    foot(b);
    free(s);
    PQclear(q);
    return 200;
}
