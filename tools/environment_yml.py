"""Write or check environment.yml, the conda environment, from requirements/lock.txt.

    python tools/environment_yml.py --write    # regenerate environment.yml
    python tools/environment_yml.py            # exit 1 if environment.yml is out of date

The conda environment takes its Python from pyproject.toml's ``requires-python`` and every
pip package, at its exact locked version, from the lock file (hashes and platform-specific
packages left out), so conda users get the versions CI tests.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
# The environment conda users create: Linux or macOS, Python as pyproject.toml's minimum.
CONDA_TARGET = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


def locked_pins(lock: Path) -> list[str]:
    """The ``name==version`` pins of a uv lock file that apply on Linux with conda's Python."""
    python = minimum_python()
    environment = {
        **CONDA_TARGET,
        "python_version": python,
        "python_full_version": python + ".0",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    pins = []
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not Marker(marker).evaluate(environment):
            continue
        pins.append(f"{name}=={version}")
    if not pins:
        raise SystemExit(f"error: {lock} contains no 'name==version' pins")
    return pins


def minimum_python() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return pyproject["project"]["requires-python"].removeprefix(">=")


def render(pins: list[str]) -> str:
    lines = [
        "# Conda environment for running the course locally:",
        "#   conda env create -f environment.yml && conda activate keras-course",
        "# Generated from requirements/lock.txt by tools/environment_yml.py (run by",
        "# tools/lock.sh): the exact versions CI tests. Do not edit by hand.",
        "name: keras-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={minimum_python()}",
        "  - pip",
        "  - pip:",
        *[f"      - {pin}" for pin in pins],
        "      - -e .",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite environment.yml")
    args = parser.parse_args(argv)
    wanted = render(locked_pins(ROOT / "requirements" / "lock.txt"))
    target = ROOT / "environment.yml"
    if args.write:
        target.write_text(wanted)
        return 0
    if target.read_text() != wanted:
        print(
            "environment.yml is out of date: run `python tools/environment_yml.py --write`",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
