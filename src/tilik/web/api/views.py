from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tilik.web.api.forms import TokenForm
from tilik.web.api.models import ApiToken
from tilik.web.audit.models import Action
from tilik.web.audit.services import record


@never_cache
@login_required
def tokens(request):
    """The user's API tokens; a new one is shown once, on the page that made it."""
    form = TokenForm(request.POST or None, user=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["organisations"]
        )
        record(
            request,
            Action.API_TOKEN_CREATED,
            target=f"token:{token.pk}",
            prefix=token.prefix,
            organisations=[o.pk for o in form.cleaned_data["organisations"]],
        )
        form = TokenForm(user=request.user)
    context = {
        "form": form,
        "secret": secret,
        "tokens": request.user.api_tokens.prefetch_related("organisations"),
    }
    return render(request, "api/tokens.html", context)


@require_POST
@login_required
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    record(request, Action.API_TOKEN_REVOKED, target=f"token:{token.pk}", prefix=token.prefix)
    messages.success(request, _("Token «%(name)s» dicabut.") % {"name": token.name})
    return redirect("api_tokens:list")
