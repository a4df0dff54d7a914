//! The key lexicon: which property keys name personal data, in ten languages.
//!
//! [`classify`] maps a key such as `customer_lastName`, `GebDatum`, `fødselsdato_2` or
//! `billing-street-address` to a [`KeyClass`] (`person_name`, `birth_date`, ...), or to nothing.
//! Rules select by class with the selector segment `key_class:<name>` (see
//! [`crate::policy::select`]).
//!
//! A key is normalised first: split at `_ - . space` and other punctuation, at camelCase and
//! PascalCase boundaries and between letters and digits; lowercased; diacritics folded (é→e,
//! ß→ss, ø→o, å→a, ł→l, ...); digit-only tokens (`_1`, `_2`) and connector words (`of`, `de`,
//! `di`, `van`, ...) dropped. The tokens are then looked up as phrases: every contiguous run of
//! tokens, joined without separators, is looked up in one hash map built once, so `date_of_birth`,
//! `DateOfBirth` and `dateofbirth` are the same entry. A run of letters inside one token may also
//! end in a *compound head* (`adresse`, `nachname`, `efternamn`, ...), so `Wohnadresse` and
//! `kundennachname` are found without listing every compound.
//!
//! The longest matching run is the key's *head*. The key is not personal data when
//! - the head is a counter-lexicon entry (`username`, `ip address`, `street view`, ...);
//! - a token outside the head is a non-person modifier (`product`, `company`, `event`, `file`,
//!   `app`, `plan`, `campaign`, `page`, `host`, `device`, `model`, `browser`, `template`, ...);
//! - a token outside the head is a flag or count (`enabled`, `count`, `verified`, `opt`, `is`,
//!   `has`, `status`, `type`, `format`, `length`, ...);
//! - the head is a short, ambiguous word (`cap`, `via`, `nom`, `mobile`, `genre`, `gsm`, ...)
//!   and the key holds more than that word and harmless affixes (`customer`, `billing`, `home`,
//!   ...).
//!
//! Deliberately not matched: bare `id`, `user_id`, `username` (identifiers, not names), `city`,
//! `country`, `region` (coarse location that Heap itself records), `title`, `company` keys.
//!
//! A lookup costs one pass over the key plus at most a few dozen hash probes on slices of one
//! buffer; there is no regex and no allocation beyond that buffer.

/// Hash maps here use foldhash with a per-process random seed: several times faster than
/// SipHash on short keys, and still keyed, since the memo's keys are chosen by clients.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use crate::policy::memo::{self, Question};
use std::sync::OnceLock;

/// A class of personal-data keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyClass {
    /// Names of a person: full, first, last, middle, maiden names.
    PersonName,
    /// Postal addresses and their parts: street, house number, postcode.
    PostalAddress,
    /// Birth dates, birthdays, years of birth.
    BirthDate,
    /// Telephone, mobile and fax numbers.
    Phone,
    /// E-mail addresses.
    Email,
    /// National identifiers: SSN, NINO, BSN, NIR, DNI, PESEL, personnummer, tax ids...
    NationalId,
    /// Passport numbers.
    Passport,
    /// Driving licences.
    DrivingLicence,
    /// Gender or sex.
    Gender,
    /// Bank accounts: account numbers, sort codes, routing and bank codes.
    BankAccount,
}

impl KeyClass {
    /// Every class, in the order of [`KeyClass::name`].
    pub const ALL: [KeyClass; 10] = [
        KeyClass::PersonName,
        KeyClass::PostalAddress,
        KeyClass::BirthDate,
        KeyClass::Phone,
        KeyClass::Email,
        KeyClass::NationalId,
        KeyClass::Passport,
        KeyClass::DrivingLicence,
        KeyClass::Gender,
        KeyClass::BankAccount,
    ];

    /// The name used in policies (`key_class:person_name`).
    pub fn name(self) -> &'static str {
        match self {
            KeyClass::PersonName => "person_name",
            KeyClass::PostalAddress => "postal_address",
            KeyClass::BirthDate => "birth_date",
            KeyClass::Phone => "phone",
            KeyClass::Email => "email",
            KeyClass::NationalId => "national_id",
            KeyClass::Passport => "passport",
            KeyClass::DrivingLicence => "driving_licence",
            KeyClass::Gender => "gender",
            KeyClass::BankAccount => "bank_account",
        }
    }

    /// The class with this policy name.
    pub fn parse(name: &str) -> Option<KeyClass> {
        KeyClass::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl std::fmt::Display for KeyClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The languages the lexicon covers (ISO 639-1).
pub const LANGUAGES: [&str; 10] = ["en", "de", "fr", "nl", "es", "it", "pt", "pl", "sv", "da"];

/// Phrases per class, all languages together, written as words separated by spaces (diacritics
/// allowed: entries are normalised like keys). A leading `=` marks a short or ambiguous word
/// that counts only when it is (with harmless affixes) the whole key.
const PERSON_NAME: &[&str] = &[
    // Hebrew keys written in Latin letters
    "shem prati",
    "shem mishpacha",
    "shem male",
    // en
    "name",
    "full name",
    "first name",
    "last name",
    "surname",
    "given name",
    "family name",
    "middle name",
    "forename",
    "maiden name",
    "fname",
    "lname",
    "mname",
    "firstname",
    "lastname",
    "fullname",
    "givenname",
    "familyname",
    "display name",
    "nickname",
    "real name",
    "legal name",
    "sur name",
    "middle initial",
    "birth name",
    // de
    "vorname",
    "nachname",
    "familienname",
    "rufname",
    "geburtsname",
    "mädchenname",
    "vollständiger name",
    "zuname",
    "vollname",
    "vor und nachname",
    "vorname nachname",
    // fr
    "=nom",
    "prénom",
    "nom de famille",
    "nom complet",
    "nom de jeune fille",
    "patronyme",
    "nom prenom",
    "prenom nom",
    "nom d'usage",
    "nom naissance",
    // nl
    "naam",
    "voornaam",
    "achternaam",
    "familienaam",
    "roepnaam",
    "tussenvoegsel",
    "volledige naam",
    "meisjesnaam",
    "voorletters",
    "geboortenaam",
    // es
    "nombre",
    "apellido",
    "apellidos",
    "primer apellido",
    "segundo apellido",
    "nombre completo",
    "nombre de pila",
    "nombre y apellidos",
    "nombres",
    // it
    "nome",
    "cognome",
    "nome completo",
    "nome e cognome",
    "nome cognome",
    "cognome nome",
    "nominativo",
    "secondo nome",
    // pt
    "sobrenome",
    "apelido",
    "primeiro nome",
    "último nome",
    "nome próprio",
    "nome de família",
    "nome do meio",
    // pl
    "imię",
    "nazwisko",
    "imię i nazwisko",
    "imiona",
    "nazwisko rodowe",
    "drugie imię",
    "pełne imię",
    // sv
    "namn",
    "förnamn",
    "efternamn",
    "fullständigt namn",
    "tilltalsnamn",
    "mellannamn",
    "för och efternamn",
    // da
    "navn",
    "fornavn",
    "efternavn",
    "mellemnavn",
    "fulde navn",
    "fuldt navn",
    "kaldenavn",
    // A person in a role: the value is that person's name (`contact_person: "Sarah"`,
    // `Ansprechpartner: "müller"`).
    "contact person",
    "emergency contact",
    "next of kin",
    "point of contact",
    "legal guardian",
    "cardholder",
    "card holder",
    "cardholder name",
    "account holder",
    "ansprechpartner",
    "ansprechpartnerin",
    "ansprechperson",
    "kontaktperson",
    "notfallkontakt",
    "karteninhaber",
    "kontoinhaber",
    "personne de contact",
    "personne à contacter",
    "interlocuteur",
    "contact d'urgence",
    "titulaire de la carte",
    "contactpersoon",
    "noodcontact",
    "kaarthouder",
    "rekeninghouder",
    "persona de contacto",
    "contacto de emergencia",
    "titular de la tarjeta",
    "titular de la cuenta",
    "=referente",
    "persona di riferimento",
    "contatto di emergenza",
    "intestatario",
    "titolare della carta",
    "pessoa de contato",
    "pessoa de contacto",
    "contato de emergência",
    "titular do cartão",
    "osoba kontaktowa",
    "kontakt awaryjny",
    "posiadacz karty",
    "anhörig",
    "kortinnehavare",
    "pårørende",
    "kortholder",
    // Other scripts and more languages, as apps in them name the field (the bare word for
    // "name" is listed with the generic name words too).
    "имя",
    "фамилия",
    "отчество",
    "фио",
    "имя клиента",
    "полное имя",
    "имя получателя",
    "прізвище",
    "по батькові",
    "презиме",
    "ονοματεπώνυμο",
    "όνομα",
    "επώνυμο",
    "שם",
    "שם מלא",
    "שם פרטי",
    "שם משפחה",
    "اسم",
    "الاسم",
    "الاسم الكامل",
    "اسم العميل",
    "اسم المستلم",
    "اسم العائلة",
    "نام",
    "نام خانوادگی",
    "نام کامل",
    "नाम",
    "पूरा नाम",
    "নাম",
    "পুরো নাম",
    "ชื่อ",
    "นามสกุล",
    "ชื่อผู้รับ",
    "ชื่อเต็ม",
    "họ tên",
    "họ và tên",
    "tên người nhận",
    "nama lengkap",
    "nama penerima",
    "ad soyad",
    "adı soyadı",
    "soyad",
    "soyadı",
    "vezetéknév",
    "keresztnév",
    "teljes név",
    "příjmení",
    "celé jméno",
    "priezvisko",
    "prenume",
    "nume complet",
    "etunimi",
    "sukunimi",
    "koko nimi",
    "eftirnafn",
    "pavardė",
    "uzvārds",
    "eesnimi",
    "perekonnanimi",
    "姓名",
    "名字",
    "收件人",
    "收货人",
    "收貨人",
    "联系人",
    "聯絡人",
    "收件者",
    "持卡人",
    "氏名",
    "お名前",
    "名前",
    "フリガナ",
    "ふりがな",
    "受取人",
    "성명",
    "이름",
    "수령인",
    "받는 분",
    "받는사람",
    "예금주",
    // Names in more languages and scripts: Armenian, Georgian, Kazakh, Mongolian, Ukrainian,
    // Belarusian, Serbian and Macedonian, Amharic and Tigrinya, Khmer, Burmese, Sinhala, Tamil,
    // Telugu, Kannada, Malayalam, Gujarati, Punjabi, Marathi, Lao, Tamazight, Pashto, Malay,
    // Somali, Hausa, Swahili, Zulu and Xhosa, Samoan, Maori, Malagasy, Filipino, Albanian,
    // Basque, Irish, Maltese, Welsh, Icelandic, Latvian, Lithuanian, Slovak, the South Slavic
    // languages, Romanian, Turkish and Uzbek.
    "անուն",
    "ազգանուն",
    "անուն ազգանուն",
    "სახელი",
    "გვარი",
    "სახელი გვარი",
    "სახელი და გვარი",
    "аты",
    "тегі",
    "аты жөні",
    "нэр",
    "овог",
    "овог нэр",
    "ім'я",
    "імя",
    "прозвішча",
    "ime i prezime",
    "име",
    "име и презиме",
    "ስም",
    "ሙሉ ስም",
    "የአባት ስም",
    "ឈ្មោះ",
    "នាមត្រកូល",
    "အမည်",
    "နာမည်",
    "නම",
    "සම්පූර්ණ නම",
    "பெயர்",
    "முழு பெயர்",
    "పేరు",
    "పూర్తి పేరు",
    "ಹೆಸರು",
    "പേര്",
    "નામ",
    "ਨਾਮ",
    "नाव",
    "पूरा नाम",
    "ຊື່",
    "ⵉⵙⵎ",
    "نوم",
    "نام و نام خانوادگی",
    "nama",
    "nama penuh",
    "magac",
    "magaca",
    "magaca oo buuxa",
    "suna",
    "cikakken suna",
    "jina",
    "jina kamili",
    "igama",
    "igama eligcwele",
    "igoa",
    "ingoa",
    "anarana",
    "pangalan",
    "buong pangalan",
    "apelyido",
    "emri",
    "mbiemri",
    "emri i plotë",
    "izena",
    "abizena",
    "ainm",
    "sloinne",
    "isem",
    "kunjom",
    "enw",
    "cyfenw",
    "nafn",
    "fullt nafn",
    "vārds",
    "vārds uzvārds",
    "vardas",
    "vardas pavardė",
    "priezvisko a meno",
    "ime",
    "prezime",
    "priimek",
    "nume",
    "isim",
    "soyisim",
    "familiya",
    "ism familiya",
    "họ và tên đầy đủ",
    "full names",
    // Senders and recipients (`absender`, `المرسل`).
    "المرسل",
    "المرسل إليه",
    "المستلم",
    "gavėjas",
    "siuntėjas",
    "absender",
    "empfänger",
    "destinataire",
    "destinatario",
    "remetente",
    "odbiorca",
    "nadawca",
];

const POSTAL_ADDRESS: &[&str] = &[
    // Hebrew keys written in Latin letters
    "ktovet",
    // en
    "address",
    "street",
    "street address",
    "address line",
    "postcode",
    "post code",
    "postal code",
    "zip",
    "zip code",
    "zipcode",
    "house number",
    "addr",
    "street name",
    "mailing address",
    "home address",
    "apartment",
    "flat number",
    "residence",
    "street number",
    "address1",
    "address2",
    "addressline",
    "postal address",
    "place of birth",
    "birthplace",
    "birth place",
    "city of birth",
    "town of birth",
    // de
    "adresse",
    "anschrift",
    "straße",
    "hausnummer",
    "postleitzahl",
    "plz",
    "wohnort",
    "wohnadresse",
    "hausnr",
    "postanschrift",
    "lieferadresse",
    "rechnungsadresse",
    "wohnanschrift",
    "meldeadresse",
    "strassenname",
    "straße und hausnummer",
    "strasse hausnummer",
    "geburtsort",
    "geburtsstadt",
    // fr
    "rue",
    "code postal",
    "=cp",
    "numéro de rue",
    "adresse postale",
    "domicile",
    "complément d'adresse",
    "nom de rue",
    "numéro et rue",
    "lieu de résidence",
    "voie",
    "lieu de naissance",
    "ville de naissance",
    "commune de naissance",
    // nl
    "adres",
    "straat",
    "straatnaam",
    "huisnummer",
    "woonadres",
    "postadres",
    "huisnr",
    "huisnummer toevoeging",
    "factuuradres",
    "afleveradres",
    "woonplaats",
    "geboorteplaats",
    // es
    "dirección",
    "calle",
    "código postal",
    "domicilio",
    "número de calle",
    "dirección postal",
    "codigo postal",
    "direccion de envio",
    "nombre de calle",
    "lugar de nacimiento",
    "ciudad de nacimiento",
    // it
    "indirizzo",
    "=via",
    "=cap",
    "codice postale",
    "civico",
    "numero civico",
    "residenza",
    "indirizzo di residenza",
    "indirizzo di spedizione",
    "luogo di nascita",
    "comune di nascita",
    // pt
    "endereço",
    "morada",
    "rua",
    "=cep",
    "logradouro",
    "bairro",
    "endereço postal",
    "código de endereçamento postal",
    "número da porta",
    "local de nascimento",
    "naturalidade",
    // pl
    "adres",
    "ulica",
    "kod pocztowy",
    "numer domu",
    "numer mieszkania",
    "adres zamieszkania",
    "adres korespondencyjny",
    "nr domu",
    "nr lokalu",
    "miejsce urodzenia",
    // sv
    "adress",
    "gatuadress",
    "gata",
    "postnummer",
    "postadress",
    "bostadsadress",
    "hemadress",
    "utdelningsadress",
    "gatunamn",
    "fakturaadress",
    "födelseort",
    // da
    "gade",
    "vejnavn",
    "husnummer",
    "gadenavn",
    "bopæl",
    "hjemmeadresse",
    "postnr",
    "vej",
    "fødested",
    "fødeby",
    // Other scripts and more languages.
    "адрес",
    "адрес доставки",
    "адреса",
    "улица",
    "вулиця",
    "почтовый индекс",
    "διεύθυνση",
    "οδός",
    "ταχυδρομικός κώδικας",
    "כתובת",
    "רחוב",
    "מיקוד",
    "عنوان",
    "العنوان",
    "عنوان التوصيل",
    "الشارع",
    "الرمز البريدي",
    "آدرس",
    "نشانی",
    "کد پستی",
    "पता",
    "ঠিকানা",
    "پتہ",
    "ที่อยู่",
    "รหัสไปรษณีย์",
    "địa chỉ",
    "alamat",
    "kode pos",
    "poskod",
    "cím",
    "lakcím",
    "irányítószám",
    "adresa",
    "ulice",
    "adresă",
    "cod poștal",
    "osoite",
    "postinumero",
    "heimilisfang",
    "adresas",
    "adrese",
    "aadress",
    "anwani",
    "tirahan",
    "地址",
    "住址",
    "收货地址",
    "邮编",
    "郵遞區號",
    "住所",
    "郵便番号",
    "주소",
    "우편번호",
    // Addresses in the same languages.
    "հասցե",
    "მისამართი",
    "мекенжай",
    "хаяг",
    "адрас",
    "адреса доставки",
    "адреса за доставу",
    "адреса за испорака",
    "አድራሻ",
    "ኣድራሻ",
    "អាសយដ្ឋាន",
    "လိပ်စာ",
    "ලිපිනය",
    "முகவரி",
    "చిరునామా",
    "ವಿಳಾಸ",
    "വിലാസം",
    "સરનામું",
    "ਪਤਾ",
    "पत्ता",
    "ठेगाना",
    "ທີ່ຢູ່",
    "ⴰⵏⵙⴰ",
    "پته",
    "manzil",
    "helbidea",
    "seoladh",
    "indirizz",
    "cyfeiriad",
    "cinwaan",
    "adireshi",
    "ikheli",
    "idilesi",
    "adiresy",
    "adresi",
    "adresë",
    "endirèk",
];

const BIRTH_DATE: &[&str] = &[
    // Hebrew keys written in Latin letters
    "taarich leida",
    "tarich leida",
    // en
    "date of birth",
    "birth date",
    "birthdate",
    "dob",
    "birthday",
    "=born",
    "born on",
    "birth day",
    "year of birth",
    "birth year",
    "birthyear",
    "yob",
    "bday",
    "date birth",
    // de
    "geburtsdatum",
    "gebdatum",
    "geburtstag",
    "geb datum",
    "geboren am",
    "=geb",
    "geburtsjahr",
    "gebdat",
    "geboren",
    // fr
    "date de naissance",
    "naissance",
    "né le",
    "date naiss",
    "année de naissance",
    "ddn",
    "anniversaire",
    // nl
    "geboortedatum",
    "geboortedag",
    "verjaardag",
    "geboortejaar",
    "geboren op",
    // es
    "fecha de nacimiento",
    "nacimiento",
    "fecha nac",
    "fechanac",
    "cumpleaños",
    "año de nacimiento",
    "f nacimiento",
    // it
    "data di nascita",
    "nascita",
    "data nascita",
    "compleanno",
    "anno di nascita",
    "nato il",
    // pt
    "data de nascimento",
    "nascimento",
    "data nasc",
    "aniversário",
    "ano de nascimento",
    "dt nasc",
    // pl
    "data urodzenia",
    "urodziny",
    "urodzony",
    "rok urodzenia",
    "dzień urodzenia",
    // sv
    "födelsedatum",
    "födelsedag",
    "född",
    "födelseår",
    // da
    "fødselsdato",
    "fødselsdag",
    "født",
    "fødselsår",
    // Beyond the ten languages, as their speakers' apps name the field: fi, tr, hu, ro, cs.
    "syntymäaika",
    "syntymäpäivä",
    "syntymävuosi",
    "doğum tarihi",
    "dogum tarihi",
    "doğum günü",
    "doğum yılı",
    "születési dátum",
    "születési idő",
    "születésnap",
    "data nașterii",
    "data naşterii",
    "data nasterii",
    "datum narození",
    "rok narození",
    // Other scripts and more languages.
    "дата рождения",
    "день рождения",
    "дата народження",
    "дата на раждане",
    "ημερομηνία γέννησης",
    "γενέθλια",
    "תאריך לידה",
    "تاريخ الميلاد",
    "تاریخ تولد",
    "تولد",
    "जन्म तिथि",
    "जन्मतिथि",
    "জন্ম তারিখ",
    "تاریخ پیدائش",
    "วันเกิด",
    "ngày sinh",
    "tanggal lahir",
    "tarikh lahir",
    "datum rođenja",
    "dátum narodenia",
    "gimimo data",
    "dzimšanas datums",
    "sünniaeg",
    "fæðingardagur",
    "tarehe ya kuzaliwa",
    "kaarawan",
    "生日",
    "出生日期",
    "出生年月日",
    "生年月日",
    "誕生日",
    "생년월일",
    "생일",
    // Bulgarian, Serbian and Macedonian, Kazakh, Mongolian; Georgian and Armenian; Amharic;
    // Nepali and Marathi, Tamil, Telugu, Kannada, Malayalam, Gujarati, Punjabi, Sinhala; Lao,
    // Khmer, Burmese; Indonesian and Malay abbreviations, Filipino, Swahili, Turkish.
    "рождена дата",
    "датум рођења",
    "датум на раѓање",
    "туған күні",
    "туылған күні",
    "төрсөн огноо",
    "დაბადების თარიღი",
    "ծննդյան ամսաթիվ",
    "የትውልድ ቀን",
    "የልደት ቀን",
    "जन्म मिति",
    "जन्म दिनांक",
    "जन्मदिनांक",
    "பிறந்த தேதி",
    "పుట్టిన తేదీ",
    "ಹುಟ್ಟಿದ ದಿನಾಂಕ",
    "ജനന തീയതി",
    "જન્મ તારીખ",
    "ਜਨਮ ਮਿਤੀ",
    "උපන් දිනය",
    "ວັນເກີດ",
    "ថ្ងៃខែឆ្នាំកំណើត",
    "မွေးနေ့",
    "tgl lahir",
    "tkh lahir",
    "petsa ng kapanganakan",
];

const PHONE: &[&str] = &[
    // en
    "phone",
    "telephone",
    "tel",
    "phone number",
    "=mobile",
    "mobile number",
    "=cell",
    "cellphone",
    "cell phone",
    "mobile phone",
    "fax",
    "phone no",
    "msisdn",
    "landline",
    "phonenumber",
    "telephone number",
    "mobile no",
    "fax number",
    "cell number",
    "tel no",
    // de
    "telefon",
    "telefonnummer",
    "=handy",
    "handynummer",
    "mobilnummer",
    "mobiltelefon",
    "rufnummer",
    "festnetz",
    "festnetznummer",
    "telnr",
    "tel nr",
    "=mobil",
    "faxnummer",
    // fr
    "téléphone",
    "=portable",
    "numéro de téléphone",
    "tél",
    "numéro portable",
    "téléphone portable",
    "téléphone fixe",
    "numéro de mobile",
    "tel portable",
    // nl
    "telefoon",
    "telefoonnummer",
    "=mobiel",
    "mobiele nummer",
    "=gsm",
    "mobielnummer",
    "gsm nummer",
    "mobiel nummer",
    "vaste telefoon",
    // es
    "teléfono",
    "móvil",
    "celular",
    "número de teléfono",
    "teléfono móvil",
    "número móvil",
    "tlf movil",
    // it
    "telefono",
    "cellulare",
    "numero di telefono",
    "numero cellulare",
    "recapito telefonico",
    // pt
    "telefone",
    "telemóvel",
    "número de telefone",
    "número de telemóvel",
    "número celular",
    // pl
    "numer telefonu",
    "komórka",
    "telefon komórkowy",
    "nr telefonu",
    "nr tel",
    "tel kom",
    // sv
    "mobiltelefonnummer",
    "mobilnr",
    "telefonnr",
    // da
    "tlf",
    "tlf nr",
    "mobilnr",
    "telefonnr",
    // Other scripts and more languages.
    "телефон",
    "номер телефона",
    "мобильный",
    "мобільний",
    "τηλέφωνο",
    "κινητό",
    "טלפון",
    "נייד",
    "هاتف",
    "الهاتف",
    "رقم الهاتف",
    "جوال",
    "تلفن",
    "موبایل",
    "फोन",
    "मोबाइल",
    "ফোন",
    "মোবাইল",
    "فون",
    "موبائل",
    "โทรศัพท์",
    "เบอร์โทร",
    "มือถือ",
    "số điện thoại",
    "điện thoại",
    "telepon",
    "nomor telepon",
    "nomor hp",
    "nombor telefon",
    "puhelin",
    "sími",
    "simu",
    "电话",
    "電話",
    "手机",
    "手機",
    "联系电话",
    "手机号",
    "電話番号",
    "携帯番号",
    "전화번호",
    "휴대폰",
    "연락처",
    // Phones in the same languages.
    "հեռախոս",
    "ტელეფონი",
    "утас",
    "утасны дугаар",
    "тэлефон",
    "ስልክ",
    "ስልክ ቁጥር",
    "ទូរស័ព្ទ",
    "ဖုန်း",
    "ဖုန်းနံပါတ်",
    "දුරකථන",
    "தொலைபேசி",
    "கைபேசி",
    "ఫోన్",
    "ఫోన్ నంబర్",
    "ದೂರವಾಣಿ",
    "ഫോൺ",
    "ફોન",
    "ਫ਼ੋਨ",
    "फोन",
    "फोन नंबर",
    "मोबाइल",
    "ເບີໂທ",
    "nombor telefon",
    "telefoon",
    "lambar waya",
    "nambari ya simu",
    "simu",
    "telefonu",
    "numri i telefonit",
    // More languages: Baltic, Finnic, Central and South-East European, Celtic, Basque,
    // Catalan, Maltese, Middle Eastern, South Asian, South-East and East Asian, Caucasian,
    // Turkic, African.
    "tālrunis",
    "tālruņa numurs",
    "mobilais tālrunis",
    "telefonas",
    "telefono numeris",
    "mobilusis telefonas",
    "telefoninumber",
    "mobiiltelefon",
    "=mobiili",
    "puhelinnumero",
    "matkapuhelin",
    "kännykkä",
    "telefonní číslo",
    "mobilní telefon",
    "telefónne číslo",
    "mobilný telefón",
    "telefonszám",
    "mobilszám",
    "număr de telefon",
    "telefon mobil",
    "broj telefona",
    "mobitel",
    "mobilni telefon",
    "telefonska številka",
    "=mobilni",
    "телефонски број",
    "мобилни телефон",
    "телефонен номер",
    "мобилен телефон",
    "номер телефону",
    "мобільний телефон",
    "αριθμός τηλεφώνου",
    "κινητό τηλέφωνο",
    "telefon numarası",
    "cep telefonu",
    "cep no",
    "numri i celularit",
    "farsími",
    "símanúmer",
    "uimhir fóin",
    "rhif ffôn",
    "ffôn",
    "telefono zenbakia",
    "mugikorra",
    "telèfon",
    "=mòbil",
    "número de mòbil",
    "mowbajl",
    "numru tat telefon",
    "رقم الجوال",
    "الجوال",
    "رقم الموبايل",
    "موبايل",
    "هاتف محمول",
    "رقم المحمول",
    "شماره تلفن",
    "شماره موبایل",
    "تلفن همراه",
    "موبائل نمبر",
    "فون نمبر",
    "מספר טלפון",
    "פלאפון",
    "טלפון נייד",
    "מספר נייד",
    "मोबाइल नंबर",
    "मोबाईल",
    "मोबाईल नंबर",
    "भ्रमणध्वनी",
    "दूरभाष",
    "फ़ोन",
    "फ़ोन नंबर",
    "মোবাইল নম্বর",
    "ফোন নম্বর",
    "மொபைல்",
    "மொபைல் எண்",
    "தொலைபேசி எண்",
    "அலைபேசி",
    "మొబైల్",
    "మొబైల్ నంబర్",
    "ಮೊಬೈಲ್",
    "ಮೊಬೈಲ್ ಸಂಖ್ಯೆ",
    "ಫೋನ್",
    "ದೂರವಾಣಿ ಸಂಖ್ಯೆ",
    "മൊബൈൽ",
    "ഫോൺ നമ്പർ",
    "મોબાઇલ",
    "મોબાઈલ",
    "મોબાઇલ નંબર",
    "ફોન નંબર",
    "ਮੋਬਾਈਲ",
    "ਫੋਨ",
    "ਫ਼ੋਨ ਨੰਬਰ",
    "ජංගම දුරකථන",
    "දුරකථන අංකය",
    "मोबाइल नम्बर",
    "फोन नम्बर",
    "เบอร์โทรศัพท์",
    "เบอร์มือถือ",
    "di động",
    "số di động",
    "sđt",
    "nomor handphone",
    "handphone",
    "no telp",
    "telefon bimbit",
    "numero ng telepono",
    "手机号码",
    "电话号码",
    "聯絡電話",
    "行動電話",
    "携帯電話",
    "휴대전화",
    "핸드폰",
    "휴대폰번호",
    "მობილური",
    "ტელეფონის ნომერი",
    "բջջային",
    "հեռախոսահամար",
    "telefon nömrəsi",
    "телефон нөмірі",
    "ұялы телефон",
    "telefon raqami",
    "simu ya mkononi",
    "ሞባይል",
    "inombolo yocingo",
    "telefoonnommer",
    "selfoon",
    "selnommer",
];

const EMAIL: &[&str] = &[
    "email",
    "e mail",
    "mail",
    "emailaddress",
    "courriel",
    "mél",
    "correo",
    "correo electrónico",
    "posta elettronica",
    "pec",
    "e post",
    "epost",
    "mejl",
    "emailadres",
    "mailadresse",
    "emailadresse",
    "mailadres",
    "adres e mail",
    "endereço de email",
    "endereço eletrónico",
    "endereço eletrônico",
    "indirizzo email",
    "indirizzo mail",
    "adresse électronique",
    "adresse mail",
    "dirección de correo",
    "dirección email",
    "e postadress",
    "epostadress",
    "mailadress",
    "adres mailowy",
    "email adres",
];

const NATIONAL_ID: &[&str] = &[
    // en
    "ssn",
    "social security number",
    "social security",
    "soc sec no",
    "nin",
    "national insurance number",
    "national insurance no",
    "nino",
    "ni number",
    "national id",
    "national id number",
    "national identification number",
    "tax id",
    "taxpayer id",
    "=tin",
    "tax identification number",
    "=sin",
    "social insurance number",
    "identity number",
    "id card number",
    "itin",
    "identity card",
    "id card",
    "national identity number",
    "personal identity number",
    "aadhaar",
    "ppsn",
    "pps number",
    "tfn",
    "tax file number",
    "national identifier",
    "nhs number",
    "nhs no",
    "=nhs",
    "chi number",
    "medicare number",
    "health insurance number",
    // de
    "steuer id",
    "steuerid",
    "steueridentifikationsnummer",
    "steuer idnr",
    "steuernummer",
    "personalausweisnummer",
    "ausweisnummer",
    "personalausweis",
    "ausweis",
    "sozialversicherungsnummer",
    "svnr",
    "sv nummer",
    "rentenversicherungsnummer",
    "versichertennummer",
    "krankenversichertennummer",
    "=kvnr",
    "ahv",
    "ahv nummer",
    "idnr",
    "identifikationsnummer",
    "steuer identifikationsnummer",
    // fr
    "nir",
    "numéro de sécurité sociale",
    "numero secu",
    "sécu",
    "num secu",
    "insee",
    "numéro insee",
    "carte d'identité",
    "numéro carte d'identité",
    "numéro fiscal",
    "numéro d'identification fiscale",
    "securite sociale",
    "n secu",
    // nl
    "bsn",
    "burgerservicenummer",
    "sofinummer",
    "sofi nummer",
    "identiteitskaart",
    "identiteitsbewijs",
    "id kaart",
    "rijksregisternummer",
    "bsn nummer",
    // es
    "dni",
    "=nie",
    "nif",
    "documento de identidad",
    "número de documento",
    "numero dni",
    "número de identidad",
    "seguridad social",
    "número de la seguridad social",
    "nuss",
    "cif nif",
    // it
    "codice fiscale",
    "=cf",
    "carta d'identità",
    "numero carta identità",
    "tessera sanitaria",
    "codice identificativo",
    "numero documento",
    // pt
    "cpf",
    "número de contribuinte",
    "contribuinte",
    "cartão de cidadão",
    "número de identificação",
    "niss",
    "bilhete de identidade",
    "rg",
    "numero cpf",
    // Identity and tax numbers beyond the ten languages (`other_national_id` finds them in
    // text): Latin America, Asia, Africa, the Baltics and the Balkans.
    "=curp",
    "=rfc",
    "=cuit",
    "=cuil",
    "=nit",
    "=rut",
    "=nric",
    "=oib",
    "=jmbg",
    "=emso",
    "asmens kodas",
    "personas kods",
    "isikukood",
    "=amka",
    "=afm",
    "adoazonosito jel",
    "=nik",
    "=npwp",
    "=cccd",
    "cedula",
    "id number",
    // Form abbreviations of "ID number" (`idnum`, `id_no`): whole keys only, where
    // `order_id_no` is an order's.
    "personal numeric code",
    "personal identification code",
    "personal identity code",
    "=adoazonosito",
    "adóazonosító",
    // Hebrew keys written in Latin letters (`mispar_zehut`, `teudat_zehut`).
    "mispar zehut",
    "teudat zehut",
    "=idnum",
    "=idno",
    "=id no",
    "=id nr",
    "=id num",
    // pl
    "pesel",
    "nip",
    "dowód osobisty",
    "numer dowodu",
    "numer pesel",
    "nr dowodu",
    "numer identyfikacyjny",
    // sv
    "personnummer",
    "personnr",
    "samordningsnummer",
    "persnr",
    "id nummer",
    "id kort",
    // da
    "cpr",
    "cpr nummer",
    "cprnr",
    "personnummer dk",
    "sygesikringsbevis",
    "fødselsnummer",
    // Other scripts and more languages.
    "инн",
    "снилс",
    "іпн",
    "рнокпп",
    "егн",
    "αμκα",
    "αφμ",
    "αριθμός ταυτότητας",
    "תעודת זהות",
    "מספר זהות",
    "رقم الهوية",
    "الهوية",
    "رقم الهوية الوطنية",
    "الرقم القومي",
    "کد ملی",
    "شماره ملی",
    "आधार",
    "आधार संख्या",
    "aadhar",
    "pan number",
    "pan card",
    "pan no",
    "पैन",
    "पैन कार्ड",
    "पैन नंबर",
    "पैन संख्या",
    "पॅन कार्ड",
    "প্যান",
    "প্যান কার্ড",
    "பான்",
    "பான் எண்",
    "பான் கார்டு",
    "పాన్",
    "పాన్ కార్డ్",
    "ಪ್ಯಾನ್",
    "પાન કાર્ડ",
    "cnic",
    "شناختی کارڈ",
    "เลขบัตรประชาชน",
    "เลขประจำตัวประชาชน",
    "ktp",
    "mykad",
    "no kp",
    "nric",
    "hkid",
    "emirates id",
    "tc kimlik",
    "tc kimlik no",
    "kimlik no",
    "személyi szám",
    "rodné číslo",
    "cnp",
    "oib",
    "jmbg",
    "egn",
    "kennitala",
    "isikukood",
    "asmens kodas",
    "personas kods",
    "henkilötunnus",
    "hetu",
    "curp",
    "=rut",
    "cuit",
    "cuil",
    "=dni",
    "=cpf",
    "身份证",
    "身份证号",
    "身份证号码",
    "身分證",
    "身分證字號",
    "マイナンバー",
    "個人番号",
    "주민등록번호",
    "주민번호",
    // Identity numbers in the same languages and countries.
    "հծհ",
    "անձնագրային տվյալներ",
    "პირადი ნომერი",
    "жсн",
    "иин",
    "регистрийн дугаар",
    "ємбг",
    "ембг",
    "јмбг",
    "лична карта",
    "ፋይዳ",
    "የመታወቂያ ቁጥር",
    "መታወቂያ",
    "អត្តសញ្ញាណប័ណ្ណ",
    "မှတ်ပုံတင်",
    "ජාතික හැඳුනුම්පත",
    "ජා හැ අංකය",
    "நிகழ்நிலை அடையாள அட்டை",
    "ஆதார்",
    "ఆధార్",
    "नागरिकता",
    "नागरिकता नं",
    "नागरिकता प्रमाणपत्र",
    "राष्ट्रिय परिचयपत्र",
    "জাতীয় পরিচয়পত্র",
    "এনআইডি",
    "الرقم الوطني",
    "الرقم المدني",
    "الرقم الشخصي",
    "البطاقة المدنية",
    "رقم الإقامة",
    "=qid",
    "=cin",
    "=cni",
    "=nid",
    "=nida",
    "=nuit",
    "=pan",
    "=trn",
    "voter id",
    "kra pin",
    "ghana card",
    "=jshshir",
    "=pinfl",
    "fin kod",
    "=nic",
    "numri personal",
    "karta tal identità",
    "indangamuntu",
    "=bvn",
    "national id no",
    "nomor induk kependudukan",
];

const PASSPORT: &[&str] = &[
    "passport",
    "passport number",
    "passport no",
    "passport id",
    "reisepass",
    "reisepassnummer",
    "passnummer",
    "passeport",
    "numéro de passeport",
    "paspoort",
    "paspoortnummer",
    "pasaporte",
    "número de pasaporte",
    "passaporto",
    "numero passaporto",
    "passaporte",
    "número do passaporte",
    "paszport",
    "numer paszportu",
    "nr paszportu",
    "passnr",
    "pasnummer",
    // Other scripts and more languages.
    "паспорт",
    "номер паспорта",
    "загранпаспорт",
    "закордонний паспорт",
    "διαβατήριο",
    "דרכון",
    "جواز السفر",
    "رقم الجواز",
    "گذرنامه",
    "پاسپورت",
    "पासपोर्ट",
    "หนังสือเดินทาง",
    "hộ chiếu",
    "paspor",
    "pasaport",
    "útlevél",
    "cestovní pas",
    "pașaport",
    "passi",
    "vegabréf",
    "护照",
    "護照",
    "旅券",
    "パスポート",
    "여권",
    // Passports in the same languages.
    "անձնագիր",
    "პასპორტი",
    "төлқұжат",
    "гадаад паспорт",
    "ፓስፖርት",
    "លិខិតឆ្លងដែន",
    "နိုင်ငံကူးလက်မှတ်",
    "ගමන් බලපත්‍රය",
    "கடவுச்சீட்டு",
    "పాస్‌పోర్ట్",
    "राहदानी",
    "পাসপোর্ট",
    "pasipoti",
    "fasfo",
    "pasaporti",
    "pasaportë",
    "pasoport",
    "旅券番号",
    "护照号",
    "护照号码",
    "護照號碼",
    "여권번호",
];

const DRIVING_LICENCE: &[&str] = &[
    "driving licence",
    "driving license",
    "drivers licence",
    "drivers license",
    "driver licence",
    "driver license",
    "driving licence number",
    "driver license number",
    "driverslicense",
    "driverlicense",
    "führerschein",
    "führerscheinnummer",
    "permis de conduire",
    "=permis",
    "numéro de permis",
    "rijbewijs",
    "rijbewijsnummer",
    "carnet de conducir",
    "permiso de conducir",
    "licencia de conducir",
    "carné de conducir",
    "patente di guida",
    "=patente",
    "numero patente",
    "carta de condução",
    "carteira de motorista",
    "cnh",
    "carta de conducao",
    "prawo jazdy",
    "numer prawa jazdy",
    "körkort",
    "körkortsnummer",
    "kørekort",
    "kørekortnummer",
    // Other scripts and more languages.
    "водительское удостоверение",
    "посвідчення водія",
    "άδεια οδήγησης",
    "רישיון נהיגה",
    "رخصة القيادة",
    "گواهینامه",
    "ड्राइविंग लाइसेंस",
    "ใบขับขี่",
    "bằng lái",
    "ehliyet",
    "jogosítvány",
    "řidičský průkaz",
    "permis de conducere",
    "ajokortti",
    "ökuskírteini",
    "førerkort",
    "førerkortnummer",
    "驾照",
    "駕照",
    "驾驶证",
    "運転免許",
    "免許証",
    "免許証番号",
    "운전면허",
    "운전면허번호",
];

/// Bank accounts (GDPR personal data; CCPA 1798.140(ae)(1)(B) financial account; HIPAA (H)
/// account numbers). `account` alone is not one: `account_id`, `account_name` and `account_type`
/// name an account of the product.
const BANK_ACCOUNT: &[&str] = &[
    "bank account",
    "bank account number",
    "bank acct",
    "bankaccount",
    "account number",
    "account no",
    "account nr",
    "acct number",
    "acct no",
    "acct nr",
    "sort code",
    "sortcode",
    "routing number",
    "aba routing",
    "=aba",
    "=bsb",
    "bsb number",
    "bank details",
    "checking account",
    "savings account",
    "kontonummer",
    "konto nummer",
    "konto nr",
    "kto nr",
    "=kto",
    "=konto",
    "bankverbindung",
    "bankkonto",
    "bankleitzahl",
    "=blz",
    "numéro de compte",
    "numero de compte",
    "numéro compte",
    "compte bancaire",
    "=rib",
    "coordonnées bancaires",
    "rekeningnummer",
    "rekening nummer",
    "bankrekening",
    "bankrekeningnummer",
    "=rekening",
    "número de cuenta",
    "numero de cuenta",
    "número cuenta",
    "cuenta bancaria",
    "numero di conto",
    "numero conto",
    "conto corrente",
    "conto bancario",
    "número da conta",
    "numero da conta",
    "número conta",
    "conta bancária",
    "conta corrente",
    "=nib",
    "numer konta",
    "nr konta",
    "konto bankowe",
    "rachunek bankowy",
    "numer rachunku",
    "nr rachunku",
    "bankkontonummer",
    "clearingnummer",
    // Other scripts and more languages.
    "расчетный счет",
    "номер счета",
    "рахунок",
    "λογαριασμός",
    "חשבון בנק",
    "מספר חשבון",
    "رقم الحساب",
    "الحساب البنكي",
    "شماره حساب",
    "खाता संख्या",
    "बैंक खाता",
    "เลขที่บัญชี",
    "số tài khoản",
    "nomor rekening",
    "hesap no",
    "bankszámlaszám",
    "číslo účtu",
    "cont bancar",
    "tilinumero",
    "reikningsnúmer",
    "银行账号",
    "銀行帳號",
    "口座番号",
    "振込先",
    "계좌번호",
];

const GENDER: &[&str] = &[
    "gender",
    "sex",
    "geschlecht",
    "sexe",
    "=genre",
    "geslacht",
    "sexo",
    "género",
    "=genere",
    "sesso",
    "gênero",
    "płeć",
    "=kön",
    "=køn",
    "kjønn",
];

/// Counter-lexicon: phrases that contain a class word but are not personal data.
const COUNTER: &[&str] = &[
    "username",
    "user name",
    "host name",
    "hostname",
    "file name",
    "filename",
    "ip address",
    "ipaddress",
    "mac address",
    "macaddress",
    "street view",
    "address bar",
    "addressbar",
    "web address",
    "wallet address",
    "server address",
    "email domain",
    "mail server",
    "mailchimp",
    "mailbox",
    "display name enabled",
    "screen name",
    "domain name",
    "brand name",
    "product name",
    "company name",
    "event name",
    "app name",
    "plan name",
    "campaign name",
    "page name",
    "nome prodotto",
    "nom du produit",
    "produktname",
    "nombre del producto",
    "nombre de usuario",
    "nome utente",
    "nom d'utilisateur",
    "benutzername",
    "gebruikersnaam",
    "anvandarnamn",
    "användarnamn",
    "brugernavn",
    "nazwa użytkownika",
    "nome de usuário",
    "tel aviv",
    "mobile app",
    "mobile web",
    "phone model",
    "birthday campaign",
    "zip file",
    "file zip",
    "address book",
    "addressbook",
    "street food",
    "street art",
    "street style",
    "streetwear",
];

/// Tokens that, outside the head, make a key name a non-person thing.
const NON_PERSON: &[&str] = &[
    // Parts of a user interface: `address_book_ui`, `phone_icon`, `name_placeholder`.
    "ui",
    "button",
    "btn",
    "placeholder",
    "tooltip",
    "modal",
    "dialog",
    "widget",
    "icon",
    "banner",
    "product",
    "products",
    "produit",
    "produits",
    "produkt",
    "produkte",
    "producto",
    "productos",
    "prodotto",
    "produto",
    "company",
    "firm",
    "firma",
    "firmen",
    "bedrijf",
    "empresa",
    "azienda",
    "entreprise",
    "societe",
    "brand",
    "marke",
    "marque",
    "marca",
    "event",
    "events",
    "evenement",
    "file",
    "files",
    "datei",
    "fichier",
    "archivo",
    "app",
    "apps",
    "application",
    "plan",
    "plans",
    "campaign",
    "utm",
    "page",
    "pages",
    "seite",
    "host",
    "server",
    "domain",
    "device",
    "model",
    "browser",
    "os",
    "template",
    "templates",
    "ip",
    "ipv4",
    "ipv6",
    "mac",
    "bar",
    "view",
    "store",
    "shop",
    "merchant",
    "vendor",
    "seller",
    "business",
    "organisation",
    "organization",
    "org",
    "team",
    "project",
    "category",
    "item",
    "items",
    "sku",
    "list",
    "group",
    "channel",
    "tag",
    "screen",
    "button",
    "link",
    "url",
    "web",
    "website",
    "site",
    "wallet",
    "network",
    "wifi",
    "bluetooth",
    "printer",
    "queue",
    "table",
    "column",
    "field",
    "label",
    "placeholder",
    "widget",
    "component",
    "class",
    "variable",
    "var",
    "param",
    "parameter",
    "key",
    "metric",
    "feature",
    "experiment",
    "variant",
    "test",
    "script",
    "function",
    "method",
    "module",
    "package",
    "library",
    "bucket",
    "branch",
    "repo",
    "job",
    "task",
    "report",
    "dashboard",
    "segment",
    "cohort",
    "layout",
    "theme",
    "font",
    "color",
    "colour",
    "image",
    "icon",
    "video",
    "song",
    "track",
    "album",
    "artist",
    "movie",
    "film",
    "game",
    "level",
    "room",
    "venue",
    "hotel",
    "restaurant",
    "city",
    "country",
    "region",
    "state",
    "provider",
    "carrier",
    "operator",
    "bank",
    "card",
    "coupon",
    "promo",
    "discount",
    "offer",
    "article",
    "articles",
    "artikel",
    "elements",
    "visites",
    "visits",
    "resultats",
    "results",
    "articulos",
    "articoli",
    "artigos",
    "pedidos",
    "visitas",
    "usuarios",
    "utenti",
    "paginas",
    "pagine",
    "clics",
    "attachment",
    "download",
    "downloads",
    "notification",
    "notifications",
    "option",
    "options",
    "arquivo",
    "anhang",
    "bijlage",
    "allegato",
    "payment",
    "invoice",
    "order",
    "cart",
    "checkout",
    "shipment",
    "step",
    "stage",
    "section",
    "tab",
    "menu",
    "modal",
    "dialog",
    "form",
    "survey",
    "question",
    "newsletter",
    "subscription",
    "tier",
    "package",
    "sender",
    "reply",
    "smtp",
    "imap",
    "pop",
    "lookup",
    "validation",
    "validator",
    "verification",
    "mask",
    "regex",
    "pattern",
    "sample",
    "dummy",
    "fake",
    "default",
    "example",
    "demo",
    "anonymous",
    "anon",
    "hash",
    "hashed",
    "md5",
    "sha",
    "sha256",
    "bounce",
    "bounced",
    "unsubscribe",
    "subscribe",
    "subscribed",
    "sent",
    "send",
    "click",
    "clicked",
    "open",
    "opened",
    "lang",
    "language",
    "locale",
    "timezone",
    "currency",
    "price",
    "pet",
    "dog",
    "cat",
    "animal",
    "platform",
    "service",
    "tool",
    "software",
    "license",
    "licence",
    "vehicle",
    "car",
    "ship",
    "vessel",
    // Products, companies, cities and files in more languages (`ime_proizvoda`, `isim_ürün`,
    // `nama_produk`, `название_товара`).
    "proizvod",
    "proizvoda",
    "proizvodi",
    "izdelek",
    "izdelka",
    "produs",
    "produsul",
    "produse",
    "ürün",
    "urun",
    "ürünü",
    "urunu",
    "produkti",
    "produktu",
    "produktas",
    "prekė",
    "prekes",
    "preces",
    "toode",
    "toote",
    "termék",
    "termek",
    "tuote",
    "tuotteen",
    "produk",
    "barang",
    "bidhaa",
    "sản phẩm",
    "san pham",
    "товар",
    "товара",
    "продукт",
    "продукта",
    "продукту",
    "προϊόν",
    "προϊόντος",
    "מוצר",
    "منتج",
    "المنتج",
    "محصول",
    "उत्पाद",
    "商品",
    "产品",
    "產品",
    "製品",
    "상품",
    "제품",
    "สินค้า",
    "kompanija",
    "tvrtka",
    "podjetje",
    "companie",
    "şirket",
    "sirket",
    "kompani",
    "įmonė",
    "uznemums",
    "ettevõte",
    "cég",
    "ceg",
    "yritys",
    "perusahaan",
    "syarikat",
    "kampuni",
    "công ty",
    "компания",
    "компании",
    "εταιρεία",
    "חברה",
    "شركة",
    "شرکت",
    "कंपनी",
    "公司",
    "会社",
    "회사",
    "บริษัท",
    "grad",
    "grada",
    "mesto",
    "oraș",
    "oras",
    "şehir",
    "sehir",
    "qyteti",
    "kaupunki",
    "kota",
    "bandar",
    "город",
    "города",
    "πόλη",
    "עיר",
    "مدينة",
    "شهر",
    "शहर",
    "城市",
    "都市",
    "도시",
    "เมือง",
    "fajl",
    "datoteka",
    "dosya",
    "skedar",
    "tiedosto",
    "berkas",
    "файл",
    "αρχείο",
    "קובץ",
    "ملف",
    "فایل",
    "फ़ाइल",
    "文件",
    "ファイル",
    "파일",
    "ไฟล์",
];

/// Tokens that, outside the head, make a key a flag, a count or a setting.
const FLAGS: &[&str] = &[
    "validated",
    "pflicht",
    "pflichtfeld",
    "obligatoire",
    "verplicht",
    "obligatorio",
    "obbligatorio",
    "obrigatorio",
    "enabled",
    "disabled",
    "enable",
    "disable",
    "count",
    "counts",
    "total",
    "verified",
    "verify",
    "opt",
    "optin",
    "optout",
    "is",
    "has",
    "can",
    "should",
    "consent",
    "consented",
    "valid",
    "invalid",
    "confirmed",
    "confirm",
    "visible",
    "required",
    "shown",
    "show",
    "hidden",
    "hide",
    "length",
    "len",
    "changed",
    "change",
    "updated",
    "update",
    "provided",
    "present",
    "missing",
    "status",
    "type",
    "types",
    "format",
    "formats",
    "flag",
    "toggle",
    "pref",
    "prefs",
    "preference",
    "preferences",
    "setting",
    "settings",
    "error",
    "errors",
    "source",
    "prefix",
    "mode",
    "policy",
    "allowed",
    "allow",
    "blocked",
    "filled",
    "empty",
    "exists",
    "match",
    "matched",
    "matches",
    "score",
    "rate",
    "ratio",
    "percent",
    "size",
    "index",
    "idx",
    "position",
    "order",
    "sort",
    "filter",
    "search",
    "query",
    "searched",
    "anzahl",
    "aantal",
    "nombre de",
    "numero de",
    "liczba",
    "antal",
    "activo",
    "aktiv",
    "actief",
    "active",
    "inactive",
    "on",
    "off",
    "true",
    "false",
    "yes",
    "when",
    "at",
    "time",
    "timestamp",
    "ts",
    "ms",
    "seconds",
    "duration",
    "attempts",
    "tries",
    "retries",
    "step",
    "sent",
    "domain",
    "provider",
    "country",
    "code",
    "prefix",
    "extension",
    "ext",
    "region",
    "verification",
    "otp",
    "pin",
];

/// Affixes that may surround a `=` word without making it ambiguous again.
const AFFIXES: &[&str] = &[
    "customer",
    "billing",
    "shipping",
    "user",
    "contact",
    "client",
    "kunde",
    "kunden",
    "klant",
    "cliente",
    "klient",
    "kund",
    "delivery",
    "home",
    "work",
    "primary",
    "secondary",
    "main",
    "private",
    "personal",
    "my",
    "new",
    "old",
    "current",
    "member",
    "patient",
    "person",
    "applicant",
    "guest",
    "buyer",
    "recipient",
    "sender",
    "holder",
    "owner",
    "account",
    "profile",
    "privat",
    "prive",
    "persoonlijk",
    "perso",
    "principal",
    "number",
    "nummer",
    "numero",
    "no",
    "nr",
    "num",
    "n",
    "value",
    "val",
    "input",
    "raw",
    "full",
    "your",
    "mein",
    "meine",
    "mon",
    "ma",
    "mi",
    "su",
    "il",
    "la",
    "le",
    "el",
    "de",
    "data",
    "info",
    "details",
    "detail",
];

/// Words that join others in phrases and are dropped from keys and entries alike.
const CONNECTORS: &[&str] = &[
    "of", "de", "di", "da", "du", "des", "del", "della", "do", "dos", "das", "van", "der", "het",
    "den", "d", "l", "s", "y", "och", "og", "und", "et", "en", "and", "the", "la", "le", "el",
    "il", "lo", "af", "til", "na", "w", "z", "am", "le", "op", "on", "for", "para", "per", "pour",
    "fur",
];

/// Compound heads: a token that ends in one of these (after a non-empty prefix) is in its
/// class, unless the prefix begins like a non-person modifier.
const COMPOUND_HEADS: &[(&str, KeyClass)] = &[
    ("adresse", KeyClass::PostalAddress),
    ("anschrift", KeyClass::PostalAddress),
    ("adres", KeyClass::PostalAddress),
    ("adress", KeyClass::PostalAddress),
    ("postleitzahl", KeyClass::PostalAddress),
    ("hausnummer", KeyClass::PostalAddress),
    ("huisnummer", KeyClass::PostalAddress),
    ("nachname", KeyClass::PersonName),
    ("vorname", KeyClass::PersonName),
    ("achternaam", KeyClass::PersonName),
    ("voornaam", KeyClass::PersonName),
    ("efternamn", KeyClass::PersonName),
    ("fornamn", KeyClass::PersonName),
    ("efternavn", KeyClass::PersonName),
    ("fornavn", KeyClass::PersonName),
    ("firstname", KeyClass::PersonName),
    ("lastname", KeyClass::PersonName),
    ("fullname", KeyClass::PersonName),
    ("surname", KeyClass::PersonName),
    ("geburtsdatum", KeyClass::BirthDate),
    ("geboortedatum", KeyClass::BirthDate),
    ("fodselsdato", KeyClass::BirthDate),
    ("fodelsedatum", KeyClass::BirthDate),
    ("birthdate", KeyClass::BirthDate),
    ("telefonnummer", KeyClass::Phone),
    ("telefoonnummer", KeyClass::Phone),
    ("handynummer", KeyClass::Phone),
    ("mobilnummer", KeyClass::Phone),
    ("phonenumber", KeyClass::Phone),
    ("emailadresse", KeyClass::Email),
    ("mailadresse", KeyClass::Email),
    ("emailadres", KeyClass::Email),
    ("email", KeyClass::Email),
    ("personnummer", KeyClass::NationalId),
    ("passnummer", KeyClass::Passport),
    // Chinese, Japanese and Korean write a compound without a separator: `收货地址`,
    // `配送先住所`, `联系电话`, `배송주소`.
    ("地址", KeyClass::PostalAddress),
    ("住址", KeyClass::PostalAddress),
    ("住所", KeyClass::PostalAddress),
    ("주소", KeyClass::PostalAddress),
    ("姓名", KeyClass::PersonName),
    ("氏名", KeyClass::PersonName),
    ("电话", KeyClass::Phone),
    ("電話", KeyClass::Phone),
    ("手机", KeyClass::Phone),
    ("手機", KeyClass::Phone),
    ("电话号码", KeyClass::Phone),
    ("電話番号", KeyClass::Phone),
    ("전화번호", KeyClass::Phone),
    ("휴대폰번호", KeyClass::Phone),
    ("핸드폰번호", KeyClass::Phone),
    ("手机号", KeyClass::Phone),
    ("手机号码", KeyClass::Phone),
    ("携帯番号", KeyClass::Phone),
    ("생일", KeyClass::BirthDate),
    ("生日", KeyClass::BirthDate),
    ("生年月日", KeyClass::BirthDate),
    ("出生日期", KeyClass::BirthDate),
    ("생년월일", KeyClass::BirthDate),
    ("身份证", KeyClass::NationalId),
    ("身份证号", KeyClass::NationalId),
    ("身分證", KeyClass::NationalId),
    ("주민등록번호", KeyClass::NationalId),
    ("护照", KeyClass::Passport),
    ("護照", KeyClass::Passport),
    ("旅券", KeyClass::Passport),
    ("여권", KeyClass::Passport),
];

/// Prefixes of a compound that make it a non-person thing (`Firmenadresse`, `Produktname`).
const COMPOUND_NON_PERSON: &[&str] = &[
    "firm",
    "produkt",
    "product",
    "bedrijf",
    "company",
    "ip",
    "mac",
    "server",
    "web",
    "host",
    "datei",
    "file",
    "event",
    "app",
    "geschaft",
    "gescheft",
    "shop",
    "store",
    "lager",
    "foretag",
    "virksomhed",
    "firma",
    "such",
    "zoek",
    "sok",
    "sog",
];

#[derive(Clone, Copy)]
struct Entry {
    class: Option<KeyClass>,
    whole_only: bool,
}

struct Lexicon {
    phrases: HashMap<Box<str>, Entry>,
    compound: Vec<(Box<str>, KeyClass)>,
    non_person: HashMap<Box<str>, ()>,
    flags: HashMap<Box<str>, ()>,
    affixes: HashMap<Box<str>, ()>,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(build)
}

fn build() -> Lexicon {
    let mut phrases: HashMap<Box<str>, Entry> = HashMap::default();
    let tables: [(Option<KeyClass>, &[&str]); 11] = [
        (Some(KeyClass::PersonName), PERSON_NAME),
        (Some(KeyClass::PostalAddress), POSTAL_ADDRESS),
        (Some(KeyClass::BirthDate), BIRTH_DATE),
        (Some(KeyClass::Phone), PHONE),
        (Some(KeyClass::Email), EMAIL),
        (Some(KeyClass::NationalId), NATIONAL_ID),
        (Some(KeyClass::Passport), PASSPORT),
        (Some(KeyClass::DrivingLicence), DRIVING_LICENCE),
        (Some(KeyClass::Gender), GENDER),
        (Some(KeyClass::BankAccount), BANK_ACCOUNT),
        (None, COUNTER),
    ];
    let mut norm = Normalised::default();
    for (class, words) in tables {
        for raw in words {
            let (whole_only, raw) = match raw.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, *raw),
            };
            // Index both the form without connectors (how keys are looked up) and the
            // literal concatenation (for keys that write the phrase as one token).
            norm.fill(raw, false);
            let joined: String = norm.flat.clone();
            norm.fill(raw, true);
            for form in [joined, norm.flat.clone()] {
                if form.is_empty() {
                    continue;
                }
                let entry = Entry { class, whole_only };
                // Counter entries win over class entries of the same spelling.
                phrases
                    .entry(form.into_boxed_str())
                    .and_modify(|e| {
                        if class.is_none() {
                            *e = entry
                        }
                    })
                    .or_insert(entry);
            }
        }
    }
    // Email written with the word for "address" in any language is email, not postal.
    for e in ["email", "mail", "courriel", "correo", "epost", "mejl"] {
        for a in [
            "address",
            "adresse",
            "adres",
            "adress",
            "direccion",
            "indirizzo",
            "endereco",
        ] {
            for form in [format!("{e}{a}"), format!("{a}{e}")] {
                phrases.insert(
                    form.into_boxed_str(),
                    Entry {
                        class: Some(KeyClass::Email),
                        whole_only: false,
                    },
                );
            }
        }
    }
    // A compound head is also a key on its own (`휴대폰번호`, `住所`).
    for (head, class) in COMPOUND_HEADS {
        phrases.entry(Box::from(*head)).or_insert(Entry {
            class: Some(*class),
            whole_only: false,
        });
    }
    let set = |words: &[&str]| {
        words
            .iter()
            .map(|w| (fold_word(w).into_boxed_str(), ()))
            .collect::<HashMap<_, _>>()
    };
    let mut compound: Vec<(Box<str>, KeyClass)> = COMPOUND_HEADS
        .iter()
        .map(|(w, c)| (Box::from(*w), *c))
        .collect();
    // Longest heads first, so `emailadresse` wins over `adresse`.
    compound.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    Lexicon {
        phrases,
        compound,
        non_person: set(NON_PERSON),
        flags: set(FLAGS),
        affixes: set(AFFIXES),
    }
}

fn fold_word(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Appends `c` lowercased with its diacritics removed.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ę' | 'Ě' => {
            "e"
        }
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' | 'ẞ' => "ss",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        'ð' | 'Ð' | 'ď' | 'Ď' => "d",
        'þ' | 'Þ' => "th",
        'ř' | 'Ř' => "r",
        'ť' | 'Ť' => "t",
        _ => {
            for l in c.to_lowercase() {
                // Greek is written with and without its accents, and in capitals without them
                // (`ΟΝΟΜΑ` is `όνομα`).
                out.push(match l {
                    'ά' => 'α',
                    'έ' => 'ε',
                    'ή' => 'η',
                    'ί' | 'ϊ' | 'ΐ' => 'ι',
                    'ό' => 'ο',
                    'ύ' | 'ϋ' | 'ΰ' => 'υ',
                    'ώ' => 'ω',
                    'ς' => 'σ',
                    other => other,
                });
            }
            return;
        }
    };
    out.push_str(s);
}

/// A key split into tokens: their folded letters concatenated in `flat`, each token a byte
/// range of it.
#[derive(Default)]
struct Normalised {
    flat: String,
    tokens: Vec<(usize, usize)>,
    scratch: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Lower,
    Upper,
    Digit,
    Other,
}

fn kind(c: char) -> Kind {
    if c.is_ascii_digit() {
        Kind::Digit
    } else if c.is_uppercase() {
        Kind::Upper
    } else if c.is_alphabetic() {
        Kind::Lower
    } else {
        Kind::Other
    }
}

impl Normalised {
    /// Splits `key` into tokens; with `drop_connectors`, connector words and digit-only tokens
    /// are left out.
    fn fill(&mut self, key: &str, drop_connectors: bool) {
        self.flat.clear();
        self.tokens.clear();
        let chars: Vec<(Kind, char)> = key.chars().map(|c| (kind(c), c)).collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].0 == Kind::Other || chars[i].0 == Kind::Digit {
                // Digits end a token; a digit run is a token of its own only when kept.
                let start = i;
                while i < chars.len() && chars[i].0 == chars[start].0 {
                    i += 1;
                }
                if chars[start].0 == Kind::Digit && !drop_connectors {
                    let s = self.flat.len();
                    for &(_, c) in &chars[start..i] {
                        self.flat.push(c);
                    }
                    self.tokens.push((s, self.flat.len()));
                }
                continue;
            }
            // A word: an optional upper-case run then lower-case letters. `XMLHttp` splits
            // as `XML` `Http`; `GebDatum` as `Geb` `Datum`.
            let start = i;
            while i < chars.len() && chars[i].0 == Kind::Upper {
                i += 1;
            }
            let uppers = i - start;
            let mut end = i;
            if i < chars.len() && chars[i].0 == Kind::Lower {
                if uppers > 1 {
                    // The last capital starts the next word.
                    end = i - 1;
                } else {
                    while i < chars.len() && chars[i].0 == Kind::Lower {
                        i += 1;
                    }
                    end = i;
                }
            }
            if end == start {
                end = i;
            }
            i = end;
            self.scratch.clear();
            for &(_, c) in &chars[start..end] {
                fold_char(c, &mut self.scratch);
            }
            if drop_connectors && CONNECTORS.contains(&self.scratch.as_str()) {
                continue;
            }
            let s = self.flat.len();
            self.flat.push_str(&self.scratch);
            self.tokens.push((s, self.flat.len()));
        }
    }

    fn token(&self, i: usize) -> &str {
        let (s, e) = self.tokens[i];
        &self.flat[s..e]
    }
}

/// The normalised tokens of `key`, as lookups see them (for explain output and tests).
pub fn tokens(key: &str) -> Vec<String> {
    let mut n = Normalised::default();
    n.fill(key, true);
    (0..n.tokens.len()).map(|i| n.token(i).to_owned()).collect()
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Normalised> = std::cell::RefCell::new(Normalised::default());
    /// Long keys (over `memo::MAX_KEY` bytes) classified on this thread. Traffic repeats its
    /// property names, and each `key_class:` selector asks for every key. Bounded: emptied
    /// when full, so a client sending ever-new keys costs memory of at most `MEMO_CAP` keys.
    /// The map's hasher is keyed (a random seed per process): keys are chosen by clients.
    static MEMO: std::cell::RefCell<HashMap<Box<str>, Option<KeyClass>>> =
        std::cell::RefCell::new(HashMap::default());
}

/// The lexicon's owner id in the per-thread memo (there is one lexicon; the question, not the
/// owner, keeps its answers apart from the detectors').
const LEXICON: u64 = 1;

/// How many keys a thread remembers.
const MEMO_CAP: usize = 4096;

/// The class of personal data `key` names, if any.
pub fn classify(key: &str) -> Option<KeyClass> {
    if key.len() > 128 {
        return None;
    }
    if key.len() <= memo::MAX_KEY {
        // The common case: a short key, remembered in the per-thread table shared with the
        // detectors (a hash and a compare, no allocation).
        let answer = memo::remember(LEXICON, Question::KeyClass, 0, key.as_bytes(), || {
            classify_afresh(key).map_or(0, |c| c as u128 + 1)
        });
        return answer.checked_sub(1).map(|i| KeyClass::ALL[i as usize]);
    }
    if let Some(known) = MEMO.with(|m| m.borrow().get(key).copied()) {
        return known;
    }
    let class = classify_afresh(key);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_CAP {
            m.clear();
        }
        m.insert(key.into(), class);
    });
    class
}

fn classify_afresh(key: &str) -> Option<KeyClass> {
    SCRATCH.with(|n| {
        let mut n = n.borrow_mut();
        n.fill(key, true);
        classify_tokens(&n)
    })
}

fn classify_tokens(n: &Normalised) -> Option<KeyClass> {
    let lex = lexicon();
    let count = n.tokens.len();
    if count == 0 {
        return None;
    }
    // The head: the longest run of tokens (by letters) that is an entry; later runs win ties.
    let mut best: Option<(usize, usize, Entry)> = None;
    let mut best_len = 0;
    for i in 0..count {
        for j in i..count.min(i + 6) {
            let span = &n.flat[n.tokens[i].0..n.tokens[j].1];
            if let Some(e) = lex.phrases.get(span)
                && span.len() >= best_len
            {
                best_len = span.len();
                best = Some((i, j, *e));
            }
        }
    }
    if best.is_none() {
        // Compounds inside one token: `Wohnadresse`, `kundennachname`.
        for i in (0..count).rev() {
            let t = n.token(i);
            if let Some(class) = compound_class(lex, t) {
                best = Some((
                    i,
                    i,
                    Entry {
                        class: Some(class),
                        whole_only: false,
                    },
                ));
                break;
            }
        }
    }
    if best.is_none() {
        // Glued affixes (`userlname`, `kundenvorname`) and German transliterations
        // (`fuehrerschein`): one token at a time, as a last resort.
        'tokens: for i in (0..count).rev() {
            let t = n.token(i);
            for form in variants(t) {
                let class = match lex.phrases.get(form.as_str()) {
                    Some(e) if !e.whole_only => e.class,
                    Some(_) => None,
                    None => compound_class(lex, &form),
                };
                if let Some(class) = class {
                    best = Some((
                        i,
                        i,
                        Entry {
                            class: Some(class),
                            whole_only: false,
                        },
                    ));
                    break 'tokens;
                }
            }
        }
    }
    let (i, j, entry) = best?;
    let class = entry.class?;
    for k in (0..i).chain(j + 1..count) {
        let t = n.token(k);
        if lex.non_person.contains_key(t) || lex.flags.contains_key(t) {
            return None;
        }
        if entry.whole_only && !lex.affixes.contains_key(t) {
            return None;
        }
    }
    Some(class)
}

/// The generic words for a name: keys such as `name`, `account_name` or `course_name` name
/// products, plans, files and teams as often as people.
const BARE_NAME_WORDS: &[&str] = &[
    "name",
    "names",
    "nom",
    "noms",
    "nome",
    "nomi",
    "nombre",
    "nombres",
    "naam",
    "namen",
    "navn",
    "namn",
    "nazwa",
    "displayname",
    "display",
    "nimi",
    "имя",
    "όνομα",
    "שם",
    "اسم",
    "الاسم",
    "نام",
    "नाम",
    "নাম",
    "ชื่อ",
    "isim",
    "név",
    "jméno",
    "名前",
    "名字",
    "이름",
    "անուն",
    "სახელი",
    "аты",
    "нэр",
    "име",
    "ім'я",
    "імя",
    "ስም",
    "ឈ្មោះ",
    "အမည်",
    "နာမည်",
    "නම",
    "பெயர்",
    "పేరు",
    "ಹೆಸರು",
    "പേര്",
    "નામ",
    "ਨਾਮ",
    "नाव",
    "ຊື່",
    "ⵉⵙⵎ",
    "نوم",
    "nama",
    "magac",
    "magaca",
    "suna",
    "jina",
    "igama",
    "igoa",
    "ingoa",
    "anarana",
    "pangalan",
    "emri",
    "izena",
    "ainm",
    "isem",
    "enw",
    "nafn",
    "vārds",
    "vardas",
    "ime",
    "nume",
    "isim",
];

/// Modifiers that make a generic name word a person's: `customer_name`, `Kundenname` (one
/// token, matched as a prefix), `nome_cliente`, `recipient_name`, `doctor_name`.
const PERSON_MODIFIERS: &[&str] = &[
    "customer",
    "client",
    "cliente",
    "clienti",
    "kunde",
    "kunden",
    "klant",
    "contact",
    "kontakt",
    "contacto",
    "contatto",
    "recipient",
    "destinataire",
    "empfanger",
    "ontvanger",
    "destinatario",
    "sender",
    "absender",
    "patient",
    "paciente",
    "paziente",
    "author",
    "autor",
    "agent",
    "doctor",
    "arzt",
    "medecin",
    "coach",
    "rep",
    "employee",
    "mitarbeiter",
    "employe",
    "medewerker",
    "empleado",
    "dipendente",
    "member",
    "mitglied",
    "lid",
    "guest",
    "gast",
    "buyer",
    "kaufer",
    "owner",
    "inhaber",
    "holder",
    "cardholder",
    "karteninhaber",
    "titulaire",
    "titular",
    "titolare",
    "parent",
    "guardian",
    "child",
    "kind",
    "student",
    "schuler",
    "eleve",
    "teacher",
    "lehrer",
    "spouse",
    "beneficiary",
    "emergency",
    "billing",
    "shipping",
    "delivery",
    "lieferung",
    "livraison",
    "signer",
    "signatory",
    "applicant",
    "bewerber",
    "candidate",
    "driver",
    "fahrer",
    "passenger",
    "traveler",
    "traveller",
    "person",
    "persoon",
    "persona",
    "personne",
    "user",
    "nutzer",
    "benutzer",
    "utilisateur",
    "gebruiker",
    "usuario",
    "utente",
    "mother",
    "father",
    "mutter",
    "vater",
    "mere",
    "pere",
    "moeder",
    "vader",
    "madre",
    "padre",
    "pai",
    "mae",
    "reviewer",
    "seller",
    "verkaufer",
    "vendeur",
    "assignee",
    "approver",
    "requester",
    "artist",
    "kunstler",
    "artiste",
    "winner",
];

/// Words of a key that names a thing, not a person: products and brands, works (books, songs,
/// films, games), places of business and their offers. A name-like value under such a key
/// (`product_title: Hugo Boss Bottled`, `brand: Calvin Klein`, `hotel: Adlon Kempinski`) is
/// the thing's name unless a title or cue says otherwise.
const THING_WORDS: &[&str] = &[
    // Beyond the ten languages: Turkish `ürün`, Hungarian `termék`, Finnish `tuote`, and the
    // seller (`merchant`, Dutch `winkel`, Hungarian `cég`, `firma`).
    "urun",
    "termek",
    "tuote",
    "merchant",
    "winkel",
    "ceg",
    "firma",
    "loja",
    "tienda",
    "negozio",
    "product",
    "products",
    "produkt",
    "produit",
    "producto",
    "prodotto",
    "produto",
    "item",
    "items",
    "artikel",
    "article",
    "articolo",
    "articulo",
    "sku",
    "brand",
    "brands",
    "marke",
    "marque",
    "marca",
    "merk",
    "model",
    "modell",
    "modele",
    "modelo",
    "modello",
    "book",
    "buch",
    "livre",
    "libro",
    "boek",
    "song",
    "songs",
    "album",
    "track",
    "playlist",
    "movie",
    "film",
    "show",
    "series",
    "serie",
    "episode",
    "game",
    "spiel",
    "jeu",
    "juego",
    "gioco",
    "jogo",
    "hotel",
    "venue",
    "station",
    "store",
    "shop",
    "restaurant",
    "menu",
    "dish",
    "recipe",
    "rezept",
    "recette",
    "receta",
    "ricetta",
    "drink",
    "cocktail",
    "wine",
    "collection",
    "category",
    "catalog",
    "catalogue",
    "plan",
    "campaign",
    "course",
    "league",
    "club",
    "stadium",
    "airline",
    "app",
    "feature",
    "sport",
    "tour",
];

/// The key names a thing ([`THING_WORDS`]) and no person (`product_owner` names a person).
/// Remembered per thread with the key classes (`memo`): every scanned value asks it.
pub fn names_a_thing(key: &str) -> bool {
    if key.len() > 128 {
        return false;
    }
    memo::remember(LEXICON, Question::NamesAThing, 0, key.as_bytes(), || {
        SCRATCH.with(|n| {
            let mut n = n.borrow_mut();
            n.fill(key, true);
            let thing = (0..n.tokens.len()).any(|i| THING_WORDS.contains(&n.token(i)));
            u128::from(thing && !person_in(&n))
        })
    }) == 1
}

/// True when `key` — a key of the `person_name` class ([`classify`]) — says that its value is
/// a person's name: a name-field word in any of the lexicon's languages (`first_name`,
/// `vorname`, `achternaam`, `prénom`, `nazwisko`, glued as in `kundennachname`), or a generic
/// name word with a person modifier (`customer_name`, `Kundenname`, `nome_cliente`). The
/// generic words alone (`name`, `nom`, `naam`, `display_name`) and with other modifiers
/// (`account_name`, `course_name`) are not enough: the class is then a hint that the
/// detector weighs against the value.
pub fn names_a_person(key: &str) -> bool {
    if key.len() > 128 {
        return false;
    }
    SCRATCH.with(|n| {
        let mut n = n.borrow_mut();
        n.fill(key, true);
        person_in(&n)
    })
}

/// [`names_a_person`] over a key already normalised.
fn person_in(n: &Normalised) -> bool {
    let lex = lexicon();
    let count = n.tokens.len();
    for i in 0..count {
        let t = n.token(i);
        if PERSON_MODIFIERS.contains(&t)
            || PERSON_MODIFIERS
                .iter()
                .any(|m| m.len() >= 5 && t.len() > m.len() + 3 && t.starts_with(m))
        {
            return true;
        }
        if let Some(class) = compound_class(lex, t)
            && class == KeyClass::PersonName
        {
            return true;
        }
        for j in i..count.min(i + 6) {
            let span = &n.flat[n.tokens[i].0..n.tokens[j].1];
            if let Some(e) = lex.phrases.get(span)
                && e.class == Some(KeyClass::PersonName)
                && !BARE_NAME_WORDS.contains(&span)
            {
                return true;
            }
        }
    }
    false
}

/// Glued prefixes people put before a head, tried when nothing else matched.
const GLUED: &[&str] = &[
    "customer", "billing", "shipping", "user", "contact", "client", "kunden", "kunde", "klant",
    "cliente", "my", "delivery", "home", "private", "primary",
];

/// The words for "number" that Chinese, Japanese and Korean glue to a field's name
/// (`护照号`, `旅券番号`, `여권번호`, `健保卡號`), longest first.
const NUMBER_SUFFIXES: &[&str] = &[
    "号码", "號碼", "番号", "番號", "编号", "編號", "번호", "号", "號", "卡号", "卡號",
];

/// A token without a glued prefix, with `ae`/`oe`/`ue` read as `a`/`o`/`u`, and without a
/// glued word for "number".
fn variants(token: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !token.is_ascii()
        && let Some(rest) = NUMBER_SUFFIXES
            .iter()
            .find_map(|n| token.strip_suffix(n).filter(|r| !r.is_empty()))
    {
        out.push(rest.to_owned());
    }
    for p in GLUED {
        if let Some(rest) = token.strip_prefix(p)
            && rest.len() >= 3
        {
            out.push(rest.to_owned());
        }
    }
    if token.contains("ae") || token.contains("oe") || token.contains("ue") {
        let t = token
            .replace("ae", "a")
            .replace("oe", "o")
            .replace("ue", "u");
        out.extend(GLUED.iter().filter_map(|p| {
            t.strip_prefix(p)
                .filter(|r| r.len() >= 3)
                .map(str::to_owned)
        }));
        out.push(t);
    }
    out
}

fn compound_class(lex: &Lexicon, token: &str) -> Option<KeyClass> {
    for (head, class) in &lex.compound {
        if token.len() > head.len()
            && let Some(prefix) = token.strip_suffix(&**head)
        {
            if COMPOUND_NON_PERSON.iter().any(|p| prefix.starts_with(p)) {
                return None;
            }
            // A bare flag word glued in front (`isemail`) is not a compound.
            if lex.flags.contains_key(prefix) {
                return None;
            }
            return Some(*class);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_folds() {
        assert_eq!(tokens("customer_lastName"), ["customer", "last", "name"]);
        assert_eq!(tokens("GebDatum"), ["geb", "datum"]);
        assert_eq!(tokens("XMLHttpRequest"), ["xml", "http", "request"]);
        assert_eq!(tokens("Fødselsdato_2"), ["fodselsdato"]);
        assert_eq!(tokens("Straße"), ["strasse"]);
        assert_eq!(tokens("date-of.birth"), ["date", "birth"]);
        assert_eq!(tokens("płeć"), ["plec"]);
    }

    #[test]
    fn name_fields_are_told_from_generic_name_keys() {
        for k in [
            "first_name",
            "LastName",
            "vorname",
            "kundennachname",
            "achternaam",
            "prénom",
            "nazwisko",
            "Förnamn",
            "customer_name",
            "Kundenname",
            "nome_cliente",
            "recipient_name",
            "doctor_name",
            "nombre_completo",
            "nom_de_famille",
            // A person in a role.
            "contact_person",
            "emergencyContact",
            "Ansprechpartner",
            "kontaktperson",
            "contactpersoon",
            "persona_de_contacto",
            "referente",
            "cardholder_name",
        ] {
            assert_eq!(classify(k), Some(KeyClass::PersonName), "{k}");
            assert!(names_a_person(k), "{k}");
        }
        for k in [
            "name",
            "Name",
            "name_2",
            "display_name",
            "nom",
            "naam",
            "account_name",
            "course_name",
            "workspace_name",
            "channelName",
        ] {
            assert!(!names_a_person(k), "{k}");
        }
        // Role words name a person only as the whole role: these are not name fields.
        for k in [
            "contact_method",
            "contact_phone",
            "referrer",
            "emergency_plan",
        ] {
            assert_ne!(classify(k), Some(KeyClass::PersonName), "{k}");
        }
    }

    #[test]
    fn classifies_keys_in_other_scripts_and_their_compounds() {
        for (key, class) in [
            ("имя_клиента", KeyClass::PersonName),
            ("ΟΝΟΜΑ", KeyClass::PersonName),
            ("სახელი_გვარი", KeyClass::PersonName),
            ("nama_penuh", KeyClass::PersonName),
            ("հասցե", KeyClass::PostalAddress),
            ("முகவரி", KeyClass::PostalAddress),
            ("helbidea", KeyClass::PostalAddress),
            ("护照号", KeyClass::Passport),
            ("旅券番号", KeyClass::Passport),
            ("여권번호", KeyClass::Passport),
            ("ЈМБГ", KeyClass::NationalId),
            ("الرقم_الوطني", KeyClass::NationalId),
            ("ስልክ_ቁጥር", KeyClass::Phone),
            ("收件人", KeyClass::PersonName),
            ("お名前", KeyClass::PersonName),
            ("수령인", KeyClass::PersonName),
            ("收货地址", KeyClass::PostalAddress),
            ("配送先住所", KeyClass::PostalAddress),
            ("배송주소", KeyClass::PostalAddress),
            ("адрес_доставки", KeyClass::PostalAddress),
            ("العنوان", KeyClass::PostalAddress),
            ("生日", KeyClass::BirthDate),
            ("생년월일", KeyClass::BirthDate),
            ("дата_рождения", KeyClass::BirthDate),
            ("рождена_дата", KeyClass::BirthDate),
            ("датум_рођења", KeyClass::BirthDate),
            ("tgl_lahir", KeyClass::BirthDate),
            ("დაბადების_თარიღი", KeyClass::BirthDate),
            ("పుట్టిన_తేదీ", KeyClass::BirthDate),
            ("උපන්_දිනය", KeyClass::BirthDate),
            ("联系电话", KeyClass::Phone),
            ("휴대폰번호", KeyClass::Phone),
            ("تلفن", KeyClass::Phone),
            ("身份证号", KeyClass::NationalId),
            ("егн", KeyClass::NationalId),
            ("کد_ملی", KeyClass::NationalId),
            ("תעודת_זהות", KeyClass::NationalId),
            ("kennitala", KeyClass::NationalId),
            ("паспорт", KeyClass::Passport),
            ("免許証番号", KeyClass::DrivingLicence),
            ("口座番号", KeyClass::BankAccount),
        ] {
            assert_eq!(classify(key), Some(class), "{key}");
        }
        // The bare word for "name" is a name field only with a person beside it.
        assert!(!names_a_person("名前"));
        assert!(!names_a_person("имя"));
        // A product's, a company's or a city's name in the languages of the name words.
        for key in [
            "ime_proizvoda",
            "isim_ürün",
            "nama_produk",
            "название_товара",
            "商品名",
        ] {
            assert!(!names_a_person(key), "{key}");
        }
        for key in ["ime_proizvoda", "isim_ürün", "название_товара"] {
            assert_eq!(classify(key), None, "{key}");
        }
        assert!(names_a_person("имя_клиента"));
        assert!(names_a_person("收件人"));
    }

    #[test]
    fn classifies_across_languages() {
        let cases = [
            ("email", KeyClass::Email),
            ("customer_email_address", KeyClass::Email),
            ("billing_first_name", KeyClass::PersonName),
            ("Geburtsdatum", KeyClass::BirthDate),
            ("GebDatum", KeyClass::BirthDate),
            ("Wohnadresse", KeyClass::PostalAddress),
            ("Handynummer", KeyClass::Phone),
            ("geboortedatum", KeyClass::BirthDate),
            ("achternaam", KeyClass::PersonName),
            ("burgerservicenummer", KeyClass::NationalId),
            ("fødselsdato", KeyClass::BirthDate),
            ("personnummer", KeyClass::NationalId),
            ("efternamn", KeyClass::PersonName),
            ("postnummer", KeyClass::PostalAddress),
            ("fecha_nacimiento", KeyClass::BirthDate),
            ("data_di_nascita", KeyClass::BirthDate),
            // A place of birth is a town: an address part, not a date.
            ("geburtsort", KeyClass::PostalAddress),
            ("place_of_birth", KeyClass::PostalAddress),
            ("birthPlace", KeyClass::PostalAddress),
            ("lieu_de_naissance", KeyClass::PostalAddress),
            ("luogo_di_nascita", KeyClass::PostalAddress),
            ("lugar_de_nacimiento", KeyClass::PostalAddress),
            ("geboorteplaats", KeyClass::PostalAddress),
            ("local_de_nascimento", KeyClass::PostalAddress),
            ("miejsce_urodzenia", KeyClass::PostalAddress),
            ("födelseort", KeyClass::PostalAddress),
            ("fødested", KeyClass::PostalAddress),
            ("nhs_number", KeyClass::NationalId),
            ("NHSNo", KeyClass::NationalId),
            ("Krankenversichertennummer", KeyClass::NationalId),
            ("dob", KeyClass::BirthDate),
            ("tel", KeyClass::Phone),
            ("shipping_addr_2", KeyClass::PostalAddress),
            ("plz", KeyClass::PostalAddress),
            ("ssn", KeyClass::NationalId),
            ("pesel", KeyClass::NationalId),
            ("passport_no", KeyClass::Passport),
            ("Führerschein", KeyClass::DrivingLicence),
            ("geschlecht", KeyClass::Gender),
            ("kundenNachname", KeyClass::PersonName),
            ("cap", KeyClass::PostalAddress),
            ("customer_cap", KeyClass::PostalAddress),
        ];
        for (key, class) in cases {
            assert_eq!(classify(key), Some(class), "{key}");
        }
    }

    #[test]
    fn counter_lexicon_stays_out() {
        for key in [
            "product_name",
            "company_name",
            "event_name",
            "file_name",
            "app_name",
            "plan_name",
            "campaign_name",
            "page_title",
            "street_view_enabled",
            "host_name",
            "display_name_enabled",
            "email_opt_in",
            "phone_model",
            "address_bar",
            "ip_address",
            "birthday_campaign",
            "username",
            "userName",
            "is_email_verified",
            "has_phone",
            "email_count",
            "utm_campaign",
            "session_id",
            "Firmenadresse",
            "Produktname",
            "cap_limit",
            "spend_cap",
            "mobile_os",
            "is_mobile",
            "nombre_articulos",
            "genre_musique",
            "",
            "id",
            "user_id",
            "city",
        ] {
            assert_eq!(classify(key), None, "{key}");
        }
    }

    #[test]
    fn class_names_round_trip() {
        for c in KeyClass::ALL {
            assert_eq!(KeyClass::parse(c.name()), Some(c));
        }
        assert_eq!(KeyClass::parse("name"), None);
    }
}
