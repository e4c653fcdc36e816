"""The README as a new user meets it: build the package (sdist, then the wheel from the sdist)
from the checkout, check both with twine, install the wheel with pip alone into a fresh
virtual environment (dependencies at the locked versions), then run every ``leptoportal``
line of the code blocks of README.md and of the getting-started page, in order, exactly as
written, each page from its own scratch directory outside the checkout. Every line must exit
0 and leave the files it names (``--out X``, ``--pyhf-workspace X``, ``> X``); a reproduction
must leave a HEPData archive that hepdata-validator accepts and its summary.json.

Run by ``make test`` beside the test suite (``make readme-check`` alone). Needs the project's
``.venv`` (build and twine come from the locked test extra); ``PYTHON`` names the interpreter
of the fresh environment (default: python3). Leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the pages whose commands a new user runs first, each from its own empty directory
PAGES = ("README.md", "docs/getting-started.md")
LOCK = ROOT / "requirements" / "dev.lock"
#: what the wheel must carry besides the code
WHEEL_DATA = ("leptoportal/py.typed", "leptoportal/data/experiments.yaml",
              "leptoportal/data/examples/scan_limits.yaml", "leptoportal/data/lfv_limits.csv")
#: the longest any one line of the pages may run (a hung command fails the check)
LINE_TIMEOUT_S = 900


def fail(message: str) -> None:
    sys.stderr.write(f"readme-check: {message}\n")
    raise SystemExit(1)


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)
    if done.returncode != 0:
        fail(f"{' '.join(map(str, args))} exited {done.returncode}:\n"
             f"{(done.stdout + done.stderr)[-4000:]}")
    return done


def commands(page: Path) -> list[str]:
    """The ``leptoportal ...`` lines of a page's shell code blocks, in order, comments cut."""
    lines = []
    for block in re.findall(r"^```(?:sh|bash|console)\n(.*?)^```", page.read_text(),
                            re.M | re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line.startswith("leptoportal ") or line == "leptoportal":
                lines.append(line)
    return lines


def promised(line: str) -> list[str]:
    """The files and directories a command line says it writes."""
    return [a or b for a, b in re.findall(r"(?:--out|--pyhf-workspace)\s+(\S+)|>\s*(\S+)",
                                          line)]


def copy_sources(dest: Path) -> None:
    """The files git knows (tracked, or new and not ignored), as they are in the work tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        src = ROOT / name
        if not (src.exists() or src.is_symlink()):
            continue  # deleted in the work tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)


def constraints(lock: Path, out: Path) -> Path:
    """The lock's exact versions (with their markers) as a pip constraints file."""
    pins = [ln.rstrip(" \\") for ln in lock.read_text().splitlines()
            if ln and not ln[0].isspace() and not ln.startswith("#")]
    out.write_text("\n".join(pins) + "\n")
    return out


def build(work: Path) -> Path:
    src = work / "src"
    copy_sources(src)
    dist = work / "dist"
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(src)])
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"expected one wheel and one sdist, got {[p.name for p in dist.iterdir()]}")
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)])
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    missing = [n for n in WHEEL_DATA if n not in names]
    if missing:
        fail(f"the wheel lacks {missing}")
    return wheels[0]


def install(work: Path, wheel: Path) -> Path:
    python = os.environ.get("PYTHON", "python3")
    venv = work / "venv"
    run([python, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-c",
         str(constraints(LOCK, work / "constraints.txt")), f"{wheel}[all]"])
    return venv / "bin"


def check_reproduction(bin_dir: Path, out: Path) -> None:
    for name in ("submission.tar.gz", "summary.json", "report.md"):
        if not (out / name).is_file():
            fail(f"the reproduction in {out.name}/ left no {name}")
    run([str(bin_dir / "python"), "-c", "import sys\n"
         "from hepdata_validator.full_submission_validator import FullSubmissionValidator\n"
         "v = FullSubmissionValidator()\n"
         "sys.exit(0 if v.validate(archive=sys.argv[1]) else 1)",
         str(out / "submission.tar.gz")])


def run_page(page: str, bin_dir: Path, work: Path) -> list[tuple[str, float]]:
    here = work / ("user-" + Path(page).stem)
    here.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "LEPTOPORTAL_CACHE": str(work / "cache"), "COLUMNS": "100"}
    env.pop("VIRTUAL_ENV", None)
    lines = commands(ROOT / page)
    if not lines:
        fail(f"{page} has no leptoportal lines")
    timings = []
    for line in lines:
        t0 = time.perf_counter()
        done = subprocess.run(["bash", "-c", line], cwd=here, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=LINE_TIMEOUT_S)
        if done.returncode != 0:
            fail(f"{page}: `{line}` exited {done.returncode} in a fresh directory:\n"
                 f"{done.stderr[-3000:]}")
        for name in promised(line):
            if not (here / name).exists():
                fail(f"{page}: `{line}` left no {name}")
        if line.split()[1:2] == ["reproduce"]:
            check_reproduction(bin_dir, here / promised(line)[0])
        timings.append((line, time.perf_counter() - t0))
    return timings


def main() -> None:
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="readme-check-") as tmp:
        work = Path(tmp)
        wheel = build(work)
        bin_dir = install(work, wheel)
        rows = [(page, line, s) for page in PAGES for line, s in run_page(page, bin_dir, work)]
    print(f"readme-check: {wheel.name} built, twine-checked and installed with pip alone; "
          f"{len(rows)} lines of {', '.join(PAGES)} ran as written from fresh directories "
          f"({time.perf_counter() - t0:.0f} s):")
    for page, line, s in rows:
        print(f"  {s:6.1f} s  {Path(page).name}: {line}")


if __name__ == "__main__":
    main()
