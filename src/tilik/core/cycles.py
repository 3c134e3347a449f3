"""Cycles: an evaluation compared with the evaluation of the same programs a cycle earlier.

An evaluation is one year of one program; an office asks whether things get better year
after year. An evaluation names its previous cycle (``previous: ../kupang-2024`` in
``evaluasi.yaml``, or a field of the evaluation in the web app), and
:func:`compare_cycles` builds the ``comparison`` section of ``hasil.json`` from the two
results (and the older ones, for the history of the headline figures).

Decisions made here (documented once):

* **Differences** are *this cycle minus the previous one*. The two cycles are independent
  samples (other respondents, or the same people a year later without a link between the
  years).
* **Proportions** (top-2-box shares, challenge shares, the share of ASN meeting 20 JP):
  Newcombe's hybrid score interval for a difference of independent proportions (method 10
  of Newcombe 1998, from the two Wilson intervals): :func:`newcombe_diff_ci`, tested
  against ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``.
* **Means** (construct means, pre/post gains, mean JP): Welch's t interval for a difference
  of means with unequal variances (:func:`welch_diff_ci`, tested against
  ``scipy.stats.ttest_ind(equal_var=False)``), from each cycle's n, mean and SD.
* **IKM** is compared as published: each unit's IKM rounded as the regulation prints it,
  with its respondent counts; no interval (the IKM is a published index, not an estimate
  the regulation gives an error for). A unit withheld (fewer than five respondents) in
  either cycle is not compared.
* **Matching**: instruments by ``form_id`` and kind (or, when each cycle has exactly one
  instrument of a kind, by kind); a construct is compared only when both cycles ask it with
  the same items (names, wording, reverse keying) on the same scale; a pre/post test only
  when both cycles used the same test (same items and keys: the instruments'
  ``fingerprint``, or the number of items when an older result has no fingerprint);
  challenges by theme code and source (the closed obstacle question of the same
  instrument, or coded open text of the same source). Everything that cannot be compared
  is listed in ``not_comparable`` with a reason code (:data:`REASONS`), never dropped.
* **Previous recommendations**: each recommendation of the previous cycle is shown with its
  follow-up status (tindak lanjut: ``belum``, ``proses``, ``selesai``, ``tidak``) and, for
  every indicator it named (its rule's ``measures``, else the figures its text cites), the
  value then and now with the difference (and its interval where it is a proportion).
  An indicator *moved* when the interval excludes zero.
* **History**: the headline figures (:data:`HEADLINES`) of every cycle in the chain,
  oldest first, the current one last.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scipy import stats as sps

from tilik.core.stats import MIN_N, wilson_ci

__all__ = [
    "FOLLOW_UP_STATUSES",
    "HEADLINES",
    "REASONS",
    "Cycle",
    "compare_cycles",
    "form_fingerprint",
    "headline_figures",
    "newcombe_diff_ci",
    "welch_diff_ci",
]

#: Follow-up states of a recommendation (the web app's ``FollowUp.Status`` values).
FOLLOW_UP_STATUSES = ("belum", "proses", "selesai", "tidak")

#: Why something is not compared (codes of ``comparison.not_comparable[].reason``).
REASONS = {
    "instrument_added": "the instrument is new in this cycle",
    "instrument_removed": "the instrument was not used in this cycle",
    "kind_changed": "the instrument changed kind",
    "construct_added": "the construct is new in this cycle",
    "construct_removed": "the construct was not asked in this cycle",
    "items_changed": "the construct's items changed (added, removed, reworded or re-keyed)",
    "scale_changed": "the construct's answer scale changed",
    "test_added": "the test is new in this cycle",
    "test_removed": "the test was not given in this cycle",
    "test_changed": "the test's items or keys changed",
    "unit_added": "the SKM unit is new in this cycle",
    "unit_removed": "the SKM unit was not surveyed in this cycle",
    "regime_changed": "the IKM was computed under another regulation",
    "withheld": "fewer than five respondents in one of the cycles",
    "challenge_new": "the challenge was not measured in the previous cycle",
    "challenge_gone": "the challenge was not measured in this cycle",
    "source_changed": "the challenge was measured from other sources",
    "no_data": "no data in one of the cycles",
}

# Shares whose holder gives the denominator (``n``, or ``n_asn`` for JP): Newcombe's interval.
_PROPORTION_STATS = ("share", "top2box", "share_meeting_20")
_SHARE_STATS = (*_PROPORTION_STATS, "response_rate")


@dataclass
class Cycle:
    """A previous cycle: its results and what became of its recommendations.

    ``follow_ups`` maps a recommendation ``key`` to ``{"status": ..., "due": "YYYY-MM-DD"}``
    (``tindak_lanjut.csv`` of a bundle, or the web app's follow-up records). Assignees'
    names and notes are not carried: reports show the status, never the person.
    """

    hasil: Mapping[str, Any]
    follow_ups: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = ""


# --------------------------------------------------------------------------- statistics


def newcombe_diff_ci(
    count1: int, nobs1: int, count2: int, nobs2: int, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """Difference ``p1 - p2`` of two independent proportions with Newcombe's hybrid score CI.

    .. math::

        L = \\hat\\delta - \\sqrt{(\\hat p_1 - l_1)^2 + (u_2 - \\hat p_2)^2},\\quad
        U = \\hat\\delta + \\sqrt{(u_1 - \\hat p_1)^2 + (\\hat p_2 - l_2)^2}

    where :math:`(l_i, u_i)` is the Wilson score interval of :math:`\\hat p_i`.
    Returns ``(difference, low, high)``; all None when either sample is empty.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890
    (method 10).
    """
    if nobs1 <= 0 or nobs2 <= 0:
        return None, None, None
    p1, p2 = count1 / nobs1, count2 / nobs2
    lo, hi = wilson_ci([count1, count2], [nobs1, nobs2], confidence)
    l1, l2 = float(lo[0]), float(lo[1])
    u1, u2 = float(hi[0]), float(hi[1])
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff, max(low, -1.0), min(high, 1.0)


def welch_diff_ci(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    confidence: float = 0.95,
    *,
    min_n: int = MIN_N,
) -> dict[str, Any]:
    """Difference ``mean1 - mean2`` of two independent means with Welch's t interval.

    .. math::

        \\hat\\delta \\pm t_{1-a/2,\\,\\nu}\\sqrt{s_1^2/n_1 + s_2^2/n_2},\\quad
        \\nu = \\frac{(s_1^2/n_1 + s_2^2/n_2)^2}
                    {(s_1^2/n_1)^2/(n_1-1) + (s_2^2/n_2)^2/(n_2-1)}

    Returns ``{diff, diff_ci, t, df, p, not_computable}``; the interval and the test need
    ``min_n`` observations in each sample and some spread in at least one (otherwise
    ``not_computable`` says ``too_few`` or ``no_spread``).

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34, 28–35.
    """
    out: dict[str, Any] = {
        "diff": mean1 - mean2,
        "diff_ci": [None, None],
        "t": None,
        "df": None,
        "p": None,
        "not_computable": {},
    }
    if n1 < max(min_n, 2) or n2 < max(min_n, 2) or _missing(sd1) or _missing(sd2):
        out["not_computable"] = {"diff_ci": "too_few"}
        return out
    v1, v2 = sd1**2 / n1, sd2**2 / n2
    se2 = v1 + v2
    if se2 <= 0:
        out["not_computable"] = {"diff_ci": "no_spread"}
        return out
    df = se2**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    se = math.sqrt(se2)
    t = (mean1 - mean2) / se
    half = float(sps.t.ppf(0.5 + confidence / 2, df)) * se
    out.update(
        diff_ci=[mean1 - mean2 - half, mean1 - mean2 + half],
        t=t,
        df=df,
        p=float(2 * sps.t.sf(abs(t), df)),
    )
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _proportion_block(
    current: float | None, n_current: Any, previous: float | None, n_previous: Any
) -> dict[str, Any]:
    """Difference of two shares (0–1) with Newcombe's interval; counts recovered from n."""
    nc, np_ = _count(n_current), _count(n_previous)
    if current is None or previous is None or not nc or not np_:
        return {"diff": None, "diff_ci": [None, None], "not_computable": {"diff": "too_few"}}
    diff, lo, hi = newcombe_diff_ci(round(current * nc), nc, round(previous * np_), np_)
    return {"diff": diff, "diff_ci": [lo, hi], "not_computable": {}}


def _count(value: Any) -> int:
    number = _num(value)
    return int(number) if number is not None and number > 0 else 0


def _significant(block: Mapping[str, Any]) -> bool | None:
    lo, hi = (block.get("diff_ci") or [None, None])[:2]
    if lo is None or hi is None:
        return None
    return bool(lo > 0 or hi < 0)


# --------------------------------------------------------------------------- fingerprints


def form_fingerprint(form: Any) -> str:
    """A digest of what the analysis reads from an instrument: each data question's name,
    type, default-language label, choices (names and theme codes), construct, reverse
    keying and right answer. Two cycles' instruments with the same fingerprint measure
    the same thing; translations and layout do not count."""
    questions = []
    for q in form.all_data_questions():
        choices = [[c.name, c.theme] for c in form.choices.get(q.list_name, []) if q.list_name]
        questions.append(
            [
                q.name,
                q.type,
                q.label,
                q.construct,
                bool(q.reverse),
                q.correct or "",
                q.repeat,
                choices,
            ]
        )
    text = json.dumps(questions, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- matching


def _kind(hasil: Mapping[str, Any], form_id: str) -> str:
    return str(((hasil.get("instruments") or {}).get(form_id) or {}).get("kind") or "")


def _match_forms(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, str]:
    """Current form_id -> previous form_id of the same instrument."""
    now = dict(current.get("instruments") or {})
    then = dict(previous.get("instruments") or {})
    matched: dict[str, str] = {}
    for form_id in now:
        if form_id in then and _kind(current, form_id) == _kind(previous, form_id):
            matched[form_id] = form_id
    for form_id in now:
        if form_id in matched:
            continue
        kind = _kind(current, form_id)
        same_now = [f for f in now if _kind(current, f) == kind]
        same_then = [f for f in then if _kind(previous, f) == kind]
        if len(same_now) == 1 and len(same_then) == 1 and same_then[0] not in matched.values():
            matched[form_id] = same_then[0]
    return matched


def _items_signature(construct: Mapping[str, Any]) -> tuple[Any, Any]:
    items = construct.get("items") or {}
    wording = sorted(
        (name, str(item.get("label") or ""), bool(item.get("reverse")))
        for name, item in items.items()
        if isinstance(item, Mapping)
    )
    scales = sorted(
        {
            tuple(sorted((item.get("distribution") or {}).keys(), key=_scale_key))
            for item in items.values()
            if isinstance(item, Mapping) and item.get("distribution")
        }
    )
    return wording, scales


def _scale_key(value: str) -> tuple[int, str]:
    return (int(value), "") if re.fullmatch(r"-?\d+", value) else (0, value)


# --------------------------------------------------------------------------- sections


def _side(stats: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {key: stats.get(key) for key in keys}


def _compare_constructs(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    matched: Mapping[str, str],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    now = current.get("constructs") or {}
    then = previous.get("constructs") or {}
    for form_id, constructs in now.items():
        old_form = matched.get(form_id)
        if old_form is None:
            continue
        old = then.get(old_form) or {}
        for name, stats in constructs.items():
            if not isinstance(stats, Mapping):
                continue
            where = {"section": "constructs", "form_id": form_id, "construct": name}
            before = old.get(name)
            if not isinstance(before, Mapping):
                not_comparable.append({**where, "reason": "construct_added"})
                continue
            wording_now, scale_now = _items_signature(stats)
            wording_then, scale_then = _items_signature(before)
            if scale_now != scale_then:
                not_comparable.append({**where, "reason": "scale_changed"})
                continue
            if wording_now != wording_then:
                not_comparable.append({**where, "reason": "items_changed"})
                continue
            keys = ("n", "mean", "sd", "top2box")
            entry: dict[str, Any] = {
                "previous_form": old_form,
                "current": _side(stats, keys),
                "previous": _side(before, keys),
            }
            means = _welch(stats, before, "mean", "sd", "n")
            entry.update(mean_diff=means["diff"], mean_diff_ci=means["diff_ci"])
            shares = _proportion_block(
                _num(stats.get("top2box")),
                stats.get("n"),
                _num(before.get("top2box")),
                before.get("n"),
            )
            entry.update(top2box_diff=shares["diff"], top2box_diff_ci=shares["diff_ci"])
            entry["top2box_moved"] = _significant(shares)
            entry["mean_moved"] = _significant(means)
            out.setdefault(form_id, {})[name] = entry
        for name, before in old.items():
            if isinstance(before, Mapping) and name not in constructs:
                not_comparable.append(
                    {
                        "section": "constructs",
                        "form_id": form_id,
                        "construct": name,
                        "reason": "construct_removed",
                    }
                )
    return out


def _welch(now: Mapping[str, Any], then: Mapping[str, Any], mean: str, sd: str, n: str) -> Any:
    m1, m2 = _num(now.get(mean)), _num(then.get(mean))
    if m1 is None or m2 is None:
        return {"diff": None, "diff_ci": [None, None], "not_computable": {"diff": "too_few"}}
    s1, s2 = _num(now.get(sd)), _num(then.get(sd))
    return welch_diff_ci(
        m1,
        s1 if s1 is not None else math.nan,
        _count(now.get(n)),
        m2,
        s2 if s2 is not None else math.nan,
        _count(then.get(n)),
    )


def _instruments(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    matched: Mapping[str, str],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    now = current.get("instruments") or {}
    then = previous.get("instruments") or {}
    out: dict[str, Any] = {}
    for form_id, info in now.items():
        old = matched.get(form_id)
        if old is None:
            reason = "kind_changed" if form_id in then else "instrument_added"
            not_comparable.append({"section": "instruments", "form_id": form_id, "reason": reason})
            out[form_id] = {"previous_form": None, "changed": None}
            continue
        a, b = info.get("fingerprint"), (then.get(old) or {}).get("fingerprint")
        out[form_id] = {
            "previous_form": old,
            "changed": None if not a or not b else a != b,
            "n_responses": [(then.get(old) or {}).get("n_responses"), info.get("n_responses")],
        }
    for form_id in then:
        if form_id not in matched.values():
            not_comparable.append(
                {"section": "instruments", "form_id": form_id, "reason": "instrument_removed"}
            )
    return out


def _compare_prepost(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    matched: Mapping[str, str],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    now = current.get("prepost") or {}
    then = dict(previous.get("prepost") or {})
    out: dict[str, Any] = {}
    used: set[str] = set()
    for name, res in now.items():
        old_name = name if name in then else None
        if old_name is None and len(now) == 1 and len(then) == 1:
            old_name = next(iter(then))
        where = {"section": "prepost", "test": name}
        if old_name is None:
            not_comparable.append({**where, "reason": "test_added"})
            continue
        used.add(old_name)
        old = then[old_name]
        if not _same_test(current, previous, res, old, matched):
            not_comparable.append({**where, "reason": "test_changed"})
            continue
        keys = ("n_pairs", "mean_pre", "mean_post", "mean_diff", "sd_diff")
        gain = _welch(res, old, "mean_diff", "sd_diff", "n_pairs")
        out[name] = {
            "previous_test": old_name,
            "current": _side(res, keys),
            "previous": _side(old, keys),
            "gain_diff": gain["diff"],
            "gain_diff_ci": gain["diff_ci"],
            "gain_moved": _significant(gain),
            "not_computable": gain.get("not_computable") or {},
        }
    for old_name in then:
        if old_name not in used:
            not_comparable.append(
                {"section": "prepost", "test": old_name, "reason": "test_removed"}
            )
    return out


def _same_test(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    now: Mapping[str, Any],
    then: Mapping[str, Any],
    matched: Mapping[str, str],
) -> bool:
    if now.get("n_items") != then.get("n_items"):
        return False
    for side in ("pre_form", "post_form"):
        form_now, form_then = now.get(side), then.get(side)
        a = ((current.get("instruments") or {}).get(form_now) or {}).get("fingerprint")
        b = ((previous.get("instruments") or {}).get(form_then) or {}).get("fingerprint")
        if a and b and a != b:
            return False
    return True


def _compare_ikm(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    now = current.get("ikm") or {}
    then = previous.get("ikm") or {}
    out: dict[str, Any] = {}
    for unit, res in now.items():
        if not isinstance(res, Mapping):
            continue
        where = {"section": "ikm", "unit": unit}
        old = then.get(unit)
        if not isinstance(old, Mapping):
            not_comparable.append({**where, "reason": "unit_added"})
            continue
        if res.get("withheld") or old.get("withheld"):
            not_comparable.append({**where, "reason": "withheld"})
            continue
        if (res.get("regime"), len(res.get("unsur") or [])) != (
            old.get("regime"),
            len(old.get("unsur") or []),
        ):
            not_comparable.append({**where, "reason": "regime_changed"})
            continue
        now_value = _num(res.get("ikm_rounded", res.get("ikm")))
        old_value = _num(old.get("ikm_rounded", old.get("ikm")))
        keys = ("n", "ikm_rounded", "mutu", "kinerja")
        out[unit] = {
            "current": _side(res, keys),
            "previous": _side(old, keys),
            "diff": None if now_value is None or old_value is None else now_value - old_value,
            "nrr_diff": {
                code: (value - old_nrr)
                for code, value in (res.get("nrr") or {}).items()
                if (old_nrr := _num((old.get("nrr") or {}).get(code))) is not None
                and _num(value) is not None
            },
        }
    for unit, old in then.items():
        if isinstance(old, Mapping) and unit not in now:
            not_comparable.append({"section": "ikm", "unit": unit, "reason": "unit_removed"})
    return out


_SOURCE_ORDER = ("survei", "teks_survey", "teks_interview", "teks_observation")


def _compare_challenges(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    matched: Mapping[str, str],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    now = {str(c.get("code")): c for c in current.get("challenges") or [] if isinstance(c, Mapping)}
    then = {
        str(c.get("code")): c for c in previous.get("challenges") or [] if isinstance(c, Mapping)
    }
    out: dict[str, Any] = {}
    for code, item in now.items():
        where = {"section": "challenges", "code": code}
        old = then.get(code)
        if old is None:
            not_comparable.append({**where, "reason": "challenge_new"})
            continue
        sources: dict[str, Any] = {}
        for source, cell in (item.get("sources") or {}).items():
            old_cell = (old.get("sources") or {}).get(source)
            if not isinstance(cell, Mapping) or not isinstance(old_cell, Mapping):
                continue
            if source == "survei" and (
                matched.get(str(cell.get("form_id"))) != old_cell.get("form_id")
                or cell.get("question") != old_cell.get("question")
            ):
                continue
            block = _proportion_block(
                _num(cell.get("share")),
                cell.get("n"),
                _num(old_cell.get("share")),
                old_cell.get("n"),
            )
            sources[source] = {
                "current": _side(cell, ("share", "n", "n_mentions")),
                "previous": _side(old_cell, ("share", "n", "n_mentions")),
                "diff": block["diff"],
                "diff_ci": block["diff_ci"],
                "moved": _significant(block),
            }
        if not sources:
            not_comparable.append({**where, "reason": "source_changed"})
            continue
        order = [s for s in _SOURCE_ORDER if s in sources] + sorted(
            s for s in sources if s not in _SOURCE_ORDER
        )
        out[code] = {"source": order[0], **sources[order[0]], "sources": sources}
    for code in then:
        if code not in now:
            not_comparable.append(
                {"section": "challenges", "code": code, "reason": "challenge_gone"}
            )
    return out


def _year(hasil: Mapping[str, Any]) -> str | None:
    jp = hasil.get("jp") or {}
    period = str((hasil.get("evaluation") or {}).get("period") or "")[:4]
    if period in jp:
        return period
    years = sorted(jp)
    return years[-1] if years else None


def _jp_pair(now: Mapping[str, Any], then: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("n_asn", "mean_jp", "share_meeting_20")
    share = _proportion_block(
        _num(now.get("share_meeting_20")),
        now.get("n_asn"),
        _num(then.get("share_meeting_20")),
        then.get("n_asn"),
    )
    mean = _welch(now, then, "mean_jp", "sd_jp", "n_asn")
    return {
        "current": _side(now, keys),
        "previous": _side(then, keys),
        "share_diff": share["diff"],
        "share_diff_ci": share["diff_ci"],
        "share_moved": _significant(share),
        "mean_diff": mean["diff"],
        "mean_diff_ci": mean["diff_ci"],
    }


def _compare_jp(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    not_comparable: list[dict[str, Any]],
) -> dict[str, Any]:
    year_now, year_then = _year(current), _year(previous)
    if year_now is None or year_then is None:
        if year_now or year_then:
            not_comparable.append({"section": "jp", "reason": "no_data"})
        return {}
    now = (current.get("jp") or {})[year_now]
    then = (previous.get("jp") or {})[year_then]
    out: dict[str, Any] = {"year": year_now, "previous_year": year_then, **_jp_pair(now, then)}
    by: dict[str, Any] = {}
    old_by = then.get("by_organisation") or {}
    for name, cell in (now.get("by_organisation") or {}).items():
        old = old_by.get(name)
        if not isinstance(old, Mapping):
            continue
        if cell.get("withheld") or old.get("withheld"):
            not_comparable.append({"section": "jp", "organisation": name, "reason": "withheld"})
            continue
        by[name] = _jp_pair(cell, old)
    out["by_organisation"] = by
    return out


# --------------------------------------------------------------------------- headlines

#: The headline figures followed across cycles: ``(id, where, statistic, fmt, better)``.
#: ``where`` is ``construct:<kind>:<construct>``, ``prepost``, ``ikm``, ``jp`` or
#: ``challenge:<code>`` (the leading challenge of the current cycle is added).
HEADLINES: tuple[tuple[str, str, str, str, str], ...] = (
    ("manfaat", "construct:survei_peserta:manfaat", "top2box", "pct", "higher"),
    ("relevansi", "construct:survei_peserta:relevansi", "top2box", "pct", "higher"),
    ("gain", "prepost", "mean_diff", "num1", "higher"),
    ("penerapan", "construct:survei_atasan:penerapan", "top2box", "pct", "higher"),
    ("ikm", "ikm", "ikm_rounded", "num2", "higher"),
    ("jp", "jp", "share_meeting_20", "pct", "higher"),
)


def _headline_value(hasil: Mapping[str, Any], where: str, stat: str) -> float | None:
    if where.startswith("construct:"):
        _, kind, construct = where.split(":", 2)
        for form_id, constructs in (hasil.get("constructs") or {}).items():
            if _kind(hasil, form_id) == kind and isinstance(constructs.get(construct), Mapping):
                return _num(constructs[construct].get(stat))
        return None
    if where == "prepost":
        tests = list((hasil.get("prepost") or {}).values())
        return _num(tests[0].get(stat)) if tests else None
    if where == "ikm":
        overall = (hasil.get("ikm") or {}).get("_all") or {}
        return _num(overall.get(stat, overall.get("ikm")))
    if where == "jp":
        year = _year(hasil)
        return _num(((hasil.get("jp") or {}).get(year) or {}).get(stat)) if year else None
    if where.startswith("challenge:"):
        code = where.split(":", 1)[1]
        for item in hasil.get("challenges") or []:
            if isinstance(item, Mapping) and item.get("code") == code:
                return _num(item.get(stat))
        return None
    return None


def _headlines(current: Mapping[str, Any]) -> list[tuple[str, str, str, str, str]]:
    out = list(HEADLINES)
    top = [c for c in current.get("challenges") or [] if isinstance(c, Mapping)]
    if top:
        code = str(top[0].get("code"))
        out.append((f"challenge_{code}", f"challenge:{code}", "share", "pct", "lower"))
    return out


def headline_figures(
    hasil: Mapping[str, Any], headlines: Iterable[tuple[str, str, str, str, str]] | None = None
) -> dict[str, float | None]:
    """The headline figures of one evaluation's results (:data:`HEADLINES`), by id."""
    chosen = list(headlines) if headlines is not None else _headlines(hasil)
    return {hid: _headline_value(hasil, where, stat) for hid, where, stat, _, _ in chosen}


def _describe(hasil: Mapping[str, Any], source: str = "") -> dict[str, Any]:
    evaluation = hasil.get("evaluation") or {}
    return {
        "title": evaluation.get("title"),
        "organisation": evaluation.get("organisation"),
        "period": evaluation.get("period"),
        "source": source,
    }


def _history(current: Mapping[str, Any], previous: Sequence[Cycle]) -> dict[str, Any]:
    headlines = _headlines(current)
    chain = [*(c.hasil for c in reversed(previous)), current]
    sources = [*(c.source for c in reversed(previous)), ""]
    return {
        "headlines": [
            {"id": hid, "where": where, "stat": stat, "fmt": fmt, "better": better}
            for hid, where, stat, fmt, better in headlines
        ],
        "cycles": [
            {**_describe(h, source), "values": headline_figures(h, headlines)}
            for h, source in zip(chain, sources)
        ],
    }


# --------------------------------------------------------------------------- recommendations

_INDEXED_CHALLENGE = re.compile(r"^challenges/(\d+)/(.+)$")
_SELECT = re.compile(r"^(?P<name>[^\[/]+)\[(?P<field>\w+)=(?P<value>[^\]]*)\](?P<rest>/.*)?$")


def _unescape(step: str) -> str:
    return step.replace("~1", "/").replace("~0", "~")


def _metric_id(path: str, hasil: Mapping[str, Any]) -> str:
    """A path of one cycle's hasil as a path that means the same in another cycle:
    challenges by their code rather than their rank, JP without its year."""
    indexed = _INDEXED_CHALLENGE.match(path)
    if indexed:
        items = hasil.get("challenges") or []
        index = int(indexed.group(1))
        if index < len(items) and isinstance(items[index], Mapping):
            return f"challenges[code={items[index].get('code')}]/{indexed.group(2)}"
    parts = path.split("/")
    if parts[0] == "jp" and len(parts) > 1 and re.fullmatch(r"\d{4}|\*", parts[1]):
        return "/".join(["jp", "*", *parts[2:]])
    return path


def _resolve(hasil: Mapping[str, Any], metric: str) -> tuple[Any, Mapping[str, Any] | None]:
    """The value at a metric path (selectors and ``jp/*`` allowed) and the object holding it."""
    select = _SELECT.match(metric)
    node: Any = hasil
    parent: Any = None
    steps: list[str]
    if select:
        items = hasil.get(select["name"]) or []
        found = [
            i
            for i in items
            if isinstance(i, Mapping) and str(i.get(select["field"])) == select["value"]
        ]
        if not found:
            return None, None
        node = found[0]
        steps = [s for s in (select["rest"] or "").split("/") if s]
    else:
        steps = [s for s in metric.split("/") if s]
        if steps[:2] == ["jp", "*"]:
            year = _year(hasil)
            if year is None:
                return None, None
            steps[1] = year
    for position, raw in enumerate(steps):
        step = _unescape(raw)
        parent = node
        if step == "*" and isinstance(node, Mapping):
            rest = "/".join(steps[position + 1 :])
            for child in node.values():
                if isinstance(child, Mapping):
                    value, holder = _resolve(child, rest)
                    if value is not None:
                        return value, holder
            return None, None
        if isinstance(node, Mapping) and step in node:
            node = node[step]
        elif isinstance(node, Mapping) and "cells" in node and step in (node["cells"] or {}):
            parent = node["cells"]
            node = node["cells"][step]
        else:
            return None, None
    return node, parent if isinstance(parent, Mapping) else None


def _better(metric: str) -> str:
    return "lower" if metric.startswith("challenges") or "waktu_layanan" in metric else "higher"


def _n_of(holder: Mapping[str, Any] | None, stat: str) -> Any:
    if holder is None:
        return None
    if stat == "share_meeting_20":
        return holder.get("n_asn")
    if holder.get("n") is None and stat == "share":
        # an older challenge entry without its own n: the source its share came from
        for cell in (holder.get("sources") or {}).values():
            if isinstance(cell, Mapping) and cell.get("share") == holder.get("share"):
                return cell.get("n")
    return holder.get("n")


def _indicator(
    metric: str, fmt: str, previous: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    then, then_holder = _resolve(previous, metric)
    now, now_holder = _resolve(current, metric)
    stat = metric.rsplit("/", 1)[-1]
    entry: dict[str, Any] = {
        "metric": metric,
        "fmt": fmt,
        "better": _better(metric),
        "previous": _num(then),
        "current": _num(now),
        "diff": None,
        "diff_ci": [None, None],
        "moved": None,
        "improved": None,
    }
    if entry["previous"] is None or entry["current"] is None:
        entry["reason"] = "no_data"
        return entry
    entry["diff"] = entry["current"] - entry["previous"]
    if stat in _PROPORTION_STATS:
        block = _proportion_block(
            entry["current"],
            _n_of(now_holder, stat),
            entry["previous"],
            _n_of(then_holder, stat),
        )
        if block["diff"] is not None:
            entry["diff_ci"] = block["diff_ci"]
            entry["moved"] = _significant(block)
    if entry["diff"] != 0:
        better = entry["diff"] < 0 if entry["better"] == "lower" else entry["diff"] > 0
        entry["improved"] = better if entry["moved"] is not False else None
    return entry


def _compare_recommendations(current: Mapping[str, Any], cycle: Cycle) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    previous = cycle.hasil
    for rec in previous.get("recommendations") or []:
        if not isinstance(rec, Mapping) or rec.get("stale"):
            continue
        key = str(rec.get("key") or rec.get("rule") or "")
        metrics: dict[str, str] = {}
        for measure in rec.get("measures") or []:
            metrics.setdefault(_metric_id(str(measure), previous), "pct")
        for param in (rec.get("params") or {}).values():
            if not isinstance(param, Mapping) or not param.get("path"):
                continue
            if param.get("fmt") in ("pct", "num1", "num2", "num3", "pct0"):
                metrics.setdefault(_metric_id(str(param["path"]), previous), str(param["fmt"]))
        state = cycle.follow_ups.get(key) or {}
        status = str(state.get("status") or "")
        out.append(
            {
                "key": key,
                "rule": rec.get("rule"),
                "instance": rec.get("instance") or {},
                "text": rec.get("text"),
                "priority": rec.get("priority"),
                "owner": rec.get("owner"),
                "indicator": rec.get("indicator"),
                "status": status if status in FOLLOW_UP_STATUSES else None,
                "due": state.get("due") or None,
                "indicators": _indicators(metrics, previous, current),
            }
        )
    return out


def _indicators(
    metrics: Mapping[str, str], previous: Mapping[str, Any], current: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One entry per figure: a rule's measure and the figure its text cites are often the
    same field, named two ways (``constructs/*/…`` and ``constructs/survei_atasan/…``)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for metric, fmt in metrics.items():
        _, holder = _resolve(previous, metric)
        place = (id(holder), metric.rsplit("/", 1)[-1])
        if holder is not None and place in seen:
            continue
        seen.add(place)
        out.append(_indicator(metric, _fmt_for(metric, fmt), previous, current))
    return out


def _fmt_for(metric: str, fmt: str) -> str:
    stat = metric.rsplit("/", 1)[-1]
    if stat in _SHARE_STATS:
        return "pct"
    if stat in ("alpha", "mean", "ikm", "ikm_rounded") or re.fullmatch(r"u\d+", stat):
        return "num2"
    return fmt


# --------------------------------------------------------------------------- public


def compare_cycles(current: Mapping[str, Any], previous: Sequence[Cycle]) -> dict[str, Any]:
    """The ``comparison`` section of ``hasil.json``: this cycle against ``previous[0]``.

    Parameters
    ----------
    current
        This cycle's results (every other section already built).
    previous
        The earlier cycles, nearest first; only the first is compared in detail, all of
        them give the history of the headline figures.

    Returns
    -------
    dict
        Empty when there is no previous cycle; otherwise ``previous``, ``programs``,
        ``instruments``, ``constructs``, ``prepost``, ``ikm``, ``challenges``, ``jp``,
        ``recommendations``, ``not_comparable`` and ``history`` (see the module notes).
    """
    if not previous:
        return {}
    cycle = previous[0]
    then = cycle.hasil
    not_comparable: list[dict[str, Any]] = []
    matched = _match_forms(current, then)
    programs_now = [p.get("name") for p in (current.get("evaluation") or {}).get("programs") or []]
    programs_then = [p.get("name") for p in (then.get("evaluation") or {}).get("programs") or []]
    return {
        "previous": _describe(then, cycle.source),
        "programs": {
            "common": [p for p in programs_now if p in programs_then],
            "only_current": [p for p in programs_now if p not in programs_then],
            "only_previous": [p for p in programs_then if p not in programs_now],
        },
        "instruments": _instruments(current, then, matched, not_comparable),
        "constructs": _compare_constructs(current, then, matched, not_comparable),
        "prepost": _compare_prepost(current, then, matched, not_comparable),
        "ikm": _compare_ikm(current, then, not_comparable),
        "challenges": _compare_challenges(current, then, matched, not_comparable),
        "jp": _compare_jp(current, then, not_comparable),
        "recommendations": _compare_recommendations(current, cycle),
        "not_comparable": not_comparable,
        "history": _history(current, previous),
    }
