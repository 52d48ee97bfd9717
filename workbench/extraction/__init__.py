"""Extraction: suggested records (people, places, organisations, dates, events, figures)."""
