"""Perceptual hashes of a photo, as the checks compare them.

Every photo goes through the same steps before it is hashed, so that a copy and its original
come out alike:

1. scaled down to at most 512 pixels (hashes look at 32 x 32 anyway), then turned upright by
   its EXIF orientation: a phone's portrait photo is stored sideways with a tag saying so;
2. made greyscale, transparent parts on white;
3. uniform borders trimmed: a screenshot's frame, a letterbox, a printed timestamp strip on a
   plain band. A border would otherwise dominate the hash, so a framed copy would not match;
4. scaled to at most 128 pixels: the working image.

From the working image: pHash and dHash (imagehash) of the image and of its mirror image, and
two sets used when an after-photo is compared with its own case's before photos:
`windows`, pHashes of 23 crops of the image (the whole, 95% and 90% at nine positions, and
85-70% in the centre), and `turns`, pHashes of the image and of its mirror turned by -4, -2,
0, 2 and 4 degrees (each cut to the largest upright rectangle inside, as a phone's
"straighten" does). A crop of up to 10% or a small rotation of a photo then still lies a few
bits from one of the windows of the original.

`detail` is the relative contrast of the 32 x 32 greyscale image the hashes see (standard
deviation over mean, in percent, so a darker or brighter copy keeps it): a featureless scene
(asphalt, a wall, a clear sky) has almost none, its hash bits are decided by noise and
shading, and two such photos of different places can hash alike. Such a photo is marked
`low_detail` and never flagged (or cleared) on its hash.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image, ImageOps

TRIM_SIDE = 512
WORK_SIDE = 128
LOW_DETAIL = 6.0  # relative contrast (%) of the 32 x 32 image below which hashes are noise
DARK = 32.0  # grey level under which the mean counts as this (a black frame is not detailed)
BORDER_TOLERANCE = 3  # grey levels a border pixel may differ from the border's colour
BORDER_EDGE = 0.99  # share of a row in the border's colour for a uniform row
BORDER_ROW = 0.6  # share of a row inside a strip (a timestamp printed on it)
BORDER_MAX = 0.25  # at most this much of each side is trimmed
TURNS = (-4.0, -2.0, 0.0, 2.0, 4.0)
WINDOW_SCALES = (0.95, 0.9)
CENTRE_SCALES = (0.85, 0.8, 0.75, 0.7)

ORIENTATION = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Hashes:
    phash: int  # unsigned 64-bit
    dhash: int
    phash_mirror: int
    dhash_mirror: int
    windows: tuple[int, ...]
    turns: tuple[int, ...]
    detail: float
    trimmed: bool

    @property
    def low_detail(self) -> bool:
        return self.detail < LOW_DETAIL


def distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes (signed or unsigned)."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def to_signed(value: int) -> int:
    """A 64-bit hash as the signed integer a BIGINT column holds."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & 0xFFFF_FFFF_FFFF_FFFF


def pack(values: tuple[int, ...] | list[int]) -> bytes:
    return struct.pack(f">{len(values)}Q", *(to_unsigned(v) for v in values))


def unpack(data: bytes | memoryview | None) -> tuple[int, ...]:
    raw = bytes(data or b"")
    return struct.unpack(f">{len(raw) // 8}Q", raw[: len(raw) // 8 * 8])


def _int(h: imagehash.ImageHash) -> int:
    return int(str(h), 16)


def upright(image: Image.Image, side: int = TRIM_SIDE) -> Image.Image:
    """A small copy of `image`, turned as its EXIF orientation says, greyscale."""
    orientation = image.getexif().get(ORIENTATION)
    small = image
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        small = Image.new("RGB", image.size, "white")
        small.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in {"RGB", "L"}:
        small = image.convert("RGB")
    factor = min(small.size) // (2 * side)
    if factor >= 2:  # a 12-megapixel photo: box-reduce first, which is cheap
        small = small.reduce(factor)
    small = ImageOps.contain(small, (side, side), method=Image.Resampling.BILINEAR)
    if isinstance(orientation, int) and orientation in TRANSPOSE:
        small = small.transpose(TRANSPOSE[orientation])
    return small.convert("L")


def _edge_runs(rows: np.ndarray) -> int:
    """How many rows from the top of `rows` are a border: up to the last row (within
    BORDER_MAX) that is uniform in the colour of the outermost row, as long as every row before
    it is mostly that colour (a strip with a timestamp printed on it). A border is artificial
    and flat to a few grey levels; natural content (even a dark background or a clear sky) is
    not, so a photo and its brightened or darkened copy are trimmed alike."""
    colour = float(np.median(rows[0]))
    close = np.abs(rows.astype(np.int16) - colour) <= BORDER_TOLERANCE
    share = close.mean(axis=1)
    if share[0] < BORDER_EDGE:
        return 0
    limit = int(len(rows) * BORDER_MAX)
    last = 0
    for index in range(limit):
        if share[index] < BORDER_ROW:
            break
        if share[index] >= BORDER_EDGE:
            last = index + 1
    return last


def trim(image: Image.Image) -> tuple[Image.Image, bool]:
    """`image` (greyscale) without uniform borders and plain strips along its edges."""
    a = np.asarray(image)
    if a.shape[0] < 8 or a.shape[1] < 8:
        return image, False
    top = _edge_runs(a)
    bottom = _edge_runs(a[::-1])
    left = _edge_runs(a.T)
    right = _edge_runs(a.T[::-1])
    if not (top or bottom or left or right):
        return image, False
    box = (left, top, a.shape[1] - right, a.shape[0] - bottom)
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:  # all border: a plain image
        return image, False
    return image.crop(box), True


def inner_box(width: float, height: float, degrees: float) -> tuple[float, float]:
    """Width and height of the largest upright rectangle inside a width x height rectangle
    turned by `degrees`."""
    angle = math.radians(degrees)
    if width <= 0 or height <= 0 or angle == 0:
        return width, height
    wide = width >= height
    long_side, short_side = (width, height) if wide else (height, width)
    sin_a, cos_a = abs(math.sin(angle)), abs(math.cos(angle))
    if short_side <= 2.0 * sin_a * cos_a * long_side or abs(sin_a - cos_a) < 1e-10:
        half = 0.5 * short_side
        return (half / sin_a, half / cos_a) if wide else (half / cos_a, half / sin_a)
    cos_2a = cos_a * cos_a - sin_a * sin_a
    return (width * cos_a - height * sin_a) / cos_2a, (height * cos_a - width * sin_a) / cos_2a


def turned(image: Image.Image, degrees: float) -> Image.Image:
    """`image` turned by `degrees` and cut to the largest upright rectangle inside."""
    if degrees == 0:
        return image
    w, h = image.size
    out = image.rotate(degrees, resample=Image.Resampling.BICUBIC)
    iw, ih = inner_box(w, h, degrees)
    left, top = (w - iw) / 2, (h - ih) / 2
    box = (math.ceil(left), math.ceil(top), math.floor(left + iw), math.floor(top + ih))
    return out.crop(box) if box[2] > box[0] + 4 and box[3] > box[1] + 4 else out


def window_boxes(width: int, height: int) -> list[tuple[int, int, int, int]]:
    boxes = [(0, 0, width, height)]
    for scale in WINDOW_SCALES:
        for fx in (0.0, 0.5, 1.0):
            for fy in (0.0, 0.5, 1.0):
                boxes.append(_box(width, height, scale, fx, fy))
    boxes.extend(_box(width, height, scale, 0.5, 0.5) for scale in CENTRE_SCALES)
    return boxes


def _box(width: int, height: int, scale: float, fx: float, fy: float) -> tuple[int, int, int, int]:
    cw, ch = width * scale, height * scale
    left, top = (width - cw) * fx, (height - ch) * fy
    return round(left), round(top), round(left + cw), round(top + ch)


def working_image(image: Image.Image) -> tuple[Image.Image, bool]:
    """The upright, trimmed, greyscale image at most WORK_SIDE pixels wide or high."""
    small, trimmed = trim(upright(image))
    return ImageOps.contain(small, (WORK_SIDE, WORK_SIDE), method=Image.Resampling.LANCZOS), trimmed


def detail_of(work: Image.Image) -> float:
    grid = np.asarray(work.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    return float(100 * grid.std() / max(grid.mean(), DARK))


def hash_image(image: Image.Image) -> Hashes:
    """Every hash the checks use, from any decoded image (EXIF orientation applied here)."""
    work, trimmed = working_image(image)
    mirror = ImageOps.mirror(work)
    windows = tuple(_int(imagehash.phash(work.crop(box))) for box in window_boxes(*work.size))
    turns = tuple(
        _int(imagehash.phash(turned(source, degrees)))
        for source in (work, mirror)
        for degrees in TURNS
    )
    return Hashes(
        phash=windows[0],
        dhash=_int(imagehash.dhash(work)),
        phash_mirror=turns[TURNS.index(0.0) + len(TURNS)],
        dhash_mirror=_int(imagehash.dhash(mirror)),
        windows=windows,
        turns=turns,
        detail=detail_of(work),
        trimmed=trimmed,
    )


SEARCH_MARGIN = 2  # bits fewer allowed when the match is found among windows and turns


def same_scene(
    phash: int,
    phash_mirror: int,
    turns: tuple[int, ...],
    other_phash: int,
    other_windows: tuple[int, ...],
    limit: int,
) -> tuple[bool, int, bool]:
    """Whether a photo (its pHash, its mirror's, its turns) shows the same scene as another
    (its pHash and windows): (same, bits apart, found through the mirror image).

    Whole frame against whole frame within `limit` bits; else the closest of every turn
    against every window, within `limit - SEARCH_MARGIN`: that search makes 230 comparisons,
    so it is held to a stricter bound to keep chance matches of different photos (and of
    genuine re-takes from nearby) out. bench/photo_check.py measures both."""
    direct = distance(phash, other_phash)
    mirrored = distance(phash_mirror, other_phash)
    if min(direct, mirrored) <= limit:
        return True, min(direct, mirrored), mirrored < direct
    bits, through_mirror = closest(turns, other_windows)
    return bits <= limit - SEARCH_MARGIN, bits, through_mirror


def closest(turns: tuple[int, ...], windows: tuple[int, ...]) -> tuple[int, bool]:
    """The fewest bits between any turn of an after-photo (or of its mirror image) and any
    window of a before photo, and whether that closest one was the mirror image."""
    best, mirrored = 65, False
    half = len(turns) // 2
    for i, t in enumerate(turns):
        for w in windows:
            d = distance(t, w)
            if d < best:
                best, mirrored = d, i >= half
    return best, mirrored
