"""The Dask executor runs the same per-document task: the same dataset as the local pool."""

from __future__ import annotations

import pytest
from test_batch import dataset, log_lines, make_copies, run_cli

pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (pip install 'juesuan[dask]')")


def test_dask_local_cluster_writes_the_local_pools_dataset(tmp_path, seed_pdf, monkeypatch):
    inbox = tmp_path / "inbox"
    make_copies(inbox, seed_pdf, 2)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "crash.pdf").write_bytes(b"%PDF-1.4 worker dies here")
    # the worker's limits travel with the task: a crash on a Dask worker is a failed row too
    monkeypatch.setenv("JUESUAN_TEST_FAULTS", "crash.pdf=segv")
    local, distributed = tmp_path / "local", tmp_path / "dask"
    assert run_cli(inbox, "--out", local, "--quiet", "--workers", "2") == 1
    log = tmp_path / "dask.jsonl"
    args = ["--out", distributed, "--quiet", "--workers", "2", "--executor", "dask", "--log-json", log]
    assert run_cli(inbox, *args) == 1
    assert dataset(distributed) == dataset(local)
    records = log_lines(log)
    assert records["crash.pdf"]["reason"] == "worker crashed (signal 11, SIGSEGV)"
    assert [records[f"copy{i:02d}.pdf"]["status"] for i in range(2)] == ["ok", "ok"]
    # incremental on Dask as well
    assert run_cli(inbox, *args) == 0
