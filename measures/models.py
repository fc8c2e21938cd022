"""Indicators, reporting periods and readings (see the readings issue)."""
