#!/usr/bin/env python
"""Write static/vendor/redoc/ from the Redoc bundle that drf-spectacular-sidecar ships, without the
one thing it fetches from the internet: the Redocly logo of its side menu (no option turns it off).

Offline government networks must not see a request leave, and the strict Content-Security-Policy
would report it. Run again after upgrading drf-spectacular-sidecar.
"""

from pathlib import Path

import drf_spectacular_sidecar

SOURCE = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "redoc" / "bundles"
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "redoc"
LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# An empty SVG: the menu keeps its layout and the browser asks no one for it (img-src allows data:).
EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


def main() -> None:
    bundle = (SOURCE / "redoc.standalone.js").read_text(encoding="utf-8")
    if LOGO not in bundle:
        raise SystemExit(f"{LOGO} is no longer in the bundle: check what this version fetches.")
    TARGET.mkdir(parents=True, exist_ok=True)
    # The source map would point at the unpatched file; the bundle keeps working without it.
    patched = bundle.replace(LOGO, EMPTY_IMAGE).replace("//# sourceMappingURL=redoc.standalone.js.map", "")
    (TARGET / "redoc.standalone.js").write_text(patched, encoding="utf-8")
    license_text = (SOURCE / "redoc.standalone.js.LICENSE.txt").read_text(encoding="utf-8")
    (TARGET / "redoc.standalone.js.LICENSE.txt").write_text(license_text, encoding="utf-8")


if __name__ == "__main__":
    main()
