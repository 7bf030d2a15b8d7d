from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "pdfs"
REALPDFS = ROOT.parent / "shared" / "realpdfs"


def truth_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.truth.json"))


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_pdf() -> Path:
    path = FIXTURES / "seed_cangxi_2023.pdf"
    assert path.exists(), f"missing fixture {path}: rebuild with fixtures/build.py"
    return path


@pytest.fixture(scope="session")
def seed_result(seed_pdf: Path):
    from pipeline.process import process_file

    return process_file(seed_pdf)


def realpdfs_or_skip() -> Path:
    if not REALPDFS.is_dir():
        pytest.skip("../shared/realpdfs is not present")
    return REALPDFS
