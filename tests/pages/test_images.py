"""Pictures uploaded in the admin: what is stored says nothing of where, with what or by
whom it was taken, at a few widths and formats, served from our own origin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from pages.images import IMAGE_FILE_NAME
from pages.models import Category, Image
from tests.pages.conftest import photo_with_metadata

pytestmark = pytest.mark.django_db


def upload(admin_client, data: bytes, name="holiday.jpg", **fields):
    return admin_client.post("/admin/pages/image/add/", {
        "upload": SimpleUploadedFile(name, data, content_type="image/jpeg"), **fields})


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def test_an_upload_keeps_no_metadata_in_any_stored_file(admin_client, photo, media_root):
    response = upload(admin_client, photo, alt_text="Pallets of boxes in our warehouse")
    assert response.status_code == 302, response.text
    files = stored_files(media_root)
    assert len(files) == 9  # three widths, each as AVIF, WebP and JPEG
    for path in files:
        data = path.read_bytes()
        with PillowImage.open(path) as stored:
            assert not stored.getexif(), path.name
            for block in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
                assert block not in stored.info, (path.name, block)
        for trace in (b"SN-4242-XYZ", b"Ana Photographer", b"PhoneMaker", b"Ana's trip"):
            assert trace not in data, (path.name, trace)


def test_an_upload_is_stored_at_three_widths_in_three_formats_never_as_sent(
        admin_client, photo, media_root):
    upload(admin_client, photo, alt_text="Pallets")
    image = Image.objects.get()
    sizes = {}
    for path in stored_files(media_root):
        with PillowImage.open(path) as stored:
            sizes.setdefault(stored.format, set()).add(stored.size)
    assert sizes == {name: {(320, 240), (640, 480), (1280, 960)}
                     for name in ("AVIF", "WEBP", "JPEG")}
    assert (image.width, image.height) == (1280, 960)
    assert all(IMAGE_FILE_NAME.fullmatch(path.name) for path in stored_files(media_root))
    assert all(path.read_bytes() != photo for path in stored_files(media_root))


def test_a_photo_taken_sideways_is_stored_upright(admin_client, media_root):
    # EXIF orientation 6: the camera was turned; viewers rotate it 90 degrees.
    upload(admin_client, photo_with_metadata(width=800, height=600, orientation=6),
           alt_text="A tall shelf")
    image = Image.objects.get()
    assert (image.width, image.height) == (600, 800)


def test_a_small_picture_is_not_enlarged(admin_client, media_root):
    upload(admin_client, photo_with_metadata(width=400, height=300), alt_text="A box")
    assert sorted({r["width"] for r in Image.objects.get().renditions}) == [320, 400]


def test_a_picture_with_transparency_falls_back_to_png(admin_client, media_root):
    buffer = io.BytesIO()
    PillowImage.new("RGBA", (500, 500), (0, 0, 0, 0)).save(buffer, "PNG")
    upload(admin_client, buffer.getvalue(), name="logo.png", decorative="on")
    assert {r["format"] for r in Image.objects.get().renditions} == {"avif", "webp", "png"}


def test_alt_text_is_required_unless_the_picture_is_decorative(admin_client, photo, media_root):
    response = upload(admin_client, photo, alt_text="  ")
    assert response.status_code == 200
    assert "Describe what the picture shows" in response.text
    assert not Image.objects.exists()
    assert stored_files(media_root) == []
    assert upload(admin_client, photo, decorative="on").status_code == 302
    assert Image.objects.get().decorative


def test_a_file_that_is_no_picture_is_refused_and_stores_nothing(admin_client, media_root):
    response = upload(admin_client, b"<?php system($_GET['x']); ?>", name="shell.jpg",
                      alt_text="Nothing")
    assert response.status_code == 200
    assert "not a picture we can read" in response.text
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_that_would_decode_to_too_many_pixels_is_refused(admin_client, media_root):
    buffer = io.BytesIO()
    PillowImage.new("1", (10_000, 6_000)).save(buffer, "PNG")  # small file, 60 megapixels
    response = upload(admin_client, buffer.getvalue(), name="bomb.png", alt_text="Bomb")
    assert "too large" in response.text
    assert stored_files(media_root) == []


def test_a_picture_larger_than_the_public_limit_can_be_uploaded_by_staff(
        admin_client, media_root, settings):
    photo = photo_with_metadata(width=4000, height=3000)
    assert len(photo) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert upload(admin_client, photo, alt_text="A warehouse").status_code == 302


def test_a_stored_picture_is_served_by_the_site_cacheable_and_without_cookie(
        admin_client, client, photo):
    upload(admin_client, photo, alt_text="Pallets")
    for rendition in Image.objects.get().renditions:
        response = client.get(f"/media/{rendition['name']}")
        assert response.status_code == 200
        assert response["Content-Type"] == {"avif": "image/avif", "webp": "image/webp",
                                            "jpeg": "image/jpeg"}[rendition["format"]]
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert not response.cookies
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["../../etc/passwd", "x.jpg", "0" * 32 + "-320.gif",
                                  "0" * 32 + "-320.jpg"])
def test_a_picture_that_does_not_exist_is_not_found(client, name):
    assert client.get(f"/media/images/{name}").status_code == 404


def test_replacing_a_picture_deletes_the_old_files_and_deleting_it_deletes_them_all(
        admin_client, photo, media_root, django_capture_on_commit_callbacks):
    upload(admin_client, photo, alt_text="Pallets")
    image = Image.objects.get()
    first = stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/image/{image.pk}/change/", {
            "upload": SimpleUploadedFile("new.jpg", photo_with_metadata(width=700, height=700)),
            "alt_text": "Boxes"})
    assert response.status_code == 302
    assert not set(first) & set(stored_files(media_root))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/pages/image/{image.pk}/delete/", {"post": "yes"})
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_a_category_shows_cannot_be_deleted(admin_client, photo, media_root):
    upload(admin_client, photo, alt_text="Pallets")
    image = Image.objects.get()
    Category.objects.filter(slug="packaging-materials").update(image=image)
    admin_client.post(f"/admin/pages/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.exists()
    assert len(stored_files(media_root)) == 9


def test_a_category_page_draws_the_picture_with_sources_and_its_size(admin_client, client,
                                                                      photo):
    upload(admin_client, photo, alt_text="Pallets of boxes")
    image = Image.objects.get()
    Category.objects.filter(slug="packaging-materials").update(image=image)
    html = client.get("/what-we-trade/packaging-materials/").text
    assert '<source type="image/avif" srcset="/media/images/' in html
    assert '<source type="image/webp"' in html
    assert 'width="1280" height="960" alt="Pallets of boxes"' in html
    assert " 320w, " in html
    assert " 1280w" in html
    listing = client.get("/what-we-trade/").text
    assert 'loading="lazy"' in listing
