"""Hand-written sentence fragments for the demo bundle's open answers.

``generate.py`` composes each open answer from one to three of these fragments, so that
answers vary. Three registers, as respondents in Kota Kupang write them:

- ``formal``: standard Indonesian;
- ``santai``: casual Indonesian; ``generate.py`` abbreviates words SMS-style (yg, tdk, krn…);
- ``kupang``: Kupang Malay (beta, sonde, su, dong, pi…).

Slots: ``{warga}`` is whom the respondent serves (pasien, pemohon, warga…), ``{n}`` a small
number, ``{aplikasi}`` the application of the respondent's sector, ``{tugas_rutin}`` a routine
duty of that sector (so a remark never names another sector's work).
All text is fictitious and written for this demo.
"""

# Obstacles (survei_peserta.hambatan_uraian), keyed by the `hambatan` choice name.
HAMBATAN = {
    "beban_kerja": {
        "formal": [
            "Beban kerja di unit kami sangat tinggi sehingga sulit meninggalkan pekerjaan "
            "selama pelatihan.",
            "Jumlah petugas di loket terbatas, sehingga ketika saya mengikuti pelatihan "
            "pelayanan kepada {warga} ikut terganggu.",
            "Selama pelatihan saya tetap harus menyelesaikan laporan kantor pada malam hari.",
            "Kekurangan pegawai membuat saya beberapa kali dipanggil kembali ke kantor di "
            "tengah sesi.",
            "Pekerjaan menumpuk setelah kembali dari pelatihan karena tidak ada yang menggantikan.",
            "Di unit kami hanya ada {n} orang petugas, sehingga sulit untuk fokus mengikuti "
            "seluruh materi.",
            "Tugas rangkap membuat waktu untuk belajar mandiri hampir tidak ada.",
        ],
        "santai": [
            "kerjaan di kantor numpuk, jadi sering tidak fokus waktu pelatihan",
            "pegawai di loket cuma sedikit, kalau saya ikut pelatihan yang layani {warga} siapa",
            "hp bunyi terus dari kantor, disuruh balik karena ada kerjaan mendesak",
            "habis pelatihan kerjaan sudah numpuk banget, belum sempat praktekin materinya",
            "tenaga kurang, satu orang pegang dua tiga pekerjaan sekaligus",
            "kami cuma {n} orang di unit, jadi gantian ikut pelatihannya pun susah",
        ],
        "kupang": [
            "Beta pung karja di kantor banyak sekali, jadi sonde bisa fokus ikut pelatihan.",
            "Pegawai di loket cuma sedikit, kalo beta pi pelatihan, sapa yang layani {warga} dong?",
            "Karja su tatumpuk waktu pulang dari pelatihan, sonde ada yang ganti beta.",
            "Kotong pung orang kurang, jadi satu orang pegang banyak karja.",
            "Kotong di unit cuma {n} orang sa, jadi susah mau tinggal kantor.",
        ],
    },
    "jadwal_bentrok": {
        "formal": [
            "Jadwal pelatihan bertepatan dengan masa sibuk pelayanan di kantor kami.",
            "Pelatihan dilaksanakan pada akhir bulan, bersamaan dengan batas waktu laporan.",
            "Undangan pelatihan diterima mendadak sehingga jadwal tugas tidak sempat diatur ulang.",
            "Waktu pelatihan bentrok dengan {tugas_rutin}.",
            "Pelatihan dilaksanakan saat penutupan tahun anggaran sehingga banyak pekerjaan "
            "administrasi yang tertunda.",
            "Jadwal sesi sore berbenturan dengan jam pelayanan, sehingga saya beberapa kali "
            "tidak bisa hadir.",
        ],
        "santai": [
            "jadwalnya bentrok sama jadwal piket di loket",
            "undangannya mendadak, baru dikasih tahu sehari sebelumnya",
            "pas pelatihan itu lagi musim orang urus berkas, antrean panjang di kantor",
            "jadwal pelatihan barengan sama deadline laporan akhir bulan",
            "mohon jadwalnya diatur, jangan pas jam sibuk pelayanan",
        ],
        "kupang": [
            "Jadwal pelatihan tabrak deng {tugas_rutin}.",
            "Undangan datang tiba-tiba, beta sonde sempat atur karja.",
            "Waktu itu pas orang banyak datang urus berkas, jadi beta sonde bisa tinggal loket.",
            "Jadwal pelatihan pas deng akhir bulan, laporan su tunggu.",
        ],
    },
    "anggaran": {
        "formal": [
            "Karena anggaran terbatas, modul tidak dicetak dan hanya dibagikan dalam bentuk file.",
            "Kunjungan lapangan dibatalkan karena anggaran perjalanan dipotong.",
            "Anggaran pelatihan terkena refocusing sehingga durasi dipersingkat dan materi "
            "praktik dikurangi.",
            "Tidak tersedia biaya transportasi, sehingga peserta menanggung sendiri ongkos ke "
            "lokasi pelatihan.",
            "Bahan praktik terbatas; satu perangkat dipakai bergantian oleh beberapa peserta.",
            "Pelatihan lanjutan tidak dapat diadakan karena keterbatasan anggaran.",
        ],
        "santai": [
            "modulnya nggak dicetak katanya anggaran kurang, jadi cuma dapat pdf",
            "anggaran dipotong, praktek lapangannya batal",
            "transport ditanggung sendiri, padahal lumayan jauh",
            "laptop buat praktek kurang, satu dipakai bertiga",
            "materinya kepotong karena harinya dikurangi, katanya efisiensi anggaran",
        ],
        "kupang": [
            "Dong bilang doi sonde ada, jadi modul sonde cetak, cuma kasi file sa.",
            "Uang transport sonde ada, beta bayar sendiri oto pi tempat pelatihan.",
            "Praktek lapangan batal, katanya anggaran su potong.",
            "Laptop kurang, jadi kotong pake bagantian.",
        ],
    },
    "akses_internet": {
        "formal": [
            "Jaringan internet di kantor sering terputus saat mengikuti kelas daring.",
            "Materi e-learning sulit diakses karena sinyal lemah di wilayah kerja saya.",
            "Kuota internet untuk kelas daring menggunakan biaya pribadi.",
            "Ruang pelatihan jauh dari tempat tugas dan angkutan umum terbatas.",
            "Aplikasi {aplikasi} sering lambat sehingga praktik tidak berjalan lancar.",
        ],
        "santai": [
            "sinyal di kantor lemot, zoom putus-putus terus",
            "kuota pakai sendiri, lumayan boros buat kelas online",
            "e-learningnya susah dibuka dari hp",
            "aplikasinya loading lama, jadi prakteknya banyak nunggu",
            "tempat pelatihannya jauh, ojek mahal",
        ],
        "kupang": [
            "Jaringan di kantor talalu lambat, zoom putus-putus.",
            "Beta pake pulsa sendiri untuk kelas online.",
            "Sinyal di kelurahan sonde bagus, jadi susah buka materi.",
            "Aplikasi {aplikasi} lambat, kotong tunggu lama baru bisa praktek.",
        ],
    },
    "materi_kurang": {
        "formal": [
            "Sebagian materi masih terlalu teoritis dan kurang contoh kasus dari daerah kita.",
            "Modul yang digunakan belum diperbarui sesuai aturan terbaru.",
            "Materi terlalu umum dan belum menyentuh masalah pelayanan di unit kami.",
            "Contoh kasus banyak diambil dari kota besar di Jawa, kurang sesuai dengan "
            "kondisi Kupang.",
            "Materi praktik aplikasi terlalu singkat dibanding materi teori.",
        ],
        "santai": [
            "materinya kebanyakan teori, contohnya kurang nyambung sama kerjaan kami",
            "modulnya modul lama, ada aturan yang sudah berubah",
            "materinya terlalu umum, untuk bagian keuangan kurang kena",
            "contohnya dari jawa semua, kondisi di sini beda",
        ],
        "kupang": [
            "Materi talalu banyak teori, praktek sadiki sa.",
            "Contoh-contoh dari Jawa, sonde cocok deng kotong pung kondisi di sini.",
            "Modul su lama, aturan baru sonde masuk.",
        ],
    },
    "fasilitator": {
        "formal": [
            "Beberapa narasumber hanya membacakan slide tanpa memberi contoh penerapan.",
            "Pengajar berganti-ganti sehingga materi kurang runtut.",
            "Narasumber dari pusat hanya hadir secara daring dan waktu tanya jawab sangat "
            "terbatas.",
        ],
        "santai": [
            "narasumbernya baca slide doang",
            "ada pengajar yang telat, sesi jadi molor",
            "tanya jawabnya sebentar banget, banyak pertanyaan belum dijawab",
        ],
        "kupang": [
            "Narasumber cuma baca slide sa, sonde kasi contoh.",
            "Pengajar datang talambat, jadi materi potong.",
        ],
    },
    "metode": {
        "formal": [
            "Metode pelatihan didominasi ceramah, waktu praktik masih kurang.",
            "Kelas daring terasa monoton dan sulit menjaga konsentrasi.",
            "Perlu lebih banyak simulasi pelayanan dan studi kasus.",
            "Tidak ada pendampingan setelah pelatihan, sehingga saat menemui kendala di "
            "lapangan kami bingung bertanya kepada siapa.",
        ],
        "santai": [
            "kebanyakan ceramah, prakteknya dikit",
            "kelas online bikin ngantuk, kamera banyak yang dimatiin",
            "habis pelatihan nggak ada pendampingan, pas ada masalah bingung mau tanya siapa",
        ],
        "kupang": [
            "Talalu banyak ceramah, kotong mau praktek langsung.",
            "Kelas online bikin mangantuk, sonde bisa tanya langsung.",
        ],
    },
    "dukungan_atasan": {
        "formal": [
            "Atasan belum memberi kesempatan untuk menerapkan prosedur baru yang dipelajari.",
            "Pimpinan unit tidak mengetahui isi pelatihan sehingga usulan perbaikan belum "
            "ditanggapi.",
            "Sarana di unit belum mendukung penerapan hasil pelatihan.",
            "Setelah pelatihan tidak ada tindak lanjut dari pimpinan.",
        ],
        "santai": [
            "atasan belum kasih kesempatan buat terapkan yang baru",
            "usul perbaikan alur ke kepala unit belum direspon",
            "pulang pelatihan ya kerja kayak biasa lagi, nggak ada tindak lanjut",
        ],
        "kupang": [
            "Bos sonde kasi kesempatan untuk coba cara baru.",
            "Pulang pelatihan, karja sama sa kayak dulu, sonde ada tindak lanjut.",
        ],
    },
}

LAINNYA = {
    "formal": [
        "Sedang hamil tua saat pelatihan.",
        "Anak sakit sehingga beberapa hari izin.",
        "Cuaca buruk dan banjir di jalan menuju lokasi.",
        "Mutasi ke unit lain sesudah pelatihan.",
        "Orang tua meninggal dunia pada minggu pelatihan.",
        "Tugas luar daerah mendampingi pimpinan.",
        "Laptop pribadi rusak, tidak bisa ikut sesi praktik.",
    ],
    "santai": ["lagi sakit pas hari ke-3", "listrik padam di rumah waktu kelas online"],
    "kupang": ["Hujan angin, jalan banjir, beta talambat.", "Beta pung anak ada sakit."],
}

# Openers and closers wrap some answers so that they read like people writing.
PEMBUKA = {
    "formal": ["", "", "", "Menurut saya, ", "Secara umum, ", "Terus terang, "],
    "santai": ["", "", "", "menurut saya ", "jujur ", "intinya "],
    "kupang": ["", "", "Beta rasa ", "Jujur sa, "],
}
SAMBUNG = {
    "formal": ["Selain itu, ", "Di samping itu, ", "Kemudian ", ""],
    "santai": ["terus ", "trus juga ", "ditambah ", ""],
    "kupang": ["Trus ", "Ju ", "Ditambah lai ", ""],
}

# Suggestions (survei_peserta.saran).
SARAN = {
    "jadwal": {
        "formal": [
            "Jadwal pelatihan sebaiknya disesuaikan dengan kalender kerja OPD dan tidak pada "
            "masa sibuk pelayanan.",
            "Mohon pelatihan dibagi menjadi beberapa sesi pendek agar pelayanan tetap berjalan.",
            "Undangan pelatihan agar disampaikan paling lambat dua minggu sebelumnya.",
            "Sebaiknya ada pilihan jadwal, misalnya kelas pagi dan kelas sore.",
        ],
        "santai": [
            "jadwalnya dibuat fleksibel, bisa pilih angkatan yang pas",
            "undangan jangan mendadak",
            "mending setengah hari aja tapi beberapa minggu, biar loket tetap jalan",
        ],
        "kupang": [
            "Jadwal kasi fleksibel sadiki, jang pas orang banyak datang.",
            "Undangan kasi dari jauh-jauh hari, jang mendadak.",
        ],
    },
    "praktik": {
        "formal": [
            "Porsi praktik dan simulasi pelayanan perlu ditambah.",
            "Perlu studi kasus dari unit layanan di Kota Kupang sendiri.",
            "Praktik aplikasi sebaiknya menggunakan data contoh yang mirip pekerjaan sehari-hari.",
        ],
        "santai": [
            "prakteknya ditambah, teorinya dikurangi",
            "simulasi layani {warga} itu seru, bikin lebih banyak lagi",
            "kasusnya ambil dari kantor-kantor di kupang aja",
        ],
        "kupang": [
            "Tamba praktek, kurangi ceramah.",
            "Bekin simulasi lai, itu yang paling bagus.",
        ],
    },
    "pendampingan": {
        "formal": [
            "Perlu pendampingan atau coaching di tempat kerja setelah pelatihan.",
            "Sebaiknya dibentuk grup konsultasi dengan narasumber setelah pelatihan selesai.",
            "Evaluasi pasca pelatihan sebaiknya melibatkan atasan langsung.",
        ],
        "santai": [
            "habis pelatihan ada pendampingan ke kantor biar bisa tanya-tanya",
            "bikin grup wa sama narasumber buat konsultasi",
            "atasan juga diajak, biar ngerti yang kami pelajari",
        ],
        "kupang": [
            "Abis pelatihan, datang dampingi kotong di kantor ko.",
            "Bos ju kasi ikut, biar dong tau kotong balajar apa.",
        ],
    },
    "daring": {
        "formal": [
            "Materi e-learning sebaiknya dapat diunduh agar bisa dipelajari tanpa internet.",
            "Pelatihan campuran (daring dan tatap muka) akan memudahkan peserta dari unit layanan.",
            "Rekaman sesi agar dibagikan kepada peserta yang terpaksa meninggalkan kelas.",
        ],
        "santai": [
            "video materi bisa didownload biar nonton pas senggang",
            "rekaman zoom dibagi dong buat yang ketinggalan",
            "kombinasi online sama tatap muka lebih enak",
        ],
        "kupang": [
            "Kasi materi yang bisa download, biar sonde pake sinyal terus.",
            "Rekaman kelas kasi bagi, beta ada yang talewat.",
        ],
    },
    "anggaran": {
        "formal": [
            "Anggaran pelatihan perlu dipertahankan, terutama untuk modul cetak dan praktik.",
            "Mohon disediakan biaya transportasi bagi peserta dari kelurahan.",
            "Pelatihan dapat diselenggarakan di puskesmas atau kantor kecamatan agar hemat biaya "
            "perjalanan.",
        ],
        "santai": [
            "modul dicetak lagi, baca pdf di hp capek",
            "kasih uang transport buat peserta yang jauh",
            "pelatihannya di kantor kami aja biar hemat",
        ],
        "kupang": [
            "Modul cetak ko, baca di hp bekin mata sakit.",
            "Kasi uang transport sadiki for peserta yang jauh.",
        ],
    },
    "lanjutan": {
        "formal": [
            "Program ini perlu dilanjutkan dengan pelatihan tingkat lanjut.",
            "Pelatihan serupa sebaiknya juga diberikan kepada pegawai lain di unit kami.",
            "Materi penanganan pengaduan perlu diperdalam.",
            "Sangat bermanfaat, semoga diadakan setiap tahun.",
        ],
        "santai": [
            "lanjut angkatan berikutnya, teman-teman lain juga perlu",
            "bagus banget, tahun depan ada lagi ya",
            "materi handle komplain ditambah",
        ],
        "kupang": [
            "Pelatihan ini bagus, tahun depan bekin lai.",
            "Kasi kesempatan ju for tamang-tamang yang laen.",
        ],
    },
    "relevansi": {
        "formal": [
            "Materi sebaiknya disesuaikan dengan tugas masing-masing bidang, tidak disamaratakan.",
            "Perlu kelas terpisah untuk pegawai yang tidak bertugas di loket pelayanan.",
            "Analisis kebutuhan pelatihan per OPD perlu dilakukan sebelum menyusun materi.",
        ],
        "santai": [
            "materinya disesuaikan sama bidang masing-masing",
            "untuk yang bukan orang loket, materinya kurang kepake",
            "tanya dulu kebutuhan tiap dinas baru susun materi",
        ],
        "kupang": [
            "Materi kasi sesuai deng kotong pung karja, jang sama rata.",
            "Beta bukan orang loket, jadi banyak materi yang sonde pake.",
        ],
    },
}

# Supervisor comments (survei_atasan.perubahan_uraian), by how much the employee changed.
PERUBAHAN = {
    "baik": {
        "formal": [
            "Pegawai lebih cepat melayani {warga} dan berkas yang dikembalikan berkurang.",
            "Yang bersangkutan kini memeriksa kelengkapan berkas di awal, sehingga {warga} tidak "
            "perlu bolak-balik.",
            "Lebih ramah dan sabar menghadapi {warga} yang mengeluh.",
            "Sudah menggunakan {aplikasi} secara rutin dan membantu rekan yang belum bisa.",
            "Menyusun ulang alur antrean di loket sehingga waktu tunggu lebih pendek.",
            "Lebih disiplin datang tepat waktu dan membuka layanan sesuai jam pelayanan.",
            "Membagikan materi pelatihan kepada rekan satu bidang dalam rapat staf.",
        ],
        "santai": [
            "sekarang lebih cepat layani {warga}, jarang ada komplain",
            "sudah rajin pakai {aplikasi}, ngajarin teman juga",
            "lebih sabar ngadepin {warga} yang marah-marah",
            "berkas sekarang dicek dulu di depan, jadi nggak bolak balik",
        ],
        "kupang": [
            "Sekarang dia layani {warga} lebe capat, sonde ada yang omel lai.",
            "Dia su biasa pake {aplikasi}, ju ajar tamang-tamang.",
            "Dia lebe sabar deng orang yang datang marah-marah.",
        ],
    },
    "sedikit": {
        "formal": [
            "Ada sedikit perubahan, tetapi belum konsisten karena beban kerja tinggi.",
            "Pegawai sudah memahami prosedur baru, namun penerapannya terkendala sarana.",
            "Perubahan belum terlihat jelas; pegawai lebih banyak mengerjakan tugas administrasi.",
            "Penerapan masih terbatas karena jaringan {aplikasi} sering gangguan.",
        ],
        "santai": [
            "ada perubahan dikit, tapi masih suka balik ke cara lama",
            "sudah ngerti, cuma belum sempat terapin karena kerjaan banyak",
            "lumayan, tapi sarananya belum mendukung",
        ],
        "kupang": [
            "Ada ubah sadiki, ma masih pake cara lama ju.",
            "Dia su tau, ma karja banyak jadi belum sempat pake.",
        ],
    },
}

SARAN_ATASAN = {
    "formal": [
        "Atasan sebaiknya diberi pembekalan singkat tentang isi pelatihan.",
        "Jadwal pelatihan mohon dikoordinasikan dengan kepala unit agar pelayanan tidak kosong.",
        "Perlu pelatihan bagi seluruh petugas loket, bukan hanya satu orang.",
        "Mohon ada tindak lanjut berupa pendampingan di unit kerja.",
        "Materi agar disesuaikan dengan kebutuhan bidang keuangan dan pertanian.",
        "Tambah kuota peserta untuk unit kami.",
    ],
    "santai": [
        "koordinasi jadwal dulu sama kepala unit",
        "kuota peserta ditambah, biar gantian",
        "ada monev ke kantor setelah pelatihan",
    ],
    "kupang": [
        "Atur jadwal deng kotong dulu, jang ambe orang pas karja banyak.",
        "Tamba peserta dari kotong pung unit.",
    ],
}

# Observation notes (observasi.catatan), written in observers' shorthand.
OBSERVASI = {
    "umum": [
        "Antrean saat pengamatan {n} orang.",
        "Petugas sendirian di loket, rekan sedang dinas luar.",
        "Ruang tunggu penuh, sebagian pemohon berdiri.",
        "Nomor antrean dipanggil lewat pengeras suara.",
        "Pemohon lansia didahulukan.",
        "Papan informasi persyaratan terpasang di dekat loket.",
        "Maklumat pelayanan terpasang, namun tulisan sudah pudar.",
        "Kotak saran tersedia tetapi kosong.",
        "Petugas menjelaskan kekurangan berkas dan memberi daftar tertulis.",
        "Petugas sempat menerima telepon pribadi saat melayani (±2 menit).",
        "Pemohon diminta kembali besok karena pejabat penandatangan tidak di tempat.",
        "Jaringan sempat putus ±5 menit, layanan berhenti sementara.",
        "Listrik padam singkat, genset menyala setelah beberapa menit.",
        "Petugas menggunakan bahasa daerah kepada pemohon lansia, pemohon tampak nyaman.",
        "Layanan selesai di tempat, pemohon langsung menerima dokumen.",
        "Petugas tidak memberi tahu perkiraan waktu selesai.",
        "Tidak ada nomor antrean, pemohon berebut di depan loket.",
        "Petugas merapikan meja dan menyapa sebelum memanggil nomor berikutnya.",
    ],
    "kependudukan": [
        "Pemohon mengurus KK baru; data diinput ke SIAK dan dicetak di tempat.",
        "Perekaman KTP-el tertunda karena alat sidik jari error.",
        "Blangko KTP-el tersedia, pencetakan langsung.",
        "Pemohon mengurus akta kelahiran, berkas lengkap.",
    ],
    "perizinan": [
        "Pemohon NIB dibantu petugas mengisi OSS di komputer layanan mandiri.",
        "Petugas memeriksa dokumen PBG, menjelaskan tahapan dengan jelas.",
        "Pemohon izin usaha mikro, selesai dalam satu kali datang.",
    ],
    "kesehatan": [
        "Pendaftaran pasien BPJS, petugas cek rujukan di P-Care.",
        "Pasien lansia dibantu ke poli oleh petugas.",
        "Rekam medis elektronik dipakai, tidak ada berkas kertas.",
        "Antrean poli umum panjang, petugas membagi nomor per poli.",
        "Petugas mencari berkas rekam medis lama di rak, cukup lama.",
    ],
    "kewilayahan": [
        "Warga mengurus surat keterangan domisili; surat diketik dan ditandatangani "
        "lurah di tempat.",
        "Pengantar nikah, petugas menjelaskan berkas dari RT/RW yang masih kurang.",
        "Surat keterangan tidak mampu, petugas mencocokkan data DTKS.",
    ],
}

# Citizens' suggestions (skm.saran).
SARAN_SKM = {
    "formal": [
        "Mohon waktu pelayanan dipercepat.",
        "Antrean terlalu lama, sebaiknya loket ditambah pada jam sibuk.",
        "Petugas sudah ramah, pertahankan.",
        "Informasi persyaratan sebaiknya diumumkan lewat media sosial.",
        "Kotak pengaduan tidak jelas tindak lanjutnya.",
        "Ruang tunggu perlu kipas angin atau AC.",
        "Toilet untuk pengunjung perlu dibersihkan.",
        "Pelayanan sudah baik dan tidak dipungut biaya.",
        "Mohon disediakan kursi roda dan jalur untuk penyandang disabilitas.",
        "Sebaiknya ada layanan daring agar tidak perlu datang berkali-kali.",
        "Nomor pengaduan perlu dipasang di tempat yang mudah dilihat.",
        "Jam istirahat petugas sebaiknya bergantian supaya loket tidak kosong.",
        "Parkir sempit, perlu penataan.",
        "Terima kasih, pelayanan cepat dan jelas.",
    ],
    "santai": [
        "antrinya lama banget, loketnya ditambah",
        "petugasnya ramah, mantap",
        "wc kotor tolong diperhatikan",
        "sistem online dong biar nggak bolak balik",
        "tolong jaringan diperbaiki, tadi nunggu lama karena offline",
        "pengaduan dulu nggak ada jawaban",
        "ruang tunggu panas",
        "sudah bagus, tingkatkan",
    ],
    "kupang": [
        "Antri talalu lama, beta tunggu dari pagi.",
        "Petugas baik, ramah deng kotong.",
        "Kipas angin sonde ada, panas sekali.",
        "Jang suru kotong datang bolak-balik.",
        "Mantap, cepat beres.",
        "Jaringan mati terus, tolong perbaiki ko.",
    ],
}

# SMS-style abbreviations applied, word by word, to casual answers.
SINGKATAN = {
    "yang": "yg",
    "tidak": "tdk",
    "nggak": "gk",
    "karena": "krn",
    "belum": "blm",
    "sudah": "sdh",
    "dengan": "dgn",
    "untuk": "utk",
    "banget": "bgt",
    "juga": "jg",
    "saya": "sy",
    "kalau": "klo",
    "sama": "sm",
    "jadi": "jd",
    "dari": "dr",
    "tapi": "tp",
}
