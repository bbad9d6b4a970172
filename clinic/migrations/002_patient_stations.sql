-- SPDX-License-Identifier: GPL-3.0-or-later
-- Stations of her clinic a clinician sent a patient's program to, beside
-- those she has sessions on: their retained program message names her (with
-- her key), and the station adds her under that key, so her sessions there
-- are hers (README "One patient at home and in the clinic").
CREATE TABLE patient_stations (
    patient_id int NOT NULL REFERENCES patients ON DELETE CASCADE,
    station_id text NOT NULL REFERENCES stations ON DELETE CASCADE,
    added timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, station_id)
);
