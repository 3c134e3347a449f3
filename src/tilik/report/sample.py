"""A realistic sample ``hasil`` (Kota Kupang 2025) for tests, benchmarks and demos.

The numbers are made up but consistent with each other (shares inside their CIs, IKM =
25 x mean NRR). It follows the ``hasil.json`` contract of DESIGN.md.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["sample_hasil"]

_ITEM = {"n": 142, "mean": 3.9, "median": 4, "top2box": 0.8}


def _construct(n: int, mean: float, top2: float, ci: tuple[float, float], alpha: float) -> dict:
    return {
        "n": n,
        "mean": mean,
        "mean_ci": [round(mean - 0.11, 2), round(mean + 0.11, 2)],
        "top2box": top2,
        "top2box_ci": list(ci),
        "alpha": alpha,
        "alpha_ci": [round(alpha - 0.06, 2), round(min(alpha + 0.05, 0.99), 2)],
        "distribution": _distribution(top2),
        "items": {f"i{k}": dict(_ITEM) for k in range(1, 5)},
    }


def _cell(n: int, mean: float, top2: float | None) -> dict[str, Any]:
    return {"n": n, "mean": mean, "top2box": top2, "withheld": False}


def _distribution(top2: float) -> dict[str, float]:
    rest = 1 - top2
    return {
        "1": round(rest * 0.2, 3),
        "2": round(rest * 0.35, 3),
        "3": round(rest * 0.45, 3),
        "4": round(top2 * 0.6, 3),
        "5": round(top2 * 0.4, 3),
    }


_SAMPLE: dict[str, Any] = {
    "schema": "tilik.hasil/1",
    "evaluation": {
        "title": "Evaluasi Program Pembinaan ASN Kota Kupang 2025",
        "organisation": "BKPSDM Kota Kupang",
        "period": 2025,
        "objectives": [
            "Menilai manfaat dan relevansi program pembinaan bagi tugas pelayanan publik.",
            "Mengukur peningkatan pengetahuan dan keterampilan peserta.",
            "Mengidentifikasi tantangan pelaksanaan dan menyusun rekomendasi perbaikan.",
        ],
        "programs": [
            {
                "name": "Pelatihan Pelayanan Prima",
                "kind": "pelatihan teknis",
                "jp": 30,
                "start": "2025-03-10",
                "end": "2025-03-14",
                "budget": 150000000,
                "participants": 180,
            },
            {
                "name": "Bimbingan Teknis Administrasi Kependudukan",
                "kind": "bimbingan teknis",
                "jp": 20,
                "start": "2025-05-19",
                "end": "2025-05-21",
                "budget": 60000000,
                "participants": 60,
            },
        ],
        "thresholds": {},
    },
    "instruments": {
        "survei_peserta": {
            "kind": "survei_peserta",
            "n_responses": 142,
            "n_quarantined": 3,
            "response_rate": 0.789,
        },
        "survei_atasan": {
            "kind": "survei_atasan",
            "n_responses": 27,
            "n_quarantined": 0,
            "response_rate": 0.45,
        },
        "pretest": {
            "kind": "tes_awal",
            "n_responses": 171,
            "n_quarantined": 1,
            "response_rate": 0.95,
        },
        "posttest": {
            "kind": "tes_akhir",
            "n_responses": 168,
            "n_quarantined": 0,
            "response_rate": 0.933,
        },
        "observasi": {
            "kind": "observasi",
            "n_responses": 64,
            "n_quarantined": 2,
            "response_rate": None,
        },
        "skm": {"kind": "skm", "n_responses": 412, "n_quarantined": 5, "response_rate": None},
    },
    "constructs": {
        "survei_peserta": {
            "manfaat": _construct(142, 4.21, 0.866, (0.801, 0.913), 0.84),
            "relevansi": _construct(142, 3.52, 0.613, (0.531, 0.690), 0.64),
            "keterampilan": _construct(141, 4.02, 0.787, (0.712, 0.847), 0.81),
            "sikap": _construct(142, 4.10, 0.824, (0.753, 0.878), 0.77),
        },
        "survei_atasan": {
            "penerapan": _construct(27, 3.41, 0.519, (0.340, 0.693), 0.79),
            "dukungan": _construct(27, 3.30, 0.444, (0.276, 0.627), 0.72),
        },
    },
    "prepost": {
        "pengetahuan_pelayanan_prima": {
            "n_pairs": 163,
            "mean_pre": 58.4,
            "mean_post": 71.9,
            "t": 11.82,
            "p": 2.1e-23,
            "wilcoxon_p": 4.0e-20,
            "d_z": 0.93,
            "g_av": 0.88,
            "normalized_gain": 0.32,
        }
    },
    "groups": {
        "survei_peserta": {
            "relevansi": {
                "by": {
                    "sector": {
                        "cells": {
                            "Kesehatan": _cell(46, 3.81, 0.761),
                            "Administrasi Kependudukan": _cell(38, 3.70, 0.684),
                            "Pendidikan": _cell(41, 3.05, 0.390),
                            "Perizinan": _cell(17, 3.48, 0.588),
                        },
                        "test": {"H": 18.2, "df": 3, "p": 0.0004, "epsilon2": 0.11, "n": 142},
                        "pairwise": [],
                    },
                    "organisation": {
                        "cells": {
                            "Dinas Kesehatan": _cell(30, 3.85, 0.767),
                            "Dinas Kependudukan dan Pencatatan Sipil": _cell(38, 3.70, 0.684),
                            "Dinas Pendidikan dan Kebudayaan": _cell(41, 3.05, 0.390),
                        },
                        "test": {"H": 15.1, "df": 2, "p": 0.0005, "epsilon2": 0.1, "n": 109},
                        "pairwise": [],
                    },
                }
            }
        },
        "observasi": {
            "waktu_layanan": {
                "by": {
                    "sudah_pelatihan": {
                        "cells": {
                            "ya": _cell(32, 14.2, None),
                            "tidak": _cell(32, 15.1, None),
                        },
                        "test": {"H": 0.68, "df": 1, "p": 0.41, "epsilon2": 0.0, "n": 64},
                        "pairwise": [],
                    }
                }
            }
        },
    },
    "ikm": {
        "_all": {
            "n": 412,
            "nrr": {
                "u1": 3.31,
                "u2": 3.22,
                "u3": 2.87,
                "u4": 3.62,
                "u5": 3.28,
                "u6": 3.19,
                "u7": 3.35,
                "u8": 2.95,
                "u9": 3.04,
            },
            "index": 3.203,
            "ikm": 80.08,
            "mutu": "B",
            "kinerja": "Baik",
        },
        "Puskesmas Oesapa": {
            "n": 168,
            "nrr": {
                "u1": 3.35,
                "u2": 3.25,
                "u3": 2.80,
                "u4": 3.70,
                "u5": 3.30,
                "u6": 3.22,
                "u7": 3.41,
                "u8": 2.90,
                "u9": 3.10,
            },
            "index": 3.226,
            "ikm": 80.64,
            "mutu": "B",
            "kinerja": "Baik",
        },
        "Dinas Dukcapil": {
            "n": 244,
            "nrr": {
                "u1": 3.28,
                "u2": 3.20,
                "u3": 2.92,
                "u4": 3.56,
                "u5": 3.27,
                "u6": 3.17,
                "u7": 3.31,
                "u8": 2.98,
                "u9": 3.00,
            },
            "index": 3.188,
            "ikm": 79.69,
            "mutu": "B",
            "kinerja": "Baik",
        },
    },
    "jp": {"2025": {"n_asn": 240, "mean_jp": 16.4, "share_meeting_20": 0.383}},
    "themes": {
        "manfaat": {
            "n_segments": 64,
            "share_respondents": 0.41,
            "by_source": {"survei_peserta": {"n_segments": 52}, "wawancara": {"n_segments": 12}},
            "quotes": [
                {
                    "text": "Materi pelayanan prima sangat membantu, sekarang beta lebih sabar "
                    "melayani pasien di loket.",
                    "role": "peserta",
                    "sector": "Kesehatan",
                    "source": "survei_peserta",
                }
            ],
        },
        "keterampilan": {
            "n_segments": 38,
            "share_respondents": 0.24,
            "by_source": {"survei_peserta": {"n_segments": 30}, "wawancara": {"n_segments": 8}},
            "quotes": [
                {
                    "text": "Kami belajar menyusun alur layanan dan SOP loket, itu langsung "
                    "kami pakai.",
                    "role": "peserta",
                    "sector": "Administrasi Kependudukan",
                    "source": "wawancara",
                }
            ],
        },
        "relevansi_rendah": {
            "n_segments": 29,
            "share_respondents": 0.18,
            "by_source": {"survei_peserta": {"n_segments": 24}, "wawancara": {"n_segments": 5}},
            "quotes": [
                {
                    "text": "Contoh-contohnya semua dari rumah sakit dan dukcapil, sonde ada "
                    "yang cocok untuk sekolah.",
                    "role": "peserta",
                    "sector": "Pendidikan",
                    "source": "survei_peserta",
                }
            ],
        },
        "waktu_beban_kerja": {
            "n_segments": 71,
            "share_respondents": 0.46,
            "by_source": {"survei_peserta": {"n_segments": 58}, "wawancara": {"n_segments": 13}},
            "quotes": [
                {
                    "text": "Pegawai di puskesmas cuma sedikit, kalau satu orang ikut diklat "
                    "loket jadi kosong. Hubungi saya di 0812-3456-7890.",
                    "role": "kepala puskesmas",
                    "sector": "Kesehatan",
                    "source": "wawancara",
                }
            ],
        },
        "jadwal": {
            "n_segments": 55,
            "share_respondents": 0.36,
            "by_source": {"survei_peserta": {"n_segments": 47}, "wawancara": {"n_segments": 8}},
            "quotes": [
                {
                    "text": "Jadwal diklat bentrok dengan pelayanan akhir bulan, tdk bisa "
                    "ditinggal.",
                    "role": "peserta",
                    "sector": "Administrasi Kependudukan",
                    "source": "survei_peserta",
                }
            ],
        },
        "anggaran": {
            "n_segments": 33,
            "share_respondents": 0.27,
            "by_source": {"survei_peserta": {"n_segments": 21}, "wawancara": {"n_segments": 12}},
            "quotes": [
                {
                    "text": "Anggaran perjalanan dari pulau terbatas, jadi yang dikirim hanya "
                    "satu orang per OPD.",
                    "role": "sekretaris dinas",
                    "sector": "Pendidikan",
                    "source": "wawancara",
                }
            ],
        },
        "dukungan_atasan": {
            "n_segments": 19,
            "share_respondents": 0.14,
            "by_source": {"survei_peserta": {"n_segments": 15}, "wawancara": {"n_segments": 4}},
            "quotes": [],
        },
        "dampak_layanan": {
            "n_segments": 21,
            "share_respondents": 0.12,
            "by_source": {"survei_peserta": {"n_segments": 17}, "wawancara": {"n_segments": 4}},
            "quotes": [
                {
                    "text": "Antrian di loket KTP lebih tertib sejak petugas ikut pelatihan.",
                    "role": "kepala bidang",
                    "sector": "Administrasi Kependudukan",
                    "source": "wawancara",
                }
            ],
        },
    },
    "challenges": [
        {
            "code": "waktu_beban_kerja",
            "share": 0.46,
            "share_ci": [0.38, 0.54],
            "sources": {
                "survei_peserta": {"n": 142, "k": 62, "share": 0.437},
                "wawancara": {"n": 12, "k": 9, "share": 0.75},
            },
            "by": {
                "sector": {
                    "Kesehatan": {"n": 46, "share": 0.57},
                    "Administrasi Kependudukan": {"n": 38, "share": 0.47},
                    "Pendidikan": {"n": 41, "share": 0.34},
                    "Perizinan": {"n": 17, "share": 0.41},
                }
            },
        },
        {
            "code": "jadwal",
            "share": 0.36,
            "share_ci": [0.29, 0.44],
            "sources": {
                "survei_peserta": {"n": 142, "k": 50, "share": 0.352},
                "wawancara": {"n": 12, "k": 5, "share": 0.417},
            },
        },
        {
            "code": "anggaran",
            "share": 0.27,
            "share_ci": [0.20, 0.35],
            "sources": {
                "survei_peserta": {"n": 142, "k": 35, "share": 0.246},
                "wawancara": {"n": 12, "k": 7, "share": 0.583},
            },
        },
        {
            "code": "sarana_akses",
            "share": 0.21,
            "share_ci": [0.15, 0.28],
            "sources": {"survei_peserta": {"n": 142, "k": 30, "share": 0.211}},
        },
        {
            "code": "relevansi_rendah",
            "share": 0.18,
            "share_ci": [0.12, 0.25],
            "sources": {"survei_peserta": {"n": 142, "k": 24, "share": 0.169}},
        },
        {
            "code": "dukungan_atasan",
            "share": 0.14,
            "share_ci": [0.09, 0.21],
            "sources": {"survei_peserta": {"n": 142, "k": 19, "share": 0.134}},
        },
    ],
    "kirkpatrick": {},
    "data_quality": {
        "problems": 11,
        "quarantined": 11,
        "notes": [],
    },
}


def sample_hasil() -> dict[str, Any]:
    """Return a fresh deep copy of the sample results (safe to mutate).

    ``findings`` and ``recommendations`` are built from it by the core, as the pipeline does.
    """
    return _with_conclusions(copy.deepcopy(_SAMPLE))


def _with_conclusions(hasil: dict[str, Any]) -> dict[str, Any]:
    from tilik.core.findings import build_findings
    from tilik.core.recommend import build_recommendations

    hasil["findings"] = build_findings(hasil)
    hasil["recommendations"] = build_recommendations(hasil)
    return hasil


def clean_hasil() -> dict[str, Any]:
    """The sample with no problem left: no recommendation rule should fire on it."""
    hasil = sample_hasil()
    for challenge in hasil["challenges"]:
        challenge["share"] = min(challenge["share"], 0.12)
        challenge["share_ci"] = [0.07, 0.18]
    for constructs in hasil["constructs"].values():
        for stats in constructs.values():
            stats["alpha"] = max(stats["alpha"], 0.82)
            stats["top2box"] = max(stats["top2box"], 0.75)
    sectors = hasil["groups"]["survei_peserta"]["relevansi"]["by"]["sector"]["cells"]
    for cell in sectors.values():
        cell["top2box"] = max(cell["top2box"], 0.72)
    hasil["groups"]["observasi"]["waktu_layanan"]["by"]["sudah_pelatihan"]["test"]["p"] = 0.01
    for info in hasil["instruments"].values():
        if info["response_rate"] is not None:
            info["response_rate"] = max(info["response_rate"], 0.8)
    for unit in hasil["ikm"].values():
        unit["nrr"] = {k: max(v, 3.3) for k, v in unit["nrr"].items()}
    hasil["jp"]["2025"]["share_meeting_20"] = 0.86
    return _with_conclusions(hasil)
