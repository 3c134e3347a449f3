"""A province over the cast's two agencies, each with analysed evaluations (portfolio tests)."""

from __future__ import annotations

import copy
from datetime import date

from django.utils import timezone

from tilik.report.sample import sample_hasil


def analysed(evaluation, *, period: int, ikm: float, jp_share: float, opd: str):
    """A done analysis run of ``evaluation`` with the sample results adjusted."""
    from tilik.web.reports.models import AnalysisRun

    hasil = copy.deepcopy(sample_hasil())
    hasil["evaluation"].update(title=evaluation.title, period=period)
    hasil["ikm"]["_all"]["ikm_rounded"] = hasil["ikm"]["_all"]["ikm"] = ikm
    hasil["jp"] = {
        str(period): {
            "n_asn": 240,
            "mean_jp": 16.4,
            "share_meeting_20": jp_share,
            "by_organisation": {
                opd: {"n_asn": 40, "mean_jp": 21.5, "share_meeting_20": 0.55, "withheld": False},
                "Kecamatan Kecil": {"n_asn": 3, "withheld": True},
            },
        }
    }
    return AnalysisRun.objects.create(
        evaluation=evaluation,
        status=AnalysisRun.Status.DONE,
        finished_at=timezone.now(),
        hasil=hasil,
        folder=f"laporan/{evaluation.pk}/uji",
    )


def province(cast):
    """Province P over agencies A and B; ``lena`` leads P. A has 2024 and 2025, B has 2025."""
    from django.contrib.auth import get_user_model

    from tilik.web.accounts.models import Organisation, OrganisationMember
    from tilik.web.evaluations.models import Evaluation
    from tilik.web.reports.models import FollowUp

    top = Organisation.objects.create(name="BKD Provinsi Uji", kind="instansi")
    for agency in (cast.agency_a, cast.agency_b):
        agency.parent = top
        agency.save()
    lena = get_user_model().objects.create_user("lena", password="pw-lena-uji-123")
    OrganisationMember.objects.create(organisation=top, user=lena, role="leader")
    earlier = Evaluation.objects.create(
        organisation=cast.agency_a, title="Evaluasi A", period="2024"
    )
    analysed(earlier, period=2024, ikm=76.1, jp_share=0.52, opd="Dinas Kesehatan A")
    analysed(cast.evaluation_a, period=2025, ikm=80.13, jp_share=0.61, opd="Dinas Kesehatan A")
    analysed(cast.evaluation_b, period=2025, ikm=72.4, jp_share=0.44, opd="Dinas Pendidikan B")
    FollowUp.objects.create(
        evaluation=cast.evaluation_b,
        key="transfer_kerja",
        status="proses",
        due=date(2025, 3, 31),
        assignee="Yohanes Ndun",
        note="Dihubungi lewat 081234567890",
    )
    FollowUp.objects.create(
        evaluation=cast.evaluation_a,
        key="jadwal_fleksibel",
        status="selesai",
        due=date(2025, 1, 31),
    )
    return top, lena
