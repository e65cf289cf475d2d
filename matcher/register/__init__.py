"""The register a matching desk keeps: waiting list, proposals, decisions and placements, week by week.

A database (SQLite by default, PostgreSQL for a shared register) holds the locations, units and
youths and an append-only log of events; the current state is what the events say, and history
is never overwritten. Every command of the week (``matcher.register.week``) is one transaction.
The monitor (``matcher.register.monitor``) is computed from the same log.
"""
