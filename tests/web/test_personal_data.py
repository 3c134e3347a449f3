"""Names, NIPs, phone numbers and e-mail addresses planted in open answers and transcripts
reach no report, chart, quote, public page, pseudonymised export, shared screen or log."""

from __future__ import annotations

import io
import json
import logging
import zipfile

import pytest

from tests.builders import kobo_row, write_bundle
from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Member
from tilik.web.reports.models import AnalysisRun, Publication

pytestmark = pytest.mark.django_db

PLANTED = [
    "Maria Goreti Seran",
    "Goreti",
    "Yohanes Ndun",
    "Ndun",
    "Wilfridus Nggebu",
    "198503122010011001",
    "0812-3456-7890",
    "081234567890",
    "maria.seran@gmail.com",
]
OPEN_ANSWERS = [
    "Menurut Maria Goreti Seran, jadwal pelatihan bentrok dengan pelayanan di puskesmas.",
    "Pak Yohanes Ndun bilang anggaran perjalanan dari pulau tidak cukup, hubungi 0812-3456-7890.",
    "Materi terlalu teoritis, kata Wilfridus Nggebu tidak sesuai tugas harian.",
    "Beban kerja tinggi karena staf kurang; tanya ke maria.seran@gmail.com untuk datanya.",
    "Jadwal yang fleksibel sangat membantu, NIP saya 198503122010011001 kalau perlu.",
    "Fasilitator sangat baik dan mudah dipahami, Ibu Goreti menjelaskan dengan contoh.",
    "Internet untuk e-learning sering putus, Yohanes Ndun sudah lapor ke dinas.",
    "Atasan mendukung penerapan hasil pelatihan, WA saya 081234567890.",
]
TRANSCRIPT = (
    "P: Bagaimana manfaat pelatihan?\n"
    "N: Menurut Maria Goreti Seran, kepala puskesmas kami, pelatihan ini sangat bermanfaat "
    "tapi jadwalnya bentrok dengan pelayanan. Stafnya kurang.\n"
    "P: Apa kendalanya?\n"
    "N: Anggaran perjalanan dari pulau tidak cukup. Pak Yohanes Ndun sudah usulkan tambahan; "
    "silakan hubungi beliau di 0812-3456-7890 atau maria.seran@gmail.com.\n"
)


@pytest.fixture
def planted(cast, tmp_path):
    rows = [
        kobo_row(i, saran=OPEN_ANSWERS[i % len(OPEN_ANSWERS)], _uuid=f"uuid-{i:04d}")
        for i in range(24)
    ]
    root = write_bundle(tmp_path / "b", rows)
    (root / "wawancara" / "w01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    evaluation = import_bundle(read_bundle_for_db(root), organisation=cast.agency_a).evaluation
    Member.objects.create(evaluation=evaluation, user=cast.alice, role="evaluator")
    Member.objects.create(evaluation=evaluation, user=cast.charlie, role="leader")
    Member.objects.create(evaluation=evaluation, user=cast.victor, role="viewer")
    return evaluation


def _leaks(text: str) -> list[str]:
    return [p for p in PLANTED if p.lower() in text.lower()]


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_planted_personal_data_reaches_no_output(client, cast, planted, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(cast.alice)
    client.post(f"/evaluasi/{planted.pk}/hasil/jalankan/", {"lang": "id"})
    run = AnalysisRun.objects.get(evaluation=planted, status="done")
    base = f"/evaluasi/{planted.pk}/hasil/{run.pk}/berkas/"
    hasil = client.get(base + "hasil.json?unduh=1").getvalue().decode()
    quotes = [q["text"] for t in json.loads(hasil)["themes"].values() for q in t["quotes"]]
    assert any("[nama]" in q for q in quotes), quotes  # planted texts were quoted, masked
    outputs = {
        "hasil.json": hasil,
        "laporan.html": client.get(base + "laporan.html?unduh=1").getvalue().decode(),
        "laporan.docx": _docx_text(client.get(base + "laporan.docx?unduh=1").getvalue()),
        "laporan.pdf": _pdf_text(client.get(base + "laporan.pdf?unduh=1").getvalue()),
    }
    for chart in sorted((run.path / "grafik").glob("*.svg")):
        outputs[chart.name] = client.get(base + f"grafik/{chart.name}").getvalue().decode()
    outputs["results page"] = client.get(f"/evaluasi/{planted.pk}/hasil/").content.decode()
    client.post(f"/evaluasi/{planted.pk}/publikasi/", {"action": "publish", "lang": "id"})
    slug = Publication.objects.get(evaluation=planted).slug
    outputs["public page"] = client.get(f"/publikasi/{slug}/").content.decode()
    for who in (cast.charlie, cast.victor):
        client.force_login(who)
        for fmt in ("csv", "xlsx"):
            export = client.get(f"/evaluasi/{planted.pk}/instrumen/survei_peserta/ekspor.{fmt}")
            assert export.status_code == 200
            assert "pseudonim" in export["Content-Disposition"]
            outputs[f"{who} export.{fmt}"] = _export_text(export.content, fmt)
        coding = client.get(f"/evaluasi/{planted.pk}/pengodean/?per=100")
        outputs[f"{who} coding"] = coding.content.decode()
        interview = planted.interviews.get()
        outputs[f"{who} transcript"] = client.get(
            f"/evaluasi/{planted.pk}/wawancara/{interview.pk}/"
        ).content.decode()
        # a name they cannot read finds nothing when they search for it
        search = client.get(f"/evaluasi/{planted.pk}/pengodean/?q=Goreti").content.decode()
        assert 'class="ct-item' not in search
    outputs["log"] = caplog.text
    leaks = {name: _leaks(text) for name, text in outputs.items() if _leaks(text)}
    assert leaks == {}


def _export_text(data: bytes, fmt: str) -> str:
    if fmt == "csv":
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))


def test_the_evaluator_still_sees_and_exports_the_answers_whole(client, cast, planted):
    client.force_login(cast.alice)
    export = client.get(f"/evaluasi/{planted.pk}/instrumen/survei_peserta/ekspor.csv")
    assert "Maria Goreti Seran" in export.content.decode("utf-8-sig")
    interview = planted.interviews.get()
    page = client.get(f"/evaluasi/{planted.pk}/wawancara/{interview.pk}/").content.decode()
    assert "Maria Goreti Seran" in page
