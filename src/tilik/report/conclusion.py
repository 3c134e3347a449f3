"""The overall conclusion: sentences built from the direction of the findings they name.

Each headline question (was the program useful, relevant; did knowledge rise; is it used on
the job; is service better) is answered from one finding, and the answer has a direction:

* **positif** — the data say yes (a share whose 95% CI lies at or above one half; a
  significant rise or difference in the program's favour; an IKM of grade A or B);
* **negatif** — the data say no (a share whose CI lies below one half; a significant fall;
  no difference where enough people were observed; a gap between sources; grade C or D);
* **belum_jelas** — the data cannot tell (a CI that spans one half, too few people).

Positive clauses are joined with "dan", set against the negative ones with "tetapi", and the
inconclusive ones are said as such in a sentence of their own, so the conclusion can never
say the opposite of its findings. Clauses are in words only; the numbers are in the findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tilik.core import labels
from tilik.core.findings import proportion_words

__all__ = ["Aspect", "aspects", "overall_sentences"]

POSITIVE, NEGATIVE, UNCLEAR = "positif", "negatif", "belum_jelas"
_FEW = 10  # fewer people than this cannot carry a conclusion


@dataclass(frozen=True)
class Aspect:
    """One headline question answered by one finding."""

    topic: str  # manfaat | relevansi | pengetahuan | penerapan | kesenjangan | layanan | ikm
    direction: str  # positif | negatif | belum_jelas
    finding_id: str
    clause: str  # in the report's language, lower case, no final stop


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def _value(finding: Mapping[str, Any], name: str) -> Any:
    param = (finding.get("params") or {}).get(name)
    return param.get("value") if isinstance(param, Mapping) else None


def _i18n(finding: Mapping[str, Any], name: str, lang: str) -> str:
    value = _value(finding, name)
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


def _kind_of(hasil: Mapping[str, Any], finding: Mapping[str, Any]) -> str:
    """The instrument kind of a construct finding (``level:form/construct``)."""
    fid = str(finding.get("id", ""))
    form_id = fid.split(":", 1)[-1].split("/", 1)[0]
    info = (hasil.get("instruments") or {}).get(form_id) or {}
    return str(info.get("kind") or "")


def _construct_of(finding: Mapping[str, Any]) -> str:
    return str(finding.get("id", "")).rsplit("/", 1)[-1]


def share_direction(share: float | None, lo: float | None, hi: float | None, n: Any) -> str:
    """Direction of a share of positive ratings, by where its 95% CI lies against one half.

    Without a CI a share of fewer than ten people is not taken as a direction.
    """
    if share is None:
        return UNCLEAR
    if lo is not None and hi is not None:  # the CI already says how much a small n can tell
        if lo >= 0.5:
            return POSITIVE
        if hi < 0.5:
            return NEGATIVE
        return UNCLEAR
    if isinstance(n, int | float) and n < _FEW:
        return UNCLEAR
    return POSITIVE if share > 0.5 else NEGATIVE if share < 0.5 else UNCLEAR


def _share_aspect(
    topic: str, hasil: Mapping[str, Any], finding: Mapping[str, Any], lang: str
) -> Aspect:
    share, n = _value(finding, "share"), _value(finding, "n")
    direction = share_direction(share, _value(finding, "lo"), _value(finding, "hi"), n)
    resp = _i18n(finding, "resp", lang) or _t(lang, "responden", "respondents")
    label = _i18n(finding, "label", lang) or labels.construct_name(_construct_of(finding), lang)
    if direction == POSITIVE:
        words = proportion_words(float(share), lang)
        clause = _t(
            lang,
            f"{words} {resp} memberi penilaian positif terhadap {label}",
            f"{words} of the {resp} rated {label} positively",
        )
    elif direction == NEGATIVE and not share:
        clause = _t(
            lang,
            f"tidak ada {resp} yang memberi penilaian positif terhadap {label}",
            f"none of the {resp} rated {label} positively",
        )
    elif direction == NEGATIVE:
        words = proportion_words(float(share), lang)
        clause = _t(
            lang,
            f"hanya {words} {resp} yang memberi penilaian positif terhadap {label}",
            f"only {words} of the {resp} rated {label} positively",
        )
    elif isinstance(n, int | float) and n < _FEW and _value(finding, "lo") is None:
        clause = _t(
            lang,
            f"penilaian {resp} terhadap {label} terlalu sedikit untuk disimpulkan",
            f"too few {resp} rated {label} to draw a conclusion",
        )
    else:
        clause = _t(
            lang,
            f"penilaian {resp} terhadap {label} terbagi di sekitar separuh sehingga belum "
            "dapat disimpulkan",
            f"the {resp}' ratings of {label} are split around one half, so no conclusion can "
            "be drawn",
        )
    return Aspect(topic, direction, str(finding.get("id")), clause)


def _test_aspect(hasil: Mapping[str, Any], finding: Mapping[str, Any], lang: str) -> Aspect:
    key, n = finding.get("key"), _value(finding, "n")
    test = str(_value(finding, "test") or "")
    fid = str(finding.get("id"))
    if key in ("prepost_gain", "prepost_gain_uniform"):
        return Aspect(
            "pengetahuan",
            POSITIVE,
            fid,
            _t(
                lang,
                f"nilai tes {test} peserta naik secara bermakna sesudah pelatihan",
                f"participants' {test} test scores rose significantly after training",
            ),
        )
    if key == "prepost_loss":
        return Aspect(
            "pengetahuan",
            NEGATIVE,
            fid,
            _t(
                lang,
                f"nilai tes {test} peserta justru turun secara bermakna sesudah pelatihan",
                f"participants' {test} test scores fell significantly after training",
            ),
        )
    if key == "prepost_untested" or (isinstance(n, int | float) and n < 30):
        return Aspect(
            "pengetahuan",
            UNCLEAR,
            fid,
            _t(
                lang,
                f"pasangan tes {test} terlalu sedikit untuk menunjukkan apakah pengetahuan "
                "peserta meningkat",
                f"too few {test} test pairs to show whether participants' knowledge rose",
            ),
        )
    return Aspect(
        "pengetahuan",
        NEGATIVE,
        fid,
        _t(
            lang,
            f"nilai tes {test} peserta tidak naik secara bermakna sesudah pelatihan",
            f"participants' {test} test scores did not rise significantly after training",
        ),
    )


def _observation_aspect(finding: Mapping[str, Any], lang: str) -> Aspect:
    key, fid = finding.get("key"), str(finding.get("id"))
    label = _i18n(finding, "label", lang)
    if key == "observation_diff":
        return Aspect(
            "layanan",
            POSITIVE,
            fid,
            _t(
                lang,
                f"observasi menunjukkan {label} yang lebih baik pada petugas yang sudah dilatih",
                f"observation showed better {label} among trained staff",
            ),
        )
    if key == "observation_diff_worse":
        return Aspect(
            "layanan",
            NEGATIVE,
            fid,
            _t(
                lang,
                f"observasi menunjukkan {label} yang lebih buruk pada petugas yang sudah dilatih",
                f"observation showed worse {label} among trained staff",
            ),
        )
    return Aspect(
        "layanan",
        NEGATIVE,
        fid,
        _t(
            lang,
            f"observasi belum menemukan perbedaan {label} antara petugas yang sudah dan belum "
            "dilatih",
            f"observation found no difference in {label} between trained and untrained staff",
        ),
    )


_GAPS = {
    "triangulation_skills_vs_observation": (
        "peningkatan keterampilan yang dirasakan peserta belum terlihat pada observasi layanan",
        "the skills participants report are not yet visible in observed service",
    ),
    "triangulation_self_vs_supervisor": (
        "penilaian diri peserta tentang penerapan lebih tinggi daripada penilaian atasan",
        "participants rate their use on the job higher than their supervisors do",
    ),
}


def _ikm_aspect(hasil: Mapping[str, Any], finding: Mapping[str, Any], lang: str) -> Aspect:
    mutu = str(_value(finding, "mutu") or "")
    n = _value(finding, "n")
    fid = str(finding.get("id"))
    if isinstance(n, int | float) and n < _FEW:
        return Aspect(
            "ikm",
            UNCLEAR,
            fid,
            _t(
                lang,
                "responden survei kepuasan masyarakat terlalu sedikit untuk menilai mutu pelayanan",
                "too few people answered the community satisfaction survey to grade service",
            ),
        )
    good = mutu in ("A", "B")
    return Aspect(
        "ikm",
        POSITIVE if good else NEGATIVE,
        fid,
        _t(
            lang,
            f"masyarakat menilai mutu pelayanan {'baik' if good else 'kurang baik'} (mutu {mutu})",
            f"the public graded service quality as {'good' if good else 'poor'} (grade {mutu})",
        ),
    )


def _first(findings: Sequence[Mapping[str, Any]], test: Any) -> Mapping[str, Any] | None:
    return next((f for f in findings if test(f)), None)


def aspects(
    hasil: Mapping[str, Any], findings: Sequence[Mapping[str, Any]], lang: str = "id"
) -> list[Aspect]:
    """The headline questions the findings answer, each with its direction, in report order."""
    lang = "en" if lang == "en" else "id"
    shares = [f for f in findings if f.get("key") == "construct_share"]
    out: list[Aspect] = []

    def participant(level: str, names: Sequence[str]) -> Mapping[str, Any] | None:
        chosen = [
            f for f in shares if f.get("level") == level and _kind_of(hasil, f) == "survei_peserta"
        ]
        for name in names:
            found = _first(chosen, lambda f, name=name: _construct_of(f) == name)
            if found:
                return found
        return chosen[0] if chosen and not names else None

    reaction = participant("reaksi", ("manfaat", "reaksi", "kepuasan")) or participant("reaksi", ())
    if reaction:
        out.append(_share_aspect("manfaat", hasil, reaction, lang))
    relevance = participant("relevansi", ("relevansi",))
    if relevance:
        out.append(_share_aspect("relevansi", hasil, relevance, lang))
    test = _first(findings, lambda f: str(f.get("key", "")).startswith("prepost_"))
    if test:
        out.append(_test_aspect(hasil, test, lang))
    else:
        knowledge = participant("pembelajaran", ("pengetahuan",))
        if knowledge:
            out.append(_share_aspect("pengetahuan", hasil, knowledge, lang))
    supervisors = [f for f in shares if _kind_of(hasil, f) == "survei_atasan"]
    transfer = next(
        (
            f
            for name in ("penerapan", "perubahan_perilaku", "perilaku")
            for f in supervisors
            if _construct_of(f) == name
        ),
        None,
    )
    if transfer:
        out.append(_share_aspect("penerapan", hasil, transfer, lang))
    for finding in findings:
        gap = _GAPS.get(str(finding.get("key")))
        if gap:
            out.append(Aspect("kesenjangan", NEGATIVE, str(finding["id"]), _t(lang, *gap)))
    observed = _first(findings, lambda f: str(f.get("key", "")).startswith("observation_"))
    if observed:
        out.append(_observation_aspect(observed, lang))
    ikm = _first(findings, lambda f: f.get("key") == "ikm_overall")
    if ikm:
        out.append(_ikm_aspect(hasil, ikm, lang))
    return out


def _join(parts: Sequence[str], lang: str) -> str:
    """``a``, ``a dan b``, ``a, b, dan c`` (English: ``a, b, and c``)."""
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return parts[0] + _t(lang, " dan ", " and ") + parts[1]
    return ", ".join(parts[:-1]) + _t(lang, ", dan ", ", and ") + parts[-1]


def _sentence(text: str) -> str:
    return labels.capitalise(text.strip()) + "."


def overall_sentences(
    hasil: Mapping[str, Any], findings: Sequence[Mapping[str, Any]], lang: str = "id"
) -> list[str]:
    """The conclusion's opening: what the findings say together, by their directions."""
    lang = "en" if lang == "en" else "id"
    found = aspects(hasil, findings, lang)
    good = [a.clause for a in found if a.direction == POSITIVE]
    bad = [a.clause for a in found if a.direction == NEGATIVE]
    unclear = [a.clause for a in found if a.direction == UNCLEAR]
    lead = _t(lang, "Secara keseluruhan, ", "Overall, ")
    out: list[str] = []
    if good and bad:
        out.append(lead + _join(good, lang) + _t(lang, ", tetapi ", ", but ") + _join(bad, lang))
    elif good or bad:
        out.append(lead + _join(good or bad, lang))
    if unclear:
        if out:
            out.append(_t(lang, "Sementara itu, ", "Meanwhile, ") + _join(unclear, lang))
        else:
            out.append(
                _t(
                    lang,
                    "Data belum cukup untuk menarik kesimpulan menyeluruh: ",
                    "The data do not yet support an overall conclusion: ",
                )
                + _join(unclear, lang)
            )
    if not found:
        out.append(
            _t(
                lang,
                "Data evaluasi ini belum cukup untuk menarik kesimpulan menyeluruh tentang "
                "program; temuan yang ada disajikan di bawah",
                "The data of this evaluation do not yet support an overall conclusion about "
                "the program; the available findings are listed below",
            )
        )
    return [_sentence(s) for s in out]
