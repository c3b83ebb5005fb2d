"""The rules the layout keeps, checked: the core (sensus, queries) never imports Streamlit, the dashboard
layer or the tools; dashboard.py and the pages import only Streamlit, the Streamlit layer (app), the core and
the standard library; no page imports another; ruff finds nothing."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ("sensus", "queries")
SCRIPTS = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
ALLOWED_IN_SCRIPTS = {"streamlit", "app", "sensus"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_core_imports_without_streamlit_the_dashboard_layer_or_the_tools():
    """Every module of the core imported in a fresh interpreter where importing Streamlit fails."""
    program = f"""
import importlib, pkgutil, sys
sys.modules["streamlit"] = None
for package in {CORE!r}:
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        if not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
print(sorted(name for name, module in sys.modules.items()
             if module is not None and name.split(".")[0] in ("streamlit", "app", "tools", "pages")))
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "path",
    [path for package in CORE for path in sorted((ROOT / package).rglob("*.py"))],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_no_core_module_names_the_dashboard_layer_or_the_tools(path):
    named = {module.split(".")[0] for module in imported_modules(path)}
    assert named.isdisjoint({"streamlit", "app", "tools", "pages"})


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_pages_import_only_streamlit_the_dashboard_layer_the_core_and_the_standard_library(path):
    outside = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] not in ALLOWED_IN_SCRIPTS and module.split(".")[0] not in sys.stdlib_module_names
    }
    assert outside == set()


def test_the_contract_sees_a_forbidden_import(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import pandas as pd\nfrom pages import penduduk\nfrom sensus import charts\n")
    assert imported_modules(page) == {"pandas", "pages", "sensus"}


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_the_code_is_linted_and_formatted(command):
    """ruff, configured in pyproject.toml."""
    result = subprocess.run([sys.executable, "-m", "ruff", *command, "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
