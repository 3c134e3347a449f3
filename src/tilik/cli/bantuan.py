"""The command line's help in the users' language: Indonesian by default, English with
``TILIK_LANG=en`` or ``--lang en``.

The help texts are written in English in the code (beside the code they describe); here
each has its Indonesian text, and click's own words ("Usage:", "Options", "Show this message
and exit.", its error messages) have theirs. :func:`localise` puts one language or the other
on the whole command tree; a test checks that no help text lacks its Indonesian.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence

import click

__all__ = ["CLICK_ID", "HELP_ID", "language", "localise"]

#: click's own words.
CLICK_ID = {
    "Usage:": "Cara pakai:",
    "Options": "Pilihan",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Pilihan belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing command.": "Perintah belum diisi.",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "No such option {name!r}.": "Tidak ada pilihan {name!r}.",
    "Option {name!r} does not take a value.": "Pilihan {name!r} tidak menerima nilai.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} tidak dalam rentang {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "Aborted!": "Dibatalkan.",
}

#: Each help text of the commands (as :func:`inspect.cleandoc` leaves it) in Indonesian.
HELP_ID = {
    "Tilik: evaluation of civil-servant (ASN) development programs.": (
        "Tilik: evaluasi program pembinaan ASN — instrumen, data, analisis, dan laporan."
    ),
    "Check, import and export evaluation bundles (folders in the bundle format).": (
        "Periksa, impor, dan ekspor bundel evaluasi (folder dalam format bundel)."
    ),
    "Read a bundle and list every problem (file, row, column, value, expected).\n\n"
    "Exits with status 1 when there are errors.": (
        "Baca bundel dan daftar setiap masalah (berkas, baris, kolom, nilai, yang diharapkan)."
        "\n\nBerhenti dengan status 1 bila ada kesalahan."
    ),
    "Language of messages and reports (id = Indonesian, en = English).": (
        "Bahasa pesan dan laporan (id = Indonesia, en = Inggris)."
    ),
    "Import a bundle into the database. Importing it again adds nothing twice.": (
        "Impor bundel ke basis data. Mengimpornya lagi tidak menambah apa pun dua kali."
    ),
    "Make this existing user an evaluator of the imported evaluation.": (
        "Jadikan pengguna yang sudah ada ini evaluator evaluasi yang diimpor."
    ),
    "Write EVALUATION (its number or exact title) as a bundle folder TARGET.": (
        "Tulis EVALUATION (nomor atau judul persisnya) sebagai folder bundel TARGET."
    ),
    "Analyse bundle PATH and write hasil.json, laporan.html/.pdf/.docx and charts to --out.": (
        "Analisis bundel PATH lalu tulis hasil.json, laporan.html/.pdf/.docx, dan grafik ke --out."
    ),
    "Folder to write hasil.json and the report into.": (
        "Folder tempat hasil.json dan laporan ditulis."
    ),
    "A flexible schedule to include: the --out folder of `tilik schedule` (ringkasan.json).": (
        "Jadwal fleksibel yang disertakan: folder --out dari `tilik schedule` (ringkasan.json)."
    ),
    "Load the demo evaluation, write its report, and serve the web app with a worker.": (
        "Muat evaluasi contoh, tulis laporannya, lalu jalankan aplikasi web dengan pekerja latar."
    ),
    "Port to serve on.": "Port yang dipakai.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Load the demo and write its report, then stop.": (
        "Muat contoh dan tulis laporannya, lalu berhenti."
    ),
    "Bundle to load (default: the Kupang demo).": "Bundel yang dimuat (bawaan: contoh Kupang).",
    "Report folder (default: tilik-output/<bundle name>).": (
        "Folder laporan (bawaan: tilik-output/<nama bundel>)."
    ),
    "Serve the web app and its background worker (prepares the database first).": (
        "Jalankan aplikasi web dan pekerja latarnya (menyiapkan basis data lebih dulu)."
    ),
    "Address to listen on (0.0.0.0 to serve the office network).": (
        "Alamat yang didengarkan (0.0.0.0 untuk melayani jaringan kantor)."
    ),
    "Background workers to start beside the web server (default: TILIK_TASK_WORKERS or 1; "
    "0 when `tilik worker` runs elsewhere).": (
        "Jumlah pekerja latar yang dijalankan bersama server web (bawaan: TILIK_TASK_WORKERS "
        "atau 1; 0 bila `tilik worker` berjalan di tempat lain)."
    ),
    "Run background work (imports, analysis, reports, XLSForm checks) from the queue.\n\n"
    "Several workers, on one machine or several against one PostgreSQL database, share the\n"
    "queue; no task runs twice. Ctrl-C stops the worker at once (a running task is stopped\n"
    "and marked interrupted: running it again is safe).": (
        "Jalankan pekerjaan latar (impor, analisis, laporan, pemeriksaan XLSForm) dari "
        "antrean.\n\nBeberapa pekerja, di satu mesin atau beberapa mesin dengan satu basis "
        "data PostgreSQL, berbagi antrean; tidak ada tugas yang berjalan dua kali. Ctrl-C "
        "menghentikan pekerja seketika (tugas yang sedang berjalan dihentikan dan ditandai "
        "terputus: aman dijalankan lagi)."
    ),
    "Run the tasks waiting in the queue, then stop (for scripts).": (
        "Jalankan tugas yang menunggu di antrean, lalu berhenti (untuk skrip)."
    ),
    "Seconds between looks at an empty queue.": "Detik antara dua pemeriksaan antrean kosong.",
    "Remove personal data whose retention period has ended (names, NIPs, contacts, open\n"
    "answers as written); aggregates, reports and the audit trail stay.\n\n"
    "`tilik worker` runs this once a day by itself; the command is for scripts and checks.": (
        "Hapus data pribadi yang masa simpannya sudah berakhir (nama, NIP, kontak, jawaban "
        "terbuka apa adanya); angka agregat, laporan, dan jejak audit tetap ada.\n\n"
        "`tilik worker` menjalankannya sendiri sekali sehari; perintah ini untuk skrip dan "
        "pemeriksaan."
    ),
    "List what would be purged; change nothing.": (
        "Daftar apa yang akan dihapus; tidak mengubah apa pun."
    ),
    "Run a Django management command (createsuperuser, migrate, compilemessages, ...).": (
        "Jalankan perintah pengelolaan Django (createsuperuser, migrate, compilemessages, …)."
    ),
    "Theme coding of open answers, interviews and observation notes (pengodean tema).": (
        "Pengodean tema jawaban terbuka, wawancara, dan catatan observasi."
    ),
    "Code FILE.jsonl (one object with 'text' per line; optional source, role, sector).\n\n"
    "Each line is written back with 'themes' (list of codes) and 'sentiment' added. The\n"
    "source (survey, interview, observation) and role (peserta, atasan, pejabat,\n"
    "penyelenggara, observer, warga) are evidence too: give them when known.": (
        "Kodekan FILE.jsonl (satu objek dengan 'text' per baris; source, role, sector "
        "boleh ada).\n\nSetiap baris ditulis kembali dengan tambahan 'themes' (daftar kode) "
        "dan 'sentiment'. Sumber (survey, interview, observation) dan peran (peserta, atasan, "
        "pejabat, penyelenggara, observer, warga) juga menjadi bukti: isikan bila diketahui."
    ),
    "Write the coded JSON lines here (default: standard output).": (
        "Tulis baris JSON yang sudah dikodekan ke sini (bawaan: keluaran standar)."
    ),
    "Also add confidence and explanation per theme.": (
        "Tambahkan juga keyakinan dan penjelasan per tema."
    ),
    "JSON lines of manual codings ({text, themes[, sentiment, source, role]}) to retrain "
    "with; a manual code always wins for the same text.": (
        "Baris JSON pengodean manual ({text, themes[, sentiment, source, role]}) untuk melatih "
        "ulang; kode manual selalu menang untuk teks yang sama."
    ),
    "Score the coder on FILE.jsonl labelled with 'themes' and 'sentiment'.\n\n"
    "Prints precision, recall and F1 per theme, macro-F1, sentiment accuracy and the\n"
    "calibration of the coder's confidence (Brier score, expected calibration error).": (
        "Nilai pengode pada FILE.jsonl yang berlabel 'themes' dan 'sentiment'.\n\nMencetak "
        "presisi, recall, dan F1 per tema, macro-F1, akurasi sentimen, dan kalibrasi "
        "keyakinan pengode (skor Brier, galat kalibrasi harapan)."
    ),
    "Print the scores as JSON.": "Cetak skor sebagai JSON.",
    "Also measure learning: take N labelled texts as the evaluator's corrections, score the "
    "others before and after retraining (repeated, see --repeats).": (
        "Ukur juga pembelajaran: ambil N teks berlabel sebagai koreksi evaluator, nilai teks "
        "lainnya sebelum dan sesudah dilatih ulang (diulang, lihat --repeats)."
    ),
    "First random draw.": "Undian acak pertama.",
    "Train on these labelled JSON lines instead of the packaged training texts (for honest "
    "splits, e.g. texts by other authors only).": (
        "Latih dengan baris JSON berlabel ini sebagai ganti teks latih bawaan (untuk pemisahan "
        "yang jujur, mis. hanya teks penulis lain)."
    ),
    "Code one TEXT and show themes, confidence, explanation and sentence spans.": (
        "Kodekan satu TEXT dan tampilkan tema, keyakinan, penjelasan, dan rentang kalimat."
    ),
    "Print the 'themes' and 'challenges' sections of hasil.json for the bundle at PATH.": (
        "Cetak bagian 'themes' dan 'challenges' hasil.json untuk bundel di PATH."
    ),
    "Language of quote attributions.": "Bahasa keterangan sumber kutipan.",
    "Make the flexible training schedule of PLAN (jadwal.yaml) and compare it with one block.\n\n"
    "Writes jadwal.csv, jadwal.xlsx, jadwal.html, grafik/jadwal.svg, ringkasan.json and one\n"
    ".ics per participant and per trainer; an impossible plan is explained (penjelasan.json).": (
        "Susun jadwal pelatihan fleksibel dari PLAN (jadwal.yaml) dan bandingkan dengan satu "
        "blok.\n\nMenulis jadwal.csv, jadwal.xlsx, jadwal.html, grafik/jadwal.svg, "
        "ringkasan.json, dan satu .ics per peserta dan per pengajar; rencana yang mustahil "
        "dijelaskan (penjelasan.json)."
    ),
    "Folder to write the schedule (CSV, XLSX, HTML, .ics files, ringkasan.json) into.": (
        "Folder tempat jadwal ditulis (CSV, XLSX, HTML, berkas .ics, ringkasan.json)."
    ),
    "Seconds the solver may search (default: options.time_limit of the plan, else 60).": (
        "Detik yang boleh dipakai pencari jadwal (bawaan: options.time_limit rencana, atau 60)."
    ),
    "Solver threads.": "Jumlah utas pencari jadwal.",
    "Language of messages and files (id = Indonesian, en = English).": (
        "Bahasa pesan dan berkas (id = Indonesia, en = Inggris)."
    ),
    "Import responses (Kobo / ODK Central / CSV / XLSX) into an instrument.\n\n"
    "Each row is stored once or quarantined with its reasons (file, row, column, value,\n"
    "expected); re-importing the same file adds nothing.": (
        "Impor respons (Kobo / ODK Central / CSV / XLSX) ke sebuah instrumen.\n\nSetiap baris "
        "disimpan sekali atau dikarantina dengan alasannya (berkas, baris, kolom, nilai, yang "
        "diharapkan); mengimpor berkas yang sama lagi tidak menambah apa pun."
    ),
    "Id of the evaluation (shown in its web address: /evaluasi/N/).": (
        "Nomor evaluasi (terlihat di alamat webnya: /evaluasi/N/)."
    ),
    "form_id of the instrument the file answers.": "form_id instrumen yang dijawab berkas ini.",
    "Language of messages (id = Indonesian, en = English).": (
        "Bahasa pesan (id = Indonesia, en = Inggris)."
    ),
    "How many quarantined rows to list.": "Berapa baris karantina yang didaftar.",
}

_current = ["en"]


def language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The help's language: English with ``TILIK_LANG=en`` or ``--lang en`` on the command
    line, else Indonesian."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "id"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "id"
    return "en" if environ.get("TILIK_LANG", "").lower().startswith("en") else "id"


def _click_words(message: str) -> str:
    if _current[0] == "en":
        return message
    return CLICK_ID.get(message, message)


def _texts(command: click.Command) -> list[tuple[object, str]]:
    """(object, attribute) of every help text of ``command`` and its subcommands."""
    out: list[tuple[object, str]] = [(command, "help"), (command, "short_help")]
    out += [(param, "help") for param in command.params if isinstance(param, click.Option)]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            out += _texts(sub)
    return out


def localise(command: click.Command, lang: str) -> list[str]:
    """Put the help of ``command``'s tree in ``lang`` (``id`` or ``en``); returns the texts
    that have no Indonesian (left in English)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.types

    _current[0] = "en" if lang == "en" else "id"
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.types):
        module._ = _click_words  # type: ignore[attr-defined]
    missing = []
    for owner, attribute in _texts(command):
        if attribute == "help" and isinstance(owner, click.Command):
            owner._help_option = None  # made again, in this language, when next asked for
        english = getattr(owner, f"_tilik_{attribute}", None)
        if english is None:
            english = getattr(owner, attribute, None)
            if not english:
                continue
            setattr(owner, f"_tilik_{attribute}", english)
        if _current[0] == "en":
            setattr(owner, attribute, english)
            continue
        translated = HELP_ID.get(inspect.cleandoc(english))
        if translated is None:
            missing.append(inspect.cleandoc(english))
            continue
        setattr(owner, attribute, translated)
    return missing
