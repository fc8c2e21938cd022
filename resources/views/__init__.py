"""The finance pages: the quarter's returns and their decisions (returns.py), uploading the
ledger extract (uploads.py)."""
