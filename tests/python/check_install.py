"""ctest `python: pip install`: the package installs with pip and works there.

Builds a wheel of the repository with pip (scikit-build-core runs CMake:
the whole C++ library and the extension), installs it into a fresh virtual
environment, and runs a smoke test with that environment's interpreter, from
a directory outside the repository.

The build uses the calling interpreter's scikit-build-core and pybind11
(--no-build-isolation), so it needs no network; the build directory persists
under --work-dir, so later runs rebuild only what changed. --unoptimized
builds at -O0, which halves a cold build: this test proves the packaging
(CMake under scikit-build-core, the wheel's files, the import), not the code
generation.

Usage: check_install.py --source <repository> --work-dir <scratch dir> [--unoptimized]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

SMOKE = r'''
import importlib.metadata, json, sys
from pathlib import Path
import kartotek

package = Path(kartotek.__file__).parent
assert Path(sys.prefix) in package.parents, f"imported from {package}, not the virtual environment"
assert kartotek.__version__ == importlib.metadata.version("kartotek") == kartotek._kartotek.HEADER_VERSION
for name in ("py.typed", "_kartotek.pyi", "__init__.py", "__main__.py", "_errors.py", "_literals.py",
             "_sample.py", "cli.py", "commands.py"):
    assert (package / name).is_file(), name
reg = kartotek.Register(clock=kartotek.ManualClock("2026-01-05"))
admin = reg.create_first_administrator("anna", "Anna Lindqvist")
cid = reg.create_customer(admin, kartotek.Customer(number="1001", name="Åberg AB"))
assert [c.name for c in reg.search_customers(admin, "åberg")] == ["Åberg AB"]
try:
    reg.create_customer(admin, kartotek.Customer(number="1001", name="Dubblett AB"))
    raise SystemExit("a taken number was accepted")
except kartotek.Conflict:
    pass
print("installed kartotek", kartotek.__version__, "works:", json.dumps(reg.customer(admin, cid).to_dict()["name"]))
'''


def step(name: str, command: list[str], **kwargs: object) -> None:
    print(f"== {name}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, **kwargs)  # type: ignore[call-overload]
    print(f"== {name}: exit {done.returncode} after {time.monotonic() - started:.0f} s", flush=True)
    if done.returncode != 0:
        raise SystemExit(f"check_install: {name} failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--work-dir", required=True, type=Path)
    parser.add_argument("--unoptimized", action="store_true", help="build at -O0 (Debug without -g)")
    args = parser.parse_args()
    work: Path = args.work_dir.resolve()
    dist, env_dir, build = work / "dist", work / "venv", work / "skbuild"
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(env_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)

    wheel = [sys.executable, "-m", "pip", "wheel", str(args.source.resolve()), "--no-build-isolation",
             "--no-deps", "--disable-pip-version-check", "-w", str(dist), "-C", f"build-dir={build}"]
    if args.unoptimized:
        wheel += ["-C", "cmake.build-type=Debug", "-C", "cmake.define.CMAKE_CXX_FLAGS_DEBUG=-O0"]
    if shutil.which("ccache"):
        wheel += ["-C", "cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache"]
    environ = dict(os.environ)
    environ.pop("PYTHONPATH", None)  # nothing from the build tree
    step("pip wheel", wheel, env=environ)
    [built] = dist.glob("kartotek-*.whl")

    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    step("pip install", [python, "-m", "pip", "install", "--no-index", "--no-deps",
                         "--disable-pip-version-check", str(built)], env=environ)
    step("smoke test", [python, "-c", SMOKE], env=environ, cwd=str(work))
    # The console script: a sample register made and searched in the work dir.
    kartotek = str(env_dir / "bin" / "kartotek")
    register = str(work / "cli-register")
    shutil.rmtree(register, ignore_errors=True)
    step("kartotek demo", [kartotek, "--register", register, "--quiet", "demo", "--customers", "20"], env=environ)
    step("kartotek show", [kartotek, "--register", register, "show", "1001"], env=environ)
    return 0


if __name__ == "__main__":
    sys.exit(main())
