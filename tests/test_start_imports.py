"""Starting a process loads no service driver and no PDF library: each took every process
(every ``campus`` command, each server, each test worker) a tenth of a second or more at start,
though only a deployment on that service, or a PDF being drawn, needs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON_FIRST_USE = ("redis", "psycopg", "kafka", "chdb", "boto3", "reportlab", "PIL")


def test_the_entry_points_import_no_driver_and_no_pdf_library():
    script = (
        "import sys\nimport ops.app, ops.bootstrap, ops.cli\n"
        f"print(*(name for name in {ON_FIRST_USE!r} if name in sys.modules))"
    )
    # A process of its own: this one has loaded them all for other tests.
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
