"""A web worker loads what the public pages need, not the libraries of a few downloads (issue 10: worker
memory): openpyxl for XLSX and icalendar for calendar files are imported by the functions that write them."""

import os
import subprocess
import sys

from django.conf import settings

LOADED = """
import sys
import django
django.setup()
from django.urls import get_resolver
from jipp.wsgi import application
get_resolver().url_patterns
print(" ".join(sorted(name for name in ("openpyxl", "icalendar") if name in sys.modules)))
"""


def test_worker_start_imports_no_spreadsheet_or_calendar_library():
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jipp.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == ""
