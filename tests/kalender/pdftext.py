"""A small text extractor for the PDFs WeasyPrint writes (no PDF reader is installed):
inflate the content streams, map the glyph ids of each font through its ToUnicode CMap,
and join the shown strings in drawing order (one line per text object)."""

from __future__ import annotations

import re
import zlib

OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.DOTALL)
STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream", re.DOTALL)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects = {}
    for match in OBJ.finditer(pdf):
        number, body = int(match.group(1)), match.group(2)
        stream = STREAM.match(body)
        if stream:
            head, data = stream.group(1), stream.group(2)
            if b"/FlateDecode" in head:
                try:
                    data = zlib.decompress(data)
                except zlib.error:
                    data = zlib.decompressobj().decompress(data)
            objects[number] = (head, data)
        else:
            objects[number] = (body, None)
    # Small objects (font dictionaries among them) live compressed in object streams.
    for head, data in list(objects.values()):
        if data is None or b"/ObjStm" not in head:
            continue
        first = int(re.search(rb"/First (\d+)", head).group(1))
        pairs = [int(x) for x in data[:first].split()]
        offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
        for i, (number, offset) in enumerate(offsets):
            end = offsets[i + 1][1] if i + 1 < len(offsets) else len(data) - first
            objects.setdefault(number, (data[first + offset : first + end], None))
    return objects


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    text = data.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def extract_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    # font object -> its ToUnicode map; resource name -> font object
    font_maps: dict[int, dict[int, str]] = {}
    for number, (head, _data) in objects.items():
        match = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if match and int(match.group(1)) in objects:
            font_maps[number] = _cmap(objects[int(match.group(1))][1] or b"")
    names: dict[str, int] = {}
    for head, _data in objects.values():
        for name, ref in re.findall(rb"/([\w.+-]+) (\d+) 0 R", head):
            if int(ref) in font_maps:
                names[name.decode()] = int(ref)
    lines = []
    for head, data in objects.values():
        if data is None or b"BT" not in data or b"/Length1" in head:
            continue
        current: dict[int, str] = {}
        blocks = []
        for text_object in re.findall(rb"BT(.*?)ET", data, re.DOTALL):
            # A new text position (Tm, Td) starts a new line.
            blocks.extend(re.split(rb"\sT[md]\s", text_object))
        for block in blocks:
            line = []
            for token in re.finditer(
                rb"/([\w.+-]+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", block, re.DOTALL
            ):
                if token.group(1):
                    current = font_maps.get(names.get(token.group(1).decode(), -1), {})
                    continue
                hexes = (
                    re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2))
                    if token.group(2) is not None
                    else [token.group(3)]
                )
                for chunk in hexes:
                    raw = bytes.fromhex(chunk.decode())
                    width = 2 if len(raw) % 2 == 0 else 1
                    for i in range(0, len(raw), width):
                        code = int.from_bytes(raw[i : i + width], "big")
                        line.append(current.get(code, ""))
            if line:
                lines.append("".join(line))
    return "\n".join(lines)
