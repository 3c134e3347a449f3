"""The organisation's portfolio: who reads it, what it shows, its spreadsheet."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.portfolio_builders import province

pytestmark = pytest.mark.django_db


def _page(client, user, organisation, **query):
    client.force_login(user)
    return client.get(reverse("portfolio:detail", args=[organisation.pk]), query)


def test_a_province_leader_sees_every_regency_side_by_side(cast, client):
    top, lena = province(cast)
    response = _page(client, lena, top)
    assert response.status_code == 200
    panels = [name for name, _ in response.context["portfolio"].by_organisation]
    assert panels == ["BKPSDM Kabupaten B", "BKPSDM Kota A"]
    text = response.content.decode()
    assert "80,13" in text and "72,40" in text and "76,10" in text


@pytest.mark.parametrize(
    "who, organisation, status",
    [
        ("charlie", "agency_a", 200),  # leader of A
        ("charlie", "agency_b", 404),
        ("charlie", "top", 404),  # a regency's leader does not see the province
        ("alice", "agency_a", 404),  # an evaluator is not a leader
        ("bob", "agency_b", 404),
        ("mallory", "agency_a", 404),
    ],
)
def test_only_leaders_of_the_organisation_or_above_read_it(cast, client, who, organisation, status):
    top, _ = province(cast)
    target = top if organisation == "top" else getattr(cast, organisation)
    assert _page(client, getattr(cast, who), target).status_code == status
    url = reverse("portfolio:xlsx", args=[target.pk])
    assert client.get(url).status_code == status


def test_it_lists_overdue_follow_ups_first_and_never_names_people(cast, client):
    top, lena = province(cast)
    response = _page(client, lena, top)
    rows = response.context["portfolio"].follow_ups
    assert rows[0].overdue and rows[0].organisation == "BKPSDM Kabupaten B"
    assert [r.overdue for r in rows] == sorted((r.overdue for r in rows), reverse=True)
    owners = [r.owner for r in rows if not r.overdue]
    assert owners == sorted(owners)
    done = next(r for r in rows if r.organisation == "BKPSDM Kota A" and r.status == "selesai")
    assert not done.overdue
    text = response.content.decode()
    assert "Yohanes Ndun" not in text and "081234567890" not in text


def test_it_filters_by_year_program_and_unit(cast, client):
    top, lena = province(cast)
    cast.evaluation_b.programs.create(name="Pelatihan Pelayanan Prima")
    by_year = _page(client, lena, top, tahun="2024").context["portfolio"]
    assert [r.evaluation.period for r in by_year.evaluations] == ["2024"]
    by_program = _page(client, lena, top, program="Pelatihan Pelayanan Prima").context["portfolio"]
    assert [r.organisation for r in by_program.evaluations] == ["BKPSDM Kabupaten B"]
    by_unit = _page(client, lena, top, unit="Dinas Pendidikan B").context["portfolio"]
    assert {r.opd for r in by_unit.jp} == {"Dinas Pendidikan B"}
    assert by_unit.ikm == []  # no SKM unit of that name
    ikm = _page(client, lena, top).context["portfolio"]
    assert ikm.periods == ["2024", "2025"]
    row_a = next(r for r in ikm.ikm if r["organisation"] == "BKPSDM Kota A" and r["cells"][0])
    assert [c["ikm"] for c in row_a["cells"]] == [76.1, 80.13]


def test_it_exports_the_portfolio_as_a_formula_safe_spreadsheet(cast, client):
    top, lena = province(cast)
    cast.evaluation_b.title = '=HYPERLINK("http://x")'
    cast.evaluation_b.save()
    client.force_login(lena)
    response = client.get(reverse("portfolio:xlsx", args=[top.pk]), {"tahun": "2025"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Evaluasi", "IKM per unit", "Tindak lanjut", "JP per OPD"]
    cells = {row[1].value: row[1] for row in book["Evaluasi"].iter_rows(min_row=2)}
    assert "Evaluasi A" in cells
    formula = cells['=HYPERLINK("http://x")']  # kept as text: a string cell, never a formula
    assert formula.data_type == "s"
    cells = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )
    assert "Yohanes Ndun" not in cells and "081234567890" not in cells
    jp = {row[1]: row for row in book["JP per OPD"].iter_rows(min_row=2, values_only=True)}
    assert jp["Dinas Kesehatan A"][6] == 55.0 and jp["Kecamatan Kecil"][6] is None
