import pytest

from pipeline.cli import build_parser, main

COMMANDS = ["run", "compact", "inspect", "sql", "compare", "export", "report", "dictionary", "codes"]


def test_top_level_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"juesuan {command}" in out
    sub = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert sub.description and sub.description.split()[0] in out


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["run"]) == 2
    assert main(["run", str(tmp_path / "missing")]) == 2
    assert main(["sql", "select 1", "--data", str(tmp_path / "nothing")]) == 2


def test_inspect_prints_tables_and_facts(seed_pdf, capsys):
    assert main(["inspect", str(seed_pdf)]) == 0
    out = capsys.readouterr().out
    assert "苍溪县目标绩效事务中心" in out
    assert "income_expenditure_summary" in out
    assert "income_total" in out


def test_sql_over_run_output(tmp_path, seed_pdf, capsys):
    out = tmp_path / "out"
    assert main(["run", str(seed_pdf), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sql", "select department, fiscal_year from documents", "--data", str(out), "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert "苍溪县目标绩效事务中心,2023" in text
