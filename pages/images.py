"""Pictures staff upload: re-encoded in memory before anything is stored.

A photo's metadata can say where it was taken (GPS), with which camera (its serial
number) and by whom; a public page must not. So the upload is decoded, turned upright
from its EXIF orientation, converted to sRGB from its colour profile, and only its
pixels are copied into a fresh image, which knows nothing of the original's EXIF,
XMP, IPTC, ICC profile or comments. That image is encoded at a few widths (never
wider than the original) as AVIF, WebP and a JPEG (PNG when it has transparency)
fallback; only those files are stored, under random names that never change, so they
can be cached for a year.
"""

import contextlib
import io
import re
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from pages.models import EXTENSIONS, Image, Revision

WIDTHS = (320, 640, 1280)
# A picture larger than this many pixels is refused rather than decoded (a
# "decompression bomb" is a small file that decodes to gigabytes).
MAX_PIXELS = 50_000_000
ENCODINGS = {
    "avif": {"quality": 60, "speed": 8},
    "webp": {"quality": 78, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}
IMAGE_FILE_NAME = re.compile(r"[0-9a-f]{32}-[0-9]{1,4}\.(?P<extension>avif|webp|jpg|png)")


@dataclass(frozen=True)
class Rendition:
    format: str
    width: int
    height: int
    data: bytes


def pixels_only(upload) -> PillowImage.Image:
    """The upload's pixels, upright, in sRGB, in an image that carries nothing else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            source = PillowImage.open(upload)
            if source.width * source.height > MAX_PIXELS:
                raise ValidationError(
                    "This picture is too large: at most 50 megapixels, please.",
                    code="too_many_pixels")
            source.load()
    except (UnidentifiedImageError, PillowImage.DecompressionBombError,
            PillowImage.DecompressionBombWarning, OSError, SyntaxError) as error:
        raise ValidationError("This file is not a picture we can read (JPEG, PNG, WebP, "
                              "AVIF or GIF, please).", code="unreadable") from error
    upright = ImageOps.exif_transpose(source)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or (
        upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    icc = upright.info.get("icc_profile")
    converted = upright.convert(mode)
    # An unreadable profile: the pixels as they are, rather than no picture.
    if icc:
        with contextlib.suppress(ImageCms.PyCMSError):
            converted = ImageCms.profileToProfile(
                converted, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"), outputMode=mode)
    return PillowImage.frombytes(mode, converted.size, converted.tobytes())


def renditions_of(picture: PillowImage.Image) -> list[Rendition]:
    fallback = "png" if picture.mode == "RGBA" else "jpeg"
    widths = sorted({min(width, picture.width) for width in WIDTHS})
    made = []
    for width in widths:
        height = max(1, round(picture.height * width / picture.width))
        resized = picture if width == picture.width else picture.resize(
            (width, height), PillowImage.Resampling.LANCZOS)
        for image_format in ("avif", "webp", fallback):
            buffer = io.BytesIO()
            resized.save(buffer, image_format.upper(), **ENCODINGS[image_format])
            made.append(Rendition(image_format, width, height, buffer.getvalue()))
    return made


def image_store(*, picture: PillowImage.Image, alt_text: str, decorative: bool, uploaded_by,
                image: Image | None = None) -> Image:
    """Store a picture's clean renditions (``pixels_only`` of the upload) and its row (a
    new one, or ``image`` whose picture is replaced). Bad input stores nothing."""
    image = image or Image()
    image.alt_text, image.decorative = alt_text, decorative
    image.full_clean(exclude=["width", "height", "renditions"])
    old_names = [rendition["name"] for rendition in image.renditions]
    stored = []
    try:
        key = uuid.uuid4().hex
        for rendition in renditions_of(picture):
            name = default_storage.save(
                f"{settings.IMAGES_DIRECTORY}/{key}-{rendition.width}."
                f"{EXTENSIONS[rendition.format]}", ContentFile(rendition.data))
            stored.append({"format": rendition.format, "width": rendition.width,
                           "height": rendition.height, "name": name})
        image.width, image.height = stored[-1]["width"], stored[-1]["height"]
        image.renditions = stored
        image.uploaded_by = uploaded_by
        with transaction.atomic():
            image.save()
            transaction.on_commit(lambda: files_delete(old_names))
    except BaseException:
        files_delete([rendition["name"] for rendition in stored])
        raise
    return image


def files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def image_drafts(image: Image) -> QuerySet[Revision]:
    """The pending drafts that name the picture: a draft keeps its picture by id among
    its values, which no foreign key protects."""
    return Revision.objects.filter(status=Revision.Status.DRAFT, values__image=image.pk)


def image_delete(*, image: Image) -> None:
    """Delete the row, and its files once that is committed. A picture still shown by a
    page or a category, or named by a pending draft (publishing it would then be
    refused), is protected: the delete is refused (ProtectedError)."""
    names = [rendition["name"] for rendition in image.renditions]
    with transaction.atomic():
        if drafts := list(image_drafts(image).select_for_update()):
            raise ProtectedError("A pending draft shows this picture.", drafts)
        image.delete()
        transaction.on_commit(lambda: files_delete(names))
