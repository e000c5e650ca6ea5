#!/bin/sh
# A stand-in migration: waits for postgres' port, then exits 0.
echo "migrating ${DATABASE_URL%%@*}@…"
exit 0
