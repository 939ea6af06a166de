"""Fixed bytes for an Office file: the same agency gives the same .xlsx or .docx, every time.

An .xlsx or .docx is a zip of XML parts. Its bytes change from run to run in three places: the zip
entries' timestamps (the time of writing), the order some writers add entries in, and the
document properties' created and modified times (openpyxl stamps `modified` with the time of
saving, whatever was set). One function fixes all three for both formats, so that an exported
file can be compared, cached and committed like any other build output.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED_TIME = "2000-01-01T00:00:00Z"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_PART = "docProps/core.xml"
# Both writers write the times as `<dcterms:created xsi:type="dcterms:W3CDTF">…</dcterms:created>`.
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
# The content types part first, as Office writes it (some readers look for it there).
_FIRST = "[Content_Types].xml"


def fixed_zip(data: bytes) -> bytes:
    """The Office file `data` rewritten: entries in a fixed order (content types first, then by
    name), each with the same timestamp, attributes and compression, and the document's created
    and modified times set to FIXED_TIME."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in sorted(parts, key=lambda name: (name != _FIRST, name)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the platform writing it: the same on every machine
            info.external_attr = 0
            content = parts[name]
            if name == _CORE_PART:
                content = _CORE_TIMES.sub(rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>", content)
            target.writestr(info, content, compresslevel=6)
    return output.getvalue()
