"""The installed package ships the registry, its policies and its web interface, never the
benchmarks, the synthetic history or the tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parents[2]


def installed_packages() -> list[str]:
    """The packages setuptools puts in the wheel, found as pyproject.toml tells it to."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    return find_namespace_packages(
        where=str(ROOT), include=find["include"], exclude=find.get("exclude", ())
    )


def test_the_wheel_holds_the_registry_and_not_the_benchmarks() -> None:
    packages = installed_packages()
    assert {"registry", "registry.cli", "registry.readmodels", "policies", "web"} <= set(packages)
    assert not [p for p in packages if p.split(".")[0] in ("bench", "tests", "scripts")]
    shipped = {
        path.relative_to(ROOT).as_posix()
        for package in packages
        for path in (ROOT / package.replace(".", "/")).glob("*.py")
    }
    assert "registry/cli/bench.py" in shipped
    assert not [p for p in shipped if Path(p).stem in ("benchmark", "synthetic")]
    assert (ROOT / "bench" / "synthetic.py").is_file() and (ROOT / "bench" / "http.py").is_file()
