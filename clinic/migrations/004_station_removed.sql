-- SPDX-License-Identifier: GPL-3.0-or-later
-- A station removed by `station-clinic remove-station`: the sessions it
-- sent stay, the collector refuses new ones.
ALTER TABLE stations ADD COLUMN removed timestamptz;
