from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language

from tilik.core.exports import tables_xlsx
from tilik.web.portfolio.access import led_organisations, organisation_for
from tilik.web.portfolio.services import build_portfolio, xlsx_sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang() -> str:
    return (get_language() or "id")[:2]


def _portfolio(request, org: int):
    organisation = organisation_for(request, org)
    return build_portfolio(
        organisation,
        organisation.tree(),
        year=request.GET.get("tahun", ""),
        program=request.GET.get("program", ""),
        unit=request.GET.get("unit", ""),
        lang=_lang(),
    )


@login_required
def index(request):
    """The organisations whose portfolio the user may read (those they lead, and below)."""
    return render(
        request, "portfolio/index.html", {"organisations": led_organisations(request.user)}
    )


@login_required
def detail(request, org: int):
    portfolio = _portfolio(request, org)
    return render(
        request,
        "portfolio/detail.html",
        {"portfolio": portfolio, "query": request.GET.urlencode()},
    )


@login_required
def export_xlsx(request, org: int):
    portfolio = _portfolio(request, org)
    response = HttpResponse(tables_xlsx(xlsx_sheets(portfolio, _lang())), content_type=XLSX)
    name = slugify(portfolio.organisation.name) or "portofolio"
    response["Content-Disposition"] = f'attachment; filename="portofolio-{name}.xlsx"'
    return response
