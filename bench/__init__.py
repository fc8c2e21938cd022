"""Benchmark of pages, scrutiny reports and uploads on a synthetic council at several sizes."""
