"""The S3-compatible storage through django-storages, against a real local S3 server (moto in server mode)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment
from vardnav.cases.tests.attachments.conftest import resident_client

BUCKET = "vardnav-attachments-test"


@pytest.fixture(scope="module")
def s3_server():
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-north-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server, monkeypatch):
    endpoint, client = s3_server
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-north-1",
                "default_acl": None,
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    return client


def test_files_go_to_s3_encrypted_and_come_back_whole(world, file_case, s3_storage):
    client = resident_client(world.resident_a)
    upload = SimpleUploadedFile("skanning.pdf", corpus.valid_pdf(), content_type="application/pdf")
    response = client.post(f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload]})
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    stored = s3_storage.get_object(Bucket=BUCKET, Key=attachment.key)["Body"].read()
    assert stored.startswith(b"VNA1") and b"%PDF" not in stored
    download = client.get(f"/api/v1/cases/{file_case.pk}/attachments/{attachment.pk}")
    assert b"".join(download.streaming_content) == corpus.valid_pdf()
    # Unsent, so its uploader may remove it (ATT-7); it is then gone from the bucket too.
    deleted = client.delete(f"/api/v1/cases/{file_case.pk}/attachments/{attachment.pk}")
    assert deleted.status_code == 204
    listed = s3_storage.list_objects_v2(Bucket=BUCKET, Prefix=attachment.key).get("KeyCount", 0)
    assert listed == 0
