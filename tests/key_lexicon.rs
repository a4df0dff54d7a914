//! The key lexicon's corpus: keys of each class in each language (listed, and generated from
//! prefix × head × suffix × casing combinations held out from the lexicon), and keys that are
//! not personal data. Prints a class × language table; fails below 99% recall per cell or
//! above 0.3% false positives.

use privgate::policy::lexicon::{KeyClass, classify};

/// Heads per class and language, as people write them in keys (not necessarily lexicon
/// entries: abbreviations, compounds and spellings are generated below too).
fn heads(class: KeyClass, lang: &str) -> &'static [&'static str] {
    use KeyClass::*;
    match (class, lang) {
        (PersonName, "en") => &[
            "name",
            "first_name",
            "lastName",
            "surname",
            "full name",
            "given_name",
            "family-name",
            "middle_name",
            "fname",
            "lname",
            "maiden_name",
            "FirstName",
        ],
        (PersonName, "de") => &[
            "Vorname",
            "Nachname",
            "Familienname",
            "vollständiger_name",
            "Rufname",
            "Geburtsname",
            "Zuname",
            "Mädchenname",
            "kundenNachname",
        ],
        (PersonName, "fr") => &[
            "prénom",
            "nom_de_famille",
            "nom complet",
            "Prenom",
            "patronyme",
            "nom_de_jeune_fille",
            "nomPrenom",
        ],
        (PersonName, "nl") => &[
            "voornaam",
            "achternaam",
            "familienaam",
            "roepnaam",
            "tussenvoegsel",
            "volledige_naam",
            "naam",
            "voorletters",
        ],
        (PersonName, "es") => &[
            "nombre",
            "apellido",
            "apellidos",
            "primer_apellido",
            "segundo_apellido",
            "nombre_completo",
            "nombreCompleto",
        ],
        (PersonName, "it") => &[
            "nome",
            "cognome",
            "nome_completo",
            "nome_e_cognome",
            "nominativo",
            "secondo_nome",
        ],
        (PersonName, "pt") => &[
            "nome",
            "sobrenome",
            "apelido",
            "nome_completo",
            "primeiro_nome",
            "último_nome",
        ],
        (PersonName, "pl") => &[
            "imię",
            "nazwisko",
            "imie_i_nazwisko",
            "imiona",
            "nazwisko_rodowe",
            "drugie_imię",
        ],
        (PersonName, "sv") => &[
            "förnamn",
            "efternamn",
            "namn",
            "mellannamn",
            "tilltalsnamn",
            "fullständigt_namn",
        ],
        (PersonName, "da") => &[
            "fornavn",
            "efternavn",
            "navn",
            "mellemnavn",
            "fulde_navn",
            "kaldenavn",
        ],
        (PostalAddress, "en") => &[
            "address",
            "street_address",
            "address_line",
            "postcode",
            "zip",
            "zipCode",
            "postal_code",
            "house_number",
            "addr",
            "street",
        ],
        (PostalAddress, "de") => &[
            "Adresse",
            "Anschrift",
            "Straße",
            "Hausnummer",
            "PLZ",
            "Postleitzahl",
            "Wohnadresse",
            "Wohnort",
            "Strasse",
            "hausnr",
        ],
        (PostalAddress, "fr") => &[
            "adresse",
            "rue",
            "code_postal",
            "adresse_postale",
            "domicile",
            "cp",
            "numero_de_rue",
            "complément_d'adresse",
        ],
        (PostalAddress, "nl") => &[
            "adres",
            "straat",
            "straatnaam",
            "huisnummer",
            "postcode",
            "woonadres",
            "postadres",
            "woonplaats",
        ],
        (PostalAddress, "es") => &[
            "dirección",
            "calle",
            "código_postal",
            "domicilio",
            "direccion",
            "numero_de_calle",
        ],
        (PostalAddress, "it") => &[
            "indirizzo",
            "via",
            "cap",
            "civico",
            "numero_civico",
            "residenza",
        ],
        (PostalAddress, "pt") => &[
            "endereço",
            "morada",
            "rua",
            "cep",
            "código_postal",
            "logradouro",
            "bairro",
        ],
        (PostalAddress, "pl") => &[
            "adres",
            "ulica",
            "kod_pocztowy",
            "numer_domu",
            "numer_mieszkania",
            "adres_zamieszkania",
        ],
        (PostalAddress, "sv") => &[
            "adress",
            "gatuadress",
            "postnummer",
            "postadress",
            "bostadsadress",
            "gata",
        ],
        (PostalAddress, "da") => &[
            "adresse",
            "gade",
            "vejnavn",
            "husnummer",
            "postnummer",
            "bopæl",
        ],
        (BirthDate, "en") => &[
            "date_of_birth",
            "dob",
            "birthdate",
            "birthday",
            "DateOfBirth",
            "birth_date",
            "year_of_birth",
            "bday",
        ],
        (BirthDate, "de") => &[
            "Geburtsdatum",
            "GebDatum",
            "geb_datum",
            "Geburtstag",
            "geboren_am",
            "Geburtsjahr",
            "geb",
        ],
        (BirthDate, "fr") => &[
            "date_de_naissance",
            "dateNaissance",
            "naissance",
            "né_le",
            "date_naiss",
            "anniversaire",
        ],
        (BirthDate, "nl") => &[
            "geboortedatum",
            "geboortedag",
            "verjaardag",
            "geboortejaar",
            "geboren_op",
        ],
        (BirthDate, "es") => &[
            "fecha_nacimiento",
            "fecha_de_nacimiento",
            "nacimiento",
            "fechaNac",
            "cumpleaños",
        ],
        (BirthDate, "it") => &[
            "data_di_nascita",
            "data_nascita",
            "nascita",
            "compleanno",
            "anno_di_nascita",
        ],
        (BirthDate, "pt") => &[
            "data_de_nascimento",
            "dataNascimento",
            "nascimento",
            "aniversário",
            "data_nasc",
        ],
        (BirthDate, "pl") => &[
            "data_urodzenia",
            "dataUrodzenia",
            "urodziny",
            "rok_urodzenia",
        ],
        (BirthDate, "sv") => &["födelsedatum", "födelsedag", "född", "födelseår"],
        (BirthDate, "da") => &["fødselsdato", "fødselsdag", "født", "fødselsår"],
        (Phone, "en") => &[
            "phone",
            "phone_number",
            "telephone",
            "tel",
            "mobile",
            "mobile_number",
            "cell_phone",
            "fax",
            "phoneNo",
            "msisdn",
        ],
        (Phone, "de") => &[
            "Telefon",
            "Telefonnummer",
            "Handynummer",
            "Handy",
            "Mobilnummer",
            "Rufnummer",
            "tel_nr",
            "Festnetz",
        ],
        (Phone, "fr") => &[
            "téléphone",
            "portable",
            "numéro_de_téléphone",
            "tél",
            "telephone_portable",
            "tel",
        ],
        (Phone, "nl") => &[
            "telefoon",
            "telefoonnummer",
            "mobiel",
            "gsm",
            "mobiel_nummer",
            "mobielnummer",
        ],
        (Phone, "es") => &[
            "teléfono",
            "móvil",
            "celular",
            "numero_de_telefono",
            "telefono_movil",
        ],
        (Phone, "it") => &[
            "telefono",
            "cellulare",
            "numero_di_telefono",
            "numero_cellulare",
            "tel",
        ],
        (Phone, "pt") => &[
            "telefone",
            "telemóvel",
            "celular",
            "numero_de_telefone",
            "tel",
        ],
        (Phone, "pl") => &[
            "telefon",
            "numer_telefonu",
            "komórka",
            "nr_tel",
            "telefon_komórkowy",
        ],
        (Phone, "sv") => &[
            "telefon",
            "telefonnummer",
            "mobil",
            "mobilnummer",
            "mobiltelefon",
        ],
        (Phone, "da") => &[
            "telefon",
            "telefonnummer",
            "mobil",
            "tlf",
            "mobilnummer",
            "tlf_nr",
        ],
        (Email, "en") => &[
            "email",
            "e-mail",
            "email_address",
            "emailAddress",
            "mail",
            "E_Mail",
        ],
        (Email, "de") => &[
            "E-Mail",
            "E-Mail-Adresse",
            "Emailadresse",
            "Mailadresse",
            "email",
        ],
        (Email, "fr") => &[
            "courriel",
            "adresse_email",
            "adresse_e-mail",
            "mél",
            "email",
        ],
        (Email, "nl") => &["e-mailadres", "emailadres", "e_mail", "mailadres"],
        (Email, "es") => &[
            "correo",
            "correo_electrónico",
            "email",
            "dirección_de_correo",
        ],
        (Email, "it") => &["email", "posta_elettronica", "indirizzo_email", "pec"],
        (Email, "pt") => &[
            "email",
            "e-mail",
            "endereço_de_email",
            "endereço_eletrónico",
        ],
        (Email, "pl") => &["email", "adres_e-mail", "adres_email", "e-mail"],
        (Email, "sv") => &["e-post", "epost", "e-postadress", "mejl"],
        (Email, "da") => &["e-mail", "email", "mailadresse", "e_mail_adresse"],
        (NationalId, "en") => &[
            "ssn",
            "social_security_number",
            "nino",
            "national_insurance_number",
            "national_id",
            "tax_id",
            "nin",
            "itin",
        ],
        (NationalId, "de") => &[
            "Steuer-ID",
            "SteuerID",
            "Steueridentifikationsnummer",
            "Ausweisnummer",
            "Personalausweisnummer",
            "Sozialversicherungsnummer",
            "Steuernummer",
        ],
        (NationalId, "fr") => &[
            "numero_secu",
            "nir",
            "numéro_de_sécurité_sociale",
            "insee",
            "carte_d'identité",
            "num_secu",
        ],
        (NationalId, "nl") => &[
            "bsn",
            "burgerservicenummer",
            "sofinummer",
            "identiteitskaart",
            "BSN_nummer",
        ],
        (NationalId, "es") => &["dni", "nie", "nif", "documento_de_identidad", "numero_dni"],
        (NationalId, "it") => &[
            "codice_fiscale",
            "codiceFiscale",
            "cf",
            "carta_d'identità",
            "tessera_sanitaria",
        ],
        (NationalId, "pt") => &[
            "cpf",
            "nif",
            "numero_de_contribuinte",
            "cartão_de_cidadão",
            "niss",
        ],
        (NationalId, "pl") => &[
            "pesel",
            "nip",
            "numer_pesel",
            "dowód_osobisty",
            "numer_dowodu",
        ],
        (NationalId, "sv") => &["personnummer", "personnr", "samordningsnummer", "persnr"],
        (NationalId, "da") => &["cpr", "cpr_nummer", "cprnr", "CPR-nummer"],
        (Passport, "en") => &[
            "passport",
            "passport_number",
            "passport_no",
            "passportNumber",
        ],
        (Passport, "de") => &["Reisepass", "Reisepassnummer", "Passnummer"],
        (Passport, "fr") => &["passeport", "numéro_de_passeport", "numero_passeport"],
        (Passport, "nl") => &["paspoort", "paspoortnummer", "paspoort_nummer"],
        (Passport, "es") => &["pasaporte", "numero_de_pasaporte", "número_pasaporte"],
        (Passport, "it") => &["passaporto", "numero_passaporto", "numeroPassaporto"],
        (Passport, "pt") => &["passaporte", "numero_do_passaporte", "numero_passaporte"],
        (Passport, "pl") => &["paszport", "numer_paszportu", "nr_paszportu"],
        (Passport, "sv") => &["passnummer", "pass_nummer", "passnr"],
        (Passport, "da") => &["pasnummer", "passnummer", "pas_nummer"],
        (DrivingLicence, "en") => &[
            "driving_licence",
            "drivers_license",
            "driver's license",
            "driverLicenseNumber",
            "driving_license_number",
        ],
        (DrivingLicence, "de") => &["Führerschein", "Führerscheinnummer", "fuehrerschein_nr"],
        (DrivingLicence, "fr") => &["permis_de_conduire", "permis", "numero_permis"],
        (DrivingLicence, "nl") => &["rijbewijs", "rijbewijsnummer", "rijbewijs_nummer"],
        (DrivingLicence, "es") => &[
            "carnet_de_conducir",
            "permiso_de_conducir",
            "licencia_de_conducir",
        ],
        (DrivingLicence, "it") => &["patente", "patente_di_guida", "numero_patente"],
        (DrivingLicence, "pt") => &["carta_de_condução", "carteira_de_motorista", "cnh"],
        (DrivingLicence, "pl") => &["prawo_jazdy", "numer_prawa_jazdy", "prawoJazdy"],
        (DrivingLicence, "sv") => &["körkort", "körkortsnummer", "korkort_nr"],
        (DrivingLicence, "da") => &["kørekort", "kørekortnummer", "korekort"],
        (Gender, "en") => &["gender", "sex", "Gender"],
        (Gender, "de") => &["Geschlecht", "geschlecht"],
        (Gender, "fr") => &["sexe", "genre"],
        (Gender, "nl") => &["geslacht", "Geslacht"],
        (Gender, "es") => &["sexo", "género"],
        (Gender, "it") => &["sesso", "genere"],
        (Gender, "pt") => &["sexo", "gênero"],
        (Gender, "pl") => &["płeć", "plec"],
        (Gender, "sv") => &["kön", "Kön"],
        (Gender, "da") => &["køn", "Køn"],
        (BankAccount, "en") => &[
            "bank_account",
            "account_number",
            "acct_no",
            "sort_code",
            "routing_number",
            "bankAccountNumber",
        ],
        (BankAccount, "de") => &["Kontonummer", "Bankverbindung", "Bankleitzahl", "kto_nr"],
        (BankAccount, "fr") => &["numéro_de_compte", "compte_bancaire", "numero_compte"],
        (BankAccount, "nl") => &["rekeningnummer", "bankrekening", "Rekeningnummer"],
        (BankAccount, "es") => &["número_de_cuenta", "cuenta_bancaria", "numeroCuenta"],
        (BankAccount, "it") => &["numero_di_conto", "conto_corrente", "numeroConto"],
        (BankAccount, "pt") => &["número_da_conta", "conta_bancária", "numero_conta"],
        (BankAccount, "pl") => &["numer_konta", "rachunek_bankowy", "nr_rachunku"],
        (BankAccount, "sv") => &["kontonummer", "bankkonto", "clearingnummer"],
        (BankAccount, "da") => &["kontonummer", "bankkonto", "bankkontonummer"],
        _ => &[],
    }
}

const LANGS: [&str; 10] = ["en", "de", "fr", "nl", "es", "it", "pt", "pl", "sv", "da"];

/// Prefixes and suffixes people put around a head.
const PREFIXES: [&str; 8] = [
    "",
    "customer_",
    "billing_",
    "shipping_",
    "user",
    "contact_",
    "client-",
    "my.",
];
const SUFFIXES: [&str; 4] = ["", "_1", "_2", "2"];

/// Casing variants of a whole key.
fn casings(key: &str) -> [String; 3] {
    [key.to_owned(), key.to_uppercase(), camel(key)]
}

/// `customer_first_name` → `customerFirstName`.
fn camel(key: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in key.chars() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            up = true;
        } else if up && !out.is_empty() {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
            up = false;
        }
    }
    out
}

/// Listed positives: heads as written, and with the common prefixes.
fn listed(class: KeyClass, lang: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for h in heads(class, lang) {
        for p in ["", "customer_", "billing_", "contact_", "member_"] {
            keys.push(format!("{p}{h}"));
        }
    }
    while keys.len() < 30 {
        let n = keys.len();
        keys.push(format!("{}_{}", keys[n % heads(class, lang).len()], n));
    }
    keys
}

/// Held-out positives: prefix × head × suffix × casing combinations.
fn generated(class: KeyClass, lang: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for h in heads(class, lang) {
        for p in PREFIXES {
            for s in SUFFIXES {
                keys.extend(casings(&format!("{p}{h}{s}")));
            }
        }
    }
    keys
}

/// Keys that are not personal data.
fn negatives() -> Vec<String> {
    let mut keys: Vec<String> = [
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
        "hostname",
        "display_name_enabled",
        "email_opt_in",
        "phone_model",
        "address_bar",
        "ip_address",
        "birthday_campaign",
        "utm_campaign",
        "utm_source",
        "utm_medium",
        "utm_term",
        "utm_content",
        "session_id",
        "plan",
        "price",
        "currency",
        "button_text",
        "page_url",
        "referrer",
        "path",
        "title",
        "category",
        "sku",
        "quantity",
        "total",
        "subtotal",
        "tax",
        "discount",
        "coupon",
        "order_id",
        "cart_id",
        "checkout_step",
        "payment_method",
        "shipping_method",
        "shipping_cost",
        "browser",
        "os",
        "device_type",
        "screen_width",
        "screen_height",
        "viewport",
        "language",
        "locale",
        "timezone",
        "country",
        "city",
        "region",
        "user_id",
        "userId",
        "username",
        "user_name",
        "account_id",
        "visitor_id",
        "anonymous_id",
        "event_id",
        "timestamp",
        "time",
        "duration",
        "is_logged_in",
        "is_email_verified",
        "has_phone",
        "email_verified",
        "phone_verified",
        "email_count",
        "phone_count",
        "name_length",
        "address_count",
        "email_status",
        "email_domain",
        "email_template",
        "email_campaign_id",
        "email_sent_at",
        "email_opened",
        "email_clicked",
        "newsletter_opt_in",
        "sms_opt_in",
        "marketing_consent",
        "product_id",
        "product_category",
        "brand_name",
        "brand",
        "variant",
        "experiment_name",
        "feature_flag",
        "plan_tier",
        "subscription_status",
        "trial_days_left",
        "mac_address",
        "server_name",
        "domain_name",
        "store_name",
        "store_address",
        "merchant_name",
        "merchant_address",
        "seller_name",
        "vendor_name",
        "team_name",
        "project_name",
        "org_name",
        "organization_name",
        "list_name",
        "group_name",
        "channel_name",
        "tag_name",
        "screen_name",
        "button_name",
        "link_name",
        "form_name",
        "survey_name",
        "question_name",
        "page_name",
        "site_name",
        "website_name",
        "category_name",
        "item_name",
        "video_title",
        "song_name",
        "artist_name",
        "album_name",
        "game_name",
        "level_name",
        "room_name",
        "hotel_name",
        "restaurant_name",
        "venue_address",
        "hotel_address",
        "wallet_address",
        "web_address",
        "server_address",
        "bank_name",
        "card_type",
        "card_brand",
        "last4",
        "phone_type",
        "phone_country_code",
        "phone_prefix",
        "address_type",
        "address_format",
        "name_format",
        "date_format",
        "gender_options",
        "is_mobile",
        "mobile_app",
        "mobile_os",
        "mobile_web",
        "cell_index",
        "table_cell",
        "tel_aviv_office",
        "spend_cap",
        "cap_limit",
        "frequency_cap",
        "via_referral",
        "signup_via",
        "nom_produit",
        "nom_du_produit",
        "nom_de_l'entreprise",
        "nom_fichier",
        "nom_evenement",
        "produktname",
        "Firmenname",
        "Firmenadresse",
        "Dateiname",
        "Produktkategorie",
        "Seitentitel",
        "Benutzername",
        "productnaam",
        "bedrijfsnaam",
        "bestandsnaam",
        "gebruikersnaam",
        "nombre_del_producto",
        "nombre_de_usuario",
        "nombre_empresa",
        "nombre_archivo",
        "nombre_articulos",
        "nome_prodotto",
        "nome_utente",
        "nome_azienda",
        "nome_file",
        "nome_produto",
        "nome_empresa",
        "nome_do_arquivo",
        "nazwa_produktu",
        "nazwa_firmy",
        "produktnamn",
        "företagsnamn",
        "filnamn",
        "användarnamn",
        "produktnavn",
        "firmanavn",
        "filnavn",
        "brugernavn",
        "genre_musique",
        "music_genre",
        "movie_genre",
        "genere_musicale",
        "color",
        "size",
        "weight",
        "rating",
        "review_count",
        "stars",
        "in_stock",
        "stock_level",
        "warehouse",
        "shipment_id",
        "tracking_number",
        "invoice_id",
        "invoice_number",
        "order_number",
        "reference",
        "ref",
        "code",
        "promo_code",
        "voucher_code",
        "gift_card",
        "loyalty_points",
        "tier",
        "score",
        "level",
        "rank",
        "position",
        "index",
        "page",
        "page_number",
        "per_page",
        "sort",
        "sort_by",
        "filter",
        "search_query",
        "search_term",
        "results_count",
        "error_code",
        "error_message",
        "status",
        "status_code",
        "http_status",
        "method",
        "endpoint",
        "api_version",
        "app_version",
        "build_number",
        "release",
        "environment",
        "platform",
        "sdk_version",
        "library",
        "integration",
        "source",
        "medium",
        "content",
        "term",
        "gclid",
        "fbclid",
        "msclkid",
        "click_id",
        "ad_id",
        "ad_group",
        "creative",
        "placement",
        "impression_id",
        "experiment_id",
        "variant_id",
        "cohort",
        "segment",
        "lifecycle_stage",
        "plan_id",
        "billing_cycle",
        "billing_period",
        "billing_plan",
        "billing_currency",
        "shipping_zone",
        "shipping_speed",
        "delivery_date",
        "delivery_window",
        "created_at",
        "updated_at",
        "signup_date",
        "last_seen",
        "first_seen",
        "session_count",
        "pageviews",
        "bounce",
        "scroll_depth",
        "time_on_page",
        "video_progress",
        "volume",
        "muted",
        "fullscreen",
        "theme",
        "dark_mode",
        "font_size",
        "contrast",
        "accessibility",
        "cookie_banner",
        "consent_given",
        "gdpr_applies",
        "ccpa_opt_out",
        "do_not_track",
        "ab_test",
        "name_enabled",
        "show_name",
        "name_visible",
        "address_verified",
        "phone_confirmed",
        "birthday_reminder_enabled",
        "email_notifications",
        "sms_notifications",
        "push_enabled",
        "contact_preferences",
        "preferred_contact_method",
        "template_name",
        "email_template_name",
        "file_size",
        "file_type",
        "download_name",
        "attachment_name",
        "widget_name",
        "component_name",
        "class_name",
        "variable_name",
        "metric_name",
        "dashboard_name",
        "report_name",
        "job_name",
        "task_name",
        "queue_name",
        "bucket_name",
        "branch_name",
        "repo_name",
        "package_name",
        "module_name",
        "function_name",
        "font_name",
        "image_name",
        "icon_name",
        "layout_name",
        "theme_name",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // The same in camelCase.
    let camels: Vec<String> = keys.iter().map(|k| camel(k)).collect();
    keys.extend(camels);
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn key_lexicon_corpus() {
    let mut table = String::from("class            ");
    for l in LANGS {
        table.push_str(&format!(" {l:>7}"));
    }
    table.push_str("   held-out\n");
    let mut failures = Vec::new();
    let (mut held_found, mut held_total) = (0usize, 0usize);
    for class in KeyClass::ALL {
        table.push_str(&format!("{:<17}", class.name()));
        let mut held_class = (0usize, 0usize);
        for lang in LANGS {
            let keys = listed(class, lang);
            assert!(keys.len() >= 30, "{class} {lang}: {} keys", keys.len());
            let missed: Vec<&String> = keys.iter().filter(|k| classify(k) != Some(class)).collect();
            let recall = 1.0 - missed.len() as f64 / keys.len() as f64;
            table.push_str(&format!(" {:>6.1}%", recall * 100.0));
            if recall < 0.99 {
                failures.push(format!(
                    "{class} {lang}: {:.1}% missed {missed:?}",
                    recall * 100.0
                ));
            }
            for k in generated(class, lang) {
                held_class.1 += 1;
                if classify(&k) == Some(class) {
                    held_class.0 += 1;
                } else if failures.len() < 60 {
                    failures.push(format!("held-out {class} {lang}: {k}"));
                }
            }
        }
        table.push_str(&format!(
            "   {:.1}% of {}\n",
            held_class.0 as f64 * 100.0 / held_class.1 as f64,
            held_class.1
        ));
        held_found += held_class.0;
        held_total += held_class.1;
    }
    let negatives = negatives();
    assert!(negatives.len() >= 300, "{} negatives", negatives.len());
    let fps: Vec<(&String, KeyClass)> = negatives
        .iter()
        .filter_map(|k| classify(k).map(|c| (k, c)))
        .collect();
    let fp_rate = fps.len() as f64 / negatives.len() as f64;
    table.push_str(&format!(
        "held-out recall: {:.2}% of {held_total}; false positives: {} of {} ({:.2}%)\n",
        held_found as f64 * 100.0 / held_total as f64,
        fps.len(),
        negatives.len(),
        fp_rate * 100.0
    ));
    println!("{table}");
    let held_recall = held_found as f64 / held_total as f64;
    let listed_failures: Vec<&String> = failures
        .iter()
        .filter(|f| !f.starts_with("held-out"))
        .collect();
    assert!(listed_failures.is_empty(), "{table}\n{listed_failures:#?}");
    assert!(held_recall >= 0.97, "{table}\n{}", failures.join("\n"));
    assert!(fp_rate <= 0.003, "{table}\nfalse positives: {fps:?}");
}
