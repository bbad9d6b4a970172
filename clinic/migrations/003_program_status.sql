-- SPDX-License-Identifier: GPL-3.0-or-later
-- What each station last said it did with the clinic's program message
-- (station/<id>/program-status): applied, applied before, and who it
-- refused with why, so the web page can show a refusal on her page.
CREATE TABLE program_status (
    station_id text PRIMARY KEY REFERENCES stations ON DELETE CASCADE,
    status jsonb NOT NULL,
    received timestamptz NOT NULL DEFAULT now()
);
