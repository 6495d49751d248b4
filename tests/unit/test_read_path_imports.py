"""The read path's cold start: `import app` and a snapshot load import nothing only writes need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITE_ONLY = ("pydantic", "phonenumbers", "email_validator", "vobject", "segno")

PROBE = """
import json, sys
import app
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.links import Links
from chalicelib.domain.snapshot import Snapshot
doc = {
    "id": "05999001", "name": "Stadt Probe", "kind": "kreisangehörige Stadt",
    "regierungsbezirk": "Münster", "seat": "Probe", "coordinates": {"lat": 52.0, "lon": 7.5},
    "offices": [{"id": "office-probe", "name": "KI Probe", "phone": "+4925516920",
                 "phone_display": "+49 2551 6920",
                 "contacts": [{"id": "c-probe", "given_name": "A", "family_name": "B", "public": True,
                               "fax": "+4925516921", "fax_display": "+49 2551 6921"}]}],
}
snapshot = Snapshot.build(1, [StoredDocument("05999001", 1, json.dumps(doc))], Links(""))
office = snapshot.office("office-probe").view
contact = snapshot.contact("c-probe").view
print(json.dumps({
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:])),
    "office_phone": office["phone_display"],
    "contact_fax": contact["fax_display"],
}))
"""


def test_import_app_and_a_snapshot_load_import_no_write_side_package() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *WRITE_ONLY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    assert result == {"loaded": [], "office_phone": "+49 2551 6920", "contact_fax": "+49 2551 6921"}
