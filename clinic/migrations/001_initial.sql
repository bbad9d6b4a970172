-- SPDX-License-Identifier: GPL-3.0-or-later
-- The clinic server's tables (docs/clinic-protocol.md). Health data: a
-- patient is a clinic's pseudonym and the station's random key; sessions
-- are what the stations' summaries say, nothing more.
CREATE TABLE clinics (
    id serial PRIMARY KEY,
    name text UNIQUE NOT NULL
);

CREATE TABLE stations (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,32}$'),
    clinic_id int NOT NULL REFERENCES clinics,
    last_seen timestamptz
);

CREATE TABLE patients (
    id serial PRIMARY KEY,
    clinic_id int NOT NULL REFERENCES clinics,
    person_key text NOT NULL CHECK (person_key ~ '^[0-9a-f]{16}$'),
    name text NOT NULL,
    UNIQUE (clinic_id, person_key)
);

CREATE TABLE clinicians (
    id serial PRIMARY KEY,
    clinic_id int NOT NULL REFERENCES clinics,
    login text UNIQUE NOT NULL,
    pwhash text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    session_id text PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations,
    patient_id int REFERENCES patients ON DELETE CASCADE,
    folder text NOT NULL,
    started timestamptz NOT NULL,
    mode text NOT NULL,
    status text NOT NULL,
    stage int,
    early_stop bool,
    exercises_done int,
    exercises_total int,
    summary jsonb NOT NULL,
    events jsonb NOT NULL,
    trace text,
    received timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_patient_started ON sessions (patient_id, started);
CREATE INDEX sessions_station_started ON sessions (station_id, started);

CREATE TABLE programs (
    patient_id int PRIMARY KEY REFERENCES patients ON DELETE CASCADE,
    program jsonb NOT NULL,
    updated timestamptz NOT NULL,
    updated_by int REFERENCES clinicians
);

CREATE TABLE web_sessions (
    token_hash text PRIMARY KEY,
    clinician_id int NOT NULL REFERENCES clinicians ON DELETE CASCADE,
    csrf text NOT NULL,
    expires timestamptz NOT NULL
);
