"""Files through the storage API, chosen by FILE_STORAGE: the environment's settings checked,
and the app's every file (uploads, committee reports, open data, the readiness probe) kept in
and served from a real Azure Blob service (Azurite), as it is on a council's cloud."""

from __future__ import annotations

import pytest
from azure.storage.blob import BlobServiceClient
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core.roles import Role
from dashboards import open_data
from measures import services
from measures.models import ReadingUpload
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from reports.services import report_request
from stockport_plan.file_storage import default_storage_from_env
from tests import factories as make

HEADER = "indicator_code,indicator_title,period,value,commentary,corrective_action\n"


def blobs(connection_string: str, container: str) -> list[str]:
    client = BlobServiceClient.from_connection_string(connection_string)
    return sorted(b.name for b in client.get_container_client(container).list_blobs())


class TestTheEnvironmentChoosesTheStorage:
    def test_local_disk_is_the_default(self, monkeypatch) -> None:
        monkeypatch.delenv("FILE_STORAGE", raising=False)
        chosen = default_storage_from_env()
        assert chosen == {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    def test_azure_takes_a_connection_string_or_an_account(self, monkeypatch) -> None:
        monkeypatch.setenv("FILE_STORAGE", "Azure")
        monkeypatch.setenv("AZURE_ACCOUNT_NAME", "councilfiles")
        monkeypatch.setenv("AZURE_ACCOUNT_KEY", "a-key")
        monkeypatch.delenv("AZURE_CONNECTION_STRING", raising=False)
        chosen = default_storage_from_env()
        assert chosen["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
        options = chosen["OPTIONS"]
        assert (options["account_name"], options["account_key"]) == ("councilfiles", "a-key")
        assert (options["azure_container"], options["expiration_secs"]) == ("council-plan", None)

    def test_s3_takes_a_bucket_and_an_endpoint(self, monkeypatch) -> None:
        monkeypatch.setenv("FILE_STORAGE", "s3")
        monkeypatch.setenv("S3_BUCKET", "council-plan-files")
        monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.eu-west-2.amazonaws.com")
        monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
        chosen = default_storage_from_env()
        assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
        options = chosen["OPTIONS"]
        assert options["bucket_name"] == "council-plan-files"
        assert options["endpoint_url"] == "https://s3.eu-west-2.amazonaws.com"
        assert "access_key" not in options  # the machine's own role, as boto3 finds it

    @pytest.mark.parametrize(
        ("environment", "message"),
        [
            ({"FILE_STORAGE": "dropbox"}, "FILE_STORAGE='dropbox' is not a storage"),
            ({"FILE_STORAGE": "azure"}, "FILE_STORAGE=azure needs AZURE_CONNECTION_STRING"),
            ({"FILE_STORAGE": "s3"}, "FILE_STORAGE=s3 needs S3_BUCKET"),
        ],
    )
    def test_an_incomplete_choice_refuses_to_start_saying_what_is_missing(
        self, monkeypatch, environment, message
    ) -> None:
        for name in ("AZURE_CONNECTION_STRING", "AZURE_ACCOUNT_NAME", "S3_BUCKET"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(ImproperlyConfigured, match=message):
            default_storage_from_env()


@pytest.mark.django_db
def test_an_upload_is_kept_in_blob_storage_and_purged_from_it(azurite, azure_storage) -> None:
    officer = make.user(Role.OFFICER)
    indicator = make.indicator(owner=officer)
    make.quarter(2026, 3)
    client = Client()
    client.force_login(officer)
    content = (HEADER + f"{indicator.code},x,2026-27-Q3,5,,\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(reverse("measures:upload"), {"file": SimpleUploadedFile("returns.csv", content)})
    upload = ReadingUpload.objects.get()
    assert blobs(azurite, azure_storage) == [str(upload.file.name)]
    assert default_storage.open(str(upload.file.name)).read() == content
    from datetime import timedelta

    from django.utils import timezone

    ReadingUpload.objects.update(uploaded_at=timezone.now() - timedelta(days=31))
    assert services.uploads_purge(now=timezone.now()) == 1
    assert blobs(azurite, azure_storage) == []


@pytest.mark.django_db
def test_a_report_is_stored_in_blob_storage_and_downloaded_from_it(
    azurite, azure_storage, django_capture_on_commit_callbacks
) -> None:
    committee = ScrutinyCommittee.objects.create(slug="economy", name="Economy", position=1)
    committee.remit.add(make.portfolio("economy"))
    period = make.quarter()
    make.indicator(owner=make.user(Role.OFFICER), title="Homes delivered")
    team = make.user(Role.PERFORMANCE_TEAM)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_request(committee=committee, period=period, by=team, formats=["csv", "pdf"])
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE
    assert blobs(azurite, azure_storage) == sorted([str(run.csv.name), str(run.pdf.name)])
    client = Client()
    client.force_login(team)
    response = client.get(reverse("reports:download", args=[committee.slug, run.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    downloaded = response.getvalue()
    assert downloaded.startswith(b"%PDF")
    assert downloaded == default_storage.open(str(run.pdf.name)).read()
    anonymous = Client().get(reverse("reports:download", args=[committee.slug, run.pk, "pdf"]))
    assert anonymous.status_code == 302  # to sign in: the container itself is never public


@pytest.mark.django_db(transaction=True)
def test_open_data_releases_replace_each_other_in_blob_storage(azurite, azure_storage) -> None:
    make.indicator(owner=make.user(Role.OFFICER), title="Homes built")
    first = open_data.open_data_build()
    second = open_data.open_data_build()
    names = blobs(azurite, azure_storage)
    assert not [name for name in names if name.startswith(first.folder + "/")]
    assert names == sorted(
        [open_data.CURRENT]
        + [second.path(n) for n in open_data.FILES]
        + [second.path(f"{n}.gz") for n in open_data.FILES]
    )
    response = Client().get(reverse("dashboards:open_data_package"))
    assert response.status_code == 200 and response["ETag"] == second.etags["datapackage.json"]
    open_data.open_data_withdraw()
    assert blobs(azurite, azure_storage) == []


@pytest.mark.django_db
def test_readiness_writes_reads_and_deletes_a_probe_in_blob_storage(
    azurite, azure_storage, client
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["storage"] == "ok"
    assert blobs(azurite, azure_storage) == []


@pytest.mark.django_db
def test_readiness_names_the_storage_when_its_container_is_gone(
    azurite, azure_storage, client
) -> None:
    BlobServiceClient.from_connection_string(azurite).delete_container(azure_storage)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    assert response.json()["database"] == "ok"
    call_command("prepare_storage")  # what a release runs: the container is made again
    assert client.get("/readyz").status_code == 200


def test_prepare_storage_makes_the_local_folder_and_says_so(settings, tmp_path, capsys) -> None:
    settings.MEDIA_ROOT = tmp_path / "files" / "media"
    call_command("prepare_storage")
    assert settings.MEDIA_ROOT.is_dir()
    assert "The local file storage is ready." in capsys.readouterr().out


def test_prepare_storage_fails_saying_why_when_files_cannot_be_kept(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "a-file"
    settings.MEDIA_ROOT.write_text("not a folder")
    with pytest.raises(CommandError, match="The local file storage cannot be written"):
        call_command("prepare_storage")


@pytest.mark.django_db(transaction=True)
def test_a_release_left_behind_in_blob_storage_is_swept(azurite, azure_storage) -> None:
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    current = open_data.open_data_build()
    default_storage.save("open-data/20200101T000000000000/readings.csv", ContentFile(b"old"))
    later = timezone.now() + timedelta(hours=2)
    assert open_data.open_data_sweep(now=later, keep=current) == 1
    names = blobs(azurite, azure_storage)
    assert names == sorted(
        [open_data.CURRENT]
        + [current.path(n) for n in open_data.FILES]
        + [current.path(f"{n}.gz") for n in open_data.FILES]
    )
