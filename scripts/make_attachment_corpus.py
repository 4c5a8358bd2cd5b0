"""Write the attachment test corpus (vardnav.attachments.corpus) into a folder, with its expected outcomes.

Usage: .venv/bin/python scripts/make_attachment_corpus.py var/attachment-corpus
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from vardnav.attachments.corpus import SAMPLES


def main(target: str) -> None:
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for sample in SAMPLES:
        name = f"{sample.key}--{sample.file_name}"
        (folder / name).write_bytes(sample.build())
        outcome = f"accepted as {sample.accepted_as}" if sample.accepted_as else f"refused: {sample.refused_with}"
        lines.append(f"{name}\t{outcome}")
    (folder / "EXPECTED.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(SAMPLES)} files to {folder}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/attachment-corpus")
