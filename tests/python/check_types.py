"""ctest `python: mypy`: static checks of the Python package.

  1. mypy --strict over the package kartotek (with its stubs) and over every
     example of docs/python.md;
  2. mypy's stubtest: python/kartotek/_kartotek.pyi against the built
     extension (allowlist: stubtest_allowlist.txt);
  3. the generated part of the stub is current (python/tools/generate_stubs.py).

Usage: check_types.py --stage <build>/python --work-dir <scratch dir>
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from doc_examples import examples  # noqa: E402


def run(step: str, command: list[str], env: dict[str, str]) -> bool:
    print(f"== {step}: {' '.join(command)}", flush=True)
    done = subprocess.run(command, env=env, cwd=REPO)
    if done.returncode != 0:
        print(f"== {step}: FAILED ({done.returncode})", flush=True)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, type=Path, help="directory holding the staged package")
    parser.add_argument("--work-dir", required=True, type=Path)
    args = parser.parse_args()

    work: Path = args.work_dir
    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for old in docs.glob("*.py"):
        old.unlink()
    files = []
    for example in examples():
        path = docs / f"python_md_line_{example.line}.py"
        path.write_text(example.code, encoding="utf-8")
        files.append(str(path))

    env = dict(os.environ)
    stage = str(args.stage.resolve())
    env["MYPYPATH"] = stage
    env["PYTHONPATH"] = stage + os.pathsep + env.get("PYTHONPATH", "")
    python = sys.executable
    cache = ["--cache-dir", str(work / "mypy-cache")]
    ok = run("mypy --strict, package", [python, "-m", "mypy", "--strict", *cache, "-p", "kartotek"], env)
    ok &= run("mypy --strict, docs/python.md", [python, "-m", "mypy", "--strict", *cache, *files], env)
    ok &= run(
        "stubtest",
        [python, "-m", "mypy.stubtest", "kartotek._kartotek", "--mypy-config-file", str(REPO / "pyproject.toml"),
         "--allowlist", str(HERE / "stubtest_allowlist.txt")],
        env,
    )
    ok &= run("stub is current", [python, str(REPO / "python" / "tools" / "generate_stubs.py"), "--check"], env)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
