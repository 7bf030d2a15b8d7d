"""Orchestration: batch run, incremental ledger, Parquet store, CLI."""
