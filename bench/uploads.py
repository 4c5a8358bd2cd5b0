"""Peak memory of checking one 20 MB upload of each allowed type, at the largest allowed pixel count.

    python -m bench.uploads            # prints JSON; `make bench` includes it

For each type a fresh Python process sets Django up, checks a small image first
(so imports and the decoders are loaded), reads its peak RSS (VmHWM), then
runs the check an upload request runs (`attachments.validation.check_path`:
sniffing, the full parse, the re-encoding that strips metadata) on the big file
and reads the peak again. The growth is what one upload adds to a web worker.
Images are decoded inside the per-process budget (ATTACHMENT_DECODE_BUDGET_BYTES,
attachments/budget.py), which bounds what concurrent uploads can add together.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
from pathlib import Path

from bench import common

TARGET_BYTES = 20 * 1024 * 1024 - 64 * 1024
PROBE = """
import json, sys, time
from pathlib import Path
def hwm_kb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from bench import common
common.setup_django()
from django.conf import settings
from vardnav.attachments import corpus
from vardnav.attachments.validation import check_path
small = Path(sys.argv[2])
small.write_bytes(corpus.valid_png())
check_path(small, "small.png").cleanup()
before = hwm_kb()
started = time.perf_counter()
checked = check_path(Path(sys.argv[1]), "big")
took = time.perf_counter() - started
after = hwm_kb()
print(json.dumps({"before_kb": before, "after_kb": after, "seconds": round(took, 2), "stored_bytes": checked.size,
       "budget_bytes": settings.ATTACHMENT_DECODE_BUDGET_BYTES, "content_type": checked.content_type}))
checked.cleanup()
"""


def _noise_rgb(width: int, height: int):
    from PIL import Image

    bands = [Image.effect_noise((width, height), 90) for _ in range(3)]
    return Image.merge("RGB", bands)


def make_files(folder: Path, pixels: int) -> dict[str, Path]:
    """A file of each allowed type just under 20 MB; images at the pixel limit."""
    from PIL import Image

    from vardnav.attachments import corpus

    side_w = int(math.sqrt(pixels * 4 / 3))
    side_h = pixels // side_w
    files: dict[str, Path] = {}
    # JPEG: a colour gradient with noise, saved at the quality the app re-encodes with (90) so the
    # stored copy stays under 20 MB too; less noise until the file fits.
    base = Image.linear_gradient("L").resize((side_w, side_h))
    for sigma in (40, 28, 20, 14, 10, 6):
        bands = [Image.blend(base, Image.effect_noise((side_w, side_h), sigma), 0.5) for _ in range(3)]
        picture = Image.merge("RGB", bands)
        del bands
        path = folder / "big.jpg"
        picture.save(path, "JPEG", quality=90)
        if path.stat().st_size <= TARGET_BYTES:
            break
    files["image/jpeg"] = path
    # PNG: RGBA (the widest decode), noise in a band and flat colour elsewhere, to land near 20 MB.
    band = max(1, min(side_h, TARGET_BYTES // (side_w * 4)))
    rgba = Image.new("RGBA", (side_w, side_h), (200, 220, 240, 255))
    rgba.paste(_noise_rgb(side_w, band).convert("RGBA"), (0, 0))
    del picture, base
    path = folder / "big.png"
    rgba.save(path, "PNG", compress_level=1)
    while path.stat().st_size > TARGET_BYTES and band > 1:
        band = band * 3 // 4
        rgba = Image.new("RGBA", (side_w, side_h), (200, 220, 240, 255))
        rgba.paste(_noise_rgb(side_w, band).convert("RGBA"), (0, 0))
        rgba.save(path, "PNG", compress_level=1)
    del rgba
    files["image/png"] = path
    # GIF: one frame at the pixel limit (frames × pixels may not exceed it), 256 colours.
    gif = _noise_rgb(side_w, side_h).convert("L").quantize(256)
    path = folder / "big.gif"
    gif.save(path, "GIF")
    if path.stat().st_size > TARGET_BYTES:
        gif = gif.crop((0, 0, side_w, max(1, side_h * TARGET_BYTES // path.stat().st_size)))
        flat = Image.new("P", (side_w, side_h), 0)
        flat.paste(gif, (0, 0))
        flat.save(path, "GIF")
    files["image/gif"] = path
    path = folder / "big.pdf"
    path.write_bytes(corpus.pdf_of_size(TARGET_BYTES))
    files["application/pdf"] = path
    return files


def measure(pixels: int | None = None) -> dict:
    common.setup_django()
    from django.conf import settings

    pixels = pixels or settings.ATTACHMENT_MAX_IMAGE_PIXELS
    out: dict = {"pixels": pixels, "budget_bytes": settings.ATTACHMENT_DECODE_BUDGET_BYTES, "types": {}}
    with tempfile.TemporaryDirectory(prefix="vardnav-bench-uploads-") as tmp:
        folder = Path(tmp)
        for content_type, path in make_files(folder, pixels).items():
            done = subprocess.run(
                [common.PYTHON, "-c", PROBE, str(path), str(folder / "small.png")],
                cwd=common.ROOT,
                env=common.app_env(),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                out["types"][content_type] = {"error": done.stderr.strip().splitlines()[-1][:300]}
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            out["types"][content_type] = {
                "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
                "peak_rss_growth_mb": round((row["after_kb"] - row["before_kb"]) / 1024, 1),
                "check_seconds": row["seconds"],
                "stored_mb": round(row["stored_bytes"] / 1024 / 1024, 1),
            }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pixels", type=int, default=None, help="image size (default: ATTACHMENT_MAX_IMAGE_PIXELS)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.pixels), indent=2))


if __name__ == "__main__":
    main()
