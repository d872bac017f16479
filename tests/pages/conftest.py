import io

import pytest
from PIL import Image as PillowImage
from PIL import ImageCms

# EXIF tags a phone writes: where, with what, by whom.
GPS_IFD, EXIF_IFD = 0x8825, 0x8769
BODY_SERIAL_NUMBER, CAMERA_OWNER_NAME = 0xA431, 0xA430
MAKE, MODEL, ARTIST, ORIENTATION = 0x010F, 0x0110, 0x013B, 0x0112
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
       b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
       b"<dc:creator>Ana Photographer</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its pictures in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo_with_metadata(width=1400, height=1050, orientation=1) -> bytes:
    """A JPEG as a phone would send it: GPS position, camera make, model and serial
    number, the owner's name, XMP naming the photographer, an ICC profile, a comment."""
    picture = PillowImage.new("RGB", (width, height), (200, 120, 40))
    for x in range(0, width, 50):  # some detail, so that sizes are realistic
        picture.paste((30, 60, 200), (x, 0, x + 10, height))
    exif = picture.getexif()
    exif[MAKE], exif[MODEL], exif[ARTIST] = "PhoneMaker", "Phone 15", "Ana Photographer"
    exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD).update({BODY_SERIAL_NUMBER: "SN-4242-XYZ",
                                   CAMERA_OWNER_NAME: "Ana Photographer"})
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, icc_profile=icc, xmp=XMP, comment=b"Ana's trip",
                 quality=90)
    return buffer.getvalue()


@pytest.fixture
def photo() -> bytes:
    return photo_with_metadata()
