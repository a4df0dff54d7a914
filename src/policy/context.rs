//! Context words: the evidence that turns a *weak* candidate — a bare digit run that could be a
//! phone number, an SSN or a card number of an unknown issuer, a date — into a finding when a
//! word that names it stands near it ("SSN 123456789", "bel me op 0201234567", "geboren am
//! 02.11.1958") or when the value's key names it.
//!
//! Words are matched as whole words, case- and accent-insensitively (`telefono` matches
//! "Teléfono"), in a window of [`WINDOW`] characters before the candidate in the same string;
//! runs of white space count as one space, so phrases ("date of birth") match however they are
//! spaced. Matching happens only for candidates, so the scan over the text stays one pass.
//! This module never stores or logs the text it reads.

use crate::policy::script::is_unspaced;

/// How many characters before a candidate are searched for a context word.
pub const WINDOW: usize = 40;

/// How many characters after a candidate are searched: languages that put the verb last
/// ("der am 02.11.1958 geboren ist") or a label in parentheses ("0201234567 (mobiel)").
pub const WINDOW_AFTER: usize = 24;

/// Context words of one kind of personal data, per language (ISO 639-1).
pub type Words = &'static [(&'static str, &'static [&'static str])];

/// Words that make a bare national or NANP digit run a phone number.
pub const PHONE: Words = &[
    (
        "en",
        &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "cellphone",
            "call",
            "call me",
            "ring",
            "ring me",
            "text me",
            "reach me",
            "reach me at",
            "whatsapp",
            "fax",
            "phone number",
            "contact number",
        ],
    ),
    (
        "de",
        &[
            "telefon",
            "tel",
            "telefonnummer",
            "handy",
            "handynummer",
            "mobil",
            "mobilnummer",
            "anrufen",
            "ruf",
            "rufen sie",
            "rufnummer",
            "erreichbar",
            "fax",
            "rückruf",
            "rückrufnummer",
            "festnetz",
            "durchwahl",
            "mobiltelefon",
        ],
    ),
    (
        "fr",
        &[
            "téléphone",
            "tél",
            "tel",
            "portable",
            "mobile",
            "appeler",
            "appelez",
            "appelle",
            "appelez-moi",
            "joindre",
            "numéro de téléphone",
            "fax",
            "rappeler",
            "rappelez",
            "rappelez-moi",
        ],
    ),
    (
        "nl",
        &[
            "telefoon",
            "telefoonnummer",
            "tel",
            "mobiel",
            "mobiele",
            "bel",
            "bellen",
            "gsm",
            "fax",
        ],
    ),
    (
        "es",
        &[
            "teléfono",
            "tel",
            "móvil",
            "celular",
            "llamar",
            "llámame",
            "llame",
            "llama",
            "llamen",
            "llámenme",
            "llamada",
            "fax",
            "whatsapp",
            "cel",
            "celu",
            "número de celu",
        ],
    ),
    (
        "it",
        &[
            "telefono",
            "tel",
            "cellulare",
            "cell",
            "chiamare",
            "chiamami",
            "chiama",
            "fax",
            "telefonare",
            "richiamare",
            "numero di telefono",
        ],
    ),
    (
        "pt",
        &[
            "telefone",
            "tel",
            "telemóvel",
            "celular",
            "ligar",
            "ligue",
            "liga",
            "ligue-me",
            "contacto",
            "contato",
            "zap",
            "whats",
            "fone",
            "número de telefone",
        ],
    ),
    (
        "pl",
        &[
            "telefon",
            "tel",
            "komórka",
            "komórkowy",
            "dzwonić",
            "zadzwoń",
            "dzwoń",
        ],
    ),
    (
        "sv",
        &[
            "telefon",
            "tel",
            "mobil",
            "mobilnummer",
            "ring",
            "ringa",
            "ring mig",
        ],
    ),
    ("da", &["telefon", "tlf", "mobil", "ring", "ring til mig"]),
    ("no", &["telefon", "tlf", "mobil", "ring", "ring meg"]),
    (
        "fi",
        &["puhelin", "puh", "matkapuhelin", "soita", "soittakaa"],
    ),
    ("cs", &["telefon", "tel", "mobil", "volejte", "zavolejte"]),
    ("hu", &["telefon", "tel", "mobil", "hívjon", "telefonszám"]),
    ("ro", &["telefon", "tel", "mobil", "sunați"]),
    ("tr", &["telefon", "tel", "cep", "arayın", "cep telefonu"]),
    // Chinese, Japanese, Korean, Arabic, Persian, Hebrew, Hindi, Thai, Russian: matched
    // without spaces on their CJK side.
    (
        "zh",
        &[
            "电话",
            "電話",
            "手机",
            "手機",
            "手机号",
            "手机号码",
            "联系电话",
            "聯絡電話",
            "座机",
            "电话号码",
        ],
    ),
    (
        "ja",
        &[
            "電話",
            "電話番号",
            "携帯",
            "携帯番号",
            "携帯電話",
            "連絡先",
            "tel",
        ],
    ),
    (
        "ko",
        &["전화", "전화번호", "휴대폰", "핸드폰", "연락처", "휴대전화"],
    ),
    (
        "ar",
        &[
            "هاتف",
            "الهاتف",
            "رقم الهاتف",
            "جوال",
            "الجوال",
            "موبايل",
            "اتصل",
            "اتصلوا",
            "اتصل بي",
            "كلموني",
            "كلمني",
            "رقمي",
            "واتساب",
            "واتس",
            "رقم التليفون",
            "رقم الموبايل",
            "raqamy",
            "ra2amy",
            "rakamy",
        ],
    ),
    ("fa", &["تلفن", "موبایل", "شماره تماس", "همراه"]),
    ("he", &["טלפון", "נייד", "מספר טלפון", "פלאפון"]),
    ("hi", &["फोन", "फ़ोन", "मोबाइल", "फोन नंबर", "मोबाइल नंबर"]),
    ("th", &["โทร", "เบอร์โทร", "โทรศัพท์", "มือถือ"]),
    // Cyrillic and Greek (the national forms of these countries: `8 (916) 402-17-58`,
    // `210 123 4567`), then South and South-East Asia and East Africa.
    (
        "ru",
        &[
            "телефон",
            "тел",
            "моб",
            "мобильный",
            "сотовый",
            "звоните",
            "позвоните",
            "перезвоните",
            "номер телефона",
        ],
    ),
    (
        "uk",
        &[
            "телефон",
            "тел",
            "моб",
            "мобільний",
            "зателефонуйте",
            "передзвоніть",
            "номер телефону",
        ],
    ),
    ("bg", &["телефон", "тел", "мобилен", "обадете се", "gsm"]),
    (
        "sr",
        &[
            "телефон",
            "тел",
            "мобилни",
            "позовите",
            "mobilni",
            "pozovite",
        ],
    ),
    (
        "el",
        &[
            "τηλέφωνο",
            "τηλ",
            "κινητό",
            "τηλεφωνήστε",
            "καλέστε",
            "αριθμός τηλεφώνου",
        ],
    ),
    (
        "id",
        &[
            "telepon",
            "telp",
            "no hp",
            "nomor hp",
            "hubungi",
            "nomor telepon",
            "nombor telefon",
        ],
    ),
    (
        "vi",
        &["điện thoại", "sđt", "đt", "gọi", "số điện thoại", "di động"],
    ),
    ("fil", &["telepono", "tawagan", "numero ng telepono"]),
    ("sw", &["simu", "piga simu", "namba ya simu"]),
    ("is", &["sími", "farsími", "símanúmer"]),
    ("bn", &["ফোন", "মোবাইল"]),
    ("ur", &["فون", "موبائل"]),
];

/// Words that make a bare nine-digit run a US Social Security number.
pub const SSN: Words = &[
    (
        "en",
        &[
            "ssn",
            "ss#",
            "ssn#",
            "social security",
            "social security number",
            "soc sec",
            "social sec",
        ],
    ),
    (
        "de",
        &["sozialversicherungsnummer", "us-sozialversicherungsnummer"],
    ),
    ("fr", &["sécurité sociale", "numéro de sécurité sociale"]),
    ("nl", &["sociale zekerheid", "socialezekerheidsnummer"]),
    ("es", &["seguro social", "número de seguro social"]),
    ("it", &["previdenza sociale", "sicurezza sociale"]),
    ("pt", &["segurança social", "seguro social"]),
];

/// Words that make a Luhn-valid number of an unknown issuer a payment card number.
pub const CARD: Words = &[
    (
        "en",
        &[
            "card",
            "credit card",
            "debit card",
            "card number",
            "card no",
            "visa",
            "mastercard",
            "amex",
            "american express",
            "maestro",
            "discover card",
            "jcb",
            "unionpay",
            "diners club",
        ],
    ),
    (
        "de",
        &[
            "karte",
            "kreditkarte",
            "kartennummer",
            "kreditkartennummer",
            "ec-karte",
            "girocard",
            "debitkarte",
        ],
    ),
    (
        "fr",
        &[
            "carte",
            "carte bancaire",
            "carte de crédit",
            "numéro de carte",
        ],
    ),
    (
        "nl",
        &[
            "kaart",
            "creditcard",
            "pinpas",
            "bankpas",
            "kaartnummer",
            "betaalpas",
        ],
    ),
    (
        "es",
        &[
            "tarjeta",
            "tarjeta de crédito",
            "número de tarjeta",
            "tarjeta de débito",
        ],
    ),
    (
        "it",
        &["carta", "carta di credito", "numero carta", "bancomat"],
    ),
    (
        "pt",
        &[
            "cartão",
            "cartão de crédito",
            "número do cartão",
            "cartão de débito",
        ],
    ),
    (
        "pl",
        &["karta", "numer karty", "karta kredytowa", "karta płatnicza"],
    ),
    ("sv", &["kort", "kortnummer", "kreditkort", "bankkort"]),
    ("da", &["kortnummer", "betalingskort", "kreditkort"]),
    ("fi", &["kortti", "kortin numero", "luottokortti"]),
    ("cs", &["karta", "číslo karty", "platební karta"]),
    ("hu", &["kártya", "kártyaszám", "bankkártya"]),
    ("ro", &["card", "numărul cardului", "card bancar"]),
    (
        "tr",
        &["kart", "kart numarası", "kredi kartı", "banka kartı"],
    ),
    (
        "ru",
        &[
            "карта",
            "карты",
            "номер карты",
            "банковская карта",
            "карта мир",
        ],
    ),
    ("uk", &["картка", "номер картки", "банківська картка"]),
    ("el", &["κάρτα", "αριθμός κάρτας", "πιστωτική κάρτα"]),
    ("he", &["כרטיס", "כרטיס אשראי", "מספר כרטיס"]),
    ("ar", &["بطاقة", "رقم البطاقة", "بطاقة ائتمان"]),
    ("fa", &["کارت", "شماره کارت", "کارت بانکی"]),
    ("hi", &["कार्ड", "कार्ड नंबर", "क्रेडिट कार्ड"]),
    ("th", &["บัตร", "เลขบัตร", "บัตรเครดิต"]),
    ("vi", &["thẻ", "số thẻ", "thẻ tín dụng"]),
    (
        "id",
        &["kartu", "nomor kartu", "kartu kredit", "kad kredit"],
    ),
    ("zh", &["卡号", "卡號", "银行卡", "銀行卡", "信用卡"]),
    ("ja", &["カード番号", "クレジットカード", "カード"]),
    ("ko", &["카드번호", "카드 번호", "신용카드", "카드"]),
];

/// Words that make a date in text a birth date.
pub const BIRTH: Words = &[
    (
        "en",
        &[
            "born",
            "birth",
            "birthday",
            "birthdate",
            "date of birth",
            "dob",
            "d.o.b",
            "born on",
            "birth date",
            "bday",
            "b-day",
        ],
    ),
    (
        "de",
        &[
            "geboren",
            "geb",
            "geburtsdatum",
            "geburtstag",
            "gebdatum",
            "gebdat",
            "geburt",
            "geboren am",
        ],
    ),
    (
        "fr",
        &[
            "né le",
            "née le",
            "né en",
            "née en",
            "naissance",
            "date de naissance",
            "anniversaire",
            "née",
            "suis né",
            "suis née",
            "naiss",
            "date de naiss",
        ],
    ),
    (
        "nl",
        &[
            "geboren",
            "geboortedatum",
            "geb",
            "verjaardag",
            "geboorte",
            "geboren op",
        ],
    ),
    (
        "es",
        &[
            "nacido",
            "nacida",
            "nació",
            "nacimiento",
            "fecha de nacimiento",
            "cumpleaños",
            "f. nac",
            "nací",
            "naci",
            "fecha nac",
        ],
    ),
    (
        "it",
        &[
            "nato",
            "nata",
            "nato il",
            "nata il",
            "nascita",
            "data di nascita",
            "compleanno",
            "nacque",
            "nato a",
            "nata a",
        ],
    ),
    (
        "pt",
        &[
            "nascido",
            "nascida",
            "nasceu",
            "nascimento",
            "data de nascimento",
            "aniversário",
            "nasci",
            "nasceu em",
            "dt. nasc",
        ],
    ),
    // Beyond the seven languages of the date grammar's context words, the three more of the key
    // lexicon: the numeric dates they write are the grammar's.
    (
        "pl",
        &[
            "urodzony",
            "urodzona",
            "urodziłem",
            "urodziłam",
            "urodził",
            "urodziła",
            "urodzenia",
            "data urodzenia",
            "urodziny",
            "data ur",
            // With its dot (`ur. 12.05.1947 r.`): without it `ur` is English chat for "your".
            "ur.",
        ],
    ),
    ("sv", &["född", "födelsedatum", "födelsedag", "föddes"]),
    ("da", &["født", "fødselsdato", "fødselsdag", "blev født"]),
    // And four languages whose speakers' notes reach European collectors: their birth words
    // before a numeric date (`Doğum tarihi: 05.01.1980`, `datum narození 5. 1. 1980`).
    ("tr", &["doğum", "doğum tarihi", "doğdu"]),
    ("cs", &["narozen", "narozena", "narození", "datum narození"]),
    (
        "ro",
        &[
            "născut",
            "născută",
            "nașterii",
            "naşterii",
            "data nașterii",
            "nasterii",
        ],
    ),
    ("hu", &["született", "születési", "születési dátum", "szül"]),
    ("hr", &["datum rođenja", "rođen", "rođena"]),
    ("sl", &["datum rojstva", "rojen", "rojena"]),
    ("sk", &["dátum narodenia", "narodený", "narodená"]),
    ("lt", &["gimimo data", "gimęs", "gimusi"]),
    ("lv", &["dzimšanas datums", "dzimis", "dzimusi"]),
    ("et", &["sünniaeg", "sündinud"]),
    (
        "el",
        &[
            "imerominia gennisis",
            "gennithike",
            "ημερομηνία γέννησης",
            "γεννήθηκε",
            "γεννήθηκα",
            "γεννημένος",
            "γεννημένη",
            "γέννησης",
            "γενέθλια",
            "ημ. γέννησης",
        ],
    ),
    ("ca", &["data de naixement", "nascut", "nascuda"]),
    ("id", &["tanggal lahir", "lahir"]),
    (
        "fil",
        &[
            "ipinanganak",
            "kaarawan",
            "petsa ng kapanganakan",
            "kapanganakan",
        ],
    ),
    ("vi", &["ngày sinh", "sinh ngày"]),
    ("sw", &["tarehe ya kuzaliwa", "alizaliwa"]),
    ("ga", &["dáta breithe"]),
    (
        "fi",
        &[
            "syntynyt",
            "syntyi",
            "syntymäaika",
            "syntymäpäivä",
            "syntymäaikani",
        ],
    ),
    (
        "zh",
        &[
            "出生日期",
            "出生年月日",
            "出生于",
            "出生於",
            "出生",
            "生日",
            "生于",
            "生於",
        ],
    ),
    ("ja", &["生年月日", "誕生日", "生まれ", "出生日"]),
    (
        "ko",
        &[
            "생년월일",
            "생일",
            "출생",
            "출생일",
            "태어난",
            "태어났",
            "태어나",
        ],
    ),
    (
        "ar",
        &[
            "تاريخ الميلاد",
            "تاريخ ميلاد",
            "مواليد",
            "ولد في",
            "ولدت في",
            "الميلاد",
        ],
    ),
    ("fa", &["تاریخ تولد", "متولد", "زادروز"]),
    ("he", &["תאריך לידה", "נולד", "נולדה", "יום הולדת"]),
    ("hi", &["जन्म तिथि", "जन्मतिथि", "जन्म दिनांक", "जन्म"]),
    ("th", &["วันเกิด", "เกิดวันที่"]),
    (
        "ru",
        &[
            "дата рождения",
            "родился",
            "родилась",
            "рождения",
            "день рождения",
            "д.р.",
            "г.р.",
        ],
    ),
    (
        "uk",
        &[
            "дата народження",
            "народився",
            "народилася",
            "народження",
            "день народження",
        ],
    ),
    ("bg", &["дата на раждане", "роден", "родена", "рожден ден"]),
    ("sr", &["датум рођења", "рођен", "рођена"]),
    ("mk", &["датум на раѓање", "роден", "родена"]),
    ("be", &["дата нараджэння"]),
    ("bn", &["জন্ম তারিখ", "জন্মদিন"]),
    ("ur", &["تاریخ پیدائش", "پیدائش"]),
    ("ta", &["பிறந்த தேதி", "பிறந்தநாள்", "பிறந்தேன்"]),
    ("mr", &["जन्मतारीख", "जन्म तारीख", "जन्मदिनांक"]),
    ("ne", &["जन्म मिति", "जन्ममिति"]),
    ("te", &["పుట్టిన తేదీ", "పుట్టినరోజు"]),
    ("si", &["උපන් දිනය", "උපන්දිනය"]),
    ("km", &["ថ្ងៃខែឆ្នាំកំណើត", "ថ្ងៃកំណើត"]),
    ("my", &["မွေးသက္ကရာဇ်", "မွေးနေ့"]),
    ("lo", &["ວັນເດືອນປີເກີດ", "ວັນເກີດ"]),
    ("ms", &["tarikh lahir"]),
    ("sq", &["datëlindja"]),
    ("no", &["fødselsdato", "født"]),
    ("ka", &["დაბადების თარიღი", "დაიბადა", "დაბადების"]),
    ("am", &["ልደት", "የትውልድ ቀን"]),
];

/// Words that make a run of letters and digits a passport number (`passport_number`).
pub const PASSPORT: Words = &[
    (
        "en",
        &["passport", "passport no", "passport number", "passport nr"],
    ),
    (
        "de",
        &[
            "reisepass",
            "reisepassnummer",
            "passnummer",
            "pass-nr",
            "passnr",
            "ausweis",
            "ausweisnummer",
            "personalausweis",
        ],
    ),
    ("fr", &["passeport", "numéro de passeport"]),
    ("nl", &["paspoort", "paspoortnummer", "identiteitskaart"]),
    ("es", &["pasaporte", "número de pasaporte"]),
    ("it", &["passaporto", "numero di passaporto"]),
    ("pt", &["passaporte", "número do passaporte"]),
    ("pl", &["paszport", "numer paszportu", "paszportu"]),
    ("sv", &["passnummer", "pass nr"]),
    ("da", &["pas nr", "pasnummer"]),
];

/// Words that make a run of letters and digits a driving licence number (`driving_licence`).
pub const LICENCE: Words = &[
    (
        "en",
        &[
            "driver's license",
            "drivers license",
            "driver license",
            "driving licence",
            "driving license",
            "driver licence",
            "dl",
            "dl no",
            "licence number",
            "license number",
            "license no",
            "licence no",
        ],
    ),
    (
        "de",
        &["führerschein", "führerscheinnummer", "fuehrerschein"],
    ),
    ("fr", &["permis de conduire", "permis", "n° de permis"]),
    ("nl", &["rijbewijs", "rijbewijsnummer"]),
    (
        "es",
        &[
            "carnet de conducir",
            "permiso de conducir",
            "licencia de conducir",
            "carné de conducir",
        ],
    ),
    ("it", &["patente", "patente di guida"]),
    (
        "pt",
        &[
            "carta de condução",
            "carteira de motorista",
            "cnh",
            "carta de conducao",
        ],
    ),
    ("pl", &["prawo jazdy", "prawa jazdy"]),
    ("sv", &["körkort", "körkortsnummer"]),
    ("da", &["kørekort", "kørekortnummer"]),
];

/// Words that make a run of digits a bank account number (`bank_account`): account, sort,
/// routing and branch codes as each country writes them next to the number.
pub const BANK: Words = &[
    (
        "en",
        &[
            "account",
            "account no",
            "account number",
            "account nr",
            "bank account",
            "acct",
            "acct no",
            "acc no",
            "a/c",
            "a/c no",
            "routing",
            "routing number",
            "aba",
            "sort code",
            "bsb",
            "transit number",
            "branch number",
            "clabe",
            "ifsc",
            "upi",
            "upi id",
            "nuban",
        ],
    ),
    (
        "de",
        &[
            "konto",
            "kontonummer",
            "kontonr",
            "kto",
            "kto-nr",
            "bankverbindung",
            "bankkonto",
            "blz",
            "bankleitzahl",
        ],
    ),
    (
        "fr",
        &[
            "compte",
            "numéro de compte",
            "compte bancaire",
            "rib",
            "code guichet",
            "code banque",
        ],
    ),
    (
        "nl",
        &[
            "rekening",
            "rekeningnummer",
            "rekeningnr",
            "bankrekening",
            "rek nr",
        ],
    ),
    (
        "es",
        &[
            "cuenta",
            "número de cuenta",
            "nº de cuenta",
            "cuenta bancaria",
            "clabe",
            "cbu",
            "cci",
        ],
    ),
    (
        "it",
        &[
            "conto",
            "conto corrente",
            "numero di conto",
            "c/c",
            "abi",
            "cab",
        ],
    ),
    (
        "pt",
        &[
            "conta",
            "conta corrente",
            "número da conta",
            "agência",
            "nib",
            "conta bancária",
            "chave pix",
            "pix",
        ],
    ),
    (
        "pl",
        &[
            "konto",
            "numer konta",
            "nr konta",
            "rachunek",
            "numer rachunku",
            "nr rachunku",
            "nrb",
        ],
    ),
    (
        "sv",
        &[
            "kontonummer",
            "bankkonto",
            "clearingnummer",
            "bankgiro",
            "plusgiro",
        ],
    ),
    ("da", &["kontonummer", "reg nr", "regnr", "konto nr"]),
    ("no", &["kontonummer", "kontonr", "konto nr"]),
    ("fi", &["tilinumero", "tili", "pankkitili"]),
    ("cs", &["číslo účtu", "účet", "účtu", "bankovní účet"]),
    (
        "hu",
        &["számlaszám", "bankszámla", "bankszámlaszám", "számlaszámra"],
    ),
    ("ro", &["cont", "cont bancar", "numărul contului"]),
    ("tr", &["hesap", "hesap no", "hesap numarası"]),
    ("vi", &["stk", "số tài khoản", "số tk"]),
    ("ms", &["akaun", "no akaun", "nombor akaun"]),
    ("am", &["ሂሳብ ቁ.", "የባንክ ሂሳብ", "ሂሳብ"]),
];

/// Words that make a run of letters and digits a health or insurance identifier
/// (`health_id`): medical record, patient, insured-member and health card numbers.
pub const HEALTH: Words = &[
    (
        "en",
        &[
            "philhealth",
            "philhealth no",
            "nhi",
            "nhi number",
            "mrn",
            "medical record",
            "medical record number",
            "patient id",
            "patient number",
            "patient no",
            "member id",
            "member number",
            "member no",
            "subscriber id",
            "subscriber number",
            "beneficiary id",
            "insurance number",
            "insurance id",
            "policy number",
            "policy no",
            "health card",
            "health card number",
            "medicare",
            "medicare card",
            "medicare number",
            "medicaid",
            "medicaid id",
            "mbi",
            "phn",
            "ohip",
            "ihi",
            "chi number",
            "abha",
            "abha number",
            "nhif",
            "ramq",
            "nhis",
        ],
    ),
    (
        "de",
        &[
            "kv-nummer",
            "kv nummer",
            "versichertennummer",
            "krankenversichertennummer",
            "versicherungsnummer",
            "kvnr",
            "krankenkasse",
            "patientennummer",
            "patienten-id",
            "fallnummer",
            "mitgliedsnummer",
            "gesundheitskarte",
            "versichertenkarte",
        ],
    ),
    (
        "fr",
        &[
            "carte vitale",
            "numéro d'assuré",
            "numéro de dossier",
            "dossier médical",
            "numéro de patient",
            "numéro adhérent",
            "mutuelle",
            "ipp",
            "carte soleil",
            "numéro ramq",
        ],
    ),
    (
        "nl",
        &[
            "polisnummer",
            "zorgverzekering",
            "verzekerdennummer",
            "patiëntnummer",
            "patientnummer",
            "dossiernummer",
        ],
    ),
    (
        "es",
        &[
            "número de afiliación",
            "afiliación",
            "tarjeta sanitaria",
            "historia clínica",
            "número de historia",
            "nhc",
            "nss",
            "número de paciente",
            "póliza",
            "número de póliza",
        ],
    ),
    (
        "it",
        &[
            "tessera sanitaria",
            "cartella clinica",
            "numero di cartella",
            "numero paziente",
            "polizza",
        ],
    ),
    (
        "pt",
        &[
            "cartão sus",
            "cns",
            "número de utente",
            "utente",
            "carteirinha",
            "prontuário",
            "apólice",
        ],
    ),
    (
        "pl",
        &["numer ubezpieczenia", "karta pacjenta", "numer pacjenta"],
    ),
    ("sv", &["patientnummer", "försäkringsnummer"]),
    ("da", &["sygesikringskort", "patientnummer"]),
    ("hu", &["taj", "taj szám", "tajszám"]),
    ("ru", &["полис омс", "омс", "полис", "номер полиса"]),
    ("zh", &["健保卡號", "健保卡", "健保"]),
];

/// Words that name an identity, tax or social security number of a country without a detector
/// of its own (`other_national_id`); the countries with one have their words in
/// `national_id`'s tables.
pub const ID_NUMBER: Words = &[
    (
        "en",
        &[
            "nin",
            "bvn",
            "nric",
            "ic no",
            "ic number",
            "id number",
            "id no",
            "identity number",
            "identity card",
            "id card",
            "national id",
            "national id number",
            "national identity number",
            "tin",
            "tax id",
            "taxpayer id",
            "tax number",
            "tax identification number",
            "pan",
            "pan card",
            "aadhaar",
            "aadhar",
            "nric",
            "resident registration",
            "resident registration no",
            "resident registration number",
            "my number",
            "individual number",
            "personal number",
            "citizen id",
            "voter id",
            "iqama",
            "iqama no",
            "emirates id",
            "civil id",
            "qid",
            "nida",
            "nuit",
            "trn",
            "kra pin",
            "ghana card",
            "nic",
            "cnic",
            "nid",
            "epic no",
            "voter card",
            "id no.",
        ],
    ),
    (
        "de",
        &[
            "steuernummer",
            "identifikationsnummer",
            "personalausweisnummer",
        ],
    ),
    (
        "fr",
        &[
            "numéro fiscal",
            "numéro d'identification",
            "carte d'identité",
            "numéro d'identité",
            "cin",
            "cni",
            "carte nationale d'identité",
        ],
    ),
    ("nl", &["identiteitsnummer"]),
    (
        "es",
        &[
            "cuil",
            "cuit",
            "rut",
            "curp",
            "rfc",
            "cédula",
            "c.c.",
            "nit",
            "número de identificación",
            "documento de identidad",
            "cédula de ciudadanía",
            "cédula de identidad",
            "clave de elector",
            "c.i.",
            "ci",
            "run",
        ],
    ),
    ("it", &["carta d'identità", "numero di identificazione"]),
    (
        "pt",
        &[
            "cnpj",
            "rg",
            "cartão de cidadão",
            "identidade",
            "nif",
            "bi",
            "bilhete de identidade",
            "nuit",
        ],
    ),
    (
        "pl",
        &[
            "nip",
            "regon",
            "dowód osobisty",
            "dowodu osobistego",
            "numer dowodu",
            "nr dowodu",
            "dowodu",
            "dowód",
        ],
    ),
    ("hr", &["oib", "jmbg", "osobni identifikacijski broj"]),
    ("sl", &["emšo", "davčna številka"]),
    ("lt", &["asmens kodas"]),
    ("lv", &["personas kods"]),
    ("et", &["isikukood"]),
    (
        "el",
        &[
            "αμκα",
            "αφμ",
            "amka",
            "afm",
            "δελτίο ταυτότητας",
            "δελτίου ταυτότητας",
            "αριθμός ταυτότητας",
            "ταυτότητας",
        ],
    ),
    (
        "hu",
        &[
            "adóazonosító",
            "adóazonosító jel",
            "személyi szám",
            "személyi igazolvány",
            "adószám",
            "személyi ig",
            "szig",
        ],
    ),
    ("id", &["nik", "ktp", "npwp"]),
    ("fil", &["sss", "umid"]),
    ("vi", &["cccd", "cmnd", "số cccd", "căn cước", "số cmnd"]),
    ("sw", &["kitambulisho", "nambari ya kitambulisho"]),
    ("fi", &["henkilötunnus", "hetu"]),
    ("cs", &["číslo občanského průkazu", "občanský průkaz"]),
    ("ms", &["no ic", "mykad", "kad pengenalan"]),
    // Chinese, Japanese, Korean and Thai (the identifiers privgate checks have their own words:
    // these name the others, Taiwan's and Hong Kong's among them).
    (
        "zh",
        &[
            "身份证",
            "身份证号",
            "身份证号码",
            "身份證",
            "身份證號碼",
            "身分證",
            "身分證字號",
            "证件号码",
            "證件號碼",
            "香港身份證",
            "hkid",
        ],
    ),
    ("ja", &["身分証番号", "在留カード番号"]),
    ("ko", &["외국인등록번호", "신분증 번호"]),
    (
        "th",
        &[
            "เลขบัตรประชาชน",
            "บัตรประชาชน",
            "เลขประจำตัวประชาชน",
            "thai id",
        ],
    ),
    ("ru", &["инн", "снилс", "иин", "личный номер"]),
    ("kk", &["жсн"]),
    ("uk", &["іпн", "рнокпп", "ідентифікаційний код"]),
    ("bg", &["егн", "лнч"]),
    ("sr", &["јмбг", "ембг", "матичен број", "jmbg"]),
    ("hy", &["հծհ", "սոց. քարտ", "սոցիալական քարտ"]),
    ("ka", &["პირადი ნომერი"]),
    ("az", &["fin", "fin kod"]),
    ("uz", &["jshshir", "pinfl"]),
    (
        "ar",
        &[
            "رقم الهوية",
            "الهوية الوطنية",
            "رقم الإقامة",
            "الإقامة",
            "إقامة",
            "الرقم القومي",
            "الرقم الوطني",
            "الرقم المدني",
            "البطاقة المدنية",
            "الرقم الشخصي",
        ],
    ),
    ("fa", &["کد ملی", "شماره ملی", "کدملی"]),
    ("he", &["ת.ז.", "ת.ז", "ת\"ז", "תעודת זהות", "מספר זהות"]),
    ("ur", &["شناختی کارڈ"]),
    (
        "hi",
        &["आधार", "आधार संख्या", "आधार नंबर", "पैन", "पैन कार्ड", "पैन नंबर"],
    ),
    ("ta", &["ஆதார்", "ஆதார் எண்", "பான்", "பான் கார்டு"]),
    ("te", &["ఆధార్", "పాన్", "పాన్ కార్డ్"]),
    ("bn", &["এনআইডি", "জাতীয় পরিচয়পত্র"]),
    ("ne", &["नागरिकता", "नागरिकता नं", "नागरिकता नम्बर"]),
    ("si", &["ජාතික හැඳුනුම්පත"]),
    ("am", &["ፋይዳ", "መታወቂያ"]),
    ("my", &["မှတ်ပုံတင်"]),
    ("km", &["អត្តសញ្ញាណប័ណ្ណ"]),
    ("mn", &["регистрийн дугаар"]),
    ("tr", &["tc kimlik", "tc kimlik no", "kimlik no", "tckn"]),
    ("rw", &["indangamuntu"]),
    ("sq", &["numri personal", "nr. personal"]),
];

/// Words that name a vehicle's identification or registration number (`vehicle_id`).
pub const VEHICLE: Words = &[
    (
        "en",
        &[
            "plate",
            "plates",
            "rego",
            "vin",
            "vehicle identification number",
            "chassis number",
            "license plate",
            "licence plate",
            "number plate",
            "plate number",
            "registration number",
            "reg no",
            "reg. no",
            "car reg",
            "registration plate",
            // The short forms of notes: `reg LB19 KXD`, `vehicle no MH 12 KX 4821`.
            "reg",
            "vehicle reg",
            "vehicle no",
            "vehicle number",
            "vehicle registration",
            "carplate",
            "car plate",
            "plate no",
        ],
    ),
    (
        "de",
        &[
            "fahrgestellnummer",
            "fahrzeug-identifizierungsnummer",
            "kennzeichen",
            "kfz-kennzeichen",
            "amtliches kennzeichen",
            "nummernschild",
            "kfz",
            "kfz-zeichen",
            "parkausweis",
        ],
    ),
    (
        "fr",
        &[
            "numéro de série",
            "numéro de châssis",
            "plaque d'immatriculation",
            "immatriculation",
            "numéro d'immatriculation",
            "immatriculée",
            "immatriculé",
            "immat",
            "plaque",
        ],
    ),
    (
        "nl",
        &["chassisnummer", "kenteken", "kentekenplaat", "nummerplaat"],
    ),
    (
        "es",
        &[
            "número de bastidor",
            "bastidor",
            "matrícula",
            "placa",
            "número de chasis",
            "placas",
        ],
    ),
    (
        "it",
        &["numero di telaio", "telaio", "targa", "numero di targa"],
    ),
    ("pt", &["número do chassi", "chassi", "matrícula", "placa"]),
    (
        "pl",
        &[
            "nr rej",
            "numer rej",
            "numer vin",
            "tablica rejestracyjna",
            "numer rejestracyjny",
            "rejestracja",
            "nr rejestracyjny",
        ],
    ),
    (
        "sv",
        &[
            "reg.nr",
            "reg nr",
            "chassinummer",
            "registreringsnummer",
            "regnr",
        ],
    ),
    ("da", &["stelnummer", "nummerplade", "registreringsnummer"]),
    ("fi", &["rekisterinumero", "rekisterikilpi"]),
    ("tr", &["plaka"]),
    (
        "nb",
        &["registreringsnummer", "skiltnummer", "skilt", "bilskilt"],
    ),
    ("cs", &["spz", "registrační značka"]),
    ("sk", &["evč", "evc", "ečv", "ecv", "evidenčné číslo"]),
    ("hu", &["rendszám", "rendszáma"]),
    ("ro", &["înmatriculare", "număr de înmatriculare"]),
    ("id", &["plat nomor", "nopol"]),
    ("vi", &["biển số", "biển kiểm soát"]),
    (
        "ru",
        &[
            "госномер",
            "гос. номер",
            "гос номер",
            "номер автомобиля",
            "номер машины",
            "номер авто",
            "номерной знак",
            "vin-код",
        ],
    ),
    (
        "uk",
        &[
            "номерний знак",
            "номер автомобіля",
            "держномер",
            "номер авто",
        ],
    ),
    ("bg", &["регистрационен номер", "рег. номер", "рег номер"]),
    (
        "el",
        &[
            "πινακίδα",
            "πινακίδες",
            "αριθμός κυκλοφορίας",
            "αρ. κυκλοφορίας",
        ],
    ),
    (
        "ja",
        &["ナンバープレート", "ナンバー", "車両番号", "登録番号"],
    ),
    ("zh", &["车牌号", "车牌", "車牌號", "車牌"]),
    ("ko", &["차량번호", "차량 번호", "번호판", "차번호"]),
    ("th", &["ทะเบียนรถ", "ป้ายทะเบียน", "เลขทะเบียน", "ทะเบียน"]),
    ("ar", &["رقم اللوحة", "لوحة السيارة", "رقم السيارة"]),
    ("he", &["מספר רישוי", "לוחית רישוי", "מספר רכב"]),
    ("hi", &["गाड़ी नंबर", "वाहन संख्या", "वाहन नंबर"]),
];

/// Words that make an `@name` someone's handle on a network (`online_handle`).
pub const SOCIAL: Words = &[
    (
        "en",
        &[
            "instagram",
            "insta",
            "ig",
            "twitter",
            "tiktok",
            "telegram",
            "snapchat",
            "threads",
            "mastodon",
            "bluesky",
            "github",
            "linkedin",
            "skype",
            "discord",
            "youtube",
            "twitch",
            "handle",
            "username",
            "user name",
            "follow me",
            "dm me",
            "find me",
            "mention",
            "reddit",
            "line id",
            "kakao",
            "kakaotalk",
            "wechat",
            "zalo",
            "viber",
            "whatsapp",
            "signal",
            "qq",
        ],
    ),
    (
        "de",
        &["benutzername", "folgt mir", "folge mir", "schreib mir"],
    ),
    (
        "fr",
        &["nom d'utilisateur", "pseudo", "suivez-moi", "suis-moi"],
    ),
    ("nl", &["gebruikersnaam", "volg me", "volg mij"]),
    (
        "es",
        &["nombre de usuario", "usuario", "sígueme", "seguidme"],
    ),
    ("it", &["nome utente", "seguimi"]),
    (
        "pt",
        &[
            "nome de usuário",
            "nome de utilizador",
            "usuário",
            "me segue",
            "segue-me",
        ],
    ),
    ("pl", &["nazwa użytkownika", "obserwuj mnie"]),
    ("sv", &["användarnamn", "följ mig"]),
    ("da", &["brugernavn", "følg mig"]),
    ("ko", &["카톡", "카카오톡", "아이디", "라인"]),
    ("th", &["ไลน์", "ไอดีไลน์", "ไอดี"]),
    ("zh", &["微信", "微信号", "微信號", "qq号"]),
    ("ja", &["ライン", "インスタ"]),
    ("ru", &["телеграм", "ник", "никнейм", "вк"]),
    ("vi", &["zalo"]),
    ("ar", &["سناب", "انستا", "تلغرام"]),
];

/// Words that make a pair of decimal numbers a position on the earth (`geo_coordinates`).
pub const LOCATION: Words = &[
    (
        "en",
        &[
            "location",
            "located",
            "coordinates",
            "coords",
            "gps",
            "geo",
            "geolocation",
            "latitude",
            "longitude",
            "lat",
            "lng",
            "lon",
            "latlng",
            "lat/lng",
            "lat/lon",
            "position",
            "dropped pin",
            "pinned at",
            "where",
        ],
    ),
    (
        "de",
        &[
            "standort",
            "koordinaten",
            "position",
            "breitengrad",
            "längengrad",
            "gps-position",
        ],
    ),
    (
        "fr",
        &[
            "localisation",
            "coordonnées",
            "position",
            "emplacement",
            "géolocalisation",
        ],
    ),
    ("nl", &["locatie", "coördinaten", "positie", "ligging"]),
    (
        "es",
        &[
            "ubicación",
            "coordenadas",
            "posición",
            "localización",
            "geolocalización",
        ],
    ),
    (
        "it",
        &[
            "posizione",
            "coordinate",
            "località",
            "ubicazione",
            "geolocalizzazione",
        ],
    ),
    (
        "pt",
        &["localização", "coordenadas", "posição", "geolocalização"],
    ),
    ("pl", &["współrzędne", "lokalizacja", "pozycja gps"]),
    ("cs", &["souřadnice", "poloha"]),
    ("sv", &["koordinater", "position"]),
    ("da", &["koordinater"]),
    ("fi", &["koordinaatit", "sijainti"]),
    ("hu", &["koordináták", "helyzet"]),
    ("ro", &["coordonate", "locație"]),
    ("tr", &["koordinatlar", "konum"]),
    ("id", &["koordinat", "lokasi"]),
    ("vi", &["vị trí", "tọa độ", "định vị"]),
    (
        "ru",
        &[
            "координаты",
            "местоположение",
            "геолокация",
            "геопозиция",
            "локация",
        ],
    ),
    ("uk", &["координати", "місцезнаходження", "геолокація"]),
    ("el", &["συντεταγμένες", "τοποθεσία"]),
    ("he", &["מיקום", "קואורדינטות"]),
    ("ar", &["موقعي", "الموقع", "موقع", "الإحداثيات", "إحداثيات"]),
    ("fa", &["موقعیت", "مختصات", "لوکیشن"]),
    ("hi", &["स्थान", "लोकेशन", "निर्देशांक"]),
    ("th", &["พิกัด", "ตำแหน่ง", "โลเคชั่น"]),
    ("zh", &["定位", "坐标", "座標", "位置"]),
    ("ja", &["位置情報", "現在地", "座標"]),
    ("ko", &["위치", "좌표"]),
    ("sw", &["mahali"]),
];

/// Words that tie a date to a person's care or life events (HIPAA Safe Harbor identifier C:
/// admission, discharge, death, visits and appointments).
pub const CARE: Words = &[
    (
        "en",
        &[
            "admitted",
            "admission",
            "admit",
            "discharged",
            "discharge",
            "died",
            "death",
            "deceased",
            "passed away",
            "visit",
            "visited",
            "appointment",
            "seen on",
            "surgery",
            "procedure",
            "hospitalized",
            "hospitalised",
            "date of service",
            "dos",
            "treated",
            "diagnosed",
        ],
    ),
    (
        "de",
        &[
            "aufgenommen",
            "aufnahme",
            "eingeliefert",
            "entlassen",
            "entlassung",
            "verstorben",
            "gestorben",
            "todestag",
            "sterbedatum",
            "termin",
            "besuch",
            "behandlung",
            "behandelt",
            "operiert",
            "diagnostiziert",
        ],
    ),
    (
        "fr",
        &[
            "admis",
            "admise",
            "admission",
            "hospitalisé",
            "hospitalisée",
            "sortie",
            "sorti",
            "décédé",
            "décédée",
            "décès",
            "rendez-vous",
            "rdv",
            "visite",
            "consultation",
            "opéré",
            "opérée",
            "diagnostiqué",
        ],
    ),
    (
        "nl",
        &[
            "opgenomen",
            "opname",
            "ontslagen",
            "ontslag",
            "overleden",
            "overlijden",
            "afspraak",
            "bezoek",
            "consult",
            "behandeling",
            "behandeld",
            "geopereerd",
        ],
    ),
    (
        "es",
        &[
            "ingreso",
            "ingresó",
            "ingresado",
            "ingresada",
            "alta",
            "dado de alta",
            "falleció",
            "fallecido",
            "fallecida",
            "fallecimiento",
            "defunción",
            "cita",
            "visita",
            "consulta",
            "operado",
            "operada",
            "diagnosticado",
        ],
    ),
    (
        "it",
        &[
            "ricoverato",
            "ricoverata",
            "ricovero",
            "dimesso",
            "dimessa",
            "dimissione",
            "deceduto",
            "deceduta",
            "decesso",
            "morto",
            "morta",
            "appuntamento",
            "visita",
            "operato",
            "operata",
        ],
    ),
    (
        "pt",
        &[
            "internado",
            "internada",
            "internação",
            "internamento",
            "admissão",
            "alta",
            "faleceu",
            "falecido",
            "falecida",
            "óbito",
            "consulta",
            "visita",
            "operado",
            "operada",
        ],
    ),
];

/// Words that, right before a weak candidate, say it is something else: a business number or a
/// date of an order rather than of a person ("SSN pending, order 123456789"). They outweigh a
/// context word further away.
pub const COUNTER: Words = &[
    (
        "en",
        &[
            "order",
            "invoice",
            "ticket",
            "tracking",
            "ref",
            "reference",
            "booking",
            "account",
            "id",
            "item",
            "product",
            "serial",
            "version",
            "build",
            "batch",
            "lot",
            "shipped",
            "ordered",
            "since",
            "updated",
            "created",
            "expires",
            "valid",
            "until",
            "delivered",
            "due",
            "sent",
            "purchased",
            "paid",
            "views",
            "count",
            "total",
            "qty",
            "quantity",
            "sku",
            "upc",
            "ean",
            "isbn",
            "gtin",
            "transaction",
            "txn",
            "receipt",
            "user",
            "userid",
            "session",
            "identity",
            "visitor",
            "device",
            "event",
            "timestamp",
            "ts",
        ],
    ),
    (
        "de",
        &[
            "bestellung",
            "bestellnummer",
            "rechnung",
            "rechnungsnummer",
            "auftrag",
            "sendung",
            "kundennummer",
            "artikel",
            "versandt",
            "geliefert",
            "seit",
            "bis",
            "bezahlt",
        ],
    ),
    (
        "fr",
        &[
            "commande",
            "facture",
            "colis",
            "référence",
            "réf",
            "article",
            "expédié",
            "livré",
            "depuis",
            "jusqu'au",
            "payé",
        ],
    ),
    (
        "nl",
        &[
            "bestelling",
            "bestelnummer",
            "factuur",
            "ordernummer",
            "pakket",
            "artikel",
            "verzonden",
            "geleverd",
            "sinds",
            "tot",
            "betaald",
        ],
    ),
    (
        "es",
        &[
            "pedido",
            "factura",
            "referencia",
            "envío",
            "artículo",
            "enviado",
            "entregado",
            "desde",
            "hasta",
            "pagado",
        ],
    ),
    (
        "it",
        &[
            "ordine",
            "fattura",
            "riferimento",
            "spedizione",
            "articolo",
            "spedito",
            "consegnato",
            "dal",
            "fino",
            "pagato",
        ],
    ),
    (
        "pt",
        &[
            "encomenda",
            "pedido",
            "fatura",
            "referência",
            "envio",
            "artigo",
            "enviado",
            "entregue",
            "desde",
            "até",
            "pago",
        ],
    ),
];

/// How many words right before a candidate are checked for a [`COUNTER`] word.
const COUNTER_WORDS: usize = 2;

/// A [`COUNTER`] word among the last two words before byte `at` (punctuation, `#`, `no`, `nr`,
/// `number` and `:` are skipped): the candidate names an order, an invoice, a shipment.
pub fn countered(text: &str, at: usize) -> bool {
    countered_ignoring(text, at, &[])
}

/// [`countered`], with `ignore` read as fillers: a word that names the candidate itself
/// (`account`, `id`) does not counter it, while `order id 123456` still is countered.
pub fn countered_ignoring(text: &str, at: usize, ignore: &[&str]) -> bool {
    const FILLERS: &[&str] = &[
        "no", "nr", "number", "num", "nummer", "numero", "n", "is", "on", "am", "le", "op", "el",
        "il",
    ];
    let (window, _) = window_before(text, at);
    let chars = window.as_slice();
    let mut seen = 0;
    let mut end = chars.len();
    while seen < COUNTER_WORDS && end > 0 {
        // The previous word: a run of letters (and apostrophes).
        while end > 0 && !chars[end - 1].is_alphabetic() {
            end -= 1;
        }
        let mut begin = end;
        while begin > 0 && (chars[begin - 1].is_alphabetic() || chars[begin - 1] == '\'') {
            begin -= 1;
        }
        if begin == end {
            break;
        }
        let word = &chars[begin..end];
        let is = |w: &str| w.chars().eq(word.iter().copied());
        if ignore.iter().any(|w| is(w)) {
            end = begin;
            continue;
        }
        if all(COUNTER).any(&is) {
            return true;
        }
        if !FILLERS.iter().any(|w| is(w)) {
            seen += 1;
        }
        end = begin;
    }
    false
}

/// Longest folded text a window or key may have (longer keys are cut; windows are shorter).
const MAX_FOLDED: usize = 96;

/// Case- and accent-folded characters in a fixed buffer, with white space runs collapsed.
struct Fold {
    chars: [char; MAX_FOLDED],
    len: usize,
}

impl Fold {
    /// Folds `text`; `separators` also become spaces (`_`, `-`, `.` in keys).
    fn of(text: &str, separators: &[char]) -> Fold {
        let mut f = Fold {
            chars: ['\0'; MAX_FOLDED],
            len: 0,
        };
        let mut prev_lower = false;
        for c in text.chars() {
            let space = c.is_whitespace() || separators.contains(&c);
            // camelCase in keys: a capital after a lower-case letter starts a word.
            let camel = !separators.is_empty() && c.is_uppercase() && prev_lower;
            prev_lower = c.is_lowercase();
            if camel {
                f.push(' ');
            }
            if space {
                f.push(' ');
                continue;
            }
            // Thai and Lao SARA AM are one character that NFKC (the scanners' fold of a text
            // with compatibility characters or other digits) splits in two: fold both ways to
            // the split form, so that `เลขประจำตัวประชาชน ๑ …` still has its word.
            match c {
                '\u{0E33}' => {
                    f.push('\u{0E4D}');
                    f.push('\u{0E32}');
                }
                '\u{0EB3}' => {
                    f.push('\u{0ECD}');
                    f.push('\u{0EB2}');
                }
                _ => {
                    for l in c.to_lowercase() {
                        f.push(base(l));
                    }
                }
            }
        }
        f
    }

    fn push(&mut self, c: char) {
        if c == ' ' && (self.len == 0 || self.chars[self.len - 1] == ' ') {
            return;
        }
        if self.len < MAX_FOLDED {
            self.chars[self.len] = c;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[char] {
        &self.chars[..self.len]
    }
}

/// `c` without its accents: the first character of its canonical decomposition.
fn base(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    first.unwrap_or(c)
}

/// True when `word` (folded here) occurs in `hay` as a whole word: no letter or digit on
/// either side. `open_start`: the first character of `hay` may continue a word cut off before.
fn contains_word(hay: &[char], word: &str, open_start: bool, open_end: bool) -> bool {
    folded_word_in(hay, Fold::of(word, &[]).as_slice(), open_start, open_end)
}

/// [`contains_word`] with the word folded already.
fn folded_word_in(hay: &[char], w: &[char], open_start: bool, open_end: bool) -> bool {
    if w.is_empty() || w.len() > hay.len() {
        return false;
    }
    // Chinese, Japanese, Korean, Thai, Lao, Khmer and Burmese write words without spaces: a
    // word of theirs needs no boundary on its side (`手机号码：` holds `手机号`,
    // `แอดไลน์มาได้ค่ะ` holds `ไลน์`).
    let cjk_start = is_unspaced(w[0]);
    let cjk_end = is_unspaced(w[w.len() - 1]);
    (0..=hay.len() - w.len()).any(|i| {
        hay[i..i + w.len()] == *w
            && (cjk_start
                || if i == 0 {
                    !open_start
                } else {
                    !hay[i - 1].is_alphanumeric()
                })
            && (cjk_end
                || hay
                    .get(i + w.len())
                    .map_or(!open_end, |c| !c.is_alphanumeric()))
    })
}

/// What a list of context words names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// [`PHONE`].
    Phone,
    /// [`SSN`].
    Ssn,
    /// [`CARD`].
    Card,
    /// [`BIRTH`].
    Birth,
    /// [`CARE`].
    Care,
    /// [`LOCATION`].
    Location,
    /// [`PASSPORT`].
    Passport,
    /// [`LICENCE`].
    Licence,
    /// [`VEHICLE`].
    Vehicle,
    /// [`SOCIAL`].
    Social,
    /// [`BANK`].
    Bank,
    /// [`HEALTH`].
    Health,
    /// [`ID_NUMBER`].
    IdNumber,
}

impl Topic {
    const ALL: [Topic; 13] = [
        Topic::Phone,
        Topic::Ssn,
        Topic::Card,
        Topic::Birth,
        Topic::Care,
        Topic::Location,
        Topic::Passport,
        Topic::Licence,
        Topic::Vehicle,
        Topic::Social,
        Topic::Bank,
        Topic::Health,
        Topic::IdNumber,
    ];

    /// The topic's words, per language.
    pub fn words(self) -> Words {
        match self {
            Topic::Phone => PHONE,
            Topic::Ssn => SSN,
            Topic::Card => CARD,
            Topic::Birth => BIRTH,
            Topic::Care => CARE,
            Topic::Location => LOCATION,
            Topic::Passport => PASSPORT,
            Topic::Licence => LICENCE,
            Topic::Vehicle => VEHICLE,
            Topic::Social => SOCIAL,
            Topic::Bank => BANK,
            Topic::Health => HEALTH,
            Topic::IdNumber => ID_NUMBER,
        }
    }

    /// The words folded once (case, accents, white space), for matching without re-folding.
    fn folded(self) -> &'static [Fold] {
        static FOLDED: std::sync::LazyLock<Vec<Vec<Fold>>> = std::sync::LazyLock::new(|| {
            Topic::ALL
                .iter()
                .map(|t| all(t.words()).map(|w| Fold::of(w, &[])).collect())
                .collect()
        });
        &FOLDED[self as usize]
    }
}

/// A cheap look for the words of some topics before candidates are looked for at all: each
/// word or phrase as written, capitalised, in capitals and without accents, found by one
/// automaton. In text a match must be a whole word; in keys a phrase may stand with `_`, `-` or
/// nothing between its words (`customerPhone`, `sort_code`, `kontonummer_alt`). It may pass where
/// no context word stands (the words of [`before`] are then checked for each candidate); it
/// never fails where one does in those casings with single spaces (a test checks every word).
pub struct Gate {
    words: aho_corasick::AhoCorasick,
    /// For each pattern, the bit of its topic (the topic's place in the list given to `new`).
    topic_bit: Vec<u32>,
    /// Every topic's bit: a search stops once it has found them all.
    all: u32,
}

impl Gate {
    /// The gate for the words of `topics` (at most 32).
    pub fn new(topics: &[Topic]) -> Gate {
        let mut patterns: Vec<String> = Vec::new();
        let mut topic_bit = Vec::new();
        for (i, &topic) in topics.iter().enumerate() {
            let bit = 1u32 << i;
            for w in all(topic.words()) {
                let title = title_case(w);
                let folded: String = Fold::of(w, &[]).as_slice().iter().collect();
                let mut forms = vec![w.to_owned(), title, w.to_uppercase(), folded.clone()];
                if w.contains(' ') {
                    // Key forms: `sort_code`, `sort-code`, `sortcode` (camelCase is covered
                    // by the case-insensitive match of the last).
                    for joiner in ["_", "-", ""] {
                        forms.push(folded.replace(' ', joiner));
                    }
                }
                for form in forms {
                    // The automaton ignores ASCII case, so a form that differs only there is
                    // one pattern (each pattern costs the DFA about 4 KB).
                    match patterns.iter().position(|p| p.eq_ignore_ascii_case(&form)) {
                        Some(j) => topic_bit[j] |= bit,
                        None => {
                            patterns.push(form);
                            topic_bit.push(bit);
                        }
                    }
                }
            }
        }
        // Overlapping matches (see `text`): a word is not hidden by another ending inside it
        // (`tin` in `routing`).
        let words = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            // A contiguous NFA: 0.4 MB where the DFA took 8.3 MB of the 64 MiB budget, for
            // about 600 more instructions per scanned value with digits (docs/performance.md).
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .expect("the context words make an automaton");
        let all = topic_bit.iter().fold(0, |a, b| a | b);
        Gate {
            words,
            topic_bit,
            all,
        }
    }

    /// The heap bytes of the automaton (every process holds one).
    pub fn memory_usage(&self) -> usize {
        self.words.memory_usage() + self.topic_bit.len() * 4
    }

    /// The topics (bits in the order given to `new`) with a word in `text`, as a whole word.
    pub fn text(&self, text: &str) -> u32 {
        // A letter or digit; a Chinese, Japanese or Korean word needs no boundary on its CJK
        // side (`手机：`, `电话号码`).
        let wordy = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_unspaced(c));
        let all = self.all;
        let mut found = 0;
        for m in self.words.find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            let open_start =
                wordy(text[..s].chars().next_back()) && wordy(text[s..].chars().next());
            let open_end = wordy(text[e..].chars().next()) && wordy(text[..e].chars().next_back());
            if !open_start && !open_end {
                found |= self.topic_bit[m.pattern().as_usize()];
                if found == all {
                    break;
                }
            }
        }
        found
    }

    /// The topics with a word anywhere in `key`.
    pub fn key(&self, key: &str) -> u32 {
        let all = self.all;
        let mut found = 0;
        for m in self.words.find_overlapping_iter(key) {
            found |= self.topic_bit[m.pattern().as_usize()];
            if found == all {
                break;
            }
        }
        found
    }
}

/// `w` with its first letter in capitals (`Kontonummer`, `Číslo účtu`).
pub fn title_case(w: &str) -> String {
    let mut chars = w.chars();
    chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .chain(chars)
        .collect()
}

/// A context word of `topic` within [`WINDOW`] characters before byte `at` of `text`.
pub fn before(text: &str, at: usize, topic: Topic) -> bool {
    let (window, open_start) = window_before(text, at);
    topic
        .folded()
        .iter()
        .any(|w| folded_word_in(window.as_slice(), w.as_slice(), open_start, false))
}

/// A context word of `topic` within [`WINDOW_AFTER`] characters after byte `at` of `text`.
pub fn after(text: &str, at: usize, topic: Topic) -> bool {
    let tail = &text[at..];
    let end = tail
        .char_indices()
        .nth(WINDOW_AFTER)
        .map_or(tail.len(), |(i, _)| i);
    let open_end = tail[end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    let window = Fold::of(&tail[..end], &[]);
    topic
        .folded()
        .iter()
        .any(|w| folded_word_in(window.as_slice(), w.as_slice(), false, open_end))
}

/// A context word of `topic` among the words of `key` (`customer_phone`, `ssnNote`).
pub fn in_key(key: &str, topic: Topic) -> bool {
    let folded = Fold::of(key, KEY_SEPARATORS);
    topic
        .folded()
        .iter()
        .any(|w| folded_word_in(folded.as_slice(), w.as_slice(), false, false))
}

/// A word of care (admission, discharge, death, visit…) in `key`, as one of its words
/// (`fecha_de_ingreso`, `date_of_visit`) or glued into a compound when the word has six
/// letters or more (`aufnahmedatum`, `Entlassungsdatum`, `opnamedatum`): a date under such a
/// key is tied to a person's care.
pub fn care_in_key(key: &str) -> bool {
    let folded = Fold::of(key, KEY_SEPARATORS);
    let hay = folded.as_slice();
    Topic::Care.folded().iter().any(|w| {
        let w = w.as_slice();
        folded_word_in(hay, w, false, false)
            || (w.len() >= 6 && !w.contains(&' ') && hay.windows(w.len()).any(|window| window == w))
    })
}

/// Characters that separate the words of a key.
const KEY_SEPARATORS: &[char] = &['_', '-', '.', ':', '/'];

/// A custom detector's own context words (`context:` in its definition) before the candidate.
pub fn custom_before(text: &str, at: usize, words: &[Box<str>]) -> bool {
    before_any(text, at, words.iter().map(|w| &**w))
}

/// A custom detector's own context words among the words of `key`.
pub fn custom_in_key(key: &str, words: &[Box<str>]) -> bool {
    in_key_any(key, words.iter().map(|w| &**w))
}

fn all(words: Words) -> impl Iterator<Item = &'static str> {
    words.iter().flat_map(|(_, list)| list.iter().copied())
}

fn before_any<'w>(text: &str, at: usize, mut words: impl Iterator<Item = &'w str>) -> bool {
    let (window, open_start) = window_before(text, at);
    words.any(|w| contains_word(window.as_slice(), w, open_start, false))
}

/// The folded [`WINDOW`] before `at`, and whether it starts inside a word.
fn window_before(text: &str, at: usize) -> (Fold, bool) {
    let head = &text[..at];
    let start = head
        .char_indices()
        .rev()
        .nth(WINDOW - 1)
        .map_or(0, |(i, _)| i);
    // A window that starts inside a word must not match the word's tail ("microphone").
    let open_start = head[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    (Fold::of(&head[start..], &[]), open_start)
}

fn in_key_any<'w>(key: &str, mut words: impl Iterator<Item = &'w str>) -> bool {
    let folded = Fold::of(key, KEY_SEPARATORS);
    words.any(|w| contains_word(folded.as_slice(), w, false, false))
}

/// Why a custom detector's context word cannot be used, if it cannot.
pub fn word_problem(word: &str) -> Option<&'static str> {
    word_shape_problem(
        word,
        32,
        "it is longer than 32 characters (the window before a candidate is 40)",
    )
}

/// Why `word` cannot be matched as a word of at most `max` characters (`too_long` says so): it
/// is empty, too long, has no letter or digit, or white space at an end. Shared by context
/// words and detectors' word lists.
pub(crate) fn word_shape_problem(
    word: &str,
    max: usize,
    too_long: &'static str,
) -> Option<&'static str> {
    if word.trim().is_empty() {
        Some("it is empty")
    } else if word.chars().count() > max {
        Some(too_long)
    } else if !word.chars().any(char::is_alphanumeric) {
        Some("it has no letter or digit, so it cannot be matched as a word")
    } else if word.trim() != word {
        Some("it starts or ends with white space")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn care_words_in_keys_and_their_compounds() {
        for k in [
            "aufnahmedatum",
            "Entlassungsdatum",
            "fecha_de_ingreso",
            "data_ricovero",
            "opnamedatum",
            "date_of_visit",
            "appointmentDate",
            "date_de_deces",
        ] {
            assert!(care_in_key(k), "{k}");
        }
        for k in [
            "invoice_date",
            "created_at",
            "signup_date",
            "release_date",
            "visitor",
        ] {
            assert!(!care_in_key(k), "{k}");
        }
    }

    #[test]
    fn chinese_japanese_and_korean_words_need_no_space_on_their_cjk_side() {
        assert!(before("手机号码：", "手机号码：".len(), Topic::Phone));
        assert!(before(
            "联系电话13912345678",
            "联系电话".len(),
            Topic::Phone
        ));
        assert!(before("생년월일: ", "생년월일: ".len(), Topic::Birth));
        assert!(after(
            "1985年3月12日生まれ",
            "1985年3月12日".len(),
            Topic::Birth
        ));
        assert!(after(
            "1995년 2월 21일에 태어났어요",
            "1995년 2월 21일".len(),
            Topic::Birth
        ));
        // Birth words of scripts without capitals or spaces between words.
        for word in ["जन्मतारीख ", "ថ្ងៃខែឆ្នាំកំណើត ", "జన్మ ", "పుట్టిన తేదీ: "]
        {
            assert_eq!(
                before(word, word.len(), Topic::Birth),
                word != "జన్మ ",
                "{word}"
            );
        }
        assert!(!before("订单日期：", "订单日期：".len(), Topic::Birth));
        // A Latin word still needs its boundary: `microphone` is no `phone`.
        assert!(!before("microphone ", "microphone ".len(), Topic::Phone));
    }

    #[test]
    fn words_match_whole_case_and_accent_insensitively() {
        assert!(before("Teléfono: ", 10, Topic::Phone));
        assert!(before("TELEFONO ", 9, Topic::Phone));
        assert!(before("bel me op ", 10, Topic::Phone));
        assert!(before("Date of   Birth: ", 17, Topic::Birth));
        assert!(before("geboren am ", 11, Topic::Birth));
        assert!(before("née le ", "née le ".len(), Topic::Birth));
        // Not a whole word.
        assert!(!before("microphone ", 11, Topic::Phone));
        assert!(!before_any("telephoned", 10, ["telephone"].into_iter()));
        // A window cut inside a word does not match the word's tail.
        let long = format!("{}microphone ", "x".repeat(40));
        assert!(!before_any(&long, long.len(), ["phone"].into_iter()));
        // Outside the window.
        let far = format!("SSN {} ", "filler ".repeat(8));
        assert!(!before(&far, far.len(), Topic::Ssn));
        assert!(after(" geboren, in Köln", 0, Topic::Birth));
        assert!(after(" tel.", 0, Topic::Phone));
        assert!(!after(" telepathy", 0, Topic::Phone));
        let long_tail = format!(" {}phone", "x".repeat(30));
        assert!(!after(&long_tail, 0, Topic::Phone));
    }

    #[test]
    fn counter_words_right_before_a_candidate_win() {
        assert!(countered("SSN pending, order ", 19));
        assert!(countered("Bestellnummer: ", 15));
        assert!(countered("shipped on ", 11));
        assert!(!countered("SSN ", 4));
        assert!(!countered("order placed, call me at ", 25));
    }

    #[test]
    fn keys_split_into_words() {
        assert!(in_key("customer_phone", Topic::Phone));
        assert!(in_key("customerPhone", Topic::Phone));
        assert!(in_key("Telefoon-Nummer", Topic::Phone));
        assert!(!in_key("headphones", Topic::Phone));
        assert!(in_key("kreditkarte", Topic::Card));
        assert!(custom_in_key("patient.mrn", &[Box::from("MRN")]));
    }

    #[test]
    fn custom_words_are_checked() {
        assert!(word_problem("mrn").is_none());
        assert!(word_problem("Aktenzeichen Nr").is_none());
        assert!(word_problem("").is_some());
        assert!(word_problem("--").is_some());
        assert!(word_problem(" mrn").is_some());
        assert!(word_problem(&"a".repeat(33)).is_some());
    }
}
